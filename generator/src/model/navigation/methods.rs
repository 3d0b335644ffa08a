//! Each operation as a method of the node its path ends at, and the method's name.

use std::collections::BTreeMap;

use super::{Method, Node, Tree};
use crate::model::naming::{Case, rust_name};
use crate::model::{Operation, Response, TypeDef, TypeRef};

/// The method each operation is, on the node its path ends at: named by its HTTP
/// method and what it does (`list`, `get`, `create`, `update`, `put`, `delete`,
/// `post`); pages documenting the same operation share one method. When a node has
/// several such operations, the main one keeps the plain name (see `main_signature`)
/// and the others add the type they take or return
/// (`create_windows10_general_configuration`), else their page's name.
pub(super) fn methods(
    tree: &mut Tree,
    operations: &mut [Operation],
    ends: &[usize],
    types: &[TypeDef],
) {
    let mut by_node: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    for (i, op) in operations.iter().enumerate() {
        let verb = verb(op, &tree.nodes[ends[i]]);
        by_node.entry((ends[i], verb)).or_default().push(i);
    }
    for ((node, verb), ops) in by_node {
        // The same signature is the same operation.
        let mut signatures: Vec<Vec<usize>> = Vec::new();
        for &i in &ops {
            match signatures
                .iter_mut()
                .find(|same| same_signature(&operations[same[0]], &operations[i]))
            {
                Some(same) => same.push(i),
                None => signatures.push(vec![i]),
            }
        }
        let main = main_signature(&signatures, operations, types);
        let mut names: Vec<String> = signatures
            .iter()
            .enumerate()
            .map(|(k, same)| {
                if Some(k) == main || signatures.len() == 1 {
                    return verb.clone();
                }
                let word = type_word(subject(&operations[same[0]]));
                let word = word.strip_prefix(&format!("{verb}_")).unwrap_or(&word);
                format!("{verb}_{word}")
            })
            .collect();
        // Still alike (one type, several results): their pages tell them apart.
        let taken = names.clone();
        for (k, name) in names.iter_mut().enumerate() {
            if Some(k) != main && repeated(&taken, name) {
                let page = &operations[signatures[k][0]].source.file;
                *name = format!(
                    "{verb}_{}",
                    rust_name(&crate::model::file_stem(page), Case::Snake)
                );
            }
        }
        for (same, name) in signatures.into_iter().zip(names) {
            for &i in &same {
                operations[i].call.method = name.clone();
            }
            tree.nodes[node].methods.push(Method {
                name,
                operations: same
                    .iter()
                    .map(|&i| operations[i].rust_name.clone())
                    .collect(),
            });
        }
    }
    // Still alike (two templates of one page, or one page documenting PUT and PATCH):
    // the operations' own (unique) names.
    let index: BTreeMap<String, usize> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| (op.rust_name.clone(), i))
        .collect();
    for node in &mut tree.nodes {
        let names: Vec<String> = node.methods.iter().map(|m| m.name.clone()).collect();
        for method in &mut node.methods {
            if repeated(&names, &method.name) {
                method.name = method.operations[0].clone();
                for op in &method.operations {
                    operations[index[op]].call.method = method.name.clone();
                }
            }
        }
    }
}

fn repeated(names: &[String], name: &str) -> bool {
    names.iter().filter(|n| *n == name).count() > 1
}

/// What an operation is about, for its method's name: what it takes, else what it
/// returns.
fn subject(op: &Operation) -> Option<&TypeRef> {
    op.body_item().or(op.response.item())
}

/// Of several operations on one node with one HTTP method, the one that keeps the
/// plain name: a path without a fixed query string (`?$expand=...` templates are
/// variants), then the one about a type all the others derive from (`managedDevice`
/// beside `windowsManagedDevice`), then the one documented on most paths; none when
/// that leaves a tie.
fn main_signature(
    signatures: &[Vec<usize>],
    operations: &[Operation],
    types: &[TypeDef],
) -> Option<usize> {
    let subjects: Vec<Option<&str>> = signatures
        .iter()
        .map(|same| subject(&operations[same[0]]).and_then(TypeRef::named))
        .collect();
    let score = |k: usize| {
        let op = &operations[signatures[k][0]];
        let plain = op.path.query.is_none();
        let base_of_all = subjects[k].is_some_and(|base| {
            subjects
                .iter()
                .all(|other| other.is_some_and(|other| derives_from(types, other, base)))
        });
        (plain, base_of_all, signatures[k].len())
    };
    let best = (0..signatures.len()).map(score).max()?;
    let mut at_best = (0..signatures.len()).filter(|&k| score(k) == best);
    let first = at_best.next()?;
    at_best.next().is_none().then_some(first)
}

/// Whether `rust_name` is `base` or derives from it.
fn derives_from(types: &[TypeDef], rust_name: &str, base: &str) -> bool {
    let mut at = Some(rust_name);
    let mut steps = 0;
    while let Some(name) = at {
        if name == base {
            return true;
        }
        steps += 1;
        if steps > types.len() {
            return false;
        }
        at = crate::model::type_named(types, name).and_then(|t| t.base.as_deref());
    }
    false
}

fn same_signature(a: &Operation, b: &Operation) -> bool {
    a.body == b.body && a.response == b.response
}

fn verb(op: &Operation, node: &Node) -> String {
    let collection = node.steps.iter().any(|s| s.name == "id");
    match op.method.to_ascii_uppercase().as_str() {
        "GET" if matches!(op.response, Response::Collection { .. }) => "list".to_owned(),
        "GET" => "get".to_owned(),
        "POST" if collection || (op.body.is_some() && op.body_item() == op.response.item()) => {
            "create".to_owned()
        }
        "POST" => "post".to_owned(),
        "PATCH" => "update".to_owned(),
        "PUT" => "put".to_owned(),
        "DELETE" => "delete".to_owned(),
        other => rust_name(other, Case::Snake),
    }
}

/// A type's name as words of a method name.
fn type_word(ty: Option<&TypeRef>) -> String {
    match ty {
        Some(TypeRef::Struct { wire_name, .. })
        | Some(TypeRef::Enum { wire_name, .. })
        | Some(TypeRef::Foreign { wire_name, .. }) => rust_name(wire_name, Case::Snake),
        Some(TypeRef::Collection { item }) => format!("{}_list", type_word(Some(item))),
        Some(TypeRef::Primitive { name }) => rust_name(&format!("{name:?}"), Case::Snake),
        Some(TypeRef::Json) => "json".to_owned(),
        None => "empty".to_owned(),
    }
}
