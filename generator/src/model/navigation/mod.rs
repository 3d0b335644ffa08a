//! Navigation that mirrors the URL: every documented path template taken apart into
//! steps (`/users/{id}/messages` is `users()`, `id(user_id)`, `messages()`), the steps
//! of all templates merged into one tree of nodes, and each operation a method of the
//! node its path ends at (`list`, `get`, `create`, `update`, `put`, `delete`, `post`).
//!
//! The steps follow OData's and Graph's addressing, not the pages' spelling: a key
//! segment is `id(..)` with its parameter named after the collection (`user_id`); a
//! segment naming a type (`microsoft.graph.user`) is a cast (`cast_user()`); `$ref`,
//! `$count` and `$value` are `reference()`, `count()` and `value()`; a function call's
//! arguments are the step's parameters, named after them; OneDrive's `root:/{path}:`
//! is `root()` then `path(item_path)`, which reaches the drive's item as
//! `items().id(..)` does (every drive's items are reachable both ways); and `/me` is
//! the signed-in user's `/users/{id}`, so both reach the same node.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::naming::{Case, Scope, rust_name};
use super::{Operation, PathPart, TypeDef};

mod alias;
pub mod crates;
mod methods;
mod steps;

pub use alias::{UserAlias, example_call, match_user_alias};
use steps::{key_param, steps};

/// A place in the API a path leads to; `nodes[0]` is the service root.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// The Rust name of its type, made from its path (`UsersItemMessages`).
    pub rust_name: String,
    /// Its path, with each parameter as `{rust_name}` (`/users/{user_id}/messages`).
    pub path: String,
    /// The file (module) of the API its type is in: its path's first step's name.
    pub module: String,
    pub steps: Vec<Step>,
    pub methods: Vec<Method>,
}

/// A way from a node to another: a method taking the segment's parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub name: String,
    /// What it appends to the path, separator included (`/messages`, `/`, `{id}`,
    /// `:/`, `{path}`, `:`), its parameters named as the method's.
    pub segment: Vec<PathPart>,
    pub target: usize,
}

impl Step {
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.segment.iter().filter_map(|part| match part {
            PathPart::Param { rust_name, .. } => Some(rust_name.as_str()),
            PathPart::Literal(_) => None,
        })
    }
}

/// A request method of a node: one operation, or the same operation documented on
/// several pages (same method, path, body and result), by Rust name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    pub name: String,
    pub operations: Vec<String>,
}

/// How an operation is reached: the steps from the root (each with how many of the
/// template's parameters it takes, in order), then the method.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Call {
    pub steps: Vec<(String, usize)>,
    pub method: String,
}

/// The steps a call takes from the root.
pub fn call_steps<'n>(nodes: &'n [Node], call: &Call) -> Vec<&'n Step> {
    let mut at = 0;
    let mut steps = Vec::with_capacity(call.steps.len());
    for (name, _) in &call.steps {
        let Some(step) = nodes
            .get(at)
            .and_then(|n| n.steps.iter().find(|s| &s.name == name))
        else {
            break;
        };
        steps.push(step);
        at = step.target;
    }
    steps
}

/// The path a call sends, its parameters `args` percent-encoded.
pub fn render(steps: &[&Step], args: &[String]) -> String {
    super::path::render_parts(steps.iter().flat_map(|step| &step.segment), args)
}

/// `/me` is Graph's name for the signed-in user, the same resource as `/users/{id}`.
const SIGNED_IN_USER: &str = "me";
const USERS: &str = "users";
/// A drive's root item, and the step that addresses an item by its path below it.
const ROOT: &str = "root";
const PATH: &str = "path";
const DRIVE: &str = "drive";
const DRIVES: &str = "drives";
const ITEMS: &str = "items";

fn literal(text: &str) -> PathPart {
    PathPart::Literal(text.to_owned())
}

/// The key every drive has, whoever it is reached through: `/me/drive`,
/// `/groups/{id}/drive` and `/sites/{id}/drives/{id}` are each a drive of `/drives`.
fn drive_key() -> Vec<Key> {
    vec![(DRIVES.to_owned(), Vec::new()), key_step()]
}

/// `key` as the drive's key, when it ends at a drive written otherwise (`…/drive`,
/// `…/drives/{id}` below something).
fn as_drive(key: &[Key]) -> Option<Vec<Key>> {
    let named = |k: Option<&Key>, name: &str| k.is_some_and(|k| k.0 == name && k.1.is_empty());
    let drive = named(key.last(), DRIVE)
        || (key.last() == Some(&key_step()) && named(key.iter().rev().nth(1), DRIVES));
    (drive && key != drive_key().as_slice()).then(drive_key)
}

