//! What the example tests share: JSON compared by meaning, a value compared with the
//! example's, and a server that replays an example's request and response. Key order is
//! free, a `null` property differs from an absent one (an update tells them apart),
//! numbers compare by value (`1` equals `1.0`), and date-times compare as instants with
//! their offset, because the docs write 7 fractional digits where Rust prints 9. This
//! file is the generated crate's `tests/examples/support.rs`, copied as it is; a crate
//! whose examples need only some of it uses only some.

use ::serde_json::Value;

/// The path of the docs' base URL, which the test server serves under.
pub const BASE_PATH: &str = crate::BASE_PATH;

pub fn round_trip<T>(json: &str) -> T
where
    T: ::serde::de::DeserializeOwned + ::serde::Serialize + generated::object::Encode,
{
    let value: T = ::serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("does not deserialize: {e}\n{json}"));
    assert_serializes_to(&value, json);
    value
}

/// Written through serde and by the runtime's own writer (which sends request bodies):
/// the same bytes, equal to `json` by meaning.
pub fn assert_serializes_to<T>(value: &T, json: &str)
where
    T: ::serde::Serialize + generated::object::Encode + ?Sized,
{
    let actual = ::serde_json::to_vec(value).unwrap();
    let own = generated::object::to_vec(value).unwrap();
    assert!(
        own == actual,
        "the runtime's writer differs from serde_json:\n{}\n{}",
        String::from_utf8_lossy(&own),
        String::from_utf8_lossy(&actual)
    );
    assert_json_eq(&actual, json);
}

/// `items`: a page's items (a `Vec`).
pub fn assert_serializes_to_items<I>(items: &I, json: &str)
where
    I: ::serde::Serialize + generated::object::Encode,
{
    let page: Value = ::serde_json::from_str(json).unwrap();
    let expected = ::serde_json::to_string(&page["value"]).unwrap();
    assert_serializes_to(items, &expected);
}

pub fn assert_json_eq(actual: &[u8], expected: &str) {
    let actual: Value = ::serde_json::from_slice(actual).unwrap();
    let expected: Value = ::serde_json::from_str(expected).unwrap();
    if let Err(path) = same(&actual, &expected, "$") {
        panic!(
            "differs at {path}\nactual:   {}\nexpected: {}",
            ::serde_json::to_string_pretty(&actual).unwrap(),
            ::serde_json::to_string_pretty(&expected).unwrap()
        );
    }
}

fn same(a: &Value, b: &Value, path: &str) -> Result<(), String> {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: ::std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                match (a.get(key), b.get(key)) {
                    (Some(a), Some(b)) => same(a, b, &format!("{path}.{key}"))?,
                    _ => return Err(format!("{path}.{key} (present on one side only)")),
                }
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (a, b))| same(a, b, &format!("{path}[{i}]"))),
        // Single-precision properties keep what an f32 holds.
        (Value::Number(a), Value::Number(b))
            if a.as_f64() == b.as_f64()
                || a.as_f64().map(|a| a as f32) == b.as_f64().map(|b| b as f32) =>
        {
            Ok(())
        }
        (Value::String(a), Value::String(b))
            if a == b || same_instant(a, b) || same_bytes(a, b) =>
        {
            Ok(())
        }
        (a, b) if a == b => Ok(()),
        _ => Err(path.to_owned()),
    }
}

/// Date-times, dates and times of day written with different precision.
fn same_instant(a: &str, b: &str) -> bool {
    if let (Ok(a), Ok(b)) = (
        ::chrono::DateTime::parse_from_rfc3339(a),
        ::chrono::DateTime::parse_from_rfc3339(b),
    ) {
        return a == b && a.offset() == b.offset();
    }
    if let (Ok(a), Ok(b)) = (
        a.parse::<::chrono::NaiveTime>(),
        b.parse::<::chrono::NaiveTime>(),
    ) {
        return a == b;
    }
    false
}

/// The value of a property that the example sets.
pub fn set<'a, T>(field: &'a generated::Nullable<T>, at: &str) -> &'a T {
    match field {
        generated::Nullable::Value(value) => value,
        generated::Nullable::Null => panic!("{at} is null, the example sets it"),
        generated::Nullable::Absent => panic!("{at} is absent, the example sets it"),
    }
}

/// Seconds since the epoch, nanoseconds and offset: an instant to the tick.
pub fn instant(time: &::chrono::DateTime<::chrono::FixedOffset>) -> (i64, u32, i32) {
    (
        time.timestamp(),
        time.timestamp_subsec_nanos(),
        time.offset().local_minus_utc(),
    )
}

/// GUIDs in another case or with braces, and base64 with other padding or
/// alphabet: the same value written another way.
fn same_bytes(a: &str, b: &str) -> bool {
    if let (Ok(a), Ok(b)) = (::uuid::Uuid::parse_str(a), ::uuid::Uuid::parse_str(b)) {
        return a == b;
    }
    matches!((generated::Binary::decode(a), generated::Binary::decode(b)), (Ok(a), Ok(b)) if a == b)
}

/// `actual == expected`, or a panic that says where in the example the value is.
#[track_caller]
pub fn equal<A, B>(actual: &A, expected: &B, at: &str)
where
    A: PartialEq<B> + ::std::fmt::Debug + ?Sized,
    B: ::std::fmt::Debug + ?Sized,
{
    assert!(
        actual == expected,
        "{at}\n  actual: {actual:?}\nexpected: {expected:?}"
    );
}

