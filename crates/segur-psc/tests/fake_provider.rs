//! The client against an in-process fake provider: deterministic (fixed clock, seeded
//! randomness), so edge cases the real provider cannot be made to produce are tested here:
//! clock-skew edges, `azp`, `at_hash`, `slow_down`, expiry, rate-limited JWKS refresh, request
//! shapes of every client authentication.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use segur_psc::jose::{decode_b64url, encode_b64url};
use segur_psc::{
    Algorithm, CallbackProblem, CibaRequest, ClaimProblem, ClientAuth, ClientConfig, Endpoint,
    Environment, Error, Jwks, ProviderMetadata, PscClient, Secret, SigningKey,
};
use segur_transport::{
    Clock, FixedClock, HttpRequest, HttpResponse, SeededRandomness, TransportError,
};
use serde_json::{Value, json};

const ISS: &str = "https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet";
const T0: i64 = 1_795_000_000;

/// A canned answer: status, content type, body.
type Canned = (u16, &'static str, Vec<u8>);

#[derive(Default)]
struct Fake {
    queued: Mutex<BTreeMap<String, VecDeque<Canned>>>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl Fake {
    fn queue(&self, path: &str, status: u16, ctype: &'static str, body: impl Into<Vec<u8>>) {
        self.queued
            .lock()
            .unwrap()
            .entry(path.to_owned())
            .or_default()
            .push_back((status, ctype, body.into()));
    }

    fn json(&self, path: &str, status: u16, body: Value) {
        self.queue(path, status, "application/json", body.to_string());
    }

    fn handle(&self, req: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = req.uri().path().to_owned();
        self.seen.lock().unwrap().push(req);
        let (status, ctype, body) = self
            .queued
            .lock()
            .unwrap()
            .get_mut(&path)
            .and_then(VecDeque::pop_front)
            .unwrap_or((404, "text/html", b"<h1>not found</h1>".to_vec()));
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", ctype)
            .body(body)
            .unwrap())
    }

    fn count(&self, path: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.uri().path() == path)
            .count()
    }

    fn last_form(&self, path: &str) -> (Option<String>, BTreeMap<String, String>) {
        let seen = self.seen.lock().unwrap();
        let req = seen.iter().rev().find(|r| r.uri().path() == path).unwrap();
        let auth = req
            .headers()
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned());
        let body = String::from_utf8(req.body().clone()).unwrap();
        (auth, form(&body))
    }
}

fn form(s: &str) -> BTreeMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap();
            let dec = |x: &str| {
                let mut out = Vec::new();
                let b = x.as_bytes();
                let mut i = 0;
                while i < b.len() {
                    if b[i] == b'%' {
                        out.push(u8::from_str_radix(&x[i + 1..i + 3], 16).unwrap());
                        i += 3;
                    } else {
                        out.push(b[i]);
                        i += 1;
                    }
                }
                String::from_utf8(out).unwrap()
            };
            (dec(k), dec(v))
        })
        .collect()
}

