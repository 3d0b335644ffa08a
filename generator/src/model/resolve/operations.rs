//! Operations: each `http` template of an operation page, with its body, response and
//! the Rust name of its function.

use super::*;

impl<'a> Resolver<'a> {
    /// A type whose page names no product takes the area of the operations that return
    /// or take it (the most of them; ties by name): today's resource pages often state
    /// no product where their operation pages do, and a resource belongs with them.
    /// Operations that name no product either then follow their type there.
    pub(super) fn adopt_areas(&mut self, operations: &mut [Operation]) {
        let subject = |op: &Operation| -> Option<usize> {
            match op.subject()? {
                TypeRef::Struct { rust_name, .. } => self.by_rust.get(rust_name).copied(),
                _ => None,
            }
        };
        let mut votes: HashMap<usize, BTreeMap<String, usize>> = HashMap::default();
        for op in operations
            .iter()
            .filter(|op| op.area != parse::GENERAL_AREA)
        {
            if let Some(i) = subject(op)
                && self.types[i].area == parse::GENERAL_AREA
            {
                *votes
                    .entry(i)
                    .or_default()
                    .entry(op.area.clone())
                    .or_default() += 1;
            }
        }
        let subjects: Vec<Option<usize>> = operations.iter().map(subject).collect();
        for (i, votes) in votes {
            if let Some((area, _)) = votes
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            {
                self.types[i].area = area;
            }
        }
        for (op, subject) in operations.iter_mut().zip(subjects) {
            if op.area == parse::GENERAL_AREA
                && let Some(i) = subject
            {
                op.area = self.types[i].area.clone();
            }
        }
    }

    /// The first type named in prose: a link, or a word followed by "object",
    /// "resource", "collection" or "entity". Also whether the prose says "collection".
    pub(super) fn mentioned(&mut self, prose: &[Prose]) -> Option<(Named, bool)> {
        for p in prose {
            let collection = says_collection(&p.text.to_lowercase());
            for mention in &p.mentions {
                if let Some(named) = self.lookup(mention) {
                    return Some((named, collection));
                }
            }
            let words: Vec<&str> = p
                .text
                .split(|c: char| !(c.is_alphanumeric() || c == '.'))
                .filter(|w| !w.is_empty())
                .collect();
            for pair in words.windows(2) {
                let next = pair[1].to_lowercase();
                let noun = [
                    "object",
                    "objects",
                    "resource",
                    "resources",
                    "collection",
                    "entity",
                    "entities",
                ];
                if noun.contains(&next.trim_end_matches('.'))
                    && let Some(named) = self.lookup_name(pair[0].trim_end_matches('.'))
                {
                    return Some((named, collection));
                }
            }
        }
        None
    }

