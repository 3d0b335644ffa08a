//! Assertions on the values an example deserializes into: the variant `@odata.type`
//! picks, enum members (documented, undocumented, flags), explicit `null`s, integers,
//! instants to the nanosecond, GUIDs, bytes, durations and decimals. A JSON round trip
//! cannot show these: a value read into the wrong variant or member can still write back
//! the same JSON.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::types::variant_cfg;
use super::{ident, string_literal};
use crate::model::{Model, Primitive, TypeDef, TypeRef, odata_short_name};
use crate::wire;

/// Bytes of a Binary value compared in full; longer ones compare this many and the length.
const BINARY_PREFIX: usize = 64;

pub struct Expect<'m> {
    model: &'m Model,
    /// The area whose tests these are: variants of other areas' types need their feature.
    area: &'m str,
    bindings: usize,
}

impl<'m> Expect<'m> {
    pub fn new(model: &'m Model, area: &'m str) -> Self {
        Expect {
            model,
            area,
            bindings: 0,
        }
    }

    /// Statements asserting that `root` (a `T` for `ty`) holds what `value` says.
    pub fn value(&mut self, value: &Value, ty: &TypeRef, root: TokenStream) -> Vec<TokenStream> {
        let mut out = Vec::new();
        let binding = self.binding();
        self.walk(value, ty, quote! { #binding }, "$", &mut out);
        if !out.is_empty() {
            out.insert(0, quote! { let #binding = &#root; });
        }
        out
    }

    /// A fresh name for a value under test (underscored: some are only matched).
    fn binding(&mut self) -> proc_macro2::Ident {
        self.bindings += 1;
        ident(&format!("_v{}", self.bindings))
    }

    /// `expr` is a reference: a binding or a `support::set(..)` call.
    fn walk(
        &mut self,
        value: &Value,
        ty: &TypeRef,
        expr: TokenStream,
        at: &str,
        out: &mut Vec<TokenStream>,
    ) {
        match (ty, value) {
            (TypeRef::Collection { item }, Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    let binding = self.binding();
                    let mut inner = Vec::new();
                    self.walk(
                        v,
                        item,
                        quote! { #binding },
                        &format!("{at}[{i}]"),
                        &mut inner,
                    );
                    if !inner.is_empty() {
                        out.push(quote! { let #binding = &#expr[#i]; });
                        out.extend(inner);
                    }
                }
            }
            (
                TypeRef::Struct {
                    rust_name,
                    any_name,
                    ..
                },
                Value::Object(map),
            ) => {
                let Some(base) = self.model.type_named(rust_name) else {
                    return;
                };
                let Some(any) = any_name else {
                    self.fields(map, base, expr, at, out);
                    return;
                };
                let named = map.get("@odata.type").and_then(Value::as_str);
                let short = named.map(odata_short_name);
                let concrete = base.concrete(value, |rust| self.model.type_named(rust));
                let binding = self.binding();
                let any = ident(any);
                let variant = ident(&concrete.rust_name);
                let expected = &concrete.wire_name;
                let mut inner = vec![quote! {
                    let generated::types::#any::#variant(#binding) = #expr else {
                        panic!("{} should be read as `{}`, not {:?}", #at, #expected, #expr.odata_type());
                    };
                }];
                // An unknown derived type keeps its name and its extra properties.
                if std::ptr::eq(concrete, base) && short.is_some_and(|s| s != base.wire_name) {
                    inner
                        .push(quote! { support::equal(&#binding.odata_type.as_deref(), &Some(#named), #at); });
                    for key in map.keys().filter(|k| {
                        !k.starts_with('@') && !base.properties.iter().any(|p| &p.wire_name == *k)
                    }) {
                        inner.push(
                            quote! { assert!(#binding.additional_properties.contains_key(#key)); },
                        );
                    }
                }
                self.fields(map, concrete, quote! { #binding }, at, &mut inner);
                if concrete.area == self.area || std::ptr::eq(concrete, base) {
                    out.extend(inner);
                } else {
                    let cfg = variant_cfg(base, concrete);
                    out.push(quote! { #cfg { #( #inner )* } });
                }
            }
            (
                TypeRef::Enum {
                    rust_name, flags, ..
                },
                Value::String(text),
            ) => {
                let Some(def) = self.model.enum_named(rust_name) else {
                    return;
                };
                let name = ident(rust_name);
                let member = |text: &str| match def.members.iter().find(|m| m.wire_name == text) {
                    Some(m) => {
                        let variant = ident(&m.rust_name);
                        quote! { generated::types::#name::#variant }
                    }
                    None => quote! { generated::types::#name::Undocumented(#text.to_owned()) },
                };
                if *flags {
                    let members = text
                        .split(',')
                        .map(str::trim)
                        .filter(|m| !m.is_empty())
                        .map(member);
                    out.push(quote! { support::equal(&#expr.0, &vec![ #( #members ),* ], #at); });
                } else {
                    let member = member(text);
                    out.push(quote! { support::equal(#expr, &#member, #at); });
                }
            }
            (TypeRef::Primitive { name }, value) => {
                if let Some(check) = primitive(*name, value, &expr, at) {
                    out.push(quote! { #check; });
                }
            }
            _ => {}
        }
    }

    /// The documented properties of an object: `null` ones are `Null`, set ones are
    /// checked further.
    fn fields(
        &mut self,
        map: &serde_json::Map<String, Value>,
        def: &TypeDef,
        expr: TokenStream,
        at: &str,
        out: &mut Vec<TokenStream>,
    ) {
        for (key, v) in map {
            let Some(p) = def.properties.iter().find(|p| &p.wire_name == key) else {
                continue;
            };
            let field = ident(&p.rust_name);
            let path = format!("{at}.{key}");
            let path_literal = string_literal(&path);
            if v.is_null() {
                out.push(
                    quote! { assert!(#expr.#field.is_null(), "{} should be null", #path_literal); },
                );
                continue;
            }
            // Fields and methods reach through a `Box` (only struct fields are boxed).
            let inner = quote! { support::set(&#expr.#field, #path_literal) };
            self.walk(v, &p.ty, inner, &path, out);
        }
    }
}

/// An assertion on a primitive value, for the primitives a round trip could get wrong
/// without showing it.
fn primitive(name: Primitive, value: &Value, expr: &TokenStream, at: &str) -> Option<TokenStream> {
    let text = value.as_str();
    Some(match name {
        Primitive::Int64 => {
            let n = value.as_i64()?;
            quote! { support::equal(#expr, &#n, #at) }
        }
        Primitive::Int32 => {
            let n = i32::try_from(value.as_i64()?).ok()?;
            quote! { support::equal(#expr, &#n, #at) }
        }
        Primitive::Int16 => {
            let n = i16::try_from(value.as_i64()?).ok()?;
            quote! { support::equal(#expr, &#n, #at) }
        }
        Primitive::Byte => {
            let n = u8::try_from(value.as_i64()?).ok()?;
            quote! { support::equal(#expr, &#n, #at) }
        }
        Primitive::SByte => {
            let n = i8::try_from(value.as_i64()?).ok()?;
            quote! { support::equal(#expr, &#n, #at) }
        }
        Primitive::DateTimeOffset => {
            let t = chrono::DateTime::parse_from_rfc3339(text?).ok()?;
            let (seconds, nanos, offset) = (
                t.timestamp(),
                t.timestamp_subsec_nanos(),
                t.offset().local_minus_utc(),
            );
            quote! { support::equal(&support::instant(#expr), &(#seconds, #nanos, #offset), #at) }
        }
        Primitive::Date => {
            use chrono::Datelike as _;
            let d: chrono::NaiveDate = text?.parse().ok()?;
            let (y, m, day) = (d.year(), d.month(), d.day());
            quote! { support::equal(#expr, &::chrono::NaiveDate::from_ymd_opt(#y, #m, #day).unwrap(), #at) }
        }
        Primitive::Guid => {
            let n = uuid::Uuid::parse_str(text?).ok()?.as_u128();
            quote! { support::equal(#expr, &::uuid::Uuid::from_u128(#n), #at) }
        }
        Primitive::Binary => {
            let bytes = wire::Binary::decode(text?).ok()?.0;
            let length = bytes.len();
            let prefix = &bytes[..length.min(BINARY_PREFIX)];
            let end = prefix.len();
            quote! {
                support::equal(&(#expr.as_bytes().len(), &#expr.as_bytes()[..#end]), &(#length, &[ #( #prefix ),* ][..]), #at)
            }
        }
        Primitive::Duration => {
            let duration = wire::Duration::parse(text?).ok()?;
            match duration.to_std() {
                Some(d) => {
                    let (seconds, nanos) = (d.as_secs(), d.subsec_nanos());
                    quote! { support::equal(&#expr.to_std(), &Some(::std::time::Duration::new(#seconds, #nanos)), #at) }
                }
                None => quote! { support::equal(#expr.as_str(), #text, #at) },
            }
        }
        Primitive::Decimal => {
            let decimal = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.as_f64()?.to_string(),
                _ => return None,
            };
            quote! { support::equal(#expr.as_str(), #decimal, #at) }
        }
        _ => return None,
    })
}
