//! Log a health professional in with Pro Santé Connect (authorization code flow + PKCE), then
//! read who they are and pick a work situation.
//!
//! Against a provider:
//!
//! ```sh
//! PSC_CLIENT_SECRET=... cargo run --example psc_login -- ISSUER CLIENT_ID REDIRECT_URI [CA_FILE]
//! ```
//!
//! (`ISSUER` may be `sandbox`, `production` or any issuer URL; plain http is accepted on
//! loopback only.) The example prints the URL to open in a browser, then waits for the URL the
//! browser was redirected to (paste it on stdin); it verifies the ID token and prints the
//! userinfo. With no arguments it runs offline: it shows the authorization request it would
//! send to the PSC sandbox.

use std::io::BufRead;

use segur::psc::{
    ClientAuth, ClientConfig, Environment, ProviderMetadata, PscClient, PscUserInfo, Secret,
};
use segur::transport::{
    HttpsTransport, SeededRandomness, SystemClock, SystemRandomness, TlsProfile,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => offline(),
        [issuer, client_id, redirect_uri, rest @ ..] => {
            let ca = rest
                .first()
                .map_or("/etc/ssl/certs/ca-certificates.crt", String::as_str);
            login(issuer, client_id, redirect_uri, ca)
        }
        _ => Err("usage: psc_login [ISSUER CLIENT_ID REDIRECT_URI [CA_FILE]]".into()),
    }
}

fn environment(issuer: &str) -> Environment {
    match issuer {
        "sandbox" => Environment::Sandbox,
        "production" => Environment::Production,
        other => Environment::from_issuer(other),
    }
}

/// The real flow, over HTTPS (or loopback http).
fn login(
    issuer: &str,
    client_id: &str,
    redirect_uri: &str,
    ca_file: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let env = environment(issuer);
    let transport = HttpsTransport::builder()
        .tls_profile(TlsProfile::Modern)
        .allow_plain_http(env.allows_http_loopback())
        .trust_anchors_pem(&std::fs::read(ca_file)?)?
        .build()?;
    let secret = std::env::var("PSC_CLIENT_SECRET").map_err(|_| "set PSC_CLIENT_SECRET")?;
    let config = ClientConfig::new(client_id, ClientAuth::SecretBasic(Secret::new(secret)))
        .with_redirect_uri(redirect_uri);
    let client = PscClient::discover(
        &env,
        config,
        transport,
        SystemClock::default(),
        SystemRandomness::new(),
    )?;
    for finding in client.metadata().findings() {
        eprintln!("discovery: {finding:?}");
    }

    let (url, pending) = client.authorization_url(&[])?;
    println!("Open this URL, log in, then paste the URL you are redirected to:\n{url}");
    let mut callback = String::new();
    std::io::stdin().lock().read_line(&mut callback)?;
    let tokens = client.complete_authorization(&pending, callback.trim())?;
    let id = tokens.id_token.as_ref().ok_or("no ID token")?;
    println!(
        "ID token verified: {} (acr {:?}, authMode {:?})",
        id.alg, id.claims.acr, id.claims.auth_mode
    );
    let user = client.userinfo(tokens.access_token(), Some(id))?;
    show(&user)?;
    let logout = client.logout_url(Some(&id.raw), None, None)?;
    println!("Log out at: {}", logout.expose());
    Ok(())
}

fn show(user: &PscUserInfo) -> Result<(), Box<dyn std::error::Error>> {
    println!("{}", serde_json::to_string_pretty(user)?);
    if let Some(id) = user.national_id() {
        println!("national id {} ({:?})", id.value, id.kind);
    }
    for (i, ws) in user.work_situations().iter().enumerate() {
        let site = ws
            .activite
            .and_then(|a| a.raison_sociale_site.as_deref())
            .unwrap_or("-");
        println!("work situation {i}: {} at {site}", ws.key());
    }
    Ok(())
}

/// No network: the request the client would send to the sandbox, reproducibly.
fn offline() -> Result<(), Box<dyn std::error::Error>> {
    let issuer = Environment::Sandbox.issuer();
    let discovery = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": "https://wallet.bas.psc.esante.gouv.fr/auth",
        "token_endpoint": format!("{issuer}/protocol/openid-connect/token"),
        "jwks_uri": format!("{issuer}/protocol/openid-connect/certs"),
        "userinfo_endpoint": format!("{issuer}/protocol/openid-connect/userinfo"),
        "end_session_endpoint": format!("{issuer}/protocol/openid-connect/logout"),
    });
    let metadata =
        ProviderMetadata::parse(discovery.to_string().as_bytes(), &Environment::Sandbox)?;
    let offline = |_: segur::transport::HttpRequest| -> Result<segur::transport::HttpResponse, segur::transport::TransportError> {
        Err(segur::transport::TransportError::new(
            segur::transport::TransportErrorKind::Connection,
            "offline example",
        ))
    };
    let client = PscClient::new(
        metadata,
        ClientConfig::new("my-lps", ClientAuth::SecretBasic(Secret::new("not-used")))
            .with_redirect_uri("https://lps.example/callback"),
        offline,
        SystemClock::default(),
        SeededRandomness::new(2026),
    );
    let (url, pending) = client.authorization_url(&[])?;
    println!("Discovery URL: {}", Environment::Sandbox.discovery_url());
    println!("Authorization request (PKCE S256, state, nonce, acr_values=eidas1):\n{url}");
    println!("Kept server-side until the callback: {pending:?}");
    println!(
        "\nRun against a provider: PSC_CLIENT_SECRET=... cargo run --example psc_login -- ISSUER CLIENT_ID REDIRECT_URI [CA_FILE]"
    );
    Ok(())
}
