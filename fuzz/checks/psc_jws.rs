//! Properties of the JWS/JWT parser of segur-psc, checked on every input by the `fuzz_jws`
//! target and by the corpus replay test of segur-psc (`crates/segur-psc/tests/fuzz_corpus.rs`).

use segur_psc::jose::Algorithm;
use segur_psc::{IdTokenClaims, Jwks, Jws, PscUserInfo, Secret, VerifyingKey};

const JWKS: &str = r#"{"keys":[
 {"kty":"EC","crv":"P-256","kid":"k1","x":"qGEV094M587hK4_1zGX2lv5lElOhIxuznjX3M8PvzjM","y":"ej4pMEa6zMHRSIkMq8EKjS_gFoWGU2UhjbhdFWOi6M4"},
 {"kty":"RSA","kid":"r","e":"AQAB","n":"w8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PD"}]}"#;

/// Parses `data` as a compact JWS; on success checks the header is one of the four implemented
/// algorithms, that verification with every candidate key (and an HMAC secret) returns without
/// panicking and never accepts a made-up signature, that the unverified payload goes through
/// the ID-token and userinfo readers without panicking, and that neither `Debug` nor any error
/// message quotes the token.
pub(crate) fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let quoted = |s: &str| text.len() >= 24 && s.contains(text);
    let jws = match Jws::parse(text) {
        Ok(j) => j,
        Err(e) => {
            assert!(!quoted(&format!("{e} {e:?}")), "error quotes the token");
            return;
        }
    };
    assert!(Algorithm::from_name(jws.header().alg.name()).is_some());
    assert!(!quoted(&format!("{jws:?}")), "Debug quotes the token");
    assert!(jws.unverified_payload().len() <= text.len());
    let jwks = Jwks::parse(JWKS.as_bytes()).expect("the fixed JWKS parses");
    let mut keys: Vec<VerifyingKey> = jwks.keys().to_vec();
    keys.push(VerifyingKey::hmac(&Secret::new("fuzz-secret")));
    for key in &keys {
        // The private halves of these keys were thrown away: a success would be a forgery.
        if let Ok(payload) = jws.verify(key) {
            panic!("forged signature accepted ({} bytes)", payload.len());
        }
    }
    let _ = jwks.candidates(jws.header().kid.as_deref(), jws.header().alg);
    if let Ok(claims) = IdTokenClaims::from_json(jws.unverified_payload()) {
        assert!(!claims.aud.is_empty());
        let _ = (claims.subject_name_id(), format!("{claims:?}"));
    }
    if let Ok(info) = PscUserInfo::from_json(jws.unverified_payload()) {
        let _ = (info.national_id(), info.work_situations().len());
        for ws in info.work_situations() {
            let _ = ws.key();
            if let Some(a) = ws.activite {
                let _ = a.structure_ids();
            }
        }
    }
}
