//! The words the grid shows: price ranges, ratings, sales, licence badges, excerpts, counts.

use alloy_primitives::U256;

use crate::contracts::IAssayMarket::ModelSummary;
use crate::units::{format_ether, thousands};

use super::is_available;

/// Decimals shown for prices in the grid.
const PRICE_DECIMALS: u32 = 4;

/// The price range of the available tiers: `0.05 ETH`, `0.01–0.5 ETH`, `Free`, `Free–0.1 ETH`,
/// or `Not for sale` when every tier is paused or sold out.
pub fn price_range(summary: &ModelSummary) -> String {
    let prices: Vec<U256> = summary.tiers.iter().filter(|t| is_available(t)).map(|t| U256::from(t.price)).collect();
    let (Some(low), Some(high)) = (prices.iter().min(), prices.iter().max()) else {
        return "Not for sale".to_owned();
    };
    let amount = |wei: &U256| if wei.is_zero() { "Free".to_owned() } else { format_ether(*wei, PRICE_DECIMALS) };
    match (low == high, high.is_zero()) {
        (true, true) => "Free".to_owned(),
        (true, false) => format!("{} ETH", amount(low)),
        (false, _) => format!("{}–{} ETH", amount(low), amount(high)),
    }
}

/// The average rating in tenths of a star (`43` for 4.3), `None` when unrated.
pub fn rating_tenths(summary: &ModelSummary) -> Option<u64> {
    average_tenths(summary.ratingSum, summary.ratingCount)
}

/// The average of `count` ratings adding up to `sum`, in tenths of a star rounded half up;
/// `None` when there are none. One rule for a listing and for a creator's whole record.
pub fn average_tenths(sum: u64, count: u64) -> Option<u64> {
    (count > 0).then(|| {
        let tenths = (u128::from(sum) * 10 + u128::from(count) / 2) / u128::from(count);
        u64::try_from(tenths).unwrap_or(u64::MAX)
    })
}

/// `4.3 (12 reviews)`, `5.0 (1 review)`, `Not rated yet`.
pub fn rating_text(summary: &ModelSummary) -> String {
    average_text(summary.ratingSum, summary.ratingCount)
}

/// [`rating_text`] for `count` ratings adding up to `sum` (e.g. all of a creator's reviews).
pub fn average_text(sum: u64, count: u64) -> String {
    match average_tenths(sum, count) {
        None => "Not rated yet".to_owned(),
        Some(tenths) => {
            format!("{}.{} ({} review{})", tenths / 10, tenths % 10, count, if count == 1 { "" } else { "s" })
        }
    }
}

/// Five stars, the average rounded to the nearest whole star filled: `★★★★☆`; all hollow when
/// unrated.
pub fn rating_stars(summary: &ModelSummary) -> String {
    let filled = rating_tenths(summary).map_or(0, |t| ((t + 5) / 10).min(5)) as usize;
    format!("{}{}", "★".repeat(filled), "☆".repeat(5 - filled))
}

/// `No sales yet`, `1 sale`, `12 sales`.
pub fn sales_text(summary: &ModelSummary) -> String {
    match summary.sales {
        0 => "No sales yet".to_owned(),
        1 => "1 sale".to_owned(),
        n => format!("{n} sales"),
    }
}

/// A badge on a listing card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Badge {
    /// An available tier allows commercial use.
    Commercial,
    /// An available tier allows derivatives.
    Derivatives,
    Encrypted,
    OpenWeights,
}

impl Badge {
    pub fn label(self) -> &'static str {
        match self {
            Badge::Commercial => "Commercial",
            Badge::Derivatives => "Derivatives",
            Badge::Encrypted => "Encrypted",
            Badge::OpenWeights => "Open weights",
        }
    }

    /// A stable name for styling and tests.
    pub fn key(self) -> &'static str {
        match self {
            Badge::Commercial => "commercial",
            Badge::Derivatives => "derivatives",
            Badge::Encrypted => "encrypted",
            Badge::OpenWeights => "open",
        }
    }

    /// What the badge means, for its tooltip.
    pub fn explanation(self) -> &'static str {
        match self {
            Badge::Commercial => "A licence for commercial use is on sale.",
            Badge::Derivatives => "A licence allowing derivative models is on sale.",
            Badge::Encrypted => "The weights are encrypted; the key is delivered to buyers.",
            Badge::OpenWeights => "The weights are public on IPFS; a licence grants the right to use them.",
        }
    }
}

/// The licence badges of a listing, from its available tiers, then its weights.
pub fn licence_badges(summary: &ModelSummary) -> Vec<Badge> {
    let available = || summary.tiers.iter().filter(|t| is_available(t));
    let mut badges = Vec::new();
    if available().any(|t| t.commercialUse) {
        badges.push(Badge::Commercial);
    }
    if available().any(|t| t.derivativesAllowed) {
        badges.push(Badge::Derivatives);
    }
    badges.push(if summary.encrypted { Badge::Encrypted } else { Badge::OpenWeights });
    badges
}

/// A card's description as a listing shows it on one line: its plain words (no Markdown), cut to
/// about `max_chars` characters by [`excerpt`].
pub fn description_excerpt(description: &str, max_chars: usize) -> String {
    excerpt(&crate::markdown::plain_line(description), max_chars)
}

/// `text` cut at a word boundary to at most about `max_chars` characters, with `…` when cut.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max_chars).collect();
    let cut = cut.rsplit_once(char::is_whitespace).map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// "3 models", "1 model", "12 of 10,000 models", for the result count.
pub fn result_count(shown: usize, total: usize) -> String {
    let noun = |n: usize| if n == 1 { "model" } else { "models" };
    if shown == total {
        format!("{} {}", thousands(total), noun(total))
    } else {
        format!("{} of {} {}", thousands(shown), thousands(total), noun(total))
    }
}

/// "48 of 10,000+ models": the result count when only a lower bound of the matches is known (the
/// indexer stops counting a broad search).
pub fn result_count_at_least(shown: usize, at_least: usize) -> String {
    format!("{} of {}+ models", thousands(shown), thousands(at_least))
}

/// "Show more (9,952 left)", or "(9,952+ left)" when the matches are a lower bound.
pub fn show_more(left: usize, exact: bool) -> String {
    format!("Show more ({}{} left)", thousands(left), if exact { "" } else { "+" })
}
