//! The Cargo.toml of each crate of the output: the generated crate, its runtime, and the
//! parts its types are split into (see `model::parts`).

use super::Options;
use super::api::NavigationCrate;
use crate::model::{Model, Part};

/// The generated crate's name; its other crates are named after it.
pub const CRATE: &str = "generated";

/// The folder of a crate of the output other than the generated crate itself.
pub fn folder(name: &str) -> String {
    format!("crates/{name}")
}

/// A crate's package name (`generated-part-1`) and its name in Rust (`generated_part_1`).
pub fn package(name: &str) -> (String, String) {
    let package = format!("{CRATE}-{name}");
    let rust = package.replace('-', "_");
    (package, rust)
}

/// A path dependency on another crate of the output, from `crates/<name>` or the root.
fn dependency(name: &str, from_root: bool) -> String {
    let (package, _) = package(name);
    let path = match from_root {
        true => folder(name),
        false => format!("../{name}"),
    };
    format!("{package} = {{ path = \"{path}\" }}\n")
}

fn package_section(name: &str, description: &str) -> String {
    format!(
        "\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\
         description = \"{description}\"\n"
    )
}

/// The generated crate: the runtime and every part, a feature per API area, and `full`
/// (the default) for all of them. An area's feature turns on, in each part, the
/// feature of the same name, which compiles that area's items and the types they use.
pub fn manifest(model: &Model, options: Options, navigation: &[NavigationCrate]) -> String {
    let mut manifest = package_section(
        CRATE,
        "A typed client for the documented API, generated from its reference pages.",
    );
    manifest.push_str("\n[dependencies]\n");
    manifest.push_str(&dependency("runtime", true));
    for part in &model.parts {
        manifest.push_str(&dependency(&part.name, true));
    }
    for krate in navigation {
        manifest.push_str(&dependency(&krate.name, true));
    }
    manifest.push_str(
        r#"http = "1"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
# The `client` feature.
bytes = { version = "1", optional = true }
futures-util = { version = "0.3", default-features = false, features = ["std"], optional = true }
httpdate = { version = "1", optional = true }
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"], optional = true }
tokio = { version = "1", features = ["io-util", "sync", "time"], optional = true }
ring = { version = "0.17", optional = true }
tracing = { version = "0.1", default-features = false, features = ["std"], optional = true }
# The `azure-identity` feature.
azure_core = { version = "1", default-features = false, optional = true }

[dev-dependencies]
# The tests use the client: the crate itself, with the feature on.
generated = { path = ".", features = ["client"] }
chrono = { version = "0.4", default-features = false, features = ["std"] }
uuid = "1"
tokio = { version = "1", features = ["macros", "rt"] }
wiremock = "0.6"
"#,
    );
    let areas: Vec<String> = model
        .areas
        .iter()
        .map(|a| format!("\"{}\"", a.name))
        .collect();
    manifest.push_str(&format!(
        "\n[features]\ndefault = [\"full\"]\n# An async client on reqwest (rustls) and tokio; without it the crate does no I/O.\nclient = [\"dep:bytes\", \"dep:futures-util\", \"dep:httpdate\", \"dep:reqwest\", \"dep:tokio\"]\n# Sign-in: client secret, client certificate, device code and authorization code credentials (`client::auth`).\nauth = [\"client\", \"dep:ring\"]\n# Any `azure_identity` credential as a token source (`client::azure`).\nazure-identity = [\"client\", \"dep:azure_core\"]\n# JSON batching: `Client::send_batch`.\nbatch = [\"client\"]\n# Spans per request and attempt (method, path template, status, request-id, retries).\ntracing = [\"client\", \"dep:tracing\"]\nfull = [{}]\n",
        areas.join(", ")
    ));
    for area in &model.areas {
        let forwarded: Vec<String> = navigation
            .iter()
            .filter(|krate| krate.features.contains(area.name.as_str()))
            .map(|krate| krate.name.as_str())
            .chain(
                model
                    .parts
                    .iter()
                    .filter(|part| part.features.contains(&area.name))
                    .map(|part| part.name.as_str()),
            )
            .map(|name| format!("\"{}/{}\"", package(name).0, area.name))
            .collect();
        manifest.push_str(&format!("{} = [{}]\n", area.name, forwarded.join(", ")));
    }
    if options.standalone {
        manifest.push_str("\n[workspace]\n");
    }
    manifest
}

/// The runtime crate: the hand-written code every other crate uses.
pub fn runtime() -> String {
    let (name, _) = package("runtime");
    let mut manifest = package_section(
        &name,
        "The runtime of the generated crate: reading and writing its types, requests.",
    );
    manifest.push_str(
        r#"
[dependencies]
base64 = "0.22"
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
erased-serde = "0.4"
http = "1"
itoa = "1"
percent-encoding = "2"
serde = "1"
# Numbers read back exactly as they were written: round trips are lossless.
serde_json = { version = "1", features = ["float_roundtrip"] }
uuid = { version = "1", features = ["serde"] }
"#,
    );
    manifest
}

/// A navigation crate holding `modules`: the runtime and every part (its requests name
/// types of most), and a feature per area it has requests of, which turns on the
/// feature of the same name in each part that has it.
pub fn api_crate(model: &Model, krate: &NavigationCrate) -> String {
    let mut manifest = package_section(
        &package(&krate.name).0,
        "Paths and requests of the generated crate (a part of them, compiled on its own); use them through that crate.",
    );
    manifest.push_str("\n[dependencies]\n");
    manifest.push_str(&dependency("runtime", false));
    for part in &model.parts {
        manifest.push_str(&dependency(&part.name, false));
    }
    manifest.push_str(PART_DEPENDENCIES);
    manifest.push_str("\n[features]\n");
    for feature in &krate.features {
        let forwarded: Vec<String> = model
            .parts
            .iter()
            .filter(|part| part.features.iter().any(|f| f == feature))
            .map(|part| format!("\"{}/{feature}\"", package(&part.name).0))
            .collect();
        manifest.push_str(&format!("{feature} = [{}]\n", forwarded.join(", ")));
    }
    manifest
}

/// What the generated code of a part or a navigation crate names besides the runtime.
const PART_DEPENDENCIES: &str = r#"chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
http = "1"
serde = "1"
serde_json = "1"
uuid = { version = "1", features = ["serde"] }
"#;

/// A part: the runtime, the parts it uses, and the features its
/// items are compiled by (each also turning on the feature of the same name in the
/// crates it uses that have it, so that the crate builds on its own too).
pub fn part(part: &Part, parts: &[Part]) -> String {
    let (name, _) = package(&part.name);
    let mut manifest = package_section(
        &name,
        "Types and requests of the generated crate (a part of them, compiled on its own); use them through that crate.",
    );
    manifest.push_str("\n[dependencies]\n");
    manifest.push_str(&dependency("runtime", false));
    let used: Vec<&Part> = parts
        .iter()
        .filter(|p| part.uses.contains(&p.name))
        .collect();
    for used in &used {
        manifest.push_str(&dependency(&used.name, false));
    }
    manifest.push_str(PART_DEPENDENCIES);
    manifest.push_str("\n[features]\n");
    for feature in &part.features {
        let forwarded: Vec<String> = used
            .iter()
            .filter(|used| used.features.contains(feature))
            .map(|used| format!("\"{}/{feature}\"", package(&used.name).0))
            .collect();
        manifest.push_str(&format!("{feature} = [{}]\n", forwarded.join(", ")));
    }
    manifest
}
