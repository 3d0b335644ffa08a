//! Files and long-running operations: downloads read as a stream, uploads through an
//! upload session, and the monitor of a `202 Accepted`. The upload and download hosts
//! are not the API: they get no token.

use std::fmt;
use std::time::SystemTime;

use http::{Method, StatusCode};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncSeek, AsyncSeekExt as _};

use super::{ApiError, Client, ClientError, api_error, check_scheme, retry_after, transport};
use crate::{Accepted, Request};

/// A response body read as it arrives, so that a large file never sits whole in
/// memory; from [`Client::download`].
#[derive(Debug)]
pub struct Download {
    response: reqwest::Response,
}

impl Download {
    /// The size the server announced, when it did.
    pub fn content_length(&self) -> Option<u64> {
        self.response.content_length()
    }

    /// The media type of the content (`image/jpeg`), when the server said.
    pub fn content_type(&self) -> Option<&str> {
        let value = self.response.headers().get(http::header::CONTENT_TYPE)?;
        value.to_str().ok()
    }

    /// The next piece of the content; `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, ClientError> {
        self.response.chunk().await.map_err(transport)
    }
}

/// How [`Client::upload`] cuts and reports an upload.
pub struct UploadOptions {
    chunk_size: u64,
    progress: Option<Box<dyn FnMut(u64, u64) + Send>>,
}

impl fmt::Debug for UploadOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadOptions")
            .field("chunk_size", &self.chunk_size)
            .finish_non_exhaustive()
    }
}

impl Default for UploadOptions {
    fn default() -> Self {
        UploadOptions {
            chunk_size: 10 * UploadOptions::CHUNK_UNIT,
            progress: None,
        }
    }
}

impl UploadOptions {
    /// Chunks must be multiples of 320 KiB: the service may fail to commit a file
    /// uploaded otherwise.
    pub const CHUNK_UNIT: u64 = 320 * 1024;
    /// The largest chunk the service takes (60 MiB), rounded down to the unit.
    pub const MAX_CHUNK: u64 = 60 * 1024 * 1024 / Self::CHUNK_UNIT * Self::CHUNK_UNIT;

    /// Chunks of about `bytes`: rounded down to a multiple of 320 KiB, at least one
    /// unit and at most [`Self::MAX_CHUNK`].
    pub fn chunk_size(mut self, bytes: u64) -> Self {
        self.chunk_size =
            (bytes / Self::CHUNK_UNIT * Self::CHUNK_UNIT).clamp(Self::CHUNK_UNIT, Self::MAX_CHUNK);
        self
    }

    /// Called with (bytes the service has, total) after every chunk it accepts.
    pub fn on_progress(mut self, progress: impl FnMut(u64, u64) + Send + 'static) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }

    fn report(&mut self, done: u64, total: u64) {
        if let Some(progress) = &mut self.progress {
            progress(done, total);
        }
    }
}

/// What the service answers to the last chunk of an upload: the item made (a
/// `driveItem`), when it sends one, and where it is (an Outlook attachment's
/// `Location`).
#[derive(Debug, Clone, PartialEq)]
pub struct Uploaded<T> {
    pub item: Option<T>,
    pub location: Option<String>,
}

/// Where a long-running operation is, as its monitor reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationStatus {
    /// `notStarted`, `inProgress`, `completed`/`succeeded`, `failed`, ...
    pub status: String,
    pub percentage_complete: Option<f64>,
    /// The id of the resource made (a copy), when the monitor gives it.
    pub resource_id: Option<String>,
    /// Where the monitor redirected to when done (the resource made), if it did.
    pub resource_location: Option<String>,
    /// The monitor's whole answer.
    pub body: serde_json::Value,
}

impl OperationStatus {
    fn read(body: &[u8]) -> Result<OperationStatus, String> {
        let body: serde_json::Value =
            serde_json::from_slice(body).map_err(|error| error.to_string())?;
        let text = |key: &str| body.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        Ok(OperationStatus {
            status: text("status").ok_or("the monitor's answer has no `status`")?,
            percentage_complete: body.get("percentageComplete").and_then(|v| v.as_f64()),
            resource_id: text("resourceId"),
            resource_location: None,
            body,
        })
    }

    /// Done, well (`completed`, `succeeded`) or not (`failed`, `deleteFailed`,
    /// `cancelled`).
    pub fn is_finished(&self) -> bool {
        self.succeeded() || self.failed()
    }

