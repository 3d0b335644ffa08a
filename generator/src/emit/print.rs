//! Rust tokens as source text, formatted the way rustfmt formats the shapes the emitter
//! makes: a statement, field or match arm a line; an argument list, array, generic's
//! arguments or attribute that does not fit in 100 columns one element a line; a method
//! chain one call a line when its statement does not fit; `#[doc]` as `///`. The tokens
//! are printed as they are (a broken list gains only a trailing comma, where that keeps
//! its meaning), so the text reads back to them; debug builds check it. This replaced
//! parsing the tokens with syn and printing the tree with prettyplease, which took 3/4
//! of codegen's time.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use std::fmt::Write as _;
use std::ops::Range;

const WIDTH: usize = 100;
const INDENT: &str = "    ";

/// A source file being printed: `push` the file's tokens, in as many streams as
/// convenient (a file of megabytes need not be one stream), then `finish`.
pub struct File {
    out: String,
}

impl Default for File {
    fn default() -> Self {
        File {
            out: String::from("\n"),
        }
    }
}

impl File {
    /// Prints the items (and the file's inner attributes) in `tokens`, a blank line
    /// between items.
    pub fn push(&mut self, tokens: TokenStream) {
        #[cfg(debug_assertions)]
        let (expected, start) = (tokens.clone(), self.out.len());
        let tokens = Tokens::from(tokens);
        Printer::new(&tokens, &mut self.out).file();
        #[cfg(debug_assertions)]
        check_reads_back(&self.out[start..], expected);
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The tokens of a stream in one flat list (a group is its `Open`, its tokens and its
/// `Close`), their text in one string.
struct Tokens {
    text: String,
    list: Vec<Tok>,
}

#[derive(Clone, Copy, PartialEq)]
enum Tok {
    Ident(u32, u32),
    Literal(u32, u32),
    Punct(char, Spacing),
    /// A group's opening delimiter and the index of its `Close`.
    Open(Delimiter, usize),
    Close(Delimiter),
}

impl From<TokenStream> for Tokens {
    fn from(stream: TokenStream) -> Self {
        let mut tokens = Tokens {
            text: String::new(),
            list: Vec::new(),
        };
        tokens.add(stream);
        tokens
    }
}

impl Tokens {
    fn add(&mut self, stream: TokenStream) {
        for tree in stream {
            match tree {
                TokenTree::Ident(ident) => {
                    let start = self.text.len() as u32;
                    let _ = write!(self.text, "{ident}");
                    self.list.push(Tok::Ident(start, self.text.len() as u32));
                }
                TokenTree::Literal(literal) => {
                    let start = self.text.len() as u32;
                    let _ = write!(self.text, "{literal}");
                    self.list.push(Tok::Literal(start, self.text.len() as u32));
                }
                TokenTree::Punct(punct) => {
                    self.list.push(Tok::Punct(punct.as_char(), punct.spacing()))
                }
                TokenTree::Group(group) => {
                    let delimiter = group.delimiter();
                    // Dropping the group first lets the stream be taken, not copied.
                    let stream = group.stream();
                    drop(group);
                    if delimiter == Delimiter::None {
                        self.add(stream);
                        continue;
                    }
                    let open = self.list.len();
                    self.list.push(Tok::Open(delimiter, 0));
                    self.add(stream);
                    self.list[open] = Tok::Open(delimiter, self.list.len());
                    self.list.push(Tok::Close(delimiter));
                }
            }
        }
    }

    fn text(&self, start: u32, end: u32) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn ident(&self, at: usize) -> Option<&str> {
        match self.list.get(at) {
            Some(&Tok::Ident(start, end)) => Some(self.text(start, end)),
            _ => None,
        }
    }

    fn is_punct(&self, at: usize, c: char) -> bool {
        matches!(self.list.get(at), Some(&Tok::Punct(p, _)) if p == c)
    }

    /// The end of a token or group starting at `at`.
    fn skip(&self, at: usize) -> usize {
        match self.list[at] {
            Tok::Open(_, close) => close + 1,
            _ => at + 1,
        }
    }

    /// The attribute at `at` (`#[...]` or `#![...]`), if one starts there.
    fn attribute(&self, at: usize, end: usize) -> Option<Attribute> {
        if !self.is_punct(at, '#') {
            return None;
        }
        let inner = self.is_punct(at + 1, '!');
        let bracket = at + 1 + inner as usize;
        match self.list.get(bracket) {
            Some(&Tok::Open(Delimiter::Bracket, close)) if close < end => Some(Attribute {
                inner,
                inside: bracket + 1..close,
            }),
            _ => None,
        }
    }

    /// The end of the statement, item, field or match arm starting at `at`: after its
    /// `;` or `,`, or after its block when nothing continues the expression.
    fn statement_end(&self, at: usize, end: usize) -> usize {
        let mut i = at;
        while i < end {
            match self.list[i] {
                Tok::Punct(';' | ',', _) => return i + 1,
                // A type's arguments hold commas of their own (`HashMap<K, V>`).
                Tok::Punct('<', _) if self.follows_type_name(i) => {
                    i = self.angle_close(i, end).map_or(i + 1, |close| close + 1);
                }
                Tok::Open(Delimiter::Brace, close) => {
                    i = close + 1;
                    let continues = match self.list.get(i) {
                        _ if i >= end => false,
                        Some(Tok::Punct(c, _)) => matches!(c, ';' | ',' | '.' | '?' | '=' | '|'),
                        Some(Tok::Ident(..)) => matches!(self.ident(i), Some("else" | "as")),
                        _ => false,
                    };
                    if !continues {
                        return i;
                    }
                }
                _ => i = self.skip(i),
            }
        }
        end
    }

    /// The top-level comma-separated elements of `range`, each with its comma; in a
    /// generic's `<...>` (`angles`), commas inside nested angles are not top-level.
    fn elements(&self, range: Range<usize>, angles: bool) -> Vec<Range<usize>> {
        let mut elements = Vec::new();
        let mut start = range.start;
        let mut depth = 0;
        let mut i = range.start;
        while i < range.end {
            match self.list[i] {
                Tok::Punct(',', _) if depth == 0 => {
                    elements.push(start..i + 1);
                    start = i + 1;
                }
                Tok::Punct('<', _) if angles => depth += 1,
                Tok::Punct('>', _) if angles && !self.ends_arrow(i) => depth -= 1,
                _ => {}
            }
            i = self.skip(i);
        }
        if start < range.end {
            elements.push(start..range.end);
        }
        elements
    }

    /// Whether the token before `at` is a type's name (capitalized, as generated code
    /// names types), whose `<` opens its arguments rather than comparing.
    fn follows_type_name(&self, at: usize) -> bool {
        at.checked_sub(1)
            .and_then(|before| self.ident(before))
            .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_uppercase()))
    }

    /// Whether the `>` at `at` ends `->` or `=>`.
    fn ends_arrow(&self, at: usize) -> bool {
        at > 0 && matches!(self.list[at - 1], Tok::Punct('-' | '=', Spacing::Joint))
    }

    /// The `>` closing the generic's `<` at `open`, if it closes before `end` and
    /// before anything no type holds (`;`, `=`, a block).
    fn angle_close(&self, open: usize, end: usize) -> Option<usize> {
        let mut depth = 0;
        let mut i = open;
        while i < end {
            match self.list[i] {
                Tok::Punct('<', _) => depth += 1,
                Tok::Punct('>', _) if !self.ends_arrow(i) => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                Tok::Punct(';', _) | Tok::Open(Delimiter::Brace, _) => return None,
                Tok::Punct('=', _) if !self.is_punct(i + 1, '>') => return None,
                _ => {}
            }
            i = self.skip(i);
        }
        None
    }

    /// The doc text of `#[doc = "..."]`, if it can be a `///` line.
    fn doc_comment(&self, attribute: &Attribute) -> Option<String> {
        let [Tok::Ident(..), Tok::Punct('=', _), Tok::Literal(start, end)] =
            self.list.get(attribute.inside.clone())?
        else {
            return None;
        };
        if self.ident(attribute.inside.start) != Some("doc") {
            return None;
        }
        let text = unescape(self.text(*start, *end))?;
        // `////` is a plain comment, and a line comment cannot hold a line break.
        let fits = !text.starts_with('/') && !text.contains(['\n', '\r']);
        fits.then_some(text)
    }
}

/// An attribute: `#![...]` (inner) or `#[...]`, and the tokens between its brackets.
struct Attribute {
    inner: bool,
    inside: Range<usize>,
}

impl Attribute {
    fn end(&self) -> usize {
        self.inside.end + 1
    }
}

/// What the previous token leaves before the next: whether a space goes between.
#[derive(Clone, Copy, PartialEq)]
enum Prev {
    /// The start of a line or group, or a prefix (`&`, `.`, `::`, `#`, `'`, `<`, a
    /// macro's `!`, a closure's first `|`): no space.
    Tight,
    /// An identifier, literal, closed group, `?` or `>`: a space before words, none
    /// before calls and indexing.
    Operand,
    /// A keyword: a space before everything but `::`.
    Keyword,
    /// `pub`, which `(crate)` follows without a space.
    Pub,
    /// A binary operator, `,`, `;`, `:` or a closure's last `|`: a space before all.
    Spaced,
}

/// Why tokens did not go on one line.
enum Unfit {
    TooWide,
    Block,
}

struct Printer<'t> {
    tokens: &'t Tokens,
    out: &'t mut String,
    line_start: usize,
    indent: usize,
    prev: Prev,
    /// Inside a closure's `|...|`.
    closure_params: bool,
    /// Inside an attribute, where a trailing comma may not be allowed.
    in_attribute: bool,
    /// The indent of the current statement's method chain, when it is broken.
    chain: Option<usize>,
    /// The columns that follow the current line's tokens (its `,` or `]`).
    reserve: usize,
}

