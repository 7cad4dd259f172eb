//! Integration tests against a real OpenID provider on loopback: npm `oidc-provider`, shaped
//! like Pro Santé Connect (see `tests/oidc-provider/server.mjs`). The provider is started by each
//! test on a free port and killed at the end; a missing `node` or npm package fails the test.

mod common;

use std::time::Duration;

use common::{OidcProvider, follow_until, http1};
use segur_psc::{
    Algorithm, CibaChannel, CibaRequest, ClaimProblem, ClientAuth, ClientConfig, DiscoveryFinding,
    Endpoint, Environment, Error, NationalIdKind, PscClient, Secret, SigningKey, TokenExchange,
};
use segur_transport::{
    FixedClock, HttpRequest, HttpResponse, SystemClock, SystemRandomness, TransportError,
};

type Transport = fn(HttpRequest) -> Result<HttpResponse, TransportError>;
type Client = PscClient<Transport, SystemClock, SystemRandomness>;

const REDIRECT: &str = "http://127.0.0.1:8765/cb";
const RPPS: &str = "899700218896";

fn client(provider: &OidcProvider, id: &str, auth: ClientAuth) -> Client {
    let config = ClientConfig::new(id, auth)
        .with_redirect_uri(REDIRECT)
        .with_jwks_min_refresh(Duration::ZERO);
    PscClient::discover(
        &Environment::loopback(provider.issuer.as_str()),
        config,
        http1 as Transport,
        SystemClock::default(),
        SystemRandomness::new(),
    )
    .expect("discovery of the loopback provider")
}

fn basic(secret: &str) -> ClientAuth {
    ClientAuth::SecretBasic(Secret::new(secret))
}

/// The code flow, headless: authorization URL, the provider's (auto-approving) login and
/// consent, the callback, the code exchange.
fn code_flow(client: &Client) -> segur_psc::Tokens {
    let (url, pending) = client.authorization_url(&[("login_hint", RPPS)]).unwrap();
    let callback = follow_until(&url, REDIRECT);
    client
        .complete_authorization(&pending, &callback)
        .expect("code flow")
}

fn ciba(client: &Client) -> segur_psc::Tokens {
    let request = CibaRequest::new(RPPS)
        .unwrap()
        .with_binding_message(&client.random_binding_message())
        .unwrap()
        .with_channel(CibaChannel::Mobile);
    let mut pending = client.ciba_start(&request).expect("CIBA start");
    client
        .ciba_wait(&mut pending, |_| {
            std::thread::sleep(Duration::from_millis(400));
        })
        .expect("CIBA approved")
}

fn es256_client_key() -> SigningKey {
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng,
    )
    .unwrap();
    SigningKey::from_pkcs8_der(
        Algorithm::Es256,
        pkcs8.as_ref(),
        Some("client-key-1".into()),
    )
    .unwrap()
}

#[test]
fn discovery_uses_the_wallet_document_and_reports_the_split_host() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));
    let meta = c.metadata();
    assert_eq!(meta.issuer, provider.issuer);
    assert!(meta.authorization_endpoint.starts_with("http://localhost:"));
    assert!(
        meta.token_endpoint
            .ends_with("/protocol/openid-connect/token")
    );
    assert!(meta.backchannel_authentication_endpoint.is_some());
    assert!(
        meta.findings()
            .contains(&DiscoveryFinding::AuthorizationOnAnotherHost {
                host: "localhost".into()
            })
    );
    // The standard document is served too, with the authorization endpoint on the issuer host.
    let standard = Environment::Custom {
        issuer: provider.issuer.clone(),
        discovery_path: segur_psc::STANDARD_DISCOVERY_PATH.into(),
        allow_http_loopback: true,
    };
    let meta2 = segur_psc::fetch_metadata(&standard, &http1).unwrap();
    assert!(
        meta2
            .authorization_endpoint
            .starts_with("http://127.0.0.1:")
    );
    // A client that expects another issuer refuses the document.
    let wrong = Environment::loopback(format!("{}-other", provider.issuer));
    assert!(matches!(
        segur_psc::fetch_metadata(&wrong, &http1),
        Err(Error::UnexpectedResponse {
            endpoint: Endpoint::Discovery,
            status: 404,
            ..
        }) | Err(Error::OAuth {
            endpoint: Endpoint::Discovery,
            ..
        })
    ));
    // Plain http is refused unless the environment allows loopback http.
    let strict = Environment::custom(provider.issuer.as_str());
    assert!(matches!(
        segur_psc::fetch_metadata(&strict, &http1),
        Err(Error::Discovery {
            field: "issuer",
            ..
        })
    ));
}

