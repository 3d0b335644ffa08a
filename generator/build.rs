//! Fingerprints the generator's own source (and the runtime files it copies) and the locked dependency versions, so that
//! generated files made by another generator are never mistaken for up to date.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    files(&root.join("src"), &mut inputs);
    files(&root.join("runtime"), &mut inputs);
    inputs.sort();
    inputs.push(root.join("Cargo.toml"));
    inputs.push(root.join("../Cargo.lock"));
    // FNV-1a over every input's path and bytes.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for input in &inputs {
        let name = input
            .strip_prefix(root)
            .unwrap_or(input)
            .to_string_lossy()
            .into_owned();
        for byte in name.bytes().chain(std::fs::read(input).unwrap_or_default()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=GENERATOR_FINGERPRINT={hash:016x}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=runtime");
    println!("cargo:rerun-if-changed=Cargo.toml");
    println!("cargo:rerun-if-changed=../Cargo.lock");
}
