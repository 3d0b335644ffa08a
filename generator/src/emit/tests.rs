//! `tests/examples/`: tests per documented example. They deserialize the example's
//! bodies into their generated types, check they serialize back to the same JSON and hold
//! the values the example shows (`expect.rs`), check that the request function, given the
//! example URL's path parameters, builds the example's method and path, and replay the
//! request and response over HTTP with the client.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use foldhash::HashMap;
use proc_macro2::TokenStream;
use quote::quote;
use serde::Serialize;

use super::api::{call, result_type};
use super::expect::Expect;
use super::{doc_lines, ident, raw_string, rust_type_from, string_literal};
use crate::fingerprint;
use crate::model::navigation::{example_call, render};
use crate::model::{Body, Example, Model, Operation, Response, TypeRef};

/// What the example tests read beyond their area's operations: the assertions walk each
/// example's values through the types its operation carries, on through their
/// properties' types and, for an `AnyX`, its derived types, in any area (`expect.rs`);
/// the calls go through the navigation. Each type is fingerprinted once, without its
/// descriptions (the tests do not show them), and an area's input lists the types its
/// operations reach (75 of 3,500 on average in the corpus), so that a changed type makes
/// again only the tests that can read it.
pub struct Reads<'m> {
    model: &'m Model,
    shapes: OnceLock<HashMap<&'m str, String>>,
    navigation: OnceLock<String>,
}

impl<'m> Reads<'m> {
    pub fn new(model: &'m Model) -> Self {
        Reads {
            model,
            shapes: OnceLock::new(),
            navigation: OnceLock::new(),
        }
    }

    /// The input of the tests of `operations`, beyond the operations themselves.
    pub fn of(self: &Arc<Self>, operations: &[&'m Operation]) -> AreaReads<'m> {
        // The struct or enumeration a value of `ty` (or its items) is read as.
        fn named(mut ty: &TypeRef) -> Option<&str> {
            loop {
                match ty {
                    TypeRef::Collection { item } => ty = item,
                    TypeRef::Struct { rust_name, .. } | TypeRef::Enum { rust_name, .. } => {
                        return Some(rust_name);
                    }
                    _ => return None,
                }
            }
        }
        let mut reached = BTreeSet::new();
        let carried = operations.iter().flat_map(|op| op.carried());
        let mut pending: Vec<&str> = carried.filter_map(named).collect();
        while let Some(name) = pending.pop() {
            if !reached.insert(name) {
                continue;
            }
            // An enumeration reaches nothing further.
            let Some(def) = self.model.type_named(name) else {
                continue;
            };
            pending.extend(def.properties.iter().filter_map(|p| named(&p.ty)));
            if def.any_name.is_some() {
                pending.extend(def.derived.iter().map(String::as_str));
            }
        }
        AreaReads {
            reads: self.clone(),
            reached: reached.into_iter().collect(),
        }
    }

    /// Each type's and enumeration's fingerprint, by Rust name: what the tests read of it.
    fn shapes(&self) -> &HashMap<&'m str, String> {
        #[derive(Serialize)]
        struct Shape<'m> {
            wire_name: &'m str,
            odata_type: &'m str,
            area: &'m str,
            derived: &'m [String],
            any_name: &'m Option<String>,
            properties: Vec<(&'m str, &'m str, &'m TypeRef)>,
        }
        self.shapes.get_or_init(|| {
            let types = self.model.types.iter().map(|t| {
                let shape = Shape {
                    wire_name: &t.wire_name,
                    odata_type: &t.odata_type,
                    area: &t.area,
                    derived: &t.derived,
                    any_name: &t.any_name,
                    properties: t
                        .properties
                        .iter()
                        .map(|p| (p.wire_name.as_str(), p.rust_name.as_str(), &p.ty))
                        .collect(),
                };
                (t.rust_name.as_str(), fingerprint::of(&[], &shape))
            });
            let enums = self.model.enums.iter().map(|e| {
                let members = e.members.iter();
                let names: Vec<_> = members.map(|m| (&m.wire_name, &m.rust_name)).collect();
                (
                    e.rust_name.as_str(),
                    fingerprint::of(&[], &(&e.wire_name, names)),
                )
            });
            types.chain(enums).collect()
        })
    }
}

/// What the tests of one area read of the types and the navigation: the types' names
/// and fingerprints (see [`Reads`]).
pub struct AreaReads<'m> {
    reads: Arc<Reads<'m>>,
    reached: Vec<&'m str>,
}

