//! The protocol's constants: the error and close URIs, and the roles a
//! client announces in HELLO, checked against what autobahn-python 26.10.2
//! defines and sends.

use wamp_types::{HelloMessage, HelloMessageDetails, HelloRoles, Message, close_uri, error_uri, is_uri};

/// The `roles` dict of the HELLO that autobahn-python 26.10.2's client
/// session sends, recorded by running it:
/// `message.Hello("realm1", role.DEFAULT_CLIENT_ROLES).marshal()[2]["roles"]`.
const AUTOBAHN_HELLO_ROLES: &str = r#"{"subscriber": {"features": {"publisher_identification": true, "pattern_based_subscription": true, "subscription_revocation": true, "payload_transparency": true, "payload_encryption_cryptobox": true}}, "publisher": {"features": {"publisher_identification": true, "subscriber_blackwhite_listing": true, "publisher_exclusion": true, "payload_transparency": true, "x_acknowledged_event_delivery": true, "payload_encryption_cryptobox": true}}, "caller": {"features": {"caller_identification": true, "call_canceling": true, "progressive_call_results": true, "payload_transparency": true, "payload_encryption_cryptobox": true}}, "callee": {"features": {"caller_identification": true, "pattern_based_registration": true, "shared_registration": true, "call_canceling": true, "progressive_call_results": true, "registration_revocation": true, "payload_transparency": true, "payload_encryption_cryptobox": true}}}"#;

#[test]
fn the_default_client_roles_are_what_autobahn_announces() {
    let want: serde_json::Value = serde_json::from_str(AUTOBAHN_HELLO_ROLES).unwrap();
    let roles = HelloRoles::DEFAULT_CLIENT;
    // The dict form, and the same roles read back from autobahn's dict.
    let got: serde_json::Value = serde_json::to_value(roles.marshal()).unwrap();
    assert_eq!(got, want);
    assert_eq!(serde_json::from_str::<HelloRoles>(AUTOBAHN_HELLO_ROLES).unwrap(), roles);
    // In a HELLO, as autobahn's session sends it.
    let hello = HelloMessage { realm: Some("realm1".into()), details: HelloMessageDetails::new(HelloRoles::DEFAULT_CLIENT) };
    let sent: serde_json::Value = serde_json::to_value(&hello).unwrap();
    assert_eq!(sent, serde_json::json!([1, "realm1", {"roles": want}]));
    let Message::Hello(back) = serde_json::from_value::<Message>(sent).unwrap() else { panic!("a HELLO") };
    assert_eq!(back, hello);
}

/// autobahn-python 26.10.2's `ApplicationError` class constants, name and
/// value, as `autobahn/wamp/exception.py` defines them.
const AUTOBAHN_APPLICATION_ERRORS: &[(&str, &str)] = &[
    ("INVALID_URI", "wamp.error.invalid_uri"),
    ("INVALID_PAYLOAD", "wamp.error.invalid_payload"),
    ("PAYLOAD_SIZE_EXCEEDED", "wamp.error.payload_size_exceeded"),
    ("NO_SUCH_PROCEDURE", "wamp.error.no_such_procedure"),
    ("PROCEDURE_ALREADY_EXISTS", "wamp.error.procedure_already_exists"),
    ("PROCEDURE_EXISTS_INVOCATION_POLICY_CONFLICT", "wamp.error.procedure_exists_with_different_invocation_policy"),
    ("NO_SUCH_REGISTRATION", "wamp.error.no_such_registration"),
    ("NO_SUCH_SUBSCRIPTION", "wamp.error.no_such_subscription"),
    ("NO_SUCH_SESSION", "wamp.error.no_such_session"),
    ("INVALID_ARGUMENT", "wamp.error.invalid_argument"),
    ("SYSTEM_SHUTDOWN", "wamp.error.system_shutdown"),
    ("CLOSE_REALM", "wamp.error.close_realm"),
    ("GOODBYE_AND_OUT", "wamp.error.goodbye_and_out"),
    ("NOT_AUTHORIZED", "wamp.error.not_authorized"),
    ("AUTHORIZATION_FAILED", "wamp.error.authorization_failed"),
    ("AUTHENTICATION_FAILED", "wamp.error.authentication_failed"),
    ("NO_AUTH_METHOD", "wamp.error.no_auth_method"),
    ("NO_SUCH_REALM", "wamp.error.no_such_realm"),
    ("NO_SUCH_ROLE", "wamp.error.no_such_role"),
    ("NO_SUCH_PRINCIPAL", "wamp.error.no_such_principal"),
    ("CANCELED", "wamp.error.canceled"),
    ("TIMEOUT", "wamp.error.timeout"),
    ("NO_ELIGIBLE_CALLEE", "wamp.error.no_eligible_callee"),
    ("ENC_NO_PAYLOAD_CODEC", "wamp.error.no_payload_codec"),
    ("ENC_TRUSTED_URI_MISMATCH", "wamp.error.encryption.trusted_uri_mismatch"),
    ("ENC_DECRYPT_ERROR", "wamp.error.encryption.decrypt_error"),
    ("TYPE_CHECK_ERROR", "wamp.error.type_check_error"),
];

