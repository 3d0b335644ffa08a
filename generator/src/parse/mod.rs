//! One page of docs to a [`Page`]: what the page says, before anything is resolved
//! across pages. Sections are found by heading text (any case, any level) and tables are
//! read by column name, so that hand-written pages read like machine-written ones.

pub mod http;
pub mod markdown;

use serde::Serialize;

use crate::diagnostics::{Diagnostics, Source, codes};
use markdown::{Block, Code, Document, Inline, LineIndex, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    Api,
    Resource,
    Enum,
    Conceptual,
    Unknown,
}

/// A mention of a type: a link (target resolved against the page's folder) or a bare
/// word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeMention {
    pub name: String,
    pub target: Option<String>,
    pub source: Source,
}

/// A type cell such as `[user](user.md) collection` or `Collection(Edm.String)`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeCell {
    pub text: String,
    pub link: Option<TypeMention>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyRow {
    pub name: String,
    pub ty: Option<TypeCell>,
    pub description: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub method: String,
    pub path: String,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Permission {
    pub kind: String,
    pub scopes: Vec<String>,
    pub source: Source,
}

/// A paragraph of prose that may name a type ("returns a [user](...) object").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prose {
    pub text: String,
    pub mentions: Vec<TypeMention>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Json {
    pub text: String,
    pub source: Source,
    /// Parsed here, with the page, so that pages parse their examples in parallel.
    #[serde(skip)]
    pub parsed: Parsed,
}

/// An example body read as JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Json {
        value: serde_json::Value,
        /// Empty for strict JSON.
        repairs: Vec<crate::json::Repair>,
        /// A key that appears twice in one object.
        duplicate_key: Option<String>,
    },
    /// Not JSON even leniently: the strict parser's complaint and where.
    Invalid {
        message: String,
        line: usize,
        column: usize,
    },
}

impl Default for Parsed {
    fn default() -> Self {
        Parsed::Invalid {
            message: String::new(),
            line: 0,
            column: 0,
        }
    }
}

impl Json {
    pub fn new(text: String, source: Source) -> Json {
        let parsed = match crate::json::parse(&text) {
            Ok((value, repairs)) => Parsed::Json {
                value,
                repairs,
                duplicate_key: crate::json::duplicate_key(&text),
            },
            Err(error) => Parsed::Invalid {
                message: error.to_string(),
                line: error.line(),
                column: error.column(),
            },
        };
        Json {
            text,
            source,
            parsed,
        }
    }

