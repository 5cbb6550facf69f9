//! What the model page needs beyond the catalogue's summary, read without a wallet: co-authors,
//! parents (with their current owners, who are paid), versions, the market's fee and treasury (for
//! the split a buyer sees before paying), the listing transaction and reviews — one JSON-RPC batch.

use alloy_primitives::{Address, B256, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::{Filter, Log};
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::{IAssayERC721, IAssayMarket};
use assay_core::failure::Failure;
use assay_core::licence::{CoAuthorCut, ParentCut};

use super::{batched, contract, failure, read, read_provider};

/// A review as logged by the market; the comment text is on IPFS at `comment_cid`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewEntry {
    pub licence_id: U256,
    pub reviewer: Address,
    pub rating: u8,
    pub comment_cid: String,
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
    pub versions: Vec<String>,
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
pub async fn load(config: &RuntimeConfig, id: U256) -> Result<ListingDetails, Failure> {
    let url = config.rpc_url.clone();
    let (Some(market), Some(models)) = (contract(config, "AssayMarket"), contract(config, "AssayModels")) else {
        return Err(Failure::Other { detail: "no marketplace contracts are configured for this network".into() });
    };
    let provider = read_provider(&url);
    let logs_of = |signature: B256, topic: fn(Filter, B256) -> Filter| {
        topic(Filter::new().address(market).event_signature(signature).from_block(config.deploy_block), B256::from(id))
    };
    let listed = logs_of(IAssayMarket::ModelListed::SIGNATURE_HASH, |f, t| f.topic1(t));
    let reviewed = logs_of(IAssayMarket::Reviewed::SIGNATURE_HASH, |f, t| f.topic2(t));

    let mut batch = alloy_rpc_client::BatchRequest::new(provider.client());
    let co_authors = batched(&mut batch, &url, market, &IAssayMarket::coAuthorsOfCall { modelId: id })?;
    let parent_shares = batched(&mut batch, &url, market, &IAssayMarket::parentsOfCall { modelId: id })?;
    let versions = batched(&mut batch, &url, market, &IAssayMarket::versionsOfCall { modelId: id })?;
    let fee_bps = batched(&mut batch, &url, market, &IAssayMarket::protocolFeeBpsCall {})?;
    let treasury = batched(&mut batch, &url, market, &IAssayMarket::treasuryCall {})?;
    let listed = batch.add_call::<_, Vec<Log>>("eth_getLogs", &(listed,)).map_err(|e| failure(&e, &url))?;
    let reviewed = batch.add_call::<_, Vec<Log>>("eth_getLogs", &(reviewed,)).map_err(|e| failure(&e, &url))?;
    batch.send().await.map_err(|e| failure(&e, &url))?;
    let co_authors = co_authors.answer(&url).await?;
    let parent_shares = parent_shares.answer(&url).await?;
    let versions = versions.answer(&url).await?;
    let fee_bps = fee_bps.answer(&url).await?;
    let treasury = treasury.answer(&url).await?;
    let listed_in = listed.await.map_err(|e| failure(&e, &url))?.first().and_then(|log| log.transaction_hash);
    let logs = reviewed.await.map_err(|e| failure(&e, &url))?;

    let mut parents = Vec::with_capacity(parent_shares.len());
    if !parent_shares.is_empty() {
        let mut batch = alloy_rpc_client::BatchRequest::new(provider.client());
        let owners = parent_shares
            .iter()
            .map(|share| batched(&mut batch, &url, models, &IAssayERC721::ownerOfCall { tokenId: share.modelId }))
            .collect::<Result<Vec<_>, _>>()?;
        batch.send().await.map_err(|e| failure(&e, &url))?;
        for (share, owner) in parent_shares.into_iter().zip(owners) {
            parents.push(ParentCut { model_id: share.modelId, owner: owner.answer(&url).await?, bps: share.bps });
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
                comment_cid: event.commentCid,
                block: log.block_number.unwrap_or_default(),
            })
        })
        .collect();
    reviews.reverse();

    Ok(ListingDetails {
        market,
        models,
        co_authors: co_authors.into_iter().map(|a| CoAuthorCut { account: a.account, bps: a.bps }).collect(),
        parents,
        versions,
        fee_bps,
        treasury,
        listed_in,
        reviews,
    })
}

