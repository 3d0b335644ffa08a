//! `cargo xtask <task>`: the project's commands. Paths default to this workspace's
//! folders, found from the manifest cargo runs us for, never from the current directory.

mod bench;

mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Codegen allocates and frees millions of small token trees, strings and vectors on two
/// threads; glibc's allocator spent a quarter of a cold run in them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use generator::diagnostics::Severity;
use generator::emit::Options;
use generator::lint;
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
    /// Report every finding in the docs, located to the line and column.
    Lint {
        #[arg(long)]
        docs: Option<PathBuf>,
        /// `human` (annotated source) or `json` (one object per line).
        #[arg(long, value_enum, default_value = "human")]
        message_format: MessageFormat,
        /// `github`: GitHub Actions annotations instead.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// `--deny warnings`: fail on any warning, not only on errors.
        #[arg(long, value_enum)]
        deny: Option<Deny>,
        /// Accept every current finding: write them to the baseline file.
        #[arg(long)]
        write_baseline: bool,
    },
    /// Time codegen on a docs tree (by default the shared corpus) against the floor of
    /// reading and Markdown-parsing it; also peak memory and `cargo check` times.
    Bench {
        #[arg(long)]
        docs: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Areas whose features are checked and built alone (repeat the option).
        #[arg(long = "area", default_values = ["outlook", "sites_and_lists", "users"])]
        areas: Vec<String>,
        /// Leave out the cargo check and build timings of the generated crate (they take minutes).
        #[arg(long)]
        no_cargo_check: bool,
    },
    /// Runs a command and prints its wall time and the peak resident memory of the
    /// largest process in it (for `bench`: rustc's, under cargo).
    #[command(hide = true)]
    Measure {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
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

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Github,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Deny {
    Warnings,
}

/// The shared Graph beta corpus, relative to the workspace root: what `corpus` and
/// `bench` read by default.
const SHARED_CORPUS: &str = "../shared/corpus/graph-docs-beta-2021";

/// The workspace `cargo xtask` was run in: the parent of the manifest cargo names when it
/// runs us. The path compiled in is only the fallback (a binary run by hand), because
/// two clones sharing a target dir share one xtask binary, and it would send the second
/// clone's commands to the first clone's files.
fn workspace_root() -> PathBuf {
    let compiled = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        // Another package's manifest (we were started by something cargo ran) is not ours.
        .filter(|dir| dir.file_name() == compiled.file_name())
        .unwrap_or_else(|| compiled.to_path_buf());
    manifest
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
        Task::Lint {
            docs,
            message_format,
            format,
            deny,
            write_baseline,
        } => {
            let docs = docs_or_input(docs);
            lint(
                &docs,
                message_format,
                format,
                deny.is_some(),
                write_baseline,
            )
        }
        Task::Bench {
            docs,
            runs,
            areas,
            no_cargo_check,
        } => {
            let docs = docs.unwrap_or_else(|| root.join(SHARED_CORPUS));
            let areas = if no_cargo_check {
                None
            } else {
                Some(&areas[..])
            };
            bench::run(&root, &docs, runs.max(1), areas)?;
            Ok(ExitCode::SUCCESS)
        }
        Task::Measure { command } => bench::measure(&command),
        Task::Corpus { docs, json } => {
            let docs = docs.unwrap_or_else(|| root.join(SHARED_CORPUS));
            corpus::run(&root, &docs, json.as_deref())
        }
    }
}

/// Where codegen remembers what each file in `out` was made from: under this workspace's
/// target/, one file per output folder.
fn cache_file(out: &Path) -> PathBuf {
    let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let key = generator::fingerprint::Fnv::default()
        .part(&out.to_string_lossy())
        .hex();
    workspace_root()
        .join("target/codegen-cache")
        .join(format!("{key}.json"))
}

/// This process's peak resident memory, from /proc (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_owned()))
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn print_findings(diagnostics: &[generator::diagnostics::Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{diagnostic}");
    }
}

/// The docs' configuration and baseline, and the path of the baseline file.
fn lint_setup(docs: &Path) -> Result<(lint::Config, lint::Baseline, PathBuf)> {
    let config = lint::Config::load(docs).map_err(anyhow::Error::msg)?;
    let path = docs.join(config.baseline.as_deref().unwrap_or("docgen-baseline.json"));
    let baseline = lint::Baseline::load(&path).map_err(anyhow::Error::msg)?;
    Ok((config, baseline, path))
}

