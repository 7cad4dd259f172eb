//! `segur`: the command-line face of the segur libraries.
//!
//! Each area lives in its own module exposing `Args` and `run(args) -> Result<ExitCode,
//! CliError>`; this file only declares the top-level commands and dispatches.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cda;
mod cda_build;
mod dmp;
mod error;
mod ins;
mod mss;
mod psc;
mod vihf;
mod xdm;
mod xds;
mod xml;

/// Ségur du numérique tools: INS, CDA, DMP, MSSanté, Pro Santé Connect.
#[derive(Debug, Parser)]
#[command(name = "segur", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Identité Nationale de Santé: check matricules, show an INS in every wire form.
    #[command(subcommand)]
    Ins(ins::Args),
    /// XML: canonical form (C14N 1.0, exclusive C14N) of a document.
    #[command(subcommand)]
    Xml(xml::Args),
    /// HL7 CDA documents: inspect their header.
    #[command(subcommand)]
    Cda(cda::Args),
    /// The DMP's VIHF (SAML assertion): sign one from a TOML description, verify one.
    #[command(subcommand)]
    Vihf(vihf::Args),
    /// XDS metadata: derive a document's DocumentEntry from its CDA header, as ebRIM.
    #[command(subcommand)]
    Xds(xds::Args),
    /// IHE XDM archives (IHE_XDM.ZIP): pack CDA documents, unpack (strict or lenient).
    #[command(subcommand)]
    Xdm(xdm::Args),
    /// MSSanté messages: build an .eml (X-MSS headers from the archive), read one.
    #[command(subcommand)]
    Mss(mss::Args),
    /// Pro Santé Connect: discovery, CIBA login, ID token verification.
    #[command(subcommand)]
    Psc(psc::Args),
    /// The DMP: existence test, authorisation, find and retrieve documents (mutual TLS, signed VIHF).
    #[command(subcommand)]
    Dmp(dmp::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ins(args) => ins::run(args),
        Command::Xml(args) => xml::run(args),
        Command::Cda(args) => cda::run(args),
        Command::Vihf(args) => vihf::run(args),
        Command::Xds(args) => xds::run(args),
        Command::Xdm(args) => xdm::run(args),
        Command::Mss(args) => mss::run(args),
        Command::Psc(args) => psc::run(args),
        Command::Dmp(args) => dmp::run(args),
    };
    result.unwrap_or_else(|e| {
        eprintln!("segur: {e}");
        e.exit_code()
    })
}
