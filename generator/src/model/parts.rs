//! The crates the types and request functions are split into. rustc compiles a crate as
//! one unit: its time and memory grow with the whole of it, and crates that do not
//! depend on each other compile at once. So:
//!
//! - the areas are grouped into parts of about [`PART_SIZE`], areas that use the same
//!   types together;
//! - a type is *used by* the parts whose areas' features compile it, and by the parts
//!   that use a type that names it (a property's type, a variant of an `AnyX` that
//!   something reads);
//! - the types used by one part are that part's crate (`part-1`), with the request
//!   functions of its areas; types used by several parts are the crate of that set of
//!   parts (`part-1-3`), and the sets too small to be worth a crate go, with what they
//!   use, to `shared`.
//!
//! What a type names is used by the same parts and more, so a crate only names crates of
//! larger sets, or `shared`, which names no other: no cycle can form, and crates of sets
//! of the same size build side by side. An `AnyX` nothing reads (no property or
//! operation has its type) keeps only the variants its crate can name; the others are
//! read as the base type, with their `@odata.type` and properties kept.

use std::collections::{BTreeMap, BTreeSet};

use super::{EnumDef, Operation, Part, TypeDef, TypeRef, enum_position, type_position};

/// About how much one part holds, in [`size`] units: a few thousand lines of generated
/// Rust, which rustc checks in seconds and under a few hundred MiB.
pub const PART_SIZE: usize = 8_000;

/// What a request function costs to compile, in [`size`] units.
const OPERATION_SIZE: usize = 2;

/// `size` in steps of a fiftieth of `part_size`, the unit sizes are compared in where
/// things are packed into crates: near-equal choices then tie and are settled by name
/// and number, so that a change of a few properties rarely moves an area (or a
/// module of the navigation) and all its files to another crate.
pub fn in_steps(size: usize, part_size: usize) -> usize {
    let step = (part_size / 50).max(1);
    (size + step / 2) / step
}

/// The name of the crate of the types used by every part, or by sets of parts too
/// small to have a crate of their own.
pub const SHARED: &str = "shared";

/// The items (types, then enums), what each names, and how large each is.
struct Items<'a> {
    types: &'a [TypeDef],
    sizes: Vec<usize>,
    features: Vec<&'a [String]>,
    /// Items an item cannot be compiled without.
    names: Vec<Vec<usize>>,
    /// Variants of an `AnyX` nothing reads, in another area: kept when reachable.
    optional: Vec<Vec<usize>>,
    /// Each operation's area and the items it names.
    operations: Vec<(&'a str, Vec<usize>)>,
}

impl<'a> Items<'a> {
    fn new(types: &'a [TypeDef], enums: &'a [EnumDef], operations: &'a [Operation]) -> Self {
        // Items are numbered types first, then enums.
        let index = |name: &str| {
            type_position(types, name)
                .or_else(|| enum_position(enums, name).map(|e| types.len() + e))
        };
        let item = |ty: &TypeRef| ty.named().and_then(index);
        // The bases something reads as their `AnyX`.
        let mut read = vec![false; types.len()];
        let properties = types
            .iter()
            .flat_map(|t| t.properties.iter().map(|p| &p.ty));
        for i in properties
            .chain(operations.iter().flat_map(Operation::carried))
            .filter_map(item)
        {
            if i < types.len() && types[i].any_name.is_some() {
                read[i] = true;
            }
        }
        let operation_names = operations
            .iter()
            .map(|op| (op.area.as_str(), op.carried().filter_map(item).collect()))
            .collect();
        let mut names = Vec::new();
        let mut optional = Vec::new();
        for (i, t) in types.iter().enumerate() {
            let mut out: Vec<usize> = t.properties.iter().filter_map(|p| item(&p.ty)).collect();
            let mut maybe = Vec::new();
            for d in t.derived.iter().filter_map(|d| index(d)) {
                match read[i] || types[d].area == t.area {
                    true => out.push(d),
                    false => maybe.push(d),
                }
            }
            names.push(out);
            optional.push(maybe);
        }
        names.extend(enums.iter().map(|_| Vec::new()));
        optional.extend(enums.iter().map(|_| Vec::new()));
        Items {
            types,
            sizes: types
                .iter()
                .map(|t| 4 + t.properties.len() + t.derived.len())
                .chain(enums.iter().map(|e| 1 + e.members.len() / 4))
                .collect(),
            features: types
                .iter()
                .map(|t| t.features.as_slice())
                .chain(enums.iter().map(|e| e.features.as_slice()))
                .collect(),
            names,
            optional,
            operations: operation_names,
        }
    }
}

