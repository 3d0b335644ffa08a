//! Graph's `/me`: the signed-in user's `/users/{id}`, written either way by examples
//! and templates; the signed-in user's drive (`/me/drive`) for `/drives/{id}`; and a
//! drive's item by its path (`root:/{path}:`) for `items/{id}`: an example's call
//! goes the way its URL does.

use serde::Serialize;

use super::{Call, DRIVE, ITEMS, Node, ROOT, SIGNED_IN_USER, Step, USERS, call_steps};
use crate::model::{PathPart, PathTemplate};

/// An example URL that writes the signed-in user otherwise than its operation's
/// template: `.../me/...` where the template writes `.../users/{id}/...` (`Me`), or
/// `.../users/{id}/...` where it writes `.../me/...` (`Users`, with the id), below the
/// service's root (`/me`) or another (`/education/me`); or the signed-in user's drive
/// `/me/drive/...` (`/drive/...`) where it writes `/drives/{id}/...` (`MyDrive`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum UserAlias {
    Me,
    Users(String),
    MyDrive,
}

/// The operation (of `candidates`, by their templates) an example path matches when
/// the signed-in user is written the other way, with the template's arguments.
pub fn match_user_alias<'t>(
    path: &str,
    candidates: impl IntoIterator<Item = (usize, &'t PathTemplate)>,
) -> Option<(usize, Vec<String>, UserAlias)> {
    let lower = path.to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').collect();
    let is = |k: usize, word: &str| {
        segments
            .get(k)
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    let with = |k: usize, len: usize, words: &[&str]| {
        let mut form: Vec<&str> = segments[..k].to_vec();
        form.extend(words);
        form.extend(&segments[k + len..]);
        form.join("/")
    };
    let my_drive = ["/me/drive", "/drive"].into_iter().find_map(|prefix| {
        let rest = lower.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| &path[prefix.len()..])
    });
    for (i, template) in candidates {
        if let Some(rest) = my_drive.filter(|_| starts_with_key_of(template, "/drives/"))
            && let Some(mut args) = template.capture(&format!("/drives/me{rest}"))
        {
            args.remove(0);
            return Some((i, args, UserAlias::MyDrive));
        }
        let written = template_segments(template);
        let params_before = |k: usize| written[..k].iter().map(|s| s.matches("{}").count()).sum();
        for k in 1..segments.len() {
            let users_key = written
                .get(k)
                .is_some_and(|s| s.eq_ignore_ascii_case(USERS))
                && written.get(k + 1).is_some_and(|s| *s == "{}");
            if is(k, SIGNED_IN_USER)
                && users_key
                && let Some(mut args) = template.capture(&with(k, 1, &[USERS, SIGNED_IN_USER]))
            {
                args.remove(params_before(k));
                return Some((i, args, UserAlias::Me));
            }
            let me = written
                .get(k)
                .is_some_and(|s| s.eq_ignore_ascii_case(SIGNED_IN_USER));
            let id = segments.get(k + 1).filter(|id| !id.is_empty());
            if let Some(id) = id.filter(|_| me && is(k, USERS))
                && let Some(args) = template.capture(&with(k, 2, &[SIGNED_IN_USER]))
            {
                return Some((i, args, UserAlias::Users((*id).to_owned())));
            }
        }
    }
    None
}

/// The template's segments, a parameter written `{}`: `["", "users", "{}", "events"]`.
fn template_segments(template: &PathTemplate) -> Vec<String> {
    let text: String = template
        .parts
        .iter()
        .map(|p| match p {
            PathPart::Literal(t) => t.as_str(),
            PathPart::Param { .. } => "{}",
        })
        .collect();
    text.split('/').map(str::to_owned).collect()
}

/// `/users/{id}...` (for `collection` `/users/`): a template whose first parameter is
/// a key of that collection.
fn starts_with_key_of(template: &PathTemplate, collection: &str) -> bool {
    matches!(
        template.parts.as_slice(),
        [PathPart::Literal(first), PathPart::Param { .. }, ..] if first.eq_ignore_ascii_case(collection)
    )
}

