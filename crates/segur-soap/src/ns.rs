//! The XML namespaces this crate reads and writes.

/// SOAP 1.2 envelope.
pub const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 envelope (read only).
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// WS-Addressing 1.0.
pub const WSA: &str = "http://www.w3.org/2005/08/addressing";
/// WS-Security 1.0 `wsse`.
pub const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
/// SAML 2.0 assertion.
pub const SAML2: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// XML-DSig.
pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Schema (for `xs:string`).
pub const XS: &str = "http://www.w3.org/2001/XMLSchema";
/// XML Schema instance (for `xsi:type`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// HL7 v3 (roles and purposes of use in the VIHF).
pub const HL7: &str = "urn:hl7-org:v3";
/// XOP include.
pub const XOP: &str = "http://www.w3.org/2004/08/xop/include";
