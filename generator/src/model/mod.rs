//! Every page resolved against every other: types with their properties (bases
//! included), operations with their paths, bodies, results and examples. Plain data in a
//! deterministic order; emission is a pure function of it.

mod areas;
pub mod naming;
pub mod navigation;
mod onedrive;
pub mod parts;
mod path;
pub mod preferences;
mod resolve;
pub mod web;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::{Code, Diagnostics, Source};
use crate::parse::Page;

pub use onedrive::{ITEM_PATH, drive_equivalent, is_item_path, item_by_path, written_forms};
pub use path::{
    PathPart, PathTemplate, Url, encode_segment, is_version, template_placeholders,
    with_template_arguments,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Primitive {
    String,
    Boolean,
    Byte,
    SByte,
    Int16,
    Int32,
    Int64,
    Single,
    Double,
    Decimal,
    Guid,
    Binary,
    Date,
    TimeOfDay,
    Duration,
    DateTimeOffset,
    Stream,
}

impl Primitive {
    /// The primitive a type cell names, in any case, with or without `Edm.`.
    pub fn from_name(name: &str) -> Option<Primitive> {
        let name = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
        Some(match name.as_str() {
            "string" | "str" | "url" | "uri" => Primitive::String,
            "boolean" | "bool" => Primitive::Boolean,
            "byte" => Primitive::Byte,
            "sbyte" => Primitive::SByte,
            "int16" => Primitive::Int16,
            "int32" | "int" | "integer" => Primitive::Int32,
            "int64" | "long" => Primitive::Int64,
            "single" | "float" => Primitive::Single,
            "double" | "number" => Primitive::Double,
            "decimal" => Primitive::Decimal,
            "guid" | "uuid" => Primitive::Guid,
            "binary" => Primitive::Binary,
            "date" => Primitive::Date,
            "timeofday" => Primitive::TimeOfDay,
            "duration" | "timespan" => Primitive::Duration,
            "datetimeoffset" | "datetime" | "timestamp" => Primitive::DateTimeOffset,
            "stream" => Primitive::Stream,
            _ => return None,
        })
    }
}

/// A property's or a result's type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeRef {
    Primitive {
        name: Primitive,
    },
    /// A struct in `types`. When other types derive from it, `any_name` is the enum
    /// over it and them, told apart by `@odata.type`: the Rust type of the value.
    Struct {
        wire_name: String,
        rust_name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        any_name: Option<String>,
    },
    /// An enum in `types`; `flags` when its members combine (`"read,write"`).
    Enum {
        wire_name: String,
        rust_name: String,
        flags: bool,
    },
    Collection {
        item: Box<TypeRef>,
    },
    /// A resource (an entity, with an `id`) of another area, kept as JSON in the struct
    /// that refers to it, so that an area compiles without the areas it links to.
    /// `rust_name` is the type to read it as (its `AnyX` when it has one).
    Foreign {
        wire_name: String,
        rust_name: String,
        area: String,
    },
    /// Untyped JSON: the docs name no type we know.
    Json,
}

