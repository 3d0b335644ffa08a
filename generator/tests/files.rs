//! Files and long-running operations through the generated client, on 127.0.0.1: a
//! wiremock server for the API, and a raw HTTP/1.1 server standing for the hosts files
//! are uploaded to and downloaded from (it can drop a connection in the middle of a
//! chunk, which wiremock cannot). The tests take turns: one measures memory.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use generated::client::{Client, ClientError, Retry, StaticToken, UploadOptions};
use generated::types::{DriveItem, DriveItemCreateUploadSessionBody, UploadSession};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use wiremock::matchers::{body_bytes, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Counts the bytes allocated now and at most, to measure what a download holds.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time, so that the memory one measures only itself.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const TOKEN: &str = "t0k3n";

fn client(api: &MockServer) -> Client {
    Client::with_base_url(&format!("{}/v1.0", api.uri()), StaticToken::new(TOKEN))
        .unwrap()
        .retry(Retry {
            max_retries: 3,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_secs(1),
        })
}

/// Byte `i` of the files these tests move.
fn pattern(i: u64) -> u8 {
    (i % 251) as u8
}

/// What the file host holds and saw.
#[derive(Default)]
struct FileHost {
    /// The upload so far: every byte before `received` has arrived.
    stored: Vec<u8>,
    received: u64,
    puts: usize,
    /// The PUT (counted from 1) whose connection is dropped halfway through its body.
    drop_put: Option<usize>,
    cancelled: bool,
    /// The size of `GET /file`, sent in 64 KiB writes.
    download_size: u64,
    /// Answer as Outlook's upload host does: ranges as `"2097152"`, and the last chunk
    /// with `201`, no body and the attachment's `Location`.
    outlook: bool,
    /// Each request's method, path and whether it carried `Authorization`.
    seen: Vec<(String, String, bool)>,
}

/// Starts the file host; its base URL.
async fn start(host: Arc<Mutex<FileHost>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, host.clone()));
        }
    });
    url
}

