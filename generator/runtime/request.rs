//! The sans-IO request every request function returns, the errors of building one and
//! reading its response, and the helpers all request functions share (one copy, not one
//! per operation). This file is the runtime crate's `src/request.rs`, copied as it is.

use std::fmt;

/// A request to the API, ready to be sent with any HTTP client; `T` is the result
/// [`Request::parse_response`] gives.
pub struct Request<T> {
    method: http::Method,
    path: String,
    /// The path with `{}` where a parameter's value stands: what traces show.
    template: String,
    /// A link the service sent, sent instead of the path and query (see `at_link`).
    link: Option<String>,
    query: Vec<(String, String)>,
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The body and its content type, or why it could not be made.
    body: Option<Result<(Vec<u8>, http::HeaderValue), String>>,
    decode: Decoder<T>,
}

/// How a response's headers and body become an operation's result.
type Decoder<T> = fn(&http::HeaderMap, &[u8]) -> Result<T, serde_json::Error>;

impl<T> fmt::Debug for Request<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("link", &self.link)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method.clone(),
            path: self.path.clone(),
            template: self.template.clone(),
            link: self.link.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            decode: self.decode,
        }
    }
}

impl<T> Request<T> {
    #[doc(hidden)]
    pub fn new(method: http::Method, path: String, decode: Decoder<T>) -> Self {
        let template = path.clone();
        Request::with_template(method, path, template, decode)
    }

    fn with_template(
        method: http::Method,
        path: String,
        template: String,
        decode: Decoder<T>,
    ) -> Self {
        Request {
            method,
            path,
            template,
            link: None,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            decode,
        }
    }

    #[doc(hidden)]
    /// Not generic: one copy for every body type; written by the runtime's own writer.
    pub fn json_body(mut self, body: &dyn crate::object::Encode) -> Self {
        self.body = Some(
            crate::object::to_vec(body)
                .map(|bytes| (bytes, http::HeaderValue::from_static("application/json")))
                .map_err(|error| error.to_string()),
        );
        self
    }

    #[doc(hidden)]
    /// Content sent as it is (a file, a photo), with its media type.
    pub fn content_body(mut self, content_type: &str, content: Vec<u8>) -> Self {
        self.body = Some(
            http::HeaderValue::from_str(content_type)
                .map(|content_type| (content, content_type))
                .map_err(|_| format!("invalid content type `{content_type}`")),
        );
        self
    }

    /// Adds a query option (`$select`, `$filter`, `$top`, ...); the name and the value
    /// are percent-encoded.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `$select`: only these properties of the result (of each item, for a list). The
    /// properties are variants of the result type's enum in `properties`
    /// (`properties::User::DisplayName`), so one the type does not have does not compile.
    pub fn select(self, properties: &[T::Property]) -> Self
    where
        T: crate::object::Selectable,
    {
        self.query("$select", &property_list(properties))
    }

    /// `$expand`: these relationships of the result read inline.
    pub fn expand(self, properties: &[T::Property]) -> Self
    where
        T: crate::object::Selectable,
    {
        self.query("$expand", &property_list(properties))
    }

    /// `$filter`, an OData expression (`startswith(displayName,'a')`).
    pub fn filter(self, expression: &str) -> Self {
        self.query("$filter", expression)
    }

    /// `$orderby` (`displayName desc`).
    pub fn order_by(self, expression: &str) -> Self {
        self.query("$orderby", expression)
    }

    /// `$search` (`"displayName:Pr"`, quotes included, as the service wants them).
    pub fn search(self, expression: &str) -> Self {
        self.query("$search", expression)
    }

    /// `$top`: at most this many items (per page, for a list the service pages).
    pub fn top(self, items: u32) -> Self {
        self.query("$top", &items.to_string())
    }

    /// `$skip`: leave out this many items.
    pub fn skip(self, items: u32) -> Self {
        self.query("$skip", &items.to_string())
    }

    /// `$count=true`: the page says how many items there are in all
    /// ([`crate::Page::count`]). Directory objects count only with
    /// `ConsistencyLevel: eventual`, which this adds.
    pub fn count(self) -> Self {
        self.query("$count", "true").header(
            http::HeaderName::from_static("consistencylevel"),
            http::HeaderValue::from_static("eventual"),
        )
    }