impl Serialize for AreaReads<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let shapes = self.reads.shapes();
        let types: Vec<(&str, Option<&String>)> = self
            .reached
            .iter()
            .map(|name| (*name, shapes.get(name)))
            .collect();
        let navigation = (self.reads.navigation)
            .get_or_init(|| fingerprint::of(&[], &self.reads.model.navigation));
        (types, navigation).serialize(serializer)
    }
}

/// The test crate's root: a module per area with examples, behind that area's feature,
/// and the comparison helpers they share. One test binary, so one link.
pub fn main(model: &Model) -> TokenStream {
    let modules = model
        .areas
        .iter()
        .filter(|area| has_examples(model, &area.name))
        .map(|area| {
            let name = ident(&area.name);
            let feature = &area.name;
            quote! {
                #[cfg(feature = #feature)]
                mod #name;
            }
        });
    let base_path = base_path(&model.base_url);
    quote! {
        //! The examples in the docs, as tests, by API area.
        #![allow(clippy::unit_cmp, clippy::let_unit_value)]

        #( #modules )*

        /// Shared by all areas (`support.rs`, the same file in every generated crate).
        #[allow(dead_code)]
        mod support;

        /// The path of the docs' base URL, which the test server serves under.
        const BASE_PATH: &str = #base_path;
    }
}

pub fn has_examples(model: &Model, area: &str) -> bool {
    model
        .operations
        .iter()
        .any(|op| op.area == area && !op.examples.is_empty())
}

/// The tests of one area's examples: the file's head, and the tests made one at a
/// time.
pub fn area<'m>(
    model: &'m Model,
    area: &'m str,
) -> (TokenStream, impl Iterator<Item = TokenStream> + 'm) {
    let base_path = base_path(&model.base_url);
    let mut expect = Expect::new(model, area);
    let tests = model
        .operations
        .iter()
        .filter(move |op| op.area == area)
        .flat_map(|op| op.examples.iter().map(move |e| (op, e)))
        .map(move |(op, example)| test(model, op, example, &base_path, &mut expect));
    let head = quote! {
        //! The examples of this area's pages.
        use super::support;
    };
    (head, tests)
}

/// The path of the base URL (`/beta` for `https://graph.microsoft.com/beta`).
fn base_path(base_url: &str) -> String {
    base_url
        .split("://")
        .nth(1)
        .and_then(|rest| {
            rest.find('/')
                .map(|i| rest[i..].trim_end_matches('/').to_owned())
        })
        .unwrap_or_default()
}

