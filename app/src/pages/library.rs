//! Library: the connected account's licences — model, tier, expiry, transferability — with renew,
//! a verified download of the licensed file (saved with a proper name), and one review per licence.
//!
//! Encrypted models: a licence waits for its key until the owner delivers it (deadline in block
//! time); then the download fetches the encrypted file (verified against its CID), opens the
//! delivered key with this licence's key, checks it against the on-chain commitment, decrypts and
//! saves. During the challenge period after a delivery a key that does not open or does not match
//! can be proven wrong here (**Challenge**: a full refund). A key not delivered in time lets the
//! buyer reclaim the payment here. The states, their words and who may act when are
//! `assay_core::escrow`'s.

use alloy_primitives::{B256, U256};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, LicenceStatus, LicenceView};
use assay_core::escrow;
use assay_core::ipfs::{Cid, Progress};
use assay_core::licence::download_file_name;
use assay_core::route::Route;
use assay_core::units::{duration_words, price_words};
use assay_inference::ModelCard;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{ToastKind, TxContext, Write};
use crate::chain::{Market, deliveries, listing};
use crate::encryption;
use crate::error::AppError;
use crate::ipfs::{Fetched, Ipfs, UploadSource, model_card};
use crate::save::save_blob;
use crate::ui::components::connect_prompt::ConnectPrompt;
use crate::ui::components::error::ErrorNote;
use crate::wallet::WalletContext;

#[component]
pub fn LibraryPage() -> impl IntoView {
    view! {
        <section data-page="library">
            <h1>"Library"</h1>
            <p class="lede">"The licences you hold: download the exact files they cover, renew them, review the models."</p>
            <ConnectPrompt purpose="see your licences" />
            <Licences />
        </section>
    }
}

#[component]
fn Licences() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let market = Market::session();
    let reads = RwSignal::new(0u32);
    // The chain's clock, for escrow deadlines (block time, not the browser's).
    let clock = market.clone();
    let now = LocalResource::new(move || {
        reads.track();
        let clock = clock.clone();
        async move { clock.ok()?.rpc.block_time(None).await.ok() }
    });
    let licences = LocalResource::new(move || {
        reads.track();
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
        let market = market.clone();
        async move {
            let account = account?;
            Some(async { listing::licences_of(&market?, account).await }.await)
        }
    });
    move || {
        match licences.get().flatten() {
        None => wallet.connection.with(Option::is_some).then(|| view! { <p class="skeleton" data-testid="licences-loading">"Reading your licences…"</p> }.into_any()),
        Some(Err(e)) => Some(view! { <ErrorNote testid="licences-error" error=e /> }.into_any()),
        Some(Ok(list)) if list.iter().all(|l| l.id.is_zero()) => Some(view! {
            <div class="panel empty" data-testid="licences-empty">
                <p>"You hold no licences yet."</p>
                <p><a href=Route::Browse.href()>"Browse the catalogue"</a>" and try a model before you buy it."</p>
            </div>
        }.into_any()),
        Some(Ok(list)) => Some(view! {
            <ul class="licences" data-testid="licences">
                {list.into_iter().filter(|l| !l.id.is_zero()).map(|l| view! { <LicenceItem licence=l reads=reads now=Signal::derive(move || now.get().flatten()) /> }).collect_view()}
            </ul>
        }.into_any()),
    }
    }
}