impl TypeRef {
    /// The Rust name of the struct or enum it names, through collections; `None` for
    /// primitives and JSON.
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Struct { rust_name, .. } | TypeRef::Enum { rust_name, .. } => Some(rust_name),
            TypeRef::Collection { item } => item.named(),
            TypeRef::Primitive { .. } | TypeRef::Foreign { .. } | TypeRef::Json => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Property {
    pub wire_name: String,
    pub rust_name: String,
    #[serde(rename = "type")]
    pub ty: TypeRef,
    pub description: String,
    /// Boxed because the types refer to each other in a cycle.
    pub boxed: bool,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    pub wire_name: String,
    pub rust_name: String,
    /// The `@odata.type` that names it on the wire, `#` and namespace included.
    pub odata_type: String,
    pub description: String,
    pub base: Option<String>,
    pub properties: Vec<Property>,
    /// Rust names of the types derived from it, at any depth, sorted.
    pub derived: Vec<String>,
    /// The enum over it and its derived types, when it has any.
    pub any_name: Option<String>,
    /// The module (and cargo feature) of the area it belongs to.
    pub area: String,
    /// The features that compile it: its area's, and those of the areas that use it.
    pub features: Vec<String>,
    /// The crate it is in (see `parts`).
    pub part: String,
    pub source: Source,
    /// Where its page is published (`[links]` in `docgen.toml`), when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

impl TypeDef {
    /// The type an object declared as this one is read as: the derived type its
    /// `@odata.type` names, matched as the generated code matches it, else this type.
    /// `lookup` finds a type by its Rust name.
    pub fn concrete<'t>(
        &'t self,
        value: &Value,
        lookup: impl Fn(&str) -> Option<&'t TypeDef>,
    ) -> &'t TypeDef {
        let Some(name) = value.get("@odata.type").and_then(Value::as_str) else {
            return self;
        };
        let derived: Vec<&TypeDef> = self
            .derived
            .iter()
            .filter_map(|rust| lookup(rust))
            .collect();
        variant_named(&derived, name).unwrap_or(self)
    }

    /// The variants of its enum in `properties` (for `$select` and `$expand`): a Pascal
    /// case name per property, in the properties' order.
    pub fn property_variants(&self) -> Vec<String> {
        let mut scope = naming::Scope::default();
        self.properties
            .iter()
            .map(|p| scope.claim(&p.wire_name, naming::Case::Pascal))
            .collect()
    }
}

/// The type among `derived` that an `@odata.type` names, as the generated code picks
/// it: the one whose qualified name it is, else the one whose name it ends with (of
/// two namespaces' types of that name, the one in the shorter namespace: the root).
pub fn variant_named<'t>(derived: &[&'t TypeDef], odata_type: &str) -> Option<&'t TypeDef> {
    let qualified = odata_type.trim_start_matches('#');
    let short = odata_short_name(qualified);
    derived
        .iter()
        .find(|d| d.odata_type.trim_start_matches('#') == qualified)
        .or_else(|| {
            derived
                .iter()
                .filter(|d| d.wire_name == short)
                .min_by_key(|d| d.odata_type.len())
        })
        .copied()
}

/// The namespace of an `@odata.type` (`microsoft.graph.termStore` of
/// `#microsoft.graph.termStore.group`), when it names one.
pub fn odata_namespace(odata_type: &str) -> Option<&str> {
    Some(odata_type.trim_start_matches('#').rsplit_once('.')?.0)
}

