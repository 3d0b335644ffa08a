//! The generated client (feature `client`) over real HTTP, against a wiremock server on
//! 127.0.0.1: paging, retries, the service's errors, tokens, and what it refuses.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt as _;
use generated::client::{
    ApiError, Client, ClientError, Retry, Secret, StaticToken, TokenFuture, TokenSource,
};
use generated::types::CartToClassAssociation;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const LIST: &str = "/beta/deviceManagement/cartToClassAssociations";

/// `/deviceManagement/cartToClassAssociations`, through the API's navigation.
fn carts() -> generated::api::DeviceManagementCartToClassAssociations {
    generated::api()
        .device_management()
        .cart_to_class_associations()
}

fn client(server: &MockServer) -> Client {
    Client::with_base_url(&format!("{}/beta", server.uri()), StaticToken::new("t0k3n")).unwrap()
}

fn page(names: &[&str], next: Option<String>) -> serde_json::Value {
    let value: Vec<_> = names
        .iter()
        .map(|n| serde_json::json!({ "id": n, "displayName": n }))
        .collect();
    let mut page = serde_json::json!({ "value": value });
    if let Some(next) = next {
        page["@odata.nextLink"] = next.into();
    }
    page
}

#[tokio::test]
async fn paging_follows_next_links_across_three_pages() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$top", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &["a", "b"],
            Some(format!("{uri}{LIST}?$top=2&$skiptoken=X%2BY")),
        )))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    // The link comes back as sent: `%2B` is not decoded into `+` (or a space).
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$skiptoken", "X+Y"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &["c", "d"],
            Some(format!("{uri}{LIST}?$skiptoken=page3")),
        )))
        .expect(1)
        .mount(&server)
        .await;
    let mut last = page(&["e"], None);
    last["@odata.deltaLink"] = format!("{uri}{LIST}?$deltatoken=D").into();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$skiptoken", "page3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let list = || carts().list().query("$top", "2");
    let ids: Vec<String> = client
        .items(list())
        .map_ok(|item| item.id.into_option().unwrap())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
}

#[tokio::test]
async fn request_headers_are_sent_with_every_page() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$skiptoken", "2"))
        .and(header("ConsistencyLevel", "eventual"))
        .and(header("Accept", "application/json;odata.metadata=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["b"], None)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$count", "true"))
        .and(header("ConsistencyLevel", "eventual"))
        .and(header("Accept", "application/json;odata.metadata=minimal"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&["a"], Some(format!("{uri}{LIST}?$skiptoken=2")))),
        )
        .expect(1)
        .mount(&server)
        .await;
    let list = carts()
        .list()
        .query("$count", "true")
        .header(
            http::HeaderName::from_static("consistencylevel"),
            http::HeaderValue::from_static("eventual"),
        )
        // Replaces the default `Accept: application/json`.
        .header(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json;odata.metadata=minimal"),
        );
    let all = client(&server).all(list).await.unwrap();
    assert_eq!(all.items.len(), 2);
    let sent = server.received_requests().await.unwrap();
    assert!(
        sent.iter()
            .all(|r| r.headers.get_all("accept").iter().count() == 1),
        "one Accept header per request"
    );
}

#[tokio::test]
async fn all_returns_every_item_and_the_delta_link() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let mut last = page(&["b"], None);
    last["@odata.deltaLink"] = format!("{uri}{LIST}?$deltatoken=D").into();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$skiptoken", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(last))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&["a"], Some(format!("{uri}{LIST}?$skiptoken=2")))),
        )
        .mount(&server)
        .await;
    let all = client(&server).all(carts().list()).await.unwrap();
    assert_eq!(all.items.len(), 2);
    assert_eq!(all.delta_link, Some(format!("{uri}{LIST}?$deltatoken=D")));
}

