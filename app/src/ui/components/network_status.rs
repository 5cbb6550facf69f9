//! A panel that reads the configured chain directly (no wallet): chain id, latest block,
//! configured contracts. It proves the read path works and explains a misconfiguration.

use assay_core::config::RuntimeConfig;
use assay_core::failure::Failure;
use leptos::prelude::*;

use crate::chain::Rpc;
use crate::ui::components::error::ErrorNote;

#[derive(Clone, Debug)]
struct ChainFacts {
    chain_id: u64,
    block: u64,
}

/// The network the app reads from.
#[component]
pub fn NetworkStatus() -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let rpc = Rpc::of(&config);
    let facts = LocalResource::new(move || {
        let rpc = rpc.clone();
        async move { Ok::<_, Failure>(ChainFacts { chain_id: rpc.chain_id().await?, block: rpc.block_number().await? }) }
    });
    let expected = config.chain_id;
    let contracts = config
        .contracts
        .iter()
        .map(|(name, address)| {
            view! { <li><span>{name.clone()}</span> " " <code>{address.to_checksum(None)}</code></li> }
        })
        .collect_view();
    let no_contracts = config.contracts.is_empty();
    view! {
        <section class="panel network" data-testid="network-status" aria-label="Network">
            <h2 class="panel__title">"Network"</h2>
            <Suspense fallback=|| view! { <p class="skeleton">"Reading the chain…"</p> }>
                {move || Suspend::new(async move {
                    match facts.await {
                        Ok(facts) if facts.chain_id == expected => view! {
                            <p data-testid="network-chain">
                                "Chain " <strong>{facts.chain_id}</strong> " · block " <strong data-testid="network-block">{facts.block}</strong>
                            </p>
                        }.into_any(),
                        Ok(facts) => view! {
                            <p class="error" role="alert" data-testid="network-mismatch">
                                "The RPC endpoint is on chain " {facts.chain_id} " but this site is configured for chain "
                                {expected} ": check config.json."
                            </p>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote testid="network-error" error=error /> }.into_any(),
                    }
                })}
            </Suspense>
            {if no_contracts {
                view! { <p class="muted" data-testid="network-no-contracts">"No marketplace contracts are configured for this network yet."</p> }.into_any()
            } else {
                view! { <ul class="network__contracts" data-testid="network-contracts">{contracts}</ul> }.into_any()
            }}
        </section>
    }
}