/// The steps and arguments of an operation's call, for an example that writes the
/// signed-in user the other way (`me()` for `users().id(..)`, or back), or that
/// addresses a drive's item by its path (`item_path`: `root().path(..)` for
/// `items().id(..)`, the path in the id's place among `args`).
pub fn example_call<'n>(
    nodes: &'n [Node],
    call: &Call,
    alias: Option<&UserAlias>,
    item_path: bool,
    args: &[String],
) -> (Vec<&'n Step>, Vec<String>) {
    let mut steps = call_steps(nodes, call);
    if item_path {
        by_item_path(nodes, &mut steps);
    }
    let root_step = |name: &str| nodes.first()?.steps.iter().find(|s| s.name == name);
    // The node a step at `at` starts from.
    let from = |steps: &[&Step], at: usize| if at == 0 { 0 } else { steps[at - 1].target };
    match alias {
        Some(UserAlias::Me) => {
            let at = steps
                .windows(2)
                .position(|pair| pair[0].name == USERS && pair[1].name == "id");
            if let Some(at) = at {
                let user = steps[at + 1].target;
                let me = nodes[from(&steps, at)]
                    .steps
                    .iter()
                    .find(|s| s.name == SIGNED_IN_USER && s.target == user);
                if let Some(me) = me {
                    steps.splice(at..at + 2, [me]);
                    return (steps, args.to_vec());
                }
                // No template writes `me` there: the user's key is `me`, written out.
                let before: usize = steps[..at].iter().map(|s| s.params().count()).sum();
                let mut with_me = args.to_vec();
                with_me.insert(before.min(with_me.len()), SIGNED_IN_USER.to_owned());
                return (steps, with_me);
            }
        }
        Some(UserAlias::MyDrive) if steps.len() >= 2 && steps[1].name == "id" => {
            let me = root_step(SIGNED_IN_USER);
            let drive = me.and_then(|me| {
                nodes[me.target]
                    .steps
                    .iter()
                    .find(|s| s.name == DRIVE && s.target == steps[1].target)
            });
            if let (Some(me), Some(drive)) = (me, drive) {
                let mut aliased = vec![me, drive];
                aliased.extend(&steps[2..]);
                return (aliased, args.to_vec());
            }
        }
        Some(UserAlias::Users(id)) => {
            let at = steps.iter().position(|s| s.name == SIGNED_IN_USER);
            let users = at.and_then(|at| {
                let users = nodes[from(&steps, at)]
                    .steps
                    .iter()
                    .find(|s| s.name == USERS)?;
                let key = nodes[users.target].steps.iter().find(|s| s.name == "id")?;
                Some((at, users, key))
            });
            if let Some((at, users, key)) = users {
                let before: usize = steps[..at].iter().map(|s| s.params().count()).sum();
                steps.splice(at..at + 1, [users, key]);
                let mut with_id = args.to_vec();
                with_id.insert(before.min(with_id.len()), id.clone());
                return (steps, with_id);
            }
        }
        _ => {}
    }
    (steps, args.to_vec())
}

/// `steps` with the first `items().id(..)` of a drive taken as `root().path(..)`, which
/// reaches the same item (see `navigation`) with one argument in the same place.
fn by_item_path<'n>(nodes: &'n [Node], steps: &mut Vec<&'n Step>) {
    let Some(at) = steps
        .windows(2)
        .position(|pair| pair[0].name == ITEMS && pair[1].name == "id")
    else {
        return;
    };
    let drive = if at == 0 { 0 } else { steps[at - 1].target };
    let item = steps[at + 1].target;
    let root = nodes[drive].steps.iter().find(|s| s.name == ROOT);
    let path = root.and_then(|root| {
        nodes[root.target]
            .steps
            .iter()
            .find(|s| s.target == item && s.params().count() == 1)
    });
    if let (Some(root), Some(path)) = (root, path) {
        steps.splice(at..at + 2, [root, path]);
    }
}
