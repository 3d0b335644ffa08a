//! The model to the files of the generated crate. Rust is built only with `quote!` and
//! printed by `print`; the generated header is added after printing.

mod api;
mod expect;
mod manifest;
mod print;
mod root;
mod tests;
pub mod throughput;
mod types;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;
use rayon::prelude::*;

pub use crate::output::{File, GENERATED_MARKER};
pub use manifest::{CRATE, package};

use crate::fingerprint;
use crate::model::{Model, Primitive, TypeRef};

/// How the crate is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The crate is its own workspace (for output outside this project's workspace, such
    /// as a scratch folder under `target/`).
    pub standalone: bool,
}

/// A file to make: its path, how to fingerprint everything its text depends on (the
/// generator itself and its slice of the model), and how to make its body. Both run in
/// parallel, when the file is made.
pub struct Job<'m> {
    pub path: String,
    input: Box<dyn Fn() -> String + Send + Sync + 'm>,
    comment: &'static str,
    make: Box<dyn Fn() -> String + Send + Sync + 'm>,
}

impl<'m> Job<'m> {
    fn new<T: serde::Serialize + Send + Sync + 'm>(
        path: String,
        input: T,
        make: impl Fn() -> String + Send + Sync + 'm,
    ) -> Self {
        let comment = if path.ends_with(".rs") { "//" } else { "#" };
        Job {
            input: Box::new({
                let path = path.clone();
                move || fingerprint::of(&[env!("GENERATOR_FINGERPRINT"), &path], &input)
            }),
            path,
            comment,
            make: Box::new(make),
        }
    }
}

/// The files of the crate. `reuse(path, input)` may give the text of a file already
/// made from the same input (see `crate::cache`); such files are not made again, which
/// is what makes reruns fast.
pub fn emit(
    model: &Model,
    options: Options,
    reuse: &(dyn Fn(&str, &str) -> Option<String> + Sync),
) -> Vec<File> {
    jobs(model, options)
        .par_iter()
        .map(|job| job.file(reuse))
        .collect()
}

impl Job<'_> {
    /// The file: reused when `reuse` has it for the same input, else made.
    pub fn file(&self, reuse: &(dyn Fn(&str, &str) -> Option<String> + Sync)) -> File {
        let input = (self.input)();
        let contents = match reuse(&self.path, &input) {
            Some(kept) => kept,
            None => format!("{}{}", header(self.comment), (self.make)()),
        };
        File {
            path: self.path.clone(),
            contents,
            input,
        }
    }
}

/// Hand-written parts of the output, copied as they are: path, text. The generator
/// checks examples with the same wire.rs (`crate::wire`).
const RUNTIME: &[(&str, &str)] = &[
    (
        "crates/runtime/src/lib.rs",
        include_str!("../../runtime/lib.rs"),
    ),
    (
        "crates/runtime/src/wire.rs",
        include_str!("../../runtime/wire.rs"),
    ),
    (
        "crates/runtime/src/object.rs",
        include_str!("../../runtime/object.rs"),
    ),
    (
        "crates/runtime/src/writer.rs",
        include_str!("../../runtime/writer.rs"),
    ),
    (
        "crates/runtime/src/reader.rs",
        include_str!("../../runtime/reader.rs"),
    ),
    (
        "crates/runtime/src/request.rs",
        include_str!("../../runtime/request.rs"),
    ),
    ("src/client.rs", include_str!("../../runtime/client.rs")),
    (
        "src/client/transfer.rs",
        include_str!("../../runtime/transfer.rs"),
    ),
    ("src/client/auth.rs", include_str!("../../runtime/auth.rs")),
    (
        "src/client/azure.rs",
        include_str!("../../runtime/azure.rs"),
    ),
    (
        "src/client/batch.rs",
        include_str!("../../runtime/batch.rs"),
    ),
    (
        "tests/examples/support.rs",
        include_str!("../../runtime/support.rs"),
    ),
];

