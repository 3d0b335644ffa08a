//! The README's programs that sign in and batch: a daemon (client credentials), a
//! command-line tool (device code) and a batch, each run against a loopback identity
//! platform and API (wiremock) that check what is sent.

#[path = "support/readme.rs"]
mod readme_blocks;

use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

// From here on, the programs in the README.
use generated::api;
use generated::client::auth::{ClientSecret, DeviceCode};
use generated::client::{Batch, Client, ClientError, Cloud, Secret};

/// A daemon: the app signs in as itself with its secret (application permissions) and
/// reads a user's mail address. `login` and `service` are `cloud.authority()` and
/// `cloud.base_url()` in production.
async fn daemon(cloud: &Cloud, login: &str, service: &str) -> Result<Option<String>, ClientError> {
    let secret = Secret::new(std::env::var("APP_SECRET").unwrap_or_default());
    let credential = ClientSecret::new(cloud, "contoso.onmicrosoft.com", "daemon-app-id", secret)
        .authority(login);
    let client = Client::with_base_url(service, credential)?;
    let user = client
        .send(api().users().id("adele@contoso.com").get())
        .await?;
    Ok(user.mail.get().cloned())
}

/// A command-line tool: the person signs in on another device with the code it
/// prints, and it greets them.
async fn cli(cloud: &Cloud, login: &str, service: &str) -> Result<String, ClientError> {
    let credential = DeviceCode::new(
        cloud,
        "organizations",
        "cli-app-id",
        &["User.Read"],
        |prompt| eprintln!("{}", prompt.message),
    )
    .authority(login);
    let client = Client::with_base_url(service, credential)?;
    let me = client.send(api().me().get()).await?;
    Ok(format!(
        "Hello, {}",
        me.display_name.get().map_or("you", String::as_str)
    ))
}

/// A batch: several users' mail addresses in one round trip (20 to a request), each
/// answer typed as its request's, or its own error.
async fn mail_addresses(
    client: &Client,
    upns: &[&str],
) -> Result<Vec<Option<String>>, ClientError> {
    let mut batch = Batch::new();
    let entries: Vec<_> = upns
        .iter()
        .map(|upn| batch.add(api().users().id(upn).get()))
        .collect();
    let mut results = client.send_batch(batch).await?;
    let mut addresses = Vec::new();
    for entry in entries {
        addresses.push(match results.take(entry) {
            Ok(user) => user.mail.get().cloned(),
            Err(ClientError::Api(error)) if error.status == 404 => None,
            Err(other) => return Err(other),
        });
    }
    Ok(addresses)
}
// The end of the README's programs.

async fn token_endpoint(idp: &MockServer, grant: &str, access: &str) {
    Mock::given(method("POST"))
        .and(path(format!("/{}/oauth2/v2.0/token", tenant(grant))))
        .and(body_string_contains(grant))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": access, "expires_in": 3600, "refresh_token": "r",
        })))
        .expect(1)
        .mount(idp)
        .await;
}

fn tenant(grant: &str) -> &'static str {
    if grant.contains("client_credentials") {
        "contoso.onmicrosoft.com"
    } else {
        "organizations"
    }
}

#[tokio::test]
async fn the_daemon_signs_in_as_the_app_and_reads_a_user() {
    let (idp, api_server) = (MockServer::start().await, MockServer::start().await);
    token_endpoint(&idp, "grant_type=client_credentials", "app-token").await;
    Mock::given(method("GET"))
        .and(path("/v1.0/users/adele%40contoso.com"))
        .and(header("authorization", "Bearer app-token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "mail": "adele@contoso.com" })),
        )
        .expect(1)
        .mount(&api_server)
        .await;
    let service = format!("{}/v1.0", api_server.uri());
    let mail = daemon(&Cloud::Global, &idp.uri(), &service).await.unwrap();
    assert_eq!(mail.as_deref(), Some("adele@contoso.com"));
}

#[tokio::test]
async fn the_cli_signs_the_person_in_with_a_device_code() {
    let (idp, api_server) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path("/organizations/oauth2/v2.0/devicecode"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "device_code": "dc", "user_code": "WXYZ", "interval": 0, "expires_in": 900,
            "verification_uri": "https://microsoft.com/devicelogin",
            "message": "Enter WXYZ at https://microsoft.com/devicelogin",
        })))
        .expect(1)
        .mount(&idp)
        .await;
    token_endpoint(&idp, "device_code=dc", "person-token").await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me"))
        .and(header("authorization", "Bearer person-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "displayName": "Adele" })),
        )
        .expect(1)
        .mount(&api_server)
        .await;
    let service = format!("{}/v1.0", api_server.uri());
    let greeting = cli(&Cloud::Global, &idp.uri(), &service).await.unwrap();
    assert_eq!(greeting, "Hello, Adele");
}

#[tokio::test]
async fn the_batch_reads_each_user_or_its_error() {
    let api_server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/$batch"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "responses": [
                { "id": "1", "status": 404, "body": { "error": { "code": "Request_ResourceNotFound" } } },
                { "id": "0", "status": 200, "headers": { "Content-Type": "application/json" },
                  "body": { "mail": "adele@contoso.com" } },
            ]
        })))
        .expect(1)
        .mount(&api_server)
        .await;
    let client = Client::with_base_url(
        &format!("{}/v1.0", api_server.uri()),
        generated::client::StaticToken::new("t"),
    )
    .unwrap();
    let addresses = mail_addresses(&client, &["adele@contoso.com", "nobody@contoso.com"])
        .await
        .unwrap();
    assert_eq!(addresses, [Some("adele@contoso.com".to_owned()), None]);
}

/// The README shows these programs as they are here, line for line.
#[test]
fn the_readme_shows_these_programs() {
    let this = include_str!("programs.rs");
    let readme = include_str!("../../README.md");
    let here = readme_blocks::region(
        this,
        "// From here on, the programs in the README.",
        "// The end of",
    );
    let shown = readme_blocks::region(readme, "<!-- sign-in-and-batch -->\n```rust,no_run", "```");
    assert_eq!(shown, here);
}
