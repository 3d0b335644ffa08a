//! The crates of the types (see `model::parts`): a struct per documented resource, an
//! enum per enumeration, a module per area.

use std::collections::BTreeSet;

use foldhash::HashMap;
use proc_macro2::TokenStream;
use quote::{ToTokens as _, quote};

use super::manifest::{CRATE, package};
use super::{
    area_modules, doc_code, doc_text, docs, documented_at, features_cfg, ident, rust_type,
    string_literal,
};
use crate::model::{EnumDef, Model, Part, TypeDef, TypeRef, variant_named};

/// `src/lib.rs` of a part: the runtime's items where the generated code names them
/// (`crate::Nullable`, `crate::object`), the types of the crates it uses beside its own
/// in `crate::types`, and a module per area in `types`, each behind the features that
/// need it.
pub fn part_lib(model: &Model, features: &PartFeatures, part: &Part) -> TokenStream {
    let doc = format!(
        " Types of `{CRATE}` (a part of them, compiled on its own): use them through `{CRATE}::types`."
    );
    let (_, runtime) = package("runtime");
    let runtime = ident(&runtime);
    let used = part.uses.iter().map(|used| {
        let used = ident(&package(used).1);
        quote! {
            #[allow(unused_imports)]
            pub(crate) use #used::types::*;
        }
    });
    let modules = area_modules(model, true, |area| features.items(&part.name, area));
    let properties = area_modules(model, false, |area| features.structs(&part.name, area));
    quote! {
        #![doc = #doc]

        #[allow(unused_imports)]
        pub(crate) use #runtime::{
            decode, encode_path_param, object, Binary, Decimal, Duration, Flags, Nullable,
            Request, WireEnum,
        };

        /// The documented resources and enumerations of this part, by API area.
        pub mod types {
            #( #used )*
            #modules
        }

        /// The properties of this part's structs, for `$select` and `$expand`: an enum
        /// per struct, of the struct's name.
        pub mod properties {
            #properties
        }
    }
}

/// The features that compile each area's modules in each part, found in one pass over
/// the items (asked for every part and area, a scan each was a quarter of a billion
/// instructions, most of them before the first file is made).
pub struct PartFeatures<'m> {
    /// The features of the structs of an area in a part, and of its enumerations.
    by_place: HashMap<(&'m str, &'m str), [BTreeSet<&'m str>; 2]>,
}

impl<'m> PartFeatures<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut by_place: HashMap<_, [BTreeSet<&str>; 2]> = HashMap::default();
        let structs = model
            .types
            .iter()
            .map(|t| (&t.part, &t.area, &t.features, 0));
        let enums = model
            .enums
            .iter()
            .map(|e| (&e.part, &e.area, &e.features, 1));
        for (part, area, features, kind) in structs.chain(enums) {
            let place = by_place.entry((part.as_str(), area.as_str())).or_default();
            place[kind].extend(features.iter().map(String::as_str));
        }
        PartFeatures { by_place }
    }

    /// The features that compile an area's module of `properties` in a part: those of
    /// any of its structs; none when the part has no struct of the area.
    pub fn structs(&self, part: &str, area: &str) -> Vec<&'m str> {
        self.of(part, area, false)
    }

    /// The features that compile an area's module in a part: those of any of its items;
    /// none when the part has no item of the area.
    pub fn items(&self, part: &str, area: &str) -> Vec<&'m str> {
        self.of(part, area, true)
    }

    /// Sorted and once each.
    fn of(&self, part: &str, area: &str, with_enums: bool) -> Vec<&'m str> {
        let Some([structs, enums]) = self.by_place.get(&(part, area)) else {
            return Vec::new();
        };
        match with_enums {
            true => structs.union(enums).copied().collect(),
            false => structs.iter().copied().collect(),
        }
    }
}

/// The types of one area in one part: the file's head, and its items made one at a
/// time (see `unparse_items`).
pub fn types<'m>(
    model: &'m Model,
    part: &'m str,
    area: &'m str,
) -> (TokenStream, impl Iterator<Item = TokenStream> + 'm) {
    let here = move |t: &&TypeDef| t.part == part && t.area == area;
    let structs = model.types.iter().filter(here).map(struct_def);
    let anys = model
        .types
        .iter()
        .filter(here)
        .filter_map(move |t| any_def(t, model));
    let enums = model
        .enums
        .iter()
        .filter(move |e| e.part == part && e.area == area)
        .map(enum_def);
    let head = quote! {
        //! The documented resources and enumerations of this area.
    };
    (head, structs.chain(anys).chain(enums))
}

