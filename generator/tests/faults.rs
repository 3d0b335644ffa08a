//! The client under load and faults: a loopback HTTP/1.1 server that, by a seeded
//! random schedule, answers normally, throttles (`429`/`503` with `Retry-After`),
//! closes the connection before answering or in the middle of an answer's head, sends a
//! truncated or malformed body, stalls past the client's timeout, or answers `500`.
//! 10,000 requests, 256 at a time, through one client: every one ends with exactly one
//! outcome, and no POST is carried out twice.
//!
//! `LOAD_REQUESTS=100000 cargo test --release -p generator --test faults -- --nocapture`
//! runs a larger load and prints its figures.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use generated::client::{Client, ClientError, Retry, StaticToken};
use generated::types::CartToClassAssociation;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[path = "support/loopback.rs"]
mod loopback;
use tokio::net::{TcpListener, TcpStream};

/// What the server does with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    Answer,
    Throttle(u16),
    CloseBeforeAnswer,
    CloseInHeaders,
    TruncatedBody,
    MalformedBody,
    Stall,
    ServerError,
}

/// SplitMix64: the schedule is the same for a seed, run after run.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Server {
    seed: u64,
    drawn: AtomicU64,
    /// How often each POST (by its `displayName`) was carried out: every time it was
    /// not answered with a throttle, which proves it was not.
    carried_out: Mutex<HashMap<String, u32>>,
    faults: Mutex<BTreeMap<Fault, u64>>,
    stall: Duration,
}

impl Server {
    fn draw(&self) -> Fault {
        let roll = mix(self.seed ^ self.drawn.fetch_add(1, Ordering::Relaxed)) % 100;
        let fault = match roll {
            0..=59 => Fault::Answer,
            60..=64 => Fault::Throttle(429),
            65..=69 => Fault::Throttle(503),
            70..=73 => Fault::CloseBeforeAnswer,
            74..=77 => Fault::CloseInHeaders,
            78..=81 => Fault::TruncatedBody,
            82..=86 => Fault::MalformedBody,
            87..=89 => Fault::Stall,
            _ => Fault::ServerError,
        };
        *self.faults.lock().unwrap().entry(fault).or_default() += 1;
        fault
    }
}

async fn start(server: Arc<Server>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(connection(socket, server.clone()));
        }
    });
    format!("http://{address}/v1.0")
}

