//! What the model page needs beyond the catalogue's summary, read without a wallet: co-authors,
//! parents (with their current owners, who are paid), versions, the market's fee and treasury (for
//! the split a buyer sees before paying), the listing transaction, derivatives and reviews.

use alloy_primitives::{Address, B256, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::Filter;
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::{IAssayERC721, IAssayMarket};
use assay_core::failure::Failure;
use assay_core::licence::{CoAuthorCut, ParentCut};

use super::{contract, failure, read, read_provider};

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
    /// Models listed with this one as a parent.
    pub derivatives: Vec<U256>,
    /// Newest first.
    pub reviews: Vec<ReviewEntry>,
}

fn topic(id: U256) -> B256 {
    B256::from(id)
}

/// Reads everything for model `id`.
pub async fn load(config: &RuntimeConfig, id: U256) -> Result<ListingDetails, Failure> {
    let url = config.rpc_url.clone();
    let (Some(market), Some(models)) = (contract(config, "AssayMarket"), contract(config, "AssayModels")) else {
        return Err(Failure::Other { detail: "no marketplace contracts are configured for this network".into() });
    };
    let provider = read_provider(&url);
    let co_authors = read(&provider, &url, market, IAssayMarket::coAuthorsOfCall { modelId: id }).await?;
    let parent_shares = read(&provider, &url, market, IAssayMarket::parentsOfCall { modelId: id }).await?;
    let versions = read(&provider, &url, market, IAssayMarket::versionsOfCall { modelId: id }).await?;
    let fee_bps = read(&provider, &url, market, IAssayMarket::protocolFeeBpsCall {}).await?;
    let treasury = read(&provider, &url, market, IAssayMarket::treasuryCall {}).await?;
    let mut parents = Vec::with_capacity(parent_shares.len());
    for share in parent_shares {
        let owner = read(&provider, &url, models, IAssayERC721::ownerOfCall { tokenId: share.modelId }).await?;
        parents.push(ParentCut { model_id: share.modelId, owner, bps: share.bps });
    }

    // All listings (for this one's transaction and its derivatives): parents aren't indexed, so
    // the ModelListed logs are read and decoded.
    let listed = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::ModelListed::SIGNATURE_HASH)
        .from_block(config.deploy_block);
    let logs = provider.get_logs(&listed).await.map_err(|e| failure(&e, &url))?;
    let mut listed_in = None;
    let mut derivatives = Vec::new();
    for log in &logs {
        let Ok(event) = IAssayMarket::ModelListed::decode_log_data(&log.inner.data) else { continue };
        if event.modelId == id {
            listed_in = log.transaction_hash;
        }
        if event.parents.iter().any(|p| p.modelId == id) {
            derivatives.push(event.modelId);
        }
    }

    let reviewed = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::Reviewed::SIGNATURE_HASH)
        .topic2(topic(id))
        .from_block(config.deploy_block);
    let logs = provider.get_logs(&reviewed).await.map_err(|e| failure(&e, &url))?;
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
        derivatives,
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
        let page = read(&provider, &url, market, IAssayMarket::licencesOfCall { account, cursor, limit: U256::from(100) }).await?;
        all.extend(page.page);
        if page.nextCursor >= page.end || page.nextCursor <= cursor {
            break;
        }
        cursor = page.nextCursor;
    }
    all.reverse();
    Ok(all)
}
