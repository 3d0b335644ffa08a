//! A program that measures the generated types at run time: every tested response body
//! of the docs parsed into its result type and written back, against the floor of doing
//! the same through `serde_json::Value`. `cargo xtask bench` builds and runs it; it is
//! not part of the generated crate.

use quote::quote;

use super::{ident, raw_string, rust_type_from, unparse};
use crate::model::{Model, Response};

/// `src/main.rs` of the throughput program, for a crate generated from `model` that it
/// depends on as `generated` (with every feature).
pub fn program(model: &Model) -> Result<String, syn::Error> {
    let root = quote! { generated };
    let mut entries = Vec::new();
    for op in &model.operations {
        let (item, collection) = match &op.response {
            Response::Json { item } => (item, false),
            Response::Collection { item } => (item, true),
            Response::Empty | Response::Bytes | Response::Count | Response::Accepted => continue,
        };
        let ty = rust_type_from(item, &root);
        let read = if collection {
            ident("typed_collection")
        } else {
            ident("typed")
        };
        for example in &op.examples {
            let Some(body) = example.response.as_ref().and_then(|r| r.body.as_ref()) else {
                continue;
            };
            let text = raw_string(&body.text);
            entries.push(quote! { (#text, #read::<#ty>) });
        }
    }
    unparse(quote! {
        //! Every tested response body of the docs, parsed into its result type and written
        //! back, timed against the same through `serde_json::Value`.

        use std::time::{Duration, Instant};

        type Round = fn(&[u8]) -> Result<Vec<u8>, String>;

        fn typed<T: generated::object::Decode + serde::Serialize>(body: &[u8]) -> Result<Vec<u8>, String> {
            let value: T = generated::object::from_slice(body).map_err(|e| e.to_string())?;
            serde_json::to_vec(&value).map_err(|e| e.to_string())
        }

        fn typed_collection<T: generated::object::Decode + serde::Serialize>(body: &[u8]) -> Result<Vec<u8>, String> {
            let page: generated::Page<T> = generated::object::collection_from_slice(body).map_err(|e| e.to_string())?;
            let items = page.items;
            serde_json::to_vec(&items).map_err(|e| e.to_string())
        }

        fn untyped(body: &[u8]) -> Result<Vec<u8>, String> {
            let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
            serde_json::to_vec(&value).map_err(|e| e.to_string())
        }

        const BODIES: &[(&str, Round)] = &[ #( #entries ),* ];

        fn main() {
            let rounds: u32 = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(20);
            // Bodies the typed read rejects are left out of both timings, and counted.
            let bodies: Vec<(&[u8], Round)> = BODIES
                .iter()
                .map(|(text, round)| (text.as_bytes(), *round))
                .filter(|(body, round)| round(body).is_ok())
                .collect();
            let bytes: usize = bodies.iter().map(|(body, _)| body.len()).sum();
            let time = |typed: bool| -> Duration {
                let mut best = Duration::MAX;
                for _ in 0..rounds {
                    let started = Instant::now();
                    for (body, round) in &bodies {
                        let written = if typed { round(body) } else { untyped(body) };
                        std::hint::black_box(written.ok());
                    }
                    best = best.min(started.elapsed());
                }
                best
            };
            let value = time(false);
            let typed = time(true);
            println!(
                "bodies: {} of {} ({} bytes); typed {:.2} ms, serde_json::Value {:.2} ms: {:.2}x the Value time",
                bodies.len(),
                BODIES.len(),
                bytes,
                typed.as_secs_f64() * 1e3,
                value.as_secs_f64() * 1e3,
                typed.as_secs_f64() / value.as_secs_f64()
            );
        }
    })
}
