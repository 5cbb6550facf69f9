//! The wallet prompt of pages that are about the connected account.

use assay_core::route::Route;
use leptos::prelude::*;

use crate::wallet::WalletContext;

/// Asks for a wallet on pages that are about the connected account; shows the account when
/// connected.
#[component]
pub fn ConnectPrompt(purpose: &'static str) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    move || {
        match wallet.connection.get() {
        None => view! {
            <div class="panel empty" data-testid="connect-prompt">
                <p>"Connect a wallet to " {purpose} "."</p>
                <p class="muted">
                    "Use the Connect wallet button at the top right. No wallet yet? Any browser wallet works (EIP-6963): install one and create an account — "
                    <a href=Route::About.href() data-testid="connect-prompt-about">"how Assay works"</a> "."
                </p>
            </div>
        }
        .into_any(),
        Some(connection) => view! {
            <div class="panel" data-testid="account-panel">
                <p>"Signed in as " <code>{connection.account.to_checksum(None)}</code> "."</p>
            </div>
        }
        .into_any(),
    }
    }
}
