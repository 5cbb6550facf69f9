//! The catalogue cache: every listed model's [`ModelSummary`], loaded through the market's paged
//! view (`modelsPage`) and then kept current from the contracts' events (`eth_getLogs` from the
//! last block seen) without reloading everything.
//!
//! Events whose effect is fully known are applied in place (price, pause, a sale, a review, a new
//! version or tier, a model NFT transfer); the others (a new listing, a reclaim, anything about a
//! model not cached yet) name the models to re-read with `model(id)`.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_sol_types::{SolEvent, SolEventInterface};

use crate::contracts::IAssayERC721;
use crate::contracts::IAssayMarket::{self, IAssayMarketEvents as Event, ModelSummary, Tier};
use crate::ipfs::ListedCid;

/// Models fetched per `modelsPage` call; pages go out together as one JSON-RPC batch.
pub const PAGE_SIZE: u64 = 25;

/// A listing's manifest — its model card — as the chain names it, read as a CID.
pub trait Manifest {
    fn manifest(&self) -> ListedCid;
}

impl Manifest for ModelSummary {
    fn manifest(&self) -> ListedCid {
        ListedCid::parse(&self.manifestCid)
    }
}

/// A log as returned by `eth_getLogs`, reduced to what the cache needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawLog {
    pub address: Address,
    pub topics: Vec<B256>,
    pub data: Bytes,
    pub block: u64,
}

/// The `(offset, limit)` of each `modelsPage` call that loads `total` models.
pub fn pages(total: u64, page_size: u64) -> Vec<(u64, u64)> {
    let page_size = page_size.max(1);
    (0..total.div_ceil(page_size)).map(|i| (i * page_size, page_size.min(total - i * page_size))).collect()
}

/// Listings by id, and the block up to which events are applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    models: BTreeMap<U256, ModelSummary>,
    /// Events of blocks up to and including this one are reflected.
    synced_to: u64,
    /// That block's hash, when known: a reorg that replaced it (or any block before it) is
    /// seen as a different hash at the same height, and the catalogue is read again.
    synced_hash: Option<B256>,
}

impl Catalogue {
    /// An empty catalogue, synced to `block` (the block the first pages are read at).
    pub fn new(block: u64) -> Self {
        Self { models: BTreeMap::new(), synced_to: block, synced_hash: None }
    }

    /// Records the hash of the block the catalogue is synced to.
    pub fn at_hash(mut self, hash: B256) -> Self {
        self.synced_hash = Some(hash);
        self
    }

    /// Whether the chain still has the block the catalogue was synced to, given the hash it now
    /// has at that height (`None`: no block there any more). A reorg that dropped or replaced it
    /// may have taken listings or changes with it: the catalogue must be read again, not
    /// patched with events (which would keep a listing that no longer exists). Unknown when no
    /// hash was recorded: assumed still there.
    pub fn still_on(&self, hash_now: Option<B256>) -> bool {
        match self.synced_hash {
            None => true,
            Some(recorded) => hash_now == Some(recorded),
        }
    }

    /// The last block whose events are reflected; the next `eth_getLogs` starts after it.
    pub fn synced_to(&self) -> u64 {
        self.synced_to
    }

