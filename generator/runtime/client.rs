//! An async client (cargo feature `client`): sends a [`Request`] over HTTPS with reqwest
//! and rustls, with a bearer token fetched for every attempt, retries that honor
//! `Retry-After`, paging that follows `@odata.nextLink`, and the service's error bodies
//! as a typed [`ApiError`].
//!
//! ```no_run
//! # async fn run() -> Result<(), generated::client::ClientError> {
//! use generated::client::{Client, StaticToken};
//! let client = Client::new(StaticToken::new("token"))?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::{Page, Request};
use futures_util::stream::{self, Stream, StreamExt as _, TryStreamExt as _};
use http::{HeaderMap, Method, StatusCode};

mod transfer;
pub use transfer::{Download, OperationStatus, UploadOptions, Uploaded};

#[cfg(feature = "auth")]
pub mod auth;

#[cfg(feature = "azure-identity")]
pub mod azure;

#[cfg(feature = "batch")]
mod batch;
#[cfg(feature = "batch")]
pub use batch::{Batch, BatchResults, Entry, MAX_BATCH};

/// Where the service runs: the global cloud or a national one. One value sets both the
/// Graph root a [`Client`] sends to ([`Client::for_cloud`]) and the identity platform a
/// credential signs in at (`auth`), as Microsoft documents them for each cloud.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cloud {
    Global,
    /// US Government L4 (GCC High).
    UsGovernment,
    /// US Government L5 (DoD).
    UsGovernmentDod,
    /// China, operated by 21Vianet.
    China,
}

impl Cloud {
    /// The Graph root, without an API version.
    pub fn graph_root(&self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovernment => "https://graph.microsoft.us",
            Cloud::UsGovernmentDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The identity platform's root (the tenant follows it).
    pub fn authority(&self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGovernment | Cloud::UsGovernmentDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The service root with the API version of the docs the crate was made from.
    pub fn base_url(&self) -> String {
        let version = crate::DEFAULT_BASE_URL.rsplit('/').next().unwrap_or("v1.0");
        format!("{}/{version}", self.graph_root())
    }

    /// What an app asks for to get the application permissions it was granted.
    pub fn default_scope(&self) -> String {
        format!("{}/.default", self.graph_root())
    }

    /// Delegated permissions (`User.Read`) written for this cloud's Graph root (only
    /// the global cloud takes them bare), with `offline_access` for refresh tokens.
    pub fn delegated_scopes(&self, scopes: &[&str]) -> Vec<String> {
        let mut written: Vec<String> = scopes
            .iter()
            .map(|scope| {
                if scope.contains("://")
                    || matches!(*scope, "openid" | "profile" | "email" | "offline_access")
                {
                    (*scope).to_owned()
                } else {
                    format!("{}/{scope}", self.graph_root())
                }
            })
            .collect();
        if !written.iter().any(|s| s == "offline_access") {
            written.push("offline_access".to_owned());
        }
        written
    }
}

/// A bearer token: `Debug` shows `Secret(<redacted>)`, never the token.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(token: impl Into<String>) -> Self {
        Secret(token.into())
    }

