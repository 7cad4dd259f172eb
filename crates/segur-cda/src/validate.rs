//! [`Document::validate`]: the CI-SIS rules the ANS schematrons do not check.
//!
//! The ANS XSD and schematrons (run by `shared/tools/validate-cda`) check the structure, the
//! cardinalities and most codes. They do not check that the patient id is a valid INS (OID,
//! format, key), that health professionals are identified under the national OID with a
//! well-formed RPPS/ADELI, that an N1 payload has an allowed media type and really is what it
//! claims, nor some consistency between header fields. This module does, and returns a report of
//! typed findings: validation is not an error.
//!
//! ```
//! use segur_cda::build::samples;
//! use segur_cda::validate::Rule;
//!
//! let mut doc = samples::n1_letter().build().unwrap();
//! assert!(doc.validate().is_valid());
//! // an INS with a wrong key
//! doc.record_targets[0].role.as_mut().unwrap().ids[0].extension = Some("279035121518988".into());
//! let report = doc.validate();
//! assert!(!report.is_valid());
//! assert_eq!(report.findings[0].rule, Rule::InsInvalid);
//! ```

use std::fmt;

use crate::build::{N1MediaType, PS_ID_ROOT, volets::VoletSpec};
use crate::model::{Body, Document, Ii, Participation};
use crate::valuesets;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The document breaks a CI-SIS rule: receivers may reject it.
    Error,
    /// Suspicious or discouraged, but allowed.
    Warning,
}

/// Which rule a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// No patient id under an INS OID (a document for the DMP needs the qualified INS).
    InsMissing,
    /// A patient id under an INS OID is not a valid INS (format, key, OID refused).
    InsInvalid,
    /// A patient id uses a legacy INS-C OID (`1.2.250.1.213.1.4.2`, `.6`, `.7`), never emitted.
    InsLegacyOid,
    /// A person (author: error; legal authenticator, authenticator: warning) is not identified
    /// under the national OID `1.2.250.1.71.4.2.1`.
    ProfessionalIdOid,
    /// An id under `1.2.250.1.71.4.2.1` is neither `8` + 11-digit RPPS nor `0` + 9-character
    /// ADELI (error when it starts with `8` or `0`, warning for other prefixes).
    ProfessionalIdFormat,
    /// The N1 media type is not one the CI-SIS allows (`application/pdf`, `text/plain`,
    /// `text/rtf`, `image/jpeg`, `image/tiff`).
    N1MediaType,
    /// The N1 payload is not base64 (`representation="B64"`), cannot be decoded, is empty, or
    /// its bytes are not of the declared media type.
    N1Payload,
    /// The document code is not in `JDV_J07_XdsTypeCode_CISIS` (or not in the code system
    /// the value set gives for it).
    DocumentCode,
    /// The document code contradicts the volet templateId.
    VoletCode,
    /// `versionNumber`, `setId` and `relatedDocument` disagree (a version above 1 replaces a
    /// parent; a replacement has a new `id` but the same `setId`).
    Versioning,
    /// A header time has no UTC offset.
    TimeZone,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious.
    pub severity: Severity,
    /// Which rule.
    pub rule: Rule,
    /// Where: an element path such as `/ClinicalDocument/author[1]/assignedAuthor/id[1]`.
    pub path: String,
    /// What is wrong (never quotes an INS or a name).
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level} {:?} at {}: {}",
            self.rule, self.path, self.message
        )
    }
}

/// The result of [`Document::validate`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationReport {
    /// The findings, in document order.
    pub findings: Vec<Finding>,
}

impl ValidationReport {
    /// `true` when no finding is an error.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    fn push(
        &mut self,
        severity: Severity,
        rule: Rule,
        path: impl Into<String>,
        message: impl Into<String>,
    ) {
        self.findings.push(Finding {
            severity,
            rule,
            path: path.into(),
            message: message.into(),
        });
    }
}

const LEGACY_INS_ROOTS: [&str; 3] = [
    "1.2.250.1.213.1.4.2",
    "1.2.250.1.213.1.4.6",
    "1.2.250.1.213.1.4.7",
];

