//! The page's explanation of what the wallet is asking, shown before the wallet opens and until it
//! answers (`WalletContext::asking`; the words are `assay_core::wallet_prompt`'s).

use leptos::prelude::*;

use crate::wallet::WalletContext;

#[component]
pub fn WalletPromptNote() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    view! {
        <div class="wallet-prompt-region" role="status" aria-live="polite">
            {move || wallet.prompt.get().map(|prompt| view! {
                <div class="wallet-prompt" data-testid="wallet-prompt">
                    <strong data-testid="wallet-prompt-title">{prompt.title()}</strong>
                    <p data-testid="wallet-prompt-text">{prompt.explanation()}</p>
                </div>
            })}
        </div>
    }
}