fn metadata(extra: Value) -> ProviderMetadata {
    let mut doc = json!({
        "issuer": ISS,
        "authorization_endpoint": "https://wallet.bas.psc.esante.gouv.fr/auth",
        "token_endpoint": format!("{ISS}/token"),
        "jwks_uri": format!("{ISS}/certs"),
        "userinfo_endpoint": format!("{ISS}/userinfo"),
        "introspection_endpoint": format!("{ISS}/introspect"),
        "end_session_endpoint": format!("{ISS}/logout"),
        "backchannel_authentication_endpoint": format!("{ISS}/ciba"),
        "authorization_response_iss_parameter_supported": true,
        "mtls_endpoint_aliases": {"token_endpoint": "https://mtls.bas.psc.esante.gouv.fr/token"},
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["ES256", "RS256"],
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    ProviderMetadata::parse(doc.to_string().as_bytes(), &Environment::Sandbox).unwrap()
}

fn es_key(kid: &str) -> SigningKey {
    let rng = ring::rand::SystemRandom::new();
    let pk8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
        &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
        &rng,
    )
    .unwrap();
    SigningKey::from_pkcs8_der(Algorithm::Es256, pk8.as_ref(), Some(kid.into())).unwrap()
}

struct Setup {
    fake: Arc<Fake>,
    key: SigningKey,
    clock: Arc<FixedClock>,
}

type Client = PscClient<
    Box<dyn Fn(HttpRequest) -> Result<HttpResponse, TransportError>>,
    Shared,
    SeededRandomness,
>;

impl Setup {
    fn new() -> Self {
        let key = es_key("k1");
        let fake = Arc::new(Fake::default());
        Self {
            fake,
            key,
            clock: Arc::new(FixedClock::new(
                chrono::DateTime::from_timestamp(T0, 0).unwrap(),
            )),
        }
    }

    fn client_with(&self, config: ClientConfig, meta: ProviderMetadata) -> Client {
        let fake = Arc::clone(&self.fake);
        let transport: Box<dyn Fn(HttpRequest) -> Result<HttpResponse, TransportError>> =
            Box::new(move |r| fake.handle(r));
        PscClient::new(
            meta,
            config,
            transport,
            Shared(Arc::clone(&self.clock)),
            SeededRandomness::new(42),
        )
    }

    fn client(&self) -> Client {
        self.client_with(
            ClientConfig::new(
                "lps",
                ClientAuth::SecretBasic(Secret::new("s3cret wïth spaces")),
            )
            .with_redirect_uri("https://lps.example/cb"),
            metadata(json!({})),
        )
    }

    fn serve_jwks(&self, keys: &[&SigningKey]) {
        let keys: Vec<Value> = keys.iter().map(|k| k.public_jwk().unwrap()).collect();
        self.fake.json(
            "/auth/realms/esante-wallet/certs",
            200,
            json!({ "keys": keys }),
        );
    }

    fn claims(&self) -> Value {
        json!({"iss": ISS, "sub": "f:uuid:899700218896", "aud": "lps", "exp": T0 + 300,
               "iat": T0, "acr": "eidas1", "SubjectNameID": "899700218896"})
    }

    fn sign(&self, claims: &Value) -> String {
        self.key
            .sign(claims.to_string().as_bytes(), &serde_json::Map::new())
            .unwrap()
            .expose()
            .to_owned()
    }
}

/// The test's clock, shared with the client.
struct Shared(Arc<FixedClock>);

impl Clock for Shared {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.now()
    }
}

