//! The `value` of a clinical statement: the frequent HL7 data types typed, any other kept whole.

use std::borrow::Cow;

use super::owned::{IntoStatic, owned_struct};
use super::{Code, Element, Timestamp, TimestampError};

/// The `value` of a clinical statement (the result of an `observation`, ...), by its
/// `xsi:type`.
///
/// The data types most values have are typed: PQ and the one-attribute types BL, INT, REAL and
/// TS ([`Scalar`]), and the coded types CD, CE, CV, CO and CS ([`Code`]). Any other value is
/// kept whole as an [`Element`], so that nothing is lost: another data type, a value without
/// `xsi:type`, an attribute the typed form does not have, or content (children, text) in a
/// scalar. A coded value is read like every other [`Code`] of the model: unknown children are
/// kept in its extensions, but attributes its children (`translation`, `qualifier`,
/// `originalText`) have and the model does not name, and text directly inside it, are not.
///
/// ```
/// let xml = r#"<ClinicalDocument xmlns="urn:hl7-org:v3"
///     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><component><structuredBody>
///   <component><section><entry><observation classCode="OBS" moodCode="EVN">
///     <value xsi:type="PQ" value="4.89" unit="mmol/L"/>
///   </observation></entry></section></component>
/// </structuredBody></component></ClinicalDocument>"#;
/// let doc = segur_cda::parse(xml.as_bytes())?;
/// let obs = doc.sections()[0].statements()[0];
/// let q = obs.values[0].as_scalar().expect("a typed PQ");
/// assert_eq!(q.data_type, segur_cda::ScalarType::Pq);
/// assert_eq!((q.value.as_deref(), q.unit.as_deref()), (Some("4.89"), Some("mmol/L")));
/// assert_eq!(obs.values[0].data_type(), Some("PQ"));
/// # Ok::<(), segur_cda::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnyValue<'a> {
    /// PQ, BL, INT, REAL or TS, written with attributes only.
    Scalar(Scalar<'a>),
    /// A coded value: the data type and the code (with its qualifiers, translations and
    /// original text).
    Coded(CodedType, Code<'a>),
    /// Any other value, kept whole (an HL7 `value` element).
    Element(Box<Element<'a>>),
}

impl IntoStatic for AnyValue<'_> {
    type Static = AnyValue<'static>;
    fn into_static(self) -> AnyValue<'static> {
        match self {
            Self::Scalar(s) => AnyValue::Scalar(s.into_owned()),
            Self::Coded(t, c) => AnyValue::Coded(t, c.into_owned()),
            Self::Element(e) => AnyValue::Element(e.into_static()),
        }
    }
}

impl<'a> AnyValue<'a> {
    /// A value kept whole, from its element (an HL7 `value`).
    pub fn element(e: Element<'a>) -> Self {
        Self::Element(Box::new(e))
    }

    /// The local name of the value's `xsi:type` (`PQ`, `CD`, `IVL_PQ`, ...), if it has one.
    pub fn data_type(&self) -> Option<&str> {
        match self {
            Self::Scalar(s) => Some(s.data_type.name()),
            Self::Coded(t, _) => Some(t.name()),
            Self::Element(e) => e.xsi_type.as_ref().map(|t| &*t.local),
        }
    }

    /// The scalar, for a typed PQ, BL, INT, REAL or TS.
    pub fn as_scalar(&self) -> Option<&Scalar<'a>> {
        match self {
            Self::Scalar(s) => Some(s),
            _ => None,
        }
    }

    /// The code, for a typed CD, CE, CV, CO or CS.
    pub fn as_code(&self) -> Option<&Code<'a>> {
        match self {
            Self::Coded(_, c) => Some(c),
            _ => None,
        }
    }

    /// The element, for a value kept whole.
    pub fn as_element(&self) -> Option<&Element<'a>> {
        match self {
            Self::Element(e) => Some(e),
            _ => None,
        }
    }
}

/// `s` without leading and trailing XML whitespace (an attribute value may carry it; other
/// Unicode spaces are content).
fn xml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\n', '\r'])
}

/// A value held in attributes only: PQ (`value`, `unit`), BL, INT, REAL or TS (`value`); or
/// any of them with a `nullFlavor`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scalar<'a> {
    /// The data type.
    pub data_type: ScalarType,
    /// `@value`, as written.
    pub value: Option<Cow<'a, str>>,
    /// `@unit` (PQ only).
    pub unit: Option<Cow<'a, str>>,
    /// `@nullFlavor`.
    pub null_flavor: Option<Cow<'a, str>>,
}
owned_struct!(Scalar {
    data_type,
    value,
    unit,
    null_flavor
});

impl<'a> Scalar<'a> {
    /// A scalar of this type with this `@value`.
    pub fn new(data_type: ScalarType, value: impl Into<Cow<'a, str>>) -> Self {
        Self {
            data_type,
            value: Some(value.into()),
            unit: None,
            null_flavor: None,
        }
    }

    /// A PQ with this value and unit.
    pub fn quantity(value: impl Into<Cow<'a, str>>, unit: impl Into<Cow<'a, str>>) -> Self {
        Self {
            unit: Some(unit.into()),
            ..Self::new(ScalarType::Pq, value)
        }
    }

