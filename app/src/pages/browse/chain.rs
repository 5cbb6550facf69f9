//! Browse from the chain: the whole catalogue read from the market (`CatalogueContext`), every
//! card and, for the compliance filters, every available tier's terms read once, the query
//! filtered and sorted here (`assay_core::browse::apply`), and the grid's badges from the
//! contracts' logs. Used for a query the indexer cannot answer, or when there is no indexer or it
//! is behind; a wasm part (`crate::split`, shared with the catalogue's chain reads), so a first
//! visit Browse serves from the indexer never downloads it.

use std::collections::BTreeMap;
use std::sync::Arc;

use alloy_primitives::U256;
use assay_core::attestations::Tally;
use assay_core::browse::{self, Listing, Query};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayModeration::Reason;
use assay_core::ipfs::ListedCid;
use assay_core::units::thousands;
use futures::FutureExt;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use super::grid::{EmptyState, LoadingGrid, ShowMore};
use super::{SKELETONS, listing_of, mark};
use crate::chain::catalogue::CatalogueContext;
use crate::chain::market::Market;
use crate::chain::{attestations, moderation};
use crate::clock::now_ms;
use crate::ipfs::cards;
use crate::split::PartNotLoaded;
use crate::ui::components::listing_card::{ListingCard, ListingCardSkeleton};

/// The grid's badges read from the chain: every attestation, and the models under an open case
/// with their reason (`None`: not readable, every listing counts none).
#[derive(Clone, Debug, Default)]
pub struct ChainBadges {
    /// Each attested version's tally, by (model, version).
    pub tallies: Option<BTreeMap<(U256, u64), Tally>>,
    pub reported: Option<BTreeMap<u64, Reason>>,
}

/// Reads the grid's badges from the contracts' logs (one `eth_getLogs` each, asked together).
#[cfg_attr(feature = "parts", wasm_split(browse_chain, wasm_split_path = ::leptos::wasm_split, fallible))]
pub fn read_badges() -> Result<LocalBoxFuture<'static, ChainBadges>, PartNotLoaded> {
    Ok(async {
        let Ok(market) = Market::session() else { return ChainBadges::default() };
        let (attested, cases) = futures::join!(attestations::all(&market), moderation::cases(&market));
        ChainBadges {
            tallies: attested.ok().map(|a| a.tallies()),
            reported: cases.ok().map(|cases| cases.book.open_reports()),
        }
    }
    .boxed_local())
}

/// What Browse gives its chain path.
#[derive(Clone, Copy)]
pub struct Props {
    pub query: Memo<Query>,
    /// Why the chain is read, for `data-source-reason`.
    pub reason: Memo<String>,
    /// The tasks of every listing, for the task filter.
    pub tasks: RwSignal<Vec<String>>,
    /// The badges read from the chain (`None` until read).
    pub badges: RwSignal<Option<ChainBadges>>,
    /// Whether the first page's time was marked (for the e2e bench; either path marks it once).
    pub first_page_marked: StoredValue<bool>,
}

/// Browse's grid from the whole catalogue.
#[cfg_attr(feature = "parts", wasm_split(browse_chain, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_grid)))]
pub fn grid(props: Props) -> Result<AnyView, PartNotLoaded> {
    Ok(view! { <ChainGrid props=props /> }.into_any())
}

/// Fetches the chain path's part without building it.
#[cfg(feature = "parts")]
pub async fn fetch() -> Result<(), PartNotLoaded> {
    preload_grid().await.map_err(PartNotLoaded::from)
}

/// Without `parts` the chain path is in the one wasm: nothing to fetch.
#[cfg(not(feature = "parts"))]
pub async fn fetch() -> Result<(), PartNotLoaded> {
    Ok(())
}

/// Listings shared without copying; every rebuild is a new value.
type Listings = Arc<Vec<Listing>>;

