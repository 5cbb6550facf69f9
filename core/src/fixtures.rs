//! Listings for the tests of `browse`, `catalogue` and `lineage`: one summary shape, one tier shape.

use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, U256, address};

use crate::contracts::IAssayMarket::{ModelSummary, Tier};

pub const ALICE: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
pub const BOB: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");

/// A perpetual, unlimited, transferable, unpaused tier at `price_wei`.
pub fn tier(price_wei: u64, commercial: bool, derivatives: bool) -> Tier {
    Tier {
        price: U96::from(price_wei),
        duration: 0,
        maxSupply: 0,
        sold: 0,
        commercialUse: commercial,
        derivativesAllowed: derivatives,
        transferable: true,
        paused: false,
        termsCid: String::new(),
    }
}

/// Model `id` listed and owned by Alice, manifest `bafkrei{id}`, unrated, unsold, with `tiers`.
pub fn summary(id: u64, tiers: Vec<Tier>) -> ModelSummary {
    ModelSummary {
        id: U256::from(id),
        owner: ALICE,
        creator: ALICE,
        manifestCid: format!("bafkrei{id}"),
        encrypted: false,
        versionCount: 1,
        royaltyBps: 0,
        ratingSum: 0,
        ratingCount: 0,
        sales: 0,
        tiers,
        delisted: false,
    }
}