    /// The value of a PQ, REAL or INT as a number; `None` for the other types, without a
    /// value, or when the value is not an XML Schema decimal (`4.89`, `-1`, `.5`; no exponent)
    /// or is too large for an `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        if !matches!(
            self.data_type,
            ScalarType::Pq | ScalarType::Real | ScalarType::Int
        ) {
            return None;
        }
        let v = xml_trim(self.value.as_deref()?);
        let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        let fraction = digits.contains('.');
        if int.len() + frac.len() == 0
            || !all_digits(int)
            || !all_digits(frac)
            || (fraction && self.data_type == ScalarType::Int)
        {
            return None;
        }
        v.parse().ok().filter(|f: &f64| f.is_finite())
    }

    /// The value of a BL (`true` or `false`); `None` for the other types or without a value.
    pub fn as_bool(&self) -> Option<bool> {
        match (self.data_type, xml_trim(self.value.as_deref()?)) {
            (ScalarType::Bl, "true") => Some(true),
            (ScalarType::Bl, "false") => Some(false),
            _ => None,
        }
    }

    /// The value of a TS, parsed; `None` for the other types or without a value.
    pub fn timestamp(&self) -> Option<Result<Timestamp, TimestampError>> {
        match self.data_type {
            ScalarType::Ts => Some(Timestamp::parse(self.value.as_deref()?)),
            _ => None,
        }
    }
}

/// Declares an enum of names (data types, element names) with its names as written.
macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $xsi:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant),*
        }

        impl $name {
            /// Every variant, in declaration order.
            #[cfg(test)]
            pub(crate) const ALL: &[Self] = &[$(Self::$variant),*];
        }

        impl $name {
            /// The name as written in a document.
            pub fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $xsi),*
                }
            }

            /// The variant with this name.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($xsi => Some(Self::$variant),)*
                    _ => None,
                }
            }
        }

        impl IntoStatic for $name {
            type Static = Self;
            fn into_static(self) -> Self {
                self
            }
        }
    };
}
pub(crate) use named_enum;

named_enum!(
    /// The data type of a [`Scalar`].
    ScalarType {
        /// `PQ`: a physical quantity.
        Pq = "PQ",
        /// `BL`: a boolean.
        Bl = "BL",
        /// `INT`: an integer.
        Int = "INT",
        /// `REAL`: a decimal.
        Real = "REAL",
        /// `TS`: a point in time.
        Ts = "TS",
    }
);

named_enum!(
    /// The data type of a coded value.
    CodedType {
        /// `CD`: concept descriptor (qualifiers allowed).
        Cd = "CD",
        /// `CE`: coded with equivalents.
        Ce = "CE",
        /// `CV`: coded value.
        Cv = "CV",
        /// `CO`: coded ordinal.
        Co = "CO",
        /// `CS`: coded simple value.
        Cs = "CS",
    }
);

impl ScalarType {
    /// The attributes a scalar of this type may hold (besides `xsi:type`).
    pub(crate) fn attributes(self) -> &'static [&'static str] {
        match self {
            Self::Pq => &["value", "unit", "nullFlavor"],
            _ => &["value", "nullFlavor"],
        }
    }
}

/// The attributes a typed coded value may hold (besides `xsi:type`): those of [`Code`].
pub(crate) const CODED_ATTRIBUTES: &[&str] = &[
    "code",
    "codeSystem",
    "codeSystemName",
    "codeSystemVersion",
    "displayName",
    "nullFlavor",
];

#[cfg(test)]
mod tests {
    use super::{CodedType, Scalar, ScalarType};
    use crate::model::CodeTag;

    #[test]
    fn names_read_back() {
        for &t in ScalarType::ALL {
            assert_eq!(ScalarType::from_name(t.name()), Some(t));
        }
        for &t in CodedType::ALL {
            assert_eq!(CodedType::from_name(t.name()), Some(t));
        }
        for &t in CodeTag::ALL {
            assert_eq!(CodeTag::from_name(t.name()), Some(t));
        }
        assert_eq!(ScalarType::from_name("pq"), None);
    }

    #[test]
    fn numbers_follow_the_xml_schema_decimal() {
        let n = |t, v: &'static str| Scalar::new(t, v).as_f64();
        assert_eq!(n(ScalarType::Pq, "4.89"), Some(4.89));
        assert_eq!(n(ScalarType::Real, " -1. "), Some(-1.0));
        assert_eq!(n(ScalarType::Pq, "+.5"), Some(0.5));
        assert_eq!(n(ScalarType::Int, "12"), Some(12.0));
        for bad in ["", ".", "1e3", "inf", "NaN", "1,5", "0x10", "--1", "1.2.3"] {
            assert_eq!(n(ScalarType::Pq, bad), None, "{bad}");
        }
        assert_eq!(n(ScalarType::Int, "1.5"), None);
        assert_eq!(n(ScalarType::Bl, "1"), None);
        // too large for an f64; XML whitespace only is trimmed
        assert_eq!(Scalar::new(ScalarType::Pq, "9".repeat(400)).as_f64(), None);
        assert_eq!(n(ScalarType::Pq, "\u{a0}1"), None);
        let mut nf = Scalar::new(ScalarType::Pq, "");
        nf.value = None;
        assert_eq!(nf.as_f64(), None);
    }

    #[test]
    fn booleans_and_timestamps() {
        assert_eq!(Scalar::new(ScalarType::Bl, "true").as_bool(), Some(true));
        assert_eq!(Scalar::new(ScalarType::Bl, "false").as_bool(), Some(false));
        assert_eq!(Scalar::new(ScalarType::Bl, "yes").as_bool(), None);
        assert_eq!(Scalar::new(ScalarType::Int, "true").as_bool(), None);
        let ts = Scalar::new(ScalarType::Ts, "20240131")
            .timestamp()
            .unwrap()
            .unwrap();
        assert_eq!(ts.date().to_string(), "2024-01-31");
        assert!(
            Scalar::new(ScalarType::Ts, "2024-01")
                .timestamp()
                .unwrap()
                .is_err()
        );
        assert!(Scalar::new(ScalarType::Pq, "2024").timestamp().is_none());
    }
}
