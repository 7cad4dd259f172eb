//! `segur vihf`: sign and verify the DMP's VIHF (SAML 2.0 assertion).

use std::io::Write;
use std::process::ExitCode;

use clap::Subcommand;
use segur_soap::vihf::{
    AuthenticationMode, CodedValue, Lps, PatientResourceId, PurposeOfUse, VihfBuilder, VihfVerifier,
};
use segur_transport::{Clock, SystemClock, SystemRandomness};
use segur_xmldsig::{Certificate, SoftwareSigner, TrustPolicy};
use serde::Deserialize;

use crate::error::CliError;

/// The `segur vihf` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Build a VIHF from a TOML description, sign it (RSA-SHA256 for an RSA key) and print it.
    /// The Issuer is the certificate's subject DN; the ID and IssueInstant come from the system
    /// clock and random source.
    Sign {
        /// The VIHF description (see the crate README for the keys).
        #[arg(long, value_name = "FILE.toml")]
        config: String,
        /// The signing private key, PEM (PKCS#8 or PKCS#1).
        #[arg(long, value_name = "KEY.pem")]
        key: String,
        /// The signing certificate, PEM.
        #[arg(long, value_name = "CERT.pem")]
        cert: String,
    },
    /// Verify the signature of a VIHF (standalone, or inside a SOAP envelope) and print its
    /// content. Exits 0 only if the signature is valid (and, with `--ca`, the certificate chains
    /// to one of the given CAs now).
    Verify {
        /// The VIHF or SOAP envelope.
        file: String,
        /// Trusted CA certificates, PEM (the IGC-Santé roots). Without it, the signature is
        /// checked with the certificate it carries, which proves integrity but not identity.
        #[arg(long, value_name = "CA.pem")]
        ca: Option<String>,
        /// Accept RSA-SHA1 / SHA-1 signatures (legacy DMP messages).
        #[arg(long)]
        allow_sha1: bool,
    },
}

/// The TOML description of a VIHF.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    /// `DIRECTE`, `INDIRECTE` or `INDIRECTE_RENFORCEE`.
    mode: String,
    name_id: String,
    subject_id: String,
    structure_id: String,
    sector: String,
    /// TRE_G15 profession code.
    profession: String,
    /// TRE_R01 speciality (mandatory for professions 10 and 21).
    specialty: Option<String>,
    /// `normal`, `bris_de_glace` or `centre_15`.
    #[serde(default)]
    purpose_of_use: Option<String>,
    /// The patient's INS as a CX value (`NIR^^^&OID&ISO^NH`).
    patient: Option<String>,
    authn_class_ref: Option<String>,
    authn_decl: Option<String>,
    validity_minutes: Option<i64>,
    lps: LpsConfig,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LpsConfig {
    id: Option<String>,
    name: String,
    version: String,
    homologation: String,
}

fn read(path: &str) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(CliError::io(path.to_owned()))
}

fn invalid(message: String) -> CliError {
    CliError::Library(message.into())
}

fn builder(config: Config) -> Result<VihfBuilder, CliError> {
    let mode = match config.mode.as_str() {
        "DIRECTE" => AuthenticationMode::Directe,
        "INDIRECTE" => AuthenticationMode::Indirecte,
        "INDIRECTE_RENFORCEE" => AuthenticationMode::IndirecteRenforcee,
        other => {
            return Err(invalid(format!(
                "mode `{other}`: expected DIRECTE, INDIRECTE or INDIRECTE_RENFORCEE"
            )));
        }
    };
    let purpose = match config.purpose_of_use.as_deref().unwrap_or("normal") {
        "normal" => PurposeOfUse::Normal,
        "bris_de_glace" => PurposeOfUse::BrisDeGlace,
        "centre_15" => PurposeOfUse::Centre15,
        other => {
            return Err(invalid(format!(
                "purpose_of_use `{other}`: expected normal, bris_de_glace or centre_15"
            )));
        }
    };
    let mut lps = Lps::new(config.lps.name, config.lps.version, config.lps.homologation);
    if let Some(id) = config.lps.id {
        lps = lps.with_id(id);
    }
    let mut b = VihfBuilder::new(mode)
        .name_id(&config.name_id)
        .subject_id(&config.subject_id)
        .structure(&config.structure_id, &config.sector)
        .role(CodedValue::profession(config.profession))
        .purpose_of_use(purpose)
        .lps(lps);
    if let Some(s) = config.specialty {
        b = b.role(CodedValue::specialty(s));
    }
    if let Some(p) = config.patient {
        b = b.patient(PatientResourceId::from_cx(&p)?);
    }
    if let Some(class_ref) = config.authn_class_ref {
        b = b.authn_context(&class_ref, config.authn_decl.as_deref());
    }
    if let Some(minutes) = config.validity_minutes {
        b = b.validity(chrono::TimeDelta::minutes(minutes));
    }
    Ok(b)
}

/// Runs a `segur vihf` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let mut stdout = std::io::stdout().lock();
    match args {
        Args::Sign { config, key, cert } => {
            let text = String::from_utf8(read(&config)?)
                .map_err(|_| invalid(format!("{config}: not UTF-8")))?;
            let parsed: Config =
                toml::from_str(&text).map_err(|e| invalid(format!("{config}: {e}")))?;
            let signer = SoftwareSigner::from_pem(&read(&key)?, &read(&cert)?)?;
            let vihf = builder(parsed)?.build(&SystemClock::default(), &SystemRandomness::new())?;
            let signed = vihf.sign(&signer)?;
            writeln!(stdout, "{signed}").map_err(CliError::io("stdout"))?;
        }
        Args::Verify {
            file,
            ca,
            allow_sha1,
        } => {
            let document = read(&file)?;
            let (verifier, trust) = match &ca {
                Some(path) => (
                    VihfVerifier::with_trust_anchors(
                        Certificate::all_from_pem(&read(path)?)?,
                        SystemClock::default().now(),
                    ),
                    format!("certificate chained to {path}"),
                ),
                None => (
                    VihfVerifier::with_policy(TrustPolicy::InsecureEmbeddedCertificate),
                    "certificate NOT checked (no --ca): integrity only".to_owned(),
                ),
            };
            let verified = verifier.allow_sha1(allow_sha1).verify(&document)?;
            let v = &verified.vihf.vihf;
            let roles: Vec<&str> = v.roles.iter().map(|r| r.code.as_str()).collect();
            let out = format!(
                "signature: valid, {trust}\nissuer: {}\nID: {}\nIssueInstant: {}\nmode: {}\nNameID: {}\nsubject-id: {}\nstructure: {} ({})\nroles: {}\npurpose of use: {}\npatient: {}\nLPS: {} {} ({})\n",
                verified.vihf.issuer,
                v.id,
                v.issue_instant.to_rfc3339(),
                v.mode.as_str(),
                v.name_id,
                v.subject_id,
                v.structure_id,
                v.sector,
                roles.join(", "),
                v.purpose_of_use.code(),
                if v.patient.is_some() {
                    "present (not shown)"
                } else {
                    "none"
                },
                v.lps.name,
                v.lps.version,
                v.lps.homologation,
            );
            stdout
                .write_all(out.as_bytes())
                .map_err(CliError::io("stdout"))?;
        }
    }
    stdout.flush().map_err(CliError::io("stdout"))?;
    Ok(ExitCode::SUCCESS)
}
