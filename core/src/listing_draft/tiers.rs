//! Licence tiers as typed, and as the market takes them.

use alloy_primitives::{U256, aliases::U96};
use serde::{Deserialize, Serialize};

use super::fields::{FieldError, FieldPath, TierField, noted};
use super::{Draft, MAX_TIERS};
use crate::contracts::IAssayMarket::TierInput;
use crate::ipfs::Cid;
use crate::terms::{ProhibitedUse, Restrictions, TermsDocument, parse_territories};
use crate::units::parse_ether;

const DAY: u32 = 86_400;

/// One licence tier as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TierFields {
    /// The terms document's title, shown with the tier.
    pub title: String,
    /// The terms, in words (stored on IPFS; the tier names its CID).
    pub terms: String,
    /// ETH, as typed.
    pub price: String,
    /// Whole days; empty or 0 = perpetual.
    pub duration_days: String,
    /// Most licences sold; empty or 0 = unlimited.
    pub supply: String,
    pub commercial: bool,
    pub derivatives: bool,
    pub transferable: bool,
    /// Uses the terms prohibit (machine-readable, in the terms document's block).
    pub prohibited_uses: Vec<ProhibitedUse>,
    /// Territories the licence excludes, as typed: codes or names, comma-separated.
    pub excluded_territories: String,
}

impl Default for TierFields {
    fn default() -> Self {
        Self::research()
    }
}

impl TierFields {
    /// A perpetual non-commercial tier, the usual first one.
    pub fn research() -> Self {
        Self {
            title: "Research licence".into(),
            terms: "Perpetual, non-commercial use for research, teaching and evaluation. Publishing results obtained \
                    with the model is allowed; redistributing the weights, using it in a paid product or service, and \
                    publishing derivatives are not. The licence is personal and cannot be transferred."
                .into(),
            price: "0.01".into(),
            duration_days: String::new(),
            supply: String::new(),
            commercial: false,
            derivatives: false,
            transferable: false,
            prohibited_uses: Vec::new(),
            excluded_territories: String::new(),
        }
    }

    /// A yearly commercial tier with derivatives, the usual second one.
    pub fn commercial() -> Self {
        Self {
            title: "Commercial licence (365 days)".into(),
            terms: "Use in commercial products and services for 365 days from purchase, renewable at the tier's \
                    price. Derivatives are allowed; a derivative listed on Assay names this model as its parent. The \
                    licence may be transferred to another account."
                .into(),
            price: "0.1".into(),
            duration_days: "365".into(),
            supply: String::new(),
            commercial: true,
            derivatives: true,
            transferable: true,
            prohibited_uses: Vec::new(),
            excluded_territories: String::new(),
        }
    }

    /// The terms document stored on IPFS: the title, a blank line, the terms, and the
    /// restrictions' block when the tier restricts anything. Territories that don't parse are left
    /// out: [`TierFields::parse`] refuses them before anything is published.
    pub fn terms_document(&self) -> String {
        let restrictions = Restrictions {
            prohibited_uses: self.prohibited_uses.clone(),
            excluded_territories: parse_territories(&self.excluded_territories).unwrap_or_default(),
        };
        TermsDocument::new(&self.title, &self.terms).with_restrictions(restrictions).to_text()
    }

    /// The tier as the market takes it, once its terms are at `terms_cid`; or what is wrong,
    /// each problem under `FieldPath::Tier(index, …)`.
    pub fn parse(&self, index: usize) -> Result<ParsedTier, Vec<FieldError>> {
        let field = |name: TierField| FieldPath::Tier(index, name);
        let mut errors = Vec::new();
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(field(TierField::Title), "Give the tier a title (it heads its terms)."));
        }
        if self.terms.trim().is_empty() {
            errors.push(FieldError::new(
                field(TierField::Terms),
                "Write the tier's terms: what a buyer may do with the model.",
            ));
        }
        let price = noted(&mut errors, field(TierField::Price), parse_price(&self.price));
        let duration = noted(&mut errors, field(TierField::DurationDays), parse_duration_days(&self.duration_days));
        let max_supply = noted(&mut errors, field(TierField::Supply), parse_supply(&self.supply));
        noted(&mut errors, field(TierField::Territories), parse_territories(&self.excluded_territories));
        match (price, duration, max_supply) {
            (Some(price), Some(duration), Some(max_supply)) if errors.is_empty() => Ok(ParsedTier {
                price,
                duration,
                max_supply,
                commercial: self.commercial,
                derivatives: self.derivatives,
                transferable: self.transferable,
            }),
            _ => Err(errors),
        }
    }
}

/// A tier price as typed, in wei that fit the market's `uint96`.
pub fn parse_price(text: &str) -> Result<U96, String> {
    match parse_ether(text) {
        Some(wei) if wei <= U256::from(U96::MAX) => Ok(U96::from(wei)),
        Some(_) => Err("That price is more than the market can hold (about 79 billion ETH).".to_owned()),
        None => Err(format!("“{}” is not an amount of ETH (e.g. 0.05).", text.trim())),
    }
}

/// A licence duration in whole days as typed, in seconds; empty or 0 = perpetual.
pub fn parse_duration_days(text: &str) -> Result<u32, String> {
    let days = whole_number(text, "The duration in days")?;
    days.checked_mul(DAY)
        .ok_or_else(|| "At most 49,710 days (136 years); leave it empty for a perpetual licence.".to_owned())
}

/// A tier's supply as typed; empty or 0 = unlimited.
pub fn parse_supply(text: &str) -> Result<u32, String> {
    whole_number(text, "The supply")
}

fn whole_number(text: &str, what: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>().map_err(|_| format!("{what} must be a whole number (“{text}” is not)."))
}

