//! Every payload of `shared/corpus/psc/` (see its PROVENANCE.md), parsed with the matching
//! parser; the invalid one is rejected with a typed error.

use std::path::PathBuf;

use segur_psc::userinfo::StructureId;
use segur_psc::{
    AcrPolicy, DiscoveryFinding, Environment, Error, Introspection, NationalIdKind,
    ProviderMetadata, PscUserInfo,
};

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/psc")
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(corpus_dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_corpus_file_is_covered_by_a_test() {
    let mut names: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("shared/corpus/psc must be beside the checkout")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let covered = [
        "PROVENANCE.md",
        "ans-edc-proxy-ciba-mock-exchange.json",
        "ans-edc-proxy-mock-wallet-openid-configuration.json",
        "ans-keycloak-psc-endpoints.properties",
        "ans-psc-poc-introspection-active.json",
        "ans-psc-poc-introspection-inactive.json",
        "ans-psc-poc-psc-data.schema.json",
        "ans-psc-poc-pscdata-example.json",
        "ans-psc-poc-userinfo-INVALID-JSON.json.txt",
        "ans-psc-poc-userinfo-full.json",
        "ans-psc-poc-userinfo-minimal.json",
        "keycloak-psc-issue43-idtoken-claims-excerpt.json",
        "lemonldap-doc-psc-bas-esw-discovery-legacy.json",
        "loopback-oidc-provider-ciba-run.txt",
        "loopback-oidc-provider-discovery.json",
    ];
    assert_eq!(
        names, covered,
        "a corpus file was added or removed: cover it here"
    );
}

#[test]
fn full_userinfo_has_one_exercice_and_five_work_situations() {
    let info = PscUserInfo::from_json(&read("ans-psc-poc-userinfo-full.json")).unwrap();
    let id = info.national_id().unwrap();
    assert_eq!(id.value, "ANS20210107161422");
    assert_eq!(id.kind, NationalIdKind::Other); // an editor test account, not an RPPS
    assert_eq!(info.given_name.as_deref(), Some("Paul"));
    assert_eq!(info.acces_regulation_medicale, Some(false)); // "FAUX"
    assert_eq!(info.mode_acces_raison, None); // "" is absent
    assert_eq!(info.subject_organization_id, None);
    assert_eq!(info.subject_role[0].code, "10");
    assert_eq!(
        info.subject_role[0].system.as_deref(),
        Some("1.2.250.1.213.1.1.5.5")
    );
    let sector = info.secteur_activite.as_ref().unwrap();
    assert_eq!(sector.to_string(), "SA07^1.2.250.1.71.4.2.4");
    assert_eq!(
        info.palier_authentification.as_ref().unwrap().code,
        "APPPRIP3"
    );
    assert_eq!(info.other_ids[0].origine.as_deref(), Some("EDIT"));
    assert_eq!(info.other_ids[0].qualite, Some(1));

    let ex = &info.exercices()[0];
    assert_eq!(ex.code_profession.as_deref(), Some("10"));
    assert_eq!(ex.code_savoir_faire.as_deref(), Some("SM54"));
    let ws = info.work_situations();
    assert_eq!(ws.len(), 5);
    assert!(ws.iter().all(|w| w.key() == "10C"));
    assert!(info.single_work_situation().is_none());
    let hospital = ws
        .iter()
        .find(|w| w.activite.unwrap().code_secteur_dactivite.as_deref() == Some("SA01"))
        .unwrap();
    assert_eq!(
        hospital.activite.unwrap().raison_sociale_site.as_deref(),
        Some("HOPITAL GENERIQUE")
    );
    let ordre = info.work_situation_in_structure("00000000016972").unwrap();
    assert_eq!(
        ordre.activite.unwrap().structure_ids(),
        vec![
            StructureId::Siret("00000000016972".into()),
            StructureId::Siren("000000000".into())
        ]
    );
    assert_eq!(info.work_situations_for_profession("10").len(), 5);
    assert!(info.work_situations_for_profession("21").is_empty());
    assert!(
        info.other.is_empty(),
        "unexpected members: {:?}",
        info.other.keys()
    );
}

#[test]
fn minimal_userinfo_has_an_exercice_without_activities() {
    let info = PscUserInfo::from_json(&read("ans-psc-poc-userinfo-minimal.json")).unwrap();
    let id = info.national_id().unwrap();
    assert_eq!(id.kind, NationalIdKind::Rpps);
    assert_eq!(id.rpps(), Some("99700218896"));
    assert!(id.rpps_luhn_ok().is_some());
    assert_eq!(info.sub, None);
    let ws = info.single_work_situation().unwrap();
    assert!(ws.activite.is_none());
    assert_eq!(ws.exercice.code_type_savoir_faire, None); // ""
    assert_eq!(ws.key(), "10"); // no category in this sample
}

#[test]
fn the_invalid_userinfo_is_rejected_with_its_position() {
    let bytes = read("ans-psc-poc-userinfo-INVALID-JSON.json.txt");
    match PscUserInfo::from_json(&bytes) {
        Err(Error::Json {
            document: "userinfo",
            line,
            column,
            ..
        }) => {
            // The stray `]` is on line 15.
            assert_eq!(line, 15, "column {column}");
        }
        other => panic!("expected a JSON error, got {other:?}"),
    }
}

#[test]
fn introspection_responses() {
    let active = Introspection::from_json(&read("ans-psc-poc-introspection-active.json")).unwrap();
    assert!(active.active);
    assert_eq!(active.acr.as_deref(), Some("eidas3"));
    assert!(AcrPolicy::default().accepts(active.acr.as_deref()));
    assert_eq!(active.scopes(), ["openid", "profile", "email", "scope_all"]);
    assert_eq!(active.username.as_deref(), Some("899700218896"));
    assert_eq!(active.other["azp"], "ans-poc-bas-psc");
    let inactive =
        Introspection::from_json(&read("ans-psc-poc-introspection-inactive.json")).unwrap();
    assert!(!inactive.active);
    assert!(inactive.scopes().is_empty());
}

#[test]
fn pscdata_example_parts_parse() {
    let v: serde_json::Value =
        serde_json::from_slice(&read("ans-psc-poc-pscdata-example.json")).unwrap();
    let intro =
        Introspection::from_json(v["IntrospectionResponse"].to_string().as_bytes()).unwrap();
    assert!(intro.active);
    let info = PscUserInfo::from_json(v["UserInfo"].to_string().as_bytes()).unwrap();
    assert_eq!(info.work_situations().len(), 5);
    // The access token there is a truncated sample, not a JWS.
    let at = v["PscAccessToken"].as_str().unwrap();
    assert!(segur_psc::Jws::parse(at).is_err());
}

#[test]
fn the_schema_lists_the_fields_the_model_reads() {
    // The ANS JSON Schema of userinfo: every property of an activity is a field of `Activite`.
    let schema: serde_json::Value =
        serde_json::from_slice(&read("ans-psc-poc-psc-data.schema.json")).unwrap();
    let activity = &schema["$defs"]["UserInfo"]["properties"]["SubjectRefPro"]["properties"]["exercices"]
        ["items"][0]["properties"]["activities"]["items"][0]["properties"];
    let names: Vec<&String> = activity.as_object().unwrap().keys().collect();
    assert!(names.len() > 25);
    let mut sample = serde_json::Map::new();
    for n in &names {
        sample.insert((*n).clone(), "x".into());
    }
    let a: segur_psc::userinfo::Activite =
        serde_json::from_value(serde_json::Value::Object(sample)).unwrap();
    assert!(
        a.other.is_empty(),
        "fields not modelled: {:?}",
        a.other.keys()
    );
}

#[test]
fn edc_proxy_mock_discovery_is_refused_for_its_jwks_host_typo_then_accepted_fixed() {
    let doc = read("ans-edc-proxy-mock-wallet-openid-configuration.json");
    let env = Environment::loopback("http://localhost:8443/auth/realms/esante-wallet");
    // `jwks_uri` points at "localhosts" over plain http: not loopback, so refused.
    match ProviderMetadata::parse(&doc, &env) {
        Err(Error::Discovery {
            field: "jwks_uri",
            problem,
        }) => {
            assert!(problem.contains("localhosts"), "{problem}");
        }
        other => panic!("{other:?}"),
    }
    let fixed = String::from_utf8(doc)
        .unwrap()
        .replace("localhosts", "localhost");
    let meta = ProviderMetadata::parse(fixed.as_bytes(), &env).unwrap();
    assert!(
        meta.backchannel_token_delivery_modes_supported
            .contains(&"poll".into())
    );
    assert!(meta.tls_client_certificate_bound_access_tokens);
    assert_eq!(meta.mtls_endpoint_aliases.len(), 8);
    let findings = meta.findings();
    assert!(
        findings.contains(&DiscoveryFinding::AuthorizationOnAnotherHost {
            host: "wallet.bas.psc.esante.gouv.fr".into()
        })
    );
    assert!(findings.contains(&DiscoveryFinding::NoEidas1 {
        advertised: vec!["0".into(), "0".into()]
    }));
    assert!(
        findings.contains(&DiscoveryFinding::NoneAlgorithmAdvertised {
            field: "userinfo_signing_alg_values_supported"
        })
    );
    // Against the real sandbox issuer, the mock's issuer is refused.
    assert!(matches!(
        ProviderMetadata::parse(fixed.as_bytes(), &Environment::Sandbox),
        Err(Error::Discovery {
            field: "issuer",
            ..
        })
    ));
}

#[test]
fn lemonldap_legacy_discovery() {
    let doc = read("lemonldap-doc-psc-bas-esw-discovery-legacy.json");
    let env = Environment::custom("https://auth.bas.esw.esante.gouv.fr/auth/realms/esante-wallet");
    let meta = ProviderMetadata::parse(&doc, &env).unwrap();
    assert_eq!(
        meta.authorization_endpoint,
        "https://wallet.bas.esw.esante.gouv.fr/auth"
    );
    assert!(meta.backchannel_authentication_endpoint.is_none());
    assert_eq!(
        meta.findings(),
        vec![
            DiscoveryFinding::AuthorizationOnAnotherHost {
                host: "wallet.bas.esw.esante.gouv.fr".into()
            },
            // Keycloak advertises unsigned userinfo; this client never accepts `none`.
            DiscoveryFinding::NoneAlgorithmAdvertised {
                field: "userinfo_signing_alg_values_supported"
            }
        ]
    );
}

#[test]
fn loopback_provider_discovery_recorded_in_the_corpus() {
    let doc = read("loopback-oidc-provider-discovery.json");
    let meta =
        ProviderMetadata::parse(&doc, &Environment::loopback("http://127.0.0.1:3000")).unwrap();
    assert_eq!(meta.acr_values_supported, ["eidas1"]);
    assert!(meta.authorization_response_iss_parameter_supported);
    assert!(meta.findings().is_empty(), "{:?}", meta.findings());
    // Loopback http is refused by a production-grade environment.
    assert!(ProviderMetadata::parse(&doc, &Environment::custom("http://127.0.0.1:3000")).is_err());
}

#[test]
fn keycloak_endpoints_match_the_environment_presets() {
    let text = String::from_utf8(read("ans-keycloak-psc-endpoints.properties")).unwrap();
    let get = |key: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
            .unwrap_or_else(|| panic!("{key}"))
            .to_owned()
    };
    assert_eq!(get("psc.bas.issuer.url"), Environment::Sandbox.issuer());
    assert_eq!(get("psc.prod.issuer.url"), Environment::Production.issuer());
    assert_eq!(
        get("psc.bas.discovery.url"),
        Environment::Sandbox.discovery_url()
    );
    assert_eq!(
        get("psc.prod.discovery.url"),
        Environment::Production.discovery_url()
    );
    assert_eq!(
        Environment::from_issuer(&get("psc.prod.issuer.url")),
        Environment::Production
    );
}

