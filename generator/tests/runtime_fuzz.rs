//! Property tests on what reads untrusted bytes at run time: every response decoder
//! (typed JSON with `Nullable`, `Flags`, `Binary`, date-times and enums; `AnyX`
//! dispatch on `@odata.type`; list pages and their links; counts; long-running
//! operations' `Location`), and, through the client against a loopback server, error
//! answers and batch answers. For any status, headers and body: no panic; a value that
//! reads writes back to JSON that reads as the same value.
//!
//! `cargo test -p generator --test runtime_fuzz` runs a few hundred cases per reader.
//! For a long run: `FUZZ_SECONDS=1800 cargo test --release -p generator --test
//! runtime_fuzz -- --ignored --nocapture`; inputs that once broke a reader are kept in
//! `tests/fuzz-seeds/runtime/` and read first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use generated::api;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

/// Keys the readers know (wire names of the types read below, OData's annotations),
/// and some they do not.
const KEYS: &[&str] = &[
    "id",
    "displayName",
    "version",
    "brandingOptions",
    "defaultLocale",
    "lastModifiedDateTime",
    "createdDateTime",
    "roleScopeTagIds",
    "@odata.type",
    "@odata.nextLink",
    "@odata.deltaLink",
    "@odata.count",
    "@odata.context",
    "value",
    "error",
    "code",
    "message",
    "innerError",
    "responses",
    "status",
    "body",
    "headers",
    "x",
    "latitude",
    "altitude",
];

fn leaf() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            Just("#microsoft.graph.windows10GeneralConfiguration"),
            Just("#microsoft.graph.user"),
            Just("#microsoft.graph.group"),
            Just("#microsoft.graph.deviceConfiguration"),
            Just("#unknown.type"),
            Just("includeCompanyLogo,includeCompanyName"),
            Just("none"),
            Just(",,"),
            Just("2017-01-01T00:00:00Z"),
            Just("2017-13-45T99:99:99+25:00"),
            Just("-999999-01-01T00:00:00Z"),
            Just("P1DT2H"),
            Just("PT"),
            Just("AAEC"),
            Just("=="),
            Just("1e400"),
            Just("https://graph.microsoft.com/v1.0/next?$skiptoken=a"),
            Just("http://[::1"),
            Just("\u{0}\u{7f}\u{10ffff}"),
        ]
        .prop_map(|s| Value::String(s.to_owned())),
        ".{0,16}".prop_map(Value::String),
    ]
}

fn json() -> impl Strategy<Value = serde_json::Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..7).prop_map(|fields| {
                serde_json::Value::Object(
                    fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                )
            }),
        ]
    })
}

/// A response as a server could send it: any status, maybe a `Location`, a body that
/// is JSON, JSON cut short, or any bytes.
fn response() -> impl Strategy<Value = (u16, Option<String>, Vec<u8>)> {
    let body = prop_oneof![
        4 => json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => json().prop_flat_map(|v| {
            let bytes = serde_json::to_vec(&v).unwrap();
            let len = bytes.len();
            (Just(bytes), 0..=len).prop_map(|(b, cut)| b[..cut].to_vec())
        }),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ];
    (
        prop_oneof![
            Just(200u16),
            Just(201),
            Just(202),
            Just(204),
            Just(302),
            Just(400),
            100u16..600
        ],
        prop::option::of(prop_oneof![
            Just("https://x.test/monitor".to_owned()),
            ".{0,12}".prop_map(|s| s)
        ]),
        body,
    )
}

fn http_response(status: u16, location: &Option<String>, body: &[u8]) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    if let Some(location) = location
        .as_ref()
        .and_then(|l| http::HeaderValue::from_str(l).ok())
    {
        response
            .headers_mut()
            .insert(http::header::LOCATION, location);
    }
    response
}

/// Reads the response with `request`'s decoder; a value that reads must write back to
/// JSON that reads as the same value.
fn reads<T>(request: generated::Request<T>, status: u16, location: &Option<String>, body: &[u8])
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = request.parse_response(http_response(status, location, body)) {
        let written = serde_json::to_string(&value).expect("a value that read is written");
        let again: T = serde_json::from_str(&written).expect("what was written reads");
        assert_eq!(again, value, "{written}");
    }
}

