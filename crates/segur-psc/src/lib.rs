#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod acr;
mod client;
mod discovery;
mod error;
mod form;
mod idtoken;
pub mod jose;
pub mod jwk;
mod secret;
mod tokens;
pub mod userinfo;
#[cfg(feature = "vihf")]
mod vihf;

pub use crate::acr::{Acr, AcrPolicy};
pub use crate::client::{
    CibaChannel, CibaPending, CibaPoll, CibaRequest, ClientAuth, ClientConfig, MAX_RESPONSE_LEN,
    PendingAuthorization, PscClient, TokenExchange, fetch_metadata,
};
pub use crate::discovery::{
    DiscoveryFinding, Environment, MAX_DISCOVERY_LEN, ProviderMetadata, STANDARD_DISCOVERY_PATH,
    WALLET_DISCOVERY_PATH,
};
pub use crate::error::{CallbackProblem, ClaimProblem, Endpoint, Error, Result};
pub use crate::idtoken::{IdTokenClaims, IdTokenValidation};
pub use crate::jose::{Algorithm, Jws, SigningKey, VerifyingKey};
pub use crate::jwk::Jwks;
pub use crate::secret::Secret;
pub use crate::tokens::{IdToken, Introspection, TokenResponse, Tokens};
pub use crate::userinfo::{NationalId, NationalIdKind, PscUserInfo, WorkSituation};
