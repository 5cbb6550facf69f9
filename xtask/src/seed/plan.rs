//! What is seeded, as data: the real models' listings, the licences bought and the reviews
//! written, the cards as uploaded, and the plan of synthetic listings (offers and their terms are
//! in `offer`). Nothing here talks to the stack; `steps` sends it.

use std::collections::BTreeMap;

use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, B256, U256};
use assay_core::contracts::IAssayMarket::{self, CoAuthor, ParentShare};
use serde_json::Value;

pub use super::offer::{FINNEY, Offer, finney};
use crate::process::Result;

/// A real model's listing: its file stem (`<stem>.onnx`, `inference/cards/<stem>.json`), the dev
/// account that lists it, and what it offers.
pub struct RealListing {
    pub stem: &'static str,
    pub creator: usize,
    pub royalty_bps: u16,
    pub co_author: Option<(usize, u16)>,
    /// A listing made earlier in this list, and its share in bps.
    pub parent: Option<(&'static str, u16)>,
    /// Offers with their price in finney.
    pub tiers: &'static [(Offer, u64)],
}

impl RealListing {
    /// The `listModel` call with the card's CID `manifest`, the terms' CIDs (in `Offer::ALL`
    /// order), the ids `listed` so far by stem (the parent must be among them) and the licence of
    /// the parent it is derived under (0 when its creator owns the parent).
    pub fn call(
        &self,
        accounts: &[Address],
        manifest: &str,
        terms: &[String],
        listed: &BTreeMap<&str, u64>,
        parent_licence: U256,
    ) -> Result<IAssayMarket::listModelCall> {
        let parents = match self.parent {
            Some((stem, bps)) => {
                let id =
                    listed.get(stem).ok_or_else(|| format!("{}'s parent {stem} is not listed before it", self.stem))?;
                vec![ParentShare { modelId: U256::from(*id), bps, licenceId: parent_licence }]
            }
            None => Vec::new(),
        };
        Ok(IAssayMarket::listModelCall {
            manifestCid: manifest.to_owned(),
            keyCommitment: B256::ZERO,
            royaltyBps: self.royalty_bps,
            coAuthors: self
                .co_author
                .map(|(account, bps)| vec![CoAuthor { account: accounts[account], bps }])
                .unwrap_or_default(),
            parents,
            tiers: self.tiers.iter().map(|(offer, price)| offer.tier_of(finney(*price), terms)).collect(),
        })
    }

    /// The tier a derivative's creator buys to name this model as its parent: the first that
    /// allows derivatives without a supply cap.
    pub fn derivation_tier(&self) -> usize {
        self.tiers
            .iter()
            .position(|(offer, _)| {
                let tier = offer.tier(U96::ZERO, "");
                tier.derivativesAllowed && tier.maxSupply == 0
            })
            .expect("every real listing has an uncapped tier allowing derivatives")
    }

    /// Tier `tier`'s price in wei.
    pub fn price(&self, tier: usize) -> U256 {
        U256::from(self.tiers[tier].1) * U256::from(FINNEY)
    }
}

/// The real catalogue. Account #0 is the deployer; #1–#3 create, #4 and #5 buy.
pub static LISTINGS: [RealListing; 4] = [
    RealListing {
        stem: "digits",
        creator: 1,
        royalty_bps: 500,
        co_author: None,
        parent: None,
        tiers: &[(Offer::Research, 2), (Offer::Commercial, 50), (Offer::Founding, 200)],
    },
    RealListing {
        stem: "text-direction",
        creator: 2,
        royalty_bps: 250,
        co_author: Some((3, 2000)),
        parent: None,
        tiers: &[(Offer::Research, 5), (Offer::Commercial, 80)],
    },
    RealListing {
        stem: "magika",
        creator: 3,
        royalty_bps: 0,
        co_author: None,
        parent: None,
        tiers: &[(Offer::Research, 10), (Offer::Commercial, 120), (Offer::Founding, 500)],
    },
    RealListing {
        stem: "digits-small",
        creator: 2,
        royalty_bps: 500,
        co_author: None,
        parent: Some(("digits", 1500)),
        tiers: &[(Offer::Research, 1), (Offer::Commercial, 20)],
    },
];

/// The real listing of `stem`.
pub fn listing(stem: &str) -> &'static RealListing {
    LISTINGS.iter().find(|l| l.stem == stem).expect("purchases and parents name listed models")
}

