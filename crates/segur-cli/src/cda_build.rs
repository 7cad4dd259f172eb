//! `segur cda build`: a CDA document from a JSON description.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args as ClapArgs;
use segur_cda::build::DocumentDescription;
use segur_cda::validate::Severity;
use segur_cda::write::Style;

use crate::error::CliError;

/// `segur cda build` arguments.
#[derive(Debug, ClapArgs)]
pub(crate) struct Args {
    /// The JSON description (format: `crates/segur-cda/examples-data/README.md`); the files it
    /// names are read relative to it.
    description: PathBuf,
    /// Write the document here instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Indent the XML (one element per line) instead of the compact form.
    #[arg(long)]
    pretty: bool,
}

/// Builds the document. Every problem of the description is printed on stderr, one per line
/// with its field, and the exit code is 1; so is it when the built document has a
/// `Document::validate` error (warnings are printed, the document is written).
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let name = args.description.display().to_string();
    let text = std::fs::read_to_string(&args.description).map_err(CliError::io(name.clone()))?;
    let description: DocumentDescription = serde_json::from_str(&text)?;
    let base = args
        .description
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut read = |file: &str| std::fs::read(base.join(file)).map_err(|e| format!("{file}: {e}"));
    let built = description.to_builder(&mut read).and_then(|b| b.build());
    let doc = match built {
        Ok(doc) => doc,
        Err(e) => {
            for p in &e.problems {
                eprintln!("segur: {name}: {p}");
            }
            return Ok(ExitCode::FAILURE);
        }
    };
    let report = doc.validate();
    for f in &report.findings {
        eprintln!("segur: {name}: {f}");
    }
    let xml = doc.to_xml(if args.pretty {
        Style::Pretty
    } else {
        Style::Compact
    });
    match &args.output {
        Some(path) => {
            std::fs::write(path, xml).map_err(CliError::io(path.display().to_string()))?;
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(xml.as_bytes())
                .and_then(|()| out.flush())
                .map_err(CliError::io("stdout"))?;
        }
    }
    Ok(
        if report
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}
