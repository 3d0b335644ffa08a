//! The generated crate's Cargo.toml.

use super::header;

pub fn manifest() -> String {
    format!(
        r#"{}
[package]
name = "generated"
version = "0.1.0"
edition = "2024"
publish = false
description = "A typed client for the documented API, generated from its reference pages."

[dependencies]
chrono = {{ version = "0.4", default-features = false, features = ["std", "serde"] }}
http = "1"
percent-encoding = "2"
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
"#,
        header("#")
    )
}