/// Where the printer was, to go back to after an attempt that did not fit.
struct Mark {
    len: usize,
    line_start: usize,
    prev: Prev,
    closure_params: bool,
}

fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "as" | "async"
            | "await"
            | "break"
            | "const"
            | "continue"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "ref"
            | "return"
            | "static"
            | "struct"
            | "trait"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
    )
}

/// Operators of more than one character, longest first.
const OPERATORS: &[&str] = &[
    "..=", "...", "<<=", ">>=", "::", "->", "=>", "==", "!=", "<=", ">=", "&&", "||", "..", "+=",
    "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<",
];

impl<'t> Printer<'t> {
    fn new(tokens: &'t Tokens, out: &'t mut String) -> Self {
        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
        Printer {
            tokens,
            out,
            line_start,
            indent: 0,
            prev: Prev::Tight,
            closure_params: false,
            in_attribute: false,
            chain: None,
            reserve: 0,
        }
    }

    fn column(&self) -> usize {
        self.out.len() - self.line_start
    }

    fn mark(&self) -> Mark {
        Mark {
            len: self.out.len(),
            line_start: self.line_start,
            prev: self.prev,
            closure_params: self.closure_params,
        }
    }

    fn reset(&mut self, mark: &Mark) {
        self.out.truncate(mark.len);
        self.line_start = mark.line_start;
        self.prev = mark.prev;
        self.closure_params = mark.closure_params;
    }

