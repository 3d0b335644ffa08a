//! The generated crate's Cargo.toml.

use super::Options;
use crate::model::Model;

/// Cargo.toml with a feature per API area; `full` (the default) enables all of them.
pub fn manifest(model: &Model, options: Options) -> String {
    let mut manifest = String::from(
        r#"
[package]
name = "generated"
version = "0.1.0"
edition = "2024"
publish = false
description = "A typed client for the documented API, generated from its reference pages."

[dependencies]
base64 = "0.22"
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
erased-serde = "0.4"
http = "1"
percent-encoding = "2"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
uuid = { version = "1", features = ["serde"] }
# The `client` feature.
futures-util = { version = "0.3", default-features = false, features = ["std"], optional = true }
httpdate = { version = "1", optional = true }
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"], optional = true }
tokio = { version = "1", features = ["time"], optional = true }

[dev-dependencies]
# The tests use the client: the crate itself, with the feature on.
generated = { path = ".", features = ["client"] }
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
        "\n[features]\ndefault = [\"full\"]\n# An async client on reqwest (rustls) and tokio; without it the crate does no I/O.\nclient = [\"dep:futures-util\", \"dep:httpdate\", \"dep:reqwest\", \"dep:tokio\"]\nfull = [{}]\n",
        areas.join(", ")
    ));
    for area in &model.areas {
        manifest.push_str(&format!("{} = []\n", area.name));
    }
    if options.standalone {
        manifest.push_str("\n[workspace]\n");
    }
    manifest
}
