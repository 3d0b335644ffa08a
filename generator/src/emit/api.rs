//! `src/api/`: the API as its URLs (see `model::navigation`). A struct per node, holding
//! the path so far; a method per step to a node below it, and per operation on it,
//! each returning the sans-IO `Request` the client sends. One file per first segment.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::manifest::{CRATE, package};
use super::{
    doc_code, doc_text, docs, documented_at, features_cfg, ident, part_crates, rust_type,
    rust_type_from, string_literal,
};
use crate::model::navigation::{Node, Step, example_call, render_template};
use crate::model::{Body, ExampleRequest, Model, Operation, PathPart, Response, is_item_path};
use crate::parse::{OdataSupport, Parameter, QueryDoc};

/// The modules of `src/api/`: the first steps' names, each once.
pub fn modules(model: &Model) -> Vec<&str> {
    let modules: BTreeSet<&str> = model
        .navigation
        .iter()
        .skip(1)
        .map(|node| node.module.as_str())
        .collect();
    modules.into_iter().collect()
}

/// The areas whose operations are at or below each node: the features a step to it
/// needs.
pub fn areas_below(model: &Model) -> Vec<BTreeSet<&str>> {
    fn fill<'m>(model: &'m Model, at: usize, below: &mut Vec<Option<BTreeSet<&'m str>>>) {
        if below[at].is_some() {
            return;
        }
        let node = &model.navigation[at];
        let mut areas: BTreeSet<&str> = node
            .methods
            .iter()
            .flat_map(|m| &m.operations)
            .filter_map(|name| model.operation_named(name))
            .map(|op| op.area.as_str())
            .collect();
        for step in &node.steps {
            fill(model, step.target, below);
            areas.extend(below[step.target].iter().flatten().copied());
        }
        below[at] = Some(areas);
    }
    let mut below = vec![None; model.navigation.len()];
    for at in 0..model.navigation.len() {
        fill(model, at, &mut below);
    }
    below.into_iter().map(Option::unwrap_or_default).collect()
}

/// `#[cfg]` for code that any of `areas` compiles.
fn cfg_for(areas: &BTreeSet<&str>) -> TokenStream {
    features_cfg(&areas.iter().collect::<Vec<_>>())
}

/// A crate of the navigation (see `model::navigation::crates`): its name (`api-1`), its
/// modules and the features that compile something in it.
#[derive(Clone, serde::Serialize)]
pub struct NavigationCrate<'m> {
    pub name: String,
    pub modules: Vec<&'m str>,
    pub features: BTreeSet<&'m str>,
}

/// The navigation crates, none when the navigation stays in the generated crate.
pub fn crates<'m>(model: &'m Model, below: &[BTreeSet<&'m str>]) -> Vec<NavigationCrate<'m>> {
    crate::model::navigation::crates::crates(&model.navigation)
        .into_iter()
        .enumerate()
        .map(|(index, modules)| NavigationCrate {
            name: format!("api-{}", index + 1),
            features: modules
                .iter()
                .flat_map(|module| module_features(model, module, below))
                .collect(),
            modules,
        })
        .collect()
}

/// The areas whose operations are in `module`: what compiles it.
pub fn module_features<'m>(
    model: &'m Model,
    module: &str,
    below: &[BTreeSet<&'m str>],
) -> BTreeSet<&'m str> {
    model
        .navigation
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, n)| n.module == module)
        .flat_map(|(i, _)| below[i].iter().copied())
        .collect()
}