    /// The token itself, to put in a header.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Any error, from a token source or the transport.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What [`TokenSource::token`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Secret, BoxError>> + Send + 'a>>;

/// Where tokens come from. It is asked before every attempt of every request, so an
/// implementation can refresh a token that is about to expire.
pub trait TokenSource: Send + Sync {
    fn token(&self) -> TokenFuture<'_>;
}

/// The same token for every request.
#[derive(Debug, Clone)]
pub struct StaticToken(Secret);

impl StaticToken {
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(Secret::new(token))
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// When to try a request again: on 429 and 503 (which the service sends before doing
/// anything), on 504 and transport failures only for idempotent methods (a POST or PATCH
/// may have been carried out). The wait is `Retry-After` (seconds or an HTTP date) when
/// the response has one, else `base_delay` doubled on each attempt; a wait longer than
/// `max_delay` is not made and the response is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retry {
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl Retry {
    /// No retries.
    pub fn never() -> Self {
        Retry {
            max_retries: 0,
            ..Retry::default()
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        self.base_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay)
    }
}

/// The error body the service sends, `{"error": {"code", "message", "innerError"}}`,
/// with the response's status and request id.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Option<String>,
    pub message: Option<String>,
    /// From `innerError` or the `request-id` header: what support asks for.
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    /// `innerError` as sent.
    pub inner_error: Option<serde_json::Value>,
    /// The body as text (any body, JSON or not).
    pub body: String,
}

impl ApiError {
    fn new(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Self {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let error = json.as_ref().and_then(|j| j.get("error"));
        let text = |value: Option<&serde_json::Value>, key: &str| {
            value
                .and_then(|v| v.get(key))
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let inner = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        ApiError {
            status,
            code: text(error, "code"),
            message: text(error, "message"),
            request_id: text(inner, "request-id").or_else(|| header("request-id")),
            client_request_id: text(inner, "client-request-id")
                .or_else(|| header("client-request-id")),
            date: text(inner, "date").or_else(|| header("date")),
            inner_error: inner.cloned(),
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the service answered {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id})")?;
        }
        Ok(())
    }
}

/// What can go wrong sending a request.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError {
    /// The service answered with an error status.
    Api(Box<ApiError>),
    /// No answer within the timeout.
    Timeout,
    /// The connection failed or broke.
    Transport(reqwest::Error),
    /// A 2xx body that is not what the operation returns.
    Decode {
        status: StatusCode,
        message: String,
        body: String,
    },
    /// The request could not be built (see [`crate::Error`]).
    Request(crate::Error),
    /// A URL the client will not send a token to: plain `http` to a host that is not
    /// loopback, or a `@odata.nextLink` to another host than the base URL's.
    Refused { url: String, reason: &'static str },
    /// An upload or a long-running operation that could not be carried through.
    Transfer { url: String, message: String },
    /// A long-running operation the service reports as failed.
    OperationFailed(Box<OperationStatus>),
    /// The token source failed.
    Token(BoxError),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Api(error) => error.fmt(f),
            ClientError::Timeout => f.write_str("the request timed out"),
            ClientError::Transport(error) => write!(f, "transport error: {error}"),
            ClientError::Decode {
                status, message, ..
            } => write!(f, "cannot decode the {status} response: {message}"),
            ClientError::Request(error) => error.fmt(f),
            ClientError::Refused { url, reason } => write!(f, "refused to send to {url}: {reason}"),
            ClientError::Transfer { url, message } => {
                write!(f, "transfer to {url} failed: {message}")
            }
            ClientError::OperationFailed(status) => {
                write!(f, "the operation failed with status `{}`", status.status)
            }
            ClientError::Token(error) => write!(f, "cannot get a token: {error}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl From<crate::Error> for ClientError {
    fn from(error: crate::Error) -> Self {
        ClientError::Request(error)
    }
}

fn transport(error: reqwest::Error) -> ClientError {
    if error.is_timeout() {
        ClientError::Timeout
    } else {
        ClientError::Transport(error)
    }
}

/// The typed result of a response (the service's error statuses are already
/// `ClientError::Api`).
fn read<T>(request: &Request<T>, response: http::Response<Vec<u8>>) -> Result<T, ClientError> {
    let status = response.status();
    request
        .parse_response(response)
        .map_err(|error| match error {
            crate::Error::Decode { body, message, .. } => ClientError::Decode {
                status,
                message,
                body: String::from_utf8_lossy(&body).into_owned(),
            },
            other => ClientError::Request(other),
        })
}

/// Sends requests to the service. Cheap to clone; share one.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: reqwest::Url,
    token: Arc<dyn TokenSource>,
    retry: Retry,
    timeout: Option<Duration>,
    throttle: Arc<Throttle>,
}

/// When the client may send again. The service throttles an app, not one request: a
/// `429` or `503` with a wait holds every request of the client (and its clones) until
/// the wait is over, and each then waits a little more, at random, so that they do not
/// all come back at the same instant.
#[derive(Debug, Default)]
struct Throttle {
    until: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Throttle {
    fn hold(&self, wait: Duration) {
        let until = std::time::Instant::now() + wait;
        let mut held = self.until.lock().unwrap_or_else(|e| e.into_inner());
        if held.is_none_or(|held| held < until) {
            *held = Some(until);
        }
    }

    /// Waits while the client is held.
    async fn pass(&self) {
        let until = *self.until.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(wait) =
            until.and_then(|until| until.checked_duration_since(std::time::Instant::now()))
        {
            tokio::time::sleep(wait + jitter(wait)).await;
        }
    }
}

/// Up to a fifth of `wait` more, at random.
fn jitter(wait: Duration) -> Duration {
    use std::hash::BuildHasher as _;
    // Each `RandomState` is seeded afresh: enough randomness to spread retries.
    let random = std::collections::hash_map::RandomState::new().hash_one(0u8);
    wait.mul_f64((random % 1000) as f64 / 5000.0)
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url.as_str())
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for [`crate::DEFAULT_BASE_URL`].
    pub fn new(token: impl TokenSource + 'static) -> Result<Client, ClientError> {
        Client::with_base_url(crate::DEFAULT_BASE_URL, token)
    }

