//! Examples: each request and response example matched to the operation and path it
//! exercises, its JSON read as the operation's types.

use super::*;
use crate::model::navigation::{UserAlias, match_user_alias};
use crate::model::path::ByHead;
use crate::model::{ITEM_PATH, item_by_path, with_template_arguments, written_forms};
use std::sync::Arc;

impl<'a> Resolver<'a> {
    /// GD0321: the example's URL `how` (matches, extends) `other`'s path, which another
    /// page documents.
    pub(super) fn report_other_page(
        &mut self,
        request: &parse::ExampleRequest,
        how: &str,
        other: &Operation,
    ) {
        self.diagnostics.report(
            request.url_source.clone(),
            Code::UrlOnOtherPage,
            format!(
                "example URL `{}` {how} `{} {}`, documented at {}, not on this page",
                request.url, other.method, other.path.text, other.source
            ),
            "document the path on this page, or move the example to that page",
        );
    }

    /// Every example of every API page, once every operation exists: one whose URL no
    /// path of its page matches may match another page's.
    pub(super) fn examples(&mut self, operations: &mut [Operation]) {
        let mut test_scope = Scope::default();
        let by_head = ByHead::new(operations.iter().map(|op| &op.path));
        // A page's operations are next to each other, in page order.
        let mut start = 0;
        for page in self.pages.iter().filter(|p| p.kind == PageKind::Api) {
            let count = operations[start..]
                .iter()
                .take_while(|op| *op.source.file == *page.file)
                .count();
            let own = start..start + count;
            start += count;
            for example in &page.examples {
                let own = own.clone();
                self.example(page, example, operations, own, &by_head, &mut test_scope);
            }
        }
    }