/// One request per connection, answered with `Connection: close`.
async fn serve(socket: TcpStream, host: Arc<Mutex<FileHost>>) {
    let mut reader = BufReader::new(socket);
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_owned());
    }
    let mut words = head[0].split(' ');
    let (method, target) = (
        words.next().unwrap().to_owned(),
        words.next().unwrap().to_owned(),
    );
    let header = |name: &str| {
        head[1..].iter().find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    };
    let authorized = header("authorization").is_some();
    host.lock()
        .unwrap()
        .seen
        .push((method.clone(), target.clone(), authorized));
    let length: usize = header("content-length").map_or(0, |v| v.parse().unwrap());
    let (status, body) = match (method.as_str(), target.as_str()) {
        ("PUT", "/upload") => {
            let drop_it = {
                let mut host = host.lock().unwrap();
                host.puts += 1;
                host.drop_put == Some(host.puts)
            };
            if drop_it {
                let mut half = vec![0; length / 2];
                let _ = reader.read_exact(&mut half).await;
                return; // The connection drops, the chunk half sent.
            }
            let mut chunk = vec![0; length];
            if reader.read_exact(&mut chunk).await.is_err() {
                return;
            }
            let range = header("content-range").unwrap();
            let (span, total) = range.trim_start_matches("bytes ").split_once('/').unwrap();
            let (start, end) = span.split_once('-').unwrap();
            let (start, end, total): (u64, u64, u64) = (
                start.parse().unwrap(),
                end.parse().unwrap(),
                total.parse().unwrap(),
            );
            assert_eq!(
                end - start + 1,
                length as u64,
                "Content-Range and length agree"
            );
            let mut host = host.lock().unwrap();
            if start != host.received {
                (416, String::new())
            } else {
                host.stored.extend_from_slice(&chunk);
                host.received = end + 1;
                let next = host.received;
                match (host.received == total, host.outlook) {
                    (true, false) => (
                        201,
                        format!(r#"{{"id": "f1", "name": "big.bin", "size": {total}}}"#),
                    ),
                    (true, true) => (201, String::new()),
                    (false, false) => (202, format!(r#"{{"nextExpectedRanges": ["{next}-"]}}"#)),
                    (false, true) => (200, format!(r#"{{"NextExpectedRanges": ["{next}"]}}"#)),
                }
            }
        }
        ("GET", "/upload") => {
            let next = host.lock().unwrap().received;
            (200, format!(r#"{{"nextExpectedRanges": ["{next}-"]}}"#))
        }
        ("DELETE", "/upload") => {
            host.lock().unwrap().cancelled = true;
            (204, String::new())
        }
        ("GET", "/file") => {
            let size = host.lock().unwrap().download_size;
            let mut socket = reader.into_inner();
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
            );
            socket.write_all(head.as_bytes()).await.unwrap();
            let mut sent = 0;
            let mut buffer = vec![0; 64 * 1024];
            while sent < size {
                let n = buffer.len().min((size - sent) as usize);
                for (i, byte) in buffer[..n].iter_mut().enumerate() {
                    *byte = pattern(sent + i as u64);
                }
                if socket.write_all(&buffer[..n]).await.is_err() {
                    return;
                }
                sent += n as u64;
            }
            return;
        }
        _ => (404, String::new()),
    };
    let reason = if status < 300 { "OK" } else { "Error" };
    let location = if status == 201 && host.lock().unwrap().outlook {
        "Location: https://outlook.example.com/api/v2.0/Users('u1')/Messages('m1')/Attachments('a1')\r\n"
    } else {
        ""
    };
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\n{location}Content-Length: {}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = reader.into_inner().write_all(response.as_bytes()).await;
}

/// A 10 MiB file through an upload session, its third chunk's connection dropped
/// halfway: the client asks the session where it stands, resumes, and the host ends up
/// with the file byte for byte; the token goes to the API only.
#[tokio::test]
async fn an_upload_session_resumes_after_a_dropped_connection() {
    let _turn = TURN.lock().await;
    let files = Arc::new(Mutex::new(FileHost {
        drop_put: Some(3),
        ..FileHost::default()
    }));
    let upload_url = format!("{}/upload", start(files.clone()).await);
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/drive/items/root-id/createUploadSession"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "uploadUrl": upload_url,
            "expirationDateTime": "2030-01-01T00:00:00Z",
            "nextExpectedRanges": ["0-"],
        })))
        .expect(1)
        .mount(&api)
        .await;
    let client = client(&api);

    let session: UploadSession = client
        .send(
            generated::api()
                .me()
                .drive()
                .items()
                .id("root-id")
                .create_upload_session()
                .post(&DriveItemCreateUploadSessionBody::default()),
        )
        .await
        .unwrap();
    let size: u64 = 10 * 1024 * 1024;
    let source: Vec<u8> = (0..size).map(pattern).collect();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let reports = progress.clone();
    let options = UploadOptions::default()
        .chunk_size(1024 * 1024)
        .on_progress(move |done, total| reports.lock().unwrap().push((done, total)));
    let uploaded = client
        .upload::<DriveItem>(
            session.upload_url.get().unwrap(),
            &mut std::io::Cursor::new(&source),
            size,
            options,
        )
        .await
        .unwrap();

    let item = uploaded.item.unwrap();
    assert_eq!(item.name.get().map(String::as_str), Some("big.bin"));
    let files = files.lock().unwrap();
    assert!(
        files.stored == source,
        "the host holds the file byte for byte"
    );
    // 1 MiB rounds down to 960 KiB (3 units of 320 KiB): 11 chunks, one sent twice,
    // and one status request after the drop.
    assert_eq!(files.puts, 12);
    let status_requests = files.seen.iter().filter(|(m, _, _)| m == "GET").count();
    assert_eq!(status_requests, 1);
    assert!(
        files.seen.iter().all(|(_, _, authorized)| !authorized),
        "the upload host never sees the token: {:?}",
        files.seen
    );
    let progress = progress.lock().unwrap();
    assert_eq!(progress.last(), Some(&(size, size)));
    assert!(
        progress.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress only grows"
    );
}

/// An attachment of a draft message through Outlook's upload session: 1 MiB in chunks of
/// 320 KiB, each but the last answered `200` with the ranges as Outlook writes them
/// (`"NextExpectedRanges": ["327680"]`), the last a `201` with no body whose `Location`
/// is the attachment.
#[tokio::test]
async fn an_attachment_is_uploaded_through_outlooks_session() {
    let _turn = TURN.lock().await;
    let files = Arc::new(Mutex::new(FileHost {
        outlook: true,
        ..FileHost::default()
    }));
    let upload_url = format!("{}/upload", start(files.clone()).await);
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1.0/me/messages/m1/attachments/createUploadSession"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({
            "uploadUrl": upload_url,
            "expirationDateTime": "2030-01-01T00:00:00Z",
            "nextExpectedRanges": ["0-"],
        })))
        .expect(1)
        .mount(&api)
        .await;
    let client = client(&api);
    let body = generated::types::AttachmentCreateUploadSessionBody {
        attachment_item: generated::Nullable::Value(generated::types::AttachmentItem {
            attachment_type: "file".to_owned().into(),
            name: "report.pdf".to_owned().into(),
            size: (1024 * 1024_i64).into(),
            ..Default::default()
        }),
        ..Default::default()
    };
    let session = client
        .send(
            generated::api()
                .me()
                .messages()
                .id("m1")
                .attachments()
                .create_upload_session()
                .post(&body),
        )
        .await
        .unwrap();
    let source: Vec<u8> = (0..1024 * 1024).map(pattern).collect();
    let uploaded = client
        .upload::<serde_json::Value>(
            session.upload_url.get().unwrap(),
            &mut std::io::Cursor::new(&source),
            source.len() as u64,
            UploadOptions::default().chunk_size(320 * 1024),
        )
        .await
        .unwrap();

    assert_eq!(uploaded.item, None);
    assert!(uploaded.location.unwrap().ends_with("Attachments('a1')"));
    let files = files.lock().unwrap();
    assert!(files.stored == source);
    assert_eq!(files.puts, 4);
    assert!(files.seen.iter().all(|(_, _, authorized)| !authorized));
}