#[test]
fn authorization_url_is_reproducible_and_carries_pkce_s256() {
    let s = Setup::new();
    let c = s.client();
    let (url, pending) = c.authorization_url(&[("kc_idp_hint", "psc")]).unwrap();
    let again = s
        .client()
        .authorization_url(&[("kc_idp_hint", "psc")])
        .unwrap()
        .0;
    assert_eq!(url, again, "seeded randomness makes the URL reproducible");
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(base, "https://wallet.bas.psc.esante.gouv.fr/auth");
    let q = form(query);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["scope"], "openid scope_all");
    assert_eq!(q["acr_values"], "eidas1");
    assert_eq!(q["redirect_uri"], "https://lps.example/cb");
    assert_eq!(q["kc_idp_hint"], "psc");
    assert_eq!(q["state"], pending.state.expose());
    assert_eq!(q["nonce"], pending.nonce.expose());
    assert_eq!(pending.code_verifier.expose().len(), 43);
    let digest = ring::digest::digest(
        &ring::digest::SHA256,
        pending.code_verifier.expose().as_bytes(),
    );
    assert_eq!(q["code_challenge"], encode_b64url(digest.as_ref()));
    assert_eq!(q["code_challenge_method"], "S256");
    assert!(!format!("{pending:?}").contains(pending.state.expose()));
    // Overriding a parameter the client sets is refused.
    assert!(matches!(
        c.authorization_url(&[("nonce", "x")]),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn callback_parsing() {
    let s = Setup::new();
    let c = s.client();
    let (_, p) = c.authorization_url(&[]).unwrap();
    let st = p.state.expose().to_owned();
    let iss = "https%3A%2F%2Fauth.bas.psc.esante.gouv.fr%2Fauth%2Frealms%2Fesante-wallet";
    let ok = format!("https://lps.example/cb?code=abc&state={st}&iss={iss}");
    assert_eq!(c.callback_code(&p, &ok).unwrap().expose(), "abc");
    assert_eq!(
        c.callback_code(&p, &format!("code=abc&state={st}&iss={iss}"))
            .unwrap()
            .expose(),
        "abc"
    );
    let denied = format!(
        "https://lps.example/cb?error=access_denied&error_description=L%27utilisateur+a+refus%C3%A9&state={st}"
    );
    assert_eq!(
        c.callback_code(&p, &denied).unwrap_err().to_string(),
        "authorization callback: provider returned `access_denied`: L'utilisateur a refusé"
    );
    let cases = [
        (
            format!("?code=abc&state=nope&iss={iss}"),
            CallbackProblem::StateMismatch,
        ),
        (
            format!("?code=abc&iss={iss}"),
            CallbackProblem::StateMismatch,
        ),
        (
            format!("?code=abc&state={st}"),
            CallbackProblem::IssuerMismatch {
                found: String::new(),
            },
        ),
        (
            format!("?code=abc&state={st}&iss=https%3A%2F%2Fevil"),
            CallbackProblem::IssuerMismatch {
                found: "https://evil".into(),
            },
        ),
        (
            format!("?state={st}&iss={iss}"),
            CallbackProblem::MissingCode,
        ),
        (
            format!("?code=a&code=b&state={st}&iss={iss}"),
            CallbackProblem::Malformed("a parameter is repeated"),
        ),
        (
            "?code=%zz".to_owned(),
            CallbackProblem::Malformed("bad percent-encoding"),
        ),
    ];
    for (cb, want) in cases {
        match c.callback_code(&p, &format!("https://lps.example/cb{cb}")) {
            Err(Error::Callback(got)) => assert_eq!(got, want, "{cb}"),
            other => panic!("{cb}: {other:?}"),
        }
    }
}

#[test]
fn code_exchange_checks_the_id_token_and_authenticates_with_basic() {
    let s = Setup::new();
    let c = s.client();
    let (_, p) = c.authorization_url(&[]).unwrap();
    s.serve_jwks(&[&s.key]);
    let mut claims = s.claims();
    claims["nonce"] = p.nonce.expose().into();
    let at = "access-token-value";
    let hash = ring::digest::digest(&ring::digest::SHA256, at.as_bytes());
    claims["at_hash"] = encode_b64url(&hash.as_ref()[..16]).into();
    s.fake.json(
        "/auth/realms/esante-wallet/token",
        200,
        json!({
        "access_token": at, "token_type": "Bearer", "expires_in": 120,
        "refresh_token": "rt", "id_token": s.sign(&claims)}),
    );
    let tokens = c.exchange_code(&p, &Secret::new("the-code")).unwrap();
    assert_eq!(tokens.expires_at, Some(T0 + 120));
    let id = tokens.id_token.as_ref().unwrap();
    assert_eq!(id.claims.subject_name_id(), Some("899700218896"));
    assert_eq!(id.kid.as_deref(), Some("k1"));
    let (auth, f) = s.fake.last_form("/auth/realms/esante-wallet/token");
    let expected =
        base64::engine::general_purpose::STANDARD.encode("lps:s3cret%20w%C3%AFth%20spaces");
    assert_eq!(auth.unwrap(), format!("Basic {expected}"));
    assert_eq!(f["grant_type"], "authorization_code");
    assert_eq!(f["code"], "the-code");
    assert_eq!(f["code_verifier"], p.code_verifier.expose());
    assert!(!f.contains_key("client_secret"));
    // Debug output of the whole outcome never shows a token.
    let dbg = format!("{tokens:?}");
    assert!(!dbg.contains(at) && !dbg.contains("\"rt\"") && !dbg.contains(&s.sign(&claims)[..30]));

    // A wrong at_hash.
    claims["at_hash"] = "AAAAAAAAAAAAAAAAAAAAAA".into();
    s.fake.json(
        "/auth/realms/esante-wallet/token",
        200,
        json!({
        "access_token": at, "token_type": "Bearer", "id_token": s.sign(&claims)}),
    );
    let e = c.exchange_code(&p, &Secret::new("c")).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Claim {
                claim: "at_hash",
                problem: ClaimProblem::AccessTokenHashMismatch
            }
        ),
        "{e}"
    );
    // No ID token at all in a code flow.
    s.fake.json(
        "/auth/realms/esante-wallet/token",
        200,
        json!({"access_token": at, "token_type": "Bearer"}),
    );
    assert!(matches!(
        c.exchange_code(&p, &Secret::new("c")),
        Err(Error::Claim {
            claim: "id_token",
            ..
        })
    ));
    // Not a bearer token.
    s.fake.json(
        "/auth/realms/esante-wallet/token",
        200,
        json!({"access_token": at, "token_type": "DPoP"}),
    );
    assert!(matches!(
        c.exchange_code(&p, &Secret::new("c")),
        Err(Error::Json { .. })
    ));
    // A token response that is not JSON: the error does not quote it.
    s.fake.queue(
        "/auth/realms/esante-wallet/token",
        200,
        "application/json",
        "{\"access_token\": \"leak-me\", ",
    );
    let e = c.exchange_code(&p, &Secret::new("c")).unwrap_err();
    assert!(!e.to_string().contains("leak-me"), "{e}");
}

