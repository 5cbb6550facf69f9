//! Every listing's lineage for the session (`assay_core::lineage::Lineage`): the market's
//! `ModelListed` logs are read once, on the first page that needs them, and afterwards only from
//! the last block seen — so the model and creator pages look parents and derivatives up instead of
//! decoding every listing on each visit.

use std::cell::RefCell;

use alloy_primitives::U256;
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;
use assay_core::lineage::{Lineage, Listed};

use super::Market;

thread_local! {
    static LINEAGE: RefCell<Lineage> = RefCell::new(Lineage::default());
}

/// Brings the session's lineage up to the latest block, then answers `with` from it.
pub async fn with<T>(market: &Market, with: impl FnOnce(&Lineage) -> T) -> Result<T, Failure> {
    let latest = market.rpc.block_number().await?;
    let from = LINEAGE.with(|l| l.borrow().next_block(market.deploy_block));
    if from <= latest {
        let filter = market.filter::<IAssayMarket::ModelListed>().from_block(from).to_block(latest);
        let logs = market.rpc.logs(&filter).await?;
        let listed: Vec<Listed> = logs
            .iter()
            .filter_map(|log| Listed::from_log(log.inner.data.topics(), &log.inner.data.data, log.transaction_hash))
            .collect();
        LINEAGE.with(|l| l.borrow_mut().apply(listed, latest));
    }
    Ok(LINEAGE.with(|l| with(&l.borrow())))
}

/// The transaction that listed `id` and the models listed with it as a parent (oldest first).
pub async fn of(market: &Market, id: U256) -> Result<(Option<alloy_primitives::B256>, Vec<U256>), Failure> {
    with(market, |lineage| (lineage.get(id).and_then(|l| l.transaction), lineage.derivatives_of(id))).await
}