/// Sets the crate of every type, enum and operation, and drops the variants of an `AnyX`
/// nothing reads that its crate cannot name; returns the crates, each after those it
/// uses.
pub(super) fn parts(
    types: &mut [TypeDef],
    enums: &mut [EnumDef],
    operations: &mut [Operation],
) -> Vec<Part> {
    parts_of_size(types, enums, operations, PART_SIZE)
}

fn parts_of_size(
    types: &mut [TypeDef],
    enums: &mut [EnumDef],
    operations: &mut [Operation],
    part_size: usize,
) -> Vec<Part> {
    let items = Items::new(types, enums, operations);
    let count = items.sizes.len();
    let groups = group_areas(&items, part_size);
    let groups_count = groups.values().max().map_or(0, |last| last + 1);
    // The parts that use each item: from its features, then down what names it.
    let mut users: Vec<BTreeSet<usize>> = items
        .features
        .iter()
        .map(|features| features.iter().map(|f| groups[f.as_str()]).collect())
        .collect();
    let order = topological(&items.names);
    settle(&order, &items.names, &mut users, |from, to| {
        let before = to.len();
        to.extend(from.iter().copied());
        to.len() > before
    });
    // Sets of parts too small for a crate, and the set of all parts, go to `shared`
    // with all they name.
    let mut set_sizes: BTreeMap<&BTreeSet<usize>, usize> = BTreeMap::new();
    for (i, set) in users.iter().enumerate() {
        *set_sizes.entry(set).or_default() += items.sizes[i];
    }
    let mut shared: Vec<bool> = users
        .iter()
        .map(|set| set.len() > 1 && (set.len() == groups_count || set_sizes[set] < part_size / 8))
        .collect();
    settle(&order, &items.names, &mut shared, |from, to| {
        let grew = *from && !*to;
        *to |= *from;
        grew
    });
    let part_name = |set: &BTreeSet<usize>| -> String {
        let set: Vec<String> = set.iter().map(|g| (g + 1).to_string()).collect();
        format!("part-{}", set.join("-"))
    };
    let crate_of: Vec<String> = (0..count)
        .map(|i| match shared[i] {
            true => SHARED.to_owned(),
            false => part_name(&users[i]),
        })
        .collect();
    // A request function is in its area's part, which can name whatever the area uses.
    let operation_parts: Vec<String> = items
        .operations
        .iter()
        .map(|(area, _)| part_name(&BTreeSet::from([groups[*area]])))
        .collect();
    // The crates each crate names, directly or through others.
    let mut uses: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for i in 0..count {
        let used = uses.entry(&crate_of[i]).or_default();
        used.extend(items.names[i].iter().map(|&n| crate_of[n].as_str()));
        used.remove(crate_of[i].as_str());
    }
    for ((_, named), part) in items.operations.iter().zip(&operation_parts) {
        let used = uses.entry(part).or_default();
        used.extend(named.iter().map(|&n| crate_of[n].as_str()));
        used.remove(part.as_str());
    }
    let closed = transitive(&uses);
    // Variants of an `AnyX` nothing reads: kept when their crate can be named.
    let mut dropped: Vec<Vec<String>> = vec![Vec::new(); types.len()];
    for (i, maybe) in items.optional.iter().enumerate() {
        let home = crate_of[i].as_str();
        for &d in maybe {
            let there = crate_of[d].as_str();
            if there != home && !closed[home].contains(there) {
                dropped[i].push(items.types[d].rust_name.clone());
            }
        }
    }
    // Each crate's features: its items', and the areas of the variants it holds (a
    // variant of another area is compiled with that area's feature, see `variant_cfg`).
    let mut features: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (home, item_features) in crate_of.iter().zip(&items.features) {
        features
            .entry(home)
            .or_default()
            .extend(item_features.iter().cloned());
    }
    for ((area, _), part) in items.operations.iter().zip(&operation_parts) {
        features.entry(part).or_default().insert(area.to_string());
    }
    for (i, t) in items.types.iter().enumerate() {
        for d in items.names[i].iter().chain(&items.optional[i]) {
            let derived = items
                .types
                .get(*d)
                .filter(|d| t.derived.contains(&d.rust_name));
            if let Some(derived) = derived.filter(|d| !dropped[i].contains(&d.rust_name)) {
                features
                    .entry(&crate_of[i])
                    .or_default()
                    .insert(derived.area.clone());
            }
        }
    }
    let mut parts: Vec<Part> = features
        .into_iter()
        .map(|(name, features)| Part {
            name: name.to_owned(),
            features: features.into_iter().collect(),
            uses: closed
                .get(name)
                .into_iter()
                .flatten()
                .map(|u| u.to_string())
                .collect(),
        })
        .collect();
    // Each after those it uses: by how many crates it uses, then by name.
    parts.sort_by(|a, b| (a.uses.len(), &a.name).cmp(&(b.uses.len(), &b.name)));
    drop(items);
    for ((t, dropped), part) in types.iter_mut().zip(dropped).zip(&crate_of) {
        t.derived.retain(|d| !dropped.contains(d));
        t.part = part.clone();
    }
    for (e, part) in enums.iter_mut().zip(&crate_of[types.len()..]) {
        e.part = part.clone();
    }
    for (op, part) in operations.iter_mut().zip(operation_parts) {
        op.part = part;
    }
    parts
}

