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

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::U256;
use serde::Deserialize;

use crate::contracts::IAssayMarket::{ModelSummary, Tier};
use crate::eth::format_ether;

/// Listings shown at first, and added by each "Show more".
pub const PAGE: usize = 48;

/// Decimals shown for prices in the grid.
const PRICE_DECIMALS: u32 = 4;

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
}

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

/// Which weights to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Weights {
    #[default]
    Any,
    /// Plain weights anyone can fetch from IPFS.
    Open,
    /// Encrypted weights, whose key is delivered to a buyer.
    Encrypted,
}

impl Weights {
    pub const ALL: [Weights; 3] = [Weights::Any, Weights::Open, Weights::Encrypted];

    /// The URL value (`""` for the default).
    pub fn key(self) -> &'static str {
        match self {
            Weights::Any => "",
            Weights::Open => "open",
            Weights::Encrypted => "encrypted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Weights::Any => "Open or encrypted",
            Weights::Open => "Open weights",
            Weights::Encrypted => "Encrypted weights",
        }
    }

    pub fn from_key(key: &str) -> Option<Weights> {
        Weights::ALL.into_iter().find(|w| !key.is_empty() && w.key() == key)
    }
}

/// The order of the results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Most recently listed first (highest id).
    #[default]
    Newest,
    /// Cheapest available tier first; listings with nothing for sale last.
    PriceLow,
    /// Dearest cheapest-available-tier first; listings with nothing for sale last.
    PriceHigh,
    /// Highest average rating first; unrated last.
    Rating,
    /// Most licences sold first.
    Sales,
}

impl Sort {
    pub const ALL: [Sort; 5] = [Sort::Newest, Sort::PriceLow, Sort::PriceHigh, Sort::Rating, Sort::Sales];

    /// The URL value (`""` for the default).
    pub fn key(self) -> &'static str {
        match self {
            Sort::Newest => "",
            Sort::PriceLow => "price-low",
            Sort::PriceHigh => "price-high",
            Sort::Rating => "rating",
            Sort::Sales => "sales",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest",
            Sort::PriceLow => "Price: low to high",
            Sort::PriceHigh => "Price: high to low",
            Sort::Rating => "Rating",
            Sort::Sales => "Sales",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| !key.is_empty() && s.key() == key)
    }
}

/// What the person asked for. `Query::default()` shows everything, newest first, one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Query {
    /// Free text, as typed; every whitespace-separated term must occur (case-insensitive).
    pub text: String,
    /// Only this task (exact, case-insensitive).
    pub task: Option<String>,
    /// Only listings with an available tier allowing commercial use.
    pub commercial: bool,
    /// Only listings with an available tier allowing derivatives.
    pub derivatives: bool,
    /// Lowest price at least this (wei).
    pub min_price: Option<U256>,
    /// Lowest price at most this (wei).
    pub max_price: Option<U256>,
    /// Average rating at least this many stars (1–5); unrated listings count as 0.
    pub min_rating: Option<u8>,
    pub weights: Weights,
    pub sort: Sort,
    /// How many results are shown (a multiple of [`PAGE`], at least one page).
    pub shown: usize,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            text: String::new(),
            task: None,
            commercial: false,
            derivatives: false,
            min_price: None,
            max_price: None,
            min_rating: None,
            weights: Weights::Any,
            sort: Sort::Newest,
            shown: PAGE,
        }
    }
}

/// URL keys.
mod key {
    pub const TEXT: &str = "q";
    pub const TASK: &str = "task";
    pub const COMMERCIAL: &str = "commercial";
    pub const DERIVATIVES: &str = "derivatives";
    pub const MIN_PRICE: &str = "min";
    pub const MAX_PRICE: &str = "max";
    pub const RATING: &str = "rating";
    pub const WEIGHTS: &str = "weights";
    pub const SORT: &str = "sort";
    pub const SHOWN: &str = "shown";
}

