//! A program that measures the generated types at run time: every tested response body
//! of the docs parsed into its result type and written back, against the floor of doing
//! the same through `serde_json::Value`. `cargo xtask bench` builds and runs it; it is
//! not part of the generated crate.

use quote::quote;

use super::{ident, raw_string, rust_type_from, unparse};
use crate::model::{Model, Response};

/// `src/main.rs` of the throughput program, for a crate generated from `model` that it
/// depends on as `generated` (with every feature).
pub fn program(model: &Model) -> String {
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
        //! back, by the runtime's own reader and writer (what the client reads responses
        //! and sends request bodies with), timed against the same through
        //! `serde_json::Value`.

        use std::time::{Duration, Instant};

        use generated::object::Encode;

        /// Reads a body into its type: the value, boxed, when `keep` (for the writes);
        /// otherwise dropped where it was read, as the `Value` side drops its values.
        type Read = fn(&[u8], bool) -> Result<Option<Box<dyn Encode>>, String>;

        fn typed<T: generated::object::Decode + Encode>(body: &[u8], keep: bool) -> Result<Option<Box<dyn Encode>>, String> {
            let value: T = generated::object::from_slice(body).map_err(|e| e.to_string())?;
            Ok(keep.then(|| Box::new(value) as Box<dyn Encode>))
        }

        fn typed_collection<T: generated::object::Decode + Encode>(body: &[u8], keep: bool) -> Result<Option<Box<dyn Encode>>, String> {
            let page: generated::Page<T> = generated::object::collection_from_slice(body).map_err(|e| e.to_string())?;
            Ok(keep.then(|| Box::new(page.items) as Box<dyn Encode>))
        }

        const BODIES: &[(&str, Read)] = &[ #( #entries ),* ];

        /// How long `run` takes.
        fn time(run: impl FnOnce()) -> Duration {
            let started = Instant::now();
            run();
            started.elapsed()
        }

        /// How long `run` takes once its code and data are in the cache: the best of five
        /// times ten runs in a row, per run.
        fn warm(mut run: impl FnMut()) -> Duration {
            let ten = (0..5).map(|_| time(|| (0..10).for_each(|_| run()))).min();
            ten.unwrap_or_default() / 10
        }

        /// `throughput [ROUNDS] [typed|value]`: the second argument runs only that side, for
        /// a profiler.
        fn main() {
            let mut args = std::env::args().skip(1);
            let rounds: u32 = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
            let only = args.next();
            // Bodies the typed read rejects are left out of both timings, and counted.
            let bodies: Vec<(&[u8], Read)> = BODIES
                .iter()
                .map(|(text, read)| (text.as_bytes(), *read))
                .filter(|(body, read)| read(body, false).is_ok())
                .collect();
            let bytes: usize = bodies.iter().map(|(body, _)| body.len()).sum();
            let typed: Vec<Box<dyn Encode>> = bodies.iter().filter_map(|(body, read)| read(body, true).ok().flatten()).collect();
            let values: Vec<serde_json::Value> = bodies.iter().filter_map(|(body, _)| serde_json::from_slice(body).ok()).collect();
            // One body read (and dropped), or one value read before written: what both
            // timings below repeat.
            let typed_read_one = |(body, read): &(&[u8], Read)| {
                std::hint::black_box(read(body, false).ok());
            };
            let typed_write_one = |value: &Box<dyn Encode>| {
                std::hint::black_box(generated::object::to_vec(&**value).ok());
            };
            let value_read_one = |(body, _): &(&[u8], Read)| {
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(body).ok());
            };
            let value_write_one = |value: &serde_json::Value| {
                std::hint::black_box(serde_json::to_vec(value).ok());
            };
            let typed_read = || bodies.iter().for_each(typed_read_one);
            let typed_write = || typed.iter().for_each(typed_write_one);
            let value_read = || bodies.iter().for_each(value_read_one);
            let value_write = || values.iter().for_each(value_write_one);
            if let Some(only) = only {
                for _ in 0..rounds {
                    if only == "typed" {
                        typed_read();
                        typed_write();
                    } else {
                        value_read();
                        value_write();
                    }
                }
                return;
            }
            // The best round of each, the four taking turns: the machine's slow and fast
            // phases fall on both sides alike.
            let mut best = [Duration::MAX; 4];
            for _ in 0..rounds {
                let times = [time(value_read), time(value_write), time(typed_read), time(typed_write)];
                for (best, time) in best.iter_mut().zip(times) {
                    *best = (*best).min(time);
                }
            }
            let ms = |d: Duration| d.as_secs_f64() * 1e3;
            // `[Value read, Value write, typed read, typed write]`.
            let line = |[value_read, value_write, typed_read, typed_write]: [Duration; 4]| {
                let (typed, value) = (typed_read + typed_write, value_read + value_write);
                format!(
                    "typed {:.2} ms (read {:.2}, write {:.2}), serde_json::Value {:.2} ms (read {:.2}, write {:.2}): {:.2}x the Value time",
                    ms(typed),
                    ms(typed_read),
                    ms(typed_write),
                    ms(value),
                    ms(value_read),
                    ms(value_write),
                    typed.as_secs_f64() / value.as_secs_f64()
                )
            };
            println!("bodies: {} of {} ({} bytes); {}", bodies.len(), BODIES.len(), bytes, line(best));
            // A round reads hundreds of types once each, so each type's code and table
            // come from memory; a client that reads the same types again has them in
            // the cache. Each body (or value) alone, warm, summed:
            let warm_times = [
                bodies.iter().map(|body| warm(|| value_read_one(body))).sum(),
                values.iter().map(|value| warm(|| value_write_one(value))).sum(),
                bodies.iter().map(|body| warm(|| typed_read_one(body))).sum(),
                typed.iter().map(|value| warm(|| typed_write_one(value))).sum(),
            ];
            println!("   each body warm (best of 5 x 10 in a row): {}", line(warm_times));
        }
    })
}
