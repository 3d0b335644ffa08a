//! Cross-page resolution: type cells and prose mentions to types, pages to operations,
//! examples to the operation and path they exercise. `Resolver::build` is the driver;
//! each job is a file of its own, in the order it runs: `types` (declared types, type
//! cells, links), `inheritance` (bases from both directions, copied properties, `AnyX`,
//! boxes), then `operations` (with their bodies, responses, query options and headers),
//! whose examples `examples` matches and reads and `checks` holds to their types; the
//! areas and parts come last (`model::areas`, `model::parts`).

mod checks;
mod examples;
mod inheritance;
mod operations;
mod suffixes;
mod types;

use std::collections::BTreeMap;

use foldhash::{HashMap, HashSet};
use serde_json::Value;

use super::file_stem;
use super::naming::{Case, Scope};
use super::*;
use crate::diagnostics::{Code, Severity};
use crate::parse::{self, PageKind, PropertyRow, Prose, TypeCell, TypeMention, header};
use crate::wire;

/// Products with more pages than this are split into parts (see `Resolver::area_of`).
const SPLIT_PRODUCT_PAGES: usize = 1000;

/// Names the generated structs use for their own fields.
const ODATA_TYPE_FIELD: &str = "odata_type";
const ADDITIONAL_FIELD: &str = "additional_properties";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Named {
    Struct(usize),
    Enum(usize),
}

pub(super) struct Resolver<'a> {
    pages: &'a [Page],
    diagnostics: &'a mut Diagnostics,
    types: Vec<TypeDef>,
    enums: Vec<EnumDef>,
    /// Lowercased page file → type declared there.
    by_file: HashMap<String, Named>,
    /// Lowercased wire name → type; of two namespaces' types of one name, the main
    /// namespace's.
    by_name: HashMap<String, Named>,
    /// Lowercased qualified name (`microsoft.graph.termstore.group`) → struct.
    by_qualified: HashMap<String, Named>,
    /// The namespace most pages state (`microsoft.graph`): the one of pages that state
    /// none.
    main_namespace: String,
    /// Every page file, lowercased, to tell broken links.
    files: HashSet<String>,
    type_scope: Scope,
    /// Rust name → index in `types`.
    by_rust: HashMap<String, usize>,
    /// Example names (from annotations) seen so far, where first seen.
    example_names: HashMap<String, Source>,
    /// Pages per product, to split the large ones.
    product_pages: HashMap<&'a str, usize>,
    base_url: String,
}

impl<'a> Resolver<'a> {
    pub(super) fn new(pages: &'a [Page], diagnostics: &'a mut Diagnostics) -> Self {
        Resolver {
            pages,
            diagnostics,
            types: Vec::new(),
            enums: Vec::new(),
            by_file: HashMap::default(),
            by_name: HashMap::default(),
            by_qualified: HashMap::default(),
            main_namespace: main_namespace(pages),
            files: pages.iter().map(|p| p.file.to_lowercase()).collect(),
            type_scope: Scope::default(),
            by_rust: HashMap::default(),
            example_names: HashMap::default(),
            product_pages: pages.iter().fold(HashMap::default(), |mut counts, page| {
                *counts.entry(page.product.as_str()).or_default() += 1;
                counts
            }),
            base_url: base_url(pages),
        }
    }

    pub(super) fn build(mut self) -> Model {
        self.declare_types();
        self.check_links();
        // Every page documenting a struct, the type's home page (named after it) first.
        let mut own: Vec<(usize, &Page)> = self
            .pages
            .iter()
            .filter(|page| page.kind == PageKind::Resource)
            .filter_map(|page| match self.by_file.get(&page.file.to_lowercase()) {
                Some(Named::Struct(i)) => Some((*i, page)),
                _ => None,
            })
            .collect();
        own.sort_by_key(|(i, page)| (*i, !is_home_page(page, &self.types[*i].wire_name)));
        let mut bases = BTreeMap::new();
        let mut first_page = HashSet::default();
        for (index, page) in own {
            let properties = self.properties(
                &page.properties,
                &self.types[index].wire_name.clone(),
                &page.representation_keys,
            );
            let area = self.area_of(page);
            let merged = &mut self.types[index];
            if first_page.insert(index) {
                merged.area = area;
                merged.source = page.source.clone();
                merged.description = page.description.clone();
            }
            for property in properties {
                if !merged
                    .properties
                    .iter()
                    .any(|p| p.wire_name == property.wire_name)
                {
                    merged.properties.push(property);
                }
            }
            if let Some(base) = &page.base {
                match self.lookup(base) {
                    // The home page (first) says what the type derives from.
                    Some(Named::Struct(b)) => {
                        bases.entry(index).or_insert(b);
                    }
                    _ => self.diagnostics.report(
                        page.source.clone(),
                        Code::BaseType,
                        format!("base type `{}` is not a documented type", base.name),
                        "link \"Inherits from\" to the base type's resource page",
                    ),
                }
            }
        }
        self.bases_from_base_pages(&mut bases);
        self.inherit(&bases);
        self.polymorphism();
        let operations = self.operations();
        let mut operations = self.odata_suffixes(operations);
        self.examples(&mut operations);
        self.adopt_areas(&mut operations);
        let base_url = self.base_url.clone();
        self.box_cycles();

        let mut types = self.types;
        types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let mut enums = self.enums;
        enums.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let areas = super::areas::areas(&mut types, &mut enums, &mut operations);
        let parts = super::parts::parts(&mut types, &mut enums, &mut operations);
        let navigation = super::navigation::navigation(&mut operations, &types);
        let preferences = super::preferences::preferences(&operations);
        Model {
            navigation,
            preferences,
            base_url,
            areas,
            parts,
            types,
            enums,
            operations,
        }
    }
}

