//! Browse through an indexer (`indexer/`, Ponder): a [`Query`] as the indexer's `/api/models`
//! parameters, its answer as the market's own `ModelSummary`s, and whether the indexer is fresh
//! enough to be used. The indexer only ever decides *which* listings a page shows and in what
//! order; what is shown of each (its card from IPFS, verified) and everything a transaction
//! needs is read as without it, from IPFS and the chain.
//!
//! A query the indexer can't answer (the compliance filters, which read cards' sections and terms
//! documents, and "claims reproduced") is not sent: Browse reads the chain for it.

use std::time::Duration;

use alloy_primitives::{Address, U256, aliases::U96};
use serde::Deserialize;

use crate::attestations::Tally;
use crate::browse::{Query, Sort, Weights};
use crate::contracts::IAssayMarket::{ModelSummary, Tier};
use crate::contracts::IAssayModeration::Reason;

/// How many blocks the indexer may be behind the chain before Browse stops trusting its pages.
pub const MAX_LAG_BLOCKS: u64 = 5;

/// How long a request to the indexer may take (the app's and its start script's, `app/early.js`).
pub const TIMEOUT: Duration = Duration::from_secs(4);

/// Why a request to the indexer has no answer when [`TIMEOUT`] ran out.
pub fn no_answer() -> String {
    format!("no answer within {} s", TIMEOUT.as_secs())
}

/// The indexer's health: the last block it indexed ([`indexed_block`] reads the answer).
pub const STATUS_PATH: &str = "/status";

/// The most listings the indexer answers in one page (`limit`).
pub const MAX_PAGE: usize = 200;

/// The indexer's state against the chain's head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Within [`MAX_LAG_BLOCKS`] of the chain (or ahead of the node the page asked).
    Fresh { behind: u64 },
    /// Further behind: its pages would miss recent listings and changes.
    Lagging { behind: u64 },
}

/// Whether an indexer at block `indexed` may serve Browse while the chain is at `chain`.
pub fn freshness(indexed: u64, chain: u64) -> Freshness {
    let behind = chain.saturating_sub(indexed);
    if behind > MAX_LAG_BLOCKS { Freshness::Lagging { behind } } else { Freshness::Fresh { behind } }
}

/// `lag` once the blocks the indexer hasn't seen were searched: further behind than
/// [`MAX_LAG_BLOCKS`] only by blocks without one event of the contracts (empty blocks, other
/// contracts' transactions), it has missed nothing — its checkpoint moves with the events it
/// indexes — and is fresh.
pub fn confirmed(lag: Freshness, unseen_events: usize) -> Freshness {
    match lag {
        Freshness::Lagging { behind } if unseen_events == 0 => Freshness::Fresh { behind },
        other => other,
    }
}

/// Why Browse reads the chain rather than the indexer, for the quiet status line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChainReason {
    /// The configuration names no indexer.
    NotConfigured,
    /// It did not answer (or answered nonsense), in words.
    Unreachable(String),
    Lagging {
        behind: u64,
    },
    /// The query has a filter only the chain path answers.
    Query,
}

impl ChainReason {
    /// The status line, or `None` when there is nothing worth saying (no indexer configured).
    pub fn words(&self) -> Option<String> {
        match self {
            Self::NotConfigured => None,
            Self::Unreachable(why) => {
                Some(format!("The indexer did not answer ({why}): reading the catalogue from the chain."))
            }
            Self::Lagging { behind } => Some(format!(
                "The indexer is {behind} blocks behind the chain: reading the catalogue from the chain until it catches up."
            )),
            Self::Query => {
                Some("These filters read the models' cards and terms: the catalogue comes from the chain.".to_owned())
            }
        }
    }
}

