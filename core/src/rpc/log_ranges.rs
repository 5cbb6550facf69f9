//! `eth_getLogs` over a block range the endpoint accepts. Public endpoints cap a query's block
//! span (Alchemy 2,000 blocks, QuickNode 10,000, many public nodes 1,000–50,000) or its result
//! size (Infura and geth: 10,000 logs) and say so in an error whose wording is theirs; the app
//! recognises the refusal, then asks again in smaller ranges: the span the endpoint named or
//! suggested, else half of what was refused, remembered for the next queries.

use serde_json::Value;

/// An endpoint's refusal of a log query as too wide, and what it said about a range it accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RangeRefusal {
    /// The most blocks one query may span, when the error names it.
    pub max_span: Option<u64>,
    /// A range the endpoint says would work (Alchemy: "this block range should work: [a, b]";
    /// Infura: `data: {from, to}`).
    pub suggested: Option<(u64, u64)>,
}

impl RangeRefusal {
    /// Recognises a refusal of an `eth_getLogs` as too wide or too large from its error.
    pub fn of(message: &str, data: Option<&Value>) -> Option<Self> {
        if super::Fault::from_rpc_error(0, message).is_some() {
            return None;
        }
        let lower = message.to_ascii_lowercase();
        let about_range = [
            "block range",
            "blocks range",
            "range limit",
            "range is too",
            "range too",
            "max range",
            "range over",
            "ranges over",
            "more than",
            "too many logs",
            "too many results",
            "response size",
            "result size",
            "limited to",
            "exceed maximum",
            "requested blocks",
            "range of blocks",
        ]
        .iter()
        .any(|phrase| lower.contains(phrase));
        if !about_range {
            return None;
        }
        let suggested = suggested_in_data(data).or_else(|| suggested_in_message(&lower));
        let max_span = if lower.contains("result") || (lower.contains("response size") && suggested.is_some()) {
            None
        } else {
            span_in_message(&lower)
        };
        Some(RangeRefusal { max_span, suggested })
    }

    /// The span to use after this refusal of a query over `refused_span` blocks: what the
    /// endpoint named or suggested, else half; never 0, always smaller than what was refused.
    pub fn next_span(&self, refused_span: u64) -> u64 {
        let named = self
            .max_span
            .or_else(|| self.suggested.map(|(from, to)| to.saturating_sub(from) + 1))
            .filter(|&span| span > 0);
        let half = refused_span / 2;
        named.map_or(half, |span| span.min(refused_span.saturating_sub(1))).max(1)
    }
}

/// Infura's `data: {"from": "0x…", "to": "0x…"}`.
fn suggested_in_data(data: Option<&Value>) -> Option<(u64, u64)> {
    let data = data?;
    let number = |key: &str| data.get(key)?.as_str().and_then(parse_number);
    Some((number("from")?, number("to")?))
}

/// Alchemy's "… should work: [0x0, 0x1869f]".
fn suggested_in_message(lower: &str) -> Option<(u64, u64)> {
    let open = lower.rfind('[')?;
    let close = open + lower[open..].find(']')?;
    let (from, to) = lower[open + 1..close].split_once(',')?;
    Some((parse_number(from.trim())?, parse_number(to.trim())?))
}

