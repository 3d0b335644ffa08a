//! Markdown to a flat list of blocks (headings, paragraphs, tables, code fences), each
//! with its position. Everything above this layer reads blocks, never Markdown events.

use pulldown_cmark::{CodeBlockKind, Event, MetadataBlockKind, Options, Parser, Tag, TagEnd};

/// Byte offsets to 1-based line and column numbers.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// (line, column), both 1-based; the column counts characters.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (line as u32 + 1, column as u32)
    }

    pub fn line(&self, offset: usize) -> u32 {
        self.position(offset).0
    }

    /// The text of the line holding `offset`, without its line break.
    pub fn line_text(&self, offset: usize) -> &'a str {
        let line = self.line(offset) as usize - 1;
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next);
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub text: String,
    pub target: String,
    /// Byte offset of the link in the page.
    pub offset: usize,
}

/// Text with its links, as found in a paragraph, heading or table cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inline {
    pub text: String,
    pub links: Vec<Link>,
    /// Byte offset of the start of the text in the page.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub header: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
    pub offset: usize,
}

/// The `<!-- { ... } -->` annotation docs put before a fence, kept as raw JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub text: String,
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// The fence's info string, trimmed and lowercased (`http`, `json`, ...).
    pub info: String,
    pub text: String,
    /// Byte offset of the fence line.
    pub offset: usize,
    /// Byte offset of the first content line.
    pub content_offset: usize,
    pub annotation: Option<Annotation>,
    /// False for a fence that runs to the end of the page (its closing fence is missing).
    pub closed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading { level: u8, inline: Inline },
    Paragraph(Inline),
    Table(Table),
    Code(Code),
}

impl Block {
    pub fn offset(&self) -> usize {
        match self {
            Block::Heading { inline, .. } | Block::Paragraph(inline) => inline.offset,
            Block::Table(table) => table.offset,
            Block::Code(code) => code.offset,
        }
    }
}

#[derive(Debug, Default)]
pub struct Document {
    /// The YAML front matter text and its byte offset.
    pub front_matter: Option<(String, usize)>,
    pub blocks: Vec<Block>,
}

/// What the walker is inside of.
enum Open {
    Inline { inline: Inline, kind: InlineKind },
    Table(Table),
    Row(Vec<Inline>),
    Code(Code),
    Html(String, usize),
    Metadata(String, usize),
}

#[derive(Clone, Copy, PartialEq)]
enum InlineKind {
    Heading(u8),
    Paragraph,
    Cell,
}

