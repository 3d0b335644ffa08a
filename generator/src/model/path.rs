//! Path templates (`/users/{id}/range(address='{address}')`) and matching example
//! URLs against them.

use serde::Serialize;

use super::naming::{Case, Scope};
use super::onedrive::{encode_item_path, is_item_path};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum PathPart {
    Literal(String),
    /// A parameter: its name as written and its Rust name.
    Param {
        wire_name: String,
        rust_name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathTemplate {
    /// As written in the docs.
    pub text: String,
    /// The path without its query string, split into literals and parameters.
    pub parts: Vec<PathPart>,
    pub query: Option<String>,
}

/// A URL or path as docs write it, taken apart: `https://host/v1.0/a/b?x=1` has host
/// `https://host`, version `v1.0`, path `/a/b` and query `x=1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Url {
    pub host: Option<String>,
    pub version: Option<String>,
    /// Leading `/`, segments joined by `/` (backslashes read as `/`), empty
    /// function-call parentheses `()` dropped, no trailing `/`.
    pub path: String,
    pub query: Option<String>,
}

impl Url {
    pub fn parse(text: &str) -> Url {
        let text = text.trim();
        let (host, rest) = match text.find("://") {
            Some(i) => {
                let after = &text[i + 3..];
                let end = after.find(['/', '\\']).unwrap_or(after.len());
                (Some(text[..i + 3 + end].to_owned()), &after[end..])
            }
            None => (None, text),
        };
        // `path[?query]` is how docs write an optional query.
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => match (path.strip_suffix('['), query.strip_suffix(']')) {
                (Some(path), Some(query)) => (path, Some(query.to_owned())),
                _ => (path, Some(query.to_owned())),
            },
            None => (rest, None),
        };
        let path = path.replace('\\', "/");
        let mut segments: Vec<String> = Vec::new();
        for segment in path.split('/') {
            let segment = segment.strip_suffix("()").unwrap_or(segment);
            if segment.is_empty() || segment == "~" {
                continue;
            }
            // OData's key syntax `users('id')` is the same resource as `users/id`.
            match key_segment(segment) {
                Some((collection, key)) => {
                    segments.push(collection.to_owned());
                    segments.push(key.to_owned());
                }
                None => segments.push(segment.to_owned()),
            }
        }
        let version = segments
            .first()
            .filter(|s| is_version(s))
            .map(|s| s.to_string());
        if version.is_some() {
            segments.remove(0);
        }
        Url {
            host,
            version,
            path: format!("/{}", segments.join("/")),
            query,
        }
    }
}

/// `name('key')` or `name(key)` (no `=`: a key, not function arguments) as `(name, key)`.
/// A quoted key is one OData string literal whatever it holds (`''` is a quote inside
/// it), so ids in base64, which end in `=`, are keys too.
fn key_segment(segment: &str) -> Option<(&str, &str)> {
    let (name, rest) = segment.split_once('(')?;
    let key = rest.strip_suffix(')')?;
    if name.is_empty() || key.is_empty() {
        return None;
    }
    let quoted = key.strip_prefix('\'').and_then(|k| k.strip_suffix('\''));
    if let Some(literal) = quoted.filter(|l| !l.is_empty() && !l.replace("''", "").contains('\'')) {
        return Some((name, literal));
    }
    if key.contains(['=', ',', '(']) {
        return None;
    }
    Some((name, key.trim_matches('\'')))
}

