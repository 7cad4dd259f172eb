#![doc = include_str!("../README.md")]

mod c14n;
mod cert;
mod dsig;
mod error;
mod keys;
mod tree;
pub mod xades;

pub use c14n::{C14N, C14N_WITH_COMMENTS, Canonicalization, EXC_C14N, EXC_C14N_WITH_COMMENTS};
pub use cert::{Certificate, DnStyle, HealthIdentifier, KeyUsage};
pub use dsig::{
    DSIG_NS, ENVELOPED_SIGNATURE, ElementSelector, IdAttribute, Placement, SignOptions,
    TrustPolicy, VerifiedElement, Verifier, sign_enveloped, sign_enveloped_with,
};
pub use error::{Error, Result};
pub use keys::{DigestAlgorithm, PrivateKey, SignatureAlgorithm, Signer, SoftwareSigner};
pub use tree::ParseLimits;
