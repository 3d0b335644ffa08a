//! A path template taken apart into steps: keys, function calls with their arguments
//! named, casts, `$` segments, OneDrive's `:/path:` addressing, and `/me`.

use std::collections::BTreeSet;

use super::{Key, SIGNED_IN_USER, USERS, key_step};
use crate::model::PathPart;
use crate::model::naming::{Case, rust_name};

/// One step of a template as written: its pieces, separator included.
pub(super) struct Written {
    pub(super) name: String,
    pub(super) segment: Vec<PathPart>,
    /// The canonical steps it stands for (`me` is `users`, `id`), each a name and
    /// its parameters' names: `f(date)` and `f(period)` are two functions.
    pub(super) canonical: Vec<Key>,
}

/// The steps of a template, in order.
pub(super) fn steps(parts: &[PathPart], type_names: &BTreeSet<String>) -> Vec<Written> {
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
        steps.push(written(own, previous, type_names));
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
                    ITEM_PATH_PARAM.to_owned()
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

const ITEM_PATH_PARAM: &str = "item_path";

/// The step that addresses an item by its path: `:/{item_path}:`.
pub(super) fn item_path_segment() -> Vec<PathPart> {
    vec![
        PathPart::Literal(":/".to_owned()),
        PathPart::Param {
            wire_name: "item-path".to_owned(),
            rust_name: ITEM_PATH_PARAM.to_owned(),
        },
        PathPart::Literal(":".to_owned()),
    ]
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
    // `me`: the signed-in user, the `users/{id}` of what it follows (`/me`,
    // `/education/me`); after `users` it is only a key written out.
    if text.eq_ignore_ascii_case(SIGNED_IN_USER) && previous != Some(USERS) {
        return Written {
            name: SIGNED_IN_USER.to_owned(),
            canonical: vec![(USERS.to_owned(), Vec::new()), key_step()],
            segment,
        };
    }
    // A key: `/users/{id}`.
    if text == "{}" {
        let key = previous.map_or_else(|| "id".to_owned(), key_param);
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

/// A key's parameter, named after its collection: `user_id` for `users`.
pub(super) fn key_param(collection: &str) -> String {
    format!("{}_id", singular(collection))
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