    /// The value, when the body is JSON (strict or repaired).
    pub fn value(&self) -> Option<&serde_json::Value> {
        match &self.parsed {
            Parsed::Json { value, .. } => Some(value),
            Parsed::Invalid { .. } => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    pub name: String,
    pub value: String,
    pub source: Source,
}

/// The value of the first header called `name` (any case).
pub fn header<'h>(headers: &'h [Header], name: &str) -> Option<&'h Header> {
    headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleRequest {
    pub method: String,
    pub url: String,
    pub url_source: Source,
    pub headers: Vec<Header>,
    pub body: Option<Json>,
    pub name: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleResponse {
    pub status: u16,
    pub headers: Vec<Header>,
    pub body: Option<Json>,
    pub truncated: bool,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Example {
    pub request: ExampleRequest,
    pub response: Option<ExampleResponse>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub name: String,
    /// The number in a Value column, when the table has one besides the names.
    pub value: Option<i64>,
    pub description: String,
    pub source: Source,
}

/// An enumeration's members; `name` is `None` for the enum an enum page is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumBlock {
    pub name: Option<String>,
    pub members: Vec<Member>,
    pub source: Source,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub file: String,
    pub kind: PageKind,
    pub title: String,
    pub description: String,
    /// The product the page belongs to (see [`product`]).
    pub product: String,
    pub source: Source,
    /// `@odata.type` of the page's JSON representation, when it has one.
    pub odata_type: Option<String>,
    pub templates: Vec<Template>,
    pub permissions: Vec<Permission>,
    /// Request body: prose, property rows, and whether it says there is none.
    pub body_prose: Vec<Prose>,
    pub body_rows: Vec<PropertyRow>,
    pub response_prose: Vec<Prose>,
    pub examples: Vec<Example>,
    pub properties: Vec<PropertyRow>,
    pub base: Option<TypeMention>,
    pub enums: Vec<EnumBlock>,
    /// Every relative link to a page, wherever it is on the page.
    pub links: Vec<TypeMention>,
}

/// Reads one page. `file` is its path relative to the docs root, with `/` separators.
pub fn page(file: &str, text: &str, diagnostics: &mut Diagnostics) -> Page {
    let index = LineIndex::new(text);
    let doc = markdown::parse(text);
    let reader = Reader {
        file,
        index: &index,
        doc: &doc,
    };
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
        product: product(front.product.as_deref()),
        source,
        odata_type: None,
        templates: Vec::new(),
        permissions: Vec::new(),
        body_prose: Vec::new(),
        body_rows: Vec::new(),
        response_prose: Vec::new(),
        examples: Vec::new(),
        properties: Vec::new(),
        base: None,
        enums: Vec::new(),
        links: Vec::new(),
    };
    match kind {
        PageKind::Api => reader.api(&mut page, diagnostics),
        PageKind::Resource => reader.resource(&mut page, diagnostics),
        PageKind::Conceptual | PageKind::Unknown => diagnostics.push(
            page.source.clone(),
            crate::diagnostics::Severity::Note,
            codes::CONCEPTUAL,
            "conceptual page: it documents no operation or type",
            "nothing to do unless the page is meant to document an API",
        ),
        PageKind::Enum => {}
    }
    reader.enumerations(&mut page, diagnostics);
    page.links = reader.page_links();
    page
}

#[derive(Default)]
struct FrontMatter {
    title: Option<String>,
    description: Option<String>,
    doc_type: Option<String>,
    product: Option<String>,
    offset: usize,
}

#[derive(serde::Deserialize)]
struct RawFrontMatter {
    title: Option<serde_yaml::Value>,
    description: Option<serde_yaml::Value>,
    doc_type: Option<serde_yaml::Value>,
    #[serde(rename = "ms.prod")]
    product: Option<serde_yaml::Value>,
}

fn yaml_string(value: Option<serde_yaml::Value>) -> Option<String> {
    match value? {
        serde_yaml::Value::String(s) => Some(s.trim().to_owned()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A section: the blocks after a heading, up to the next heading of the same or a
/// higher level.
struct Section<'d> {
    blocks: &'d [Block],
}

impl<'d> Section<'d> {
    fn tables(&self) -> impl Iterator<Item = &'d Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    fn paragraphs(&self) -> impl Iterator<Item = &'d Inline> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }

    fn codes(&self) -> impl Iterator<Item = &'d Code> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        })
    }
}

struct Reader<'a> {
    file: &'a str,
    index: &'a LineIndex<'a>,
    doc: &'a Document,
}

/// Heading text as compared: lowercase, single spaces, no trailing colon.
fn heading_key(text: &str) -> String {
    markdown::normalize_space(text)
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
}

impl<'a> Reader<'a> {
    fn source(&self, offset: usize) -> Source {
        let (line, column) = self.index.position(offset);
        Source::new(self.file, line, column)
    }

    fn front_matter(&self, diagnostics: &mut Diagnostics) -> FrontMatter {
        let Some((yaml, offset)) = &self.doc.front_matter else {
            diagnostics.warn(
                self.source(0),
                codes::FRONT_MATTER,
                "page has no YAML front matter",
                "start the page with `---`, `title:`, `description:`, `doc_type:`, `---`",
            );
            return FrontMatter::default();
        };
        match serde_yaml::from_str::<RawFrontMatter>(yaml) {
            Ok(raw) => FrontMatter {
                title: yaml_string(raw.title),
                description: yaml_string(raw.description),
                doc_type: yaml_string(raw.doc_type),
                product: yaml_string(raw.product),
                // Findings about doc_type point at its line.
                offset: offset + yaml_key_offset(yaml, "doc_type").unwrap_or(0),
            },
            Err(error) => {
                let (line, _) = self.index.position(*offset);
                let line = line + error.location().map_or(0, |l| l.line() as u32);
                diagnostics.warn(
                    Source::new(self.file, line, 0),
                    codes::FRONT_MATTER,
                    format!("front matter is not valid YAML: {error}"),
                    "write the front matter as `key: value` lines",
                );
                FrontMatter {
                    offset: *offset,
                    ..FrontMatter::default()
                }
            }
        }
    }

