//! `segur dmp`: the main DMP transactions against a configurable endpoint (mutual TLS, VIHF
//! signed with the given key), and `segur dmp simulator`, the segur-dmp simulator as an HTTPS
//! server for vendors' tests.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args as ClapArgs, Subcommand};
use segur_dmp::simulator::Simulator;
use segur_dmp::simulator::server::{ServerConfig, SimulatorServer};
use segur_dmp::{AuthorizationAction, DmpClient, Environment, Query, Retrieve, SenderDevice};
use segur_ins::Ins;
use segur_soap::vihf::{AuthenticationMode, CodedValue, Lps, VihfBuilder, VihfVerifier};
use segur_transport::{HttpsTransport, SystemClock, SystemRandomness};
use segur_xds::{AvailabilityStatus, Cx, UniqueId};
use segur_xmldsig::{Certificate, SoftwareSigner};

use crate::error::CliError;

/// Where the DMP is, who calls it and about which patient.
#[derive(Debug, ClapArgs)]
pub(crate) struct Connection {
    /// Base URL of the services (`https://host/si-dmp-server/v2/services`).
    #[arg(long)]
    endpoint: String,
    /// PEM trust anchors of the server certificate.
    #[arg(long)]
    ca: PathBuf,
    /// PEM client certificate (mutual TLS).
    #[arg(long)]
    tls_cert: PathBuf,
    /// PEM private key of the client certificate.
    #[arg(long)]
    tls_key: PathBuf,
    /// PEM certificate signing the VIHF.
    #[arg(long)]
    sign_cert: PathBuf,
    /// PEM private key signing the VIHF.
    #[arg(long)]
    sign_key: PathBuf,
    /// The patient's INS as an XDS CX (`<INS>^^^&<OID>&ISO^NH`).
    #[arg(long)]
    patient: String,
    /// VIHF NameID (IdNat_PS of the professional).
    #[arg(long)]
    name_id: String,
    /// VIHF subject-id ("NOM Prénom").
    #[arg(long)]
    subject: String,
    /// Identifiant_Structure.
    #[arg(long)]
    structure: String,
    /// Secteur_Activite code (`SA07`...).
    #[arg(long, default_value = "SA07")]
    sector: String,
    /// Profession code (TRE_G15, `10` = médecin).
    #[arg(long, default_value = "10")]
    profession: String,
    /// Speciality code (mandatory for professions 10 and 21).
    #[arg(long)]
    specialty: Option<String>,
    /// LPS name.
    #[arg(long, default_value = "segur-cli")]
    lps_name: String,
    /// DMP homologation number of the LPS.
    #[arg(long)]
    homologation: String,
    /// LPS OID (HL7 v3 sender device).
    #[arg(long, default_value = "1.2.250.1.999.1.1")]
    lps_oid: String,
}

/// The `segur dmp` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// TD0.2: does the patient have a DMP, is the caller authorised?
    Existence(Box<Connection>),
    /// TD0.3: declare oneself authorised (or remove the authorisation with `--remove`).
    Authorize {
        #[command(flatten)]
        connection: Box<Connection>,
        /// Remove the authorisation instead of adding it.
        #[arg(long)]
        remove: bool,
    },
    /// TD3.1: FindDocuments of the patient; prints `entryUUID uniqueId status title` lines.
    Find {
        #[command(flatten)]
        connection: Box<Connection>,
        /// Statuses: `approved`, `archived`, `deleted`, `deprecated` (repeatable).
        #[arg(long, default_value = "approved")]
        status: Vec<String>,
    },
    /// TD3.2: retrieve a document by its uniqueId and write its bytes.
    Retrieve {
        #[command(flatten)]
        connection: Box<Connection>,
        /// The document's uniqueId.
        #[arg(long)]
        unique_id: String,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Runs the DMP simulator behind an HTTPS server requiring mutual TLS, until killed;
    /// prints `listening on <base URL>` first.
    Simulator(Box<SimulatorArgs>),
}

/// `segur dmp simulator`.
#[derive(Debug, ClapArgs)]
pub(crate) struct SimulatorArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// PEM certificate chain of the server (RSA for clients with the DMP's TLS 1.2 profile).
    #[arg(long)]
    cert: PathBuf,
    /// PEM private key of the server.
    #[arg(long)]
    key: PathBuf,
    /// PEM anchors client certificates must chain to.
    #[arg(long)]
    client_ca: PathBuf,
    /// PEM anchors VIHF signatures must chain to (default: `--client-ca`).
    #[arg(long)]
    vihf_ca: Option<PathBuf>,
    /// A patient who has a DMP, as an XDS CX (`<INS>^^^&<OID>&ISO^NH`); repeatable.
    #[arg(long = "patient")]
    patients: Vec<String>,
    /// Accept only what the DMP accepts: TLS 1.2 with its three ECDHE_RSA AEAD suites.
    #[arg(long)]
    dmp_tls: bool,
}

fn read(path: &PathBuf) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(CliError::io(path.display().to_string()))
}

