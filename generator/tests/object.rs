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
    let list = generated::requests::list_device_configurations();
    let response = http::Response::new(br#"{"value": [{"version": true}]}"#.to_vec());
    assert!(list.parse_response(response).is_err());
}

#[test]
fn a_key_given_twice_keeps_the_last_value() {
    let cart: CartToClassAssociation = read(r#"{"displayName": "a", "displayName": "b"}"#);
    assert_eq!(cart.display_name, Nullable::Value("b".to_owned()));
}