    pub(super) fn operations(&mut self) -> Vec<Operation> {
        let mut fn_scope = Scope::default();
        let mut operations = Vec::new();
        let streams = self.stream_properties();
        for page in self.pages {
            if page.kind != PageKind::Api {
                continue;
            }
            let title = if page.title.is_empty() {
                file_stem(&page.file)
            } else {
                page.title.clone()
            };
            // A GET with a parameter table is a function: its parameters go in the URL.
            let is_function = !page.body_rows.is_empty()
                && page
                    .templates
                    .iter()
                    .all(|t| t.method.eq_ignore_ascii_case("GET"));
            let (status, response) = self.response(page);
            let other_statuses = other_statuses(page, status);
            let body = if is_function {
                None
            } else if content_body(page) {
                Some(Body::Content)
            } else {
                self.body(page, &title, &response)
                    .map(|item| Body::Json { item })
            };
            // A page that names no product (`ms.prod`) belongs with the type it returns or
            // takes when that type's page names one, else with its own subservice.
            let subject = crate::model::subject(&response, body.as_ref().and_then(Body::item))
                .and_then(|item| self.struct_def(item));
            let area = match subject {
                Some(def)
                    if page.product == parse::GENERAL_AREA
                        && (def.area != parse::GENERAL_AREA || page.subservice.is_none()) =>
                {
                    def.area.clone()
                }
                _ => self.area_of(page),
            };
            let permissions: Vec<Permission> = page
                .permissions
                .iter()
                .map(|p| Permission {
                    kind: p.kind.clone(),
                    scopes: p.scopes.clone(),
                })
                .collect();
            // Pages with the same title ("Add attachment" for events, messages and posts)
            // are told apart by the resource their file is named after.
            let words = self.title_words(&title);
            let base = if fn_scope.is_taken(&words, Case::Snake) {
                let stem = file_stem(&page.file);
                format!("{words} {}", stem.split('-').next().unwrap_or(&stem))
            } else {
                words
            };
            for (i, template) in page.templates.iter().enumerate() {
                // The first path takes the page's name; the others say where they start
                // (`list_events`, `list_events_users`, `list_events_groups`).
                let name = if i == 0 {
                    base.clone()
                } else {
                    format!("{base} {}", path_prefix(&template.path))
                };
                let (response, body) =
                    raw_value(&template.method, &template.path, &streams, &response, &body);
                operations.push(Operation {
                    title: title.clone(),
                    rust_name: fn_scope.claim(&name, Case::Snake),
                    // The page's own first paragraph, else the front matter's summary.
                    description: if page.intro.is_empty() {
                        page.description.clone()
                    } else {
                        page.intro.clone()
                    },
                    method: template.method.clone(),
                    path: PathTemplate::parse(&{
                        let path = self.template_placeholders(template);
                        let path = self.placeholder_arguments(&path, &page.body_rows);
                        if is_function {
                            self.function_call(&path, &page.body_rows)
                        } else {
                            path
                        }
                    }),
                    body,
                    status,
                    other_statuses: other_statuses.clone(),
                    response,
                    permissions: permissions.clone(),
                    query: page.query.clone(),
                    headers: page.headers.clone(),
                    examples: Vec::new(),
                    area: area.clone(),
                    part: String::new(),
                    call: Default::default(),
                    source: template.source.clone(),
                    web: None,
                });
            }
        }
        operations
    }

