//! What one page says, before anything is resolved across pages.

use serde::Serialize;

use crate::diagnostics::Source;

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
    /// The section of the target page the link points into (`chattype-values`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
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

/// A docfx include of a fragment: its docs-root path and the including line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Include {
    pub target: String,
    pub source: Source,
}

/// A query parameter or request header, from a table that lists them by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parameter {
    pub name: String,
    /// A header's value written with its name (`Prefer: outlook.timezone`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The Type column, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// The other columns, joined.
    pub description: String,
    /// The description says "Required" (and not "Optional").
    pub required: bool,
    pub source: Source,
}

/// What a page says about OData's system query options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OdataSupport {
    /// The page does not say.
    #[default]
    Unstated,
    /// "does not support the OData query parameters".
    None,
    /// "supports the OData query parameters", naming none.
    General,
    /// The options it names (`$select`, `$top`) and no others.
    Named,
}

/// An operation page's query string: the OData options it supports and its own
/// parameters (a function's `startDateTime`, a download's `format`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QueryDoc {
    pub support: OdataSupport,
    /// The options named, lowercased, in the order first named.
    pub odata: Vec<String>,
    pub parameters: Vec<Parameter>,
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
        /// Shared with the model's example, which keeps it (bodies are most of a
        /// corpus's memory: a copy would be tens of megabytes).
        value: std::sync::Arc<serde_json::Value>,
        /// Empty for strict JSON.
        repairs: Vec<crate::json::Repair>,
        /// The first key that appears twice in one object: its path and the offset of
        /// the second (typed deserialization rejects such an object).
        duplicate: Option<(String, usize)>,
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
                value: value.into(),
                repairs,
                duplicate: crate::json::Positions::duplicate(&text),
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

/// The `Content-Type` header, when it names something other than JSON (a file's bytes,
/// text, a CSV report).
pub fn non_json_content_type(headers: &[Header]) -> Option<&Header> {
    header(headers, "content-type").filter(|t| !t.value.to_lowercase().contains("json"))
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
    /// Another response the page shows to the request of the example before it (a
    /// second case, an error): `request` is that example's, copied without its name,
    /// and its own test stays with that example.
    pub alternative: bool,
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
    /// The front matter's description (often cut short: "Since there").
    pub description: String,
    /// The page's first paragraph under its title (not the namespace line, an include
    /// or a note): what the page says it is about, in full.
    pub intro: String,
    /// The product the page belongs to (see [`product`]).
    pub product: String,
    /// Today's pages often name only a subservice (`ms.subservice: outlook`).
    pub subservice: Option<String>,
    pub source: Source,
    /// `@odata.type` of the page's JSON representation, when it has one.
    pub odata_type: Option<String>,
    /// The top-level keys of the page's JSON representation, as spelled there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub representation_keys: Vec<String>,
    /// The OData namespace the page states (`Namespace: microsoft.graph.termStore`).
    pub namespace: Option<String>,
    pub templates: Vec<Template>,
    pub permissions: Vec<Permission>,
    /// Fragments the Permissions section includes (`[!INCLUDE [..](path)]`), read by
    /// [`super::include_fragments`].
    pub permission_includes: Vec<Include>,
    pub query: QueryDoc,
    pub headers: Vec<Parameter>,
    /// Request body: prose, property rows, and whether it says there is none.
    pub body_prose: Vec<Prose>,
    pub body_rows: Vec<PropertyRow>,
    pub response_prose: Vec<Prose>,
    pub examples: Vec<Example>,
    pub properties: Vec<PropertyRow>,
    pub base: Option<TypeMention>,
    /// Types the page says derive from it ("a base class for [x](x.md)").
    pub derived: Vec<TypeMention>,
    pub enums: Vec<EnumBlock>,
    /// Every relative link to a page, wherever it is on the page.
    pub links: Vec<TypeMention>,
}