pub fn keys(map: &::std::collections::BTreeMap<String, Value>) -> Vec<&str> {
    map.keys().map(String::as_str).collect()
}

/// The token the replayed requests carry.
pub const AUTHORIZATION: &str = "Bearer replay-token";

/// An example's request and response, as the test server sees them.
pub struct Exchange<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub body: Option<&'a str>,
    pub status: u16,
    pub content_type: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub response: &'a str,
}

/// A server on 127.0.0.1 that expects the request once, with the token, and
/// answers with the response. A redirect (a download's `302`) points at a second server
/// standing for the host the content is on, which expects the request once, without
/// the token, and answers with the example's body.
pub async fn serve(exchange: Exchange<'_>) -> Served {
    use ::wiremock::matchers;
    let server = ::wiremock::MockServer::start().await;
    let mut mock = ::wiremock::Mock::given(matchers::method(exchange.method))
        .and(matchers::path(exchange.path))
        .and(matchers::header("authorization", AUTHORIZATION));
    for (name, value) in exchange.query {
        mock = mock.and(matchers::query_param(*name, *value));
    }
    if let Some(body) = exchange.body {
        mock = mock
            .and(matchers::header("content-type", "application/json"))
            .and(JsonBody::new(body));
    }
    let location = exchange
        .headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("location"));
    let (headers, files) = match location {
        Some((_, target)) if (300..400).contains(&exchange.status) => {
            let files = ::wiremock::MockServer::start().await;
            let path = ::http::Uri::try_from(*target)
                .map(|uri| uri.path().to_owned())
                .unwrap_or_else(|_| "/".to_owned());
            ::wiremock::Mock::given(matchers::method("GET"))
                .and(matchers::path(path.as_str()))
                .and(NoToken)
                .respond_with(respond(200, "application/octet-stream", &[], exchange.response))
                .expect(1)
                .mount(&files)
                .await;
            let moved = format!("{}{path}", files.uri());
            let mut headers: Vec<(&str, &str)> = exchange
                .headers
                .iter()
                .filter(|(name, _)| !name.eq_ignore_ascii_case("location"))
                .copied()
                .collect();
            headers.push(("Location", Box::leak(moved.into_boxed_str())));
            (headers, Some(files))
        }
        _ => (exchange.headers.to_vec(), None),
    };
    mock.respond_with(respond(
        exchange.status,
        exchange.content_type,
        &headers,
        exchange.response,
    ))
    .expect(1)
    .mount(&server)
    .await;
    Served { api: server, files }
}

/// The replay's servers: the API's, and the content host a redirect points at.
pub struct Served {
    pub api: ::wiremock::MockServer,
    pub files: Option<::wiremock::MockServer>,
}

impl ::std::ops::Deref for Served {
    type Target = ::wiremock::MockServer;

    fn deref(&self) -> &::wiremock::MockServer {
        &self.api
    }
}

/// Matches a request that carries no token.
pub struct NoToken;

impl ::wiremock::Match for NoToken {
    fn matches(&self, request: &::wiremock::Request) -> bool {
        !request.headers.contains_key("authorization")
    }
}

/// A client for the test server, at the docs' base path, that does not retry.
pub fn client(server: &::wiremock::MockServer) -> generated::client::Client {
    let base = format!("{}{}", server.uri(), BASE_PATH);
    generated::client::Client::with_base_url(
        &base,
        generated::client::StaticToken::new("replay-token"),
    )
    .unwrap()
    .retry(generated::client::Retry::never())
}

/// An answer with the example's status, content type, headers (those that are
/// valid HTTP) and body.
pub fn respond(
    status: u16,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> ::wiremock::ResponseTemplate {
    let mut template = ::wiremock::ResponseTemplate::new(status)
        .set_body_raw(body.as_bytes().to_vec(), content_type);
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            ::http::HeaderName::try_from(*name),
            ::http::HeaderValue::try_from(*value),
        ) {
            template = template.insert_header(name, value);
        }
    }
    template
}

/// Matches a request whose body is the same JSON as the example's, by meaning.
pub struct JsonBody(Value);

impl JsonBody {
    pub fn new(json: &str) -> Self {
        JsonBody(::serde_json::from_str(json).unwrap())
    }
}

impl ::wiremock::Match for JsonBody {
    fn matches(&self, request: &::wiremock::Request) -> bool {
        ::serde_json::from_slice::<Value>(&request.body)
            .is_ok_and(|body| same(&body, &self.0, "$").is_ok())
    }
}

pub fn assert_api_error<T: ::std::fmt::Debug>(
    result: Result<T, generated::client::ClientError>,
    status: u16,
) {
    match result {
        Err(generated::client::ClientError::Api(error)) => {
            assert_eq!(error.status.as_u16(), status)
        }
        other => panic!("expected the service's {status} error, got {other:?}"),
    }
}

pub fn response(
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> ::http::Response<Vec<u8>> {
    let mut response = ::http::Response::builder()
        .status(status)
        .header("content-type", "application/json");
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(body.as_bytes().to_vec()).unwrap()
}
