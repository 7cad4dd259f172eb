//! `segur xml`: XML canonicalisation.

use std::io::{Read, Write};
use std::process::ExitCode;

use clap::Subcommand;
use segur_xmldsig::Canonicalization;

use crate::error::CliError;

/// The `segur xml` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Print the canonical form of FILE (`-` for stdin): Canonical XML 1.0 by default,
    /// Exclusive XML Canonicalization 1.0 with `--exclusive`; comments dropped unless
    /// `--with-comments`. DTDs are refused.
    C14n {
        /// Exclusive canonicalisation (as XML-DSig and the VIHF use).
        #[arg(long)]
        exclusive: bool,
        /// The `InclusiveNamespaces PrefixList` of exclusive canonicalisation, space-separated
        /// (`#default` for the default namespace).
        #[arg(long, requires = "exclusive", value_name = "\"a b\"")]
        prefixes: Option<String>,
        /// Keep comments (as `xmllint --c14n` / `--exc-c14n` do).
        #[arg(long)]
        with_comments: bool,
        /// The XML file, or `-` for stdin.
        file: String,
    },
}

/// Runs a `segur xml` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    match args {
        Args::C14n {
            exclusive,
            prefixes,
            with_comments,
            file,
        } => {
            let input = if file == "-" {
                let mut buf = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut buf)
                    .map_err(CliError::io("stdin"))?;
                buf
            } else {
                std::fs::read(&file).map_err(CliError::io(file.clone()))?
            };
            let c14n = if exclusive {
                Canonicalization::exclusive()
                    .inclusive_prefixes(prefixes.as_deref().unwrap_or("").split_ascii_whitespace())
            } else {
                Canonicalization::inclusive()
            };
            let out = c14n.with_comments(with_comments).canonicalize(&input)?;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&out).map_err(CliError::io("stdout"))?;
            stdout.flush().map_err(CliError::io("stdout"))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
