//! Operation pages: the `http` templates, permissions, request body properties and
//! examples.

use super::*;

/// The sections an operation page has besides its request and examples (heading keys).
const STANDARD_SECTIONS: &[&str] = &[
    "permissions",
    "prerequisites",
    "optional query parameters",
    "query parameters",
    "request headers",
    "optional request headers",
    "request body",
    "function parameters",
    "parameters",
    "response*",
    "remarks",
    "see also",
    "errors",
    "error*",
];

impl<'a> Reader<'a> {
    pub(super) fn api(&self, page: &mut Page, diagnostics: &mut Diagnostics) {
        let request_sections = self.request_sections();
        // A block in nested request sections is read once.
        let mut template_blocks: Vec<&Code> =
            request_sections.iter().flat_map(|s| s.codes()).collect();
        template_blocks.sort_by_key(|code| code.offset);
        template_blocks.dedup_by_key(|code| code.offset);
        match request_sections.first() {
            None => diagnostics.report(
                page.source.clone(),
                Finding::MissingSection,
                "API page has no \"HTTP request\" section",
                "add `## HTTP request` with a ```http block such as `GET /users/{id}`",
            ),
            Some(first) => {
                for code in &template_blocks {
                    let found = self.templates(code, diagnostics);
                    page.templates.extend(found);
                }
                if page.templates.is_empty() {
                    diagnostics.report(
                        self.source(first.blocks.first().map_or(0, Block::offset)),
                        Finding::HttpBlock,
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
            page.permission_includes = section
                .paragraphs()
                .filter(|p| {
                    p.text
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("[!include")
                })
                .filter_map(|p| {
                    let target = resolve_link(&self.file, &p.links.first()?.target)?;
                    Some(Include {
                        target,
                        source: self.source(p.offset),
                    })
                })
                .collect();
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
        self.query_and_headers(page);
        if let Some(section) = self.section(&["response"]) {
            page.response_prose = section.paragraphs().map(|p| self.prose(p)).collect();
        }
        let template_offsets: Vec<usize> = template_blocks.iter().map(|c| c.offset).collect();
        self.examples(page, &template_offsets, diagnostics);
    }

    /// Every section that documents the request: "HTTP request", "HTTP Requests",
    /// "HTTP request (to upload a new file)", at any level (a page of alternatives has one
    /// under each: `## Get a user's OneDrive` / `### HTTP request`), but those inside an
    /// example, where the request is the example's.
    fn request_sections(&self) -> Vec<Section<'a>> {
        // Open headings: level, and whether it heads an example.
        let mut open: Vec<(u8, bool)> = Vec::new();
        let mut found = Vec::new();
        for (i, block) in self.doc.blocks.iter().enumerate() {
            let Block::Heading { level, .. } = block else {
                continue;
            };
            open.retain(|(l, _)| l < level);
            let in_example = open.iter().any(|&(_, example)| example);
            let key = &self.heading_keys[i];
            if *level > 1 && !in_example && key_matches(key, &["http request*"]) {
                found.push(self.section_under(i, *level));
            }
            open.push((*level, key_matches(key, &["example*"])));
        }
        found
    }

    /// The `METHOD /path` lines of a block; other lines are reported.
    pub(super) fn templates(&self, code: &Code, diagnostics: &mut Diagnostics) -> Vec<Template> {
        let (found, other) = http::templates(&code.text);
        let line0 = self.index.line(code.content_offset);
        let mut templates = Vec::new();
        for template in found {
            let (method, path) = template.value;
            templates.push(Template {
                method,
                path,
                source: Source::in_file(
                    &self.file,
                    line0 + template.line as u32,
                    template.column as u32 + 1,
                ),
            });
        }
        for line in other {
            // `or` between alternatives is how docs separate paths; anything else is noise.
            if !line.value.eq_ignore_ascii_case("or") {
                diagnostics.report(
                    Source::in_file(&self.file, line0 + line.line as u32, 1),
                    Finding::HttpBlock,
                    format!(
                        "line `{}` in the HTTP request block is not `METHOD /path`",
                        line.value
                    ),
                    "keep only request lines such as `GET /users/{id}` in this block",
                );
            }
        }
        templates
    }

    pub(super) fn permissions(
        &self,
        table: &Table,
        page: &mut Page,
        diagnostics: &mut Diagnostics,
    ) {
        // "Permissions (from least to most privileged)", or today's "Least privileged
        // permissions" and "Higher privileged permissions", least first.
        let scope_columns: Vec<usize> = (0..table.header.len())
            .filter(|&i| header_key(&table.header[i]).contains("permissions"))
            .collect();
        let Some(kind_col) = column(table, &["permission type"]) else {
            return;
        };
        for row in &table.rows {
            let Some(kind) = row.get(kind_col) else {
                continue;
            };
            let cells: Vec<&Inline> = scope_columns.iter().filter_map(|&i| row.get(i)).collect();
            let Some(cell) = cells.first() else {
                continue;
            };
            let mut scopes = Vec::new();
            let mut placeholder = false;
            for cell in &cells {
                let text = cell.text.trim();
                if text.to_ascii_uppercase().contains("TODO") {
                    diagnostics.report(
                        self.source(cell.offset),
                        Finding::Placeholder,
                        format!("permission cell is a placeholder: `{text}`"),
                        "list the permission scopes, or write `Not supported.`",
                    );
                    placeholder = true;
                } else if !text.to_ascii_lowercase().starts_with("not supported") {
                    scopes.extend(
                        text.split([',', ' '])
                            .map(|s| s.trim().trim_end_matches('.'))
                            .filter(|s| !s.is_empty())
                            .map(str::to_owned),
                    );
                }
            }
            if placeholder {
                continue;
            }
            page.permissions.push(Permission {
                kind: kind.text.clone(),
                scopes,
                source: self.source(cell.offset),
            });
        }
    }

    /// Rows of a Property/Type/Description table. A table without a name column is
    /// not a property table; one without a Type column still names properties.
    pub(super) fn property_rows(
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
            diagnostics.report(
                self.source(table.offset),
                Finding::TableShape,
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
            let line = self.index.line_text(first);
            let cells = raw_cell_count(line);
            let Some(name) = row.get(name_col) else {
                continue;
            };
            let (name_text, note) = annotated_name(name.text.trim().trim_matches('`').trim());
            let type_text = type_col
                .and_then(|c| row.get(c))
                .map_or("", |c| c.text.trim());
            // A row of words with no type is a group label inside the table, not a
            // property; so is a row with nothing but its first cell (`|**Onboarding**|`,
            // `|**Onboarding**||`).
            let only_named =
                (row.iter().enumerate()).all(|(i, c)| i == name_col || c.text.trim().is_empty());
            let is_label = type_text.is_empty() && (name_text.contains(' ') || only_named);
            // Markdown pads a short row with empty cells, which is how a label is
            // written (a line with no `|` is text that left its cell); it drops the
            // cells past the header's, and a property short of cells is missing one.
            let written_label = is_label && line.contains('|');
            if cells > header_cells || (cells < header_cells && !written_label) {
                diagnostics.report(
                    self.source(first),
                    Finding::TableShape,
                    format!("table row has {cells} cells, the header has {header_cells}"),
                    "give every row one cell per column; escape `|` inside a cell as `\\|`",
                );
            }
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
                description: {
                    let text = description_col
                        .and_then(|c| row.get(c))
                        .map_or("", |c| c.text.as_str());
                    match note {
                        Some(note) => format!("{note}. {text}").trim_end().to_owned(),
                        None => text.to_owned(),
                    }
                },
                source: self.source(name.offset),
            });
        }
        rows
    }

    /// Example requests and responses: every http (or unlabelled) fence outside the
    /// "HTTP request" sections that reads as one. A response pairs with the request
    /// before it; one right after a template is the template's, not an example; one
    /// after a pair, with no example or request heading between, is another response
    /// to that pair's request (a channel "with moderation on", an error).
    pub(super) fn examples(
        &self,
        page: &mut Page,
        template_offsets: &[usize],
        diagnostics: &mut Diagnostics,
    ) {
        // The last http block was a template, not an example request, and no example
        // section has begun since.
        let mut after_template = false;
        // The last example has its response, and no example or request has begun since.
        let mut answered = false;
        // Open headings: level, whether it heads an example, and whether it is one of
        // the sections every operation page has.
        let mut open: Vec<(u8, bool, bool)> = Vec::new();
        for (i, block) in self.doc.blocks.iter().enumerate() {
            let key = &self.heading_keys[i];
            if key_matches(key, &["example*"]) {
                after_template = false;
            }
            if key_matches(key, &["example*", "request*"]) {
                answered = false;
            }
            if let Block::Heading { level, .. } = block {
                open.retain(|(l, _, _)| l < level);
                open.push((
                    *level,
                    key_matches(key, &["example*"]),
                    key_matches(key, STANDARD_SECTIONS),
                ));
            }
            let Block::Code(code) = block else { continue };
            if !code.closed {
                diagnostics.report(
                    self.source(code.offset),
                    Finding::UnclosedFence,
                    "code fence is never closed: the rest of the page is read as code",
                    "close the fence with a line of three backticks",
                );
            }
            if template_offsets.contains(&code.offset) {
                after_template = true;
                answered = false;
                continue;
            }
            if !is_http_fence(&code.info) {
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
                        source: Source::in_file(&self.file, line0 + h.line as u32, 1),
                    })
                    .collect::<Vec<_>>()
            };
            let json = |body: Option<http::Located<String>>| {
                body.map(|b| {
                    Json::new(
                        b.value,
                        Source::in_file(&self.file, line0 + b.line as u32, 1),
                    )
                })
            };
            match http::example(&code.text) {
                // Request lines with a path and no host, and nothing else, outside the
                // examples, are no example. Under a heading of their own ("List a site's
                // drives"), or on a page with no other, they document paths: templates.
                // Under a section every page has ("Remarks", "Optional query
                // parameters") they show how to use a path: not read.
                Some(http::Block::Request(request))
                    if !open.iter().any(|&(_, example, _)| example)
                        && !request.url.value.contains("://")
                        && http::templates(&code.text).1.is_empty() =>
                {
                    after_template = true;
                    answered = false;
                    let illustration = open.iter().any(|&(_, _, standard)| standard);
                    if !illustration || page.templates.is_empty() {
                        let found = self.templates(code, diagnostics);
                        page.templates.extend(found);
                    }
                }
                Some(http::Block::Request(request)) => {
                    after_template = false;
                    answered = false;
                    let url_line = line0 + request.url.line as u32;
                    page.examples.push(Example {
                        request: ExampleRequest {
                            method: request.method.value,
                            url: request.url.value,
                            url_source: Source::in_file(&self.file, url_line, request.url.column as u32 + 1),
                            headers: headers(request.message.headers),
                            body: json(request.message.body),
                            name: annotation.get("name").and_then(|v| v.as_str()).map(str::to_owned),
                            source: self.source(code.offset),
                        },
                        response: None,
                        alternative: false,
                    })
                }
                Some(http::Block::Response(response)) => {
                    let truncated = annotation.get("truncated").and_then(|v| v.as_bool()).unwrap_or(false);
                    let response = ExampleResponse {
                        status: response.status,
                        headers: headers(response.message.headers),
                        body: json(response.message.body),
                        truncated,
                        source: self.source(code.offset),
                    };
                    match page.examples.last_mut() {
                        Some(example) if example.response.is_none() => {
                            example.response = Some(response);
                            answered = true;
                        }
                        Some(example) if answered => {
                            let request = ExampleRequest {
                                name: None,
                                ..example.request.clone()
                            };
                            page.examples.push(Example {
                                request,
                                response: Some(response),
                                alternative: true,
                            });
                        }
                        // What a template (`GET /me/drive`) answers, shown beside it: no
                        // example pair, and nothing amiss.
                        _ if after_template => {}
                        _ => diagnostics.report(
                            response.source,
                            Finding::ExamplePairing,
                            "example response has no request before it",
                            "put each example response right after its request",
                        ),
                    }
                }
                None if code.info.contains("http") => diagnostics.report(
                    self.source(code.offset),
                    Finding::HttpBlock,
                    "http block is neither a request (`METHOD url`) nor a response (`HTTP/1.1 status`)",
                    "start the block with a request line or a status line",
                ),
                None => {}
            }
        }
    }

    /// The annotation's JSON; annotations are hand-written and often have trailing
    /// commas, which are forgiven with a note.
    pub(super) fn annotation(
        &self,
        annotation: &markdown::Annotation,
        diagnostics: &mut Diagnostics,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        match crate::json::parse(&annotation.text) {
            Ok((serde_json::Value::Object(map), _)) => Some(map),
            _ => {
                diagnostics.report(
                    self.source(annotation.offset),
                    Finding::Annotation,
                    "block annotation `<!-- { ... } -->` is not a JSON object",
                    "write the annotation as a JSON object, e.g. `<!-- { \"blockType\": \"request\" } -->`",
                );
                None
            }
        }
    }
}

/// A property cell's name and the note written after it (`action (deprecated)` is
/// `action`, noted "Deprecated"): the note belongs in the docs, not in the wire name.
fn annotated_name(cell: &str) -> (&str, Option<String>) {
    let Some((name, rest)) = cell.split_once(" (") else {
        return (cell, None);
    };
    let name = name.trim();
    match rest.trim_end().strip_suffix(')') {
        Some(note) if is_identifier(name) && !note.is_empty() && !note.contains(['(', ')']) => {
            let mut letters = note.trim().chars();
            let note = letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect());
            (name, note)
        }
        _ => (cell, None),
    }
}
