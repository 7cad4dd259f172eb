//! `segur xds`: XDS metadata.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use segur_xds::cda::CdaOverrides;
use segur_xds::codes::{CLASS_CODE_DMP, oid};
use segur_xds::{Code, DocumentEntry, EntryUuid, RegistryObjects};

use crate::error::CliError;

/// The `segur xds` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Args {
    /// Derive the XDS DocumentEntry of a CDA document (CI-SIS mapping) and print it as an ebRIM
    /// `rim:RegistryObjectList`. Attributes the built-in tables cannot derive are named in the
    /// error; give them with the options. Coded options take `code^display^codeSystem`.
    FromCda {
        /// The CDA file.
        file: PathBuf,
        /// The entry's id (`ExtrinsicObject/@id`): a symbolic id or `urn:uuid:…`.
        #[arg(long, default_value = "Document01")]
        id: String,
        /// classCode: a JDV_J57 code (`10`, `11`, ...).
        #[arg(long)]
        class_code: Option<String>,
        /// formatCode, e.g. `urn:ihe:iti:xds-sd:pdf:2008^PDF^1.3.6.1.4.1.19376.1.2.3`.
        #[arg(long)]
        format_code: Option<String>,
        /// healthcareFacilityTypeCode, e.g. `SA07^Cabinet individuel^1.2.250.1.71.4.2.4`.
        #[arg(long)]
        facility_code: Option<String>,
        /// practiceSettingCode, e.g. `AMBULATOIRE^Ambulatoire^1.2.250.1.213.1.1.4.9`.
        #[arg(long)]
        practice_code: Option<String>,
        /// Visibility codes to add (`MASQUE_PS`, `INVISIBLE_PATIENT`,
        /// `INVISIBLE_REPRESENTANTS_LEGAUX`); repeatable.
        #[arg(long)]
        visibility: Vec<String>,
    },
}

fn coded(option: &str, value: Option<String>) -> Result<Option<Code>, CliError> {
    value
        .map(|v| {
            let code = Code::parse_hl7v2(&v)?;
            if code.coding_scheme.is_empty() {
                return Err(CliError::Library(
                    format!("--{option} needs code^display^codeSystem, got {v:?}").into(),
                ));
            }
            Ok(code)
        })
        .transpose()
}

/// Runs a `segur xds` subcommand.
pub(crate) fn run(args: Args) -> Result<ExitCode, CliError> {
    let Args::FromCda {
        file,
        id,
        class_code,
        format_code,
        facility_code,
        practice_code,
        visibility,
    } = args;
    let bytes = std::fs::read(&file).map_err(CliError::io(file.display().to_string()))?;
    let mut overrides = CdaOverrides::new();
    if let Some(c) = class_code {
        let code = CLASS_CODE_DMP
            .get_in(&c, oid::CLASS_CODE)
            .or_else(|| CLASS_CODE_DMP.get(&c))
            .ok_or_else(|| {
                CliError::Library(format!("--class-code {c:?} is not in JDV_J57").into())
            })?;
        overrides = overrides.with_class_code(code);
    }
    overrides.format_code = coded("format-code", format_code)?;
    overrides.healthcare_facility_type_code = coded("facility-code", facility_code)?;
    overrides.practice_setting_code = coded("practice-code", practice_code)?;
    for v in &visibility {
        let before = overrides.visibility_codes.len();
        overrides = overrides.with_visibility(v);
        if overrides.visibility_codes.len() == before {
            return Err(CliError::Library(
                format!("--visibility {v:?} is not a visibility code of JDV_J08").into(),
            ));
        }
    }
    let entry = DocumentEntry::from_cda_bytes(&bytes, EntryUuid::parse(&id)?, &overrides)?;
    let objects = RegistryObjects {
        documents: vec![entry],
        ..RegistryObjects::default()
    };
    std::io::stdout()
        .write_all(objects.to_xml().as_bytes())
        .map_err(CliError::io("stdout"))?;
    Ok(ExitCode::SUCCESS)
}
