//! An account's history from the market's logs (`assay_core::activity::history` turns it into
//! words and merges it with this browser's activity log): what it listed, bought, renewed,
//! reclaimed, reviewed, withdrew and claimed, the challenges and releases of its escrowed
//! purchases, and what happened to its own models (versions, prices, pauses, delivered keys,
//! deliveries proven wrong, releases). Two JSON-RPC batches of `eth_getLogs` from the market's
//! deploy block, then one of the block times the logs leave out.

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, U256};
use alloy_rpc_types_eth::Log;
use alloy_sol_types::SolEvent;
use assay_core::activity::history::{Deed, Logged};
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;

use super::Market;
use super::market::tx_of;

/// The events of `E` among `logs`, each with its log.
fn decoded<E: SolEvent>(logs: Vec<Log>) -> impl Iterator<Item = (E, Log)> {
    logs.into_iter().filter_map(|log| E::decode_log_data(&log.inner.data).ok().map(|event| (event, log)))
}

/// Every deed of `account` on the market, with the newest `newest` transactions' block times
/// (older ones keep the time the node gave, or 0: they are past what the list shows).
pub async fn of(market: &Market, account: Address, newest: usize) -> Result<Vec<Logged>, Failure> {
    let who = account.into_word();
    let mut batch = market.rpc.batch();
    let listed = batch.logs(&market.filter::<IAssayMarket::ModelListed>().topic2(who))?;
    let bought = batch.logs(&market.filter::<IAssayMarket::LicencePurchased>().topic3(who))?;
    let renewed = batch.logs(&market.filter::<IAssayMarket::LicenceRenewed>().topic2(who))?;
    let reclaimed = batch.logs(&market.filter::<IAssayMarket::LicenceReclaimed>().topic3(who))?;
    let reviewed = batch.logs(&market.filter::<IAssayMarket::Reviewed>().topic3(who))?;
    let withdrawn = batch.logs(&market.filter::<IAssayMarket::Withdrawn>().topic1(who))?;
    let claimed = batch.logs(&market.filter::<IAssayMarket::EarningsClaimed>().topic2(who))?;
    let disproved = batch.logs(&market.filter::<IAssayMarket::DeliveryChallenged>().topic3(who))?;
    batch.send().await?;

    let mut deeds: Vec<(Deed, Log)> = Vec::new();
    let mut models: Vec<B256> = Vec::new();
    for (e, log) in decoded::<IAssayMarket::ModelListed>(listed.answer().await?) {
        models.push(B256::from(e.modelId));
        deeds.push((Deed::Listed { model: e.modelId }, log));
    }
    let mut escrowed: Vec<B256> = Vec::new();
    for (e, log) in decoded::<IAssayMarket::LicencePurchased>(bought.answer().await?) {
        if e.escrowed {
            escrowed.push(B256::from(e.licenceId));
        }
        let deed = Deed::Bought { model: e.modelId, licence: e.licenceId, price: e.price, escrowed: e.escrowed };
        deeds.push((deed, log));
    }
    for (e, log) in decoded::<IAssayMarket::LicenceRenewed>(renewed.answer().await?) {
        deeds.push((Deed::Renewed { licence: e.licenceId, price: e.price }, log));
    }
    for (e, log) in decoded::<IAssayMarket::LicenceReclaimed>(reclaimed.answer().await?) {
        deeds.push((Deed::Reclaimed { model: e.modelId, licence: e.licenceId, refund: e.refund }, log));
    }
    for (e, log) in decoded::<IAssayMarket::Reviewed>(reviewed.answer().await?) {
        deeds.push((Deed::Reviewed { model: e.modelId, rating: e.rating }, log));
    }
    for (e, log) in decoded::<IAssayMarket::Withdrawn>(withdrawn.answer().await?) {
        deeds.push((Deed::Withdrew { amount: e.amount }, log));
    }
    for (e, log) in decoded::<IAssayMarket::EarningsClaimed>(claimed.answer().await?) {
        deeds.push((Deed::Claimed { model: e.modelId, amount: e.amount }, log));
    }
    for (e, log) in decoded::<IAssayMarket::DeliveryChallenged>(disproved.answer().await?) {
        deeds.push((Deed::DeliveryDisproved { model: e.modelId, licence: e.licenceId, refund: e.refund }, log));
    }

    // What became of the account's escrowed purchases: challenged by it, or released (by anyone).
    if !escrowed.is_empty() {
        let mut batch = market.rpc.batch();
        let challenged = batch.logs(&market.filter::<IAssayMarket::DeliveryChallenged>().topic1(escrowed.clone()))?;
        let released = batch.logs(&market.filter::<IAssayMarket::EscrowReleased>().topic1(escrowed))?;
        batch.send().await?;
        for (e, log) in decoded::<IAssayMarket::DeliveryChallenged>(challenged.answer().await?) {
            deeds.push((Deed::Challenged { model: e.modelId, licence: e.licenceId, refund: e.refund }, log));
        }
        for (e, log) in decoded::<IAssayMarket::EscrowReleased>(released.answer().await?) {
            deeds.push((Deed::Released { model: e.modelId, licence: e.licenceId, amount: e.amount }, log));
        }
    }

    // What the account did to the models it listed (their owner acts on them).
    if !models.is_empty() {
        let mut batch = market.rpc.batch();
        let versions = batch.logs(&market.filter::<IAssayMarket::VersionPublished>().topic1(models.clone()))?;
        let prices = batch.logs(&market.filter::<IAssayMarket::TierPriceChanged>().topic1(models.clone()))?;
        let pauses = batch.logs(&market.filter::<IAssayMarket::TierPausedSet>().topic1(models.clone()))?;
        let keys = batch.logs(&market.filter::<IAssayMarket::KeyDelivered>().topic2(models.clone()))?;
        let released = batch.logs(&market.filter::<IAssayMarket::EscrowReleased>().topic2(models))?;
        batch.send().await?;
        for (e, log) in decoded::<IAssayMarket::VersionPublished>(versions.answer().await?) {
            deeds.push((Deed::PublishedVersion { model: e.modelId, version: e.version }, log));
        }
        for (e, log) in decoded::<IAssayMarket::TierPriceChanged>(prices.answer().await?) {
            deeds.push((Deed::ChangedPrice { model: e.modelId, tier: e.tierId, price: U256::from(e.newPrice) }, log));
        }
        for (e, log) in decoded::<IAssayMarket::TierPausedSet>(pauses.answer().await?) {
            deeds.push((Deed::PausedTier { model: e.modelId, tier: e.tierId, paused: e.paused }, log));
        }
        for (e, log) in decoded::<IAssayMarket::KeyDelivered>(keys.answer().await?) {
            deeds.push((Deed::DeliveredKey { model: e.modelId, licence: e.licenceId }, log));
        }
        for (e, log) in decoded::<IAssayMarket::EscrowReleased>(released.answer().await?) {
            deeds.push((Deed::Released { model: e.modelId, licence: e.licenceId, amount: e.amount }, log));
        }
    }

    // Block times: from the logs when the node includes them, else read for the newest blocks.
    let mut times: BTreeMap<u64, u64> = BTreeMap::new();
    for (_, log) in &deeds {
        if let (Some(block), Some(time)) = (log.block_number, log.block_timestamp) {
            times.insert(block, time);
        }
    }
    let mut blocks: Vec<u64> = deeds.iter().filter_map(|(_, log)| log.block_number).collect();
    blocks.sort_unstable_by(|a, b| b.cmp(a));
    blocks.dedup();
    let missing: Vec<u64> = blocks.into_iter().take(newest).filter(|b| !times.contains_key(b)).collect();
    if !missing.is_empty() {
        let mut batch = market.rpc.batch();
        let asked = missing
            .iter()
            .map(|&block| batch.block_time(block).map(|time| (block, time)))
            .collect::<Result<Vec<_>, _>>()?;
        batch.send().await?;
        for (block, time) in asked {
            times.insert(block, time.answer().await?);
        }
    }

    Ok(deeds
        .into_iter()
        .map(|(deed, log)| {
            let block = log.block_number.unwrap_or_default();
            Logged {
                tx: tx_of(&log),
                block,
                log_index: log.log_index.unwrap_or_default(),
                timestamp: times.get(&block).copied().unwrap_or_default(),
                deed,
            }
        })
        .collect())
}
