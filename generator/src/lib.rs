//! Reads API reference pages (Markdown) and writes a typed Rust client crate.
//!
//! The pipeline is `parse` (one page to a [`parse::Page`]) → `model` (all pages to a
//! resolved [`model::Model`]) → `emit` (the model to files), and `output` puts those files
//! on disk or checks them.

pub mod cache;
pub mod diagnostics;
pub mod emit;
pub mod fingerprint;
pub mod json;
pub mod lint;
pub mod model;
pub mod output;
pub mod parse;
pub mod report;
/// The generated crate's `src/wire.rs`, compiled here to check examples with it.
#[path = "../runtime/wire.rs"]
pub mod wire;

/// The README's Rust blocks, compiled and run as doctests so that none goes stale.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

use std::hash::Hasher as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use diagnostics::{Code, Diagnostic, Diagnostics, Source};

/// What stops a run: the docs or the output folder cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The docs read and understood.
pub struct Understood {
    pub pages: Vec<parse::Page>,
    pub model: model::Model,
    pub diagnostics: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Wall-clock time of each phase of a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timings {
    /// Reading and parsing every page (in parallel).
    pub parse: Duration,
    /// Resolving pages into the model.
    pub model: Duration,
    /// Emitting and printing the files (in parallel).
    pub emit: Duration,
    /// Comparing with, and writing to, the output folder.
    pub write: Duration,
}

/// A page's text: bytes that are not UTF-8 are replaced, and reported.
fn page_text(relative: &str, bytes: Vec<u8>, diagnostics: &mut Diagnostics) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            diagnostics.report(
                Source::new(relative, 1, 0),
                Code::FrontMatter,
                format!(
                    "page is not valid UTF-8 (at byte {})",
                    error.utf8_error().valid_up_to()
                ),
                "save the page as UTF-8; invalid bytes were replaced",
            );
            String::from_utf8_lossy(error.as_bytes()).into_owned()
        }
    }
}

