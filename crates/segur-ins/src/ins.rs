//! The INS identifier (matricule + assigning authority) and its wire forms.

use std::fmt;

use crate::{InsError, InsOid, Matricule, MatriculeKind};

/// Longest CX value read (a valid INS CX is under 80 bytes).
const MAX_CX_LEN: usize = 256;
/// Domain of the patients' MSSanté mailboxes (Mon espace santé).
pub const MSSANTE_PATIENT_DOMAIN: &str = "patient.mssante.fr";

/// An INS identifier: a matricule and the authority that assigned it.
///
/// Each wire form has a parser and an emitter that round-trip; parsers apply the strict INS
/// profile and refuse the legacy INS-C. `Display`/`Debug` mask the matricule.
///
/// ```
/// use segur_ins::{Ins, InsOid};
///
/// let ins = Ins::from_cda_id("1.2.250.1.213.1.4.10", "279035121518989")?;
/// assert_eq!(ins.oid(), InsOid::InsNirTest);
/// assert_eq!(ins.to_xds_cx(), "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
/// assert_eq!(
///     ins.to_hl7v2_pam_cx(),
///     "279035121518989^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS"
/// );
/// assert_eq!(ins.fhir_system(), "urn:oid:1.2.250.1.213.1.4.10");
/// assert_eq!(ins.mssante_address(), "279035121518989@patient.mssante.fr");
/// assert_eq!(ins.to_string(), "INS-NIR-TEST 2 79 03 51 *** *** **");
/// assert_eq!(Ins::from_xds_cx(&ins.to_xds_cx())?, ins);
/// # Ok::<(), segur_ins::InsError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ins {
    matricule: Matricule,
    oid: InsOid,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CxForm {
    Xds,
    Pam,
}

impl CxForm {
    fn name(self) -> &'static str {
        match self {
            Self::Xds => "XDS CX",
            Self::Pam => "HL7 v2 CX",
        }
    }
}

impl Ins {
    /// Pairs a matricule with its authority; the matricule's kind is set from the OID.
    ///
    /// Fails with [`InsError::LegacyOid`] for the INS-C authorities, and with the strict
    /// profile's errors for a matricule parsed in the lenient [`crate::Profile::Nir`] that is not
    /// an INS matricule (so every `Ins` can be written and read back by each converter).
    pub fn new(matricule: Matricule, oid: InsOid) -> Result<Self, InsError> {
        let kind: MatriculeKind = oid
            .matricule_kind()
            .ok_or(InsError::LegacyOid { oid: oid.as_str() })?;
        let strict = Matricule::parse(matricule.as_str())?;
        Ok(Self {
            matricule: strict.with_kind(kind),
            oid,
        })
    }

    /// The matricule.
    pub fn matricule(&self) -> &Matricule {
        &self.matricule
    }

    /// The assigning authority.
    pub fn oid(&self) -> InsOid {
        self.oid
    }

    /// NIR or NIA.
    pub fn kind(&self) -> MatriculeKind {
        self.matricule.kind()
    }

    /// Reads a CDA `<id root="OID" extension="matricule"/>` (`recordTarget/patientRole/id`).
    pub fn from_cda_id(root: &str, extension: &str) -> Result<Self, InsError> {
        Self::new(Matricule::parse(extension)?, InsOid::from_oid(root)?)
    }