    /// Matches an example of `page` (whose operations are `operations[own]`) to the
    /// operation it exercises: one of its page's, else the most specific one of another
    /// page with its method and a path its URL matches (reported: the example is on
    /// the wrong page, or its page misses the path), else none (reported; its bodies
    /// are still tested against its page's operation of its method).
    pub(super) fn example(
        &mut self,
        page: &Page,
        example: &parse::Example,
        operations: &mut [Operation],
        own: std::ops::Range<usize>,
        by_head: &ByHead,
        test_scope: &mut Scope,
    ) {
        let request = &example.request;
        let Some(path) = self.example_path(page, request) else {
            return;
        };
        let same_method = |op: &Operation| op.method.eq_ignore_ascii_case(&request.method);
        // The URL as written, then as OneDrive's addressing also writes it: a drive's
        // root, or an item by its path where the template writes it by id (whose call
        // goes by the path too).
        let forms = written_forms(&path);
        let by_path = item_by_path(&path);
        let on_page = |path: &str, same: bool| {
            own.clone().find(|&i| {
                (!same || same_method(&operations[i])) && operations[i].path.capture(path).is_some()
            })
        };
        // Graph's `/me` is the signed-in user's `/users/{id}`: an example may write one
        // where its page's template writes the other.
        let alias = |path: &str| {
            match_user_alias(
                path,
                own.clone()
                    .filter(|&i| same_method(&operations[i]))
                    .map(|i| (i, &operations[i].path)),
            )
        };
        let elsewhere = |path: &str| {
            by_head
                .candidates(path)
                .into_iter()
                .filter(|i| !own.contains(i))
                .filter(|&i| {
                    same_method(&operations[i]) && operations[i].path.capture(path).is_some()
                })
                .max_by_key(|&i| (operations[i].path.literal_length(), std::cmp::Reverse(i)))
        };
        let captured = |i: usize, form: &str| operations[i].path.capture(form).unwrap_or_default();
        let mut other_arguments: Vec<String> = Vec::new();
        // A form its page documents as written beats one reached through an alias.
        let matched: Option<(usize, Vec<String>, Option<UserAlias>, &String)> = forms
            .iter()
            .find_map(|form| on_page(form, true).map(|i| (i, captured(i, form), None, form)))
            .or_else(|| {
                forms
                    .iter()
                    .find_map(|form| alias(form).map(|(i, args, how)| (i, args, Some(how), form)))
            })
            .or_else(|| {
                forms.iter().find_map(|form| {
                    on_page(form, false).map(|i| (i, captured(i, form), None, form))
                })
            })
            .or_else(|| {
                // A function call written with other arguments than its template's.
                forms.iter().find_map(|form| {
                    own.clone()
                        .filter(|&i| same_method(&operations[i]))
                        .find_map(|i| {
                            let template = &operations[i].path;
                            // As the URL gives them, else with the template's sample
                            // values where it writes samples (the call sends those).
                            let (found, differ) =
                                [false, true].into_iter().find_map(|samples| {
                                    let (conformed, differ) =
                                        with_template_arguments(form, &template.text, samples)?;
                                    let found = match template.capture(&conformed) {
                                        Some(args) => (i, args, None),
                                        None => {
                                            let (i, args, how) =
                                                match_user_alias(&conformed, [(i, template)])?;
                                            (i, args, Some(how))
                                        }
                                    };
                                    Some((found, differ))
                                })?;
                            other_arguments = differ;
                            Some((found.0, found.1, found.2, form))
                        })
                })
            })
            .or_else(|| {
                forms.iter().find_map(|form| {
                    let found = elsewhere(form)?;
                    self.report_other_page(request, "matches", &operations[found]);
                    Some((found, captured(found, form), None, form))
                })
            });
        let mut user_alias = None;
        let mut written_as = None;
        let mut item_path = false;
        let matched = matched.map(|(i, mut args, how, form)| {
            user_alias = how;
            match &by_path {
                // The call goes by the path too: its argument where the id was.
                Some((by_path, item)) if by_path == form => {
                    for arg in args.iter_mut().filter(|a| *a == ITEM_PATH) {
                        arg.clone_from(item);
                    }
                    item_path = true;
                }
                _ if *form != path => written_as = Some(form.clone()),
                _ => {}
            }
            (i, args)
        });
        let (index, path_args) = match matched {
            Some((index, args)) => (index, Some(args)),
            None => {
                let operations = &operations[own.clone()];
                let documented: Vec<&str> =
                    operations.iter().map(|op| op.path.text.as_str()).collect();
                self.diagnostics.report(
                    request.url_source.clone(),
                    Code::UnmatchedUrl,
                    format!(
                        "example URL `{}` matches no path documented on this page",
                        request.url
                    ),
                    if documented.is_empty() {
                        "document the request in an \"HTTP request\" section".to_owned()
                    } else {
                        format!("expected one of: {}", documented.join(", "))
                    },
                );
                // Its bodies are still the page's: test them against the operation with
                // the same method, without checking the path.
                match operations
                    .iter()
                    .position(|op| op.method.eq_ignore_ascii_case(&request.method))
                {
                    Some(index) => (own.start + index, None),
                    None => return,
                }
            }
        };
        if !other_arguments.is_empty() {
            self.diagnostics.report(
                request.url_source.clone(),
                Code::ArgumentsDiffer,
                format!(
                    "example URL `{}` calls the function with other arguments than `{}` ({})",
                    request.url,
                    operations[index].path.text,
                    other_arguments
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "write the same arguments in the template and the example (optional ones may be left out of both)",
            );
        }
        // The arguments the example leaves out stand as the template's placeholders.
        let filled = |arg: &str| {
            let name = arg.trim_matches(|c| matches!(c, '\'' | '{' | '}'));
            other_arguments.iter().any(|a| a == name)
        };
        let placeholders: Vec<&str> = path_args
            .iter()
            .flatten()
            .filter(|arg| is_placeholder(arg) && !filled(arg))
            .map(String::as_str)
            .collect();
        if !placeholders.is_empty() {
            self.diagnostics.report(
                request.url_source.clone(),
                Code::PlaceholderInUrl,
                format!(
                    "example URL holds the placeholder {} where a value belongs",
                    placeholders
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                "write a sample value (an id, a name) in the example; the template belongs in the \"HTTP request\" section",
            );
        }
        let operation = &operations[index];
        if !operation.method.eq_ignore_ascii_case(&request.method) {
            self.diagnostics.report(
                request.url_source.clone(),
                Code::MethodMismatch,
                format!(
                    "example request uses {}, but the page documents {} {}",
                    request.method, operation.method, operation.path.text
                ),
                format!(
                    "use {} in the example, or document the {} request",
                    operation.method, request.method
                ),
            );
        }
        self.check_content_length(&request.headers, request.body.as_ref(), false);
        if let Some(name) = &request.name {
            match self.example_names.get(name) {
                Some(first) => {
                    let first = first.clone();
                    self.diagnostics.report(
                        request.source.clone(),
                        Code::DuplicateExample,
                        format!("example name `{name}` is also used at {first}"),
                        "give every example a name of its own",
                    );
                }
                None => {
                    self.example_names
                        .insert(name.clone(), request.source.clone());
                }
            }
        }
        let test_name = test_scope.claim(&file_stem(&page.file), Case::Snake);

        // A body its Content-Type says is not JSON (a file's bytes, text) is content,
        // which the JSON request functions do not send (yet): no JSON body to judge.
        let not_json = parse::non_json_content_type(&request.headers).is_some();
        let content = match (&request.body, &operation.body) {
            (Some(text), Some(Body::Content)) => Some(ExampleContent {
                content_type: parse::header(&request.headers, "Content-Type")
                    .map_or("application/octet-stream", |h| h.value.as_str())
                    .to_owned(),
                text: text.text.clone(),
            }),
            _ => None,
        };
        let (body, body_skipped) = match (&request.body, &operation.body) {
            (None, _) | (_, Some(Body::Content)) => (None, None),
            (Some(_), None) if not_json => (
                None,
                Some(Skip::other("the request body is not JSON content")),
            ),
            (Some(json), None) => {
                self.diagnostics.report(
                    json.source.clone(),
                    Code::UnexpectedBody,
                    "example request has a body, but the page documents no request body",
                    "document the body in the \"Request body\" section, or remove it from the example",
                );
                (
                    None,
                    Some(Skip::finding(
                        Code::UnexpectedBody,
                        "the page documents no request body",
                    )),
                )
            }
            (Some(json), Some(Body::Json { item: ty })) => {
                match self.example_json(json, &request.headers) {
                    Ok((value, text)) => match self.typed_example(value, text, ty, json, "") {
                        Ok(body) => (Some(body), None),
                        Err(reason) => (None, Some(reason)),
                    },
                    Err(reason) => (None, Some(reason)),
                }
            }
        };
        let response = example.response.as_ref().map(|r| {
            self.example_response(
                r,
                operation,
                service_root(&request.url),
                example.alternative,
            )
        });
        let source = match &example.response {
            Some(response) if example.alternative => response.source.clone(),
            _ => request.source.clone(),
        };
        operations[index].examples.push(Example {
            test_name,
            source,
            request: ExampleRequest {
                method: request.method.clone(),
                url: request.url.clone(),
                path_args,
                user_alias,
                written_as,
                item_path,
                other_arguments,
                body,
                content,
                body_skipped,
            },
            response,
            alternative: example.alternative,
        });
    }

    /// The example URL's path without scheme, host, API version and query. Backslashes
    /// and a missing version are reported; when the version is missing, whatever comes
    /// before a documented path is dropped. `None` for a URL on another host (a callback
    /// or notification endpoint, not a request of this API).
    pub(super) fn example_path(
        &mut self,
        page: &Page,
        request: &parse::ExampleRequest,
    ) -> Option<String> {
        let text = request.url.trim();
        let url = Url::parse(text);
        if let Some(host) = &url.host
            && !self.base_url.starts_with(host.as_str())
        {
            self.diagnostics.report(
                request.url_source.clone(),
                Code::OtherHost,
                format!(
                    "example request goes to `{host}`, not to the API (`{}`); not tested",
                    self.base_url
                ),
                "nothing to do if this shows a callback the service makes",
            );
            return None;
        }
        if let Some(at) = text.find('\\') {
            let mut source = request.url_source.clone();
            source.column += text[..at].chars().count() as u32;
            self.diagnostics.report(
                source,
                Code::ExampleUrl,
                format!("example URL `{text}` contains a backslash"),
                "separate URL segments with `/`",
            );
        }
        if url.version.is_some() || url.host.is_none() {
            return Some(url.path);
        }
        self.diagnostics.report(
            request.url_source.clone(),
            Code::ExampleUrl,
            format!("example URL `{text}` has no API version after the host"),
            "write the URL as `https://graph.microsoft.com/{version}/...` with version `v1.0` or `beta`",
        );
        // Without a version, a bogus prefix may precede the path: try each tail.
        let templates: Vec<PathTemplate> = page
            .templates
            .iter()
            .map(|t| PathTemplate::parse(&t.path))
            .collect();
        let segments: Vec<&str> = url.path.split('/').filter(|s| !s.is_empty()).collect();
        (0..segments.len())
            .map(|k| format!("/{}", segments[k..].join("/")))
            .find(|tail| templates.iter().any(|t| t.capture(tail).is_some()))
            .or(Some(url.path))
    }

    /// Parses an example body (strict, else repaired), reporting what was wrong with it.
    pub(super) fn example_json(
        &mut self,
        json: &parse::Json,
        headers: &[parse::Header],
    ) -> Result<(Arc<Value>, String), Skip> {
        if let Some(content_type) = parse::non_json_content_type(headers) {
            self.diagnostics.report(
                content_type.source.clone(),
                Code::ContentType,
                format!(
                    "example Content-Type `{}` is not JSON, but the page documents a JSON type for this body",
                    content_type.value
                ),
                "make the example's Content-Type and body JSON, or document the body as not JSON",
            );
            return Err(Skip::finding(
                Code::ContentType,
                "the example's Content-Type is not JSON, but the operation's type is",
            ));
        }
        let (value, repairs, duplicate) = match &json.parsed {
            parse::Parsed::Json {
                value,
                repairs,
                duplicate,
            } => (value.clone(), repairs, duplicate),
            parse::Parsed::Invalid {
                message,
                line,
                column,
            } => {
                let mut source = json.source.clone();
                source.line += line.saturating_sub(1) as u32;
                source.column = *column as u32;
                self.diagnostics.report(
                    source,
                    Code::InvalidJson,
                    format!("example body is not valid JSON: {message}"),
                    "write the example body as strict JSON",
                );
                return Err(Skip::finding(
                    Code::InvalidJson,
                    format!("the body is not valid JSON: {message}"),
                ));
            }
        };
        if let Some((key, offset)) = duplicate {
            self.diagnostics.report(
                body_source(json, Some(*offset)),
                Code::DuplicateKey,
                format!("example object has the key `{key}` twice"),
                "give each key once per object",
            );
            return Err(Skip::finding(
                Code::DuplicateKey,
                format!("an object has the key `{key}` twice"),
            ));
        }
        if repairs.is_empty() {
            return Ok((value, json.text.clone()));
        }
        let what: Vec<&str> = repairs.iter().map(|r| r.describe()).collect();
        self.diagnostics.report(
            json.source.clone(),
            Code::RepairedJson,
            format!(
                "example body is not strict JSON: it has {}",
                what.join(", ")
            ),
            "write the example body as strict JSON; it was repaired to be tested",
        );
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        Ok((value, text))
    }

    /// An example body checked against the type it is declared to be; `at` is the
    /// value's path in the body (`value` for an object wrapped in `value`).
    pub(super) fn typed_example(
        &mut self,
        value: Arc<Value>,
        text: String,
        ty: &TypeRef,
        json: &parse::Json,
        at: &str,
    ) -> Result<ExampleJson, Skip> {
        if !self.check_declared(&value, ty, json, at) {
            return Err(Skip::finding(
                Code::WrongValueType,
                "values in the example do not have their declared types",
            ));
        }
        let undeclared = self.undeclared(&value, ty);
        Ok(ExampleJson {
            text,
            value,
            undeclared,
        })
    }

    /// The example's response, checked against `operation`. Another response to an
    /// earlier example's request (`alternative`) shows another case, whose status is not
    /// the one documented (an error, a partial success, what a redirect leads to).
    pub(super) fn example_response(
        &mut self,
        response: &parse::ExampleResponse,
        operation: &Operation,
        request_root: Option<String>,
        alternative: bool,
    ) -> ExampleResponse {
        let mut out = ExampleResponse {
            status: response.status,
            content_type: header(&response.headers, "content-type").map(|h| h.value.clone()),
            headers: response
                .headers
                .iter()
                .filter(|h| {
                    !["content-type", "content-length", "transfer-encoding"]
                        .iter()
                        .any(|n| h.name.eq_ignore_ascii_case(n))
                })
                .map(|h| (h.name.clone(), h.value.clone()))
                .collect(),
            body: None,
            content: response
                .body
                .as_ref()
                .filter(|_| matches!(operation.response, Response::Bytes | Response::Count))
                .map(|body| body.text.clone()),
            item_undeclared: Vec::new(),
            body_skipped: None,
        };
        let documented = operation.status;
        let named =
            response.status == documented || operation.other_statuses.contains(&response.status);
        if (200..300).contains(&response.status) && !named && !alternative {
            self.diagnostics.report(
                response.source.clone(),
                Code::StatusMismatch,
                format!(
                    "example response status {} differs from the documented {documented}",
                    response.status
                ),
                format!("make the example answer {documented}, or correct the Response section"),
            );
        }
        self.check_content_length(
            &response.headers,
            response.body.as_ref(),
            response.truncated,
        );
        if let Some(json) = &response.body {
            let root = request_root.unwrap_or_else(|| self.base_url.clone());
            self.check_context(json, &root);
        }
        // A result read from the body: JSON, or a count's number.
        let returns_json = matches!(
            operation.response,
            Response::Json { .. } | Response::Collection { .. } | Response::Count
        );
        let Some(json) = &response.body else {
            if returns_json && (200..300).contains(&response.status) {
                self.diagnostics.report(
                    response.source.clone(),
                    Code::MissingResponseBody,
                    format!(
                        "example response ({}) has no body, but the page says the operation returns {}",
                        response.status,
                        describe(&operation.response)
                    ),
                    "show the response body, or say in the Response section that nothing is returned",
                );
                out.body_skipped = Some(Skip::finding(
                    Code::MissingResponseBody,
                    "the example response shows no body",
                ));
            }
            return out;
        };
        if !(200..300).contains(&response.status) {
            out.body_skipped = Some(Skip::other(format!(
                "the example is an error response ({})",
                response.status
            )));
            return out;
        }
        match &operation.response {
            Response::Empty => {
                out.body_skipped = Some(Skip::other("the operation documents no response body"))
            }
            Response::Bytes | Response::Count => {
                out.body_skipped = Some(Skip::other("the response is not JSON"))
            }
            Response::Accepted => {
                out.body_skipped = Some(Skip::other(
                    "the operation answers with a location to monitor",
                ))
            }
            Response::Json { item } => match self.example_json(json, &response.headers) {
                Ok((value, text)) => {
                    let (value, text, at) = self.unwrap_value(value, text, item, json);
                    match self.typed_example(value, text, item, json, at) {
                        Ok(body) => out.body = Some(body),
                        Err(reason) => out.body_skipped = Some(reason),
                    }
                }
                Err(reason) => out.body_skipped = Some(reason),
            },
            Response::Collection { item } => match self.example_json(json, &response.headers) {
                Ok((value, text)) => match value.get("value").and_then(Value::as_array) {
                    Some(items) => {
                        let conforming = items
                            .iter()
                            .enumerate()
                            .filter(|(i, v)| {
                                let at = crate::json::index_path("value", *i);
                                !self.check_declared(v, item, json, &at)
                            })
                            .count()
                            == 0;
                        if conforming {
                            out.item_undeclared =
                                items.iter().map(|v| self.undeclared(v, item)).collect();
                            out.body = Some(ExampleJson {
                                text,
                                value,
                                undeclared: Vec::new(),
                            });
                        } else {
                            out.body_skipped = Some(Skip::finding(
                                Code::WrongValueType,
                                "values in the example do not have their declared types",
                            ));
                        }
                    }
                    None => {
                        self.diagnostics.report(
                            json.source.clone(),
                            Code::WrappedValue,
                            "example response of a collection has no `value` array",
                            "return collections as `{\"value\": [ ... ]}`",
                        );
                        out.body_skipped = Some(Skip::finding(
                            Code::WrappedValue,
                            "the collection is not in a `value` array",
                        ));
                    }
                },
                Err(reason) => out.body_skipped = Some(reason),
            },
        }
        out
    }

    /// A single object written as `{"value": {...}}` is a doc defect: the service sends
    /// the object itself. The test checks the object; its path in the body comes third.
    pub(super) fn unwrap_value(
        &mut self,
        value: Arc<Value>,
        text: String,
        ty: &TypeRef,
        json: &parse::Json,
    ) -> (Arc<Value>, String, &'static str) {
        let Some(def) = self.struct_def(ty) else {
            return (value, text, "");
        };
        let declares_value = def.properties.iter().any(|p| p.wire_name == "value");
        let wire_name = def.wire_name.clone();
        let wrapped = match &*value {
            Value::Object(map)
                if !declares_value && map.keys().all(|k| k == "value" || k.starts_with('@')) =>
            {
                map.get("value").filter(|inner| inner.is_object()).cloned()
            }
            _ => None,
        };
        let Some(inner) = wrapped else {
            return (value, text, "");
        };
        self.diagnostics.report(
            json.source.clone(),
            Code::WrappedValue,
            format!("example response wraps a single `{wire_name}` in `value`"),
            "show the object itself as the response body; only collections are wrapped in `value`",
        );
        let text = serde_json::to_string_pretty(&inner).unwrap_or_default();
        (inner.into(), text, "value")
    }
}

/// A path argument that is a template's placeholder (`{id}`, `{user-id}`) rather than a
/// value: a brace pair around a name, as path templates write parameters.
fn is_placeholder(arg: &str) -> bool {
    let arg = arg.trim_matches('\'');
    arg.len() > 2
        && arg.starts_with('{')
        && arg.ends_with('}')
        && !arg[1..arg.len() - 1].contains(['{', '}'])
}