    pub fn succeeded(&self) -> bool {
        ["completed", "succeeded"]
            .iter()
            .any(|s| self.status.eq_ignore_ascii_case(s))
    }

    pub fn failed(&self) -> bool {
        ["failed", "deleteFailed", "cancelled", "canceled"]
            .iter()
            .any(|s| self.status.eq_ignore_ascii_case(s))
    }
}

impl Client {
    /// Sends a request whose result is bytes (a file's `/content`, a photo's `$value`,
    /// a report) and returns its body to read as it arrives. A redirect to the host
    /// the content is on is followed, without the token.
    pub async fn download(&self, request: Request<Vec<u8>>) -> Result<Download, ClientError> {
        let sent = request.to_http(self.base_url.as_str())?;
        let response = self.respond(sent, request.path_template()).await?;
        Ok(Download { response })
    }

    /// Uploads `size` bytes of `content` through an upload session (the `uploadUrl` a
    /// `createUploadSession` returns): in chunks with `Content-Range`, without the
    /// token (the URL carries its own authorization), one chunk in memory at a time.
    /// After a failed chunk (a dropped connection, a 5xx, a throttle) it asks the
    /// session which bytes it still misses and resumes there, up to the client's retry
    /// budget in failures in a row. `T` is the item the last answer carries.
    pub async fn upload<T: crate::object::Decode>(
        &self,
        upload_url: &str,
        content: &mut (impl AsyncRead + AsyncSeek + Unpin),
        size: u64,
        mut options: UploadOptions,
    ) -> Result<Uploaded<T>, ClientError> {
        let url = self.transfer_url(upload_url)?;
        let failed = |message: String| ClientError::Transfer {
            url: upload_url.to_owned(),
            message,
        };
        if size == 0 {
            return Err(failed(
                "an upload session takes at least one byte".to_owned(),
            ));
        }
        let mut offset = 0;
        let mut failures = 0;
        let mut chunk = Vec::new();
        loop {
            let end = (offset + options.chunk_size).min(size);
            chunk.resize((end - offset) as usize, 0);
            content
                .seek(std::io::SeekFrom::Start(offset))
                .await
                .map_err(|error| failed(format!("cannot read the content: {error}")))?;
            content
                .read_exact(&mut chunk)
                .await
                .map_err(|error| failed(format!("cannot read the content: {error}")))?;
            let put = self
                .given_url(Method::PUT, url.clone())
                .header(
                    http::header::CONTENT_RANGE,
                    format!("bytes {offset}-{}/{size}", end - 1),
                )
                .body(chunk.clone());
            let answer = match put.send().await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    match response.bytes().await {
                        Ok(body) => Ok((status, headers, body)),
                        Err(error) => Err(transport(error)),
                    }
                }
                Err(error) => Err(transport(error)),
            };
            let wait = match answer {
                // Before the last byte, any success (OneDrive's `202`, Outlook's `200`)
                // names what the service still misses; without it, the next chunk.
                Ok((status, _, body)) if status.is_success() && end < size => {
                    offset = next_expected(&body).unwrap_or(end);
                    failures = 0;
                    options.report(offset, size);
                    continue;
                }
                Ok((status, headers, body)) if status.is_success() => {
                    options.report(size, size);
                    let item = if body.is_empty() {
                        None
                    } else {
                        Some(crate::object::from_slice(&body).map_err(|error| {
                            ClientError::Decode {
                                status,
                                message: error.to_string(),
                                body: String::from_utf8_lossy(&body).into_owned(),
                            }
                        })?)
                    };
                    let location = headers
                        .get(http::header::LOCATION)
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    return Ok(Uploaded { item, location });
                }
                // A range the service already has (416), a throttle, a failure of its
                // own: ask where it stands and go on from there.
                Ok((status, headers, _))
                    if status == StatusCode::RANGE_NOT_SATISFIABLE
                        || status == StatusCode::TOO_MANY_REQUESTS
                        || status.is_server_error() =>
                {
                    retry_after(&headers, SystemTime::now())
                }
                Ok((status, headers, body)) => {
                    return Err(ClientError::Api(Box::new(ApiError::new(
                        status, &headers, &body,
                    ))));
                }
                Err(_) => None,
            };
            failures += 1;
            if failures > self.retry.max_retries {
                return Err(failed(format!(
                    "{failures} chunks failed in a row, the last at byte {offset}"
                )));
            }
            let wait = wait.unwrap_or_else(|| self.retry.backoff(failures - 1));
            tokio::time::sleep(wait.min(self.retry.max_delay)).await;
            match self.upload_status(&url).await {
                Ok(next) => offset = next.unwrap_or(offset),
                // The session is gone (404) or refuses: no use going on.
                Err(error @ ClientError::Api(_)) => return Err(error),
                // Unreachable for now: the next attempt sends the same chunk again.
                Err(_) => {}
            }
        }
    }

    /// Where an upload session stands: the first byte it misses.
    async fn upload_status(&self, url: &reqwest::Url) -> Result<Option<u64>, ClientError> {
        let get = self.given_url(Method::GET, url.clone());
        let response = get.send().await.map_err(transport)?;
        if !response.status().is_success() {
            // 404: the session is gone; the upload must start over.
            return Err(api_error(response).await);
        }
        let body = response.bytes().await.map_err(transport)?;
        Ok(next_expected(&body))
    }

    /// Cancels an upload session: the service drops what it received.
    pub async fn cancel_upload(&self, upload_url: &str) -> Result<(), ClientError> {
        let url = self.transfer_url(upload_url)?;
        let delete = self.given_url(Method::DELETE, url);
        let response = delete.send().await.map_err(transport)?;
        if !response.status().is_success() {
            return Err(api_error(response).await);
        }
        Ok(())
    }

    /// Polls the monitor of a long-running operation until it is done: after the
    /// `Retry-After` it asks for, else a backoff that doubles up to the retry's
    /// `max_delay`. A monitor on the base URL's origin gets the token; one elsewhere
    /// (a drive copy's) does not. A failed operation is
    /// [`ClientError::OperationFailed`]. It polls for as long as the operation runs:
    /// bound it with `tokio::time::timeout` if need be.
    pub async fn wait(&self, accepted: &Accepted) -> Result<OperationStatus, ClientError> {
        let url = match accepted.location.strip_prefix('/') {
            Some(path) => format!("{}/{path}", self.base_url.as_str().trim_end_matches('/')),
            None => accepted.location.clone(),
        };
        let monitor = self.transfer_url(&url)?;
        let mut attempt = 0;
        loop {
            let get = self.given_url(Method::GET, monitor.clone());
            let get = self.token_for(get, &monitor).await?;
            let response = get.send().await.map_err(transport)?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?;
            let location = headers
                .get(http::header::LOCATION)
                .and_then(|v| v.to_str().ok());
            if let (true, Some(location)) = (status.is_redirection(), location) {
                // Done: the monitor points at what the operation made.
                return Ok(OperationStatus {
                    status: "completed".to_owned(),
                    percentage_complete: Some(100.0),
                    resource_id: None,
                    resource_location: Some(location.to_owned()),
                    body: serde_json::Value::Null,
                });
            }
            let throttled = matches!(status.as_u16(), 429 | 503);
            if !status.is_success() && !throttled {
                return Err(ClientError::Api(Box::new(ApiError::new(
                    status, &headers, &body,
                ))));
            }
            if !throttled {
                let report =
                    OperationStatus::read(&body).map_err(|message| ClientError::Decode {
                        status,
                        message,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    })?;
                if report.succeeded() {
                    return Ok(report);
                }
                if report.failed() {
                    return Err(ClientError::OperationFailed(Box::new(report)));
                }
            }
            let wait = retry_after(&headers, SystemTime::now())
                .unwrap_or_else(|| self.retry.backoff(attempt));
            tokio::time::sleep(wait.min(self.retry.max_delay)).await;
            attempt = attempt.saturating_add(1);
        }
    }

    /// A URL of an upload or monitor host: absolute, and https (or http to this
    /// machine).
    fn transfer_url(&self, url: &str) -> Result<reqwest::Url, ClientError> {
        let refused = |reason| ClientError::Refused {
            url: url.to_owned(),
            reason,
        };
        let parsed = reqwest::Url::parse(url).map_err(|_| refused("not an absolute URL"))?;
        check_scheme(&parsed).map_err(refused)?;
        Ok(parsed)
    }
}

/// The first byte an upload session's answer says it misses (`"nextExpectedRanges":
/// ["26-"]`, or `["2097152"]` as Outlook writes it).
fn next_expected(body: &[u8]) -> Option<u64> {
    let json: serde_json::Value = serde_json::from_slice(body).ok()?;
    let ranges = json
        .get("nextExpectedRanges")
        .or_else(|| json.get("NextExpectedRanges"))?;
    let first = ranges.as_array()?.first()?.as_str()?;
    first.split('-').next()?.trim().parse().ok()
}