/// The name in an `@odata.type` without `#` and namespace (`#microsoft.graph.user` is
/// `user`), as the generated code matches it.
pub fn odata_short_name(odata_type: &str) -> &str {
    let name = odata_type.trim_start_matches('#');
    name.rsplit('.').next().unwrap_or(name)
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumMember {
    pub wire_name: String,
    pub rust_name: String,
    pub description: String,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumDef {
    pub wire_name: String,
    pub rust_name: String,
    pub description: String,
    pub members: Vec<EnumMember>,
    /// Members combine, written comma-separated.
    pub flags: bool,
    /// The module (and cargo feature) of the area it belongs to.
    pub area: String,
    /// The features that compile it: its area's, and those of the areas that use it.
    pub features: Vec<String>,
    /// The crate it is in (see `parts`).
    pub part: String,
    pub source: Source,
    /// Where its page is published (`[links]` in `docgen.toml`), when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// No content (`204`): the result is `()`.
    Empty,
    Json {
        item: TypeRef,
    },
    /// A collection in `value`: the result is the items.
    Collection {
        item: TypeRef,
    },
    /// Raw bytes (files, reports, non-JSON content): a `$value`, a stream property, a
    /// redirect to a download, a non-JSON `Content-Type`.
    Bytes,
    /// `$count`: an integer as plain text.
    Count,
    /// `202 Accepted` with a `Location` to poll: a long-running operation.
    Accepted,
}

impl Response {
    /// The type of the JSON result, or of each of its items.
    pub fn item(&self) -> Option<&TypeRef> {
        match self {
            Response::Json { item } | Response::Collection { item } => Some(item),
            Response::Empty | Response::Bytes | Response::Count | Response::Accepted => None,
        }
    }
}

/// What a request sends.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// A JSON value of this type.
    Json { item: TypeRef },
    /// Raw content (a file, a photo, an XML policy) of a content type the caller names.
    Content,
}

impl Body {
    /// The type of the JSON body.
    pub fn item(&self) -> Option<&TypeRef> {
        match self {
            Body::Json { item } => Some(item),
            Body::Content => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Permission {
    pub kind: String,
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub title: String,
    pub rust_name: String,
    pub description: String,
    pub method: String,
    pub path: PathTemplate,
    pub body: Option<Body>,
    /// The success status it answers with, as its page says first.
    pub status: u16,
    /// Other success statuses its page names (`200 OK` for a report's JSON beside the
    /// `302 Found` of its CSV): examples may answer with these too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_statuses: Vec<u16>,
    pub response: Response,
    pub permissions: Vec<Permission>,
    /// The query options and parameters its page documents.
    pub query: crate::parse::QueryDoc,
    /// The request headers its page documents.
    pub headers: Vec<crate::parse::Parameter>,
    pub examples: Vec<Example>,
    /// The module (and cargo feature) of the area it belongs to.
    pub area: String,
    /// Its area's part (see `parts`): the types it takes and returns count as used
    /// there. Its method is in the generated crate itself (see `navigation`).
    pub part: String,
    /// How it is reached through the API's navigation (see `navigation`).
    pub call: navigation::Call,
    pub source: Source,
    /// Where its page is published (`[links]` in `docgen.toml`), when configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
}

impl Operation {
    /// The types it takes and returns: its body's, then its result's.
    pub fn carried(&self) -> impl Iterator<Item = &TypeRef> {
        self.body_item().into_iter().chain(self.response.item())
    }

    /// The resource it is about: the type it returns, else the one it takes.
    pub fn subject(&self) -> Option<&TypeRef> {
        subject(&self.response, self.body_item())
    }

    /// The type of its JSON body, when it sends one.
    pub fn body_item(&self) -> Option<&TypeRef> {
        self.body.as_ref().and_then(Body::item)
    }
}

/// The resource an operation with this result and body is about: the type it returns,
/// else the one it takes.
pub fn subject<'t>(response: &'t Response, body: Option<&'t TypeRef>) -> Option<&'t TypeRef> {
    response.item().or(body)
}

/// A JSON body of an example, as written (or as repaired) and parsed.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleJson {
    pub text: String,
    /// The page's parsed body, shared.
    pub value: std::sync::Arc<Value>,
    /// Top-level keys the type does not declare (besides `@odata.type`), in order.
    pub undeclared: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleRequest {
    pub method: String,
    pub url: String,
    /// Values of the path parameters, in the order of the path's parameters; `None`
    /// when the example URL matches no documented path (a finding says so).
    pub path_args: Option<Vec<String>>,
    /// How the URL writes the signed-in user when it is not as the template does
    /// (`/me/...` for `/users/{id}/...`, or back); the arguments are the template's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_alias: Option<navigation::UserAlias>,
    /// The path the URL was matched in, when the service reads the URL as that path
    /// (`/drive/root` as `/me/drive/items/root`: see `drive_equivalent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_as: Option<String>,
    /// The URL addresses a drive's item by its path (`root:/{path}:`) where the
    /// template writes its id (`items/{id}`): the path stands in the id's argument, and
    /// the call goes `root().path(..)` too.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub item_path: bool,
    /// The function arguments the URL writes otherwise than the operation's path (left
    /// out, or added): the test sends the path's (GD0322).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_arguments: Vec<String>,
    /// The body, when it is JSON and the operation has a body type.
    pub body: Option<ExampleJson>,
    /// The body, when the operation sends content: its text and `Content-Type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<ExampleContent>,
    /// Why the body is not tested, when it is not.
    pub body_skipped: Option<Skip>,
}

/// Content an example sends, as the page writes it (a placeholder such as "Binary data
/// for the image" stands for the bytes).
#[derive(Debug, Clone, Serialize)]
pub struct ExampleContent {
    pub content_type: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleResponse {
    pub status: u16,
    pub content_type: Option<String>,
    /// The other headers, but those the transport sets (length, encoding).
    pub headers: Vec<(String, String)>,
    /// The body the service sends, when it is JSON (for collections, the whole page).
    pub body: Option<ExampleJson>,
    /// The body as written, when the operation returns bytes or a count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Undeclared keys per item, for collection results.
    pub item_undeclared: Vec<Vec<String>>,
    pub body_skipped: Option<Skip>,
}

impl ExampleResponse {
    /// Its `Location` header: where a redirect points, or a long-running operation's
    /// monitor.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("location"))
            .map(|(_, value)| value.as_str())
    }

    /// The number a `$count` example answers with, when it is one.
    pub fn count(&self) -> Option<u64> {
        self.content.as_deref()?.trim().parse().ok()
    }
}

/// Why an example's body is not tested, or its request and response not replayed: one
/// decision, made in the model, that emit, the report and the corpus run read.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Skip {
    /// A defect in the docs, which the finding `code` reports.
    Finding { code: Code, reason: String },
    /// An answer that redirects to another host, which a client follows: not replayed
    /// offline.
    Redirect { status: u16 },
    /// Not a defect: nothing to test, or nothing the client may send.
    Other { reason: String },
}

impl Skip {
    pub fn finding(code: Code, reason: impl Into<String>) -> Skip {
        Skip::Finding {
            code,
            reason: reason.into(),
        }
    }

    pub fn other(reason: impl Into<String>) -> Skip {
        Skip::Other {
            reason: reason.into(),
        }
    }

    /// What the report counts it under: the finding's code, `redirect` or `other`.
    pub fn tally(&self) -> &'static str {
        match self {
            Skip::Finding { code, .. } => code.as_str(),
            Skip::Redirect { .. } => "redirect",
            Skip::Other { .. } => "other",
        }
    }
}

impl std::fmt::Display for Skip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skip::Finding { code, reason } => write!(f, "{reason} ({code})"),
            Skip::Redirect { status } => write!(
                f,
                "the example answers with a redirect ({status}), which a client follows to \
                 another host: not replayed offline"
            ),
            Skip::Other { reason } => f.write_str(reason),
        }
    }
}

