//! The moderation contract's pull payments for the connected account — a reporter's refunded or
//! won stakes, an owner's won stakes — with **Withdraw** (nothing shown when it holds nothing).

use alloy_primitives::U256;
use assay_core::units::format_ether;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::market::Market;
use crate::chain::moderation::{self, Parameters};
use crate::chain::tx::TxContext;
use crate::wallet::WalletContext;

/// What the moderation contract holds for the connected account, and Withdraw.
#[component]
pub fn ModerationCredits(params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let tx: TxContext = expect_context();
    let account = move || wallet.connection.with(|c| c.as_ref().map(|c| c.account));
    let reader = params.clone();
    let held = LocalResource::new(move || {
        reads.track();
        let (account, params) = (account(), reader.clone());
        async move {
            let account = account?;
            let market = Market::session().ok()?;
            Some(moderation::withdrawable(&market, &params, account).await.map_err(|e| e.explain()))
        }
    });
    let busy = RwSignal::new(false);
    let withdraw = move |amount: U256| {
        let params = params.clone();
        busy.set(true);
        spawn_local(async move {
            let _ = moderation::withdraw(tx, &params, amount).await;
            busy.set(false);
            reads.update(|n| *n += 1);
        });
    };
    move || {
        let amount = match held.get().flatten()? {
            Ok(amount) if amount.is_zero() => return None,
            Ok(amount) => amount,
            Err(e) => {
                return Some(view! {
                    <p class="notice notice--warning" data-testid="moderation-credits-error">{format!("Your moderation stakes could not be read: {e}")}</p>
                }.into_any());
            }
        };
        let withdraw = withdraw.clone();
        Some(view! {
            <div class="panel" data-testid="moderation-credits">
                <h2 class="panel__title">"Your moderation stakes"</h2>
                <p>
                    "Refunded or won, ready to withdraw: "
                    <strong data-testid="moderation-withdrawable" data-wei=amount.to_string()>{format!("{} ETH", format_ether(amount, 6))}</strong>
                </p>
                <button class="button button--primary" data-testid="moderation-withdraw" disabled=move || busy.get()
                    on:click=move |_| withdraw(amount)>
                    {move || if busy.get() { "Withdrawing…" } else { "Withdraw" }}
                </button>
            </div>
        }.into_any())
    }
}