fn response(status: u16, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn connection(mut socket: TcpStream, server: Arc<Server>) {
    let mut buffer = Vec::new();
    while let Some((head, body)) = loopback::read_request(&mut socket, &mut buffer).await {
        let fault = server.draw();
        if head.starts_with("POST") && !matches!(fault, Fault::Throttle(_)) {
            let posted: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            let name = posted["displayName"].as_str().unwrap_or("?").to_owned();
            *server.carried_out.lock().unwrap().entry(name).or_default() += 1;
        }
        let item = r#"{"id":"c1","displayName":"a cart","version":3}"#;
        let written = match fault {
            Fault::Answer if head.starts_with("POST") => {
                socket
                    .write_all(&response(201, "", &String::from_utf8_lossy(&body)))
                    .await
            }
            Fault::Answer => socket.write_all(&response(200, "", item)).await,
            Fault::Throttle(status) => {
                let error = r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#;
                socket
                    .write_all(&response(status, "retry-after: 0\r\n", error))
                    .await
            }
            // The connection closes with the request read, or in the middle of the
            // answer's head.
            Fault::CloseBeforeAnswer => return,
            Fault::CloseInHeaders => {
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-le").await;
                return;
            }
            Fault::TruncatedBody => {
                let whole = response(200, "", item);
                let _ = socket.write_all(&whole[..whole.len() - 10]).await;
                return;
            }
            Fault::MalformedBody => {
                socket
                    .write_all(&response(200, "", "{\"id\": \"c1\", "))
                    .await
            }
            Fault::Stall => {
                tokio::time::sleep(server.stall).await;
                return;
            }
            Fault::ServerError => {
                let error = r#"{"error":{"code":"generalException","message":"boom"}}"#;
                socket.write_all(&response(500, "", error)).await
            }
        };
        if written.is_err() {
            return;
        }
    }
}

/// What a request ended with, by kind.
fn outcome<T>(result: &Result<T, ClientError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(ClientError::Api(error)) => format!("api {}", error.status.as_u16()),
        Err(ClientError::Timeout) => "timeout".to_owned(),
        Err(ClientError::Transport(_)) => "transport".to_owned(),
        Err(ClientError::Decode { .. }) => "decode".to_owned(),
        Err(other) => format!("other: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_through_faults_each_end_once_and_no_post_runs_twice() {
    let requests: u64 = std::env::var("LOAD_REQUESTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let timeout = Duration::from_millis(300);
    let server = Arc::new(Server {
        seed: 0x5eed,
        drawn: AtomicU64::new(0),
        carried_out: Mutex::default(),
        faults: Mutex::default(),
        stall: timeout * 3,
    });
    let base = start(server.clone()).await;
    let client = Client::with_base_url(&base, StaticToken::new("t"))
        .unwrap()
        .timeout(timeout)
        .retry(Retry {
            max_retries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(1),
        });
    let carts = || {
        generated::api()
            .device_management()
            .cart_to_class_associations()
    };
    let started = Instant::now();
    let sends = futures_util::stream::iter(0..requests).map(|i| {
        let client = &client;
        async move {
            if i % 4 == 0 {
                let body = CartToClassAssociation {
                    display_name: format!("post-{i}").into(),
                    ..Default::default()
                };
                (true, outcome(&client.send(carts().create(&body)).await))
            } else {
                let id = i.to_string();
                (false, outcome(&client.send(carts().id(&id).get()).await))
            }
        }
    });
    let ended: Vec<(bool, String)> = tokio::time::timeout(
        Duration::from_secs(120),
        sends.buffer_unordered(256).collect(),
    )
    .await
    .expect("every request ends, none hangs");
    let elapsed = started.elapsed();

    let mut outcomes: BTreeMap<(bool, String), u64> = BTreeMap::new();
    for end in &ended {
        *outcomes.entry(end.clone()).or_default() += 1;
    }
    let faults = server.faults.lock().unwrap().clone();
    println!(
        "{requests} requests in {elapsed:.2?} ({:.0}/s); faults served: {faults:?}; outcomes (post?, kind): {outcomes:?}",
        requests as f64 / elapsed.as_secs_f64()
    );
    // Every request ended once.
    assert_eq!(ended.len() as u64, requests);
    // No POST was carried out twice: a POST is sent again only after a throttle.
    let carried_out = server.carried_out.lock().unwrap();
    let twice: Vec<_> = carried_out.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "POSTs carried out twice: {twice:?}");
    // Every kind of fault was served, and the failures they cause reached the caller as
    // typed errors, not panics; reads were retried through most of them.
    assert_eq!(faults.len(), 9, "{faults:?}");
    for kind in ["ok", "decode", "transport", "api 500"] {
        assert!(
            outcomes.keys().any(|(_, k)| k == kind),
            "no {kind} outcome: {outcomes:?}"
        );
    }
    assert!(
        outcomes.keys().all(|(_, k)| !k.starts_with("other")),
        "{outcomes:?}"
    );
    let gets_ok = outcomes
        .get(&(false, "ok".to_owned()))
        .copied()
        .unwrap_or(0);
    assert!(gets_ok * 10 > (requests * 3 / 4) * 7, "{outcomes:?}");
}

/// A `429` with `Retry-After: 1` to one request holds the whole client: requests
/// started meanwhile reach the server only after the wait, spread out by the jitter.
#[tokio::test]
async fn a_throttle_holds_the_whole_client_and_its_retries_spread_out() {
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let arrivals: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let seen = arrivals.clone();
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(move |_: &wiremock::Request| {
            let mut seen = seen.lock().unwrap();
            seen.push(Instant::now());
            if seen.len() == 1 {
                ResponseTemplate::new(429).insert_header("Retry-After", "1")
            } else {
                ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "1" }))
            }
        })
        .mount(&server)
        .await;
    let client =
        Client::with_base_url(&format!("{}/v1.0", server.uri()), StaticToken::new("t")).unwrap();
    let one = || {
        generated::api()
            .device_management()
            .cart_to_class_associations()
            .id("1")
            .get()
    };
    let first = client.send(one());
    let others = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        futures_util::future::join_all((0..20).map(|_| client.send(one()))).await
    };
    let (first, others) = tokio::join!(first, others);
    first.unwrap();
    assert!(others.iter().all(Result::is_ok));

    let arrivals = arrivals.lock().unwrap();
    assert_eq!(arrivals.len(), 22);
    let throttled = arrivals[0];
    let later: Vec<Duration> = arrivals[1..].iter().map(|a| *a - throttled).collect();
    let (earliest, latest) = (later.iter().min().unwrap(), later.iter().max().unwrap());
    assert!(
        *earliest >= Duration::from_millis(990),
        "a request came before the wait was over: {later:?}"
    );
    assert!(
        *latest - *earliest >= Duration::from_millis(10),
        "no jitter: {later:?}"
    );
}

/// Dropping requests in flight closes their connections: nothing lingers.
#[tokio::test]
async fn dropped_requests_leave_no_connection_open() {
    let open = Arc::new(AtomicU64::new(0));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let counting = open.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                continue;
            };
            let open = counting.clone();
            open.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                // Reads and never answers, until the client goes away.
                let mut chunk = [0u8; 4096];
                while matches!(socket.read(&mut chunk).await, Ok(n) if n > 0) {}
                open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    let client =
        Client::with_base_url(&format!("http://{address}/v1.0"), StaticToken::new("t")).unwrap();
    let sends = (0..50).map(|i| {
        let id = i.to_string();
        let request = generated::api()
            .device_management()
            .cart_to_class_associations()
            .id(&id)
            .get();
        let client = &client;
        async move { tokio::time::timeout(Duration::from_millis(300), client.send(request)).await }
    });
    let ended = futures_util::future::join_all(sends).await;
    assert!(
        ended.iter().all(Result::is_err),
        "every request was dropped at its deadline"
    );
    let deadline = Instant::now() + Duration::from_secs(5);
    while open.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        open.load(Ordering::SeqCst),
        0,
        "connections left open after their requests were dropped"
    );
}