    /// A function's path with its parameters, `/f(a='{a}',n={n})`, when the documented
    /// path leaves them out. Strings and enums are quoted, as OData writes them. OData
    /// lets a call leave out optional parameters, so those the page calls "Optional"
    /// are left out, and a function with only such parameters keeps its documented path
    /// (`/root/delta`; `delta?token=latest` passes one as a query option).
    pub(super) fn function_call(&mut self, path: &str, parameters: &[PropertyRow]) -> String {
        let is_optional = |row: &&PropertyRow| {
            row.description
                .trim_start()
                .get(..8)
                .is_some_and(|start| start.eq_ignore_ascii_case("optional"))
        };
        let parameters: Vec<&PropertyRow> =
            parameters.iter().filter(|row| !is_optional(row)).collect();
        if parameters.is_empty() {
            return path.to_owned();
        }
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        let path = path.trim_end_matches('/').trim_end_matches("()");
        if path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('('))
        {
            return path.to_owned() + &query.map(|q| format!("?{q}")).unwrap_or_default();
        }
        let arguments: Vec<String> = parameters
            .iter()
            .map(|row| argument(&row.name, self.quoted_in_url(row)))
            .collect();
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        format!("{path}({}){query}", arguments.join(","))
    }

    /// The template's path with its sample values and placeholders written otherwise
    /// made `{name}` placeholders (see `template_placeholders`), reported.
    fn template_placeholders(&mut self, template: &parse::Template) -> String {
        let (path, written_otherwise) = crate::model::template_placeholders(&template.path);
        if !written_otherwise.is_empty() {
            self.diagnostics.report(
                template.source.clone(),
                Code::TemplateSample,
                format!(
                    "path template `{}` writes {} where a placeholder belongs; read as `{path}`",
                    template.path,
                    written_otherwise
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "write each parameter as `{name}`, e.g. `{team-id}`",
            );
        }
        path
    }

    /// Whether OData writes a value of this parameter's type quoted in a URL: strings,
    /// enums and the types written as strings are; numbers, booleans, dates are not.
    fn quoted_in_url(&mut self, row: &PropertyRow) -> bool {
        let ty = match &row.ty {
            Some(cell) => self.type_cell(cell, row),
            None => TypeRef::Json,
        };
        match ty {
            TypeRef::Primitive { name } => matches!(
                name,
                Primitive::String | Primitive::Guid | Primitive::Binary | Primitive::Duration
            ),
            TypeRef::Collection { .. } | TypeRef::Struct { .. } | TypeRef::Foreign { .. } => false,
            TypeRef::Enum { .. } | TypeRef::Json => true,
        }
    }

    /// A path whose function arguments hold the docs' placeholders for a value
    /// (`groupId=groupId-value`, `on='parameterValue'`, `count=n`) with each made a
    /// parameter (`groupId='{groupId}'`, `on='{on}'`, `count={count}`), as the docs
    /// mean: the caller gives the value. Quoted as written, or, when written bare, as
    /// the parameter's type is written in a URL (see `quoted_in_url`).
    pub(super) fn placeholder_arguments(
        &mut self,
        path: &str,
        parameters: &[PropertyRow],
    ) -> String {
        let (path_only, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        let mut segments = Vec::new();
        for segment in path_only.split('/') {
            let Some((name, args)) = segment
                .strip_suffix(')')
                .and_then(|s| s.split_once('('))
                .filter(|(_, args)| args.contains('='))
            else {
                segments.push(segment.to_owned());
                continue;
            };
            let args: Vec<String> = args
                .split(',')
                .map(|arg| {
                    let Some((key, value)) = arg.split_once('=') else {
                        return arg.to_owned();
                    };
                    let (key, value) = (key.trim(), value.trim());
                    let quoted =
                        value.len() >= 2 && value.starts_with('\'') && value.ends_with('\'');
                    let inner = if quoted {
                        &value[1..value.len() - 1]
                    } else {
                        value
                    };
                    if !is_placeholder_value(inner, quoted) {
                        return arg.to_owned();
                    }
                    let quoted = quoted
                        || (value
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                            && parameters
                                .iter()
                                .find(|row| row.name.eq_ignore_ascii_case(key))
                                .is_some_and(|row| self.quoted_in_url(row)));
                    argument(key, quoted)
                })
                .collect();
            segments.push(format!("{name}({})", args.join(",")));
        }
        let path = segments.join("/");
        match query {
            Some(query) => format!("{path}?{query}"),
            None => path,
        }
    }

    /// A title with each word that names a type in the type's own casing, so that names
    /// made from it split into words (`Update somethingtype` is `update_some_thing_type`
    /// and `UpdateSomeThingTypeBody` for `someThingType`).
    fn title_words(&self, title: &str) -> String {
        let words: Vec<String> = title
            .split_whitespace()
            .map(|word| match self.lookup_name(word) {
                Some(Named::Struct(i)) => self.types[i].wire_name.clone(),
                Some(Named::Enum(i)) => self.enums[i].wire_name.clone(),
                None => word.to_owned(),
            })
            .collect();
        words.join(" ")
    }

    /// The request body type: a documented type when the page's table (if any) lists
    /// its properties (its bases' included), else a type made from the table's rows.
    /// The type is the one the body prose names. An update (`PATCH`, `PUT`) sends its
    /// resource: the one the prose names, the one it returns, or the one its title names
    /// ("Update mailFolder"); a row its resource page does not list is reported, and
    /// a table of which more than a quarter is other things makes a type of its own.
    pub(super) fn body(&mut self, page: &Page, title: &str, result: &Response) -> Option<TypeRef> {
        let mentioned = match self.mentioned(&page.body_prose) {
            Some((Named::Struct(i), _)) => Some(i),
            _ => None,
        };
        if page.body_rows.is_empty() {
            return mentioned.map(|i| self.named_ref(Named::Struct(i)));
        }
        // A type's properties and its derived types' (the body is then its `AnyX`).
        let unlisted = |i: usize| -> Vec<&PropertyRow> {
            let def = &self.types[i];
            let derived = def.derived.iter().filter_map(|d| self.by_rust.get(d));
            let declared: HashSet<String> = std::iter::once(i)
                .chain(derived.copied())
                .flat_map(|t| &self.types[t].properties)
                .map(|p| p.wire_name.to_lowercase())
                .collect();
            page.body_rows
                .iter()
                .filter(|r| r.name != "@odata.type" && !declared.contains(&r.name.to_lowercase()))
                .collect()
        };
        if let Some(i) = mentioned
            && unlisted(i).is_empty()
        {
            return Some(self.named_ref(Named::Struct(i)));
        }
        let update = page
            .templates
            .iter()
            .all(|t| ["PATCH", "PUT"].contains(&t.method.to_ascii_uppercase().as_str()));
        let returned = result
            .item()
            .and_then(|item| self.by_rust.get(item.named()?).copied());
        let titled = match self.lookup_name(&title_subject(title)) {
            Some(Named::Struct(i)) => Some(i),
            _ => None,
        };
        let resource = [mentioned, returned, titled]
            .into_iter()
            .flatten()
            .find(|&i| unlisted(i).len() * 4 <= page.body_rows.len())
            .filter(|_| update);
        if let Some(i) = resource {
            let def = &self.types[i];
            let findings: Vec<(Source, String, String)> = unlisted(i)
                .into_iter()
                .map(|row| {
                    (
                        row.source.clone(),
                        format!(
                            "body property `{}` is not a property of `{}`, the resource this update sends",
                            row.name, def.wire_name
                        ),
                        format!("list `{}` on {}, or remove the row", row.name, def.source.file),
                    )
                })
                .collect();
            for (source, message, hint) in findings {
                self.diagnostics
                    .report(source, Code::UnlistedBodyProperty, message, hint);
            }
            return Some(self.named_ref(Named::Struct(i)));
        }
        let wire_name = format!("{} body", self.title_words(title));
        let rust_name = self.type_scope.claim(&wire_name, Case::Pascal);
        let properties = self.properties(&page.body_rows, &wire_name, &[]);
        self.by_rust.insert(rust_name.clone(), self.types.len());
        self.types.push(TypeDef {
            wire_name,
            rust_name,
            // An action's parameters, not an OData type.
            odata_type: String::new(),
            description: format!("The request body of \"{title}\"."),
            base: None,
            properties,
            derived: Vec::new(),
            any_name: None,
            area: self.area_of(page),
            features: Vec::new(),
            part: String::new(),
            source: page.body_rows[0].source.clone(),
            web: None,
        });
        Some(self.named_ref(Named::Struct(self.types.len() - 1)))
    }

    /// The documented success status and result shape, from the Response prose, else
    /// from the first example response.
    pub(super) fn response(&mut self, page: &Page) -> (u16, Response) {
        // An example of `$count` or `$value` below the page's paths shows another result.
        let below = |url: &str| {
            let last = last_segment(url);
            ["$count", "$value"].contains(&last.as_str())
                && !page.templates.iter().any(|t| last_segment(&t.path) == last)
        };
        let example = page
            .examples
            .iter()
            .filter(|e| !below(&e.request.url))
            .find_map(|e| e.response.as_ref());
        let status = page
            .response_prose
            .iter()
            .find_map(|p| status_in(&p.text))
            .or(example.map(|r| r.status))
            .unwrap_or(200);
        if status == 204 {
            return (status, Response::Empty);
        }
        // A redirect answers a read with where the content is: a download.
        if matches!(status, 301..=303 | 307 | 308) {
            return (status, Response::Bytes);
        }
        let json_body = example
            .and_then(|r| r.body.as_ref())
            .is_some_and(|b| b.value().is_some());
        let location = example.is_some_and(|r| {
            r.headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("Location"))
        });
        if status == 202 && location && !json_body {
            return (status, Response::Accepted);
        }
        let example_is_list = example
            .and_then(|r| r.body.as_ref())
            .and_then(|b| b.value())
            .is_some_and(|v| v.get("value").is_some_and(Value::is_array));
        if example.is_some_and(|r| parse::non_json_content_type(&r.headers).is_some()) {
            return (status, Response::Bytes);
        }
        match self.mentioned(&page.response_prose) {
            Some((named, collection)) => {
                let item = self.named_ref(named);
                if collection || example_is_list {
                    (status, Response::Collection { item })
                } else {
                    (status, Response::Json { item })
                }
            }
            None if example.is_some_and(|r| r.body.is_none()) => (status, Response::Empty),
            None => (
                status,
                Response::Json {
                    item: TypeRef::Json,
                },
            ),
        }
    }
}

