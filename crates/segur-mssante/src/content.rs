//! What an archive says about its documents and patient: the inputs of the `X-MSS-*` headers,
//! the subject and the one-patient-per-message rule.

use segur_cda::{Document, NamePartKind};
use segur_ins::Ins;

use crate::error::{Error, ErrorKind, Result};
use crate::message::DocumentSubject;
use crate::xdm::{ReadOptions, XdmArchive, read_xdm};

/// The facts of one CDA document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CdaFacts {
    /// `ClinicalDocument/code/@code` (the value of `X-MSS-CODECDA`).
    pub code: Option<String>,
    /// The patient's INS, when `recordTarget/patientRole/id` holds one.
    pub ins: Option<Ins>,
    /// Whether the INS and the four strict traits (birth name, first given name, birth date,
    /// sex) are all present: "INS qualifiée" for `X-MSS-INS` (Ref#2 §3.8.2).
    pub qualified_ins: bool,
    /// A key identifying the patient (the INS matricule, else the first `root^extension`).
    pub patient_key: Option<String>,
    /// The subject parts taken from the header (title, names, birth date).
    pub subject: Option<DocumentSubject>,
}

fn is_xml(mime: &str) -> bool {
    let m = mime.split(';').next().unwrap_or("").trim();
    m.ends_with("/xml") || m.ends_with("+xml")
}

/// Reads the facts of one CDA document.
pub fn cda_facts(bytes: &[u8]) -> Result<CdaFacts> {
    let doc = segur_cda::flat::parse(bytes).map_err(|e| {
        Error::new(ErrorKind::Cda, format!("not a readable CDA document: {e}")).with_source(e)
    })?;
    // the facts are all in the header
    Ok(facts_of(&doc.header()))
}

fn facts_of(doc: &Document<'_>) -> CdaFacts {
    let code = doc
        .code
        .as_ref()
        .and_then(|c| c.code.as_deref())
        .map(str::to_owned);
    let ins = doc.patient_ids().find_map(|ii| {
        let (root, ext) = (ii.root.as_deref()?, ii.extension.as_deref()?);
        ii.is_ins()
            .then(|| Ins::from_cda_id(root, ext).ok())
            .flatten()
    });
    let patient_key = ins
        .as_ref()
        .map(|i| i.matricule().as_str().to_owned())
        .or_else(|| {
            doc.patient_ids().next().map(|ii| {
                format!(
                    "{}^{}",
                    ii.root.as_deref().unwrap_or(""),
                    ii.extension.as_deref().unwrap_or("")
                )
            })
        });
    let patient = doc
        .record_targets
        .iter()
        .filter_map(|p| p.role.as_deref())
        .find_map(|r| r.patient.as_ref());
    let name = patient.and_then(|p| p.names.first());
    let part = |kind, qualifier| name.and_then(|n| n.part(kind, qualifier));
    let birth_name = part(NamePartKind::Family, Some("BR"));
    let family = birth_name.or_else(|| part(NamePartKind::Family, None));
    let given = part(NamePartKind::Given, Some("BR")).or_else(|| part(NamePartKind::Given, None));
    let birth = patient
        .and_then(|p| p.birth_time.as_ref())
        .and_then(segur_cda::Time::timestamp)
        .and_then(std::result::Result::ok)
        .map(|t| t.local.date());
    let sex = patient
        .and_then(|p| p.administrative_gender_code.as_ref())
        .and_then(|c| c.code.as_deref());
    let qualified_ins = ins.is_some()
        && birth_name.is_some()
        && given.is_some()
        && birth.is_some()
        && sex.is_some();
    let subject = family.map(|family| DocumentSubject {
        label: doc.title.as_deref().unwrap_or("Document").trim().to_owned(),
        family: family.to_owned(),
        given: given.unwrap_or("").to_owned(),
        birth_date: birth,
    });
    CdaFacts {
        code,
        ins,
        qualified_ins,
        patient_key,
        subject,
    }
}

/// The facts of a whole archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ArchiveFacts {
    /// The distinct document codes, in archive order.
    pub(crate) codes: Vec<String>,
    /// Whether every CDA document carries a qualified INS.
    pub(crate) qualified_ins: bool,
    /// The patient's INS, when the documents carry one.
    pub(crate) ins: Option<Ins>,
    /// The subject parts of the first CDA document.
    pub(crate) subject: Option<DocumentSubject>,
}

/// Reads the archive and its CDA documents; refuses archives about several patients.
pub(crate) fn archive_facts(zip: &[u8], options: &ReadOptions) -> Result<ArchiveFacts> {
    let archive = read_xdm(zip, options)?;
    facts_of_archive(&archive)
}

pub(crate) fn facts_of_archive(archive: &XdmArchive) -> Result<ArchiveFacts> {
    let mixed = || {
        Error::new(
            ErrorKind::MixedPatients,
            "the archive concerns more than one patient (one patient per message, ECO.2.1.1)",
        )
    };
    let mut patient_ids = archive
        .subsets
        .iter()
        .filter_map(|s| s.submission.as_ref())
        .map(|s| s.submission_set.patient_id.to_hl7v2());
    if let Some(first) = patient_ids.next()
        && patient_ids.any(|p| p != first)
    {
        return Err(mixed());
    }
    let mut codes: Vec<String> = Vec::new();
    let mut all: Vec<CdaFacts> = Vec::new();
    for doc in archive.documents() {
        if !is_xml(&doc.link.mime_type) {
            continue;
        }
        let facts = cda_facts(&doc.data).map_err(|e| e.at(doc.path.clone()))?;
        if let Some(c) = &facts.code
            && !codes.contains(c)
        {
            codes.push(c.clone());
        }
        all.push(facts);
    }
    if let Some(first) = all.first()
        && all.iter().any(|f| f.patient_key != first.patient_key)
    {
        return Err(mixed());
    }
    Ok(ArchiveFacts {
        codes,
        qualified_ins: !all.is_empty() && all.iter().all(|f| f.qualified_ins),
        ins: all.iter().find_map(|f| f.ins),
        subject: all.iter().find_map(|f| f.subject.clone()),
    })
}
