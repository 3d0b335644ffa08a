//! OneDrive's addressing, which Graph's drive pages write in several forms the service
//! reads alike: `/drive` for the signed-in user's `/me/drive`, a drive's `root` for its
//! item `items/root`, and an item by its path below the root (`root:/a/b.txt:`) for
//! the item by id. Matching reads an example in one form against a template in
//! another; rendering keeps an item's path's `/`.

use super::path::{PathPart, encode_segment};

/// The path as written, then in the forms OneDrive's addressing also writes it (see
/// `drive_equivalent` and `item_by_path`): each a path a template may match.
pub fn written_forms(path: &str) -> Vec<String> {
    std::iter::once(path.to_owned())
        .chain(drive_equivalent(path))
        .chain(item_by_path(path).map(|(form, _)| form))
        .collect()
}

/// The path as OneDrive's addressing also writes it, when it differs: `/drive` is the
/// signed-in user's drive (`/me/drive`), and a drive's `root` is its item whose id is
/// `root` (`drive/root/children` is `drive/items/root/children`, and
/// `drive/root:/a/b.txt:` is `drive/items/root:/a/b.txt:`). The service reads both
/// forms alike, so an example in one form exercises a template in the other.
pub fn drive_equivalent(path: &str) -> Option<String> {
    let mut segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut changed = false;
    if segments
        .first()
        .is_some_and(|s| s.eq_ignore_ascii_case("drive"))
    {
        segments.insert(0, "me");
        changed = true;
    }
    let mut out: Vec<&str> = Vec::with_capacity(segments.len() + 1);
    for (i, segment) in segments.iter().enumerate() {
        let after_drive = i > 0 && {
            let previous = segments[i - 1];
            previous.eq_ignore_ascii_case("drive")
                || (i > 1 && segments[i - 2].eq_ignore_ascii_case("drives"))
        };
        let root = segment.eq_ignore_ascii_case("root") || segment.starts_with("root:");
        if after_drive && root {
            out.push("items");
            changed = true;
        }
        out.push(segment);
    }
    changed.then(|| format!("/{}", out.join("/")))
}

/// Where an item addressed by its path stands in [`item_by_path`]'s form: a value no
/// URL holds, captured by the template's item key.
pub const ITEM_PATH: &str = "\u{1}item-path\u{1}";

/// OneDrive's path addressing as the item it addresses: `…/drive/root:/a/b.txt:/rest`
/// (or `…/root:/a/b.txt` to the end) is the item at `a/b.txt` below the drive's root,
/// which templates write `…/drive/items/{id}/rest`. The form has [`ITEM_PATH`] where the
/// id goes (and `/drive` as `/me/drive`); with the path. `None` when the path addresses
/// no item of a drive so.
pub fn item_by_path(path: &str) -> Option<(String, String)> {
    let lower = path.to_ascii_lowercase();
    let at = lower.find("/root:/")?;
    let drive = &lower[..at];
    let segments: Vec<&str> = drive.split('/').collect();
    let of_drive = segments.last() == Some(&"drive")
        || (segments.len() >= 2 && segments[segments.len() - 2] == "drives");
    if !of_drive {
        return None;
    }
    let rest = &path[at + "/root:/".len()..];
    let (item, tail) = rest.split_once(':').unwrap_or((rest, ""));
    if item.is_empty() || item.starts_with('/') || !(tail.is_empty() || tail.starts_with('/')) {
        return None;
    }
    let me = if drive.starts_with("/drive") && !drive.starts_with("/drives") {
        "/me"
    } else {
        ""
    };
    let form = format!("{me}{}/items/{ITEM_PATH}{tail}", &path[..at]);
    Some((form, item.to_owned()))
}

/// Whether the parameter after `previous` is an item's path in OneDrive's path
/// addressing: it follows `:/` (`root:/{path}:`, `items/{id}:/{path}:`), and may hold
/// several segments.
pub fn is_item_path(previous: Option<&PathPart>) -> bool {
    matches!(previous, Some(PathPart::Literal(text)) if text.ends_with(":/"))
}

/// An item's path as the runtime's `encode_item_path` writes it: each segment as
/// [`encode_segment`], the `/` between them kept.
pub fn encode_item_path(value: &str) -> String {
    value
        .split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drive_addressing_has_one_more_form() {
        let form = |path: &str| drive_equivalent(path);
        assert_eq!(
            form("/drive/root/children").as_deref(),
            Some("/me/drive/items/root/children")
        );
        assert_eq!(
            form("/me/drive/root:/a/b.txt:/content").as_deref(),
            Some("/me/drive/items/root:/a/b.txt:/content")
        );
        assert_eq!(
            form("/drives/x/root").as_deref(),
            Some("/drives/x/items/root")
        );
        assert_eq!(form("/drive/items/1").as_deref(), Some("/me/drive/items/1"));
        // A segment named `root` elsewhere is not a drive's (`/sites/root`).
        assert_eq!(form("/sites/root"), None);
        assert_eq!(form("/me/drive/items/1/children"), None);
    }

    #[test]
    fn an_item_addressed_by_path_is_a_drive_item() {
        let form = |path: &str| item_by_path(path);
        let item = |at: &str, tail: &str| format!("{at}/items/{ITEM_PATH}{tail}");
        assert_eq!(
            form("/drive/root:/{item-path}:/createUploadSession"),
            Some((
                item("/me/drive", "/createUploadSession"),
                "{item-path}".to_owned()
            ))
        );
        assert_eq!(
            form("/drives/{drive-id}/root:/a/b.txt:/children"),
            Some((
                item("/drives/{drive-id}", "/children"),
                "a/b.txt".to_owned()
            ))
        );
        // To the end of the URL when no colon closes the path.
        assert_eq!(
            form("/me/drive/root:/{path_to_file}"),
            Some((item("/me/drive", ""), "{path_to_file}".to_owned()))
        );
        // Only a drive's root addresses by path; a path must name something.
        assert_eq!(form("/sites/root:/a:"), None);
        assert_eq!(form("/me/drive/root:/:"), None);
        assert_eq!(form("/me/drive/root/children"), None);
    }
}
