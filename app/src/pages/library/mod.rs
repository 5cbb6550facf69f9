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

mod files;
mod renew;
mod review;
mod sealed;

use alloy_primitives::{B256, U256};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, LicenceStatus, LicenceView};
use assay_core::escrow;
use assay_core::glossary::Term as GlossaryTerm;
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
use crate::ipfs::{Fetched, Ipfs, model_card};
use crate::save::save_blob;
use crate::ui::components::connect_prompt::ConnectPrompt;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::ui::components::term::Term;
use crate::wallet::WalletContext;

use self::files::Download;
use self::renew::Renew;
use self::review::{ReviewForm, ReviewGate};
use self::sealed::{EncryptedDownload, Reclaim, Release};

#[component]
pub fn LibraryPage() -> impl IntoView {
    view! {
        <section data-page="library">
            <h1>"Library"</h1>
            <p class="lede">
                "The licences you hold, each a " <Term term=GlossaryTerm::LicenceToken>"licence token"</Term> " in your account: download the exact files they cover (every byte checked against its "
                <Term term=GlossaryTerm::Cid>"CID"</Term> "), renew them, review the models. A licence of encrypted weights waits in "
                <Term term=GlossaryTerm::Escrow>"escrow"</Term> " until the creator delivers its key."
            </p>
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
    let catalogue = CatalogueContext::wanted();
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
    // A delisted model sells no renewals (the market refuses them): the licence says so instead.
    let delisted = move || summary.get().is_some_and(|s| s.delisted);
    let renewable =
        move || tier().is_some_and(|t| t.duration != 0) && status != LicenceStatus::AwaitingKey && !delisted();
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
                " " <ExplorerLink target=OnExplorer::Token { contract: "AssayMarket", id } testid="licence-explorer" />
            </p>
            <div class="licence__actions">
                {move || (usable && !encrypted()).then(|| view! { <Download card=Signal::derive(move || card.get().flatten()) /> })}
                {move || ((usable || in_challenge) && encrypted()).then(|| view! { <EncryptedDownload licence_id=id model_id=model_id status=status deadline=deadline reads=reads card=Signal::derive(move || card.get().flatten()) /> })}
                {move || reclaimable().then(|| view! { <Reclaim licence_id=id amount=held reads=reads /> })}
                {move || releasable().then(|| view! { <Release licence_id=id amount=held reads=reads /> })}
                {move || renewable().then(|| view! { <Renew licence_id=id price=tier().map(|t| U256::from(t.price)).unwrap_or_default() reads=reads /> })}
                {move || delisted().then(|| view! { <span class="muted" data-testid="licence-delisted">"The model was delisted by moderation: this licence keeps working, but can't be renewed."</span> })}
            </div>
            {(status == LicenceStatus::AwaitingKey).then(|| view! {
                <p class="muted" data-testid="licence-waiting">{move || escrow::buyer_note(status, held, deadline, now.get())}</p>
            })}
            {in_challenge.then(|| view! {
                <p class="muted" data-testid="licence-challenge-window">{move || escrow::buyer_note(status, held, deadline, now.get())}</p>
            })}
            {(usable && !reviewed).then(|| view! { <ReviewGate paid=licence.paid holder=licence.holder model_id=model_id summary=summary><ReviewForm licence_id=id reads=reads /></ReviewGate> })}
            {reviewed.then(|| view! { <p class="muted" data-testid="licence-reviewed">"You reviewed this model with this licence."</p> })}
        </li>
    }
}
