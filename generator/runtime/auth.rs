//! Signing in (cargo feature `auth`): credentials that get tokens from the Microsoft
//! identity platform of a [`Cloud`], each a [`TokenSource`] for [`super::Client`].
//!
//! Every credential keeps its token and asks for a new one shortly before it expires;
//! when many requests need a token at once, one of them fetches it and the others wait
//! for that one answer. A failed sign-in is an [`AuthError`] that names the flow and
//! what the identity platform said, and never holds a secret.
//!
//! ```no_run
//! # async fn run() -> Result<(), generated::client::ClientError> {
//! use generated::client::auth::ClientSecret;
//! use generated::client::{Client, Cloud, Secret};
//! let cloud = Cloud::Global;
//! let credential = ClientSecret::new(&cloud, "contoso.onmicrosoft.com", "app-id", Secret::new("..."));
//! let client = Client::for_cloud(&cloud, credential)?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde::Deserialize;

use super::{BoxError, Cloud, Secret, TokenFuture, TokenSource};

/// A token is fetched again this long before it expires, so that no request goes out
/// with one about to lapse.
const REFRESH_MARGIN: Duration = Duration::from_secs(120);

/// A sign-in that failed: the flow (`client secret`, `client certificate`, ...), the HTTP
/// status and the identity platform's `error` and `error_description`, or the
/// transport's failure. It never holds the secret, the code or a token.
#[derive(Debug)]
pub struct AuthError {
    pub flow: &'static str,
    pub status: Option<u16>,
    pub error: Option<String>,
    pub description: Option<String>,
}

impl fmt::Display for AuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sign-in with the {} flow failed", self.flow)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(error) = &self.error {
            write!(f, ": {error}")?;
        }
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

impl std::error::Error for AuthError {}

impl AuthError {
    /// A failure the identity platform did not name (no `error` code).
    fn failed(
        flow: &'static str,
        status: Option<u16>,
        description: impl Into<String>,
    ) -> AuthError {
        AuthError {
            flow,
            status,
            error: None,
            description: Some(description.into()),
        }
    }
}

/// What a token endpoint answers (RFC 6749 section 5), success or error.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// A token and when to fetch the next.
#[derive(Clone)]
struct Token {
    access: Secret,
    refresh_at: Instant,
    refresh: Option<Secret>,
}

/// Where a credential signs in: the identity platform's root, the tenant, the app and
/// the scopes it asks for.
#[derive(Clone)]
struct Endpoint {
    http: reqwest::Client,
    authority: String,
    tenant: String,
    client_id: String,
    scopes: String,
}

impl Endpoint {
    fn new(cloud: &Cloud, tenant: &str, client_id: &str, scopes: &[String]) -> Endpoint {
        Endpoint {
            http: reqwest::Client::new(),
            authority: cloud.authority().to_owned(),
            tenant: tenant.to_owned(),
            client_id: client_id.to_owned(),
            scopes: scopes.join(" "),
        }
    }

    fn url(&self, path: &str) -> String {
        format!(
            "{}/{}/oauth2/v2.0/{path}",
            self.authority.trim_end_matches('/'),
            self.tenant
        )
    }

    /// Posts `form` (with the client id) to the endpoint's `path`, and reads the JSON.
    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        flow: &'static str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<(u16, T), AuthError> {
        let failed = |status, description: String| AuthError::failed(flow, status, description);
        let mut fields = vec![("client_id", self.client_id.as_str())];
        fields.extend_from_slice(form);
        let response = self
            .http
            .post(self.url(path))
            .form(&fields)
            .send()
            .await
            .map_err(|error| {
                failed(None, format!("cannot reach the identity platform: {error}"))
            })?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|error| failed(Some(status), format!("the answer broke off: {error}")))?;
        serde_json::from_slice(&body)
            .map(|answer| (status, answer))
            .map_err(|_| {
                failed(
                    Some(status),
                    "the answer is not the JSON of a token endpoint".into(),
                )
            })
    }

    /// A token from the token endpoint for the grant `form`.
    async fn token(&self, flow: &'static str, form: &[(&str, &str)]) -> Result<Token, AuthError> {
        let mut fields = vec![("scope", self.scopes.as_str())];
        fields.extend_from_slice(form);
        let (status, answer): (u16, TokenResponse) = self.post(flow, "token", &fields).await?;
        into_token(flow, status, answer)
    }
}

