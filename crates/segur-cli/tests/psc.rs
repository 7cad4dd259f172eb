//! `segur psc discover|ciba|verify-id-token`, run as a user would, against the loopback
//! `oidc-provider` of segur-psc (started and killed by each test; `node` and the npm package
//! are required, see `.ci/run`).

#[path = "../../segur-psc/tests/common/mod.rs"]
mod common;

use std::process::{Command, Output};
use std::time::Duration;

use common::{OidcProvider, http1};
use segur_psc::{CibaRequest, ClientAuth, ClientConfig, Environment, PscClient, Secret};
use segur_transport::{HttpRequest, HttpResponse, SystemClock, SystemRandomness, TransportError};

fn segur(args: &[&str], secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_segur"));
    cmd.args(args).env_remove("PSC_CLIENT_SECRET");
    if let Some(s) = secret {
        cmd.env("PSC_CLIENT_SECRET", s);
    }
    cmd.output().expect("the segur binary runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "segur failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn discover_prints_the_checked_document_and_findings() {
    let p = OidcProvider::start(&[]);
    let v = json(&segur(&["psc", "discover", &p.issuer], None));
    assert_eq!(v["metadata"]["issuer"], p.issuer.as_str());
    assert!(
        v["discovery_url"]
            .as_str()
            .unwrap()
            .ends_with("/.well-known/wallet-openid-configuration")
    );
    assert!(
        v["metadata"]["authorization_endpoint"]
            .as_str()
            .unwrap()
            .starts_with("http://localhost:")
    );
    assert!(
        v["findings"][0]
            .as_str()
            .unwrap()
            .contains("AuthorizationOnAnotherHost")
    );
    let std = json(&segur(
        &["psc", "discover", "--standard-discovery", &p.issuer],
        None,
    ));
    assert!(std["findings"].as_array().unwrap().is_empty());
    let bad = segur(&["psc", "discover", &format!("{}-nope", p.issuer)], None);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("discovery endpoint"));
}

#[test]
fn ciba_prints_the_validated_userinfo() {
    let p = OidcProvider::start(&[]);
    let args = [
        "psc",
        "ciba",
        "--issuer",
        &p.issuer,
        "--client-id",
        "test-lps",
        "--login-hint",
        "899700218896",
        "--binding-message",
        "07",
        "--channel",
        "mobile",
    ];
    let out = segur(&args, Some("test-secret"));
    let v = json(&out);
    assert_eq!(v["SubjectNameID"], "899700218896");
    assert_eq!(v["SubjectRefPro"]["exercices"][0]["codeProfession"], "10");
    assert_eq!(v["Secteur_Activite"], "SA07^1.2.250.1.71.4.2.4");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("binding message 07"), "{stderr}");
    // A wrong secret: a typed error, and the secret is not printed.
    let out = segur(&args, Some("not-the-secret"));
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid_client") && !stderr.contains("not-the-secret"),
        "{stderr}"
    );
    let mut bad_message = args;
    bad_message[9] = "123";
    let out = segur(&bad_message, Some("test-secret"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binding_message"));
}

#[test]
fn verify_id_token_accepts_genuine_tokens_only() {
    let p = OidcProvider::start(&[]);
    type T = fn(HttpRequest) -> Result<HttpResponse, TransportError>;
    let c = PscClient::discover(
        &Environment::loopback(p.issuer.as_str()),
        ClientConfig::new(
            "test-lps",
            ClientAuth::SecretBasic(Secret::new("test-secret")),
        ),
        http1 as T,
        SystemClock::default(),
        SystemRandomness::new(),
    )
    .unwrap();
    let mut pending = c
        .ciba_start(&CibaRequest::new("899700218896").unwrap())
        .unwrap();
    let tokens = c
        .ciba_wait(&mut pending, |_| {
            std::thread::sleep(Duration::from_millis(400));
        })
        .unwrap();
    let token = tokens.id_token.unwrap().raw.expose().to_owned();

    let base = [
        "psc",
        "verify-id-token",
        "--issuer",
        &p.issuer,
        "--client-id",
        "test-lps",
    ];
    let mut args = base.to_vec();
    args.push(&token);
    let v = json(&segur(&args, None));
    assert_eq!(v["alg"], "ES256");
    assert_eq!(v["claims"]["SubjectNameID"], "899700218896");
    assert_eq!(v["claims"]["acr"], "eidas1");

    // a character inside the signature: the last one carries only 2 bits of it, and changing
    // its padding bits would fail base64 decoding instead of the signature check
    let at = token.rfind('.').unwrap() + 10;
    let mut tampered = token.clone();
    let was = tampered.remove(at);
    tampered.insert(at, if was == 'A' { 'B' } else { 'A' });
    let mut args = base.to_vec();
    args.push(&tampered);
    let out = segur(&args, None);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid ES256 signature"), "{stderr}");
    assert!(!stderr.contains(&tampered[..40]), "the token is echoed");
    let mut args = base.to_vec();
    args[5] = "test-lps-rs";
    args.push(&token);
    let out = segur(&args, None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("claim `aud`"));
}
