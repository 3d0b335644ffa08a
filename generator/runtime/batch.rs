//! JSON batching (cargo feature `batch`): many typed requests sent as `POST /$batch`,
//! at most 20 to a batch, their results typed and in request order.
//!
//! ```no_run
//! # async fn run(client: generated::client::Client) -> Result<(), generated::client::ClientError> {
//! use generated::client::Batch;
//! let mut batch = Batch::new();
//! let me = batch.add(generated::api().me().get());
//! let mut results = client.send_batch(batch).await?;
//! let user = results.take(me)?;
//! # Ok(()) }
//! ```

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde_json::{Map, Value};

use super::{ApiError, Client, ClientError, read, retry_after};
use crate::Request;

/// The most requests the service takes in one batch.
pub const MAX_BATCH: usize = 20;

/// A request of a batch, its result type forgotten until it is read back.
struct Pending {
    method: http::Method,
    /// The URL after the service root, as a batch writes it: `/me/messages?$top=1`.
    url: String,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Option<Vec<u8>>,
    depends_on: Vec<usize>,
    /// Reads a response to the request as its result type, boxed.
    read: Box<dyn Fn(http::Response<Vec<u8>>) -> Outcome + Send>,
}

/// A request's result, its type forgotten, or its error.
type Outcome = Result<Box<dyn Any + Send>, ClientError>;

/// The requests to send together. Each [`Batch::add`] gives the handle its result is
/// read back with, typed as its request's.
#[derive(Default)]
pub struct Batch {
    requests: Vec<Pending>,
    built: Vec<Result<(), crate::Error>>,
}

/// Where a request of a batch stands, and its result type.
pub struct Entry<T> {
    index: usize,
    result: PhantomData<fn() -> T>,
}

impl<T> Clone for Entry<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Entry<T> {}

impl<T> fmt::Debug for Entry<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Entry({})", self.index)
    }
}

impl Batch {
    pub fn new() -> Batch {
        Batch::default()
    }

    /// Adds a request; its result is read back with the handle.
    pub fn add<T: Send + 'static>(&mut self, request: Request<T>) -> Entry<T> {
        self.add_after(request, &[])
    }

    /// Adds a request the service carries out only after those of `after` succeeded
    /// (`dependsOn`); they go in the same batch.
    pub fn add_after<T: Send + 'static>(
        &mut self,
        request: Request<T>,
        after: &[usize],
    ) -> Entry<T> {
        let index = self.requests.len();
        // Built against a placeholder root: only the part after it goes in the batch.
        let built = request.to_http(ROOT);
        let (method, url, headers, body) = match &built {
            Ok(http) => (
                http.method().clone(),
                http.uri()
                    .to_string()
                    .strip_prefix(ROOT)
                    .unwrap_or_default()
                    .to_owned(),
                http.headers()
                    .iter()
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect(),
                (!http.body().is_empty()).then(|| http.body().clone()),
            ),
            Err(_) => (http::Method::GET, String::new(), Vec::new(), None),
        };
        self.built.push(built.map(drop));
        self.requests.push(Pending {
            method,
            url,
            headers,
            body,
            depends_on: after.iter().copied().filter(|&i| i < index).collect(),
            read: Box::new(move |response| {
                read(&request, response).map(|value| Box::new(value) as Box<dyn Any + Send>)
            }),
        });
        Entry {
            index,
            result: PhantomData,
        }
    }

    pub fn len(&self) -> usize {
        self.requests.len()
    }

    pub fn is_empty(&self) -> bool {
        self.requests.is_empty()
    }
}

impl<T> Entry<T> {
    /// What [`Batch::add_after`] takes to name this request.
    pub fn id(&self) -> usize {
        self.index
    }
}

/// A root that no request path contains, to cut the service root off built URLs.
const ROOT: &str = "http://batch.invalid/root";

/// The results of a batch, in request order.
pub struct BatchResults {
    results: Vec<Option<Outcome>>,
}

impl fmt::Debug for BatchResults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchResults")
            .field("len", &self.results.len())
            .finish_non_exhaustive()
    }
}

