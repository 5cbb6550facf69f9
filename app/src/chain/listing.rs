//! What the model page needs beyond the catalogue's summary, read without a wallet: co-authors,
//! parents (with their current owners, who are paid), versions, the market's fee and treasury (for
//! the split a buyer sees before paying), the listing transaction and reviews — one JSON-RPC batch.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use assay_core::contracts::{IAssayERC721, IAssayMarket};
use assay_core::failure::Failure;
use assay_core::ipfs::ListedCid;
use assay_core::licence::{CoAuthorCut, ParentCut};

use super::Market;

/// A review as logged by the market; the comment text, if any, is on IPFS at `comment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewEntry {
    pub licence_id: U256,
    pub reviewer: Address,
    pub rating: u8,
    pub comment: Option<ListedCid>,
    pub block: u64,
}

/// A listing's on-chain details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListingDetails {
    pub market: Address,
    pub models: Address,
    pub co_authors: Vec<CoAuthorCut>,
    pub parents: Vec<ParentCut>,
    /// Manifest CIDs, oldest first; the last is the current version.
    pub versions: Vec<ListedCid>,
    pub fee_bps: u16,
    pub treasury: Address,
    /// The transaction that listed the model.
    pub listed_in: Option<B256>,
    /// Newest first.
    pub reviews: Vec<ReviewEntry>,
}

/// Reads everything for model `id`: the views and the model's own logs (its `ModelListed`, its
/// `Reviewed`) in one JSON-RPC batch, then the parents' current owners in a second one.
/// Derivatives are in [`super::lineage`].
pub async fn load(market: &Market, id: U256) -> Result<ListingDetails, Failure> {
    let (address, models) = (market.address, market.models);
    let listed = market.filter::<IAssayMarket::ModelListed>().topic1(B256::from(id));
    let reviewed = market.filter::<IAssayMarket::Reviewed>().topic2(B256::from(id));

    let mut batch = market.rpc.batch();
    let co_authors = batch.call(address, &IAssayMarket::coAuthorsOfCall { modelId: id })?;
    let parent_shares = batch.call(address, &IAssayMarket::parentsOfCall { modelId: id })?;
    let versions = batch.call(address, &IAssayMarket::versionsOfCall { modelId: id })?;
    let fee_bps = batch.call(address, &IAssayMarket::protocolFeeBpsCall {})?;
    let treasury = batch.call(address, &IAssayMarket::treasuryCall {})?;
    let listed = batch.logs(&listed)?;
    let reviewed = batch.logs(&reviewed)?;
    batch.send().await?;
    let co_authors = co_authors.answer().await?;
    let parent_shares = parent_shares.answer().await?;
    let versions = versions.answer().await?;
    let fee_bps = fee_bps.answer().await?;
    let treasury = treasury.answer().await?;
    let listed_in = listed.answer().await?.first().and_then(|log| log.transaction_hash);
    let logs = reviewed.answer().await?;

    let mut parents = Vec::with_capacity(parent_shares.len());
    if !parent_shares.is_empty() {
        let mut batch = market.rpc.batch();
        let owners = parent_shares
            .iter()
            .map(|share| batch.call(models, &IAssayERC721::ownerOfCall { tokenId: share.modelId }))
            .collect::<Result<Vec<_>, _>>()?;
        batch.send().await?;
        for (share, owner) in parent_shares.into_iter().zip(owners) {
            parents.push(ParentCut { model_id: share.modelId, owner: owner.answer().await?, bps: share.bps });
        }
    }

    let mut reviews: Vec<ReviewEntry> = logs
        .iter()
        .filter_map(|log| {
            let event = IAssayMarket::Reviewed::decode_log_data(&log.inner.data).ok()?;
            Some(ReviewEntry {
                licence_id: event.licenceId,
                reviewer: event.reviewer,
                rating: event.rating,
                comment: (!event.commentCid.is_empty()).then(|| ListedCid::parse(&event.commentCid)),
                block: log.block_number.unwrap_or_default(),
            })
        })
        .collect();
    reviews.reverse();

    Ok(ListingDetails {
        market: address,
        models,
        co_authors: co_authors.into_iter().map(|a| CoAuthorCut { account: a.account, bps: a.bps }).collect(),
        parents,
        versions: versions.iter().map(|v| ListedCid::parse(v)).collect(),
        fee_bps,
        treasury,
        listed_in,
        reviews,
    })
}

