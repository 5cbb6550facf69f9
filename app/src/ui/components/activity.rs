//! The activity list: the account's recent transactions and how they ended (kept across reloads).

use assay_core::activity::Status;
use leptos::prelude::*;

use crate::chain::tx::TxContext;

fn status_words(status: &Status) -> (&'static str, String) {
    match status {
        Status::Checking => ("checking", "Checking…".to_owned()),
        Status::AwaitingWallet => ("wallet", "Waiting for your wallet…".to_owned()),
        Status::Pending => ("pending", "Pending".to_owned()),
        Status::Confirmed => ("confirmed", "Confirmed".to_owned()),
        Status::Failed { reason } => ("failed", reason.clone()),
    }
}

/// Recent transactions, newest first.
#[component]
pub fn ActivityList() -> impl IntoView {
    let tx: TxContext = expect_context();
    view! {
        <section class="panel activity" data-testid="activity" aria-label="Activity">
            <h2 class="panel__title">"Activity"</h2>
            {move || {
                let items = tx.activity.with(|log| log.items().to_vec());
                if items.is_empty() {
                    return view! { <p class="muted" data-testid="activity-empty">"No transactions yet."</p> }.into_any();
                }
                view! {
                    <ol class="activity__list">
                        {items.into_iter().map(|item| {
                            let (state, words) = status_words(&item.status);
                            view! {
                                <li class=format!("activity__item activity__item--{state}") data-testid="activity-item" data-status=state>
                                    <span class="activity__label">{item.label}</span>
                                    " "
                                    <span class="activity__status" data-testid="activity-status">{words}</span>
                                    {item.hash.map(|hash| view! { " " <code class="activity__hash" data-testid="activity-hash">{hash.to_string()}</code> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
