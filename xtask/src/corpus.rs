//! `cargo xtask corpus`: the generator held to a whole docs tree. Generates a standalone
//! crate under target/corpus/, builds it and runs its example tests with cargo, and
//! merges their outcomes into the report.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use generator::emit::Options;
use generator::output::Mode;
use generator::report::{Report, TestOutcome, TestResults};
use serde_json::Value;

pub fn run(root: &Path, docs: &Path, json: Option<&Path>) -> Result<ExitCode> {
    let scratch = root.join("target/corpus");
    let crate_dir = scratch.join("crate");
    let started = Instant::now();
    let (understood, outcome) = generator::codegen(
        docs,
        &crate_dir,
        Mode::Write,
        Options { standalone: true },
        Some(&crate::cache_file(&crate_dir)),
    )
    .with_context(|| format!("generating from {}", docs.display()))?;
    eprintln!(
        "generated {} in {:.2?} ({} files written); building and testing it",
        crate_dir.display(),
        started.elapsed(),
        outcome.written.len()
    );

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = scratch.join("target");
    let started = Instant::now();
    let build = Command::new(&cargo)
        .args([
            "test",
            "--no-run",
            "--message-format=json",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .context("running cargo test --no-run on the generated crate")?;
    let built = read_build_messages(&String::from_utf8_lossy(&build.stdout));
    eprintln!(
        "built in {:.1?}: {} warning(s)",
        started.elapsed(),
        built.warnings.len()
    );
    for warning in &built.warnings {
        eprintln!("{warning}");
    }
    let Some(examples) = built.examples.filter(|_| build.status.success()) else {
        eprintln!("{}", String::from_utf8_lossy(&build.stderr));
        for error in &built.errors {
            eprintln!("{error}");
        }
        bail!("the generated crate does not build");
    };
    let warnings = built.warnings.len();

    // libtest's JSON events are the machine format of its outcomes; stable Rust gates
    // them behind `-Z unstable-options`, which `RUSTC_BOOTSTRAP` opens for this run of
    // the test binary only (nothing is compiled with it).
    let started = Instant::now();
    let test = Command::new(&examples)
        .args([
            "--test-threads=2",
            "-Z",
            "unstable-options",
            "--format",
            "json",
        ])
        .current_dir(&crate_dir)
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .with_context(|| format!("running {}", examples.display()))?;
    let output = String::from_utf8_lossy(&test.stdout);
    std::fs::write(scratch.join("test-output.json"), output.as_bytes())?;
    let results = read_test_events(&output)?;
    eprintln!("ran {} tests in {:.1?}", results.len(), started.elapsed());

    let report = Report::new(
        &understood.pages,
        &understood.model,
        &understood.diagnostics,
        Some(&results),
    );
    print!("{}", report.summary());
    println!("generated crate build warnings: {warnings}");
    print_unaccounted(&report);
    if let Some(path) = json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)?;
        eprintln!("per-page report written to {}", path.display());
    }
    // Doc defects are findings; a warning in the generated code or a generated test that
    // fails is a generator defect.
    let failed: Vec<&String> = results
        .iter()
        .filter(|(_, o)| **o != TestOutcome::Passed)
        .map(|(n, _)| n)
        .collect();
    if warnings > 0 || !failed.is_empty() {
        eprintln!(
            "{warnings} warning(s) building the generated crate; {} failing test(s): {failed:?}",
            failed.len()
        );
        eprintln!(
            "test output: {}",
            scratch.join("test-output.json").display()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// What `cargo test --no-run --message-format=json` says: the example tests' binary, and
/// the compiler's warnings and errors, rendered.
struct Built {
    examples: Option<PathBuf>,
    warnings: Vec<String>,
    errors: Vec<String>,
}

fn read_build_messages(stdout: &str) -> Built {
    let mut built = Built {
        examples: None,
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    for message in stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
    {
        match message["reason"].as_str() {
            Some("compiler-artifact")
                if message["target"]["name"] == "examples"
                    && message["target"]["kind"] == serde_json::json!(["test"]) =>
            {
                built.examples = message["executable"].as_str().map(PathBuf::from);
            }
            Some("compiler-message") => {
                let diagnostic = &message["message"];
                let rendered = diagnostic["rendered"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                match diagnostic["level"].as_str() {
                    Some("warning") => built.warnings.push(rendered),
                    Some("error") => built.errors.push(rendered),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    built
}

/// libtest's JSON events: one per test (`ok`, `failed`, `ignored`), a failure carrying its
/// output; a failure saying "does not deserialize" failed at deserialization.
fn read_test_events(stdout: &str) -> Result<TestResults> {
    // Tests are in a module per area (`area::name`); the report knows them by name.
    let name_of = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let mut results: TestResults = HashMap::new();
    let mut suite_ended = false;
    for line in stdout.lines().filter(|l| l.starts_with('{')) {
        let event: Value =
            serde_json::from_str(line).with_context(|| format!("a test event: {line}"))?;
        match (event["type"].as_str(), event["event"].as_str()) {
            (Some("test"), Some("ok")) => {
                let name = event["name"].as_str().unwrap_or_default();
                results.insert(name_of(name), TestOutcome::Passed);
            }
            (Some("test"), Some("failed")) => {
                let name = event["name"].as_str().unwrap_or_default();
                let output = event["stdout"].as_str().unwrap_or_default();
                let outcome = if output.contains("does not deserialize")
                    || output.contains("Err` value: Decode {")
                {
                    TestOutcome::NotDeserialized
                } else {
                    TestOutcome::Failed
                };
                results.insert(name_of(name), outcome);
            }
            (Some("suite"), Some("ok" | "failed")) => suite_ended = true,
            _ => {}
        }
    }
    if !suite_ended {
        bail!("the example tests ended without a summary (did the test binary crash?)");
    }
    Ok(results)
}

pub fn print_unaccounted(report: &Report) {
    let missing: Vec<&str> = report
        .pages
        .iter()
        .filter(|p| !p.accounted_for)
        .map(|p| p.file.as_str())
        .collect();
    if !missing.is_empty() {
        println!(
            "pages neither used nor explained by a finding ({}):",
            missing.len()
        );
        for file in missing {
            println!("  {file}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_events_give_each_test_its_outcome() {
        let events = r#"{ "type": "suite", "event": "started", "test_count": 3 }
{ "type": "test", "event": "started", "name": "mail::get_message_example" }
{ "type": "test", "name": "mail::get_message_example", "event": "ok" }
{ "type": "test", "name": "files::get_item_example", "event": "failed", "stdout": "thread 'files::get_item_example' panicked at tests/examples.rs:2:39:\nresponse body does not deserialize: x\n" }
{ "type": "test", "name": "files::list_example", "event": "failed", "stdout": "assertion `left == right` failed\n" }
{ "type": "suite", "event": "failed", "passed": 1, "failed": 2, "ignored": 0, "measured": 0, "filtered_out": 0, "exec_time": 0.08 }"#;
        let results = read_test_events(events).unwrap();
        assert_eq!(results.len(), 3);
        assert_eq!(results["get_message_example"], TestOutcome::Passed);
        assert_eq!(results["get_item_example"], TestOutcome::NotDeserialized);
        assert_eq!(results["list_example"], TestOutcome::Failed);
    }

    #[test]
    fn a_test_binary_that_stops_without_a_summary_is_an_error() {
        let events = r#"{ "type": "suite", "event": "started", "test_count": 3 }
{ "type": "test", "name": "mail::get_message_example", "event": "ok" }"#;
        assert!(read_test_events(events).is_err());
    }

    #[test]
    fn build_messages_give_the_test_binary_and_the_warnings() {
        let messages = r#"{"reason":"compiler-message","package_id":"x","manifest_path":"m","target":{"kind":["lib"],"name":"x"},"message":{"rendered":"warning: unused import\n","level":"warning"}}
{"reason":"compiler-artifact","package_id":"x","target":{"kind":["test"],"crate_types":["bin"],"name":"examples"},"executable":"/t/debug/deps/examples-1234"}
{"reason":"build-finished","success":true}"#;
        let built = read_build_messages(messages);
        assert_eq!(
            built.examples.as_deref(),
            Some(Path::new("/t/debug/deps/examples-1234"))
        );
        assert_eq!(built.warnings, ["warning: unused import\n"]);
        assert!(built.errors.is_empty());
    }
}