/// `pub mod` and a re-export of each of `modules`, behind the features that compile it.
fn module_items<'m>(
    model: &'m Model,
    modules: &[&'m str],
    below: &[BTreeSet<&'m str>],
) -> TokenStream {
    let items = modules.iter().map(|module| {
        let cfg = cfg_for(&module_features(model, module, below));
        let module = ident(module);
        quote! {
            #cfg
            pub mod #module;
            #cfg
            #[doc(no_inline)]
            pub use #module::*;
        }
    });
    quote! { #( #items )* }
}

/// `src/api/mod.rs`: the service root's node, the modules the generated crate holds,
/// and the navigation crates' modules re-exported.
pub fn root(model: &Model, below: &[BTreeSet<&str>], crates: &[NavigationCrate]) -> TokenStream {
    let elsewhere: BTreeSet<&str> = crates
        .iter()
        .flat_map(|krate| krate.modules.iter().copied())
        .collect();
    let own: Vec<&str> = modules(model)
        .into_iter()
        .filter(|module| !elsewhere.contains(module))
        .collect();
    let own = module_items(model, &own, below);
    let reexports = crates.iter().map(|krate| {
        let krate = ident(&package(&krate.name).1);
        quote! {
            // Empty when no feature compiles anything there.
            #[allow(unused_imports)]
            pub use #krate::api::*;
        }
    });
    let root = model
        .navigation
        .first()
        .map(|root| node(model, root, below, quote! {}));
    quote! {
        //! The API as its URLs: [`crate::api()`] is the service root, each method a
        //! step of the path (`api().users().id(user_id).messages()`) or an operation
        //! there (`list()`, `get()`, `create(&body)`, `update(&body)`, `delete()`,
        //! `post(&body)`), which returns the [`crate::Request`] to send.

        #own

        #( #reexports )*

        #root
    }
}

/// `src/lib.rs` of a navigation crate holding `modules`: what their nodes name, under
/// the names the generated crate gives it, and the modules.
pub fn crate_lib<'m>(
    model: &'m Model,
    modules: &[&'m str],
    below: &[BTreeSet<&'m str>],
) -> TokenStream {
    let runtime = ident(&package("runtime").1);
    let parts = part_crates(model);
    let modules = module_items(model, modules, below);
    let doc = format!(
        " Paths and requests of `{CRATE}` (a part of its navigation, compiled on its own): \
         use them through `{CRATE}::api`."
    );
    quote! {
        #![doc = #doc]

        #[allow(unused_imports)]
        pub(crate) use #runtime::{
            decode, encode_item_path, encode_path_param, Accepted, Binary, Decimal, Duration,
            Flags, Location, Nullable, Page, Request,
        };

        /// The types the requests take and return, from the crates that hold them.
        pub(crate) mod types {
            #(
                #[allow(unused_imports)]
                pub(crate) use #parts::types::*;
            )*
        }

        /// The nodes of this crate's first steps.
        pub mod api {
            #modules
        }
    }
}

/// `src/api/<module>.rs`: the nodes under one first step, made one at a time.
pub fn module<'m>(
    model: &'m Model,
    module: &'m str,
    below: &'m [BTreeSet<&'m str>],
) -> impl Iterator<Item = TokenStream> + 'm {
    model
        .navigation
        .iter()
        .enumerate()
        .skip(1)
        .filter(move |(_, n)| n.module == module)
        // A node is there when a step leads to it: with the features of the areas below
        // it.
        .map(move |(i, n)| node(model, n, below, cfg_for(&below[i])))
}

/// Whether the service root steps to `node`: its type is made by the root's step, which
/// may be in another crate than the node (see `model::navigation::crates`).
fn is_first_step(model: &Model, node: &Node) -> bool {
    model.navigation.first().is_some_and(|root| {
        root.steps
            .iter()
            .any(|step| std::ptr::eq(&model.navigation[step.target], node))
    })
}

