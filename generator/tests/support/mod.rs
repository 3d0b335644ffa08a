//! What the tests that build generated crates share.

use std::path::Path;
use std::process::Command;

/// Runs `cargo ARGS --manifest-path MANIFEST` with its own target folder and `env`,
/// and returns what it printed; a failure fails the test with the log.
pub fn cargo(manifest: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr).into_owned()
        + &String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "cargo {args:?} failed:\n{log}");
    log
}
