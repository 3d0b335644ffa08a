//! `src/requests.rs`: one function per documented operation.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_code, doc_text, docs, ident, rust_type, rust_type_from};
use crate::model::{Model, Operation, PathPart, Response};

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
