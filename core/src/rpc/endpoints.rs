//! The configured RPC endpoints and their health: which one to try next (the first that isn't
//! resting after a failure, in the configured order, so a recovered primary is used again), how
//! long to wait when all are resting, and the quiet status line the app shows.

use super::{Backoff, Fault};

/// What to do for the next attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// Send it to endpoint `i` now.
    Try(usize),
    /// Every endpoint is resting: wait this long, then send it to endpoint `i` (the one whose
    /// rest ends first).
    Wait { ms: u64, then: usize },
}

/// What the app says about its reads, when anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RpcStatus {
    /// The first endpoint answers: nothing to say.
    Primary,
    /// Another endpoint answers because the first failed.
    Fallback { serving: String, primary: String, fault: Fault },
    /// The last attempt failed and every endpoint is resting; reads are retried.
    Struggling { fault: Fault },
}

impl RpcStatus {
    /// The sentence for the status line; `None` when all is well.
    pub fn sentence(&self) -> Option<String> {
        match self {
            RpcStatus::Primary => None,
            RpcStatus::Fallback { serving, primary, fault } => {
                Some(format!("Reading the chain through {serving}: {primary} is {}.", fault.words()))
            }
            RpcStatus::Struggling { fault } => {
                Some(format!("The chain's RPC endpoint is {}; Assay keeps retrying.", fault.words()))
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Health {
    Up,
    Resting { until_ms: f64, failures: u32, fault: Fault },
}

/// The endpoints, in the configured order (the first is the primary).
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoints {
    urls: Vec<String>,
    health: Vec<Health>,
    /// The endpoint that answered last.
    serving: Option<usize>,
    /// The last fault, while no endpoint has answered since.
    failing: Option<Fault>,
}

impl Endpoints {
    /// The endpoints to use, in order; duplicates are dropped. Panics on an empty list (the
    /// configuration always has one).
    pub fn new(urls: impl IntoIterator<Item = String>) -> Self {
        let mut unique: Vec<String> = Vec::new();
        for url in urls {
            if !unique.contains(&url) {
                unique.push(url);
            }
        }
        assert!(!unique.is_empty(), "at least one RPC endpoint");
        let health = vec![Health::Up; unique.len()];
        Endpoints { urls: unique, health, serving: None, failing: None }
    }

    pub fn url(&self, i: usize) -> &str {
        &self.urls[i]
    }

    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Where the next attempt goes: the first endpoint (in configured order) not resting at
    /// `now_ms`; when all rest, the one whose rest ends first, after waiting for it.
    pub fn next(&self, now_ms: f64) -> Next {
        let rested = |i: usize| match self.health[i] {
            Health::Up => true,
            Health::Resting { until_ms, .. } => until_ms <= now_ms,
        };
        if let Some(i) = (0..self.urls.len()).find(|&i| rested(i)) {
            return Next::Try(i);
        }
        let until = |i: usize| match self.health[i] {
            Health::Resting { until_ms, .. } => until_ms,
            Health::Up => now_ms,
        };
        let soonest = (0..self.urls.len()).min_by(|&a, &b| until(a).total_cmp(&until(b))).unwrap_or(0);
        Next::Wait { ms: (until(soonest) - now_ms).max(0.0).ceil() as u64, then: soonest }
    }

    /// Endpoint `i` answered.
    pub fn succeeded(&mut self, i: usize) {
        self.health[i] = Health::Up;
        self.serving = Some(i);
        self.failing = None;
    }

    /// Endpoint `i` failed with `fault` at `now_ms`: it rests (5 s, doubling with each failure in a
    /// row, up to 30 s, or what its `Retry-After` asked) while the others are tried.
    pub fn failed(&mut self, i: usize, fault: Fault, now_ms: f64) {
        let failures = match self.health[i] {
            Health::Resting { failures, .. } => failures + 1,
            Health::Up => 1,
        };
        let rest = Backoff::REST.delay_ms(failures - 1, &fault, 1.0);
        self.health[i] = Health::Resting { until_ms: now_ms + rest as f64, failures, fault };
        self.failing = Some(fault);
    }

    /// What the status line says now.
    pub fn status(&self) -> RpcStatus {
        if let Some(fault) = self.failing {
            return RpcStatus::Struggling { fault };
        }
        match (self.serving, self.health[0]) {
            (Some(i), Health::Resting { fault, .. }) if i != 0 => {
                RpcStatus::Fallback { serving: host(&self.urls[i]), primary: host(&self.urls[0]), fault }
            }
            _ => RpcStatus::Primary,
        }
    }
}

/// An endpoint as the status line names it: its host (an API key in the path stays private).
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#']).next().unwrap_or(rest).rsplit('@').next().unwrap_or(rest).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn three() -> Endpoints {
        Endpoints::new(["https://a.example/key".into(), "https://b.example".into(), "https://c.example".into()])
    }

    #[test]
    fn the_primary_is_tried_first_and_duplicates_are_dropped() {
        let endpoints = Endpoints::new(["https://a".to_owned(), "https://b".to_owned(), "https://a".to_owned()]);
        assert_eq!(endpoints.urls(), ["https://a", "https://b"]);
        assert_eq!(endpoints.next(0.0), Next::Try(0));
        assert_eq!(endpoints.status(), RpcStatus::Primary);
    }

    #[test]
    fn a_failure_moves_reads_to_the_next_endpoint_and_back_after_the_rest() {
        let mut endpoints = three();
        endpoints.failed(0, Fault::Unreachable, 1_000.0);
        assert_eq!(endpoints.next(1_000.0), Next::Try(1));
        endpoints.succeeded(1);
        assert_eq!(
            endpoints.status(),
            RpcStatus::Fallback { serving: "b.example".into(), primary: "a.example".into(), fault: Fault::Unreachable }
        );
        assert_eq!(
            endpoints.status().sentence().unwrap(),
            "Reading the chain through b.example: a.example is unreachable."
        );
        // Still resting 4.9 s later; tried again once its 5 s are over, and back on success.
        assert_eq!(endpoints.next(5_900.0), Next::Try(1));
        assert_eq!(endpoints.next(6_000.0), Next::Try(0));
        endpoints.succeeded(0);
        assert_eq!(endpoints.status(), RpcStatus::Primary);
        assert_eq!(endpoints.status().sentence(), None);
    }

    #[test]
    fn failures_in_a_row_rest_longer() {
        let mut endpoints = three();
        endpoints.failed(0, Fault::Server { status: 503 }, 0.0);
        endpoints.failed(0, Fault::Server { status: 503 }, 5_000.0);
        assert_eq!(endpoints.next(14_999.0), Next::Try(1), "10 s after the second failure");
        assert_eq!(endpoints.next(15_000.0), Next::Try(0));
        for n in 0..20 {
            endpoints.failed(0, Fault::Timeout, f64::from(n));
        }
        assert_eq!(endpoints.next(30_018.0), Next::Try(1), "capped at 30 s");
        assert_eq!(endpoints.next(30_019.0), Next::Try(0));
    }

    #[test]
    fn a_rate_limit_rests_as_long_as_the_endpoint_asked() {
        let mut endpoints = three();
        endpoints.failed(0, Fault::RateLimited { retry_after_ms: Some(30_000) }, 0.0);
        assert_eq!(endpoints.next(29_999.0), Next::Try(1));
        assert_eq!(endpoints.next(30_000.0), Next::Try(0));
    }

    #[test]
    fn when_all_rest_the_next_attempt_waits_for_the_soonest() {
        let mut endpoints = three();
        endpoints.failed(0, Fault::Unreachable, 0.0);
        endpoints.failed(1, Fault::Unreachable, 1_000.0);
        endpoints.failed(2, Fault::RateLimited { retry_after_ms: Some(2_000) }, 1_500.0);
        assert_eq!(endpoints.next(2_000.0), Next::Wait { ms: 1_500, then: 2 });
        assert_eq!(
            endpoints.status().sentence().unwrap(),
            "The chain's RPC endpoint is rate-limited; Assay keeps retrying."
        );
        endpoints.succeeded(2);
        assert!(matches!(endpoints.status(), RpcStatus::Fallback { .. }));
    }

    #[test]
    fn a_single_endpoint_waits_for_itself() {
        let mut endpoints = Endpoints::new(["http://127.0.0.1:8545".to_owned()]);
        endpoints.failed(0, Fault::Server { status: 502 }, 0.0);
        assert_eq!(endpoints.next(1_000.0), Next::Wait { ms: 4_000, then: 0 });
        assert!(matches!(endpoints.status(), RpcStatus::Struggling { fault: Fault::Server { status: 502 } }));
    }

    #[test]
    fn the_status_names_hosts_not_paths_or_credentials() {
        assert_eq!(host("https://eth-sepolia.g.alchemy.com/v2/SECRET"), "eth-sepolia.g.alchemy.com");
        assert_eq!(host("https://user:pass@rpc.example:8545/?key=1"), "rpc.example:8545");
        assert_eq!(host("http://127.0.0.1:8545"), "127.0.0.1:8545");
    }
}
