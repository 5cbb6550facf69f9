//! Key delivery for encrypted models, as the chain records it: the purchases waiting for their
//! key (escrowed `LicencePurchased` whose licence is still `AwaitingKey`), a delivered key, a
//! model's key commitment, and the chain's clock (deadlines are in block time, which anvil's
//! time travel moves and the browser's clock does not).

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::{BlockNumberOrTag, Filter, Log};
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, LicenceStatus};
use assay_core::failure::Failure;

use super::{batched, contract, failure, read, read_provider};

/// A purchase of an encrypted model whose key the owner has not delivered yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingDelivery {
    pub licence_id: U256,
    pub model_id: U256,
    pub tier_id: U256,
    pub holder: Address,
    /// The buyer's X25519 public key, from `buyLicense`.
    pub buyer_key: B256,
    /// Held in escrow until delivery (or refunded by a reclaim).
    pub amount: U256,
    /// Block time after which the key can no longer be delivered and the buyer may reclaim.
    pub deadline: u64,
}

fn market(config: &RuntimeConfig) -> Result<Address, Failure> {
    contract(config, "AssayMarket")
        .ok_or_else(|| Failure::Other { detail: "no marketplace contracts are configured for this network".into() })
}

/// The purchases of `models` still waiting for their key, oldest first: the escrowed
/// `LicencePurchased` logs of those models, then each licence read back (one JSON-RPC batch) so
/// delivered, reclaimed and burned ones drop out.
pub async fn pending(config: &RuntimeConfig, models: &[U256]) -> Result<Vec<PendingDelivery>, Failure> {
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let url = config.rpc_url.clone();
    let market = market(config)?;
    let provider = read_provider(&url);
    let purchased = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::LicencePurchased::SIGNATURE_HASH)
        .topic2(models.iter().map(|id| B256::from(*id)).collect::<Vec<_>>())
        .from_block(config.deploy_block);
    let logs: Vec<Log> = provider.get_logs(&purchased).await.map_err(|e| failure(&e, &url))?;
    let escrowed: Vec<_> = logs
        .iter()
        .filter_map(|log| IAssayMarket::LicencePurchased::decode_log_data(&log.inner.data).ok())
        .filter(|event| event.escrowed)
        .collect();
    if escrowed.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = alloy_rpc_client::BatchRequest::new(provider.client());
    let views = escrowed
        .iter()
        .map(|event| batched(&mut batch, &url, market, &IAssayMarket::licenceCall { licenceId: event.licenceId }))
        .collect::<Result<Vec<_>, _>>()?;
    batch.send().await.map_err(|e| failure(&e, &url))?;
    let mut pending = Vec::new();
    for (event, view) in escrowed.into_iter().zip(views) {
        let view = view.answer(&url).await?;
        if view.id.is_zero() || view.status != LicenceStatus::AwaitingKey {
            continue;
        }
        pending.push(PendingDelivery {
            licence_id: event.licenceId,
            model_id: event.modelId,
            tier_id: event.tierId,
            holder: view.holder,
            buyer_key: event.buyerKey,
            amount: U256::from(view.escrowAmount),
            deadline: view.deliveryDeadline,
        });
    }
    Ok(pending)
}

/// The sealed content key delivered for `licence_id` (empty if none yet).
pub async fn delivered_key(config: &RuntimeConfig, licence_id: U256) -> Result<Bytes, Failure> {
    let url = config.rpc_url.clone();
    read(&read_provider(&url), &url, market(config)?, IAssayMarket::deliveredKeyCall { licenceId: licence_id }).await
}

/// The key commitment model `model_id` was listed with (zero for open weights).
pub async fn key_commitment(config: &RuntimeConfig, model_id: U256) -> Result<B256, Failure> {
    let url = config.rpc_url.clone();
    read(&read_provider(&url), &url, market(config)?, IAssayMarket::keyCommitmentCall { modelId: model_id }).await
}

/// The timestamp of the latest block: "now" for escrow deadlines.
pub async fn chain_time(config: &RuntimeConfig) -> Result<u64, Failure> {
    let url = config.rpc_url.clone();
    let block =
        read_provider(&url).get_block_by_number(BlockNumberOrTag::Latest).await.map_err(|e| failure(&e, &url))?;
    block.map(|b| b.header.timestamp).ok_or_else(|| Failure::Other { detail: "the node has no latest block".into() })
}
