//! Cross-page resolution: type cells and prose mentions to types, pages to operations,
//! examples to the operation and path they exercise.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::naming::{Case, Scope};
use super::*;
use crate::diagnostics::{Severity, codes};
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
    /// Lowercased wire name → type.
    by_name: HashMap<String, Named>,
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
            by_file: HashMap::new(),
            by_name: HashMap::new(),
            files: pages.iter().map(|p| p.file.to_lowercase()).collect(),
            type_scope: Scope::default(),
            by_rust: HashMap::new(),
            example_names: HashMap::new(),
            product_pages: pages.iter().fold(HashMap::new(), |mut counts, page| {
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
        let mut first_page = HashSet::new();
        for (index, page) in own {
            let properties =
                self.properties(&page.properties, &self.types[index].wire_name.clone());
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
                    _ => self.diagnostics.warn(
                        page.source.clone(),
                        codes::BASE_TYPE,
                        format!("base type `{}` is not a documented type", base.name),
                        "link \"Inherits from\" to the base type's resource page",
                    ),
                }
            }
        }
        self.inherit(&bases);
        self.polymorphism();
        let mut operations = self.operations();
        let base_url = self.base_url.clone();
        self.box_cycles();

        let mut types = self.types;
        types.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let mut enums = self.enums;
        enums.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        operations.sort_by(|a, b| a.rust_name.cmp(&b.rust_name));
        let areas = super::areas::areas(&mut types, &mut enums, &mut operations);
        Model {
            base_url,
            areas,
            types,
            enums,
            operations,
        }
    }

    /// Every resource page declares a struct, named by its JSON representation's
    /// `@odata.type`, else its title's first word, else its file name; every enum block
    /// an enum (an enum page's own block is named the same way).
    fn declare_types(&mut self) {
        for page in self.pages {
            if page.kind == PageKind::Resource {
                let wire_name = type_name_of(page);
                // A type documented on several pages (a product's view of a shared type)
                // is one type with the properties of all of them.
                if let Some(&Named::Struct(i)) = self.by_name.get(&wire_name.to_lowercase()) {
                    // The note goes on the partial page, the one not named after the type.
                    let first = self.types[i].source.clone();
                    let first_is_home = self
                        .pages
                        .iter()
                        .any(|p| p.file == first.file && is_home_page(p, &wire_name));
                    let (partial, home) = if is_home_page(page, &wire_name) && !first_is_home {
                        (first, page.source.clone())
                    } else {
                        (page.source.clone(), first)
                    };
                    self.diagnostics.push(
                        partial,
                        Severity::Note,
                        codes::DUPLICATE_TYPE,
                        format!("type `{wire_name}` is also documented at {home}; the properties of both are merged"),
                        "document each type on one page, or link the partial page to the full one",
                    );
                    self.by_file
                        .insert(page.file.to_lowercase(), Named::Struct(i));
                    continue;
                }
                if self.claim_name(&wire_name, &page.source) {
                    let rust_name = self.type_scope.claim(&wire_name, Case::Pascal);
                    self.by_rust.insert(rust_name.clone(), self.types.len());
                    self.types.push(TypeDef {
                        wire_name: wire_name.clone(),
                        rust_name,
                        odata_type: page
                            .odata_type
                            .as_deref()
                            .map(|t| format!("#{}", t.trim_start_matches('#')))
                            .unwrap_or_default(),
                        description: page.description.clone(),
                        base: None,
                        properties: Vec::new(),
                        derived: Vec::new(),
                        any_name: None,
                        area: self.area_of(page),
                        features: Vec::new(),
                        source: page.source.clone(),
                    });
                    let named = Named::Struct(self.types.len() - 1);
                    self.by_name.insert(wire_name.to_lowercase(), named);
                    self.by_file.insert(page.file.to_lowercase(), named);
                }
            }
            for block in &page.enums {
                let wire_name = block.name.clone().unwrap_or_else(|| type_name_of(page));
                if !self.claim_name(&wire_name, &block.source) {
                    continue;
                }
                let mut scope = Scope::default();
                // The catch-all variant for values the docs do not list.
                scope.reserve("Undocumented");
                let mut seen = HashSet::new();
                let members = block
                    .members
                    .iter()
                    .filter(|m| seen.insert(m.name.clone()))
                    .map(|m| EnumMember {
                        wire_name: m.name.clone(),
                        rust_name: scope.claim(&m.name, Case::Pascal),
                        description: m.description.clone(),
                        source: m.source.clone(),
                    })
                    .collect();
                let description = if block.name.is_none() {
                    page.description.clone()
                } else {
                    String::new()
                };
                self.enums.push(EnumDef {
                    rust_name: self.type_scope.claim(&wire_name, Case::Pascal),
                    wire_name: wire_name.clone(),
                    flags: is_flag_enum(&description, &block.members),
                    description,
                    members,
                    area: self.area_of(page),
                    features: Vec::new(),
                    source: block.source.clone(),
                });
                let named = Named::Enum(self.enums.len() - 1);
                self.by_name.insert(wire_name.to_lowercase(), named);
                if block.name.is_none() {
                    self.by_file.insert(page.file.to_lowercase(), named);
                }
            }
        }
    }

    /// Whether `wire_name` is still free; a second declaration is reported and skipped.
    fn claim_name(&mut self, wire_name: &str, source: &Source) -> bool {
        let Some(existing) = self.by_name.get(&wire_name.to_lowercase()) else {
            return true;
        };
        let other = match existing {
            Named::Struct(i) => &self.types[*i].source,
            Named::Enum(i) => &self.enums[*i].source,
        };
        self.diagnostics.warn(
            source.clone(),
            codes::DUPLICATE_TYPE,
            format!("type `{wire_name}` is already documented at {other}"),
            "document each type once; this declaration is not used",
        );
        false
    }

    /// Every relative link on every page must reach a page.
    fn check_links(&mut self) {
        for page in self.pages {
            for link in &page.links {
                let Some(target) = &link.target else { continue };
                if !self.files.contains(&target.to_lowercase()) {
                    self.diagnostics.warn(
                        link.source.clone(),
                        codes::BROKEN_LINK,
                        format!("link to `{target}` points at no page"),
                        "link to an existing page, relative to this one",
                    );
                }
            }
        }
    }

    /// A page's area: its product; a product too large for one cargo feature is split by
    /// the word that follows the product in its file names (`intune-apps-...` is in
    /// `intune-apps`), which is how such products name their parts.
    fn area_of(&self, page: &Page) -> String {
        let product = page.product.as_str();
        if self.product_pages.get(product).copied().unwrap_or(0) <= SPLIT_PRODUCT_PAGES {
            return product.to_owned();
        }
        let stem = file_stem(&page.file).to_lowercase();
        match stem
            .strip_prefix(&format!("{product}-"))
            .and_then(|rest| rest.split('-').next())
        {
            Some(part) if !part.is_empty() => format!("{product}-{part}"),
            _ => product.to_owned(),
        }
    }

    fn named_ref(&self, named: Named) -> TypeRef {
        match named {
            Named::Struct(i) => TypeRef::Struct {
                wire_name: self.types[i].wire_name.clone(),
                rust_name: self.types[i].rust_name.clone(),
                any_name: self.types[i].any_name.clone(),
            },
            Named::Enum(i) => TypeRef::Enum {
                wire_name: self.enums[i].wire_name.clone(),
                rust_name: self.enums[i].rust_name.clone(),
                flags: self.enums[i].flags,
            },
        }
    }

    /// The type a mention points at: the linked page if it declares one, else the
    /// mention's name. A relative link to a page that does not exist is reported.
    fn lookup(&mut self, mention: &TypeMention) -> Option<Named> {
        if let Some(target) = &mention.target {
            let key = target.to_lowercase();
            if let Some(named) = self.by_file.get(&key) {
                return Some(*named);
            }
            if !self.files.contains(&key) {
                self.diagnostics.warn(
                    mention.source.clone(),
                    codes::BROKEN_LINK,
                    format!("link to `{target}` points at no page"),
                    "link to an existing page, relative to this one",
                );
            }
        }
        self.lookup_name(&mention.name)
    }

    fn lookup_name(&self, name: &str) -> Option<Named> {
        let name = name.trim().trim_matches('`');
        let last = name.rsplit('.').next().unwrap_or(name);
        self.by_name.get(&last.to_lowercase()).copied()
    }

    /// A type cell: `String`, `Edm.Int32`, `String collection`, `Collection(x)`,
    /// `[user](user.md)`, a bare type name. Unknown names fall back to untyped JSON.
    fn type_cell(&mut self, cell: &TypeCell, source: &Source) -> TypeRef {
        let lower = cell.text.to_ascii_lowercase();
        let collection = says_collection(&lower);
        let wrap = |ty: TypeRef| {
            if collection {
                TypeRef::Collection { item: Box::new(ty) }
            } else {
                ty
            }
        };
        // `Json` is how docs say "any JSON value", even when it links a page.
        let first_word = lower
            .split(|c: char| !c.is_alphanumeric() && c != '.')
            .find(|w| !w.is_empty() && *w != "collection");
        if first_word.is_some_and(|w| w == "json" || w == "edm.json") {
            return wrap(TypeRef::Json);
        }
        if let Some(link) = &cell.link
            && let Some(named) = self.lookup(link)
        {
            return wrap(self.named_ref(named));
        }
        let core = match lower.find("collection(") {
            Some(at) => cell.text[at + "collection(".len()..]
                .split(')')
                .next()
                .unwrap_or(""),
            None => cell.text.as_str(),
        };
        let word = core
            .split(|c: char| {
                c.is_whitespace() || matches!(c, '(' | ')' | ',' | '*' | '`' | '[' | ']')
            })
            .find(|w| !w.is_empty() && !w.eq_ignore_ascii_case("collection"))
            .unwrap_or("");
        if let Some(primitive) = Primitive::from_name(word) {
            return wrap(TypeRef::Primitive { name: primitive });
        }
        if let Some(named) = self.lookup_name(word) {
            return wrap(self.named_ref(named));
        }
        let help = match self.closest_type_name(word) {
            Some(name) => format!("did you mean `{name}`?"),
            None => "use an Edm primitive (String, Int32, Boolean, DateTimeOffset, ...) or link the type's page".to_owned(),
        };
        let found = if cell.text.trim().is_empty() {
            "an empty type cell".to_owned()
        } else {
            format!("type `{}`", cell.text)
        };
        self.diagnostics.warn(
            source.clone(),
            codes::UNKNOWN_TYPE,
            format!("{found} names no documented type; typed as untyped JSON"),
            help,
        );
        wrap(TypeRef::Json)
    }

    /// The documented type (or Edm primitive) name nearest to `word`, if one is close.
    fn closest_type_name(&self, word: &str) -> Option<String> {
        if word.len() < 3 {
            return None;
        }
        let word = word.to_lowercase();
        let primitives = [
            "String",
            "Boolean",
            "Int32",
            "Int64",
            "Double",
            "DateTimeOffset",
            "Date",
            "TimeOfDay",
            "Duration",
            "Guid",
            "Binary",
        ];
        let names = self
            .types
            .iter()
            .map(|t| t.wire_name.as_str())
            .chain(self.enums.iter().map(|e| e.wire_name.as_str()))
            .chain(primitives);
        names
            .filter_map(|name| {
                let allowed = (name.len() / 3).max(1);
                // A length difference beyond the allowed distance cannot be close.
                if name.len().abs_diff(word.len()) > allowed {
                    return None;
                }
                let distance = strsim::osa_distance(&word, &name.to_lowercase());
                (distance <= allowed).then_some((distance, name))
            })
            .min()
            .map(|(_, name)| name.to_owned())
    }

    /// Property rows to properties: `@odata.type` and repeated names are dropped (the
    /// struct has its own field for the first, and a name can only be one field).
    fn properties(&mut self, rows: &[PropertyRow], owner: &str) -> Vec<Property> {
        let mut scope = Scope::default();
        scope.reserve(ODATA_TYPE_FIELD);
        scope.reserve(ADDITIONAL_FIELD);
        let mut seen = HashSet::new();
        let mut properties = Vec::new();
        for row in rows {
            if row.name == "@odata.type" {
                continue;
            }
            if !seen.insert(row.name.clone()) {
                self.diagnostics.warn(
                    row.source.clone(),
                    codes::DUPLICATE_TYPE,
                    format!("property `{}` of `{owner}` is listed twice", row.name),
                    "list each property once",
                );
                continue;
            }
            let ty = match &row.ty {
                Some(cell) => self.type_cell(cell, &row.source),
                None => TypeRef::Json,
            };
            properties.push(Property {
                wire_name: row.name.clone(),
                rust_name: scope.claim(&row.name, Case::Snake),
                ty,
                description: row.description.clone(),
                boxed: false,
                source: row.source.clone(),
            });
        }
        properties
    }

    /// Copies each base's properties (its own bases first) into the derived type. A
    /// cycle is reported and broken where it closes.
    fn inherit(&mut self, bases: &BTreeMap<usize, usize>) {
        let mut done: HashMap<usize, Vec<Property>> = HashMap::new();
        for &start in bases.keys() {
            let mut chain = vec![start];
            let mut current = start;
            while let Some(&base) = bases.get(&current) {
                if chain.contains(&base) {
                    let t = &self.types[current];
                    self.diagnostics.warn(
                        t.source.clone(),
                        codes::BASE_TYPE,
                        format!(
                            "`{}` inherits from `{}`, which inherits from it: a cycle",
                            t.wire_name, self.types[base].wire_name
                        ),
                        "make the inheritance a tree",
                    );
                    break;
                }
                chain.push(base);
                current = base;
            }
            // Root first: each type gets its base's (already complete) properties.
            for pair in chain.windows(2).rev() {
                let (derived, base) = (pair[0], pair[1]);
                if done.contains_key(&derived) {
                    continue;
                }
                let inherited = done
                    .get(&base)
                    .cloned()
                    .unwrap_or_else(|| self.types[base].properties.clone());
                let own = std::mem::take(&mut self.types[derived].properties);
                let mut scope = Scope::default();
                scope.reserve(ODATA_TYPE_FIELD);
                scope.reserve(ADDITIONAL_FIELD);
                let mut merged: Vec<Property> = Vec::new();
                for mut property in inherited.into_iter().chain(own) {
                    if let Some(existing) = merged
                        .iter_mut()
                        .find(|p| p.wire_name == property.wire_name)
                    {
                        // The derived page's row wins: it is the more specific documentation.
                        property.rust_name = existing.rust_name.clone();
                        *existing = property;
                    } else {
                        property.rust_name = scope.claim(&property.wire_name, Case::Snake);
                        merged.push(property);
                    }
                }
                self.types[derived].base = Some(self.types[base].wire_name.clone());
                self.types[derived].properties = merged.clone();
                done.insert(derived, merged);
            }
        }
    }

    /// Gives every type with derived types its enum (`AnyX`), every type its
    /// `@odata.type`, and every reference to a base type the enum.
    fn polymorphism(&mut self) {
        let namespace = self.namespace();
        let mut children: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, t) in self.types.iter().enumerate() {
            if let Some(Named::Struct(base)) = t.base.as_deref().and_then(|b| self.lookup_name(b)) {
                children.entry(base).or_default().push(i);
            }
        }
        for i in 0..self.types.len() {
            // Depth first; `seen` ends a cycle (already reported by `inherit`).
            let mut seen = HashSet::from([i]);
            let mut pending = children.get(&i).cloned().unwrap_or_default();
            while let Some(next) = pending.pop() {
                if seen.insert(next) {
                    pending.extend(children.get(&next).into_iter().flatten());
                }
            }
            seen.remove(&i);
            let mut derived: Vec<String> = seen
                .iter()
                .map(|&d| self.types[d].rust_name.clone())
                .collect();
            derived.sort();
            let t = &mut self.types[i];
            if t.odata_type.is_empty() {
                t.odata_type = format!("#{namespace}{}", t.wire_name);
            }
            if !derived.is_empty() {
                t.any_name = Some(
                    self.type_scope
                        .claim(&format!("Any {}", t.rust_name), Case::Pascal),
                );
                t.derived = derived;
            }
        }
        let any_names: HashMap<String, String> = self
            .types
            .iter()
            .filter_map(|t| Some((t.rust_name.clone(), t.any_name.clone()?)))
            .collect();
        for t in &mut self.types {
            for p in &mut t.properties {
                set_any_name(&mut p.ty, &any_names);
            }
        }
    }

    /// The namespace (with its trailing dot) most documented `@odata.type`s use.
    fn namespace(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &self.types {
            if let Some((namespace, _)) = t.odata_type.trim_start_matches('#').rsplit_once('.') {
                *counts.entry(namespace).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(namespace, count)| (count, std::cmp::Reverse(namespace)))
            .map(|(namespace, _)| format!("{namespace}."))
            .unwrap_or_default()
    }

    /// Struct fields that refer (not through a collection) to a type that refers back
    /// would make an infinitely large type: those are boxed.
    fn box_cycles(&mut self) {
        let index: HashMap<String, usize> = self
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.rust_name.clone(), i))
            .collect();
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                t.properties
                    .iter()
                    .filter_map(|p| match &p.ty {
                        // An `AnyX` enum boxes its variants: no cycle goes through it.
                        TypeRef::Struct {
                            rust_name,
                            any_name: None,
                            ..
                        } => index.get(rust_name).copied(),
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let component = strongly_connected(&edges);
        for (owner, t) in self.types.iter_mut().enumerate() {
            for p in &mut t.properties {
                if let TypeRef::Struct {
                    rust_name,
                    any_name: None,
                    ..
                } = &p.ty
                    && let Some(&target) = index.get(rust_name)
                {
                    p.boxed = component[target] == component[owner];
                }
            }
        }
    }

    /// The first type named in prose: a link, or a word followed by "object",
    /// "resource", "collection" or "entity". Also whether the prose says "collection".
    fn mentioned(&mut self, prose: &[Prose]) -> Option<(Named, bool)> {
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

    fn operations(&mut self) -> Vec<Operation> {
        let mut fn_scope = Scope::default();
        let mut test_scope = Scope::default();
        let mut operations = Vec::new();
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
            let body = if is_function {
                None
            } else {
                self.body(page, &title)
            };
            let (status, response) = self.response(page);
            // A page that names no product belongs with the type it returns or takes.
            let subject = match (&response, &body) {
                (Response::Json { item } | Response::Collection { item }, _) | (_, Some(item)) => {
                    self.struct_def(item)
                }
                _ => None,
            };
            let area = match subject {
                Some(def) if page.product == parse::GENERAL_AREA => def.area.clone(),
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
            let first = operations.len();
            // Pages with the same title ("Add attachment" for events, messages and posts)
            // are told apart by the resource their file is named after.
            let base = if fn_scope.is_taken(&title, Case::Snake) {
                let stem = file_stem(&page.file);
                format!("{title} {}", stem.split('-').next().unwrap_or(&stem))
            } else {
                title.clone()
            };
            for (i, template) in page.templates.iter().enumerate() {
                // The first path takes the page's name; the others say where they start
                // (`list_events`, `list_events_users`, `list_events_groups`).
                let name = if i == 0 {
                    base.clone()
                } else {
                    format!("{base} {}", path_prefix(&template.path))
                };
                operations.push(Operation {
                    title: title.clone(),
                    rust_name: fn_scope.claim(&name, Case::Snake),
                    description: page.description.clone(),
                    method: template.method.clone(),
                    path: PathTemplate::parse(&if is_function {
                        self.function_call(&template.path, &page.body_rows)
                    } else {
                        template.path.clone()
                    }),
                    body: body.clone(),
                    status,
                    response: response.clone(),
                    permissions: permissions.clone(),
                    examples: Vec::new(),
                    area: area.clone(),
                    source: template.source.clone(),
                });
            }
            for example in &page.examples {
                self.example(page, example, &mut operations[first..], &mut test_scope);
            }
        }
        operations
    }

    /// A function's path with its parameters, `/f(a='{a}',n={n})`, when the documented
    /// path leaves them out. Strings and enums are quoted, as OData writes them.
    fn function_call(&mut self, path: &str, parameters: &[PropertyRow]) -> String {
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
            .map(|row| {
                let ty = match &row.ty {
                    Some(cell) => self.type_cell(cell, &row.source),
                    None => TypeRef::Json,
                };
                let quoted = match ty {
                    TypeRef::Primitive { name } => matches!(
                        name,
                        Primitive::String
                            | Primitive::Guid
                            | Primitive::Binary
                            | Primitive::Duration
                    ),
                    TypeRef::Collection { .. }
                    | TypeRef::Struct { .. }
                    | TypeRef::Foreign { .. } => false,
                    TypeRef::Enum { .. } | TypeRef::Json => true,
                };
                let name = &row.name;
                if quoted {
                    format!("{name}='{{{name}}}'")
                } else {
                    format!("{name}={{{name}}}")
                }
            })
            .collect();
        let query = query.map(|q| format!("?{q}")).unwrap_or_default();
        format!("{path}({}){query}", arguments.join(","))
    }

    /// The request body type: the type the prose names when its table (if any) lists
    /// only that type's properties; otherwise a type made from the table's rows.
    fn body(&mut self, page: &Page, title: &str) -> Option<TypeRef> {
        let mentioned = match self.mentioned(&page.body_prose) {
            Some((Named::Struct(i), _)) => Some(i),
            _ => None,
        };
        if page.body_rows.is_empty() {
            return mentioned.map(|i| self.named_ref(Named::Struct(i)));
        }
        if let Some(i) = mentioned {
            let declared: HashSet<String> = self.types[i]
                .properties
                .iter()
                .map(|p| p.wire_name.to_lowercase())
                .collect();
            if page
                .body_rows
                .iter()
                .all(|r| r.name == "@odata.type" || declared.contains(&r.name.to_lowercase()))
            {
                return Some(self.named_ref(Named::Struct(i)));
            }
        }
        let wire_name = format!("{title} body");
        let rust_name = self.type_scope.claim(&wire_name, Case::Pascal);
        let properties = self.properties(&page.body_rows, &wire_name);
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
            source: page.body_rows[0].source.clone(),
        });
        Some(self.named_ref(Named::Struct(self.types.len() - 1)))
    }

    /// The documented success status and result shape, from the Response prose, else
    /// from the first example response.
    fn response(&mut self, page: &Page) -> (u16, Response) {
        let example = page.examples.iter().find_map(|e| e.response.as_ref());
        let status = page
            .response_prose
            .iter()
            .find_map(|p| status_in(&p.text))
            .or(example.map(|r| r.status))
            .unwrap_or(200);
        if status == 204 {
            return (status, Response::Empty);
        }
        let example_is_list = example
            .and_then(|r| r.body.as_ref())
            .and_then(|b| b.value())
            .is_some_and(|v| v.get("value").is_some_and(Value::is_array));
        let content_type = example
            .and_then(|r| header(&r.headers, "content-type"))
            .map(|h| h.value.as_str());
        if content_type.is_some_and(|c| !c.to_lowercase().contains("json")) {
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

    fn example(
        &mut self,
        page: &Page,
        example: &parse::Example,
        operations: &mut [Operation],
        test_scope: &mut Scope,
    ) {
        let request = &example.request;
        let Some(path) = self.example_path(page, request) else {
            return;
        };
        let matched = Some(&path).and_then(|path| {
            let capture = |same_method: bool| {
                operations.iter().position(|op| {
                    (!same_method || op.method.eq_ignore_ascii_case(&request.method))
                        && op.path.capture(path).is_some()
                })
            };
            capture(true)
                .or_else(|| capture(false))
                .map(|i| (i, operations[i].path.capture(path).unwrap_or_default()))
        });
        let (index, path_args) = match matched {
            Some((index, args)) => (index, Some(args)),
            None => {
                let documented: Vec<&str> =
                    operations.iter().map(|op| op.path.text.as_str()).collect();
                self.diagnostics.warn(
                    request.url_source.clone(),
                    codes::UNMATCHED_URL,
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
                    Some(index) => (index, None),
                    None => return,
                }
            }
        };
        let operation = &operations[index];
        if !operation.method.eq_ignore_ascii_case(&request.method) {
            self.diagnostics.warn(
                request.url_source.clone(),
                codes::METHOD_MISMATCH,
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
        self.check_content_length(&request.headers, request.body.as_ref());
        if let Some(name) = &request.name {
            match self.example_names.get(name) {
                Some(first) => {
                    let first = first.clone();
                    self.diagnostics.warn(
                        request.source.clone(),
                        codes::DUPLICATE_EXAMPLE,
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

        let (body, body_skipped) = match (&request.body, &operation.body) {
            (None, _) => (None, None),
            (Some(json), None) => {
                self.diagnostics.warn(
                    json.source.clone(),
                    codes::UNEXPECTED_BODY,
                    "example request has a body, but the page documents no request body",
                    "document the body in the \"Request body\" section, or remove it from the example",
                );
                (
                    None,
                    Some("the page documents no request body (GD0307)".to_owned()),
                )
            }
            (Some(json), Some(ty)) => match self.example_json(json, &request.headers) {
                Ok((value, text)) => match self.typed_example(value, text, ty, json) {
                    Ok(body) => (Some(body), None),
                    Err(reason) => (None, Some(reason)),
                },
                Err(reason) => (None, Some(reason)),
            },
        };
        let response = example
            .response
            .as_ref()
            .map(|r| self.example_response(r, operation));
        operations[index].examples.push(Example {
            test_name,
            source: request.source.clone(),
            request: ExampleRequest {
                method: request.method.clone(),
                url: request.url.clone(),
                path_args,
                body,
                body_skipped,
            },
            response,
        });
    }

    /// The example URL's path without scheme, host, API version and query. Backslashes
    /// and a missing version are reported; when the version is missing, whatever comes
    /// before a documented path is dropped. `None` for a URL on another host (a callback
    /// or notification endpoint, not a request of this API).
    fn example_path(&mut self, page: &Page, request: &parse::ExampleRequest) -> Option<String> {
        let text = request.url.trim();
        let url = Url::parse(text);
        if let Some(host) = &url.host
            && !self.base_url.starts_with(host.as_str())
        {
            self.diagnostics.push(
                request.url_source.clone(),
                Severity::Note,
                codes::OTHER_HOST,
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
            self.diagnostics.warn(
                source,
                codes::EXAMPLE_URL,
                format!("example URL `{text}` contains a backslash"),
                "separate URL segments with `/`",
            );
        }
        if url.version.is_some() || url.host.is_none() {
            return Some(url.path);
        }
        self.diagnostics.warn(
            request.url_source.clone(),
            codes::EXAMPLE_URL,
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

    /// A `Content-Length` header must count the body's bytes.
    fn check_content_length(&mut self, headers: &[parse::Header], body: Option<&parse::Json>) {
        let Some(length) = header(headers, "content-length") else {
            return;
        };
        let Ok(declared) = length.value.trim().parse::<usize>() else {
            return;
        };
        let actual = body.map_or(0, |b| b.text.len());
        if declared != actual {
            let mut source = length.source.clone();
            source.column = length.name.chars().count() as u32 + 3;
            self.diagnostics.warn(
                source,
                codes::CONTENT_LENGTH,
                format!("Content-Length says {declared} bytes, but the body shown has {actual}"),
                "remove the Content-Length header from the example, or make it match the body",
            );
        }
    }

    /// Parses an example body (strict, else repaired), reporting what was wrong with it.
    fn example_json(
        &mut self,
        json: &parse::Json,
        headers: &[parse::Header],
    ) -> Result<(Value, String), String> {
        if let Some(content_type) = header(headers, "content-type")
            && !content_type.value.to_lowercase().contains("json")
        {
            self.diagnostics.warn(
                content_type.source.clone(),
                codes::CONTENT_TYPE,
                format!(
                    "example Content-Type `{}` is not JSON, but the page documents a JSON type for this body",
                    content_type.value
                ),
                "make the example's Content-Type and body JSON, or document the body as not JSON",
            );
            return Err(
                "the example's Content-Type is not JSON, but the operation's type is (GD0318)"
                    .to_owned(),
            );
        }
        let (value, repairs, duplicate_key) = match &json.parsed {
            parse::Parsed::Json {
                value,
                repairs,
                duplicate_key,
            } => (value.clone(), repairs, duplicate_key),
            parse::Parsed::Invalid {
                message,
                line,
                column,
            } => {
                let mut source = json.source.clone();
                source.line += line.saturating_sub(1) as u32;
                source.column = *column as u32;
                self.diagnostics.error(
                    source,
                    codes::INVALID_JSON,
                    format!("example body is not valid JSON: {message}"),
                    "write the example body as strict JSON",
                );
                return Err(format!("the body is not valid JSON (GD0303: {message})"));
            }
        };
        if let Some(key) = duplicate_key {
            let mut source = json.source.clone();
            source.line += line_of_key(&json.text, key);
            self.diagnostics.error(
                source,
                codes::DUPLICATE_KEY,
                format!("example object has the key `{key}` twice"),
                "give each key once per object",
            );
            return Err(format!("an object has the key `{key}` twice (GD0316)"));
        }
        if repairs.is_empty() {
            return Ok((value, json.text.clone()));
        }
        let what: Vec<&str> = repairs.iter().map(|r| r.describe()).collect();
        self.diagnostics.warn(
            json.source.clone(),
            codes::REPAIRED_JSON,
            format!(
                "example body is not strict JSON: it has {}",
                what.join(", ")
            ),
            "write the example body as strict JSON; it was repaired to be tested",
        );
        let text = serde_json::to_string_pretty(&value).unwrap_or_default();
        Ok((value, text))
    }

    /// An example body checked against the type it is declared to be.
    fn typed_example(
        &mut self,
        value: Value,
        text: String,
        ty: &TypeRef,
        json: &parse::Json,
    ) -> Result<ExampleJson, String> {
        if !self.check_declared(&value, ty, json) {
            return Err(
                "values in the example do not have their declared types (GD0310)".to_owned(),
            );
        }
        let undeclared = self.undeclared(&value, ty);
        Ok(ExampleJson {
            text,
            value,
            undeclared,
        })
    }

    fn example_response(
        &mut self,
        response: &parse::ExampleResponse,
        operation: &Operation,
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
            item_undeclared: Vec::new(),
            body_skipped: None,
        };
        let documented = operation.status;
        if (200..300).contains(&response.status) && response.status != documented {
            self.diagnostics.warn(
                response.source.clone(),
                codes::STATUS_MISMATCH,
                format!(
                    "example response status {} differs from the documented {documented}",
                    response.status
                ),
                format!("make the example answer {documented}, or correct the Response section"),
            );
        }
        self.check_content_length(&response.headers, response.body.as_ref());
        let returns_json = matches!(
            operation.response,
            Response::Json { .. } | Response::Collection { .. }
        );
        let Some(json) = &response.body else {
            if returns_json && (200..300).contains(&response.status) {
                self.diagnostics.warn(
                    response.source.clone(),
                    codes::MISSING_RESPONSE_BODY,
                    format!(
                        "example response ({}) has no body, but the page says the operation returns {}",
                        response.status,
                        describe(&operation.response)
                    ),
                    "show the response body, or say in the Response section that nothing is returned",
                );
                out.body_skipped = Some("the example response shows no body (GD0309)".to_owned());
            }
            return out;
        };
        if !(200..300).contains(&response.status) {
            out.body_skipped = Some(format!(
                "the example is an error response ({})",
                response.status
            ));
            return out;
        }
        match &operation.response {
            Response::Empty => {
                out.body_skipped = Some("the operation documents no response body".to_owned())
            }
            Response::Bytes => out.body_skipped = Some("the response is not JSON".to_owned()),
            Response::Json { item } => match self.example_json(json, &response.headers) {
                Ok((value, text)) => {
                    let (value, text) = self.unwrap_value(value, text, item, json);
                    match self.typed_example(value, text, item, json) {
                        Ok(body) => out.body = Some(body),
                        Err(reason) => out.body_skipped = Some(reason),
                    }
                }
                Err(reason) => out.body_skipped = Some(reason),
            },
            Response::Collection { item } => {
                match self.example_json(json, &response.headers) {
                    Ok((value, text)) => match value.get("value").and_then(Value::as_array) {
                        Some(items) => {
                            let conforming = items
                                .iter()
                                .filter(|v| !self.check_declared(v, item, json))
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
                                out.body_skipped = Some("values in the example do not have their declared types (GD0310)".to_owned());
                            }
                        }
                        None => {
                            self.diagnostics.warn(
                                json.source.clone(),
                                codes::WRAPPED_VALUE,
                                "example response of a collection has no `value` array",
                                "return collections as `{\"value\": [ ... ]}`",
                            );
                            out.body_skipped = Some(
                                "the collection is not in a `value` array (GD0306)".to_owned(),
                            );
                        }
                    },
                    Err(reason) => out.body_skipped = Some(reason),
                }
            }
        }
        out
    }

    /// A single object written as `{"value": {...}}` is a doc defect: the service sends
    /// the object itself. The test checks the object.
    fn unwrap_value(
        &mut self,
        value: Value,
        text: String,
        ty: &TypeRef,
        json: &parse::Json,
    ) -> (Value, String) {
        let Some(def) = self.struct_def(ty) else {
            return (value, text);
        };
        let declares_value = def.properties.iter().any(|p| p.wire_name == "value");
        let wire_name = def.wire_name.clone();
        let wrapped = match &value {
            Value::Object(map)
                if !declares_value && map.keys().all(|k| k == "value" || k.starts_with('@')) =>
            {
                map.get("value").filter(|inner| inner.is_object()).cloned()
            }
            _ => None,
        };
        let Some(inner) = wrapped else {
            return (value, text);
        };
        self.diagnostics.warn(
            json.source.clone(),
            codes::WRAPPED_VALUE,
            format!("example response wraps a single `{wire_name}` in `value`"),
            "show the object itself as the response body; only collections are wrapped in `value`",
        );
        let text = serde_json::to_string_pretty(&inner).unwrap_or_default();
        (inner, text)
    }

    /// The type an object is read as: for a base type, the derived type its
    /// `@odata.type` names (matched as the generated code matches it), else the type.
    fn concrete(&self, value: &Value, ty: &TypeRef) -> Option<&TypeDef> {
        let def = self.struct_def(ty)?;
        Some(def.concrete(value, |rust| {
            self.by_rust.get(rust).map(|&i| &self.types[i])
        }))
    }

    fn struct_def(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match ty {
            TypeRef::Struct { rust_name, .. } => {
                self.by_rust.get(rust_name).map(|&i| &self.types[i])
            }
            _ => None,
        }
    }

    /// Top-level keys the generated struct keeps in its additional properties.
    fn undeclared(&self, value: &Value, ty: &TypeRef) -> Vec<String> {
        let (Some(def), Value::Object(map)) = (self.concrete(value, ty), value) else {
            return Vec::new();
        };
        // In the order the struct's map keeps them.
        let mut keys: Vec<String> = map
            .keys()
            .filter(|k| *k != "@odata.type" && !def.properties.iter().any(|p| &p.wire_name == *k))
            .cloned()
            .collect();
        keys.sort();
        keys
    }

    /// Reports example properties that the type's tables do not list, and values that
    /// do not have their declared type, at any depth. False when a value has the wrong
    /// type (the example cannot deserialize).
    fn check_declared(&mut self, value: &Value, ty: &TypeRef, json: &parse::Json) -> bool {
        let mut problems = Vec::new();
        self.find_problems(value, ty, "", &mut problems);
        let mut conforming = true;
        for problem in problems {
            let mut source = json.source.clone();
            match problem {
                Problem::Undeclared { key, owner } => {
                    source.line += line_of_key(&json.text, &key);
                    self.diagnostics.warn(
                        source,
                        codes::UNDECLARED_PROPERTY,
                        format!(
                            "example property `{key}` is not a documented property of `{owner}`"
                        ),
                        format!("add `{key}` to the `{owner}` property table, or fix its spelling"),
                    );
                }
                Problem::UnknownMember { key, value, owner } => {
                    source.line += line_of_key(&json.text, key.rsplit('.').next().unwrap_or(&key));
                    self.diagnostics.warn(
                        source,
                        codes::UNKNOWN_MEMBER,
                        format!("example value `{value}` at `{key}` is not a member of `{owner}`"),
                        format!(
                            "use one of the members the `{owner}` page lists, or add this one there"
                        ),
                    );
                }
                Problem::NotDerived { key, named, owner } => {
                    source.line += line_of_key(&json.text, "@odata.type");
                    self.diagnostics.warn(
                        source,
                        codes::NOT_DERIVED,
                        format!("example `{key}` names `{named}`, which is not `{owner}` nor derived from it; it is read as `{owner}`"),
                        format!("name `{owner}` or a type derived from it, or make `{named}` inherit from `{owner}`"),
                    );
                }
                Problem::WrongType {
                    key,
                    expected,
                    found,
                } => {
                    conforming = false;
                    source.line += line_of_key(&json.text, key.rsplit('.').next().unwrap_or(&key));
                    self.diagnostics.error(
                        source,
                        codes::WRONG_VALUE_TYPE,
                        format!("example value {found} at `{key}` is not a {expected}"),
                        format!("write a {expected} value, as the property table declares"),
                    );
                }
            }
        }
        conforming
    }

    /// What is wrong with `value` as a `ty`, at any depth. An object's `@odata.type`,
    /// when it names a documented type (a derived one, say), is the type it is checked
    /// against.
    fn find_problems(&self, value: &Value, ty: &TypeRef, at: &str, out: &mut Vec<Problem>) {
        let wrong = |expected: &str| Problem::WrongType {
            key: if at.is_empty() {
                "$".to_owned()
            } else {
                at.to_owned()
            },
            expected: expected.to_owned(),
            found: describe_value(value),
        };
        match (ty, value) {
            (_, Value::Null) | (TypeRef::Json | TypeRef::Foreign { .. }, _) => {}
            (TypeRef::Collection { item }, Value::Array(items)) => {
                for (i, v) in items.iter().enumerate() {
                    self.find_problems(v, item, &format!("{at}[{i}]"), out);
                }
            }
            (TypeRef::Collection { .. }, _) => out.push(wrong("collection (JSON array)")),
            (TypeRef::Struct { .. }, Value::Object(map)) => {
                let Some(def) = self.concrete(value, ty) else {
                    return;
                };
                if let Some(name) = map.get("@odata.type").and_then(Value::as_str)
                    && odata_short_name(name) != def.wire_name
                    && let Some(Named::Struct(other)) = self.lookup_name(odata_short_name(name))
                {
                    out.push(Problem::NotDerived {
                        key: if at.is_empty() {
                            "@odata.type".to_owned()
                        } else {
                            format!("{at}.@odata.type")
                        },
                        named: self.types[other].wire_name.clone(),
                        owner: def.wire_name.clone(),
                    });
                }
                for (key, v) in map {
                    if key.starts_with('@') || key.contains("@odata.") {
                        continue;
                    }
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    match def.properties.iter().find(|p| &p.wire_name == key) {
                        Some(p) => self.find_problems(v, &p.ty, &path, out),
                        None => out.push(Problem::Undeclared {
                            key: key.clone(),
                            owner: def.wire_name.clone(),
                        }),
                    }
                }
            }
            (TypeRef::Struct { wire_name, .. }, _) => {
                out.push(wrong(&format!("`{wire_name}` object")))
            }
            // Any string deserializes (values the docs do not list are kept as
            // `Undocumented`), but a value the docs do not list is worth a finding.
            (
                TypeRef::Enum {
                    wire_name, flags, ..
                },
                Value::String(text),
            ) => {
                let Some(Named::Enum(i)) = self.lookup_name(wire_name) else {
                    return;
                };
                let members = &self.enums[i].members;
                // Flag enums are written as comma-separated members.
                let parts: Vec<&str> = if *flags {
                    text.split(',')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .collect()
                } else {
                    vec![text.as_str()]
                };
                for part in parts {
                    if !members.iter().any(|m| m.wire_name == part) {
                        out.push(Problem::UnknownMember {
                            key: if at.is_empty() {
                                "$".to_owned()
                            } else {
                                at.to_owned()
                            },
                            value: part.to_owned(),
                            owner: wire_name.clone(),
                        });
                    }
                }
            }
            (TypeRef::Enum { wire_name, .. }, _) => {
                out.push(wrong(&format!("`{wire_name}` value (a string)")))
            }
            (TypeRef::Primitive { name }, value) => {
                if !primitive_accepts(*name, value) {
                    out.push(wrong(&format!("{name:?}")));
                }
            }
        }
    }
}

enum Problem {
    Undeclared {
        key: String,
        owner: String,
    },
    UnknownMember {
        key: String,
        value: String,
        owner: String,
    },
    WrongType {
        key: String,
        expected: String,
        found: String,
    },
    /// An `@odata.type` naming a documented type that is not the declared one or
    /// derived from it.
    NotDerived {
        key: String,
        named: String,
        owner: String,
    },
}

/// A JSON value in a finding: short, and with its kind.
fn describe_value(value: &Value) -> String {
    let text = value.to_string();
    let text = if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    };
    format!("`{text}`")
}

/// Whether a JSON value is a valid wire form of an Edm primitive, as the generated
/// types will read it.
fn primitive_accepts(primitive: Primitive, value: &Value) -> bool {
    let integer_in = |min: i64, max: i64| value.as_i64().is_some_and(|n| (min..=max).contains(&n));
    let text_is = |valid: fn(&str) -> bool| value.as_str().is_some_and(valid);
    match primitive {
        Primitive::String | Primitive::Stream => value.is_string(),
        Primitive::Guid => text_is(|s| uuid::Uuid::parse_str(s).is_ok()),
        Primitive::Binary => text_is(|s| wire::Binary::decode(s).is_ok()),
        Primitive::Duration => text_is(|s| wire::Duration::parse(s).is_ok()),
        Primitive::Decimal => value.is_number() || text_is(|s| wire::Decimal::parse(s).is_ok()),
        Primitive::Boolean => value.is_boolean(),
        Primitive::Byte => integer_in(0, 255),
        Primitive::SByte => integer_in(-128, 127),
        Primitive::Int16 => integer_in(i16::MIN.into(), i16::MAX.into()),
        Primitive::Int32 => integer_in(i32::MIN.into(), i32::MAX.into()),
        Primitive::Int64 => {
            value.is_i64() || value.is_u64() && value.as_u64().is_some_and(|n| n <= i64::MAX as u64)
        }
        Primitive::Single | Primitive::Double => value.is_number(),
        Primitive::DateTimeOffset => value
            .as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
        Primitive::Date => value
            .as_str()
            .is_some_and(|s| s.parse::<chrono::NaiveDate>().is_ok()),
        Primitive::TimeOfDay => value
            .as_str()
            .is_some_and(|s| s.parse::<chrono::NaiveTime>().is_ok()),
    }
}

/// Points references to base types at their `AnyX` enum, at any depth.
fn set_any_name(ty: &mut TypeRef, any_names: &HashMap<String, String>) {
    match ty {
        TypeRef::Struct {
            rust_name,
            any_name,
            ..
        } => *any_name = any_names.get(rust_name).cloned(),
        TypeRef::Collection { item } => set_any_name(item, any_names),
        TypeRef::Primitive { .. }
        | TypeRef::Enum { .. }
        | TypeRef::Foreign { .. }
        | TypeRef::Json => {}
    }
}

/// An enumeration whose members combine: its page says "flag(s)", or its members'
/// values are distinct powers of two beyond 1 and 2 (1, 2, 4, ...), which is how flag
/// values are numbered.
fn is_flag_enum(description: &str, members: &[parse::Member]) -> bool {
    let says_flags = description
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("flag") || w.eq_ignore_ascii_case("flags"));
    let values: Vec<i64> = members.iter().filter_map(|m| m.value).collect();
    let powers_of_two = values.len() == members.len()
        && values.iter().filter(|&&v| v != 0).count() >= 3
        && values
            .iter()
            .all(|&v| v == 0 || (v > 0 && v.count_ones() == 1))
        && values.iter().collect::<HashSet<_>>().len() == values.len();
    says_flags || powers_of_two
}

fn type_name_of(page: &Page) -> String {
    if let Some(odata) = &page.odata_type {
        return odata_short_name(odata).to_owned();
    }
    let title_word = page
        .title
        .split_whitespace()
        .next()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty());
    match title_word {
        Some(word) => word.rsplit('.').next().unwrap_or(word).to_owned(),
        None => file_stem(&page.file),
    }
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
    }
}

/// The page named after the type it documents (`user.md` for `user`).
fn is_home_page(page: &Page, wire_name: &str) -> bool {
    file_stem(&page.file).eq_ignore_ascii_case(wire_name)
}

/// The literal segments a path starts with, up to its first parameter (at most two):
/// what tells one of a page's paths from another.
fn path_prefix(path: &str) -> String {
    let url = Url::parse(path);
    url.path
        .split('/')
        .filter(|s| !s.is_empty())
        .take_while(|s| !s.contains(['{', '<']))
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "collection" as a word (`String collection`, `Collection(x)`, "a collection of"), not
/// inside a type name such as `choiceSettingCollectionDefinition`.
fn says_collection(lower: &str) -> bool {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "collection")
}

fn file_stem(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name).to_owned()
}

/// The first `2xx`-`5xx` number in prose such as "returns a `201 Created` response".
fn status_in(text: &str) -> Option<u16> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 3)
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|n| (200..600).contains(n))
}

/// Lines after the body's first line where `"key"` first appears.
fn line_of_key(text: &str, key: &str) -> u32 {
    let needle = format!("\"{key}\"");
    text.find(&needle)
        .map_or(0, |at| text[..at].matches('\n').count() as u32)
}

/// The scheme, host and version most example URLs use.
fn base_url(pages: &[Page]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for example in pages.iter().flat_map(|p| &p.examples) {
        let url = Url::parse(&example.request.url);
        if let Some(host) = url.host {
            let root = match url.version {
                Some(version) => format!("{host}/{version}"),
                None => host,
            };
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
    }
}
