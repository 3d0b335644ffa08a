//! Signing in (feature `auth`) against a loopback identity platform (wiremock playing
//! the token and device-code endpoints) and the loopback API: each flow gets a token
//! the API then sees, tokens are refreshed when they expire, concurrent requests share
//! one fetch, and a failed sign-in names its flow and never the secret.

use std::sync::{Arc, Mutex};

use generated::client::auth::{
    AuthorizationCode, ClientCertificate, ClientSecret, DeviceCode, DevicePrompt,
};
use generated::client::{Client, ClientError, Cloud, Secret, StaticToken};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "/contoso/oauth2/v2.0/token";
const DEVICE_CODE: &str = "/contoso/oauth2/v2.0/devicecode";
const ONE: &str = "/beta/deviceManagement/cartToClassAssociations/1";

fn token(access: &str, expires_in: u64, refresh: Option<&str>) -> ResponseTemplate {
    let mut body = serde_json::json!({
        "token_type": "Bearer",
        "access_token": access,
        "expires_in": expires_in,
    });
    if let Some(refresh) = refresh {
        body["refresh_token"] = refresh.into();
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// The API answers `GET .../1` for a request with `Bearer {access}`, `times` times.
async fn api_expecting(access: &str, times: u64) -> MockServer {
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ONE))
        .and(header("authorization", format!("Bearer {access}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "1" })))
        .expect(times)
        .mount(&api)
        .await;
    api
}

fn one() -> generated::Request<generated::types::CartToClassAssociation> {
    generated::api()
        .device_management()
        .cart_to_class_associations()
        .id("1")
        .get()
}

fn client(api: &MockServer, credential: impl generated::client::TokenSource + 'static) -> Client {
    Client::with_base_url(&format!("{}/beta", api.uri()), credential).unwrap()
}

#[tokio::test]
async fn a_client_secret_gets_an_app_token_the_api_sees() {
    let idp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains("client_id=app"))
        .and(body_string_contains("client_secret=s3cret"))
        .and(body_string_contains(
            "scope=https%3A%2F%2Fgraph.microsoft.com%2F.default",
        ))
        .respond_with(token("app-token", 3600, None))
        .expect(1)
        .mount(&idp)
        .await;
    let api = api_expecting("app-token", 2).await;
    let credential = ClientSecret::new(&Cloud::Global, "contoso", "app", Secret::new("s3cret"))
        .authority(&idp.uri());
    let client = client(&api, credential);
    // The second request reuses the token.
    client.send(one()).await.unwrap();
    client.send(one()).await.unwrap();
}

#[tokio::test]
async fn a_hundred_concurrent_requests_fetch_one_token() {
    let idp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(token("shared", 3600, None).set_delay(std::time::Duration::from_millis(200)))
        .expect(1)
        .mount(&idp)
        .await;
    let api = api_expecting("shared", 100).await;
    let credential = ClientSecret::new(&Cloud::Global, "contoso", "app", Secret::new("s3cret"))
        .authority(&idp.uri());
    let client = client(&api, credential);
    let sends = (0..100).map(|_| client.send(one()));
    let results = futures_util::future::join_all(sends).await;
    assert!(results.iter().all(Result::is_ok));
}

#[tokio::test]
async fn an_expired_token_is_fetched_again() {
    let idp = MockServer::start().await;
    // Tokens that expire at once: each request needs a new one.
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(token("first", 1, None))
        .up_to_n_times(1)
        .expect(1)
        .mount(&idp)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(token("second", 3600, None))
        .expect(1)
        .mount(&idp)
        .await;
    let api = MockServer::start().await;
    for access in ["first", "second"] {
        Mock::given(method("GET"))
            .and(path(ONE))
            .and(header("authorization", format!("Bearer {access}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .expect(1)
            .mount(&api)
            .await;
    }
    let credential = ClientSecret::new(&Cloud::Global, "contoso", "app", Secret::new("s3cret"))
        .authority(&idp.uri());
    let client = client(&api, credential);
    client.send(one()).await.unwrap();
    client.send(one()).await.unwrap();
}

#[tokio::test]
async fn a_wrong_secret_names_the_flow_and_never_the_secret() {
    let idp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "AADSTS7000215: Invalid client secret provided.",
        })))
        .mount(&idp)
        .await;
    let api = api_expecting("never", 0).await;
    let credential = ClientSecret::new(
        &Cloud::Global,
        "contoso",
        "app",
        Secret::new("wrong-s3cret"),
    )
    .authority(&idp.uri());
    let error = client(&api, credential).send(one()).await.unwrap_err();
    assert!(matches!(error, ClientError::Token(_)), "{error:?}");
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("client secret flow") && shown.contains("invalid_client"),
        "{shown}"
    );
    assert!(!shown.contains("wrong-s3cret"), "{shown}");
}

