//! SOAP 1.2 envelopes with WS-Addressing 1.0 and `wsse:Security` headers: writer and reader.

use segur_transport::Randomness;

use crate::error::Error;
use crate::fault::Fault;
use crate::ns;
use crate::xml::{self, Element, Limits, QualifiedName, escape_attr, escape_text};

/// The WS-Addressing anonymous address: "reply on the same connection".
pub const ANONYMOUS: &str = "http://www.w3.org/2005/08/addressing/anonymous";

/// The SOAP version of an envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SoapVersion {
    /// SOAP 1.1 (`http://schemas.xmlsoap.org/soap/envelope/`), read only.
    Soap11,
    /// SOAP 1.2 (`http://www.w3.org/2003/05/soap-envelope`), what the DMP speaks.
    Soap12,
}

impl SoapVersion {
    /// The envelope namespace.
    pub fn namespace(self) -> &'static str {
        match self {
            Self::Soap11 => ns::SOAP11,
            Self::Soap12 => ns::SOAP12,
        }
    }
}

/// The WS-Addressing 1.0 headers of a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Addressing {
    /// `wsa:Action`: the operation (`urn:ihe:iti:2007:RegistryStoredQuery`).
    pub action: Option<String>,
    /// `wsa:MessageID`: `urn:uuid:…`.
    pub message_id: Option<String>,
    /// `wsa:To`: the endpoint URL (requests) or the anonymous address (responses).
    pub to: Option<String>,
    /// `wsa:ReplyTo/wsa:Address`.
    pub reply_to: Option<String>,
    /// `wsa:RelatesTo`: the request's message id, in responses.
    pub relates_to: Option<String>,
}

impl Addressing {
    /// The headers of a request: `action`, a fresh `urn:uuid:` message id drawn from `random`,
    /// `To` = `to`, `ReplyTo` = anonymous.
    pub fn request(action: &str, to: &str, random: &dyn Randomness) -> Self {
        Self {
            action: Some(action.to_owned()),
            message_id: Some(format!("urn:uuid:{}", random.uuid_v4())),
            to: Some(to.to_owned()),
            reply_to: Some(ANONYMOUS.to_owned()),
            relates_to: None,
        }
    }

    fn write(&self, out: &mut String) {
        let mut element = |name: &str, must_understand: bool, value: &Option<String>| {
            if let Some(v) = value {
                out.push_str("<wsa:");
                out.push_str(name);
                if must_understand {
                    out.push_str(" soap:mustUnderstand=\"true\"");
                }
                out.push('>');
                if name == "ReplyTo" {
                    out.push_str("<wsa:Address>");
                    out.push_str(&escape_text(v));
                    out.push_str("</wsa:Address>");
                } else {
                    out.push_str(&escape_text(v));
                }
                out.push_str("</wsa:");
                out.push_str(name);
                out.push('>');
            }
        };
        element("Action", true, &self.action);
        element("MessageID", false, &self.message_id);
        element("To", false, &self.to);
        element("ReplyTo", true, &self.reply_to);
        element("RelatesTo", false, &self.relates_to);
    }

    fn read(header: &Element) -> Self {
        let text = |name: &str| {
            header
                .child(ns::WSA, name)
                .map(|e| e.text().trim().to_owned())
        };
        Self {
            action: text("Action"),
            message_id: text("MessageID"),
            to: text("To"),
            reply_to: header
                .child(ns::WSA, "ReplyTo")
                .and_then(|r| r.child(ns::WSA, "Address"))
                .map(|a| a.text().trim().to_owned()),
            relates_to: text("RelatesTo"),
        }
    }
}

/// Builds a SOAP 1.2 envelope.
///
/// The output is deterministic: the same inputs give the same bytes. The message id comes from
/// the [`Addressing`] value, which [`Addressing::request`] draws from an injected
/// [`Randomness`].
#[derive(Debug, Clone, Default)]
pub struct EnvelopeBuilder {
    addressing: Option<Addressing>,
    assertions: Vec<String>,
    headers: Vec<String>,
    body: String,
}