    fn newline(&mut self) {
        while self.out.ends_with(' ') {
            self.out.pop();
        }
        self.out.push('\n');
        self.line_start = self.out.len();
        for _ in 0..self.indent {
            self.out.push_str(INDENT);
        }
        self.prev = Prev::Tight;
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        // By bytes: `rfind(char)` costs a hundred instructions on an operator's one byte.
        if let Some(i) = text.bytes().rposition(|b| b == b'\n') {
            self.line_start = self.out.len() - (text.len() - i - 1);
        }
    }

    /// The top level of a file: inner attributes, then items with blank lines between.
    fn file(&mut self) {
        let end = self.tokens.list.len();
        let mut at = 0;
        while at < end {
            match self.tokens.attribute(at, end) {
                Some(attribute) if attribute.inner => {
                    self.attribute(&attribute);
                    at = attribute.end();
                }
                _ => {
                    if self.out.len() > 1 {
                        self.out.push('\n');
                    }
                    at = self.statement_at(at, end);
                }
            }
            self.out.push('\n');
            self.line_start = self.out.len();
            self.prev = Prev::Tight;
        }
    }

    /// A brace group's contents, a statement a line (the caller has printed `{`).
    fn block(&mut self, range: Range<usize>) {
        let mut at = range.start;
        while at < range.end {
            self.newline();
            at = self.statement_at(at, range.end);
        }
    }

    /// Prints the attributes and the statement at `at` (the line is started); returns
    /// the statement's end.
    fn statement_at(&mut self, mut at: usize, end: usize) -> usize {
        while let Some(attribute) = self.tokens.attribute(at, end) {
            self.attribute(&attribute);
            at = attribute.end();
            if at == end {
                return at;
            }
            self.newline();
        }
        let statement_end = self.tokens.statement_end(at, end);
        self.line(at..statement_end, 0);
        statement_end
    }