fn keys(keys: &[String]) -> TokenStream {
    quote! { ::std::vec::Vec::<&str>::from([ #( #keys ),* ]) }
}

/// The properties a struct value keeps beyond the documented ones, for a struct type.
fn additional_properties(ty: &TypeRef, value: TokenStream) -> Option<TokenStream> {
    match ty {
        TypeRef::Struct { any_name: None, .. } => Some(quote! { &#value.additional_properties }),
        TypeRef::Struct {
            any_name: Some(_), ..
        } => Some(quote! { #value.additional_properties() }),
        _ => None,
    }
}

/// Up to three tests per example: the request (body round trip, method, path, body
/// sent; not again for another response to an earlier example's request) and, when the
/// example shows one, the response (parsed into the result type and back) and the
/// replay of both over HTTP.
fn test(
    model: &Model,
    op: &Operation,
    example: &Example,
    base_path: &str,
    expect: &mut Expect,
) -> TokenStream {
    let root = quote! { generated };
    let location = format!(
        " {} {} ({})",
        example.request.method, example.request.url, example.source
    );
    // The example's bodies, shared by its tests.
    let request_const = ident(&format!("{}_REQUEST", example.test_name.to_uppercase()));
    let response_const = ident(&format!("{}_RESPONSE", example.test_name.to_uppercase()));
    let mut consts = Vec::new();
    if let (Some(Body::Json { .. }), Some(json)) = (&op.body, &example.request.body) {
        let text = raw_string(&json.text);
        consts.push(quote! { const #request_const: &str = #text; });
    }
    if let Some(body) = example.response.as_ref().and_then(|r| r.body.as_ref()) {
        let text = raw_string(&body.text);
        consts.push(quote! { const #response_const: &str = #text; });
    }
    // Without matched arguments, the parameters' names stand in (as the docs write them).
    let args: Vec<String> = match &example.request.path_args {
        Some(args) => args.clone(),
        None => op
            .path
            .params()
            .map(|(wire, _)| format!("{{{wire}}}"))
            .collect(),
    };
    // The path the call sends: the documented one, but where another page spells a
    // segment otherwise (`cloudPC`, `microsoft.graph.delta`), as the navigation does.
    let written = &example.request;
    let alias = written.user_alias.as_ref();
    let (steps, call_args) =
        example_call(&model.navigation, &op.call, alias, written.item_path, &args);
    let sent = render(&steps, &call_args);
    let expected_path = format!("{base_path}{sent}");
    let method = example.request.method.to_ascii_uppercase();

    // The request test.
    let mut steps = Vec::new();
    let mut notes = vec![location.clone()];
    let documented = op.path.render(&args);
    if !example.request.other_arguments.is_empty() {
        notes.push(format!(
            " The example calls the function with other arguments ({}); the call sends the documented ones (GD0322).",
            example.request.other_arguments.join(", ")
        ));
    }
    if let Some(form) = &example.request.written_as {
        notes.push(format!(
            " The example's path is matched as `{form}`, which the service reads alike."
        ));
    }
    if written.item_path {
        notes.push(format!(
            " The example addresses the item by its path (`root:/{{path}}:`), where this page writes its id; the call does too (`root().path(..)`, sending `{sent}`), which reaches the same item."
        ));
    } else if documented != sent && alias.is_none() {
        notes.push(format!(
            " The call sends `{sent}`; this page writes `{documented}`, which the service reads alike."
        ));
    }
    let body_arg = match (&op.body, &example.request.body) {
        (None, _) => quote! {},
        (Some(Body::Content), _) => content_args(example),
        (Some(Body::Json { item: ty }), Some(json)) => {
            let ty_tokens = rust_type_from(ty, &root);
            steps.push(quote! {
                let json = #request_const;
                let body: #ty_tokens = support::round_trip(json);
            });
            if let Some(extra) = additional_properties(ty, quote! { body }) {
                let undeclared = keys(&json.undeclared);
                steps.push(quote! { support::equal(&support::keys(#extra), &#undeclared, "undocumented properties"); });
            }
            steps.extend(expect.value(&json.value, ty, quote! { body }));
            quote! { &body }
        }
        (Some(_), None) => {
            let reason = example
                .request
                .body_skipped
                .as_ref()
                .map_or("the example has no body".to_owned(), ToString::to_string);
            notes.push(format!(" Request body not checked: {reason}."));
            quote! { &::std::default::Default::default() }
        }
    };
    let request = call(model, op, written, &root, &args, body_arg);
    steps.push(quote! {
        let request = #request;
        let http_request = request.to_http(generated::DEFAULT_BASE_URL).unwrap();
    });
    if example.request.method.eq_ignore_ascii_case(&op.method) {
        steps.push(quote! { support::equal(http_request.method().as_str(), #method, "method"); });
    } else {
        notes.push(format!(
            " Method not checked: the example uses {}, the page documents {} (GD0311).",
            example.request.method, op.method
        ));
    }
    if example.request.path_args.is_some() {
        steps.push(quote! { support::equal(http_request.uri().path(), #expected_path, "path"); });
    } else {
        notes.push(
            " Path not checked: the example URL matches no documented path (GD0302).".to_owned(),
        );
    }
    if let (Some(_), Some(_)) = (&example.request.body, &op.body) {
        steps.push(quote! { support::assert_json_eq(http_request.body(), json); });
    }
    if let Some(content) = &example.request.content {
        let (content_type, text) = (&content.content_type, &content.text);
        steps.push(quote! {
            support::equal(http_request.body().as_slice(), #text.as_bytes(), "content");
            support::equal(&http_request.headers()[::http::header::CONTENT_TYPE], #content_type, "content type");
        });
    }
    let request_name = ident(&format!("{}_request", example.test_name));
    let notes = doc_lines(&notes);
    let request_test = if example.alternative {
        quote! {}
    } else {
        quote! {
            #notes
            #[test]
            fn #request_name() {
                #( #steps )*
            }
        }
    };

    let Some(response) = &example.response else {
        return quote! {
            #( #consts )*
            #request_test
        };
    };
    let default_body = op.body.as_ref().map(|body| match body {
        Body::Json { .. } => quote! { &::std::default::Default::default() },
        Body::Content => content_args(example),
    });
    let mut notes = vec![location.clone()];
    if example.alternative {
        notes.push(
            " Another response the page shows to this request; the request is tested with the example before it."
                .to_owned(),
        );
    }
    let status = response.status;
    let body_text = match (&response.body, &response.content) {
        (Some(_), _) => quote! { #response_const },
        (None, Some(text)) => {
            let text = raw_string(text);
            quote! { #text }
        }
        (None, None) => quote! { "" },
    };
    let count = response.count();
    let request = call(
        model,
        op,
        written,
        &root,
        &args,
        default_body.unwrap_or_default(),
    );
    let (header_names, header_values): (Vec<&str>, Vec<&str>) = response
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .unzip();
    let redirect_to = response.location();
    let mut steps = vec![quote! {
        let request = #request;
        let json = #body_text;
        let response = support::response(#status, &[ #( (#header_names, #header_values) ),* ], json);
    }];
    // What can be checked without a JSON body.
    let checkable = match op.response {
        Response::Empty | Response::Bytes => true,
        Response::Accepted => redirect_to.is_some(),
        Response::Count => count.is_some(),
        Response::Json { .. } | Response::Collection { .. } => false,
    };
    let untestable = response.body.is_none() && !checkable;
    if untestable {
        let reason = response
            .body_skipped
            .as_ref()
            .map_or("the example shows no body".to_owned(), ToString::to_string);
        notes.push(format!(" Response not parsed: {reason}."));
        steps.push(quote! { let _ = (request, response, json); });
    } else if let (300..400, Some(location)) = (status, redirect_to) {
        steps.push(quote! {
            let result = request.parse_response(response);
            assert!(
                matches!(&result, Err(generated::Error::Redirect { location, .. }) if location == #location),
                "{result:?}"
            );
        });
    } else if !(200..300).contains(&status) {
        steps.push(quote! {
            assert!(matches!(request.parse_response(response), Err(generated::Error::Status { .. })));
        });
    } else {
        let result = result_type(&op.response, &root);
        steps.push(quote! {
            let result: #result = request.parse_response(response).unwrap();
        });
        match (&op.response, &response.body) {
            (Response::Json { item }, Some(json)) => {
                steps.push(quote! { support::assert_serializes_to(&result, json); });
                if let Some(extra) = additional_properties(item, quote! { result }) {
                    let undeclared = keys(&json.undeclared);
                    steps.push(quote! { support::equal(&support::keys(#extra), &#undeclared, "undocumented properties"); });
                }
                steps.extend(expect.value(&json.value, item, quote! { result }));
            }
            (Response::Collection { item }, Some(json)) => {
                steps.push(quote! { support::assert_serializes_to_items(&result.items, json); });
                let items = TypeRef::Collection {
                    item: Box::new(item.clone()),
                };
                steps.extend(expect.value(&json.value["value"], &items, quote! { result.items }));
                if let Some(extra) = additional_properties(item, quote! { item }) {
                    let per_item = response.item_undeclared.iter().map(|k| keys(k));
                    steps.push(quote! {
                        let undeclared: ::std::vec::Vec<::std::vec::Vec<&str>> =
                            result.items.iter().map(|item| support::keys(#extra)).collect();
                        let expected: ::std::vec::Vec<::std::vec::Vec<&str>> = ::std::vec![ #( #per_item ),* ];
                        support::equal(&undeclared, &expected, "undocumented properties");
                    });
                }
            }
            (Response::Empty, _) => steps.push(quote! { support::equal(&result, &(), "result"); }),
            (Response::Accepted, _) => {
                let location = redirect_to.unwrap_or_default();
                steps.push(
                    quote! { support::equal(&result.location.as_str(), &#location, "location"); },
                );
            }
            (Response::Bytes, _) if response.content.is_some() => {
                steps.push(
                    quote! { support::equal(result.as_slice(), json.as_bytes(), "content"); },
                );
            }
            (Response::Count, _) if count.is_some() => {
                steps.push(quote! { support::equal(&result, &#count, "count"); });
            }
            _ => {
                let reason = response
                    .body_skipped
                    .as_ref()
                    .map_or("the example shows no body".to_owned(), ToString::to_string);
                notes.push(format!(" Response body not checked: {reason}."));
                steps.push(quote! { let _ = result; });
            }
        }
    }
    let response_name = ident(&format!("{}_response", example.test_name));
    let replay = replay(
        op,
        example,
        &location,
        &expected_path,
        &|body| call(model, op, written, &root, &args, body),
        &request_const,
        &body_text,
    );
    let notes = doc_lines(&notes);
    quote! {
        #( #consts )*

        #request_test

        #notes
        #[test]
        fn #response_name() {
            #( #steps )*
        }

        #replay
    }
}

/// The example over real HTTP: a server on 127.0.0.1 expects the example's method,
/// path, query, token, content type and body, and answers with its status, headers and
/// body; the client sends the operation's request (`request(body)`) and reads the
/// answer.
fn replay(
    op: &Operation,
    example: &Example,
    location: &str,
    expected_path: &str,
    request: &dyn Fn(TokenStream) -> TokenStream,
    request_json: &proc_macro2::Ident,
    response_json: &TokenStream,
) -> TokenStream {
    let Some(Ok(())) = example.replay_blocker(op) else {
        return quote! {};
    };
    let Some(response) = &example.response else {
        return quote! {};
    };
    let root = quote! { generated };
    let method = op.method.to_ascii_uppercase();
    let query = query_pairs(&example.request.url);
    let (names, values): (Vec<&str>, Vec<&str>) =
        query.iter().map(|(n, v)| (n.as_str(), v.as_str())).unzip();
    let status = response.status;
    let content_type = response
        .content_type
        .as_deref()
        .unwrap_or("application/json");
    let (header_names, header_values): (Vec<&str>, Vec<&str>) = response
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .unzip();
    let (expected_body, body_steps, body_arg) = match (&op.body, &example.request.body) {
        // The server does not judge content as JSON.
        (Some(Body::Content), _) => (quote! { None }, quote! {}, content_args(example)),
        (Some(Body::Json { item: ty }), Some(_)) => {
            let ty = rust_type_from(ty, &root);
            (
                quote! { Some(#request_json) },
                quote! { let body: #ty = ::serde_json::from_str(#request_json).unwrap(); },
                quote! { &body },
            )
        }
        // The example sends no body: an empty one, which the server does not check.
        (Some(_), None) => (
            quote! { None },
            quote! {},
            quote! { &::std::default::Default::default() },
        ),
        (None, _) => (quote! { None }, quote! {}, quote! {}),
    };
    let request = request(body_arg);
    // A download's redirect is followed to the content host, which answers with this.
    let followed = (300..400).contains(&status);
    let response_json = if followed {
        &quote! { "the content at the redirect's target" }
    } else {
        response_json
    };
    let check = if !(200..300).contains(&status) && !followed {
        quote! { support::assert_api_error(result, #status); }
    } else {
        let result_ty = result_type(&op.response, &root);
        let compare = match (&op.response, &response.body) {
            (Response::Json { .. }, Some(_)) => {
                quote! { support::assert_serializes_to(&result, json); }
            }
            (Response::Collection { .. }, Some(_)) => {
                quote! { support::assert_serializes_to_items(&result.items, json); }
            }
            (Response::Bytes, _) => {
                quote! { support::equal(result.as_slice(), json.as_bytes(), "result"); }
            }
            (Response::Count, _) => {
                let count = response.count();
                quote! { support::equal(&result, &#count, "count"); }
            }
            (Response::Accepted, _) => {
                let location = response.location().unwrap_or_default();
                quote! { support::equal(&result.location.as_str(), &#location, "location"); }
            }
            _ => quote! { support::equal(&result, &(), "result"); },
        };
        quote! {
            let result: #result_ty = result.unwrap_or_else(|error| panic!("{error}"));
            #compare
        }
    };
    let name = ident(&format!("{}_replay", example.test_name));
    let location = string_literal(location);
    quote! {
        #[doc = #location]
        #[tokio::test]
        async fn #name() {
            let json = #response_json;
            let server = support::serve(support::Exchange {
                method: #method,
                path: #expected_path,
                query: &[ #( (#names, #values) ),* ],
                body: #expected_body,
                status: #status,
                content_type: #content_type,
                headers: &[ #( (#header_names, #header_values) ),* ],
                response: json,
            })
            .await;
            #body_steps
            let request = #request #( .query(#names, #values) )*;
            let result = support::client(&server).send(request).await;
            #check
        }
    }
}

/// The arguments of an operation that sends content: the example's content type and
/// text, else none.
fn content_args(example: &Example) -> TokenStream {
    let (content_type, text) = example
        .request
        .content
        .as_ref()
        .map_or(("application/octet-stream", ""), |c| {
            (c.content_type.as_str(), c.text.as_str())
        });
    quote! { #content_type, #text.as_bytes().to_vec() }
}

/// The query of an example URL as name-value pairs, decoded as a server decodes them.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let Some((_, query)) = url.split_once('?') else {
        return Vec::new();
    };
    let query = query.split('#').next().unwrap_or_default();
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}
