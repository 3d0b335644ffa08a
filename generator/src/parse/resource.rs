//! Resource pages: properties, relationships, "Inherits from", and enumerations.

use super::*;

impl<'a> Reader<'a> {
    pub(super) fn resource(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
        // Both tables hold properties, and pages head either's name column either way.
        const NAME_COLUMNS: &[&str] = &[
            "property",
            "property name",
            "relationship",
            "relationship name",
            "name",
        ];
        // `## Properties`, or `## operationError Properties` on the page of
        // `operationError`; a page may split them over several such headings.
        let own = page
            .title
            .split_whitespace()
            .next()
            .map(|name| format!("{} properties", name.to_lowercase()));
        let names: Vec<&str> = ["properties"].into_iter().chain(own.as_deref()).collect();
        let properties = self.top_sections(&names);
        if properties.is_empty() {
            diagnostics.report(
                page.source.clone(),
                Finding::MissingSection,
                "resource page has no \"Properties\" section",
                "add `## Properties` with a Property | Type | Description table",
            );
        }
        let relationships = self.top_sections(&["relationships"]);
        let own_name = own.as_deref().and_then(|o| o.strip_suffix(" properties"));
        for section in properties.iter().chain(&relationships) {
            for (table, about) in section.tables_about(own_name.unwrap_or_default()) {
                match about {
                    None => {
                        page.properties
                            .extend(self.property_rows(table, NAME_COLUMNS, diagnostics))
                    }
                    Some(heading) => diagnostics.report(
                        self.source(table.offset),
                        Finding::OtherTable,
                        format!(
                            "table under \"{}\" documents something else than this type: \
                             not read as its properties",
                            heading.text
                        ),
                        "nothing to do if the table describes a value's contents; move it \
                         out of Properties otherwise",
                    ),
                }
            }
        }
        // The resource's annotation (`"blockType": "resource"`) says its type and base
        // wherever it stands; else the JSON representation's first block is the resource.
        let annotation_of = |code: &Code| {
            let annotation = code.annotation.as_ref()?;
            Some((
                crate::json::parse(&annotation.text).ok()?.0,
                annotation.offset,
            ))
        };
        let everything = Section {
            blocks: &self.doc.blocks,
        };
        let (representation, annotation) = match everything.codes().find_map(|code| {
            let (value, offset) = annotation_of(code)?;
            let is_resource = value.get("blockType")?.as_str()? == "resource";
            is_resource.then_some((code, (value, offset)))
        }) {
            Some((code, annotation)) => (Some(code), Some(annotation)),
            None => {
                let code = self
                    .section(&["json representation"])
                    .and_then(|s| s.codes().next());
                (code, code.and_then(annotation_of))
            }
        };
        let annotated = |key: &str| {
            annotation
                .as_ref()
                .and_then(|(v, _)| v.get(key)?.as_str().map(str::to_owned))
        };
        // "Inherits from" in the text, else the representation's `baseType` annotation,
        // which is where many pages say it.
        page.derived = self.base_for();
        page.base = self.inherits_from().or_else(|| {
            Some(TypeMention {
                name: annotated("baseType")?,
                target: None,
                section: None,
                source: self.source(annotation.as_ref()?.1),
            })
        });
        let represented = representation.and_then(|code| crate::json::parse(&code.text).ok());
        // `@type` is the older spelling of the annotation's `@odata.type`.
        page.odata_type = annotated("@odata.type")
            .or_else(|| annotated("@type"))
            .or_else(|| {
                let (value, _) = represented.as_ref()?;
                value.get("@odata.type")?.as_str().map(str::to_owned)
            });
        page.representation_keys = represented
            .as_ref()
            .and_then(|(value, _)| value.as_object())
            .map(|object| object.keys().cloned().collect())
            .unwrap_or_default();
    }

    /// The base type named after "Inherits from" (or "derived from", "a subclass of"),
    /// linked or as a plain word.
    pub(super) fn inherits_from(&self) -> Option<TypeMention> {
        for block in &self.doc.blocks {
            let Block::Paragraph(p) = block else { continue };
            let lower = p.text.to_ascii_lowercase();
            let Some((at, phrase)) = [
                "inherits from",
                "derived from",
                "derives from",
                "subclass of",
                "subclass from",
            ]
            .iter()
            .find_map(|phrase| Some((lower.find(phrase)?, phrase))) else {
                continue;
            };
            let rest = &p.text[at + phrase.len()..];
            // The first type linked after the phrase ("inherits from the abstract base
            // type [x](x.md)"), its text a whole word there (a link `teamsApp` elsewhere
            // in the paragraph is not the `teamsAppInstallation` after the phrase);
            // without a link, the next word, for "inherits from" only ("derived from a
            // machine learning process" names no type).
            let sentence = rest.split(". ").next().unwrap_or(rest);
            let linked = p
                .links
                .iter()
                .filter(|l| !l.text.is_empty())
                .filter_map(|l| Some((find_word(sentence, &l.text)?, l)))
                .min_by_key(|(at, _)| *at);
            if let Some((_, link)) = linked {
                return Some(self.mention(link));
            }
            if *phrase != "inherits from" {
                continue;
            }
            let word = rest
                .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_'))
                .find(|w| !w.is_empty() && !["the", "a", "an"].contains(w))?;
            // "... inherits from this base type" is about another type.
            if word == "this" {
                continue;
            }
            return Some(TypeMention {
                name: word.trim_end_matches('.').to_owned(),
                target: None,
                section: None,
                source: self.source(p.offset),
            });
        }
        None
    }

