//! The code emitted for the two seed pages, compared with checked-in snapshots.
//! After an intended change, update them with `UPDATE_EXPECT=1 cargo test -p generator`.

use std::path::Path;

use expect_test::expect_file;

#[test]
fn seed_pages_emit_the_expected_code() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let understood = generator::understand(&seeds).unwrap();
    let files = generator::emit::emit(&understood.model, Default::default(), &|_, _| None);
    // The files under a folder, one after the other, each under its path.
    let folder = |prefix: &str| {
        files
            .iter()
            .filter(|f| f.path.starts_with(prefix))
            .map(|f| format!("// ==> {}\n{}", f.path, f.contents))
            .collect::<Vec<_>>()
            .join("\n")
    };
    expect_file!["snapshots/seeds_types.rs"].assert_eq(&folder("crates/part-1/src/types/"));
    expect_file!["snapshots/seeds_properties.rs"]
        .assert_eq(&folder("crates/part-1/src/properties/"));
    expect_file!["snapshots/seeds_api.rs"].assert_eq(&folder("src/api/"));
    expect_file!["snapshots/seeds_examples.rs"].assert_eq(&folder("tests/"));
    let findings: Vec<String> = understood
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    expect_file!["snapshots/seeds_findings.txt"].assert_eq(&findings.join("\n"));
}
