#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod env;
mod error;
#[cfg(feature = "ureq")]
mod https;

pub use crate::env::{
    Clock, FixedClock, Randomness, SeededRandomness, SystemClock, SystemRandomness,
};
pub use crate::error::{TransportError, TransportErrorKind};
#[cfg(feature = "ureq")]
#[cfg_attr(docsrs, doc(cfg(feature = "ureq")))]
pub use crate::https::{DMP_CIPHER_SUITES, HttpsTransport, HttpsTransportBuilder, TlsProfile};

/// An HTTP request as the protocol crates produce it: the whole body in memory.
pub type HttpRequest = http::Request<Vec<u8>>;

/// An HTTP response as the protocol crates consume it: the whole body in memory.
pub type HttpResponse = http::Response<Vec<u8>>;

/// Sends one HTTP request and returns the response, whatever its status.
///
/// This is the only way segur's protocol crates reach the network. An implementation returns
/// `Ok` for every response it received (a `500` with a SOAP fault is a response, not a transport
/// failure) and an error only when no response could be had: TLS failure, timeout, refused
/// connection. Any `Fn(HttpRequest) -> Result<HttpResponse, TransportError>` closure is a
/// transport, which is how tests answer requests in memory.
pub trait Transport {
    /// Sends `request` and waits for the whole response.
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> Transport for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respond(status: u16) -> impl Transport {
        move |_req: HttpRequest| {
            http::Response::builder()
                .status(status)
                .body(Vec::new())
                .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))
        }
    }

    fn send_via<T: Transport + ?Sized>(t: &T) -> u16 {
        let req = http::Request::get("http://127.0.0.1/")
            .body(Vec::new())
            .unwrap();
        t.send(req).unwrap().status().as_u16()
    }

    #[test]
    fn closures_and_trait_objects_are_transports() {
        assert_eq!(send_via(&respond(204)), 204);
        let boxed: Box<dyn Transport> = Box::new(respond(418));
        assert_eq!(send_via(boxed.as_ref()), 418);
    }

    #[test]
    fn errors_propagate_from_closures() {
        let t = |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
            Err(TransportError::new(
                TransportErrorKind::Timeout,
                "read timed out",
            ))
        };
        let err = t
            .send(
                http::Request::get("http://127.0.0.1/")
                    .body(Vec::new())
                    .unwrap(),
            )
            .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Timeout);
        assert_eq!(err.to_string(), "timeout: read timed out");
    }
}
