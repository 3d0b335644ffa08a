//! Which generated file was made from which input, so that a rerun does not make again
//! what would come out the same; and what the last finished run read and reported, so
//! that a rerun over unchanged docs need not read them at all. Kept outside the output
//! folder (under `target/`), so generated files stay free of bookkeeping; losing it
//! only costs time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::fingerprint::of_text;
use crate::output::File;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Entry {
    input: String,
    /// Fingerprint of the file's text as it was made.
    content: String,
}

/// What the cache keeps of a file that was made: its path, input and text fingerprint.
#[derive(Debug, Clone)]
pub struct Made {
    pub path: String,
    input: String,
    content: String,
}

impl Made {
    pub fn of(file: &File) -> Made {
        Made {
            path: file.path.clone(),
            input: file.input.clone(),
            content: of_text(&file.contents),
        }
    }
}

/// A run that finished: the fingerprint of what it read (see `crate::inputs`) and
/// what it reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Run {
    inputs: String,
    notes: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    run: Option<Run>,
    files: BTreeMap<String, Entry>,
}

#[derive(Debug, Default)]
pub struct Cache {
    file: Option<PathBuf>,
    stored: Stored,
}

impl Cache {
    /// The cache kept in `file`; empty when there is none or it cannot be read.
    pub fn load(file: Option<&Path>) -> Cache {
        let stored = file
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Cache {
            file: file.map(Path::to_path_buf),
            stored,
        }
    }

    /// The text of `out/path` if it was made from `input` and has not changed since.
    pub fn reuse(&self, out: &Path, path: &str, input: &str) -> Option<String> {
        let entry = self.stored.files.get(path).filter(|e| e.input == input)?;
        let text = std::fs::read_to_string(out.join(path)).ok()?;
        (of_text(&text) == entry.content).then_some(text)
    }

    /// Remembers the files that are now on disk as made; the run is not finished yet.
    pub fn record(&mut self, made: impl Iterator<Item = Made>) {
        self.stored.run = None;
        self.stored.files = made
            .map(|m| {
                (
                    m.path,
                    Entry {
                        input: m.input,
                        content: m.content,
                    },
                )
            })
            .collect();
    }

    /// Remembers that the run that read `inputs` finished, and what it reported.
    pub fn finish_run(&mut self, inputs: &str, notes: &str) {
        self.stored.run = Some(Run {
            inputs: inputs.to_owned(),
            notes: notes.to_owned(),
        });
    }

    /// What the last finished run reported, if it read `inputs` and `out` holds just
    /// the files it made, as it made them: then a run now would make the same.
    pub fn fresh(&self, out: &Path, inputs: &str) -> Option<&str> {
        let run = self
            .stored
            .run
            .as_ref()
            .filter(|run| run.inputs == inputs)?;
        let files = &self.stored.files;
        let on_disk = crate::output::generated_paths(out).ok()?;
        if on_disk.len() != files.len() || on_disk.iter().any(|p| !files.contains_key(p)) {
            return None;
        }
        let unchanged = files.par_iter().all(|(path, entry)| {
            std::fs::read_to_string(out.join(path))
                .is_ok_and(|text| of_text(&text) == entry.content)
        });
        unchanged.then_some(run.notes.as_str())
    }

    /// Writes the cache; a failure only means the next run does more work.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(json) = serde_json::to_vec(&self.stored) else {
            return;
        };
        if let Some(dir) = file.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let temporary = file.with_extension(format!("tmp{}", std::process::id()));
        if std::fs::write(&temporary, json).is_ok() {
            let _ = std::fs::rename(&temporary, file);
        }
    }
}
