//! The hand-written runtime of the generated crate: how its types are read, written and
//! compared (`object`), the wire forms JSON has no type for (`wire`), and the sans-IO
//! `Request` every request function returns. The generated crate re-exports all of it;
//! use it through that crate. This file is the runtime crate's `src/lib.rs`, copied as
//! it is.

pub mod object;
mod reader;
mod request;
pub mod wire;
mod writer;

pub use request::{
    Accepted, Error, Location, Page, Preference, Request, encode_item_path, encode_path_param,
};
pub use wire::{Binary, Decimal, Duration, Flags, Nullable, WireEnum};

#[doc(hidden)]
pub use request::decode;