impl Document<'_> {
    /// Checks the rules the ANS schematrons leave out (see the [module docs](crate::validate)).
    pub fn validate(&self) -> ValidationReport {
        let mut r = ValidationReport::default();
        self.check_patient(&mut r);
        for (i, a) in self.authors.iter().enumerate() {
            // devices may be identified under their vendor's OID
            let is_device = a.role.as_ref().is_some_and(|role| role.device.is_some());
            if !is_device {
                check_person_ids(a, &format!("/ClinicalDocument/author[{}]", i + 1), &mut r);
            }
        }
        if let Some(l) = &self.legal_authenticator {
            check_person_ids(l, "/ClinicalDocument/legalAuthenticator", &mut r);
        }
        for (i, a) in self.authenticators.iter().enumerate() {
            check_person_ids(
                a,
                &format!("/ClinicalDocument/authenticator[{}]", i + 1),
                &mut r,
            );
        }
        self.check_codes(&mut r);
        self.check_versioning(&mut r);
        self.check_times(&mut r);
        if let Some(Body::NonXml(n1)) = &self.body {
            check_n1(n1, &mut r);
        }
        r
    }

    fn check_patient(&self, r: &mut ValidationReport) {
        let mut has_ins = false;
        for (t, target) in self.record_targets.iter().enumerate() {
            let Some(role) = &target.role else { continue };
            for (i, id) in role.ids.iter().enumerate() {
                let path = format!(
                    "/ClinicalDocument/recordTarget[{}]/patientRole/id[{}]",
                    t + 1,
                    i + 1
                );
                let root = id.root.as_deref().unwrap_or("");
                if LEGACY_INS_ROOTS.contains(&root) {
                    r.push(
                        Severity::Error,
                        Rule::InsLegacyOid,
                        path,
                        format!("legacy INS-C OID {root} must not be emitted"),
                    );
                } else if id.is_ins() {
                    has_ins = true;
                    let ext = id.extension.as_deref().unwrap_or("");
                    match segur_ins::Ins::from_cda_id(root, ext) {
                        Err(e) => r.push(Severity::Error, Rule::InsInvalid, path, e.to_string()),
                        Ok(ins) if ins.cda_extension() != ext => r.push(
                            Severity::Error,
                            Rule::InsInvalid,
                            path,
                            "the INS must be written as 15 characters without separators",
                        ),
                        Ok(_) => {}
                    }
                }
            }
        }
        if !has_ins {
            r.push(
                Severity::Warning,
                Rule::InsMissing,
                "/ClinicalDocument/recordTarget/patientRole",
                "no patient id under an INS OID (1.2.250.1.213.1.4.8 to .11)",
            );
        }
    }

    fn check_codes(&self, r: &mut ValidationReport) {
        let Some(code) = &self.code else { return };
        let (c, system) = (
            code.code.as_deref().unwrap_or(""),
            code.code_system.as_deref().unwrap_or(""),
        );
        if !valuesets::TYPE_CODE.contains(c, system) {
            r.push(
                Severity::Error,
                Rule::DocumentCode,
                "/ClinicalDocument/code",
                format!(
                    "code {c:?} in system {system:?} is not in {}",
                    valuesets::TYPE_CODE.name
                ),
            );
        }
        for volet in VoletSpec::ALL {
            let (root, _) = volet.template_ids[volet.template_ids.len() - 1];
            if self.has_template(root) && c != volet.type_code {
                r.push(
                    Severity::Error,
                    Rule::VoletCode,
                    "/ClinicalDocument/code",
                    format!(
                        "the {} templateId {root} requires document type {}, not {c:?}",
                        volet.name, volet.type_code
                    ),
                );
            }
        }
    }

    fn check_versioning(&self, r: &mut ValidationReport) {
        let version: Option<u64> = self.version_number.as_deref().and_then(|v| v.parse().ok());
        let replaces = self
            .related_documents
            .iter()
            .any(|d| d.type_code.as_deref() == Some("RPLC"));
        let path = "/ClinicalDocument/versionNumber";
        match version {
            None | Some(0) => r.push(
                Severity::Error,
                Rule::Versioning,
                path,
                "versionNumber must be a positive integer",
            ),
            Some(1) if replaces => {
                r.push(
                    Severity::Error,
                    Rule::Versioning,
                    path,
                    "a replacing document (RPLC) must have a version above 1",
                );
            }
            Some(v) if v > 1 && !replaces => r.push(
                Severity::Warning,
                Rule::Versioning,
                path,
                "a version above 1 should name the replaced document (relatedDocument RPLC)",
            ),
            _ => {}
        }
        if replaces && self.id.is_some() && self.id == self.set_id {
            r.push(
                Severity::Error,
                Rule::Versioning,
                "/ClinicalDocument/setId",
                "a replacing document keeps the setId of the first version, so its id must differ from it",
            );
        }
        for d in &self.related_documents {
            if let Some(parent) = &d.parent_document
                && self.id.as_ref().is_some_and(|id| parent.ids.contains(id))
            {
                r.push(
                    Severity::Error,
                    Rule::Versioning,
                    "/ClinicalDocument/relatedDocument",
                    "a document cannot replace itself",
                );
            }
        }
    }

    fn check_times(&self, r: &mut ValidationReport) {
        let mut check = |path: &str, t: Option<&crate::model::Time<'_>>| {
            if let Some(Ok(ts)) = t.and_then(crate::model::Time::timestamp)
                && ts.offset.is_none()
                && ts.precision >= crate::model::Precision::Hour
            {
                r.push(
                    Severity::Warning,
                    Rule::TimeZone,
                    path,
                    "a time of day needs a UTC offset (+0100, +0200)",
                );
            }
        };
        check(
            "/ClinicalDocument/effectiveTime",
            self.effective_time.as_ref(),
        );
        for (i, a) in self.authors.iter().enumerate() {
            check(
                &format!("/ClinicalDocument/author[{}]/time", i + 1),
                a.time.as_ref(),
            );
        }
        if let Some(l) = &self.legal_authenticator {
            check("/ClinicalDocument/legalAuthenticator/time", l.time.as_ref());
        }
    }
}