impl Query {
    /// Reads a query from the URL's. Unknown keys and malformed values are ignored (the value
    /// takes its default), so no URL can break the page. Prices are in ether (`min=0.05`).
    pub fn from_query(query: &BTreeMap<String, String>) -> Query {
        let get = |k: &str| query.get(k).map(String::as_str);
        let flag = |k: &str| matches!(get(k), Some("1" | "true" | "yes"));
        let non_empty = |k: &str| get(k).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        Query {
            text: get(key::TEXT).unwrap_or_default().to_owned(),
            task: non_empty(key::TASK),
            commercial: flag(key::COMMERCIAL),
            derivatives: flag(key::DERIVATIVES),
            min_price: get(key::MIN_PRICE).and_then(parse_ether),
            max_price: get(key::MAX_PRICE).and_then(parse_ether),
            min_rating: get(key::RATING).and_then(|v| v.parse::<u8>().ok()).filter(|r| (1..=5).contains(r)),
            weights: get(key::WEIGHTS).and_then(Weights::from_key).unwrap_or_default(),
            sort: get(key::SORT).and_then(Sort::from_key).unwrap_or_default(),
            shown: get(key::SHOWN)
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|&n| n > PAGE && n % PAGE == 0 && n <= 10_000 * PAGE)
                .unwrap_or(PAGE),
        }
    }

    /// The URL query for this query; defaults are left out, so the plain home page is `#/`.
    pub fn to_query(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let mut put = |k: &str, v: String| {
            out.insert(k.to_owned(), v);
        };
        if !self.text.trim().is_empty() {
            put(key::TEXT, self.text.clone());
        }
        if let Some(task) = self.task.as_ref().filter(|t| !t.trim().is_empty()) {
            put(key::TASK, task.clone());
        }
        if self.commercial {
            put(key::COMMERCIAL, "1".into());
        }
        if self.derivatives {
            put(key::DERIVATIVES, "1".into());
        }
        if let Some(wei) = self.min_price {
            put(key::MIN_PRICE, format_ether(wei, 18));
        }
        if let Some(wei) = self.max_price {
            put(key::MAX_PRICE, format_ether(wei, 18));
        }
        if let Some(stars) = self.min_rating {
            put(key::RATING, stars.to_string());
        }
        if self.weights != Weights::Any {
            put(key::WEIGHTS, self.weights.key().into());
        }
        if self.sort != Sort::Newest {
            put(key::SORT, self.sort.key().into());
        }
        if self.shown > PAGE {
            put(key::SHOWN, self.shown.to_string());
        }
        out
    }

    /// The same query with the result count back to one page: any change of what is asked for
    /// starts again at the top.
    pub fn first_page(mut self) -> Query {
        self.shown = PAGE;
        self
    }

    /// The search terms, lowercase.
    pub fn terms(&self) -> Vec<String> {
        self.text.split_whitespace().map(str::to_lowercase).collect()
    }

    /// Whether anything narrows the results (beyond the sort).
    pub fn is_filtered(&self) -> bool {
        !self.text.trim().is_empty() || self.has_filters()
    }

    /// Whether a filter other than the search text is set.
    pub fn has_filters(&self) -> bool {
        self.task.is_some()
            || self.commercial
            || self.derivatives
            || self.min_price.is_some()
            || self.max_price.is_some()
            || self.min_rating.is_some()
            || self.weights != Weights::Any
    }

    /// Whether the query needs the card's text (search or task), which may not be loaded yet.
    pub fn needs_card(&self) -> bool {
        !self.text.trim().is_empty() || self.task.is_some()
    }
}

/// An amount of ether as typed (`1`, `0.05`, `.5`, `1,5`) in wei; `None` when it isn't one
/// (negative, more than 18 decimals, not a number, too large).
pub fn parse_ether(text: &str) -> Option<U256> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    if (whole.is_empty() && fraction.is_empty()) || fraction.len() > 18 {
        return None;
    }
    if !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = if whole.is_empty() { U256::ZERO } else { U256::from_str_radix(whole, 10).ok()? };
    let fraction = format!("{fraction:0<18}");
    let unit = U256::from(10u64).pow(U256::from(18));
    whole.checked_mul(unit)?.checked_add(U256::from_str_radix(&fraction, 10).ok()?)
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
                let mut search = String::with_capacity(text.name.len() + text.description.len() + text.task.len() + 32);
                for part in [&text.name, &text.description, &text.task].into_iter().chain(&text.tags) {
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
        Listing { summary, card, search, task, lowest }
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
    fn matches_terms(&self, terms: &[String]) -> bool {
        terms.iter().all(|term| self.search.contains(term.as_str()))
    }

    /// Whether the listing passes every filter that needs no card text.
    fn matches_summary(&self, query: &Query) -> bool {
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
        match query.weights {
            Weights::Any => true,
            Weights::Open => !self.summary.encrypted,
            Weights::Encrypted => self.summary.encrypted,
        }
    }

    fn matches(&self, query: &Query, terms: &[String], task: Option<&str>) -> bool {
        self.matches_summary(query) && task.is_none_or(|task| self.task == task) && self.matches_terms(terms)
    }
}

