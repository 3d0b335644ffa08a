//! `src/requests.rs`: one function per documented operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_code, doc_text, docs, ident, rust_type, rust_type_from};
use crate::model::{Model, Operation, PathPart, Response};
use crate::parse::{OdataSupport, Parameter, QueryDoc};

/// The request functions of one area.
/// The areas whose request functions are in the crate `part`.
pub fn areas<'m>(model: &'m Model, part: &str) -> Vec<&'m str> {
    model
        .areas
        .iter()
        .map(|a| a.name.as_str())
        .filter(|a| {
            model
                .operations
                .iter()
                .any(|op| op.part == part && op.area == *a)
        })
        .collect()
}

pub fn requests(model: &Model, area: &str) -> TokenStream {
    let functions = model
        .operations
        .iter()
        .filter(|op| op.area == area)
        .map(function);
    quote! {
        //! The operations of this area.

        #( #functions )*
    }
}

/// The Rust type an operation's response parses into, `root` being the generated
/// crate's path.
pub fn result_type(response: &Response, root: &TokenStream) -> TokenStream {
    match response {
        Response::Empty => quote! { () },
        Response::Json { item } => rust_type_from(item, root),
        Response::Collection { item } => {
            let item = rust_type_from(item, root);
            quote! { ::std::vec::Vec<#item> }
        }
        Response::Bytes => quote! { ::std::vec::Vec<u8> },
    }
}

fn function(op: &Operation) -> TokenStream {
    let name = ident(&op.rust_name);
    let scopes: Vec<String> = op
        .permissions
        .iter()
        .filter(|p| !p.scopes.is_empty())
        .map(|p| format!("{}: {}", p.kind, p.scopes.join(", ")))
        .collect();
    let mut paragraphs = vec![
        doc_text(&op.title),
        doc_text(&op.description),
        format!(
            "{}, documented at {}.",
            doc_code(&format!("{} {}", op.method, op.path.text)),
            doc_code(&op.source.to_string())
        ),
    ];
    if !scopes.is_empty() {
        paragraphs.push(format!("Permissions: {}.", doc_text(&scopes.join("; "))));
    }
    paragraphs.extend(query_docs(&op.query));
    // The client sends `Authorization` itself.
    let headers: Vec<&Parameter> = op
        .headers
        .iter()
        .filter(|h| !h.name.eq_ignore_ascii_case("authorization"))
        .collect();
    if !headers.is_empty() {
        paragraphs.push(format!("Request headers: {}", parameter_docs(&headers)));
    }
    let doc = docs(paragraphs);

    let params: Vec<_> = op.path.params().map(|(_, rust)| ident(rust)).collect();
    let pieces = op.path.parts.iter().map(|part| match part {
        PathPart::Literal(text) => quote! { #text },
        PathPart::Param { rust_name, .. } => {
            let param = ident(rust_name);
            quote! { &crate::encode_path_param(#param) }
        }
    });
    let method = ident(&op.method.to_ascii_uppercase());
    let result = result_type(&op.response, &quote! { crate });
    let decode = match op.response {
        Response::Empty => quote! { crate::decode::empty },
        Response::Json { .. } => quote! { crate::decode::json },
        Response::Collection { .. } => quote! { crate::decode::collection },
        Response::Bytes => quote! { crate::decode::bytes },
    };
    let (body_param, body_call) = match &op.body {
        Some(ty) => {
            let ty = rust_type(ty);
            (quote! { body: &#ty }, quote! { .json_body(body) })
        }
        None => (quote! {}, quote! {}),
    };
    quote! {
        #doc
        pub fn #name( #( #params: &str, )* #body_param ) -> crate::Request<#result> {
            crate::Request::new(
                ::http::Method::#method,
                [ #( #pieces ),* ].concat(),
                #decode,
            )
            #body_call
        }
    }
}

/// What the page says about the query string, as doc paragraphs.
fn query_docs(query: &QueryDoc) -> Vec<String> {
    let mut paragraphs = Vec::new();
    match query.support {
        OdataSupport::Unstated => {}
        OdataSupport::None => paragraphs.push("Takes no OData query options.".to_owned()),
        OdataSupport::General => paragraphs.push("Takes the OData query options.".to_owned()),
        OdataSupport::Named => {
            let named: Vec<String> = query.odata.iter().map(|o| doc_code(o)).collect();
            paragraphs.push(format!("OData query options: {}.", named.join(", ")));
        }
    }
    if !query.parameters.is_empty() {
        let parameters: Vec<&Parameter> = query.parameters.iter().collect();
        paragraphs.push(format!("Query parameters: {}", parameter_docs(&parameters)));
    }
    paragraphs
}

/// `name: value` (type, required): description; ... as the page lists them.
fn parameter_docs(parameters: &[&Parameter]) -> String {
    let items: Vec<String> = parameters
        .iter()
        .map(|p| {
            let name = match &p.value {
                Some(value) => doc_code(&format!("{}: {value}", p.name)),
                None => doc_code(&p.name),
            };
            let notes: Vec<&str> =
                p.ty.as_deref()
                    .into_iter()
                    .chain(p.required.then_some("required"))
                    .collect();
            let notes = if notes.is_empty() {
                String::new()
            } else {
                format!(" ({})", doc_text(&notes.join(", ")))
            };
            let description = doc_text(p.description.trim_end_matches(['.', ' ', ';']));
            if description.is_empty() {
                format!("{name}{notes}")
            } else {
                format!("{name}{notes}: {description}")
            }
        })
        .collect();
    format!("{}.", items.join("; "))
}