impl BatchResults {
    /// The result of the request `entry` stands for: its typed result, or the error the
    /// service answered it with (`ClientError::Api`, status and body).
    pub fn take<T: 'static>(&mut self, entry: Entry<T>) -> Result<T, ClientError> {
        let taken = self.results.get_mut(entry.index).and_then(Option::take);
        match taken {
            Some(Ok(value)) => value
                .downcast::<T>()
                .map(|value| *value)
                .map_err(|_| batch_error("an entry of another batch")),
            Some(Err(error)) => Err(error),
            None => Err(batch_error("an entry read twice or of another batch")),
        }
    }
}

fn batch_error(message: &str) -> ClientError {
    ClientError::Transfer {
        url: "$batch".to_owned(),
        message: message.to_owned(),
    }
}

impl Client {
    /// Sends the requests in batches of at most [`MAX_BATCH`] (a request with the
    /// requests it depends on, in one), one batch after the other. A request the
    /// service throttles inside a batch (`429`, `503`) is sent again, alone with the
    /// others throttled, after the longest `Retry-After` they ask for, within the
    /// client's retry budget; those that succeeded are not sent again.
    pub async fn send_batch(&self, batch: Batch) -> Result<BatchResults, ClientError> {
        let Batch { requests, built } = batch;
        let mut results: Vec<Option<Outcome>> = Vec::with_capacity(requests.len());
        for built in built {
            results.push(built.err().map(|error| Err(ClientError::Request(error))));
        }
        for chunk in chunks(&requests)? {
            let mut pending: Vec<usize> = chunk
                .into_iter()
                .filter(|&i| results[i].is_none())
                .collect();
            let mut attempt = 0;
            while !pending.is_empty() {
                let answers = self.post_batch(&requests, &pending).await?;
                let mut throttled = Vec::new();
                let mut wait = Duration::ZERO;
                for (i, response) in answers {
                    let status = response.status();
                    let retryable = matches!(status.as_u16(), 429 | 503)
                        // A request whose dependency was throttled failed for it.
                        || (status == StatusCode::FAILED_DEPENDENCY
                            && requests[i].depends_on.iter().any(|d| results[*d].is_none()));
                    if retryable && attempt < self.retry.max_retries {
                        let asked = retry_after(response.headers(), SystemTime::now())
                            .unwrap_or_else(|| self.retry.backoff(attempt));
                        wait = wait.max(asked);
                        throttled.push(i);
                        continue;
                    }
                    results[i] = Some(if status.is_success() {
                        (requests[i].read)(response)
                    } else {
                        let (parts, body) = response.into_parts();
                        Err(ClientError::Api(Box::new(ApiError::new(
                            parts.status,
                            &parts.headers,
                            &body,
                        ))))
                    });
                }
                if !throttled.is_empty() && wait > self.retry.max_delay {
                    for &i in &throttled {
                        results[i] = Some(Err(batch_error(
                            "throttled, and the wait asked for is longer than the retry budget",
                        )));
                    }
                    break;
                }
                if !throttled.is_empty() {
                    // The whole client waits, as for any throttle; the next batch's
                    // request passes the wait (`Throttle::pass`, with the jitter).
                    self.throttle.hold(wait);
                    attempt += 1;
                }
                pending = throttled;
            }
        }
        let results = results
            .into_iter()
            .map(|result| {
                Some(result.unwrap_or_else(|| Err(batch_error("no answer in the batch"))))
            })
            .collect();
        Ok(BatchResults { results })
    }

    /// One `POST /$batch` of the requests `which`, and the answer to each as an HTTP
    /// response, by request index.
    async fn post_batch(
        &self,
        requests: &[Pending],
        which: &[usize],
    ) -> Result<Vec<(usize, http::Response<Vec<u8>>)>, ClientError> {
        let body = Value::Object(Map::from_iter([(
            "requests".to_owned(),
            Value::Array(
                which
                    .iter()
                    .map(|&i| batch_request(i, &requests[i]))
                    .collect(),
            ),
        )]));
        let url = format!("{}/$batch", self.base_url.as_str().trim_end_matches('/'));
        let mut request = http::Request::new(serde_json::to_vec(&body).unwrap_or_default());
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = url.parse().map_err(|_| ClientError::Refused {
            url: url.clone(),
            reason: "not a valid URI",
        })?;
        request.headers_mut().insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let response = self.execute(request, "/$batch").await?;
        let answer: Value =
            serde_json::from_slice(response.body()).map_err(|error| ClientError::Decode {
                status: response.status(),
                message: format!("not a batch response: {error}"),
                body: String::from_utf8_lossy(response.body()).into_owned(),
            })?;
        let responses = answer
            .get("responses")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        Ok(responses
            .iter()
            .filter_map(|response| {
                let id = response.get("id")?.as_str()?.parse::<usize>().ok()?;
                which.contains(&id).then(|| (id, batch_response(response)))
            })
            .collect())
    }
}