    fn attribute(&mut self, attribute: &Attribute) {
        if let Some(text) = self.tokens.doc_comment(attribute) {
            self.push(if attribute.inner { "//!" } else { "///" });
            self.push(&text);
            return;
        }
        // `#[` and `]` stay on the attribute's first and last line.
        self.push(if attribute.inner { "#![" } else { "#[" });
        self.prev = Prev::Tight;
        self.in_attribute = true;
        self.line(attribute.inside.clone(), 1);
        self.in_attribute = false;
        self.push("]");
    }

    /// Tokens that start a line: on it if they fit (with `reserve` more columns),
    /// else broken.
    fn line(&mut self, range: Range<usize>, reserve: usize) {
        let mark = self.mark();
        match self.flat(range.clone()) {
            Ok(()) if self.column() + reserve <= WIDTH => {}
            Ok(()) | Err(Unfit::TooWide) => self.broken_line(range, reserve, mark, true),
            Err(Unfit::Block) => self.broken_line(range, reserve, mark, false),
        }
    }

    fn broken_line(&mut self, range: Range<usize>, reserve: usize, mark: Mark, chain: bool) {
        self.reset(&mark);
        let outer = (self.chain, self.indent, self.reserve);
        self.chain = chain.then_some(self.indent + 1);
        self.reserve = reserve;
        let _ = self.tokens_in(range, false);
        (self.chain, self.indent, self.reserve) = outer;
    }

    /// Tokens on one line: fails as soon as they pass the width or hold a block.
    fn flat(&mut self, range: Range<usize>) -> Result<(), Unfit> {
        self.tokens_in(range, true)
    }

    fn tokens_in(&mut self, range: Range<usize>, flat: bool) -> Result<(), Unfit> {
        let tokens = self.tokens;
        let mut at = range.start;
        while at < range.end {
            match tokens.list[at] {
                Tok::Ident(start, end) => {
                    let text = tokens.text(start, end);
                    self.space_before_word();
                    self.out.push_str(text);
                    let lifetime = at > 0 && tokens.is_punct(at - 1, '\'');
                    let pointer = text == "fn"
                        && matches!(
                            tokens.list.get(at + 1),
                            Some(Tok::Open(Delimiter::Parenthesis, _))
                        );
                    self.prev = match text {
                        "pub" => Prev::Pub,
                        // A function pointer's type: `fn(&[u8]) -> T`.
                        _ if pointer => Prev::Tight,
                        _ if lifetime || is_keyword(text) => Prev::Keyword,
                        _ => Prev::Operand,
                    };
                    at += 1;
                }
                Tok::Literal(start, end) => {
                    let text = tokens.text(start, end);
                    if flat && text.contains('\n') {
                        return Err(Unfit::Block);
                    }
                    self.space_before_word();
                    self.push(text);
                    self.prev = Prev::Operand;
                    at += 1;
                }
                Tok::Punct(..) => {
                    if let Some(indent) = self.chain.filter(|_| !flat)
                        && self.breaks_chain(at, range.start)
                    {
                        self.indent = indent;
                        self.newline();
                    }
                    let generic = self.generic_open(at);
                    match generic.then(|| tokens.angle_close(at, range.end)).flatten() {
                        Some(close) if !flat => {
                            self.angle_group(at, close, range.end);
                            at = close + 1;
                        }
                        _ => at = self.operator(at, range.end),
                    }
                }
                Tok::Open(delimiter, close) => {
                    self.group(delimiter, at, close, range.end, flat)?;
                    at = close + 1;
                }
                Tok::Close(_) => at += 1,
            }
            if flat && self.column() > WIDTH {
                return Err(Unfit::TooWide);
            }
        }
        Ok(())
    }

    /// Whether the `<` (if it is one) at `at` opens a generic's arguments: after a
    /// path or keyword, and not before a number or a call (a comparison).
    fn generic_open(&self, at: usize) -> bool {
        let tokens = self.tokens;
        tokens.is_punct(at, '<')
            && !tokens.is_punct(at + 1, '<')
            && !tokens.is_punct(at + 1, '=')
            && self.opens_arguments(at)
    }

    /// Whether a `<` at `at` (after the token before it) is a generic's, not `less
    /// than`: after a path or keyword, and before neither a number nor a group, but
    /// after a type's name, whose arguments may be a tuple (`Request<()>`).
    fn opens_arguments(&self, at: usize) -> bool {
        let tokens = self.tokens;
        matches!(self.prev, Prev::Operand | Prev::Keyword | Prev::Tight)
            && match tokens.list.get(at + 1) {
                Some(Tok::Literal(..)) => false,
                Some(Tok::Open(..)) => tokens.follows_type_name(at),
                _ => true,
            }
    }

