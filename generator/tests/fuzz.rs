//! Property tests on the page parser: for any input, no panic; for inputs that yield a
//! model, the emitted code parses as Rust (emission parses every file with syn). Inputs
//! are pages built from the pieces docs are made of, seed pages with bytes changed, and
//! raw bytes.
//!
//! `cargo test -p generator --test fuzz` runs a few hundred cases. For a long run:
//! `FUZZ_SECONDS=1800 cargo test --release -p generator --test fuzz -- --ignored --nocapture`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

const SEEDS: [&str; 3] = [
    include_str!("fuzz-seeds/api-update.md"),
    include_str!("fuzz-seeds/resource.md"),
    include_str!("fuzz-seeds/enum.md"),
];

fn json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| n.to_string()),
        "[a-zA-Z0-9 :.\\-\"\\\\]{0,12}".prop_map(|s| format!("{s:?}")),
        Just("\"2017-01-01T00:02:43.5775965-08:00\"".to_owned()),
        Just("...".to_owned()),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5)
                .prop_map(|items| format!("[{}]", items.join(", "))),
            prop::collection::vec(("[@a-zA-Z.#]{1,10}", inner), 0..5).prop_map(|fields| {
                let fields: Vec<String> = fields
                    .into_iter()
                    .map(|(k, v)| format!("{k:?}: {v}"))
                    .collect();
                format!("{{{}}}", fields.join(",\n"))
            }),
        ]
    })
}

/// One line or block of the kinds docs are made of.
fn fragment() -> impl Strategy<Value = String> {
    let heading = (
        1..7usize,
        prop::sample::select(vec![
            "HTTP request",
            "Request body",
            "Response",
            "Properties",
            "Relationships",
            "Members",
            "Permissions",
            "Prerequisites",
            "Example",
            "Examples",
            "state values",
            "JSON representation",
            "Function parameters",
            "[HTTP](#tab/http)",
        ]),
    )
        .prop_map(|(level, text)| format!("{} {text}\n", "#".repeat(level)));
    let method = prop::sample::select(vec![
        "GET", "POST", "PATCH", "PUT", "DELETE", "get", "FETCH",
    ]);
    let path = "(/[a-zA-Z{}()'=:|<> .\\\\-]{0,12}){0,5}(\\?[a-z$=&]{0,8})?";
    prop_oneof![
        Just("---\n".to_owned()),
        prop::sample::select(vec![
            "apiPageType",
            "resourcePageType",
            "enumPageType",
            "conceptualPageType",
            "x"
        ])
        .prop_map(|t| format!("doc_type: {t}\n")),
        "title: \"?[^\\n]{0,20}\"?\n",
        "ms.prod: [a-z\\-]{0,10}\n",
        heading,
        "(\\|[^\\n|]{0,12}){0,6}\\|?\n",
        Just("|:---|:---|:---|\n".to_owned()),
        Just("|Property|Type|Description|\n".to_owned()),
        "\\|[a-zA-Z@.#_\\-]{0,10}\\|(String|Int32|Boolean|DateTimeOffset|[a-z]{1,8} collection|Collection\\([a-zA-Z.]{1,10}\\))\\|[^\\n|]{0,10}\\|\n",
        prop::sample::select(vec![
            "```http\n",
            "```\n",
            "```json\n",
            "``` http\n",
            "~~~\n",
            "```msgraph-interactive\n"
        ])
        .prop_map(str::to_owned),
        (method.clone(), path).prop_map(|(m, p)| format!("{m} {p}\n")),
        (method, path).prop_map(|(m, p)| format!("{m} https://graph.microsoft.com/beta{p}\n")),
        "HTTP/1.1 [0-9]{3} [A-Za-z ]{0,10}\n",
        "[A-Za-z\\-]{1,14}: [ -~]{0,20}\n",
        json().prop_map(|j| j + "\n"),
        "<!-- \\{ \"blockType\": \"(request|response|ignored)\"(, \"name\": \"[a-z_]{1,8}\")?,? \\} -->\n",
        "(Inherits from|returns a) \\[[a-zA-Z]{1,8}\\]\\(\\.\\./resources/[a-z]{1,8}\\.md\\)( collection)?\\.\n",
        "[^\\n]{0,40}\n",
        Just("\n".to_owned()),
    ]
}

fn page() -> impl Strategy<Value = Vec<u8>> {
    let built =
        prop::collection::vec(fragment(), 0..50).prop_map(|parts| parts.concat().into_bytes());
    let mutated = (
        prop::sample::select(SEEDS.to_vec()),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..20),
    )
        .prop_map(|(seed, edits)| {
            let mut bytes = seed.as_bytes().to_vec();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                match byte % 3 {
                    0 => bytes[i] = byte,
                    1 => bytes.insert(i, byte),
                    _ => {
                        bytes.remove(i);
                    }
                }
            }
            bytes
        });
    let raw = prop::collection::vec(any::<u8>(), 0..2000);
    prop_oneof![4 => built, 4 => mutated, 1 => raw]
}

/// The property: reading the pages (with the seed resource and enum beside them) does
/// not panic, and what the model yields emits as code that parses.
fn check(api: &[u8], resource: &[u8]) {
    let pages: [(&str, &[u8]); 4] = [
        ("api/fuzzed.md", api),
        ("resources/fuzzed.md", resource),
        (
            "resources/intune-deviceconfig-carttoclassassociation.md",
            SEEDS[1].as_bytes(),
        ),
        ("resources/result.md", SEEDS[2].as_bytes()),
    ];
    let understood = generator::understand_pages(&pages);
    let files = generator::emit::emit(&understood.model, Default::default(), &|_, _| None);
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        if let Err(error) = syn::parse_file(&file.contents) {
            panic!("{}: emitted code does not parse: {error}", file.path);
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: 200, ..Config::default() })]
    #[test]
    fn pages_never_panic_and_emit_parsing_code(api in page(), resource in page()) {
        check(&api, &resource);
    }
}

/// A time-bounded run that counts executions and keeps going after a failure, saving
/// each failing input under target/fuzz-failures/.
#[test]
#[ignore = "long run: set FUZZ_SECONDS"]
fn fuzz_for_a_while() {
    let seconds: u64 = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let failures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-failures");
    let mut runner = TestRunner::new(Config::default());
    let strategy = (page(), page());
    let (mut runs, mut failed) = (0u64, 0u64);
    std::panic::set_hook(Box::new(|_| {}));
    while Instant::now() < deadline {
        let (api, resource) = strategy.new_tree(&mut runner).expect("strategy").current();
        runs += 1;
        if catch_unwind(AssertUnwindSafe(|| check(&api, &resource))).is_err() {
            failed += 1;
            std::fs::create_dir_all(&failures).unwrap();
            std::fs::write(failures.join(format!("{runs}-api.md")), &api).unwrap();
            std::fs::write(failures.join(format!("{runs}-resource.md")), &resource).unwrap();
        }
    }
    let _ = std::panic::take_hook();
    println!("fuzz: {runs} executions in {seconds} s, {failed} failures");
    assert_eq!(failed, 0, "failing inputs are in {}", failures.display());
}