#[tokio::test]
async fn a_device_code_prompts_the_person_and_waits_for_the_sign_in() {
    let idp = MockServer::start().await;
    // Scopes are written for the cloud's Graph root, with offline_access.
    Mock::given(method("POST"))
        .and(path(DEVICE_CODE))
        .and(body_string_contains(
            "scope=https%3A%2F%2Fgraph.microsoft.us%2FUser.Read+offline_access",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "device_code": "dc-1",
            "user_code": "ABCD-1234",
            "verification_uri": "https://microsoft.com/devicelogin",
            "expires_in": 900,
            "interval": 0,
            "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-1234.",
        })))
        .expect(1)
        .mount(&idp)
        .await;
    // The person has not signed in yet at the first poll.
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("device_code=dc-1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "authorization_pending",
        })))
        .up_to_n_times(1)
        .expect(1)
        .mount(&idp)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("device_code=dc-1"))
        .respond_with(token("person", 3600, Some("r-1")))
        .expect(1)
        .mount(&idp)
        .await;
    let api = api_expecting("person", 1).await;
    let shown: Arc<Mutex<Option<DevicePrompt>>> = Arc::default();
    let seen = shown.clone();
    let credential = DeviceCode::new(
        &Cloud::UsGovernment,
        "contoso",
        "cli-app",
        &["User.Read"],
        move |prompt| *seen.lock().unwrap() = Some(prompt.clone()),
    )
    .authority(&idp.uri());
    client(&api, credential).send(one()).await.unwrap();
    let prompt = shown
        .lock()
        .unwrap()
        .clone()
        .expect("the program was given the prompt");
    assert_eq!(prompt.user_code, "ABCD-1234");
    assert_eq!(prompt.verification_uri, "https://microsoft.com/devicelogin");
}

#[tokio::test]
async fn an_authorization_code_is_exchanged_once_then_refreshed() {
    let idp = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("code_verifier=v3rifier"))
        .respond_with(token("first", 1, Some("r-1")))
        .expect(1)
        .mount(&idp)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(body_string_contains("grant_type=refresh_token"))
        .and(body_string_contains("refresh_token=r-1"))
        .respond_with(token("refreshed", 3600, Some("r-2")))
        .expect(1)
        .mount(&idp)
        .await;
    let api = MockServer::start().await;
    for access in ["first", "refreshed"] {
        Mock::given(method("GET"))
            .and(path(ONE))
            .and(header("authorization", format!("Bearer {access}").as_str()))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
            .expect(1)
            .mount(&api)
            .await;
    }
    let credential = AuthorizationCode::new(
        &Cloud::Global,
        "contoso",
        "web-app",
        &["Mail.Read"],
        Secret::new("the-code"),
        "http://localhost:8400/callback",
    )
    .code_verifier(Secret::new("v3rifier"))
    .authority(&idp.uri());
    let client = client(&api, credential);
    client.send(one()).await.unwrap();
    client.send(one()).await.unwrap();
}

#[test]
fn a_national_cloud_sets_the_graph_root_and_the_sign_in_authority() {
    let roots: Vec<(&str, &str)> = [
        Cloud::Global,
        Cloud::UsGovernment,
        Cloud::UsGovernmentDod,
        Cloud::China,
    ]
    .iter()
    .map(|cloud| (cloud.graph_root(), cloud.authority()))
    .collect();
    assert_eq!(
        roots,
        [
            (
                "https://graph.microsoft.com",
                "https://login.microsoftonline.com"
            ),
            (
                "https://graph.microsoft.us",
                "https://login.microsoftonline.us"
            ),
            (
                "https://dod-graph.microsoft.us",
                "https://login.microsoftonline.us"
            ),
            (
                "https://microsoftgraph.chinacloudapi.cn",
                "https://login.chinacloudapi.cn"
            ),
        ]
    );
    // The client keeps the docs' API version under the cloud's root.
    let client = Client::for_cloud(&Cloud::China, StaticToken::new("t")).unwrap();
    let version = generated::DEFAULT_BASE_URL.rsplit('/').next().unwrap();
    assert_eq!(
        client.base_url(),
        format!("https://microsoftgraph.chinacloudapi.cn/{version}")
    );
}

