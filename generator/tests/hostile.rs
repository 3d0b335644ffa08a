//! Pages written to break the generator: each must give a finding (or nothing) and never
//! a panic, and names that collide with Rust must still give a crate that compiles,
//! documents without warnings, and round-trips its examples.

mod support;

use std::path::{Path, PathBuf};

use generator::diagnostics::Diagnostic;
use generator::output::Mode;

fn codes(pages: &[(&str, &[u8])]) -> Vec<Diagnostic> {
    generator::understand_pages(pages).diagnostics
}

fn has(found: &[Diagnostic], code: &str) -> bool {
    found.iter().any(|d| d.code == code)
}

const API_HEAD: &str = "---\ntitle: \"Get thing\"\ndoc_type: apiPageType\n---\n# Get thing\n## HTTP request\n```http\nGET /things/{id}\n```\n";

#[test]
fn broken_files_give_findings_not_panics() {
    let invalid_utf8: &[u8] = b"---\ntitle: \"x\xff\xfe\"\ndoc_type: apiPageType\n---\n# x\n";
    assert!(
        codes(&[("api/a.md", invalid_utf8)])
            .iter()
            .any(|d| d.message.contains("not valid UTF-8"))
    );

    let empty = codes(&[("api/empty.md", b"")]);
    assert!(has(&empty, "GD0001") && has(&empty, "GD0002"), "{empty:#?}");

    let truncated = &API_HEAD.as_bytes()[..API_HEAD.len() / 2];
    assert!(!codes(&[("api/t.md", truncated)]).is_empty());

    let unclosed_front_matter =
        b"---\ntitle: x\ndoc_type: apiPageType\n# Title\n## HTTP request\n```http\nGET /x\n```\n";
    assert!(has(
        &codes(&[("api/f.md", unclosed_front_matter)]),
        "GD0001"
    ));

    let unclosed_fence = format!(
        "{API_HEAD}## Example\n```http\nGET https://graph.microsoft.com/beta/things/1\n\nand the page goes on\n"
    );
    assert!(has(
        &codes(&[("api/u.md", unclosed_fence.as_bytes())]),
        "GD0204"
    ));

    // Letters whose lowercase is longer than they are, before text that is searched for.
    let unicode = "---\ndoc_type: resourcePageType\n---\n# İİ resource type\nİİİİ inherits from [İ](i.md).\n## Properties\n|Property|Type|Description|\n|-|-|-|\n|a|İİİİ Collection(İ)|x|\n";
    assert!(!codes(&[("resources/u.md", unicode.as_bytes())]).is_empty());

    let headings_only = b"# One\n## Two\n### Three\n#### Four\n";
    assert!(has(&codes(&[("resources/h.md", headings_only)]), "GD0001"));
}