/// The files to make, each with its input fingerprint; nothing is made yet. The output
/// is the generated crate (the root: the client, the tests, and the re-exports of
/// everything else) and, under `crates/`, its runtime and its parts (types and request
/// functions).
pub fn jobs(model: &Model, options: Options) -> Vec<Job<'_>> {
    let areas_with = |has: fn(&Model, &str) -> bool| -> Vec<&str> {
        model
            .areas
            .iter()
            .map(|a| a.name.as_str())
            .filter(|a| has(model, a))
            .collect()
    };
    // A node's steps need the features of the areas below them.
    let below = std::sync::Arc::new(api::areas_below(model));
    let navigation_crates = std::sync::Arc::new(api::crates(model, &below));
    let features = std::sync::Arc::new(types::PartFeatures::new(model));
    let mut jobs: Vec<Job> = vec![
        Job::new(
            "Cargo.toml".into(),
            (
                &model.areas,
                &model.parts,
                options.standalone,
                navigation_crates.clone(),
            ),
            {
                let crates = navigation_crates.clone();
                move || manifest::manifest(model, options, &crates)
            },
        ),
        // The crates are formatted here (`print`); `cargo fmt` must not reformat
        // them, or `--check` would see drift.
        Job::new("rustfmt.toml".into(), (), || {
            "disable_all_formatting = true\n".to_owned()
        }),
        Job::new(
            "src/lib.rs".into(),
            (&model.base_url, &model.parts, root::areas(model, &features)),
            {
                let features = features.clone();
                move || unparse(root::lib(model, &features))
            },
        ),
        Job::new(
            "tests/examples/main.rs".into(),
            (
                &model.areas,
                areas_with(tests::has_examples),
                &model.base_url,
            ),
            || unparse(tests::main(model)),
        ),
        Job::new(
            format!("{}/Cargo.toml", manifest::folder("runtime")),
            (),
            manifest::runtime,
        ),
    ];
    jobs.extend(
        RUNTIME
            .iter()
            .map(|&(path, text)| Job::new(path.into(), text, move || format!("\n{text}"))),
    );
    for part in &model.parts {
        let folder = manifest::folder(&part.name);
        let name = part.name.as_str();
        jobs.push(Job::new(
            format!("{folder}/Cargo.toml"),
            &model.parts,
            move || manifest::part(part, &model.parts),
        ));
        let modules: Vec<(&str, Vec<&str>)> = model
            .areas
            .iter()
            .map(|area| (area.name.as_str(), features.items(name, &area.name)))
            .filter(|(_, features)| !features.is_empty())
            .collect();
        for (area, _) in &modules {
            let area = *area;
            let types: Vec<_> = model
                .types
                .iter()
                .filter(|t| t.part == name && t.area == area)
                .collect();
            let enums: Vec<_> = model
                .enums
                .iter()
                .filter(|e| e.part == name && e.area == area)
                .collect();
            if !types.is_empty() {
                jobs.push(Job::new(
                    format!("{folder}/src/properties/{area}.rs"),
                    types.clone(),
                    move || {
                        let (head, items) = types::properties(model, name, area);
                        unparse_items(head, items)
                    },
                ));
            }
            jobs.push(Job::new(
                format!("{folder}/src/types/{area}.rs"),
                (types::derived_reads(model, &types), types, enums),
                move || {
                    let (head, items) = types::types(model, name, area);
                    unparse_items(head, items)
                },
            ));
        }
        let properties: Vec<Vec<&str>> = model
            .areas
            .iter()
            .map(|area| features.structs(name, &area.name))
            .collect();
        jobs.push(Job::new(
            format!("{folder}/src/lib.rs"),
            (part, modules, properties),
            {
                let features = features.clone();
                move || unparse(types::part_lib(model, &features, part))
            },
        ));
    }
    // The navigation: a file per first step, in the generated crate or in one of the
    // navigation crates.
    let root: Vec<_> = model.navigation.iter().take(1).collect();
    let module_features = |modules: &[&str]| -> Vec<_> {
        modules
            .iter()
            .map(|module| api::module_features(model, module, &below))
            .collect()
    };
    jobs.push(Job::new(
        "src/api/mod.rs".into(),
        (
            api::modules(model),
            navigation_crates.clone(),
            api_input(model, &root, &below),
        ),
        {
            let below = below.clone();
            let crates = navigation_crates.clone();
            move || unparse(api::root(model, &below, &crates))
        },
    ));
    let parts: Vec<&str> = model.parts.iter().map(|p| p.name.as_str()).collect();
    for index in 0..navigation_crates.len() {
        let krate = &navigation_crates[index];
        let folder = manifest::folder(&krate.name);
        jobs.push(Job::new(
            format!("{folder}/Cargo.toml"),
            (&model.parts, krate.clone()),
            {
                let crates = navigation_crates.clone();
                move || manifest::api_crate(model, &crates[index])
            },
        ));
        jobs.push(Job::new(
            format!("{folder}/src/lib.rs"),
            (
                parts.clone(),
                krate.clone(),
                module_features(&krate.modules),
            ),
            {
                let (crates, below) = (navigation_crates.clone(), below.clone());
                move || unparse(api::crate_lib(model, &crates[index].modules, &below))
            },
        ));
    }
    // The nodes the root steps to: their type's field is public (see `api::node`).
    let first_steps: Vec<&str> = root
        .iter()
        .flat_map(|root| &root.steps)
        .map(|step| model.navigation[step.target].rust_name.as_str())
        .collect();
    for module in api::modules(model) {
        let nodes: Vec<_> = model
            .navigation
            .iter()
            .skip(1)
            .filter(|n| n.module == module)
            .collect();
        let folder = navigation_crates
            .iter()
            .find(|krate| krate.modules.contains(&module))
            .map_or_else(
                || "src".to_owned(),
                |krate| format!("{}/src", manifest::folder(&krate.name)),
            );
        let below = below.clone();
        jobs.push(Job::new(
            format!("{folder}/api/{module}.rs"),
            (api_input(model, &nodes, &below), first_steps.clone()),
            move || unparse_items(quote! {}, api::module(model, module, &below)),
        ));
    }
    let test_reads = std::sync::Arc::new(tests::Reads::new(model));
    for area in &model.areas {
        let name = area.name.as_str();
        let operations: Vec<_> = model
            .operations
            .iter()
            .filter(|op| op.area == name)
            .collect();
        if tests::has_examples(model, name) {
            jobs.push(Job::new(
                format!("tests/examples/{name}.rs"),
                (&model.base_url, test_reads.of(&operations), operations),
                move || {
                    let (head, items) = tests::area(model, name);
                    unparse_items(head, items)
                },
            ));
        }
    }
    jobs
}