/// A tier whose fields are all valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedTier {
    pub price: U96,
    /// Seconds; 0 = perpetual.
    pub duration: u32,
    /// 0 = unlimited.
    pub max_supply: u32,
    pub commercial: bool,
    pub derivatives: bool,
    pub transferable: bool,
}

impl ParsedTier {
    pub fn input(&self, terms_cid: &Cid) -> TierInput {
        TierInput {
            price: self.price,
            duration: self.duration,
            maxSupply: self.max_supply,
            commercialUse: self.commercial,
            derivativesAllowed: self.derivatives,
            transferable: self.transferable,
            termsCid: terms_cid.to_string(),
        }
    }
}

impl Draft {
    /// Every tier, parsed; or all their problems.
    pub fn parsed_tiers(&self) -> Result<Vec<ParsedTier>, Vec<FieldError>> {
        if self.tiers.is_empty() {
            return Err(vec![FieldError::new(FieldPath::Tiers, "Offer at least one licence tier.")]);
        }
        if self.tiers.len() > MAX_TIERS {
            return Err(vec![FieldError::new(FieldPath::Tiers, format!("At most {MAX_TIERS} tiers."))]);
        }
        let mut parsed = Vec::new();
        let mut errors = Vec::new();
        for (i, tier) in self.tiers.iter().enumerate() {
            match tier.parse(i) {
                Ok(t) => parsed.push(t),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() { Ok(parsed) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eth, paths};
    use super::*;

    #[test]
    fn the_default_tiers_parse_as_the_market_takes_them() {
        let tiers = Draft::default().parsed_tiers().unwrap();
        assert_eq!(
            tiers[0],
            ParsedTier {
                price: U96::from(eth("0.01")),
                duration: 0,
                max_supply: 0,
                commercial: false,
                derivatives: false,
                transferable: false
            }
        );
        assert_eq!((tiers[1].duration, tiers[1].commercial, tiers[1].derivatives), (365 * 86_400, true, true));
        let terms = crate::ipfs::cid_of(b"terms");
        let input = tiers[1].input(&terms);
        assert_eq!((input.termsCid, input.maxSupply), (terms.to_string(), 0));
        assert_eq!(TierFields::research().terms_document().lines().next(), Some("Research licence"));
    }

    #[test]
    fn bad_tier_fields_are_named() {
        let tier = TierFields {
            price: "ten".into(),
            duration_days: "1.5".into(),
            supply: "-1".into(),
            title: " ".into(),
            ..TierFields::research()
        };
        let draft = Draft { tiers: vec![TierFields::research(), tier], ..Draft::default() };
        let errors = draft.parsed_tiers().unwrap_err();
        assert_eq!(paths(&errors), ["tiers.1.title", "tiers.1.price", "tiers.1.durationDays", "tiers.1.supply"]);
        assert_eq!(errors[1].path, FieldPath::Tier(1, TierField::Price));
        assert_eq!(errors[1].message, "“ten” is not an amount of ETH (e.g. 0.05).");
        let long = TierFields { duration_days: "50000".into(), ..TierFields::research() };
        assert!(long.parse(0).unwrap_err()[0].message.contains("49,710 days"));
        let none = Draft { tiers: vec![], ..Draft::default() };
        assert_eq!(paths(&none.parsed_tiers().unwrap_err()), ["tiers"]);
        let too_many = Draft { tiers: vec![TierFields::research(); MAX_TIERS + 1], ..Draft::default() };
        assert_eq!(too_many.parsed_tiers().unwrap_err()[0].path, FieldPath::Tiers);
        let limited = TierFields { supply: "3".into(), ..TierFields::commercial() };
        assert_eq!(limited.parse(0).unwrap().max_supply, 3);
        let nowhere = TierFields { excluded_territories: "DE, Atlantis".into(), ..TierFields::research() };
        let errors = nowhere.parse(2).unwrap_err();
        assert_eq!(paths(&errors), ["tiers.2.excludedTerritories"]);
        assert!(errors[0].message.contains("Atlantis"));
    }

    #[test]
    fn a_tier_s_restrictions_are_written_into_its_terms_document() {
        let tier = TierFields {
            prohibited_uses: vec![ProhibitedUse::Military],
            excluded_territories: "north korea, EU".into(),
            ..TierFields::research()
        };
        let document = TermsDocument::parse(tier.terms_document().as_bytes()).unwrap();
        assert_eq!(document.title, "Research licence");
        assert_eq!(document.restrictions.prohibited_uses, [ProhibitedUse::Military]);
        let codes: Vec<&str> = document.restrictions.excluded_territories.iter().map(|t| t.code()).collect();
        assert_eq!(codes, ["KP", "EU"]);
        // Drafts saved before restrictions existed read as restricting nothing.
        let old: TierFields = serde_json::from_str(r#"{ "title": "Old", "terms": "x", "price": "1" }"#).unwrap();
        assert!(old.prohibited_uses.is_empty() && old.excluded_territories.is_empty());
        let json = serde_json::to_value(&tier).unwrap();
        assert_eq!(json["prohibitedUses"], serde_json::json!(["military"]));
        assert_eq!(serde_json::from_value::<TierFields>(json).unwrap(), tier);
    }

    #[test]
    fn prices_durations_and_supplies_are_read_as_typed() {
        assert_eq!(parse_price(" 0.05 "), Ok(U96::from(eth("0.05"))));
        assert!(parse_price("100000000000").unwrap_err().contains("79 billion"));
        assert_eq!(parse_duration_days(""), Ok(0));
        assert_eq!(parse_duration_days("2"), Ok(2 * DAY));
        assert_eq!(parse_supply(" 7 "), Ok(7));
        assert_eq!(parse_supply("x").unwrap_err(), "The supply must be a whole number (“x” is not).");
    }
}