fn lint(
    docs: &Path,
    message_format: MessageFormat,
    format: Option<Format>,
    deny_warnings: bool,
    write_baseline: bool,
) -> Result<ExitCode> {
    let understood = generator::understand(docs)?;
    let (config, baseline, baseline_path) = lint_setup(docs)?;
    let mut sources = lint::Sources::new(docs);
    let findings = lint::findings(&understood.diagnostics, &config, &baseline, &mut sources);
    if write_baseline {
        let accepted = lint::baseline_of(&findings);
        std::fs::write(
            &baseline_path,
            serde_json::to_string_pretty(&accepted)? + "\n",
        )?;
        eprintln!(
            "{} finding(s) accepted in {}",
            accepted.findings.len(),
            baseline_path.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let docs_prefix = docs
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .map(|p| format!("{}/", p.display()))
        .unwrap_or_default();
    let new: Vec<&lint::Finding> = findings.iter().filter(|f| !f.baselined).collect();
    for finding in &new {
        match (format, message_format) {
            (Some(Format::Github), _) => println!("{}", lint::render_github(finding, &docs_prefix)),
            (None, MessageFormat::Json) => println!("{}", lint::render_json(finding)),
            (None, MessageFormat::Human) => {
                println!("{}\n", lint::render_human(finding, &mut sources))
            }
        }
    }
    eprint!("{}", lint::summary(&findings));
    let failing = new
        .iter()
        .any(|f| f.level == Severity::Error || (deny_warnings && f.level == Severity::Warning));
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn codegen(docs: &Path, out: &Path, check: bool) -> Result<ExitCode> {
    let mode = if check { Mode::Check } else { Mode::Write };
    let cache = cache_file(out);
    let inputs = generator::inputs(docs, Options::default())
        .with_context(|| format!("reading {}", docs.display()))?;
    // Nothing it is made from changed, nor the output: the last run's report stands.
    if let Some(notes) = generator::up_to_date(out, &cache, &inputs) {
        eprint!("{notes}");
        eprintln!(
            "{} is up to date: the docs, the generator and the output are as the last run left them",
            out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut understood =
        generator::understand(docs).with_context(|| format!("reading {}", docs.display()))?;
    // The same findings as `cargo xtask lint`, one line each.
    let (config, baseline, _) = lint_setup(docs)?;
    let findings = lint::findings(
        &understood.diagnostics,
        &config,
        &baseline,
        &mut lint::Sources::new(docs),
    );
    // What this run reports, shown again by a rerun that finds nothing changed.
    let mut notes = String::new();
    for finding in findings.iter().filter(|f| !f.baselined) {
        let mut diagnostic = finding.diagnostic.clone();
        diagnostic.severity = finding.level;
        notes.push_str(&format!("{diagnostic}\n"));
    }
    eprint!("{notes}");
    let report = Report::new(
        &understood.pages,
        &understood.model,
        &understood.diagnostics,
        None,
    );
    // The crate is made from the model alone: the pages can go.
    understood.pages = Vec::new();
    let outcome =
        generator::write_crate(&mut understood, out, mode, Options::default(), Some(&cache))
            .with_context(|| format!("generating {} from {}", out.display(), docs.display()))?;
    eprint!("{}", report.summary());
    notes.push_str(&report.summary());
    generator::finish_run(&outcome, &cache, &inputs, &notes);
    let t = understood.timings;
    eprintln!(
        "time: parse {:.2?}, model {:.2?}, emit {:.2?}, write {:.2?}",
        t.parse, t.model, t.emit, t.write
    );
    for path in &outcome.refused {
        eprintln!(
            "warning: {} is not a generated file (no marker); left unchanged",
            out.join(path).display()
        );
    }
    if check {
        if outcome.drift.is_empty() && outcome.refused.is_empty() {
            eprintln!("{} is up to date", out.display());
            return Ok(ExitCode::SUCCESS);
        }
        // A generated file someone took the marker from is not rewritten, but it is
        // not what the docs make either.
        if outcome.drift.is_empty() {
            eprintln!(
                "error: {} file(s) where the docs make a generated file have no marker: {}
restore the generated files (delete them and run `cargo xtask codegen`)",
                outcome.refused.len(),
                outcome.refused.join(", ")
            );
            return Ok(ExitCode::FAILURE);
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
    // Freeing the model takes a tenth of a run; the process is about to end.
    std::mem::forget(understood);
    if std::env::var_os("XTASK_PEAK_MEMORY").is_some() {
        eprintln!("peak memory: {}", peak_memory());
    }
    eprintln!(
        "wrote {} file(s), removed {}, {} unchanged",
        outcome.written.len(),
        outcome.removed.len(),
        outcome.unchanged
    );
    Ok(ExitCode::SUCCESS)
}