/// Whether `account` holds a valid licence of model `id`.
pub async fn has_licence(market: &Market, account: Address, id: U256) -> Result<bool, Failure> {
    market.read(IAssayMarket::hasLicenceCall { account, modelId: id }).await
}

/// The licences `account` holds, newest first (all pages).
pub async fn licences_of(market: &Market, account: Address) -> Result<Vec<IAssayMarket::LicenceView>, Failure> {
    let mut all = Vec::new();
    let mut cursor = U256::ZERO;
    loop {
        let page = market.read(IAssayMarket::licencesOfCall { account, cursor, limit: U256::from(100) }).await?;
        all.extend(page.page);
        if page.nextCursor >= page.end || page.nextCursor <= cursor {
            break;
        }
        cursor = page.nextCursor;
    }
    all.reverse();
    Ok(all)
}

/// An account's credits from the market (sales and renewals, refunds left out) — its own
/// (`Credited`: co-author shares, fees) and those of the models it owns (`EarningsCredited`: the
/// owner's part and parents' shares, whether claimed yet or not) — and each credited licence's
/// model: the inputs of `assay_core::earnings::summarize`.
pub async fn earnings_of(
    market: &Market,
    account: Address,
    owned: &[U256],
) -> Result<(Vec<assay_core::earnings::Credit>, std::collections::BTreeMap<U256, U256>), Failure> {
    use std::collections::{BTreeMap, BTreeSet};

    let credited = market.filter::<IAssayMarket::Credited>().topic1(account.into_word());
    let mut credit_logs: Vec<(_, U256, U256)> = Vec::new();
    for log in market.rpc.logs(&credited).await? {
        let Ok(event) = IAssayMarket::Credited::decode_log_data(&log.inner.data) else { continue };
        credit_logs.push((log, event.licenceId, event.amount));
    }
    if !owned.is_empty() {
        let models: Vec<B256> = owned.iter().map(|id| B256::from(*id)).collect();
        let earned = market.filter::<IAssayMarket::EarningsCredited>().topic1(models);
        for log in market.rpc.logs(&earned).await? {
            let Ok(event) = IAssayMarket::EarningsCredited::decode_log_data(&log.inner.data) else { continue };
            credit_logs.push((log, event.licenceId, event.amount));
        }
    }
    let purchased = market.filter::<IAssayMarket::LicencePurchased>();
    let model_of: BTreeMap<U256, U256> = market
        .events::<IAssayMarket::LicencePurchased>(&purchased)
        .await?
        .into_iter()
        .map(|(event, _)| (event.licenceId, event.modelId))
        .collect();
    // A reclaim credits the refund in its own transaction: those credits aren't revenue.
    let reclaimed = market.filter::<IAssayMarket::LicenceReclaimed>();
    let refunds: BTreeSet<B256> =
        market.rpc.logs(&reclaimed).await?.into_iter().filter_map(|log| log.transaction_hash).collect();
    let mut timestamps: BTreeMap<u64, u64> = BTreeMap::new();
    let mut credits = Vec::new();
    for (log, licence_id, amount) in credit_logs {
        if log.transaction_hash.is_some_and(|h| refunds.contains(&h)) {
            continue;
        }
        let block = log.block_number.unwrap_or_default();
        let timestamp = match log.block_timestamp.or_else(|| timestamps.get(&block).copied()) {
            Some(t) => t,
            None => {
                let time = market.rpc.block_time(Some(block)).await?;
                timestamps.insert(block, time);
                time
            }
        };
        credits.push(assay_core::earnings::Credit { licence_id, amount, timestamp });
    }
    Ok((credits, model_of))
}
