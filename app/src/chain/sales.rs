//! A model's sales with their exact split, from the market's logs: each `LicencePurchased` and
//! `LicenceRenewed` with the `Credited` logs of the same transaction, or for a payment into
//! escrow those of its `KeyDelivered` or `LicenceReclaimed` transaction (grouped by
//! `assay_core::earnings::sales`).

use alloy_primitives::{B256, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::{Filter, Log};
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket;
use assay_core::earnings::{Credited, Payment, Release, Sale, sales};
use assay_core::failure::Failure;

use super::{contract, failure, read_provider};

/// Every sale and renewal of model `id`, oldest first.
pub async fn sales_of(config: &RuntimeConfig, id: U256) -> Result<Vec<Sale>, Failure> {
    let url = config.rpc_url.clone();
    let Some(market) = contract(config, "AssayMarket") else { return Ok(Vec::new()) };
    let provider = read_provider(&url);
    let from = config.deploy_block;
    let tx_of = |log: &Log| log.transaction_hash.unwrap_or_default();
    let purchased = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::LicencePurchased::SIGNATURE_HASH)
        .topic2(B256::from(id))
        .from_block(from);
    let mut payments = Vec::new();
    for log in provider.get_logs(&purchased).await.map_err(|e| failure(&e, &url))? {
        if let Ok(event) = IAssayMarket::LicencePurchased::decode_log_data(&log.inner.data) {
            payments.push(Payment {
                tx: tx_of(&log),
                licence_id: event.licenceId,
                payer: event.buyer,
                price: event.price,
                renewal: false,
                escrowed: event.escrowed,
            });
        }
    }
    if payments.is_empty() {
        return Ok(Vec::new());
    }
    let licences: Vec<B256> = payments.iter().map(|p| B256::from(p.licence_id)).collect();
    let renewed = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::LicenceRenewed::SIGNATURE_HASH)
        .topic1(licences.clone())
        .from_block(from);
    for log in provider.get_logs(&renewed).await.map_err(|e| failure(&e, &url))? {
        if let Ok(event) = IAssayMarket::LicenceRenewed::decode_log_data(&log.inner.data) {
            payments.push(Payment {
                tx: tx_of(&log),
                licence_id: event.licenceId,
                payer: event.payer,
                price: event.price,
                renewal: true,
                escrowed: false,
            });
        }
    }
    let mut releases = Vec::new();
    if payments.iter().any(|p| p.escrowed) {
        let delivered = Filter::new()
            .address(market)
            .event_signature(IAssayMarket::KeyDelivered::SIGNATURE_HASH)
            .topic2(B256::from(id))
            .from_block(from);
        let reclaimed = Filter::new()
            .address(market)
            .event_signature(IAssayMarket::LicenceReclaimed::SIGNATURE_HASH)
            .topic2(B256::from(id))
            .from_block(from);
        for (filter, refunded) in [(delivered, false), (reclaimed, true)] {
            for log in provider.get_logs(&filter).await.map_err(|e| failure(&e, &url))? {
                if let Some(licence) = log.topics().get(1) {
                    releases.push(Release { tx: tx_of(&log), licence_id: U256::from_be_bytes(licence.0), refunded });
                }
            }
        }
    }
    let credited = Filter::new()
        .address(market)
        .event_signature(IAssayMarket::Credited::SIGNATURE_HASH)
        .topic2(licences)
        .from_block(from);
    let credits: Vec<Credited> = provider
        .get_logs(&credited)
        .await
        .map_err(|e| failure(&e, &url))?
        .iter()
        .filter_map(|log| {
            let event = IAssayMarket::Credited::decode_log_data(&log.inner.data).ok()?;
            Some(Credited { tx: tx_of(log), licence_id: event.licenceId, account: event.account, amount: event.amount })
        })
        .collect();
    Ok(sales(&payments, &credits, &releases))
}
