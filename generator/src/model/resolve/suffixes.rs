//! What OData lets a documented path take that its page's template does not write, as
//! the page's examples use it: a cast to a derived type (`.../members/microsoft.graph.user`
//! reads the members that are users), then `/$count` (how many, as plain text),
//! `/$value` (the raw bytes of an entity or property) or a stream property (a report's
//! `/content`, its bytes). A `PUT` or `PATCH` example may likewise write a stream
//! property (or `$value`) after a path its page documents for that method (a logo's
//! bytes, `PATCH .../branding/bannerLogo`). And OData addresses an entity's
//! navigation or complex property as a segment after it: `GET /shares/{id}/driveItem`
//! reads the `driveItem` of the `sharedDriveItem` that `GET /shares/{id}` returns.
//! Such an example is the only place the docs show these calls, so each gets an
//! operation of its own, next to its page's, and the navigation reaches it like any
//! other; the documented path it extends may be another page's (GD0321).

use std::ops::Range;

use super::*;
use crate::model::naming::rust_name;
use crate::model::navigation::match_user_alias;
use crate::model::path::ByHead;
use crate::model::written_forms;

/// What follows a documented path in an example URL.
struct Suffix<'u> {
    /// The documented part of the path.
    base: &'u str,
    /// The qualified name of the type cast to, and its index in the types.
    cast: Option<(&'u str, usize)>,
    /// `$count`, `$value` or a stream property, if the URL ends with one.
    tail: Option<&'u str>,
    /// A property of the type the documented path returns, read on its own.
    property: Option<&'u str>,
}