/// What the navigation file of `nodes` is made from: the nodes, their operations and
/// the features of their steps.
fn api_input<'m>(
    model: &'m Model,
    nodes: &[&'m crate::model::navigation::Node],
    below: &[std::collections::BTreeSet<&'m str>],
) -> impl serde::Serialize + use<'m> {
    let operations: Vec<_> = nodes
        .iter()
        .flat_map(|n| &n.methods)
        .flat_map(|m| &m.operations)
        .filter_map(|name| model.operation_named(name))
        .map(navigation_reads)
        .collect();
    // Each step's target, perhaps in another file: its type's name, its path (the
    // step's doc says when it is another) and the features that compile it.
    let targets: Vec<(&str, &str, std::collections::BTreeSet<&str>)> = nodes
        .iter()
        .flat_map(|n| &n.steps)
        .map(|s| {
            let target = &model.navigation[s.target];
            (&*target.rust_name, &*target.path, below[s.target].clone())
        })
        .collect();
    (nodes.to_vec(), operations, targets)
}

/// What a navigation file reads of an operation: all of it but its examples, which only
/// the tests read and which are most of its JSON (85 MB over the corpus' navigation
/// files). Every field is named, so that one added to `Operation` stops the build here
/// until it is placed on one side or the other.
fn navigation_reads(op: &crate::model::Operation) -> impl serde::Serialize + '_ {
    let crate::model::Operation {
        title,
        rust_name,
        description,
        method,
        path,
        body,
        status,
        other_statuses: _,
        response,
        permissions,
        query,
        headers,
        examples: _,
        area,
        part,
        call,
        source,
        web,
    } = op;
    (
        (title, rust_name, description, method),
        (path, body, status, response),
        (permissions, query, headers, area),
        (part, call, source, web),
    )
}