    /// Adds a request header the operation's docs list (`ConsistencyLevel: eventual`,
    /// `Prefer: outlook.timezone="..."`); it replaces a default of the same name
    /// (`Accept`), and the client sends it again with every page of a list.
    pub fn header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Adds a preference in a `Prefer` header (RFC 7240): the crate's `Prefer` has those
    /// the docs document (`Prefer::ReturnMinimal`, `Prefer::OutlookTimezone(zone)`).
    pub fn prefer(self, preference: impl Into<Preference>) -> Self {
        let preference = preference.into();
        // A `Preference` holds no control characters, so it is always a valid value.
        match http::HeaderValue::from_bytes(preference.0.as_bytes()) {
            Ok(value) => self.header(http::HeaderName::from_static("prefer"), value),
            Err(_) => self,
        }
    }

    /// The same request at a link the service sent (`@odata.nextLink`,
    /// `@odata.deltaLink`), such as a delta link stored to ask for the next changes
    /// later: method, headers and result type kept, the URL (query included) the
    /// link's. [`Request::to_http`] refuses a link on another origin than the base
    /// URL's, so that the token never goes elsewhere.
    pub fn at_link(mut self, link: &str) -> Self {
        self.link = Some(link.to_owned());
        self.query.clear();
        self
    }

    /// The HTTP method.
    /// The path with `{}` for each parameter's value (`/users/{}/messages`): the
    /// operation, without the ids it was called with.
    pub fn path_template(&self) -> &str {
        &self.template
    }

    pub fn method(&self) -> &http::Method {
        &self.method
    }

    /// The path below the base URL, with path parameters percent-encoded.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The HTTP request against `base_url` (such as the generated crate's `DEFAULT_BASE_URL`): the
    /// method, the URL, `Accept: application/json`, the JSON body with its content type
    /// when the operation has one, and the headers added with [`Request::header`].
    pub fn to_http(&self, base_url: &str) -> Result<http::Request<Vec<u8>>, Error> {
        let mut url = match &self.link {
            Some(link) if same_origin(link, base_url) => link.clone(),
            Some(link) => {
                return Err(Error::OtherOrigin {
                    url: link.clone(),
                    base_url: base_url.to_owned(),
                });
            }
            None => format!("{}{}", base_url.trim_end_matches('/'), self.path),
        };
        // OData's own punctuation stays readable; `&`, `=`, `#`, `+`, `%` and spaces are
        // encoded.
        const QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
            .remove(b'-')
            .remove(b'.')
            .remove(b'_')
            .remove(b'~')
            .remove(b'$')
            .remove(b',')
            .remove(b'\'')
            .remove(b'(')
            .remove(b')')
            .remove(b':')
            .remove(b'@')
            .remove(b'/');
        for (i, (name, value)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.extend(percent_encoding::utf8_percent_encode(name, QUERY));
            url.push('=');
            url.extend(percent_encoding::utf8_percent_encode(value, QUERY));
        }
        let mut builder = http::Request::builder()
            .method(self.method.clone())
            .uri(url.as_str())
            .header(http::header::ACCEPT, "application/json");
        let body = match &self.body {
            None => Vec::new(),
            Some(Ok((bytes, content_type))) => {
                builder = builder.header(http::header::CONTENT_TYPE, content_type);
                bytes.clone()
            }
            Some(Err(message)) => {
                return Err(Error::Serialize {
                    message: message.clone(),
                });
            }
        };
        if let Some(headers) = builder.headers_mut() {
            for (name, _) in &self.headers {
                headers.remove(name);
            }
            for (name, value) in &self.headers {
                headers.append(name.clone(), value.clone());
            }
        }
        builder.body(body).map_err(|error| Error::InvalidUrl {
            url,
            message: error.to_string(),
        })
    }

    /// The typed result of a response to this request: any 2xx status is success;
    /// other statuses and bodies that do not decode are errors that keep the status and
    /// the body. A redirect (a download's `302` to where the file is) is
    /// [`Error::Redirect`], for an HTTP client that does not follow redirects itself.
    pub fn parse_response(&self, response: http::Response<Vec<u8>>) -> Result<T, Error> {
        let status = response.status();
        let (parts, body) = response.into_parts();
        let location = parts.headers.get(http::header::LOCATION);
        if let (true, Some(location)) = (status.is_redirection(), location) {
            return Err(Error::Redirect {
                status,
                location: String::from_utf8_lossy(location.as_bytes()).into_owned(),
            });
        }
        if !status.is_success() {
            return Err(Error::Status { status, body });
        }
        (self.decode)(&parts.headers, &body).map_err(|error| Error::Decode {
            status,
            body,
            message: error.to_string(),
        })
    }
}

