//! Findings about the docs: every one carries the file, line and column it is about,
//! and none of them stops a run.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// Where something came from: a docs file (relative to the docs root) and a 1-based
/// line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    /// Shared by every source in the file: a corpus holds hundreds of thousands.
    pub file: Arc<str>,
    pub line: u32,
    #[serde(skip_serializing_if = "is_zero")]
    pub column: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Source {
    pub fn new(file: &str, line: u32, column: u32) -> Source {
        Source::in_file(&Arc::from(file), line, column)
    }

    /// A place in `file`, which it shares.
    pub fn in_file(file: &Arc<str>, line: u32, column: u32) -> Source {
        Source {
            file: Arc::clone(file),
            line,
            column,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if self.column > 0 {
            write!(f, ":{}", self.column)?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One finding. `code` is stable across releases so that tools can key on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    pub source: Source,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    /// What was expected instead.
    pub help: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.source, self.severity, self.code, self.message
        )?;
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

/// Collects findings; parsing and model building push into it and go on.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(
        &mut self,
        source: Source,
        severity: Severity,
        code: Code,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            source,
            severity,
            code,
            message: message.into(),
            help: help.into(),
        });
    }

    /// A finding with its code's default severity.
    pub fn report(
        &mut self,
        source: Source,
        code: Code,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(source, code.severity(), code, message, help);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// The findings in file, line and column order, so output is deterministic.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}

/// The finding codes, stable across releases so that tools and configuration can key on
/// them, each with its default severity and the one-line summary the README's table
/// shows (a test holds the two to each other). `GD00xx` page, `GD01xx` tables and types,
/// `GD02xx` HTTP blocks, `GD03xx` examples, `GD04xx` placeholders.
macro_rules! codes {
    ($( $variant:ident = $code:literal $severity:ident: $summary:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &[Code] = &[ $( Code::$variant, )* ];

            /// `GD0305` and the like.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $code, )*
                }
            }

            /// How serious a finding of this code is, unless its finder says otherwise.
            pub fn severity(self) -> Severity {
                match self {
                    $( Code::$variant => Severity::$severity, )*
                }
            }

            /// What the finding is about, in a line.
            pub fn summary(self) -> &'static str {
                match self {
                    $( Code::$variant => $summary, )*
                }
            }
        }
    };
}

codes! {
    FrontMatter = "GD0001" Warning: "front matter missing or not YAML; page not UTF-8";
    DocType = "GD0002" Warning: "doc_type missing, unknown, or contradicted by the page's sections";
    MissingSection = "GD0003" Warning: "a section the page kind needs is missing (HTTP request, Properties, Members)";
    Conceptual = "GD0004" Note: "conceptual page: nothing to generate";
    Symlink = "GD0005" Warning: "symbolic link in the docs folder, not followed";
    MissingInclude = "GD0006" Warning: "included fragment (`[!INCLUDE [...](path)]`, in a section that is read) that does not exist";
    TemplatePlaceholder = "GD0007" Warning: "front matter value left as the page template's placeholder (`ms.prod: <ms.prod>`)";
    TableShape = "GD0101" Warning: "table row with the wrong number of cells; property table without a Type column";
    UnknownType = "GD0102" Warning: "type cell that names no known type, with a \"did you mean\"";
    BrokenLink = "GD0103" Warning: "relative link (anywhere on the page) to a page that does not exist";
    BaseType = "GD0104" Warning: "base type (\"Inherits from\", \"a subclass of\", the representation's `baseType` annotation, a base page's list) missing, cyclic, or named differently by the base page";
    DuplicateType = "GD0105" Warning: "type or property documented twice (pages of one type are merged, with a note)";
    UnlistedBodyProperty = "GD0106" Warning: "update body property that the resource's page does not list";
    LinkMismatch = "GD0107" Warning: "type cell whose link text names another type than its target page documents (typed by the text)";
    OtherTable = "GD0108" Note: "table under Properties or Relationships in a subsection about something else (\"Properties of a … definition\"): not read as the type's properties";
    PropertyCase = "GD0109" Warning: "property the table spells in another case than the JSON representation (the representation's spelling is the wire name)";
    HttpBlock = "GD0201" Warning: "HTTP block that is not a request or response, or has no `METHOD /path`";
    Annotation = "GD0202" Warning: "block annotation that is not JSON";
    ExamplePairing = "GD0203" Warning: "example response without a request before it";
    UnclosedFence = "GD0204" Warning: "code fence never closed: the rest of the page is code";
    TemplateSample = "GD0205" Warning: "path template with a sample value or a placeholder written otherwise (`(team-id)`, `'{id}'`, a GUID, `id`, `users/me`) where `{name}` belongs";
    ExampleUrl = "GD0301" Warning: "example URL with a backslash or without an API version";
    UnmatchedUrl = "GD0302" Warning: "example URL that matches no documented path";
    InvalidJson = "GD0303" Error: "example body that is not JSON, even leniently";
    RepairedJson = "GD0304" Warning: "example body that needed repair (comments, trailing commas, `...`)";
    UndeclaredProperty = "GD0305" Warning: "example property not in the type's tables (bases and `@odata.type` included)";
    WrappedValue = "GD0306" Warning: "single object wrapped in `value`; collection without `value`";
    UnexpectedBody = "GD0307" Warning: "example request body where the page documents none";
    OtherHost = "GD0308" Note: "example request to another host (a callback), not tested";
    MissingResponseBody = "GD0309" Warning: "example response without a body where the operation returns one";
    WrongValueType = "GD0310" Error: "example value that is not its declared type, e.g. `\"Boolean\"` for a Boolean, `\"Guid\"` for a Guid, `\"binary\"` for a Binary, `\"2 days\"` for a Duration";
    MethodMismatch = "GD0311" Warning: "example method differs from the documented one";
    UnknownMember = "GD0312" Warning: "enum value not among the enum's members";
    StatusMismatch = "GD0313" Warning: "example response status differs from the one the Response section states";
    DuplicateExample = "GD0314" Warning: "example name (annotation) used twice";
    ContentLength = "GD0315" Warning: "Content-Length header that disagrees with the body";
    DuplicateKey = "GD0316" Error: "example object with the same key twice";
    NotDerived = "GD0317" Warning: "example `@odata.type` names a type that is not the declared one nor derived from it";
    ContentType = "GD0318" Warning: "example Content-Type is not JSON where the page documents a JSON body or result";
    ContextRoot = "GD0319" Warning: "example `@odata.context` names another service root (API version or host) than its request went to";
    PlaceholderInUrl = "GD0320" Note: "example URL holds a template placeholder (`{id}`) where a value belongs";
    UrlOnOtherPage = "GD0321" Warning: "example URL that matches no path of its page but one documented on another page (matched to that operation)";
    ArgumentsDiffer = "GD0322" Warning: "example function call whose arguments differ from its documented path's (matched by the function's name; the test sends the documented arguments)";
    Placeholder = "GD0401" Warning: "\"TODO\" placeholder in a permission cell";
}

impl Code {
    /// The code `GD0305` and the like names.
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|code| code.as_str() == text)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