impl EnvelopeBuilder {
    /// An envelope whose body holds `body`, an XML element (an XML declaration is dropped).
    pub fn new(body: &str) -> Self {
        Self {
            body: xml::strip_declaration(body).to_owned(),
            ..Self::default()
        }
    }

    /// Sets the WS-Addressing headers.
    pub fn addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = Some(addressing);
        self
    }

    /// Adds a (signed) SAML assertion to the `wsse:Security` header. The assertion is embedded
    /// byte for byte (minus any XML declaration), so its signature stays valid.
    pub fn security_assertion(mut self, assertion_xml: &str) -> Self {
        self.assertions
            .push(xml::strip_declaration(assertion_xml).to_owned());
        self
    }

    /// Adds another header block, an XML element written verbatim.
    pub fn header_block(mut self, xml: &str) -> Self {
        self.headers.push(xml::strip_declaration(xml).to_owned());
        self
    }

    /// The envelope, as an XML document with a UTF-8 declaration.
    pub fn build(&self) -> String {
        let mut out = String::with_capacity(512 + self.body.len());
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.push_str("<soap:Envelope xmlns:soap=\"");
        out.push_str(ns::SOAP12);
        out.push_str("\" xmlns:wsa=\"");
        out.push_str(ns::WSA);
        out.push_str("\"><soap:Header>");
        if let Some(a) = &self.addressing {
            a.write(&mut out);
        }
        if !self.assertions.is_empty() {
            out.push_str("<wsse:Security xmlns:wsse=\"");
            out.push_str(&escape_attr(ns::WSSE));
            out.push_str("\">");
            for a in &self.assertions {
                out.push_str(a);
            }
            out.push_str("</wsse:Security>");
        }
        for h in &self.headers {
            out.push_str(h);
        }
        out.push_str("</soap:Header><soap:Body>");
        out.push_str(&self.body);
        out.push_str("</soap:Body></soap:Envelope>");
        out
    }
}

/// A header block other than WS-Addressing and `wsse:Security`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderBlock {
    /// The block's element name.
    pub name: QualifiedName,
    /// Whether `mustUnderstand` is true on it.
    pub must_understand: bool,
    /// The block, as a standalone XML document.
    pub xml: String,
}

/// The element inside a SOAP body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Payload {
    /// The element's name.
    pub name: QualifiedName,
    /// The element, as a standalone XML document (inherited namespace declarations added).
    pub xml: String,
}

/// What a SOAP body holds.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body {
    /// Nothing.
    Empty,
    /// A payload element.
    Payload(Payload),
    /// A fault.
    Fault(Box<Fault>),
}

/// A SOAP envelope, read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Envelope {
    /// The SOAP version.
    pub version: SoapVersion,
    /// The WS-Addressing headers (all `None` if absent).
    pub addressing: Addressing,
    /// The SAML assertions of `wsse:Security`, each as a standalone XML document.
    pub assertions: Vec<String>,
    /// The other header blocks.
    pub headers: Vec<HeaderBlock>,
    /// The body.
    pub body: Body,
}

impl Envelope {
    /// Reads an envelope with the default [`Limits`].
    pub fn parse(input: &[u8]) -> Result<Self, Error> {
        Self::parse_with_limits(input, &Limits::default())
    }

