//! Findings for people and tools: per-code severity from the docs' `docgen.toml`, a
//! baseline of accepted findings keyed by content (not line numbers), and three
//! renderings (annotated source for people, JSON lines for tools, GitHub annotations).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};
use crate::fingerprint::Fnv;

/// The configuration file at the docs root.
pub const CONFIG_FILE: &str = "docgen.toml";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error: the run fails.
    Deny,
}

/// `docgen.toml`:
/// ```toml
/// baseline = "docgen-baseline.json"
/// [severity]
/// GD0305 = "allow"
/// GD0301 = "deny"
/// [links]
/// api = "https://learn.microsoft.com/graph/api/{stem}"
/// ```
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub severity: BTreeMap<String, Setting>,
    /// The baseline file, relative to the docs root.
    pub baseline: Option<String>,
    /// Where the pages of each top folder are published: a URL with `{stem}` for the
    /// file name without `.md`. The generated docs link each item to its page there.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
}

impl Config {
    /// The docs' configuration; defaults when there is no file.
    pub fn load(docs: &Path) -> Result<Config, String> {
        let path = docs.join(CONFIG_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Accepted {
    pub code: String,
    pub file: String,
    pub fingerprint: String,
    /// For the reader of the baseline file; not compared.
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub findings: Vec<Accepted>,
}

impl Baseline {
    pub fn load(path: &Path) -> Result<Baseline, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Baseline::default()),
            Err(e) => Err(format!("{}: {e}", path.display())),
        }
    }

    fn keys(&self) -> BTreeSet<(&str, &str, &str)> {
        self.findings
            .iter()
            .map(|a| (a.code.as_str(), a.file.as_str(), a.fingerprint.as_str()))
            .collect()
    }
}

/// A diagnostic as reported: its configured severity, its fingerprint, and whether the
/// baseline accepts it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The severity after `docgen.toml` (the diagnostic keeps its own).
    pub level: Severity,
    pub fingerprint: String,
    pub baselined: bool,
}

/// Reads page texts on demand for source lines. Only the last page read is kept:
/// findings come sorted by file, so each page is still read once, and a corpus's
/// texts are not all held at once.
pub struct Sources<'a> {
    root: &'a Path,
    last: Option<(String, Option<Lines>)>,
}

/// A page's text and where each of its lines starts, so that every finding's line is
/// found without counting lines from the top again.
struct Lines {
    text: String,
    starts: Vec<usize>,
}

impl Lines {
    fn new(text: String) -> Lines {
        // By byte: a `char` search costs a hundred instructions a line.
        let ends = text.bytes().enumerate().filter(|&(_, b)| b == b'\n');
        let starts = std::iter::once(0)
            .chain(ends.map(|(at, _)| at + 1))
            .filter(|&start| start < text.len())
            .collect();
        Lines { text, starts }
    }

    /// Line `index` (0-based), without its line ending, as `str::lines` gives it.
    fn get(&self, index: usize) -> Option<&str> {
        let start = *self.starts.get(index)?;
        let end = self
            .starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = &self.text[start..end];
        let line = line.strip_suffix('\n').unwrap_or(line);
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

impl<'a> Sources<'a> {
    pub fn new(root: &'a Path) -> Self {
        Sources { root, last: None }
    }

    /// The text of line `line` (1-based) of `file`, if it can be read.
    pub fn line(&mut self, file: &str, line: u32) -> Option<String> {
        if self.last.as_ref().is_none_or(|(read, _)| read != file) {
            let text =
                std::fs::read(self.root.join(file))
                    .ok()
                    .map(|b| match String::from_utf8(b) {
                        Ok(text) => Lines::new(text),
                        Err(e) => Lines::new(String::from_utf8_lossy(e.as_bytes()).into_owned()),
                    });
            self.last = Some((file.to_owned(), text));
        }
        self.last
            .as_ref()?
            .1
            .as_ref()?
            .get(line.checked_sub(1)? as usize)
            .map(str::to_owned)
    }
}

/// What identifies a finding across edits elsewhere in the page: its code, file,
/// message and the text of its line, but not its line number.
pub fn fingerprint(diagnostic: &Diagnostic, line_text: &str) -> String {
    Fnv::default()
        .part(diagnostic.code.as_str())
        .part(&diagnostic.source.file)
        .part(&diagnostic.message)
        .part(line_text.trim())
        .hex()
}

/// Applies the configuration and the baseline. Allowed codes are left out.
pub fn findings(
    diagnostics: &[Diagnostic],
    config: &Config,
    baseline: &Baseline,
    sources: &mut Sources,
) -> Vec<Finding> {
    let accepted = baseline.keys();
    diagnostics
        .iter()
        .filter_map(|d| {
            let level = match config.severity.get(d.code.as_str()) {
                Some(Setting::Allow) => return None,
                Some(Setting::Warn) => Severity::Warning,
                Some(Setting::Deny) => Severity::Error,
                None => d.severity,
            };
            let line = sources
                .line(&d.source.file, d.source.line)
                .unwrap_or_default();
            let fingerprint = fingerprint(d, &line);
            let baselined =
                accepted.contains(&(d.code.as_str(), &*d.source.file, fingerprint.as_str()));
            Some(Finding {
                diagnostic: d.clone(),
                level,
                fingerprint,
                baselined,
            })
        })
        .collect()
}

/// The baseline that accepts every finding given.
pub fn baseline_of(findings: &[Finding]) -> Baseline {
    let mut accepted: Vec<Accepted> = findings
        .iter()
        .map(|f| Accepted {
            code: f.diagnostic.code.to_string(),
            file: f.diagnostic.source.file.to_string(),
            fingerprint: f.fingerprint.clone(),
            message: f.diagnostic.message.clone(),
        })
        .collect();
    accepted.sort();
    accepted.dedup();
    Baseline { findings: accepted }
}

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Note => Level::Note,
    }
}