    /// Number of listed models known.
    pub fn len(&self) -> usize {
        self.models.len()
    }

    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }

    /// Listings, by id.
    pub fn models(&self) -> impl Iterator<Item = &ModelSummary> {
        self.models.values()
    }

    /// One listing.
    pub fn get(&self, id: U256) -> Option<&ModelSummary> {
        self.models.get(&id)
    }

    /// Stores (or replaces) listings read from `modelsPage` or `model(id)`.
    pub fn insert(&mut self, summaries: impl IntoIterator<Item = ModelSummary>) {
        for summary in summaries {
            self.models.insert(summary.id, summary);
        }
    }

    /// Applies the logs of blocks `synced_to + 1 ..= to_block` (from the market and the model NFT
    /// contract) and returns the ids of models that must be re-read.
    pub fn apply(&mut self, market: Address, models: Address, logs: &[RawLog], to_block: u64) -> BTreeSet<U256> {
        let mut refetch = BTreeSet::new();
        let from = self.synced_to;
        for log in logs.iter().filter(|log| log.block > from && log.block <= to_block) {
            if log.address == market
                && let Ok(event) = Event::decode_raw_log(&log.topics, &log.data)
            {
                self.apply_market(event, &mut refetch);
            } else if log.address == models
                && let Ok(transfer) = IAssayERC721::Transfer::decode_raw_log(log.topics.iter().copied(), &log.data)
                // Minting is covered by `ModelListed`; later transfers change the owner.
                && !transfer.from.is_zero()
            {
                match self.models.get_mut(&transfer.tokenId) {
                    Some(model) => model.owner = transfer.to,
                    None => {
                        refetch.insert(transfer.tokenId);
                    }
                }
            }
        }
        if to_block > self.synced_to {
            self.synced_to = to_block;
            self.synced_hash = None;
        }
        refetch
    }

    fn apply_market(&mut self, event: Event, refetch: &mut BTreeSet<U256>) {
        let id = match &event {
            Event::ModelListed(e) => e.modelId,
            Event::VersionPublished(e) => e.modelId,
            Event::TierAdded(e) => e.modelId,
            Event::TierPriceChanged(e) => e.modelId,
            Event::TierPausedSet(e) => e.modelId,
            Event::LicencePurchased(e) => e.modelId,
            Event::LicenceReclaimed(e) => e.modelId,
            Event::DeliveryChallenged(e) => e.modelId,
            Event::Reviewed(e) => e.modelId,
            Event::ModelDelisted(e) => e.modelId,
            // No catalogue field changes.
            Event::LicenceRenewed(_) | Event::Credited(_) | Event::KeyDelivered(_) | Event::Withdrawn(_) => return,
            Event::EscrowHeld(_) | Event::EscrowReleased(_) | Event::ChallengePeriodSet(_) => return,
            Event::MarketDeployed(_) | Event::EarningsCredited(_) | Event::EarningsClaimed(_) => return,
        };
        let Some(model) = self.models.get_mut(&id) else {
            refetch.insert(id);
            return;
        };
        let applied = match event {
            Event::VersionPublished(e) => {
                model.manifestCid = e.manifestCid;
                let count = u32::try_from(e.version.saturating_add(U256::from(1))).unwrap_or(u32::MAX);
                model.versionCount = model.versionCount.max(count);
                true
            }
            Event::TierAdded(e) if e.tierId == U256::from(model.tiers.len()) => {
                let t = e.tier;
                model.tiers.push(Tier {
                    price: t.price,
                    duration: t.duration,
                    maxSupply: t.maxSupply,
                    sold: 0,
                    commercialUse: t.commercialUse,
                    derivativesAllowed: t.derivativesAllowed,
                    transferable: t.transferable,
                    paused: false,
                    termsCid: t.termsCid,
                });
                true
            }
            Event::TierPriceChanged(e) => tier_mut(model, e.tierId).map(|tier| tier.price = e.newPrice).is_some(),
            Event::TierPausedSet(e) => tier_mut(model, e.tierId).map(|tier| tier.paused = e.paused).is_some(),
            Event::LicencePurchased(e) => match tier_mut(model, e.tierId) {
                Some(tier) => {
                    tier.sold = tier.sold.saturating_add(1);
                    model.sales = model.sales.saturating_add(1);
                    true
                }
                None => false,
            },
            Event::ModelDelisted(_) => {
                model.delisted = true;
                true
            }
            Event::Reviewed(e) => {
                model.ratingSum = model.ratingSum.saturating_add(u64::from(e.rating));
                model.ratingCount = model.ratingCount.saturating_add(1);
                true
            }
            // A new listing (tiers are not in the event), a reclaim or a successful challenge (the tier is
            // not in the event),
            // a tier added out of order.
            _ => false,
        };
        if !applied {
            refetch.insert(id);
        }
    }
}

fn tier_mut(model: &mut ModelSummary, tier_id: U256) -> Option<&mut Tier> {
    let index = usize::try_from(tier_id).ok()?;
    model.tiers.get_mut(index)
}