/// A span named in words: "limited to a 10,000 range", "up to a 2k block range", "exceed maximum
/// block range: 50000", "max range: 800", "maximum allowed number of requested blocks is 500".
fn span_in_message(lower: &str) -> Option<u64> {
    let cleaned: String = lower.chars().filter(|c| *c != ',').collect();
    let mut best: Option<u64> = None;
    for word in cleaned.split(|c: char| !(c.is_ascii_alphanumeric())) {
        let (digits, multiplier) = match word.strip_suffix('k') {
            Some(digits) => (digits, 1_000),
            None => (word, 1),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Ok(value) = digits.parse::<u64>() {
            let value = value.saturating_mul(multiplier);
            // The smallest figure is the block cap when a message names two ("2K blocks … 10K logs").
            if value > 0 {
                best = Some(best.map_or(value, |b| b.min(value)));
            }
        }
    }
    best
}

fn parse_number(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// A query's block range cut into consecutive ranges of at most `span` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogRanges {
    pub from: u64,
    pub to: u64,
    pub span: u64,
}

impl LogRanges {
    /// The ranges, in order, covering `from..=to` exactly.
    pub fn ranges(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        let span = self.span.max(1);
        let mut start = Some(self.from).filter(|&from| from <= self.to);
        std::iter::from_fn(move || {
            let from = start?;
            let to = from.saturating_add(span - 1).min(self.to);
            start = (to < self.to).then(|| to + 1);
            Some((from, to))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn alchemy_s_refusal_gives_its_suggested_range() {
        let message = "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters and the response size limit, this block range should work: [0x0, 0x1869f]";
        let refusal = RangeRefusal::of(message, None).unwrap();
        assert_eq!(refusal.suggested, Some((0, 99_999)));
        assert_eq!(refusal.max_span, None);
        assert_eq!(refusal.next_span(1_000_000), 100_000);
    }

    #[test]
    fn infura_s_refusal_gives_its_range_in_data() {
        let data = json!({"from": "0xcb5", "limit": 10000, "to": "0x7b737"});
        let refusal = RangeRefusal::of("query returned more than 10000 results", Some(&data)).unwrap();
        assert_eq!(refusal.suggested, Some((0xcb5, 0x7b737)));
        assert_eq!(refusal.max_span, None, "10000 is a count of logs, not blocks");
        assert_eq!(refusal.next_span(1_000_000), 0x7b737 - 0xcb5 + 1);
    }

    #[test]
    fn spans_named_in_words_are_read() {
        for (message, span) in [
            ("eth_getLogs is limited to a 10,000 range", 10_000),
            ("exceed maximum block range: 50000", 50_000),
            ("Max range: 800 blocks", 800),
            ("Maximum allowed number of requested blocks is 500", 500),
            ("ranges over 10000 blocks are not supported on freetier", 10_000),
            ("block range is too wide", 0),
        ] {
            let refusal = RangeRefusal::of(message, None).unwrap_or_else(|| panic!("{message}"));
            assert_eq!(refusal.max_span.unwrap_or(0), span, "{message}");
        }
    }

    #[test]
    fn a_refusal_that_names_nothing_halves_the_span() {
        let refusal = RangeRefusal::of("block range too large", None).unwrap();
        assert_eq!(refusal.next_span(1_000), 500);
        assert_eq!(refusal.next_span(1), 1, "never 0");
        let geth = RangeRefusal::of("query returned more than 10000 results", None).unwrap();
        assert_eq!(geth.max_span, None);
        assert_eq!(geth.next_span(30_000), 15_000);
    }

    #[test]
    fn the_next_span_is_always_smaller_than_the_refused_one() {
        let refusal = RangeRefusal::of("eth_getLogs is limited to a 10,000 range", None).unwrap();
        assert_eq!(refusal.next_span(5_000), 4_999, "the endpoint refused 5,000 whatever it says");
        assert_eq!(refusal.next_span(50_000), 10_000);
    }

    #[test]
    fn other_errors_are_not_range_refusals() {
        assert_eq!(RangeRefusal::of("execution reverted", None), None);
        assert_eq!(RangeRefusal::of("header not found", None), None);
        assert_eq!(RangeRefusal::of("Too Many Requests", None), None, "a rate limit, retried by the transport");
    }

    #[test]
    fn ranges_cover_the_query_exactly_and_in_order() {
        let ranges: Vec<_> = LogRanges { from: 10, to: 35, span: 10 }.ranges().collect();
        assert_eq!(ranges, [(10, 19), (20, 29), (30, 35)]);
        let one: Vec<_> = LogRanges { from: 7, to: 7, span: 100 }.ranges().collect();
        assert_eq!(one, [(7, 7)]);
        assert_eq!(LogRanges { from: 8, to: 7, span: 100 }.ranges().count(), 0);
        let top: Vec<_> = LogRanges { from: u64::MAX - 1, to: u64::MAX, span: 5 }.ranges().collect();
        assert_eq!(top, [(u64::MAX - 1, u64::MAX)]);
        assert_eq!(LogRanges { from: 0, to: 9, span: 0 }.ranges().count(), 10, "a span of 0 counts as 1");
    }
}
