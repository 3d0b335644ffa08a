//! What an example says that its type or its own headers do not: undeclared
//! properties, values of the wrong kind, members no enumeration lists, a
//! `Content-Length` that does not count the body, an `@odata.context` of another
//! service root.

use super::*;

impl<'a> Resolver<'a> {
    /// A `Content-Length` header must count the body's bytes, in one of the forms the
    /// docs show it in: Markdown shows no line endings (a length may count `\r\n`
    /// ones), JSON is shown indented where the service sends it compact, and a response
    /// annotated `truncated` shows less than was sent.
    pub(super) fn check_content_length(
        &mut self,
        headers: &[parse::Header],
        body: Option<&parse::Json>,
        truncated: bool,
    ) {
        let Some(length) = header(headers, "content-length") else {
            return;
        };
        let Ok(declared) = length.value.trim().parse::<usize>() else {
            return;
        };
        let text = body.map_or("", |b| b.text.as_str());
        let actual = text.len();
        let with_crlf = actual + text.matches('\n').count();
        let compact = || match body.map(|b| &b.parsed) {
            Some(parse::Parsed::Json { value, .. }) => serde_json::to_string(&**value).ok(),
            _ => None,
        };
        let counted = declared == actual
            || declared == with_crlf
            || (truncated && declared > actual)
            || compact().is_some_and(|json| json.len() == declared);
        if !counted {
            let mut source = length.source.clone();
            source.column = length.name.chars().count() as u32 + 3;
            self.diagnostics.report(
                source,
                Code::ContentLength,
                format!("Content-Length says {declared} bytes, but the body shown has {actual}"),
                "remove the Content-Length header from the example, or make it match the body",
            );
        }
    }

    /// An example response's `@odata.context` names the service root the response came
    /// from (`https://graph.microsoft.com/v1.0/$metadata#users/$entity`): on these pages
    /// it must be the one the example's request went to (`api`), not another version's
    /// or a test environment's.
    pub(super) fn check_context(&mut self, json: &parse::Json, api: &str) {
        let parse::Parsed::Json { value, .. } = &json.parsed else {
            return;
        };
        let Some(context) = value.get("@odata.context").and_then(Value::as_str) else {
            return;
        };
        let Some((root, _)) = context.split_once("/$metadata") else {
            return;
        };
        // The API's root, or a service root under it (`.../beta/compliance/ediscovery`
        // serves its namespace's own `$metadata`).
        let root_lower = root.trim_end_matches('/').to_ascii_lowercase();
        let api_lower = api.trim_end_matches('/').to_ascii_lowercase();
        let ours = root_lower == api_lower || root_lower.starts_with(&format!("{api_lower}/"));
        if root.contains("://") && !ours {
            self.diagnostics.report(
                json.source.clone(),
                Code::ContextRoot,
                format!(
                    "example `@odata.context` names the service root `{root}`, not `{api}`, where its request went"
                ),
                "copy the response from the documented API version, or correct its `@odata.context`",
            );
        }
    }

    /// The type an object is read as: for a base type, the derived type its
    /// `@odata.type` names (matched as the generated code matches it), else the type.
    pub(super) fn concrete(&self, value: &Value, ty: &TypeRef) -> Option<&TypeDef> {
        let def = self.struct_def(ty)?;
        Some(def.concrete(value, |rust| self.type_by_rust(rust)))
    }

    pub(super) fn struct_def(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match ty {
            TypeRef::Struct { rust_name, .. } => self.type_by_rust(rust_name),
            _ => None,
        }
    }

    fn type_by_rust(&self, rust_name: &str) -> Option<&TypeDef> {
        self.by_rust.get(rust_name).map(|&i| &self.types[i])
    }

