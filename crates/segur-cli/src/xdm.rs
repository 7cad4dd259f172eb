//! `segur xdm`: IHE XDM archives (`IHE_XDM.ZIP`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use segur_mssante::{
    Mailbox, Mode, ReadOptions, Readme, SubmissionOptions, WriteOptions, XdmWriter, read_xdm,
    submission_for_cda,
};
use segur_transport::{SystemClock, SystemRandomness};
use segur_xds::cda::CdaOverrides;
use segur_xds::{Code, Oid};

use crate::error::CliError;

/// The `segur xdm` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Pack CDA documents into an IHE XDM archive (one submission set): metadata derived from
    /// each CDA header, 8.3 file names, URI/size/SHA-1 from the stored bytes, INDEX.HTM and
    /// README.TXT.
    Pack {
        /// The archive to write.
        #[arg(long)]
        out: PathBuf,
        /// The `sourceId` OID of the sending software or structure.
        #[arg(long, default_value = "1.2.250.1.999.1")]
        source_id: String,
        /// An intended recipient (MSSanté address); repeat for several.
        #[arg(long = "to")]
        to: Vec<String>,
        /// classCode `code|codingScheme|display name`, when the document type is not in the
        /// built-in ASS_X04 excerpt.
        #[arg(long)]
        class_code: Option<String>,
        /// formatCode `code|codingScheme|display name`, when the model is not in the built-in
        /// ASS_A11 excerpt.
        #[arg(long)]
        format_code: Option<String>,
        /// The sender named in README.TXT.
        #[arg(long, default_value = "")]
        sender: String,
        /// The CDA documents.
        #[arg(required = true)]
        documents: Vec<PathBuf>,
    },
    /// Unpack an archive into a directory after checking it: strict by default (any deviation
    /// from ITI-32 is an error), or lenient (deviations are warnings on stderr). Zip slip,
    /// bombs, duplicates and encrypted entries are refused in both modes.
    Unpack {
        /// Accept what real senders produce (extra top folder, missing separators, ...).
        #[arg(long)]
        lenient: bool,
        /// The archive.
        archive: PathBuf,
        /// The directory to write into (created if needed).
        dir: PathBuf,
    },
}

/// Parses `code|scheme|display`.
pub(crate) fn parse_code(text: &str) -> Result<Code, CliError> {
    let parts: Vec<&str> = text.split('|').collect();
    match parts.as_slice() {
        [code, scheme, display] if !code.is_empty() && !scheme.is_empty() => {
            Ok(Code::new(*code, *scheme, *display))
        }
        _ => Err(CliError::from(
            segur_mssante::Error::new(
                segur_mssante::ErrorKind::InvalidInput,
                "a code is written code|codingScheme|display name",
            )
            .value(text),
        )),
    }
}

/// Options shared by `xdm pack` and `mss build --cda`.
pub(crate) fn submission_options(
    source_id: &str,
    to: &[String],
    class_code: Option<&str>,
    format_code: Option<&str>,
) -> Result<SubmissionOptions, CliError> {
    let mut options = SubmissionOptions::new(Oid::parse(source_id)?);
    let mut overrides = CdaOverrides::new();
    if let Some(c) = class_code {
        overrides = overrides.with_class_code(parse_code(c)?);
    }
    if let Some(c) = format_code {
        overrides = overrides.with_format_code(parse_code(c)?);
    }
    options.overrides = overrides;
    for address in to {
        options.intended_recipients.push(Mailbox::new(address)?);
    }
    Ok(options)
}

/// The README.TXT of archives made by this command.
pub(crate) fn readme(sender: String) -> Readme {
    Readme {
        sender,
        application: "segur".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        vendor: "segur".into(),
        ..Readme::default()
    }
}

/// Builds an archive from CDA files.
pub(crate) fn pack(
    documents: &[PathBuf],
    options: &SubmissionOptions,
    readme: Readme,
) -> Result<Vec<u8>, CliError> {
    let mut contents = Vec::new();
    for path in documents {
        contents.push(std::fs::read(path).map_err(CliError::io(path.display().to_string()))?);
    }
    let slices: Vec<&[u8]> = contents.iter().map(Vec::as_slice).collect();
    let submission = submission_for_cda(
        &slices,
        options,
        &SystemClock::default(),
        &SystemRandomness::new(),
    )?;
    let mut writer = XdmWriter::new(WriteOptions {
        timestamp: None,
        readme,
    });
    writer.add_submission(submission, contents)?;
    Ok(writer.write()?)
}

fn write_file(dir: &Path, path: &str, data: &[u8]) -> Result<PathBuf, CliError> {
    // the reader already refused absolute names and `..`; check again before touching disk
    let mut target = dir.to_path_buf();
    for component in path.split('/') {
        if component.is_empty() || component == "." || component == ".." {
            return Err(CliError::from(
                segur_mssante::Error::new(segur_mssante::ErrorKind::ZipSlip, "unsafe path")
                    .value(path),
            ));
        }
        target.push(component);
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(CliError::io(parent.display().to_string()))?;
    }
    std::fs::write(&target, data).map_err(CliError::io(target.display().to_string()))?;
    Ok(target)
}

/// Runs a `segur xdm` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    match args {
        Args::Pack {
            out,
            source_id,
            to,
            class_code,
            format_code,
            sender,
            documents,
        } => {
            let options = submission_options(
                &source_id,
                &to,
                class_code.as_deref(),
                format_code.as_deref(),
            )?;
            let zip = pack(&documents, &options, readme(sender))?;
            std::fs::write(&out, &zip).map_err(CliError::io(out.display().to_string()))?;
            println!(
                "{}: {} document(s), {} bytes",
                out.display(),
                documents.len(),
                zip.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Args::Unpack {
            lenient,
            archive,
            dir,
        } => {
            let bytes =
                std::fs::read(&archive).map_err(CliError::io(archive.display().to_string()))?;
            let mode = if lenient { Mode::Lenient } else { Mode::Strict };
            let read = read_xdm(
                &bytes,
                &ReadOptions {
                    mode,
                    ..ReadOptions::strict()
                },
            )?;
            for w in &read.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(readme) = &read.readme {
                write_file(&dir, "README.TXT", readme.as_bytes())?;
            }
            for subset in &read.subsets {
                let base = format!("IHE_XDM/{}", subset.folder);
                let path = write_file(&dir, &format!("{base}/METADATA.XML"), &subset.metadata_xml)?;
                println!("{}", path.display());
                for d in &subset.documents {
                    let path = write_file(&dir, &d.path, &d.data)?;
                    println!("{}\t{}", path.display(), d.link.mime_type);
                }
                for (p, data) in &subset.other_files {
                    let path = write_file(&dir, p, data)?;
                    println!("{}", path.display());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
