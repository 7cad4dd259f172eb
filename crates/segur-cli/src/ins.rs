//! `segur ins`: check matricules, show an INS in every wire form.

use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use segur_ins::{Ins, InsOid, Matricule, Profile};

use crate::error::CliError;

/// The `segur ins` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Read one candidate matricule per line on stdin; print `valid` or `invalid: <reason>`
    /// for each, in the same order (exit code 0 whatever the verdicts).
    Check {
        /// `ins`: what the INS rules allow; `nir`: any syntactically valid NIR (as python-stdnum).
        #[arg(long, value_enum, default_value_t = ProfileArg::Ins)]
        profile: ProfileArg,
    },
    /// Print the decomposition of a matricule and the INS in every wire form (this prints the
    /// full INS you typed).
    Show {
        /// The matricule (15 characters; spaces, dots and lower-case `2a` accepted).
        nir: String,
        /// The assigning authority.
        #[arg(long, default_value = "1.2.250.1.213.1.4.8")]
        oid: String,
    },
}

/// The profile names on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ProfileArg {
    /// Strict INS profile.
    Ins,
    /// Lenient NIR profile.
    Nir,
}

impl From<ProfileArg> for Profile {
    fn from(p: ProfileArg) -> Self {
        match p {
            ProfileArg::Ins => Self::Ins,
            ProfileArg::Nir => Self::Nir,
        }
    }
}

/// Runs a `segur ins` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args {
        Args::Check { profile } => check(std::io::stdin().lock(), &mut out, profile.into())?,
        Args::Show { nir, oid } => show(&nir, &oid, &mut out)?,
    }
    out.flush().map_err(CliError::io("stdout"))?;
    Ok(ExitCode::SUCCESS)
}

fn check(mut input: impl BufRead, out: &mut impl Write, profile: Profile) -> Result<(), CliError> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input
            .read_until(b'\n', &mut line)
            .map_err(CliError::io("stdin"))?
            == 0
        {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.strip_suffix('\n').unwrap_or(&text);
        match Matricule::parse_with(text, profile) {
            Ok(_) => writeln!(out, "valid"),
            Err(e) => writeln!(out, "invalid: {e}"),
        }
        .map_err(CliError::io("stdout"))?;
    }
}

fn show(nir: &str, oid: &str, out: &mut impl Write) -> Result<(), CliError> {
    let matricule = Matricule::parse(nir)?;
    let ins = Ins::new(matricule, InsOid::from_oid(oid)?)?;
    let d = matricule.decompose();
    let warnings: Vec<String> = matricule
        .warnings()
        .iter()
        .map(ToString::to_string)
        .collect();
    let rows = [
        ("matricule", matricule.grouped()),
        ("compact", matricule.as_str().to_owned()),
        ("sex digit", d.sex.to_string()),
        ("birth year", format!("{:02} (last two digits)", d.year)),
        ("birth month", d.month.to_string()),
        ("birth place", d.place.to_string()),
        ("place code", matricule.place_code().to_owned()),
        ("order", format!("{:03}", d.order)),
        ("key", format!("{:02} (valid)", d.key)),
        (
            "warnings",
            if warnings.is_empty() {
                "none".to_owned()
            } else {
                warnings.join("; ")
            },
        ),
        (
            "authority",
            format!("{} ({})", ins.oid(), ins.oid().fhir_type_code()),
        ),
        (
            "CDA id",
            format!(
                "<id root=\"{}\" extension=\"{}\"/>",
                ins.cda_root(),
                ins.cda_extension()
            ),
        ),
        ("XDS CX", ins.to_xds_cx()),
        ("HL7 v2 PAM CX", ins.to_hl7v2_pam_cx()),
        (
            "FHIR identifier",
            format!(
                "system={} value={} type={}",
                ins.fhir_system(),
                ins.fhir_value(),
                ins.fhir_type_code()
            ),
        ),
        ("MSSanté address", ins.mssante_address()),
        ("VIHF resource-id", ins.vihf_resource_id()),
    ];
    for (label, value) in rows {
        writeln!(out, "{label:<17}{value}").map_err(CliError::io("stdout"))?;
    }
    Ok(())
}
