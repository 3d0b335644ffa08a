//! The checked-in crate against the checked-in docs: drift, the seed defects, and what a
//! user of the generated crate writes.

use std::fs;
use std::path::{Path, PathBuf};

use generator::output::{Drift, Mode};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A scratch folder of its own for a test, holding a copy of docs-input: the folder,
/// the docs, and where the output and the cache go.
fn scratch_with_docs(name: &str) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let scratch = std::env::temp_dir().join(format!("generator-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let docs = scratch.join("docs");
    copy_dir(&root().join("docs-input"), &docs);
    let (out, cache) = (scratch.join("out"), scratch.join("cache.json"));
    (scratch, docs, out, cache)
}

#[test]
fn generated_crate_is_up_to_date_with_the_docs() {
    let root = root();
    let (_, outcome) = generator::codegen(
        &root.join("docs-input"),
        &root.join("generated"),
        Mode::Check,
        Default::default(),
        None,
    )
    .unwrap();
    let drift: Vec<&str> = outcome.drift.iter().map(Drift::path).collect();
    assert!(
        drift.is_empty(),
        "generated/ is stale: {drift:?}; run `cargo xtask codegen`"
    );
    assert!(
        outcome.refused.is_empty(),
        "generated files without their marker: {:?}",
        outcome.refused
    );
}

#[test]
fn changing_a_property_type_is_drift_in_the_types_file() {
    let root = root();
    let scratch = std::env::temp_dir().join(format!("generator-drift-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    copy_dir(&root.join("docs-input"), &scratch.join("docs"));
    copy_dir(&root.join("generated"), &scratch.join("out"));
    let page = scratch.join("docs/resources/intune-deviceconfig-carttoclassassociation.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("|version|Int32|", "|version|Int64|")).unwrap();

    let (_, outcome) = generator::codegen(
        &scratch.join("docs"),
        &scratch.join("out"),
        Mode::Check,
        Default::default(),
        None,
    )
    .unwrap();
    let stale: Vec<_> = outcome
        .drift
        .iter()
        .map(|d| match d {
            Drift::Stale { path, diff } => (
                path.as_str(),
                diff.contains("+    pub version: crate::Nullable<i64>,") || diff.contains("7i64"),
            ),
            other => (other.path(), false),
        })
        .collect();
    // The field's type, and the example tests that assert its value as an i64.
    assert_eq!(
        stale,
        [
            ("crates/part-1/src/types/intune.rs", true),
            ("tests/examples/intune.rs", true)
        ]
    );

    generator::codegen(
        &scratch.join("docs"),
        &scratch.join("out"),
        Mode::Write,
        Default::default(),
        None,
    )
    .unwrap();
    let (_, again) = generator::codegen(
        &scratch.join("docs"),
        &scratch.join("out"),
        Mode::Check,
        Default::default(),
        None,
    )
    .unwrap();
    assert!(again.drift.is_empty());
    fs::remove_dir_all(&scratch).unwrap();
}

#[test]
fn seed_defects_are_reported_with_line_and_column() {
    let understood = generator::understand(&root().join("docs-input")).unwrap();
    let found: Vec<String> = understood
        .diagnostics
        .iter()
        .filter(|d| d.source.file.ends_with("carttoclassassociation-update.md"))
        .map(|d| format!("{} {}", d.source, d.code))
        .collect();
    for expected in [
        // `**TODO: Determine scopes **` and `**TODO: Determine AppOnly scopes **`.
        "api/intune-deviceconfig-carttoclassassociation-update.md:19:37 GD0401",
        "api/intune-deviceconfig-carttoclassassociation-update.md:21:14 GD0401",
        // `https://graph.microsoft.com/docs\api/...`: the backslash, and no version.
        "api/intune-deviceconfig-carttoclassassociation-update.md:68:39 GD0301",
        "api/intune-deviceconfig-carttoclassassociation-update.md:68:7 GD0301",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} not in {found:#?}"
        );
    }
    // The defective example still yields its test, matched past the bogus prefix.
    let update = understood
        .model
        .operations
        .iter()
        .find(|op| op.rust_name == "update_cart_to_class_association")
        .unwrap();
    assert_eq!(
        update.examples[0].request.path_args,
        Some(vec!["{cartToClassAssociationId}".to_owned()])
    );
}

#[test]
fn the_generated_crate_builds_requests_as_documented() -> Result<(), generated::Error> {
    use generated::types::CartToClassAssociation;
    let carts = generated::api()
        .device_management()
        .cart_to_class_associations();
    let body = CartToClassAssociation {
        display_name: "Cart 1".to_owned().into(),
        ..Default::default()
    };
    let req = carts
        .create(&body)
        .to_http("https://graph.microsoft.com/beta")?;
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(
        req.uri().path(),
        "/beta/deviceManagement/cartToClassAssociations"
    );
    assert_eq!(req.body(), br#"{"displayName":"Cart 1"}"#);
    let del = carts
        .id("a/b c")
        .delete()
        .to_http("https://graph.microsoft.com/beta")?;
    assert_eq!(
        del.uri().path(),
        "/beta/deviceManagement/cartToClassAssociations/a%2Fb%20c"
    );
    let up = carts
        .id("..")
        .get()
        .to_http("https://graph.microsoft.com/beta")?;
    assert_eq!(
        up.uri().path(),
        "/beta/deviceManagement/cartToClassAssociations/%2E%2E"
    );
    Ok(())
}

/// The matching code the README shows: derived types by variant, shared properties
/// without a match, `@odata.type` written for derived values, and a PATCH that clears.
#[test]
fn derived_types_are_variants_and_updates_can_clear() -> Result<(), generated::Error> {
    use generated::Nullable;
    use generated::types::{AnyDeviceConfiguration, IosCustomConfiguration};

    let page = r##"{"value": [
        {"@odata.type": "#microsoft.graph.iosCustomConfiguration", "displayName": "Wi-Fi", "payload": "cGF5bG9hZA=="},
        {"@odata.type": "microsoft.graph.windows11FutureConfiguration", "displayName": "New", "futureSetting": true},
        {"displayName": "Plain"}
    ]}"##;
    let response = http::Response::builder()
        .status(200)
        .body(page.as_bytes().to_vec())
        .unwrap();
    let configurations = generated::api()
        .device_management()
        .device_configurations()
        .list()
        .parse_response(response)?;
    let mut seen = Vec::new();
    for configuration in &configurations.items {
        let name = configuration
            .display_name()
            .get()
            .cloned()
            .unwrap_or_default();
        match configuration {
            AnyDeviceConfiguration::IosCustomConfiguration(ios) => {
                let payload = ios.payload.get().map(|p| p.as_bytes().to_vec());
                seen.push(format!(
                    "{name}: iOS, payload {:?}",
                    String::from_utf8(payload.unwrap()).unwrap()
                ));
            }
            AnyDeviceConfiguration::DeviceConfiguration(other) => {
                let extra: Vec<&String> = other.additional_properties.keys().collect();
                seen.push(format!("{name}: {:?} {extra:?}", other.odata_type));
            }
            _ => seen.push(format!("{name}: another derived type")),
        }
    }
    assert_eq!(
        seen,
        [
            "Wi-Fi: iOS, payload \"payload\"",
            "New: Some(\"microsoft.graph.windows11FutureConfiguration\") [\"futureSetting\"]",
            "Plain: None []",
        ]
    );

    // A derived value sent where the base type is expected says what it is.
    let created: AnyDeviceConfiguration = IosCustomConfiguration {
        display_name: "Wi-Fi".to_owned().into(),
        ..Default::default()
    }
    .into();
    assert_eq!(
        serde_json::to_string(&created).unwrap(),
        r##"{"@odata.type":"#microsoft.graph.iosCustomConfiguration","displayName":"Wi-Fi"}"##
    );

    // An update sends what is set and what is cleared, and nothing else.
    let patch = IosCustomConfiguration {
        description: Nullable::Null,
        version: Nullable::Value(8),
        ..Default::default()
    };
    let request = generated::api()
        .device_management()
        .device_configurations()
        .id("42")
        .update(&patch)
        .to_http(generated::DEFAULT_BASE_URL)?;
    assert_eq!(request.method(), http::Method::PATCH);
    assert_eq!(request.body(), br#"{"description":null,"version":8}"#);
    Ok(())
}

#[test]
fn error_responses_are_typed_errors_with_status_and_body() {
    let request = generated::api()
        .device_management()
        .cart_to_class_associations()
        .id("1")
        .get();
    let response = http::Response::builder()
        .status(404)
        .body(b"{\"error\":{}}".to_vec())
        .unwrap();
    match request.parse_response(response) {
        Err(generated::Error::Status { status, body }) => {
            assert_eq!(status, 404);
            assert_eq!(body, b"{\"error\":{}}");
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    let garbled = http::Response::builder()
        .status(200)
        .body(b"<html>".to_vec())
        .unwrap();
    assert!(matches!(
        request.parse_response(garbled),
        Err(generated::Error::Decode { .. })
    ));
}

#[test]
fn reruns_reuse_unchanged_files_and_notice_edits() {
    let root = root();
    let scratch = std::env::temp_dir().join(format!("generator-cache-{}", std::process::id()));
    let _ = fs::remove_dir_all(&scratch);
    let (docs, out, cache) = (
        root.join("docs-input"),
        scratch.join("out"),
        scratch.join("cache.json"),
    );
    let run = |mode| {
        generator::codegen(&docs, &out, mode, Default::default(), Some(&cache))
            .unwrap()
            .1
    };

    let first = run(Mode::Write);
    assert!(!first.written.is_empty());
    assert!(cache.exists());
    let again = run(Mode::Write);
    assert_eq!(
        (again.written.len(), again.unchanged),
        (0, first.written.len())
    );

    // A hand edit to a generated file is not mistaken for up to date.
    let types = out.join("crates/part-1/src/types/intune.rs");
    let edited = fs::read_to_string(&types)
        .unwrap()
        .replace("pub version", "pub versio");
    fs::write(&types, edited).unwrap();
    let check = run(Mode::Check);
    assert_eq!(
        check.drift.iter().map(Drift::path).collect::<Vec<_>>(),
        ["crates/part-1/src/types/intune.rs"]
    );
    let repaired = run(Mode::Write);
    assert_eq!(repaired.written, ["crates/part-1/src/types/intune.rs"]);
    assert!(run(Mode::Check).drift.is_empty());
    fs::remove_dir_all(&scratch).unwrap();
}

/// What a rerun reuses from the cache is what a fresh run makes: a type's change reaches
/// every file that reads the type, such as the example tests of its area, whose own
/// operations did not change.
#[test]
fn a_rerun_through_the_cache_makes_what_a_fresh_run_makes() {
    let (scratch, docs, out, cache) = scratch_with_docs("rerun");
    let run = |mode, cache: Option<&Path>| {
        generator::codegen(&docs, &out, mode, Default::default(), cache)
            .unwrap()
            .1
    };
    run(Mode::Write, Some(&cache));
    let page = docs.join("resources/intune-deviceconfig-carttoclassassociation.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("|version|Int32|", "|version|Int64|")).unwrap();

    let rerun = run(Mode::Write, Some(&cache));
    assert_eq!(
        rerun.written,
        [
            "crates/part-1/src/types/intune.rs",
            "tests/examples/intune.rs"
        ]
    );
    let fresh = run(Mode::Check, None);
    assert_eq!(
        fresh.drift.iter().map(Drift::path).collect::<Vec<_>>(),
        [""; 0]
    );
    fs::remove_dir_all(&scratch).unwrap();
}

/// A rerun over unchanged docs is answered without reading them (what `cargo xtask
/// codegen` does); a changed page, a hand-edited or removed output file, or a stray
/// generated file make it read everything again.
#[test]
fn a_rerun_over_unchanged_docs_reads_nothing_until_something_changes() {
    let (scratch, docs, out, cache) = scratch_with_docs("fresh");
    let fresh = || {
        let inputs = generator::inputs(&docs, Default::default()).unwrap();
        generator::up_to_date(&out, &cache, &inputs).is_some()
    };
    let run =
        || generator::codegen(&docs, &out, Mode::Write, Default::default(), Some(&cache)).unwrap();

    assert!(!fresh(), "nothing made yet");
    run();
    assert!(fresh());

    let page = docs.join("api/user-get.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, format!("{text}\n")).unwrap();
    assert!(!fresh(), "a page changed");
    run();
    assert!(fresh());

    let lib = out.join("src/lib.rs");
    let made = fs::read_to_string(&lib).unwrap();
    fs::write(&lib, format!("{made}// by hand\n")).unwrap();
    assert!(!fresh(), "an output file edited");
    run();
    assert!(fresh());

    fs::remove_file(&lib).unwrap();
    assert!(!fresh(), "an output file removed");
    run();
    assert!(fresh());

    let stray = out.join("src/stray.rs");
    fs::write(
        &stray,
        "// @generated by `cargo xtask codegen` from the API docs.\n",
    )
    .unwrap();
    assert!(!fresh(), "a generated file no run made");
    run();
    assert!(!stray.exists() && fresh());
    fs::remove_dir_all(&scratch).unwrap();
}