/// The items in an order where an item comes before every item it names, but in
/// cycles (types that hold each other, boxed), which are entered at their first item.
fn topological(names: &[Vec<usize>]) -> Vec<usize> {
    let mut named_by = vec![0usize; names.len()];
    for list in names {
        for &n in list {
            named_by[n] += 1;
        }
    }
    let mut ready: Vec<usize> = (0..names.len()).filter(|&i| named_by[i] == 0).collect();
    let mut order = Vec::with_capacity(names.len());
    let mut placed = vec![false; names.len()];
    loop {
        while let Some(i) = ready.pop() {
            if std::mem::replace(&mut placed[i], true) {
                continue;
            }
            order.push(i);
            for &n in &names[i] {
                named_by[n] = named_by[n].saturating_sub(1);
                if named_by[n] == 0 {
                    ready.push(n);
                }
            }
        }
        match (0..names.len()).find(|&i| !placed[i]) {
            Some(i) => ready.push(i),
            None => return order,
        }
    }
}

/// Passes `flow(from, to)` from each item to those it names, in `order`, until nothing
/// changes (one pass, but for cycles).
fn settle<T: Clone>(
    order: &[usize],
    names: &[Vec<usize>],
    values: &mut [T],
    flow: impl Fn(&T, &mut T) -> bool,
) {
    loop {
        let mut changed = false;
        for &i in order {
            let from = values[i].clone();
            for &n in &names[i] {
                changed |= flow(&from, &mut values[n]);
            }
        }
        if !changed {
            return;
        }
    }
}

/// Every crate a crate uses, directly or through others.
fn transitive<'a>(
    uses: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let mut closed = uses.clone();
    loop {
        let mut grew = false;
        for (name, direct) in uses {
            let mut all = closed[name].clone();
            for d in direct {
                all.extend(closed.get(d).into_iter().flatten().copied());
            }
            if all.len() > closed[name].len() {
                closed.insert(name, all);
                grew = true;
            }
        }
        if !grew {
            return closed;
        }
    }
}

