//! Sections: a page's parts, found by heading text (any case, any level), and what a
//! section holds.

use super::*;

/// A section: the blocks after a heading, up to the next heading of the same or a
/// higher level.
pub(super) struct Section<'d> {
    pub(super) blocks: &'d [Block],
}

impl<'d> Section<'d> {
    /// The section up to its first subsection headed by one of `names`.
    pub(super) fn until(self, names: &[&str]) -> Section<'d> {
        let end = self.blocks.iter().position(
            |b| matches!(b, Block::Heading { inline, .. } if heading_matches(&inline.text, names)),
        );
        Section {
            blocks: &self.blocks[..end.unwrap_or(self.blocks.len())],
        }
    }

    pub(super) fn tables(&self) -> impl Iterator<Item = &'d Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// Its tables, each with the subsection heading that says it documents something
    /// else than the type `own_name` ("Properties of a home realm discovery policy
    /// definition", and everything under it), if one does.
    pub(super) fn tables_about(&self, own_name: &str) -> Vec<(&'d Table, Option<&'d Inline>)> {
        // Open subsections: their level, and the heading of the other thing they are in.
        let mut open: Vec<(u8, Option<&'d Inline>)> = Vec::new();
        let mut tables = Vec::new();
        for block in self.blocks {
            match block {
                Block::Heading { level, inline } => {
                    open.retain(|(l, _)| l < level);
                    let outer = open.last().and_then(|(_, other)| *other);
                    let other =
                        outer.or_else(|| about_another(&inline.text, own_name).then_some(inline));
                    open.push((*level, other));
                }
                Block::Table(table) => tables.push((table, open.last().and_then(|(_, o)| *o))),
                _ => {}
            }
        }
        tables
    }

    pub(super) fn paragraphs(&self) -> impl Iterator<Item = &'d Inline> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            _ => None,
        })
    }

    pub(super) fn codes(&self) -> impl Iterator<Item = &'d Code> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Code(c) => Some(c),
            _ => None,
        })
    }
}

/// Whether a heading's text is one of `names` (or starts with one of them, for names
/// ending in `*`), compared as [`heading_key`].
pub(super) fn heading_matches(text: &str, names: &[&str]) -> bool {
    key_matches(&heading_key(text), names)
}

/// [`heading_matches`] for a heading's key already made.
pub(super) fn key_matches(key: &str, names: &[&str]) -> bool {
    names.iter().any(|name| match name.strip_suffix('*') {
        Some(prefix) => key.starts_with(prefix),
        None => key == *name,
    })
}

/// A heading "Properties of X" where X (articles left out) is not `own_name`: the
/// subsection documents another thing's properties (a policy's `definition` string).
fn about_another(heading: &str, own_name: &str) -> bool {
    let key = heading_key(heading);
    let Some(subject) = key.strip_prefix("properties of ") else {
        return false;
    };
    let subject: String = subject
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|word| !matches!(*word, "a" | "an" | "the"))
        .collect();
    !subject.eq_ignore_ascii_case(own_name)
}

/// Heading text as compared: lowercase, single spaces, no trailing colon.
pub(super) fn heading_key(text: &str) -> String {
    markdown::normalize_space(text.trim().trim_end_matches(':')).to_lowercase()
}

impl<'a> Reader<'a> {
    /// The first, shallowest heading whose text is one of `names` (or starts with one
    /// of them, for names ending in `*`).
    pub(super) fn section(&self, names: &[&str]) -> Option<Section<'a>> {
        let (start, level) = self.headings(names).min_by_key(|(i, level)| (*level, *i))?;
        Some(self.section_under(start, level))
    }

    /// Every section whose heading is one of `names`, at the shallowest level any is.
    pub(super) fn top_sections(&self, names: &[&str]) -> Vec<Section<'a>> {
        let headings: Vec<(usize, u8)> = self.headings(names).collect();
        let top = headings.iter().map(|(_, level)| *level).min();
        headings
            .into_iter()
            .filter(|(_, level)| Some(*level) == top)
            .map(|(start, level)| self.section_under(start, level))
            .collect()
    }

    /// Every section whose heading is one of `names`, at any level.
    pub(super) fn sections(&self, names: &[&str]) -> impl Iterator<Item = Section<'a>> {
        self.headings(names)
            .map(|(start, level)| self.section_under(start, level))
    }

    /// Index and level of each heading (below the title) that is one of `names`.
    pub(super) fn headings(&self, names: &[&str]) -> impl Iterator<Item = (usize, u8)> {
        self.doc
            .blocks
            .iter()
            .enumerate()
            .filter_map(move |(i, b)| match b {
                Block::Heading { level, .. }
                    if *level > 1 && key_matches(&self.heading_keys[i], names) =>
                {
                    Some((i, *level))
                }
                _ => None,
            })
    }

    /// The blocks after heading `start`, up to the next heading of its level or higher.
    pub(super) fn section_under(&self, start: usize, level: u8) -> Section<'a> {
        let blocks = &self.doc.blocks;
        let end = blocks[start + 1..]
            .iter()
            .position(|b| matches!(b, Block::Heading { level: l, .. } if *l <= level))
            .map_or(blocks.len(), |p| start + 1 + p);
        Section {
            blocks: &blocks[start + 1..end],
        }
    }
}