/// `path` with each function call written with `template`'s arguments (aligned from
/// the end, segment by segment): OData names a function's arguments, so they may come
/// in any order, and a call may leave out optional ones or pass ones a template leaves
/// out. Each argument the template has takes the path's value of that name, or, when
/// the path gives none, the template's own placeholder; the path's arguments the
/// template lacks are dropped. With `samples`, an argument the template writes as a
/// sample value (a literal where a placeholder belongs: `startDateTime='2017-01-01'`)
/// keeps the template's value when the path gives another. With the names of the
/// arguments that differ (left out, added, or given another value than a sample);
/// `None` when no call differs.
pub fn with_template_arguments(
    path: &str,
    template: &str,
    samples: bool,
) -> Option<(String, Vec<String>)> {
    let template = template.split('?').next().unwrap_or(template);
    let template: String = template.chars().filter(|c| !c.is_whitespace()).collect();
    let mut segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    let documented: Vec<&str> = template.split('/').collect();
    let mut differ = Vec::new();
    for (segment, documented) in segments.iter_mut().rev().zip(documented.iter().rev()) {
        let (name, args) = call_parts(segment);
        let (documented_name, documented_args) = call_parts(documented);
        if !name.eq_ignore_ascii_case(documented_name) || args == documented_args {
            continue;
        }
        let given = named_arguments(args);
        let wanted = named_arguments(documented_args);
        if wanted.is_empty() && given.is_empty() {
            continue;
        }
        let mut rewritten = Vec::new();
        for (key, placeholder) in &wanted {
            match given.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                Some((_, value))
                    if samples && !placeholder.contains('{') && value != placeholder =>
                {
                    differ.push((*key).to_owned());
                    rewritten.push(format!("{key}={placeholder}"));
                }
                Some((_, value)) => rewritten.push(format!("{key}={value}")),
                None => {
                    differ.push((*key).to_owned());
                    rewritten.push(format!("{key}={placeholder}"));
                }
            }
        }
        differ.extend(
            given
                .iter()
                .filter(|(k, _)| !wanted.iter().any(|(w, _)| w.eq_ignore_ascii_case(k)))
                .map(|(k, _)| (*k).to_owned()),
        );
        *segment = if rewritten.is_empty() {
            documented_name.to_owned()
        } else {
            format!("{name}({})", rewritten.join(","))
        };
    }
    let rewritten = segments.join("/");
    (rewritten != path).then_some((rewritten, differ))
}

/// A segment as a function name and its argument list (empty when it has none).
fn call_parts(segment: &str) -> (&str, &str) {
    match segment.strip_suffix(')').and_then(|s| s.split_once('(')) {
        Some((name, args)) if args.contains('=') || args.is_empty() => (name, args),
        _ => (segment, ""),
    }
}