impl Resolver<'_> {
    /// `operations` with, after each page's own, the operations its examples' URLs
    /// reach through a cast, `/$count`, `/$value` or a stream property after one of its
    /// `GET` paths.
    pub(super) fn odata_suffixes(&mut self, operations: Vec<Operation>) -> Vec<Operation> {
        let mut names: HashSet<String> = operations.iter().map(|o| o.rust_name.clone()).collect();
        let by_head = ByHead::new(operations.iter().map(|op| &op.path));
        let streams = self.stream_properties();
        // Each page's operations (a run of one file) and what its examples derive.
        // The first page of each file, as `find` would take it.
        let pages: HashMap<&str, &Page> = self
            .pages
            .iter()
            .rev()
            .map(|p| (p.file.as_str(), p))
            .collect();
        let mut derived: Vec<(usize, Vec<Operation>)> = Vec::new();
        let mut elsewhere = Vec::new();
        let mut start = 0;
        while start < operations.len() {
            let file = &operations[start].source.file;
            let end = start
                + operations[start..]
                    .iter()
                    .take_while(|op| op.source.file == *file)
                    .count();
            if let Some(page) = pages.get(&**file) {
                let found = self.derived(
                    page,
                    start..end,
                    &operations,
                    &by_head,
                    &streams,
                    &mut names,
                );
                let ops = found.into_iter().map(|(op, other_page)| {
                    elsewhere.extend(other_page);
                    op
                });
                derived.push((end, ops.collect()));
            }
            start = end;
        }
        for (request, base) in elsewhere {
            self.report_other_page(request, "extends", &operations[base]);
        }
        let mut out = Vec::with_capacity(operations.len());
        let mut derived = derived.into_iter().peekable();
        for (i, op) in operations.into_iter().enumerate() {
            out.push(op);
            if let Some((_, ops)) = derived.next_if(|(end, _)| *end == i + 1) {
                out.extend(ops);
            }
        }
        out
    }

    /// The operations `page`'s `GET` examples (and `PUT`/`PATCH` ones that write a
    /// stream) reach beyond its paths (`own`, of `all`), each with its example's request
    /// and the index in `all` of the path it extends when another page documents it.
    fn derived<'p>(
        &self,
        page: &'p Page,
        own: Range<usize>,
        all: &[Operation],
        by_head: &ByHead,
        streams: &HashSet<String>,
        names: &mut HashSet<String>,
    ) -> Vec<(Operation, Option<(&'p parse::ExampleRequest, usize)>)> {
        let mut derived: Vec<(Operation, Option<(&parse::ExampleRequest, usize)>)> = Vec::new();
        for example in &page.examples {
            let request = &example.request;
            let url = Url::parse(request.url.trim());
            let ours = url.version.is_some() || url.host.is_none();
            let read = request.method.eq_ignore_ascii_case("GET");
            let write = ["PUT", "PATCH"]
                .iter()
                .any(|m| request.method.eq_ignore_ascii_case(m));
            if !(read || write) || !ours {
                continue;
            }
            let path = url.path.as_str();
            let own_ops = &all[own.clone()];
            if own_ops
                .iter()
                .chain(derived.iter().map(|(op, _)| op))
                .any(|op| op.path.capture(path).is_some())
            {
                continue;
            }
            // A property's segment, unless the URL reaches a documented path otherwise:
            // its page's written another way, or another page's as written.
            let property = || {
                let elsewhere = by_head.candidates(path).into_iter().any(|i| {
                    all[i].method.eq_ignore_ascii_case(&request.method)
                        && all[i].path.capture(path).is_some()
                });
                let plain =
                    read && !elsewhere && !reached_otherwise(path, &request.method, own_ops);
                plain.then(|| property_suffix(path)).flatten()
            };
            let suffix = self.suffix(path, streams).or_else(property);
            let Some(suffix) = suffix else {
                continue;
            };
            // A write takes a stream's bytes, not a cast or a count.
            let writes_stream = suffix.cast.is_none()
                && suffix
                    .tail
                    .is_some_and(|tail| !tail.eq_ignore_ascii_case("$count"));
            if write && !writes_stream {
                continue;
            }
            let extends = |i: &usize| {
                let op = &all[*i];
                op.method.eq_ignore_ascii_case(&request.method)
                    && op.path.query.is_none()
                    && op.path.capture(suffix.base).is_some()
            };
            // Its page's path, else the most specific one another page documents.
            let most_specific_elsewhere = || {
                by_head
                    .candidates(suffix.base)
                    .into_iter()
                    .filter(extends)
                    .max_by_key(|&i| all[i].path.literal_length())
            };
            let Some((base, other_page)) = own
                .clone()
                .find(extends)
                .map(|i| (i, None))
                .or_else(|| most_specific_elsewhere().map(|i| (i, Some((request, i)))))
            else {
                continue;
            };
            let base = &all[base];
            let response = match (suffix.tail, suffix.cast, &base.response) {
                _ if write => Response::Empty,
                // Only a read names a property (see `property_suffix`).
                _ if suffix.property.is_some() => {
                    let property = suffix.property.unwrap_or_default();
                    match self.property_response(&base.response, property) {
                        Some(response) => response,
                        None => continue,
                    }
                }
                (Some(tail), _, _) if tail.eq_ignore_ascii_case("$count") => Response::Count,
                (Some(_), _, _) => Response::Bytes,
                (None, Some((_, i)), Response::Collection { .. }) => Response::Collection {
                    item: self.named_ref(Named::Struct(i)),
                },
                (None, Some((_, i)), _) => Response::Json {
                    item: self.named_ref(Named::Struct(i)),
                },
                (None, None, _) => continue,
            };
            let mut text = base.path.text.trim_end_matches('/').to_owned();
            let mut words = vec![base.rust_name.clone()];
            if let Some((cast, i)) = suffix.cast {
                text.push('/');
                text.push_str(cast);
                words.push(self.types[i].wire_name.clone());
            }
            if let Some(tail) = suffix.tail.or(suffix.property) {
                text.push('/');
                text.push_str(tail);
                words.push(tail.trim_start_matches('$').to_owned());
            }
            let mut rust_name = rust_name(&words.join(" "), Case::Snake);
            while !names.insert(rust_name.clone()) {
                rust_name.push('_');
            }
            // What the example answers, when it is a success; else what the base does.
            let status = example
                .response
                .as_ref()
                .map(|r| r.status)
                .filter(|s| (200..400).contains(s))
                .unwrap_or(base.status);
            let operation = Operation {
                rust_name,
                status,
                path: PathTemplate::parse(&text),
                body: write.then_some(Body::Content),
                response,
                examples: Vec::new(),
                // Documented by the example, on the same page.
                source: request.url_source.clone(),
                ..base.clone()
            };
            derived.push((operation, other_page));
        }
        derived
    }

    /// `path` taken apart as a documented part, a cast to a type the docs document and
    /// `$count`, `$value` or a stream property (one of `streams`, lowercased); none
    /// when it ends in neither a cast nor such a segment.
    fn suffix<'u>(&self, path: &'u str, streams: &HashSet<String>) -> Option<Suffix<'u>> {
        let path = path.trim_end_matches('/');
        let (mut base, last) = path.rsplit_once('/')?;
        let tail = ["$count", "$value"]
            .into_iter()
            .find(|t| last.eq_ignore_ascii_case(t))
            .map(|_| last)
            .or_else(|| streams.contains(&last.to_ascii_lowercase()).then_some(last));
        let cast_segment = match tail {
            Some(_) => base.rsplit_once('/'),
            None => Some((base, last)),
        };
        let cast = cast_segment.and_then(|(rest, segment)| {
            let i = self.types.iter().position(|t| {
                !t.odata_type.is_empty()
                    && t.odata_type
                        .trim_start_matches('#')
                        .eq_ignore_ascii_case(segment)
            })?;
            Some((rest, segment, i))
        });
        let cast = match cast {
            Some((rest, segment, i)) => {
                base = rest;
                Some((segment, i))
            }
            None if tail.is_some() => None,
            None => return None,
        };
        (!base.is_empty()).then_some(Suffix {
            base,
            cast,
            tail,
            property: None,
        })
    }

    /// What reading `property` of the entity `response` returns answers: the property's
    /// object, or its objects as a collection; none for a scalar or an unknown name.
    fn property_response(&self, response: &Response, property: &str) -> Option<Response> {
        let Response::Json {
            item: TypeRef::Struct { rust_name, .. },
        } = response
        else {
            return None;
        };
        let owner = self.types.iter().find(|t| t.rust_name == *rust_name)?;
        let found = owner
            .properties
            .iter()
            .find(|p| p.wire_name.eq_ignore_ascii_case(property))?;
        match &found.ty {
            item @ TypeRef::Struct { .. } => Some(Response::Json { item: item.clone() }),
            TypeRef::Collection { item } if matches!(**item, TypeRef::Struct { .. }) => {
                Some(Response::Collection {
                    item: (**item).clone(),
                })
            }
            _ => None,
        }
    }
}

/// Whether one of a page's operations (`own`) of `method` reaches `path` written
/// another way: the signed-in user, a drive, or an item by its path.
fn reached_otherwise(path: &str, method: &str, own: &[Operation]) -> bool {
    let templates: Vec<(usize, &PathTemplate)> = own
        .iter()
        .enumerate()
        .filter(|(_, op)| op.method.eq_ignore_ascii_case(method))
        .map(|(i, op)| (i, &op.path))
        .collect();
    written_forms(path).into_iter().any(|form| {
        templates.iter().any(|(_, t)| t.capture(&form).is_some())
            || match_user_alias(&form, templates.iter().copied()).is_some()
    })
}

/// `path` as a documented part and a last segment that may name a property: a plain
/// name, not a key value, a function call or a `$` segment.
fn property_suffix(path: &str) -> Option<Suffix<'_>> {
    let (base, last) = path.trim_end_matches('/').rsplit_once('/')?;
    let name = last.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && last.chars().all(|c| c.is_ascii_alphanumeric());
    (name && !base.is_empty()).then_some(Suffix {
        base,
        cast: None,
        tail: None,
        property: Some(last),
    })
}
