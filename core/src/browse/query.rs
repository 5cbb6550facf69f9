//! What the person asked Browse for, as it lives in the URL (`#/?q=digits&commercial=1&sort=price-low`):
//! defaults left out, malformed values ignored, so a filtered view can be reloaded and shared.

use std::collections::BTreeMap;

use alloy_primitives::U256;

use assay_inference::card::RiskCategory;

use crate::terms::{ProhibitedUse, Territory};
use crate::units::{format_ether, parse_ether};

use super::PAGE;

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
    /// Reproduced by the most accounts first (licence holders break ties); never reproduced last.
    Reproduced,
}

impl Sort {
    pub const ALL: [Sort; 6] =
        [Sort::Newest, Sort::PriceLow, Sort::PriceHigh, Sort::Rating, Sort::Sales, Sort::Reproduced];

    /// The URL value (`""` for the default).
    pub fn key(self) -> &'static str {
        match self {
            Sort::Newest => "",
            Sort::PriceLow => "price-low",
            Sort::PriceHigh => "price-high",
            Sort::Rating => "rating",
            Sort::Sales => "sales",
            Sort::Reproduced => "reproduced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Newest => "Newest",
            Sort::PriceLow => "Price: low to high",
            Sort::PriceHigh => "Price: high to low",
            Sort::Rating => "Rating",
            Sort::Sales => "Sales",
            Sort::Reproduced => "Reproduced by the most accounts",
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
    /// Only listings whose claimed results some account reproduced on chain (latest version).
    pub reproduced: bool,
    /// Also listings delisted by moderation (hidden by default).
    pub delisted: bool,
    pub weights: Weights,
    /// Only cards declaring this risk category (`NotAssessed` also takes cards without a
    /// compliance section).
    pub risk: Option<RiskCategory>,
    /// Only cards declaring no personal data in the training data.
    pub without_personal_data: bool,
    /// Only listings with an available tier whose terms don't exclude this territory.
    pub territory: Option<Territory>,
    /// Only listings with an available tier whose terms don't prohibit this use.
    pub allowed_use: Option<ProhibitedUse>,
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
            reproduced: false,
            delisted: false,
            weights: Weights::Any,
            risk: None,
            without_personal_data: false,
            territory: None,
            allowed_use: None,
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
    pub const REPRODUCED: &str = "reproduced";
    pub const DELISTED: &str = "delisted";
    pub const WEIGHTS: &str = "weights";
    pub const RISK: &str = "risk";
    pub const NO_PERSONAL_DATA: &str = "nopersonal";
    pub const TERRITORY: &str = "territory";
    pub const USE: &str = "use";
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
            reproduced: flag(key::REPRODUCED),
            delisted: flag(key::DELISTED),
            weights: get(key::WEIGHTS).and_then(Weights::from_key).unwrap_or_default(),
            risk: get(key::RISK).and_then(RiskCategory::from_key),
            without_personal_data: flag(key::NO_PERSONAL_DATA),
            territory: get(key::TERRITORY).and_then(Territory::from_code),
            allowed_use: get(key::USE).and_then(ProhibitedUse::from_key),
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
        if self.reproduced {
            put(key::REPRODUCED, "1".into());
        }
        if self.delisted {
            put(key::DELISTED, "1".into());
        }
        if self.weights != Weights::Any {
            put(key::WEIGHTS, self.weights.key().into());
        }
        if let Some(risk) = self.risk {
            put(key::RISK, risk.key().into());
        }
        if self.without_personal_data {
            put(key::NO_PERSONAL_DATA, "1".into());
        }
        if let Some(territory) = self.territory {
            put(key::TERRITORY, territory.code().into());
        }
        if let Some(use_) = self.allowed_use {
            put(key::USE, use_.key().into());
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
            || self.reproduced
            || self.weights != Weights::Any
            || self.risk.is_some()
            || self.without_personal_data
            || self.territory.is_some()
            || self.allowed_use.is_some()
    }

    /// Whether the query needs the card's text (search or task), which may not be loaded yet.
    pub fn needs_card(&self) -> bool {
        !self.text.trim().is_empty() || self.task.is_some() || self.risk.is_some() || self.without_personal_data
    }

    /// Whether the query needs the tiers' terms documents (territory or use), which are read
    /// only then.
    pub fn needs_terms(&self) -> bool {
        self.territory.is_some() || self.allowed_use.is_some()
    }
}
