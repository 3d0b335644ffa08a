//! `src/types.rs`: a struct per documented resource, an enum per enumeration.

use proc_macro2::TokenStream;
use quote::quote;

use std::collections::HashMap;

use super::{doc_code, doc_text, docs, ident, rust_type};
use crate::model::{EnumDef, Model, TypeDef};

/// The types of one area.
pub fn types(model: &Model, area: &str) -> TokenStream {
    let by_rust: HashMap<&str, &TypeDef> = model
        .types
        .iter()
        .map(|t| (t.rust_name.as_str(), t))
        .collect();
    let structs = model
        .types
        .iter()
        .filter(|t| t.area == area)
        .map(struct_def);
    let anys = model
        .types
        .iter()
        .filter(|t| t.area == area)
        .filter_map(|t| any_def(t, &by_rust));
    let enums = model.enums.iter().filter(|e| e.area == area).map(enum_def);
    quote! {
        //! The documented resources and enumerations of this area.

        #( #structs )*
        #( #anys )*
        #( #enums )*
    }
}

fn struct_def(t: &TypeDef) -> TokenStream {
    let name = ident(&t.rust_name);
    let doc = docs([
        doc_code(&t.wire_name),
        doc_text(&t.description),
        format!("Documented at {}.", doc_code(&t.source.to_string())),
    ]);
    let fields = t.properties.iter().map(|p| {
        let field = ident(&p.rust_name);
        let wire = &p.wire_name;
        let mut ty = rust_type(&p.ty);
        if p.boxed {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        let doc = docs([doc_text(&p.description)]);
        let rename = (p.rust_name != p.wire_name).then(|| quote! { rename = #wire, });
        quote! {
            #doc
            #[serde(#rename default, skip_serializing_if = "crate::Nullable::is_absent")]
            pub #field: crate::Nullable<#ty>,
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            /// The `@odata.type` of the value, as sent.
            #[serde(rename = "@odata.type", skip_serializing_if = "::std::option::Option::is_none")]
            pub odata_type: ::std::option::Option<::std::string::String>,
            #( #fields )*
            /// Properties the docs do not list, kept so that nothing is lost in a round trip.
            #[serde(flatten)]
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
        }
    }
}

/// `AnyX` for a type `X` that others derive from: a variant per type, the one
/// `@odata.type` names (with or without `#`, in any namespace). `X` itself holds a value
/// with no `@odata.type`, or one naming a type this crate does not know: its properties
/// the docs do not list are kept, so nothing is lost. Variants of types in other areas
/// exist when those areas are compiled.
fn any_def(t: &TypeDef, by_rust: &HashMap<&str, &TypeDef>) -> Option<TokenStream> {
    let any = ident(t.any_name.as_deref()?);
    let base = ident(&t.rust_name);
    let derived: Vec<&TypeDef> = t
        .derived
        .iter()
        .filter_map(|d| by_rust.get(d.as_str()).copied())
        .collect();
    let names: Vec<_> = derived.iter().map(|d| ident(&d.rust_name)).collect();
    let cfgs: Vec<_> = derived.iter().map(|d| variant_cfg(t, d)).collect();
    let wires: Vec<&str> = derived.iter().map(|d| d.wire_name.as_str()).collect();
    let odata_types: Vec<&str> = derived.iter().map(|d| d.odata_type.as_str()).collect();
    let doc = docs([
        format!(
            "{} or a type derived from it, told apart by `@odata.type`.",
            doc_code(&t.wire_name)
        ),
        "Match on the variant to reach a derived type's own properties; the properties all of them share have accessors here.".to_owned(),
    ]);
    let base_doc = format!(
        " A {}, or a type derived from it that the docs do not list: its `@odata.type` and extra properties are kept.",
        doc_code(&t.wire_name)
    );
    let variant_docs = derived
        .iter()
        .map(|d| format!(" A {}.", doc_code(&d.wire_name)));
    // The properties every variant has, with the same type: read without a match.
    let shared = t.properties.iter().filter(|p| {
        derived.iter().all(|d| {
            d.properties
                .iter()
                .any(|q| q.rust_name == p.rust_name && q.ty == p.ty && q.boxed == p.boxed)
        })
    });
    let accessors = shared.map(|p| {
        let field = ident(&p.rust_name);
        let mut ty = rust_type(&p.ty);
        if p.boxed {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        let doc = docs([doc_text(&p.description)]);
        quote! {
            #doc
            pub fn #field(&self) -> &crate::Nullable<#ty> {
                match self {
                    Self::#base(value) => &value.#field,
                    #( #cfgs Self::#names(value) => &value.#field, )*
                }
            }
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #any {
            #[doc = #base_doc]
            #base(::std::boxed::Box<#base>),
            #( #[doc = #variant_docs] #cfgs #names(::std::boxed::Box<crate::types::#names>), )*
        }

        impl ::std::default::Default for #any {
            fn default() -> Self {
                Self::#base(::std::default::Default::default())
            }
        }

        impl #any {
            /// The `@odata.type` of the value, as sent.
            pub fn odata_type(&self) -> ::std::option::Option<&str> {
                match self {
                    Self::#base(value) => value.odata_type.as_deref(),
                    #( #cfgs Self::#names(value) => value.odata_type.as_deref(), )*
                }
            }

            /// Properties the docs do not list for the value's type.
            pub fn additional_properties(&self) -> &::std::collections::BTreeMap<::std::string::String, ::serde_json::Value> {
                match self {
                    Self::#base(value) => &value.additional_properties,
                    #( #cfgs Self::#names(value) => &value.additional_properties, )*
                }
            }

            #( #accessors )*
        }

        impl ::std::convert::From<#base> for #any {
            fn from(value: #base) -> Self {
                Self::#base(::std::boxed::Box::new(value))
            }
        }

        #(
            #cfgs
            impl ::std::convert::From<crate::types::#names> for #any {
                fn from(value: crate::types::#names) -> Self {
                    Self::#names(::std::boxed::Box::new(value))
                }
            }
        )*

        impl ::serde::Serialize for #any {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    Self::#base(value) => ::serde::Serialize::serialize(&**value, serializer),
                    #( #cfgs Self::#names(value) => crate::polymorphic::write(&**value, #odata_types, serializer), )*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match crate::polymorphic::type_name(&value) {
                    #( #cfgs ::std::option::Option::Some(#wires) => crate::polymorphic::read(value).map(Self::#names), )*
                    _ => crate::polymorphic::read(value).map(Self::#base),
                }
            }
        }
    })
}