/// A delta link stored after one run resumes the list in the next, with the headers
/// of the request it is given; a link to another origin is never sent.
#[tokio::test]
async fn a_stored_delta_link_resumes_and_a_foreign_one_is_refused() {
    let server = MockServer::start().await;
    let uri = server.uri();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(query_param("$deltatoken", "D"))
        .and(header("Prefer", "return=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "value": [{"id": "changed"}],
            "@odata.deltaLink": format!("{uri}{LIST}?$deltatoken=E"),
        })))
        .expect(1)
        .mount(&server)
        .await;
    let stored = format!("{uri}{LIST}?$deltatoken=D");
    let resumed = carts()
        .list()
        .header(
            http::HeaderName::from_static("prefer"),
            http::HeaderValue::from_static("return=minimal"),
        )
        .at_link(&stored);
    let page = client(&server).all(resumed).await.unwrap();
    assert_eq!(page.items[0].id.get().map(String::as_str), Some("changed"));
    assert_eq!(page.delta_link, Some(format!("{uri}{LIST}?$deltatoken=E")));

    let foreign = carts().list().at_link(
        "https://elsewhere.example/beta/deviceManagement/cartToClassAssociations?$deltatoken=D",
    );
    let error = foreign.to_http(&format!("{uri}/beta")).unwrap_err();
    assert!(
        matches!(error, generated::Error::OtherOrigin { .. }),
        "{error}"
    );
    let sent = client(&server).send(foreign).await.unwrap_err();
    assert!(sent.to_string().contains("another origin"), "{sent}");
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_the_service_asks_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/1")))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/1")))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "1"})))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let got = client(&server).send(carts().id("1").get()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "did not wait");
    assert_eq!(got.id.get().map(String::as_str), Some("1"));
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777);
    let mut headers = http::HeaderMap::new();
    headers.insert("retry-after", "120".parse().unwrap());
    assert_eq!(
        generated::client::retry_after(&headers, now),
        Some(Duration::from_secs(120))
    );
    // RFC 9110's example date is 784111777 seconds after the epoch; 10 s later:
    headers.insert(
        "retry-after",
        "Sun, 06 Nov 1994 08:49:47 GMT".parse().unwrap(),
    );
    assert_eq!(
        generated::client::retry_after(&headers, now),
        Some(Duration::from_secs(10))
    );
    headers.insert("retry-after", "soon".parse().unwrap());
    assert_eq!(generated::client::retry_after(&headers, now), None);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_504_it_may_have_carried_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(504))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server).retry(Retry {
        base_delay: Duration::from_millis(1),
        ..Retry::default()
    });
    let body = CartToClassAssociation::default();
    let error = client.send(carts().create(&body)).await.unwrap_err();
    assert!(matches!(error, ClientError::Api(e) if e.status == 504));
}

#[tokio::test]
async fn the_services_error_body_is_a_typed_error() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"error": {
        "code": "ResourceNotFound",
        "message": "No cart with id 7.",
        "innerError": {"request-id": "8f6c", "date": "2021-06-01T10:00:00", "client-request-id": "c1"}
    }});
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/7")))
        .respond_with(ResponseTemplate::new(404).set_body_json(body))
        .mount(&server)
        .await;
    let error = client(&server)
        .send(carts().id("7").get())
        .await
        .unwrap_err();
    let ClientError::Api(error) = error else {
        panic!("{error:?}")
    };
    let ApiError {
        status,
        code,
        message,
        request_id,
        client_request_id,
        date,
        ..
    } = *error.clone();
    assert_eq!(status, 404);
    assert_eq!(code.as_deref(), Some("ResourceNotFound"));
    assert_eq!(message.as_deref(), Some("No cart with id 7."));
    assert_eq!(request_id.as_deref(), Some("8f6c"));
    assert_eq!(client_request_id.as_deref(), Some("c1"));
    assert_eq!(date.as_deref(), Some("2021-06-01T10:00:00"));
    assert_eq!(
        error.to_string(),
        "the service answered 404 Not Found ResourceNotFound: No cart with id 7. (request-id 8f6c)"
    );
}

#[tokio::test]
async fn malformed_answers_are_errors_not_panics() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/1")))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>not json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/2")))
        .respond_with(ResponseTemplate::new(500).set_body_string("\u{0}\u{1} not json"))
        .mount(&server)
        .await;
    let client = client(&server).retry(Retry::never());
    let decode = client.send(carts().id("1").get()).await.unwrap_err();
    assert!(
        matches!(&decode, ClientError::Decode { status, .. } if *status == 200),
        "{decode:?}"
    );
    let api = client.send(carts().id("2").get()).await.unwrap_err();
    assert!(
        matches!(&api, ClientError::Api(e) if e.status == 500 && e.code.is_none()),
        "{api:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let error = client(&server)
        .retry(Retry::never())
        .timeout(Duration::from_millis(200))
        .send(carts().id("1").get())
        .await
        .unwrap_err();
    assert!(matches!(error, ClientError::Timeout), "{error:?}");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(
            &["a"],
            Some("https://attacker.example.com/beta/steal".to_owned()),
        )))
        .mount(&server)
        .await;
    let client = client(&server);
    let mut items = std::pin::pin!(client.items(carts().list()));
    assert!(items.try_next().await.unwrap().is_some());
    let error = items.try_next().await.unwrap_err();
    assert!(
        matches!(&error, ClientError::Refused { url, .. } if url.contains("attacker")),
        "{error:?}"
    );
}

/// Hands out `token-1`, `token-2`, ...: a source that refreshes.
struct Refreshing(AtomicUsize);

impl TokenSource for Refreshing {
    fn token(&self) -> TokenFuture<'_> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        Box::pin(async move { Ok(Secret::new(format!("token-{n}"))) })
    }
}

