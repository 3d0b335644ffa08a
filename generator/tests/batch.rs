//! JSON batching (feature `batch`) against a loopback `$batch` endpoint that answers
//! each sub-request by its URL: requests of mixed types go out 20 to a batch and come
//! back typed, in request order; a throttled sub-request is sent again alone;
//! `dependsOn` keeps a request with the one it depends on.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use generated::client::{Batch, Client, ClientError, Retry, StaticToken};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Answers a batch: `GET .../{id}` with the item, `DELETE` with 204, `.../missing` with
/// 404, and the sub-request `throttle` with one 429 the first time it comes.
struct Service {
    throttle: String,
    throttled: AtomicBool,
    /// The sub-requests of each batch.
    batches: Mutex<Vec<Vec<Seen>>>,
}

/// A sub-request as the service saw it: `(id, url, dependsOn)`.
type Seen = (String, String, Vec<String>);

impl Respond for Service {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let requests = body["requests"].as_array().unwrap();
        let mut seen = Vec::new();
        let mut responses = Vec::new();
        for sub in requests {
            let id = sub["id"].as_str().unwrap().to_owned();
            let url = sub["url"].as_str().unwrap().to_owned();
            let depends: Vec<String> = sub["dependsOn"]
                .as_array()
                .map(|d| d.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            seen.push((id.clone(), url.clone(), depends));
            let item = url.rsplit('/').next().unwrap().to_owned();
            let response = if url == self.throttle && !self.throttled.swap(true, Ordering::SeqCst) {
                json!({ "id": id, "status": 429, "headers": { "Retry-After": "0" },
                        "body": { "error": { "code": "TooManyRequests", "message": "slow down" } } })
            } else if item == "missing" {
                json!({ "id": id, "status": 404,
                        "body": { "error": { "code": "itemNotFound", "message": "no such item" } } })
            } else if sub["method"] == "DELETE" {
                json!({ "id": id, "status": 204 })
            } else {
                json!({ "id": id, "status": 200,
                        "headers": { "Content-Type": "application/json" },
                        "body": { "id": item, "displayName": format!("cart {item}") } })
            };
            responses.push(response);
        }
        // The service may answer in any order.
        responses.reverse();
        self.batches.lock().unwrap().push(seen);
        ResponseTemplate::new(200).set_body_json(json!({ "responses": responses }))
    }
}

fn carts() -> generated::api::DeviceManagementCartToClassAssociations {
    generated::api()
        .device_management()
        .cart_to_class_associations()
}

#[tokio::test]
async fn forty_five_requests_go_as_three_batches_and_come_back_typed() {
    let server = MockServer::start().await;
    let service = std::sync::Arc::new(Service {
        throttle: "/deviceManagement/cartToClassAssociations/7".to_owned(),
        throttled: AtomicBool::new(false),
        batches: Mutex::default(),
    });
    let answering = service.clone();
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(move |request: &Request| answering.respond(request))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&format!("{}/beta", server.uri()), StaticToken::new("t"))
        .unwrap()
        .retry(Retry::default());

    let mut batch = Batch::new();
    let mut gets = Vec::new();
    let mut deletes = Vec::new();
    for n in 0..45 {
        if n % 3 == 2 {
            deletes.push(batch.add(carts().id(&format!("d{n}")).delete()));
        } else {
            gets.push((n, batch.add(carts().id(&n.to_string()).get())));
        }
    }
    let mut results = client.send_batch(batch).await.unwrap();

    for (n, entry) in gets {
        let cart = results.take(entry).unwrap();
        assert_eq!(
            cart.id.get().map(String::as_str),
            Some(n.to_string().as_str())
        );
        assert_eq!(
            cart.display_name.get().map(String::as_str),
            Some(format!("cart {n}").as_str())
        );
    }
    for entry in deletes {
        results.take(entry).unwrap();
    }
    let batches = service.batches.lock().unwrap();
    let sizes: Vec<usize> = batches.iter().map(Vec::len).collect();
    // 20, the throttled one again alone, then 20 and 5.
    assert_eq!(sizes, [20, 1, 20, 5]);
    assert_eq!(
        batches[1][0].1,
        "/deviceManagement/cartToClassAssociations/7"
    );
}

#[tokio::test]
async fn an_error_answer_is_that_request_s_error_and_depends_on_keeps_requests_together() {
    let server = MockServer::start().await;
    let service = std::sync::Arc::new(Service {
        throttle: String::new(),
        throttled: AtomicBool::new(false),
        batches: Mutex::default(),
    });
    let answering = service.clone();
    Mock::given(method("POST"))
        .and(path("/beta/$batch"))
        .respond_with(move |request: &Request| answering.respond(request))
        .mount(&server)
        .await;
    let client =
        Client::with_base_url(&format!("{}/beta", server.uri()), StaticToken::new("t")).unwrap();

    let mut batch = Batch::new();
    let missing = batch.add(carts().id("missing").get());
    let mut others = Vec::new();
    for n in 0..19 {
        others.push(batch.add(carts().id(&n.to_string()).get()));
    }
    // Depends on the first: it goes with it, though the first batch is full.
    let after = batch.add_after(carts().id("last").delete(), &[missing.id()]);
    let mut results = client.send_batch(batch).await.unwrap();

    match results.take(missing) {
        Err(ClientError::Api(error)) => {
            assert_eq!(error.status.as_u16(), 404);
            assert_eq!(error.code.as_deref(), Some("itemNotFound"));
        }
        other => panic!("expected the 404 as an ApiError, got {other:?}"),
    }
    for entry in others {
        results.take(entry).unwrap();
    }
    results.take(after).unwrap();
    let batches = service.batches.lock().unwrap();
    let first: Vec<&str> = batches[0].iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(first.contains(&"0") && first.contains(&"20"), "{first:?}");
    let dependent = batches[0].iter().find(|(id, _, _)| id == "20").unwrap();
    assert_eq!(dependent.2, ["0"]);
}