    /// The CDA `id/@root`: the authority's OID.
    pub fn cda_root(&self) -> &'static str {
        self.oid.as_str()
    }

    /// The CDA `id/@extension`: the 15-character matricule. Reveals the INS.
    pub fn cda_extension(&self) -> &str {
        self.matricule.as_str()
    }

    /// Reads the XDS/DMP patient id `NIR^^^&1.2.250.1.213.1.4.8&ISO^NH`.
    ///
    /// Tolerated: type `INS` instead of `NH` and a CX.4 namespace id (`ASIP-SANTE-INS-NIR`...),
    /// both seen in real traffic. Anything after CX.5 is refused.
    pub fn from_xds_cx(cx: &str) -> Result<Self, InsError> {
        parse_cx(cx, CxForm::Xds)
    }

    /// The XDS/DMP patient id: `NIR^^^&OID&ISO^NH`. Reveals the INS.
    pub fn to_xds_cx(&self) -> String {
        format!("{}^^^&{}&ISO^NH", self.matricule.as_str(), self.oid)
    }

    /// Reads an IHE PAM France PID-3 repetition:
    /// `NIR^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS` (NIA: `ASIP-SANTE-INS-NIA`).
    ///
    /// The type must be `INS`: `NH` with `ASIP-SANTE-NIR` is the billing NIR, which is never an
    /// INS. Components after CX.5 (e.g. an effective date) are accepted and ignored; the empty
    /// `""` identifier of an INS withdrawal (A47) is an error.
    pub fn from_hl7v2_pam_cx(cx: &str) -> Result<Self, InsError> {
        parse_cx(cx, CxForm::Pam)
    }

    /// The IHE PAM France PID-3 repetition (`…^^^ASIP-SANTE-INS-NIR&OID&ISO^INS`). Reveals the INS.
    pub fn to_hl7v2_pam_cx(&self) -> String {
        format!(
            "{}^^^{}&{}&ISO^INS",
            self.matricule.as_str(),
            self.oid.hl7v2_namespace(),
            self.oid
        )
    }

    /// Reads a FHIR `Identifier` (FR Core INS slices): `system` = `urn:oid:<OID>`, `value` = the
    /// matricule.
    pub fn from_fhir(system: &str, value: &str) -> Result<Self, InsError> {
        let oid = system.strip_prefix("urn:oid:").ok_or(InsError::Syntax {
            format: "FHIR system",
            reason: "expected urn:oid:<OID>",
        })?;
        Self::new(Matricule::parse(value)?, InsOid::from_oid(oid)?)
    }

    /// The FHIR `Identifier.system`: `urn:oid:<OID>`.
    pub fn fhir_system(&self) -> String {
        format!("urn:oid:{}", self.oid)
    }

    /// The FHIR `Identifier.value`: the matricule. Reveals the INS.
    pub fn fhir_value(&self) -> &str {
        self.matricule.as_str()
    }

    /// The FR Core `Identifier.type` code (`INS-NIR`, `INS-NIA`, `INS-NIR-TEST`, `INS-NIR-DEMO`).
    pub fn fhir_type_code(&self) -> &'static str {
        self.oid.fhir_type_code()
    }

    /// Reads a patient's MSSanté address `<matricule>@patient.mssante.fr` (an optional `mailto:`
    /// prefix and any case of the domain are accepted).
    ///
    /// The address does not say which authority assigned the matricule: the result carries
    /// [`InsOid::InsNir`]; use [`Ins::new`] with the matricule to choose another.
    pub fn from_mssante_address(address: &str) -> Result<Self, InsError> {
        let syntax = |reason| InsError::Syntax {
            format: "MSSanté patient address",
            reason,
        };
        let address = match address.get(..7) {
            Some(p) if p.eq_ignore_ascii_case("mailto:") => &address[7..],
            _ => address,
        };
        let (local, domain) = address.rsplit_once('@').ok_or(syntax("no @"))?;
        if !domain.eq_ignore_ascii_case(MSSANTE_PATIENT_DOMAIN) {
            return Err(syntax("domain is not patient.mssante.fr"));
        }
        if !local.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(syntax("local part must be the 15-character matricule"));
        }
        Self::new(Matricule::parse(local)?, InsOid::InsNir)
    }

    /// The patient's MSSanté address `<matricule>@patient.mssante.fr`. Reveals the INS.
    pub fn mssante_address(&self) -> String {
        format!("{}@{MSSANTE_PATIENT_DOMAIN}", self.matricule.as_str())
    }

    /// Reads the VIHF (DMP SAML assertion) attribute
    /// `urn:oasis:names:tc:xacml:2.0:resource:resource-id`, which uses the XDS CX form.
    pub fn from_vihf_resource_id(value: &str) -> Result<Self, InsError> {
        Self::from_xds_cx(value)
    }

    /// The VIHF `resource-id` attribute value (`NIR^^^&OID&ISO^NH`). Reveals the INS.
    pub fn vihf_resource_id(&self) -> String {
        self.to_xds_cx()
    }
}

fn parse_cx(cx: &str, form: CxForm) -> Result<Ins, InsError> {
    let syntax = |reason| InsError::Syntax {
        format: form.name(),
        reason,
    };
    if cx.len() > MAX_CX_LEN {
        return Err(syntax("longer than 256 bytes"));
    }
    if cx.contains('\\') {
        return Err(syntax("HL7 escape sequences are not expected in an INS"));
    }
    let mut components = cx.split('^');
    let id = components.next().unwrap_or_default();
    if !components.next().unwrap_or_default().is_empty()
        || !components.next().unwrap_or_default().is_empty()
    {
        return Err(syntax("CX.2 and CX.3 must be empty"));
    }
    let authority = components
        .next()
        .ok_or(syntax("missing assigning authority (CX.4)"))?;
    let type_code = components.next().unwrap_or_default();
    if form == CxForm::Xds && components.next().is_some() {
        return Err(syntax("unexpected components after CX.5"));
    }
    let mut parts = authority.split('&');
    let (Some(namespace), Some(universal_id), Some(id_type), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(syntax("CX.4 must be namespace&OID&ISO"));
    };
    if id_type != "ISO" {
        return Err(syntax("CX.4.3 must be ISO"));
    }
    let oid = InsOid::from_oid(universal_id)?;
    if oid.is_legacy() {
        return Err(InsError::LegacyOid { oid: oid.as_str() });
    }
    match (form, type_code) {
        (CxForm::Xds, "NH" | "INS") | (CxForm::Pam, "INS") => {}
        (CxForm::Pam, "NH") => return Err(syntax("type NH is the billing NIR, not an INS")),
        _ => return Err(syntax("unexpected identifier type (CX.5)")),
    }
    if id.is_empty() || id == "\"\"" {
        return Err(syntax("empty identifier (CX.1)"));
    }
    if !namespace.is_empty() && namespace != oid.hl7v2_namespace() {
        return Err(syntax("CX.4.1 namespace does not match the OID"));
    }
    Ins::new(Matricule::parse(id)?, oid)
}