/// For people: the message, the source line with the span marked, and the help.
pub fn render_human(finding: &Finding, sources: &mut Sources) -> String {
    let d = &finding.diagnostic;
    let origin = &*d.source.file;
    let help = Level::Help.title(&d.help);
    let Some(line) = sources.line(origin, d.source.line) else {
        let message = level(finding.level)
            .title(&d.message)
            .id(d.code.as_str())
            .footer(help);
        return format!("{}\n  --> {}", Renderer::plain().render(message), d.source);
    };
    // The span: from the column to the end of the word there (the whole line without one).
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let (start, end) = match (d.source.column as usize)
        .checked_sub(1)
        .and_then(|c| chars.get(c))
    {
        Some(&(start, first)) => {
            let end = line[start..]
                .find(char::is_whitespace)
                .map_or(line.len(), |n| start + n);
            // At least the character at the column (which may be a space of any width).
            (start, end.max(start + first.len_utf8()))
        }
        None => (0, line.len()),
    };
    let message = level(finding.level)
        .title(&d.message)
        .id(d.code.as_str())
        .snippet(
            Snippet::source(&line)
                .line_start(d.source.line as usize)
                .origin(origin)
                .annotation(level(finding.level).span(start..end)),
        );
    let message = if d.help.is_empty() {
        message
    } else {
        message.footer(help)
    };
    Renderer::plain().render(message).to_string()
}

/// For tools: one JSON object per finding.
pub fn render_json(finding: &Finding) -> String {
    serde_json::to_string(finding).unwrap_or_default()
}

/// For GitHub Actions: a workflow command that annotates the line in the pull request.
pub fn render_github(finding: &Finding, docs_prefix: &str) -> String {
    let d = &finding.diagnostic;
    let kind = match finding.level {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    // Workflow commands escape `%`, CR and LF in values; `,` and `:` too in properties.
    let escape = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let property = |s: &str| escape(s).replace(':', "%3A").replace(',', "%2C");
    format!(
        "::{kind} file={},line={},col={},title={}::{}",
        property(&format!("{docs_prefix}{}", d.source.file)),
        d.source.line,
        d.source.column.max(1),
        property(d.code.as_str()),
        escape(&format!("{} (help: {})", d.message, d.help)),
    )
}

/// Findings per code, and per level, for the closing summary.
pub fn summary(findings: &[Finding]) -> String {
    let mut per_code: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_level: BTreeMap<String, usize> = BTreeMap::new();
    let mut baselined = 0;
    for f in findings {
        if f.baselined {
            baselined += 1;
            continue;
        }
        *per_code.entry(f.diagnostic.code.as_str()).or_default() += 1;
        *per_level.entry(f.level.to_string()).or_default() += 1;
    }
    let mut out = String::new();
    let levels: Vec<String> = per_level
        .iter()
        .map(|(l, n)| format!("{n} {l}(s)"))
        .collect();
    let _ = writeln!(
        out,
        "{} finding(s): {}; {} accepted by the baseline",
        findings.len() - baselined,
        levels.join(", "),
        baselined
    );
    for (code, n) in per_code {
        let _ = writeln!(out, "  {code}: {n}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Lines;

    #[test]
    fn lines_are_the_lines_str_lines_gives() {
        for text in ["", "a", "a\n", "a\r\nb\r\n\r\nc", "\n\nx\n", "é\nü\r\n"] {
            let lines = Lines::new(text.to_owned());
            let expected: Vec<&str> = text.lines().collect();
            let got: Vec<&str> = (0..=expected.len()).map_while(|i| lines.get(i)).collect();
            assert_eq!(got, expected, "{text:?}");
        }
    }
}