/// The key of the drive's items (`/drives/{id}/items/{id}`) and its root.
fn drive_item_key(last: &str) -> Vec<Key> {
    let mut key = drive_key();
    key.push((last.to_owned(), Vec::new()));
    if last == ITEMS {
        key.push(key_step());
    }
    key
}

/// `key` after `step`, when the step addresses a drive's item by its path below the
/// root (the drive's `root`, then `:/{path}:` or `:/{path}` to the end): the item's
/// key, as `items/{id}` reaches it. Such a step is always written `:/{item_path}:`,
/// which the service reads alike and which more steps can follow.
fn item_by_path_key(key: &[Key], step: &steps::Written) -> Option<Vec<Key>> {
    let one_param = matches!(step.canonical.as_slice(), [(_, params)] if params.len() == 1);
    (step.name == PATH && one_param && key == drive_item_key(ROOT).as_slice())
        .then(|| drive_item_key(ITEMS))
}

type Key = (String, Vec<String>);

/// The navigation tree of `operations`, setting each one's `call`.
pub fn navigation(operations: &mut [Operation], types: &[TypeDef]) -> Vec<Node> {
    let type_names: BTreeSet<String> = types
        .iter()
        .map(|t| t.wire_name.to_ascii_lowercase())
        .collect();
    let mut tree = Tree::default();
    tree.node(Vec::new());
    let mut hops: Vec<Vec<(usize, usize)>> = Vec::with_capacity(operations.len());
    for op in operations.iter() {
        let mut at = 0;
        let mut key: Vec<Key> = Vec::new();
        let mut path = Vec::new();
        for step in steps(&op.path.parts, &type_names) {
            let segment = match item_by_path_key(&key, &step) {
                Some(item) => {
                    key = item;
                    steps::item_path_segment()
                }
                None => {
                    key.extend(step.canonical.iter().cloned());
                    if let Some(drive) = as_drive(&key) {
                        key = drive;
                    }
                    step.segment
                }
            };
            let target = tree.node(key.clone());
            tree.edge(at, step.name, segment, target);
            path.push((at, target));
            at = target;
        }
        hops.push(path);
    }
    // `/me` and `/users/{id}` both lead to the user, whichever the docs wrote.
    let users_key = vec![(USERS.to_owned(), Vec::new()), key_step()];
    if let Some(&user) = tree.by_key.get(&users_key) {
        let users = tree.node(users_key[..1].to_vec());
        tree.edge(0, USERS.to_owned(), vec![literal("/users")], users);
        let mut key = vec![literal("/")];
        key.push(PathPart::Param {
            wire_name: "id".to_owned(),
            rust_name: key_param(USERS),
        });
        tree.edge(users, "id".to_owned(), key, user);
        tree.edge(0, SIGNED_IN_USER.to_owned(), vec![literal("/me")], user);
    }
    // OneDrive addresses a drive's item by its path below the root too
    // (`root:/{path}:`), whichever way its templates write it.
    let drive = tree.by_key.get(&drive_key()).copied();
    let item = tree.by_key.get(&drive_item_key(ITEMS)).copied();
    if let (Some(drive), Some(item)) = (drive, item) {
        let root = tree.node(drive_item_key(ROOT));
        tree.edge(drive, ROOT.to_owned(), vec![literal("/root")], root);
        tree.edge(root, PATH.to_owned(), steps::item_path_segment(), item);
    }
    let ends: Vec<usize> = hops.iter().map(|h| h.last().map_or(0, |l| l.1)).collect();
    methods::methods(&mut tree, operations, &ends, types);
    for node in &mut tree.nodes {
        distinct_names(node);
    }
    paths(&mut tree.nodes);
    for (op, path) in operations.iter_mut().zip(&hops) {
        op.call.steps = path
            .iter()
            .map(|&(from, to)| {
                let step = tree.nodes[from].steps.iter().find(|s| s.target == to);
                step.map_or((String::new(), 0), |s| (s.name.clone(), s.params().count()))
            })
            .collect();
    }
    tree.nodes
}