/// What can go wrong building a request or reading its response.
#[non_exhaustive]
pub enum Error {
    /// The base URL and the path do not make a valid URI.
    InvalidUrl { url: String, message: String },
    /// The request body could not be serialized.
    Serialize { message: String },
    /// A link (see [`Request::at_link`]) on another origin than the base URL's.
    OtherOrigin { url: String, base_url: String },
    /// The service answered with a redirect to `location`: the content is there (on
    /// another host, with no token needed, for a download).
    Redirect {
        status: http::StatusCode,
        location: String,
    },
    /// The service answered with a status that is not 2xx.
    Status {
        status: http::StatusCode,
        body: Vec<u8>,
    },
    /// The response body is not what the operation returns.
    Decode {
        status: http::StatusCode,
        body: Vec<u8>,
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidUrl { url, message } => {
                write!(f, "invalid request URL `{url}`: {message}")
            }
            Error::OtherOrigin { url, base_url } => {
                write!(
                    f,
                    "refused `{url}`: another origin than the base URL `{base_url}`"
                )
            }
            Error::Serialize { message } => {
                write!(f, "cannot serialize the request body: {message}")
            }
            Error::Redirect { status, location } => {
                write!(f, "the service answered {status}: see `{location}`")
            }
            Error::Status { status, body } => write!(
                f,
                "the service answered {status}: {}",
                String::from_utf8_lossy(body)
            ),
            Error::Decode {
                status, message, ..
            } => write!(f, "cannot decode the {status} response: {message}"),
        }
    }
}

impl fmt::Debug for Error {
    /// Bodies are shown as text, not bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = |body: &[u8]| String::from_utf8_lossy(body).into_owned();
        match self {
            Error::InvalidUrl { url, message } => f
                .debug_struct("InvalidUrl")
                .field("url", url)
                .field("message", message)
                .finish(),
            Error::OtherOrigin { url, base_url } => f
                .debug_struct("OtherOrigin")
                .field("url", url)
                .field("base_url", base_url)
                .finish(),
            Error::Serialize { message } => f
                .debug_struct("Serialize")
                .field("message", message)
                .finish(),
            Error::Redirect { status, location } => f
                .debug_struct("Redirect")
                .field("status", status)
                .field("location", location)
                .finish(),
            Error::Status { status, body } => f
                .debug_struct("Status")
                .field("status", status)
                .field("body", &text(body))
                .finish(),
            Error::Decode {
                status,
                body,
                message,
            } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("message", message)
                .field("body", &text(body))
                .finish(),
        }
    }
}

impl std::error::Error for Error {}

/// One page of a collection: its items, and what the service said beside them. A list
/// operation's result; the client's `pages`, `items` and `all` follow `next_link`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `@odata.nextLink`: where the next page is, when there is one.
    pub next_link: Option<String>,
    /// `@odata.deltaLink`: for delta queries, where to ask for the next changes (see
    /// [`Request::at_link`]).
    pub delta_link: Option<String>,
    /// `@odata.count`, when the request asked for it (`$count=true`).
    pub count: Option<i64>,
}

/// `a,b,c`: the wire names of `properties`, as `$select` and `$expand` take them.
fn property_list<P: crate::object::Property>(properties: &[P]) -> String {
    let names: Vec<&str> = properties
        .iter()
        .map(crate::object::property_name)
        .collect();
    names.join(",")
}

/// Whether two absolute URLs have one scheme, host and port.
fn same_origin(a: &str, b: &str) -> bool {
    let origin = |url: &str| {
        let uri: http::Uri = url.parse().ok()?;
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let port = uri.port_u16().or(match scheme.as_str() {
            "https" => Some(443),
            "http" => Some(80),
            _ => None,
        });
        Some((scheme, uri.host()?.to_ascii_lowercase(), port))
    };
    matches!((origin(a), origin(b)), (Some(a), Some(b)) if a == b)
}

