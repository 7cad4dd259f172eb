//! A string that never shows itself: tokens, client secrets, PKCE verifiers.

use std::fmt;

use zeroize::Zeroize;

/// A secret string: an access, refresh or ID token, a client secret, a PKCE verifier.
///
/// Its [`Debug`](fmt::Debug) and [`Display`](fmt::Display) forms are `"[redacted]"`, it is
/// compared in constant time and its memory is zeroed when dropped. Read it with
/// [`Secret::expose`], only where it must leave the process (an HTTP header or form).
///
/// ```
/// use segur_psc::Secret;
/// let s = Secret::new("eyJhbGciOi...");
/// assert_eq!(format!("{s:?} {s}"), "Secret([redacted]) [redacted]");
/// assert_eq!(s.expose(), "eyJhbGciOi...");
/// ```
#[derive(Clone, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Constant-time comparison with `other` (the lengths may leak, not the contents).
    pub fn ct_eq(&self, other: &str) -> bool {
        ct_eq(self.0.as_bytes(), other.as_bytes())
    }
}

/// Compares two byte strings without an early exit on the first difference.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(&other.0)
    }
}

impl Eq for Secret {}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_its_value() {
        let s = Secret::new("hunter2-token");
        assert!(!format!("{s:?}{s}{s:#?}").contains("hunter2"));
        assert!(s.ct_eq("hunter2-token"));
        assert!(!s.ct_eq("hunter2-tokeN"));
        assert!(!s.ct_eq("hunter2"));
        assert_eq!(s, Secret::from("hunter2-token"));
        assert!(!s.is_empty());
        assert!(Secret::default().is_empty());
    }
}