/// Masked: `INS-NIR 2 92 07 2A *** *** **`.
impl fmt::Display for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.oid.fhir_type_code(), self.matricule)
    }
}

impl fmt::Debug for Ins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ins")
            .field("oid", &self.oid)
            .field("matricule", &format_args!("{}", self.matricule))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_cx_examples() {
        // ansforge admission.er7, with an effective date after CX.5
        let ins = Ins::from_hl7v2_pam_cx(
            "279035121518989^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.10&ISO^INS^^20101207",
        )
        .unwrap();
        assert_eq!(ins.oid(), InsOid::InsNirTest);
        let nia = Ins::from_hl7v2_pam_cx(
            "260058815400233^^^ASIP-SANTE-INS-NIA&1.2.250.1.213.1.4.9&ISO^INS",
        )
        .unwrap();
        assert_eq!(nia.kind(), MatriculeKind::Nia);
        // the billing NIR is not an INS
        assert!(matches!(
            Ins::from_hl7v2_pam_cx(
                "276037510669326^^^ASIP-SANTE-NIR&1.2.250.1.213.1.4.8&ISO^NH^^20210506"
            ),
            Err(InsError::Syntax { .. })
        ));
        // INS withdrawal (A47)
        assert!(
            Ins::from_hl7v2_pam_cx("\"\"^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS")
                .is_err()
        );
        // the IHE Annexe N example carries a wrong key
        assert_eq!(
            Ins::from_hl7v2_pam_cx(
                "276037510669380^^^ASIP-SANTE-INS-NIR&1.2.250.1.213.1.4.8&ISO^INS"
            ),
            Err(InsError::Key {
                found: 80,
                expected: 26
            })
        );
        // legacy INS-C: recognised, refused
        assert_eq!(
            Ins::from_hl7v2_pam_cx(
                "0411886319605719371016^^^ASIP-SANTE-INS-C&1.2.250.1.213.1.4.2&ISO^INS-C^^20101207"
            ),
            Err(InsError::LegacyOid {
                oid: "1.2.250.1.213.1.4.2"
            })
        );
        assert_eq!(
            Ins::from_hl7v2_pam_cx(
                "185017511412330^^^ASIP-SANTE-INS-C&1.2.250.1.213.1.4.2&ISO^INS"
            ),
            Err(InsError::LegacyOid {
                oid: "1.2.250.1.213.1.4.2"
            })
        );
        assert!(Ins::from_xds_cx("277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH").is_ok());
        assert!(Ins::from_xds_cx("277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH^x").is_err());
        assert!(Ins::from_xds_cx("277076322082910^^^&1.2.250.1.213.1.4.8^NH").is_err());
        assert!(
            Ins::from_xds_cx("277076322082910^^^ASIP-SANTE-INS-NIA&1.2.250.1.213.1.4.8&ISO^NH")
                .is_err()
        );
    }

    #[test]
    fn mssante_and_fhir() {
        let ins = Ins::from_mssante_address("mailto:146026322000196@Patient.MSSante.fr").unwrap();
        assert_eq!(ins.mssante_address(), "146026322000196@patient.mssante.fr");
        assert!(Ins::from_mssante_address("146026322000196@medecin.mssante.fr").is_err());
        assert!(Ins::from_mssante_address("1 46 02 63 220 001 96@patient.mssante.fr").is_err());
        let f = Ins::from_fhir("urn:oid:1.2.250.1.213.1.4.9", "109076322088835").unwrap();
        assert_eq!(
            (f.fhir_type_code(), f.kind()),
            ("INS-NIA", MatriculeKind::Nia)
        );
        assert!(Ins::from_fhir("1.2.250.1.213.1.4.9", "109076322088835").is_err());
    }

    #[test]
    fn debug_is_masked() {
        let ins = Ins::from_cda_id("1.2.250.1.213.1.4.8", "297022A02077878").unwrap();
        assert_eq!(
            format!("{ins:?}"),
            "Ins { oid: InsNir, matricule: 2 97 02 2A *** *** ** }"
        );
    }
}