#[test]
fn time_claims_honour_the_leeway_exactly() {
    let s = Setup::new();
    let c = s.client(); // leeway 60 s
    s.serve_jwks(&[&s.key]);
    let check = |f: &dyn Fn(&mut Value)| {
        let mut claims = s.claims();
        f(&mut claims);
        c.verify_id_token(&s.sign(&claims), None)
    };
    assert!(check(&|c| c["exp"] = (T0 - 60).into()).is_ok());
    assert!(matches!(
        check(&|c| c["exp"] = (T0 - 61).into()),
        Err(Error::Claim { claim: "exp", problem: ClaimProblem::Expired { exp, now: T0 } }) if exp == T0 - 61
    ));
    assert!(check(&|c| c["iat"] = (T0 + 60).into()).is_ok());
    assert!(matches!(
        check(&|c| c["iat"] = (T0 + 61).into()),
        Err(Error::Claim { claim: "iat", .. })
    ));
    assert!(check(&|c| c["nbf"] = (T0 + 60).into()).is_ok());
    assert!(matches!(
        check(&|c| c["nbf"] = (T0 + 61).into()),
        Err(Error::Claim { claim: "nbf", .. })
    ));
    assert!(check(&|c| c["exp"] = (T0 as f64 + 10.5).into()).is_ok());
    assert!(matches!(
        check(&|c| c["exp"] = "tomorrow".into()),
        Err(Error::Claim {
            claim: "exp",
            problem: ClaimProblem::WrongType
        })
    ));
    assert!(matches!(
        check(&|c| {
            c.as_object_mut().unwrap().remove("iat");
        }),
        Err(Error::Claim {
            claim: "iat",
            problem: ClaimProblem::Missing
        })
    ));
    // Audience and authorized party.
    assert!(
        check(&|c| c["aud"] = json!(["lps", "other"])).is_err_and(|e| matches!(
            e,
            Error::Claim {
                claim: "azp",
                problem: ClaimProblem::Missing
            }
        ))
    );
    assert!(
        check(&|c| {
            c["aud"] = json!(["lps", "other"]);
            c["azp"] = "lps".into();
        })
        .is_ok()
    );
    assert!(matches!(
        check(&|c| c["azp"] = "other".into()),
        Err(Error::Claim { claim: "azp", .. })
    ));
    assert!(matches!(
        check(&|c| c["aud"] = json!([])),
        Err(Error::Claim {
            claim: "aud",
            problem: ClaimProblem::Missing
        })
    ));
    assert!(matches!(
        check(&|c| c["iss"] = "https://evil".into()),
        Err(Error::Claim { claim: "iss", .. })
    ));
    // acr: missing is refused by default, eidas2 accepted (PSC production, issue #43).
    assert!(matches!(
        check(&|c| {
            c.as_object_mut().unwrap().remove("acr");
        }),
        Err(Error::Claim { claim: "acr", .. })
    ));
    assert!(
        check(&|c| {
            c["acr"] = "eidas2".into();
            c["authMode"] = "CARD".into();
        })
        .is_ok_and(|t| t.claims.auth_mode.as_deref() == Some("CARD"))
    );
    // Nonce expected but absent.
    let nonce = Secret::new("n");
    assert!(matches!(
        c.verify_id_token(&s.sign(&s.claims()), Some(&nonce)),
        Err(Error::Claim {
            claim: "nonce",
            problem: ClaimProblem::Missing
        })
    ));
    // After the clock moves five minutes, the token is expired.
    s.clock.advance(chrono::TimeDelta::seconds(361));
    assert!(matches!(
        c.verify_id_token(&s.sign(&s.claims()), None),
        Err(Error::Claim { claim: "exp", .. })
    ));
}