/// Each area's group (numbered from 0). Areas are placed largest first, each in the
/// group whose types (the union of its areas' closures) grow the least with it, so
/// that areas that use the same types share a group and groups stay near the same
/// size; as many groups as `part_size` asks for. Deterministic: ties go by name.
fn group_areas<'a>(items: &Items<'a>, part_size: usize) -> BTreeMap<&'a str, usize> {
    let mut closures: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, features) in items.features.iter().enumerate() {
        for feature in *features {
            closures.entry(feature).or_default().push(index);
        }
    }
    // An area's request functions are its own: they weigh on its group alone.
    let mut own: BTreeMap<&str, usize> = BTreeMap::new();
    for (area, _) in &items.operations {
        closures.entry(area).or_default();
        *own.entry(area).or_default() += OPERATION_SIZE;
    }
    let total: usize = items.sizes.iter().sum::<usize>() + own.values().sum::<usize>();
    let count = total.div_ceil(part_size).clamp(1, closures.len().max(1));
    let weight = |area: &str, closure: &[usize]| -> usize {
        own.get(area).copied().unwrap_or(0) + closure.iter().map(|&i| items.sizes[i]).sum::<usize>()
    };
    let coarse = |size: usize| in_steps(size, part_size);
    let mut order: Vec<(&str, &Vec<usize>)> = closures.iter().map(|(a, c)| (*a, c)).collect();
    order.sort_by_key(|(area, closure)| (std::cmp::Reverse(coarse(weight(area, closure))), *area));
    let mut members: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); count];
    let mut sizes = vec![0usize; count];
    let mut groups = BTreeMap::new();
    for (area, closure) in order {
        let grown = |group: usize| -> usize {
            sizes[group]
                + own.get(area).copied().unwrap_or(0)
                + closure
                    .iter()
                    .filter(|i| !members[group].contains(i))
                    .map(|&i| items.sizes[i])
                    .sum::<usize>()
        };
        let group = (0..count)
            .min_by_key(|&g| (coarse(grown(g)), g))
            .unwrap_or_default();
        sizes[group] = grown(group);
        members[group].extend(closure.iter().copied());
        groups.insert(area, group);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;
    use crate::model::Property;

    fn source() -> Source {
        Source {
            file: "t.md".into(),
            line: 1,
            column: 1,
        }
    }

    /// A type of `area`, compiled by `features`, with a property per name in `uses`.
    fn ty(name: &str, area: &str, features: &[&str], uses: &[&str], derived: &[&str]) -> TypeDef {
        let properties = (0..40)
            .map(|i| Property {
                wire_name: format!("p{i}"),
                rust_name: format!("p{i}"),
                ty: TypeRef::Primitive {
                    name: super::super::Primitive::String,
                },
                description: String::new(),
                boxed: false,
                source: source(),
            })
            .chain(uses.iter().map(|used| Property {
                wire_name: used.to_lowercase(),
                rust_name: used.to_lowercase(),
                ty: TypeRef::Struct {
                    wire_name: used.to_lowercase(),
                    rust_name: used.to_string(),
                    any_name: None,
                },
                description: String::new(),
                boxed: false,
                source: source(),
            }))
            .collect();
        TypeDef {
            wire_name: name.to_lowercase(),
            rust_name: name.into(),
            odata_type: String::new(),
            description: String::new(),
            base: None,
            properties,
            derived: derived.iter().map(|d| d.to_string()).collect(),
            any_name: (!derived.is_empty()).then(|| format!("Any{name}")),
            area: area.into(),
            features: features.iter().map(|f| f.to_string()).collect(),
            part: String::new(),
            source: source(),
            web: None,
        }
    }

    fn part_of<'t>(types: &'t [TypeDef], name: &str) -> &'t str {
        &types.iter().find(|t| t.rust_name == name).unwrap().part
    }

    #[test]
    fn one_more_property_moves_no_area_to_another_part() {
        // Twelve areas of one type each, of near-equal sizes that ask for four parts.
        let parts_of = |extra: usize| {
            let mut types: Vec<TypeDef> = (0..12)
                .map(|i| {
                    let name = format!("T{i:02}");
                    let area = format!("a{i:02}");
                    let mut t = ty(&name, &area, &[area.as_str()], &[], &[]);
                    // 400, 401 or 402 properties, and `extra` more on the first.
                    let more = 360 + i % 3 + if i == 0 { extra } else { 0 };
                    for p in 0..more {
                        let mut property = t.properties[0].clone();
                        property.wire_name = format!("q{p}");
                        property.rust_name = format!("q{p}");
                        t.properties.push(property);
                    }
                    t
                })
                .collect();
            let part_size = types.iter().map(|t| t.properties.len()).sum::<usize>() / 4;
            parts_of_size(&mut types, &mut [], &mut [], part_size);
            types.into_iter().map(|t| t.part).collect::<Vec<_>>()
        };
        let before = parts_of(0);
        assert!(
            before.iter().collect::<BTreeSet<_>>().len() > 1,
            "{before:?}"
        );
        assert_eq!(parts_of(1), before);
    }

    #[test]
    fn a_small_api_is_one_crate() {
        let mut types = vec![
            ty("A", "a", &["a"], &[], &[]),
            ty("B", "b", &["b"], &[], &[]),
        ];
        let parts = parts(&mut types, &mut [], &mut []);
        assert_eq!(parts.len(), 1);
        assert_eq!(
            (part_of(&types, "A"), part_of(&types, "B")),
            ("part-1", "part-1")
        );
    }

    #[test]
    fn what_several_parts_use_is_below_them_and_nothing_names_a_crate_above() {
        // Four areas of one type each, a common type (`Common`) they all use, and a
        // type only `a` and `b` use (`Pair`).
        let mut types = vec![
            ty("A", "a", &["a"], &["Common", "Pair"], &[]),
            ty("B", "b", &["b"], &["Common", "Pair"], &[]),
            ty("C", "c", &["c"], &["Common"], &[]),
            ty("D", "d", &["d"], &["Common"], &[]),
            ty("Common", "a", &["a", "b", "c", "d"], &[], &[]),
            ty("Pair", "a", &["a", "b"], &[], &[]),
        ];
        types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let parts = parts_of_size(&mut types, &mut [], &mut [], 50);
        assert_eq!(part_of(&types, "Common"), SHARED);
        let crate_of = |name: &str| {
            parts
                .iter()
                .find(|p| p.name == part_of(&types, name))
                .unwrap()
        };
        // Every crate names only crates it depends on, and those come before it.
        for t in &types {
            let home = crate_of(&t.rust_name);
            for p in &t.properties {
                if let TypeRef::Struct { rust_name, .. } = &p.ty {
                    let there = &crate_of(rust_name).name;
                    assert!(
                        there == &home.name || home.uses.contains(there),
                        "{} names {there}",
                        home.name
                    );
                }
            }
        }
        for (i, part) in parts.iter().enumerate() {
            for used in &part.uses {
                assert!(
                    parts[..i].iter().any(|p| &p.name == used),
                    "{} before {used}",
                    part.name
                );
            }
        }
        assert_ne!(part_of(&types, "A"), part_of(&types, "C"));
    }

    #[test]
    fn an_anyx_something_reads_keeps_its_variants_of_other_crates() {
        let read = || {
            let mut types = vec![
                ty("Base", "a", &["a", "b"], &[], &["Derived"]),
                ty("Derived", "b", &["b"], &[], &[]),
                ty("User", "a", &["a"], &["Base"], &[]),
                ty("Other", "b", &["b"], &["Base"], &[]),
            ];
            // The model keeps its types sorted by Rust name.
            types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
            // `User` reads `Base` as its `AnyBase`.
            for t in &mut types {
                for p in &mut t.properties {
                    if let TypeRef::Struct {
                        rust_name,
                        any_name,
                        ..
                    } = &mut p.ty
                        && rust_name == "Base"
                    {
                        *any_name = Some("AnyBase".into());
                    }
                }
            }
            let parts = parts_of_size(&mut types, &mut [], &mut [], 50);
            let base = types.iter().find(|t| t.rust_name == "Base").unwrap();
            let home = parts.iter().find(|p| p.name == base.part).unwrap();
            (
                base.derived.clone(),
                home.clone(),
                part_of(&types, "Derived").to_owned(),
            )
        };
        let (derived, home, derived_part) = read();
        assert_eq!(derived, ["Derived"]);
        assert!(home.name == derived_part || home.uses.contains(&derived_part));
        assert!(
            home.features.contains(&"b".to_owned()),
            "the variant's feature: {home:?}"
        );
    }
}
