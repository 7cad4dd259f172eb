//! MSSanté mailboxes and the patient address `<INS>@patient.mssante.fr`.

use std::fmt;

use segur_ins::{IdentityStatus, Ins};

use crate::error::{Error, ErrorKind, Result};

/// The domain of Mon espace santé patient mailboxes.
pub const PATIENT_DOMAIN: &str = "patient.mssante.fr";

/// An e-mail address with an optional display name ("libellé signifiant", ECO.2.2.7).
///
/// Only plain ASCII `local@domain` addresses are accepted: MSSanté addresses are ASCII, and the
/// check keeps header injection (CR, LF, `<`, `>`, `,`) out of generated messages.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Mailbox {
    name: Option<String>,
    address: String,
}

fn valid_part(s: &str, domain: bool) -> bool {
    !s.is_empty()
        && s.len() <= if domain { 253 } else { 64 }
        && !s.starts_with('.')
        && !s.ends_with('.')
        && !s.contains("..")
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || b"-.".contains(&b)
                || (!domain && b"_+=!#$%&'*/?^`{|}~".contains(&b))
        })
}

impl Mailbox {
    /// A mailbox from an address (`local@domain`), checked.
    pub fn new(address: &str) -> Result<Self> {
        let address = address.trim();
        let ok = address
            .split_once('@')
            .is_some_and(|(l, d)| valid_part(l, false) && valid_part(d, true) && d.contains('.'));
        if !ok {
            return Err(Error::new(
                ErrorKind::InvalidAddress,
                "not a plain ASCII local@domain address",
            )
            .value(address));
        }
        Ok(Self {
            name: None,
            address: address.to_ascii_lowercase(),
        })
    }

    /// A mailbox with a display name (control characters are refused).
    pub fn with_name(address: &str, name: &str) -> Result<Self> {
        if name.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorKind::InvalidAddress,
                "control character in a display name",
            )
            .value(name.escape_debug().to_string()));
        }
        let mut m = Self::new(address)?;
        m.name = (!name.trim().is_empty()).then(|| name.trim().to_owned());
        Ok(m)
    }

    /// The address, lower-cased.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The domain part of the address.
    pub fn domain(&self) -> &str {
        self.address
            .split_once('@')
            .map_or("", |(_, domain)| domain)
    }

    /// Whether this is a Mon espace santé patient mailbox.
    pub fn is_patient(&self) -> bool {
        self.domain() == PATIENT_DOMAIN
    }

    /// The Mon espace santé address `<INS>@patient.mssante.fr` of a patient, only when the
    /// identity is qualified (ECO.2.2.6: the INS may only be used, hence shared, when
    /// [`IdentityStatus::may_share_ins`] says so).
    pub fn patient(ins: &Ins, status: &IdentityStatus) -> Result<Self> {
        if !status.may_share_ins() {
            return Err(Error::new(
                ErrorKind::InvalidAddress,
                "a patient address needs a qualified identity (INS qualifiée)",
            ));
        }
        Ok(Self {
            name: None,
            address: ins.mssante_address().to_ascii_lowercase(),
        })
    }

    /// The INS of a patient address, if this is one.
    pub fn patient_ins(&self) -> Option<Ins> {
        if !self.is_patient() {
            return None;
        }
        Ins::from_mssante_address(&self.address).ok()
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(
                f,
                "\"{}\" <{}>",
                name.replace(['"', '\\'], ""),
                self.address
            ),
            None => write!(f, "<{}>", self.address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_checked() {
        assert!(Mailbox::new("paul.martin@ch-a.mssante.fr").is_ok());
        for bad in [
            "",
            "a",
            "a@b",
            "a b@c.fr",
            "a@b.fr\r\nBcc: x@y.fr",
            "<a@b.fr>",
            "a@@b.fr",
            ".a@b.fr",
        ] {
            assert_eq!(
                Mailbox::new(bad).unwrap_err().kind(),
                ErrorKind::InvalidAddress,
                "{bad:?}"
            );
        }
        assert!(Mailbox::with_name("a@b.fr", "x\r\ny").is_err());
    }

    #[test]
    fn patient_addresses_need_a_qualified_identity() {
        // the qualified case is in tests/message.rs (it needs a full identity history)
        let ins = Ins::from_mssante_address("279035121518989@patient.mssante.fr").unwrap();
        let e = Mailbox::patient(&ins, &IdentityStatus::new()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidAddress);
        assert_eq!(Mailbox::new("a@b.fr").unwrap().patient_ins(), None);
    }
}