/// `a='x',b=2` as `[("a", "'x'"), ("b", "2")]`; commas inside quotes belong to values.
fn named_arguments(args: &str) -> Vec<(&str, &str)> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in args.char_indices().chain([(args.len(), ',')]) {
        match c {
            '\'' => quoted = !quoted,
            ',' if !quoted => {
                if let Some((key, value)) = args[start..i].split_once('=') {
                    found.push((key.trim(), value.trim()));
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    found
}

/// A template with the segments that hold a sample value or a placeholder written
/// otherwise made `{name}` placeholders: `(team-id)` and `'{id}'` (as `{team-id}` and
/// `{id}`), a GUID, the bare word `id` that names a key (`/sites/id/...`) and the
/// signed-in user written as a user's key (`/users/me/...`), as `{id}`, with those
/// segments as written. The docs mean a parameter there; the page is reported.
pub fn template_placeholders(path: &str) -> (String, Vec<String>) {
    let (path_only, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    let mut written_otherwise = Vec::new();
    let mut previous = "";
    let segments: Vec<String> = path_only
        .split('/')
        .map(|segment| {
            // `users/me`: the signed-in user written where a user's key belongs.
            let me_as_key =
                previous.eq_ignore_ascii_case("users") && segment.eq_ignore_ascii_case("me");
            previous = segment;
            let name = segment
                .strip_prefix('(')
                .and_then(|s| s.strip_suffix(')'))
                .or_else(|| {
                    segment
                        .strip_prefix("'{")
                        .and_then(|s| s.strip_suffix("}'"))
                })
                .filter(|name| {
                    !name.is_empty()
                        && name
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                })
                .or_else(|| {
                    let key = is_guid(segment) || segment.eq_ignore_ascii_case("id") || me_as_key;
                    key.then_some("id")
                });
            match name {
                Some(name) => {
                    written_otherwise.push(segment.to_owned());
                    format!("{{{name}}}")
                }
                None => segment.to_owned(),
            }
        })
        .collect();
    let mut rewritten = segments.join("/");
    if let Some(query) = query {
        rewritten.push('?');
        rewritten.push_str(query);
    }
    (rewritten, written_otherwise)
}

/// A GUID as ids are written: 32 hex digits, bare or grouped 8-4-4-4-12.
fn is_guid(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && (groups == [8, 4, 4, 4, 12] || groups == [32])
}

/// `v1.0`, `beta`, `v2`: the API version segment after the host.
pub fn is_version(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    s == "beta"
        || (s.len() > 1
            && s.starts_with('v')
            && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.'))
}

impl PathTemplate {
    /// Parses a template. Parameter names are what is inside `{}`; for alternatives
    /// (`{id | userPrincipalName}`) the first one. Templates written as full URLs lose
    /// their host and version.
    pub fn parse(text: &str) -> PathTemplate {
        // `<name>` is another way docs write a placeholder.
        let url = Url::parse(
            &text
                .replace(char::is_whitespace, "")
                .replace('<', "{")
                .replace('>', "}"),
        );
        let query = url.query;
        let path = url.path;
        let mut parts = Vec::new();
        let mut scope = Scope::default();
        // The request functions take the body as `body`.
        scope.reserve("body");
        let mut rest = path.as_str();
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(encode_literal(&rest[..open])));
            }
            let inner = &rest[open + 1..close];
            let wire_name = inner.split('|').next().unwrap_or(inner).trim().to_owned();
            let rust_name = scope.claim(&wire_name, Case::Snake);
            parts.push(PathPart::Param {
                wire_name,
                rust_name,
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(encode_literal(rest)));
        }
        PathTemplate {
            text: text.to_owned(),
            parts,
            query,
        }
    }

    pub fn params(&self) -> impl Iterator<Item = (&str, &str)> {
        self.parts.iter().filter_map(|p| match p {
            PathPart::Param {
                wire_name,
                rust_name,
            } => Some((wire_name.as_str(), rust_name.as_str())),
            PathPart::Literal(_) => None,
        })
    }

    /// The parameter values if `path` (already stripped of host and version, no query)
    /// has this template's shape. Literals compare without regard to case (as the
    /// service does) and a trailing `/` is ignored.
    /// How many characters of the path are fixed rather than parameters: of two
    /// templates a URL matches, the one that fixes more of it is the more specific.
    pub fn literal_length(&self) -> usize {
        self.parts
            .iter()
            .map(|part| match part {
                PathPart::Literal(literal) => literal.len(),
                PathPart::Param { .. } => 0,
            })
            .sum()
    }

    pub fn capture(&self, path: &str) -> Option<Vec<String>> {
        let path = path.trim_end_matches('/');
        let mut rest = path;
        let mut values = Vec::new();
        let parts = &self.parts;
        for (i, part) in parts.iter().enumerate() {
            match part {
                PathPart::Literal(literal) => {
                    let literal = if i + 1 == parts.len() {
                        literal.trim_end_matches('/')
                    } else {
                        literal
                    };
                    let head = rest.get(..literal.len())?;
                    if !head.eq_ignore_ascii_case(literal) {
                        return None;
                    }
                    rest = &rest[literal.len()..];
                }
                PathPart::Param { .. } => {
                    // A value runs to the next literal's first character, within a segment.
                    let stop = match parts.get(i + 1) {
                        Some(PathPart::Literal(next)) => next.chars().next(),
                        _ => None,
                    };
                    // A drive path (`root:/{path}:`) runs across `/` up to its closing `:`.
                    let end = rest
                        .char_indices()
                        .find(|&(_, c)| {
                            Some(c) == stop || (c == '/' && stop != Some('/') && stop != Some(':'))
                        })
                        .map_or(rest.len(), |(i, _)| i);
                    let after_slash = match i.checked_sub(1).map(|p| &parts[p]) {
                        Some(PathPart::Literal(previous)) => previous.ends_with('/'),
                        _ => i == 0,
                    };
                    let whole_segment = after_slash && matches!(stop, None | Some('/' | ':'));
                    if end == 0 || (whole_segment && !can_be_a_value(&rest[..end])) {
                        return None;
                    }
                    values.push(percent_decode(&rest[..end]));
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(values)
    }

    /// The path the request function builds for `args`: literals as written, each
    /// argument encoded as one segment.
    pub fn render(&self, args: &[String]) -> String {
        render_parts(&self.parts, args)
    }
}

/// Templates by the first segment their paths fix (`/users` of `/users/{id}/drive`),
/// so that finding those a URL matches does not try every template: a template that
/// captures a path starts with its first literal, so the path has the same first
/// segment. Templates whose first literal does not fix a whole segment are tried for
/// every path.
pub struct ByHead {
    heads: foldhash::HashMap<String, Vec<usize>>,
    anywhere: Vec<usize>,
}

impl ByHead {
    pub fn new<'t>(templates: impl IntoIterator<Item = &'t PathTemplate>) -> Self {
        let mut index = ByHead {
            heads: Default::default(),
            anywhere: Vec::new(),
        };
        for (i, template) in templates.into_iter().enumerate() {
            let head = match template.parts.as_slice() {
                // A path without parameters is matched whole (less a trailing `/`).
                [PathPart::Literal(literal)] => Some(head(literal)),
                // Else the segment must end inside the first literal.
                [PathPart::Literal(literal), ..] => literal
                    .get(1..)
                    .and_then(|rest| rest.find(SEGMENT_END))
                    .map(|_| head(literal)),
                _ => None,
            };
            match head {
                Some(head) => index.heads.entry(head).or_default().push(i),
                None => index.anywhere.push(i),
            }
        }
        index
    }

    /// The templates that may capture `path`, in their order.
    pub fn candidates(&self, path: &str) -> Vec<usize> {
        let fixed = self.heads.get(&head(path)).map_or(&[][..], Vec::as_slice);
        let mut found = [fixed, &self.anywhere].concat();
        found.sort_unstable();
        found
    }
}

/// What ends a path's first segment (after its first character).
const SEGMENT_END: [char; 3] = ['/', '(', ':'];

/// A path's first segment with its leading `/` (the whole path, less a trailing `/`,
/// when it has one segment), lowercased: templates match ASCII letters in any case.
fn head(path: &str) -> String {
    let path = path.trim_end_matches('/');
    let end = path
        .get(1..)
        .and_then(|rest| rest.find(SEGMENT_END))
        .map_or(path.len(), |i| i + 1);
    path[..end].to_ascii_lowercase()
}

/// Path parts with `args` as their parameters' values, in order, each percent-encoded
/// as one segment, but an item's path (see [`is_item_path`]), whose `/` are kept.
pub fn render_parts<'p>(parts: impl IntoIterator<Item = &'p PathPart>, args: &[String]) -> String {
    let mut args = args.iter();
    let mut previous: Option<&PathPart> = None;
    let mut out = String::new();
    for part in parts {
        match part {
            PathPart::Literal(literal) => out.push_str(literal),
            PathPart::Param { .. } => {
                let value = args.next().map_or("", String::as_str);
                if is_item_path(previous) {
                    out.push_str(&encode_item_path(value));
                } else {
                    out.push_str(&encode_segment(value));
                }
            }
        }
        previous = Some(part);
    }
    out
}

/// Whether a whole segment can be a parameter's value (a key, a name). In OData, a segment that
/// starts with `$` is the protocol's (`$count`, `$value`, `$ref`, `$filter=` written
/// as a segment), and `name(...)` is a function or a key call, never a key's value.
fn can_be_a_value(text: &str) -> bool {
    if text.starts_with('$') {
        return false;
    }
    let call = text.split_once('(').is_some_and(|(name, rest)| {
        rest.ends_with(')')
            && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    });
    !call
}

/// A literal part of a path as a valid URI path: characters a URI cannot hold (spaces,
/// quotes, `|`, non-ASCII, ...) percent-encoded; `/`, `%` and URI punctuation kept.
fn encode_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let allowed = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/%".contains(&byte);
        if allowed {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Encodes a path parameter value so it stays one segment: everything but RFC 3986
/// unreserved characters is percent-encoded, and a value of only dots is encoded too so
/// that `.` and `..` cannot climb the path.
pub fn encode_segment(value: &str) -> String {
    let only_dots = !value.is_empty() && value.chars().all(|c| c == '.');
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        let unreserved = byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'_' | b'~')
            || (byte == b'.' && !only_dots);
        if unreserved {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_offers_every_template_that_captures_a_path() {
        let templates: Vec<PathTemplate> = [
            "/",
            "/me",
            "/me/drive",
            "/users/{id}",
            "/Users/{id}/drive/root:/{path}:",
            "/drives('{id}')",
            "/drives/{id}",
            "/{entity}/y",
            "/users{x}",
            "/é/{id}",
        ]
        .iter()
        .map(|t| PathTemplate::parse(t))
        .collect();
        let index = ByHead::new(&templates);
        let paths = [
            "/",
            "",
            "/me",
            "/ME/",
            "/me/drive",
            "/users/1",
            "/USERS/1/",
            "/users/1/drive",
            "/users/1/drive/root:/a/b:",
            "/drives('a')",
            "/drives/a",
            "/z/y",
            "users/1",
            "/usersX",
            "/é/1",
            "/users('1')",
        ];
        for path in paths {
            let capturing: Vec<usize> = (0..templates.len())
                .filter(|&i| templates[i].capture(path).is_some())
                .collect();
            let offered = index.candidates(path);
            assert!(
                capturing.iter().all(|i| offered.contains(i)),
                "{path}: captured by {capturing:?}, offered {offered:?}"
            );
            assert!(offered.is_sorted(), "{path}: {offered:?}");
        }
        // The point of it: a path is tried only against its own first segment's.
        assert_eq!(index.candidates("/users/1"), [3, 4, 7, 8]);
        assert_eq!(index.candidates("/me/"), [1, 2, 7, 8]);
    }

    #[test]
    fn parses_params_alternatives_and_queries() {
        let t =
            PathTemplate::parse("/users/{id | userPrincipalName}/events/delta?startDateTime={s}");
        assert_eq!(t.params().collect::<Vec<_>>(), [("id", "id")]);
        assert_eq!(t.query.as_deref(), Some("startDateTime={s}"));
        assert_eq!(
            t.capture("/Users/a%20b/events/delta/"),
            Some(vec!["a b".to_owned()])
        );
        assert_eq!(t.capture("/users/a/events"), None);
    }

    #[test]
    fn captures_inside_segments() {
        let t = PathTemplate::parse("/ws/{id}/range(address='{address}')/x");
        assert_eq!(
            t.capture("/ws/1/range(address='A1:B2')/x"),
            Some(vec!["1".into(), "A1:B2".into()])
        );
    }

    #[test]
    fn renders_with_encoded_segments() {
        let t = PathTemplate::parse("/a/{x}/{x}");
        assert_eq!(t.params().map(|p| p.1).collect::<Vec<_>>(), ["x", "x_2"]);
        assert_eq!(
            t.render(&["a/b c".into(), "..".into()]),
            "/a/a%2Fb%20c/%2E%2E"
        );
        // An item's path after `:/` keeps its `/`; each of its segments is encoded.
        let t = PathTemplate::parse("/me/drive/root:/{item-path}:/content");
        assert_eq!(
            t.render(&["Docs/a b/..".into()]),
            "/me/drive/root:/Docs/a%20b/%2E%2E:/content"
        );
    }

    #[test]
    fn quoted_keys_hold_anything() {
        let url =
            Url::parse("https://graph.microsoft.com/v1.0/me/messages('AAMkAGI2=')/attachments");
        assert_eq!(url.path, "/me/messages/AAMkAGI2=/attachments");
        // Function arguments and composite keys are not keys.
        let call = Url::parse("/reports/getUsage(period='D7')");
        assert_eq!(call.path, "/reports/getUsage(period='D7')");
        let pair = Url::parse("/things('a','b')");
        assert_eq!(pair.path, "/things('a','b')");
    }

    #[test]
    fn function_arguments_by_name() {
        let with = |path: &str, template: &str| with_template_arguments(path, template, false);
        // Another order.
        assert_eq!(
            with("/r/f(b=2,a='x')", "/r/f(a='{a}',b={b})"),
            Some(("/r/f(a='x',b=2)".to_owned(), vec![]))
        );
        // A template that writes sample values keeps them, with samples on; the
        // arguments given otherwise differ.
        let template = "/i/{id}/f(from='2017-01-01',to='2017-01-10',by='{by}')";
        assert_eq!(
            with_template_arguments(
                "/i/1/f(from='2017-01-01',to='2017-01-3',by='day')",
                template,
                true
            ),
            Some((
                "/i/1/f(from='2017-01-01',to='2017-01-10',by='day')".to_owned(),
                vec!["to".to_owned()]
            ))
        );
        // Without, the call stands as given (it already has the template's names).
        assert_eq!(
            with(
                "/i/1/f(from='2017-01-01',to='2017-01-3',by='day')",
                template
            ),
            None
        );
        // Left out, and added.
        assert_eq!(
            with(
                "/me/range/cell",
                "/users/{id}/range/Cell(row={row},column={column})"
            ),
            Some((
                "/me/range/cell(row={row},column={column})".to_owned(),
                vec!["row".to_owned(), "column".to_owned()]
            ))
        );
        assert_eq!(
            with("/a/delta(token='x,y')", "/a/delta"),
            Some(("/a/delta".to_owned(), vec!["token".to_owned()]))
        );
        assert_eq!(with("/a/f(x=1)", "/a/f(x={x})"), None);
        assert_eq!(with("/a/b", "/a/b"), None);
    }

    #[test]
    fn samples_in_templates_are_placeholders() {
        assert_eq!(
            template_placeholders("/teams/(team-id)/channels/{c}"),
            (
                "/teams/{team-id}/channels/{c}".to_owned(),
                vec!["(team-id)".to_owned()]
            )
        );
        assert_eq!(
            template_placeholders("/keys/'{keyId}'?$select=key").0,
            "/keys/{keyId}?$select=key"
        );
        assert_eq!(
            template_placeholders("/cases/4c8f8f70-7785-4bd4-b296-c98376a2c5e1/x").0,
            "/cases/{id}/x"
        );
        assert_eq!(
            template_placeholders("/users/{id}/f(a=1)").1,
            Vec::<String>::new()
        );
        assert_eq!(
            template_placeholders("/sites/id/contentTypes/id/copy").0,
            "/sites/{id}/contentTypes/{id}/copy"
        );
        assert_eq!(
            template_placeholders("/users/me/messages/{id}/replyAll").0,
            "/users/{id}/messages/{id}/replyAll"
        );
        assert_eq!(
            template_placeholders("/me/messages").1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn urls_lose_host_version_and_empty_parentheses() {
        let url = Url::parse("https://graph.microsoft.com/beta/a/b()/c/?$top=1");
        assert_eq!(url.host.as_deref(), Some("https://graph.microsoft.com"));
        assert_eq!(
            (url.version.as_deref(), url.path.as_str()),
            (Some("beta"), "/a/b/c")
        );
        assert_eq!(url.query.as_deref(), Some("$top=1"));
        let url = Url::parse("/pages/{id}/content[?includeIDs=true]");
        assert_eq!(
            (url.path.as_str(), url.query.as_deref()),
            ("/pages/{id}/content", Some("includeIDs=true"))
        );
        let url = Url::parse("https://graph.microsoft.com/docs\\api/x");
        assert_eq!((url.version, url.path.as_str()), (None, "/docs/api/x"));
        assert_eq!(
            PathTemplate::parse("~/profiles/{id}").render(&["1".into()]),
            "/profiles/1"
        );
    }
}