fn into_token(flow: &'static str, status: u16, answer: TokenResponse) -> Result<Token, AuthError> {
    match answer.access_token {
        Some(access) if (200..300).contains(&status) => {
            let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(3600));
            Ok(Token {
                access: Secret::new(access),
                refresh_at: Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN),
                refresh: answer.refresh_token.map(Secret::new),
            })
        }
        _ => Err(AuthError {
            flow,
            status: Some(status),
            error: answer.error,
            description: answer.error_description,
        }),
    }
}

/// The token a credential holds, fetched once for all the requests that wait for it.
#[derive(Default)]
struct Cache {
    current: RwLock<Option<Token>>,
    /// Held by the one request that fetches; the others wait on it, then find the
    /// token it fetched.
    fetching: tokio::sync::Mutex<()>,
}

impl Cache {
    fn fresh(&self) -> Option<Secret> {
        let current = self.current.read().unwrap_or_else(|e| e.into_inner());
        current
            .as_ref()
            .filter(|token| Instant::now() < token.refresh_at)
            .map(|token| token.access.clone())
    }

    /// The token, fetched by `fetch` (given the refresh token of the last one, if any)
    /// when there is none or it is about to expire.
    async fn get<F, Fut>(&self, fetch: F) -> Result<Secret, BoxError>
    where
        F: FnOnce(Option<Secret>) -> Fut,
        Fut: Future<Output = Result<Token, AuthError>>,
    {
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        if let Some(token) = self.fresh() {
            return Ok(token);
        }
        let refresh = self
            .current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(|token| token.refresh.clone());
        let token = fetch(refresh).await?;
        let access = token.access.clone();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(token);
        Ok(access)
    }
}

/// An app signing in as itself with a client secret (the client credentials grant), for
/// programs that run unattended. Asks for the cloud's `/.default` scope: the
/// application permissions granted to the app.
pub struct ClientSecret {
    endpoint: Endpoint,
    secret: Secret,
    cache: Arc<Cache>,
}

impl ClientSecret {
    pub fn new(cloud: &Cloud, tenant: &str, client_id: &str, secret: Secret) -> ClientSecret {
        ClientSecret {
            endpoint: Endpoint::new(cloud, tenant, client_id, &[cloud.default_scope()]),
            secret,
            cache: Arc::default(),
        }
    }

    /// Signs in at another identity platform root than the cloud's (a test server).
    pub fn authority(mut self, url: &str) -> ClientSecret {
        self.endpoint.authority = url.to_owned();
        self
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecret")
            .field("tenant", &self.endpoint.tenant)
            .field("client_id", &self.endpoint.client_id)
            .finish_non_exhaustive()
    }
}

impl TokenSource for ClientSecret {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cache.get(move |_| async move {
            self.endpoint
                .token(
                    "client secret",
                    &[
                        ("grant_type", "client_credentials"),
                        ("client_secret", self.secret.expose()),
                    ],
                )
                .await
        }))
    }
}

/// What a person must do to sign in with a device code: go to `verification_uri` and
/// enter `user_code`, which `message` says in their language.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DevicePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    pub expires_in: u64,
}

#[derive(Deserialize)]
struct DeviceCodeResponse {
    device_code: Option<String>,
    #[serde(default)]
    interval: Option<u64>,
    #[serde(flatten)]
    prompt: Option<DevicePrompt>,
    error: Option<String>,
    error_description: Option<String>,
}

/// A person signing in on another device (the device code grant, RFC 8628), for
/// command-line programs: the credential gets a code, hands the program a
/// [`DevicePrompt`] to show, and waits while the person signs in. Then it keeps the
/// session with refresh tokens, and asks the person again only when a refresh fails.
pub struct DeviceCode {
    endpoint: Endpoint,
    prompt: Box<dyn Fn(&DevicePrompt) + Send + Sync>,
    cache: Arc<Cache>,
}

impl DeviceCode {
    /// `scopes` are delegated permissions (`User.Read`, `Mail.Send`); they are written
    /// for the cloud's Graph root, and `offline_access` is added for refresh tokens.
    pub fn new(
        cloud: &Cloud,
        tenant: &str,
        client_id: &str,
        scopes: &[&str],
        prompt: impl Fn(&DevicePrompt) + Send + Sync + 'static,
    ) -> DeviceCode {
        DeviceCode {
            endpoint: Endpoint::new(cloud, tenant, client_id, &cloud.delegated_scopes(scopes)),
            prompt: Box::new(prompt),
            cache: Arc::default(),
        }
    }

    /// Signs in at another identity platform root than the cloud's (a test server).
    pub fn authority(mut self, url: &str) -> DeviceCode {
        self.endpoint.authority = url.to_owned();
        self
    }