    /// The page kind from `doc_type`; when that is missing or unknown, from the sections
    /// the page has.
    fn kind(&self, front: &FrontMatter, diagnostics: &mut Diagnostics) -> PageKind {
        let declared = front.doc_type.as_deref().unwrap_or("");
        let declared_kind = match declared.to_ascii_lowercase().as_str() {
            "apipagetype" => Some(PageKind::Api),
            "resourcepagetype" => Some(PageKind::Resource),
            "enumpagetype" => Some(PageKind::Enum),
            "conceptualpagetype" => Some(PageKind::Conceptual),
            _ => None,
        };
        let has_request = self.section(&["http request"]).is_some();
        let has_properties = self.section(&["properties"]).is_some();
        // The content wins when it contradicts the declared kind: a "resource" page with
        // an HTTP request and no properties documents an operation, and vice versa.
        let contradicted = match declared_kind {
            Some(PageKind::Resource) => has_request && !has_properties,
            Some(PageKind::Api) => has_properties && !has_request,
            _ => false,
        };
        if let Some(kind) = declared_kind.filter(|_| !contradicted) {
            return kind;
        }
        let inferred = if has_request {
            PageKind::Api
        } else if self.section(&["members"]).is_some() {
            PageKind::Enum
        } else if has_properties {
            PageKind::Resource
        } else {
            PageKind::Conceptual
        };
        let found = if declared.is_empty() {
            "front matter has no `doc_type`".to_owned()
        } else if contradicted {
            format!("doc_type `{declared}` does not match the page's sections")
        } else {
            format!("unknown doc_type `{declared}`")
        };
        diagnostics.warn(
            self.source(front.offset),
            codes::DOC_TYPE,
            format!("{found}; read as {inferred:?} from its sections"),
            "set doc_type to apiPageType, resourcePageType, enumPageType or conceptualPageType",
        );
        inferred
    }