#[tokio::test]
async fn the_token_is_fetched_for_every_request() {
    let server = MockServer::start().await;
    for n in 1..=2 {
        Mock::given(method("DELETE"))
            .and(path(format!("{LIST}/{n}")))
            .and(header(
                "authorization",
                format!("Bearer token-{n}").as_str(),
            ))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let source = Refreshing(AtomicUsize::new(0));
    let client = Client::with_base_url(&format!("{}/beta", server.uri()), source).unwrap();
    for n in ["1", "2"] {
        client.send(carts().id(n).delete()).await.unwrap();
    }
}

#[tokio::test]
async fn ids_stay_one_path_segment() {
    let server = MockServer::start().await;
    let cases = [
        ("a/b?c#d e", "a%2Fb%3Fc%23d%20e"),
        ("../../me", "..%2F..%2Fme"),
    ];
    for (id, encoded) in cases {
        Mock::given(method("GET"))
            .and(path(format!("{LIST}/{encoded}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": id})))
            .expect(1)
            .mount(&server)
            .await;
        let got = client(&server).send(carts().id(id).get()).await.unwrap();
        assert_eq!(got.id.get().map(String::as_str), Some(id));
    }
    // A lone `..` or `.` is a dot segment to every URL parser: refused, never sent.
    for id in ["..", "."] {
        let error = client(&server)
            .send(carts().id(id).get())
            .await
            .unwrap_err();
        assert!(matches!(error, ClientError::Refused { .. }), "{error:?}");
    }
}

#[test]
fn plain_http_is_only_for_loopback_and_the_token_never_shows() {
    for url in [
        "http://graph.example.com/beta",
        "ftp://127.0.0.1/beta",
        "nonsense",
    ] {
        let error = Client::with_base_url(url, StaticToken::new("t0k3n")).unwrap_err();
        assert!(
            matches!(error, ClientError::Refused { .. }),
            "{url}: {error:?}"
        );
    }
    for url in [
        "http://127.0.0.1:9/beta",
        "http://[::1]:9/beta",
        "http://localhost/beta",
    ] {
        assert!(
            Client::with_base_url(url, StaticToken::new("t0k3n")).is_ok(),
            "{url}"
        );
    }
    let client = Client::new(StaticToken::new("t0k3n")).unwrap();
    assert_eq!(client.base_url(), generated::DEFAULT_BASE_URL);
    let shown = format!("{client:?} {:?}", StaticToken::new("t0k3n"));
    assert!(!shown.contains("t0k3n"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

/// The README's example program, against a server that plays the service.
#[tokio::test]
async fn readme_example_program() -> Result<(), ClientError> {
    let server = MockServer::start().await;
    let created = serde_json::json!({"id": "42", "displayName": "Cart 1"});
    Mock::given(method("POST"))
        .and(path(LIST))
        .and(body_json(
            serde_json::json!({"displayName": "Cart 1", "classroomIds": ["c1"]}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["42"], None)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path(format!("{LIST}/42")))
        .and(body_json(
            serde_json::json!({"description": null, "displayName": "Cart 2"}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(&created))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{LIST}/42")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let base_url = format!("{}/beta", server.uri());

    // From here on, the program in the README.
    use futures_util::TryStreamExt as _;
    use generated::Nullable;
    use generated::client::{Client, StaticToken};
    use generated::types::CartToClassAssociation;

    let token = std::env::var("GRAPH_TOKEN").unwrap_or_default();
    let client = Client::with_base_url(&base_url, StaticToken::new(token))?;

    let new = CartToClassAssociation {
        display_name: "Cart 1".to_owned().into(),
        classroom_ids: vec!["c1".to_owned()].into(),
        ..Default::default()
    };
    let carts = generated::api()
        .device_management()
        .cart_to_class_associations();
    let created = client.send(carts.create(&new)).await?;
    let id = created.id.get().cloned().unwrap_or_default();

    let mut listed = std::pin::pin!(client.items(carts.list()));
    while let Some(cart) = listed.try_next().await? {
        println!("{:?}", cart.display_name.get());
    }

    let change = CartToClassAssociation {
        display_name: "Cart 2".to_owned().into(),
        description: Nullable::Null,
        ..Default::default()
    };
    client.send(carts.id(&id).update(&change)).await?;
    client.send(carts.id(&id).delete()).await?;
    // The end of the README's program.
    Ok(())
}

/// The preferences the docs document are typed values of `Prefer`; each is a `Prefer`
/// header, its value quoted when it is not a bare token.
#[test]
fn documented_preferences_are_prefer_headers() {
    use generated::{Prefer, Preference};
    let request = generated::api()
        .me()
        .messages()
        .id("m1")
        .get()
        .prefer(Prefer::OutlookTimezone("Pacific Standard Time".to_owned()))
        .prefer(Prefer::OutlookBodyContentType("text".to_owned()))
        .prefer(Preference::new("respond-async"));
    let http = request.to_http(generated::DEFAULT_BASE_URL).unwrap();
    let sent: Vec<&str> = http
        .headers()
        .get_all("prefer")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        sent,
        [
            r#"outlook.timezone="Pacific Standard Time""#,
            "outlook.body-content-type=text",
            "respond-async"
        ]
    );
    let delta = generated::api()
        .users()
        .delta()
        .list()
        .prefer(Prefer::ReturnMinimal);
    let http = delta.to_http(generated::DEFAULT_BASE_URL).unwrap();
    assert_eq!(http.headers()["prefer"], "return=minimal");
}