/// The requests' indexes in batches of at most [`MAX_BATCH`], in order, each request
/// with those it depends on (which the service resolves only within a batch).
fn chunks(requests: &[Pending]) -> Result<Vec<Vec<usize>>, ClientError> {
    // Requests joined by `dependsOn` form a group, named by its first request.
    let mut group: Vec<usize> = (0..requests.len()).collect();
    fn root(group: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    for (i, request) in requests.iter().enumerate() {
        for &d in &request.depends_on {
            let (a, b) = (root(&mut group, i), root(&mut group, d));
            group[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..requests.len() {
        let r = root(&mut group, i);
        groups.entry(r).or_default().push(i);
    }
    let mut chunks: Vec<Vec<usize>> = Vec::new();
    for members in groups.into_values() {
        if members.len() > MAX_BATCH {
            return Err(batch_error(
                "more than 20 requests depend on each other, and a batch holds 20",
            ));
        }
        match chunks.last_mut() {
            Some(last) if last.len() + members.len() <= MAX_BATCH => last.extend(members),
            _ => chunks.push(members),
        }
    }
    Ok(chunks)
}

/// A request as the batch body writes it.
fn batch_request(index: usize, request: &Pending) -> Value {
    let mut entry = Map::new();
    entry.insert("id".into(), Value::String(index.to_string()));
    entry.insert("method".into(), Value::String(request.method.to_string()));
    entry.insert("url".into(), Value::String(request.url.clone()));
    let headers: Map<String, Value> = request
        .headers
        .iter()
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_owned(),
                Value::String(value.to_str().ok()?.to_owned()),
            ))
        })
        .collect();
    if let Some(body) = &request.body {
        // A JSON body goes as JSON; other content as base64, as the service reads it.
        let json = serde_json::from_slice::<Value>(body)
            .ok()
            .filter(|_| is_json(&headers));
        let body = json.unwrap_or_else(|| Value::String(crate::Binary(body.clone()).encode()));
        entry.insert("body".into(), body);
    }
    if !headers.is_empty() {
        entry.insert("headers".into(), Value::Object(headers));
    }
    if !request.depends_on.is_empty() {
        let depends: Vec<Value> = request
            .depends_on
            .iter()
            .map(|d| Value::String(d.to_string()))
            .collect();
        entry.insert("dependsOn".into(), Value::Array(depends));
    }
    Value::Object(entry)
}

fn is_json(headers: &Map<String, Value>) -> bool {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
        .and_then(|(_, value)| value.as_str())
        .is_none_or(|value| value.contains("json"))
}

/// A response of the batch body as an HTTP response: JSON bodies as their text, others
/// (which the service sends as base64) as their bytes.
fn batch_response(response: &Value) -> http::Response<Vec<u8>> {
    let status = response
        .get("status")
        .and_then(Value::as_u64)
        .and_then(|s| StatusCode::from_u16(u16::try_from(s).ok()?).ok())
        .unwrap_or(StatusCode::BAD_GATEWAY);
    let mut headers = HeaderMap::new();
    let mut json = true;
    if let Some(sent) = response.get("headers").and_then(Value::as_object) {
        for (name, value) in sent {
            let (Ok(name), Some(Ok(value))) = (
                HeaderName::try_from(name.as_str()),
                value.as_str().map(HeaderValue::from_str),
            ) else {
                continue;
            };
            if name == http::header::CONTENT_TYPE {
                json = value.to_str().is_ok_and(|v| v.contains("json"));
            }
            headers.insert(name, value);
        }
    }
    let body = match response.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(text)) if !json => crate::Binary::decode(text)
            .map(|binary| binary.0)
            .unwrap_or_else(|_| text.clone().into_bytes()),
        Some(body) => serde_json::to_vec(body).unwrap_or_default(),
    };
    let mut out = http::Response::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    out
}