/// The event signatures (topic 0) the catalogue listens to, for the `eth_getLogs` filter.
pub fn market_topics() -> Vec<B256> {
    vec![
        IAssayMarket::ModelListed::SIGNATURE_HASH,
        IAssayMarket::VersionPublished::SIGNATURE_HASH,
        IAssayMarket::TierAdded::SIGNATURE_HASH,
        IAssayMarket::TierPriceChanged::SIGNATURE_HASH,
        IAssayMarket::TierPausedSet::SIGNATURE_HASH,
        IAssayMarket::LicencePurchased::SIGNATURE_HASH,
        IAssayMarket::LicenceReclaimed::SIGNATURE_HASH,
        IAssayMarket::Reviewed::SIGNATURE_HASH,
        IAssayMarket::ModelDelisted::SIGNATURE_HASH,
        IAssayERC721::Transfer::SIGNATURE_HASH,
    ]
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;
    use alloy_primitives::aliases::U96;

    use super::*;
    use crate::contracts::IAssayMarket::TierInput;
    use crate::fixtures::{self, ALICE, BOB};

    const MARKET: Address = address!("5FbDB2315678afecb367f032d93F642f64180aa3");
    const MODELS: Address = address!("a16E02E87b7454126E5E10d957A927A7F5B5d2be");

    fn u(n: u64) -> U256 {
        U256::from(n)
    }

    fn summary(id: u64) -> ModelSummary {
        fixtures::summary(id, vec![fixtures::tier(100, true, false)])
    }

    fn log(address: Address, event: impl SolEvent, block: u64) -> RawLog {
        let data = event.encode_log_data();
        RawLog { address, topics: data.topics().to_vec(), data: data.data, block }
    }

    #[test]
    fn a_reorg_under_the_synced_block_means_reading_the_catalogue_again() {
        let (a, b) = (B256::repeat_byte(1), B256::repeat_byte(2));
        let catalogue = Catalogue::new(10).at_hash(a);
        assert!(catalogue.still_on(Some(a)));
        assert!(!catalogue.still_on(Some(b)), "another block at that height: a reorg");
        assert!(!catalogue.still_on(None), "no block there any more");
        assert!(Catalogue::new(10).still_on(Some(b)), "no hash recorded: nothing to compare");
        // Applying events to a later block forgets the old hash until the new one is recorded.
        let mut moved = Catalogue::new(10).at_hash(a);
        moved.apply(Address::ZERO, Address::ZERO, &[], 12);
        assert_eq!(moved.synced_to(), 12);
        assert!(moved.still_on(Some(b)));
        assert!(!moved.at_hash(a).still_on(Some(b)));
    }

    #[test]
    fn pages_cover_every_model_once() {
        assert_eq!(pages(0, 25), vec![]);
        assert_eq!(pages(25, 25), vec![(0, 25)]);
        assert_eq!(pages(60, 25), vec![(0, 25), (25, 25), (50, 10)]);
    }

    #[test]
    fn known_effects_apply_in_place() {
        let mut catalogue = Catalogue::new(10);
        catalogue.insert([summary(1), summary(2)]);
        let logs = vec![
            log(
                MARKET,
                IAssayMarket::TierPriceChanged {
                    modelId: u(1),
                    tierId: u(0),
                    oldPrice: U96::from(100u64),
                    newPrice: U96::from(250u64),
                },
                11,
            ),
            log(
                MARKET,
                IAssayMarket::LicencePurchased {
                    licenceId: u(1),
                    modelId: u(1),
                    buyer: BOB,
                    tierId: u(0),
                    price: u(250),
                    expiresAt: 0,
                    buyerKey: B256::ZERO,
                    escrowed: false,
                },
                11,
            ),
            log(
                MARKET,
                IAssayMarket::Reviewed {
                    licenceId: u(1),
                    modelId: u(1),
                    reviewer: BOB,
                    rating: 4,
                    commentCid: String::new(),
                },
                12,
            ),
            log(
                MARKET,
                IAssayMarket::VersionPublished {
                    modelId: u(2),
                    version: u(1),
                    manifestCid: "bafkreiv2".into(),
                    publisher: ALICE,
                },
                12,
            ),
            log(MARKET, IAssayMarket::TierPausedSet { modelId: u(2), tierId: u(0), paused: true }, 12),
            log(
                MARKET,
                IAssayMarket::TierAdded {
                    modelId: u(2),
                    tierId: u(1),
                    tier: TierInput {
                        price: U96::from(7u64),
                        duration: 60,
                        maxSupply: 3,
                        commercialUse: false,
                        derivativesAllowed: true,
                        transferable: false,
                        termsCid: "t".into(),
                    },
                },
                13,
            ),
            log(MODELS, IAssayERC721::Transfer { from: ALICE, to: BOB, tokenId: u(2) }, 13),
            log(MARKET, IAssayMarket::ModelDelisted { modelId: u(2) }, 13),
            // Irrelevant to the catalogue.
            log(MARKET, IAssayMarket::Withdrawn { account: ALICE, amount: u(5) }, 13),
        ];
        let refetch = catalogue.apply(MARKET, MODELS, &logs, 13);
        assert!(refetch.is_empty(), "{refetch:?}");
        assert_eq!(catalogue.synced_to(), 13);
        let one = catalogue.get(u(1)).unwrap();
        assert_eq!(one.tiers[0].price, U96::from(250u64));
        assert_eq!((one.tiers[0].sold, one.sales), (1, 1));
        assert_eq!((one.ratingSum, one.ratingCount), (4, 1));
        let two = catalogue.get(u(2)).unwrap();
        assert_eq!((two.manifestCid.as_str(), two.versionCount), ("bafkreiv2", 2));
        assert!(two.tiers[0].paused);
        assert_eq!(two.tiers.len(), 2);
        assert_eq!((two.tiers[1].price, two.tiers[1].maxSupply, two.tiers[1].sold), (U96::from(7u64), 3, 0));
        assert_eq!(two.owner, BOB);
        assert_eq!(two.creator, ALICE);
        assert!(two.delisted && !one.delisted);
    }

    #[test]
    fn unknown_effects_ask_for_a_re_read() {
        let mut catalogue = Catalogue::new(10);
        catalogue.insert([summary(1)]);
        let logs = vec![
            log(
                MARKET,
                IAssayMarket::ModelListed {
                    modelId: u(2),
                    creator: BOB,
                    manifestCid: "bafkreinew".into(),
                    keyCommitment: B256::ZERO,
                    royaltyBps: 0,
                    coAuthors: vec![],
                    parents: vec![],
                },
                11,
            ),
            log(
                MARKET,
                IAssayMarket::LicenceReclaimed { licenceId: u(3), modelId: u(1), buyer: BOB, refund: u(100) },
                11,
            ),
            // About a model the cache has not seen.
            log(MARKET, IAssayMarket::TierPausedSet { modelId: u(9), tierId: u(0), paused: true }, 12),
        ];
        let refetch = catalogue.apply(MARKET, MODELS, &logs, 12);
        assert_eq!(refetch, [u(1), u(2), u(9)].into_iter().collect());
        catalogue.insert([summary(2)]);
        assert_eq!(catalogue.len(), 2);
    }

    #[test]
    fn logs_already_applied_or_from_other_contracts_are_ignored() {
        let mut catalogue = Catalogue::new(10);
        catalogue.insert([summary(1)]);
        let reviewed = IAssayMarket::Reviewed {
            licenceId: u(1),
            modelId: u(1),
            reviewer: BOB,
            rating: 5,
            commentCid: String::new(),
        };
        let logs = vec![
            log(MARKET, reviewed.clone(), 10), // at the block the pages were read at: already counted
            log(BOB, reviewed.clone(), 11),    // same event from another contract
            log(MARKET, reviewed, 11),
        ];
        catalogue.apply(MARKET, MODELS, &logs, 11);
        catalogue.apply(MARKET, MODELS, &logs, 11); // replaying the same range changes nothing
        assert_eq!(catalogue.get(u(1)).unwrap().ratingCount, 1);
    }

    #[test]
    fn a_manifest_is_read_as_a_cid_or_kept_as_written() {
        let card = crate::ipfs::cid_of(b"card");
        let listed = ModelSummary { manifestCid: card.to_string(), ..summary(1) };
        assert_eq!(listed.manifest(), ListedCid::Valid(card));
        let broken = summary(2);
        assert_eq!(broken.manifest().valid(), None, "{:?} is not a CID", broken.manifestCid);
        assert_eq!(broken.manifest().to_string(), broken.manifestCid);
    }
}