impl Resolver<'_> {
    /// The lowercased names of the properties of type `Stream` (`content`, `logo`): a
    /// path ending in one reads or writes that stream's bytes.
    pub(super) fn stream_properties(&self) -> HashSet<String> {
        self.types
            .iter()
            .flat_map(|t| &t.properties)
            .filter(|p| {
                p.ty == TypeRef::Primitive {
                    name: Primitive::Stream,
                }
            })
            .map(|p| p.wire_name.to_ascii_lowercase())
            .collect()
    }
}

/// Whether the page's request sends content rather than JSON: it documents no body
/// properties and every example body has a `Content-Type` that is not JSON. (A page
/// with both, such as a reply sent as JSON or as MIME, keeps its JSON body.)
/// A function argument that takes a parameter of the same name: `name='{name}'`.
fn argument(name: &str, quoted: bool) -> String {
    if quoted {
        format!("{name}='{{{name}}}'")
    } else {
        format!("{name}={{{name}}}")
    }
}

/// How the docs write "a value goes here" in a function argument: `groupId-value`,
/// `parameterValue` (quoted or not), or an unquoted word that is no OData literal
/// (`count=n`), which, being no number, boolean, null, date or string, is no value.
fn is_placeholder_value(value: &str, quoted: bool) -> bool {
    if value.ends_with("-value") || value.eq_ignore_ascii_case("parametervalue") {
        return true;
    }
    let bare_word = !quoted
        && !value.is_empty()
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let literal = ["true", "false", "null", "INF", "NaN"]
        .iter()
        .any(|l| value.eq_ignore_ascii_case(l));
    bare_word && !literal
}

