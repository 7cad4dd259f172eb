//! Clocks and randomness: the non-reproducible inputs, injected.

use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Utc};

/// Tells the current time.
///
/// Protocol crates take a `&dyn Clock` (or a generic) wherever they stamp an output (SAML
/// `IssueInstant`, XDS `submissionTime`, CDA `effectiveTime`) or check one (token expiry).
pub trait Clock {
    /// The current time, in UTC.
    fn now(&self) -> DateTime<Utc>;
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// The system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always tells the same time, unless moved with [`FixedClock::advance`].
#[derive(Debug)]
pub struct FixedClock {
    micros: AtomicI64,
}

impl FixedClock {
    /// A clock stopped at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self {
            micros: AtomicI64::new(at.timestamp_micros()),
        }
    }

    /// A clock stopped at an RFC 3339 time such as `2026-11-22T08:00:00Z`.
    pub fn from_rfc3339(at: &str) -> Result<Self, chrono::ParseError> {
        Ok(Self::new(
            DateTime::parse_from_rfc3339(at)?.with_timezone(&Utc),
        ))
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: chrono::TimeDelta) {
        self.micros
            .fetch_add(by.num_microseconds().unwrap_or(i64::MAX), Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(self.micros.load(Ordering::SeqCst))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// A source of random bytes: UUIDs, nonces, PKCE verifiers, MIME boundaries.
pub trait Randomness {
    /// Fills `dest` with random bytes.
    fn fill(&self, dest: &mut [u8]);

    /// A random (version 4) UUID.
    fn uuid_v4(&self) -> uuid::Uuid {
        let mut bytes = [0u8; 16];
        self.fill(&mut bytes);
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

impl<R: Randomness + ?Sized> Randomness for &R {
    fn fill(&self, dest: &mut [u8]) {
        (**self).fill(dest);
    }
}

/// The operating system's cryptographically secure random source (through `ring`).
#[derive(Debug)]
pub struct SystemRandomness {
    rng: ring::rand::SystemRandom,
}

impl SystemRandomness {
    /// The system random source.
    pub fn new() -> Self {
        Self {
            rng: ring::rand::SystemRandom::new(),
        }
    }
}

impl Default for SystemRandomness {
    fn default() -> Self {
        Self::new()
    }
}

impl Randomness for SystemRandomness {
    fn fill(&self, dest: &mut [u8]) {
        use ring::rand::SecureRandom;
        // The system source only fails when the OS has none at all; there is nothing sensible to
        // fall back to, and producing predictable nonces silently would be worse than stopping.
        #[allow(clippy::expect_used)]
        self.rng
            .fill(dest)
            .expect("the operating system's random source failed");
    }
}

/// A deterministic pseudo-random source for tests and reproducible examples: the same seed
/// gives the same bytes. Never use it for real nonces or keys.
#[derive(Debug)]
pub struct SeededRandomness {
    state: Mutex<u64>,
}

impl SeededRandomness {
    /// A source seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: Mutex::new(seed),
        }
    }

    // SplitMix64: tiny, well-distributed, and enough for reproducible test identifiers.
    fn next_u64(&self) -> u64 {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

impl Randomness for SeededRandomness {
    fn fill(&self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let word = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_tells_and_advances() {
        let c = FixedClock::from_rfc3339("2026-01-02T03:04:05+01:00").unwrap();
        assert_eq!(c.now().to_rfc3339(), "2026-01-02T02:04:05+00:00");
        c.advance(chrono::TimeDelta::seconds(90));
        assert_eq!(c.now().to_rfc3339(), "2026-01-02T02:05:35+00:00");
        assert!(FixedClock::from_rfc3339("yesterday").is_err());
    }

    #[test]
    fn system_clock_is_recent() {
        assert!(SystemClock.now().timestamp() > 1_700_000_000);
    }

    #[test]
    fn seeded_randomness_is_reproducible_and_seed_dependent() {
        let mut a = [0u8; 13];
        let mut b = [0u8; 13];
        SeededRandomness::new(1).fill(&mut a);
        SeededRandomness::new(1).fill(&mut b);
        assert_eq!(a, b);
        SeededRandomness::new(2).fill(&mut b);
        assert_ne!(a, b);
        let u = SeededRandomness::new(3).uuid_v4();
        assert_eq!(u.get_version_num(), 4);
    }

    #[test]
    fn system_randomness_differs_between_draws() {
        let r = SystemRandomness::new();
        assert_ne!(r.uuid_v4(), r.uuid_v4());
    }
}
