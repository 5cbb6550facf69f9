//! An encrypted model's licence: the download that opens the delivered key (Challenge when it is wrong, in
//! the challenge period) and, once decrypted, the card's claims reproducible on the licensed file itself;
//! Release after the period, Reclaim when no key came in time.

use std::sync::Arc;

use super::files::{download_status, model_cid};
use super::*;
use crate::pages::model::reproduce::ClaimedResults;
use crate::trial::panel::ModelSource;
use crate::ui::components::file_input::read_bytes;

/// The download of an encrypted model: fetch (verified) → open the delivered key with this
/// licence's secret → check it against the commitment → decrypt → save. Each failure is said in
/// words; nothing half-decrypted is ever saved. In the challenge period (`status`, `deadline`: the
/// licence's, checked against the chain's clock when the key fails), a key that does not open or
/// does not match offers **Challenge**, which reveals this licence's secret (and nothing of other
/// purchases) so the market can check it and refund.
#[component]
pub(super) fn EncryptedDownload(
    licence_id: U256,
    model_id: U256,
    status: LicenceStatus,
    deadline: u64,
    reads: RwSignal<u32>,
    card: Signal<Option<ModelCard>>,
) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let wallet: WalletContext = expect_context();
    let tx: TxContext = expect_context();
    let provable = RwSignal::new(None::<B256>);
    // A wrong key found after the challenge period: said, nothing offered.
    let too_late = RwSignal::new(false);
    let state = RwSignal::new(None::<Result<String, AppError>>);
    let progress = RwSignal::new(None::<Progress>);
    let busy = RwSignal::new(false);
    // The decrypted model, kept only when its card has a claim to reproduce on it.
    let decrypted_model = RwSignal::new(None::<Arc<Vec<u8>>>);
    let download = move |_| {
        let Some(card) = card.get_untracked() else { return };
        let config = config.clone();
        busy.set(true);
        spawn_local(async move {
            let outcome = async {
                let market = Market::session()?;
                let cid = model_cid(&card)?;
                state.set(Some(Ok("Reading the delivered key…".into())));
                let sealed = deliveries::delivered_key(&market, licence_id).await?;
                if sealed.is_empty() {
                    return Err(AppError::Invalid("No key has been delivered for this licence yet.".to_owned()));
                }
                let commitment = deliveries::key_commitment(&market, model_id).await?;
                let salt = deliveries::key_salt(&market, licence_id).await?.ok_or_else(|| {
                    AppError::Invalid("This licence's purchase names no key salt: it was not bought in escrow.".to_owned())
                })?;
                state.set(Some(Ok("Confirm the signature requests in your wallet: they re-create this licence's key.".into())));
                let model = model_id.saturating_to::<u64>();
                let secret = encryption::licence_secret(&wallet, &market, model, &salt.0).await?;
                let buyer_key = market.read(IAssayMarket::buyerKeyOfCall { licenceId: licence_id }).await?;
                if buyer_key.0 != secret.buyer_key() {
                    return Err(AppError::Invalid(
                        "This wallet does not re-create the key this licence was bought with: connect the account that bought it.".to_owned(),
                    ));
                }
                let key = match assay_crypto::open_and_verify(&secret, &sealed, &commitment.0) {
                    Ok(key) => key,
                    Err(wrong) => {
                        let now = market.rpc.block_time(None).await.ok();
                        if escrow::offers_challenge(status, deadline, now, false) {
                            provable.set(Some(B256::from(secret.to_bytes())));
                        } else if status == LicenceStatus::InChallengePeriod {
                            too_late.set(true);
                        }
                        return Err(wrong.into());
                    }
                };
                state.set(Some(Ok("Downloading the encrypted file…".into())));
                let encrypted = Ipfs::new(&config.ipfs).fetch_file(&cid, move |p| progress.set(Some(p))).await?;
                state.set(Some(Ok("Decrypting…".into())));
                let decrypted = encryption::decrypt(&encrypted, &key, move |p| progress.set(Some(p))).await?;
                drop(encrypted);
                let name = download_file_name(&card.name);
                save_blob(&decrypted.blob, &name)?;
                if card.results.iter().any(|r| r.evaluation.is_some()) {
                    decrypted_model.set(Some(Arc::new(read_bytes(&decrypted.blob).await?)));
                }
                Ok::<_, AppError>(format!(
                    "Saved {name}: {} bytes, downloaded and verified against {cid}, key checked against the commitment, decrypted.",
                    decrypted.header.plaintext_len
                ))
            }
            .await;
            progress.set(None);
            busy.set(false);
            state.set(Some(outcome));
        });
    };
    let challenge = move |_| {
        let Some(secret) = provable.get_untracked() else { return };
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Challenge the key delivered for licence #{licence_id}");
            let call = IAssayMarket::challengeCall { licenceId: licence_id, secret };
            let result = tx.send(Write::call(label, market, &call)).await;
            busy.set(false);
            if result.is_ok() {
                provable.set(None);
                tx.notify(ToastKind::Success, "Challenge upheld", escrow::CHALLENGE_UPHELD.to_owned());
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <button class="button button--primary" data-testid="licence-download" disabled=move || busy.get() on:click=download>"Download and decrypt"</button>
        {move || provable.get().map(|_| view! {
            <p class="muted" data-testid="licence-challenge-note">{escrow::challenge_offer(deadline)}</p>
            <button class="button button--danger" data-testid="licence-challenge" disabled=move || busy.get() on:click=challenge>"Challenge"</button>
        })}
        {move || too_late.get().then(|| view! {
            <p class="muted" data-testid="licence-challenge-late">{escrow::challenge_too_late(deadline)}</p>
        })}
        {download_status(progress, state)}
        {move || decrypted_model.get().zip(card.get()).map(|(bytes, card)| view! {
            <div data-testid="licence-reproduce"><ClaimedResults card=card source=Some(ModelSource::Bytes(bytes)) /></div>
        })}
    }
}

/// Releases the payment of a licence whose challenge period is over (anyone may): it is split
/// among the payees and the licence becomes active.
#[component]
pub(super) fn Release(licence_id: U256, amount: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let release = move |_| {
        busy.set(true);
        spawn_local(async move {
            let released = deliveries::release(tx, licence_id, amount).await;
            busy.set(false);
            if released {
                tx.notify(ToastKind::Success, "Payment released", escrow::RELEASED.to_owned());
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <button class="button" data-testid="licence-release" disabled=move || busy.get() on:click=release>
            {move || if busy.get() { "Releasing…" } else { "Release the payment" }}
        </button>
    }
}

/// Takes back the payment of a licence whose key was not delivered in time.
#[component]
pub(super) fn Reclaim(licence_id: U256, amount: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let reclaim = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Reclaim {} for licence #{licence_id}", price_words(amount));
            let result =
                tx.send(Write::call(label, market, &IAssayMarket::reclaimCall { licenceId: licence_id })).await;
            busy.set(false);
            if result.is_ok() {
                tx.notify(
                    ToastKind::Success,
                    "Payment reclaimed",
                    format!("{} is credited to you: withdraw it from your dashboard.", price_words(amount)),
                );
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <button class="button button--primary" data-testid="licence-reclaim" disabled=move || busy.get() on:click=reclaim>
            {move || if busy.get() { "Reclaiming…".to_owned() } else { format!("Reclaim {}", price_words(amount)) }}
        </button>
    }
}