    /// A client for the service root of `cloud` (see [`Cloud::base_url`]).
    pub fn for_cloud(
        cloud: &Cloud,
        token: impl TokenSource + 'static,
    ) -> Result<Client, ClientError> {
        Client::with_base_url(&cloud.base_url(), token)
    }

    /// A client for another service root (`https://`, or `http://` to a loopback address).
    pub fn with_base_url(
        base_url: &str,
        token: impl TokenSource + 'static,
    ) -> Result<Client, ClientError> {
        let refused = |reason| ClientError::Refused {
            url: base_url.to_owned(),
            reason,
        };
        let url = reqwest::Url::parse(base_url).map_err(|_| refused("not a URL"))?;
        check_scheme(&url).map_err(refused)?;
        // Redirects are followed by `respond`, which knows where the token may go.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError::Transport)?;
        Ok(Client {
            http,
            base_url: url,
            token: Arc::new(token),
            retry: Retry::default(),
            timeout: None,
            throttle: Arc::default(),
        })
    }

    /// Sends with this reqwest client (proxies, pools, TLS settings).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// The longest each attempt may take.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    pub fn retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    pub fn base_url(&self) -> &str {
        self.base_url.as_str()
    }

    /// Sends the request and reads the typed result; a list operation gives its first
    /// page, with the link to the next ([`Client::pages`] follows them).
    pub async fn send<T>(&self, request: Request<T>) -> Result<T, ClientError> {
        let sent = request.to_http(self.base_url.as_str())?;
        let response = self.execute(sent, request.path_template()).await?;
        read(&request, response)
    }

    /// The pages of a list operation, following `@odata.nextLink` as sent.
    pub fn pages<'a, T: 'a>(
        &'a self,
        request: Request<Page<T>>,
    ) -> impl Stream<Item = Result<Page<T>, ClientError>> + 'a {
        let first = request
            .to_http(self.base_url.as_str())
            .map_err(ClientError::Request);
        // Every page is asked for with the first request's headers (`ConsistencyLevel`,
        // `Prefer: odata.maxpagesize`), which the service expects on each.
        let headers = first
            .as_ref()
            .map(|first| first.headers().clone())
            .unwrap_or_default();
        let request = Arc::new(request);
        stream::try_unfold(Some(first), move |next| {
            let headers = headers.clone();
            let request = request.clone();
            async move {
                let Some(next) = next else {
                    return Ok(None);
                };
                let response = self.execute(next?, request.path_template()).await?;
                let page = read(&request, response)?;
                let following = page
                    .next_link
                    .as_deref()
                    .map(|link| self.link(link, &headers));
                Ok(Some((page, following)))
            }
        })
    }

    /// Every item of a list operation, across pages.
    pub fn items<'a, T: 'a>(
        &'a self,
        request: Request<Page<T>>,
    ) -> impl Stream<Item = Result<T, ClientError>> + 'a {
        self.pages(request)
            .map_ok(|page| stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten()
    }

    /// Every item of a list operation, the first page's `@odata.count` and the last
    /// page's `@odata.deltaLink`.
    pub async fn all<T>(&self, request: Request<Page<T>>) -> Result<Page<T>, ClientError> {
        let mut all: Page<T> = Page {
            items: Vec::new(),
            next_link: None,
            delta_link: None,
            count: None,
        };
        let mut pages = std::pin::pin!(self.pages(request));
        while let Some(page) = pages.next().await {
            let page = page?;
            all.items.extend(page.items);
            all.count = all.count.or(page.count);
            all.delta_link = page.delta_link;
        }
        Ok(all)
    }