    /// A generic's `<...>` from `open` to `close`: on the line if it fits with what
    /// follows it, else its arguments a line each.
    fn angle_group(&mut self, open: usize, close: usize, end: usize) {
        self.push("<");
        self.prev = Prev::Tight;
        let inside = open + 1..close;
        let mark = self.mark();
        let tail = self.tail_width(close + 1, end);
        let fits = self.flat(inside.clone()).is_ok() && self.column() + 1 + tail <= WIDTH;
        if !fits {
            self.reset(&mark);
            self.broken_group(inside, true, true);
        }
        self.push(">");
        self.prev = Prev::Operand;
    }

    /// A method call's `.` after a call, where a broken chain breaks.
    fn breaks_chain(&self, at: usize, start: usize) -> bool {
        let list = &self.tokens.list;
        matches!(list[at], Tok::Punct('.', Spacing::Alone))
            && at > start
            && !matches!(list[at - 1], Tok::Punct('.', _))
            && matches!(
                list[at - 1],
                Tok::Close(Delimiter::Parenthesis) | Tok::Punct('?', _)
            )
    }

    fn space_before_word(&mut self) {
        if matches!(
            self.prev,
            Prev::Operand | Prev::Keyword | Prev::Pub | Prev::Spaced
        ) {
            self.out.push(' ');
        }
    }

    /// The operator at `at` (the longest joint run that is one), spaced by its role;
    /// returns its end.
    fn operator(&mut self, at: usize, end: usize) -> usize {
        let list = &self.tokens.list;
        // Punctuation is ASCII; no operator is longer than three characters.
        let (mut run, mut len) = ([0u8; 3], 0);
        while len < 3 && at + len < end {
            let Tok::Punct(c, spacing) = list[at + len] else {
                break;
            };
            run[len] = c as u8;
            len += 1;
            if spacing == Spacing::Alone {
                break;
            }
        }
        let run = std::str::from_utf8(&run[..len]).unwrap_or("?");
        let op = OPERATORS
            .iter()
            .find(|op| run.starts_with(**op))
            .copied()
            .unwrap_or(&run[..1]);
        let next = at + op.len();
        let binary = self.prev == Prev::Operand;
        let (space, after) = match op {
            "," | ";" => (false, Prev::Spaced),
            "?" => (false, Prev::Operand),
            ":" => (false, Prev::Spaced),
            "::" => (
                matches!(self.prev, Prev::Spaced | Prev::Keyword),
                Prev::Tight,
            ),
            "." => (false, Prev::Tight),
            ".." | "..=" | "..." => (
                matches!(self.prev, Prev::Spaced | Prev::Keyword),
                Prev::Tight,
            ),
            "#" | "'" | "$" => (self.wants_space(), Prev::Tight),
            "<" if self.opens_arguments(at) => (false, Prev::Tight),
            ">" => (false, Prev::Operand),
            "!" if binary => (false, Prev::Tight),
            "|" if self.closure_params => {
                self.closure_params = false;
                (false, Prev::Spaced)
            }
            "|" if !binary => {
                self.closure_params = true;
                (self.wants_space(), Prev::Tight)
            }
            "||" if !binary => (self.wants_space(), Prev::Spaced),
            "&" | "&&" | "*" | "-" | "!" | "<" if !binary => (self.wants_space(), Prev::Tight),
            _ => (self.prev != Prev::Tight, Prev::Spaced),
        };
        if space {
            self.out.push(' ');
        }
        self.push(op);
        self.prev = after;
        next
    }

    /// Whether a prefix goes after a space (after a keyword or an operator).
    fn wants_space(&self) -> bool {
        matches!(self.prev, Prev::Keyword | Prev::Pub | Prev::Spaced)
    }