fn connect(c: &Connection) -> Result<(DmpClient<HttpsTransport>, Ins, Cx), CliError> {
    let transport = HttpsTransport::builder()
        .trust_anchors_pem(&read(&c.ca)?)?
        .client_identity_pem(&read(&c.tls_cert)?, &read(&c.tls_key)?)?
        .build()?;
    let signer = SoftwareSigner::from_pem(&read(&c.sign_key)?, &read(&c.sign_cert)?)?;
    let mut vihf = VihfBuilder::new(AuthenticationMode::Indirecte)
        .name_id(&c.name_id)
        .subject_id(&c.subject)
        .structure(&c.structure, &c.sector)
        .role(CodedValue::profession(&c.profession))
        .lps(Lps::new(
            &c.lps_name,
            env!("CARGO_PKG_VERSION"),
            &c.homologation,
        ));
    if let Some(s) = &c.specialty {
        vihf = vihf.role(CodedValue::specialty(s));
    }
    let ins = Ins::from_xds_cx(&c.patient)?;
    let cx = Cx::from_ins(&ins);
    let client = DmpClient::new(
        transport,
        Environment::new(&c.endpoint),
        vihf,
        Box::new(signer),
        SenderDevice {
            oid: c.lps_oid.clone(),
            name: c.lps_name.clone(),
        },
        Box::new(SystemClock::default()),
        Box::new(SystemRandomness::new()),
    );
    Ok((client, ins, cx))
}

fn status(name: &str) -> Result<AvailabilityStatus, CliError> {
    Ok(match name {
        "approved" => AvailabilityStatus::Approved,
        "archived" => AvailabilityStatus::Archived,
        "deleted" => AvailabilityStatus::Deleted,
        "deprecated" => AvailabilityStatus::Deprecated,
        other => {
            return Err(CliError::Library(
                format!("unknown status {other:?}").into(),
            ));
        }
    })
}

fn simulator(args: &SimulatorArgs) -> Result<ExitCode, CliError> {
    let anchors =
        Certificate::all_from_pem(&read(args.vihf_ca.as_ref().unwrap_or(&args.client_ca))?)?;
    let verifier = VihfVerifier::with_trust_anchors(anchors, chrono::Utc::now());
    let simulator = Simulator::new(verifier, 1);
    for patient in &args.patients {
        // the same check as the client's
        Ins::from_xds_cx(patient)?;
        simulator.add_patient(patient);
    }
    let config = ServerConfig::from_pem(
        &read(&args.cert)?,
        &read(&args.key)?,
        &read(&args.client_ca)?,
    )?
    .listen(args.listen)
    .dmp_tls_profile(args.dmp_tls);
    let server = SimulatorServer::start(simulator, config)?;
    let mut out = std::io::stdout();
    writeln!(out, "listening on {}", server.url())
        .and_then(|()| out.flush())
        .map_err(CliError::io("stdout"))?;
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Runs a `segur dmp` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    match args {
        Args::Simulator(args) => return simulator(&args),
        Args::Existence(c) => {
            let (dmp, ins, _) = connect(&c)?;
            let s = dmp.test_existence(&ins)?;
            println!("exists: {}", s.exists);
            println!(
                "authorisation: {}",
                s.authorization.as_deref().unwrap_or("-")
            );
            if let Some(mt) = s.treating_physician {
                println!("treating physician: {mt}");
            }
        }
        Args::Authorize { connection, remove } => {
            let (dmp, ins, _) = connect(&connection)?;
            let action = if remove {
                AuthorizationAction::Remove
            } else {
                AuthorizationAction::Add
            };
            let s = dmp.set_authorization(&ins, action)?;
            println!("{} {}", s.status, s.context.as_deref().unwrap_or(""));
        }
        Args::Find {
            connection,
            status: names,
        } => {
            let statuses = names
                .iter()
                .map(|n| status(n))
                .collect::<Result<Vec<_>, _>>()?;
            let (dmp, ins, cx) = connect(&connection)?;
            let found = dmp.query(&ins, &Query::find_documents(&cx, &statuses))?;
            for d in &found.objects.documents {
                println!(
                    "{} {} {} {}",
                    d.entry_uuid.as_str(),
                    d.unique_id.as_str(),
                    d.availability_status
                        .map(AvailabilityStatus::urn)
                        .unwrap_or("-"),
                    d.title.as_deref().unwrap_or("")
                );
            }
        }
        Args::Retrieve {
            connection,
            unique_id,
            out,
        } => {
            let (dmp, ins, _) = connect(&connection)?;
            let docs = dmp.retrieve(&ins, &Retrieve::new(UniqueId::parse(&unique_id)?))?;
            let doc = docs
                .first()
                .ok_or_else(|| CliError::Library("no document in the answer".into()))?;
            std::fs::write(&out, &doc.content).map_err(CliError::io(out.display().to_string()))?;
            println!("{} bytes written to {}", doc.content.len(), out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
