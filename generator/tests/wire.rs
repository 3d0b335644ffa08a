//! The wire forms the generated crate reads and writes (`src/wire.rs` there, compiled
//! here as `generator::wire`).

use generator::wire::{Binary, Decimal, Duration, Flags, Nullable, WireEnum};

#[derive(Debug, PartialEq)]
enum Access {
    Read,
    Write,
    Undocumented(String),
}

impl WireEnum for Access {
    fn as_str(&self) -> &str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
            Access::Undocumented(value) => value,
        }
    }
    fn from_wire(value: &str) -> Self {
        match value {
            "read" => Access::Read,
            "write" => Access::Write,
            other => Access::Undocumented(other.to_owned()),
        }
    }
}

#[derive(Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
struct Patch {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    name: Nullable<String>,
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    size: Nullable<i64>,
}

#[test]
fn nullable_tells_absent_null_and_set_apart() {
    let patch: Patch = serde_json::from_str(r#"{"name": null, "size": 9007199254740993}"#).unwrap();
    assert_eq!(patch.name, Nullable::Null);
    assert_eq!(patch.size, Nullable::Value(9_007_199_254_740_993));
    assert_eq!(patch.size.get(), Some(&9_007_199_254_740_993));
    assert_eq!(
        serde_json::to_string(&patch).unwrap(),
        r#"{"name":null,"size":9007199254740993}"#
    );
    let untouched = Patch::default();
    assert!(untouched.name.is_absent());
    assert_eq!(serde_json::to_string(&untouched).unwrap(), "{}");
}

#[test]
fn flags_split_and_join_on_commas() {
    let flags: Flags<Access> = serde_json::from_str(r#""read, write,execute""#).unwrap();
    assert_eq!(
        flags.0,
        [
            Access::Read,
            Access::Write,
            Access::Undocumented("execute".into())
        ]
    );
    assert!(flags.contains(&Access::Write));
    assert_eq!(
        serde_json::to_string(&flags).unwrap(),
        r#""read,write,execute""#
    );
}

#[test]
fn binary_reads_both_alphabets_and_writes_standard_padded() {
    assert_eq!(
        Binary::decode("cGF5bG9hZA==").unwrap().as_bytes(),
        b"payload"
    );
    assert_eq!(Binary::decode("cGF5bG9hZA").unwrap().as_bytes(), b"payload");
    assert_eq!(Binary::decode("-_8").unwrap().as_bytes(), [0xfb, 0xff]);
    assert_eq!(Binary(vec![0xfb, 0xff]).encode(), "+/8=");
    let error = serde_json::from_str::<Binary>(r#""binary data""#).unwrap_err();
    assert!(
        error.to_string().contains("not a valid Edm.Binary"),
        "{error}"
    );
}

#[test]
fn decimal_keeps_its_digits_and_its_form() {
    let quoted: Decimal = serde_json::from_str(r#""12345678901234567890.123456789""#).unwrap();
    assert_eq!(quoted.as_str(), "12345678901234567890.123456789");
    assert_eq!(
        serde_json::to_string(&quoted).unwrap(),
        r#""12345678901234567890.123456789""#
    );
    let number: Decimal = serde_json::from_str("4.25").unwrap();
    assert_eq!((number.as_str(), number.to_f64()), ("4.25", 4.25));
    assert_eq!(serde_json::to_string(&number).unwrap(), "4.25");
    assert_eq!(
        serde_json::to_string(&serde_json::from_str::<Decimal>("7").unwrap()).unwrap(),
        "7"
    );
    for bad in ["", "1.", ".5", "1e", "one", "1.2.3"] {
        assert!(Decimal::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn duration_reads_iso_8601() {
    let cases = [
        ("PT0S", Some((0, 0))),
        ("P1DT2H3M4.5S", Some((93_784, 500_000_000))),
        ("P2W", Some((1_209_600, 0))),
        ("PT0.0000001S", Some((0, 100))),
        ("-PT5M", None),
        ("P1Y2M", None),
    ];
    for (text, std) in cases {
        let duration = Duration::parse(text).unwrap();
        assert_eq!(duration.as_str(), text);
        let expected = std.map(|(s, n)| std::time::Duration::new(s, n));
        assert_eq!(duration.to_std(), expected, "{text}");
    }
    for bad in [
        "", "P", "PT", "1D", "P1H", "PT1D", "P1.5D", "PTS", "P1DT", "02:00:00",
    ] {
        assert!(Duration::parse(bad).is_err(), "{bad:?}");
    }
}