/// The `/api/models` parameters for `query`'s first `limit` results; `None` when the query has
/// a filter the indexer doesn't answer.
pub fn page_params(query: &Query, limit: usize) -> Option<Vec<(&'static str, String)>> {
    if query.reproduced
        || query.risk.is_some()
        || query.without_personal_data
        || query.territory.is_some()
        || query.allowed_use.is_some()
    {
        return None;
    }
    let mut params = vec![("offset", "0".to_owned()), ("limit", limit.to_string())];
    let text = query.text.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        params.push(("q", text));
    }
    let sort = match query.sort {
        Sort::Newest => "newest",
        Sort::PriceLow => "price-low",
        Sort::PriceHigh => "price-high",
        Sort::Rating => "rating",
        Sort::Sales => "sales",
        Sort::Reproduced => "reproduced",
    };
    params.push(("sort", sort.to_owned()));
    if let Some(task) = query.task.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        params.push(("task", task.to_owned()));
    }
    for (on, key) in [(query.commercial, "commercial"), (query.derivatives, "derivatives")] {
        if on {
            params.push((key, "true".to_owned()));
        }
    }
    if let Some(min) = query.min_price {
        params.push(("minPrice", min.to_string()));
    }
    if let Some(max) = query.max_price {
        params.push(("maxPrice", max.to_string()));
    }
    if let Some(stars) = query.min_rating {
        params.push(("minRating", stars.to_string()));
    }
    params.push(("delisted", if query.delisted { "include" } else { "exclude" }.to_owned()));
    match query.weights {
        Weights::Any => {}
        Weights::Open => params.push(("encrypted", "false".to_owned())),
        Weights::Encrypted => params.push(("encrypted", "true".to_owned())),
    }
    Some(params)
}

/// The parameters of the one-listing page whose total is the catalogue's size (every listing,
/// delisted ones included), asked with the indexer's health.
pub fn catalogue_size_params() -> Vec<(&'static str, String)> {
    vec![("offset", "0".to_owned()), ("limit", "1".to_owned()), ("delisted", "include".to_owned())]
}

/// The path of `/api/models` with `params`, each value encoded as `encodeURIComponent` does.
pub fn models_path(params: &[(&str, String)]) -> String {
    let query: Vec<String> = params.iter().map(|(key, value)| format!("{key}={}", uri_component(value))).collect();
    format!("/api/models?{}", query.join("&"))
}

/// `value` as JavaScript's `encodeURIComponent` writes it: every byte of its UTF-8 but ASCII
/// letters, digits and `-_.!~*'()` as `%XX`.
fn uri_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `/status`: the last block the indexer has indexed.
pub fn indexed_block(answer: &str) -> Result<u64, String> {
    #[derive(Deserialize)]
    struct Block {
        number: u64,
    }
    #[derive(Deserialize)]
    struct Chain {
        block: Block,
    }
    let status: std::collections::BTreeMap<String, Chain> =
        serde_json::from_str(answer).map_err(|e| format!("its status is not what an Assay indexer answers: {e}"))?;
    status.into_values().map(|c| c.block.number).max().ok_or_else(|| "its status names no chain".to_owned())
}

/// How many listings match a query, as the indexer counts them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Total {
    /// Exactly this many.
    Exact(u64),
    /// At least this many: the indexer stops counting a broad filter or search there.
    AtLeast(u64),
}

impl Total {
    /// The count (a lower bound when not exact).
    pub fn count(self) -> u64 {
        match self {
            Total::Exact(n) | Total::AtLeast(n) => n,
        }
    }

    pub fn is_exact(self) -> bool {
        matches!(self, Total::Exact(_))
    }
}

/// A page of the catalogue as the indexer answers it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedPage {
    /// Listings matching the query in all.
    pub total: Total,
    /// The page's listings, in the query's order.
    pub models: Vec<ModelSummary>,
    /// What Browse marks on each listing, in the same order — `None` when the indexer did not say
    /// for every listing (one from before it did): the page then reads them from the chain.
    pub badges: Option<Vec<Badges>>,
}

/// What Browse marks on a listing besides the market's fields, as the indexer counted them from
/// the same events the chain path folds (`Attestations::tally`, `CaseBook::open_reports`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Badges {
    /// The latest version's reproduced claims.
    pub reproduced: Tally,
    /// The reason of the listing's open moderation case.
    pub report: Option<Reason>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPage {
    total: Number,
    /// `false`: `total` is a lower bound. Absent (an indexer from before it was written): exact.
    #[serde(default)]
    total_exact: Option<bool>,
    models: Vec<RawModel>,
}

/// A count the indexer writes as a number or as a decimal string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(u64),
    Text(String),
}

