//! The crates the navigation is compiled in. A crate is compiled as one unit, after every
//! crate it uses: the navigation, which names types of every part, comes last, and in
//! the generated crate it ran alone on one core at the end of every build. Split into
//! crates that build side by side, with the generated crate left to re-export them and
//! hold the service root, it keeps every core busy to the end.
//!
//! A module (a first step's nodes) is the unit: a crate holds whole modules, and modules
//! a step leads between (`/users/{id}/drive` is a node of `drives`) stay in one crate,
//! where the step can build the other's node. There are as many crates as parts'
//! sizes in the navigation, but no more than its largest group fits in it, and two at
//! least (a crate much smaller than that group would end early and leave it alone).
//! The large groups go, largest first, to the crate that holds least, so the crates end
//! at about the same time; the small ones fill the crates in name order, so that a
//! change of a few operations moves few modules (and their files), or none.

use std::collections::BTreeMap;

use super::Node;
use crate::model::parts::{PART_SIZE, in_steps};

/// What a method costs to compile, in `model::parts` size units: an operation is two,
/// a step one.
fn node_size(node: &Node) -> usize {
    node.steps.len() + 2 * node.methods.len()
}

/// The modules of each navigation crate, each crate's sorted by name; none when the
/// navigation is under two parts' size, too small for a split to pay.
pub fn crates(navigation: &[Node]) -> Vec<Vec<&str>> {
    crates_of_size(navigation, PART_SIZE)
}

fn crates_of_size(navigation: &[Node], part_size: usize) -> Vec<Vec<&str>> {
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    for node in navigation.iter().skip(1) {
        *sizes.entry(node.module.as_str()).or_default() += node_size(node);
    }
    let total: usize = sizes.values().sum();
    if total.div_ceil(part_size) < 2 {
        return Vec::new();
    }
    // Modules tied by a step, as groups (union-find over module names).
    let names: Vec<&str> = sizes.keys().copied().collect();
    let position = |name: &str| names.binary_search(&name).ok();
    let mut group: Vec<usize> = (0..names.len()).collect();
    fn root(group: &mut [usize], mut at: usize) -> usize {
        while group[at] != at {
            group[at] = group[group[at]];
            at = group[at];
        }
        at
    }
    for node in navigation.iter().skip(1) {
        for step in &node.steps {
            let (Some(from), Some(to)) = (
                position(&node.module),
                position(&navigation[step.target].module),
            ) else {
                continue;
            };
            let (from, to) = (root(&mut group, from), root(&mut group, to));
            group[from.max(to)] = from.min(to);
        }
    }
    let mut groups: BTreeMap<usize, (usize, Vec<&str>)> = BTreeMap::new();
    for (at, name) in names.iter().enumerate() {
        let entry = groups.entry(root(&mut group, at)).or_default();
        entry.0 += sizes[name];
        entry.1.push(name);
    }
    let mut groups: Vec<(usize, Vec<&str>)> = groups.into_values().collect();
    // Largest first, sizes compared in steps; ties by first module name, so that the
    // split is a function of the docs alone.
    let coarse = |size: usize| in_steps(size, part_size);
    groups.sort_by(|a, b| coarse(b.0).cmp(&coarse(a.0)).then_with(|| a.1.cmp(&b.1)));
    // A crate per part's size, but no more than the largest group fits in the whole:
    // crates smaller than it would end first and leave it alone at the end anyway.
    let largest = groups.first().map_or(1, |g| g.0.max(1));
    let count = total
        .div_ceil(part_size)
        .min((total / largest).max(2))
        .min(groups.len());
    if count < 2 {
        return Vec::new();
    }
    // The large groups (an eighth of a crate's share or more) go, largest first, to the
    // crate holding least: they decide the balance. The small ones then fill the crates
    // one after the other up to an even share, in name order, so that a module that
    // grows or shrinks moves at most the modules at a crate's edge (packed by size
    // too, most of them moved with any change that tipped the order of two crates).
    let share = total.div_ceil(count);
    let (large, mut small): (Vec<_>, Vec<_>) = groups
        .into_iter()
        .partition(|(size, _)| coarse(*size) >= coarse(share / 8));
    let mut crates: Vec<(usize, Vec<&str>)> = vec![(0, Vec::new()); count];
    for (size, modules) in large {
        let smallest = (0..count)
            .min_by_key(|&i| (coarse(crates[i].0), i))
            .unwrap_or_default();
        crates[smallest].0 += size;
        crates[smallest].1.extend(modules);
    }
    small.sort_by(|a, b| a.1.cmp(&b.1));
    let mut filling = 0;
    for (size, modules) in small {
        while filling + 1 < count && crates[filling].0 >= share {
            filling += 1;
        }
        crates[filling].0 += size;
        crates[filling].1.extend(modules);
    }
    crates
        .into_iter()
        .map(|(_, mut modules)| {
            modules.sort_unstable();
            modules
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Method, Step};
    use super::*;

    fn node(module: &str, methods: usize, steps: &[usize]) -> Node {
        Node {
            rust_name: format!("{module}{}", steps.len()),
            path: format!("/{module}"),
            module: module.to_owned(),
            steps: steps
                .iter()
                .map(|&target| Step {
                    name: "next".into(),
                    segment: Vec::new(),
                    target,
                })
                .collect(),
            methods: (0..methods)
                .map(|_| Method {
                    name: "get".into(),
                    operations: Vec::new(),
                })
                .collect(),
        }
    }

    /// A small navigation stays in the generated crate; a large one is split into
    /// crates of about a part's size each, the modules a step ties kept together and
    /// every module in exactly one crate.
    #[test]
    fn modules_are_split_by_size_and_kept_with_the_modules_they_step_into() {
        let root = node("", 0, &[]);
        assert!(crates(&[root.clone(), node("users", 10, &[])]).is_empty());

        let half = PART_SIZE / 2;
        let navigation = vec![
            root,
            node("big", half, &[]),
            // `users` steps into `drives`: one group, whatever their sizes.
            node("users", half / 2, &[3]),
            node("drives", half / 4, &[]),
            node("small", half / 4, &[]),
            node("tiny", 1, &[]),
        ];
        // 16,003 units, three parts' sizes, but the largest group is half: two crates.
        let split = crates(&navigation);
        assert_eq!(
            split,
            [vec!["big", "tiny"], vec!["drives", "small", "users"]]
        );

        // One group four times the rest: still two crates, it and the rest.
        let mut navigation = navigation;
        navigation[1] = node("big", half * 4, &[]);
        let split = crates(&navigation);
        assert_eq!(
            split,
            [vec!["big"], vec!["drives", "small", "tiny", "users"]]
        );
    }

    /// Modules of near-equal sizes are packed the same way when one of them gains an
    /// operation: sizes are compared in steps.
    #[test]
    fn one_more_operation_moves_no_module_to_another_crate() {
        let split = |extra: usize| {
            let mut navigation = vec![node("", 0, &[])];
            for (i, name) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
                let more = if i == 0 { extra } else { 0 };
                navigation.push(node(name, 100 + i % 3 + more, &[]));
            }
            crates_of_size(&navigation, 700)
                .into_iter()
                .map(|modules| modules.into_iter().map(str::to_owned).collect())
                .collect::<Vec<Vec<String>>>()
        };
        let before = split(0);
        assert_eq!(before.len(), 2, "{before:?}");
        assert_eq!(split(1), before);
    }
}
