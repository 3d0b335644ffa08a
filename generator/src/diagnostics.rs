//! Findings about the docs: every one carries the file, line and column it is about,
//! and none of them stops a run.

use std::fmt;

use serde::Serialize;

/// Where something came from: a docs file (relative to the docs root) and a 1-based
/// line and column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    pub file: String,
    pub line: u32,
    #[serde(skip_serializing_if = "is_zero")]
    pub column: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Source {
    pub fn new(file: &str, line: u32, column: u32) -> Source {
        Source {
            file: file.to_owned(),
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
    pub code: &'static str,
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
        code: &'static str,
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

    pub fn warn(
        &mut self,
        source: Source,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(source, Severity::Warning, code, message, help);
    }

    pub fn error(
        &mut self,
        source: Source,
        code: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(source, Severity::Error, code, message, help);
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

/// The stable finding codes. `GD00xx` page, `GD01xx` tables and types, `GD02xx` HTTP
/// blocks, `GD03xx` examples, `GD04xx` placeholders, `GD05xx` names.
pub mod codes {
    pub const FRONT_MATTER: &str = "GD0001";
    pub const DOC_TYPE: &str = "GD0002";
    pub const MISSING_SECTION: &str = "GD0003";
    pub const CONCEPTUAL: &str = "GD0004";
    pub const SYMLINK: &str = "GD0005";
    pub const TABLE_SHAPE: &str = "GD0101";
    pub const UNKNOWN_TYPE: &str = "GD0102";
    pub const BROKEN_LINK: &str = "GD0103";
    pub const BASE_TYPE: &str = "GD0104";
    pub const DUPLICATE_TYPE: &str = "GD0105";
    pub const HTTP_BLOCK: &str = "GD0201";
    pub const ANNOTATION: &str = "GD0202";
    pub const EXAMPLE_PAIRING: &str = "GD0203";
    pub const UNCLOSED_FENCE: &str = "GD0204";
    pub const EXAMPLE_URL: &str = "GD0301";
    pub const UNMATCHED_URL: &str = "GD0302";
    pub const INVALID_JSON: &str = "GD0303";
    pub const REPAIRED_JSON: &str = "GD0304";
    pub const UNDECLARED_PROPERTY: &str = "GD0305";
    pub const WRAPPED_VALUE: &str = "GD0306";
    pub const UNEXPECTED_BODY: &str = "GD0307";
    pub const OTHER_HOST: &str = "GD0308";
    pub const MISSING_RESPONSE_BODY: &str = "GD0309";
    pub const WRONG_VALUE_TYPE: &str = "GD0310";
    pub const METHOD_MISMATCH: &str = "GD0311";
    pub const UNKNOWN_MEMBER: &str = "GD0312";
    pub const STATUS_MISMATCH: &str = "GD0313";
    pub const DUPLICATE_EXAMPLE: &str = "GD0314";
    pub const CONTENT_LENGTH: &str = "GD0315";
    pub const DUPLICATE_KEY: &str = "GD0316";
    pub const NOT_DERIVED: &str = "GD0317";
    pub const CONTENT_TYPE: &str = "GD0318";
    pub const PLACEHOLDER: &str = "GD0401";
}