    /// A GET of a `@odata.nextLink`, which must stay on the base URL's origin, with the
    /// headers of the list's first request.
    fn link(
        &self,
        link: &str,
        headers: &http::HeaderMap,
    ) -> Result<http::Request<Vec<u8>>, ClientError> {
        let refused = |reason| ClientError::Refused {
            url: link.to_owned(),
            reason,
        };
        let url = reqwest::Url::parse(link).map_err(|_| refused("not an absolute URL"))?;
        if url.origin() != self.base_url.origin() {
            return Err(refused("a next link to another origin than the base URL's"));
        }
        let mut request = http::Request::get(link)
            .body(Vec::new())
            .map_err(|_| refused("not a valid URI"))?;
        *request.headers_mut() = headers.clone();
        Ok(request)
    }

    /// Sends with the token, retrying as [`Retry`] says, and reads the whole answer.
    /// `template` is the path with `{}` for its parameters, for traces.
    async fn execute(
        &self,
        request: http::Request<Vec<u8>>,
        template: &str,
    ) -> Result<http::Response<Vec<u8>>, ClientError> {
        let mut response = self.respond(request, template).await?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let bytes = response.bytes().await.map_err(transport)?;
        let mut out = http::Response::new(Vec::from(bytes));
        *out.status_mut() = status;
        *out.headers_mut() = headers;
        Ok(out)
    }

    /// Sends with the token, retrying as [`Retry`] says, and follows a read's redirect
    /// to where its content is; a success status, with the body still to read.
    async fn respond(
        &self,
        request: http::Request<Vec<u8>>,
        template: &str,
    ) -> Result<reqwest::Response, ClientError> {
        // A span per request: its method and path template, never an id, a token or
        // a body; one per attempt within it (see `respond_untraced`).
        #[cfg(feature = "tracing")]
        let span =
            tracing::info_span!("graph_request", method = %request.method(), path = %template);
        #[cfg(not(feature = "tracing"))]
        let _ = template;
        let sending = self.respond_untraced(request);
        #[cfg(feature = "tracing")]
        let sending = tracing::Instrument::instrument(sending, span);
        sending.await
    }