/// The indices of the listings that match `query`, in its order; ties (and equal prices,
/// ratings, sales) newest first, so the order is stable.
///
/// A listing whose card is not read yet can't match a search or a task filter; see
/// [`undecided`] for how many such listings there are.
pub fn apply(listings: &[Listing], query: &Query) -> Vec<usize> {
    let terms = query.terms();
    let task = query.task.as_ref().map(|t| t.trim().to_lowercase());
    let mut indices: Vec<usize> =
        (0..listings.len()).filter(|&i| listings[i].matches(query, &terms, task.as_deref())).collect();
    let price = |l: &Listing| l.lowest[licence_index(query.commercial, query.derivatives)];
    let newest = |a: &Listing, b: &Listing| b.summary.id.cmp(&a.summary.id);
    indices.sort_unstable_by(|&a, &b| {
        let (a, b) = (&listings[a], &listings[b]);
        let primary = match query.sort {
            Sort::Newest => Ordering::Equal,
            Sort::PriceLow => match (price(a), price(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            },
            Sort::PriceHigh => match (price(a), price(b)) {
                (Some(x), Some(y)) => y.cmp(&x),
                (x, y) => x.is_none().cmp(&y.is_none()),
            },
            Sort::Rating => compare_rating(&b.summary, &a.summary),
            Sort::Sales => b.summary.sales.cmp(&a.summary.sales),
        };
        primary.then_with(|| newest(a, b))
    });
    indices
}

/// How many listings pass every filter but whose card is still loading, when the query needs
/// card text: they may turn out to match.
pub fn undecided(listings: &[Listing], query: &Query) -> usize {
    if !query.needs_card() {
        return 0;
    }
    listings.iter().filter(|l| l.card == Card::Loading && l.matches_summary(query)).count()
}

/// Average rating order (unrated below every rated listing), then more reviews first.
fn compare_rating(a: &ModelSummary, b: &ModelSummary) -> Ordering {
    match (a.ratingCount, b.ratingCount) {
        (0, 0) => Ordering::Equal,
        (0, _) => Ordering::Less,
        (_, 0) => Ordering::Greater,
        (ca, cb) => {
            // sa / ca  vs  sb / cb  ⇔  sa × cb  vs  sb × ca
            let left = u128::from(a.ratingSum) * u128::from(cb);
            let right = u128::from(b.ratingSum) * u128::from(ca);
            left.cmp(&right).then(ca.cmp(&cb))
        }
    }
}

/// The tasks the read cards name, sorted, each once (lowercase), for the task filter.
pub fn tasks(listings: &[Listing]) -> Vec<String> {
    let tasks: BTreeSet<&str> = listings.iter().map(|l| l.task.as_str()).filter(|t| !t.is_empty()).collect();
    tasks.into_iter().map(str::to_owned).collect()
}

/// Why nothing matched, and what to do about it:
/// "No model matches “foo” with commercial use allowed. Clear the search or the filters."
pub fn explain_empty(query: &Query, total: usize) -> String {
    if total == 0 {
        return "No models are listed yet. Models appear here as soon as they are listed on chain.".to_owned();
    }
    let mut conditions = Vec::new();
    if let Some(task) = &query.task {
        conditions.push(format!("for the task “{}”", task.trim()));
    }
    if query.commercial {
        conditions.push("with commercial use allowed".to_owned());
    }
    if query.derivatives {
        conditions.push("with derivatives allowed".to_owned());
    }
    let ether = |wei: U256| format!("{} ETH", format_ether(wei, 18));
    match (query.min_price, query.max_price) {
        (Some(min), Some(max)) if min > max => conditions.push(format!(
            "priced from {} but at most {} (the lowest price is above the highest)",
            ether(min),
            ether(max)
        )),
        (Some(min), Some(max)) => conditions.push(format!("priced between {} and {}", ether(min), ether(max))),
        (Some(min), None) => conditions.push(format!("priced at least {}", ether(min))),
        (None, Some(max)) => conditions.push(format!("priced at most {}", ether(max))),
        (None, None) => {}
    }
    if let Some(stars) = query.min_rating {
        conditions.push(format!("rated {stars} star{} or more", if stars == 1 { "" } else { "s" }));
    }
    match query.weights {
        Weights::Any => {}
        Weights::Open => conditions.push("with open weights".to_owned()),
        Weights::Encrypted => conditions.push("with encrypted weights".to_owned()),
    }
    let text = query.text.trim();
    let mut sentence = String::from("No model matches");
    if !text.is_empty() {
        sentence.push_str(&format!(" “{text}”"));
    }
    match conditions.as_slice() {
        [] if text.is_empty() => return format!("None of the {total} listed models can be shown."),
        [] => {}
        [only] => {
            sentence.push(' ');
            sentence.push_str(only);
        }
        [init @ .., last] => {
            sentence.push(' ');
            sentence.push_str(&init.join(", "));
            sentence.push_str(" and ");
            sentence.push_str(last);
        }
    }
    let advice = match (!text.is_empty(), !conditions.is_empty()) {
        (true, true) => "Clear the search or the filters.",
        (true, false) => "Try other words or clear the search.",
        _ => "Clear the filters.",
    };
    format!("{sentence}. {advice}")
}

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

/// `10000` → `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{self, summary};

    const MILLI: u64 = 1_000_000_000_000_000;

    fn tier(milli_eth: u64, commercial: bool, derivatives: bool) -> Tier {
        fixtures::tier(milli_eth * MILLI, commercial, derivatives)
    }

    fn card(name: &str, description: &str, task: &str, tags: &[&str]) -> Card {
        Card::Read(CardText {
            name: name.into(),
            description: description.into(),
            task: task.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        })
    }

    fn milli(n: u64) -> U256 {
        U256::from(n * MILLI)
    }

    /// Five listings with distinct traits:
    /// 1 digits: image-classification, 10 mETH commercial, rated 4.5 (2), 3 sales
    /// 2 text direction: text-classification, 50 mETH non-commercial + 200 mETH commercial+derivatives, unrated
    /// 3 magika: file-type-detection, encrypted, only tier paused, rated 3.0 (1), 10 sales
    /// 4 digits 16 hidden: image-classification, free derivatives tier, rated 5.0 (1), 3 sales
    /// 5 card still loading, 20 mETH
    fn catalogue() -> Vec<Listing> {
        let mut digits = summary(1, vec![tier(10, true, false)]);
        (digits.ratingSum, digits.ratingCount, digits.sales) = (9, 2, 3);
        let text = summary(2, vec![tier(50, false, false), tier(200, true, true)]);
        let mut magika = summary(3, vec![Tier { paused: true, ..tier(5, true, true) }]);
        (magika.encrypted, magika.ratingSum, magika.ratingCount, magika.sales) = (true, 3, 1, 10);
        let mut small = summary(4, vec![tier(0, false, true)]);
        (small.ratingSum, small.ratingCount, small.sales) = (5, 1, 3);
        vec![
            Listing::new(
                digits,
                card(
                    "Handwritten digits (8×8)",
                    "Recognises a handwritten digit.",
                    "image-classification",
                    &["MNIST-like", "sklearn"],
                ),
            ),
            Listing::new(
                text,
                card("Text line direction (PaddleOCR)", "Upright or upside down.", "text-classification", &["ocr"]),
            ),
            Listing::new(
                magika,
                card("File type (magika)", "Identifies the type of a file.", "file-type-detection", &["security"]),
            ),
            Listing::new(
                small,
                card("Handwritten digits, 16 hidden units", "A smaller derivative.", "image-classification", &[]),
            ),
            Listing::new(summary(5, vec![tier(20, true, false)]), Card::Loading),
        ]
    }

    fn ids(listings: &[Listing], query: &Query) -> Vec<u64> {
        apply(listings, query).into_iter().map(|i| u64::try_from(listings[i].id()).unwrap()).collect()
    }

    fn query() -> Query {
        Query::default()
    }

    #[test]
    fn the_default_query_shows_everything_newest_first() {
        let listings = catalogue();
        assert_eq!(ids(&listings, &query()), vec![5, 4, 3, 2, 1]);
        assert_eq!(ids(&[], &query()), Vec::<u64>::new());
    }

    #[test]
    fn search_needs_every_term_in_name_description_tags_or_task() {
        let listings = catalogue();
        let search = |text: &str| ids(&listings, &Query { text: text.into(), ..query() });
        assert_eq!(search("digits"), vec![4, 1]);
        assert_eq!(search("DIGITS  Hidden"), vec![4], "case-insensitive, every term");
        assert_eq!(search("upside"), vec![2], "description");
        assert_eq!(search("sklearn"), vec![1], "tags");
        assert_eq!(search("file-type"), vec![3], "task");
        assert_eq!(search("8×8"), vec![1], "non-ASCII");
        assert_eq!(search("digits ocr"), Vec::<u64>::new());
        assert_eq!(search("   "), vec![5, 4, 3, 2, 1], "blank is no search");
    }

    #[test]
    fn task_filter_is_exact_and_case_insensitive() {
        let listings = catalogue();
        let task = |t: &str| ids(&listings, &Query { task: Some(t.into()), ..query() });
        assert_eq!(task("image-classification"), vec![4, 1]);
        assert_eq!(task("Text-Classification"), vec![2]);
        assert_eq!(task("classification"), Vec::<u64>::new());
        assert_eq!(tasks(&listings), vec!["file-type-detection", "image-classification", "text-classification"]);
    }

    #[test]
    fn licence_filters_need_an_available_tier_offering_them() {
        let listings = catalogue();
        assert_eq!(
            ids(&listings, &Query { commercial: true, ..query() }),
            vec![5, 2, 1],
            "magika's only tier is paused"
        );
        assert_eq!(ids(&listings, &Query { derivatives: true, ..query() }), vec![4, 2]);
        assert_eq!(
            ids(&listings, &Query { commercial: true, derivatives: true, ..query() }),
            vec![2],
            "one tier with both"
        );
    }

    #[test]
    fn price_filters_use_the_lowest_available_tier_with_the_licences_asked_for() {
        let listings = catalogue();
        let range = |min: Option<u64>, max: Option<u64>, commercial: bool| {
            ids(&listings, &Query { min_price: min.map(milli), max_price: max.map(milli), commercial, ..query() })
        };
        assert_eq!(range(None, Some(20), false), vec![5, 4, 1], "magika (paused) has no price");
        assert_eq!(range(Some(20), None, false), vec![5, 2]);
        assert_eq!(range(Some(10), Some(50), false), vec![5, 2, 1], "bounds are inclusive");
        assert_eq!(range(None, Some(0), false), vec![4], "free");
        assert_eq!(range(Some(100), None, true), vec![2], "text direction's commercial tier costs 200");
        assert_eq!(range(Some(100), None, false), Vec::<u64>::new(), "its cheapest tier costs 50");
        assert_eq!(range(Some(50), Some(10), false), Vec::<u64>::new(), "min above max");
    }

    #[test]
    fn sold_out_tiers_are_not_available() {
        let mut sold_out =
            summary(1, vec![Tier { maxSupply: 2, sold: 2, ..tier(1, true, true) }, tier(30, false, false)]);
        sold_out.sales = 2;
        let listing = Listing::new(sold_out.clone(), Card::Loading);
        assert_eq!(listing.lowest_price(), Some(milli(30)));
        assert!(apply(std::slice::from_ref(&listing), &Query { commercial: true, ..query() }).is_empty());
        assert_eq!(price_range(&sold_out), "0.03 ETH");
        assert_eq!(licence_badges(&sold_out), vec![Badge::OpenWeights]);
        let still_open = summary(2, vec![Tier { maxSupply: 2, sold: 1, ..tier(1, true, true) }]);
        assert_eq!(Listing::new(still_open, Card::Loading).lowest_price(), Some(milli(1)));
    }

    #[test]
    fn minimum_rating_counts_unrated_as_zero() {
        let listings = catalogue();
        let rated = |stars: u8| ids(&listings, &Query { min_rating: Some(stars), ..query() });
        assert_eq!(rated(1), vec![4, 3, 1]);
        assert_eq!(rated(3), vec![4, 3, 1], "3.0 is at least 3");
        assert_eq!(rated(4), vec![4, 1], "4.5 is at least 4");
        assert_eq!(rated(5), vec![4]);
    }

    #[test]
    fn weights_filter() {
        let listings = catalogue();
        assert_eq!(ids(&listings, &Query { weights: Weights::Encrypted, ..query() }), vec![3]);
        assert_eq!(ids(&listings, &Query { weights: Weights::Open, ..query() }), vec![5, 4, 2, 1]);
    }

    #[test]
    fn every_sort_with_ties_newest_first() {
        let listings = catalogue();
        let sorted = |sort: Sort| ids(&listings, &Query { sort, ..query() });
        // Lowest available prices: 1 → 10, 2 → 50, 3 → none, 4 → 0, 5 → 20.
        assert_eq!(sorted(Sort::PriceLow), vec![4, 1, 5, 2, 3]);
        assert_eq!(sorted(Sort::PriceHigh), vec![2, 5, 1, 4, 3], "nothing for sale stays last");
        // Ratings: 4 → 5.0, 1 → 4.5, 3 → 3.0, 2 and 5 unrated (newest first).
        assert_eq!(sorted(Sort::Rating), vec![4, 1, 3, 5, 2]);
        // Sales: 3 → 10, 1 and 4 → 3 (newest first), 2 and 5 → 0.
        assert_eq!(sorted(Sort::Sales), vec![3, 4, 1, 5, 2]);
        assert_eq!(sorted(Sort::Newest), vec![5, 4, 3, 2, 1]);
    }

    #[test]
    fn equal_averages_rank_more_reviews_first() {
        let mut one = summary(1, vec![]);
        (one.ratingSum, one.ratingCount) = (8, 2);
        let mut two = summary(2, vec![]);
        (two.ratingSum, two.ratingCount) = (4, 1);
        let listings = [Listing::new(one, Card::Loading), Listing::new(two, Card::Loading)];
        assert_eq!(ids(&listings, &Query { sort: Sort::Rating, ..query() }), vec![1, 2]);
    }

    #[test]
    fn filters_combine_and_sort_applies_after() {
        let listings = catalogue();
        let q = Query { text: "digits".into(), min_rating: Some(4), sort: Sort::PriceHigh, ..query() };
        assert_eq!(ids(&listings, &q), vec![1, 4]);
    }

    #[test]
    fn listings_whose_card_is_loading_are_undecided_for_text_queries() {
        let listings = catalogue();
        assert_eq!(undecided(&listings, &query()), 0, "no text: they are shown");
        assert_eq!(undecided(&listings, &Query { text: "digits".into(), ..query() }), 1);
        assert_eq!(undecided(&listings, &Query { task: Some("x".into()), weights: Weights::Encrypted, ..query() }), 0);
        let unreadable = [Listing::new(summary(9, vec![]), Card::Unreadable("gone".into()))];
        assert_eq!(
            undecided(&unreadable, &Query { text: "x".into(), ..query() }),
            0,
            "unreadable is decided: no match"
        );
        assert_eq!(unreadable[0].name(), "Model #9");
    }

    #[test]
    fn url_round_trip_keeps_every_field_and_omits_defaults() {
        assert!(query().to_query().is_empty());
        let full = Query {
            text: "digits hidden ".into(),
            task: Some("image-classification".into()),
            commercial: true,
            derivatives: true,
            min_price: Some(milli(10)),
            max_price: Some(U256::from(1_500_000_000_000_000_001u128)),
            min_rating: Some(4),
            weights: Weights::Encrypted,
            sort: Sort::PriceHigh,
            shown: PAGE * 3,
        };
        let url = full.to_query();
        assert_eq!(url.get("min").map(String::as_str), Some("0.01"));
        assert_eq!(url.get("max").map(String::as_str), Some("1.500000000000000001"));
        assert_eq!(url.get("sort").map(String::as_str), Some("price-high"));
        assert_eq!(Query::from_query(&url), full);
        for sort in Sort::ALL {
            assert_eq!(Query::from_query(&Query { sort, ..query() }.to_query()).sort, sort);
        }
        for weights in Weights::ALL {
            assert_eq!(Query::from_query(&Query { weights, ..query() }.to_query()).weights, weights);
        }
        // Through the hash URL as the router prints and reads it.
        let location = crate::route::Location { route: crate::route::Route::Browse, query: url };
        let back = crate::route::Location::from_hash(&location.to_hash());
        assert_eq!(Query::from_query(&back.query), full);
    }

    #[test]
    fn malformed_or_unknown_url_values_are_ignored() {
        let url: BTreeMap<String, String> = [
            ("q", ""),
            ("task", "  "),
            ("commercial", "maybe"),
            ("derivatives", "0"),
            ("min", "-1"),
            ("max", "lots"),
            ("rating", "7"),
            ("weights", "plaintext"),
            ("sort", "random"),
            ("shown", "50"),
            ("colour", "blue"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(Query::from_query(&url), query());
        let zero_rating: BTreeMap<String, String> = [("rating".to_owned(), "0".to_owned())].into();
        assert_eq!(Query::from_query(&zero_rating).min_rating, None);
        let yes: BTreeMap<String, String> = [("commercial".to_owned(), "true".to_owned())].into();
        assert!(Query::from_query(&yes).commercial);
    }

    #[test]
    fn ether_amounts_parse_as_typed() {
        assert_eq!(parse_ether("1"), Some(milli(1000)));
        assert_eq!(parse_ether(" 0.05 "), Some(milli(50)));
        assert_eq!(parse_ether(".5"), Some(milli(500)));
        assert_eq!(parse_ether("1,5"), Some(milli(1500)));
        assert_eq!(parse_ether("5."), Some(milli(5000)));
        assert_eq!(parse_ether("0.000000000000000001"), Some(U256::from(1)));
        assert_eq!(parse_ether("0.0000000000000000001"), None, "below one wei");
        for bad in ["", ".", "-1", "1e3", "abc", "1.2.3", "0x10"] {
            assert_eq!(parse_ether(bad), None, "{bad:?}");
        }
        assert_eq!(parse_ether(&"9".repeat(80)), None, "overflow");
    }

    #[test]
    fn empty_results_say_why() {
        let commercial = Query { text: "foo".into(), commercial: true, ..query() };
        assert_eq!(
            explain_empty(&commercial, 5),
            "No model matches “foo” with commercial use allowed. Clear the search or the filters."
        );
        assert_eq!(
            explain_empty(&Query { text: " foo ".into(), ..query() }, 5),
            "No model matches “foo”. Try other words or clear the search."
        );
        let many = Query {
            task: Some("image-classification".into()),
            derivatives: true,
            min_price: Some(milli(10)),
            max_price: Some(milli(500)),
            min_rating: Some(1),
            weights: Weights::Encrypted,
            ..query()
        };
        assert_eq!(
            explain_empty(&many, 5),
            "No model matches for the task “image-classification”, with derivatives allowed, priced between 0.01 ETH and 0.5 ETH, \
             rated 1 star or more and with encrypted weights. Clear the filters."
        );
        assert_eq!(
            explain_empty(&Query { min_price: Some(milli(2000)), ..query() }, 5),
            "No model matches priced at least 2 ETH. Clear the filters."
        );
        assert!(
            explain_empty(&Query { min_price: Some(milli(50)), max_price: Some(milli(10)), ..query() }, 5)
                .contains("the lowest price is above the highest")
        );
        assert!(explain_empty(&commercial, 0).starts_with("No models are listed yet."));
    }

    #[test]
    fn grid_texts() {
        let listings = catalogue();
        let s = |i: usize| &listings[i].summary;
        assert_eq!(price_range(s(0)), "0.01 ETH");
        assert_eq!(price_range(s(1)), "0.05–0.2 ETH");
        assert_eq!(price_range(s(2)), "Not for sale", "paused");
        assert_eq!(price_range(s(3)), "Free");
        assert_eq!(price_range(&summary(7, vec![tier(0, false, false), tier(100, true, false)])), "Free–0.1 ETH");
        assert_eq!(price_range(&summary(8, vec![])), "Not for sale");
        assert_eq!(rating_text(s(0)), "4.5 (2 reviews)");
        assert_eq!(rating_text(s(2)), "3.0 (1 review)");
        assert_eq!(rating_text(s(1)), "Not rated yet");
        assert_eq!(rating_stars(s(0)), "★★★★★", "4.5 rounds up");
        assert_eq!(rating_stars(s(2)), "★★★☆☆");
        assert_eq!(rating_stars(s(1)), "☆☆☆☆☆");
        let mut odd = summary(9, vec![]);
        (odd.ratingSum, odd.ratingCount) = (13, 3); // 4.333…
        assert_eq!(rating_text(&odd), "4.3 (3 reviews)");
        assert_eq!(rating_stars(&odd), "★★★★☆");
        // A creator's record: every review of every model, one rounding rule (4.45 → 4.5).
        assert_eq!(average_text(88, 20), "4.4 (20 reviews)");
        assert_eq!(average_text(89, 20), "4.5 (20 reviews)", "4.45 rounds half up");
        assert_eq!(average_text(0, 0), "Not rated yet");
        assert_eq!(sales_text(s(2)), "10 sales");
        assert_eq!(sales_text(s(1)), "No sales yet");
        assert_eq!(sales_text(&ModelSummary { sales: 1, ..summary(1, vec![]) }), "1 sale");
        assert_eq!(licence_badges(s(0)), vec![Badge::Commercial, Badge::OpenWeights]);
        assert_eq!(licence_badges(s(1)), vec![Badge::Commercial, Badge::Derivatives, Badge::OpenWeights]);
        assert_eq!(licence_badges(s(2)), vec![Badge::Encrypted], "paused tier offers nothing");
        assert_eq!(listings[0].name(), "Handwritten digits (8×8)");
        assert_eq!(listings[0].task(), Some("image-classification"));
        assert_eq!(listings[4].name(), "Model #5");
        assert_eq!(result_count(3, 3), "3 models");
        assert_eq!(result_count(1, 1), "1 model");
        assert_eq!(result_count(48, 10_000), "48 of 10,000 models");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(excerpt(" short ", 10), "short");
        assert_eq!(excerpt("Recognises a handwritten digit, 0–9", 33), "Recognises a handwritten digit…");
        assert_eq!(excerpt("unbroken", 4), "unbr…");
    }

    #[test]
    fn card_text_reads_any_card_and_ignores_the_rest() {
        let digits: CardText = serde_json::from_str(
            r#"{"name":"Handwritten digits (8×8)","description":"d","licence":"MIT","io":{"version":1,"inputs":[],"outputs":[]}}"#,
        )
        .unwrap();
        assert_eq!((digits.name.as_str(), digits.task.as_str()), ("Handwritten digits (8×8)", ""));
        let with_tags: CardText =
            serde_json::from_str(r#"{"name":"x","task":"image-classification","tags":["a","b"],"metrics":{"acc":1}}"#)
                .unwrap();
        assert_eq!((with_tags.task.as_str(), with_tags.tags.len()), ("image-classification", 2));
        let bare: CardText = serde_json::from_str("{}").unwrap();
        assert_eq!(bare, CardText::default());
    }

    #[test]
    fn the_first_page_resets_what_is_shown() {
        let more = Query { shown: PAGE * 4, commercial: true, ..query() };
        assert_eq!(more.clone().first_page(), Query { commercial: true, ..query() });
        assert!(more.is_filtered() && more.has_filters() && !more.needs_card());
        assert!(!query().is_filtered());
    }
}