#[test]
fn unknown_kid_refetches_the_jwks_at_most_once_per_interval() {
    let s = Setup::new();
    let c = s.client(); // minimum refresh interval: 10 s
    s.serve_jwks(&[&s.key]);
    c.verify_id_token(&s.sign(&s.claims()), None).unwrap();
    let jwks_path = "/auth/realms/esante-wallet/certs";
    assert_eq!(s.fake.count(jwks_path), 1);
    // A token from a rotated key: within 10 s of the last fetch, no refetch.
    let new_key = es_key("k2");
    let token = new_key
        .sign(s.claims().to_string().as_bytes(), &serde_json::Map::new())
        .unwrap();
    s.serve_jwks(&[&s.key, &new_key]);
    assert!(matches!(
        c.verify_id_token(token.expose(), None),
        Err(Error::UnknownKeyId { .. })
    ));
    assert_eq!(s.fake.count(jwks_path), 1);
    s.clock.advance(chrono::TimeDelta::seconds(10));
    assert!(c.verify_id_token(token.expose(), None).is_ok());
    assert_eq!(s.fake.count(jwks_path), 2);
    // A made-up kid later: one refetch, then UnknownKeyId.
    s.clock.advance(chrono::TimeDelta::seconds(11));
    s.serve_jwks(&[&s.key, &new_key]);
    let ghost = es_key("ghost")
        .sign(s.claims().to_string().as_bytes(), &serde_json::Map::new())
        .unwrap();
    assert!(
        matches!(c.verify_id_token(ghost.expose(), None), Err(Error::UnknownKeyId { kid: Some(k) }) if k == "ghost")
    );
    assert_eq!(s.fake.count(jwks_path), 3);
    // A token whose algorithm the configuration excludes.
    let es_only_not = s.client_with(
        ClientConfig::new("lps", ClientAuth::None).with_algorithms(&[Algorithm::Rs256]),
        metadata(json!({})),
    );
    assert!(matches!(
        es_only_not.verify_id_token(token.expose(), None),
        Err(Error::AlgorithmNotAllowed { .. })
    ));
    assert!(Jwks::parse(b"{\"keys\":[]}").unwrap().keys().is_empty());
}

