//! Turning SOAP messages into HTTP requests and HTTP responses into SOAP messages (sans-IO: the
//! caller sends them with a [`segur_transport::Transport`]).

use segur_transport::{HttpRequest, HttpResponse};

use crate::envelope::Envelope;
use crate::error::Error;
use crate::mtom::{MtomBody, MtomMessage};

fn request(url: &str, content_type: &str, body: Vec<u8>) -> Result<HttpRequest, Error> {
    http::Request::post(url)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(body)
        .map_err(|e| Error::invalid("URL", e.to_string()))
}

/// A `POST` of a SOAP 1.2 envelope: `Content-Type: application/soap+xml; charset=UTF-8;
/// action="…"`.
pub fn soap_request(url: &str, action: &str, envelope: &str) -> Result<HttpRequest, Error> {
    if action.contains(['"', '\r', '\n']) {
        return Err(Error::invalid(
            "SOAP action",
            "contains a quote or a line break",
        ));
    }
    request(
        url,
        &format!("application/soap+xml; charset=UTF-8; action=\"{action}\""),
        envelope.as_bytes().to_vec(),
    )
}

/// A `POST` of an MTOM/XOP message written by [`crate::mtom::MtomBuilder`].
pub fn mtom_request(url: &str, message: MtomBody) -> Result<HttpRequest, Error> {
    request(url, &message.content_type, message.body)
}

/// A SOAP response read from HTTP, whatever its status (a fault comes with a 500): the message
/// (for its MTOM attachments) and its envelope.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SoapResponse {
    /// The HTTP status.
    pub status: u16,
    /// The message, multipart or not.
    pub message: MtomMessage,
    /// The root part read as an envelope; a fault is in its body.
    pub envelope: Envelope,
}

/// Reads an HTTP response carrying SOAP, plain (`application/soap+xml`) or MTOM/XOP
/// (`multipart/related`, as ITI-43 answers even its faults).
pub fn read_response(response: &HttpResponse) -> Result<SoapResponse, Error> {
    let content_type = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/soap+xml");
    let message = MtomMessage::parse(content_type, response.body())?;
    let envelope = message.envelope()?;
    Ok(SoapResponse {
        status: response.status().as_u16(),
        message,
        envelope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::{Body, EnvelopeBuilder};
    use crate::mtom::MtomBuilder;
    use segur_transport::{SeededRandomness, Transport, TransportError};

    #[test]
    fn requests_and_responses_through_a_transport() {
        let envelope = EnvelopeBuilder::new("<a:Ping xmlns:a=\"urn:a\"/>").build();
        let req = soap_request("https://dmp.example/ws", "urn:a:Ping", &envelope).unwrap();
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/soap+xml; charset=UTF-8; action=\"urn:a:Ping\""
        );
        assert!(soap_request("https://dmp.example/ws", "a\"b", &envelope).is_err());
        assert!(soap_request("not a url\n", "a", &envelope).is_err());
        // a server answering with an MTOM fault and a 500
        let server = |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let fault = EnvelopeBuilder::new(
                "<soap:Fault xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang=\"fr\">panne</soap:Text></soap:Reason></soap:Fault>",
            )
            .build();
            let out = MtomBuilder::new(&SeededRandomness::new(3))
                .finish(&fault)
                .unwrap();
            Ok(http::Response::builder()
                .status(500)
                .header("content-type", out.content_type)
                .body(out.body)
                .unwrap())
        };
        let resp = read_response(&server.send(req).unwrap()).unwrap();
        assert_eq!(resp.status, 500);
        let Body::Fault(f) = resp.envelope.body else {
            panic!("no fault")
        };
        assert_eq!(f.reason(), Some("panne"));
        let mtom = MtomBuilder::new(&SeededRandomness::new(4))
            .finish(&envelope)
            .unwrap();
        let req = mtom_request("https://dmp.example/ws", mtom.clone()).unwrap();
        assert_eq!(req.body(), &mtom.body);
    }
}