/// `#[cfg(...)]` for an item compiled by any of `features`.
pub(crate) fn features_cfg<S: AsRef<str>>(features: &[S]) -> TokenStream {
    let features: Vec<&str> = features.iter().map(AsRef::as_ref).collect();
    match features.as_slice() {
        [one] => quote! { #[cfg(feature = #one)] },
        _ => quote! { #[cfg(any( #( feature = #features ),* ))] },
    }
}

/// A module per area, its items re-exported, each behind the features that compile it
/// (none: the area has no module here). `public`: the modules themselves are public
/// (`types::outlook`); else only their items are, so that a glob over several crates'
/// modules of this kind meets no two modules of one name.
fn area_modules<S: AsRef<str>>(
    model: &Model,
    public: bool,
    features: impl Fn(&str) -> Vec<S>,
) -> TokenStream {
    let visibility = public.then(|| quote! { pub });
    let modules = model.areas.iter().filter_map(|area| {
        let features = features(&area.name);
        if features.is_empty() {
            return None;
        }
        let cfg = features_cfg(&features);
        let name = ident(&area.name);
        Some(quote! {
            #cfg
            #visibility mod #name;
            #cfg
            pub use #name::*;
        })
    });
    quote! { #( #modules )* }
}

/// The first lines of every generated file: the marker, and what to do instead of
/// editing it.
fn header(comment: &str) -> String {
    format!(
        "{comment} {GENERATED_MARKER} from the API docs.\n\
         {comment} Do not edit by hand: change the docs and run `cargo xtask codegen`.\n"
    )
}

/// Rust tokens as formatted source (see `print`).
fn unparse(tokens: TokenStream) -> String {
    unparse_items(tokens, std::iter::empty())
}

/// A file as formatted source: its head (inner doc and attributes, `use`s), then its
/// items, each printed before the next is built, so that a file of megabytes is never
/// one token stream in memory. A blank line goes between items.
fn unparse_items(head: TokenStream, items: impl Iterator<Item = TokenStream>) -> String {
    let mut file = print::File::default();
    file.push(head);
    items.for_each(|item| file.push(item));
    file.finish()
}

/// The Rust names of the parts' crates (`generated_part_1`), as the crates that re-export
/// their types name them.
fn part_crates(model: &Model) -> Vec<Ident> {
    model
        .parts
        .iter()
        .map(|part| ident(&manifest::package(&part.name).1))
        .collect()
}

/// An identifier from a name the model made (always valid: see `model::naming`).
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Doc text that rustdoc renders as written: Markdown and HTML in descriptions are
/// escaped, bare URLs are made links.
fn doc_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let text = without_direction_controls(text);
    for word in text.split(' ') {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            out.push('<');
            out.push_str(&word.replace(['<', '>', '"', '`'], ""));
            out.push('>');
            continue;
        }
        for c in word.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\\' | '[' | ']' | '`' | '*' | '_' | '#' | '|' | '{' | '}' => {
                    out.push('\\');
                    out.push(c)
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// Inline code in a doc comment.
fn doc_code(text: &str) -> String {
    format!("`{}`", without_direction_controls(text).replace('`', "'"))
}

/// "documented at `api/x.md:3:1`", with a link to where the page is published when the
/// docs' configuration says.
fn documented_at(source: &crate::diagnostics::Source, web: Option<&str>) -> String {
    let at = doc_code(&source.to_string());
    match web {
        // An address is a URL from the configuration: `<...>` keeps it one link.
        Some(url) if !url.contains(['<', '>', ' ']) => {
            format!("documented at {at} ([on the web](<{url}>))")
        }
        _ => format!("documented at {at}"),
    }
}

/// The text without Unicode's bidirectional controls (U+202A-E, U+2066-9), which rustc
/// refuses in comments (they can make code read otherwise than it compiles); docs copy
/// them in with text pasted from right-to-left editors.
fn without_direction_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let control = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if text.contains(control) {
        text.replace(control, "").into()
    } else {
        text.into()
    }
}

/// `#[doc = "..."]` lines for paragraphs already made safe with [`doc_text`] or
/// [`doc_code`]; nothing for empty ones.
fn docs<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> TokenStream {
    let mut lines = Vec::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.as_ref().trim();
        if paragraph.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(string_literal(""));
        }
        lines.push(string_literal(&format!(" {paragraph}")));
    }
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc = "..."]` lines, as they are (each starts with its space).
fn doc_lines<S: AsRef<str>>(lines: &[S]) -> TokenStream {
    let lines = lines.iter().map(|line| string_literal(line.as_ref()));
    quote! { #( #[doc = #lines] )* }
}

/// The Rust type of a model type, inside the generated crate.
fn rust_type(ty: &TypeRef) -> TokenStream {
    rust_type_from(ty, &quote! { crate })
}

/// The Rust type of a model type, with `root` the path of the generated crate (`crate`
/// inside it, `generated` in its tests). Paths are fully qualified so that a documented
/// type named `Option` or `String` cannot shadow them.
fn rust_type_from(ty: &TypeRef, root: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::Primitive { name } => primitive(*name, root),
        TypeRef::Struct {
            rust_name,
            any_name,
            ..
        } => {
            let name = ident(any_name.as_deref().unwrap_or(rust_name));
            quote! { #root::types::#name }
        }
        TypeRef::Enum {
            rust_name, flags, ..
        } => {
            let name = ident(rust_name);
            match flags {
                true => quote! { #root::Flags<#root::types::#name> },
                false => quote! { #root::types::#name },
            }
        }
        TypeRef::Collection { item } => {
            let item = rust_type_from(item, root);
            quote! { ::std::vec::Vec<#item> }
        }
        TypeRef::Foreign { .. } | TypeRef::Json => quote! { ::serde_json::Value },
    }
}

/// A string literal, the same token `quote!` makes of a `&str` (its text escaped as
/// `Literal::string` escapes it): that escapes each character through `escape_debug`,
/// a tenth of codegen's instructions, where most of the text is printable ASCII that
/// stays as it is.
fn string_literal(text: &str) -> Literal {
    let mut repr = String::with_capacity(text.len() + 2);
    repr.push('"');
    let mut rest = text;
    while let Some(at) = rest
        .bytes()
        .position(|b| !matches!(b, b' '..=b'~') || b == b'"' || b == b'\\')
    {
        repr.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        rest = &rest[at + c.len_utf8()..];
        match c {
            // `\0` before an octal digit would read as an octal escape to clippy.
            '\0' if rest.starts_with(|next: char| next.is_digit(8)) => repr.push_str(r"\x00"),
            '\0' => repr.push_str(r"\0"),
            c => repr.extend(c.escape_debug()),
        }
    }
    repr.push_str(rest);
    repr.push('"');
    repr.parse().unwrap_or_else(|_| Literal::string(text))
}

/// A string literal, raw when that reads better (JSON examples in tests).
fn raw_string(text: &str) -> TokenStream {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    let literal = format!("r{hashes}\"{text}\"{hashes}");
    let literal = literal
        .parse::<Literal>()
        .unwrap_or_else(|_| string_literal(text));
    quote! { #literal }
}

fn primitive(p: Primitive, root: &TokenStream) -> TokenStream {
    match p {
        Primitive::String | Primitive::Stream => quote! { ::std::string::String },
        Primitive::Guid => quote! { ::uuid::Uuid },
        Primitive::Binary => quote! { #root::Binary },
        Primitive::Decimal => quote! { #root::Decimal },
        Primitive::Duration => quote! { #root::Duration },
        Primitive::Boolean => quote! { bool },
        Primitive::Byte => quote! { u8 },
        Primitive::SByte => quote! { i8 },
        Primitive::Int16 => quote! { i16 },
        Primitive::Int32 => quote! { i32 },
        Primitive::Int64 => quote! { i64 },
        Primitive::Single => quote! { f32 },
        Primitive::Double => quote! { f64 },
        Primitive::Date => quote! { ::chrono::NaiveDate },
        Primitive::TimeOfDay => quote! { ::chrono::NaiveTime },
        Primitive::DateTimeOffset => quote! { ::chrono::DateTime<::chrono::FixedOffset> },
    }
}

#[cfg(test)]
mod unit_tests {
    use super::*;

    fn docs_input() -> Model {
        let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs-input");
        crate::understand(&docs).unwrap().model
    }

    /// The input and text of the file at `path`.
    fn made(model: &Model, path: &str) -> (String, String) {
        let jobs = jobs(model, Options::default());
        let job = jobs.iter().find(|job| job.path == path).unwrap();
        ((job.input)(), (job.make)())
    }

    /// Every file's input and text, by path.
    fn all_made(model: &Model) -> std::collections::BTreeMap<String, (String, String)> {
        let jobs = jobs(model, Options::default());
        jobs.par_iter()
            .map(|job| (job.path.clone(), ((job.input)(), (job.make)())))
            .collect()
    }

    /// The same rule over a spread of changes to what the items are called, each to
    /// one type, enumeration, navigation node or operation: in no file does the text
    /// change while its input stays.
    #[test]
    fn no_file_changes_without_its_input() {
        let model = docs_input();
        let before = all_made(&model);
        // Six or seven items of each kind, spread over the model, each changed alone.
        type Change = fn(&mut Model, usize);
        let kinds: [(usize, Change); 4] = [
            (model.types.len(), |m, i| {
                let t = &mut m.types[i];
                t.odata_type.push('X');
                t.wire_name.push('X');
                if let Some(p) = t.properties.last_mut() {
                    p.rust_name.push_str("_x");
                    p.wire_name.push('X');
                }
            }),
            (model.enums.len(), |m, i| {
                let member = m.enums[i].members.last_mut().unwrap();
                member.rust_name.push('X');
                member.wire_name.push('X');
            }),
            (model.navigation.len(), |m, i| {
                let node = &mut m.navigation[i];
                node.rust_name.push('X');
                node.path.push('X');
                if let Some(step) = node.steps.last_mut() {
                    step.name.push_str("_x");
                }
            }),
            (model.operations.len(), |m, i| {
                let op = &mut m.operations[i];
                op.rust_name.push_str("_x");
                op.title.push('X');
                op.path.text.push('X');
            }),
        ];
        for (kind, (count, change)) in kinds.into_iter().enumerate() {
            for i in (0..count).step_by(count.div_ceil(6).max(1)) {
                let mut other = model.clone();
                change(&mut other, i);
                for (path, (input, text)) in all_made(&other) {
                    let Some((old_input, old_text)) = before.get(&path) else {
                        continue;
                    };
                    assert!(
                        *old_text == text || *old_input != input,
                        "kind {kind}, item {i}: {path} changed without its input"
                    );
                }
            }
        }
    }

    /// A file is made again only when its input changes (`crate::cache`), so its input
    /// must cover what its text reads of the model beyond its own items. Each change
    /// below is to something another file holds, and changes this file's text.
    #[test]
    fn a_files_input_changes_with_what_its_text_reads_elsewhere() {
        let mut model = docs_input();
        // An `AnyX` matches its derived types' `@odata.type`; one of them is in another
        // area's file here.
        let base = model.types.iter().find(|t| t.any_name.is_some()).unwrap();
        let types_file = format!(
            "{}/src/types/{}.rs",
            manifest::folder(&base.part),
            base.area
        );
        let derived = base.derived[0].clone();
        let d = model
            .types
            .iter_mut()
            .find(|t| t.rust_name == derived)
            .unwrap();
        d.area = format!("{}_elsewhere", d.area);
        let model = model;
        let changed = |path: &str, change: &dyn Fn(&mut Model)| {
            let mut other = model.clone();
            change(&mut other);
            let (before, after) = (made(&model, path), made(&other, path));
            assert_ne!(
                before.1, after.1,
                "{path}: the change is not seen in the text"
            );
            assert_ne!(before.0, after.0, "{path}: the text changed, not its input");
        };
        // The example tests walk the values through the types' properties.
        let rename = |ty: &'static str, property: &'static str| {
            move |model: &mut Model| {
                let t = model.types.iter_mut().find(|t| t.rust_name == ty).unwrap();
                let p = t.properties.iter_mut().find(|p| p.wire_name == property);
                p.unwrap().rust_name.push_str("_renamed");
            }
        };
        let tests = "tests/examples/intune.rs";
        changed(tests, &rename("CartToClassAssociation", "version"));
        // But only through the types they reach: Outlook's messages are not among them.
        let mut other = model.clone();
        rename("Message", "subject")(&mut other);
        assert_eq!(made(&model, tests), made(&other, tests));
        changed(&types_file, &|model| {
            let d = model.types.iter_mut().find(|t| t.rust_name == derived);
            d.unwrap().odata_type.push_str("Renamed");
        });
        // The root's steps name the types of the nodes they reach, in other files.
        let target = model.navigation[0].steps[0].target;
        changed("src/api/mod.rs", &|model| {
            model.navigation[target].rust_name.push_str("Renamed");
        });
        changed("src/api/mod.rs", &|model| {
            model.navigation[target].path.push_str("Moved");
        });
    }

    /// An example is read by its area's tests alone: a change to one re-makes them and
    /// no other file (the navigation files' inputs held every operation's examples).
    #[test]
    fn an_examples_change_changes_its_tests_input_alone() {
        let model = docs_input();
        let op = model
            .operations
            .iter()
            .position(|op| !op.examples.is_empty());
        let op = op.unwrap();
        let mut other = model.clone();
        other.operations[op].examples[0]
            .test_name
            .push_str("_renamed");
        let inputs = |model: &Model| -> Vec<(String, String)> {
            let jobs = jobs(model, Options::default());
            jobs.iter()
                .map(|job| (job.path.clone(), (job.input)()))
                .collect()
        };
        let changed: Vec<String> = inputs(&model)
            .into_iter()
            .zip(inputs(&other))
            .filter(|(before, after)| before != after)
            .map(|(before, _)| before.0)
            .collect();
        let tests = format!("tests/examples/{}.rs", model.operations[op].area);
        assert_eq!(changed, [tests]);
    }

    #[test]
    fn string_literals_are_the_tokens_quote_makes() {
        let texts = [
            "",
            "plain words, 'quoted' and (bracketed)",
            "a \"quote\" and a \\ backslash",
            "lines\nand\ttabs\r",
            "nul\0 then nul\x007 then \u{1} \u{7f}",
            "curly \u{2019}quotes\u{2019}, an em dash \u{2014} and \u{1F600}",
            "\u{301}combining first, then e\u{301}, a no-break\u{a0}space, \u{200b}",
        ];
        for text in texts {
            assert_eq!(
                string_literal(text).to_string(),
                Literal::string(text).to_string(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn docs_drop_the_bidirectional_controls_rustc_refuses() {
        assert_eq!(doc_text("a\u{202E}b \u{2066}c"), "ab c");
        assert_eq!(doc_code("x\u{202B}y"), "`xy`");
    }

    #[test]
    fn doc_text_escapes_markdown_and_html() {
        assert_eq!(
            doc_text("See [x](y) <br> and https://a.b/c *now*"),
            "See \\[x\\](y) &lt;br&gt; and <https://a.b/c> \\*now\\*"
        );
    }
}
