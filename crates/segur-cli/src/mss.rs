//! `segur mss`: MSSanté messages (.eml).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use segur_mssante::{Mailbox, MessageBuilder, Mode, ReadOptions, Receipt, read_message};
use segur_transport::{SystemClock, SystemRandomness};

use crate::error::CliError;

/// The `segur mss` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Build an MSSanté message (.eml): `XDM/1.0/DDM+` subject and `X-MSS-*` headers computed
    /// from the CDA documents of the archive, PDF companions, receipts, one patient per message.
    Build(Box<BuildArgs>),
    /// Read a received message: headers, X-MSS headers, receipts and bounces, archives with
    /// their warnings and CDA documents, attachments.
    Read {
        /// Read archives in lenient mode (deviations become warnings).
        #[arg(long)]
        lenient: bool,
        /// The .eml file.
        file: PathBuf,
    },
}

/// The options of `segur mss build`.
#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    /// The sender's MSSanté address.
    #[arg(long)]
    from: String,
    /// The sender's display name ("libellé signifiant").
    #[arg(long)]
    from_name: Option<String>,
    /// A recipient; repeat for several (a patient is `<INS>@patient.mssante.fr`).
    #[arg(long = "to", required = true)]
    to: Vec<String>,
    /// The product reference for `X-MSS-NIL` (mandatory on every MSSanté mail).
    #[arg(long)]
    nil: String,
    /// An existing IHE_XDM.ZIP to attach.
    #[arg(long, conflicts_with = "cda")]
    xdm: Option<PathBuf>,
    /// CDA documents to pack into a new IHE_XDM.ZIP; repeat for several.
    #[arg(long)]
    cda: Vec<PathBuf>,
    /// The `sourceId` OID used when packing `--cda` documents.
    #[arg(long, default_value = "1.2.250.1.999.1")]
    source_id: String,
    /// classCode `code|codingScheme|display name` for `--cda` documents.
    #[arg(long)]
    class_code: Option<String>,
    /// formatCode `code|codingScheme|display name` for `--cda` documents.
    #[arg(long)]
    format_code: Option<String>,
    /// A PDF companion; repeat for several.
    #[arg(long)]
    pdf: Vec<PathBuf>,
    /// A free subject (default: taken from the first CDA document).
    #[arg(long)]
    subject: Option<String>,
    /// The plain-text body.
    #[arg(long, default_value = "")]
    body: String,
    /// Ask for a read receipt (MDN).
    #[arg(long)]
    read_receipt: bool,
    /// Ask for a delivery receipt (DSN, when sent).
    #[arg(long)]
    delivery_receipt: bool,
    /// Forbid the patient to answer (`X-MSS-MES: FIN`).
    #[arg(long)]
    no_reply: bool,
    /// The .eml file to write.
    #[arg(long)]
    out: PathBuf,
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document.pdf".to_owned())
}

