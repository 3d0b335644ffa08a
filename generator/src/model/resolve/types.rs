//! Types: every resource and enumeration page declares a type, type cells and prose
//! mentions resolve to them (inheritance is `inheritance.rs`).

use super::*;

impl<'a> Resolver<'a> {
    /// Every resource page declares a struct, named by its JSON representation's
    /// `@odata.type`, else its title's first word, else its file name; every enum block
    /// an enum (an enum page's own block is named the same way).
    ///
    /// A type is its namespace and name: `microsoft.graph.group` and
    /// `microsoft.graph.termStore.group` are two types. The main namespace's pages come
    /// first, so that its types keep the plain names; another namespace's type whose
    /// name the main one has is named with its namespace (`TermStoreGroup`).
    pub(super) fn declare_types(&mut self) {
        let main = self.main_namespace.clone();
        let namespace_of = |page: &Page| stated_namespace(page).unwrap_or_else(|| main.clone());
        let mut pages: Vec<&'a Page> = self.pages.iter().collect();
        pages.sort_by_key(|page| !namespace_of(page).eq_ignore_ascii_case(&main));
        for page in pages {
            if page.kind == PageKind::Resource {
                let wire_name = type_name_of(page);
                let namespace = namespace_of(page);
                let qualified = format!("{namespace}.{wire_name}").to_lowercase();
                // A type documented on several pages (a product's view of a shared type)
                // is one type with the properties of all of them.
                if let Some(&Named::Struct(i)) = self.by_qualified.get(&qualified) {
                    // The note goes on the partial page, the one not named after the type.
                    let first = self.types[i].source.clone();
                    let first_is_home = self
                        .pages
                        .iter()
                        .any(|p| *p.file == *first.file && is_home_page(p, &wire_name));
                    let (partial, home) = if is_home_page(page, &wire_name) && !first_is_home {
                        (first, page.source.clone())
                    } else {
                        (page.source.clone(), first)
                    };
                    self.diagnostics.push(
                        partial,
                        Severity::Note,
                        Code::DuplicateType,
                        format!("type `{wire_name}` is also documented at {home}; the properties of both are merged"),
                        "document each type on one page, or link the partial page to the full one",
                    );
                    self.by_file
                        .insert(page.file.to_lowercase(), Named::Struct(i));
                    continue;
                }
                let in_other_namespace = !namespace.eq_ignore_ascii_case(&main)
                    && matches!(
                        self.by_name.get(&wire_name.to_lowercase()),
                        Some(Named::Struct(_))
                    );
                if in_other_namespace || self.claim_name(&wire_name, &page.source) {
                    let rust_name = if in_other_namespace {
                        let prefix = namespace.rsplit('.').next().unwrap_or_default();
                        self.type_scope
                            .claim(&format!("{prefix} {wire_name}"), Case::Pascal)
                    } else {
                        self.type_scope.claim(&wire_name, Case::Pascal)
                    };
                    self.by_rust.insert(rust_name.clone(), self.types.len());
                    // The representation's `@odata.type`, else the stated namespace's
                    // name (the main namespace is given to the rest later).
                    let odata_type = match (&page.odata_type, &page.namespace) {
                        (Some(t), _) => format!("#{}", t.trim_start_matches('#')),
                        (None, Some(namespace)) => format!("#{namespace}.{wire_name}"),
                        (None, None) => String::new(),
                    };
                    self.types.push(TypeDef {
                        wire_name: wire_name.clone(),
                        rust_name,
                        odata_type,
                        description: page.description.clone(),
                        base: None,
                        properties: Vec::new(),
                        derived: Vec::new(),
                        any_name: None,
                        area: self.area_of(page),
                        features: Vec::new(),
                        part: String::new(),
                        source: page.source.clone(),
                        web: None,
                    });
                    let named = Named::Struct(self.types.len() - 1);
                    if !in_other_namespace {
                        self.by_name.insert(wire_name.to_lowercase(), named);
                    }
                    self.by_qualified.insert(qualified, named);
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
                let mut seen = HashSet::default();
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
                    part: String::new(),
                    source: block.source.clone(),
                    web: None,
                });
                let named = Named::Enum(self.enums.len() - 1);
                self.by_name.insert(wire_name.to_lowercase(), named);
                if block.name.is_none() {
                    self.by_file.insert(page.file.to_lowercase(), named);
                }
            }
        }
        self.declare_prose_enums();
    }

    /// A property whose type cell names a type no page documents, and whose description
    /// lists its values ("Possible values are `low`, `normal`, `high`."), has an enum of
    /// those values rather than untyped JSON: today's pages describe many small enums
    /// that way. A note says the enum has no page.
    fn declare_prose_enums(&mut self) {
        for page in self.pages {
            for row in &page.properties {
                let Some(cell) = row.ty.as_ref().filter(|c| c.link.is_none()) else {
                    continue;
                };
                let name = cell.text.trim().trim_matches('`');
                if !is_plain_name(name)
                    || Primitive::from_name(name).is_some()
                    || self.by_name.contains_key(&name.to_lowercase())
                {
                    continue;
                }
                let values = listed_values(&row.description);
                if values.len() < 2 {
                    continue;
                }
                let mut scope = Scope::default();
                scope.reserve("Undocumented");
                let members = values
                    .iter()
                    .map(|value| EnumMember {
                        wire_name: value.clone(),
                        rust_name: scope.claim(value, Case::Pascal),
                        description: String::new(),
                        source: row.source.clone(),
                    })
                    .collect();
                self.diagnostics.push(
                    row.source.clone(),
                    Severity::Note,
                    Code::UnknownType,
                    format!("type `{name}` has no page; read as an enum of the values the description lists"),
                    "document the enumeration on a page of its own, or in a `### {name} values` table",
                );
                self.enums.push(EnumDef {
                    rust_name: self.type_scope.claim(name, Case::Pascal),
                    wire_name: name.to_owned(),
                    flags: false,
                    description: String::new(),
                    members,
                    area: self.area_of(page),
                    features: Vec::new(),
                    part: String::new(),
                    source: row.source.clone(),
                    web: None,
                });
                self.by_name
                    .insert(name.to_lowercase(), Named::Enum(self.enums.len() - 1));
            }
        }
    }

    /// Whether `wire_name` is still free; a second declaration is reported and skipped.
    pub(super) fn claim_name(&mut self, wire_name: &str, source: &Source) -> bool {
        let Some(existing) = self.by_name.get(&wire_name.to_lowercase()) else {
            return true;
        };
        let other = match existing {
            Named::Struct(i) => &self.types[*i].source,
            Named::Enum(i) => &self.enums[*i].source,
        };
        self.diagnostics.report(
            source.clone(),
            Code::DuplicateType,
            format!("type `{wire_name}` is already documented at {other}"),
            "document each type once; this declaration is not used",
        );
        false
    }

    /// Every relative link on every page must reach a page.
    pub(super) fn check_links(&mut self) {
        for page in self.pages {
            for link in &page.links {
                let Some(target) = &link.target else { continue };
                if !self.files.contains(&target.to_lowercase()) {
                    self.diagnostics.report(
                        link.source.clone(),
                        Code::BrokenLink,
                        format!("link to `{target}` points at no page"),
                        "link to an existing page, relative to this one",
                    );
                }
            }
        }
    }

    /// A page's area: its product (`ms.prod`, else `ms.subservice`); a product too large
    /// for one cargo feature is split by the word that follows the product in its file
    /// names (`intune-apps-...` is in `intune-apps`), which is how such products name
    /// their parts.
    pub(super) fn area_of(&self, page: &Page) -> String {
        let product = match (page.product.as_str(), &page.subservice) {
            (parse::GENERAL_AREA, Some(subservice)) => subservice.as_str(),
            (product, _) => product,
        };
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

    pub(super) fn named_ref(&self, named: Named) -> TypeRef {
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
    pub(super) fn lookup(&mut self, mention: &TypeMention) -> Option<Named> {
        if let Some(target) = &mention.target {
            let key = target.to_lowercase();
            if let Some(&named) = self.by_file.get(&key) {
                // A link into a section of the page (`chat.md#chattype-values`) is about
                // what that section documents: the type its text or the section names.
                let about = mention.section.as_ref().and_then(|section| {
                    self.lookup_name(&mention.name)
                        .or_else(|| self.lookup_name(section.trim_end_matches("-values")))
                });
                return Some(about.unwrap_or(named));
            }
            if !self.files.contains(&key) {
                self.diagnostics.report(
                    mention.source.clone(),
                    Code::BrokenLink,
                    format!("link to `{target}` points at no page"),
                    "link to an existing page, relative to this one",
                );
            }
        }
        self.lookup_name(&mention.name)
    }

    /// The name that finds struct `i` again: its wire name, qualified when another
    /// namespace's type has the plain one.
    pub(super) fn name_of(&self, i: usize) -> String {
        let t = &self.types[i];
        match self.by_name.get(&t.wire_name.to_lowercase()) {
            Some(Named::Struct(found)) if *found != i && !t.odata_type.is_empty() => {
                t.odata_type.trim_start_matches('#').to_owned()
            }
            _ => t.wire_name.clone(),
        }
    }

    /// A type by its name, qualified (`microsoft.graph.termStore.group`, `#` or not) or
    /// not; a qualified name of no known type falls back to its last part.
    pub(super) fn lookup_name(&self, name: &str) -> Option<Named> {
        let name = name.trim().trim_matches('`').trim_start_matches('#');
        let last = name.rsplit('.').next().unwrap_or(name);
        (name.len() > last.len())
            .then(|| self.by_qualified.get(&name.to_lowercase()))
            .flatten()
            .or_else(|| self.by_name.get(&last.to_lowercase()))
            .copied()
    }

    /// A type cell: `String`, `Edm.Int32`, `String collection`, `Collection(x)`,
    /// `Collection of String`,
    /// `[user](user.md)`, a bare type name. Unknown names fall back to untyped JSON.
    pub(super) fn type_cell(&mut self, cell: &TypeCell, row: &PropertyRow) -> TypeRef {
        let source = &row.source;
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
            let target = self.named_ref(named);
            // The text is what the reader sees: `[DateTimeOffset](timestamp.md)` is a
            // DateTimeOffset whose link points at the wrong page. A text that only
            // repeats the property's name (`photo` for `[photo](profilephoto.md)`)
            // names no type, and the target decides.
            let text = link.name.trim();
            let said = match Primitive::from_name(text) {
                Some(name) => Some(TypeRef::Primitive { name }),
                None if text.eq_ignore_ascii_case(&row.name) => None,
                None => self.lookup_name(text).map(|n| self.named_ref(n)),
            };
            if let Some(said) = said
                && said != target
            {
                self.diagnostics.report(
                    link.source.clone(),
                    Code::LinkMismatch,
                    format!(
                        "link text `{text}` names another type than its target `{}`; typed as `{text}`",
                        link.target.as_deref().unwrap_or_default()
                    ),
                    "link the text to its own type's page, or change the text",
                );
                return wrap(said);
            }
            return wrap(target);
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
            .find(|w| {
                !w.is_empty()
                    && !w.eq_ignore_ascii_case("collection")
                    && !w.eq_ignore_ascii_case("of")
            })
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
        self.diagnostics.report(
            source.clone(),
            Code::UnknownType,
            format!("{found} names no documented type; typed as untyped JSON"),
            help,
        );
        wrap(TypeRef::Json)
    }

    /// The documented type (or Edm primitive) name nearest to `word`, if one is close.
    pub(super) fn closest_type_name(&self, word: &str) -> Option<String> {
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
    /// struct has its own field for the first, and a name can only be one field). A
    /// name the JSON representation (`spelled`, its keys) writes in another case is
    /// written as there: JSON names are case-sensitive, and the representation is JSON.
    pub(super) fn properties(
        &mut self,
        rows: &[PropertyRow],
        owner: &str,
        spelled: &[String],
    ) -> Vec<Property> {
        let mut scope = Scope::default();
        scope.reserve(ODATA_TYPE_FIELD);
        scope.reserve(ADDITIONAL_FIELD);
        let mut seen = HashSet::default();
        let mut properties = Vec::new();
        for row in rows {
            if row.name == "@odata.type" {
                continue;
            }
            if !seen.insert(row.name.clone()) {
                self.diagnostics.report(
                    row.source.clone(),
                    Code::DuplicateType,
                    format!("property `{}` of `{owner}` is listed twice", row.name),
                    "list each property once",
                );
                continue;
            }
            let ty = match &row.ty {
                Some(cell) => self.type_cell(cell, row),
                None => TypeRef::Json,
            };
            let respelled = spelled.iter().find(|key| {
                **key != row.name
                    && key.eq_ignore_ascii_case(&row.name)
                    && !rows.iter().any(|r| r.name == **key)
            });
            if let Some(key) = respelled {
                self.diagnostics.report(
                    row.source.clone(),
                    Code::PropertyCase,
                    format!(
                        "property `{}` of `{owner}` is `{key}` in the JSON representation; read as `{key}`",
                        row.name
                    ),
                    format!("write `{key}` in the table"),
                );
            }
            properties.push(Property {
                wire_name: respelled.unwrap_or(&row.name).clone(),
                rust_name: scope.claim(&row.name, Case::Snake),
                ty,
                description: row.description.clone(),
                boxed: false,
                source: row.source.clone(),
            });
        }
        properties
    }

    /// The namespace (with its trailing dot) most documented `@odata.type`s use.
    pub(super) fn namespace(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &self.types {
            if let Some(namespace) = odata_namespace(&t.odata_type) {
                *counts.entry(namespace).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|&(namespace, count)| (count, std::cmp::Reverse(namespace)))
            .map(|(namespace, _)| format!("{namespace}."))
            .unwrap_or_default()
    }
}

/// An enumeration whose members combine: its page says "flag(s)", or its members'
/// values are distinct powers of two beyond 1 and 2 (1, 2, 4, ...), which is how flag
/// values are numbered, and 0, if a member has it, is `none`: the empty set, as flag
/// enumerations name it. A plain member at 0 (`open`, `success`) makes an ordinary
/// enumeration numbered 0, 1, 2, 4 (a combined value of one is still read and written
/// back, as an undocumented value).
pub(super) fn is_flag_enum(description: &str, members: &[parse::Member]) -> bool {
    let says_flags = description
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("flag") || w.eq_ignore_ascii_case("flags"));
    let values: Vec<i64> = members.iter().filter_map(|m| m.value).collect();
    let zero_is_none = members
        .iter()
        .filter(|m| m.value == Some(0))
        .all(|m| m.name.eq_ignore_ascii_case("none"));
    let powers_of_two = values.len() == members.len()
        && zero_is_none
        && values.iter().filter(|&&v| v != 0).count() >= 3
        && values
            .iter()
            .all(|&v| v == 0 || (v > 0 && v.count_ones() == 1))
        && values.iter().collect::<HashSet<_>>().len() == values.len();
    says_flags || powers_of_two
}

pub(super) fn type_name_of(page: &Page) -> String {
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

/// The values a description lists after "possible values are" (or "possible values:"),
/// to the end of its sentence: in backticks when any are, else the words between commas
/// and "and"/"or". Empty when they are not plain identifiers.
fn listed_values(description: &str) -> Vec<String> {
    let lower = description.to_ascii_lowercase();
    let Some(at) = ["possible values are", "possible values:"]
        .iter()
        .find_map(|phrase| Some(lower.find(phrase)? + phrase.len()))
    else {
        return Vec::new();
    };
    let rest = &description[at..];
    let sentence = rest
        .split(". ")
        .next()
        .unwrap_or(rest)
        .trim_end_matches('.');
    let values: Vec<&str> = if sentence.contains('`') {
        sentence.split('`').skip(1).step_by(2).collect()
    } else {
        sentence
            .split([',', ' '])
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'))
            .filter(|w| !w.is_empty() && !["and", "or"].contains(w))
            .collect()
    };
    if values.iter().all(|v| is_plain_name(v)) {
        let mut seen = HashSet::default();
        values
            .into_iter()
            .filter(|v| seen.insert(*v))
            .map(str::to_owned)
            .collect()
    } else {
        Vec::new()
    }
}

/// A name as docs write a type or an enum member: a letter, then letters, digits or `_`.
fn is_plain_name(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_alphabetic)
        && text.chars().all(|c| c.is_alphanumeric() || c == '_')
}
