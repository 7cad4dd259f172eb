//! Ready-made builders with fictitious data (the ANS test patient and test identifiers), for
//! tests, demonstrations and as a starting point: an N1 letter carrying a PDF, an LDL-SES
//! discharge letter and a BIO-CR-BIO report, all for the same patient.
//!
//! ```
//! use segur_cda::build::samples;
//!
//! let doc = samples::ldl_ses().build().unwrap();
//! assert_eq!(doc.code.unwrap().code.as_deref(), Some("11490-0"));
//! ```

use chrono::{DateTime, FixedOffset};

use super::body::{Coded, Value};
use super::header::{
    BodyContent, DocumentBuilder, Encounter, NonXmlPayload, ServiceEventInfo, Signer,
};
use super::parties::{
    Address, Author, Contact, HealthOrganization, Identifier, OrganizationId, PatientInfo,
    PersonName, Professional,
};
use super::volets::bio_cr_bio::{BioReport, LabChapter, LabResult};
use super::volets::ldl_ses::{LdlSes, Medication};

/// A fixed time (`2024-04-02T11:17:00+02:00` plus `minutes`), so that samples are reproducible.
pub fn time(minutes: i64) -> DateTime<FixedOffset> {
    let base = DateTime::parse_from_rfc3339("2024-04-02T11:17:00+02:00").unwrap_or_default();
    base + chrono::Duration::minutes(minutes)
}

/// The ANS test patient (INS-NIR de test `279035121518989`, OID `1.2.250.1.213.1.4.10`).
pub fn patient() -> PatientInfo {
    PatientInfo {
        ins: Some(Identifier::new("1.2.250.1.213.1.4.10", "279035121518989")),
        local_ids: vec![Identifier::new("1.2.250.1.999.1.1", "IPP-000123")],
        birth_name: "PAT-TROIS".into(),
        given_names: vec!["DOMINIQUE".into(), "MARIE-LOUISE".into()],
        used_name: Some("PAT-TROIS".into()),
        used_given_name: Some("DOMINIQUE".into()),
        sex: "F".into(),
        birth_date: Some("19790328".into()),
        birthplace_code: Some("51215".into()),
        address: Some(address("28", "Avenue de Breteuil", "75007", "PARIS")),
        telecoms: vec![Contact {
            value: "tel:0144534551".into(),
            use_: Some("H".into()),
        }],
    }
}

fn address(number: &str, street: &str, postal_code: &str, city: &str) -> Address {
    Address {
        house_number: Some(number.into()),
        street_name: Some(street.into()),
        postal_code: Some(postal_code.into()),
        city: Some(city.into()),
        ..Address::default()
    }
}

/// A hospital (test FINESS `750803447`) with its practice setting.
pub fn hospital() -> HealthOrganization {
    HealthOrganization {
        telecoms: vec![Contact::work_phone("0156093000")],
        address: Some(address("20", "Rue Leblanc", "75015", "PARIS")),
        practice_setting: Some("ETABLISSEMENT".into()),
        ..HealthOrganization::finess("750803447", "Hôpital de test")
    }
}

/// A medical laboratory (test FINESS `120459876`).
pub fn laboratory() -> HealthOrganization {
    HealthOrganization {
        telecoms: vec![Contact::work_phone("0174589607")],
        address: Some(address(
            "8",
            "Rue Frédéric Bastia",
            "92100",
            "BOULOGNE-BILLANCOURT",
        )),
        practice_setting: Some("AMBULATOIRE".into()),
        ..HealthOrganization::finess("120459876", "Laboratoire de test")
    }
}

/// A hospital doctor (test RPPS `01234567897`, internal medicine).
pub fn doctor() -> Professional {
    Professional {
        address: Some(address("20", "Rue Leblanc", "75015", "PARIS")),
        telecoms: vec![Contact::work_phone("0156093000")],
        ..Professional::rpps(
            "01234567897",
            PersonName::new("Charles", "DAVID")
                .with_prefix("M")
                .with_suffix("DR"),
        )
        .with_specialty("G15_10/SM27")
        .with_organization(hospital())
    }
}

/// A biologist (test RPPS `01234534765`, medical biology).
pub fn biologist() -> Professional {
    Professional {
        address: Some(address(
            "8",
            "Rue Frédéric Bastia",
            "92100",
            "BOULOGNE-BILLANCOURT",
        )),
        telecoms: vec![Contact::work_phone("0174589607")],
        ..Professional::rpps(
            "01234534765",
            PersonName::new("Marcel", "CAMPARINI")
                .with_prefix("M")
                .with_suffix("DR"),
        )
        .with_specialty("G15_10/SM03")
        .with_organization(laboratory())
    }
}

/// The header shared by the samples: patient, author, custodian, legal authenticator, act
/// and encounter at the hospital.
pub fn hospital_header(document_number: u32) -> DocumentBuilder {
    DocumentBuilder {
        id: Some(Identifier::new(
            "1.2.250.1.999.2.1",
            format!("DOC-{document_number:04}"),
        )),
        effective_time: Some(time(0)),
        patient: Some(patient()),
        authors: vec![Author::professional(doctor(), time(0))],
        custodian: Some(hospital()),
        legal_authenticator: Some(Signer {
            professional: doctor(),
            time: time(0),
        }),
        service_events: vec![ServiceEventInfo {
            code: Some(Coded::new(
                "IMP",
                "2.16.840.1.113883.5.4",
                "Hospitalisation",
            )),
            start: time(-7 * 24 * 60),
            end: Some(time(0)),
            performer: Some(doctor()),
        }],
        encounter: Some(Encounter {
            start: time(-7 * 24 * 60),
            end: Some(time(0)),
            code: Some("IMP".into()),
            facility_type: "SA01".into(),
            facility_id: Some(OrganizationId::Finess("750803447".into())),
            responsible: None,
        }),
        ..DocumentBuilder::default()
    }
}