#[test]
fn every_application_error_constant_of_autobahn_is_an_error_uri() {
    // The constants by their Rust names: a renamed or missing one does not compile.
    let ours = [
        error_uri::INVALID_URI,
        error_uri::INVALID_PAYLOAD,
        error_uri::PAYLOAD_SIZE_EXCEEDED,
        error_uri::NO_SUCH_PROCEDURE,
        error_uri::PROCEDURE_ALREADY_EXISTS,
        error_uri::PROCEDURE_EXISTS_INVOCATION_POLICY_CONFLICT,
        error_uri::NO_SUCH_REGISTRATION,
        error_uri::NO_SUCH_SUBSCRIPTION,
        error_uri::NO_SUCH_SESSION,
        error_uri::INVALID_ARGUMENT,
        error_uri::SYSTEM_SHUTDOWN,
        error_uri::CLOSE_REALM,
        error_uri::GOODBYE_AND_OUT,
        error_uri::NOT_AUTHORIZED,
        error_uri::AUTHORIZATION_FAILED,
        error_uri::AUTHENTICATION_FAILED,
        error_uri::NO_AUTH_METHOD,
        error_uri::NO_SUCH_REALM,
        error_uri::NO_SUCH_ROLE,
        error_uri::NO_SUCH_PRINCIPAL,
        error_uri::CANCELED,
        error_uri::TIMEOUT,
        error_uri::NO_ELIGIBLE_CALLEE,
        error_uri::ENC_NO_PAYLOAD_CODEC,
        error_uri::ENC_TRUSTED_URI_MISMATCH,
        error_uri::ENC_DECRYPT_ERROR,
        error_uri::TYPE_CHECK_ERROR,
    ];
    let want: Vec<&str> = AUTOBAHN_APPLICATION_ERRORS.iter().map(|(_, uri)| *uri).collect();
    assert_eq!(ours.as_slice(), want.as_slice());
    for uri in want {
        assert!(error_uri::ALL.contains(&uri), "{uri} is not in error_uri::ALL");
    }
}

#[test]
fn the_uri_constants_are_uris_each_given_once() {
    for all in [error_uri::ALL, close_uri::ALL] {
        for (i, uri) in all.iter().enumerate() {
            assert!(is_uri(uri, wamp_types::UriRule::Exact), "{uri}");
            assert!(!all[..i].contains(uri), "{uri} twice");
        }
    }
    assert!(error_uri::ALL.iter().all(|u| u.starts_with("wamp.error.")));
    assert!(close_uri::ALL.iter().all(|u| u.starts_with("wamp.close.")));
    assert_eq!(close_uri::NORMAL, wamp_types::CloseDetails::REASON_DEFAULT);
    assert_eq!(close_uri::TRANSPORT_LOST, wamp_types::CloseDetails::REASON_TRANSPORT_LOST);
}

#[test]
fn a_client_matches_the_error_of_an_error_message_against_the_constants() {
    let what = |json: &str| {
        let Message::Error(e) = serde_json::from_str::<Message>(json).unwrap() else { panic!("an ERROR") };
        match e.error.as_str() {
            error_uri::NO_SUCH_PROCEDURE => "no such procedure",
            error_uri::CANCELED => "canceled",
            _ => "an error of the application",
        }
    };
    assert_eq!(what(r#"[8, 48, 1, {}, "wamp.error.no_such_procedure"]"#), "no such procedure");
    assert_eq!(what(r#"[8, 48, 2, {}, "wamp.error.canceled"]"#), "canceled");
    assert_eq!(what(r#"[8, 48, 3, {}, "com.myapp.error.out_of_stock"]"#), "an error of the application");
}
