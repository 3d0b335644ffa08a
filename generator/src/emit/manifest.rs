//! The generated crate's Cargo.toml.

use super::Options;
use crate::model::Model;

/// Cargo.toml with a feature per API area; `full` (the default) enables all of them.
pub fn manifest(model: &Model, options: Options) -> String {
    let mut manifest = String::from(
        r#"
[package]
name = "generated"
version = "0.1.0"
edition = "2024"
publish = false
description = "A typed client for the documented API, generated from its reference pages."

[dependencies]
chrono = { version = "0.4", default-features = false, features = ["std", "serde"] }
http = "1"
percent-encoding = "2"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
"#,
    );
    let areas: Vec<String> = model
        .areas
        .iter()
        .map(|a| format!("\"{}\"", a.name))
        .collect();
    manifest.push_str(&format!(
        "\n[features]\ndefault = [\"full\"]\nfull = [{}]\n",
        areas.join(", ")
    ));
    for area in &model.areas {
        manifest.push_str(&format!("{} = []\n", area.name));
    }
    if options.standalone {
        manifest.push_str("\n[workspace]\n");
    }
    manifest
}