#[test]
fn client_authentication_variants_shape_the_request() {
    let s = Setup::new();
    let path = "/auth/realms/esante-wallet/introspect";
    // client_secret_post
    let c = s.client_with(
        ClientConfig::new("lps", ClientAuth::SecretPost(Secret::new("pw"))),
        metadata(json!({})),
    );
    s.fake.json(path, 200, json!({"active": false}));
    assert!(
        !c.introspect(&Secret::new("tok"), Some("access_token"))
            .unwrap()
            .active
    );
    let (auth, f) = s.fake.last_form(path);
    assert!(auth.is_none());
    assert_eq!(
        (
            f["client_id"].as_str(),
            f["client_secret"].as_str(),
            f["token"].as_str()
        ),
        ("lps", "pw", "tok")
    );
    assert_eq!(f["token_type_hint"], "access_token");
    // private_key_jwt: a signed assertion the provider can check with the client's public key.
    let client_key = es_key("client-1");
    let public = Jwks::parse(
        json!({"keys": [client_key.public_jwk().unwrap()]})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let c = s.client_with(
        ClientConfig::new("lps", ClientAuth::PrivateKeyJwt(Box::new(client_key))),
        metadata(json!({})),
    );
    s.fake.json(
        path,
        200,
        json!({"active": true, "scope": "openid scope_all"}),
    );
    assert!(c.introspect(&Secret::new("tok"), None).unwrap().active);
    let (_, f) = s.fake.last_form(path);
    assert_eq!(
        f["client_assertion_type"],
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    );
    let jws = segur_psc::Jws::parse(&f["client_assertion"]).unwrap();
    let payload: Value = serde_json::from_slice(jws.verify(&public.keys()[0]).unwrap()).unwrap();
    assert_eq!(payload["iss"], "lps");
    assert_eq!(payload["sub"], "lps");
    assert_eq!(payload["aud"], format!("{ISS}/token"));
    assert_eq!(payload["iat"], T0);
    assert_eq!(payload["exp"], T0 + 60);
    assert_eq!(payload["jti"].as_str().unwrap().len(), 36);
    // tls_client_auth: only client_id, sent to the mTLS alias when there is one.
    let c = s.client_with(
        ClientConfig::new("lps", ClientAuth::TlsClientAuth),
        metadata(json!({})),
    );
    s.fake.json(
        "/token",
        200,
        json!({"access_token": "a", "token_type": "Bearer"}),
    );
    let t = c.refresh(&Secret::new("rt"), None).unwrap();
    assert!(t.id_token.is_none());
    let seen = s.fake.seen.lock().unwrap();
    let last = seen.last().unwrap();
    assert_eq!(
        last.uri().to_string(),
        "https://mtls.bas.psc.esante.gouv.fr/token"
    );
    assert_eq!(
        form(std::str::from_utf8(last.body()).unwrap())
            .get("client_id")
            .map(String::as_str),
        Some("lps")
    );
    assert!(last.headers().get("authorization").is_none());
}

#[test]
fn ciba_pending_slow_down_expiry_and_local_timeout() {
    let s = Setup::new();
    let c = s.client();
    s.serve_jwks(&[&s.key]);
    let ciba = "/auth/realms/esante-wallet/ciba";
    let token = "/auth/realms/esante-wallet/token";
    s.fake.json(
        ciba,
        200,
        json!({"auth_req_id": "req-1", "expires_in": 120, "interval": 2}),
    );
    let request = CibaRequest::new("899700218896")
        .unwrap()
        .with_binding_message(&c.random_binding_message())
        .unwrap()
        .with_channel(segur_psc::CibaChannel::Card);
    let mut pending = c.ciba_start(&request).unwrap();
    let (auth, f) = s.fake.last_form(ciba);
    assert!(auth.unwrap().starts_with("Basic "));
    assert_eq!(f["scope"], "openid scope_all");
    assert_eq!(f["acr_values"], "eidas1");
    assert_eq!(f["login_hint"], "899700218896");
    assert_eq!(f["channel"], "CARD");
    assert_eq!(f["binding_message"].len(), 2);
    assert_eq!(pending.expires_at, T0 + 120);
    assert_eq!(pending.interval_secs, 2);
    assert!(!format!("{pending:?}").contains("req-1"));

    s.fake
        .json(token, 400, json!({"error": "authorization_pending"}));
    s.fake.json(token, 400, json!({"error": "slow_down"}));
    s.fake
        .json(token, 400, json!({"error": "authorization_pending"}));
    s.fake.json(
        token,
        200,
        json!({"access_token": "at", "token_type": "Bearer", "id_token": s.sign(&s.claims())}),
    );
    let mut sleeps = Vec::new();
    let clock = Arc::clone(&s.clock);
    let tokens = c
        .ciba_wait(&mut pending, |d| {
            sleeps.push(d.as_secs());
            clock.advance(chrono::TimeDelta::from_std(d).unwrap());
        })
        .unwrap();
    assert_eq!(sleeps, [2, 2, 7, 7], "slow_down adds 5 s to the interval");
    assert!(tokens.id_token.is_some());
    let (_, f) = s.fake.last_form(token);
    assert_eq!(f["grant_type"], "urn:openid:params:grant-type:ciba");
    assert_eq!(f["auth_req_id"], "req-1");

    // The provider says the request expired.
    s.fake
        .json(ciba, 200, json!({"auth_req_id": "req-2", "expires_in": 60}));
    let mut p2 = c
        .ciba_start(&CibaRequest::new("899700218896").unwrap())
        .unwrap();
    assert_eq!(p2.interval_secs, 5, "the default interval");
    s.fake.json(token, 400, json!({"error": "expired_token"}));
    assert!(matches!(c.ciba_poll(&mut p2), Err(Error::CibaExpired)));
    // Local expiry: no request is sent after expires_in.
    s.fake
        .json(ciba, 200, json!({"auth_req_id": "req-3", "expires_in": 10}));
    let mut p3 = c
        .ciba_start(&CibaRequest::new("899700218896").unwrap())
        .unwrap();
    let before = s.fake.count(token);
    s.clock.advance(chrono::TimeDelta::seconds(11));
    assert!(matches!(c.ciba_poll(&mut p3), Err(Error::CibaExpired)));
    assert_eq!(s.fake.count(token), before);
    // Malformed start responses and bad hints.
    s.fake.json(ciba, 200, json!({"expires_in": 10}));
    assert!(matches!(
        c.ciba_start(&CibaRequest::new("x").unwrap()),
        Err(Error::Json { .. })
    ));
    assert!(CibaRequest::new("").is_err());
    assert!(CibaRequest::new("a\nb").is_err());
    assert!(
        CibaRequest::new("1")
            .unwrap()
            .with_binding_message("4a")
            .is_err()
    );
    assert!(Duration::from_secs(pending.interval_secs) >= Duration::from_secs(7));
}

#[test]
fn userinfo_subject_must_match_and_signed_userinfo_is_checked() {
    let s = Setup::new();
    let c = s.client();
    s.serve_jwks(&[&s.key]);
    let id = c.verify_id_token(&s.sign(&s.claims()), None).unwrap();
    let ui = "/auth/realms/esante-wallet/userinfo";
    s.fake.json(
        ui,
        200,
        json!({"sub": "f:uuid:899700218896", "SubjectNameID": "899700218896"}),
    );
    let info = c.userinfo(&Secret::new("at"), Some(&id)).unwrap();
    assert_eq!(info.subject_name_id.as_deref(), Some("899700218896"));
    let seen_auth = s.fake.seen.lock().unwrap().last().unwrap().headers()["authorization"].clone();
    assert!(seen_auth.is_sensitive());
    assert_eq!(seen_auth.to_str().unwrap(), "Bearer at");
    s.fake.json(ui, 200, json!({"sub": "someone-else"}));
    assert!(matches!(
        c.userinfo(&Secret::new("at"), Some(&id)),
        Err(Error::Claim {
            claim: "sub",
            problem: ClaimProblem::SubjectMismatch
        })
    ));
    // Signed userinfo: iss, aud, exp are checked.
    let jwt = |v: Value| s.sign(&v).into_bytes();
    s.fake.queue(
        ui,
        200,
        "application/jwt",
        jwt(json!({"sub": "f:uuid:899700218896", "iss": ISS, "aud": "lps"})),
    );
    assert!(c.userinfo(&Secret::new("at"), Some(&id)).is_ok());
    s.fake.queue(
        ui,
        200,
        "application/jwt",
        jwt(json!({"sub": "f:uuid:899700218896", "iss": ISS, "aud": "other"})),
    );
    assert!(matches!(
        c.userinfo(&Secret::new("at"), Some(&id)),
        Err(Error::Claim { claim: "aud", .. })
    ));
    s.fake.queue(
        ui,
        200,
        "application/jwt",
        jwt(json!({"sub": "f:uuid:899700218896", "iss": "https://evil"})),
    );
    assert!(matches!(
        c.userinfo(&Secret::new("at"), Some(&id)),
        Err(Error::Claim { claim: "iss", .. })
    ));
    s.fake.queue(
        ui,
        200,
        "application/jwt",
        jwt(json!({"sub": "f:uuid:899700218896", "exp": T0 - 3600})),
    );
    assert!(matches!(
        c.userinfo(&Secret::new("at"), Some(&id)),
        Err(Error::Claim { claim: "exp", .. })
    ));
    s.fake.queue(
        ui,
        200,
        "application/jwt; charset=utf-8",
        b"eyJhbGciOiJub25lIn0.e30.".to_vec(),
    );
    assert!(matches!(
        c.userinfo(&Secret::new("at"), Some(&id)),
        Err(Error::AlgorithmNotAllowed { .. })
    ));
    // Refresh returning an ID token about someone else.
    let mut other = s.claims();
    other["sub"] = "f:uuid:other".into();
    s.fake.json(
        "/auth/realms/esante-wallet/token",
        200,
        json!({"access_token": "a", "token_type": "Bearer", "id_token": s.sign(&other)}),
    );
    assert!(matches!(
        c.refresh(&Secret::new("rt"), Some(&id)),
        Err(Error::Claim {
            claim: "sub",
            problem: ClaimProblem::SubjectMismatch
        })
    ));
}

#[test]
fn http_failures_and_missing_endpoints_are_typed() {
    let s = Setup::new();
    let c = s.client();
    let ui = "/auth/realms/esante-wallet/userinfo";
    s.fake
        .queue(ui, 502, "text/html", "<html>bad gateway</html>");
    assert!(matches!(
        c.userinfo(&Secret::new("at"), None),
        Err(Error::UnexpectedResponse { endpoint: Endpoint::Userinfo, status: 502, ref content_type }) if content_type == "text/html"
    ));
    s.fake.json(
        ui,
        401,
        json!({"error": "invalid_token", "error_description": "x".repeat(500)}),
    );
    match c.userinfo(&Secret::new("at"), None) {
        Err(Error::OAuth {
            status: 401,
            error,
            description,
            ..
        }) => {
            assert_eq!(error, "invalid_token");
            assert_eq!(description.unwrap().len(), 200);
        }
        other => panic!("{other:?}"),
    }
    s.fake.queue(
        ui,
        200,
        "application/json",
        vec![b' '; segur_psc::MAX_RESPONSE_LEN + 1],
    );
    assert!(matches!(
        c.userinfo(&Secret::new("at"), None),
        Err(Error::TooLarge { .. })
    ));
    let bare = s.client_with(
        ClientConfig::new("lps", ClientAuth::None),
        metadata(json!({"introspection_endpoint": null, "end_session_endpoint": null, "backchannel_authentication_endpoint": null})),
    );
    assert!(matches!(
        bare.introspect(&Secret::new("t"), None),
        Err(Error::MissingEndpoint(Endpoint::Introspection))
    ));
    assert!(matches!(
        bare.logout_url(None, None, None),
        Err(Error::MissingEndpoint(Endpoint::EndSession))
    ));
    assert!(matches!(
        bare.ciba_start(&CibaRequest::new("x").unwrap()),
        Err(Error::MissingEndpoint(Endpoint::BackchannelAuthentication))
    ));
    assert!(matches!(
        bare.authorization_url(&[]),
        Err(Error::InvalidParameter {
            name: "redirect_uri",
            ..
        })
    ));
    let url = c
        .logout_url(None, Some("https://lps.example/bye"), Some("s t"))
        .unwrap();
    assert_eq!(
        url.expose(),
        format!(
            "{ISS}/logout?client_id=lps&post_logout_redirect_uri=https%3A%2F%2Flps.example%2Fbye&state=s%20t"
        )
    );
    // Token exchange against another authorization server.
    s.fake.json("/as/token", 200, json!({"access_token": "x", "token_type": "Bearer", "issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "expires_in": 60}));
    let mut ex = segur_psc::TokenExchange::access_token(Secret::new("psc-at"));
    ex.token_endpoint = Some("https://as.example/as/token".into());
    ex.audience = Some("dmp".into());
    let r = c.token_exchange(&ex).unwrap();
    assert_eq!(r.expires_in, Some(60));
    let (_, f) = s.fake.last_form("/as/token");
    assert_eq!(f["subject_token"], "psc-at");
    assert_eq!(f["audience"], "dmp");
    assert_eq!(
        f["grant_type"],
        "urn:ietf:params:oauth:grant-type:token-exchange"
    );
    assert!(decode_b64url("e30").is_some());
}