    /// The types a base page says derive from it: the links that follow "base class
    /// for", "base type for" or "inherited by" ("an abstract base type for [a](a.md) and
    /// [b](b.md)"), up to the end of the sentence. A link must come right after the
    /// phrase: "a base class for defining users who ..." lists no type.
    pub(super) fn base_for(&self) -> Vec<TypeMention> {
        let mut derived = Vec::new();
        for block in &self.doc.blocks {
            let Block::Paragraph(p) = block else { continue };
            let lower = p.text.to_ascii_lowercase();
            for phrase in ["base class for", "base type for", "inherited by"] {
                let Some(at) = lower.find(phrase).map(|at| at + phrase.len()) else {
                    continue;
                };
                let rest = &p.text[at..];
                let sentence = rest.split(". ").next().unwrap_or(rest);
                let linked: Vec<_> = p
                    .links
                    .iter()
                    .filter(|l| !l.text.is_empty() && sentence.contains(l.text.as_str()))
                    .collect();
                let listed = linked
                    .first()
                    .is_some_and(|first| sentence.trim_start().starts_with(first.text.as_str()));
                if listed {
                    derived.extend(linked.into_iter().map(|l| self.mention(l)));
                }
            }
        }
        derived
    }

    /// Enumerations: each `xxx values` sub-section's table (on any page), and, on an
    /// enum page without such sub-sections, the Members table as the page's own enum.
    pub(super) fn enumerations(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
        let blocks = &self.doc.blocks;
        for (i, block) in blocks.iter().enumerate() {
            let Block::Heading { inline, .. } = block else {
                continue;
            };
            let key = heading_key(&inline.text);
            let Some(name) = key.strip_suffix(" values").filter(|n| is_identifier(n)) else {
                continue;
            };
            // The heading's own spelling of the name, not the lowercased key.
            let name = inline
                .text
                .split_whitespace()
                .next()
                .unwrap_or(name)
                .to_owned();
            let table = blocks[i + 1..]
                .iter()
                .take_while(|b| !matches!(b, Block::Heading { .. }))
                .find_map(|b| match b {
                    Block::Table(t) => Some(t),
                    _ => None,
                });
            if let Some(table) = table {
                let members = self.members(table);
                if !members.is_empty() {
                    page.enums.push(EnumBlock {
                        name: Some(name),
                        members,
                        source: self.source(inline.offset),
                    });
                }
            }
        }
        if page.kind != PageKind::Enum || !page.enums.is_empty() {
            return;
        }
        let tables: Vec<&Table> = match self.section(&["members", "values"]) {
            Some(section) => section.tables().collect(),
            None => blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Table(t) => Some(t),
                    _ => None,
                })
                .collect(),
        };
        let members: Vec<Member> = tables.into_iter().flat_map(|t| self.members(t)).collect();
        if members.is_empty() {
            diagnostics.report(
                page.source.clone(),
                Finding::MissingSection,
                "enum page has no Members table",
                "add `## Members` with a Member | Description table",
            );
            return;
        }
        page.enums.push(EnumBlock {
            name: None,
            members,
            source: page.source.clone(),
        });
    }

    pub(super) fn members(&self, table: &Table) -> Vec<Member> {
        let Some(name_col) = column(table, &["member", "value", "name", "members"]) else {
            return Vec::new();
        };
        let description_col = column_prefix(table, "description");
        let value_col = column(table, &["value"]).filter(|&c| c != name_col);
        let mut members = Vec::new();
        for row in &table.rows {
            let Some(cell) = row.get(name_col) else {
                continue;
            };
            let name = cell.text.trim().trim_matches('`').trim();
            if name.is_empty() {
                continue;
            }
            members.push(Member {
                name: name.to_owned(),
                value: value_col
                    .and_then(|c| row.get(c))
                    .and_then(|c| c.text.trim().trim_matches('`').parse().ok()),
                description: description_col
                    .and_then(|c| row.get(c))
                    .map(|c| c.text.clone())
                    .unwrap_or_default(),
                source: self.source(cell.offset),
            });
        }
        members
    }
}

/// Where `word` first stands in `text` as a whole word (not inside a longer name).
fn find_word(text: &str, word: &str) -> Option<usize> {
    let is_name = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(is_name) && !after.is_some_and(is_name)
    })
}