/// A node's steps and methods with names of their own: a step named like another
/// (`range()` and `range(address)`) takes its parameters' names (`range_address`), a
/// step named like a method (a segment `/delete`) gets `_path`.
fn distinct_names(node: &mut Node) {
    let methods: BTreeSet<String> = node.methods.iter().map(|m| m.name.clone()).collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for step in &node.steps {
        *counts.entry(step.name.clone()).or_default() += 1;
    }
    for step in &mut node.steps {
        if counts[&step.name] > 1 && step.params().next().is_some() {
            let params: Vec<&str> = step.params().collect();
            step.name = format!("{}_{}", step.name, params.join("_"));
        }
        if methods.contains(&step.name) {
            step.name.push_str("_path");
        }
    }
    // Still alike (two spellings the service reads apart): numbered, which the report
    // counts.
    let mut scope = Scope::default();
    for name in &methods {
        scope.reserve(name);
    }
    for step in &mut node.steps {
        step.name = scope.claim(&step.name, Case::Snake);
    }
}

#[derive(Default)]
struct Tree {
    nodes: Vec<Node>,
    by_key: BTreeMap<Vec<Key>, usize>,
}

impl Tree {
    /// The node at the canonical steps `key`, made when new.
    fn node(&mut self, key: Vec<Key>) -> usize {
        if let Some(&i) = self.by_key.get(&key) {
            return i;
        }
        self.nodes.push(Node {
            rust_name: String::new(),
            path: String::new(),
            module: String::new(),
            steps: Vec::new(),
            methods: Vec::new(),
        });
        self.by_key.insert(key, self.nodes.len() - 1);
        self.nodes.len() - 1
    }

    /// The step `name` from `from` to `to`; the first spelling of a segment is kept
    /// (OData reads `range(address='A1')` and `range(address=A1)`, or `delta` and
    /// `microsoft.graph.delta`, as one).
    fn edge(&mut self, from: usize, name: String, segment: Vec<PathPart>, to: usize) {
        if self.nodes[from].steps.iter().any(|s| s.target == to) {
            return;
        }
        self.nodes[from].steps.push(Step {
            name,
            segment,
            target: to,
        });
    }
}

/// Each node's path, Rust name and module: from its canonical path (`/users/{user_id}` is
/// `UsersItem`, not `/me`), the alias only where nothing else leads; each step adds
/// its name (`Item` for a key).
fn paths(nodes: &mut [Node]) {
    let mut paths: Vec<Option<String>> = vec![None; nodes.len()];
    let mut names: Vec<String> = vec![String::new(); nodes.len()];
    let mut modules: Vec<String> = vec![String::new(); nodes.len()];
    let mut scope = Scope::default();
    if let Some(root) = paths.first_mut() {
        *root = Some(String::new());
        names[0] = scope.claim("Root", Case::Pascal);
    }
    // The second pass walks the whole tree again: a node only an alias leads to may be
    // below nodes the first pass named.
    for with_alias in [false, true] {
        let mut seen = vec![false; nodes.len()];
        let mut stack = vec![0];
        while let Some(at) = stack.pop() {
            for step in &nodes[at].steps {
                // Named after their canonical way: `/users/{id}`, `items/{id}`.
                let alias = step.name == SIGNED_IN_USER || step.name == PATH || step.name == DRIVE;
                if alias && !with_alias {
                    continue;
                }
                if paths[step.target].is_some() {
                    if with_alias && !std::mem::replace(&mut seen[step.target], true) {
                        stack.push(step.target);
                    }
                    continue;
                }
                seen[step.target] = true;
                let path = format!(
                    "{}{}",
                    paths[at].as_deref().unwrap_or(""),
                    render_template(&step.segment)
                );
                paths[step.target] = Some(path);
                let piece = match step.name.as_str() {
                    "id" => "Item".to_owned(),
                    name => rust_name(name, Case::Pascal),
                };
                let name = if at == 0 {
                    piece
                } else {
                    format!("{}{piece}", names[at])
                };
                names[step.target] = scope.claim(&name, Case::Pascal);
                modules[step.target] = if at == 0 {
                    step.name.clone()
                } else {
                    modules[at].clone()
                };
                stack.push(step.target);
            }
        }
    }
    for (((node, path), name), module) in nodes.iter_mut().zip(paths).zip(names).zip(modules) {
        node.path = path.unwrap_or_default();
        node.rust_name = name;
        node.module = module;
    }
}

/// A segment with its parameters as `{rust_name}`.
pub fn render_template(segment: &[PathPart]) -> String {
    segment
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param { rust_name, .. } => format!("{{{rust_name}}}"),
        })
        .collect()
}

/// A key segment's canonical step: one per collection, whatever its parameter is
/// called (and apart from a segment written `id`).
fn key_step() -> Key {
    ("{key}".to_owned(), Vec::new())
}