/// `author` ids must be under the national OID (error); for authenticators it is a warning.
/// Under that OID, an extension starting with `8` must be `8` + 11-digit RPPS and one starting
/// with `0` must be `0` + 9-character ADELI (errors); other prefixes belong to other national
/// schemes and give a warning.
fn check_person_ids(p: &Participation<'_>, path: &str, r: &mut ValidationReport) {
    let Some(role) = &p.role else { return };
    let ids: Vec<&Ii<'_>> = role
        .ids
        .iter()
        .filter(|i| i.null_flavor.is_none())
        .collect();
    if !ids.is_empty() && !ids.iter().any(|i| i.root.as_deref() == Some(PS_ID_ROOT)) {
        let severity = if p.tag == "author" {
            Severity::Error
        } else {
            Severity::Warning
        };
        r.push(
            severity,
            Rule::ProfessionalIdOid,
            format!("{path}/{}/id", role.tag),
            format!("a health professional is identified under {PS_ID_ROOT} (8+RPPS or 0+ADELI)"),
        );
    }
    for (i, id) in ids.iter().enumerate() {
        if id.root.as_deref() != Some(PS_ID_ROOT) {
            continue;
        }
        let ext = id.extension.as_deref().unwrap_or("");
        let finding = match ext.as_bytes().first() {
            Some(b'8') if ext.len() == 12 && ext.bytes().all(|b| b.is_ascii_digit()) => None,
            Some(b'0') if ext.len() == 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) => None,
            Some(b'8') => Some((
                Severity::Error,
                "8 must be followed by an 11-digit RPPS number",
            )),
            Some(b'0') => Some((
                Severity::Error,
                "0 must be followed by a 9-character ADELI number",
            )),
            _ => Some((
                Severity::Warning,
                "neither 8 + RPPS nor 0 + ADELI (another national scheme?)",
            )),
        };
        if let Some((severity, why)) = finding {
            r.push(
                severity,
                Rule::ProfessionalIdFormat,
                format!("{path}/{}/id[{}]", role.tag, i + 1),
                format!("{ext:?}: {why}"),
            );
        }
    }
}

