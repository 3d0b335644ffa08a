//! The README's code blocks, held line for line to the test files that run them.

/// The text of `text` between `start` and the next `end`, trimmed.
pub fn region<'t>(text: &'t str, start: &str, end: &str) -> &'t str {
    let from = text.find(start).expect("start marker") + start.len();
    let to = text[from..].find(end).expect("end marker") + from;
    text[from..to].trim()
}