/// A struct, read and written through its table of fields (`crate::object`): one line
/// per field for the compiler, where a serde derive would expand to dozens.
fn struct_def(t: &TypeDef) -> TokenStream {
    let name = ident(&t.rust_name);
    let cfg = features_cfg(&t.features);
    let doc = docs([
        doc_text(&t.description),
        format!(
            "{} on the wire, {}.",
            doc_code(&t.wire_name),
            documented_at(&t.source, t.web.as_deref())
        ),
        format!(
            "Its properties, for `$select` and `$expand`: [`properties::{0}`](crate::properties::{0}).",
            t.rust_name
        ),
    ]);
    let fields = t.properties.iter().map(|p| {
        let field = ident(&p.rust_name);
        let mut ty = rust_type(&p.ty);
        if p.boxed {
            ty = quote! { ::std::boxed::Box<#ty> };
        }
        let mut paragraphs = vec![doc_text(&p.description)];
        if p.rust_name != p.wire_name {
            paragraphs.push(format!("Wire name: {}.", doc_code(&p.wire_name)));
        }
        if let TypeRef::Foreign {
            wire_name,
            rust_name,
            area,
        } = &p.ty
        {
            paragraphs.push(format!(
                "A {} of another area, kept as JSON so that each area compiles on its own: \
                 read it with [`crate::Nullable::parse`] as `types::{rust_name}` (feature `{area}`).",
                doc_code(wire_name)
            ));
        }
        let doc = docs(paragraphs);
        quote! {
            #doc
            pub #field: crate::Nullable<#ty>,
        }
    });
    // The table: `@odata.type` first (the writers rely on it), then the wire names sorted
    // by byte value; field `i` is the one named `names[i]`.
    let mut table: Vec<(&str, TokenStream)> = t
        .properties
        .iter()
        .map(|p| {
            (
                p.wire_name.as_str(),
                ident(&p.rust_name).into_token_stream(),
            )
        })
        .collect();
    table.push(("@odata.type", quote! { odata_type }));
    table.sort_by_key(|(wire, _)| (*wire != "@odata.type", *wire));
    table.dedup_by(|a, b| a.0 == b.0);
    let names = table.iter().map(|(wire, _)| wire);
    let indexes: Vec<_> = (0..table.len())
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let members: Vec<&TokenStream> = table.iter().map(|(_, field)| field).collect();
    quote! {
        #doc
        #cfg
        #[derive(Default)]
        pub struct #name {
            /// The `@odata.type` of the value, as sent.
            pub odata_type: ::std::option::Option<::std::string::String>,
            #( #fields )*
            /// Properties the docs do not list, kept so that nothing is lost in a round trip.
            pub additional_properties: crate::object::Map,
        }

        #cfg
        impl crate::object::Object for #name {
            #[inline]
            fn table(&self) -> &'static crate::object::Table {
                static TABLE: crate::object::Table = crate::object::Table::new(&[ #( #names ),* ]);
                &TABLE
            }
            fn fields<'a>(&'a self, visit: &mut dyn FnMut(usize, &'a dyn crate::object::Field)) -> &'a crate::object::Map {
                #( crate::object::visit(visit, #indexes, &self.#members); )*
                &self.additional_properties
            }
            fn field_mut(&mut self, index: usize) -> ::std::result::Result<&mut dyn crate::object::Field, &mut crate::object::Map> {
                ::std::result::Result::Ok(match index {
                    #( #indexes => &mut self.#members, )*
                    _ => return ::std::result::Result::Err(&mut self.additional_properties),
                })
            }
        }

        #cfg
        crate::object::object_traits!(#name);
    }
}

/// The enums of one area's structs in one part, for `$select` and `$expand`: a file of
/// `properties`, where each enum has its struct's name.
pub fn properties<'m>(
    model: &'m Model,
    part: &'m str,
    area: &'m str,
) -> (TokenStream, impl Iterator<Item = TokenStream> + 'm) {
    let head = quote! {
        //! The properties of this area's structs, for `$select` and `$expand`.
    };
    let structs = model
        .types
        .iter()
        .filter(move |t| t.part == part && t.area == area)
        .map(property_enum);
    (head, structs)
}

/// `properties::X`: a variant per property of struct `X`, which is how a request
/// selects them (`Request::select`). The enum has no function of its own, not even a
/// derived one: its variants' discriminants index its wire names (see
/// `object::Property`), since every function or constant is a body the compiler
/// checks on its own.
fn property_enum(t: &TypeDef) -> TokenStream {
    let name = ident(&t.rust_name);
    let cfg = features_cfg(&t.features);
    let doc = format!(
        " The properties of [`{0}`](crate::types::{0}), for `$select` and `$expand`.",
        t.rust_name
    );
    let variants: Vec<_> = t.property_variants().iter().map(|v| ident(v)).collect();
    let docs = t
        .properties
        .iter()
        .map(|p| string_literal(&format!(" `{}`.", p.wire_name)));
    let wires = t.properties.iter().map(|p| string_literal(&p.wire_name));
    // An enum with no variant cannot have a representation.
    let repr = (!variants.is_empty()).then(|| quote! { #[repr(u32)] });
    quote! {
        #[doc = #doc]
        #cfg
        #repr
        pub enum #name {
            #( #[doc = #docs] #variants, )*
        }

        // SAFETY: a fieldless `#[repr(u32)]` enum whose variants are the names in order.
        #cfg
        unsafe impl crate::object::Property for #name {
            const NAMES: &'static [&'static str] = &[ #( #wires ),* ];
        }

        #cfg
        impl crate::object::Selectable for crate::types::#name {
            type Property = #name;
        }
    }
}

