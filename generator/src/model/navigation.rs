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
//! is `root()` then `path(item_path)`; and `/me` is the signed-in user's
//! `/users/{id}`, so both reach the same node.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::naming::{Case, Scope, rust_name};
use super::{Operation, PathPart, Response, TypeDef, TypeRef};

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
    let mut args = args.iter();
    steps
        .iter()
        .flat_map(|step| &step.segment)
        .map(|part| match part {
            PathPart::Literal(text) => text.clone(),
            PathPart::Param { .. } => super::encode_segment(args.next().map_or("", String::as_str)),
        })
        .collect()
}

/// `/me` is Graph's name for the signed-in user, the same resource as `/users/{id}`.
const SIGNED_IN_USER: &str = "me";
const USERS: &str = "users";

/// An example URL that writes the signed-in user otherwise than its operation's
/// template: `/me/...` where the template writes `/users/{id}/...` (`Me`), or
/// `/users/{id}/...` where it writes `/me/...` (`Users`, with the id).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum UserAlias {
    Me,
    Users(String),
}

/// The operation (of `candidates`, by their templates) an example path matches when
/// the signed-in user is written the other way, with the template's arguments.
pub fn match_user_alias<'t>(
    path: &str,
    candidates: impl IntoIterator<Item = (usize, &'t super::PathTemplate)>,
) -> Option<(usize, Vec<String>, UserAlias)> {
    let lower = path.to_ascii_lowercase();
    let me = lower == "/me" || lower.starts_with("/me/");
    let user = lower
        .strip_prefix("/users/")
        .map(|_| {
            let rest = &path["/users/".len()..];
            rest.split_once('/').unwrap_or((rest, ""))
        })
        .filter(|(id, _)| !id.is_empty());
    let starts = |t: &super::PathTemplate, with: &str| {
        let text = t.text.to_ascii_lowercase();
        text == with || text.starts_with(&format!("{with}/"))
    };
    for (i, template) in candidates {
        if me
            && starts_with_users_key(template)
            && let Some(mut args) = template.capture(&format!("/users/me{}", &path[3..]))
        {
            args.remove(0);
            return Some((i, args, UserAlias::Me));
        }
        if let Some((id, tail)) = user.filter(|_| starts(template, "/me")) {
            let tail = if tail.is_empty() {
                String::new()
            } else {
                format!("/{tail}")
            };
            if let Some(args) = template.capture(&format!("/me{tail}")) {
                return Some((i, args, UserAlias::Users(id.to_owned())));
            }
        }
    }
    None
}

/// `/users/{id}...`: a template whose first parameter is the user.
fn starts_with_users_key(template: &super::PathTemplate) -> bool {
    matches!(
        template.parts.as_slice(),
        [PathPart::Literal(users), PathPart::Param { .. }, ..] if users.eq_ignore_ascii_case("/users/")
    )
}

/// The steps and arguments of an operation's call, for an example that writes the
/// signed-in user the other way (`me()` for `users().id(..)`, or back).
pub fn example_call<'n>(
    nodes: &'n [Node],
    call: &Call,
    alias: Option<&UserAlias>,
    args: &[String],
) -> (Vec<&'n Step>, Vec<String>) {
    let steps = call_steps(nodes, call);
    let root_step = |name: &str| nodes.first()?.steps.iter().find(|s| s.name == name);
    match alias {
        Some(UserAlias::Me) if steps.len() >= 2 && steps[1].name == "id" => {
            if let Some(me) = root_step(SIGNED_IN_USER) {
                let mut aliased = vec![me];
                aliased.extend(&steps[2..]);
                return (aliased, args.to_vec());
            }
        }
        Some(UserAlias::Users(id)) if steps.first().is_some_and(|s| s.name == SIGNED_IN_USER) => {
            let users = root_step(USERS);
            let key = users.and_then(|u| nodes[u.target].steps.iter().find(|s| s.name == "id"));
            if let (Some(users), Some(key)) = (users, key) {
                let mut aliased = vec![users, key];
                aliased.extend(&steps[1..]);
                let mut with_id = vec![id.clone()];
                with_id.extend(args.iter().cloned());
                return (aliased, with_id);
            }
        }
        _ => {}
    }
    (steps, args.to_vec())
}

type Key = (String, Vec<String>);