#[component]
fn LicenceItem(licence: LicenceView, reads: RwSignal<u32>, now: Signal<Option<u64>>) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let model_id = licence.modelId;
    let tier_id = licence.tierId.saturating_to::<usize>();
    let summary = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(model_id).cloned())));
    let card_config = config.clone();
    let card = LocalResource::new(move || {
        let cid = summary.get().map(|s| s.manifest());
        let config = card_config.clone();
        async move { model_card(&config.ipfs, &cid?).await.ok() }
    });
    let name = move || card.get().flatten().map(|c| c.name).unwrap_or_else(|| format!("Model #{model_id}"));
    let tier = move || summary.get().and_then(|s| s.tiers.get(tier_id).cloned());
    let status = licence.status;
    let deadline = licence.deliveryDeadline;
    let expires_at = licence.expiresAt;
    let badge = move || escrow::licence_status(status, expires_at, deadline, now.get());
    let transferable = licence.transferable;
    let id = licence.id;
    let model_page = Route::Model { id: model_id.saturating_to::<u64>() }.href();
    let usable = status == LicenceStatus::Active;
    let in_challenge = status == LicenceStatus::InChallengePeriod;
    let encrypted = move || summary.get().is_some_and(|s| s.encrypted);
    let held = U256::from(licence.escrowAmount);
    let reclaimable = move || escrow::may_reclaim(status, deadline, now.get());
    let releasable = move || escrow::may_release(status, deadline, now.get());
    let renewable = move || tier().is_some_and(|t| t.duration != 0) && status != LicenceStatus::AwaitingKey;
    let reviewed = licence.reviewed;
    view! {
        <li class="panel licence" data-testid="licence" data-licence-id=id.to_string() data-status=move || badge().0>
            <div class="licence__head">
                <h2 class="licence__name"><a href=model_page data-testid="licence-model">{name}</a></h2>
                <span class=move || format!("badge licence__status licence__status--{}", badge().0) data-testid="licence-status">{move || badge().1}</span>
            </div>
            <p class="muted">
                "Licence #" {id.to_string()} " · tier " {tier_id + 1}
                {move || tier().map(|t| format!(" · {} · {}", price_words(U256::from(t.price)), duration_words(t.duration)))}
                " · " {if transferable { "transferable" } else { "non-transferable" }}
            </p>
            <div class="licence__actions">
                {move || (usable && !encrypted()).then(|| view! { <Download card=Signal::derive(move || card.get().flatten()) /> })}
                {move || ((usable || in_challenge) && encrypted()).then(|| view! { <EncryptedDownload licence_id=id model_id=model_id status=status deadline=deadline reads=reads card=Signal::derive(move || card.get().flatten()) /> })}
                {move || reclaimable().then(|| view! { <Reclaim licence_id=id amount=held reads=reads /> })}
                {move || releasable().then(|| view! { <Release licence_id=id amount=held reads=reads /> })}
                {move || renewable().then(|| view! { <Renew licence_id=id price=tier().map(|t| U256::from(t.price)).unwrap_or_default() reads=reads /> })}
            </div>
            {(status == LicenceStatus::AwaitingKey).then(|| view! {
                <p class="muted" data-testid="licence-waiting">{move || escrow::buyer_note(status, held, deadline, now.get())}</p>
            })}
            {in_challenge.then(|| view! {
                <p class="muted" data-testid="licence-challenge-window">{move || escrow::buyer_note(status, held, deadline, now.get())}</p>
            })}
            {(usable && !reviewed).then(|| view! { <super::library_review::ReviewGate paid=licence.paid holder=licence.holder model_id=model_id summary=summary><ReviewForm licence_id=id reads=reads /></super::library_review::ReviewGate> })}
            {reviewed.then(|| view! { <p class="muted" data-testid="licence-reviewed">"You reviewed this model with this licence."</p> })}
        </li>
    }
}

/// The model file a card names, or why it names none.
fn model_cid(card: &ModelCard) -> Result<Cid, AppError> {
    card.model
        .as_deref()
        .and_then(|c| c.parse::<Cid>().ok())
        .ok_or_else(|| AppError::Invalid("The model card names no model file.".into()))
}

/// The download of an encrypted model: fetch (verified) → open the delivered key with this
/// licence's secret → check it against the commitment → decrypt → save. Each failure is said in
/// words; nothing half-decrypted is ever saved. In the challenge period (`status`, `deadline`: the
/// licence's, checked against the chain's clock when the key fails), a key that does not open or
/// does not match offers **Challenge**, which reveals this licence's secret (and nothing of other
/// purchases) so the market can check it and refund.
#[component]
fn EncryptedDownload(
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
    }
}