    async fn sign_in(&self) -> Result<Token, AuthError> {
        const FLOW: &str = "device code";
        let (status, answer): (u16, DeviceCodeResponse) = self
            .endpoint
            .post(
                FLOW,
                "devicecode",
                &[("scope", self.endpoint.scopes.as_str())],
            )
            .await?;
        let (Some(device_code), Some(prompt)) = (answer.device_code, answer.prompt) else {
            return Err(AuthError {
                flow: FLOW,
                status: Some(status),
                error: answer.error,
                description: answer.error_description,
            });
        };
        (self.prompt)(&prompt);
        let mut interval = Duration::from_secs(answer.interval.unwrap_or(5));
        let deadline = Instant::now() + Duration::from_secs(prompt.expires_in);
        loop {
            tokio::time::sleep(interval).await;
            let (status, answer): (u16, TokenResponse) = self
                .endpoint
                .post(
                    FLOW,
                    "token",
                    &[
                        ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                        ("device_code", &device_code),
                    ],
                )
                .await?;
            match answer.error.as_deref() {
                Some("authorization_pending") if Instant::now() < deadline => {}
                Some("slow_down") if Instant::now() < deadline => {
                    interval += Duration::from_secs(5)
                }
                _ => return into_token(FLOW, status, answer),
            }
        }
    }
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("tenant", &self.endpoint.tenant)
            .field("client_id", &self.endpoint.client_id)
            .finish_non_exhaustive()
    }
}

impl TokenSource for DeviceCode {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cache.get(move |refresh| async move {
            if let Some(refresh) = refresh
                && let Ok(token) = refresh_token(&self.endpoint, "device code", &refresh).await
            {
                return Ok(token);
            }
            self.sign_in().await
        }))
    }
}

/// A person who signed in in a browser (the authorization code grant): the code the
/// redirect brought back is exchanged for tokens once, then refresh tokens keep the
/// session. With a client secret for a confidential app, and a PKCE verifier when the
/// sign-in used a code challenge.
pub struct AuthorizationCode {
    endpoint: Endpoint,
    code: Secret,
    redirect_uri: String,
    client_secret: Option<Secret>,
    code_verifier: Option<Secret>,
    cache: Arc<Cache>,
}

impl AuthorizationCode {
    /// `scopes` as for [`DeviceCode::new`].
    pub fn new(
        cloud: &Cloud,
        tenant: &str,
        client_id: &str,
        scopes: &[&str],
        code: Secret,
        redirect_uri: &str,
    ) -> AuthorizationCode {
        AuthorizationCode {
            endpoint: Endpoint::new(cloud, tenant, client_id, &cloud.delegated_scopes(scopes)),
            code,
            redirect_uri: redirect_uri.to_owned(),
            client_secret: None,
            code_verifier: None,
            cache: Arc::default(),
        }
    }

    pub fn client_secret(mut self, secret: Secret) -> AuthorizationCode {
        self.client_secret = Some(secret);
        self
    }

    pub fn code_verifier(mut self, verifier: Secret) -> AuthorizationCode {
        self.code_verifier = Some(verifier);
        self
    }

    /// Signs in at another identity platform root than the cloud's (a test server).
    pub fn authority(mut self, url: &str) -> AuthorizationCode {
        self.endpoint.authority = url.to_owned();
        self
    }

    fn with_app_secret<'a>(&'a self, form: &mut Vec<(&'a str, &'a str)>) {
        if let Some(secret) = &self.client_secret {
            form.push(("client_secret", secret.expose()));
        }
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationCode")
            .field("tenant", &self.endpoint.tenant)
            .field("client_id", &self.endpoint.client_id)
            .finish_non_exhaustive()
    }
}

impl TokenSource for AuthorizationCode {
    fn token(&self) -> TokenFuture<'_> {
        const FLOW: &str = "authorization code";
        Box::pin(self.cache.get(move |refresh| async move {
            let mut form = Vec::new();
            match &refresh {
                // A code is good for one exchange: after it, only refresh tokens.
                Some(refresh) => {
                    form.push(("grant_type", "refresh_token"));
                    form.push(("refresh_token", refresh.expose()));
                }
                None => {
                    form.push(("grant_type", "authorization_code"));
                    form.push(("code", self.code.expose()));
                    form.push(("redirect_uri", self.redirect_uri.as_str()));
                    if let Some(verifier) = &self.code_verifier {
                        form.push(("code_verifier", verifier.expose()));
                    }
                }
            }
            self.with_app_secret(&mut form);
            self.endpoint.token(FLOW, &form).await
        }))
    }
}