/// Runs a `segur mss` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    match args {
        Args::Build(args) => {
            let BuildArgs {
                from,
                from_name,
                to,
                nil,
                xdm,
                cda,
                source_id,
                class_code,
                format_code,
                pdf,
                subject,
                body,
                read_receipt,
                delivery_receipt,
                no_reply,
                out,
            } = *args;
            let sender = match &from_name {
                Some(n) => Mailbox::with_name(&from, n)?,
                None => Mailbox::new(&from)?,
            };
            let mut b = MessageBuilder::new(sender, &nil)
                .body(&body)
                .read_receipt(read_receipt)
                .delivery_receipt(delivery_receipt)
                .no_reply(no_reply);
            for t in &to {
                b = b.to(Mailbox::new(t)?);
            }
            if let Some(s) = &subject {
                b = b.subject(s);
            }
            if let Some(path) = &xdm {
                b = b.xdm(std::fs::read(path).map_err(CliError::io(path.display().to_string()))?);
            } else if !cda.is_empty() {
                let options = crate::xdm::submission_options(
                    &source_id,
                    &to,
                    class_code.as_deref(),
                    format_code.as_deref(),
                )?;
                let readme = crate::xdm::readme(from_name.unwrap_or(from));
                b = b.xdm(crate::xdm::pack(&cda, &options, readme)?);
            }
            for path in &pdf {
                let data = std::fs::read(path).map_err(CliError::io(path.display().to_string()))?;
                b = b.pdf(&file_name(path), data);
            }
            let built = b.build(&SystemClock::default(), &SystemRandomness::new())?;
            std::fs::write(&out, &built.bytes).map_err(CliError::io(out.display().to_string()))?;
            println!(
                "{}: {} bytes, Message-ID <{}>",
                out.display(),
                built.bytes.len(),
                built.message_id
            );
            Ok(ExitCode::SUCCESS)
        }
        Args::Read { lenient, file } => {
            let bytes = std::fs::read(&file).map_err(CliError::io(file.display().to_string()))?;
            let options = ReadOptions {
                mode: if lenient { Mode::Lenient } else { Mode::Strict },
                ..ReadOptions::strict()
            };
            let m = read_message(&bytes, &options)?;
            let opt = |v: &Option<String>| v.clone().unwrap_or_default();
            println!("From: {}", opt(&m.from));
            println!("To: {}", m.to.join(", "));
            println!("Subject: {}", opt(&m.subject));
            println!("Message-ID: {}", opt(&m.message_id));
            println!("Date: {}", opt(&m.date));
            if !m.mss.codes.is_empty() {
                println!("X-MSS-CODECDA: {}", m.mss.codes.join(","));
            }
            if let Some(q) = m.mss.qualified_ins {
                println!("X-MSS-INS: {}", if q { "O" } else { "N" });
            }
            if let Some(nil) = &m.mss.nil {
                println!("X-MSS-NIL: {nil}");
            }
            if m.mss.no_reply {
                println!("X-MSS-MES: FIN");
            }
            if let Some(dnt) = &m.disposition_notification_to {
                println!("read receipt requested by: {dnt}");
            }
            match &m.receipt {
                Some(Receipt::Mdn(mdn)) => println!(
                    "receipt: MDN {:?} for <{}>{}",
                    mdn.disposition,
                    mdn.original_message_id.clone().unwrap_or_default(),
                    mdn.error
                        .as_ref()
                        .map(|e| format!(", error {}", e.text))
                        .unwrap_or_default()
                ),
                Some(Receipt::Dsn(dsn)) => {
                    for r in &dsn.recipients {
                        println!(
                            "receipt: DSN {} {:?} {}",
                            r.final_recipient, r.action, r.status
                        );
                    }
                }
                Some(Receipt::Bounce(reason)) => println!("receipt: bounce ({reason})"),
                None => {}
            }
            let mut failed = false;
            for a in &m.archives {
                match &a.archive {
                    Ok(archive) => {
                        println!(
                            "archive {}: {} submission set(s)",
                            a.name,
                            archive.subsets.len()
                        );
                        for w in &archive.warnings {
                            println!("  warning: {w}");
                        }
                        for d in archive.documents() {
                            println!(
                                "  {} ({}, {} bytes)",
                                d.path,
                                d.link.mime_type,
                                d.data.len()
                            );
                        }
                        for d in &a.documents {
                            match &d.facts {
                                Ok(f) => println!(
                                    "  CDA {}: code {}, INS qualifiée {}",
                                    d.path,
                                    f.code.as_deref().unwrap_or("?"),
                                    if f.qualified_ins { "O" } else { "N" }
                                ),
                                Err(e) => println!("  CDA {}: {e}", d.path),
                            }
                        }
                    }
                    Err(e) => {
                        eprintln!("segur: archive {}: {e}", a.name);
                        failed = true;
                    }
                }
            }
            for a in &m.attachments {
                println!(
                    "attachment {} ({}, {} bytes)",
                    a.name,
                    a.content_type,
                    a.data.len()
                );
            }
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