pub fn parse(text: &str) -> Document {
    let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let text = &*tabs_out_of_delimiter_rows(text);
    let mut doc = Document::default();
    let mut stack: Vec<Open> = Vec::new();
    // Open link starts: (index into the innermost inline's text, target, offset).
    let mut links: Vec<(usize, String, usize)> = Vec::new();
    let mut pending_annotation: Option<Annotation> = None;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        // An annotation only attaches to the block right after it.
        let keeps_annotation = matches!(
            event,
            Event::Start(Tag::CodeBlock(_)) | Event::Start(Tag::HtmlBlock) | Event::Html(_)
        ) || stack.iter().any(|open| matches!(open, Open::Html(..)));
        let is_head = matches!(event, Event::End(TagEnd::TableHead));
        match event {
            Event::Start(Tag::Heading { level, .. }) => stack.push(Open::Inline {
                inline: Inline {
                    offset: range.start,
                    ..Inline::default()
                },
                kind: InlineKind::Heading(level as u8),
            }),
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Item) => {
                // A paragraph in a list item replaces the item's own text container.
                if let Some(Open::Inline {
                    kind: InlineKind::Paragraph,
                    inline,
                }) = stack.last()
                    && inline.text.trim().is_empty()
                {
                    stack.pop();
                }
                stack.push(Open::Inline {
                    inline: Inline {
                        offset: range.start,
                        ..Inline::default()
                    },
                    kind: InlineKind::Paragraph,
                })
            }
            Event::Start(Tag::Table(_)) => stack.push(Open::Table(Table {
                header: Vec::new(),
                rows: Vec::new(),
                offset: range.start,
            })),
            Event::Start(Tag::TableHead) | Event::Start(Tag::TableRow) => {
                stack.push(Open::Row(Vec::new()))
            }
            Event::Start(Tag::TableCell) => stack.push(Open::Inline {
                inline: Inline {
                    offset: range.start,
                    ..Inline::default()
                },
                kind: InlineKind::Cell,
            }),
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                stack.push(Open::Code(Code {
                    info,
                    text: String::new(),
                    offset: range.start,
                    content_offset: range.end,
                    annotation: pending_annotation.take(),
                    closed: is_closed_fence(&text[range.clone()]),
                }))
            }
            Event::Start(Tag::HtmlBlock) => stack.push(Open::Html(String::new(), range.start)),
            Event::Start(Tag::MetadataBlock(MetadataBlockKind::YamlStyle)) => {
                stack.push(Open::Metadata(String::new(), range.start))
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(inline) = innermost_inline(&mut stack) {
                    links.push((inline.text.len(), dest_url.to_string(), range.start));
                }
            }
            Event::End(TagEnd::Link) => {
                if let (Some((start, target, offset)), Some(inline)) =
                    (links.pop(), innermost_inline(&mut stack))
                {
                    let text = inline
                        .text
                        .get(start..)
                        .unwrap_or_default()
                        .trim()
                        .to_owned();
                    inline.links.push(Link {
                        text,
                        target,
                        offset,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => match stack.last_mut() {
                Some(Open::Code(code)) => {
                    if code.text.is_empty() {
                        code.content_offset = range.start;
                    }
                    code.text.push_str(&t);
                }
                Some(Open::Metadata(yaml, _)) => yaml.push_str(&t),
                Some(Open::Html(html, _)) => html.push_str(&t),
                _ => {
                    if let Some(inline) = innermost_inline(&mut stack) {
                        inline.text.push_str(&t);
                    }
                }
            },
            Event::Html(html) | Event::InlineHtml(html) => match stack.last_mut() {
                Some(Open::Html(buffer, _)) => buffer.push_str(&html),
                _ => {
                    // Inline HTML such as `<br>` separates words.
                    if let Some(inline) = innermost_inline(&mut stack) {
                        inline.text.push(' ');
                    }
                }
            },
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = innermost_inline(&mut stack) {
                    inline.text.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_))
            | Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell) => {
                let Some(Open::Inline { mut inline, kind }) = pop_inline(&mut stack) else {
                    continue;
                };
                inline.text = normalize_space(&inline.text);
                match kind {
                    InlineKind::Heading(level) => {
                        // docfx tab markers (`# [HTTP](#tab/http)`) look like headings but are not.
                        let is_tab_marker = inline.links.len() == 1
                            && inline.links[0].target.starts_with("#tab/")
                            && inline.links[0].text == inline.text;
                        if !is_tab_marker {
                            doc.blocks.push(Block::Heading { level, inline });
                        }
                    }
                    InlineKind::Paragraph => {
                        if !inline.text.is_empty() {
                            doc.blocks.push(Block::Paragraph(inline));
                        }
                    }
                    InlineKind::Cell => {
                        if let Some(Open::Row(cells)) = stack.last_mut() {
                            cells.push(inline);
                        }
                    }
                }
            }
            Event::End(TagEnd::TableHead) | Event::End(TagEnd::TableRow) => {
                if let Some(Open::Row(cells)) = stack.pop()
                    && let Some(Open::Table(table)) = stack.last_mut()
                {
                    if is_head {
                        table.header = cells;
                    } else {
                        table.rows.push(cells);
                    }
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some(Open::Table(table)) = stack.pop() {
                    doc.blocks.push(Block::Table(table));
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(Open::Code(code)) = stack.pop() {
                    doc.blocks.push(Block::Code(code));
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(Open::Html(html, offset)) = stack.pop() {
                    pending_annotation = annotation(&html, offset);
                    continue;
                }
            }
            Event::End(TagEnd::MetadataBlock(_)) => {
                if let Some(Open::Metadata(yaml, offset)) = stack.pop() {
                    doc.front_matter = Some((yaml, offset));
                }
            }
            _ => {}
        }
        if !keeps_annotation {
            pending_annotation = None;
        }
    }
    doc
}

fn innermost_inline(stack: &mut [Open]) -> Option<&mut Inline> {
    stack.iter_mut().rev().find_map(|open| match open {
        Open::Inline { inline, .. } => Some(inline),
        _ => None,
    })
}

fn pop_inline(stack: &mut Vec<Open>) -> Option<Open> {
    match stack.last() {
        Some(Open::Inline { .. }) => stack.pop(),
        _ => None,
    }
}

/// Whether a code block's source ends with a closing fence (indented blocks have none
/// and are closed by definition).
fn is_closed_fence(source: &str) -> bool {
    let trimmed = source.trim_start();
    let fence = match trimmed.chars().next() {
        Some(c @ ('`' | '~')) => c,
        _ => return true,
    };
    let opening = trimmed.chars().take_while(|&c| c == fence).count();
    let last = source.trim_end().lines().last().unwrap_or("").trim();
    source.trim_end().lines().count() > 1
        && last.chars().take_while(|&c| c == fence).count() >= opening
        && last.chars().all(|c| c == fence)
}

/// The JSON inside `<!-- { ... } -->`, if the HTML block is such a comment.
fn annotation(html: &str, offset: usize) -> Option<Annotation> {
    let inner = html
        .trim()
        .strip_prefix("<!--")?
        .trim_end()
        .strip_suffix("-->")?
        .trim();
    inner.starts_with('{').then(|| Annotation {
        text: inner.to_owned(),
        offset,
    })
}

/// Runs of whitespace as one space, none at the ends.
pub fn normalize_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A table's delimiter row is hyphens, colons and pipes, padded by whitespace, and a tab
/// is whitespace; pulldown-cmark takes only spaces there, and would read the table as a
/// paragraph (`| ----- |-----\t \t| -----|` in some pages). Each such tab becomes a space
/// of the same width in bytes, so every offset stays where it was.
fn tabs_out_of_delimiter_rows(text: &str) -> std::borrow::Cow<'_, str> {
    let is_delimiter_row = |line: &str| {
        line.contains('-')
            && line.contains('|')
            && line
                .chars()
                .all(|c| matches!(c, '-' | ':' | '|' | ' ' | '\t' | '\r'))
    };
    // Most pages have no tab at all: one scan of the page, not two per line.
    if !text.as_bytes().contains(&b'\t') {
        return text.into();
    }
    let mut previous = "";
    let mut tidy = String::new();
    let mut copied = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.contains('\t') && previous.contains('|') && is_delimiter_row(line.trim_end()) {
            tidy.push_str(&text[copied..at]);
            tidy.push_str(&line.replace('\t', " "));
            copied = at + line.len();
        }
        previous = line;
        at += line.len();
    }
    if copied == 0 {
        return text.into();
    }
    tidy.push_str(&text[copied..]);
    tidy.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delimiter_row_may_hold_tabs() {
        let page = "## Properties\n\n| Property | Type \t\t| Description |\n| ----- |-----\t \t\t| -----|\n| weight\t| Double\t| How much. |\n\ntext\twith | tab\n";
        let doc = parse(page);
        let Block::Table(table) = &doc.blocks[1] else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(table.rows[0][0].text, "weight");
        assert_eq!(table.rows[0][1].text, "Double");
        let index = LineIndex::new(page);
        assert_eq!(index.position(table.rows[0][1].offset), (5, 11));
        assert_eq!(
            tabs_out_of_delimiter_rows("a|b\n|-\t|-|\n"),
            "a|b\n|- |-|\n"
        );
        // Only delimiter rows change.
        assert!(matches!(
            tabs_out_of_delimiter_rows("x\t| y\n|--|\n"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn blocks_keep_positions_links_and_annotations() {
        let page = "---\ntitle: x\n---\n# Title\n\n## HTTP request\n<!-- {\n  \"blockType\": \"request\"\n} -->\n```http\nGET /me\n```\n\n|Property|Type|\n|:--|:--|\n|id|[user](../resources/user.md) collection|\n";
        let doc = parse(page);
        let index = LineIndex::new(page);
        assert_eq!(
            doc.front_matter.as_ref().map(|(y, _)| y.trim()),
            Some("title: x")
        );
        let Block::Code(code) = &doc.blocks[2] else {
            panic!("{:?}", doc.blocks)
        };
        assert_eq!(code.info, "http");
        assert_eq!(code.text, "GET /me\n");
        assert_eq!(index.line(code.content_offset), 11);
        assert!(code.annotation.as_ref().unwrap().text.contains("request"));
        let Block::Table(table) = &doc.blocks[3] else {
            panic!()
        };
        assert_eq!(table.header[1].text, "Type");
        assert_eq!(table.rows[0][1].text, "user collection");
        assert_eq!(table.rows[0][1].links[0].target, "../resources/user.md");
        assert_eq!(index.position(table.rows[0][1].offset), (16, 5));
    }

    #[test]
    fn tab_markers_are_not_headings_and_list_items_are_paragraphs() {
        let doc = parse("# [HTTP](#tab/http)\n\n- one\n- two `x`\n\n### Response\n");
        let texts: Vec<_> = doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Heading { level, inline } => format!("h{level} {}", inline.text),
                Block::Paragraph(p) => format!("p {}", p.text),
                _ => String::new(),
            })
            .collect();
        assert_eq!(texts, ["p one", "p two x", "h3 Response"]);
    }

    #[test]
    fn annotation_does_not_attach_across_a_paragraph() {
        let doc = parse("<!-- { \"blockType\": \"ignored\" } -->\n\ntext\n\n```json\n{}\n```\n");
        let Some(Block::Code(code)) = doc.blocks.last() else {
            panic!()
        };
        assert!(code.annotation.is_none());
    }
}