    /// The group from `open` to `close`; `end` bounds what follows it on its line.
    fn group(
        &mut self,
        delimiter: Delimiter,
        open: usize,
        close: usize,
        end: usize,
        flat: bool,
    ) -> Result<(), Unfit> {
        let inside = open + 1..close;
        let (left, right) = match delimiter {
            Delimiter::Parenthesis => ("(", ")"),
            Delimiter::Bracket => ("[", "]"),
            Delimiter::Brace => ("{", "}"),
            Delimiter::None => ("", ""),
        };
        let list = &self.tokens.list;
        let use_tree = open > 0 && matches!(list[open - 1], Tok::Punct(':', _));
        let space = match delimiter {
            Delimiter::Brace => !matches!(self.prev, Prev::Tight),
            _ => matches!(self.prev, Prev::Keyword | Prev::Spaced),
        };
        if space {
            self.out.push(' ');
        }
        if inside.is_empty() {
            self.push(left);
            self.push(right);
            self.prev = Prev::Operand;
            return Ok(());
        }
        if delimiter == Delimiter::Brace && !use_tree {
            if flat {
                return Err(Unfit::Block);
            }
            self.push(left);
            self.indent += 1;
            let outer_chain = self.chain.take();
            self.block(inside);
            self.chain = outer_chain;
            self.indent -= 1;
            self.newline();
            self.push(right);
            self.prev = Prev::Operand;
            return Ok(());
        }
        let call = matches!(self.prev, Prev::Operand);
        let macro_call = open > 0 && matches!(list[open - 1], Tok::Punct('!', _));
        self.prev = Prev::Tight;
        self.push(left);
        let closure_params = std::mem::replace(&mut self.closure_params, false);
        if flat {
            self.flat(inside)?;
        } else {
            let mark = self.mark();
            let tail = self.tail_width(close + 1, end);
            let fits =
                self.flat(inside.clone()).is_ok() && self.column() + right.len() + tail <= WIDTH;
            if !fits {
                self.reset(&mark);
                // Not where a comma changes the meaning: `(x,)` is a tuple, `[T,]`
                // no slice type.
                let elements = self.tokens.elements(inside.clone(), false).len();
                let trailing_comma = !self.in_attribute
                    && !macro_call
                    && (elements > 1 || delimiter == Delimiter::Parenthesis && call);
                self.broken_group(inside, trailing_comma, false);
            }
        }
        self.closure_params = closure_params;
        self.push(right);
        self.prev = Prev::Operand;
        Ok(())
    }

    /// The columns the tokens after a group take before the line can break.
    fn tail_width(&mut self, from: usize, end: usize) -> usize {
        let list = &self.tokens.list;
        // What follows the tokens measured: a block's ` {`, or the line's reserve.
        let (mut to, mut after) = (from, self.reserve);
        while to < end {
            match list[to] {
                Tok::Punct(',' | ';', _) => {
                    (to, after) = (to + 1, 0);
                    break;
                }
                Tok::Open(Delimiter::Brace, _) => {
                    after = 2;
                    break;
                }
                // A group that can break: the line can break after its opening.
                Tok::Open(_, close) if close > to + 1 => {
                    after = 1;
                    break;
                }
                _ if self.chain.is_some() && self.breaks_chain(to, 0) => {
                    after = 0;
                    break;
                }
                _ => to = self.tokens.skip(to),
            }
        }
        let mark = self.mark();
        let start = self.out.len();
        let fits = self.flat(from..to.min(end)).is_ok();
        let width = self.out.len() - start;
        self.reset(&mark);
        if fits { width + after } else { WIDTH }
    }

    /// A group's elements a line each (numbers filling lines), one level in.
    fn broken_group(&mut self, inside: Range<usize>, trailing_comma: bool, angles: bool) {
        let elements = self.tokens.elements(inside.clone(), angles);
        let repeat = (inside.clone()).any(|i| self.tokens.is_punct(i, ';'));
        self.indent += 1;
        if repeat {
            self.newline();
            let _ = self.tokens_in(inside, false);
        } else if elements.iter().all(|e| self.is_number(e)) {
            self.newline();
            let last = elements.len() - 1;
            for (n, element) in elements.into_iter().enumerate() {
                let width = self.text_width(element.clone()) + 1;
                if self.prev != Prev::Tight && self.column() + 1 + width > WIDTH {
                    self.newline();
                }
                let _ = self.tokens_in(element, false);
                if n == last && trailing_comma && !self.out.ends_with(',') {
                    self.out.push(',');
                }
            }
        } else {
            let last = elements.len() - 1;
            for (n, element) in elements.into_iter().enumerate() {
                self.newline();
                let has_comma = self.tokens.is_punct(element.end - 1, ',');
                self.line(element, if has_comma { 0 } else { 1 });
                if n == last && trailing_comma && !has_comma {
                    self.out.push(',');
                }
            }
        }
        self.indent -= 1;
        self.newline();
    }

    fn is_number(&self, element: &Range<usize>) -> bool {
        let list = &self.tokens.list;
        let value = match list[element.start] {
            Tok::Punct('-', _) => element.start + 1,
            _ => element.start,
        };
        let digits = matches!(list.get(value), Some(&Tok::Literal(start, _))
            if self.tokens.text.as_bytes()[start as usize].is_ascii_digit());
        digits
            && (value + 1 == element.end
                || value + 2 == element.end && self.tokens.is_punct(value + 1, ','))
    }