/// Every reader on one response. Panics are what the properties look for.
fn read_everything(status: u16, location: &Option<String>, body: &[u8]) {
    let carts = || api().device_management().cart_to_class_associations();
    reads(carts().id("1").get(), status, location, body);
    reads(
        api()
            .device_management()
            .notification_message_templates()
            .id("1")
            .get(),
        status,
        location,
        body,
    );
    // Pages and their links; `AnyX` items chosen by `@odata.type`.
    if let Ok(page) = carts()
        .list()
        .parse_response(http_response(status, location, body))
    {
        for link in page.next_link.iter().chain(&page.delta_link) {
            let _ = carts()
                .list()
                .at_link(link)
                .to_http(generated::DEFAULT_BASE_URL);
        }
    }
    if let Ok(page) = api()
        .device_management()
        .device_configurations()
        .list()
        .parse_response(http_response(status, location, body))
    {
        for item in &page.items {
            let written = serde_json::to_string(item).unwrap();
            let again: generated::types::AnyDeviceConfiguration =
                serde_json::from_str(&written).unwrap();
            assert_eq!(&again, item, "{written}");
        }
    }
    // A count is plain text; a long-running operation's answer is its `Location`.
    let _ = api()
        .groups()
        .id("g")
        .members()
        .cast_user()
        .count()
        .get()
        .parse_response(http_response(status, location, body));
    let _ = api()
        .me()
        .drive()
        .items()
        .id("i")
        .copy()
        .post(&Default::default())
        .parse_response(http_response(status, location, body));
}

fn cases() -> u32 {
    256
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn no_response_makes_a_reader_panic((status, location, body) in response()) {
        read_everything(status, &location, &body);
    }

    #[test]
    fn the_runtime_reader_reads_what_serde_reads(text in edited_json()) {
        use generated::types::{AnyDeviceConfiguration, CartToClassAssociation, GeoCoordinates, NotificationMessageTemplate};
        reads_as_serde_reads::<CartToClassAssociation>(&text);
        reads_as_serde_reads::<NotificationMessageTemplate>(&text);
        reads_as_serde_reads::<AnyDeviceConfiguration>(&text);
        reads_as_serde_reads::<GeoCoordinates>(&text);
        reads_as_serde_reads::<serde_json::Value>(&text);
    }

    #[test]
    fn wire_values_read_or_fail_cleanly(value in json()) {
        let text = serde_json::to_string(&value).unwrap();
        let _ = serde_json::from_str::<generated::Nullable<generated::Binary>>(&text);
        let _ = serde_json::from_str::<generated::Nullable<generated::Duration>>(&text);
        let _ = serde_json::from_str::<generated::Nullable<generated::Decimal>>(&text);
        let _ = serde_json::from_str::<Vec<generated::types::AnyDeviceConfiguration>>(&text);
        if let Ok(flags) = serde_json::from_str::<generated::Flags<generated::types::NotificationTemplateBrandingOptions>>(&text) {
            let written = serde_json::to_string(&flags).unwrap();
            let again: generated::Flags<generated::types::NotificationTemplateBrandingOptions> = serde_json::from_str(&written).unwrap();
            prop_assert_eq!(again, flags);
        }
    }
}

/// Pieces of JSON an edit inserts: structure, escapes, numbers and literals.
#[rustfmt::skip]
const PIECES: &[&str] = &[
    " ", "\n", ",", ":", "[", "]", "{", "}", "\"", "\\", "\\u", "\\ud83d", "\\ude00",
    "\\u00e9", "-", "0", "01", "1e5", ".5", "1e400", "18446744073709551616", "null", "tru",
    "\u{e9}", "\u{1}",
];

