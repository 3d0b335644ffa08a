//! Codegen killed (SIGKILL) at random moments while it rewrites a tree: every file is
//! left either as it was or as it should become, never cut short, and the next run
//! repairs the tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

/// A docs tree big enough that writing its crate takes a while: `types` resource pages
/// whose properties are typed `ty`, and an operation page for each.
fn docs(dir: &Path, types: usize, ty: &str) {
    for folder in ["api", "resources"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    for i in 0..types {
        let mut rows = String::new();
        for p in 0..40 {
            rows.push_str(&format!("|property{p}|{ty}|Property {p} of thing {i}.|\n"));
        }
        let resource = format!(
            "---\ntitle: \"thing{i} resource type\"\ndescription: \"Thing {i}.\"\ndoc_type: resourcePageType\nms.prod: \"area{}\"\n---\n# thing{i} resource type\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}",
            i % 7
        );
        std::fs::write(dir.join(format!("resources/thing{i}.md")), resource).unwrap();
        let api = format!(
            "---\ntitle: \"Get thing{i}\"\ndescription: \"Get it.\"\ndoc_type: apiPageType\nms.prod: \"area{}\"\n---\n# Get thing{i}\n\n## HTTP request\n```http\nGET /things{i}/{{id}}\n```\n\n## Response\nReturns `200 OK` and a [thing{i}](../resources/thing{i}.md) object.\n",
            i % 7
        );
        std::fs::write(dir.join(format!("api/thing{i}-get.md")), api).unwrap();
    }
}

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn codegen(docs: &Path, out: &Path) -> Command {
    let mut command = xtask();
    command
        .arg("codegen")
        .arg("--docs")
        .arg(docs)
        .arg("--out")
        .arg(out);
    command.stderr(std::process::Stdio::null());
    command
}

#[test]
fn a_killed_run_leaves_old_or_new_files_and_the_next_run_repairs() {
    let scratch = std::env::temp_dir().join(format!("xtask-interrupted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let (old_docs, new_docs, out) = (
        scratch.join("old"),
        scratch.join("new"),
        scratch.join("out"),
    );
    docs(&old_docs, 300, "String");
    docs(&new_docs, 300, "Int64");

    // The trees a complete run makes from each version of the docs.
    assert!(codegen(&old_docs, &out).status().unwrap().success());
    let old = tree(&out);
    assert!(codegen(&new_docs, &out).status().unwrap().success());
    let new = tree(&out);
    assert_ne!(old, new);

    let mut interrupted = 0;
    for trial in 0..8u64 {
        // Back to the old tree, then kill a run towards the new one part way.
        std::fs::remove_dir_all(&out).unwrap();
        assert!(codegen(&old_docs, &out).status().unwrap().success());
        let mut child = codegen(&new_docs, &out).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(30 + trial * 90));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        child.kill().ok();
        child.wait().unwrap();

        for (path, bytes) in tree(&out) {
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with('.') && name.contains(".tmp") {
                continue; // a temporary file the killed run left: not a generated file
            }
            let is_old = old.get(&path) == Some(&bytes);
            let is_new = new.get(&path) == Some(&bytes);
            assert!(
                is_old || is_new,
                "trial {trial}: {} is neither old nor new",
                path.display()
            );
        }
        // The next run repairs everything, temporary files included.
        assert!(codegen(&new_docs, &out).status().unwrap().success());
        assert_eq!(
            tree(&out),
            new,
            "trial {trial}: the rerun did not repair the tree"
        );
    }
    assert!(
        interrupted > 0,
        "no run was interrupted: the docs are too small to catch one mid-write"
    );
    std::fs::remove_dir_all(&scratch).unwrap();
}