/// What the `AnyX` of `types` read of their derived types, which may be in other areas'
/// files: each one's names, `@odata.type` and area (its variant's `cfg`).
pub fn derived_reads<'m>(model: &'m Model, types: &[&'m TypeDef]) -> Vec<[&'m str; 4]> {
    types
        .iter()
        .filter(|t| t.any_name.is_some())
        .flat_map(|t| &t.derived)
        .filter_map(|d| model.type_named(d))
        .map(|d| [&*d.rust_name, &*d.wire_name, &*d.odata_type, &*d.area])
        .collect()
}

/// `AnyX` for a type `X` that others derive from: a variant per type, the one
/// `@odata.type` names (with or without `#`, in any namespace). `X` itself holds a value
/// with no `@odata.type`, or one naming a type this crate does not know: its properties
/// the docs do not list are kept, so nothing is lost. Variants of types in other areas
/// exist when those areas are compiled.
fn any_def(t: &TypeDef, model: &Model) -> Option<TokenStream> {
    let any = ident(t.any_name.as_deref()?);
    let base = ident(&t.rust_name);
    let derived: Vec<&TypeDef> = t
        .derived
        .iter()
        .filter_map(|d| model.type_named(d))
        .collect();
    let names: Vec<_> = derived.iter().map(|d| ident(&d.rust_name)).collect();
    let cfgs: Vec<_> = derived.iter().map(|d| variant_cfg(t, d)).collect();
    let odata_types: Vec<&str> = derived.iter().map(|d| d.odata_type.as_str()).collect();
    // A name two namespaces' types share is told apart by the qualified name; the plain
    // name picks the one `variant_named` picks.
    let shared_name = |d: &TypeDef| {
        derived
            .iter()
            .filter(|o| o.wire_name == d.wire_name)
            .count()
            > 1
    };
    let by_qualified: Vec<&&TypeDef> = derived.iter().filter(|d| shared_name(d)).collect();
    let qualified_arms = by_qualified.iter().map(|d| {
        let (name, qualified, cfg) = (
            ident(&d.rust_name),
            d.odata_type.trim_start_matches('#'),
            variant_cfg(t, d),
        );
        quote! { #cfg #qualified => Self::#name(::std::default::Default::default()), }
    });
    let short_arms = derived
        .iter()
        .filter(|d| variant_named(&derived, &d.wire_name).is_some_and(|v| std::ptr::eq(v, **d)))
        .map(|d| {
            let (name, wire, cfg) = (ident(&d.rust_name), &d.wire_name, variant_cfg(t, d));
            quote! { #cfg #wire => Self::#name(::std::default::Default::default()), }
        });
    let by_short_name = quote! {
        match crate::object::type_name(odata_type) {
            #( #short_arms )*
            _ => Self::#base(::std::default::Default::default()),
        }
    };
    let select = if by_qualified.is_empty() {
        by_short_name
    } else {
        quote! {
            match odata_type {
                #( #qualified_arms )*
                _ => #by_short_name,
            }
        }
    };
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
    let cfg = features_cfg(&t.features);
    Some(quote! {
        #doc
        #cfg
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #[doc = #base_doc]
            #base(::std::boxed::Box<#base>),
            #( #[doc = #variant_docs] #cfgs #names(::std::boxed::Box<crate::types::#names>), )*
        }

        #cfg
        impl ::std::default::Default for #any {
            fn default() -> Self {
                Self::#base(::std::default::Default::default())
            }
        }

        #cfg
        impl crate::object::Selectable for #any {
            type Property = crate::properties::#base;
        }

        #cfg
        impl #any {
            /// The `@odata.type` of the value, as sent.
            pub fn odata_type(&self) -> ::std::option::Option<&str> {
                match self {
                    Self::#base(value) => value.odata_type.as_deref(),
                    #( #cfgs Self::#names(value) => value.odata_type.as_deref(), )*
                }
            }

            /// Properties the docs do not list for the value's type.
            pub fn additional_properties(&self) -> &crate::object::Map {
                crate::object::additional_properties(crate::object::Polymorphic::object(self))
            }

            #( #accessors )*
        }

        #cfg
        impl ::std::convert::From<#base> for #any {
            fn from(value: #base) -> Self {
                Self::#base(::std::boxed::Box::new(value))
            }
        }

        #(
            #cfg
            #cfgs
            impl ::std::convert::From<crate::types::#names> for #any {
                fn from(value: crate::types::#names) -> Self {
                    Self::#names(::std::boxed::Box::new(value))
                }
            }
        )*

        #cfg
        impl crate::object::Polymorphic for #any {
            fn select(&mut self, odata_type: &str) {
                *self = #select;
            }
            fn object(&self) -> &dyn crate::object::Object {
                match self {
                    Self::#base(value) => &**value,
                    #( #cfgs Self::#names(value) => &**value, )*
                }
            }
            fn object_mut(&mut self) -> &mut dyn crate::object::Object {
                match self {
                    Self::#base(value) => &mut **value,
                    #( #cfgs Self::#names(value) => &mut **value, )*
                }
            }
            fn variant_odata_type(&self) -> ::std::option::Option<&'static str> {
                match self {
                    Self::#base(_) => ::std::option::Option::None,
                    #( #cfgs Self::#names(_) => ::std::option::Option::Some(#odata_types), )*
                }
            }
        }

        #cfg
        crate::object::polymorphic_traits!(#any);
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

/// The member that marks a Graph enum as evolvable.
const EVOLVABLE_SENTINEL: &str = "unknownFutureValue";

/// An enum keeps values the docs never listed in `Undocumented`, so that a value the
/// service adds later still deserializes and serializes back unchanged.
fn enum_def(e: &EnumDef) -> TokenStream {
    let name = ident(&e.rust_name);
    let cfg = features_cfg(&e.features);
    let doc = docs([
        doc_text(&e.description),
        format!(
            "{} on the wire, {}.",
            doc_code(&e.wire_name),
            documented_at(&e.source, e.web.as_deref())
        ),
    ]);
    let variants: Vec<_> = e.members.iter().map(|m| ident(&m.rust_name)).collect();
    let wires: Vec<_> = e
        .members
        .iter()
        .map(|m| string_literal(&m.wire_name))
        .collect();
    // Graph's evolvable enums: members after `unknownFutureValue` are sent only to a
    // client that asks for them; others get `unknownFutureValue` in their place.
    let sentinel = e
        .members
        .iter()
        .position(|m| m.wire_name == EVOLVABLE_SENTINEL);
    let variant_docs = e.members.iter().enumerate().map(|(i, m)| {
        let evolvable = match sentinel {
            Some(at) if i == at => "Stands for a value added after the client was written: the service sends it in place of members after it, unless the request asks for them.",
            Some(at) if i > at => "Sent only when the request has `Prefer: include-unknown-enum-members`; otherwise the service sends `unknownFutureValue`.",
            _ => "",
        };
        docs([doc_text(&m.description), evolvable.to_owned()])
    });
    quote! {
        #doc
        #cfg
        #[derive(Clone, PartialEq)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the docs do not list, kept as sent.
            Undocumented(::std::string::String),
        }

        #cfg
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

        #cfg
        crate::object::enum_traits!(#name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;
    use crate::model::EnumMember;

    #[test]
    fn members_after_unknown_future_value_say_how_to_get_them() {
        let member = |name: &str| EnumMember {
            wire_name: name.into(),
            rust_name: name[..1].to_uppercase() + &name[1..],
            description: String::new(),
            source: Source::new("e.md", 1, 1),
        };
        let e = EnumDef {
            wire_name: "level".into(),
            rust_name: "Level".into(),
            description: String::new(),
            members: vec![member("low"), member(EVOLVABLE_SENTINEL), member("extreme")],
            flags: false,
            area: "a".into(),
            features: vec!["a".into()],
            part: "part-1".into(),
            source: Source::new("e.md", 1, 1),
            web: None,
        };
        let code = enum_def(&e).to_string();
        let low = code.find("Low ,").unwrap();
        let extreme = code.find("Extreme ,").unwrap();
        let prefer = code.find("include-unknown-enum-members").unwrap();
        // The note is on `Extreme` (after the sentinel), not on `Low`.
        assert!(low < prefer && prefer < extreme, "{code}");
        assert_eq!(
            code.matches("include-unknown-enum-members").count(),
            1,
            "{code}"
        );
    }
}
