//! `cargo xtask <task>`: the project's commands. Paths default to this workspace's
//! folders, found from this crate's manifest, never from the current directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use generator::output::{Drift, Mode};

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
    match Cli::parse().task {
        Task::Codegen { check, docs, out } => {
            let docs = docs.unwrap_or_else(|| root.join("docs-input"));
            let out = out.unwrap_or_else(|| root.join("generated"));
            codegen(&docs, &out, check)
        }
        Task::Model { docs } => {
            let docs = docs.unwrap_or_else(|| root.join("docs-input"));
            let understood = generator::understand(&docs)?;
            for diagnostic in &understood.diagnostics {
                eprintln!("{diagnostic}");
            }
            println!("{}", serde_json::to_string_pretty(&understood.model)?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn codegen(docs: &Path, out: &Path, check: bool) -> Result<ExitCode> {
    let mode = if check { Mode::Check } else { Mode::Write };
    let (understood, outcome) = generator::codegen(docs, out, mode)
        .with_context(|| format!("generating {} from {}", out.display(), docs.display()))?;
    for diagnostic in &understood.diagnostics {
        eprintln!("{diagnostic}");
    }
    let model = &understood.model;
    let examples: usize = model.operations.iter().map(|op| op.examples.len()).sum();
    eprintln!(
        "{} pages: {} operations, {} types, {} enums, {} example tests; {} findings",
        understood.pages,
        model.operations.len(),
        model.types.len(),
        model.enums.len(),
        examples,
        understood.diagnostics.len()
    );
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
