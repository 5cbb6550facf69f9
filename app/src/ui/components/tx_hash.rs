//! A transaction hash as people read it: short (`0x1234ab…cdef01`), the whole hash in its tooltip
//! and `data-hash`, a link to the block explorer when the network has one, and a copy button.

use alloy_primitives::B256;
use assay_core::config::RuntimeConfig;
use assay_core::units::short_hash;
use leptos::prelude::*;

use super::copy_button::CopyButton;

#[component]
pub fn TxHash(hash: B256, testid: &'static str) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let full = hash.to_string();
    let short = short_hash(&hash);
    let shown = match config.transaction_url(&hash) {
        Some(url) => view! {
            <a class="tx-hash" href=url target="_blank" rel="noopener noreferrer" title=full.clone() data-hash=full.clone() data-testid=testid>
                <code>{short}</code>
            </a>
        }
        .into_any(),
        None => view! { <code class="tx-hash" title=full.clone() data-hash=full.clone() data-testid=testid>{short}</code> }.into_any(),
    };
    view! {
        <span class="tx-hash__wrap">{shown}<CopyButton value=full what="transaction hash" /></span>
    }
}
