//! The catalogue, read without a wallet: every listing through the market's paged view
//! (`modelsPage`, all pages in one JSON-RPC batch at one block), cached for the session in
//! [`CatalogueContext`], and kept current from the contracts' events (`eth_getLogs` from the last
//! block seen), re-reading only the models the events can't update in place.

use std::time::Duration;

use alloy_primitives::{Address, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::{BlockId, Filter, TransactionRequest};
use alloy_sol_types::SolCall;
use assay_core::catalogue::{Catalogue, PAGE_SIZE, RawLog, market_topics, pages};
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{ReadProvider, call_request, contract, failure, read, read_provider};

/// How often new events are looked for.
const REFRESH: Duration = Duration::from_secs(5);

/// The cached catalogue and its state. Cheap to copy.
#[derive(Clone, Copy)]
pub struct CatalogueContext {
    /// `None` until the first load finishes.
    pub catalogue: RwSignal<Option<Catalogue>>,
    /// Why the last load or refresh failed, in words.
    pub error: RwSignal<Option<String>>,
    config: StoredValue<RuntimeConfig>,
    busy: StoredValue<bool>,
}

struct Contracts {
    market: Address,
    models: Address,
}

impl CatalogueContext {
    /// Creates and provides the context; loads the catalogue and keeps refreshing it while the
    /// page is open.
    pub fn provide(config: RuntimeConfig) -> Self {
        let context = Self {
            catalogue: RwSignal::new(None),
            error: RwSignal::new(None),
            config: StoredValue::new(config),
            busy: StoredValue::new(false),
        };
        provide_context(context);
        context.refresh();
        if let Ok(handle) = set_interval_with_handle(move || context.refresh(), REFRESH) {
            on_cleanup(move || handle.clear());
        }
        context
    }

    fn contracts(&self) -> Option<Contracts> {
        self.config.with_value(|c| {
            Some(Contracts { market: contract(c, "AssayMarket")?, models: contract(c, "AssayModels")? })
        })
    }

    /// Loads the catalogue if it isn't yet, otherwise applies new events. Overlapping calls are
    /// dropped.
    pub fn refresh(&self) {
        if self.busy.get_value() {
            return;
        }
        let Some(contracts) = self.contracts() else { return };
        self.busy.set_value(true);
        let this = *self;
        spawn_local(async move {
            let url = this.config.with_value(|c| c.rpc_url.clone());
            let provider = read_provider(&url);
            let current = this.catalogue.get_untracked();
            let result = match current {
                None => load(&provider, &url, &contracts).await.map(Some),
                Some(catalogue) => update(&provider, &url, &contracts, catalogue).await,
            };
            match result {
                Ok(Some(catalogue)) => {
                    this.catalogue.set(Some(catalogue));
                    this.error.set(None);
                }
                Ok(None) => this.error.set(None),
                Err(failure) => this.error.set(Some(failure.explain())),
            }
            this.busy.set_value(false);
        });
    }
}

/// Reads every listing at the latest block: the first page tells the total, the rest go out as
/// one JSON-RPC batch.
async fn load(provider: &ReadProvider, url: &str, contracts: &Contracts) -> Result<Catalogue, Failure> {
    let block = provider.get_block_number().await.map_err(|e| failure(&e, url))?;
    let at = BlockId::number(block);
    let first = page_call(contracts.market, 0, PAGE_SIZE);
    let bytes = provider.call(first).block(at).await.map_err(|e| failure(&e, url))?;
    let first = IAssayMarket::modelsPageCall::abi_decode_returns(&bytes).map_err(bad_answer)?;
    let total = u64::try_from(first.total).unwrap_or(u64::MAX);
    let mut catalogue = Catalogue::new(block);
    catalogue.insert(first.page);

    let rest: Vec<(u64, u64)> = pages(total, PAGE_SIZE).into_iter().skip(1).collect();
    if !rest.is_empty() {
        let mut batch = alloy_rpc_client::BatchRequest::new(provider.client());
        let mut waiters = Vec::with_capacity(rest.len());
        for (offset, limit) in rest {
            let request = page_call(contracts.market, offset, limit);
            let waiter = batch
                .add_call::<_, alloy_primitives::Bytes>("eth_call", &(request, at))
                .map_err(|e| failure(&e, url))?;
            waiters.push(waiter);
        }
        batch.send().await.map_err(|e| failure(&e, url))?;
        for waiter in waiters {
            let bytes = waiter.await.map_err(|e| failure(&e, url))?;
            let page = IAssayMarket::modelsPageCall::abi_decode_returns(&bytes).map_err(bad_answer)?;
            catalogue.insert(page.page);
        }
    }
    Ok(catalogue)
}

/// Applies the events since the last block seen; `None` when nothing new happened.
async fn update(
    provider: &ReadProvider,
    url: &str,
    contracts: &Contracts,
    mut catalogue: Catalogue,
) -> Result<Option<Catalogue>, Failure> {
    let latest = provider.get_block_number().await.map_err(|e| failure(&e, url))?;
    if latest <= catalogue.synced_to() {
        return Ok(None);
    }
    let filter = Filter::new()
        .address(vec![contracts.market, contracts.models])
        .event_signature(market_topics())
        .from_block(catalogue.synced_to() + 1)
        .to_block(latest);
    let logs = provider.get_logs(&filter).await.map_err(|e| failure(&e, url))?;
    let logs: Vec<RawLog> = logs
        .into_iter()
        .filter_map(|log| {
            Some(RawLog {
                block: log.block_number?,
                address: log.inner.address,
                topics: log.inner.data.topics().to_vec(),
                data: log.inner.data.data.clone(),
            })
        })
        .collect();
    let refetch = catalogue.apply(contracts.market, contracts.models, &logs, latest);
    for id in refetch {
        match read(provider, url, contracts.market, IAssayMarket::modelCall { modelId: id }).await {
            Ok(summary) => catalogue.insert([summary]),
            // A model that doesn't exist (any more) simply isn't listed.
            Err(Failure::Reverted(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(Some(catalogue))
}

fn page_call(market: Address, offset: u64, limit: u64) -> TransactionRequest {
    call_request(market, &IAssayMarket::modelsPageCall { offset: U256::from(offset), limit: U256::from(limit) })
}

fn bad_answer(error: alloy_sol_types::Error) -> Failure {
    Failure::Other { detail: format!("the market returned an unreadable catalogue page ({error})") }
}