/// A session the upload host no longer knows (404) ends the upload with the host's
/// error, and cancelling sends `DELETE` to the upload URL, without the token.
#[tokio::test]
async fn an_upload_can_be_cancelled_and_a_lost_session_is_an_error() {
    let _turn = TURN.lock().await;
    let files = Arc::new(Mutex::new(FileHost::default()));
    let base = start(files.clone()).await;
    let api = MockServer::start().await;
    let client = client(&api);
    client
        .cancel_upload(&format!("{base}/upload"))
        .await
        .unwrap();
    assert!(files.lock().unwrap().cancelled);

    let mut content = std::io::Cursor::new(vec![1u8; 100]);
    let lost = client
        .upload::<DriveItem>(
            &format!("{base}/gone"),
            &mut content,
            100,
            UploadOptions::default(),
        )
        .await;
    assert!(
        matches!(&lost, Err(ClientError::Api(error)) if error.status == 404),
        "{lost:?}"
    );
    assert!(files.lock().unwrap().seen.iter().all(|(_, _, auth)| !auth));
}

/// `GET .../content` answers `302` to the file host: the client follows it without
/// the token and streams 100 MiB while holding less than 16 MiB.
#[tokio::test]
async fn a_download_follows_the_redirect_without_the_token_and_streams() {
    let _turn = TURN.lock().await;
    let size: u64 = 100 * 1024 * 1024;
    let files = Arc::new(Mutex::new(FileHost {
        download_size: size,
        ..FileHost::default()
    }));
    let file_url = format!("{}/file", start(files.clone()).await);
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/drive/items/f1/content"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", file_url.as_str()))
        .expect(1)
        .mount(&api)
        .await;
    let client = client(&api);

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let request = generated::api()
        .me()
        .drive()
        .items()
        .id("f1")
        .content()
        .get();
    let mut download = client.download(request).await.unwrap();
    assert_eq!(download.content_length(), Some(size));
    let mut received = 0u64;
    let mut wrong = 0u64;
    while let Some(chunk) = download.chunk().await.unwrap() {
        for (i, byte) in chunk.iter().enumerate() {
            wrong += u64::from(*byte != pattern(received + i as u64));
        }
        received += chunk.len() as u64;
    }
    let held = PEAK.load(Ordering::Relaxed).saturating_sub(before);

    assert_eq!((received, wrong), (size, 0));
    assert!(
        held < 16 * 1024 * 1024,
        "the download held {held} bytes at most"
    );
    let seen = &files.lock().unwrap().seen;
    assert_eq!(seen.len(), 1);
    assert!(!seen[0].2, "the file host never sees the token");
}

