//! Shapes of API that stress the compiler rather than the parser: a resource with 20,000
//! properties, a hierarchy 50 types deep, a type with 2,000 derived types; and areas
//! whose features must subset the crate and stay additive. Each gives a crate that
//! builds without warnings and passes its example tests.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use generator::output::Mode;

mod support;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn page(kind: &str, product: &str, title: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndescription: \"{title}.\"\nms.prod: \"{product}\"\ndoc_type: {kind}\n---\n# {title}\n\n{body}"
    )
}

fn resource(product: &str, name: &str, base: Option<&str>, rows: &str) -> String {
    let inherits = base
        .map(|b| format!("Inherits from [{b}]({b}.md).\n\n"))
        .unwrap_or_default();
    page(
        "resourcePageType",
        product,
        &format!("{name} resource type"),
        &format!("{inherits}## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}"),
    )
}

/// An operation page: `GET path` returning `result` (a link, "collection" or not), with
/// one example.
fn get_page(product: &str, title: &str, path: &str, result: &str, url: &str, body: &str) -> String {
    page(
        "apiPageType",
        product,
        title,
        &format!(
            "## HTTP request\n```http\nGET {path}\n```\n\n## Response\nIf successful, this method returns a `200 OK` response code and {result} in the response body.\n\n## Example\n### Request\n```http\nGET https://graph.microsoft.com/beta{url}\n```\n\n### Response\n```http\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{body}\n```\n"
        ),
    )
}