#[test]
fn code_flow_with_pkce_then_userinfo_refresh_introspection_revocation_logout() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));
    let tokens = code_flow(&c);
    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.alg, Algorithm::Es256);
    assert_eq!(id.claims.acr.as_deref(), Some("eidas1"));
    assert_eq!(id.claims.subject_name_id(), Some(RPPS));
    assert!(id.claims.aud.contains(&"test-lps".to_owned()));

    let info = c.userinfo(tokens.access_token(), Some(id)).unwrap();
    let nid = info.national_id().unwrap();
    assert_eq!(
        (nid.kind, nid.rpps()),
        (NationalIdKind::Rpps, Some("99700218896"))
    );
    assert_eq!(info.acces_regulation_medicale, Some(false));
    let situations = info.work_situations();
    assert_eq!(situations.len(), 2);
    assert_eq!(situations[0].key(), "10C");
    let hospital = info.work_situation_in_structure("750000001").unwrap();
    assert_eq!(hospital.activite_index, Some(1));

    let refreshed = c
        .refresh(tokens.refresh_token().unwrap(), Some(id))
        .unwrap();
    assert_ne!(refreshed.access_token(), tokens.access_token());
    if let Some(new_id) = &refreshed.id_token {
        assert_eq!(new_id.claims.sub, id.claims.sub);
    }

    let active = c
        .introspect(refreshed.access_token(), Some("access_token"))
        .unwrap();
    assert!(active.active);
    assert!(active.scopes().contains(&"scope_all"));
    assert_eq!(active.client_id.as_deref(), Some("test-lps"));

    c.revoke(refreshed.access_token(), Some("access_token"))
        .unwrap();
    assert!(!c.introspect(refreshed.access_token(), None).unwrap().active);

    let logout = c
        .logout_url(Some(&id.raw), Some("http://127.0.0.1:8765/bye"), Some("st"))
        .unwrap();
    assert!(
        logout
            .expose()
            .contains("/protocol/openid-connect/logout?client_id=test-lps")
    );
    assert!(logout.expose().contains("id_token_hint="));
    assert_eq!(format!("{logout:?}"), "Secret([redacted])");
}

#[test]
fn code_flow_rejections_state_nonce_pkce_and_code_reuse() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));

    // A forged state is refused before the code is used.
    let (url, pending) = c.authorization_url(&[]).unwrap();
    let callback = follow_until(&url, REDIRECT);
    let mut forged = pending.clone();
    forged.state = Secret::new("forged");
    assert!(matches!(
        c.callback_code(&forged, &callback),
        Err(Error::Callback(segur_psc::CallbackProblem::StateMismatch))
    ));
    // Wrong nonce: the provider issues tokens, the client refuses the ID token.
    let code = c.callback_code(&pending, &callback).unwrap();
    let mut other_nonce = pending.clone();
    other_nonce.nonce = Secret::new("another-nonce");
    let e = c.exchange_code(&other_nonce, &code).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Claim {
                claim: "nonce",
                problem: ClaimProblem::NonceMismatch
            }
        ),
        "{e}"
    );
    // The code was consumed: reuse is refused by the provider.
    let e = c.exchange_code(&pending, &code).unwrap_err();
    assert!(
        matches!(&e, Error::OAuth { error, endpoint: Endpoint::Token, .. } if error == "invalid_grant"),
        "{e}"
    );

    // Wrong PKCE verifier: refused by the provider.
    let (url, pending) = c.authorization_url(&[]).unwrap();
    let callback = follow_until(&url, REDIRECT);
    let mut bad_verifier = pending.clone();
    bad_verifier.code_verifier = Secret::new("x".repeat(43));
    let e = c
        .complete_authorization(&bad_verifier, &callback)
        .unwrap_err();
    assert!(
        matches!(&e, Error::OAuth { error, .. } if error == "invalid_grant"),
        "{e}"
    );
    assert!(!e.to_string().contains(bad_verifier.code_verifier.expose()));
}

