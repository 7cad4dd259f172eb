//! `segur cda`: look into CDA documents.

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use segur_cda::Summary;

use crate::error::CliError;

/// The `segur cda` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Parse each file and print its key header fields (ids, codes, title, patient and author
    /// ids, body level, top-level section codes). A file that does not parse is reported on
    /// stderr with the error's line, column and element path; the exit code is then 1.
    Inspect {
        /// One JSON object per document on one line instead of the readable form.
        #[arg(long)]
        json: bool,
        /// The CDA files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Build a CDA document (N1 or N3: LDL-SES, BIO-CR-BIO) from a JSON description; every
    /// problem of the description is reported with its field.
    Build(crate::cda_build::Args),
}

/// Runs a `segur cda` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let (json, files) = match args {
        Args::Inspect { json, files } => (json, files),
        Args::Build(args) => return crate::cda_build::run(args),
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut failed = false;
    // one parser for all the files: each index goes into the buffers of the one before
    let mut parser = segur_cda::flat::Parser::new();
    for path in &files {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(CliError::io(name.clone()))?;
        match parser.parse(&bytes) {
            Ok(doc) => {
                let summary = Summary::of(&doc);
                parser.recycle(doc);
                if json {
                    writeln!(out, "{}", summary.to_json(&name))
                } else {
                    write_text(&mut out, &name, &summary)
                }
                .map_err(CliError::io("stdout"))?;
            }
            Err(e) => {
                out.flush().map_err(CliError::io("stdout"))?;
                eprintln!("segur: {name}: {e}");
                failed = true;
            }
        }
    }
    out.flush().map_err(CliError::io("stdout"))?;
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The readable form: the file name, then one indented `key: value` line per field.
fn write_text(out: &mut impl Write, name: &str, s: &Summary) -> std::io::Result<()> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_owned()
        } else {
            v.join(", ")
        }
    };
    writeln!(out, "{name}")?;
    writeln!(out, "  template_ids:    {}", list(&s.template_ids))?;
    writeln!(out, "  id:              {}", opt(&s.id))?;
    writeln!(
        out,
        "  code:            {} ({})",
        opt(&s.code),
        opt(&s.code_system)
    )?;
    writeln!(out, "  title:           {}", opt(&s.title))?;
    writeln!(out, "  effective_time:  {}", opt(&s.effective_time))?;
    writeln!(out, "  confidentiality: {}", opt(&s.confidentiality))?;
    writeln!(out, "  language:        {}", opt(&s.language))?;
    writeln!(out, "  set_id:          {}", opt(&s.set_id))?;
    writeln!(out, "  version:         {}", opt(&s.version))?;
    writeln!(out, "  patient_ids:     {}", list(&s.patient_ids))?;
    writeln!(out, "  author_ids:      {}", list(&s.author_ids))?;
    writeln!(out, "  custodian_id:    {}", opt(&s.custodian_id))?;
    let body = s.body.unwrap_or("-");
    match &s.media_type {
        Some(m) => writeln!(out, "  body:            {body} ({m})")?,
        None => writeln!(out, "  body:            {body}")?,
    }
    let sections: Vec<String> = s
        .section_codes
        .iter()
        .map(|c| c.clone().unwrap_or_else(|| "-".to_owned()))
        .collect();
    writeln!(out, "  section_codes:   {}", list(&sections))
}
