//! SOAP faults (1.2, and 1.1 as some servers still send), parsed into typed values.

use crate::envelope::SoapVersion;
use crate::error::Error;
use crate::xml::{Element, NS_XML, QualifiedName};

/// The top-level fault code.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultCode {
    /// The envelope's namespace is not the one the server speaks.
    VersionMismatch,
    /// A `mustUnderstand` header block was not understood.
    MustUnderstand,
    /// The data encoding is unknown.
    DataEncodingUnknown,
    /// The request is wrong (`Sender`; SOAP 1.1 `Client`): do not resend it unchanged.
    Sender,
    /// The server failed (`Receiver`; SOAP 1.1 `Server`): the same request may succeed later.
    Receiver,
    /// A code outside the SOAP namespace.
    Other(QualifiedName),
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::VersionMismatch => f.write_str("VersionMismatch"),
            Self::MustUnderstand => f.write_str("MustUnderstand"),
            Self::DataEncodingUnknown => f.write_str("DataEncodingUnknown"),
            Self::Sender => f.write_str("Sender"),
            Self::Receiver => f.write_str("Receiver"),
            Self::Other(q) => write!(f, "{q}"),
        }
    }
}

/// One human-readable explanation of a fault, in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FaultReason {
    /// The `xml:lang` of the text, if given.
    pub lang: Option<String>,
    /// The text.
    pub text: String,
}

/// A SOAP fault: what a server answers instead of a response body when the request failed.
///
/// The DMP puts its own error in the innermost subcode (`DMPInvalidCertificate`,
/// `DMPAccessDeniedByRightsService`...): see [`Fault::innermost_subcode`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Fault {
    /// The SOAP version of the envelope that carried the fault.
    pub version: SoapVersion,
    /// The top-level code.
    pub code: FaultCode,
    /// The subcodes, outermost first (SOAP 1.2 only).
    pub subcodes: Vec<QualifiedName>,
    /// The reasons, in document order.
    pub reasons: Vec<FaultReason>,
    /// The node that failed, if said.
    pub node: Option<String>,
    /// The role the failing node played, if said.
    pub role: Option<String>,
    /// The `Detail` (SOAP 1.1 `detail`) element, as a standalone XML document.
    pub detail: Option<String>,
}

impl Fault {
    /// The local name of the innermost subcode, where the DMP puts its error code.
    pub fn innermost_subcode(&self) -> Option<&str> {
        self.subcodes.last().map(|q| q.local.as_str())
    }

    /// The first reason text, preferring French, then English, then any.
    pub fn reason(&self) -> Option<&str> {
        let lang = |prefix: &str| {
            self.reasons.iter().find(|r| {
                r.lang
                    .as_deref()
                    .is_some_and(|l| l.to_ascii_lowercase().starts_with(prefix))
            })
        };
        lang("fr")
            .or_else(|| lang("en"))
            .or_else(|| self.reasons.first())
            .map(|r| r.text.as_str())
    }

    /// Parses the `Fault` element of a SOAP body.
    pub(crate) fn from_element(
        fault: &Element,
        version: SoapVersion,
        source: &str,
    ) -> Result<Self, Error> {
        match version {
            SoapVersion::Soap12 => Self::from_soap12(fault, source),
            SoapVersion::Soap11 => Self::from_soap11(fault, source),
        }
    }

    fn from_soap12(fault: &Element, source: &str) -> Result<Self, Error> {
        let ns = SoapVersion::Soap12.namespace();
        let code_el = fault
            .child(ns, "Code")
            .ok_or_else(|| Error::malformed("Fault", "no <Code>"))?;
        let value = |el: &Element| -> Result<QualifiedName, Error> {
            let v = el
                .child(ns, "Value")
                .ok_or_else(|| Error::malformed(el.name(), "no <Value>"))?;
            v.resolve_qname(&v.text())
        };
        let code_name = value(code_el)?;
        let code = if code_name.namespace.as_deref() == Some(ns) {
            match code_name.local.as_str() {
                "VersionMismatch" => FaultCode::VersionMismatch,
                "MustUnderstand" => FaultCode::MustUnderstand,
                "DataEncodingUnknown" => FaultCode::DataEncodingUnknown,
                "Sender" => FaultCode::Sender,
                "Receiver" => FaultCode::Receiver,
                _ => FaultCode::Other(code_name),
            }
        } else {
            FaultCode::Other(code_name)
        };
        let mut subcodes = Vec::new();
        let mut cursor = code_el.child(ns, "Subcode");
        while let Some(sub) = cursor {
            subcodes.push(value(sub)?);
            cursor = sub.child(ns, "Subcode");
        }
        let reasons = fault
            .child(ns, "Reason")
            .map(|r| {
                r.children_named(ns, "Text")
                    .map(|t| FaultReason {
                        lang: t.attr_ns(NS_XML, "lang").map(str::to_owned),
                        text: t.text(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(Self {
            version: SoapVersion::Soap12,
            code,
            subcodes,
            reasons,
            node: fault.child(ns, "Node").map(Element::text),
            role: fault.child(ns, "Role").map(Element::text),
            detail: fault.child(ns, "Detail").map(|d| d.standalone(source)),
        })
    }

    fn from_soap11(fault: &Element, source: &str) -> Result<Self, Error> {
        // SOAP 1.1 fault children are unqualified.
        let unqualified = |name: &str| fault.elements().find(|e| e.ns.is_none() && e.local == name);
        let code_el =
            unqualified("faultcode").ok_or_else(|| Error::malformed("Fault", "no <faultcode>"))?;
        let name = code_el.resolve_qname(&code_el.text())?;
        let soap = SoapVersion::Soap11.namespace();
        // 1.1 codes may be dotted (`Client.Authentication`): the part after the dot is a subcode.
        let (head, tail) = match name.local.split_once('.') {
            Some((h, t)) => (h.to_owned(), Some(t.to_owned())),
            None => (name.local.clone(), None),
        };
        let code = if name.namespace.as_deref() == Some(soap) {
            match head.as_str() {
                "VersionMismatch" => FaultCode::VersionMismatch,
                "MustUnderstand" => FaultCode::MustUnderstand,
                "Client" => FaultCode::Sender,
                "Server" => FaultCode::Receiver,
                _ => FaultCode::Other(name.clone()),
            }
        } else {
            FaultCode::Other(name.clone())
        };
        let subcodes = match (&code, tail) {
            (FaultCode::Other(_), _) | (_, None) => Vec::new(),
            (_, Some(t)) => vec![QualifiedName {
                namespace: name.namespace.clone(),
                local: t,
            }],
        };
        let reasons = unqualified("faultstring")
            .map(|s| {
                vec![FaultReason {
                    lang: s.attr_ns(NS_XML, "lang").map(str::to_owned),
                    text: s.text(),
                }]
            })
            .unwrap_or_default();
        Ok(Self {
            version: SoapVersion::Soap11,
            code,
            subcodes,
            reasons,
            node: None,
            role: unqualified("faultactor").map(Element::text),
            detail: unqualified("detail").map(|d| d.standalone(source)),
        })
    }
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code)?;
        for s in &self.subcodes {
            write!(f, "/{}", s.local)?;
        }
        if let Some(r) = self.reason() {
            write!(f, ": {r}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Fault {}
