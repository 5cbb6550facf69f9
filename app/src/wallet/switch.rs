//! Switching the wallet to the app's network: `wallet_switchEthereumChain`, with the
//! `wallet_addEthereumChain` fallback for a wallet that does not know it, the result read back.
//! In the wallet's wasm part with connecting (`crate::split`), fetched at the first Connect.

use assay_core::config::RuntimeConfig;
use assay_core::eth::{parse_u64_quantity, to_quantity};
use assay_core::wallet_prompt::WalletPrompt;
use futures::future::{FutureExt, LocalBoxFuture};
use leptos::prelude::*;
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;
use serde_json::json;

use super::context::WalletContext;
use super::eip1193::{Eip1193Provider, codes};
use crate::split::PartNotLoaded;

/// The chain the wallet is on now, as it answers `eth_chainId`.
async fn read_chain(provider: &Eip1193Provider) -> Option<u64> {
    let chain = provider.request("eth_chainId", json!([])).await.ok()?;
    chain.as_str().and_then(|c| parse_u64_quantity(c).ok())
}

/// The chain switch of [`WalletContext::switch_chain`], in the same part as connecting.
#[cfg_attr(feature = "parts", wasm_split(wallet, wasm_split_path = ::leptos::wasm_split, fallible))]
pub(super) fn switching(
    this: WalletContext,
    provider: Eip1193Provider,
    config: RuntimeConfig,
) -> Result<LocalBoxFuture<'static, ()>, PartNotLoaded> {
    Ok(async move {
        let chain_id = to_quantity(config.chain_id);
        let switch = WalletPrompt::SwitchChain { chain: config.chain_name.clone() };
        let mut result = this
            .asking(
                switch.clone(),
                provider.request("wallet_switchEthereumChain", json!([{ "chainId": chain_id }])),
            )
            .await;
        if matches!(&result, Err(e) if e.code == codes::UNRECOGNIZED_CHAIN) {
            let mut chain = json!({
                "chainId": chain_id,
                "chainName": config.chain_name,
                "rpcUrls": config.rpc_endpoints(),
                "nativeCurrency": config.currency,
            });
            if let Some(explorer) = &config.explorer_url {
                chain["blockExplorerUrls"] = json!([explorer]);
            }
            let add = WalletPrompt::AddChain { chain: config.chain_name.clone(), rpc: config.rpc_url.clone() };
            result = this.asking(add, provider.request("wallet_addEthereumChain", json!([chain]))).await;
            if result.is_ok() && read_chain(&provider).await != Some(config.chain_id) {
                // Added but not switched to: the wallet knows the chain now, so ask again.
                result = this
                    .asking(
                        switch,
                        provider.request("wallet_switchEthereumChain", json!([{ "chainId": chain_id }])),
                    )
                    .await;
            }
        }
        // Read the chain back rather than trusting a `chainChanged` event to arrive.
        let result = match result {
            Ok(_) => provider.request("eth_chainId", json!([])).await,
            Err(error) => Err(error),
        };
        this.pending.set(false);
        match result {
            Ok(chain) => {
                if let Some(chain_id) = chain.as_str().and_then(|c| parse_u64_quantity(c).ok()) {
                    this.connection.update(|c| {
                        if let Some(c) = c {
                            c.chain_id = chain_id;
                        }
                    });
                    if chain_id == config.chain_id {
                        this.refresh_balance();
                    } else {
                        this.error.set(Some(format!(
                            "Your wallet knows {} now but stayed on chain {chain_id}. Switch to {} in your wallet, or press Switch again.",
                            config.chain_name, config.chain_name
                        )));
                    }
                }
            }
            Err(error) => this.error.set(Some(error.explain().await)),
        }
    }
    .boxed_local())
}
