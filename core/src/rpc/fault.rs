//! What went wrong with one attempt to reach an endpoint, and whether another attempt can help.

/// A failed attempt that says nothing about the request itself: the same request may succeed on
/// another try or another endpoint. Reads only: Assay's endpoint transport never sends a
/// transaction (the wallet does), so repeating a request is always safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// HTTP 429, or a JSON-RPC error that says the caller is over its limit. `retry_after_ms`:
    /// what the endpoint asked for (`Retry-After`), if it did.
    RateLimited { retry_after_ms: Option<u64> },
    /// HTTP 5xx: the endpoint (or the gateway in front of it) failed.
    Server { status: u16 },
    /// No answer within the time allowed.
    Timeout,
    /// No answer at all: refused connection, DNS, CORS, offline.
    Unreachable,
    /// The endpoint refused this client (401, 403): try another, but not this one again soon.
    Refused { status: u16 },
}

impl Fault {
    /// The fault an HTTP status means, `None` for one that is an answer (2xx, and 4xx other than
    /// 401, 403, 408 and 429: a JSON-RPC error is often carried in a 400).
    pub fn from_status(status: u16, retry_after: Option<&str>) -> Option<Self> {
        match status {
            429 => Some(Fault::RateLimited { retry_after_ms: retry_after.and_then(parse_retry_after) }),
            408 => Some(Fault::Timeout),
            401 | 403 => Some(Fault::Refused { status }),
            500..=599 => Some(Fault::Server { status }),
            _ => None,
        }
    }

    /// A JSON-RPC error answer that is really a rate limit (Infura's -32005 "limit exceeded",
    /// "Too Many Requests", "rate limit", "exceeded … capacity"…), as opposed to an answer about
    /// the request (a revert, a bad parameter), which must not be retried.
    pub fn from_rpc_error(code: i64, message: &str) -> Option<Self> {
        let lower = message.to_ascii_lowercase();
        let limited = lower.contains("rate limit")
            || lower.contains("too many requests")
            || lower.contains("request limit")
            || lower.contains("exceeded the quota")
            || lower.contains("capacity")
            || (code == -32005 && lower.contains("limit exceeded"))
            || code == 429;
        limited.then_some(Fault::RateLimited { retry_after_ms: None })
    }

    /// The fault in a few words, for the status line ("rate-limited", "HTTP 503"…).
    pub fn words(&self) -> String {
        match self {
            Fault::RateLimited { .. } => "rate-limited".to_owned(),
            Fault::Server { status } => format!("failing (HTTP {status})"),
            Fault::Timeout => "not answering in time".to_owned(),
            Fault::Unreachable => "unreachable".to_owned(),
            Fault::Refused { status } => format!("refusing requests (HTTP {status})"),
        }
    }
}

/// Whether an endpoint refused a JSON-RPC batch for its size (HTTP 413, or an error naming the
/// batch: "batch size too large", "batch limit exceeded", "batch requests are not supported"…):
/// the batch is then sent again in halves.
pub fn batch_refused(status: u16, body: &str) -> bool {
    if status == 413 {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    lower.contains("batch")
        && ["too large", "too big", "limit", "exceed", "too many", "not supported", "maximum"]
            .iter()
            .any(|phrase| lower.contains(phrase))
}

/// `Retry-After` in milliseconds: a number of seconds (the HTTP-date form is not worth a clock
/// here and counts as absent), capped at a minute so a hostile endpoint can't stall the app.
pub fn parse_retry_after(value: &str) -> Option<u64> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| (seconds * 1000.0).min(60_000.0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_that_are_answers_are_not_faults() {
        for status in [200, 204, 400, 404, 405, 413] {
            assert_eq!(Fault::from_status(status, None), None, "{status}");
        }
    }

    #[test]
    fn statuses_that_another_try_may_fix_are_faults() {
        assert_eq!(Fault::from_status(429, Some("2")), Some(Fault::RateLimited { retry_after_ms: Some(2000) }));
        assert_eq!(Fault::from_status(429, None), Some(Fault::RateLimited { retry_after_ms: None }));
        assert_eq!(Fault::from_status(503, None), Some(Fault::Server { status: 503 }));
        assert_eq!(Fault::from_status(502, None), Some(Fault::Server { status: 502 }));
        assert_eq!(Fault::from_status(408, None), Some(Fault::Timeout));
        assert_eq!(Fault::from_status(403, None), Some(Fault::Refused { status: 403 }));
    }

    #[test]
    fn batch_refusals_are_recognised() {
        assert!(batch_refused(413, ""));
        assert!(batch_refused(
            200,
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch size too large"}}"#
        ));
        assert!(batch_refused(400, "Batch limit exceeded: 10"));
        assert!(batch_refused(200, r#"{"error":{"code":-32601,"message":"batch requests are not supported"}}"#));
        assert!(!batch_refused(200, r#"[{"jsonrpc":"2.0","id":1,"result":"0x1"}]"#));
        assert!(!batch_refused(500, "internal error"));
    }

    #[test]
    fn retry_after_is_seconds_and_capped() {
        assert_eq!(parse_retry_after("1.5"), Some(1500));
        assert_eq!(parse_retry_after(" 0 "), Some(0));
        assert_eq!(parse_retry_after("3600"), Some(60_000));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("NaN"), None);
    }

    #[test]
    fn rate_limits_told_in_json_rpc_errors_are_recognised() {
        let limited = Some(Fault::RateLimited { retry_after_ms: None });
        // Infura, Alchemy, public nodes, QuickNode — their words as they send them.
        assert_eq!(Fault::from_rpc_error(-32005, "project ID request rate exceeded: limit exceeded"), limited);
        assert_eq!(Fault::from_rpc_error(429, "Your app has exceeded its compute units per second capacity."), limited);
        assert_eq!(Fault::from_rpc_error(-32000, "Too Many Requests"), limited);
        assert_eq!(Fault::from_rpc_error(-32090, "rate limit reached, retry in 1s"), limited);
        // Answers about the request stay answers.
        assert_eq!(Fault::from_rpc_error(3, "execution reverted"), None);
        assert_eq!(Fault::from_rpc_error(-32602, "invalid argument 0: hex string has length 3"), None);
        assert_eq!(Fault::from_rpc_error(-32005, "query returned more than 10000 results"), None);
    }
}