/// A photo read as bytes and written back as content with its media type; a plain
/// `send` of a redirected download gives the file's bytes too.
#[tokio::test]
async fn a_photo_is_downloaded_as_bytes_and_uploaded() {
    let _turn = TURN.lock().await;
    let photo: Vec<u8> = (0..5000).map(pattern).collect();
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/me/photo/$value"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(photo.clone(), "image/jpeg"))
        .expect(1)
        .mount(&api)
        .await;
    Mock::given(method("PUT"))
        .and(path("/v1.0/users/u1/photo/$value"))
        .and(header("content-type", "image/jpeg"))
        .and(body_bytes(photo.clone()))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&api)
        .await;
    let client = client(&api);

    let mine: Vec<u8> = client
        .send(generated::api().me().photo().value().get())
        .await
        .unwrap();
    assert!(mine == photo);
    client
        .send(
            generated::api()
                .users()
                .id("u1")
                .photo()
                .value()
                .put("image/jpeg", mine),
        )
        .await
        .unwrap();
}

/// A copy answers `202 Accepted` with a monitor on another host: `wait` polls it (no
/// token there) until it completes, or reports that it failed.
#[tokio::test]
async fn a_copy_is_monitored_to_completion_and_to_failure() {
    let _turn = TURN.lock().await;
    let api = MockServer::start().await;
    let monitor = MockServer::start().await;
    for (item, outcome) in [("ok", "completed"), ("bad", "failed")] {
        Mock::given(method("POST"))
            .and(path(format!("/v1.0/me/drive/items/{item}/copy")))
            .respond_with(ResponseTemplate::new(202).insert_header(
                "Location",
                format!("{}/monitor/{item}", monitor.uri()).as_str(),
            ))
            .mount(&api)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/monitor/{item}")))
            .respond_with(
                ResponseTemplate::new(202)
                    .insert_header("Retry-After", "0")
                    .set_body_json(
                        serde_json::json!({"status": "inProgress", "percentageComplete": 50.0}),
                    ),
            )
            .up_to_n_times(2)
            .mount(&monitor)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/monitor/{item}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "status": outcome,
                "percentageComplete": 100.0,
                "resourceId": "copy-of-item",
            })))
            .mount(&monitor)
            .await;
    }
    let client = client(&api);
    let copy = |item: &str| {
        generated::api()
            .me()
            .drive()
            .items()
            .id(item)
            .copy()
            .post(&Default::default())
    };

    let accepted = client.send(copy("ok")).await.unwrap();
    let done = client.wait(&accepted).await.unwrap();
    assert_eq!(done.resource_id.as_deref(), Some("copy-of-item"));
    assert_eq!(done.percentage_complete, Some(100.0));

    let accepted = client.send(copy("bad")).await.unwrap();
    let failed = client.wait(&accepted).await;
    assert!(
        matches!(&failed, Err(ClientError::OperationFailed(status)) if status.status == "failed"),
        "{failed:?}"
    );
    let polls = monitor.received_requests().await.unwrap();
    assert_eq!(polls.len(), 6, "three polls of each monitor");
    assert!(
        polls
            .iter()
            .all(|r| !r.headers.contains_key("authorization"))
    );
}
