//! A model's sales with their exact split, from the market's logs: each `LicencePurchased` and
//! `LicenceRenewed` with the `Credited` and `EarningsCredited` logs of the same transaction, or for a payment into
//! escrow those of the transaction that ended it: its `EscrowReleased`, `DeliveryChallenged` or
//! `LicenceReclaimed` (a `KeyDelivered` alone leaves it in its challenge period) (grouped by
//! `assay_core::earnings::sales`).

use alloy_primitives::{B256, U256};
use assay_core::contracts::IAssayMarket;
use assay_core::earnings::{Credited, EscrowStep, Payee, Payment, Release, Sale, sales};
use assay_core::failure::Failure;

use super::Market;
use super::market::tx_of;

/// Every sale and renewal of model `id`, oldest first.
pub async fn sales_of(market: &Market, id: U256) -> Result<Vec<Sale>, Failure> {
    let model = B256::from(id);
    let purchased = market.filter::<IAssayMarket::LicencePurchased>().topic2(model);
    let mut payments: Vec<Payment> = market
        .events::<IAssayMarket::LicencePurchased>(&purchased)
        .await?
        .into_iter()
        .map(|(event, log)| Payment {
            tx: tx_of(&log),
            licence_id: event.licenceId,
            payer: event.buyer,
            price: event.price,
            renewal: false,
            escrowed: event.escrowed,
        })
        .collect();
    if payments.is_empty() {
        return Ok(Vec::new());
    }
    let licences: Vec<B256> = payments.iter().map(|p| B256::from(p.licence_id)).collect();
    let renewed = market.filter::<IAssayMarket::LicenceRenewed>().topic1(licences.clone());
    payments.extend(market.events::<IAssayMarket::LicenceRenewed>(&renewed).await?.into_iter().map(|(event, log)| {
        Payment {
            tx: tx_of(&log),
            licence_id: event.licenceId,
            payer: event.payer,
            price: event.price,
            renewal: true,
            escrowed: false,
        }
    }));
    let releases = if payments.iter().any(|p| p.escrowed) { escrow_steps(market, model).await? } else { Vec::new() };
    let credited = market.filter::<IAssayMarket::Credited>().topic2(licences.clone());
    let mut credits: Vec<Credited> = market
        .events::<IAssayMarket::Credited>(&credited)
        .await?
        .into_iter()
        .map(|(event, log)| Credited {
            tx: tx_of(&log),
            licence_id: event.licenceId,
            payee: Payee::Account(event.account),
            amount: event.amount,
        })
        .collect();
    // The owner's part and parents' shares accrue to models (claimed by their owners).
    let earned = market.filter::<IAssayMarket::EarningsCredited>().topic2(licences);
    credits.extend(market.events::<IAssayMarket::EarningsCredited>(&earned).await?.into_iter().map(|(event, log)| {
        Credited {
            tx: tx_of(&log),
            licence_id: event.licenceId,
            payee: Payee::Model(event.modelId),
            amount: event.amount,
        }
    }));
    Ok(sales(&payments, &credits, &releases))
}

/// The steps of model `model`'s escrowed payments after their purchase: deliveries (with their
/// challenge deadline), releases, challenges and reclaims, oldest first.
async fn escrow_steps(market: &Market, model: B256) -> Result<Vec<Release>, Failure> {
    let delivered = market.filter::<IAssayMarket::KeyDelivered>().topic2(model);
    let mut steps: Vec<Release> = market
        .events::<IAssayMarket::KeyDelivered>(&delivered)
        .await?
        .into_iter()
        .map(|(event, log)| Release {
            tx: tx_of(&log),
            licence_id: event.licenceId,
            step: EscrowStep::Delivered { challenge_until: event.challengeDeadline },
        })
        .collect();
    let released = market.filter::<IAssayMarket::EscrowReleased>().topic2(model);
    let challenged = market.filter::<IAssayMarket::DeliveryChallenged>().topic2(model);
    let reclaimed = market.filter::<IAssayMarket::LicenceReclaimed>().topic2(model);
    for (filter, step) in
        [(released, EscrowStep::Released), (challenged, EscrowStep::Challenged), (reclaimed, EscrowStep::Reclaimed)]
    {
        for log in market.rpc.logs(&filter).await? {
            if let Some(licence) = log.topics().get(1) {
                steps.push(Release { tx: tx_of(&log), licence_id: U256::from_be_bytes(licence.0), step });
            }
        }
    }
    Ok(steps)
}
