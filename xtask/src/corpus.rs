//! `cargo xtask corpus`: the generator held to a whole docs tree. Generates a standalone
//! crate under target/corpus/, builds it and runs its example tests with cargo, and
//! merges their outcomes into the report.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use generator::emit::Options;
use generator::output::Mode;
use generator::report::{Report, TestOutcome, TestResults};

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
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(crate_dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .context("running cargo test --no-run on the generated crate")?;
    let build_log = String::from_utf8_lossy(&build.stderr);
    let warnings = build_log
        .lines()
        .filter(|l| l.contains(": warning:") || l.starts_with("warning:"))
        .count();
    eprintln!(
        "built in {:.1?}: {} warning line(s)",
        started.elapsed(),
        warnings
    );
    if !build.status.success() {
        eprintln!("{build_log}");
        bail!("the generated crate does not build");
    }

    let started = Instant::now();
    let test = Command::new(&cargo)
        .args(["test", "--no-fail-fast", "--manifest-path"])
        .arg(crate_dir.join("Cargo.toml"))
        .args(["--test", "examples", "--", "--test-threads=2"])
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .context("running the generated crate's tests")?;
    let output = String::from_utf8_lossy(&test.stdout);
    std::fs::write(scratch.join("test-output.txt"), output.as_bytes())?;
    let results = parse_test_output(&output);
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
        eprintln!("test output: {}", scratch.join("test-output.txt").display());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// libtest's output: `test name ... ok|FAILED`, then each failure's output after
/// `---- name stdout ----`; a failure that says "does not deserialize" failed at
/// deserialization.
fn parse_test_output(stdout: &str) -> TestResults {
    // Tests are in a module per area (`area::name`); the report knows them by name.
    let name_of = |path: &str| path.rsplit("::").next().unwrap_or(path).to_owned();
    let mut results: TestResults = HashMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            results.insert(name_of(name), TestOutcome::Passed);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            results.insert(name_of(name), TestOutcome::Failed);
        }
    }
    let mut current = None;
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            current = Some(name_of(name));
        } else if (line.contains("does not deserialize") || line.contains("Err` value: Decode {"))
            && let Some(name) = &current
        {
            results.insert(name.clone(), TestOutcome::NotDeserialized);
        }
    }
    results
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
