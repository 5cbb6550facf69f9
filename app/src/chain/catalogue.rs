//! The catalogue, read without a wallet: every listing through the market's paged view
//! (`modelsPage`, all pages in one JSON-RPC batch at one block), cached for the session in
//! [`CatalogueContext`], and kept current from the contracts' events (`eth_getLogs` from the last
//! block seen), re-reading only the models the events can't update in place. A reorg under the
//! last block seen (its hash changed) reads the whole catalogue again.

use std::time::Duration;

use alloy_primitives::U256;
use alloy_rpc_types_eth::{BlockId, Filter};
use assay_core::catalogue::{Catalogue, PAGE_SIZE, RawLog, market_topics, pages};
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use super::Market;
use crate::split::{PartNotLoaded, part};

/// How often new events are looked for.
const REFRESH: Duration = Duration::from_secs(5);

/// The cached catalogue and its state. Cheap to copy.
#[derive(Clone, Copy)]
pub struct CatalogueContext {
    /// `None` until the first load finishes.
    pub catalogue: RwSignal<Option<Catalogue>>,
    /// Why the last load or refresh failed.
    pub error: RwSignal<Option<Failure>>,
    /// `None` when the configuration names no market: there is no catalogue to read.
    market: StoredValue<Option<Market>>,
    busy: StoredValue<bool>,
    /// Whether a page has asked for the whole catalogue. Browse served by an indexer doesn't: a
    /// visitor who only browses never downloads it.
    wanted: StoredValue<bool>,
}

impl CatalogueContext {
    /// Creates and provides the context; the catalogue is loaded once a page asks for it
    /// ([`CatalogueContext::wanted`]) and kept current while the app is open.
    pub fn provide(market: Option<Market>) -> Self {
        let context = Self {
            catalogue: RwSignal::new(None),
            error: RwSignal::new(None),
            market: StoredValue::new(market),
            busy: StoredValue::new(false),
            wanted: StoredValue::new(false),
        };
        provide_context(context);
        if let Ok(handle) = set_interval_with_handle(move || context.refresh(), REFRESH) {
            on_cleanup(move || handle.clear());
        }
        context
    }

    /// The context, with the whole catalogue asked for (loaded if it isn't yet): for the pages
    /// that read listings by id or all of them.
    pub fn wanted() -> Self {
        let context: Self = expect_context();
        context.want();
        context
    }

    /// Asks for the whole catalogue: loads it the first time.
    pub fn want(&self) {
        if !self.wanted.get_value() {
            self.wanted.set_value(true);
            self.refresh();
        }
    }

    /// Loads the catalogue if it isn't yet, otherwise applies new events; nothing until a page
    /// has asked for it. Overlapping calls are dropped.
    pub fn refresh(&self) {
        if self.busy.get_value() || !self.wanted.get_value() {
            return;
        }
        let Some(market) = self.market.get_value() else { return };
        self.busy.set_value(true);
        let this = *self;
        spawn_local(async move {
            let current = this.catalogue.get_untracked();
            let result = match part!(sync(market, current)) {
                Ok(sync) => sync.await,
                // Tried again at the next refresh.
                Err(PartNotLoaded) => Err(Failure::Other { detail: NOT_DOWNLOADED.to_owned() }),
            };
            match result {
                Ok(Some(catalogue)) => {
                    this.catalogue.set(Some(catalogue));
                    this.error.set(None);
                }
                Ok(None) => this.error.set(None),
                Err(failure) => this.error.set(Some(failure)),
            }
            this.busy.set_value(false);
        });
    }
}

/// Why the catalogue could not be read when its code did not arrive.
const NOT_DOWNLOADED: &str = "the code that reads the catalogue could not be downloaded: the connection to the site was lost or the gateway dropped the request; it is tried again in a few seconds";

/// Loads the catalogue (`current` none) or applies the events since it was synced. The chain
/// reads behind the catalogue are a wasm part (`crate::split`), fetched the first time a page
/// wants the catalogue: a visitor Browse serves from the indexer never downloads them. They
/// share Browse's chain path's part: every other part needing them too, a part of their own
/// made the splitter cut the pages' shared code into half again as many modules.
#[cfg_attr(feature = "parts", wasm_split(browse_chain, wasm_split_path = ::leptos::wasm_split, fallible))]
fn sync(
    market: Market,
    current: Option<Catalogue>,
) -> Result<LocalBoxFuture<'static, Result<Option<Catalogue>, Failure>>, PartNotLoaded> {
    Ok(async move {
        match current {
            None => load(&market).await.map(Some),
            Some(catalogue) => update(&market, catalogue).await,
        }
    }
    .boxed_local())
}

/// Reads every listing at the latest block: the first page tells the total, the rest go out as
/// one JSON-RPC batch.
async fn load(market: &Market) -> Result<Catalogue, Failure> {
    let (block, hash) = market.rpc.head().await?;
    let at = BlockId::number(block);
    let first = market.rpc.read_at(market.address, page_call(0, PAGE_SIZE), at).await?;
    let total = u64::try_from(first.total).unwrap_or(u64::MAX);
    let mut catalogue = Catalogue::new(block).at_hash(hash);
    catalogue.insert(first.page);

    let rest: Vec<(u64, u64)> = pages(total, PAGE_SIZE).into_iter().skip(1).collect();
    if !rest.is_empty() {
        let mut batch = market.rpc.batch_at(at);
        let calls = rest
            .into_iter()
            .map(|(offset, limit)| batch.call(market.address, &page_call(offset, limit)))
            .collect::<Result<Vec<_>, _>>()?;
        batch.send().await?;
        for call in calls {
            catalogue.insert(call.answer().await?.page);
        }
    }
    Ok(catalogue)
}

/// Applies the events since the last block seen; `None` when nothing new happened.
async fn update(market: &Market, mut catalogue: Catalogue) -> Result<Option<Catalogue>, Failure> {
    // A reorg under the block the catalogue was synced to: events can't undo what it dropped
    // (a listing that no longer exists); the catalogue is read again.
    if !catalogue.still_on(market.rpc.block_hash(catalogue.synced_to()).await?) {
        return load(market).await.map(Some);
    }
    let (latest, latest_hash) = market.rpc.head().await?;
    if latest <= catalogue.synced_to() {
        return Ok(None);
    }
    let filter = Filter::new()
        .address(vec![market.address, market.models])
        .event_signature(market_topics())
        .from_block(catalogue.synced_to() + 1)
        .to_block(latest);
    let logs: Vec<RawLog> = market
        .rpc
        .logs(&filter)
        .await?
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
    let refetch = catalogue.apply(market.address, market.models, &logs, latest);
    catalogue = catalogue.at_hash(latest_hash);
    for id in refetch {
        match market.read(IAssayMarket::modelCall { modelId: id }).await {
            Ok(summary) => catalogue.insert([summary]),
            // A model that doesn't exist (any more) simply isn't listed.
            Err(Failure::Reverted(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(Some(catalogue))
}

fn page_call(offset: u64, limit: u64) -> IAssayMarket::modelsPageCall {
    IAssayMarket::modelsPageCall { offset: U256::from(offset), limit: U256::from(limit) }
}
