//! `src/lib.rs` of the generated crate: its modules, the runtime and the types it
//! re-exports from its other crates (see `model::parts`), and the service root.

use proc_macro2::TokenStream;
use quote::quote;

use super::manifest::package;
use super::{features_cfg, ident, part_crates, types::PartFeatures};
use crate::model::Model;

pub fn lib(model: &Model, features: &PartFeatures) -> TokenStream {
    let base_url = &model.base_url;
    let runtime = ident(&package("runtime").1);
    let parts = part_crates(model);
    let areas = area_modules(model, features);
    let prefer = prefer(model);
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
        pub use #runtime::{encode_item_path, encode_path_param, Accepted, Error, Page, Preference, Request};
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
                #[doc(no_inline)]
                pub use #parts::types::*;
            )*

            #areas
        }

        /// The properties of each struct of [`types`], for `$select` and `$expand`: an
        /// enum of the struct's name, a variant per property
        /// (`.select(&[properties::User::DisplayName])`).
        pub mod properties {
            #(
                #[allow(unused_imports)]
                #[doc(no_inline)]
                pub use #parts::properties::*;
            )*
        }

        pub mod api;

        #prefer

        /// The service root: the API's paths start here
        /// (`generated::api().me().messages().list()`).
        #[inline]
        pub fn api() -> api::Root {
            api::Root(Location::default())
        }
    }
}

/// `Prefer`: the preferences the docs document, for `Request::prefer`; none when they
/// document none.
fn prefer(model: &Model) -> TokenStream {
    if model.preferences.is_empty() {
        return quote! {};
    }
    let variants = model.preferences.iter().map(|p| {
        let name = ident(&p.rust_name);
        let doc = format!(
            " `{}{}`: {} (documented for {} operation{}, first at `{}`).",
            p.text(),
            if p.takes_value { "=..." } else { "" },
            p.description.trim(),
            p.operations,
            if p.operations == 1 { "" } else { "s" },
            p.source,
        );
        let field = p.takes_value.then(|| quote! { (::std::string::String) });
        quote! {
            #[doc = #doc]
            #name #field
        }
    });
    let arms = model.preferences.iter().map(|p| {
        let name = ident(&p.rust_name);
        let text = p.text();
        if p.takes_value {
            quote! { Prefer::#name(value) => Preference::with_value(#text, &value) }
        } else {
            quote! { Prefer::#name => Preference::new(#text) }
        }
    });
    quote! {
        /// The preferences of the `Prefer` header (RFC 7240) the docs document, for
        /// [`Request::prefer`]; [`Preference::new`] makes any other.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Prefer {
            #( #variants, )*
        }

        impl ::std::convert::From<Prefer> for Preference {
            fn from(preference: Prefer) -> Preference {
                match preference {
                    #( #arms, )*
                }
            }
        }
    }
}

/// Each area with the parts that hold its types (and the features of each part's
/// module) and its counts of types and enums: what the area modules are made from.
pub fn areas<'m>(model: &'m Model, features: &PartFeatures<'m>) -> Vec<AreaModule<'m>> {
    model
        .areas
        .iter()
        .map(|area| AreaModule {
            name: &area.name,
            parts: model
                .parts
                .iter()
                .map(|part| (part.name.as_str(), features.items(&part.name, &area.name)))
                .filter(|(_, features)| !features.is_empty())
                .collect(),
            types: model.types.iter().filter(|t| t.area == area.name).count(),
            enums: model.enums.iter().filter(|e| e.area == area.name).count(),
        })
        .filter(|area| !area.parts.is_empty())
        .collect()
}

#[derive(serde::Serialize)]
pub struct AreaModule<'m> {
    name: &'m str,
    parts: Vec<(&'m str, Vec<&'m str>)>,
    types: usize,
    enums: usize,
}

/// A public module per area in `types`, gathering the area's types from the parts that
/// hold them, so that the docs show an area at a time (`types::outlook::Message`; the
/// same types are also in `types` itself).
fn area_modules(model: &Model, features: &PartFeatures) -> TokenStream {
    let modules = areas(model, features).into_iter().map(|area| {
        let module = ident(area.name);
        let uses = area.parts.iter().map(|(part, features)| {
            let cfg = features_cfg(features);
            let krate = ident(&package(part).1);
            quote! {
                #cfg
                pub use #krate::types::#module::*;
            }
        });
        let count = |n: usize, what: &str| match n {
            1 => format!("1 {what}"),
            n => format!("{n} {what}s"),
        };
        let doc = format!(
            " The `{}` area: {} and {} (feature `{}`).",
            area.name,
            count(area.types, "type"),
            count(area.enums, "enumeration"),
            area.name
        );
        quote! {
            #[doc = #doc]
            pub mod #module {
                #( #uses )*
            }
        }
    });
    quote! { #( #modules )* }
}
