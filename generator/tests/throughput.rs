//! Requests per second and allocations per request through the generated client,
//! beside raw reqwest sending the same bytes to the same loopback server in the same
//! run. `cargo test --release -p generator --test throughput -- --ignored --nocapture`
//! prints the figures (the README's); in a plain `cargo test` a short run checks that
//! both ways work.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use generated::client::{Client, StaticToken};
use tokio::io::AsyncWriteExt as _;

#[path = "support/loopback.rs"]
mod loopback;
use tokio::net::TcpListener;

/// Counts allocations while `COUNTING` is on, to report them per request; off while
/// timing, where a shared counter would slow both ways down.
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const ITEM: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/cartToClassAssociations/$entity","id":"c1","displayName":"A cart","description":"Carts of the third floor","version":7,"deviceCartIds":["d1","d2","d3"],"classroomIds":["r1"],"createdDateTime":"2021-03-04T05:06:07Z","lastModifiedDateTime":"2021-03-04T05:06:07.1234567Z"}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `ITEM`.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{ITEM}",
                    ITEM.len()
                );
                let mut buffer = Vec::new();
                while loopback::read_request(&mut socket, &mut buffer)
                    .await
                    .is_some()
                {
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}/v1.0")
}

struct Figures {
    per_second: f64,
    allocations: f64,
}

/// `requests` sends, `concurrency` at a time, of `send`: requests per second, and
/// allocations per request (counted in a second, shorter pass).
async fn measure<F, Fut>(requests: u64, concurrency: usize, send: F) -> Figures
where
    F: Fn(u64) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let run = |count: u64| {
        futures_util::stream::iter(0..count)
            .map(&send)
            .buffer_unordered(concurrency)
            .collect::<Vec<()>>()
    };
    let started = Instant::now();
    run(requests).await;
    let elapsed = started.elapsed();
    let counted = (requests / 10).max(1);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    run(counted).await;
    COUNTING.store(false, Ordering::Relaxed);
    Figures {
        per_second: requests as f64 / elapsed.as_secs_f64(),
        allocations: (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / counted as f64,
    }
}

async fn compare(requests: u64, rounds: usize) -> (Figures, Figures) {
    let base = serve().await;
    let client = Client::with_base_url(&base, StaticToken::new("t0k3n")).unwrap();
    let raw = reqwest::Client::new();
    let url = format!("{base}/deviceManagement/cartToClassAssociations/c1");
    let generated = |_| {
        let client = &client;
        async move {
            let request = generated::api()
                .device_management()
                .cart_to_class_associations()
                .id("c1")
                .get();
            let cart = client.send(request).await.unwrap();
            assert!(cart.display_name.get().is_some());
        }
    };
    let plain = |_| {
        let (raw, url) = (&raw, &url);
        async move {
            let response = raw
                .get(url)
                .bearer_auth("t0k3n")
                .header("accept", "application/json")
                .send()
                .await
                .unwrap();
            assert!(response.status().is_success());
            let body = response.bytes().await.unwrap();
            assert!(!body.is_empty());
        }
    };
    // Warm both up (connections, caches), then take the best of a few rounds each,
    // alternating, so that a busy moment does not fall on one side only.
    measure(requests / 10, 64, &generated).await;
    measure(requests / 10, 64, &plain).await;
    let mut best = (
        Figures {
            per_second: 0.0,
            allocations: 0.0,
        },
        Figures {
            per_second: 0.0,
            allocations: 0.0,
        },
    );
    for _ in 0..rounds {
        let ours = measure(requests, 64, &generated).await;
        let theirs = measure(requests, 64, &plain).await;
        if ours.per_second > best.0.per_second {
            best.0 = ours;
        }
        if theirs.per_second > best.1.per_second {
            best.1 = theirs;
        }
    }
    best
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_ways_send_and_read() {
    let (ours, theirs) = compare(200, 1).await;
    assert!(ours.per_second > 0.0 && theirs.per_second > 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "the benchmark, by hand in release: -- --ignored --nocapture"]
async fn the_generated_client_keeps_up_with_raw_reqwest() {
    let (ours, theirs) = tokio::time::timeout(Duration::from_secs(600), compare(20_000, 5))
        .await
        .unwrap();
    let ratio = ours.per_second / theirs.per_second;
    println!(
        "loopback GET, 64 at a time, best of 5 rounds of 20,000: generated client {:.0} requests/s, {:.1} allocations/request; raw reqwest {:.0} requests/s, {:.1} allocations/request; ratio {ratio:.2}",
        ours.per_second, ours.allocations, theirs.per_second, theirs.allocations
    );
    assert!(
        ratio >= 0.9,
        "the generated client reaches {ratio:.2}x raw reqwest"
    );
}