/// The path a navigation step has reached (`/users/a%40b/messages`): what every node of
/// the generated crate's `api` holds, with its template (`/users/{}/messages`). Steps
/// append to it; operations make their request from it.
#[doc(hidden)]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    path: String,
    template: String,
}

impl Location {
    /// The path with `pieces` appended: literals at even places, parameters (already
    /// encoded) at odd places.
    pub fn join(&self, pieces: &[&str]) -> Location {
        let mut joined = self.clone();
        for (i, piece) in pieces.iter().enumerate() {
            joined.path.push_str(piece);
            joined
                .template
                .push_str(if i % 2 == 0 { piece } else { "{}" });
        }
        joined
    }

    /// The request of an operation at this path.
    pub fn request<T>(&self, method: http::Method, decode: Decoder<T>) -> Request<T> {
        Request::with_template(method, self.path.clone(), self.template.clone(), decode)
    }

    pub fn as_str(&self) -> &str {
        &self.path
    }
}

/// Percent-encodes an item's path for OneDrive's path addressing (`root:/{path}:`):
/// each segment as [`encode_path_param`] encodes it, the `/` between them kept, so
/// `Documents/a b.txt` is `Documents/a%20b.txt` and `..` stays a name, not a step up.
pub fn encode_item_path(value: &str) -> String {
    value
        .split('/')
        .map(encode_path_param)
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes a path parameter so that it stays one path segment: only RFC 3986
/// unreserved characters are kept, and `.`/`..` are encoded too.
pub fn encode_path_param(value: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    if !value.is_empty() && value.bytes().all(|b| b == b'.') {
        return value.replace('.', "%2E");
    }
    percent_encoding::utf8_percent_encode(value, SEGMENT).to_string()
}

/// One preference of a `Prefer` header (RFC 7240): `respond-async`, `return=minimal`,
/// `outlook.timezone="Pacific Standard Time"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference(String);

impl Preference {
    /// A preference without a value, or with its value already written. Control
    /// characters, which no header can hold, become spaces.
    pub fn new(text: &str) -> Preference {
        Preference(without_controls(text))
    }

    /// `token=value`, the value quoted when it is not a bare token (a time zone name
    /// with spaces).
    pub fn with_value(token: &str, value: &str) -> Preference {
        let bare = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        let text = if bare {
            format!("{token}={value}")
        } else {
            let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
            format!("{token}=\"{escaped}\"")
        };
        Preference(without_controls(&text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn without_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A long-running operation the service accepted (`202 Accepted`): where to ask how
/// it goes. The client's `wait` polls it until it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The `Location` header: the monitor's URL, absolute or below the base URL.
    pub location: String,
}

/// Decoders for the response shapes, shared by all request functions.
#[doc(hidden)]
pub mod decode {
    use http::HeaderMap;
    use serde::de::Error as _;

    pub fn json<T: crate::object::Decode>(
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Result<T, serde_json::Error> {
        crate::object::from_slice(body)
    }

    pub fn collection<T: crate::object::Decode>(
        _headers: &HeaderMap,
        body: &[u8],
    ) -> Result<crate::Page<T>, serde_json::Error> {
        crate::object::collection_from_slice(body)
    }

    pub fn empty(_headers: &HeaderMap, _body: &[u8]) -> Result<(), serde_json::Error> {
        Ok(())
    }

    pub fn bytes(_headers: &HeaderMap, body: &[u8]) -> Result<Vec<u8>, serde_json::Error> {
        Ok(body.to_vec())
    }

    /// `$count`: the number as plain text (which reads as JSON too).
    pub fn count(_headers: &HeaderMap, body: &[u8]) -> Result<u64, serde_json::Error> {
        serde_json::from_slice(body.trim_ascii())
    }

    pub fn accepted(
        headers: &HeaderMap,
        _body: &[u8],
    ) -> Result<crate::Accepted, serde_json::Error> {
        let location = headers
            .get(http::header::LOCATION)
            .and_then(|value| value.to_str().ok())
            .ok_or_else(|| serde_json::Error::custom("no `Location` header to monitor"))?;
        Ok(crate::Accepted {
            location: location.to_owned(),
        })
    }
}