#[test]
fn userinfo_as_signed_jwt_and_ps256_id_token_with_client_secret_post() {
    let provider = OidcProvider::start(&[]);
    let c = client(
        &provider,
        "test-lps-jwt",
        ClientAuth::SecretPost(Secret::new("test-secret-jwt")),
    );
    let tokens = code_flow(&c);
    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.alg, Algorithm::Ps256);
    let info = c.userinfo(tokens.access_token(), Some(id)).unwrap();
    assert_eq!(info.subject_name_id.as_deref(), Some(RPPS));
    // A signed userinfo carries iss and aud, kept as extra members after verification.
    assert_eq!(info.other["iss"].as_str(), Some(provider.issuer.as_str()));
    assert_eq!(
        info.exercices()[0].code_savoir_faire.as_deref(),
        Some("SM54")
    );
}

#[test]
fn hs256_id_tokens_use_the_client_secret_and_algorithm_confusion_is_refused() {
    let provider = OidcProvider::start(&[]);
    let secret = "a-client-secret-of-more-than-32-bytes!";
    let c = client(&provider, "test-lps-hs", basic(secret));
    let tokens = code_flow(&c);
    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.alg, Algorithm::Hs256);

    // Another secret: bad signature. No secret at all: HS256 is not acceptable.
    let other = client(
        &provider,
        "test-lps-hs",
        basic("a-different-secret-also-long-enough"),
    );
    assert!(matches!(
        other.verify_id_token(id.raw.expose(), None),
        Err(Error::BadSignature {
            alg: Algorithm::Hs256
        })
    ));
    let no_secret = client(&provider, "test-lps-hs", ClientAuth::TlsClientAuth);
    assert!(matches!(
        no_secret.verify_id_token(id.raw.expose(), None),
        Err(Error::AlgorithmNotAllowed { .. })
    ));

    // The classic confusion: an HS256 token keyed with the provider's RSA public key, naming
    // the RSA key's kid.
    let rs = client(&provider, "test-lps-rs", ClientAuth::None);
    let jwks_json = http1(
        http::Request::get(rs.metadata().jwks_uri.as_str())
            .body(Vec::new())
            .unwrap(),
    )
    .unwrap()
    .into_body();
    let jwks: serde_json::Value = serde_json::from_slice(&jwks_json).unwrap();
    let rsa = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kty"] == "RSA")
        .unwrap();
    let kid = rsa["kid"].as_str().unwrap().to_owned();
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({"iss": provider.issuer, "sub": RPPS, "aud": "test-lps-rs",
        "exp": now + 300, "iat": now, "acr": "eidas1"});
    let forged = SigningKey::hmac(&Secret::new(rsa.to_string()), Some(kid.clone()))
        .sign(claims.to_string().as_bytes(), &serde_json::Map::new())
        .unwrap();
    rs.jwks(false).unwrap();
    let e = rs.verify_id_token(forged.expose(), None).unwrap_err();
    assert!(
        matches!(&e, Error::KeyAlgorithmMismatch { kty: "RSA", alg: Algorithm::Hs256, kid: Some(k) } if *k == kid),
        "{e}"
    );
    // With a client secret configured, the forged MAC does not verify either.
    let rs_secret = client(&provider, "test-lps-rs", basic("test-secret-rs"));
    assert!(matches!(
        rs_secret.verify_id_token(forged.expose(), None),
        Err(Error::BadSignature {
            alg: Algorithm::Hs256
        })
    ));
}

