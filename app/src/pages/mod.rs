//! One module per route, as in Leptos' hackernews example.

pub mod bench_encryption;
pub mod bench_inference;
pub mod bench_ipfs;
pub mod browse;
pub mod creator;
pub mod dashboard;
pub mod dashboard_keys;
pub mod dashboard_models;
pub mod library;
pub mod list_model;
pub mod model;
pub mod network_status;
pub mod not_found;
pub mod publish_version;

use leptos::prelude::*;

use crate::wallet::WalletContext;

/// Asks for a wallet on pages that are about the connected account; shows the account when
/// connected.
#[component]
fn ConnectPrompt(purpose: &'static str) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    move || match wallet.connection.get() {
        None => view! {
            <div class="panel empty" data-testid="connect-prompt">
                <p>"Connect a wallet to " {purpose} "."</p>
                <p class="muted">"Use the Connect wallet button at the top right."</p>
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