#[test]
fn huge_and_deep_input_is_handled() {
    // A 20,000-row table.
    let mut rows = String::from(
        "---\ndoc_type: resourcePageType\n---\n# big resource type\n## Properties\n|Property|Type|Description|\n|-|-|-|\n",
    );
    for i in 0..20_000 {
        rows.push_str(&format!("|p{i}|String|Row {i}.|\n"));
    }
    let understood = generator::understand_pages(&[("resources/big.md", rows.as_bytes())]);
    assert_eq!(understood.model.types[0].properties.len(), 20_000);

    // A 5 MB page.
    let five_mb = format!(
        "{API_HEAD}{}",
        "Words and more words.\n\n".repeat(5 * 1024 * 1024 / 23)
    );
    assert!(five_mb.len() >= 5 * 1024 * 1024 - 100);
    generator::understand_pages(&[("api/huge.md", five_mb.as_bytes())]);

    // JSON nested 100,000 levels deep in an example, and Markdown nested as deep.
    let deep_json = format!(
        "{API_HEAD}## Response\nReturns a `200 OK`.\n## Example\n```http\nGET https://graph.microsoft.com/beta/things/1\n```\n```http\nHTTP/1.1 200 OK\n\n{}{}\n```\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    generator::understand_pages(&[("api/deep.md", deep_json.as_bytes())]);
    let deep_quotes = format!("{API_HEAD}{}text\n", "> ".repeat(100_000));
    generator::understand_pages(&[("api/quotes.md", deep_quotes.as_bytes())]);
    let deep_lists = format!(
        "{API_HEAD}{}",
        (0..10_000)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>()
    );
    generator::understand_pages(&[("api/lists.md", deep_lists.as_bytes())]);
}

#[test]
fn tables_of_zero_and_fifty_columns() {
    let zero =
        "---\ndoc_type: resourcePageType\n---\n# z resource type\n## Properties\n||\n|-|\n||\n";
    generator::understand_pages(&[("resources/z.md", zero.as_bytes())]);
    let header: String = (0..50).map(|i| format!("|c{i}")).collect::<String>() + "|\n";
    let rule: String = "|-".repeat(50) + "|\n";
    let row: String = (0..50).map(|i| format!("|v{i}")).collect::<String>() + "|\n";
    let fifty = format!(
        "---\ndoc_type: resourcePageType\n---\n# f resource type\n## Properties\n|Property|Type{}{rule}|a|String{}",
        &header[header.find("|c2").unwrap()..],
        &row[row.find("|v2").unwrap()..]
    );
    let understood = generator::understand_pages(&[("resources/f.md", fifty.as_bytes())]);
    assert_eq!(understood.model.types[0].properties[0].wire_name, "a");
}

#[cfg(unix)]
#[test]
fn symlinks_in_the_docs_are_not_followed() {
    let dir = std::env::temp_dir().join(format!("generator-links-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("api")).unwrap();
    std::fs::write(dir.join("api/a.md"), API_HEAD).unwrap();
    // A loop: api/loop -> the docs root.
    std::os::unix::fs::symlink(&dir, dir.join("api/loop")).unwrap();
    let understood = generator::understand(&dir).unwrap();
    assert_eq!(understood.pages.len(), 1);
    assert!(
        understood
            .diagnostics
            .iter()
            .any(|d| d.code == "GD0005" && &*d.source.file == "api/loop")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn output_never_leaves_its_folder() {
    let dir = std::env::temp_dir().join(format!("generator-escape-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let (out, elsewhere) = (dir.join("out"), dir.join("elsewhere"));
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    // out/src is a link to a folder outside the output: nothing may be written through it.
    std::os::unix::fs::symlink(&elsewhere, out.join("src")).unwrap();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let result = generator::codegen(&docs, &out, Mode::Write, Default::default(), None);
    assert!(result.is_err(), "writing through a symlink must fail");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The pages of tests/hostile/ give a crate that builds without warnings, documents
/// without warnings, and passes its example tests.
#[test]
fn colliding_names_give_a_crate_that_compiles_and_round_trips() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let out = workspace().join("target/hostile/crate");
    let (understood, _) = generator::codegen(
        &docs,
        &out,
        Mode::Write,
        generator::emit::Options { standalone: true },
        None,
    )
    .unwrap();
    let option = understood
        .model
        .types
        .iter()
        .find(|t| t.wire_name == "Option")
        .unwrap();
    let names: Vec<&str> = option
        .properties
        .iter()
        .map(|p| p.rust_name.as_str())
        .collect();
    for expected in [
        "type_",
        "self_",
        "self_2",
        "crate_",
        "gen_",
        "display_name",
        "display_name_2",
        "display_name_3",
        "n2fa",
        "additional_properties_2",
    ] {
        assert!(names.contains(&expected), "{expected} not in {names:?}");
    }
    // The variants of `properties::Option`, for `$select`: Pascal case, unique.
    let variants = option.property_variants();
    for expected in ["Type", "Self_", "Self2", "DisplayName", "DisplayName2"] {
        assert!(
            variants.iter().any(|v| v == expected),
            "{expected} not in {variants:?}"
        );
    }

    let target = workspace().join("target/hostile/target");
    let manifest = out.join("Cargo.toml");
    let run = |args: &[&str], env: &[(&str, &str)]| support::cargo(&manifest, &target, args, env);
    let test = run(&["test", "--quiet"], &[("RUSTFLAGS", "-D warnings")]);
    assert!(test.contains("2 passed"), "{test}");
    run(
        &["doc", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}
