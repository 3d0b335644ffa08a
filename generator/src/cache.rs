//! Which generated file was made from which input, so that a rerun does not make again
//! what would come out the same. Kept outside the output folder (under `target/`), so
//! generated files stay free of bookkeeping; losing it only costs time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::File;
use std::hash::Hasher;

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
            content: content(&file.contents),
        }
    }
}

#[derive(Debug, Default)]
pub struct Cache {
    file: Option<PathBuf>,
    entries: BTreeMap<String, Entry>,
}

/// What a file held when it was written, to tell that nobody changed it since. Every
/// generated file is hashed on every run, so this is std's hasher (SipHash, several
/// times faster than the byte-wise FNV of `crate::fingerprint`): its values may change
/// with the Rust release, which only costs one run that makes every file again.
fn content(text: &str) -> String {
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(text.as_bytes());
    format!("{:016x}{:x}", hasher.finish(), text.len())
}

impl Cache {
    /// The cache kept in `file`; empty when there is none or it cannot be read.
    pub fn load(file: Option<&Path>) -> Cache {
        let entries = file
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Cache {
            file: file.map(Path::to_path_buf),
            entries,
        }
    }

    /// The text of `out/path` if it was made from `input` and has not changed since.
    pub fn reuse(&self, out: &Path, path: &str, input: &str) -> Option<String> {
        let entry = self.entries.get(path).filter(|e| e.input == input)?;
        let text = std::fs::read_to_string(out.join(path)).ok()?;
        (content(&text) == entry.content).then_some(text)
    }

    /// Remembers the files that are now on disk as made.
    pub fn record(&mut self, made: impl Iterator<Item = Made>) {
        self.entries = made
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

    /// Writes the cache; a failure only means the next run does more work.
    pub fn save(&self) {
        let Some(file) = &self.file else { return };
        let Ok(json) = serde_json::to_vec(&self.entries) else {
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