#[test]
fn ciba_poll_then_userinfo_introspection_and_token_exchange() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));
    let request = CibaRequest::new(RPPS)
        .unwrap()
        .with_binding_message("42")
        .unwrap()
        .with_channel(CibaChannel::Card);
    let mut pending = c.ciba_start(&request).unwrap();
    assert_eq!(pending.binding_message.as_deref(), Some("42"));
    // The provider approves after 1.5 s: the first polls are pending.
    let mut polls = 0;
    let tokens = loop {
        std::thread::sleep(Duration::from_millis(300));
        polls += 1;
        match c.ciba_poll(&mut pending).unwrap() {
            segur_psc::CibaPoll::Approved(t) => break *t,
            segur_psc::CibaPoll::Pending | segur_psc::CibaPoll::SlowDown => {}
            other => panic!("unexpected {other:?}"),
        }
        assert!(polls < 50, "CIBA never approved");
    };
    assert!(polls > 1, "the first poll must be authorization_pending");
    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.claims.acr.as_deref(), Some("eidas1"));
    let info = c.userinfo(tokens.access_token(), Some(id)).unwrap();
    assert_eq!(info.family_name.as_deref(), Some("SPECIALISTE0021889"));
    assert!(c.introspect(tokens.access_token(), None).unwrap().active);

    let mut exchange = TokenExchange::access_token(tokens.access_token().clone());
    exchange.scope = Some("openid".into());
    exchange.subject_issuer = Some("psc".into());
    let exchanged = c.token_exchange(&exchange).unwrap();
    assert_eq!(
        exchanged.issued_token_type.as_deref(),
        Some("urn:ietf:params:oauth:token-type:access_token")
    );
    assert!(c.introspect(&exchanged.access_token, None).unwrap().active);
    assert!(!format!("{exchanged:?}").contains(exchanged.access_token.expose()));

    // ciba_wait does the same loop.
    let t2 = ciba(&c);
    assert!(t2.id_token.is_some());
}

#[test]
fn ciba_refusal_and_bad_requests_are_typed_errors() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));
    let mut pending = c.ciba_start(&CibaRequest::new("deny").unwrap()).unwrap();
    let e = c
        .ciba_wait(&mut pending, |_| {
            std::thread::sleep(Duration::from_millis(400));
        })
        .unwrap_err();
    assert!(
        matches!(&e, Error::OAuth { error, .. } if error == "access_denied"),
        "{e}"
    );
    let e = c
        .ciba_start(&CibaRequest::new("nobody").unwrap())
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::OAuth {
                endpoint: Endpoint::BackchannelAuthentication,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        CibaRequest::new(RPPS)
            .unwrap()
            .with_binding_message("123")
            .is_err()
    );
    // A wrong client secret.
    let bad = client(&provider, "test-lps", basic("wrong"));
    let e = bad
        .ciba_start(&CibaRequest::new(RPPS).unwrap())
        .unwrap_err();
    assert!(
        matches!(&e, Error::OAuth { error, .. } if error == "invalid_client"),
        "{e}"
    );
    assert!(!e.to_string().contains("wrong"));
}

#[test]
fn private_key_jwt_client_authentication() {
    let key = es256_client_key();
    let jwks = serde_json::json!({"keys": [key.public_jwk().unwrap()]}).to_string();
    let provider = OidcProvider::start(&[("PSC_TEST_PKJWT_JWKS", jwks.as_str())]);
    let c = client(
        &provider,
        "test-lps-pkjwt",
        ClientAuth::PrivateKeyJwt(Box::new(key)),
    );
    let tokens = code_flow(&c);
    assert!(c.introspect(tokens.access_token(), None).unwrap().active);
    assert!(format!("{:?}", c.config().auth).contains("redacted"));
}