#[component]
fn ChainGrid(props: Props) -> impl IntoView {
    let Props { query, reason, tasks, badges, first_page_marked } = props;
    let catalogue = CatalogueContext::wanted();
    let config = use_context::<RuntimeConfig>();

    // Every distinct manifest CID is read once.
    let for_cards = config.clone();
    Effect::new(move |_| {
        let Some(config) = for_cards.clone() else { return };
        catalogue.catalogue.with(|c| {
            if let Some(c) = c {
                let manifests: Vec<_> = c.models().map(|m| m.manifest()).collect();
                cards::request(&manifests, &config.ipfs);
            }
        });
    });
    // The available tiers' terms, read (once each, through the same cache) only while a
    // territory or use filter needs them.
    let for_terms = config.clone();
    Effect::new(move |_| {
        let Some(config) = for_terms.clone() else { return };
        if !query.with(Query::needs_terms) {
            return;
        }
        listings_for_terms(catalogue, &config);
    });

    // When something changed (data or query), for the timing hooks.
    let changed_at = StoredValue::new(0.0f64);
    let listings_changed_at = StoredValue::new(None::<f64>);
    let data_at = StoredValue::new(None::<f64>);
    let version = cards::version();
    let listings: Memo<Option<Listings>> = Memo::new_with_compare(
        move |_| {
            version.track();
            let read = badges.get().unwrap_or_default();
            let reported = read.reported.unwrap_or_default();
            catalogue.catalogue.with(|c| {
                let c = c.as_ref()?;
                let now = now_ms();
                if listings_changed_at.get_value().is_none() {
                    listings_changed_at.set_value(Some(now));
                }
                if data_at.get_value().is_none() {
                    data_at.set_value(Some(now));
                }
                Some(Arc::new(
                    c.models()
                        .map(|m| listing_of(m.clone(), read.tallies.as_ref(), &reported).with_terms(cards::terms))
                        .collect::<Vec<_>>(),
                ))
            })
        },
        |_, _| true,
    );
    Effect::new(move |_| {
        if let Some(found) = listings.with(|l| l.as_ref().map(|l| browse::tasks(l))) {
            tasks.set(found);
        }
    });
    let matches = Memo::new(move |_| {
        let q = query.get();
        listings.with(|l| {
            let l = l.as_ref()?;
            let started = now_ms();
            // From the rebuild of the listings if that is why, else from now (a query change).
            changed_at.set_value(listings_changed_at.get_value().unwrap_or(started));
            listings_changed_at.set_value(None);
            let found = browse::apply(l, &q);
            let undecided = browse::undecided(l, &q);
            mark("data-browse-apply-ms", &format!("{:.2}", now_ms() - started));
            Some((found, undecided))
        })
    });

    // After the grid is updated: how long it took, for the bench.
    let renders = StoredValue::new(0u64);
    Effect::new(move |_| {
        matches.track();
        query.track();
        let Some(_) = listings.with_untracked(|l| l.as_ref().map(|_| ())) else { return };
        request_animation_frame(move || {
            let done = now_ms();
            let took = done - changed_at.get_value();
            renders.update_value(|n| *n += 1);
            mark("data-browse-render-ms", &format!("{took:.1}"));
            mark("data-browse-renders", &renders.get_value().to_string());
            if !first_page_marked.get_value()
                && let Some(at) = data_at.get_value()
            {
                first_page_marked.set_value(true);
                mark("data-browse-first-page-ms", &format!("{:.1}", done - at));
            }
            web_sys::console::log_1(&format!("browse: grid rendered {took:.1} ms after the change").into());
        });
    });

    move || {
        let q = query.get();
        mark("data-browse-source", "chain");
        let Some(all) = listings.get() else {
            return view! { <LoadingGrid /> }.into_any();
        };
        let Some((found, undecided)) = matches.get() else { return ().into_any() };
        let count = found.len();
        let shown: Vec<Listing> = found.iter().take(q.shown).map(|&i| all[i].clone()).collect();
        let more = count.saturating_sub(q.shown);
        let empty = count == 0 && undecided == 0;
        view! {
            <p class="browse__count" data-testid="browse-results" data-count=count data-undecided=undecided data-source="chain" data-source-reason=reason aria-live="polite">
                {browse::result_count(shown.len(), count)}
                {(undecided > 0).then(|| format!(" · {} more still loading their model cards or terms", thousands(undecided)))}
            </p>
            {empty.then(|| view! { <EmptyState query=q.clone() total=all.len() /> })}
            <div class="listing-grid">
                {shown.into_iter().map(|listing| view! { <ListingCard listing=listing /> }).collect_view()}
                {(count == 0 && undecided > 0).then(|| (0..undecided.min(SKELETONS)).map(|_| view! { <ListingCardSkeleton /> }).collect_view())}
            </div>
            <ShowMore query=q.clone() left=more exact=true />
        }
        .into_any()
    }
}

/// Requests the terms documents of every listing's available tiers.
fn listings_for_terms(catalogue: CatalogueContext, config: &RuntimeConfig) {
    catalogue.catalogue.with_untracked(|c| {
        let Some(c) = c else { return };
        let cids: Vec<ListedCid> =
            c.models().flat_map(|m| browse::terms_cids(m).map(ListedCid::parse).collect::<Vec<_>>()).collect();
        cards::request(&cids, &config.ipfs);
    });
}
