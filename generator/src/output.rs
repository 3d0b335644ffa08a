//! Puts generated files on disk, or checks that they are there. The only code that
//! writes, and it writes only what changed and removes only files carrying our marker.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::emit::{File, GENERATED_MARKER};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    /// Write nothing; report what differs.
    Check,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Missing { path: String },
    Stale { path: String, diff: String },
    Extra { path: String },
}

impl Drift {
    pub fn path(&self) -> &str {
        match self {
            Drift::Missing { path } | Drift::Stale { path, .. } | Drift::Extra { path } => path,
        }
    }
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub written: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// In check mode, what differs from what would be generated.
    pub drift: Vec<Drift>,
    /// Files that would be replaced or removed but lack the generated marker: left alone.
    pub refused: Vec<String>,
}

fn is_generated(contents: &str) -> bool {
    contents
        .lines()
        .take(3)
        .any(|line| line.contains(GENERATED_MARKER))
}

/// What happened to one file.
pub enum Action {
    Unchanged,
    Refused,
    Written,
    Drift(Drift),
}

/// Makes `out` hold exactly `files` among the generated files. Files are compared and
/// written in parallel.
pub fn sync(out: &Path, files: &[File], mode: Mode) -> io::Result<Outcome> {
    let actions: Vec<(String, Action)> = files
        .par_iter()
        .map(|file| sync_file(out, file, mode).map(|action| (file.path.clone(), action)))
        .collect::<io::Result<_>>()?;
    let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    finish(out, &paths, actions, mode)
}

/// Tallies what happened to each file, and removes (or, checking, reports) generated
/// files that are not among `paths`.
pub fn finish(
    out: &Path,
    paths: &[&str],
    actions: Vec<(String, Action)>,
    mode: Mode,
) -> io::Result<Outcome> {
    let mut outcome = Outcome::default();
    for (path, action) in actions {
        match action {
            Action::Unchanged => outcome.unchanged += 1,
            Action::Refused => outcome.refused.push(path),
            Action::Written => outcome.written.push(path),
            Action::Drift(drift) => outcome.drift.push(drift),
        }
    }
    let produced: std::collections::HashSet<&str> = paths.iter().copied().collect();
    for path in generated_files(out)? {
        let relative = relative(out, &path);
        if produced.contains(relative.as_str()) {
            continue;
        }
        match mode {
            Mode::Check => outcome.drift.push(Drift::Extra { path: relative }),
            Mode::Write => {
                fs::remove_file(&path)?;
                outcome.removed.push(relative);
            }
        }
    }
    Ok(outcome)
}

/// `out/path`, provided no folder or file on the way is a symbolic link: a link in the
/// output folder could send a write anywhere.
fn inside(out: &Path, path: &str) -> io::Result<PathBuf> {
    let mut target = out.to_path_buf();
    for part in path.split('/') {
        if part.is_empty() || part == "." || part == ".." {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write `{path}`: not a plain relative path"),
            ));
        }
        target.push(part);
        if fs::symlink_metadata(&target).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "refusing to write through the symbolic link {}",
                    target.display()
                ),
            ));
        }
    }
    Ok(target)
}

/// Compares one file with the disk and, writing, replaces it if it differs.
pub fn sync_file(out: &Path, file: &File, mode: Mode) -> io::Result<Action> {
    let target = inside(out, &file.path)?;
    let existing = match fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let path = file.path.clone();
    Ok(match (existing, mode) {
        (Some(current), _) if current == file.contents.as_bytes() => Action::Unchanged,
        (Some(current), _)
            if !is_generated(&String::from_utf8_lossy(&current[..current.len().min(512)])) =>
        {
            Action::Refused
        }
        (Some(current), Mode::Check) => {
            let diff = diff(
                &String::from_utf8_lossy(&current),
                &file.contents,
                &file.path,
            );
            Action::Drift(Drift::Stale { path, diff })
        }
        (None, Mode::Check) => Action::Drift(Drift::Missing { path }),
        (_, Mode::Write) => {
            write_atomically(&target, &file.contents)?;
            Action::Written
        }
    })
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Files under `root` (not following symlinks, skipping `target` and hidden folders)
/// that carry the generated marker, and our interrupted runs' temporary files.
fn generated_files(root: &Path) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let kind = entry.file_type()?;
            if kind.is_dir() && !name.starts_with('.') && name != "target" {
                pending.push(entry.path());
            } else if kind.is_file() && (is_temporary(&name) || starts_generated(&entry.path())) {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A temporary file of [`write_atomically`] (`.name.tmp<pid>`) that an interrupted run
/// left, perhaps before it wrote the marker.
fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp")
            .is_some_and(|(_, pid)| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the file's first bytes carry the generated marker (only those are read).
fn starts_generated(path: &Path) -> bool {
    let mut head = [0u8; 512];
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    is_generated(&String::from_utf8_lossy(&head[..filled]))
}

/// Writes to a temporary file beside the target and renames it over the target, so a
/// reader (or an interrupted run) sees the old file or the new one, never half of one.
fn write_atomically(target: &Path, contents: &str) -> io::Result<()> {
    if let Some(parent) = target.parent() {
        fs::create_dir_all(parent)?;
    }
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = target.with_file_name(format!(".{file_name}.tmp{}", std::process::id()));
    let mut file = fs::File::create(&temporary)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&temporary, target)
}

/// A unified diff, old (on disk) to new (generated).
pub fn diff(old: &str, new: &str, path: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (on disk)"), &format!("{path} (generated)"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("generator-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn file(path: &str, body: &str) -> File {
        File {
            path: path.into(),
            contents: format!("// {GENERATED_MARKER}\n{body}"),
            input: String::new(),
        }
    }

    #[test]
    fn writes_only_changes_and_removes_only_generated_files() {
        let dir = scratch("sync");
        fs::write(dir.join("hand.rs"), "fn main() {}").unwrap();
        fs::write(dir.join("old.rs"), format!("// {GENERATED_MARKER}\n")).unwrap();
        let files = [file("src/a.rs", "a"), file("b.rs", "b")];

        let first = sync(&dir, &files, Mode::Write).unwrap();
        assert_eq!(first.written, ["src/a.rs", "b.rs"]);
        assert_eq!(first.removed, ["old.rs"]);
        assert!(dir.join("hand.rs").exists());

        let check = sync(&dir, &files, Mode::Check).unwrap();
        assert!(check.drift.is_empty());
        let second = sync(&dir, &files, Mode::Write).unwrap();
        assert_eq!((second.written.len(), second.unchanged), (0, 2));

        let changed = [file("src/a.rs", "A"), file("b.rs", "b")];
        let check = sync(&dir, &changed, Mode::Check).unwrap();
        assert!(
            matches!(&check.drift[..], [Drift::Stale { path, diff }] if path == "src/a.rs" && diff.contains("+A"))
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn hand_written_files_are_never_replaced() {
        let dir = scratch("refuse");
        fs::write(dir.join("b.rs"), "mine").unwrap();
        let outcome = sync(&dir, &[file("b.rs", "b")], Mode::Write).unwrap();
        assert_eq!(outcome.refused, ["b.rs"]);
        assert_eq!(fs::read_to_string(dir.join("b.rs")).unwrap(), "mine");
        fs::remove_dir_all(&dir).unwrap();
    }
}
