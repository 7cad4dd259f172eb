//! A typed builder for CI-SIS documents: the whole header, N1 bodies (an embedded PDF, ...) and
//! N3 bodies (sections and entries, with typed modules for the volets LDL-SES and BIO-CR-BIO).
//!
//! [`DocumentBuilder::build`] checks every field and returns either the [`Document`](crate::Document) or a
//! [`BuildError`] listing *every* missing or inconsistent field (not just the first), each named
//! by its path (`author[0].id`, `patient.ins`, `body.bytes`, ...). Codes are checked against the
//! CI-SIS value sets of [`crate::valuesets`]; the patient INS (OID, format, key) with
//! `segur-ins`; health professionals are written `8`+RPPS / `0`+ADELI under
//! `1.2.250.1.71.4.2.1`, organisations `1`+FINESS / `3`+SIRET under `1.2.250.1.71.4.2.2`;
//! times are `chrono` values written as HL7 TS with their UTC offset.
//!
//! ```
//! use chrono::{DateTime, FixedOffset};
//! use segur_cda::build::{Author, BodyContent, DocumentBuilder, NonXmlPayload, ProblemKind};
//!
//! // an empty builder: every mandatory field is reported at once
//! let err = DocumentBuilder::default().build().unwrap_err();
//! let missing: Vec<&str> = err
//!     .problems
//!     .iter()
//!     .filter(|p| p.kind == ProblemKind::Missing)
//!     .map(|p| p.field.as_str())
//!     .collect();
//! assert!(missing.contains(&"author"));
//! assert!(missing.contains(&"patient"));
//! assert!(missing.contains(&"body"));
//! ```

mod body;
#[cfg(feature = "serde")]
mod description;
mod error;
mod header;
mod parties;
pub mod samples;
pub mod volets;

pub use body::{
    Coded, Kind, LOINC, Product, RelationshipTag, SNOMED_CT, SectionBuilder, Statement, Value,
    coded_element,
};
#[cfg(feature = "serde")]
pub use description::{BodyDescription, DocumentDescription, PayloadSource};
pub use error::{BuildError, Problem, ProblemKind};
pub use header::{
    BodyContent, DocumentBuilder, Encounter, Informant, N1MediaType, N3Content, NonXmlPayload,
    ParentDocument, Participant, ServiceEventInfo, Signer, hl7_ts,
};
pub use parties::{
    Address, Author, AuthorKind, AuthoringDevice, Contact, HealthOrganization, Identifier,
    OrganizationId, PS_ID_ROOT, PatientInfo, PersonName, Professional, ProfessionalId,
    STRUCTURE_ID_ROOT,
};

/// `true` for a dotted-decimal OID (`1.2.250.1.71.4.2.1`): digits, single dots, no leading zero.
pub(crate) fn is_oid(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.split('.').count() >= 2
        && s.split('.').all(|arc| {
            !arc.is_empty()
                && arc.bytes().all(|b| b.is_ascii_digit())
                && (arc == "0" || !arc.starts_with('0'))
        })
}

#[cfg(test)]
mod tests {
    use super::is_oid;

    #[test]
    fn oids() {
        for ok in ["1.2.250.1.71.4.2.1", "2.16.840.1.113883.6.1", "0.1"] {
            assert!(is_oid(ok), "{ok}");
        }
        for bad in ["", "1", "1..2", "1.02", "1.2.", "a.b", "1.2.3-4"] {
            assert!(!is_oid(bad), "{bad}");
        }
    }
}
