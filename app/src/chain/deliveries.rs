//! Key delivery for encrypted models, as the chain records it: the purchases whose payment is in
//! escrow (escrowed `LicencePurchased` whose licence is still `AwaitingKey` or `InChallengePeriod`),
//! a delivered key, a licence's key salt, a model's key commitment. Deadlines are in block time,
//! which anvil's time travel moves and the browser's clock does not.

use alloy_primitives::{Address, B256, Bytes, U256};
use assay_core::contracts::IAssayMarket::{self, LicenceStatus};
use assay_core::failure::Failure;
use assay_core::units::price_words;

use super::Market;
use super::tx::{TxContext, Write};

/// A purchase of an encrypted model whose payment is in escrow: its key not delivered yet
/// (`AwaitingKey`), or delivered and in its challenge period (`InChallengePeriod`, until `release`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingDelivery {
    pub licence_id: U256,
    pub model_id: U256,
    pub tier_id: U256,
    pub holder: Address,
    /// The licence's key (`x` of the buyer's per-licence secp256k1 point), from `buyLicense`.
    pub buyer_key: B256,
    /// Held in escrow until released after the challenge period (or refunded by a reclaim or a
    /// successful challenge).
    pub amount: U256,
    /// Awaiting the key: block time after which it can no longer be delivered and the buyer may
    /// reclaim. In the challenge period: its last second (`release` is possible after it).
    pub deadline: u64,
    pub status: LicenceStatus,
}

/// The purchases of `models` whose payment is still in escrow, oldest first: the escrowed
/// `LicencePurchased` logs of those models, then each licence read back (one JSON-RPC batch) so
/// released, reclaimed, challenged and burned ones drop out.
pub async fn pending(market: &Market, models: &[U256]) -> Result<Vec<PendingDelivery>, Failure> {
    if models.is_empty() {
        return Ok(Vec::new());
    }
    let purchased = market
        .filter::<IAssayMarket::LicencePurchased>()
        .topic2(models.iter().map(|id| B256::from(*id)).collect::<Vec<_>>());
    let escrowed: Vec<_> = market
        .events::<IAssayMarket::LicencePurchased>(&purchased)
        .await?
        .into_iter()
        .map(|(event, _)| event)
        .filter(|event| event.escrowed)
        .collect();
    if escrowed.is_empty() {
        return Ok(Vec::new());
    }
    let mut batch = market.rpc.batch();
    let views = escrowed
        .iter()
        .map(|event| batch.call(market.address, &IAssayMarket::licenceCall { licenceId: event.licenceId }))
        .collect::<Result<Vec<_>, _>>()?;
    batch.send().await?;
    let mut pending = Vec::new();
    for (event, view) in escrowed.into_iter().zip(views) {
        let view = view.answer().await?;
        let escrowed = matches!(view.status, LicenceStatus::AwaitingKey | LicenceStatus::InChallengePeriod);
        if view.id.is_zero() || !escrowed {
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
            status: view.status,
        });
    }
    Ok(pending)
}

/// The sealed content key delivered for `licence_id` (empty if none yet).
pub async fn delivered_key(market: &Market, licence_id: U256) -> Result<Bytes, Failure> {
    market.read(IAssayMarket::deliveredKeyCall { licenceId: licence_id }).await
}

/// The salt the buyer named its key for `licence_id` with (`EscrowHeld`), if the licence was
/// bought in escrow.
pub async fn key_salt(market: &Market, licence_id: U256) -> Result<Option<B256>, Failure> {
    let filter = market.filter::<IAssayMarket::EscrowHeld>().topic1(B256::from(licence_id));
    Ok(market.events::<IAssayMarket::EscrowHeld>(&filter).await?.into_iter().next().map(|(event, _)| event.keySalt))
}

/// The key commitment model `model_id` was listed with (zero for open weights).
pub async fn key_commitment(market: &Market, model_id: U256) -> Result<B256, Failure> {
    market.read(IAssayMarket::keyCommitmentCall { modelId: model_id }).await
}

/// Releases licence `licence_id`'s escrowed payment (`amount`) after its challenge period (anyone
/// may): the split is credited. `true` once the transaction is confirmed; a failure is the
/// transaction's own toast and activity entry.
pub async fn release(tx: TxContext, licence_id: U256, amount: U256) -> bool {
    let Ok(market) = Market::session().map(|m| m.address) else { return false };
    let label = format!("Release the payment of licence #{licence_id} ({})", price_words(amount));
    tx.send(Write::call(label, market, &IAssayMarket::releaseCall { licenceId: licence_id })).await.is_ok()
}
