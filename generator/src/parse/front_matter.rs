//! The YAML front matter (title, description, `doc_type`, `ms.prod`, `ms.subservice`)
//! and the page kind it declares or the sections imply.

use super::*;

#[derive(Default)]
pub(super) struct FrontMatter {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) doc_type: Option<String>,
    pub(super) product: Option<String>,
    pub(super) subservice: Option<String>,
    pub(super) offset: usize,
}

#[derive(serde::Deserialize)]
struct RawFrontMatter {
    title: Option<serde_yaml::Value>,
    description: Option<serde_yaml::Value>,
    doc_type: Option<serde_yaml::Value>,
    #[serde(rename = "ms.prod")]
    product: Option<serde_yaml::Value>,
    #[serde(rename = "ms.subservice")]
    subservice: Option<serde_yaml::Value>,
}

fn yaml_string(value: Option<serde_yaml::Value>) -> Option<String> {
    match value? {
        serde_yaml::Value::String(s) => Some(s.trim().to_owned()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Reader<'_> {
    pub(super) fn front_matter(&self, diagnostics: &mut Diagnostics) -> FrontMatter {
        let Some((yaml, offset)) = &self.doc.front_matter else {
            diagnostics.report(
                self.source(0),
                Finding::FrontMatter,
                "page has no YAML front matter",
                "start the page with `---`, `title:`, `description:`, `doc_type:`, `---`",
            );
            return FrontMatter::default();
        };
        match serde_yaml::from_str::<RawFrontMatter>(yaml) {
            Ok(raw) => {
                // A value left as the page template's placeholder says nothing.
                let mut unfilled = |key: &str, value: Option<String>| {
                    let value = value?;
                    if !(value.starts_with('<') && value.ends_with('>')) {
                        return Some(value);
                    }
                    diagnostics.report(
                        self.source(offset + yaml_key_offset(yaml, key).unwrap_or(0)),
                        Finding::TemplatePlaceholder,
                        format!("`{key}` is the template's placeholder `{value}`"),
                        format!("write the page's `{key}`, or remove the line"),
                    );
                    None
                };
                FrontMatter {
                    title: yaml_string(raw.title),
                    description: yaml_string(raw.description),
                    doc_type: yaml_string(raw.doc_type),
                    product: unfilled("ms.prod", yaml_string(raw.product)),
                    subservice: unfilled("ms.subservice", yaml_string(raw.subservice)),
                    // Findings about doc_type point at its line.
                    offset: offset + yaml_key_offset(yaml, "doc_type").unwrap_or(0),
                }
            }
            Err(error) => {
                let (line, _) = self.index.position(*offset);
                let line = line + error.location().map_or(0, |l| l.line() as u32);
                diagnostics.report(
                    Source::in_file(&self.file, line, 0),
                    Finding::FrontMatter,
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
    pub(super) fn kind(&self, front: &FrontMatter, diagnostics: &mut Diagnostics) -> PageKind {
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
        diagnostics.report(
            self.source(front.offset),
            Finding::DocType,
            format!("{found}; read as {inferred:?} from its sections"),
            "set doc_type to apiPageType, resourcePageType, enumPageType or conceptualPageType",
        );
        inferred
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

/// The product a page belongs to (`ms.prod`, lowercased), or [`GENERAL_AREA`]; also
/// used for `ms.subservice`.
pub fn product(product: Option<&str>) -> String {
    product
        .map(|p| p.trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| GENERAL_AREA.to_owned())
}
