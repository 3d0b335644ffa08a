//! How the generated crate reads and writes its structs and `AnyX` enums through their
//! field tables (`src/object.rs` there): the cases the docs' examples do not show.

use generated::Nullable;
use generated::types::{AnyDeviceConfiguration, CartToClassAssociation, IosCustomConfiguration};

fn read<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap()
}

#[test]
fn odata_type_after_other_properties_still_picks_the_variant() {
    let value: AnyDeviceConfiguration = read(
        r##"{"@odata.etag": "W/1", "displayName": "Wi-Fi", "payloadName": "p", "futureSetting": 1,
            "@odata.type": "#microsoft.graph.iosCustomConfiguration", "version": 3}"##,
    );
    let AnyDeviceConfiguration::IosCustomConfiguration(ios) = &value else {
        panic!("read as {value:?}");
    };
    // What was read into the base type before `@odata.type` moved to the variant.
    assert_eq!(ios.display_name, Nullable::Value("Wi-Fi".to_owned()));
    assert_eq!(ios.payload_name, Nullable::Value("p".to_owned()));
    assert_eq!(ios.version, Nullable::Value(3));
    let extra: Vec<&str> = ios
        .additional_properties
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(extra, ["@odata.etag", "futureSetting"]);
    // Written back, `@odata.type` comes first.
    let written = serde_json::to_string(&value).unwrap();
    assert!(
        written.starts_with(r##"{"@odata.type":"#microsoft.graph.iosCustomConfiguration""##),
        "{written}"
    );
}

#[test]
fn a_derived_value_built_in_code_says_what_it_is() {
    let value: AnyDeviceConfiguration = IosCustomConfiguration {
        display_name: "Wi-Fi".to_owned().into(),
        ..Default::default()
    }
    .into();
    let written = serde_json::to_value(&value).unwrap();
    assert_eq!(
        written,
        serde_json::json!({"@odata.type": "#microsoft.graph.iosCustomConfiguration", "displayName": "Wi-Fi"})
    );
}