/// Releases the payment of a licence whose challenge period is over (anyone may): it is split
/// among the payees and the licence becomes active.
#[component]
fn Release(licence_id: U256, amount: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let release = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Release the payment of licence #{licence_id} ({})", price_words(amount));
            let result =
                tx.send(Write::call(label, market, &IAssayMarket::releaseCall { licenceId: licence_id })).await;
            busy.set(false);
            if result.is_ok() {
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
fn Reclaim(licence_id: U256, amount: U256, reads: RwSignal<u32>) -> impl IntoView {
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

#[component]
fn Download(card: Signal<Option<ModelCard>>) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let state = RwSignal::new(None::<Result<String, AppError>>);
    let progress = RwSignal::new(None::<Progress>);
    let download = move |_| {
        let Some(card) = card.get_untracked() else { return };
        let cid = match model_cid(&card) {
            Ok(cid) => cid,
            Err(e) => return state.set(Some(Err(e))),
        };
        let ipfs = Ipfs::new(&config.ipfs);
        state.set(Some(Ok("Downloading…".into())));
        spawn_local(async move {
            let outcome = ipfs.fetch_detailed(&cid, move |p| progress.set(Some(p))).await;
            match outcome {
                Ok(Fetched { bytes, keeping, .. }) => {
                    let name = download_file_name(&card.name);
                    match bytes.to_blob().map_err(AppError::from).and_then(|blob| save_blob(&blob, &name)) {
                        Ok(()) => {
                            let saved = format!("Saved {name}: {} bytes, verified against {cid}.", bytes.len());
                            state.set(Some(Ok(saved.clone())));
                            drop(bytes);
                            // The saved file is what matters; a cache that could not keep a copy is said.
                            if let Err(e) = keeping.kept_offline().await {
                                state.set(Some(Ok(format!("{saved} Not kept in this browser for offline use: {e}"))));
                            }
                        }
                        Err(e) => state.set(Some(Err(e))),
                    }
                }
                Err(e) => state.set(Some(Err(e.into()))),
            }
        });
    };
    view! {
        <button class="button button--primary" data-testid="licence-download" on:click=download>"Download model"</button>
        {download_status(progress, state)}
    }
}

/// A download's progress bar while it runs, then what happened.
fn download_status(
    progress: RwSignal<Option<Progress>>,
    state: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    view! {
        {move || progress.get().filter(|p| p.total > 0 && p.done < p.total).map(|p| view! {
            <progress max=p.total.to_string() value=p.done.to_string()></progress>
        })}
        {move || state.get().map(|s| match s {
            Ok(text) => view! { <p class="muted" data-testid="licence-download-status">{text}</p> }.into_any(),
            Err(e) => view! { <ErrorNote testid="licence-download-error" error=e /> }.into_any(),
        })}
    }
}

#[component]
fn Renew(licence_id: U256, price: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let renew = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Renew licence #{licence_id}");
            let result = tx
                .send(Write::call(label, market, &IAssayMarket::renewCall { licenceId: licence_id }).with_value(price))
                .await;
            busy.set(false);
            if result.is_ok() {
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <button class="button" data-testid="licence-renew" disabled=move || busy.get() on:click=renew>
            {move || if busy.get() { "Renewing…".to_owned() } else { format!("Renew ({})", price_words(price)) }}
        </button>
    }
}

#[component]
fn ReviewForm(licence_id: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let rating = RwSignal::new(5u8);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        let ipfs = Ipfs::new(&config.ipfs);
        let comment = serde_json::json!({ "text": text.get_untracked().trim() }).to_string();
        let stars = rating.get_untracked();
        busy.set(true);
        spawn_local(async move {
            // The comment goes to IPFS first; its CID is what the chain records.
            let cid = match ipfs.upload(UploadSource::Bytes(comment.into_bytes()), "review.json", |_, _| {}).await {
                Ok(cid) => cid,
                Err(e) => {
                    tx.notify(ToastKind::Error, "Review", format!("The review could not be uploaded to IPFS: {e}"));
                    busy.set(false);
                    return;
                }
            };
            let call = IAssayMarket::reviewCall { licenceId: licence_id, rating: stars, commentCid: cid.to_string() };
            let result = tx.send(Write::call(format!("Review with licence #{licence_id}"), market, &call)).await;
            busy.set(false);
            if result.is_ok() {
                text.set(String::new());
                reads.update(|n| *n += 1);
                catalogue.refresh();
            }
        });
    };
    view! {
        <form class="review-form" data-testid="review-form" on:submit=submit>
            <label>
                "Rating "
                <select data-testid="review-rating" on:change=move |ev| rating.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || rating.get() == n>{"★".repeat(n as usize)}</option> }).collect_view()}
                </select>
            </label>
            <label class="review-form__text">
                "Review "
                <textarea data-testid="review-text" rows="3" maxlength="2000" placeholder="What did you use it for, and how well did it work?"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <button class="button" type="submit" data-testid="review-submit" disabled=move || busy.get() || text.with(|t| t.trim().is_empty())>
                {move || if busy.get() { "Publishing…" } else { "Publish review" }}
            </button>
        </form>
    }
}
