//! How the type hierarchy came out: derived types, `AnyX` enums and their uses, links
//! to other areas, inheritance cycles.

use super::*;

/// How the type hierarchy came out.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Hierarchy {
    /// Types with a resolved base type.
    pub derived_types: usize,
    /// Types others derive from, each read through its `AnyX` enum.
    pub polymorphic_types: usize,
    /// Variants of those enums besides the base's own.
    pub variants: usize,
    /// Properties, bodies and results typed as an `AnyX`, and of those, collections.
    pub polymorphic_references: usize,
    pub polymorphic_collections: usize,
    /// Properties holding a resource of another area, kept as JSON so that each area
    /// compiles on its own.
    pub links_to_other_areas: usize,
    /// Areas, and the largest share of the types (by properties) one area's feature
    /// compiles, in percent, with that area's name.
    pub areas: usize,
    pub largest_area_share: (String, f64),
    /// Types whose base chain comes back to them, and the findings that report a cycle.
    pub types_in_inheritance_cycles: usize,
    pub inheritance_cycle_findings: usize,
    pub flag_enums: usize,
    /// Tested list responses with an item of a derived type, and how many round-tripped.
    pub derived_list_examples: usize,
    pub derived_list_examples_round_tripped: Option<usize>,
}

impl Hierarchy {
    pub(super) fn new(
        model: &Model,
        diagnostics: &[Diagnostic],
        tests: Option<&TestResults>,
    ) -> Self {
        let by_wire: HashMap<&str, &crate::model::TypeDef> = model
            .types
            .iter()
            .map(|t| (t.wire_name.as_str(), t))
            .collect();
        let mut h = Hierarchy {
            derived_types: model.types.iter().filter(|t| t.base.is_some()).count(),
            polymorphic_types: model.types.iter().filter(|t| t.any_name.is_some()).count(),
            variants: model.types.iter().map(|t| t.derived.len()).sum(),
            flag_enums: model.enums.iter().filter(|e| e.flags).count(),
            inheritance_cycle_findings: diagnostics
                .iter()
                .filter(|d| d.code == Code::BaseType && d.message.ends_with("a cycle"))
                .count(),
            ..Hierarchy::default()
        };
        h.links_to_other_areas = model
            .types
            .iter()
            .flat_map(|t| &t.properties)
            .filter(|p| match &p.ty {
                TypeRef::Collection { item } => matches!(**item, TypeRef::Foreign { .. }),
                ty => matches!(ty, TypeRef::Foreign { .. }),
            })
            .count();
        h.areas = model.areas.len();
        // What each area's feature compiles, weighed by properties (a type counts one more).
        let weight = |t: &crate::model::TypeDef| t.properties.len() + 1;
        let total: usize = model.types.iter().map(weight).sum();
        for area in &model.areas {
            let compiled: usize = model
                .types
                .iter()
                .filter(|t| t.features.contains(&area.name))
                .map(weight)
                .sum();
            let share = 100.0 * compiled as f64 / total.max(1) as f64;
            if share > h.largest_area_share.1 {
                h.largest_area_share = (area.name.clone(), share);
            }
        }
        h.types_in_inheritance_cycles = model
            .types
            .iter()
            .filter(|t| {
                let mut current = t.base.as_deref();
                for _ in 0..=model.types.len() {
                    match current {
                        Some(base) if base == t.wire_name => return true,
                        Some(base) => current = by_wire.get(base).and_then(|b| b.base.as_deref()),
                        None => return false,
                    }
                }
                false
            })
            .count();
        let mut count = |ty: &TypeRef| {
            let (item, collection) = match ty {
                TypeRef::Collection { item } => (item.as_ref(), true),
                other => (other, false),
            };
            if let TypeRef::Struct {
                any_name: Some(_), ..
            } = item
            {
                h.polymorphic_references += 1;
                h.polymorphic_collections += usize::from(collection);
            }
        };
        for t in &model.types {
            t.properties.iter().for_each(|p| count(&p.ty));
        }
        for op in &model.operations {
            op.body_item().into_iter().for_each(&mut count);
            match &op.response {
                Response::Json { item } => count(item),
                Response::Collection { item } => count(&TypeRef::Collection {
                    item: Box::new(item.clone()),
                }),
                Response::Empty | Response::Bytes | Response::Count | Response::Accepted => {}
            }
        }
        for op in &model.operations {
            let Response::Collection {
                item:
                    TypeRef::Struct {
                        rust_name,
                        any_name: Some(_),
                        ..
                    },
            } = &op.response
            else {
                continue;
            };
            let Some(base) = model.type_named(rust_name) else {
                continue;
            };
            for example in &op.examples {
                let Some(body) = example.response.as_ref().and_then(|r| r.body.as_ref()) else {
                    continue;
                };
                let has_derived = body.value["value"].as_array().is_some_and(|items| {
                    items.iter().any(|item| {
                        let concrete = base.concrete(item, |rust| model.type_named(rust));
                        !std::ptr::eq(concrete, base)
                    })
                });
                if has_derived {
                    h.derived_list_examples += 1;
                    if let Some(tests) = tests {
                        let passed = tests.get(&format!("{}_response", example.test_name))
                            == Some(&TestOutcome::Passed);
                        *h.derived_list_examples_round_tripped.get_or_insert(0) +=
                            usize::from(passed);
                    }
                }
            }
        }
        h
    }
}