    /// Top-level keys the generated struct keeps in its additional properties.
    pub(super) fn undeclared(&self, value: &Value, ty: &TypeRef) -> Vec<String> {
        let (Some(def), Value::Object(map)) = (self.concrete(value, ty), value) else {
            return Vec::new();
        };
        // In the order the struct's map keeps them.
        let mut keys: Vec<String> = map
            .keys()
            .filter(|k| *k != "@odata.type" && !def.properties.iter().any(|p| &p.wire_name == *k))
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    /// Reports example properties that the type's tables do not list, and values that
    /// do not have their declared type, at any depth, each where it stands in the body
    /// (`value` is at path `at` of `json`). False when a value has the wrong type (the
    /// example cannot deserialize).
    pub(super) fn check_declared(
        &mut self,
        value: &Value,
        ty: &TypeRef,
        json: &parse::Json,
        at: &str,
    ) -> bool {
        let mut problems = Vec::new();
        self.find_problems(value, ty, at, &mut problems);
        let positions = match problems.is_empty() {
            true => crate::json::Positions::default(),
            false => crate::json::Positions::of(&json.text),
        };
        let mut conforming = true;
        for problem in problems {
            match problem {
                Problem::Undeclared {
                    path,
                    key,
                    owner,
                    derived,
                } => {
                    let help = match derived.as_slice() {
                        [] => format!(
                            "add `{key}` to the `{owner}` property table, or fix its spelling"
                        ),
                        [(one, odata_type)] => format!(
                            "`{one}`, derived from `{owner}`, declares `{key}`: say so in the object with `\"@odata.type\": \"{odata_type}\"`, or add `{key}` to the `{owner}` property table"
                        ),
                        several => {
                            let names: Vec<String> = several
                                .iter()
                                .map(|(name, _)| format!("`{name}`"))
                                .collect();
                            format!(
                                "types derived from `{owner}` declare `{key}` ({}): say which in the object's `@odata.type`, or add `{key}` to the `{owner}` property table",
                                names.join(", ")
                            )
                        }
                    };
                    self.diagnostics.report(
                        body_source(json, positions.key(&path)),
                        Code::UndeclaredProperty,
                        format!(
                            "example property `{key}` is not a documented property of `{owner}`"
                        ),
                        help,
                    );
                }
                Problem::UnknownMember {
                    path,
                    value,
                    owner,
                    spelled,
                } => {
                    let help = match spelled {
                        Some(member) => format!(
                            "write `{member}`, as the `{owner}` page spells it (OData's names are case-sensitive)"
                        ),
                        None => format!(
                            "use one of the members the `{owner}` page lists, or add this one there"
                        ),
                    };
                    self.diagnostics.report(
                        body_source(json, positions.value(&path)),
                        Code::UnknownMember,
                        format!(
                            "example value `{value}` at `{}` is not a member of `{owner}`",
                            shown(&path)
                        ),
                        help,
                    );
                }
                Problem::NotDerived { path, named, owner } => {
                    self.diagnostics.report(
                        body_source(json, positions.value(&path)),
                        Code::NotDerived,
                        format!("example `{path}` names `{named}`, which is not `{owner}` nor derived from it; it is read as `{owner}`"),
                        format!("name `{owner}` or a type derived from it, or make `{named}` inherit from `{owner}`"),
                    );
                }
                Problem::WrongType {
                    path,
                    expected,
                    found,
                } => {
                    conforming = false;
                    self.diagnostics.report(
                        body_source(json, positions.value(&path)),
                        Code::WrongValueType,
                        format!(
                            "example value {found} at `{}` is not a {expected}",
                            shown(&path)
                        ),
                        format!("write a {expected} value, as the property table declares"),
                    );
                }
            }
        }
        conforming
    }

    /// The types derived from `def` that declare the property `key` themselves (their
    /// base does not; inherited properties are copied down): wire name, `@odata.type`.
    fn derived_declaring(&self, def: &TypeDef, key: &str) -> Vec<(String, String)> {
        let declares = |t: &TypeDef| t.properties.iter().any(|p| p.wire_name == key);
        let base_declares = |t: &TypeDef| match t.base.as_deref().and_then(|b| self.lookup_name(b))
        {
            Some(Named::Struct(b)) => declares(&self.types[b]),
            _ => false,
        };
        (def.derived.iter())
            .filter_map(|rust| self.type_by_rust(rust))
            .filter(|t| declares(t) && !base_declares(t))
            .map(|t| (t.wire_name.clone(), t.odata_type.clone()))
            .collect()
    }

    /// What is wrong with `value` as a `ty`, at any depth. An object's `@odata.type`,
    /// when it names a documented type (a derived one, say), is the type it is checked
    /// against.
    pub(super) fn find_problems(
        &self,
        value: &Value,
        ty: &TypeRef,
        at: &str,
        out: &mut Vec<Problem>,
    ) {
        let wrong = |expected: &str| Problem::WrongType {
            path: at.to_owned(),
            expected: expected.to_owned(),
            found: describe_value(value),
        };
        match (ty, value) {
            (_, Value::Null) | (TypeRef::Json | TypeRef::Foreign { .. }, _) => {}
            (TypeRef::Collection { item }, Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.find_problems(v, item, &crate::json::index_path(at, i), out);
                }
            }
            (TypeRef::Collection { .. }, _) => out.push(wrong("collection (JSON array)")),
            (TypeRef::Struct { .. }, Value::Object(map)) => {
                let Some(def) = self.concrete(value, ty) else {
                    return;
                };
                if let Some(name) = map.get("@odata.type").and_then(Value::as_str)
                    && let Some(Named::Struct(other)) = self.lookup_name(name)
                    && !std::ptr::eq(&self.types[other], def)
                {
                    out.push(Problem::NotDerived {
                        path: crate::json::key_path(at, "@odata.type"),
                        named: self.types[other].wire_name.clone(),
                        owner: def.wire_name.clone(),
                    });
                }
                for (key, v) in map {
                    if key.starts_with('@') || key.contains("@odata.") {
                        continue;
                    }
                    let path = crate::json::key_path(at, key);
                    match def.properties.iter().find(|p| &p.wire_name == key) {
                        Some(p) => self.find_problems(v, &p.ty, &path, out),
                        None => out.push(Problem::Undeclared {
                            path,
                            key: key.clone(),
                            owner: def.wire_name.clone(),
                            derived: self.derived_declaring(def, key),
                        }),
                    }
                }
            }
            (TypeRef::Struct { wire_name, .. }, _) => {
                out.push(wrong(&format!("`{wire_name}` object")))
            }
            // Any string deserializes (values the docs do not list are kept as
            // `Undocumented`), but a value the docs do not list is worth a finding.
            (
                TypeRef::Enum {
                    wire_name, flags, ..
                },
                Value::String(text),
            ) => {
                let Some(Named::Enum(i)) = self.lookup_name(wire_name) else {
                    return;
                };
                let members = &self.enums[i].members;
                // Flag enums are written as comma-separated members.
                let parts: Vec<&str> = if *flags {
                    text.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect()
                } else {
                    vec![text.as_str()]
                };
                for part in parts {
                    if !members.iter().any(|m| m.wire_name == part) {
                        let spelled = members
                            .iter()
                            .find(|m| m.wire_name.eq_ignore_ascii_case(part));
                        out.push(Problem::UnknownMember {
                            path: at.to_owned(),
                            value: part.to_owned(),
                            owner: wire_name.clone(),
                            spelled: spelled.map(|m| m.wire_name.clone()),
                        });
                    }
                }
            }
            (TypeRef::Enum { wire_name, .. }, _) => {
                out.push(wrong(&format!("`{wire_name}` value (a string)")))
            }
            (TypeRef::Primitive { name }, value) => {
                if !primitive_accepts(*name, value) {
                    out.push(wrong(&format!("{name:?}")));
                }
            }
        }
    }
}