/// How many accounts create the real listings.
pub fn creator_count() -> usize {
    let mut creators: Vec<usize> = LISTINGS.iter().map(|l| l.creator).collect();
    creators.sort_unstable();
    creators.dedup();
    creators.len()
}

/// Licences bought: buyer account, model stem, tier index.
pub const PURCHASES: [(usize, &str, usize); 4] =
    [(4, "digits", 0), (5, "digits", 1), (4, "magika", 2), (5, "digits-small", 1)];

/// Reviews: index into `PURCHASES` (the reviewer is its buyer), rating, comment.
pub const REVIEWS: [(usize, u8, &str); 2] = [
    (
        0,
        5,
        "Reads the digits I draw on the pad almost every time, and the trial runs instantly in the browser. A good small baseline.",
    ),
    (
        3,
        4,
        "Half the size of the original digits model and still right on most of my drawings; it mixes up a hurried 7 and 1 now and then.",
    ),
];

/// The card's JSON text with `"model"` set to the ONNX file's CID (pretty, as uploaded).
pub fn card_with_model(card: &str, model_cid: &str) -> Result<String> {
    let mut card: Value = serde_json::from_str(card).map_err(|e| format!("the card is not JSON: {e}"))?;
    let object = card.as_object_mut().ok_or("the card is not a JSON object")?;
    if object.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("the card has no name".into());
    }
    if !object.contains_key("io") {
        return Err("the card has no io section".into());
    }
    object.insert("model".into(), Value::String(model_cid.to_owned()));
    Ok(serde_json::to_string_pretty(&card).expect("JSON") + "\n")
}

/// A review's comment document, as uploaded.
pub fn review_comment(text: &str) -> Vec<u8> {
    serde_json::to_vec_pretty(&serde_json::json!({ "text": text })).expect("JSON")
}

/// A synthetic listing: one of the real cards again, from one of dev accounts #1–#9.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticListing {
    pub creator: usize,
    /// Index into the real manifests.
    pub manifest: usize,
    pub royalty_bps: u16,
    pub co_author: Option<(usize, u16)>,
    /// An existing model id and its share.
    pub parent: Option<(u64, u16)>,
    /// Offers with their price in wei.
    pub tiers: Vec<(Offer, U96)>,
}

impl SyntheticListing {
    /// The `listModel` call; `licences[(creator, parent id)]` is the licence the creator derives
    /// under (none: it owns the parent).
    pub fn call(
        &self,
        accounts: &[Address],
        manifests: &[String],
        terms: &[String],
        licences: &BTreeMap<(usize, u64), U256>,
    ) -> IAssayMarket::listModelCall {
        IAssayMarket::listModelCall {
            manifestCid: manifests[self.manifest].clone(),
            keyCommitment: B256::ZERO,
            royaltyBps: self.royalty_bps,
            coAuthors: self.co_author.map(|(a, bps)| vec![CoAuthor { account: accounts[a], bps }]).unwrap_or_default(),
            parents: self
                .parent
                .map(|(id, bps)| {
                    let licence = licences.get(&(self.creator, id)).copied().unwrap_or_default();
                    vec![ParentShare { modelId: U256::from(id), bps, licenceId: licence }]
                })
                .unwrap_or_default(),
            tiers: self.tiers.iter().map(|(offer, price)| offer.tier_of(*price, terms)).collect(),
        }
    }
}

