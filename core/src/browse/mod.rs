//! Browse: searching, filtering and sorting the catalogue, and the words the grid shows.
//!
//! A [`Listing`] is a listing's on-chain [`ModelSummary`] plus the descriptive text of its model
//! card (read from IPFS, so possibly not yet there), with what filtering needs computed once: the
//! lowercase search text, the lowest available price, the licences offered. A [`Query`] is what
//! the person asked for; it lives in the URL (`#/?q=digits&commercial=1&sort=price-low`), so a
//! filtered view can be reloaded and shared. [`apply`] turns both into the indices to show.
//!
//! A tier is *available* when it is neither paused nor sold out: only those can be bought, so
//! only they count for prices and licence filters.

mod compliance;
#[cfg(test)]
mod compliance_tests;
mod display;
mod filter;
mod query;
mod reveal;
#[cfg(test)]
mod tests;

use alloy_primitives::U256;
use serde::Deserialize;

use crate::attestations::Tally;
use crate::contracts::IAssayMarket::{ModelSummary, Tier};
use crate::contracts::IAssayModeration::Reason;

pub use compliance::{TierTerms, terms_cids};
pub use display::*;
pub use filter::{apply, explain_empty, tasks, undecided};
pub use query::{Query, Sort, Weights};
pub use reveal::{Reveal, reveal};

/// Listings shown at first, and added by each "Show more".
pub const PAGE: usize = 48;

/// The descriptive part of a model card, as Browse reads it. Every field is optional, so a card
/// written before a field existed, or by another tool, still shows what it has; the rest of the
/// card (its `io` section, metrics…) is ignored here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardText {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The task the model performs, e.g. `image-classification`.
    #[serde(default)]
    pub task: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// The compliance section, for the risk and personal-data filters (boxed: most cards are
    /// read without one, and `Card` stays small).
    #[serde(default)]
    pub compliance: Option<Box<CardCompliance>>,
}

/// A card's compliance section as Browse found it: kept as JSON, and read into its schema the
/// first time a compliance filter asks — reading cards for their names and descriptions (every
/// visit) does not need the section's reader.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct CardCompliance {
    found: serde_json::Value,
    #[serde(skip)]
    read: std::sync::OnceLock<assay_inference::card::ComplianceSection>,
}

impl CardCompliance {
    /// The section, read (once): in the schema, or kept as it was with why it can't be.
    pub fn section(&self) -> &assay_inference::card::ComplianceSection {
        self.read.get_or_init(|| assay_inference::card::ComplianceSection::from_json(self.found.clone()))
    }
}

impl From<assay_inference::card::ComplianceSection> for CardCompliance {
    fn from(section: assay_inference::card::ComplianceSection) -> Self {
        let found = serde_json::to_value(&section).unwrap_or_default();
        Self { found, read: std::sync::OnceLock::from(section) }
    }
}

/// Two sections are the same when they were found the same.
impl PartialEq for CardCompliance {
    fn eq(&self, other: &Self) -> bool {
        self.found == other.found
    }
}

impl Eq for CardCompliance {}

/// Where a listing's card text stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Card {
    /// Being fetched from IPFS.
    Loading,
    /// Read and verified.
    Read(CardText),
    /// Could not be read (not a CID, unreachable, not JSON…), in words.
    Unreadable(String),
}

/// A listing as Browse filters and shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listing {
    pub summary: ModelSummary,
    pub card: Card,
    /// Name, description, tags and task, lowercase, one per line; empty until the card is read.
    search: String,
    /// The task, lowercase.
    task: String,
    /// Lowest price of an available tier; of one allowing commercial use; derivatives; both.
    lowest: [Option<U256>; 4],
    /// What accounts found re-running the latest version's claims (`AssayEvaluations`).
    pub reproduced: Tally,
    /// Why the model is reported, while its moderation case is open (`AssayModeration`).
    pub reported: Option<Reason>,
    /// Each tier's terms as far as read (only when a filter needs them), in the tiers' order.
    pub tier_terms: Vec<TierTerms>,
}

/// Index into [`Listing::lowest`] for the licences asked for.
fn licence_index(commercial: bool, derivatives: bool) -> usize {
    usize::from(commercial) | (usize::from(derivatives) << 1)
}

/// Whether a tier can be bought now.
pub fn is_available(tier: &Tier) -> bool {
    crate::licence::unavailable_reason(tier).is_none()
}