/// A JSON text as a server could send it: written by serde_json, its non-ASCII
/// characters perhaps `\u`-escaped, then perhaps edited (a piece inserted or a
/// character removed), so that most texts read and some fail anywhere.
fn edited_json() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        prop::option::of(prop::sample::select(PIECES)),
    );
    (json(), any::<bool>(), prop::collection::vec(edit, 0..3)).prop_map(|(value, escape, edits)| {
        let mut text = serde_json::to_string(&value).unwrap();
        if escape {
            text = text
                .chars()
                .map(|c| match c.is_ascii() {
                    true => c.to_string(),
                    false => c
                        .encode_utf16(&mut [0; 2])
                        .iter()
                        .map(|u| format!("\\u{u:04x}"))
                        .collect(),
                })
                .collect();
        }
        for (at, piece) in edits {
            let mut chars: Vec<char> = text.chars().collect();
            let at = at.index(chars.len() + 1);
            match piece {
                Some(piece) => chars.splice(at..at, piece.chars()).for_each(drop),
                None if at < chars.len() => drop(chars.remove(at)),
                None => {}
            }
            text = chars.into_iter().collect();
        }
        text
    })
}

/// What `object::from_slice`, the client's reader, makes of `text` is what the type's
/// serde `Deserialize` makes of it: the same value, or the same error. For the generated
/// types (and `Value`, whose `Deserialize` is serde_json's own) the two readers are the
/// runtime's and serde's; a `Vec<f64>` would compare serde's wording for `f64` with the
/// runtime's, which differ and are not under test.
fn reads_as_serde_reads<T>(text: &str)
where
    T: generated::object::Decode
        + serde::de::DeserializeOwned
        + std::fmt::Debug
        + PartialEq
        + Clone,
{
    let ours = generated::object::from_slice::<T>(text.as_bytes());
    let serde = serde_json::from_str::<T>(text);
    assert_eq!(
        format!("{ours:?}"),
        format!("{serde:?}"),
        "{text:?} as {}",
        std::any::type_name::<T>()
    );
    // `Debug` shows what a value writes; equality also tells apart what writes alike.
    // A copy (the structs' `Clone` goes through their tables) is equal and shows alike.
    if let (Ok(ours), Ok(serde)) = (&ours, &serde) {
        assert!(ours == serde, "{text:?} as {}", std::any::type_name::<T>());
        let copy = ours.clone();
        assert!(copy == *ours, "{text:?} copied");
        assert_eq!(format!("{copy:?}"), format!("{ours:?}"), "{text:?} copied");
    }
}

/// Every text one edit away from a body (each piece inserted at each place, each
/// character removed) reads as serde reads it: the edits random texts rarely make, such
/// as a comma before a `}`, made for certain.
#[test]
fn every_text_one_edit_from_a_body_reads_as_serde_reads() {
    use generated::types::{AnyDeviceConfiguration, CartToClassAssociation, GeoCoordinates};
    let body = r##"{"@odata.type":"#microsoft.graph.iosCustomConfiguration","id":"a\"é","version":-1,"roleScopeTagIds":["x",null],"latitude":1.5e2,"extra":{"n":[true,false]}}"##;
    let chars: Vec<char> = body.chars().collect();
    let mut texts = Vec::new();
    for at in 0..=chars.len() {
        for piece in PIECES {
            texts.push(
                chars[..at]
                    .iter()
                    .chain(piece.chars().collect::<Vec<_>>().iter())
                    .chain(&chars[at..])
                    .collect::<String>(),
            );
        }
        if at < chars.len() {
            texts.push(
                chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != at)
                    .map(|(_, c)| c)
                    .collect(),
            );
        }
    }
    for text in &texts {
        reads_as_serde_reads::<CartToClassAssociation>(text);
        reads_as_serde_reads::<AnyDeviceConfiguration>(text);
        reads_as_serde_reads::<GeoCoordinates>(text);
        reads_as_serde_reads::<serde_json::Value>(text);
    }
}

/// The inputs that once made a reader panic, read first on every run.
#[test]
fn kept_inputs_read_without_panic() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-seeds/runtime");
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let body = std::fs::read(entry.path()).unwrap();
        for status in [200, 201, 202, 302, 400] {
            read_everything(status, &Some("https://x.test/m".to_owned()), &body);
        }
    }
}