/// A variant of a type in another area exists when that area's feature is on (without
/// it, such a value is read as the base type, with nothing lost).
pub fn variant_cfg(base: &TypeDef, derived: &TypeDef) -> TokenStream {
    if derived.area == base.area {
        return quote! {};
    }
    let feature = &derived.area;
    quote! { #[cfg(feature = #feature)] }
}

/// An enum keeps values the docs never listed in `Undocumented`, so that a value the
/// service adds later still deserializes and serializes back unchanged.
fn enum_def(e: &EnumDef) -> TokenStream {
    let name = ident(&e.rust_name);
    let doc = docs([
        doc_code(&e.wire_name),
        doc_text(&e.description),
        format!("Documented at {}.", doc_code(&e.source.to_string())),
    ]);
    let variants: Vec<_> = e.members.iter().map(|m| ident(&m.rust_name)).collect();
    let wires: Vec<&str> = e.members.iter().map(|m| m.wire_name.as_str()).collect();
    let variant_docs = e.members.iter().map(|m| docs([doc_text(&m.description)]));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the docs do not list, kept as sent.
            Undocumented(::std::string::String),
        }

        impl crate::WireEnum for #name {
            fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Undocumented(value) => value,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    #( #wires => #name::#variants, )*
                    other => #name::Undocumented(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                crate::wire::serialize_enum(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::wire::deserialize_enum(deserializer)
            }
        }
    }
}
