//! Two clones of the workspace sharing one target folder (a common setup) share one
//! xtask binary: cargo reuses it for the second clone. `cargo xtask` run in each clone
//! must read that clone's docs and write that clone's crate, not those of the clone the
//! binary was built in.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).unwrap();
        for entry in fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(from, to).unwrap();
    }
}

/// `cargo xtask ARGS` as a user types it in `clone`, with the shared target folder.
fn xtask(clone: &Path, target: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .arg("xtask")
        .args(args)
        .current_dir(clone)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo xtask {args:?} in {} failed:\n{}",
        clone.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn each_clone_runs_codegen_on_its_own_files() {
    let root = root();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clones");
    let _ = fs::remove_dir_all(&scratch);
    let target = scratch.join("target");
    let [first, second] = ["first", "second"].map(|name| scratch.join(name));
    for clone in [&first, &second] {
        for part in [
            "Cargo.toml",
            "Cargo.lock",
            ".cargo",
            "xtask",
            "generator",
            "generated",
            "docs-input",
        ] {
            copy(&root.join(part), &clone.join(part));
        }
    }
    // The second clone's docs differ from the first's in one property's type.
    let page = second.join("docs-input/resources/intune-deviceconfig-carttoclassassociation.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("|version|Int32|", "|version|Int64|")).unwrap();

    xtask(&first, &target, &["codegen"]);
    xtask(&second, &target, &["codegen"]);
    // The first clone is still what its own docs make, and untouched by the second run.
    xtask(&first, &target, &["codegen", "--check"]);

    let types = "generated/crates/part-1/src/types/intune.rs";
    let widened = "pub version: crate::Nullable<i64>,";
    assert_eq!(
        fs::read_to_string(first.join(types)).unwrap(),
        fs::read_to_string(root.join(types)).unwrap()
    );
    assert!(
        fs::read_to_string(second.join(types))
            .unwrap()
            .contains(widened)
    );
    fs::remove_dir_all(&scratch).unwrap();
}