    /// Reads an envelope.
    pub fn parse_with_limits(input: &[u8], limits: &Limits) -> Result<Self, Error> {
        let doc = xml::parse(input, limits)?;
        let root = &doc.root;
        let version = if root.is(ns::SOAP12, "Envelope") {
            SoapVersion::Soap12
        } else if root.is(ns::SOAP11, "Envelope") {
            SoapVersion::Soap11
        } else {
            return Err(Error::malformed(
                root.name(),
                format!(
                    "the root is not a SOAP Envelope but {}",
                    QualifiedName {
                        namespace: root.ns.as_deref().map(str::to_owned),
                        local: root.local.clone()
                    }
                ),
            ));
        };
        let soap = version.namespace();
        let mut addressing = Addressing::default();
        let mut assertions = Vec::new();
        let mut headers = Vec::new();
        let mut body = None;
        // header blocks and assertions are copied out with the declarations they inherit:
        // bounded as a whole, since every block may inherit hundreds of them
        let budget = input.len().saturating_mul(4).saturating_add(1 << 20);
        let mut copied = 0usize;
        let mut copy_out = |el: &Element| -> Result<String, Error> {
            let xml = el.standalone(&doc.source);
            copied = copied.saturating_add(xml.len());
            if copied > budget {
                return Err(Error::new(crate::ErrorKind::LimitExceeded {
                    what: "header blocks with their inherited namespace declarations",
                    limit: budget,
                }));
            }
            Ok(xml)
        };
        for (i, el) in root.elements().enumerate() {
            match (i, el.ns.as_deref() == Some(soap), el.local.as_str()) {
                (0, true, "Header") => {
                    addressing = Addressing::read(el);
                    for block in el.elements() {
                        if block.ns.as_deref() == Some(ns::WSA) {
                            continue;
                        }
                        if block.is(ns::WSSE, "Security") {
                            for a in block.children_named(ns::SAML2, "Assertion") {
                                assertions.push(copy_out(a)?);
                            }
                            continue;
                        }
                        let mu = block.attr_ns(soap, "mustUnderstand").map(str::trim);
                        headers.push(HeaderBlock {
                            name: QualifiedName {
                                namespace: block.ns.as_deref().map(str::to_owned),
                                local: block.local.clone(),
                            },
                            must_understand: matches!(mu, Some("true" | "1")),
                            xml: copy_out(block)?,
                        });
                    }
                }
                (_, true, "Body") if body.is_none() => body = Some(el),
                _ => {
                    return Err(Error::malformed(
                        "Envelope",
                        format!("unexpected <{}> in the envelope", el.local),
                    ));
                }
            }
        }
        let body_el = body.ok_or_else(|| Error::malformed("Envelope", "no <Body>"))?;
        let mut children = body_el.elements();
        let body = match children.next() {
            None => Body::Empty,
            Some(f) if f.is(soap, "Fault") => {
                Body::Fault(Box::new(Fault::from_element(f, version, &doc.source)?))
            }
            Some(p) => Body::Payload(Payload {
                name: QualifiedName {
                    namespace: p.ns.as_deref().map(str::to_owned),
                    local: p.local.clone(),
                },
                xml: p.standalone(&doc.source),
            }),
        };
        if version == SoapVersion::Soap12 && children.next().is_some() {
            return Err(Error::malformed(
                "Body",
                "more than one element in a SOAP 1.2 body",
            ));
        }
        Ok(Self {
            version,
            addressing,
            assertions,
            headers,
            body,
        })
    }

