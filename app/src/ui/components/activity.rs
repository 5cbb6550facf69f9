//! The activity list: the account's history, newest first — what the market's logs say it did
//! (`chain::history`, so any browser shows it) merged with the transactions this browser started
//! and is following (kept across reloads), one row a transaction
//! (`assay_core::activity::history::merge`). "No transactions yet" only when both have nothing.

use alloy_primitives::{Address, U256};
use assay_core::activity::history::{Origin, merge};
use assay_core::activity::{MAX_ITEMS, Status};
use assay_core::config::RuntimeConfig;
use leptos::prelude::*;

use super::error::ErrorNote;
use super::tx_hash::TxHash;
use crate::chain::Market;
use crate::chain::history;
use crate::chain::tx::TxContext;
use crate::wallet::WalletContext;

fn status_words(status: &Status) -> (&'static str, String) {
    match status {
        Status::Checking => ("checking", "Checking…".to_owned()),
        Status::AwaitingWallet => ("wallet", "Waiting for your wallet…".to_owned()),
        Status::Pending => ("pending", "Pending".to_owned()),
        Status::Confirmed => ("confirmed", "Confirmed".to_owned()),
        Status::Failed { reason } => ("failed", reason.clone()),
    }
}

/// The connected account's history, newest first.
#[component]
pub fn ActivityList() -> impl IntoView {
    let tx: TxContext = expect_context();
    let wallet: WalletContext = expect_context();
    let chain_id = expect_context::<RuntimeConfig>().chain_id;
    let account = Memo::new(move |_| wallet.connection.with(|c| c.as_ref().map(|c| c.account)));
    // Read again when one of this browser's transactions is confirmed: its log is there now.
    let confirmed = Memo::new(move |_| {
        tx.activity.with(|log| log.items().iter().filter(|a| a.status == Status::Confirmed).count())
    });
    // …and when the balance moves: every transaction of the account costs gas, including those
    // sent from another browser or wallet while this page is open.
    let balance_moves = Memo::new(move |previous: Option<&(Option<U256>, u32)>| {
        let now = wallet.balance.get();
        match previous {
            Some(&(Some(before), moves)) if now.is_some_and(|now| now != before) => (now, moves + 1),
            Some(&(before, moves)) => (now.or(before), moves),
            None => (now, 0),
        }
    });
    let moves = Memo::new(move |_| balance_moves.get().1);
    let logged = LocalResource::new(move || {
        let account: Option<Address> = account.get();
        confirmed.track();
        moves.track();
        async move {
            let account = account?;
            Some(match Market::session() {
                Ok(market) => history::of(&market, account, MAX_ITEMS).await,
                Err(failure) => Err(failure),
            })
        }
    });
    // "none" (no account to ask about), "reading", "read" or "failed": for tests and styling.
    let state = move || match (account.get(), logged.get()) {
        (None, _) => "none",
        (Some(_), None) | (Some(_), Some(None)) => "reading",
        (Some(_), Some(Some(Ok(_)))) => "read",
        (Some(_), Some(Some(Err(_)))) => "failed",
    };
    view! {
        <section class="panel activity" data-testid="activity" data-history=state aria-label="Activity">
            <h2 class="panel__title">"Activity"</h2>
            {move || {
                let chain = logged.get().flatten();
                // Each account sees its own: this browser's log holds every account's transactions.
                let rows = account.get().map_or_else(Vec::new, |account| tx.activity.with(|log| {
                    let logs = chain.as_ref().and_then(|r| r.as_ref().ok()).map(Vec::as_slice).unwrap_or_default();
                    merge(log.items(), logs, chain_id, account, MAX_ITEMS)
                }));
                let note = match (state(), &chain) {
                    ("reading", _) => Some(view! { <p class="muted" data-testid="activity-reading">"Reading your history from the chain…"</p> }.into_any()),
                    (_, Some(Err(failure))) => Some(view! {
                        <p class="muted">"Your history on the chain could not be read; this browser's transactions are shown."</p>
                        <ErrorNote testid="activity-error" error=failure.clone() />
                    }.into_any()),
                    _ => None,
                };
                let list = if rows.is_empty() {
                    match state() {
                        "read" => Some(view! { <p class="muted" data-testid="activity-empty">"No transactions yet."</p> }.into_any()),
                        "none" => Some(view! {
                            <p class="muted" data-testid="activity-empty">"No transactions in this browser yet. Connect your wallet to see your account's history."</p>
                        }.into_any()),
                        _ => None,
                    }
                } else {
                    Some(view! {
                        <ol class="activity__list">
                            {rows.into_iter().map(|row| {
                                let (status, words) = status_words(&row.status);
                                let origin = match row.origin { Origin::Chain => "chain", Origin::ThisBrowser => "browser" };
                                let when = row.when();
                                view! {
                                    <li class=format!("activity__item activity__item--{status}") data-testid="activity-item" data-status=status data-origin=origin>
                                        <span class="activity__label" data-testid="activity-label">{row.words}</span>
                                        " "
                                        <span class="activity__status" data-testid="activity-status">{words}</span>
                                        " "
                                        <span class="activity__when muted">{when}</span>
                                        {row.hash.map(|hash| view! { " " <TxHash hash=hash testid="activity-hash" /> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any())
                };
                view! { {note} {list} }
            }}
        </section>
    }
}
