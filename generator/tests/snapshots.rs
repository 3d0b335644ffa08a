//! The code emitted for the two seed pages, compared with checked-in snapshots.
//! After an intended change, update them with `UPDATE_EXPECT=1 cargo test -p generator`.

use std::path::Path;

use expect_test::expect_file;

#[test]
fn seed_pages_emit_the_expected_code() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds");
    let understood = generator::understand(&seeds).unwrap();
    let files = generator::emit::emit(&understood.model).unwrap();
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap()
            .contents
            .clone()
    };
    expect_file!["snapshots/seeds_types.rs"].assert_eq(&file("src/types.rs"));
    expect_file!["snapshots/seeds_requests.rs"].assert_eq(&file("src/requests.rs"));
    expect_file!["snapshots/seeds_examples.rs"].assert_eq(&file("tests/examples.rs"));
    let findings: Vec<String> = understood
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect();
    expect_file!["snapshots/seeds_findings.txt"].assert_eq(&findings.join("\n"));
}
