//! Dashboard: the connected researcher's models, sales, withdrawable balance and the earnings its
//! models hold for it to claim.

mod keys;
mod models;

use alloy_primitives::U256;
use assay_core::contracts::IAssayMarket;
use assay_core::earnings::{Claimable, withdraw_blocked};
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::units::format_ether;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{TxContext, Write};
use crate::ui::components::activity::ActivityList;
use crate::ui::components::connect_prompt::ConnectPrompt;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::term::Term;
use crate::wallet::WalletContext;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <section data-page="dashboard">
            <h1>"Dashboard"</h1>
            <p class="lede">"Your models, their sales and your share of every licence fee (each sale's " <Term term=GlossaryTerm::Split>"split"</Term> "), ready to withdraw."</p>
            <ConnectPrompt purpose="see your models and earnings" />
            <Earnings />
            <keys::KeyDeliveries />
            <crate::pages::moderation::OwnerCases />
            <models::ResearcherPanels />
            <ActivityList />
        </section>
    }
}

/// The account's withdrawable balance on the market, with the Withdraw button, and what its models
/// earned (the owner's part and parents' shares, per model and in all), with the Claim button.
#[component]
fn Earnings() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let market = Market::session().ok();
    let reader = market.clone();
    // Bumped after a withdrawal to read the balance again.
    let reads = RwSignal::new(0u32);
    let busy = RwSignal::new(false);
    let withdrawable = LocalResource::new(move || {
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
        reads.track();
        let market = reader.clone();
        async move {
            let (Some(account), Some(market)) = (account, market) else { return None };
            Some(market.read(IAssayMarket::withdrawableCall { account }).await)
        }
    });
    let amount = move || withdrawable.get().flatten().and_then(Result::ok);
    let blocked = move || amount().and_then(withdraw_blocked);
    // The models this account owns now: their earnings are its to claim.
    let owned = Memo::new(move |_| {
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account))?;
        catalogue.catalogue.with(|c| {
            c.as_ref().map(|c| c.models().filter(|m| m.owner == account).map(|m| m.id).collect::<Vec<U256>>())
        })
    });
    let earnings_reader = market.clone();
    let claimable = LocalResource::new(move || {
        let owned = owned.get();
        reads.track();
        let market = earnings_reader.clone();
        async move {
            let (Some(owned), Some(market)) = (owned, market) else { return None };
            let mut earnings = Vec::with_capacity(owned.len());
            for id in owned {
                match market.read(IAssayMarket::earningsOfCall { modelId: id }).await {
                    Ok(wei) => earnings.push((id, wei)),
                    Err(failure) => return Some(Err(failure)),
                }
            }
            Some(Ok((earnings.clone(), Claimable::of(&earnings))))
        }
    });
    let claim_of = move || claimable.get().flatten().and_then(Result::ok).map(|(_, c)| c);
    let claim_blocked = move || claim_of().and_then(|c| c.blocked());
    let claiming = RwSignal::new(false);

    let configured = market.is_some();
    let market = market.map(|m| m.address);
    let claim = move |_| {
        let (Some(market), Some(claimable)) = (market, claim_of()) else { return };
        if claimable.models.is_empty() {
            return;
        }
        let label = format!("Claim {} ETH", format_ether(claimable.total, 6));
        claiming.set(true);
        spawn_local(async move {
            let call = IAssayMarket::claimCall { modelIds: claimable.models };
            let _ = tx.send(Write::call(label, market, &call)).await;
            claiming.set(false);
            reads.update(|n| *n += 1);
        });
    };
    let withdraw = move |_| {
        let Some(market) = market else { return };
        let label = match amount() {
            Some(wei) if !wei.is_zero() => format!("Withdraw {} ETH", format_ether(wei, 6)),
            _ => "Withdraw earnings".to_owned(),
        };
        busy.set(true);
        spawn_local(async move {
            let _ = tx.send(Write::call(label, market, &IAssayMarket::withdrawCall {})).await;
            busy.set(false);
            reads.update(|n| *n += 1);
        });
    };

    move || {
        wallet.connection.with(Option::is_some).then(|| {
            if !configured {
                return view! {
                    <div class="panel" data-testid="earnings">
                        <p class="muted">"No marketplace contracts are configured for this network yet."</p>
                    </div>
                }
                .into_any();
            }
            view! {
                <div class="panel earnings" data-testid="earnings">
                    <h2 class="panel__title">"Earnings"</h2>
                    <p>
                        "Ready to withdraw: "
                        <strong data-testid="withdrawable">
                            {move || match withdrawable.get().flatten() {
                                None => "…".to_owned(),
                                Some(Ok(wei)) => format!("{} ETH", format_ether(wei, 6)),
                                Some(Err(_)) => "unknown".to_owned(),
                            }}
                        </strong>
                    </p>
                    {move || withdrawable.get().flatten().and_then(Result::err).map(|failure| view! {
                        <ErrorNote testid="withdrawable-error" error=failure />
                    })}
                    <button
                        class="button button--primary"
                        data-testid="withdraw"
                        // Nothing known yet, or nothing to take: a withdrawal would only revert.
                        // (When the balance could not be read, pressing it lets the simulation explain.)
                        disabled=move || busy.get() || withdrawable.get().flatten().is_none() || blocked().is_some()
                        aria-describedby="withdraw-reason"
                        on:click=withdraw
                    >
                        {move || if busy.get() { "Withdrawing…" } else { "Withdraw" }}
                    </button>
                    <p class="muted" id="withdraw-reason" data-testid="withdraw-reason">{blocked}</p>
                    <h3>"Your models' earnings"</h3>
                    <p>
                        "Ready to claim: "
                        <strong data-testid="claimable" data-wei=move || claim_of().map(|c| c.total.to_string())>
                            {move || match claimable.get().flatten() {
                                None => "…".to_owned(),
                                Some(Ok((_, c))) => format!("{} ETH", format_ether(c.total, 6)),
                                Some(Err(_)) => "unknown".to_owned(),
                            }}
                        </strong>
                    </p>
                    {move || claimable.get().flatten().and_then(Result::err).map(|failure| view! {
                        <ErrorNote testid="claimable-error" error=failure />
                    })}
                    <ul class="model-earnings" data-testid="model-earnings">
                        {move || claimable.get().flatten().and_then(Result::ok).map(|(earnings, _)| {
                            earnings.into_iter().map(|(id, wei)| view! {
                                <li data-testid="model-earning" data-id=id.to_string() data-wei=wei.to_string()>
                                    {format!("Model #{id}: {} ETH", format_ether(wei, 6))}
                                </li>
                            }).collect_view()
                        })}
                    </ul>
                    <button
                        class="button button--primary"
                        data-testid="claim"
                        disabled=move || claiming.get() || claim_of().is_none() || claim_blocked().is_some()
                        aria-describedby="claim-reason"
                        on:click=claim
                    >
                        {move || if claiming.get() { "Claiming…" } else { "Claim" }}
                    </button>
                    <p class="muted" id="claim-reason" data-testid="claim-reason">{claim_blocked}</p>
                </div>
            }
            .into_any()
        })
    }
}