/// The namespace most resource pages state, in their text or their representation's
/// `@odata.type` (of two as common, the shorter: the root namespace).
fn main_namespace(pages: &[Page]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages.iter().filter(|p| p.kind == PageKind::Resource) {
        if let Some(namespace) = stated_namespace(page) {
            *counts.entry(namespace).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(namespace, _)| namespace)
        .unwrap_or_default()
}

/// The namespace a page states: its representation's `@odata.type`'s, else its
/// "Namespace:" line's.
fn stated_namespace(page: &Page) -> Option<String> {
    page.odata_type
        .as_deref()
        .and_then(|t| odata_namespace(t).map(str::to_owned))
        .or_else(|| page.namespace.clone())
}

/// The scheme, host and version most example URLs use.
fn base_url(pages: &[Page]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let requests = pages
        .iter()
        .flat_map(|p| &p.examples)
        .filter(|e| !e.alternative);
    for example in requests {
        let url = &example.request.url;
        if let Some(root) = service_root(url).or_else(|| Url::parse(url).host) {
            *counts.entry(root).or_default() += 1;
        }
    }
    // The most common root with a version, else the most common host.
    counts
        .iter()
        .max_by(|a, b| {
            (a.0.matches('/').count() > 2, a.1)
                .cmp(&(b.0.matches('/').count() > 2, b.1))
                .then(b.0.cmp(a.0))
        })
        .map(|(url, _)| url.clone())
        .unwrap_or_else(|| "https://localhost".to_owned())
}

/// The service root (host and API version) a URL is under, when it names both.
fn service_root(url: &str) -> Option<String> {
    let url = Url::parse(url);
    Some(format!("{}/{}", url.host?, url.version?))
}

/// The page named after the type it documents (`user.md` for `user`).
fn is_home_page(page: &Page, wire_name: &str) -> bool {
    file_stem(&page.file).eq_ignore_ascii_case(wire_name)
}

/// Component number of each node (Tarjan's algorithm, iterative so that deep type
/// graphs cannot overflow the stack).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut component = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (node, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[node] == usize::MAX {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*edge) {
                *edge += 1;
                if index[next] == usize::MAX {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    // A node alone in its component is only in a cycle if it refers to itself.
    for (node, targets) in edges.iter().enumerate() {
        let alone = component.iter().filter(|&&c| c == component[node]).count() == 1;
        if alone && !targets.contains(&node) {
            component[node] = usize::MAX - node;
        }
    }
    component
}

/// What an operation returns, in words, for findings.
fn describe(response: &Response) -> String {
    let name = |ty: &TypeRef| match ty {
        TypeRef::Struct { wire_name, .. } | TypeRef::Enum { wire_name, .. } => {
            format!("`{wire_name}`")
        }
        TypeRef::Primitive { name } => format!("`{name:?}`"),
        TypeRef::Collection { .. } => "a collection".to_owned(),
        TypeRef::Foreign { .. } | TypeRef::Json => "JSON".to_owned(),
    };
    match response {
        Response::Empty => "nothing".to_owned(),
        Response::Json { item } => name(item),
        Response::Collection { item } => format!("a collection of {}", name(item)),
        Response::Bytes => "bytes".to_owned(),
        Response::Count => "a count".to_owned(),
        Response::Accepted => "a long-running operation to monitor".to_owned(),
    }
}

/// "collection" as a word (`String collection`, `Collection(x)`, "a collection of"), not
/// inside a type name such as `choiceSettingCollectionDefinition`.
fn says_collection(lower: &str) -> bool {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "collection")
}

/// The first `2xx`-`3xx` number in prose such as "returns a `201 Created` response".
fn status_in(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        // The success status: an error one the prose mentions (`507` when the drive is
        // full) is not what the operation returns.
        .find(|n| (200..400).contains(n))
}

/// The success statuses `text` names as HTTP writes them, a code and its reason phrase
/// (`200 OK`, `302 Found`, `204 No Content`), in order: a page that answers in several
/// ways (a report's CSV by a `302`, its JSON by a `200 OK`) names each.
fn statuses_named(text: &str) -> impl Iterator<Item = u16> + '_ {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(4)).filter_map(move |i| {
        let code = &bytes[i..i + 3];
        let starts = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        let reason = bytes[i + 3] == b' ' && bytes[i + 4].is_ascii_uppercase();
        let status = std::str::from_utf8(code).ok()?.parse::<u16>().ok()?;
        (starts && reason && code.iter().all(u8::is_ascii_digit) && (200..400).contains(&status))
            .then_some(status)
    })
}

/// Where byte `offset` of an example body is on its page (the body starts a line).
fn body_source(json: &parse::Json, offset: Option<usize>) -> Source {
    let mut source = json.source.clone();
    let Some(before) = offset.and_then(|offset| json.text.get(..offset)) else {
        return source;
    };
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    source.line += before.matches('\n').count() as u32;
    source.column = before[line_start..].chars().count() as u32 + 1;
    source
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        let c = strongly_connected(&[vec![1], vec![0], vec![2], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[2], c[3]);
        assert_ne!(c[3], c[0]);
    }

    #[test]
    fn status_from_prose() {
        assert_eq!(
            status_in("returns a `201 Created` response code"),
            Some(201)
        );
        assert_eq!(status_in("returns 1000 items"), None);
        let named: Vec<u16> = statuses_named(
            "CSV: a `302 Found` redirect; JSON: `200 OK` and 250 items, or HTTP 404 Not Found",
        )
        .collect();
        assert_eq!(named, [302, 200]);
    }
}