/// A small valid PDF 1.4 document showing `text` (one page, Helvetica), with a correct
/// cross-reference table.
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    let escaped: String = text
        .chars()
        .filter(char::is_ascii)
        .flat_map(|c| match c {
            '(' | ')' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let stream = format!("BT /F1 12 Tf 72 770 Td ({escaped}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// An N1 discharge letter: the same header, with the letter as a PDF.
pub fn n1_letter() -> DocumentBuilder {
    DocumentBuilder {
        type_code: Some("11490-0".into()),
        title: Some("Lettre de liaison à la sortie".into()),
        body: Some(BodyContent::NonXml(NonXmlPayload::pdf(minimal_pdf(
            "Lettre de liaison a la sortie - patient de test",
        )))),
        ..hospital_header(1)
    }
}

/// The content of the sample discharge letter.
pub fn ldl_ses_content() -> LdlSes {
    LdlSes {
        status: "398166005".into(),
        status_time: time(0),
        reason: "Chute à domicile avec fracture du poignet droit.".into(),
        admission_mode: "183452005".into(),
        admission_time: time(-7 * 24 * 60),
        discharge: Some(("160849004".into(), time(0))),
        summary: "Ostéosynthèse du radius droit, suites simples.".into(),
        medications: vec![Medication {
            cis_code: "60234100".into(),
            name: "DOLIPRANE 1000 mg, comprimé".into(),
            start: time(0),
            end: Some(time(5 * 24 * 60)),
            dose: "1".into(),
            instructions: Some("1 comprimé toutes les 6 heures si douleur".into()),
        }],
    }
}

/// An LDL-SES 2022.01 discharge letter.
pub fn ldl_ses() -> DocumentBuilder {
    DocumentBuilder {
        title: Some("Lettre de liaison à la sortie de l'établissement de santé".into()),
        body: Some(BodyContent::Structured(ldl_ses_content().to_content())),
        ..hospital_header(2)
    }
}

/// The content of the sample biology report.
pub fn bio_report_content() -> BioReport {
    BioReport {
        chapters: vec![LabChapter {
            code: Coded::loinc("18719-5", "Biochimie"),
            title: "BIOCHIMIE".into(),
            results: vec![LabResult {
                code: Coded::loinc(
                    "40193-5",
                    "Glucose à jeun [Moles/Volume] Sérum/Plasma ; Numérique",
                ),
                value: Value::Quantity {
                    value: "4.89".into(),
                    unit: "mmol/L".into(),
                },
                interpretation: Some("N".into()),
                time: time(-60),
                label: "Glycémie à jeun : 4.89 mmol/L (3.89 - 6.00)".into(),
            }],
        }],
        pdf_copy: minimal_pdf("Compte rendu d'examens biologiques - patient de test"),
    }
}

/// A BIO-CR-BIO 2024.01 report (fasting glucose) with its PDF copy.
pub fn bio_report() -> DocumentBuilder {
    let mut header = hospital_header(3);
    header.authors = vec![Author::professional(biologist(), time(0))];
    header.custodian = Some(laboratory());
    header.legal_authenticator = Some(Signer {
        professional: biologist(),
        time: time(0),
    });
    header.service_events = vec![ServiceEventInfo {
        code: Some(Coded::loinc("18719-5", "Biochimie")),
        start: time(-60),
        end: None,
        performer: Some(biologist()),
    }];
    header.encounter = Some(Encounter {
        start: time(-60),
        end: None,
        code: Some("AMB".into()),
        facility_type: "SA25".into(),
        facility_id: None,
        responsible: Some(biologist()),
    });
    DocumentBuilder {
        body: Some(BodyContent::Structured(bio_report_content().to_content())),
        ..header
    }
}

#[cfg(test)]
mod tests {
    use super::minimal_pdf;

    /// The cross-reference table points at each object and the stream length is exact.
    #[test]
    fn minimal_pdf_is_well_formed() {
        let pdf = minimal_pdf("Bonjour (test) \\ é");
        let text = String::from_utf8(pdf.clone()).expect("ASCII");
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        let xref = &text[start..];
        assert!(xref.starts_with("xref\n0 6\n0000000000 65535 f \n"));
        for (i, line) in xref.lines().skip(3).take(5).enumerate() {
            assert_eq!(line.len(), 19, "xref entries are 20 bytes with the newline");
            let offset: usize = line[..10].parse().expect("offset");
            assert!(text[offset..].starts_with(&format!("{} 0 obj\n", i + 1)));
        }
        let length: usize = text
            .split("/Length ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("length");
        let stream = text.find("stream\n").expect("stream") + "stream\n".len();
        assert_eq!(&text[stream + length..stream + length + 10], "\nendstream");
        assert!(text.contains("(Bonjour \\(test\\) \\\\ ) Tj"));
    }
}
