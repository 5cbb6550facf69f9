//! Sending the plan: the terms, models, cards and review comments to the IPFS node, the real
//! listings, purchases and reviews to the market one transaction at a time (each receipt must say
//! status 1), then the synthetic listings in batches (`synthetic`).

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use assay_core::contracts::IAssayMarket;
use assay_inference::card::EvalResult;
use serde_json::Value;

use super::Summary;
use super::claims::{self, EvaluationSet, OVERSTATED};
use super::plan::{self, LISTINGS, Offer, PURCHASES, REVIEWS};
use crate::kubo::Kubo;
use crate::paths::Paths;
use crate::process::Result;
use crate::rpc::Market;

pub struct Seeder<'a> {
    pub paths: &'a Paths,
    pub market: Market,
    pub ipfs: Kubo,
    /// anvil's dev accounts (#0 deployed the contracts on the dev stack; the rehearsal deploys from a key of its own).
    pub accounts: Vec<Address>,
    /// `AssayModeration`, when the deployment has one.
    pub moderation: Option<Market>,
}

impl Seeder<'_> {
    /// The real catalogue, then `synthetic` listings.
    pub fn seed(&self, synthetic: usize) -> Result<Summary> {
        let terms = self.upload_terms()?;
        let claimed = super::evaluation::publish(self.paths, &self.ipfs)?;
        let mut ids: BTreeMap<&str, u64> = BTreeMap::new();
        let mut manifests = Vec::new();
        let mut derived_under = Vec::new();
        for listing in &LISTINGS {
            let results: Vec<_> = claimed.results.get(listing.stem).cloned().into_iter().collect();
            let manifest = self.upload_card(listing.stem, &results)?;
            let parent_licence = match listing.parent.and_then(|(stem, _)| Some((stem, *ids.get(stem)?))) {
                Some((stem, id)) => {
                    let licence = self.derivation_licence(listing.creator, stem, id)?;
                    if !licence.is_zero() {
                        derived_under.push((listing.creator, id));
                    }
                    licence
                }
                None => U256::ZERO,
            };
            let call = listing.call(&self.accounts, &manifest, &terms, &ids, parent_licence)?;
            let what = format!("listing {} from dev account #{}", listing.stem, listing.creator);
            let receipt = self.market.transact(self.accounts[listing.creator], call.abi_encode(), U256::ZERO, &what)?;
            let id = event_id(&receipt, self.market.address, IAssayMarket::ModelListed::SIGNATURE_HASH)
                .ok_or_else(|| format!("{what}: the receipt has no ModelListed event"))?;
            ids.insert(listing.stem, id);
            manifests.push(manifest);
        }
        self.list_overstated(&terms, &claimed.overstated)?;
        let overstated = self.market.model_count()?;
        // The copy to be delisted, only where the deployment moderates.
        let copy = match &self.moderation {
            Some(_) => Some(self.list_copy(&terms)?),
            None => None,
        };

        let mut licences = Vec::new();
        for (buyer, stem, tier) in PURCHASES {
            let call = IAssayMarket::buyLicenseCall {
                modelId: U256::from(ids[stem]),
                tierId: U256::from(tier),
                buyerKey: B256::ZERO,
                keySalt: B256::ZERO,
            };
            let what = format!("buying tier {tier} of {stem} as dev account #{buyer}");
            let price = plan::listing(stem).price(tier);
            let receipt = self.market.transact(self.accounts[buyer], call.abi_encode(), price, &what)?;
            let licence = event_id(&receipt, self.market.address, IAssayMarket::LicencePurchased::SIGNATURE_HASH)
                .ok_or_else(|| format!("{what}: the receipt has no LicencePurchased event"))?;
            licences.push((buyer, licence));
        }

        for (purchase, rating, text) in REVIEWS {
            let (reviewer, licence) = licences[purchase];
            let comment_cid = self.ipfs.add_checked(&format!("review-{licence}.json"), &plan::review_comment(text))?;
            let call = IAssayMarket::reviewCall { licenceId: U256::from(licence), rating, commentCid: comment_cid };
            let what = format!("reviewing licence {licence} as dev account #{reviewer}");
            self.market.transact(self.accounts[reviewer], call.abi_encode(), U256::ZERO, &what)?;
        }

        // The overstated copy, reported as misrepresented: a case awaiting its owner's response;
        // the copy of magika, reported as infringing by magika's creator and delisted by the council.
        let (reported, delisted) = match (&self.moderation, copy) {
            (Some(moderation), Some(copy)) => {
                super::moderation::flag(moderation, &self.ipfs, &self.accounts, overstated)?;
                let original = plan::listing(super::moderation::COPY.stem).creator;
                super::moderation::delist_copy(moderation, &self.ipfs, &self.accounts, copy, original)?;
                (Some(overstated), Some(copy))
            }
            _ => (None, None),
        };

        if synthetic > 0 {
            let parents: Vec<u64> = ids.values().copied().collect();
            let plan = plan::plan_synthetic(synthetic, manifests.len(), &parents);
            // Each creator deriving from a real model it doesn't own holds one licence of it.
            let mut derivations = BTreeMap::new();
            for (creator, parent) in plan.iter().filter_map(|l| Some((l.creator, l.parent?.0))) {
                if let std::collections::btree_map::Entry::Vacant(entry) = derivations.entry((creator, parent)) {
                    let stem = ids.iter().find(|(_, id)| **id == parent).map(|(stem, _)| *stem).expect("a real model");
                    let licence = self.derivation_licence(creator, stem, parent)?;
                    if !licence.is_zero() {
                        derived_under.push((creator, parent));
                    }
                    entry.insert(licence);
                }
            }
            super::synthetic::send(&self.market, &self.accounts, &plan, &manifests, &terms, &derivations)?;
        }
        Ok(Summary {
            models: LISTINGS.len() + 1 + usize::from(copy.is_some()),
            evaluation_sets: EvaluationSet::ALL.len(),
            creators: plan::creator_count() + usize::from(copy.is_some()),
            licences: licences.len(),
            reviews: REVIEWS.len(),
            synthetic,
            derived_under,
            reported,
            delisted,
        })
    }

    /// The listing whose card overstates its accuracy (`claims::OVERSTATED`): the model's file
    /// again, under the copied card renamed and claiming `overstated`.
    fn list_overstated(&self, terms: &[String], overstated: &EvalResult) -> Result<()> {
        let listing = &OVERSTATED.listing;
        let stem = listing.stem;
        let model_cid = self.ipfs.add_checked(&format!("{stem}.onnx"), &self.model_bytes(stem)?)?;
        let card_file = self.paths.root.join("inference/cards").join(format!("{stem}.json"));
        let text = std::fs::read_to_string(&card_file).map_err(|e| format!("{}: {e}", card_file.display()))?;
        let card = claims::overstated_card(&text)
            .and_then(|card| plan::card_with_model(&card, &model_cid))
            .and_then(|card| claims::card_with_results(&card, std::slice::from_ref(overstated)))
            .map_err(|e| format!("{}: {e}", card_file.display()))?;
        let manifest = self.ipfs.add_checked(&format!("{stem}-overstated.json"), card.as_bytes())?;
        let call = listing.call(&self.accounts, &manifest, terms, &BTreeMap::new(), U256::ZERO)?;
        let what = format!("listing {stem} again with an overstated card from dev account #{}", listing.creator);
        self.market.transact(self.accounts[listing.creator], call.abi_encode(), U256::ZERO, &what)?;
        Ok(())
    }

    /// The copy of a real model (`moderation::COPY`) listed by another account; its id.
    fn list_copy(&self, terms: &[String]) -> Result<u64> {
        let listing = &super::moderation::COPY;
        let model_cid = self.ipfs.add_checked(&format!("{}.onnx", listing.stem), &self.model_bytes(listing.stem)?)?;
        let card_file = self.paths.root.join("inference/cards").join(format!("{}.json", listing.stem));
        let text = std::fs::read_to_string(&card_file).map_err(|e| format!("{}: {e}", card_file.display()))?;
        let card = super::moderation::copy_card(&text)
            .and_then(|card| plan::card_with_model(&card, &model_cid))
            .map_err(|e| format!("{}: {e}", card_file.display()))?;
        let manifest = self.ipfs.add_checked(&format!("{}-copy.json", listing.stem), card.as_bytes())?;
        let call = listing.call(&self.accounts, &manifest, terms, &BTreeMap::new(), U256::ZERO)?;
        let what = format!("listing a copy of {} from dev account #{}", listing.stem, listing.creator);
        let receipt = self.market.transact(self.accounts[listing.creator], call.abi_encode(), U256::ZERO, &what)?;
        event_id(&receipt, self.market.address, IAssayMarket::ModelListed::SIGNATURE_HASH)
            .ok_or_else(|| format!("{what}: the receipt has no ModelListed event"))
    }

    /// The licence dev account `creator` derives from real model `stem` (id `id`) under: none (0)
    /// when it created the model, else one of its derivation tier, bought now.
    fn derivation_licence(&self, creator: usize, stem: &str, id: u64) -> Result<U256> {
        let parent = plan::listing(stem);
        if parent.creator == creator {
            return Ok(U256::ZERO);
        }
        let tier = parent.derivation_tier();
        let call = IAssayMarket::buyLicenseCall {
            modelId: U256::from(id),
            tierId: U256::from(tier),
            buyerKey: B256::ZERO,
            keySalt: B256::ZERO,
        };
        let what = format!("buying tier {tier} of {stem} as dev account #{creator}, to derive from it");
        let receipt = self.market.transact(self.accounts[creator], call.abi_encode(), parent.price(tier), &what)?;
        let licence = event_id(&receipt, self.market.address, IAssayMarket::LicencePurchased::SIGNATURE_HASH)
            .ok_or_else(|| format!("{what}: the receipt has no LicencePurchased event"))?;
        Ok(U256::from(licence))
    }

    /// The three terms documents; their CIDs in `Offer::ALL` order.
    fn upload_terms(&self) -> Result<Vec<String>> {
        Offer::ALL
            .iter()
            .map(|offer| {
                let (name, text) = offer.terms();
                self.ipfs.add_checked(name, text.as_bytes())
            })
            .collect()
    }

    /// Adds `<stem>.onnx`, then its card naming it and carrying `results` (none: the card as it
    /// is); returns the card's CID.
    fn upload_card(&self, stem: &str, results: &[EvalResult]) -> Result<String> {
        let model_cid = self.ipfs.add_checked(&format!("{stem}.onnx"), &self.model_bytes(stem)?)?;
        let card_file = self.paths.root.join("inference/cards").join(format!("{stem}.json"));
        let text = std::fs::read_to_string(&card_file).map_err(|e| format!("{}: {e}", card_file.display()))?;
        let mut card = plan::card_with_model(&text, &model_cid).map_err(|e| format!("{}: {e}", card_file.display()))?;
        if !results.is_empty() {
            card = claims::card_with_results(&card, results).map_err(|e| format!("{}: {e}", card_file.display()))?;
        }
        self.ipfs.add_checked(&format!("{stem}.json"), card.as_bytes())
    }

    /// `<stem>.onnx`'s bytes.
    fn model_bytes(&self, stem: &str) -> Result<Vec<u8>> {
        let file = super::evaluation::model_file(self.paths, stem);
        std::fs::read(&file).map_err(|e| {
            format!("{}: {e} (`cargo xtask install` runs inference/models/setup.py, which makes it)", file.display())
        })
    }
}

/// The id in topic 1 of the first `event` log emitted by `contract` in `receipt`.
fn event_id(receipt: &Value, contract: Address, event: B256) -> Option<u64> {
    receipt["logs"].as_array()?.iter().find_map(|log| {
        let address: Address = log["address"].as_str()?.parse().ok()?;
        let topics = log["topics"].as_array()?;
        let topic0: B256 = topics.first()?.as_str()?.parse().ok()?;
        if address != contract || topic0 != event {
            return None;
        }
        let id: U256 = topics.get(1)?.as_str()?.parse().ok()?;
        u64::try_from(id).ok()
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn event_ids_are_read_from_the_market_s_logs_only() {
        let market = Address::repeat_byte(0xaa);
        let topic = IAssayMarket::ModelListed::SIGNATURE_HASH;
        let log = |address: Address, topic0: B256, id: u64| json!({ "address": address, "topics": [topic0, B256::from(U256::from(id)), B256::ZERO] });
        let receipt = json!({ "logs": [log(Address::repeat_byte(1), topic, 9), log(market, B256::ZERO, 8), log(market, topic, 3)] });
        assert_eq!(event_id(&receipt, market, topic), Some(3));
        assert_eq!(event_id(&json!({ "logs": [] }), market, topic), None);
    }
}