fn write(docs: &Path, file: &str, text: &str) {
    let path = docs.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Cargo with warnings denied. A value of 20,000 properties is half a megabyte, which an
/// unoptimized build copies several times between the socket and the test: the 2 MiB
/// of a test thread is not enough, the 8 MiB of a main thread is.
fn cargo(manifest: &Path, target: &Path, args: &[&str]) -> String {
    let env = [("RUSTFLAGS", "-D warnings"), ("RUST_MIN_STACK", "8388608")];
    support::cargo(manifest, target, args, &env)
}

/// The docs of the large shapes and of two areas that link to each other.
fn docs(docs: &Path) {
    // A resource with 20,000 properties.
    let mut rows = String::from("|id|String|Id.|\n");
    for i in 0..20_000 {
        let ty = if i % 2 == 0 { "String" } else { "Int32" };
        writeln!(rows, "|p{i}|{ty}|Property {i}.|").unwrap();
    }
    write(
        docs,
        "resources/wide.md",
        &resource("shapes", "wide", None, &rows),
    );
    write(
        docs,
        "api/wide-get.md",
        &get_page(
            "shapes",
            "Get wide",
            "/wides/{id}",
            "a [wide](../resources/wide.md) object",
            "/wides/1",
            r#"{"id": "1", "p0": "first", "p19999": 19999, "p10001": null, "notDocumented": true}"#,
        ),
    );

    // A hierarchy 50 types deep.
    for i in 0..50 {
        let base = (i > 0).then(|| format!("level{}", i - 1));
        let rows = format!("|field{i}|Int32|Field {i}.|\n");
        write(
            docs,
            &format!("resources/level{i}.md"),
            &resource("shapes", &format!("level{i}"), base.as_deref(), &rows),
        );
    }
    write(
        docs,
        "api/level-list.md",
        &get_page(
            "shapes",
            "List levels",
            "/levels",
            "a collection of [level0](../resources/level0.md) objects",
            "/levels",
            r##"{"value": [{"@odata.type": "#microsoft.graph.level49", "field0": 0, "field25": 25, "field49": 49}, {"field0": 1}]}"##,
        ),
    );

    // A type with 2,000 derived types.
    write(
        docs,
        "resources/shape.md",
        &resource("shapes", "shape", None, "|id|String|Id.|\n"),
    );
    for i in 0..2_000 {
        let rows = format!("|side{i}|Double|Side {i}.|\n");
        write(
            docs,
            &format!("resources/shape{i}.md"),
            &resource("shapes", &format!("shape{i}"), Some("shape"), &rows),
        );
    }
    write(
        docs,
        "api/shape-list.md",
        &get_page(
            "shapes",
            "List shapes",
            "/shapes",
            "a collection of [shape](../resources/shape.md) objects",
            "/shapes",
            r##"{"value": [{"@odata.type": "#microsoft.graph.shape1999", "id": "a", "side1999": 2.5}, {"id": "b", "@odata.type": "#microsoft.graph.shape7", "side7": 7}, {"id": "c"}]}"##,
        ),
    );

    // Two areas: a folder (alpha) embeds an address (beta, a value) and links to its
    // owner (beta, an entity).
    write(
        docs,
        "resources/folder.md",
        &resource(
            "alpha",
            "folder",
            None,
            "|id|String|Id.|\n|address|[postalAddress](postaladdress.md)|Where it is.|\n\n## Relationships\n|Relationship|Type|Description|\n|:---|:---|:---|\n|owner|[person](person.md)|Who owns it.|\n",
        ),
    );
    write(
        docs,
        "resources/person.md",
        &resource(
            "beta",
            "person",
            None,
            "|id|String|Id.|\n|home|[postalAddress](postaladdress.md)|Home.|\n",
        ),
    );
    write(
        docs,
        "resources/postaladdress.md",
        &resource("beta", "postalAddress", None, "|city|String|City.|\n"),
    );
    write(
        docs,
        "api/folder-get.md",
        &get_page(
            "alpha",
            "Get folder",
            "/folders/{id}",
            "a [folder](../resources/folder.md) object",
            "/folders/f",
            r#"{"id": "f", "address": {"city": "Oslo"}, "owner": {"id": "p", "home": {"city": "Bergen"}}}"#,
        ),
    );
    write(
        docs,
        "api/person-get.md",
        &get_page(
            "beta",
            "Get person",
            "/people/{id}",
            "a [person](../resources/person.md) object",
            "/people/p",
            r#"{"id": "p", "home": {"city": "Bergen"}}"#,
        ),
    );
}

/// Code written against the `alpha` feature alone: it must build with `alpha` alone and
/// with every feature (Cargo unifies features, so another crate may turn more on).
const CONSUMER: &str = r##"
fn main() {
    let folder: generated::types::Folder =
        serde_json::from_str(r#"{"id":"f","address":{"city":"Oslo"},"owner":{"id":"p"}}"#).unwrap();
    let city = folder.address.get().and_then(|a| a.city.get().cloned());
    let owner: &generated::Nullable<serde_json::Value> = &folder.owner;
    let request = generated::api().folders().id("f").get();
    println!("{city:?} {owner:?} {}", request.path());
}
"##;

#[test]
fn large_shapes_and_areas_give_crates_that_build_and_pass() {
    let root = workspace().join("target/large");
    let _ = std::fs::remove_dir_all(root.join("docs"));
    docs(&root.join("docs"));
    let out = root.join("crate");
    let (understood, _) = generator::codegen(
        &root.join("docs"),
        &out,
        Mode::Write,
        generator::emit::Options { standalone: true },
        None,
    )
    .unwrap();
    let model = &understood.model;
    let type_named = |name: &str| model.types.iter().find(|t| t.wire_name == name).unwrap();
    assert_eq!(type_named("wide").properties.len(), 20_001);
    assert_eq!(type_named("level0").derived.len(), 49);
    assert_eq!(type_named("level49").properties.len(), 50);
    assert_eq!(type_named("shape").derived.len(), 2_000);
    // The owner is another area's entity: JSON, so that alpha compiles without beta;
    // the address is a value: typed, and compiled by alpha too.
    let folder = type_named("folder");
    let owner = folder
        .properties
        .iter()
        .find(|p| p.wire_name == "owner")
        .unwrap();
    assert!(
        matches!(owner.ty, generator::model::TypeRef::Foreign { .. }),
        "{:?}",
        owner.ty
    );
    assert_eq!(type_named("person").features, ["beta"]);
    assert_eq!(type_named("postalAddress").features, ["alpha", "beta"]);
    // More types than one crate should hold: they are split into crates of their own.
    let parts: Vec<&str> = model.parts.iter().map(|p| p.name.as_str()).collect();
    assert!(parts.len() > 1, "{parts:?}");
    assert_ne!(
        type_named("wide").part,
        type_named("person").part,
        "{parts:?}"
    );

    // The hostile test's target: the dependencies are built once for both.
    let target = workspace().join("target/hostile/target");
    let manifest = out.join("Cargo.toml");
    let test = cargo(&manifest, &target, &["test", "--quiet"]);
    assert!(test.contains("test result: ok"), "{test}");

    // A consumer built with `alpha` alone and with every feature.
    let consumer = root.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(consumer.join("src/main.rs"), CONSUMER).unwrap();
    for features in ["default-features = false, features = [\"alpha\"]", ""] {
        let separator = if features.is_empty() { "" } else { ", " };
        std::fs::write(
            consumer.join("Cargo.toml"),
            format!(
                "[package]\nname = \"consumer\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nserde_json = \"1\"\ngenerated = {{ path = \"{}\"{separator}{features} }}\n\n[workspace]\n",
                out.display()
            ),
        )
        .unwrap();
        cargo(&consumer.join("Cargo.toml"), &target, &["check", "--quiet"]);
    }

    // The bench's run-time program (`cargo xtask bench`, line 6), made for this crate:
    // it must compile against the generated types as they are now.
    let throughput = root.join("throughput");
    std::fs::create_dir_all(throughput.join("src")).unwrap();
    std::fs::write(
        throughput.join("Cargo.toml"),
        format!(
            "[package]\nname = \"throughput\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\ngenerated = {{ path = \"{}\" }}\n\n[workspace]\n",
            out.display()
        ),
    )
    .unwrap();
    let program = generator::emit::throughput::program(model);
    std::fs::write(throughput.join("src/main.rs"), program).unwrap();
    cargo(
        &throughput.join("Cargo.toml"),
        &target,
        &["check", "--quiet"],
    );
}