/// Whether `account` holds a valid licence of model `id`.
pub async fn has_licence(config: &RuntimeConfig, account: Address, id: U256) -> Result<bool, Failure> {
    let url = config.rpc_url.clone();
    let Some(market) = contract(config, "AssayMarket") else { return Ok(false) };
    read(&read_provider(&url), &url, market, IAssayMarket::hasLicenceCall { account, modelId: id }).await
}

/// The licences `account` holds, newest first (all pages).
pub async fn licences_of(config: &RuntimeConfig, account: Address) -> Result<Vec<IAssayMarket::LicenceView>, Failure> {
    let url = config.rpc_url.clone();
    let Some(market) = contract(config, "AssayMarket") else { return Ok(Vec::new()) };
    let provider = read_provider(&url);
    let mut all = Vec::new();
    let mut cursor = U256::ZERO;
    loop {
        let page =
            read(&provider, &url, market, IAssayMarket::licencesOfCall { account, cursor, limit: U256::from(100) })
                .await?;
        all.extend(page.page);
        if page.nextCursor >= page.end || page.nextCursor <= cursor {
            break;
        }
        cursor = page.nextCursor;
    }
    all.reverse();
    Ok(all)
}

/// An account's credits from the market (sales and renewals, refunds left out) and each credited
/// licence's model: the inputs of `assay_core::earnings::summarize`.
pub async fn earnings_of(
    config: &RuntimeConfig,
    account: Address,
) -> Result<(Vec<assay_core::earnings::Credit>, std::collections::BTreeMap<U256, U256>), Failure> {
    use std::collections::{BTreeMap, BTreeSet};

    let url = config.rpc_url.clone();
    let Some(market) = contract(config, "AssayMarket") else { return Ok((Vec::new(), BTreeMap::new())) };
    let provider = read_provider(&url);
    let from = config.deploy_block;
    let credited = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::Credited::SIGNATURE_HASH)
        .topic1(account.into_word())
        .from_block(from);
    let credit_logs = provider.get_logs(&credited).await.map_err(|e| failure(&e, &url))?;
    let purchased =
        Filter::new().address(market).event_signature(IAssayMarket::LicencePurchased::SIGNATURE_HASH).from_block(from);
    let mut model_of = BTreeMap::new();
    for log in provider.get_logs(&purchased).await.map_err(|e| failure(&e, &url))? {
        if let Ok(event) = IAssayMarket::LicencePurchased::decode_log_data(&log.inner.data) {
            model_of.insert(event.licenceId, event.modelId);
        }
    }
    // A reclaim credits the refund in its own transaction: those credits aren't revenue.
    let reclaimed =
        Filter::new().address(market).event_signature(IAssayMarket::LicenceReclaimed::SIGNATURE_HASH).from_block(from);
    let refunds: BTreeSet<B256> = provider
        .get_logs(&reclaimed)
        .await
        .map_err(|e| failure(&e, &url))?
        .into_iter()
        .filter_map(|log| log.transaction_hash)
        .collect();
    let mut timestamps: BTreeMap<u64, u64> = BTreeMap::new();
    let mut credits = Vec::new();
    for log in credit_logs {
        if log.transaction_hash.is_some_and(|h| refunds.contains(&h)) {
            continue;
        }
        let Ok(event) = IAssayMarket::Credited::decode_log_data(&log.inner.data) else { continue };
        let block = log.block_number.unwrap_or_default();
        let timestamp = match log.block_timestamp.or_else(|| timestamps.get(&block).copied()) {
            Some(t) => t,
            None => {
                let header = provider
                    .get_block_by_number(block.into())
                    .await
                    .map_err(|e| failure(&e, &url))?
                    .map(|b| b.header.timestamp)
                    .unwrap_or_default();
                timestamps.insert(block, header);
                header
            }
        };
        credits.push(assay_core::earnings::Credit { licence_id: event.licenceId, amount: event.amount, timestamp });
    }
    Ok((credits, model_of))
}