    /// The first, shallowest heading whose text is one of `names` (or starts with one
    /// of them, for names ending in `*`).
    fn section(&self, names: &[&str]) -> Option<Section<'a>> {
        let blocks = &self.doc.blocks;
        let matches = |text: &str| {
            let key = heading_key(text);
            names.iter().any(|name| match name.strip_suffix('*') {
                Some(prefix) => key.starts_with(prefix),
                None => key == *name,
            })
        };
        let (start, level) = blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b {
                Block::Heading { level, inline } if *level > 1 && matches(&inline.text) => {
                    Some((i, *level))
                }
                _ => None,
            })
            .min_by_key(|(i, level)| (*level, *i))?;
        let end = blocks[start + 1..]
            .iter()
            .position(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level))
            .map_or(blocks.len(), |p| start + 1 + p);
        Some(Section {
            blocks: &blocks[start + 1..end],
        })
    }

    fn mention(&self, link: &markdown::Link) -> TypeMention {
        TypeMention {
            name: link.text.trim_matches('`').to_owned(),
            target: resolve_link(self.file, &link.target),
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

    fn api(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
        let http_section = self.section(&["http request"]);
        match &http_section {
            None => diagnostics.warn(
                page.source.clone(),
                codes::MISSING_SECTION,
                "API page has no \"HTTP request\" section",
                "add `## HTTP request` with a ```http block such as `GET /users/{id}`",
            ),
            Some(section) => {
                for code in section.codes() {
                    self.templates(code, page, diagnostics);
                }
                if page.templates.is_empty() {
                    diagnostics.warn(
                        self.source(section.blocks.first().map_or(0, Block::offset)),
                        codes::HTTP_BLOCK,
                        "the \"HTTP request\" section has no `METHOD /path` line",
                        "write the request as ```http followed by lines such as `GET /users/{id}`",
                    );
                }
            }
        }
        if let Some(section) = self.section(&["permissions", "prerequisites"]) {
            for table in section.tables() {
                self.permissions(table, page, diagnostics);
            }
        }
        if let Some(section) = self.section(&["request body", "function parameters", "parameters"])
        {
            page.body_prose = section.paragraphs().map(|p| self.prose(p)).collect();
            for table in section.tables() {
                page.body_rows.extend(self.property_rows(
                    table,
                    &[
                        "property",
                        "parameter",
                        "name",
                        "property name",
                        "parameters",
                    ],
                    diagnostics,
                ));
            }
        }
        if let Some(section) = self.section(&["response"]) {
            page.response_prose = section.paragraphs().map(|p| self.prose(p)).collect();
        }
        self.examples(page, http_section.as_ref(), diagnostics);
    }

    fn templates(&self, code: &Code, page: &mut Page, diagnostics: &mut Diagnostics) {
        let (found, other) = http::templates(&code.text);
        let line0 = self.index.line(code.content_offset);
        for template in found {
            let (method, path) = template.value;
            page.templates.push(Template {
                method,
                path,
                source: Source::new(
                    self.file,
                    line0 + template.line as u32,
                    template.column as u32 + 1,
                ),
            });
        }
        for line in other {
            // `or` between alternatives is how docs separate paths; anything else is noise.
            if !line.value.eq_ignore_ascii_case("or") {
                diagnostics.warn(
                    Source::new(self.file, line0 + line.line as u32, 1),
                    codes::HTTP_BLOCK,
                    format!(
                        "line `{}` in the HTTP request block is not `METHOD /path`",
                        line.value
                    ),
                    "keep only request lines such as `GET /users/{id}` in this block",
                );
            }
        }
    }

    fn permissions(&self, table: &Table, page: &mut Page, diagnostics: &mut Diagnostics) {
        let (Some(kind_col), Some(scopes_col)) = (
            column(table, &["permission type"]),
            column_prefix(table, "permissions"),
        ) else {
            return;
        };
        for row in &table.rows {
            let (Some(kind), Some(cell)) = (row.get(kind_col), row.get(scopes_col)) else {
                continue;
            };
            let text = cell.text.trim();
            if text.to_ascii_uppercase().contains("TODO") {
                diagnostics.warn(
                    self.source(cell.offset),
                    codes::PLACEHOLDER,
                    format!("permission cell is a placeholder: `{text}`"),
                    "list the permission scopes, or write `Not supported.`",
                );
                continue;
            }
            let scopes =
                if text.to_ascii_lowercase().starts_with("not supported") || text.is_empty() {
                    Vec::new()
                } else {
                    text.split([',', ' '])
                        .map(|s| s.trim().trim_end_matches('.'))
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect()
                };
            page.permissions.push(Permission {
                kind: kind.text.clone(),
                scopes,
                source: self.source(cell.offset),
            });
        }
    }

    /// Rows of a Property/Type/Description table. A table without a name column is
    /// not a property table; one without a Type column still names properties.
    fn property_rows(
        &self,
        table: &Table,
        name_columns: &[&str],
        diagnostics: &mut Diagnostics,
    ) -> Vec<PropertyRow> {
        let Some(name_col) = column(table, name_columns) else {
            return Vec::new();
        };
        let type_col = column(table, &["type"]);
        if type_col.is_none() && !table.rows.is_empty() {
            diagnostics.warn(
                self.source(table.offset),
                codes::TABLE_SHAPE,
                "property table has no Type column; its properties are untyped JSON",
                "add a Type column (Property | Type | Description)",
            );
        }
        let description_col = column_prefix(table, "description");
        let mut rows = Vec::new();
        let header_cells = raw_cell_count(self.index.line_text(table.offset));
        for row in &table.rows {
            // pulldown-cmark pads and truncates rows to the header's width, so the
            // written row is counted.
            let first = row.first().map_or(table.offset, |c| c.offset);
            let cells = raw_cell_count(self.index.line_text(first));
            if cells != header_cells {
                diagnostics.warn(
                    self.source(first),
                    codes::TABLE_SHAPE,
                    format!("table row has {cells} cells, the header has {header_cells}"),
                    "give every row one cell per column; escape `|` inside a cell as `\\|`",
                );
            }
            let Some(name) = row.get(name_col) else {
                continue;
            };
            let name_text = name.text.trim().trim_matches('`').trim();
            let type_text = type_col
                .and_then(|c| row.get(c))
                .map_or("", |c| c.text.trim());
            // A row of words with no type is a group label inside the table, not a property.
            let is_label = name_text.contains(' ') && type_text.is_empty();
            if name_text.is_empty() || is_label {
                continue;
            }
            let ty = type_col.and_then(|c| row.get(c)).map(|cell| TypeCell {
                text: cell.text.clone(),
                link: cell.links.first().map(|l| self.mention(l)),
            });
            rows.push(PropertyRow {
                name: name_text.to_owned(),
                ty,
                description: description_col
                    .and_then(|c| row.get(c))
                    .map(|c| c.text.clone())
                    .unwrap_or_default(),
                source: self.source(name.offset),
            });
        }
        rows
    }

    /// Example requests and responses: every http (or unlabelled) fence outside the
    /// "HTTP request" section that reads as one. A response pairs with the request
    /// before it.
    fn examples(
        &self,
        page: &mut Page,
        http_section: Option<&Section>,
        diagnostics: &mut Diagnostics,
    ) {
        let template_offsets: Vec<usize> = http_section
            .map(|s| s.codes().map(|c| c.offset).collect())
            .unwrap_or_default();
        for block in &self.doc.blocks {
            let Block::Code(code) = block else { continue };
            if !code.closed {
                diagnostics.warn(
                    self.source(code.offset),
                    codes::UNCLOSED_FENCE,
                    "code fence is never closed: the rest of the page is read as code",
                    "close the fence with a line of three backticks",
                );
            }
            if template_offsets.contains(&code.offset) || !is_http_fence(&code.info) {
                continue;
            }
            let annotation = code
                .annotation
                .as_ref()
                .map(|a| self.annotation(a, diagnostics));
            // The annotation adds a name and `truncated`; an example is read whatever its
            // blockType says (even "ignored"), because the block's text says what it is.
            let annotation = annotation.flatten().unwrap_or_default();
            let line0 = self.index.line(code.content_offset);
            let headers = |found: Vec<http::Located<(String, String)>>| {
                found
                    .into_iter()
                    .map(|h| Header {
                        name: h.value.0,
                        value: h.value.1,
                        source: Source::new(self.file, line0 + h.line as u32, 1),
                    })
                    .collect::<Vec<_>>()
            };
            let json = |body: Option<http::Located<String>>| {
                body.map(|b| Json::new(b.value, Source::new(self.file, line0 + b.line as u32, 1)))
            };
            match http::example(&code.text) {
                Some(http::Block::Request(request)) => {
                    let url_line = line0 + request.url.line as u32;
                    page.examples.push(Example {
                        request: ExampleRequest {
                            method: request.method.value,
                            url: request.url.value,
                            url_source: Source::new(self.file, url_line, request.url.column as u32 + 1),
                            headers: headers(request.message.headers),
                            body: json(request.message.body),
                            name: annotation.get("name").and_then(|v| v.as_str()).map(str::to_owned),
                            source: self.source(code.offset),
                        },
                        response: None,
                    })
                }
                Some(http::Block::Response(response)) => {
                    let paired = page.examples.last_mut().filter(|e| e.response.is_none());
                    let truncated = annotation.get("truncated").and_then(|v| v.as_bool()).unwrap_or(false);
                    let response = ExampleResponse {
                        status: response.status,
                        headers: headers(response.message.headers),
                        body: json(response.message.body),
                        truncated,
                        source: self.source(code.offset),
                    };
                    match paired {
                        Some(example) => example.response = Some(response),
                        None => diagnostics.warn(
                            response.source,
                            codes::EXAMPLE_PAIRING,
                            "example response has no request before it",
                            "put each example response right after its request",
                        ),
                    }
                }
                None if code.info.contains("http") => diagnostics.warn(
                    self.source(code.offset),
                    codes::HTTP_BLOCK,
                    "http block is neither a request (`METHOD url`) nor a response (`HTTP/1.1 status`)",
                    "start the block with a request line or a status line",
                ),
                None => {}
            }
        }
    }

    /// The annotation's JSON; annotations are hand-written and often have trailing
    /// commas, which are forgiven with a note.
    fn annotation(
        &self,
        annotation: &markdown::Annotation,
        diagnostics: &mut Diagnostics,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        match crate::json::parse(&annotation.text) {
            Ok((serde_json::Value::Object(map), _)) => Some(map),
            _ => {
                diagnostics.warn(
                    self.source(annotation.offset),
                    codes::ANNOTATION,
                    "block annotation `<!-- { ... } -->` is not a JSON object",
                    "write the annotation as a JSON object, e.g. `<!-- { \"blockType\": \"request\" } -->`",
                );
                None
            }
        }
    }

    fn resource(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
        match self.section(&["properties"]) {
            Some(section) => {
                for table in section.tables() {
                    page.properties.extend(self.property_rows(
                        table,
                        &["property", "property name", "name"],
                        diagnostics,
                    ));
                }
            }
            None => diagnostics.warn(
                page.source.clone(),
                codes::MISSING_SECTION,
                "resource page has no \"Properties\" section",
                "add `## Properties` with a Property | Type | Description table",
            ),
        }
        if let Some(section) = self.section(&["relationships"]) {
            for table in section.tables() {
                page.properties.extend(self.property_rows(
                    table,
                    &[
                        "relationship",
                        "relationship name",
                        "property",
                        "property name",
                        "name",
                    ],
                    diagnostics,
                ));
            }
        }
        let representation = self
            .section(&["json representation"])
            .and_then(|s| s.codes().next());
        let annotation = representation
            .and_then(|code| code.annotation.as_ref())
            .and_then(|a| Some((crate::json::parse(&a.text).ok()?.0, a.offset)));
        let annotated = |key: &str| {
            annotation
                .as_ref()
                .and_then(|(v, _)| v.get(key)?.as_str().map(str::to_owned))
        };
        // "Inherits from" in the text, else the representation's `baseType` annotation,
        // which is where many pages say it.
        page.base = self.inherits_from().or_else(|| {
            Some(TypeMention {
                name: annotated("baseType")?,
                target: None,
                source: self.source(annotation.as_ref()?.1),
            })
        });
        page.odata_type = annotated("@odata.type").or_else(|| {
            let (value, _) = crate::json::parse(&representation?.text).ok()?;
            value.get("@odata.type")?.as_str().map(str::to_owned)
        });
    }

    /// The base type named after "Inherits from" (or "derived from"), linked or as a
    /// plain word.
    fn inherits_from(&self) -> Option<TypeMention> {
        for block in &self.doc.blocks {
            let Block::Paragraph(p) = block else { continue };
            let lower = p.text.to_ascii_lowercase();
            let Some((at, phrase)) = ["inherits from", "derived from", "derives from"]
                .iter()
                .find_map(|phrase| Some((lower.find(phrase)?, phrase)))
            else {
                continue;
            };
            let rest = &p.text[at + phrase.len()..];
            // The first type linked after the phrase ("inherits from the abstract base
            // type [x](x.md)"); without a link, the next word, for "inherits from" only
            // ("derived from a machine learning process" names no type).
            let sentence = rest.split(". ").next().unwrap_or(rest);
            let linked = p
                .links
                .iter()
                .filter(|l| !l.text.is_empty())
                .filter_map(|l| Some((sentence.find(l.text.as_str())?, l)))
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
                source: self.source(p.offset),
            });
        }
        None
    }

    /// Enumerations: each `xxx values` sub-section's table (on any page), and, on an
    /// enum page without such sub-sections, the Members table as the page's own enum.
    fn enumerations(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
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
            diagnostics.warn(
                page.source.clone(),
                codes::MISSING_SECTION,
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

    fn members(&self, table: &Table) -> Vec<Member> {
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

/// Byte offset, within the front matter block (which starts with `---\n`), of the line
/// that sets `key`.
fn yaml_key_offset(yaml: &str, key: &str) -> Option<usize> {
    let mut at = 0;
    for line in yaml.split_inclusive('\n') {
        if line.trim_start().starts_with(key)
            && line.trim_start()[key.len()..].trim_start().starts_with(':')
        {
            return Some("---\n".len() + at);
        }
        at += line.len();
    }
    None
}

/// The area of pages that name no product.
pub const GENERAL_AREA: &str = "general";

/// The product a page belongs to (`ms.prod`, lowercased), or [`GENERAL_AREA`].
pub fn product(product: Option<&str>) -> String {
    product
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| GENERAL_AREA.to_owned())
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
    for c in line
        .trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .chars()
    {
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
            "---\ndoc_type: apiPageType\n---\n# Get x\n### http REQUEST\n```http\nGET /xs/{id}\n```\n## Prerequisites\n|Permission type|Permissions (from least to most privileged)|\n|-|-|\n|Application|X.Read.All, X.ReadWrite.All|\n## Response\nReturns `200 OK` and an [x](../resources/x.md) object.\n## Example\n```http\nGET https://host/beta/xs/1\n```\n### Response\n```http\nHTTP/1.1 200 OK\n\n{\"id\": \"1\"}\n```\n",
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
    fn resource_page_reads_tables_by_column_name() {
        let (page, _) = read(
            "resources/x.md",
            "---\ndoc_type: resourcePageType\n---\n# x resource type\nInherits from [entity](entity.md).\n## Properties\n|Description|Property name|Type|\n|-|-|-|\n|The name.|displayName|String|\n## Relationships\n|Relationship|Type|Description|\n|-|-|-|\n|owner|[user](user.md)|Owner.|\n",
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
        let (page, diagnostics) = read(
            "api/y.md",
            "---\ndoc_type: apiPage\n---\n# Y\n## HTTP request\n```http\nGET /y\n```\n## Permissions\n|Permission type|Permissions|\n|-|-|\n|Application|**TODO: Determine scopes **|\n",
        );
        assert_eq!(page.kind, PageKind::Api);
        let codes: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.code, d.source.line, d.source.column))
            .collect();
        assert_eq!(
            codes,
            [(codes::DOC_TYPE, 2, 1), (codes::PLACEHOLDER, 12, 14)]
        );
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
