//! Reads API reference pages (Markdown) and writes a typed Rust client crate.
//!
//! The pipeline is `parse` (one page to a [`parse::Page`]) → `model` (all pages to a
//! resolved [`model::Model`]) → `emit` (the model to files), and `output` puts those files
//! on disk or checks them.

pub mod diagnostics;
pub mod emit;
pub mod json;
pub mod model;
pub mod output;
pub mod parse;
pub mod report;

use std::path::{Path, PathBuf};

use diagnostics::{Diagnostic, Diagnostics, Source, codes};

/// What stops a run: the docs or the output folder cannot be read or written, or the
/// emitted code does not parse (a generator bug, reported rather than written).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("emitted code does not parse (a generator bug): {0}")]
    Emit(#[from] syn::Error),
}

/// The docs read and understood.
pub struct Understood {
    pub pages: Vec<parse::Page>,
    pub model: model::Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads every `.md` page under `docs` and builds the model.
pub fn understand(docs: &Path) -> Result<Understood, Error> {
    let mut diagnostics = Diagnostics::default();
    let files = markdown_files(docs)?;
    let mut pages = Vec::with_capacity(files.len());
    for (relative, path) in &files {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.warn(
                    Source::new(relative, 1, 0),
                    codes::FRONT_MATTER,
                    format!(
                        "page is not valid UTF-8 (at byte {})",
                        error.utf8_error().valid_up_to()
                    ),
                    "save the page as UTF-8; invalid bytes were replaced",
                );
                String::from_utf8_lossy(error.as_bytes()).into_owned()
            }
        };
        pages.push(parse::page(relative, &text, &mut diagnostics));
    }
    let model = model::build(&mut pages, &mut diagnostics);
    Ok(Understood {
        pages,
        model,
        diagnostics: diagnostics.into_sorted(),
    })
}

/// Regenerates (or, in check mode, compares) the crate in `out` from the docs in `docs`.
pub fn codegen(
    docs: &Path,
    out: &Path,
    mode: output::Mode,
    options: emit::Options,
) -> Result<(Understood, output::Outcome), Error> {
    let understood = understand(docs)?;
    let files = emit::emit(&understood.model, options)?;
    let outcome = output::sync(out, &files, mode).map_err(|source| Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    Ok((understood, outcome))
}

/// `.md` files under `root` as (path relative to root with `/`, full path), sorted.
/// Symlinks are not followed, so a link loop cannot trap the walk.
fn markdown_files(root: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
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
            let name = entry.file_name().to_string_lossy().into_owned();
            if kind.is_dir() && !name.starts_with('.') {
                pending.push(path);
            } else if kind.is_file() && name.ends_with(".md") {
                let relative = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((relative, path));
            }
        }
    }
    found.sort();
    Ok(found)
}