    /// The payload, or the fault as an error (an empty body is an error too).
    pub fn into_payload(self) -> Result<Payload, Error> {
        match self.body {
            Body::Payload(p) => Ok(p),
            Body::Fault(f) => Err(Error::from(*f)),
            Body::Empty => Err(Error::malformed("Body", "the body is empty")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::fault::FaultCode;
    use segur_transport::SeededRandomness;

    #[test]
    fn round_trip() {
        let env = EnvelopeBuilder::new(r#"<?xml version="1.0"?><q:Req xmlns:q="urn:q">a&amp;b</q:Req>"#)
            .addressing(Addressing::request(
                "urn:ihe:iti:2007:RegistryStoredQuery",
                "https://dmp.example/registry",
                &SeededRandomness::new(1),
            ))
            .security_assertion(r#"<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a"/>"#)
            .header_block(r#"<x:H xmlns:x="urn:x" xmlns:soap="http://www.w3.org/2003/05/soap-envelope" soap:mustUnderstand="true">h</x:H>"#)
            .build();
        let read = Envelope::parse(env.as_bytes()).unwrap();
        assert_eq!(read.version, SoapVersion::Soap12);
        assert_eq!(
            read.addressing.action.as_deref(),
            Some("urn:ihe:iti:2007:RegistryStoredQuery")
        );
        assert!(
            read.addressing
                .message_id
                .as_deref()
                .unwrap()
                .starts_with("urn:uuid:")
        );
        assert_eq!(read.addressing.reply_to.as_deref(), Some(ANONYMOUS));
        assert_eq!(read.assertions.len(), 1);
        assert_eq!(read.headers.len(), 1);
        assert!(read.headers[0].must_understand);
        let p = read.into_payload().unwrap();
        assert_eq!(p.name.local, "Req");
        // the inherited declarations are added so that the payload stands alone
        assert_eq!(
            p.xml,
            r#"<q:Req xmlns:q="urn:q" xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing">a&amp;b</q:Req>"#
        );
    }

    #[test]
    fn soap12_fault_with_subcodes() {
        let f = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:dmp="urn:dmp"><env:Body><env:Fault>
            <env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>dmp:DMPInvalidCertificate</env:Value></env:Subcode></env:Code>
            <env:Reason><env:Text xml:lang="en">bad</env:Text><env:Text xml:lang="fr">Le certificat est invalide</env:Text></env:Reason>
            <env:Detail><dmp:info>x</dmp:info></env:Detail></env:Fault></env:Body></env:Envelope>"#;
        let err = Envelope::parse(f.as_bytes())
            .unwrap()
            .into_payload()
            .unwrap_err();
        let fault = err.fault().unwrap();
        assert_eq!(fault.code, FaultCode::Sender);
        assert_eq!(fault.innermost_subcode(), Some("DMPInvalidCertificate"));
        assert_eq!(fault.subcodes[0].namespace.as_deref(), Some("urn:dmp"));
        assert_eq!(fault.reason(), Some("Le certificat est invalide"));
        assert!(
            fault
                .detail
                .as_deref()
                .unwrap()
                .contains("xmlns:dmp=\"urn:dmp\"")
        );
        assert_eq!(
            err.to_string(),
            "SOAP fault: Sender/DMPInvalidCertificate: Le certificat est invalide"
        );
    }

    #[test]
    fn soap11_fault() {
        let f = r#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client.Auth</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>"#;
        let e = Envelope::parse(f.as_bytes()).unwrap();
        let Body::Fault(fault) = e.body else {
            panic!("not a fault")
        };
        assert_eq!(fault.code, FaultCode::Sender);
        assert_eq!(fault.innermost_subcode(), Some("Auth"));
        assert_eq!(fault.reason(), Some("no"));
    }

    #[test]
    fn shapes_are_checked() {
        for bad in [
            "<a/>",
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"/>"#,
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><a/><b/></e:Body></e:Envelope>"#,
            r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body><e:Fault/></e:Body></e:Envelope>"#,
        ] {
            let err = Envelope::parse(bad.as_bytes()).unwrap_err();
            assert!(
                matches!(err.kind(), ErrorKind::Malformed { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn header_blocks_copied_with_their_declarations_are_bounded() {
        // every block inherits the envelope's declarations when copied out: many long ones on
        // many blocks would cost blocks x declarations
        let decls: String = (0..250)
            .map(|i| format!(r#" xmlns:p{i}="urn:{i}:{}""#, "u".repeat(2000)))
            .collect();
        let envelope = |blocks: usize| {
            format!(
                r#"<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"{decls}><e:Header>{}</e:Header><e:Body><b/></e:Body></e:Envelope>"#,
                "<h/>".repeat(blocks)
            )
        };
        let err = Envelope::parse(envelope(2_000).as_bytes()).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                ErrorKind::LimitExceeded {
                    what: "header blocks with their inherited namespace declarations",
                    ..
                }
            ),
            "{err}"
        );
        // a few blocks are copied with every declaration they inherit
        let parsed = Envelope::parse(envelope(2).as_bytes()).unwrap();
        assert!(parsed.headers[1].xml.contains(r#"xmlns:p249="urn:249:"#));
    }
}