impl Example {
    /// Why the example's request and response cannot be replayed over HTTP (a test
    /// server expecting the example's request and answering its response), if they
    /// cannot: each reason names the finding that reports the doc defect. `None` for an
    /// example without a response, which is no pair to replay.
    pub fn replay_blocker(&self, op: &Operation) -> Option<Result<(), Skip>> {
        let response = self.response.as_ref()?;
        let request = &self.request;
        let dots = |arg: &String| !arg.is_empty() && arg.chars().all(|c| c == '.');
        Some(if request.path_args.is_none() {
            Err(Skip::finding(
                Code::UnmatchedUrl,
                "the example URL matches no documented path",
            ))
        } else if request.path_args.iter().flatten().any(dots) {
            Err(Skip::other(
                "a path parameter is `.` or `..`, which the client refuses to send",
            ))
        } else if (300..400).contains(&response.status)
            && !(op.response == Response::Bytes && op.method.eq_ignore_ascii_case("GET"))
        {
            // A download's redirect is followed to a second server; others are not.
            Err(Skip::Redirect {
                status: response.status,
            })
        } else if !request.method.eq_ignore_ascii_case(&op.method) {
            Err(Skip::finding(
                Code::MethodMismatch,
                format!(
                    "the example uses {}, the page documents {}",
                    request.method, op.method
                ),
            ))
        } else if let (Some(_), None, Some(reason)) =
            (&op.body, &request.body, &request.body_skipped)
        {
            // An example that sends no body is replayed with an empty one.
            Err(reason.clone())
        } else if !(200..300).contains(&response.status) {
            // An error answer is replayed as one, whatever the operation returns.
            Ok(())
        } else if op.response == Response::Count && response.count().is_none() {
            Err(response
                .body_skipped
                .clone()
                .unwrap_or_else(|| Skip::other("the example's count is not a number")))
        } else if response.body.is_none()
            && matches!(
                op.response,
                Response::Json { .. } | Response::Collection { .. }
            )
        {
            Err(response
                .body_skipped
                .clone()
                .unwrap_or_else(|| Skip::other("the example shows no response body")))
        } else {
            Ok(())
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub test_name: String,
    /// Where the pair is: its request, or for an alternative its response.
    pub source: Source,
    pub request: ExampleRequest,
    pub response: Option<ExampleResponse>,
    /// Another response the page shows to the previous example's request: its
    /// request is tested with that example, not again.
    pub alternative: bool,
}

/// An API area: a module in `types` and `requests`, and a cargo feature.
#[derive(Debug, Clone, Serialize)]
pub struct Area {
    pub name: String,
    /// The other areas some of whose types this one uses, directly or through others.
    pub needs: Vec<String>,
}

/// A crate of the output (see `parts`): the types of its areas.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// The crate's name after the generated crate's: `part-1`, `part-1-3`, `shared`...
    pub name: String,
    /// The features its items are compiled by.
    pub features: Vec<String>,
    /// The crates it uses, directly or through others.
    pub uses: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Scheme, host and version most example URLs share.
    pub base_url: String,
    pub areas: Vec<Area>,
    /// The crates the types are in, dependencies first.
    pub parts: Vec<Part>,
    pub types: Vec<TypeDef>,
    pub enums: Vec<EnumDef>,
    pub operations: Vec<Operation>,
    /// The API as a tree of paths; `navigation[0]` is the service root.
    pub navigation: Vec<navigation::Node>,
    /// The `Prefer` header's preferences the operations document.
    pub preferences: Vec<preferences::Preference>,
}

impl Model {
    /// The operation with this Rust name (operations are sorted by it).
    pub fn operation_named(&self, rust_name: &str) -> Option<&Operation> {
        self.operations
            .binary_search_by(|op| op.rust_name.as_str().cmp(rust_name))
            .ok()
            .map(|i| &self.operations[i])
    }

    pub fn type_named(&self, rust_name: &str) -> Option<&TypeDef> {
        type_named(&self.types, rust_name)
    }

    pub fn enum_named(&self, rust_name: &str) -> Option<&EnumDef> {
        enum_position(&self.enums, rust_name).map(|i| &self.enums[i])
    }
}

/// A page's file name without folder and `.md`.
pub(crate) fn file_stem(file: &str) -> String {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name).to_owned()
}

/// The model keeps its types and its enums sorted by Rust name (unique: one namespace):
/// that order is the index every consumer looks names up in.
pub fn type_named<'t>(types: &'t [TypeDef], rust_name: &str) -> Option<&'t TypeDef> {
    type_position(types, rust_name).map(|i| &types[i])
}

pub fn type_position(types: &[TypeDef], rust_name: &str) -> Option<usize> {
    debug_assert!(types.is_sorted_by(|a, b| a.rust_name < b.rust_name));
    types
        .binary_search_by(|t| t.rust_name.as_str().cmp(rust_name))
        .ok()
}

pub fn enum_position(enums: &[EnumDef], rust_name: &str) -> Option<usize> {
    debug_assert!(enums.is_sorted_by(|a, b| a.rust_name < b.rust_name));
    enums
        .binary_search_by(|e| e.rust_name.as_str().cmp(rust_name))
        .ok()
}

/// Builds the model from parsed pages (in any order: they are sorted by file first).
pub fn build(pages: &mut [Page], diagnostics: &mut Diagnostics) -> Model {
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    resolve::Resolver::new(pages, diagnostics).build()
}