fn node(model: &Model, node: &Node, below: &[BTreeSet<&str>], cfg: TokenStream) -> TokenStream {
    let name = ident(&node.rust_name);
    let doc = if node.path.is_empty() {
        " The service root.".to_owned()
    } else {
        format!(" {}", doc_code(&node.path))
    };
    let steps = node.steps.iter().map(|step| {
        let target = &model.navigation[step.target];
        let cfg = cfg_for(&below[step.target]);
        let target_name = ident(&target.rust_name);
        let here = format!("{}{}", node.path, render_template(&step.segment));
        let doc = if here == target.path {
            format!(" {}", doc_code(&here))
        } else {
            format!(
                " {}: the same as {}",
                doc_code(&here),
                doc_code(&target.path)
            )
        };
        let doc = string_literal(&doc);
        let method = ident(&step.name);
        let params: Vec<_> = step.params().map(ident).collect();
        // Literals at even places and parameters at odd ones, as `Location::join` reads
        // them: an empty literal goes before a parameter that has none.
        let mut pieces = Vec::new();
        let mut previous = None;
        for part in &step.segment {
            match part {
                PathPart::Literal(text) => {
                    let text = string_literal(text);
                    pieces.push(quote! { #text });
                }
                PathPart::Param { rust_name, .. } => {
                    if pieces.len() % 2 == 0 {
                        pieces.push(quote! { "" });
                    }
                    let param = ident(rust_name);
                    let encode = if is_item_path(previous) {
                        quote! { encode_item_path }
                    } else {
                        quote! { encode_path_param }
                    };
                    pieces.push(quote! { &crate::#encode(#param) });
                }
            }
            previous = Some(part);
        }
        quote! {
            #cfg
            #[doc = #doc]
            #[inline]
            pub fn #method(&self #( , #params: &str )*) -> crate::api::#target_name {
                crate::api::#target_name(self.0.join(&[ #( #pieces ),* ]))
            }
        }
    });
    let methods = node.methods.iter().map(|method| {
        let operations: Vec<&Operation> = method
            .operations
            .iter()
            .filter_map(|name| model.operation_named(name))
            .collect();
        operation(&method.name, &operations)
    });
    // A first step's node is made by the root's step, in the generated crate.
    let visibility = match is_first_step(model, node) {
        true => quote! { #[doc(hidden)] pub },
        // With no area's feature on, the root has no step to read its path.
        false if node.path.is_empty() => quote! { #[allow(dead_code)] pub(crate) },
        false => quote! { pub(crate) },
    };
    quote! {
        #cfg
        #[doc = #doc]
        pub struct #name(#visibility crate::Location);

        #cfg
        impl #name {
            #( #steps )*
            #( #methods )*
        }
    }
}

/// The method of one operation (documented on one or more pages).
fn operation(name: &str, operations: &[&Operation]) -> TokenStream {
    let Some(op) = operations.first() else {
        return quote! {};
    };
    let areas: BTreeSet<&str> = operations.iter().map(|op| op.area.as_str()).collect();
    let cfg = cfg_for(&areas);
    let mut paragraphs = operation_docs(op);
    if operations.len() > 1 {
        let others: Vec<String> = operations[1..]
            .iter()
            .map(|other| {
                format!(
                    "{} at {}",
                    doc_code(&format!("{} {}", other.method, other.path.text)),
                    doc_code(&other.source.to_string())
                )
            })
            .collect();
        paragraphs.push(format!("Also documented as {}.", others.join("; ")));
    }
    let doc = docs(paragraphs);
    let name = ident(name);
    let method = ident(&op.method.to_ascii_uppercase());
    let result = result_type(&op.response, &quote! { crate });
    let decode = match op.response {
        Response::Empty => quote! { crate::decode::empty },
        Response::Json { .. } => quote! { crate::decode::json },
        Response::Collection { .. } => quote! { crate::decode::collection },
        Response::Bytes => quote! { crate::decode::bytes },
        Response::Count => quote! { crate::decode::count },
        Response::Accepted => quote! { crate::decode::accepted },
    };
    let (body_param, body_call) = match &op.body {
        Some(Body::Json { item }) => {
            let ty = rust_type(item);
            (quote! { , body: &#ty }, quote! { .json_body(body) })
        }
        Some(Body::Content) => (
            quote! { , content_type: &str, content: ::std::vec::Vec<u8> },
            quote! { .content_body(content_type, content) },
        ),
        None => (quote! {}, quote! {}),
    };
    quote! {
        #cfg
        #doc
        #[inline]
        pub fn #name(&self #body_param) -> crate::Request<#result> {
            self.0.request(::http::Method::#method, #decode) #body_call
        }
    }
}

/// The call of an operation from the generated crate's root `krate`, with its path
/// parameters and its body (when it takes one) as given, the way `example` writes the
/// path (see `example_call`).
pub fn call(
    model: &Model,
    op: &Operation,
    example: &ExampleRequest,
    krate: &TokenStream,
    args: &[String],
    body: TokenStream,
) -> TokenStream {
    let (steps, args) = example_call(
        &model.navigation,
        &op.call,
        example.user_alias.as_ref(),
        example.item_path,
        args,
    );
    let mut args = args.iter();
    let steps = steps.into_iter().map(|step: &Step| {
        let name = ident(&step.name);
        let values: Vec<&String> = step.params().filter_map(|_| args.next()).collect();
        quote! { .#name( #( #values ),* ) }
    });
    let method = ident(&op.call.method);
    let body = op.body.as_ref().map(|_| body);
    quote! { #krate::api() #( #steps )* .#method( #body ) }
}

/// The Rust type an operation's response parses into, `root` being the generated
/// crate's path.
pub fn result_type(response: &Response, root: &TokenStream) -> TokenStream {
    match response {
        Response::Empty => quote! { () },
        Response::Json { item } => rust_type_from(item, root),
        Response::Collection { item } => {
            let item = rust_type_from(item, root);
            quote! { #root::Page<#item> }
        }
        Response::Bytes => quote! { ::std::vec::Vec<u8> },
        Response::Count => quote! { u64 },
        Response::Accepted => quote! { #root::Accepted },
    }
}

/// An operation's doc paragraphs: title, description, method and path with the page,
/// permissions, query options and parameters, request headers.
fn operation_docs(op: &Operation) -> Vec<String> {
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
            "{}, {}.",
            doc_code(&format!("{} {}", op.method, op.path.text)),
            documented_at(&op.source, op.web.as_deref())
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
    paragraphs
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