/// A key and certificate made for these tests only (`openssl genpkey` and `req -x509`).
const TEST_KEY: &str = include_str!("fixtures/test-only-key.pem");
const TEST_CERTIFICATE: &str = include_str!("fixtures/test-only-certificate.pem");

/// The fields of a form body, decoded.
fn form(body: &[u8]) -> std::collections::HashMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| {
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

fn base64_url_decode(text: &str) -> Vec<u8> {
    let standard = text.replace('-', "+").replace('_', "/");
    generated::Binary::decode(&standard).unwrap().0
}

/// The identity platform's check of a client assertion: signed by the certificate's
/// key, naming the certificate and the app, for this token endpoint.
fn assertion_is_valid(body: &[u8], token_url: &str) -> Result<(), String> {
    let form = form(body);
    if form.get("client_assertion_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return Err(format!("no JWT bearer assertion in {form:?}"));
    }
    let assertion = form.get("client_assertion").ok_or("no client_assertion")?;
    let parts: Vec<&str> = assertion.split('.').collect();
    let [header, claims, signature] = parts[..] else {
        return Err(format!("not a JWT: {assertion}"));
    };
    let key_der = generated::Binary::decode(
        &TEST_KEY
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap()
    .0;
    let key = ring::signature::RsaKeyPair::from_pkcs8(&key_der).unwrap();
    let public = ring::signature::UnparsedPublicKey::new(
        &ring::signature::RSA_PKCS1_2048_8192_SHA256,
        key.public().as_ref(),
    );
    public
        .verify(
            format!("{header}.{claims}").as_bytes(),
            &base64_url_decode(signature),
        )
        .map_err(|_| "the signature does not verify".to_owned())?;
    let header: serde_json::Value = serde_json::from_slice(&base64_url_decode(header)).unwrap();
    let claims: serde_json::Value = serde_json::from_slice(&base64_url_decode(claims)).unwrap();
    let certificate = generated::Binary::decode(
        &TEST_CERTIFICATE
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>(),
    )
    .unwrap()
    .0;
    let thumbprint = ring::digest::digest(&ring::digest::SHA256, &certificate);
    let expected = generated::Binary(thumbprint.as_ref().to_vec())
        .encode()
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_");
    let checks = [
        (header["alg"] == "RS256", "alg"),
        (header["x5t#S256"] == expected.as_str(), "x5t#S256"),
        (claims["aud"] == token_url, "aud"),
        (
            claims["iss"] == "daemon-app" && claims["sub"] == "daemon-app",
            "iss and sub",
        ),
        (
            claims["exp"].as_u64() > claims["nbf"].as_u64(),
            "exp after nbf",
        ),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, what)) => Err(format!("{what} is wrong: {header} {claims}")),
        None => Ok(()),
    }
}

#[tokio::test]
async fn a_certificate_signs_an_assertion_the_identity_platform_verifies() {
    let idp = MockServer::start().await;
    let token_url = format!("{}{TOKEN}", idp.uri());
    let expected_url = token_url.clone();
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(move |request: &wiremock::Request| {
            match assertion_is_valid(&request.body, &expected_url) {
                Ok(()) => token("cert-token", 3600, None),
                Err(why) => ResponseTemplate::new(401).set_body_json(serde_json::json!({
                    "error": "invalid_client", "error_description": why,
                })),
            }
        })
        .expect(1)
        .mount(&idp)
        .await;
    let api = api_expecting("cert-token", 1).await;
    let credential = ClientCertificate::new(
        &Cloud::Global,
        "contoso",
        "daemon-app",
        &Secret::new(TEST_KEY),
        TEST_CERTIFICATE,
    )
    .unwrap()
    .authority(&idp.uri());
    client(&api, credential).send(one()).await.unwrap();
}

#[test]
fn a_key_that_is_not_one_is_a_clear_error() {
    let error = ClientCertificate::new(
        &Cloud::Global,
        "contoso",
        "daemon-app",
        &Secret::new("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"),
        TEST_CERTIFICATE,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "sign-in with the client certificate flow failed: the key is not an RSA private key in PKCS #8 PEM"
    );
}
