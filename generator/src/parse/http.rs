//! The text of ```http fences: request templates (`GET /path`), example requests
//! (method, URL, headers, body) and example responses (status, headers, body).

/// A line of a block, with its index (0-based) within the block.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Name and value, with the block line each is on.
    pub headers: Vec<Located<(String, String)>>,
    /// The body text, and the block line it starts on.
    pub body: Option<Located<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Located<String>,
    pub url: Located<String>,
    pub message: Message,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: u16,
    pub message: Message,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Request(Request),
    Response(Response),
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// The method a line starts with (any case), and the rest of the line.
pub fn split_method(line: &str) -> Option<(&str, &str)> {
    let trimmed = line.trim_start();
    let end = trimmed
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    let word = &trimmed[..end];
    METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(word))
        .map(|m| (*m, &trimmed[end..]))
}

/// A `METHOD /path` line of an "HTTP request" block.
pub type TemplateLine = Located<(String, String)>;

/// The `(method, path)` lines of an "HTTP request" block. Lines without a method (`or`,
/// comments, headers) are returned separately so the caller can report them.
pub fn templates(text: &str) -> (Vec<TemplateLine>, Vec<Located<String>>) {
    let mut found = Vec::new();
    let mut other = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match split_method(trimmed) {
            Some((method, rest)) => {
                let path = strip_http_version(rest.trim());
                let column = line.len() - line.trim_start().len() + trimmed.len() - rest.len();
                found.push(Located {
                    value: (method.to_owned(), path.to_owned()),
                    line: index,
                    column: column + (rest.len() - rest.trim_start().len()),
                });
            }
            None => other.push(Located {
                value: trimmed.to_owned(),
                line: index,
                column: 0,
            }),
        }
    }
    (found, other)
}

fn strip_http_version(rest: &str) -> &str {
    match rest.rsplit_once(char::is_whitespace) {
        Some((url, version)) if version.to_ascii_uppercase().starts_with("HTTP/") => url.trim(),
        _ => rest,
    }
}

/// An example block: a request if it starts with a method, a response if it starts
/// with `HTTP/`. `None` if it is neither.
pub fn example(text: &str) -> Option<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.iter().position(|l| !l.trim().is_empty())?;
    let start = lines[first].trim();
    if let Some((method, rest)) = split_method(start) {
        if rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return None;
        }
        let url = strip_http_version(rest.trim());
        let column = lines[first].find(url).unwrap_or(0);
        let message = message(&lines, first + 1);
        Some(Block::Request(Request {
            method: Located {
                value: method.to_owned(),
                line: first,
                column: 0,
            },
            url: Located {
                value: url.to_owned(),
                line: first,
                column,
            },
            message,
        }))
    } else if start.to_ascii_uppercase().starts_with("HTTP/") {
        let status = start
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())?;
        Some(Block::Response(Response {
            status,
            message: message(&lines, first + 1),
        }))
    } else {
        None
    }
}

/// Headers then an optional body. Docs sometimes leave blank lines between the start
/// line and the headers, so blank lines are skipped until something that is not a
/// header begins the body.
fn message(lines: &[&str], mut index: usize) -> Message {
    let mut headers = Vec::new();
    let mut seen_blank_after_headers = false;
    while index < lines.len() {
        let line = lines[index].trim();
        if line.is_empty() {
            if !headers.is_empty() {
                seen_blank_after_headers = true;
            }
            index += 1;
            continue;
        }
        match header(line) {
            Some(header) if !seen_blank_after_headers => {
                headers.push(Located {
                    value: header,
                    line: index,
                    column: 0,
                });
                index += 1;
            }
            _ => break,
        }
    }
    let body = lines[index.min(lines.len())..].join("\n");
    let body = body.trim_end();
    Message {
        headers,
        body: (!body.is_empty()).then(|| Located {
            value: body.to_owned(),
            line: index,
            column: 0,
        }),
    }
}

fn header(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once(':')?;
    let is_token = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
    is_token.then(|| (name.to_owned(), value.trim().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_with_headers_and_body() {
        let block = example(
            "PATCH https://x/beta/a/{id}\nContent-type: application/json\n\n{\n  \"a\": 1\n}\n",
        );
        let Some(Block::Request(request)) = block else {
            panic!()
        };
        assert_eq!(request.method.value, "PATCH");
        assert_eq!(request.url.value, "https://x/beta/a/{id}");
        assert_eq!(request.url.column, 6);
        assert_eq!(
            request.message.headers[0].value,
            ("Content-type".into(), "application/json".into())
        );
        let body = request.message.body.unwrap();
        assert_eq!((body.value.as_str(), body.line), ("{\n  \"a\": 1\n}", 3));
    }

    #[test]
    fn response_with_blank_line_before_headers() {
        let Some(Block::Response(response)) =
            example("HTTP/1.1 201 Created\n\nContent-Type: application/json\n\n{}")
        else {
            panic!()
        };
        assert_eq!(response.status, 201);
        assert_eq!(response.message.headers.len(), 1);
        assert_eq!(response.message.body.unwrap().value, "{}");
    }

    #[test]
    fn templates_split_methods_from_other_lines() {
        let (found, other) =
            templates("GET /me/events\nor\nget /users/{id | userPrincipalName}/events HTTP/1.1\n");
        assert_eq!(
            found[1].value,
            (
                "GET".into(),
                "/users/{id | userPrincipalName}/events".into()
            )
        );
        assert_eq!(found[1].column, 4);
        assert_eq!(other[0].value, "or");
    }

    #[test]
    fn prose_is_not_a_request() {
        assert_eq!(example("Getting things done"), None);
    }
}
