//! One page of docs to a [`Page`]: what the page says, before anything is resolved
//! across pages. Sections are found by heading text (any case, any level) and tables are
//! read by column name, so that hand-written pages read like machine-written ones.

mod api;
mod front_matter;
pub mod http;
pub mod markdown;
mod options;
mod page;
mod resource;
mod sections;

pub use front_matter::{GENERAL_AREA, product};
pub use page::*;

use std::sync::Arc;

use crate::diagnostics::{Code as Finding, Diagnostics, Source};
use markdown::{Block, Code, Document, Inline, LineIndex, Table};
use sections::{Section, heading_key, key_matches};

/// Reads one page. `file` is its path relative to the docs root, with `/` separators.
pub fn page(file: &str, text: &str, diagnostics: &mut Diagnostics) -> Page {
    let index = LineIndex::new(text);
    let doc = markdown::parse(text);
    let reader = Reader::new(file, &index, &doc);
    let front = reader.front_matter(diagnostics);

    let h1 = doc.blocks.iter().find_map(|b| match b {
        Block::Heading { level: 1, inline } => Some(inline),
        _ => None,
    });
    let title = h1
        .map(|h| h.text.clone())
        .or_else(|| front.title.clone())
        .unwrap_or_default();
    let source = reader.source(h1.map_or(0, |h| h.offset));
    let kind = reader.kind(&front, diagnostics);

    let mut page = Page {
        file: file.to_owned(),
        kind,
        title,
        description: front.description.unwrap_or_default(),
        intro: reader.intro(),
        product: product(front.product.as_deref()),
        subservice: front
            .subservice
            .as_deref()
            .map(|s| product(Some(s)))
            .filter(|s| s != GENERAL_AREA),
        source,
        odata_type: None,
        representation_keys: Vec::new(),
        namespace: reader.namespace(),
        templates: Vec::new(),
        permissions: Vec::new(),
        permission_includes: Vec::new(),
        query: QueryDoc::default(),
        headers: Vec::new(),
        body_prose: Vec::new(),
        body_rows: Vec::new(),
        response_prose: Vec::new(),
        examples: Vec::new(),
        properties: Vec::new(),
        base: None,
        derived: Vec::new(),
        enums: Vec::new(),
        links: Vec::new(),
    };
    match kind {
        PageKind::Api => reader.api(&mut page, diagnostics),
        PageKind::Resource => reader.resource(&mut page, diagnostics),
        PageKind::Conceptual | PageKind::Unknown => diagnostics.report(
            page.source.clone(),
            Finding::Conceptual,
            "conceptual page: it documents no operation or type",
            "nothing to do unless the page is meant to document an API",
        ),
        PageKind::Enum => {}
    }
    reader.enumerations(&mut page, diagnostics);
    page.links = reader.page_links();
    page
}

/// Reads the permissions of the fragments `page` includes in its Permissions section;
/// `load` gives a fragment's text by its docs-root path. Findings in a fragment are
/// located in the fragment; a fragment that does not exist is a finding on the
/// including line.
pub fn include_fragments(
    page: &mut Page,
    load: impl Fn(&str) -> Option<String>,
    diagnostics: &mut Diagnostics,
) {
    for include in std::mem::take(&mut page.permission_includes) {
        let Some(text) = load(&include.target) else {
            diagnostics.report(
                include.source.clone(),
                Finding::MissingInclude,
                format!("included fragment `{}` does not exist", include.target),
                "add the fragment, or write the permissions table on the page",
            );
            page.permission_includes.push(include);
            continue;
        };
        let index = LineIndex::new(&text);
        let doc = markdown::parse(&text);
        let reader = Reader::new(&include.target, &index, &doc);
        for block in &doc.blocks {
            if let Block::Table(table) = block {
                reader.permissions(table, page, diagnostics);
            }
        }
        page.permission_includes.push(include);
    }
}

/// A fragment other pages include, not a page: docfx keeps them in `includes` folders.
pub fn is_fragment(file: &str) -> bool {
    file.split('/').any(|segment| segment == "includes")
}

struct Reader<'a> {
    /// The page's path, shared by every source on it.
    file: Arc<str>,
    index: &'a LineIndex<'a>,
    doc: &'a Document,
    /// Each block's heading as compared ([`heading_key`]); empty for other blocks. Made
    /// once: every section is looked up by it.
    heading_keys: Vec<String>,
}

impl<'a> Reader<'a> {
    fn new(file: &'a str, index: &'a LineIndex<'a>, doc: &'a Document) -> Reader<'a> {
        let heading_keys = doc
            .blocks
            .iter()
            .map(|block| match block {
                Block::Heading { inline, .. } => heading_key(&inline.text),
                _ => String::new(),
            })
            .collect();
        Reader {
            file: Arc::from(file),
            index,
            doc,
            heading_keys,
        }
    }
}

