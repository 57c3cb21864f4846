//! Exponential backoff with full jitter (each delay uniform in 0..cap, the
//! cap doubling per failure up to a ceiling): many terminals coming back
//! after a network outage spread their retries instead of hitting the
//! server together.

use std::time::Duration;

/// Delays between failed sync passes.
#[derive(Debug, Clone)]
pub struct Backoff {
    caps: crate::backoff::Backoff,
    state: u64,
}

impl Backoff {
    /// Delays capped at `base · 2^failures`, never above `ceiling`; `seed`
    /// drives the jitter (anything; tests pass a fixed one).
    pub fn new(base: Duration, ceiling: Duration, seed: u64) -> Backoff {
        Backoff {
            caps: crate::backoff::Backoff::new(base, ceiling),
            state: seed | 1,
        }
    }

    /// The delay after one more failure: uniform below the doubling cap.
    pub fn next_delay(&mut self) -> Duration {
        let cap = self.caps.next_delay();
        let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.random() % nanos.max(1))
    }

    /// Back to the first delay after a success.
    pub fn reset(&mut self) {
        self.caps.reset();
    }

    /// xorshift64*: enough to decorrelate terminals, no dependency.
    fn random(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_stay_under_a_doubling_cap_and_reset() {
        let ms = Duration::from_millis;
        let mut backoff = Backoff::new(ms(100), ms(1_000), 42);
        for cap in [100, 200, 400, 800, 1_000, 1_000] {
            let delay = backoff.next_delay();
            assert!(delay < ms(cap), "{delay:?} over {cap} ms");
        }
        backoff.reset();
        assert!(backoff.next_delay() < ms(100));
    }

    #[test]
    fn jitter_spreads_delays() {
        let mut backoff = Backoff::new(Duration::from_secs(60), Duration::from_secs(60), 7);
        let delays: std::collections::BTreeSet<Duration> =
            (0..20).map(|_| backoff.next_delay()).collect();
        assert!(delays.len() > 15, "{delays:?}");
    }
}
