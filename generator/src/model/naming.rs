//! The one place Rust names are made from wire names.

use std::cell::RefCell;

use foldhash::{HashMap, HashSet};
use heck::{ToSnakeCase, ToUpperCamelCase};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Functions, fields, parameters, modules.
    Snake,
    /// Types and enum variants.
    Pascal,
}

/// Strict, reserved and edition-specific keywords (`gen` included). All are avoided
/// with a trailing `_` rather than `r#`, because `self`, `Self`, `crate` and `super`
/// cannot be raw identifiers.
const KEYWORDS: &[&str] = &[
    "abstract",
    "as",
    "async",
    "await",
    "become",
    "box",
    "break",
    "const",
    "continue",
    "crate",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "macro_rules",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "ref",
    "return",
    "self",
    "Self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// A valid Rust identifier for `wire` in the given case. Characters that cannot be in an
/// identifier (`-`, `.`, `@`, `#`, non-ASCII) become word breaks; a leading digit gets a
/// prefix; keywords get a trailing `_`. Different wire names can give the same result:
/// [`Scope`] makes them unique.
pub fn rust_name(wire: &str, case: Case) -> String {
    // The same wire names come back thousands of times (every entity's `id`, every
    // path's segments), and heck's conversion was a sixth of the model's time: each
    // thread remembers what it has converted.
    thread_local! {
        static CONVERTED: RefCell<[HashMap<String, String>; 2]> = RefCell::default();
    }
    CONVERTED.with_borrow_mut(|converted| {
        let converted = &mut converted[case as usize];
        if let Some(name) = converted.get(wire) {
            return name.clone();
        }
        let name = convert(wire, case);
        converted.insert(wire.to_owned(), name.clone());
        name
    })
}

fn convert(wire: &str, case: Case) -> String {
    let words: String = wire
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = match case {
        Case::Snake => words.to_snake_case(),
        Case::Pascal => words.to_upper_camel_case(),
    };
    if name.is_empty() {
        name = match case {
            Case::Snake => "value".to_owned(),
            Case::Pascal => "Value".to_owned(),
        };
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, if case == Case::Snake { "n" } else { "N" });
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Names in one namespace (a module's types, a struct's fields). The first claimant of a
/// name keeps it; later ones get `_2`, `_3`, ... (`2`, `3` in Pascal case). Callers claim
/// in a deterministic order, so the result is the same on every run.
#[derive(Debug, Default)]
pub struct Scope {
    used: HashSet<String>,
}

impl Scope {
    /// Reserves a name the generated code uses itself.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// Whether `wire` would not get its own name: its Rust name is already taken.
    pub fn is_taken(&self, wire: &str, case: Case) -> bool {
        self.used.contains(&rust_name(wire, case))
    }

    pub fn claim(&mut self, wire: &str, case: Case) -> String {
        let base = rust_name(wire, case);
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            // `Self_` and `type_` take the number in place of the `_` (`Self2`, `type_2`):
            // a Pascal case name with `_` is not Pascal case to rustc's lint.
            let stem = base.trim_end_matches('_');
            name = match case {
                Case::Snake => format!("{stem}_{n}"),
                Case::Pascal => format!("{stem}{n}"),
            };
            n += 1;
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_identifiers() {
        assert_eq!(
            rust_name("cartToClassAssociation", Case::Pascal),
            "CartToClassAssociation"
        );
        assert_eq!(rust_name("deviceCartIds", Case::Snake), "device_cart_ids");
        assert_eq!(rust_name("type", Case::Snake), "type_");
        assert_eq!(rust_name("self", Case::Pascal), "Self_");
        assert_eq!(rust_name("gen", Case::Snake), "gen_");
        assert_eq!(rust_name("2faEnabled", Case::Snake), "n2fa_enabled");
        assert_eq!(rust_name("@odata.nextLink", Case::Snake), "odata_next_link");
        assert_eq!(rust_name("x-ms-größe", Case::Snake), "x_ms_gr_e");
        assert_eq!(rust_name("", Case::Pascal), "Value");
        assert_eq!(rust_name("Option", Case::Pascal), "Option");
    }

    #[test]
    fn collisions_are_resolved_in_claim_order() {
        let mut scope = Scope::default();
        scope.reserve("additional_properties");
        assert_eq!(scope.claim("displayName", Case::Snake), "display_name");
        assert_eq!(scope.claim("DisplayName", Case::Snake), "display_name_2");
        assert_eq!(scope.claim("display_name", Case::Snake), "display_name_3");
        assert_eq!(
            scope.claim("additionalProperties", Case::Snake),
            "additional_properties_2"
        );
        assert_eq!(scope.claim("self", Case::Pascal), "Self_");
        assert_eq!(scope.claim("Self", Case::Pascal), "Self2");
    }
}