    /// The columns of tokens printed without spaces.
    fn text_width(&self, element: Range<usize>) -> usize {
        element
            .map(|i| match self.tokens.list[i] {
                Tok::Literal(start, end) | Tok::Ident(start, end) => (end - start) as usize,
                _ => 1,
            })
            .sum()
    }
}

/// The value of a string literal's source (`"..."` or raw), or `None` for another
/// literal.
fn unescape(literal: &str) -> Option<String> {
    if let Some(raw) = literal.strip_prefix('r') {
        let hashes = &raw[..raw.len() - raw.trim_start_matches('#').len()];
        let body = raw.strip_prefix(hashes)?.strip_prefix('"')?;
        return Some(body.strip_suffix(hashes)?.strip_suffix('"')?.to_owned());
    }
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next()? {
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '0' => '\0',
            '\\' => '\\',
            '\'' => '\'',
            '"' => '"',
            'x' => {
                let hex: String = chars.by_ref().take(2).collect();
                char::from(u8::from_str_radix(&hex, 16).ok()?)
            }
            'u' => {
                let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
            }
            _ => return None,
        });
    }
    Some(out)
}

/// Debug builds: the printed text reads back to the tokens printed, but for the
/// trailing commas a broken group gains.
#[cfg(debug_assertions)]
fn check_reads_back(text: &str, expected: TokenStream) {
    fn flatten(stream: TokenStream, out: &mut Vec<String>) {
        for tree in stream {
            match tree {
                TokenTree::Group(group) => {
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    out.push(open.into());
                    flatten(group.stream(), out);
                    if out.last().is_some_and(|last| last == ",") {
                        out.pop();
                    }
                    out.push(close.into());
                }
                // A negative number is one literal made, two tokens read; a `//!` read
                // is a string where `quote!` made a raw string.
                TokenTree::Literal(literal) => {
                    let text = literal.to_string();
                    match (text.strip_prefix('-'), unescape(&text)) {
                        (Some(number), _) => out.extend(["-".to_owned(), number.to_owned()]),
                        (_, Some(value)) => out.push(format!("{value:?}")),
                        _ => out.push(text),
                    }
                }
                other => {
                    let text = other.to_string();
                    // A generic's broken arguments gain a trailing comma too.
                    if text == ">" && out.last().is_some_and(|last| last == ",") {
                        out.pop();
                    }
                    out.push(text)
                }
            }
        }
    }
    let read: TokenStream = text
        .parse()
        .unwrap_or_else(|e| panic!("printed Rust does not lex ({e}):\n{text}"));
    let (mut printed, mut tokens) = (Vec::new(), Vec::new());
    flatten(read, &mut printed);
    flatten(expected, &mut tokens);
    if let Some(at) =
        (0..printed.len().max(tokens.len())).find(|&i| printed.get(i) != tokens.get(i))
    {
        let around = |v: &[String]| v[at.saturating_sub(8)..(at + 8).min(v.len())].join(" ");
        panic!(
            "printed Rust reads back otherwise at token {at}:\nprinted: {}\nexpected: {}\n{text}",
            around(&printed),
            around(&tokens)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn print(tokens: TokenStream) -> String {
        let mut file = File::default();
        file.push(tokens);
        file.finish()
    }

    #[test]
    fn items_are_spaced_as_rustfmt_spaces_them() {
        let text = print(quote! {
            //! The module.
            use super::{a, b};
            #[doc = " A \"thing\"."]
            #[derive(Debug, Clone)]
            pub struct Thing<'a> {
                pub name: &'a ::std::option::Option<crate::Nullable<::std::vec::Vec<u8>>>,
                pub(crate) count: usize,
                pub keys: ::std::collections::BTreeMap<String, Vec<u8>>,
            }
            type Read = fn(&[u8]) -> Result<Box<dyn Encode>, String>;
            impl<'a> crate::object::Object for Thing<'a> {
                fn field_mut(&mut self, index: usize) -> Option<&mut dyn Field> {
                    let x = -1 + *self.count - 2;
                    let unit: crate::Request<()> = a < (b);
                    let read: fn(&[u8]) -> Result<Box<dyn Encode>, String> = f;
                    if index < 2 && !self.ok { return None; } else { x? }
                    match index { 0 => &mut self.name, _ => return None, }
                    values.iter().map(|v| v.len()).filter(move || true).collect::<Vec<_>>();
                    ::std::vec::Vec::<&str>::from([]);
                    [0u8; 4][..2usize];
                    panic!("{}", 1);
                }
            }
        });
        assert_eq!(
            text,
            r#"
//! The module.

use super::{a, b};

/// A "thing".
#[derive(Debug, Clone)]
pub struct Thing<'a> {
    pub name: &'a ::std::option::Option<crate::Nullable<::std::vec::Vec<u8>>>,
    pub(crate) count: usize,
    pub keys: ::std::collections::BTreeMap<String, Vec<u8>>,
}

type Read = fn(&[u8]) -> Result<Box<dyn Encode>, String>;

impl<'a> crate::object::Object for Thing<'a> {
    fn field_mut(&mut self, index: usize) -> Option<&mut dyn Field> {
        let x = -1 + *self.count - 2;
        let unit: crate::Request<()> = a < (b);
        let read: fn(&[u8]) -> Result<Box<dyn Encode>, String> = f;
        if index < 2 && !self.ok {
            return None;
        } else {
            x?
        }
        match index {
            0 => &mut self.name,
            _ => return None,
        }
        values.iter().map(|v| v.len()).filter(move || true).collect::<Vec<_>>();
        ::std::vec::Vec::<&str>::from([]);
        [0u8; 4][..2usize];
        panic!("{}", 1);
    }
}
"#
        );
    }

    #[test]
    fn what_does_not_fit_breaks_at_its_outermost_group_or_chain() {
        let text = print(quote! {
            fn test() {
                let request = generated::api().me().events().id("AAMkAGI1AAAt9AHjAAA=").attachments().create(&body);
                support::equal(http_request.uri().path(), "/beta/me/events/AAMkAGI1AAAt9AHjAAA%3D/attachments", "path");
                let bytes = [109u8, 97u8, 99u8, 32u8, 97u8, 110u8, 100u8, 32u8, 99u8, 104u8, 101u8, 101u8, 115u8, 101u8, 33u8];
                fn field_mut(&mut self, position: usize) -> ::std::option::Option<&mut dyn crate::object::Field> {}
            }
            const BODIES: &[(&str, Read)] = &[(r#"{"id": "f", "address": {"city": "Oslo"}}"#, typed::<generated::types::Folder>), (r#"{}"#, typed::<Person>)];
            impl Thing {
                pub const ROLE_DEFINITION_IDS: crate::object::Property<DeviceAndAppManagementAssignedRoleDetails> = crate::object::Property::new("roleDefinitionIds");
            }
            #[cfg(any(feature = "cloud_communications", feature = "directory_management", feature = "excel", feature = "files"))]
            struct S;
        });
        assert_eq!(
            text,
            r##"
fn test() {
    let request = generated::api()
        .me()
        .events()
        .id("AAMkAGI1AAAt9AHjAAA=")
        .attachments()
        .create(&body);
    support::equal(
        http_request.uri().path(),
        "/beta/me/events/AAMkAGI1AAAt9AHjAAA%3D/attachments",
        "path",
    );
    let bytes = [
        109u8, 97u8, 99u8, 32u8, 97u8, 110u8, 100u8, 32u8, 99u8, 104u8, 101u8, 101u8, 115u8, 101u8,
        33u8,
    ];
    fn field_mut(
        &mut self,
        position: usize,
    ) -> ::std::option::Option<&mut dyn crate::object::Field> {}
}

const BODIES: &[(&str, Read)] = &[
    (r#"{"id": "f", "address": {"city": "Oslo"}}"#, typed::<generated::types::Folder>),
    (r#"{}"#, typed::<Person>),
];

impl Thing {
    pub const ROLE_DEFINITION_IDS: crate::object::Property<
        DeviceAndAppManagementAssignedRoleDetails,
    > = crate::object::Property::new("roleDefinitionIds");
}

#[cfg(
    any(
        feature = "cloud_communications",
        feature = "directory_management",
        feature = "excel",
        feature = "files"
    )
)]
struct S;
"##
        );
    }

    #[test]
    fn doc_text_that_a_line_comment_cannot_hold_stays_an_attribute() {
        // As the emitter makes them: literals from strings.
        let lines = ["/ slash", "two\nlines", " tab\t and \u{e9}"];
        let text = print(quote! {
            #( #[doc = #lines] )*
            struct S;
        });
        assert_eq!(
            text,
            "\n#[doc = \"/ slash\"]\n#[doc = \"two\\nlines\"]\n/// tab\t and \u{e9}\nstruct S;\n"
        );
    }
}
