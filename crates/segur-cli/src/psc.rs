//! `segur psc`: Pro Santé Connect discovery, CIBA login and ID token verification.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use segur_psc::{
    CibaChannel, CibaRequest, ClientAuth, ClientConfig, Environment, PscClient,
    STANDARD_DISCOVERY_PATH, Secret,
};
use segur_transport::{HttpsTransport, SystemClock, SystemRandomness, TlsProfile};
use serde_json::{Value, json};

use crate::error::CliError;

/// The `segur psc` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Fetch and check an issuer's discovery document (PSC's
    /// `/.well-known/wallet-openid-configuration`); print the endpoints and the findings as JSON.
    Discover {
        /// The issuer (`https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet`), or
        /// `production` / `sandbox`.
        issuer: String,
        #[command(flatten)]
        net: Net,
    },
    /// Log a professional in with CIBA (poll mode): the user approves on their e-CPS app or card;
    /// print the validated userinfo as JSON. The binding message is printed on stderr.
    Ciba {
        #[command(flatten)]
        client: Client,
        /// The user's national id (`SubjectNameID`, e.g. `899700218896`).
        #[arg(long)]
        login_hint: String,
        /// The two digits shown to the user (random when absent).
        #[arg(long)]
        binding_message: Option<String>,
        /// Where the user approves.
        #[arg(long, value_enum)]
        channel: Option<ChannelArg>,
        #[command(flatten)]
        net: Net,
    },
    /// Verify an ID token (signature from the JWKS or the client secret, issuer, audience, time,
    /// acr) and print its claims as JSON. Exits 1 if it is not valid.
    VerifyIdToken {
        #[command(flatten)]
        client: Client,
        /// The nonce the token must carry, if any.
        #[arg(long)]
        nonce: Option<String>,
        /// The token, or `-` to read it from stdin.
        token: String,
        #[command(flatten)]
        net: Net,
    },
}

/// The relying party's registration.
#[derive(Debug, clap::Args)]
pub(crate) struct Client {
    /// The issuer (or `production` / `sandbox`).
    #[arg(long)]
    issuer: String,
    /// The client id.
    #[arg(long)]
    client_id: String,
    /// The environment variable holding the client secret (never on the command line). Without
    /// it set, the client authenticates with mutual TLS only (`--pkcs12`).
    #[arg(long, default_value = "PSC_CLIENT_SECRET")]
    client_secret_env: String,
}

/// Network options.
#[derive(Debug, clap::Args)]
pub(crate) struct Net {
    /// Trust anchors for the provider's TLS certificate, PEM (PSC uses a public CA: the system
    /// bundle fits).
    #[arg(long, default_value = "/etc/ssl/certs/ca-certificates.crt")]
    ca_file: String,
    /// Client certificate and key for mutual TLS (`tls_client_auth`), PKCS#12.
    #[arg(long)]
    pkcs12: Option<String>,
    /// The environment variable holding the PKCS#12 password.
    #[arg(long, default_value = "PSC_PKCS12_PASSWORD")]
    pkcs12_password_env: String,
    /// Fetch `/.well-known/openid-configuration` instead of PSC's wallet document.
    #[arg(long)]
    standard_discovery: bool,
}

/// `--channel` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ChannelArg {
    /// A CPS card.
    Card,
    /// The e-CPS mobile application.
    Mobile,
}

/// Runs a `segur psc` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let output = match args {
        Args::Discover { issuer, net } => {
            let env = environment(&issuer, &net);
            let meta = segur_psc::fetch_metadata(&env, &transport(&net, &env)?)?;
            let findings: Vec<String> = meta.findings().iter().map(|f| format!("{f:?}")).collect();
            json!({ "discovery_url": env.discovery_url(), "metadata": meta.to_json(), "findings": findings })
        }
        Args::Ciba {
            client,
            login_hint,
            binding_message,
            channel,
            net,
        } => {
            let c = connect(&client, &net)?;
            let message = binding_message.unwrap_or_else(|| c.random_binding_message());
            let mut request = CibaRequest::new(login_hint)?.with_binding_message(&message)?;
            if let Some(ch) = channel {
                request = request.with_channel(match ch {
                    ChannelArg::Card => CibaChannel::Card,
                    ChannelArg::Mobile => CibaChannel::Mobile,
                });
            }
            let mut pending = c.ciba_start(&request)?;
            eprintln!("segur: binding message {message}: waiting for the user to approve");
            let tokens = c.ciba_wait(&mut pending, std::thread::sleep)?;
            let info = c.userinfo(tokens.access_token(), tokens.id_token.as_ref())?;
            serde_json::to_value(&info)?
        }
        Args::VerifyIdToken {
            client,
            nonce,
            token,
            net,
        } => {
            let token = if token == "-" {
                std::io::read_to_string(std::io::stdin()).map_err(CliError::io("stdin"))?
            } else {
                token
            };
            let c = connect(&client, &net)?;
            let nonce = nonce.map(Secret::new);
            let id = c.verify_id_token(token.trim(), nonce.as_ref())?;
            json!({ "alg": id.alg.name(), "kid": id.kid, "claims": Value::Object(id.claims.all().clone()) })
        }
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &output)?;
    writeln!(out).map_err(CliError::io("stdout"))?;
    Ok(ExitCode::SUCCESS)
}

fn environment(issuer: &str, net: &Net) -> Environment {
    let env = match issuer {
        "production" => Environment::Production,
        "sandbox" => Environment::Sandbox,
        other => Environment::from_issuer(other),
    };
    if net.standard_discovery {
        Environment::Custom {
            issuer: env.issuer().to_owned(),
            discovery_path: STANDARD_DISCOVERY_PATH.into(),
            allow_http_loopback: env.allows_http_loopback(),
        }
    } else {
        env
    }
}

fn transport(net: &Net, env: &Environment) -> Result<HttpsTransport, CliError> {
    let anchors = std::fs::read(&net.ca_file).map_err(CliError::io(net.ca_file.clone()))?;
    let mut builder = HttpsTransport::builder()
        .tls_profile(TlsProfile::Modern)
        .timeout(Duration::from_secs(30))
        .allow_plain_http(env.allows_http_loopback())
        .trust_anchors_pem(&anchors)?;
    if let Some(p12) = &net.pkcs12 {
        let bytes = std::fs::read(p12).map_err(CliError::io(p12.clone()))?;
        let password = std::env::var(&net.pkcs12_password_env).unwrap_or_default();
        builder = builder.client_identity_pkcs12(&bytes, &password)?;
    }
    Ok(builder.build()?)
}

fn connect(
    client: &Client,
    net: &Net,
) -> Result<PscClient<HttpsTransport, SystemClock, SystemRandomness>, CliError> {
    let env = environment(&client.issuer, net);
    let auth = match std::env::var(&client.client_secret_env) {
        Ok(secret) if !secret.is_empty() => ClientAuth::SecretBasic(Secret::new(secret)),
        _ if net.pkcs12.is_some() => ClientAuth::TlsClientAuth,
        _ => ClientAuth::None,
    };
    let config = ClientConfig::new(client.client_id.as_str(), auth);
    Ok(PscClient::discover(
        &env,
        config,
        transport(net, &env)?,
        SystemClock::default(),
        SystemRandomness::new(),
    )?)
}
