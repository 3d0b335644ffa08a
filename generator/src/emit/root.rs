//! `src/lib.rs` of the generated crate: its modules, the runtime and the types it
//! re-exports from its other crates (see `model::parts`), and the service root.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use super::manifest::package;
use crate::model::Model;

pub fn lib(model: &Model) -> TokenStream {
    let base_url = &model.base_url;
    let runtime = ident(&package("runtime").1);
    let parts = model.parts.iter().map(|part| ident(&package(&part.name).1));
    quote! {
        //! A typed client for the documented API, generated from its reference pages.
        //!
        //! [`types`] has one struct per documented resource and one enum per documented
        //! enumeration; [`api()`] is the API as its URLs, each documented operation a
        //! method where its path leads (`api().users().id(user_id).messages().list()`).
        //! An operation returns a [`Request`], which turns into an [`http::Request`] with
        //! [`Request::to_http`] and reads the [`http::Response`] with
        //! [`Request::parse_response`]. Without the `client` feature this crate does no
        //! I/O: send requests with any HTTP client; with it, `client::Client` sends them
        //! (reqwest, rustls, tokio) with tokens, retries and paging.
        //!
        //! A type other types derive from is read as its `AnyX` enum: one variant per
        //! type, chosen by `@odata.type`. Optional properties are [`Nullable`]: absent,
        //! `null` or set, so that an update can clear a value.

        #[cfg(feature = "client")]
        pub mod client;

        pub use #runtime::{object, wire};
        pub use #runtime::{Binary, Decimal, Duration, Flags, Nullable, WireEnum};
        pub use #runtime::{encode_path_param, Error, Page, Request};
        #[doc(hidden)]
        pub use #runtime::Location;
        #[doc(hidden)]
        pub use #runtime::decode;

        /// The service root the docs' examples use.
        pub const DEFAULT_BASE_URL: &str = #base_url;

        /// The documented resources and enumerations: one struct per resource, one enum
        /// per enumeration, an `AnyX` enum per type others derive from. They are
        /// compiled in crates of their own (`crates/` beside this crate), which build
        /// side by side; each area's feature compiles its types and those they use.
        pub mod types {
            #(
                #[allow(unused_imports)]
                pub use #parts::types::*;
            )*
        }

        pub mod api;

        /// The service root: the API's paths start here
        /// (`generated::api().me().messages().list()`).
        #[inline]
        pub fn api() -> api::Root {
            api::Root(Location::default())
        }
    }
}
