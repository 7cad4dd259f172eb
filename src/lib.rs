#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "ins")]
#[doc(inline)]
pub use segur_ins as ins;

#[cfg(feature = "transport")]
#[doc(inline)]
pub use segur_transport as transport;

#[cfg(feature = "cda")]
#[doc(inline)]
pub use segur_cda as cda;

#[cfg(feature = "soap")]
#[doc(inline)]
pub use segur_soap as soap;

#[cfg(feature = "psc")]
#[doc(inline)]
pub use segur_psc as psc;

#[cfg(feature = "xds")]
#[doc(inline)]
pub use segur_xds as xds;

#[cfg(feature = "xmldsig")]
#[doc(inline)]
pub use segur_xmldsig as xmldsig;

#[cfg(feature = "mssante")]
#[doc(inline)]
pub use segur_mssante as mssante;

#[cfg(feature = "dmp")]
#[doc(inline)]
pub use segur_dmp as dmp;