#[test]
fn nulls_absent_properties_and_unknown_keys_round_trip() {
    let json = r#"{"displayName":null,"classroomIds":["a","b"],"nested":{"kept":[1,2]}}"#;
    let cart: CartToClassAssociation = read(json);
    assert!(cart.display_name.is_null());
    assert!(cart.description.is_absent());
    assert_eq!(
        cart.classroom_ids,
        Nullable::Value(vec!["a".to_owned(), "b".to_owned()])
    );
    let back: serde_json::Value = serde_json::to_value(&cart).unwrap();
    assert_eq!(
        back,
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
    // Equality compares every field and the undocumented properties.
    let mut other = cart.clone();
    assert_eq!(cart, other);
    other.additional_properties.clear();
    assert_ne!(cart, other);
}

#[test]
fn a_value_of_the_wrong_type_is_an_error_that_names_the_place() {
    let error = serde_json::from_str::<CartToClassAssociation>(r#"{"version": "three"}"#)
        .unwrap_err()
        .to_string();
    assert!(error.contains("line 1 column"), "{error}");
    let list = generated::api()
        .device_management()
        .device_configurations()
        .list();
    let response = http::Response::new(br#"{"value": [{"version": true}]}"#.to_vec());
    assert!(list.parse_response(response).is_err());
}

#[test]
fn a_key_given_twice_keeps_the_last_value() {
    let cart: CartToClassAssociation = read(r#"{"displayName": "a", "displayName": "b"}"#);
    assert_eq!(cart.display_name, Nullable::Value("b".to_owned()));
}

/// The runtime writes date-times itself (for speed); it must write what chrono's
/// `Serialize` writes, for every instant and offset.
mod date_times {
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone as _};
    use generated::object::{Encode as _, serialize_view};
    use proptest::prelude::*;

    fn ours(value: &DateTime<FixedOffset>) -> String {
        let mut out = Vec::new();
        serialize_view(value.view(), &mut serde_json::Serializer::new(&mut out)).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn at(seconds: i64, nanos: u32, offset_seconds: i32) -> DateTime<FixedOffset> {
        let offset = FixedOffset::east_opt(offset_seconds).unwrap();
        offset.timestamp_opt(seconds, nanos).unwrap()
    }

    #[test]
    fn edge_cases_are_written_as_chrono_writes_them() {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 1_500_000_000)
            .unwrap()
            .and_utc()
            .fixed_offset();
        for value in [
            at(0, 0, 0),
            at(1_600_000_000, 120_000_000, 19_800),
            at(1_600_000_000, 123_456_000, -28_800),
            at(1_600_000_000, 123_456_789, 3_600),
            at(-62_135_596_800, 0, 0), // year 1
            at(253_402_300_799, 1, 0), // the last second of 9999
            at(253_402_300_800, 0, 0), // year 10000
            at(-62_167_219_200, 0, 0), // year 0
            at(-62_198_755_200, 0, 0), // year -1
            at(1_600_000_000, 0, 45),  // an offset with seconds
            leap,
        ] {
            assert_eq!(
                ours(&value),
                serde_json::to_string(&value).unwrap(),
                "{value:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn any_instant_and_offset_is_written_as_chrono_writes_it(
            seconds in -70_000_000_000i64..260_000_000_000,
            nanos in prop_oneof![Just(0u32), (0u32..1000).prop_map(|n| n * 1_000_000), (0u32..1_000_000).prop_map(|n| n * 1000), 0u32..1_000_000_000],
            offset_minutes in -1439i32..1440,
        ) {
            let value = at(seconds, nanos, offset_minutes * 60);
            prop_assert_eq!(ours(&value), serde_json::to_string(&value).unwrap());
        }
    }
}

#[test]
fn the_runtime_writer_writes_what_serde_json_writes() {
    let empty: AnyDeviceConfiguration = IosCustomConfiguration::default().into();
    let named: AnyDeviceConfiguration = IosCustomConfiguration {
        odata_type: Some("#microsoft.graph.iosCustomConfiguration".to_owned()),
        display_name: "Wi-Fi \"home\"\n".to_owned().into(),
        version: Nullable::Null,
        ..Default::default()
    }
    .into();
    let read: AnyDeviceConfiguration = read(
        r##"{"displayName": "Wi-Fi", "futureSetting": {"a": [1, 2.5, null]},
            "@odata.type": "#microsoft.graph.iosCustomConfiguration", "version": 3}"##,
    );
    for value in [&empty, &named, &read] {
        let own = generated::object::to_vec(value).unwrap();
        assert_eq!(
            String::from_utf8(own).unwrap(),
            serde_json::to_string(value).unwrap()
        );
    }
    // A derived type with nothing set still says what it is.
    assert_eq!(
        generated::object::to_vec(&empty).unwrap(),
        br##"{"@odata.type":"#microsoft.graph.iosCustomConfiguration"}"##
    );
}

/// A copy holds every field that was written (nulls and nested values included) and the
/// undocumented properties, and is a value of its own.
#[test]
fn a_copy_is_equal_and_its_own() {
    let item: generated::types::DriveItem = read(
        r#"{"id":"1","createdBy":{"user":{"displayName":"Ada"}},"name":null,"size":7,"extra":[1]}"#,
    );
    let mut copy = item.clone();
    assert_eq!(copy, item);
    assert_eq!(
        serde_json::to_value(&copy).unwrap(),
        serde_json::to_value(&item).unwrap()
    );
    assert!(copy.name.is_null() && copy.description.is_absent());
    assert_eq!(copy.additional_properties["extra"], serde_json::json!([1]));
    let Nullable::Value(created_by) = &mut copy.created_by else {
        panic!("createdBy not copied: {copy:?}");
    };
    created_by.user = Nullable::Null;
    assert_ne!(copy, item);
    assert_eq!(
        format!("{:?}", item.created_by),
        r#"Value(IdentitySet { user: {displayName: "Ada"} })"#
    );
}

/// `{:?}` shows what a value would write, nested values included, by wire name; `{:#?}`
/// indents it as a derived `Debug` would be.
#[test]
fn debug_shows_what_a_value_writes() {
    let item: generated::types::DriveItem = read(
        r#"{"id":"1","createdBy":{"user":{"displayName":"Ada"}},"name":null,"extra":[1,{"a":"b\n"}]}"#,
    );
    assert_eq!(
        format!("{item:?}"),
        r#"DriveItem { createdBy: {user: {displayName: "Ada"}}, id: "1", name: null, extra: [1, {a: "b\n"}] }"#
    );
    let configuration: AnyDeviceConfiguration = IosCustomConfiguration {
        version: Nullable::Value(2),
        ..Default::default()
    }
    .into();
    assert_eq!(
        format!("{configuration:#?}"),
        "AnyDeviceConfiguration {\n    @odata.type: \"#microsoft.graph.iosCustomConfiguration\",\n    version: 2,\n}"
    );
}