impl<'a> Reader<'a> {
    fn source(&self, offset: usize) -> Source {
        let (line, column) = self.index.position(offset);
        Source::in_file(&self.file, line, column)
    }

    /// The namespace a paragraph "Namespace: microsoft.graph.termStore" states.
    /// The first paragraph after the title and before the next heading that is prose:
    /// not "Namespace: ...", an `[!INCLUDE ...]`, or a note.
    fn intro(&self) -> String {
        let after_title = self
            .doc
            .blocks
            .iter()
            .skip_while(|b| !matches!(b, Block::Heading { level: 1, .. }))
            .skip(1)
            .take_while(|b| !matches!(b, Block::Heading { .. }));
        after_title
            .filter_map(|block| match block {
                Block::Paragraph(p) => Some(p.text.trim()),
                _ => None,
            })
            .find(|text| {
                let lower = text.to_ascii_lowercase();
                !text.is_empty()
                    && !lower.starts_with("namespace:")
                    && !lower.contains("[!include")
                    && !lower.starts_with("[!")
                    && !lower.starts_with("note")
                    && !lower.starts_with("important")
            })
            .map(str::to_owned)
            .unwrap_or_default()
    }

    fn namespace(&self) -> Option<String> {
        self.doc.blocks.iter().find_map(|block| {
            let Block::Paragraph(p) = block else {
                return None;
            };
            let (label, rest) = p.text.split_once(':')?;
            if !label.trim().eq_ignore_ascii_case("namespace") {
                return None;
            }
            let namespace = rest.split_whitespace().next()?.trim_end_matches('.');
            let is_dotted_name = !namespace.is_empty()
                && namespace.split('.').all(|part| {
                    !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
                });
            is_dotted_name.then(|| namespace.to_owned())
        })
    }

    fn mention(&self, link: &markdown::Link) -> TypeMention {
        TypeMention {
            name: link.text.trim_matches('`').to_owned(),
            target: resolve_link(&self.file, &link.target),
            section: link
                .target
                .split_once('#')
                .map(|(_, section)| section.trim().to_lowercase())
                .filter(|section| !section.is_empty()),
            source: self.source(link.offset),
        }
    }

    /// Relative links to pages, from paragraphs, headings and table cells.
    fn page_links(&self) -> Vec<TypeMention> {
        let mut links = Vec::new();
        for block in &self.doc.blocks {
            let inlines: Vec<&Inline> = match block {
                Block::Heading { inline, .. } | Block::Paragraph(inline) => vec![inline],
                Block::Table(table) => table
                    .header
                    .iter()
                    .chain(table.rows.iter().flatten())
                    .collect(),
                Block::Code(_) => Vec::new(),
            };
            for inline in inlines {
                // `[!INCLUDE [name](path)]` is a docfx include of shared text, not a link.
                if inline.text.to_ascii_lowercase().contains("!include") {
                    continue;
                }
                links.extend(
                    inline
                        .links
                        .iter()
                        .map(|l| self.mention(l))
                        .filter(|m| m.target.is_some()),
                );
            }
        }
        links
    }

    fn prose(&self, inline: &Inline) -> Prose {
        Prose {
            text: inline.text.clone(),
            mentions: inline.links.iter().map(|l| self.mention(l)).collect(),
            source: self.source(inline.offset),
        }
    }
}

/// Fences that may hold an HTTP request or response: `http`, unlabelled, or a label that
/// names no programming or data language (`msgraph-interactive`, say).
fn is_http_fence(info: &str) -> bool {
    const OTHER: &[&str] = &[
        "json",
        "javascript",
        "js",
        "typescript",
        "ts",
        "csharp",
        "cs",
        "c#",
        "java",
        "objc",
        "python",
        "powershell",
        "go",
        "php",
        "ruby",
        "xml",
        "yaml",
        "bash",
        "shell",
        "sh",
        "console",
        "cmd",
        "text",
        "txt",
        "markdown",
        "md",
        "sql",
        "kusto",
        "html",
        "css",
    ];
    let language = info.split_whitespace().next().unwrap_or("");
    !OTHER.contains(&language)
}

fn is_identifier(text: &str) -> bool {
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
}

/// The cells a table line is written with: `|`-separated, outer pipes optional, `\|`
/// and pipes inside backticks not counted.
fn raw_cell_count(line: &str) -> usize {
    let mut cells = 1;
    let mut in_code = false;
    let mut escaped = false;
    // One pipe opens the row and one closes it: `|a|b||` has an empty third cell.
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = match line.strip_suffix('|') {
        Some(inner) if !inner.ends_with('\\') => inner,
        _ => line,
    };
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => cells += 1,
            _ => {}
        }
    }
    cells
}

