//! A panel that reads the configured chain directly (no wallet): chain id, latest block,
//! configured contracts. It proves the read path works and explains a misconfiguration.

use assay_core::config::RuntimeConfig;
use assay_core::failure::Failure;
use leptos::prelude::*;
use leptos::task::spawn_local;

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
    // Read at every mount (every visit to Browse). A signal set by a task, not a resource under a
    // `<Suspense>`: the panel's two reads do not need their machinery in the first download.
    let facts = RwSignal::new(None::<Result<ChainFacts, Failure>>);
    spawn_local(async move {
        let read = async {
            Ok::<_, Failure>(ChainFacts { chain_id: rpc.chain_id().await?, block: rpc.block_number().await? })
        };
        let read = read.await;
        // The panel may be gone by then (the page changed).
        let _ = facts.try_set(Some(read));
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
            {move || match facts.get() {
                None => view! { <p class="skeleton">"Reading the chain…"</p> }.into_any(),
                Some(Ok(facts)) if facts.chain_id == expected => view! {
                    <p data-testid="network-chain">
                        "Chain " <strong>{facts.chain_id}</strong> " · block " <strong data-testid="network-block">{facts.block}</strong>
                    </p>
                }.into_any(),
                Some(Ok(facts)) => view! {
                    <p class="error" role="alert" data-testid="network-mismatch">
                        "The RPC endpoint is on chain " {facts.chain_id} " but this site is configured for chain "
                        {expected} ": check config.json."
                    </p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorNote testid="network-error" error=error /> }.into_any(),
            }}
            {if no_contracts {
                view! { <p class="muted" data-testid="network-no-contracts">"No marketplace contracts are configured for this network yet."</p> }.into_any()
            } else {
                view! { <ul class="network__contracts" data-testid="network-contracts">{contracts}</ul> }.into_any()
            }}
        </section>
    }
}
