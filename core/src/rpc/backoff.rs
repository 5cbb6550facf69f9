//! How long to wait before trying again: exponential from a base, capped, with jitter so many
//! visitors' retries don't arrive together; an endpoint's own `Retry-After` wins.

use super::Fault;

/// An exponential back-off schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    /// The wait before the first retry, before jitter.
    pub base_ms: u64,
    /// No wait is longer than this.
    pub max_ms: u64,
}

impl Backoff {
    /// Retrying a read: 0.25 s, 0.5 s, 1 s… up to 8 s.
    pub const READ: Backoff = Backoff { base_ms: 250, max_ms: 8_000 };
    /// Skipping an endpoint that failed: 5 s, 10 s, 20 s, then every 30 s (a recovered primary is
    /// used again within half a minute).
    pub const REST: Backoff = Backoff { base_ms: 5_000, max_ms: 30_000 };

    /// The wait before retry number `retry` (0 for the first) after `fault`. `jitter` in `[0, 1]`
    /// scales the wait between half and all of it (a random number in the browser, fixed in
    /// tests). A `Retry-After` the endpoint sent is waited in full, up to the cap.
    pub fn delay_ms(&self, retry: u32, fault: &Fault, jitter: f64) -> u64 {
        if let Fault::RateLimited { retry_after_ms: Some(asked) } = fault {
            return (*asked).min(self.max_ms.max(60_000));
        }
        let exponential = self.base_ms.saturating_mul(1u64 << retry.min(20)).min(self.max_ms);
        let scale = 0.5 + 0.5 * jitter.clamp(0.0, 1.0);
        (exponential as f64 * scale).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNREACHABLE: Fault = Fault::Unreachable;

    #[test]
    fn waits_double_up_to_the_cap() {
        let waits: Vec<u64> = (0..8).map(|n| Backoff::READ.delay_ms(n, &UNREACHABLE, 1.0)).collect();
        assert_eq!(waits, [250, 500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
        assert_eq!(Backoff::READ.delay_ms(u32::MAX, &UNREACHABLE, 1.0), 8_000, "no overflow");
    }

    #[test]
    fn jitter_keeps_between_half_and_all_of_the_wait() {
        assert_eq!(Backoff::READ.delay_ms(2, &UNREACHABLE, 0.0), 500);
        assert_eq!(Backoff::READ.delay_ms(2, &UNREACHABLE, 0.5), 750);
        assert_eq!(Backoff::READ.delay_ms(2, &UNREACHABLE, 7.0), 1_000, "clamped");
    }

    #[test]
    fn the_endpoint_s_retry_after_wins() {
        let asked = Fault::RateLimited { retry_after_ms: Some(3_000) };
        assert_eq!(Backoff::READ.delay_ms(0, &asked, 0.0), 3_000);
        let greedy = Fault::RateLimited { retry_after_ms: Some(3_600_000) };
        assert_eq!(Backoff::READ.delay_ms(0, &greedy, 0.0), 60_000, "at most a minute");
        let silent = Fault::RateLimited { retry_after_ms: None };
        assert_eq!(Backoff::READ.delay_ms(1, &silent, 1.0), 500, "the schedule when it names no wait");
    }
}