#[test]
fn key_rotation_refetches_the_jwks_and_unknown_kids_are_refused() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps-rs", basic("test-secret-rs"));
    let before = ciba(&c);
    let old = before.id_token.unwrap();
    assert_eq!(old.kid.as_deref(), Some("g1-rsa"));
    assert_eq!(c.jwks(false).unwrap().keys().len(), 2);

    provider.rotate_keys();
    // The client still caches generation 1; the new token's kid makes it fetch again.
    let after = ciba(&c);
    let new = after.id_token.unwrap();
    assert_eq!(new.kid.as_deref(), Some("g2-rsa"));
    assert!(
        c.jwks(false)
            .unwrap()
            .keys()
            .iter()
            .any(|k| k.kid() == Some("g2-rsa"))
    );
    // A generation-1 token names a kid that is gone even after a refresh.
    let e = c.verify_id_token(old.raw.expose(), None).unwrap_err();
    assert!(
        matches!(&e, Error::UnknownKeyId { kid: Some(k) } if k == "g1-rsa"),
        "{e}"
    );
}

#[test]
fn real_tokens_tampered_expired_wrong_audience_alg_none() {
    let provider = OidcProvider::start(&[]);
    let c = client(&provider, "test-lps", basic("test-secret"));
    let tokens = ciba(&c);
    let raw = tokens.id_token.unwrap().raw;
    let raw = raw.expose();
    c.verify_id_token(raw, None)
        .expect("the genuine token verifies");

    // Tampered signature.
    let (rest, sig) = raw.rsplit_once('.').unwrap();
    let mut sig = sig.to_owned();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    sig.replace_range(0..1, flipped);
    assert!(matches!(
        c.verify_id_token(&format!("{rest}.{sig}"), None),
        Err(Error::BadSignature {
            alg: Algorithm::Es256
        })
    ));
    // Tampered payload (acr raised), signature kept.
    let mut parts: Vec<String> = raw.split('.').map(str::to_owned).collect();
    let payload = segur_psc::jose::decode_b64url(&parts[1]).unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&payload).unwrap();
    claims["acr"] = "eidas3".into();
    parts[1] = segur_psc::jose::encode_b64url(claims.to_string().as_bytes());
    assert!(matches!(
        c.verify_id_token(&parts.join("."), None),
        Err(Error::BadSignature { .. })
    ));
    // alg none, same claims.
    let none = format!(
        "{}.{}.",
        segur_psc::jose::encode_b64url(br#"{"alg":"none"}"#),
        parts[1]
    );
    assert!(
        matches!(c.verify_id_token(&none, None), Err(Error::AlgorithmNotAllowed { alg }) if alg == "none")
    );

    // Expired: the same token, checked by a client whose clock is two hours ahead.
    let late = FixedClock::new(chrono::Utc::now() + chrono::TimeDelta::hours(2));
    let late_client = PscClient::new(
        c.metadata().clone(),
        ClientConfig::new("test-lps", basic("test-secret")),
        http1 as Transport,
        late,
        SystemRandomness::new(),
    );
    let e = late_client.verify_id_token(raw, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Claim {
                claim: "exp",
                problem: ClaimProblem::Expired { .. }
            }
        ),
        "{e}"
    );
    // Wrong audience: another client checks it.
    let other = client(&provider, "test-lps-rs", basic("test-secret-rs"));
    let e = other.verify_id_token(raw, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Claim {
                claim: "aud",
                problem: ClaimProblem::AudienceMismatch { .. }
            }
        ),
        "{e}"
    );
    // acr policy above what the provider gives.
    let strict = PscClient::new(
        c.metadata().clone(),
        ClientConfig::new("test-lps", basic("test-secret"))
            .with_acr_policy(segur_psc::AcrPolicy::AtLeast(segur_psc::Acr::Eidas2)),
        http1 as Transport,
        SystemClock::default(),
        SystemRandomness::new(),
    );
    let e = strict.verify_id_token(raw, None).unwrap_err();
    assert!(matches!(e, Error::Claim { claim: "acr", .. }), "{e}");
    assert!(!e.to_string().contains(raw));
}
