//! Who is built on whom: every listing's creator, parents and listing transaction as its
//! `ModelListed` event tells them, indexed both ways (a model's parents, a model's derivatives).
//!
//! Parents are not an indexed topic of the event, so derivatives can only be found by reading
//! every `ModelListed` log once; [`Lineage`] keeps that for the session and takes further logs
//! from the last block seen, so a model or creator page costs a lookup, not a decode of the
//! whole chain's listings.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_sol_types::SolEvent;

use crate::contracts::IAssayMarket;

/// A listing as its `ModelListed` event tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub model_id: U256,
    pub creator: Address,
    pub parents: Vec<U256>,
    /// The transaction that listed the model.
    pub transaction: Option<B256>,
}

impl Listed {
    /// Decodes a `ModelListed` log; `None` for any other log.
    pub fn from_log(topics: &[B256], data: &Bytes, transaction: Option<B256>) -> Option<Listed> {
        let event = IAssayMarket::ModelListed::decode_raw_log(topics.iter().copied(), data).ok()?;
        Some(Listed {
            model_id: event.modelId,
            creator: event.creator,
            parents: event.parents.iter().map(|p| p.modelId).collect(),
            transaction,
        })
    }
}

/// Every listing's lineage up to a block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lineage {
    listed: BTreeMap<U256, Listed>,
    derivatives: BTreeMap<U256, BTreeSet<U256>>,
    synced_to: Option<u64>,
}

impl Lineage {
    /// The last block whose `ModelListed` logs are in; `None` before the first read.
    pub fn synced_to(&self) -> Option<u64> {
        self.synced_to
    }

    /// The first block whose logs are still to be read, given the market's deployment block.
    pub fn next_block(&self, deploy_block: u64) -> u64 {
        self.synced_to.map_or(deploy_block, |b| b + 1)
    }

    /// Adds the listings read from the logs of blocks up to `to_block` (a listing seen again
    /// replaces itself).
    pub fn apply(&mut self, listed: impl IntoIterator<Item = Listed>, to_block: u64) {
        for entry in listed {
            if let Some(old) = self.listed.remove(&entry.model_id) {
                for parent in &old.parents {
                    if let Some(children) = self.derivatives.get_mut(parent) {
                        children.remove(&old.model_id);
                    }
                }
            }
            for parent in &entry.parents {
                self.derivatives.entry(*parent).or_default().insert(entry.model_id);
            }
            self.listed.insert(entry.model_id, entry);
        }
        self.synced_to = Some(self.synced_to.map_or(to_block, |b| b.max(to_block)));
    }

    /// How many listings are known.
    pub fn len(&self) -> usize {
        self.listed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    /// One listing's event.
    pub fn get(&self, id: U256) -> Option<&Listed> {
        self.listed.get(&id)
    }

    /// The models listed with `id` as a parent, oldest first.
    pub fn derivatives_of(&self, id: U256) -> Vec<U256> {
        self.derivatives.get(&id).map(|set| set.iter().copied().collect()).unwrap_or_default()
    }

    /// The listings by someone other than `creator` that name one of `models` as a parent,
    /// oldest first: what others built on a creator's work.
    pub fn built_on(&self, models: &BTreeSet<U256>, creator: Address) -> Vec<&Listed> {
        let ids: BTreeSet<U256> =
            models.iter().flat_map(|m| self.derivatives.get(m).into_iter().flatten().copied()).collect();
        ids.iter().filter_map(|id| self.listed.get(id)).filter(|l| l.creator != creator).collect()
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;

    use super::*;
    use crate::contracts::IAssayMarket::{ModelListed, ParentShare, Reviewed};
    use crate::fixtures::{ALICE, BOB};

    fn u(n: u64) -> U256 {
        U256::from(n)
    }

    fn listed_log(id: u64, creator: Address, parents: &[u64]) -> (Vec<B256>, Bytes) {
        let event = ModelListed {
            modelId: u(id),
            creator,
            manifestCid: format!("bafkrei{id}"),
            keyCommitment: B256::ZERO,
            royaltyBps: 0,
            coAuthors: vec![],
            parents: parents.iter().map(|p| ParentShare { modelId: u(*p), bps: 1000, licenceId: U256::ZERO }).collect(),
        };
        let data = event.encode_log_data();
        (data.topics().to_vec(), data.data)
    }

    fn listed(id: u64, creator: Address, parents: &[u64]) -> Listed {
        let (topics, data) = listed_log(id, creator, parents);
        Listed::from_log(&topics, &data, Some(B256::repeat_byte(id as u8))).unwrap()
    }

    #[test]
    fn a_listing_log_decodes_with_its_parents_and_transaction() {
        let entry = listed(7, BOB, &[1, 3]);
        assert_eq!(
            entry,
            Listed { model_id: u(7), creator: BOB, parents: vec![u(1), u(3)], transaction: Some(B256::repeat_byte(7)) }
        );
        let review = Reviewed { licenceId: u(1), modelId: u(1), reviewer: BOB, rating: 5, commentCid: String::new() }
            .encode_log_data();
        assert_eq!(Listed::from_log(review.topics(), &review.data, None), None);
    }

    #[test]
    fn derivatives_and_what_others_built_are_found_both_ways() {
        let mut lineage = Lineage::default();
        assert_eq!((lineage.synced_to(), lineage.next_block(5)), (None, 5));
        lineage
            .apply([listed(1, ALICE, &[]), listed(2, ALICE, &[1]), listed(3, BOB, &[1]), listed(4, BOB, &[2, 3])], 20);
        assert_eq!((lineage.synced_to(), lineage.next_block(5), lineage.len()), (Some(20), 21, 4));
        assert_eq!(lineage.derivatives_of(u(1)), vec![u(2), u(3)]);
        assert_eq!(lineage.derivatives_of(u(3)), vec![u(4)]);
        assert!(lineage.derivatives_of(u(4)).is_empty());
        assert_eq!(lineage.get(u(4)).unwrap().parents, vec![u(2), u(3)]);
        let alices: BTreeSet<U256> = [u(1), u(2)].into();
        let built: Vec<U256> = lineage.built_on(&alices, ALICE).iter().map(|l| l.model_id).collect();
        assert_eq!(built, vec![u(3), u(4)]);
        let carol = address!("3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
        assert!(lineage.built_on(&[u(4)].into(), carol).is_empty());
    }

    #[test]
    fn later_blocks_add_and_a_replayed_log_changes_nothing() {
        let mut lineage = Lineage::default();
        lineage.apply([listed(1, ALICE, &[]), listed(2, BOB, &[1])], 10);
        let before = lineage.clone();
        lineage.apply([listed(2, BOB, &[1])], 10);
        assert_eq!(lineage, before);
        lineage.apply([listed(3, BOB, &[1])], 12);
        assert_eq!(lineage.derivatives_of(u(1)), vec![u(2), u(3)]);
        // Nothing new in later blocks still moves the sync point.
        lineage.apply([], 15);
        assert_eq!(lineage.synced_to(), Some(15));
    }
}