fn check_n1(n1: &crate::model::NonXmlBody<'_>, r: &mut ValidationReport) {
    let path = "/ClinicalDocument/component/nonXMLBody/text";
    let media = n1.text.media_type.as_deref().unwrap_or("");
    let allowed = N1MediaType::from_mime(media);
    if allowed.is_none() {
        r.push(
            Severity::Error,
            Rule::N1MediaType,
            path,
            format!("media type {media:?} is not allowed in an N1 body (application/pdf, text/plain, text/rtf, image/jpeg, image/tiff)"),
        );
    }
    if !n1.text.is_base64() {
        if n1.text.reference.is_none() {
            r.push(
                Severity::Error,
                Rule::N1Payload,
                path,
                "the payload must be embedded as base64 (representation=\"B64\")",
            );
        }
        return;
    }
    match n1.text.decode() {
        Err(e) => r.push(
            Severity::Error,
            Rule::N1Payload,
            path,
            format!("the payload is not valid base64: {e}"),
        ),
        Ok(bytes) if bytes.is_empty() => r.push(
            Severity::Error,
            Rule::N1Payload,
            path,
            "the payload is empty",
        ),
        Ok(bytes) => {
            if let Some(m) = allowed
                && n1.text.compression().is_none()
                && !m.matches(&bytes)
            {
                r.push(
                    Severity::Error,
                    Rule::N1Payload,
                    path,
                    format!("the payload bytes are not {media}"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::samples;

    fn rules(doc: &Document<'_>) -> Vec<Rule> {
        doc.validate().findings.iter().map(|f| f.rule).collect()
    }

    #[test]
    fn samples_are_clean() {
        for b in [
            samples::n1_letter(),
            samples::ldl_ses(),
            samples::bio_report(),
        ] {
            let doc = b.build().unwrap();
            assert_eq!(doc.validate().findings, Vec::new());
        }
    }

    #[test]
    fn patient_ins_rules() {
        let mut doc = samples::n1_letter().build().unwrap();
        let id = &mut doc.record_targets[0].role.as_mut().unwrap().ids[0];
        id.root = Some("1.2.250.1.213.1.4.6".into());
        assert_eq!(rules(&doc), [Rule::InsLegacyOid, Rule::InsMissing]);
        let id = &mut doc.record_targets[0].role.as_mut().unwrap().ids[0];
        id.root = Some("1.2.250.1.213.1.4.10".into());
        id.extension = Some("2 79 03 51 215 189 89".into());
        assert_eq!(rules(&doc), [Rule::InsInvalid]);
        let report = doc.validate();
        assert!(
            !report.findings[0].to_string().contains("215"),
            "{}",
            report.findings[0]
        );
    }

    #[test]
    fn professional_ids() {
        let mut doc = samples::n1_letter().build().unwrap();
        doc.authors[0].role.as_mut().unwrap().ids[0] = Ii::with_extension("1.2.3.4", "X");
        doc.legal_authenticator
            .as_mut()
            .unwrap()
            .role
            .as_mut()
            .unwrap()
            .ids[0]
            .extension = Some("91234".into());
        assert_eq!(
            rules(&doc),
            [Rule::ProfessionalIdOid, Rule::ProfessionalIdFormat]
        );
    }

    #[test]
    fn n1_media_type_and_payload() {
        let mut doc = samples::n1_letter().build().unwrap();
        let Some(Body::NonXml(n1)) = doc.body.as_mut() else {
            unreachable!()
        };
        n1.text.media_type = Some("text/html".into());
        assert_eq!(rules(&doc), [Rule::N1MediaType]);
        let Some(Body::NonXml(n1)) = doc.body.as_mut() else {
            unreachable!()
        };
        n1.text.media_type = Some("image/jpeg".into());
        assert_eq!(rules(&doc), [Rule::N1Payload]);
        let Some(Body::NonXml(n1)) = doc.body.as_mut() else {
            unreachable!()
        };
        n1.text.content = "!!!".into();
        assert_eq!(rules(&doc), [Rule::N1Payload]);
    }

    #[test]
    fn header_consistency() {
        let mut doc = samples::ldl_ses().build().unwrap();
        doc.code.as_mut().unwrap().code = Some("11502-2".into());
        assert_eq!(rules(&doc), [Rule::VoletCode]);
        doc.code.as_mut().unwrap().code = Some("11490-0".into());
        doc.version_number = Some("2".into());
        assert_eq!(rules(&doc), [Rule::Versioning]);
        doc.effective_time = Some(crate::model::Time::ts("20240402111700"));
        assert_eq!(rules(&doc), [Rule::Versioning, Rule::TimeZone]);
    }
}
