//! `src/types.rs`: a struct per documented resource, an enum per enumeration.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_code, doc_text, docs, ident, rust_type};
use crate::model::{EnumDef, Model, TypeDef};

/// The types of one area.
pub fn types(model: &Model, area: &str) -> TokenStream {
    let structs = model
        .types
        .iter()
        .filter(|t| t.area == area)
        .map(struct_def);
    let enums = model.enums.iter().filter(|e| e.area == area).map(enum_def);
    quote! {
        //! The documented resources and enumerations of this area.

        #( #structs )*
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
            #[serde(#rename skip_serializing_if = "::std::option::Option::is_none")]
            pub #field: ::std::option::Option<#ty>,
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

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Undocumented(value) => value,
                }
            }

            /// The variant for a wire value; unknown values are kept in `Undocumented`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    #( #wires => #name::#variants, )*
                    other => #name::Undocumented(::std::string::ToString::to_string(other)),
                }
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::enums::deserialize(deserializer).map(|value| Self::from_wire(&value))
            }
        }
    }
}