/// Header cells compared as written in docs: lowercase, without emphasis markers.
fn header_key(cell: &Inline) -> String {
    heading_key(&cell.text.replace(['*', '_'], " "))
}

fn column(table: &Table, names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|name| table.header.iter().position(|h| header_key(h) == *name))
}

fn column_prefix(table: &Table, prefix: &str) -> Option<usize> {
    table
        .header
        .iter()
        .position(|h| header_key(h).starts_with(prefix))
}

/// A relative link target resolved against the linking page's folder, as a docs-root
/// path (`../resources/user.md` from `api/x.md` is `resources/user.md`). Absolute URLs
/// and anchors are not pages.
pub fn resolve_link(from_file: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next()?.trim().replace('\\', "/");
    if target.is_empty()
        || target.contains("://")
        || target.starts_with('/')
        || !target.ends_with(".md")
    {
        return None;
    }
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(file: &str, text: &str) -> (Page, Vec<crate::diagnostics::Diagnostic>) {
        let mut diagnostics = Diagnostics::default();
        let page = page(file, text, &mut diagnostics);
        (page, diagnostics.into_sorted())
    }

    #[test]
    fn api_page_sections_in_any_case_and_level() {
        let (page, diagnostics) = read(
            "api/x-get.md",
            include_str!("test-pages/sections-in-any-case.md"),
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(page.kind, PageKind::Api);
        assert_eq!(page.templates[0].path, "/xs/{id}");
        assert_eq!(page.templates[0].source.line, 7);
        assert_eq!(
            page.permissions[0].scopes,
            ["X.Read.All", "X.ReadWrite.All"]
        );
        assert_eq!(
            page.response_prose[0].mentions[0].target.as_deref(),
            Some("resources/x.md")
        );
        assert_eq!(page.examples.len(), 1);
        assert_eq!(
            page.examples[0]
                .response
                .as_ref()
                .unwrap()
                .body
                .as_ref()
                .unwrap()
                .text,
            "{\"id\": \"1\"}"
        );
    }

    #[test]
    fn responses_after_a_pair_answer_its_request_until_another_example_begins() {
        let (page, findings) = read(
            "api/widget-get.md",
            include_str!("test-pages/further-responses.md"),
        );
        let pairs: Vec<(&str, Option<&str>, u16, u32, bool)> = page
            .examples
            .iter()
            .map(|e| {
                let response = e.response.as_ref().unwrap();
                let name = e.request.name.as_deref();
                (
                    e.request.url.as_str(),
                    name,
                    response.status,
                    response.source.line,
                    e.alternative,
                )
            })
            .collect();
        let url = "https://host/beta/widgets/1";
        assert_eq!(
            pairs,
            [
                (url, Some("get_widget"), 200, 18, false),
                (url, None, 200, 24, true),
                (url, None, 404, 31, true),
            ]
        );
        // Under a new example's heading, a response answers no request shown.
        let unpaired: Vec<u32> = findings
            .iter()
            .filter(|f| f.code == crate::diagnostics::Code::ExamplePairing)
            .map(|f| f.source.line)
            .collect();
        assert_eq!(unpaired, [36], "{findings:?}");
    }

    #[test]
    fn properties_under_every_heading_that_names_them_and_not_under_another_things() {
        let (page, findings) = read(
            "resources/operationerror.md",
            include_str!("test-pages/properties-under-unusual-headings.md"),
        );
        let names: Vec<&str> = page.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["code", "message", "nested", "target", "details"]);
        assert!(
            !findings
                .iter()
                .any(|f| f.code == crate::diagnostics::Code::MissingSection),
            "{findings:?}"
        );
        // The definition's tables are reported, each at its own line.
        let skipped: Vec<u32> = findings
            .iter()
            .filter(|f| f.code == crate::diagnostics::Code::OtherTable)
            .map(|f| f.source.line)
            .collect();
        assert_eq!(skipped, [37, 43], "{findings:?}");
    }

    #[test]
    fn the_resource_annotation_names_the_type_and_its_base_wherever_it_stands() {
        let (page, _) = read(
            "resources/systemfacet.md",
            include_str!("test-pages/resource-annotation-anywhere.md"),
        );
        assert_eq!(
            page.odata_type.as_deref(),
            Some("microsoft.graph.systemFacet")
        );
        assert_eq!(
            page.base.as_ref().map(|b| b.name.as_str()),
            Some("microsoft.graph.facet")
        );
    }

    #[test]
    fn notes_after_a_property_name_go_to_its_docs_and_divider_rows_are_no_properties() {
        let (page, findings) = read(
            "resources/x.md",
            include_str!("test-pages/annotated-names.md"),
        );
        let rows: Vec<(&str, &str)> = page
            .properties
            .iter()
            .map(|p| (p.name.as_str(), p.description.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("action", "Deprecated. What was done. Use activity instead."),
                ("score", "Preview."),
                (
                    "display name (in the UI)",
                    "Not a name with a note: the words before it are not one name."
                ),
                ("color", ""),
                ("size", "How big"),
                ("weight", ""),
            ]
        );
        // The divider rows `|**Onboarding**|` and `|**Devices**||` are labels, written as
        // Markdown allows (a short row is padded), and `|color|String||` has its three
        // cells; a row with a cell past the header's loses it, and a property short of
        // a cell is missing one.
        let shapes: Vec<u32> = findings
            .iter()
            .filter(|f| f.code == crate::diagnostics::Code::TableShape)
            .map(|f| f.source.line)
            .collect();
        assert_eq!(shapes, [14, 15], "{findings:?}");
    }

    #[test]
    fn the_base_is_the_link_whose_text_is_a_whole_word_after_inherits_from() {
        let (page, _) = read(
            "resources/userscopeteamsappinstallation.md",
            include_str!("test-pages/inherits-whole-word.md"),
        );
        let base = page.base.expect("a base");
        assert_eq!(base.name, "teamsAppInstallation");
        assert_eq!(
            base.target.as_deref(),
            Some("resources/teamsappinstallation.md")
        );
    }

    #[test]
    fn resource_page_reads_tables_by_column_name() {
        let (page, _) = read(
            "resources/x.md",
            include_str!("test-pages/tables-by-column-name.md"),
        );
        let names: Vec<_> = page.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["displayName", "owner"]);
        assert_eq!(page.properties[0].ty.as_ref().unwrap().text, "String");
        assert_eq!(page.properties[0].description, "The name.");
        assert_eq!(
            page.base.as_ref().unwrap().target.as_deref(),
            Some("resources/entity.md")
        );
    }

    #[test]
    fn todo_permissions_and_unknown_doc_type_are_reported() {
        let (page, diagnostics) = read("api/y.md", include_str!("test-pages/todo-permissions.md"));
        assert_eq!(page.kind, PageKind::Api);
        let codes: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.source.line, d.source.column))
            .collect();
        assert_eq!(
            codes,
            [(Finding::DocType, 2, 1), (Finding::Placeholder, 12, 14)]
        );
    }

    #[test]
    fn included_permissions_are_read_from_the_fragment_and_a_missing_one_is_reported() {
        let (mut page, _) = read(
            "api/x-get.md",
            include_str!("test-pages/permissions-include.md"),
        );
        let mut diagnostics = Diagnostics::default();
        include_fragments(
            &mut page,
            |target| {
                (target == "includes/permissions/x-get-permissions.md")
                    .then(|| include_str!("test-pages/permissions-fragment.md").to_owned())
            },
            &mut diagnostics,
        );
        let scopes: Vec<(&str, Vec<&str>)> = page
            .permissions
            .iter()
            .map(|p| {
                (
                    p.kind.as_str(),
                    p.scopes.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            scopes,
            [
                (
                    "Delegated (work or school account)",
                    vec!["X.Read", "X.ReadWrite.All", "Directory.Read.All"]
                ),
                ("Delegated (personal Microsoft account)", vec![]),
                ("Application", vec!["X.Read.All", "X.ReadWrite.All"]),
            ]
        );
        // Located in the fragment, where the table is.
        let first = &page.permissions[0].source;
        assert_eq!(
            (&*first.file, first.line),
            ("includes/permissions/x-get-permissions.md", 8)
        );
        let found: Vec<_> = diagnostics
            .into_sorted()
            .into_iter()
            .map(|d| (d.code, d.source.file.to_string(), d.source.line))
            .collect();
        assert_eq!(
            found,
            [(Finding::MissingInclude, "api/x-get.md".to_owned(), 13)]
        );
        assert!(is_fragment("includes/permissions/x-get-permissions.md"));
        assert!(!is_fragment("api/x-get.md"));
    }

    #[test]
    fn links_resolve_against_the_page_folder() {
        assert_eq!(
            resolve_link("api/a.md", "../resources/b.md#x").as_deref(),
            Some("resources/b.md")
        );
        assert_eq!(
            resolve_link("api/a.md", "..\\resources\\b.md").as_deref(),
            Some("resources/b.md")
        );
        assert_eq!(resolve_link("api/a.md", "https://x/y.md"), None);
        assert_eq!(resolve_link("a.md", "../../b.md"), None);
    }
}