/// The long run: random responses for `FUZZ_SECONDS`, each failure kept as a seed.
#[test]
#[ignore = "a long run, by hand: FUZZ_SECONDS=1800"]
fn long_run() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runner = TestRunner::new(Config::default());
    let strategy = response();
    let mut cases = 0u64;
    let mut failures = 0u64;
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-seeds/runtime");
    while Instant::now() < deadline {
        let (status, location, body) = strategy.new_tree(&mut runner).unwrap().current();
        cases += 1;
        if catch_unwind(AssertUnwindSafe(|| {
            read_everything(status, &location, &body)
        }))
        .is_err()
        {
            failures += 1;
            std::fs::create_dir_all(&seeds).unwrap();
            std::fs::write(seeds.join(format!("panic-{cases}.bin")), &body).unwrap();
        }
    }
    println!("runtime fuzz: {cases} responses in {seconds} s, {failures} panics");
    assert_eq!(failures, 0);
}

/// One loopback server for the readers behind the client: it answers every request
/// with the status and body the current case put in `ANSWER`.
struct Loopback {
    runtime: tokio::runtime::Runtime,
    base: String,
    answer: std::sync::Arc<std::sync::Mutex<(u16, Vec<u8>)>>,
}

fn loopback() -> &'static Loopback {
    static LOOPBACK: std::sync::OnceLock<Loopback> = std::sync::OnceLock::new();
    LOOPBACK.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let answer: std::sync::Arc<std::sync::Mutex<(u16, Vec<u8>)>> = Default::default();
        let serving = answer.clone();
        let base = runtime.block_on(async move {
            let server = wiremock::MockServer::start().await;
            wiremock::Mock::given(wiremock::matchers::any())
                .respond_with(move |_: &wiremock::Request| {
                    let (status, body) = serving.lock().unwrap().clone();
                    wiremock::ResponseTemplate::new(status).set_body_raw(body, "application/json")
                })
                .mount(&server)
                .await;
            let base = format!("{}/v1.0", server.uri());
            // The server lives as long as the program.
            std::mem::forget(server);
            base
        });
        Loopback {
            runtime,
            base,
            answer,
        }
    })
}

/// An error answer and a batch answer with `body`, read through the client: a typed
/// error or typed results, never a panic.
fn client_reads(status: u16, body: &[u8]) {
    let loopback = loopback();
    *loopback.answer.lock().unwrap() = (status, body.to_vec());
    let client = generated::client::Client::with_base_url(
        &loopback.base,
        generated::client::StaticToken::new("t"),
    )
    .unwrap()
    .retry(generated::client::Retry::never());
    loopback.runtime.block_on(async {
        let carts = || api().device_management().cart_to_class_associations();
        if let Err(generated::client::ClientError::Api(error)) =
            client.send(carts().id("1").get()).await
        {
            assert_eq!(error.status.as_u16(), status);
            let _ = error.to_string();
        }
        let mut batch = generated::client::Batch::new();
        let one = batch.add(carts().id("1").get());
        let list = batch.add(carts().list());
        let gone = batch.add_after(carts().id("2").delete(), &[one.id()]);
        if let Ok(mut results) = client.send_batch(batch).await {
            let _ = results.take(one);
            let _ = results.take(list);
            let _ = results.take(gone);
        }
    });
}

/// A batch answer as a server could send it: entries with ids, statuses, headers and
/// bodies, some of them the requests' and some not.
fn batch_answer() -> impl Strategy<Value = Vec<u8>> {
    let entry = (
        prop_oneof![Just(serde_json::json!("0")), Just(serde_json::json!("1")), Just(serde_json::json!("2")), Just(serde_json::json!(7)), Just(serde_json::json!("x"))],
        prop_oneof![Just(200u16), Just(204), Just(404), Just(424), Just(429), 0u16..1000],
        prop::option::of(json()),
        json(),
    )
        .prop_map(|(id, status, headers, body)| {
            serde_json::json!({ "id": id, "status": status, "headers": headers, "body": body })
        });
    prop_oneof![
        3 => prop::collection::vec(entry, 0..5)
            .prop_map(|responses| serde_json::to_vec(&serde_json::json!({ "responses": responses })).unwrap()),
        1 => json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn error_and_batch_answers_read_without_panic(
        status in prop_oneof![Just(200u16), Just(400), Just(404), Just(500), 200u16..600],
        body in batch_answer(),
    ) {
        client_reads(status, &body);
    }
}
