//! Two clones of the workspace that share a target dir share one xtask binary. Run for
//! the second clone (cargo sets `CARGO_MANIFEST_DIR` to that clone's `xtask/`), it must
//! read and write the second clone's folders, not those of the clone it was built in.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every file under `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn the_xtask_binary_works_on_the_clone_cargo_runs_it_for() {
    let built_in = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let clone = Path::new(env!("CARGO_TARGET_TMPDIR")).join("second-clone");
    let _ = std::fs::remove_dir_all(&clone);
    let page = "---\ntitle: \"widget resource type\"\ndescription: \"A widget.\"\ndoc_type: resourcePageType\nms.prod: \"widgets\"\n---\n# widget resource type\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|The identifier.|\n|size|Int32|How big it is.|\n";
    std::fs::create_dir_all(clone.join("docs-input/resources")).unwrap();
    std::fs::create_dir_all(clone.join("xtask")).unwrap();
    std::fs::write(clone.join("docs-input/resources/widget.md"), page).unwrap();
    let before = tree(&built_in.join("generated"));

    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .env("CARGO_MANIFEST_DIR", clone.join("xtask"))
        .current_dir(&clone)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let written =
        std::fs::read_to_string(clone.join("generated/crates/part-1/src/types/widgets.rs"))
            .expect("the second clone's crate was written");
    assert!(written.contains("pub struct Widget"), "{written}");
    assert!(
        before == tree(&built_in.join("generated")),
        "the clone xtask was built in was changed"
    );
}
