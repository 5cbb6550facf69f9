//! A small "explorer ↗" link beside an account or a token, when the network has a block explorer
//! (`RuntimeConfig::address_url`, `token_url`); nothing on a chain without one (the dev chain).

use alloy_primitives::{Address, U256};
use assay_core::config::RuntimeConfig;
use leptos::prelude::*;

/// What the link opens on the explorer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnExplorer {
    Account(Address),
    /// A model's NFT (`AssayModels`) or a licence (`AssayMarket`), by the contract's name in the
    /// configuration.
    Token {
        contract: &'static str,
        id: U256,
    },
}

#[component]
pub fn ExplorerLink(target: OnExplorer, testid: &'static str) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let (url, label) = match target {
        OnExplorer::Account(account) => (config.address_url(&account), format!("{account} on the block explorer")),
        OnExplorer::Token { contract, id } => (
            config.contract(contract).and_then(|address| config.token_url(&address, id)),
            format!("token #{id} on the block explorer"),
        ),
    };
    url.map(|url| {
        view! {
            <a class="explorer-link" href=url target="_blank" rel="noopener noreferrer" title=label.clone() aria-label=label data-testid=testid>
                "explorer ↗"
            </a>
        }
    })
}