    async fn respond_untraced(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<reqwest::Response, ClientError> {
        let (parts, body) = request.into_parts();
        let target = parts.uri.to_string();
        let url = reqwest::Url::parse(&target).map_err(|_| ClientError::Refused {
            url: target.clone(),
            reason: "not a URL",
        })?;
        if url.origin() != self.base_url.origin() {
            return Err(ClientError::Refused {
                url: target,
                reason: "another origin than the base URL's",
            });
        }
        // URL parsers treat `%2E%2E` as `..` and drop a segment: a path parameter of
        // `.` or `..` would reach another resource.
        if url.path() != parts.uri.path() {
            return Err(ClientError::Refused {
                url: target,
                reason: "its path changes when parsed as a URL (a path parameter of `.` or `..`)",
            });
        }
        let idempotent = matches!(
            parts.method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        );
        let mut attempt = 0;
        let response = loop {
            self.throttle.pass().await;
            let token = self.token.token().await.map_err(ClientError::Token)?;
            let mut builder = self
                .http
                .request(parts.method.clone(), url.clone())
                .headers(parts.headers.clone())
                .bearer_auth(token.expose())
                .body(body.clone());
            if let Some(timeout) = self.timeout {
                builder = builder.timeout(timeout);
            }
            let retries_left = attempt < self.retry.max_retries;
            #[cfg(feature = "tracing")]
            let attempt_span = tracing::info_span!(
                "graph_attempt",
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                failed = tracing::field::Empty,
                retry_in_ms = tracing::field::Empty,
            );
            let sent = builder.send();
            #[cfg(feature = "tracing")]
            let sent = tracing::Instrument::instrument(sent, attempt_span.clone());
            let response = match sent.await {
                Ok(response) => response,
                Err(error) => {
                    // Not the error's text: it holds the URL, and so the ids.
                    #[cfg(feature = "tracing")]
                    attempt_span.record(
                        "failed",
                        if error.is_timeout() {
                            "timeout"
                        } else {
                            "transport"
                        },
                    );
                    if !(idempotent && retries_left) {
                        return Err(transport(error));
                    }
                    let wait = self.retry.backoff(attempt);
                    let wait = wait + jitter(wait);
                    #[cfg(feature = "tracing")]
                    attempt_span.record("retry_in_ms", wait.as_millis() as u64);
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                    continue;
                }
            };
            let status = response.status();
            #[cfg(feature = "tracing")]
            {
                attempt_span.record("status", status.as_u16());
                if let Some(id) = response
                    .headers()
                    .get("request-id")
                    .and_then(|v| v.to_str().ok())
                {
                    attempt_span.record("request_id", id);
                }
            }
            let retryable = match status.as_u16() {
                429 | 503 => true,
                504 => idempotent,
                _ => false,
            };
            if retryable && retries_left {
                let wait = retry_after(response.headers(), SystemTime::now())
                    .unwrap_or_else(|| self.retry.backoff(attempt));
                if wait <= self.retry.max_delay {
                    #[cfg(feature = "tracing")]
                    attempt_span.record("retry_in_ms", wait.as_millis() as u64);
                    if matches!(status.as_u16(), 429 | 503) {
                        // The whole client waits (`Throttle::pass`, with the jitter).
                        self.throttle.hold(wait);
                    } else {
                        tokio::time::sleep(wait + jitter(wait)).await;
                    }
                    attempt += 1;
                    continue;
                }
            }
            break response;
        };
        let response = if parts.method == Method::GET {
            self.follow(response).await?
        } else {
            response
        };
        if !response.status().is_success() {
            return Err(api_error(response).await);
        }
        Ok(response)
    }

    /// A request to a URL the service gave (a redirect's target, an upload session, a
    /// monitor) with the client's timeout, and no token: see [`Client::token_for`].
    fn given_url(&self, method: Method, url: reqwest::Url) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, url);
        match self.timeout {
            Some(timeout) => builder.timeout(timeout),
            None => builder,
        }
    }

    /// `builder` with the token when `url` is on the base URL's origin, the only place
    /// the token goes.
    async fn token_for(
        &self,
        builder: reqwest::RequestBuilder,
        url: &reqwest::Url,
    ) -> Result<reqwest::RequestBuilder, ClientError> {
        if url.origin() != self.base_url.origin() {
            return Ok(builder);
        }
        let token = self.token.token().await.map_err(ClientError::Token)?;
        Ok(builder.bearer_auth(token.expose()))
    }

    /// Follows redirects (a download's `302` to a pre-authenticated URL): the token
    /// goes only to the base URL's origin, never to the host the content is on.
    async fn follow(
        &self,
        mut response: reqwest::Response,
    ) -> Result<reqwest::Response, ClientError> {
        const MAX_REDIRECTS: usize = 10;
        for _ in 0..MAX_REDIRECTS {
            let location = response
                .headers()
                .get(http::header::LOCATION)
                .and_then(|value| value.to_str().ok());
            let (true, Some(location)) = (response.status().is_redirection(), location) else {
                return Ok(response);
            };
            let refused = |reason| ClientError::Refused {
                url: location.to_owned(),
                reason,
            };
            let next = response
                .url()
                .join(location)
                .map_err(|_| refused("a redirect to something that is not a URL"))?;
            check_scheme(&next).map_err(refused)?;
            let builder = self.given_url(Method::GET, next.clone());
            let builder = self.token_for(builder, &next).await?;
            response = builder.send().await.map_err(transport)?;
        }
        Err(ClientError::Refused {
            url: response.url().to_string(),
            reason: "more than 10 redirects",
        })
    }
}

/// The service's error in a response that is not a success, with its body.
async fn api_error(response: reqwest::Response) -> ClientError {
    let status = response.status();
    let headers = response.headers().clone();
    match response.bytes().await {
        Ok(body) => ClientError::Api(Box::new(ApiError::new(status, &headers, &body))),
        Err(error) => transport(error),
    }
}

/// Plain `http` only to this machine: a token must not cross a network in clear.
fn check_scheme(url: &reqwest::Url) -> Result<(), &'static str> {
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = url.host_str().unwrap_or_default();
            let ip = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host.eq_ignore_ascii_case("localhost")
                || ip
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err("plain http is only allowed to a loopback address")
            }
        }
        _ => Err("the scheme is not https"),
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