impl Listing {
    pub fn new(summary: ModelSummary, card: Card) -> Listing {
        let (search, task) = match &card {
            Card::Read(text) => {
                // The description's words, not its Markdown: `**small** model` is found by "small model".
                let description = crate::markdown::plain_line(&text.description);
                let mut search = String::with_capacity(text.name.len() + description.len() + text.task.len() + 32);
                for part in [&text.name, &description, &text.task].into_iter().chain(&text.tags) {
                    search.push_str(&part.to_lowercase());
                    search.push('\n');
                }
                (search, text.task.trim().to_lowercase())
            }
            Card::Loading | Card::Unreadable(_) => (String::new(), String::new()),
        };
        let mut lowest = [None; 4];
        for tier in summary.tiers.iter().filter(|t| is_available(t)) {
            let price = U256::from(tier.price);
            for commercial in [false, true] {
                for derivatives in [false, true] {
                    if (tier.commercialUse || !commercial) && (tier.derivativesAllowed || !derivatives) {
                        let slot = &mut lowest[licence_index(commercial, derivatives)];
                        *slot = Some(slot.map_or(price, |p: U256| p.min(price)));
                    }
                }
            }
        }
        let tier_terms = vec![TierTerms::Loading; summary.tiers.len()];
        Listing { summary, card, search, task, lowest, reproduced: Tally::default(), reported: None, tier_terms }
    }

    /// The listing with its latest version's attestations counted.
    pub fn with_reproduced(mut self, tally: Tally) -> Listing {
        self.reproduced = tally;
        self
    }

    /// The listing with the reason of its open moderation case, if it has one.
    pub fn with_report(mut self, reported: Option<Reason>) -> Listing {
        self.reported = reported;
        self
    }

    /// The card's mark while the model is reported: the reason, and that it still sells.
    pub fn report_mark(&self) -> Option<String> {
        self.reported.map(|reason| format!("Reported: {} — under review", crate::moderation::reason_short(reason)))
    }

    pub fn id(&self) -> U256 {
        self.summary.id
    }

    /// The card's name, or `Model #7` while it is unknown.
    pub fn name(&self) -> String {
        match &self.card {
            Card::Read(text) if !text.name.trim().is_empty() => text.name.clone(),
            _ => format!("Model #{}", self.summary.id),
        }
    }

    /// The card's task, if it names one.
    pub fn task(&self) -> Option<&str> {
        match &self.card {
            Card::Read(text) if !text.task.trim().is_empty() => Some(text.task.trim()),
            _ => None,
        }
    }

    /// The lowest price of an available tier, `None` when nothing is for sale.
    pub fn lowest_price(&self) -> Option<U256> {
        self.lowest[0]
    }

    /// Whether every search term occurs in the card's name, description, tags or task.
    pub(crate) fn matches_terms(&self, terms: &[String]) -> bool {
        terms.iter().all(|term| self.search.contains(term.as_str()))
    }

    /// Whether the listing passes every filter that needs no card text.
    pub(crate) fn matches_summary(&self, query: &Query) -> bool {
        let price = self.lowest[licence_index(query.commercial, query.derivatives)];
        if (query.commercial || query.derivatives) && price.is_none() {
            return false;
        }
        if query.min_price.is_some() || query.max_price.is_some() {
            let Some(price) = price else { return false };
            if query.min_price.is_some_and(|min| price < min) || query.max_price.is_some_and(|max| price > max) {
                return false;
            }
        }
        if let Some(stars) = query.min_rating {
            // average >= stars  ⇔  sum >= stars × count (unrated: 0 < stars).
            let s = &self.summary;
            if s.ratingCount == 0 || u128::from(s.ratingSum) < u128::from(stars) * u128::from(s.ratingCount) {
                return false;
            }
        }
        if query.reproduced && self.reproduced.reproduced == 0 {
            return false;
        }
        if self.summary.delisted && !query.delisted {
            return false;
        }
        match query.weights {
            Weights::Any => true,
            Weights::Open => !self.summary.encrypted,
            Weights::Encrypted => self.summary.encrypted,
        }
    }

    pub(crate) fn matches(&self, query: &Query, terms: &[String], task: Option<&str>) -> bool {
        self.matches_summary(query)
            && task.is_none_or(|task| self.task == task)
            && self.matches_terms(terms)
            && self.matches_compliance(query) == Some(true)
    }
}
