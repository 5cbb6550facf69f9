//! A model's licence tiers: what each allows, its terms document from IPFS, and the buy summary
//! (where each wei goes) before the one purchase transaction.

use alloy_primitives::{B256, U256};
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, ModelSummary, Tier};
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::ipfs::ListedCid;
use assay_core::licence::{after_purchase, remaining_supply, rights, split, unavailable_reason};
use assay_core::moderation::{DELISTED_NOTICE, DELISTED_TIER};
use assay_core::route::Route;
use assay_core::terms::{BuyGate, MAX_TERMS_BYTES, TermsDocument, TermsState, confirmation, gate};
use assay_core::units::{duration_words, price_words};
use assay_inference::ModelCard;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{Details, with_details};
use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::listing::{self};
use crate::chain::tx::{TxContext, Write};
use crate::error::AppError;
use crate::ipfs::Ipfs;
use crate::ui::components::error::{ErrorNote, ProblemNote};
use crate::ui::components::split_table::SplitTable;
use crate::ui::components::term::Term;
use crate::wallet::WalletContext;

#[component]
pub(super) fn Tiers(
    summary: ModelSummary,
    details: Details,
    card: Signal<Option<ModelCard>>,
    reads: RwSignal<u32>,
    /// Set once a licence is bought from this page: what happens next is said under the tiers.
    bought: RwSignal<bool>,
) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let chosen = RwSignal::new(None::<usize>);
    let encrypted = summary.encrypted;
    let tiers = summary.tiers.clone();
    let model_id = summary.id;
    let delisted = summary.delisted;
    // Each tier's terms, read once: shown in the tier, confirmed in the buy summary.
    let terms: Vec<LocalResource<TermsState>> =
        tiers.iter().map(|tier| terms_of(&tier.termsCid, config.clone())).collect();
    let terms_of_tier = terms.clone();
    let owned = LocalResource::new(move || {
        reads.track();
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
        async move { listing::has_licence(&Market::session().ok()?, account?, model_id).await.ok() }
    });
    let list = tiers
        .iter()
        .cloned()
        .enumerate()
        .map(|(index, tier)| {
            let unavailable = if delisted { Some(DELISTED_TIER) } else { unavailable_reason(&tier) };
            let left = remaining_supply(&tier);
            let price = U256::from(tier.price);
            let cid = tier.termsCid.clone();
            let document = terms[index];
            view! {
                <li class="tier" data-testid="tier" data-tier-id=index class:tier--chosen=move || chosen.get() == Some(index)>
                    <div class="tier__head">
                        <strong class="tier__price" data-testid="tier-price">{price_words(price)}</strong>
                        <span class="tier__duration">{duration_words(tier.duration)}</span>
                    </div>
                    <p class="tier__rights">{rights(&tier).join(" · ")}</p>
                    <p class="muted" data-testid="tier-supply">
                        {match left {
                            None => format!("{} sold · unlimited", tier.sold),
                            Some(left) => format!("{left} of {} left", tier.maxSupply),
                        }}
                    </p>
                    {(!cid.is_empty()).then(|| view! { <TierTerms cid=cid document=document /> })}
                    {match unavailable {
                        Some(reason) => view! { <p class="tier__unavailable" data-testid="tier-unavailable">{reason}</p> }.into_any(),
                        None => view! {
                            <button class="button" data-testid="tier-choose" on:click=move |_| chosen.set(Some(index))>"Choose"</button>
                        }.into_any(),
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="tiers">
            <h2 class="panel__title">"Licences"</h2>
            <p class="muted">"Each " <Term term=GlossaryTerm::Tier>"tier"</Term> " sells a " <Term term=GlossaryTerm::LicenceToken>"licence token"</Term> ": its price, duration and rights are below, its terms a click away."</p>
            {delisted.then(|| view! { <p class="notice notice--warning" data-testid="model-delisted">{DELISTED_NOTICE}</p> })}
            {move || (owned.get().flatten() == Some(true)).then(|| view! {
                <p class="notice notice--ok" data-testid="licence-held">
                    "You hold a licence for this model. " <a href=Route::Library.href()>"Open your library"</a>
                </p>
            })}
            {move || bought.get().then(|| view! { <p class="notice" data-testid="buy-next">{after_purchase(encrypted)}</p> })}
            <ol class="tiers">{list}</ol>
            {move || chosen.get().and_then(|index| tiers.get(index).cloned().map(|tier| view! {
                <BuySummary summary=summary.clone() tier_id=index tier=tier terms=terms_of_tier[index] details=details card=card reads=reads on_close=move || chosen.set(None) bought=bought />
            }))}
        </div>
    }
}

#[component]
fn BuySummary(
    summary: ModelSummary,
    tier_id: usize,
    tier: Tier,
    terms: LocalResource<TermsState>,
    details: Details,
    card: Signal<Option<ModelCard>>,
    reads: RwSignal<u32>,
    on_close: impl Fn() + Send + Sync + Copy + 'static,
    bought: RwSignal<bool>,
) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let wallet: WalletContext = expect_context();
    let busy = RwSignal::new(false);
    let price = U256::from(tier.price);
    let encrypted = summary.encrypted;
    let owner = summary.owner;
    let model_id = summary.id;
    let what = rights(&tier).join(", ");
    let duration = duration_words(tier.duration);
    let key_problem = RwSignal::new(None::<AppError>);
    // The buyer's confirmation of the terms; the purchase waits for it (and for the terms).
    let confirmed = RwSignal::new(false);
    let state = move || terms.get().unwrap_or(TermsState::Loading);
    let buy_gate = Memo::new(move |_| gate(&state(), confirmed.get()));
    // The market's address comes with the listing's details: no purchase before they are read.
    let market = move || details.get().and_then(Result::ok).map(|d| d.market);
    let not_ready = RwSignal::new(None::<&'static str>);
    let buy = move |_| {
        // The button is disabled until both are ready; a click that still finds them not ready
        // (a re-read in between) says so instead of doing nothing.
        let market = details.get_untracked().and_then(Result::ok).map(|d| d.market);
        let Some(market) = market.filter(|_| buy_gate.get_untracked() == BuyGate::Ready) else {
            not_ready.set(Some("The listing or its terms are being read again; buy once they are shown."));
            return;
        };
        not_ready.set(None);
        let name = card.get_untracked().map(|c| c.name).unwrap_or_else(|| format!("model #{model_id}"));
        let label = format!("Buy a licence: {name}, tier {}", tier_id + 1);
        busy.set(true);
        key_problem.set(None);
        spawn_local(async move {
            // Encrypted weights: the key is delivered sealed to this purchase's own key, named by a
            // fresh salt (public, in `EscrowHeld`) and derived from the wallet's signature.
            let (buyer_key, key_salt) = if encrypted {
                let salt = assay_crypto::keys::new_salt();
                let model = model_id.saturating_to::<u64>();
                let keys =
                    async { crate::encryption::licence_secret(&wallet, &Market::session()?, model, &salt).await };
                match keys.await {
                    Ok(secret) => (B256::from(secret.buyer_key()), B256::from(salt)),
                    Err(reason) => {
                        key_problem.set(Some(reason));
                        busy.set(false);
                        return;
                    }
                }
            } else {
                (B256::ZERO, B256::ZERO)
            };
            let call = IAssayMarket::buyLicenseCall {
                modelId: model_id,
                tierId: U256::from(tier_id),
                buyerKey: buyer_key,
                keySalt: key_salt,
            };
            let result = tx.send(Write::call(label, market, &call).with_value(price)).await;
            busy.set(false);
            if result.is_ok() {
                bought.set(true);
                reads.update(|n| *n += 1);
                catalogue.refresh();
                wallet.refresh_balance();
                on_close();
            }
        });
    };
    view! {
        <div class="panel buy" data-testid="buy-summary">
            <h3>"Your licence"</h3>
            <dl class="facts">
                <dt>"Price"</dt><dd data-testid="buy-price">{price_words(price)}</dd>
                <dt>"Allows"</dt><dd data-testid="buy-rights">{what}</dd>
                <dt>"Duration"</dt><dd data-testid="buy-duration">{duration}</dd>
            </dl>
            <h4>"Where the money goes (the " <Term term=GlossaryTerm::Split>"split"</Term> ")"</h4>
            {with_details(details, move |d| {
                let parents = d.parents.clone();
                let payees = split(price, d.fee_bps, d.treasury, &parents, &d.co_authors, owner);
                view! { <SplitTable payees=payees owner="Model owner" test_id="buy-split" /> }
            })}
            {encrypted.then(|| view! {
                <p class="notice" data-testid="buy-escrow">
                    "This model's weights are encrypted. Your payment waits in the market's " <Term term=GlossaryTerm::Escrow>"escrow"</Term> " until the owner delivers the key, sealed to your account; "
                    "if it isn't delivered in time, you take the full payment back from your library. "
                    "Your wallet first signs a message (twice, no transaction, no cost) that makes your Assay encryption key."
                </p>
            })}
            {move || match state() {
                TermsState::Read(document) => view! {
                    <label class="check buy__accept">
                        <input type="checkbox" data-testid="buy-accept" prop:checked=move || confirmed.get()
                            on:change=move |ev| confirmed.set(event_target_checked(&ev)) />
                        " " <span data-testid="buy-accept-text">{confirmation(&document)}</span>
                    </label>
                }.into_any(),
                _ => ().into_any(),
            }}
            {move || buy_gate.get().reason().map(|why| view! { <p class="muted" data-testid="buy-gate" data-gate=gate_key(&buy_gate.get())>{why}</p> })}
            {move || key_problem.get().map(|p| view! { <ErrorNote testid="buy-key-problem" error=p /> })}
            {move || not_ready.get().map(|why| view! { <ProblemNote testid="buy-not-ready" text=why /> })}
            <div class="buy__actions">
                <button class="button" on:click=move |_| on_close()>"Back"</button>
                {move || match wallet.connection.get() {
                    None => view! {
                        <p class="muted" data-testid="buy-connect">
                            "Connect a " <Term term=GlossaryTerm::Wallet>"wallet"</Term> " to buy (the trial above needs none). "
                            <a href=Route::About.href()>"How buying works"</a>
                        </p>
                    }.into_any(),
                    Some(_) => view! {
                        <button class="button button--primary" data-testid="buy-confirm" disabled=move || busy.get() || buy_gate.get() != BuyGate::Ready || market().is_none() on:click=buy>
                            {move || if busy.get() { "Buying…" } else { "Buy licence" }}
                        </button>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

fn gate_key(gate: &BuyGate) -> &'static str {
    match gate {
        BuyGate::Ready => "ready",
        BuyGate::Reading => "reading",
        BuyGate::Confirm => "confirm",
        BuyGate::Unreadable(_) => "unreadable",
    }
}

/// A tier's terms document, fetched from IPFS (verified against its CID) and read whole.
fn terms_of(cid: &str, config: RuntimeConfig) -> LocalResource<TermsState> {
    let listed = (!cid.is_empty()).then(|| ListedCid::parse(cid));
    LocalResource::new(move || {
        let (listed, config) = (listed.clone(), config.clone());
        async move {
            let Some(listed) = listed else { return TermsState::Absent };
            let cid = match listed.cid() {
                Ok(cid) => cid,
                Err(e) => return TermsState::Unreadable(e.to_string()),
            };
            let mut ipfs = Ipfs::new(&config.ipfs);
            ipfs.max_bytes = MAX_TERMS_BYTES;
            match ipfs.fetch(cid, |_| {}).await {
                Ok(bytes) => TermsDocument::parse(&bytes).map_or_else(TermsState::Unreadable, TermsState::Read),
                Err(e) => TermsState::Unreadable(e.to_string()),
            }
        }
    })
}

/// A tier's terms: its title opens a disclosure with the terms, for a buyer to read before
/// choosing; its restrictions are shown whole, outside it.
#[component]
fn TierTerms(cid: String, document: LocalResource<TermsState>) -> impl IntoView {
    move || {
        match document.get() {
        None | Some(TermsState::Loading) => view! { <p class="skeleton">"Reading the terms…"</p> }.into_any(),
        Some(TermsState::Absent) => ().into_any(),
        Some(TermsState::Read(document)) => {
            let title = if document.title.is_empty() { "Terms".to_owned() } else { document.title.clone() };
            let r = document.restrictions.clone();
            let uses = r.prohibited_uses.iter().map(|u| u.key()).collect::<Vec<_>>().join(",");
            let use_words = r.prohibited_uses.iter().map(|u| u.words()).collect::<Vec<_>>().join("; ");
            let codes = r.excluded_territories.iter().map(|t| t.code()).collect::<Vec<_>>().join(",");
            let places = r.excluded_territories.iter().map(|t| t.words()).collect::<Vec<_>>().join(", ");
            view! {
                {(!r.prohibited_uses.is_empty()).then(|| view! {
                    <p class="tier__restriction" data-testid="tier-prohibited" data-uses=uses>"Not for: " {use_words}</p>
                })}
                {(!r.excluded_territories.is_empty()).then(|| view! {
                    <p class="tier__restriction" data-testid="tier-excluded" data-territories=codes>"Not in: " {places}</p>
                })}
                <details class="tier__terms" data-testid="tier-terms">
                    <summary data-testid="tier-title">{title}</summary>
                    <p class="tier__terms-text" data-testid="tier-terms-text">{document.body}</p>
                    <p class="muted">"Stored on IPFS as " <code>{cid.clone()}</code> "; your licence token points to it."</p>
                </details>
            }
            .into_any()
        }
        Some(TermsState::Unreadable(e)) => view! {
            <p class="muted" data-testid="tier-terms-error">"The terms (" <code>{cid.clone()}</code> ") could not be read: " {e}</p>
        }
        .into_any(),
    }
    }
}
