//! `cargo xtask <task>`: the project's commands. Paths default to this workspace's
//! folders, found from this crate's manifest, never from the current directory.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use generator::emit::Options;
use generator::output::{Drift, Mode};
use generator::report::Report;

#[derive(Parser)]
#[command(about = "Generate a typed Rust client from API reference docs")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate the crate from the docs (by default generated/ from docs-input/).
    Codegen {
        /// Write nothing; fail listing every stale, missing or extra generated file.
        #[arg(long)]
        check: bool,
        #[arg(long)]
        docs: Option<PathBuf>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Print the model understood from the docs, as JSON.
    Model {
        #[arg(long)]
        docs: Option<PathBuf>,
    },
    /// Print what was made of each page, and totals, without building anything.
    Report {
        #[arg(long)]
        docs: Option<PathBuf>,
        /// Every page's row and the totals, as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Generate a crate from a whole docs tree into target/corpus/, build it, run its
    /// example tests, and print the report with their outcomes.
    Corpus {
        /// By default the shared Graph beta corpus next to this project.
        #[arg(long)]
        docs: Option<PathBuf>,
        /// Also write the report, per page, as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    match try_main() {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn try_main() -> Result<ExitCode> {
    let root = workspace_root();
    let docs_or_input = |docs: Option<PathBuf>| docs.unwrap_or_else(|| root.join("docs-input"));
    match Cli::parse().task {
        Task::Codegen { check, docs, out } => {
            let out = out.unwrap_or_else(|| root.join("generated"));
            codegen(&docs_or_input(docs), &out, check)
        }
        Task::Model { docs } => {
            let understood = generator::understand(&docs_or_input(docs))?;
            print_findings(&understood.diagnostics);
            println!("{}", serde_json::to_string_pretty(&understood.model)?);
            Ok(ExitCode::SUCCESS)
        }
        Task::Report { docs, json } => {
            let understood = generator::understand(&docs_or_input(docs))?;
            let report = Report::new(
                &understood.pages,
                &understood.model,
                &understood.diagnostics,
                None,
            );
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", report.summary());
                corpus::print_unaccounted(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        Task::Corpus { docs, json } => {
            let docs = docs.unwrap_or_else(|| root.join("../shared/corpus/graph-docs-beta-2021"));
            corpus::run(&root, &docs, json.as_deref())
        }
    }
}

fn print_findings(diagnostics: &[generator::diagnostics::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}

fn codegen(docs: &Path, out: &Path, check: bool) -> Result<ExitCode> {
    let mode = if check { Mode::Check } else { Mode::Write };
    let (understood, outcome) = generator::codegen(docs, out, mode, Options::default())
        .with_context(|| format!("generating {} from {}", out.display(), docs.display()))?;
    print_findings(&understood.diagnostics);
    let report = Report::new(
        &understood.pages,
        &understood.model,
        &understood.diagnostics,
        None,
    );
    eprint!("{}", report.summary());
    for path in &outcome.refused {
        eprintln!(
            "warning: {} is not a generated file (no marker); left unchanged",
            out.join(path).display()
        );
    }
    if check {
        if outcome.drift.is_empty() {
            eprintln!("{} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        for drift in &outcome.drift {
            match drift {
                Drift::Missing { path } => eprintln!("missing: {path}"),
                Drift::Extra { path } => eprintln!("extra (no longer generated): {path}"),
                Drift::Stale { path, diff } => eprintln!("stale: {path}\n{diff}"),
            }
        }
        eprintln!(
            "error: {} generated file(s) differ from the docs: {}\nrun `cargo xtask codegen` to update them",
            outcome.drift.len(),
            outcome
                .drift
                .iter()
                .map(Drift::path)
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(ExitCode::FAILURE);
    }
    eprintln!(
        "wrote {} file(s), removed {}, {} unchanged",
        outcome.written.len(),
        outcome.removed.len(),
        outcome.unchanged
    );
    Ok(ExitCode::SUCCESS)
}