impl Number {
    fn value<T: std::str::FromStr>(&self, what: &str) -> Result<T, String> {
        let text = match self {
            Number::Int(n) => n.to_string(),
            Number::Text(t) => t.clone(),
        };
        text.parse().map_err(|_| format!("{what} is not a number (“{text}”)"))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawModel {
    id: Number,
    owner: Address,
    creator: Address,
    manifest_cid: String,
    encrypted: bool,
    version_count: Number,
    royalty_bps: Number,
    rating_sum: Number,
    rating_count: Number,
    sales: Number,
    delisted: bool,
    tiers: Vec<RawTier>,
    #[serde(default)]
    reproduced: Option<RawTally>,
    /// Absent from an indexer that does not say; `null` for no open case.
    #[serde(default, deserialize_with = "present")]
    report: Option<Option<u8>>,
}

#[derive(Deserialize)]
struct RawTally {
    accounts: usize,
    licensees: usize,
    disputed: usize,
}

/// A field that is there, `null` or not, as `Some` (absent stays `None` through `default`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<u8>>, D::Error> {
    Option::<u8>::deserialize(d).map(Some)
}

/// A listing's badges, when the indexer gave both.
fn badges(m: &RawModel) -> Result<Option<Badges>, String> {
    let (Some(t), Some(report)) = (&m.reproduced, m.report) else { return Ok(None) };
    let report = match report {
        None => None,
        Some(code) => Some(Reason::try_from(code).map_err(|_| format!("a report's reason is not one ({code})"))?),
    };
    let reproduced = Tally { reproduced: t.accounts, reproduced_by_licensees: t.licensees, disputed: t.disputed };
    Ok(Some(Badges { reproduced, report }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawTier {
    price: Number,
    duration: Number,
    max_supply: Number,
    sold: Number,
    commercial_use: bool,
    derivatives_allowed: bool,
    transferable: bool,
    paused: bool,
    terms_cid: String,
}

/// A model of the indexer's answers as the market's `ModelSummary`.
fn summary(m: RawModel) -> Result<ModelSummary, String> {
    let tiers = m
        .tiers
        .into_iter()
        .map(|t| {
            Ok(Tier {
                price: t.price.value::<U96>("a tier's price")?,
                duration: t.duration.value("a tier's duration")?,
                maxSupply: t.max_supply.value("a tier's supply")?,
                sold: t.sold.value("a tier's sales")?,
                commercialUse: t.commercial_use,
                derivativesAllowed: t.derivatives_allowed,
                transferable: t.transferable,
                paused: t.paused,
                termsCid: t.terms_cid,
            })
        })
        .collect::<Result<Vec<Tier>, String>>()?;
    Ok(ModelSummary {
        id: m.id.value::<U256>("a model id")?,
        owner: m.owner,
        creator: m.creator,
        manifestCid: m.manifest_cid,
        encrypted: m.encrypted,
        versionCount: m.version_count.value("a version count")?,
        royaltyBps: m.royalty_bps.value("a royalty")?,
        ratingSum: m.rating_sum.value("a rating sum")?,
        ratingCount: m.rating_count.value("a rating count")?,
        sales: m.sales.value("a sales count")?,
        tiers,
        delisted: m.delisted,
    })
}

/// Reads `/api/models`' answer.
pub fn read_page(answer: &str) -> Result<IndexedPage, String> {
    let raw: RawPage =
        serde_json::from_str(answer).map_err(|e| format!("its page is not what an Assay indexer answers: {e}"))?;
    let badges = raw.models.iter().map(badges).collect::<Result<Option<Vec<Badges>>, String>>()?;
    let models = raw.models.into_iter().map(summary).collect::<Result<Vec<ModelSummary>, String>>()?;
    let count = raw.total.value("the total")?;
    let total = if raw.total_exact == Some(false) { Total::AtLeast(count) } else { Total::Exact(count) };
    Ok(IndexedPage { total, models, badges })
}

/// `/api/models/:id/lineage`: the models listed with it as a parent (their ids, oldest first).
pub fn read_children(answer: &str) -> Result<Vec<U256>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Edge {
        child_id: Number,
    }
    #[derive(Deserialize)]
    struct Lineage {
        children: Vec<Edge>,
    }
    let lineage: Lineage =
        serde_json::from_str(answer).map_err(|e| format!("its lineage is not what an Assay indexer answers: {e}"))?;
    let mut ids =
        lineage.children.iter().map(|e| e.child_id.value::<U256>("a model id")).collect::<Result<Vec<_>, _>>()?;
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// `/api/creators/:address/built-on`: the listings by other creators that name one of this
/// creator's as a parent, each once with its creator, oldest first.
pub fn read_built_on(answer: &str) -> Result<Vec<(U256, Address)>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Listing {
        model_id: Number,
        creator: Address,
    }
    #[derive(Deserialize)]
    struct BuiltOn {
        listings: Vec<Listing>,
    }
    let built_on: BuiltOn = serde_json::from_str(answer)
        .map_err(|e| format!("its answer about what others built on is not what an Assay indexer answers: {e}"))?;
    built_on.listings.into_iter().map(|l| Ok((l.model_id.value::<U256>("a model id")?, l.creator))).collect()
}

#[cfg(test)]
mod tests;