/// The success statuses `page`'s Response section names beside `status`, in order.
fn other_statuses(page: &Page, status: u16) -> Vec<u16> {
    let mut others: Vec<u16> = Vec::new();
    for named in (page.response_prose.iter()).flat_map(|p| super::statuses_named(&p.text)) {
        if named != status && !others.contains(&named) {
            others.push(named);
        }
    }
    others
}

fn content_body(page: &Page) -> bool {
    let mut bodies = page.examples.iter().filter(|e| e.request.body.is_some());
    page.body_rows.is_empty()
        && bodies.clone().next().is_some()
        && bodies.all(|e| parse::non_json_content_type(&e.request.headers).is_some())
}

/// What OData says of one path over what its page says of all of them: `$count` is an
/// integer as text; a `$value` or a stream property (`/content`) is read as bytes and
/// written as content.
fn raw_value(
    method: &str,
    path: &str,
    streams: &HashSet<String>,
    response: &Response,
    body: &Option<Body>,
) -> (Response, Option<Body>) {
    let last = last_segment(path);
    let raw = last == "$value" || streams.contains(&last);
    let read = method.eq_ignore_ascii_case("GET");
    let write = ["PUT", "POST", "PATCH"]
        .iter()
        .any(|m| method.eq_ignore_ascii_case(m));
    if read && last == "$count" {
        (Response::Count, body.clone())
    } else if read && raw {
        (Response::Bytes, body.clone())
    } else if write && raw && body.is_none() {
        (response.clone(), Some(Body::Content))
    } else {
        (response.clone(), body.clone())
    }
}

/// The last segment of a URL's or template's path, lowercased.
fn last_segment(url: &str) -> String {
    Url::parse(url)
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The literal segments a path starts with, up to its first parameter (at most two):
/// what tells one of a page's paths from another.
pub(super) fn path_prefix(path: &str) -> String {
    let url = Url::parse(path);
    url.path
        .split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| !s.contains(['{', '<']))
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a title is about, without its leading verb: "Update mailfolder" is `mailfolder`.
fn title_subject(title: &str) -> String {
    title.split_whitespace().skip(1).collect()
}