async fn refresh_token(
    endpoint: &Endpoint,
    flow: &'static str,
    refresh: &Secret,
) -> Result<Token, AuthError> {
    endpoint
        .token(
            flow,
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.expose()),
            ],
        )
        .await
}

/// An app signing in as itself with a certificate (the client credentials grant with a
/// signed assertion: a JWT, RS256), where an app may not hold a secret. The key is an
/// RSA key in PKCS #8 PEM (`-----BEGIN PRIVATE KEY-----`), the certificate PEM; the
/// assertion names the certificate by its thumbprints (`x5t#S256`, and `x5t` for
/// tenants that read only SHA-1) and is good for ten minutes.
pub struct ClientCertificate {
    endpoint: Endpoint,
    key: ring::signature::RsaKeyPair,
    thumbprint_sha256: String,
    thumbprint_sha1: String,
    cache: Arc<Cache>,
}

impl ClientCertificate {
    const FLOW: &'static str = "client certificate";

    pub fn new(
        cloud: &Cloud,
        tenant: &str,
        client_id: &str,
        key_pem: &Secret,
        certificate_pem: &str,
    ) -> Result<ClientCertificate, AuthError> {
        let refused = |description: &str| AuthError::failed(Self::FLOW, None, description);
        let key = pem(key_pem.expose(), "PRIVATE KEY")
            .and_then(|der| ring::signature::RsaKeyPair::from_pkcs8(&der).ok())
            .ok_or_else(|| refused("the key is not an RSA private key in PKCS #8 PEM"))?;
        let certificate = pem(certificate_pem, "CERTIFICATE")
            .ok_or_else(|| refused("the certificate is not PEM"))?;
        let thumbprint =
            |algorithm| base64_url(ring::digest::digest(algorithm, &certificate).as_ref());
        Ok(ClientCertificate {
            endpoint: Endpoint::new(cloud, tenant, client_id, &[cloud.default_scope()]),
            key,
            thumbprint_sha256: thumbprint(&ring::digest::SHA256),
            thumbprint_sha1: thumbprint(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
            cache: Arc::default(),
        })
    }

    /// Signs in at another identity platform root than the cloud's (a test server).
    pub fn authority(mut self, url: &str) -> ClientCertificate {
        self.endpoint.authority = url.to_owned();
        self
    }

    /// The signed assertion for one token request (RFC 7523).
    fn assertion(&self) -> Result<String, AuthError> {
        let random = ring::rand::SystemRandom::new();
        let mut nonce = [0u8; 16];
        ring::rand::SecureRandom::fill(&random, &mut nonce).map_err(|_| {
            AuthError::failed(Self::FLOW, None, "no random bytes for the assertion")
        })?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let header = serde_json::json!({
            "alg": "RS256",
            "typ": "JWT",
            "x5t#S256": self.thumbprint_sha256,
            "x5t": self.thumbprint_sha1,
        });
        let client_id = &self.endpoint.client_id;
        let claims = serde_json::json!({
            "aud": self.endpoint.url("token"),
            "iss": client_id,
            "sub": client_id,
            "jti": base64_url(&nonce),
            "iat": now,
            "nbf": now,
            "exp": now + 600,
        });
        let signed = format!(
            "{}.{}",
            base64_url(header.to_string().as_bytes()),
            base64_url(claims.to_string().as_bytes())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &random,
                signed.as_bytes(),
                &mut signature,
            )
            .map_err(|_| {
                AuthError::failed(Self::FLOW, None, "the key cannot sign the assertion")
            })?;
        Ok(format!("{signed}.{}", base64_url(&signature)))
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("tenant", &self.endpoint.tenant)
            .field("client_id", &self.endpoint.client_id)
            .field("thumbprint", &self.thumbprint_sha256)
            .finish_non_exhaustive()
    }
}

impl TokenSource for ClientCertificate {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.cache.get(move |_| async move {
            let assertion = self.assertion()?;
            self.endpoint
                .token(
                    Self::FLOW,
                    &[
                        ("grant_type", "client_credentials"),
                        (
                            "client_assertion_type",
                            "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                        ),
                        ("client_assertion", &assertion),
                    ],
                )
                .await
        }))
    }
}

/// The bytes of the PEM block labelled `label`.
fn pem(text: &str, label: &str) -> Option<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let from = text.find(&begin)? + begin.len();
    let to = text[from..].find(&end)? + from;
    let base64: String = text[from..to].split_whitespace().collect();
    crate::Binary::decode(&base64).ok().map(|binary| binary.0)
}

/// Base64 with the URL alphabet and no padding, as JWTs write it.
fn base64_url(bytes: &[u8]) -> String {
    crate::Binary(bytes.to_vec())
        .encode()
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}