#[test]
fn issue43_production_acr_eidas2_is_accepted_by_the_default_policy() {
    let v: serde_json::Value =
        serde_json::from_slice(&read("keycloak-psc-issue43-idtoken-claims-excerpt.json")).unwrap();
    assert_eq!(v["iss"], Environment::Production.issuer());
    assert!(AcrPolicy::default().accepts(v["acr"].as_str()));
    assert!(!AcrPolicy::OneOf(vec!["eidas1".into()]).accepts(v["acr"].as_str()));
}

#[test]
fn ciba_mock_exchange_shapes() {
    let v: serde_json::Value =
        serde_json::from_slice(&read("ans-edc-proxy-ciba-mock-exchange.json")).unwrap();
    // The structure-based login hint is accepted, the binding message is two digits.
    let form = &v["backchannel_authentication_request"]["form"];
    let req = segur_psc::CibaRequest::new(form["login_hint"].as_str().unwrap())
        .unwrap()
        .with_binding_message(form["binding_message"].as_str().unwrap())
        .unwrap();
    assert_eq!(
        segur_psc::NationalId::parse(&req.login_hint).kind,
        NationalIdKind::StructureLocal
    );
    // The success body parses as a token response (placeholders stand for the tokens).
    let ok =
        segur_psc::TokenResponse::from_json(v["token_response_success"].to_string().as_bytes())
            .unwrap();
    assert_eq!(ok.refresh_expires_in, Some(350));
    assert!(!format!("{ok:?}").contains("<JWT>"));
}

#[test]
fn loopback_ciba_run_userinfo_and_introspection() {
    let text = String::from_utf8(read("loopback-oidc-provider-ciba-run.txt")).unwrap();
    let after = |marker: &str| {
        let i = text.find(marker).unwrap();
        text[i..].lines().nth(1).unwrap().to_owned()
    };
    let info = PscUserInfo::from_json(after("--- userinfo").as_bytes()).unwrap();
    assert_eq!(info.national_id().unwrap().kind, NationalIdKind::Rpps);
    assert_eq!(info.single_work_situation().unwrap().key(), "10C");
    let intro = Introspection::from_json(after("--- introspection").as_bytes()).unwrap();
    assert!(intro.active && intro.scopes().contains(&"scope_all"));
    // The recorded ID token claims (second poll) carry the PSC identity.
    let claims = segur_psc::IdTokenClaims::from_json(after("--- second poll").as_bytes()).unwrap();
    assert_eq!(claims.subject_name_id(), Some("899700218896"));
    assert_eq!(claims.acr.as_deref(), Some("eidas1"));
    let pending = after("--- first poll");
    assert!(pending.contains("authorization_pending"));
}
