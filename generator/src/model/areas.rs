//! API areas: a module in `types` and `requests` and a cargo feature each. An area's
//! feature compiles its own items and exactly the types they use, item by item, so that
//! turning one area on costs that area's share of the crate, not the whole API.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use super::naming::{Case, Scope};
use super::{Area, EnumDef, Operation, TypeDef, TypeRef, enum_position, type_named, type_position};

/// Gives every item its area's module name, keeps links to another area's resources as
/// JSON, and sets the features that compile each type and enum. Returns the areas.
pub(super) fn areas(
    types: &mut [TypeDef],
    enums: &mut [EnumDef],
    operations: &mut [Operation],
) -> Vec<Area> {
    name_areas(types, enums, operations);
    link_foreign(types);
    let closures = closures(types, enums, operations);
    let mut features: HashMap<&str, BTreeSet<&str>> = HashMap::default();
    for (area, items) in &closures {
        for item in items {
            features.entry(item).or_default().insert(area);
        }
    }
    let features_of = |name: &str| -> Vec<String> {
        features
            .get(name)
            .into_iter()
            .flatten()
            .map(|f| f.to_string())
            .collect()
    };
    let area_of = |name: &str| {
        type_named(types, name)
            .map(|t| t.area.as_str())
            .or_else(|| enum_position(enums, name).map(|e| enums[e].area.as_str()))
    };
    let areas: Vec<Area> = closures
        .iter()
        .map(|(area, items)| Area {
            name: area.clone(),
            needs: items
                .iter()
                .filter_map(|item| area_of(item))
                .filter(|a| a != area)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
        .collect();
    let type_features: Vec<Vec<String>> = types.iter().map(|t| features_of(&t.rust_name)).collect();
    let enum_features: Vec<Vec<String>> = enums.iter().map(|e| features_of(&e.rust_name)).collect();
    for (t, f) in types.iter_mut().zip(type_features) {
        t.features = f;
    }
    for (e, f) in enums.iter_mut().zip(enum_features) {
        e.features = f;
    }
    areas
}

/// Area names as Rust module names (and feature names), unique and clear of the names
/// the crate root already uses.
fn name_areas(types: &mut [TypeDef], enums: &mut [EnumDef], operations: &mut [Operation]) {
    let raw: BTreeSet<String> = types
        .iter()
        .map(|t| t.area.clone())
        .chain(enums.iter().map(|e| e.area.clone()))
        .chain(operations.iter().map(|o| o.area.clone()))
        .collect();
    let mut scope = Scope::default();
    // Names the crate root already uses, and crates a glob re-export would clash with.
    for reserved in [
        "full",
        "default",
        "types",
        "requests",
        "core",
        "std",
        "alloc",
        "serde",
        "serde_json",
        "erased_serde",
        "http",
        "chrono",
        "percent_encoding",
        "client",
        "auth",
        "batch",
        "tracing",
        "wire",
        "object",
        "uuid",
        "base64",
    ] {
        scope.reserve(reserved);
    }
    let names: HashMap<String, String> = raw
        .iter()
        .map(|a| (a.clone(), scope.claim(a, Case::Snake)))
        .collect();
    for t in types.iter_mut() {
        t.area = names[&t.area].clone();
    }
    for e in enums.iter_mut() {
        e.area = names[&e.area].clone();
    }
    for o in operations.iter_mut() {
        o.area = names[&o.area].clone();
    }
}

/// A property that holds a resource of another area (an entity: it has an `id`) is
/// kept as JSON. Such links (a user's manager, a message's attachments) join every
/// area of an API to every other; cut, an area needs only the values it embeds.
/// Structural values of other areas (an `identitySet`, an `itemBody`) stay typed.
fn link_foreign(types: &mut [TypeDef]) {
    let entities: HashMap<String, (String, String)> = types
        .iter()
        .filter(|t| t.properties.iter().any(|p| p.wire_name == "id"))
        .map(|t| {
            let read_as = t.any_name.clone().unwrap_or_else(|| t.rust_name.clone());
            (t.rust_name.clone(), (t.area.clone(), read_as))
        })
        .collect();
    fn cut(ty: &mut TypeRef, owner: &str, entities: &HashMap<String, (String, String)>) -> bool {
        match ty {
            TypeRef::Collection { item } => cut(item, owner, entities),
            TypeRef::Struct {
                wire_name,
                rust_name,
                ..
            } => match entities.get(rust_name.as_str()) {
                Some((area, read_as)) if area != owner => {
                    *ty = TypeRef::Foreign {
                        wire_name: wire_name.clone(),
                        rust_name: read_as.clone(),
                        area: area.clone(),
                    };
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }
    for t in types.iter_mut() {
        let owner = t.area.clone();
        for p in &mut t.properties {
            if cut(&mut p.ty, &owner, &entities) {
                // JSON needs no box to break a cycle.
                p.boxed = false;
            }
        }
    }
}

/// For each area, the Rust names of the types and enums its feature compiles: its own,
/// the types its operations take and return, and everything those embed. A type's
/// derived types of the same area come with it (they are variants of its `AnyX`);
/// those of other areas are variants only when their own area is on.
fn closures(
    types: &[TypeDef],
    enums: &[EnumDef],
    operations: &[Operation],
) -> BTreeMap<String, BTreeSet<String>> {
    let uses = |name: &str| -> Vec<&str> {
        let Some(t) = type_named(types, name) else {
            return Vec::new();
        };
        let mut out: Vec<&str> = t.properties.iter().filter_map(|p| p.ty.named()).collect();
        out.extend(
            t.derived
                .iter()
                .filter(|d| type_named(types, d).is_some_and(|d| d.area == t.area))
                .map(String::as_str),
        );
        out
    };
    let mut roots: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in types {
        roots.entry(&t.area).or_default().push(&t.rust_name);
    }
    for e in enums {
        roots.entry(&e.area).or_default().push(&e.rust_name);
    }
    for o in operations {
        roots
            .entry(&o.area)
            .or_default()
            .extend(o.carried().filter_map(TypeRef::named));
    }
    roots
        .into_iter()
        .map(|(area, roots)| {
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            let mut pending: Vec<&str> = roots;
            while let Some(next) = pending.pop() {
                let known =
                    type_position(types, next).is_some() || enum_position(enums, next).is_some();
                if known && seen.insert(next) {
                    pending.extend(uses(next));
                }
            }
            (
                area.to_owned(),
                seen.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect()
}