/// Reads every `.md` page under `docs` and builds the model.
pub fn understand(docs: &Path) -> Result<Understood, Error> {
    let started = Instant::now();
    let mut walk = Diagnostics::default();
    let files = markdown_files(docs, &mut walk)?;
    let read: Vec<(parse::Page, Diagnostics)> = files
        .par_iter()
        .map(|(relative, path)| {
            let bytes = std::fs::read(path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            let mut diagnostics = Diagnostics::default();
            let text = page_text(relative, bytes, &mut diagnostics);
            let mut page = parse::page(relative, &text, &mut diagnostics);
            let load = |target: &str| std::fs::read_to_string(docs.join(target)).ok();
            parse::include_fragments(&mut page, load, &mut diagnostics);
            Ok((page, diagnostics))
        })
        .collect::<Result<_, Error>>()?;
    // A configuration that does not read is `cargo xtask lint`'s error to report.
    let links = lint::Config::load(docs)
        .map(|c| c.links)
        .unwrap_or_default();
    Ok(build(read, walk, started, &links))
}

/// Builds the model from pages given as (path relative to the docs root, bytes): for
/// tests and for tools that hold docs in memory.
pub fn understand_pages(pages: &[(&str, &[u8])]) -> Understood {
    let started = Instant::now();
    let load = |target: &str| {
        let (_, bytes) = pages.iter().find(|(relative, _)| *relative == target)?;
        String::from_utf8(bytes.to_vec()).ok()
    };
    let read = pages
        .par_iter()
        .filter(|(relative, _)| !parse::is_fragment(relative))
        .map(|(relative, bytes)| {
            let mut diagnostics = Diagnostics::default();
            let text = page_text(relative, bytes.to_vec(), &mut diagnostics);
            let mut page = parse::page(relative, &text, &mut diagnostics);
            parse::include_fragments(&mut page, load, &mut diagnostics);
            (page, diagnostics)
        })
        .collect();
    build(read, Diagnostics::default(), started, &Default::default())
}

fn build(
    read: Vec<(parse::Page, Diagnostics)>,
    mut diagnostics: Diagnostics,
    started: Instant,
    links: &std::collections::BTreeMap<String, String>,
) -> Understood {
    let mut pages = Vec::with_capacity(read.len());
    for (page, found) in read {
        pages.push(page);
        diagnostics.extend(found);
    }
    let parse = started.elapsed();
    let started = Instant::now();
    let mut model = model::build(&mut pages, &mut diagnostics);
    model::web::link(&mut model, links);
    let timings = Timings {
        parse,
        model: started.elapsed(),
        ..Timings::default()
    };
    Understood {
        pages,
        model,
        diagnostics: diagnostics.into_sorted(),
        timings,
    }
}

/// Regenerates (or, in check mode, compares) the crate in `out` from the docs in `docs`.
/// `cache` (a file, usually under `target/`) remembers what each generated file was made
/// from, so that an unchanged part of the model is not emitted again.
pub fn codegen(
    docs: &Path,
    out: &Path,
    mode: output::Mode,
    options: emit::Options,
    cache: Option<&Path>,
) -> Result<(Understood, output::Outcome), Error> {
    let read = cache.map(|_| inputs(docs, options)).transpose()?;
    let mut understood = understand(docs)?;
    let outcome = write_crate(&mut understood, out, mode, options, cache)?;
    if let (Some(cache), Some(read)) = (cache, read) {
        finish_run(&outcome, cache, &read, "");
    }
    Ok((understood, outcome))
}

/// A fingerprint of everything a run reads and of how it runs: every file under `docs`
/// (pages, fragments, `docgen.toml`, a baseline), the generator itself and the options.
/// Taken before the run, so that a page edited during it makes the next run read again.
pub fn inputs(docs: &Path, options: emit::Options) -> Result<String, Error> {
    let files = files_under(docs)?;
    let hashes: Vec<u64> = files
        .par_iter()
        .map(|(relative, path)| {
            let mut hasher = fingerprint::hasher();
            hasher.write(relative.as_bytes());
            match path {
                Some(path) => hasher.write(&std::fs::read(path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?),
                None => hasher.write(b"a symbolic link"),
            }
            Ok(hasher.finish())
        })
        .collect::<Result<_, Error>>()?;
    let mut hasher = fingerprint::hasher();
    hasher.write(env!("GENERATOR_FINGERPRINT").as_bytes());
    hasher.write_u8(u8::from(options.standalone));
    hashes.iter().for_each(|&hash| hasher.write_u64(hash));
    Ok(format!("{:016x}{:x}", hasher.finish(), files.len()))
}

/// What the last finished run reported, when `out` is what a run over docs that read
/// as `inputs` makes: the docs, the generator and the options are as that run found
/// them, and `out` holds just the files it made, unchanged. Nothing needs reading or
/// making; the caller shows the report again.
pub fn up_to_date(out: &Path, cache: &Path, inputs: &str) -> Option<String> {
    cache::Cache::load(Some(cache))
        .fresh(out, inputs)
        .map(str::to_owned)
}

/// Remembers that the run that read `inputs` left `out` as it should be (nothing
/// drifted or refused), and what it reported (`notes`), for [`up_to_date`].
pub fn finish_run(outcome: &output::Outcome, cache: &Path, inputs: &str, notes: &str) {
    if outcome.drift.is_empty() && outcome.refused.is_empty() {
        let mut remembered = cache::Cache::load(Some(cache));
        remembered.finish_run(inputs, notes);
        remembered.save();
    }
}

/// The second half of [`codegen`], for callers that read the docs themselves (and may
/// free the parsed pages first: the crate is made from the model alone).
pub fn write_crate(
    understood: &mut Understood,
    out: &Path,
    mode: output::Mode,
    options: emit::Options,
    cache: Option<&Path>,
) -> Result<output::Outcome, Error> {
    let started = Instant::now();
    let mut cache = cache::Cache::load(cache);
    let reuse = |path: &str, input: &str| cache.reuse(out, path, input);
    let jobs = emit::jobs(&understood.model, options);
    // Each file is made, compared and written in one go, in parallel, so that only the
    // files in flight are held in memory. A file a task: the largest take a tenth of
    // the time each, and a range of them left to one thread kept the other idle.
    let done: Vec<(output::Action, cache::Made)> = jobs
        .par_iter()
        .with_max_len(1)
        .map(|job| {
            let file = job.file(&reuse);
            let action = output::sync_file(out, &file, mode).map_err(|source| Error::Io {
                path: out.join(&file.path),
                source,
            })?;
            Ok((action, cache::Made::of(&file)))
        })
        .collect::<Result<_, Error>>()?;
    let emit_time = started.elapsed();
    let started = Instant::now();
    let paths: Vec<String> = jobs.iter().map(|j| j.path.clone()).collect();
    drop(jobs);
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let mut made = Vec::with_capacity(done.len());
    let mut actions = Vec::with_capacity(done.len());
    for (action, entry) in done {
        actions.push((entry.path.clone(), action));
        made.push(entry);
    }
    let outcome = output::finish(out, &paths, actions, mode).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    understood.timings.emit = emit_time;
    understood.timings.write = started.elapsed();
    // What is on disk now matches what was made, but for drift (check mode) and refusals.
    let differs: std::collections::HashSet<&str> = outcome
        .drift
        .iter()
        .map(output::Drift::path)
        .chain(outcome.refused.iter().map(String::as_str))
        .collect();
    cache.record(
        made.into_iter()
            .filter(|m| !differs.contains(m.path.as_str())),
    );
    cache.save();
    Ok(outcome)
}

/// Every file under `root` as (path relative to root with `/`, its full path, or none
/// for a symbolic link, which is not followed), sorted; hidden folders left out. What a
/// run reads (`markdown_files`) and what its fingerprint covers (`inputs`) walk alike.
fn files_under(root: &Path) -> Result<Vec<(String, Option<PathBuf>)>, Error> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let path = entry.path();
            let kind = entry.file_type().map_err(io(&path))?;
            let relative = output::relative(root, &path);
            if kind.is_symlink() {
                found.push((relative, None));
            } else if kind.is_dir() {
                if !entry.file_name().to_string_lossy().starts_with('.') {
                    pending.push(path);
                }
            } else if kind.is_file() {
                found.push((relative, Some(path)));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `.md` files under `root` as (path relative to root with `/`, full path), sorted.
/// Symbolic links are reported, not followed, so a link loop cannot trap the walk and a
/// link cannot pull in files from elsewhere.
fn markdown_files(
    root: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut found = Vec::new();
    for (relative, path) in files_under(root)? {
        match path {
            None => diagnostics.report(
                Source::new(&relative, 1, 0),
                Code::Symlink,
                "symbolic link in the docs is not followed",
                "put the pages themselves in the docs folder",
            ),
            // Fragments are read where they are included.
            Some(path) if relative.ends_with(".md") && !parse::is_fragment(&relative) => {
                found.push((relative, path));
            }
            Some(_) => {}
        }
    }
    Ok(found)
}
