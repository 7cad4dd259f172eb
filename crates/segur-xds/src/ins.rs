//! Conversions between the generic [`Cx`] and the INS of `segur-ins`.

use segur_ins::Ins;

use crate::error::{XdsError, XdsErrorKind};
use crate::hl7v2::Cx;

impl Cx {
    /// The XDS patient id of an INS: `<matricule>^^^&<INS OID>&ISO^NH`.
    ///
    /// ```
    /// use segur_ins::Ins;
    /// use segur_xds::Cx;
    ///
    /// let ins = Ins::from_cda_id("1.2.250.1.213.1.4.10", "279035121518989")?;
    /// let cx = Cx::from_ins(&ins);
    /// assert_eq!(cx.to_hl7v2(), "279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH");
    /// assert_eq!(cx.to_ins().unwrap(), ins);
    /// # Ok::<(), segur_ins::InsError>(())
    /// ```
    pub fn from_ins(ins: &Ins) -> Self {
        Self::ins(ins.matricule().as_str(), ins.oid().as_str())
    }

    /// Reads this patient id as an INS under the strict INS profile (key checked, INS-C
    /// refused, type code `NH`).
    pub fn to_ins(&self) -> Result<Ins, XdsError> {
        Ins::from_xds_cx(&self.to_hl7v2())
            .map_err(|e| XdsError::new(XdsErrorKind::Ins(e.to_string())))
    }
}

impl From<&Ins> for Cx {
    fn from(ins: &Ins) -> Self {
        Self::from_ins(ins)
    }
}