/// One step of a template as written: its pieces, separator included.
struct Written {
    name: String,
    segment: Vec<PathPart>,
    /// The canonical steps it stands for (`me` is `users`, `id`), each a name and
    /// its parameters' names: `f(date)` and `f(period)` are two functions.
    canonical: Vec<Key>,
}

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
            key.extend(step.canonical.iter().cloned());
            let target = tree.node(key.clone());
            tree.edge(at, step.name, step.segment, target);
            path.push((at, target));
            at = target;
        }
        hops.push(path);
    }
    // `/me` and `/users/{id}` both lead to the user, whichever the docs wrote.
    let users_key = vec![(USERS.to_owned(), Vec::new()), key_step()];
    if let Some(&user) = tree.by_key.get(&users_key) {
        let users = tree.node(users_key[..1].to_vec());
        let literal = |text: &str| vec![PathPart::Literal(text.to_owned())];
        tree.edge(0, USERS.to_owned(), literal("/users"), users);
        let mut key = literal("/");
        key.push(PathPart::Param {
            wire_name: "id".to_owned(),
            rust_name: format!("{}_id", singular(USERS)),
        });
        tree.edge(users, "id".to_owned(), key, user);
        tree.edge(0, SIGNED_IN_USER.to_owned(), literal("/me"), user);
    }
    let ends: Vec<usize> = hops.iter().map(|h| h.last().map_or(0, |l| l.1)).collect();
    methods(&mut tree, operations, &ends, types);
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
            name: name.clone(),
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
    for with_alias in [false, true] {
        let mut stack = vec![0];
        while let Some(at) = stack.pop() {
            for step in &nodes[at].steps {
                let alias = at == 0 && step.name == SIGNED_IN_USER;
                if paths[step.target].is_some() || (alias && !with_alias) {
                    continue;
                }
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

/// The steps of a template, in order.
fn steps(parts: &[PathPart], type_names: &BTreeSet<String>) -> Vec<Written> {
    let segments = segments(parts);
    let mut steps: Vec<Written> = Vec::new();
    let mut i = 0;
    while i < segments.len() {
        let segment = &segments[i];
        // OneDrive's path addressing: `root:/{path}:` or `items/{id}:/{path}:`, the path
        // running to the next segment that ends with `:` (or to the end).
        let path_end = (ends_with_colon(segment) && i + 1 < segments.len()).then(|| {
            (i + 1..segments.len())
                .find(|&j| ends_with_colon(&segments[j]))
                .unwrap_or(segments.len() - 1)
        });
        let mut own = segment.clone();
        if path_end.is_some() {
            strip_colon(&mut own);
        }
        let previous = steps.last().map(|s| s.name.as_str());
        steps.push(written(own, previous, i == 0, type_names));
        if let Some(end) = path_end {
            let mut segment = vec![PathPart::Literal(":".to_owned())];
            for (k, part) in segments[i + 1..=end].iter().enumerate() {
                if k > 0 {
                    segment.push(PathPart::Literal("/".to_owned()));
                }
                segment.extend(part.iter().cloned());
            }
            // Each segment started with `/`; the first one's is kept, after the `:`.
            let segment = merge_literals(segment);
            let segment = name_params(segment, |_, n| {
                if n == 1 {
                    "item_path".to_owned()
                } else {
                    String::new()
                }
            });
            steps.push(Written {
                name: "path".to_owned(),
                canonical: vec![("path".to_owned(), param_names(&segment))],
                segment,
            });
            i = end + 1;
        } else {
            i += 1;
        }
    }
    steps
}

/// The path's segments, each starting with its `/`.
fn segments(parts: &[PathPart]) -> Vec<Vec<PathPart>> {
    let mut segments: Vec<Vec<PathPart>> = Vec::new();
    for part in parts {
        match part {
            PathPart::Literal(text) => {
                for (k, piece) in text.split('/').enumerate() {
                    if k > 0 {
                        segments.push(vec![PathPart::Literal(format!("/{piece}"))]);
                    } else if !piece.is_empty() {
                        match segments.last_mut() {
                            Some(last) => last.push(PathPart::Literal(piece.to_owned())),
                            None => segments.push(vec![PathPart::Literal(format!("/{piece}"))]),
                        }
                    }
                }
            }
            PathPart::Param { .. } => match segments.last_mut() {
                Some(last) => last.push(part.clone()),
                None => segments.push(vec![PathPart::Literal("/".to_owned()), part.clone()]),
            },
        }
    }
    segments
        .into_iter()
        .map(merge_literals)
        .filter(|s| !matches!(s.as_slice(), [PathPart::Literal(text)] if text == "/"))
        .collect()
}

fn merge_literals(parts: Vec<PathPart>) -> Vec<PathPart> {
    let mut merged: Vec<PathPart> = Vec::new();
    for part in parts {
        match (merged.last_mut(), part) {
            (Some(PathPart::Literal(last)), PathPart::Literal(text)) => last.push_str(&text),
            (_, part) => merged.push(part),
        }
    }
    merged.retain(|p| !matches!(p, PathPart::Literal(t) if t.is_empty()));
    merged
}

fn ends_with_colon(segment: &[PathPart]) -> bool {
    matches!(segment.last(), Some(PathPart::Literal(text)) if text.ends_with(':'))
}

fn strip_colon(segment: &mut Vec<PathPart>) {
    if let Some(PathPart::Literal(text)) = segment.last_mut() {
        text.pop();
        if text.is_empty() {
            segment.pop();
        }
    }
}

fn param_names(segment: &[PathPart]) -> Vec<String> {
    segment
        .iter()
        .filter_map(|p| match p {
            PathPart::Param { rust_name, .. } => Some(rust_name.clone()),
            PathPart::Literal(_) => None,
        })
        .collect()
}

fn param_count(segment: &[PathPart]) -> usize {
    segment
        .iter()
        .filter(|p| matches!(p, PathPart::Param { .. }))
        .count()
}

/// The segment's parameters renamed by `name(wire_name, count)`; an empty name keeps
/// the parameter's own.
fn name_params(
    segment: Vec<PathPart>,
    mut name: impl FnMut(&str, usize) -> String,
) -> Vec<PathPart> {
    let count = param_count(&segment);
    segment
        .into_iter()
        .map(|part| match part {
            PathPart::Param {
                wire_name,
                rust_name,
            } => {
                let chosen = name(&wire_name, count);
                PathPart::Param {
                    rust_name: if chosen.is_empty() { rust_name } else { chosen },
                    wire_name,
                }
            }
            literal => literal,
        })
        .collect()
}

/// One written segment as a step: its name, its parameters' names and the canonical
/// steps it stands for.
fn written(
    segment: Vec<PathPart>,
    previous: Option<&str>,
    first: bool,
    type_names: &BTreeSet<String>,
) -> Written {
    let text: String = segment
        .iter()
        .map(|p| match p {
            PathPart::Literal(t) => t.as_str(),
            PathPart::Param { .. } => "{}",
        })
        .collect();
    let text = text.trim_start_matches('/');
    let canonical =
        |name: &str, segment: &[PathPart]| vec![(name.to_owned(), param_names(segment))];
    if first && text.eq_ignore_ascii_case(SIGNED_IN_USER) {
        return Written {
            name: SIGNED_IN_USER.to_owned(),
            canonical: vec![(USERS.to_owned(), Vec::new()), key_step()],
            segment,
        };
    }
    // A key: `/users/{id}`.
    if text == "{}" {
        let key = match previous {
            Some(collection) => format!("{}_id", singular(collection)),
            None => "id".to_owned(),
        };
        let segment = name_params(segment, |_, _| key.clone());
        return Written {
            name: "id".to_owned(),
            canonical: vec![key_step()],
            segment,
        };
    }
    // A function call: `range(address='{address}')`, its arguments named.
    let (head, arguments) = match text.split_once('(') {
        Some((head, rest)) => (head, Some(rest)),
        None => (text, None),
    };
    let name = step_name(head, type_names);
    let segment = match arguments {
        Some(arguments) => {
            let names = argument_names(arguments);
            let mut names = names.into_iter();
            name_params(segment, move |wire, _| {
                names.next().map_or_else(
                    || rust_name(wire, Case::Snake),
                    |n| rust_name(&n, Case::Snake),
                )
            })
        }
        None => name_params(segment, |wire, _| rust_name(wire, Case::Snake)),
    };
    // Segments compare without regard to case, as the service reads them
    // (`mailFolders`, `mailfolders`).
    let key = step_name(&head.to_ascii_lowercase(), type_names);
    Written {
        canonical: canonical(&key, &segment),
        name,
        segment,
    }
}

/// The name of a segment's step: `$ref` is `reference` (a keyword otherwise), other
/// `$x` are `x`; a namespace-qualified name is a cast when it names a documented type
/// (`cast_user`), else a bound function or action, named by its last part.
fn step_name(head: &str, type_names: &BTreeSet<String>) -> String {
    let head = head.trim_end_matches(':');
    if let Some(system) = head.strip_prefix('$') {
        return match system {
            "ref" => "reference".to_owned(),
            other => rust_name(other, Case::Snake),
        };
    }
    let head = head.split('{').next().unwrap_or(head).trim_end_matches('=');
    match head.rsplit_once('.') {
        Some((_, last)) if type_names.contains(&last.to_ascii_lowercase()) => {
            format!("cast_{}", rust_name(last, Case::Snake))
        }
        Some((_, last)) => rust_name(last, Case::Snake),
        None => rust_name(head, Case::Snake),
    }
}

/// The argument names of a function call's text after `(`, in order of their values
/// that are parameters: `row={},column={})` gives `row`, `column`.
fn argument_names(arguments: &str) -> Vec<String> {
    arguments
        .trim_end_matches(')')
        .split(',')
        .filter(|argument| argument.contains("{}"))
        .map(|argument| argument.split('=').next().unwrap_or("").trim().to_owned())
        .collect()
}

/// `messages` → `message`, `policies` → `policy`, `addresses` → `address`: enough
/// English for a key parameter's name.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        format!("{stem}y")
    } else if name.ends_with("sses") || name.ends_with("xes") || name.ends_with("ches") {
        name[..name.len() - 2].to_owned()
    } else if let Some(stem) = name
        .strip_suffix('s')
        .filter(|s| !s.ends_with('s') && !s.ends_with('u'))
    {
        stem.to_owned()
    } else {
        name.to_owned()
    }
}

/// The method each operation is, on the node its path ends at: named by its HTTP
/// method and what it does (`list`, `get`, `create`, `update`, `put`, `delete`,
/// `post`); pages documenting the same operation share one method. When a node has
/// several such operations, the main one keeps the plain name (see `main_signature`)
/// and the others add the type they take or return
/// (`create_windows10_general_configuration`), else their page's name.
fn methods(tree: &mut Tree, operations: &mut [Operation], ends: &[usize], types: &[TypeDef]) {
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
            if Some(k) != main && taken.iter().filter(|n| *n == name).count() > 1 {
                let page = &operations[signatures[k][0]].source.file;
                *name = format!("{verb}_{}", rust_name(&super::file_stem(page), Case::Snake));
            }
        }
        // Two templates of one page: the operations' own (unique) names.
        let taken = names.clone();
        for (k, name) in names.iter_mut().enumerate() {
            if taken.iter().filter(|n| *n == name).count() > 1 {
                *name = operations[signatures[k][0]].rust_name.clone();
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
    // Alike across HTTP methods (one page documenting PUT and PATCH): the operations'
    // own (unique) names.
    let index: BTreeMap<String, usize> = operations
        .iter()
        .enumerate()
        .map(|(i, op)| (op.rust_name.clone(), i))
        .collect();
    for node in &mut tree.nodes {
        let names: Vec<String> = node.methods.iter().map(|m| m.name.clone()).collect();
        for method in &mut node.methods {
            if names.iter().filter(|n| **n == method.name).count() > 1 {
                method.name = method.operations[0].clone();
                for op in &method.operations {
                    operations[index[op]].call.method = method.name.clone();
                }
            }
        }
    }
}

/// What an operation is about, for its method's name: what it takes, else what it
/// returns.
fn subject(op: &Operation) -> Option<&TypeRef> {
    op.body.as_ref().or(op.response.item())
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
        at = super::type_named(types, name).and_then(|t| t.base.as_deref());
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
        "POST" if collection || (op.body.is_some() && op.body.as_ref() == op.response.item()) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn singular_of_collections() {
        assert_eq!(singular("messages"), "message");
        assert_eq!(singular("policies"), "policy");
        assert_eq!(singular("addresses"), "address");
        assert_eq!(singular("mail_folders"), "mail_folder");
        assert_eq!(singular("status"), "status");
    }
}
