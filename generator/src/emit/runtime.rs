//! `src/lib.rs` of the generated crate: its modules, what the root re-exports, and the
//! service root. The constant parts are the real files in `runtime/`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Model;

pub fn lib(model: &Model) -> TokenStream {
    let base_url = &model.base_url;
    quote! {
        //! A typed client for the documented API, generated from its reference pages.
        //!
        //! [`types`] has one struct per documented resource and one enum per documented
        //! enumeration; [`requests`] has one function per documented operation. A request
        //! function returns a [`Request`], which turns into an [`http::Request`] with
        //! [`Request::to_http`] and reads the [`http::Response`] with
        //! [`Request::parse_response`]. Without the `client` feature this crate does no
        //! I/O: send requests with any HTTP client; with it, `client::Client` sends them
        //! (reqwest, rustls, tokio) with tokens, retries and paging.
        //!
        //! A type other types derive from is read as its `AnyX` enum: one variant per
        //! type, chosen by `@odata.type`. Optional properties are [`Nullable`]: absent,
        //! `null` or set, so that an update can clear a value.

        pub mod object;
        mod request;
        pub mod requests;
        pub mod types;
        pub mod wire;
        #[cfg(feature = "client")]
        pub mod client;

        pub use wire::{Binary, Decimal, Duration, Flags, Nullable, WireEnum};

        /// The service root the docs' examples use.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        pub use request::{encode_path_param, Error, Request};
        #[doc(hidden)]
        pub use request::decode;
    }
}