/// splitmix64: the same variety on every run.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Plans `count` synthetic listings over `manifests` real cards; every sixth names one of the
/// real models' ids `parents` as its parent.
pub fn plan_synthetic(count: usize, manifests: usize, parents: &[u64]) -> Vec<SyntheticListing> {
    (0..count)
        .map(|i| {
            let h = mix(i as u64);
            let creator = 1 + i % 9;
            // 0.0001 to 0.1 ETH for research; commercial ×8, founding ×40.
            let base = U96::from(1 + h % 1000) * U96::from(FINNEY / 10);
            let tiers = Offer::ALL[..1 + (h >> 10) as usize % 3]
                .iter()
                .map(|offer| {
                    let factor = match offer {
                        Offer::Research => 1u64,
                        Offer::Commercial => 8,
                        Offer::Founding => 40,
                    };
                    (*offer, base * U96::from(factor))
                })
                .collect();
            SyntheticListing {
                creator,
                manifest: i % manifests.max(1),
                royalty_bps: [0, 250, 500, 1000][(h >> 20) as usize % 4],
                co_author: (i % 4 == 3).then(|| (1 + creator % 9, 500 + ((h >> 24) % 26) as u16 * 100)),
                parent: (i % 6 == 5 && !parents.is_empty())
                    .then(|| (parents[(h >> 32) as usize % parents.len()], 1000)),
                tiers,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use alloy_sol_types::SolCall;

    use super::*;

    #[test]
    fn the_real_catalogue_is_consistent() {
        // Three creators among #1–#3, buyers #4/#5 who are neither creators nor co-authors.
        for listing in &LISTINGS {
            assert!((1..=3).contains(&listing.creator), "{}", listing.stem);
            assert!((2..=3).contains(&listing.tiers.len()), "{}", listing.stem);
            let shares = listing.co_author.map_or(0, |c| c.1) + listing.parent.map_or(0, |p| p.1);
            assert!(shares <= 10_000);
            if let Some((parent, _)) = listing.parent {
                let at = LISTINGS.iter().position(|l| l.stem == parent).expect("parent is a real listing");
                assert!(at < LISTINGS.iter().position(|l| l.stem == listing.stem).unwrap(), "parent listed first");
            }
        }
        for (buyer, stem, tier) in PURCHASES {
            assert!(tier < listing(stem).tiers.len());
            assert!(LISTINGS.iter().all(|l| l.creator != buyer && l.co_author.map(|c| c.0) != Some(buyer)));
        }
        assert!(REVIEWS.iter().all(|(p, rating, _)| *p < PURCHASES.len() && (1..=5).contains(rating)));
        assert_eq!(listing("text-direction").co_author, Some((3, 2000)));
        let small = listing("digits-small");
        assert_eq!((small.creator, small.parent), (2, Some(("digits", 1500))));
        assert_eq!(creator_count(), 3);
    }

    #[test]
    fn a_real_listing_s_call_names_its_co_author_parent_and_terms() {
        let accounts: Vec<Address> = (0..10u8).map(|i| Address::repeat_byte(i + 1)).collect();
        let terms: Vec<String> = (0..3).map(|i| format!("bafkterms{i}")).collect();
        let listed = BTreeMap::from([("digits", 7u64)]);
        let call = listing("digits-small").call(&accounts, "bafkcard", &terms, &listed, U256::from(3)).unwrap();
        assert_eq!((call.manifestCid.as_str(), call.royaltyBps, call.keyCommitment), ("bafkcard", 500, B256::ZERO));
        assert_eq!(
            (call.parents[0].modelId, call.parents[0].bps, call.parents[0].licenceId),
            (U256::from(7), 1500, U256::from(3))
        );
        assert!(call.coAuthors.is_empty());
        assert_eq!(call.tiers.iter().map(|t| t.termsCid.as_str()).collect::<Vec<_>>(), ["bafkterms0", "bafkterms1"]);
        assert_eq!(call.tiers[1].price, finney(20));
        let with_co_author = listing("text-direction").call(&accounts, "x", &terms, &listed, U256::ZERO).unwrap();
        assert_eq!((with_co_author.coAuthors[0].account, with_co_author.coAuthors[0].bps), (accounts[3], 2000));
        assert!(with_co_author.parents.is_empty());
        let unlisted = listing("digits-small").call(&accounts, "x", &terms, &BTreeMap::new(), U256::ZERO).unwrap_err();
        assert_eq!(unlisted, "digits-small's parent digits is not listed before it");
        assert_eq!(listing("magika").price(2), U256::from(500u64) * U256::from(FINNEY));
        // Deriving from digits takes its commercial tier (derivatives allowed, no cap).
        assert_eq!(listing("digits").derivation_tier(), 1);
        assert!(LISTINGS.iter().all(|l| l.tiers[l.derivation_tier()].0 == Offer::Commercial));
    }

    #[test]
    fn synthetic_listings_vary_and_stay_valid() {
        let plan = plan_synthetic(1000, 4, &[1, 2, 3, 4]);
        assert_eq!(plan.len(), 1000);
        let creators: std::collections::BTreeSet<usize> = plan.iter().map(|l| l.creator).collect();
        assert_eq!(creators, (1..=9).collect());
        let prices: std::collections::BTreeSet<U96> = plan.iter().map(|l| l.tiers[0].1).collect();
        assert!(prices.len() > 400, "only {} distinct prices", prices.len());
        for n in 1..=3 {
            assert!(plan.iter().filter(|l| l.tiers.len() == n).count() > 250, "{n} tiers");
        }
        assert!(plan.iter().any(|l| l.parent.is_some()) && plan.iter().any(|l| l.co_author.is_some()));
        for l in &plan {
            assert!(l.manifest < 4 && l.royalty_bps <= 1000);
            assert!(l.tiers.iter().all(|(_, price)| *price > U96::ZERO));
            if let Some((account, bps)) = l.co_author {
                assert!((1..=9).contains(&account) && account != l.creator && bps > 0);
            }
            if let Some((parent, _)) = l.parent {
                assert!((1..=4).contains(&parent), "parent {parent} is a real model");
            }
            let shares = l.co_author.map_or(0, |c| c.1) + l.parent.map_or(0, |p| p.1);
            assert!(shares <= 10_000);
        }
        assert_eq!(plan, plan_synthetic(1000, 4, &[1, 2, 3, 4]), "the same plan every run");
        let parents: std::collections::BTreeSet<u64> = plan.iter().filter_map(|l| l.parent).map(|p| p.0).collect();
        assert_eq!(parents, [1, 2, 3, 4].into(), "every real model is some listing's parent");
        assert!(plan_synthetic(100, 4, &[]).iter().all(|l| l.parent.is_none()));
    }

    #[test]
    fn synthetic_calldata_is_a_list_model_call() {
        let accounts: Vec<Address> = (0..10u8).map(|i| Address::repeat_byte(i + 1)).collect();
        let plan = plan_synthetic(12, 4, &[1, 2, 3, 4]);
        let manifests: Vec<String> = (0..4).map(|i| format!("bafkcard{i}")).collect();
        let terms: Vec<String> = (0..3).map(|i| format!("bafkterms{i}")).collect();
        let listing =
            plan.iter().find(|l| l.co_author.is_some() && l.tiers.len() == 3).expect("a listing with a co-author");
        let data = listing.call(&accounts, &manifests, &terms, &BTreeMap::new()).abi_encode();
        let decoded = IAssayMarket::listModelCall::abi_decode(&data).unwrap();
        assert_eq!(decoded.manifestCid, manifests[listing.manifest]);
        // A derivative names the licence its creator derives under.
        let derived = plan.iter().find(|l| l.parent.is_some()).expect("a listing with a parent");
        let (parent, _) = derived.parent.unwrap();
        let licences = BTreeMap::from([((derived.creator, parent), U256::from(42))]);
        let call = derived.call(&accounts, &manifests, &terms, &licences);
        assert_eq!((call.parents[0].modelId, call.parents[0].licenceId), (U256::from(parent), U256::from(42)));
        assert_eq!(decoded.coAuthors[0].account, accounts[listing.co_author.unwrap().0]);
        assert_eq!(
            decoded.tiers.iter().map(|t| t.termsCid.as_str()).collect::<Vec<_>>(),
            ["bafkterms0", "bafkterms1", "bafkterms2"]
        );
    }

    #[test]
    fn the_card_names_its_model_and_keeps_the_rest() {
        let text = include_str!("../../../inference/cards/digits-small.json");
        let card: Value = serde_json::from_str(&card_with_model(text, "bafkreimodel").unwrap()).unwrap();
        let original: Value = serde_json::from_str(text).unwrap();
        assert_eq!(card["model"], "bafkreimodel");
        assert_eq!(card["io"], original["io"]);
        assert_eq!(card["name"], original["name"]);
        assert!(card_with_model("[]", "x").unwrap_err().contains("object"));
        assert!(card_with_model(r#"{"io":{}}"#, "x").unwrap_err().contains("no name"));
        assert!(card_with_model("{", "x").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn a_review_comment_is_a_json_text() {
        let comment: Value = serde_json::from_slice(&review_comment(REVIEWS[0].2)).unwrap();
        assert_eq!(comment, serde_json::json!({ "text": REVIEWS[0].2 }));
    }
}