/// What is wrong with a value of an example, at its path (`value[0].caller`, see
/// `json::key_path`), where `json::Positions` finds it in the text.
pub(super) enum Problem {
    Undeclared {
        path: String,
        key: String,
        owner: String,
        /// The types derived from the owner that declare the key (wire name,
        /// `@odata.type`): the example may mean one of those and not say so.
        derived: Vec<(String, String)>,
    },
    UnknownMember {
        path: String,
        value: String,
        owner: String,
        /// The member it names in other letter case: members are case-sensitive.
        spelled: Option<String>,
    },
    WrongType {
        path: String,
        expected: String,
        found: String,
    },
    /// An `@odata.type` naming a documented type that is not the declared one or
    /// derived from it.
    NotDerived {
        path: String,
        named: String,
        owner: String,
    },
}

/// A path as findings show it: the root is `$`.
fn shown(path: &str) -> &str {
    if path.is_empty() { "$" } else { path }
}

/// A JSON value in a finding: short, and with its kind.
pub(super) fn describe_value(value: &Value) -> String {
    let text = value.to_string();
    let text = if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    };
    format!("`{text}`")
}

/// Whether a JSON value is a valid wire form of an Edm primitive, as the generated
/// types will read it.
pub(super) fn primitive_accepts(primitive: Primitive, value: &Value) -> bool {
    let integer_in = |min: i64, max: i64| value.as_i64().is_some_and(|n| (min..=max).contains(&n));
    let text_is = |valid: fn(&str) -> bool| value.as_str().is_some_and(valid);
    match primitive {
        Primitive::String | Primitive::Stream => value.is_string(),
        Primitive::Guid => text_is(|s| uuid::Uuid::parse_str(s).is_ok()),
        Primitive::Binary => text_is(|s| wire::Binary::decode(s).is_ok()),
        Primitive::Duration => text_is(|s| wire::Duration::parse(s).is_ok()),
        Primitive::Decimal => value.is_number() || text_is(|s| wire::Decimal::parse(s).is_ok()),
        Primitive::Boolean => value.is_boolean(),
        Primitive::Byte => integer_in(0, 255),
        Primitive::SByte => integer_in(-128, 127),
        Primitive::Int16 => integer_in(i16::MIN.into(), i16::MAX.into()),
        Primitive::Int32 => integer_in(i32::MIN.into(), i32::MAX.into()),
        Primitive::Int64 => {
            value.is_i64() || value.is_u64() && value.as_u64().is_some_and(|n| n <= i64::MAX as u64)
        }
        Primitive::Single | Primitive::Double => value.is_number(),
        Primitive::DateTimeOffset => value
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        Primitive::Date => value
            .as_str()
            .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok()),
        Primitive::TimeOfDay => value
            .as_str()
            .is_some_and(|s| s.parse::<chrono::NaiveTime>().is_ok()),
    }
}
