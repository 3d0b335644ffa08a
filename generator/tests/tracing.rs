//! Traces (feature `tracing`): a failing, retried request leaves a span for the request
//! (method, path template) and one per attempt (status, request-id, the wait before the
//! next), and nothing of the token, the ids or the body.

use std::io::Write;
use std::sync::{Arc, Mutex};

use generated::client::{Client, Retry, StaticToken};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Where the subscriber writes: a buffer the test reads.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn a_failing_retried_request_is_traced_without_secrets() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let one = "/beta/deviceManagement/cartToClassAssociations/secret-id-42";
    Mock::given(method("GET"))
        .and(path(one))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("Retry-After", "0")
                .insert_header("request-id", "req-1"),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(one))
        .respond_with(
            ResponseTemplate::new(500)
                .insert_header("request-id", "req-2")
                .set_body_json(serde_json::json!({
                    "error": { "code": "generalException", "message": "body-text-42" }
                })),
        )
        .mount(&server)
        .await;
    let client = Client::with_base_url(
        &format!("{}/beta", server.uri()),
        StaticToken::new("t0k3n-xyz"),
    )
    .unwrap()
    .retry(Retry {
        max_retries: 1,
        ..Retry::default()
    });
    let request = generated::api()
        .device_management()
        .cart_to_class_associations()
        .id("secret-id-42")
        .get();
    assert_eq!(
        request.path_template(),
        "/deviceManagement/cartToClassAssociations/{}"
    );
    client.send(request).await.unwrap_err();
    drop(_guard);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closed: Vec<&str> = text.lines().filter(|l| l.contains("close")).collect();
    // Two attempts inside the request: the 503 with the wait it asked for, then the 500.
    assert_eq!(closed.len(), 3, "{text}");
    assert!(
        closed[0].contains("graph_attempt")
            && closed[0].contains("attempt=0")
            && closed[0].contains("status=503")
            && closed[0].contains("request_id=\"req-1\"")
            && closed[0].contains("retry_in_ms=0"),
        "{text}"
    );
    assert!(
        closed[1].contains("attempt=1")
            && closed[1].contains("status=500")
            && closed[1].contains("request_id=\"req-2\""),
        "{text}"
    );
    assert!(
        closed[2].contains("graph_request")
            && closed[2].contains("method=GET")
            && closed[2].contains("path=/deviceManagement/cartToClassAssociations/{}"),
        "{text}"
    );
    for secret in ["t0k3n-xyz", "secret-id-42", "body-text-42"] {
        assert!(!text.contains(secret), "{secret} in the trace:\n{text}");
    }
}
