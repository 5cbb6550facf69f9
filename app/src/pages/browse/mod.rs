//! Browse: the catalogue (home page) — search, filters, sort and a grid of listings.
//!
//! Everything the person chose lives in the URL (`#/?q=digits&commercial=1&sort=price-low`,
//! read and written by `assay_core::browse::Query`), so a reload or a shared link shows the same
//! view. The listings come from the indexer's pages, with the badges it counted, when it can be
//! trusted with the query (`source`), else from the whole catalogue read from the chain (`chain`,
//! a wasm part a first visit through the indexer never downloads); each distinct model card is
//! read from IPFS once (a few at a time) into the session's card cache (`crate::ipfs::cards`,
//! shared with the other pages), and a listing whose card is still on its way is shown as a
//! skeleton card. Only the first page of matches is rendered ("Show more" adds one), so 10,000
//! listings cost what 48 do in the DOM.
//!
//! For the e2e bench, each render of the grid writes to `<body>`: `data-browse-source`, once
//! `data-browse-first-page-ms` (data to first page), and on the chain path `data-browse-apply-ms`
//! (filter and sort), `data-browse-render-ms` (from the change to the frame after the grid is
//! updated) and `data-browse-renders` (a counter).

mod chain;
mod controls;
mod grid;
mod source;

use std::collections::BTreeMap;
use std::sync::Arc;

use alloy_primitives::U256;
use assay_core::attestations::Tally;
use assay_core::browse::{self, Listing, Query};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::indexer::{Badges, Total};
use assay_core::route::{Location, Route};
use assay_core::units::thousands;
use leptos::prelude::*;
use leptos::task::spawn_local;

use chain::ChainBadges;
use controls::Controls;
use grid::{EmptyState, LoadingGrid, ShowMore};
use source::Source;
pub use source::prefetch;

use crate::chain::catalogue::CatalogueContext;
use crate::clock::now_ms;
use crate::ipfs::cards;
use crate::pages::parts::once_fetched;
use crate::router::{RouterContext, navigate};
use crate::split::{PartNotLoaded, part};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::listing_card::ListingCard;
use crate::ui::components::network_status::NetworkStatus;
use crate::ui::components::term::Term;

/// How many times the chain path's part is asked for before the badges are given up.
const BADGE_TRIES: u32 = 120;

/// Skeleton cards shown while the catalogue loads.
pub(super) const SKELETONS: usize = 8;

#[component]
pub fn BrowsePage() -> impl IntoView {
    view! {
        <section data-page="browse">
            <h1>"Browse models"</h1>
            <p class="lede">
                "Every model here is an " <Term term=GlossaryTerm::ModelNft>"NFT"</Term> " whose weights live on " <Term term=GlossaryTerm::Ipfs>"IPFS"</Term>
                ". Fetch one, verify each byte against its " <Term term=GlossaryTerm::Cid>"CID"</Term> ", and " <Term term=GlossaryTerm::Trial>"try it"</Term> " in your browser before you pay."
            </p>
            <Browse />
            <NetworkStatus />
        </section>
    }
}

/// How many models the catalogue lists (read without a wallet, from the indexer or the chain),
/// and where the grid's listings come from when that is worth saying.
#[component]
fn CatalogueSummary(source: ReadSignal<Option<Source>, LocalStorage>) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let count = move || match source.get() {
        Some(Source::Indexer { listed, .. }) => Some(usize::try_from(listed).unwrap_or(usize::MAX)),
        _ => catalogue.catalogue.with(|c| c.as_ref().map(|c| c.len())),
    };
    let error = move || match source.get() {
        Some(Source::Indexer { .. }) => None,
        _ => catalogue.error.get(),
    };
    let note = move || match source.get() {
        Some(Source::Chain(reason)) => reason.words(),
        _ => None,
    };
    view! {
        <section class="panel catalogue" data-testid="catalogue" aria-label="Catalogue"
            data-source=move || match source.get() { Some(Source::Indexer { .. }) => "indexer", Some(Source::Chain(_)) => "chain", None => "" }>
            {move || note().map(|note| view! { <p class="muted" data-testid="browse-source-note">{note}</p> })}
            {move || match (count(), error()) {
                (_, Some(error)) => view! { <ErrorNote testid="catalogue-error" error=error /> }.into_any(),
                (None, None) => view! { <p class="skeleton" data-testid="catalogue-loading">"Reading the catalogue…"</p> }.into_any(),
                (Some(count), None) => view! {
                    <p data-testid="catalogue-count" data-count=count>
                        {match count {
                            0 => "No models are listed yet.".to_owned(),
                            1 => "1 model listed.".to_owned(),
                            n => format!("{} models listed.", thousands(n)),
                        }}
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------------
// Timing hooks for the e2e bench.

pub(super) fn mark(name: &str, value: &str) {
    if let Some(body) = document().body() {
        let _ = body.set_attribute(name, value);
    }
}

// ---------------------------------------------------------------------------------------------
// The URL.

/// How a change of the query enters the browser history.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum History {
    /// A new entry: Back returns to the previous view.
    Push,
    /// The current entry is updated (further keystrokes of one search, "Show more").
    Replace,
}

pub(super) fn go(query: &Query, history: History) {
    let location = Location { route: Route::Browse, query: query.to_query() };
    let current = Location::from_hash(&window().location().hash().unwrap_or_default());
    if current == location {
        return;
    }
    match history {
        History::Push => navigate(&location),
        History::Replace => {
            // A fragment-only URL: the page is not reloaded, `hashchange` fires, no new entry.
            let _ = window().location().replace(&location.to_hash());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The page.

/// Listings shared without copying; every rebuild is a new value.
type Listings = Arc<Vec<Listing>>;

#[component]
fn Browse() -> impl IntoView {
    let router: RouterContext = expect_context();
    let config = use_context::<RuntimeConfig>();
    let query = Memo::new(move |_| router.location.with(|l| Query::from_query(&l.query)));
    let opened_at = now_ms();
    let source = source::source(query, config.clone());
    let first_page_marked = StoredValue::new(false);
    let indexed_version = cards::version();
    // The grid's badges from the chain's logs — needed on the chain path, or from an indexer
    // that does not count them —, read once, the first time they are needed. Until read, and
    // when they can't be read, every listing counts none.
    let chain_badges = RwSignal::new(None::<ChainBadges>);
    let badges_asked = StoredValue::new(false);
    Effect::new(move |_| {
        let wanted = matches!(source.get(), Some(Source::Chain(_) | Source::Indexer { badges: None, .. }));
        if !wanted || badges_asked.get_value() {
            return;
        }
        badges_asked.set_value(true);
        spawn_local(async move {
            // A part that did not arrive is asked for again, as the source is, for ten minutes.
            for _ in 0..BADGE_TRIES {
                match part!(chain::read_badges()) {
                    Ok(read) => {
                        chain_badges.try_set(Some(read.await));
                        return;
                    }
                    Err(PartNotLoaded) => gloo_timers::future::sleep(source::RECHECK).await,
                }
            }
        });
    });
    // The indexer's page as listings (the source asked for their cards when the page arrived).
    let indexed: Memo<Option<(Total, Listings, u64)>> = Memo::new(move |_| {
        indexed_version.track();
        let Some(Source::Indexer { total, models, badges, listed }) = source.get() else { return None };
        let listings = match badges {
            Some(badges) => models.into_iter().zip(badges).map(|(m, b)| indexed_listing(m, b)).collect::<Vec<_>>(),
            None => {
                let read = chain_badges.get().unwrap_or_default();
                let reported = read.reported.unwrap_or_default();
                models.into_iter().map(|m| listing_of(m, read.tallies.as_ref(), &reported)).collect::<Vec<_>>()
            }
        };
        Some((total, Arc::new(listings), listed))
    });
    // The task filter's choices: the indexer's page's, or every listing's on the chain path.
    let chain_tasks = RwSignal::new(Vec::new());
    let tasks = Memo::new(move |_| match indexed.get() {
        Some((_, page, _)) => browse::tasks(&page),
        None => chain_tasks.get(),
    });
    let reason = Memo::new(move |_| match source.get() {
        Some(Source::Chain(reason)) => format!("{reason:?}"),
        _ => String::new(),
    });
    let chain = chain::Props { query, reason, tasks: chain_tasks, badges: chain_badges, first_page_marked };

    // The indexer's page, re-rendered on each change of it or of the query.
    let indexed_results = move || {
        let q = query.get();
        let (total, page, listed) = indexed.get()?;
        mark("data-browse-source", "indexer");
        if !first_page_marked.get_value() {
            first_page_marked.set_value(true);
            mark("data-browse-first-page-ms", &format!("{:.1}", now_ms() - opened_at));
        }
        let count = usize::try_from(total.count()).unwrap_or(usize::MAX);
        let exact = total.is_exact();
        let more = count.saturating_sub(page.len());
        let shown: Vec<Listing> = page.iter().take(q.shown).cloned().collect();
        let words = if exact {
            browse::result_count(shown.len(), count)
        } else {
            browse::result_count_at_least(shown.len(), count)
        };
        Some(view! {
            <p class="browse__count" data-testid="browse-results" data-count=count data-count-exact=exact.to_string() data-undecided=0 data-source="indexer" aria-live="polite">
                {words}
            </p>
            {(count == 0).then(|| view! { <EmptyState query=q.clone() total=usize::try_from(listed).unwrap_or(usize::MAX) /> })}
            <div class="listing-grid">
                {shown.into_iter().map(|listing| view! { <ListingCard listing=listing /> }).collect_view()}
            </div>
            <ShowMore query=q.clone() left=more exact=exact />
        })
    };
    // Which path renders the grid: the chain path's grid is mounted once and follows the query
    // itself (its listings are kept while the person types), not rebuilt on every change.
    let path = Memo::new(move |_| {
        if indexed.with(Option::is_some) {
            GridPath::Indexer
        } else if matches!(source.get(), Some(Source::Chain(_))) {
            GridPath::Chain
        } else {
            GridPath::Loading
        }
    });
    let results = move || match path.get() {
        GridPath::Indexer => indexed_results.into_any(),
        GridPath::Chain => view! { <ChainResults props=chain /> }.into_any(),
        GridPath::Loading => view! { <LoadingGrid /> }.into_any(),
    };

    view! {
        <CatalogueSummary source=source />
        <section class="browse" aria-label="Search and filter the catalogue">
            <Controls query=query tasks=tasks />
            <div class="browse__results">{results}</div>
        </section>
    }
}

/// Where the grid's listings come from now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum GridPath {
    Loading,
    Indexer,
    Chain,
}

/// The chain path's grid once its part is here: skeletons meanwhile, and a way to try again if
/// it does not arrive.
#[component]
fn ChainResults(props: chain::Props) -> impl IntoView {
    once_fetched(
        chain::fetch,
        move || async move { part!(chain::grid(props)) },
        || view! { <LoadingGrid /> }.into_any(),
    )
}

/// A listing as the grid shows it: its card as far as read, its latest version's reproduced
/// claims and its open report. (The chain path adds its tiers' terms, for the filters only it
/// answers.)
pub(super) fn listing_of(
    summary: ModelSummary,
    tallies: Option<&BTreeMap<(U256, u64), Tally>>,
    reported: &BTreeMap<u64, assay_core::contracts::IAssayModeration::Reason>,
) -> Listing {
    let latest = (summary.id, u64::from(summary.versionCount).saturating_sub(1));
    let tally = tallies.map(|t| t.get(&latest).copied().unwrap_or_default());
    let report = u64::try_from(summary.id).ok().and_then(|id| reported.get(&id).copied());
    let card = cards::text(&summary.manifest());
    Listing::new(summary, card).with_reproduced(tally.unwrap_or_default()).with_report(report)
}

/// A listing of the indexer's page with the badges it counted. No terms: the indexer is not
/// asked a query with a terms filter (`core::indexer::page_params`).
fn indexed_listing(summary: ModelSummary, badges: Badges) -> Listing {
    let card = cards::text(&summary.manifest());
    Listing::new(summary, card).with_reproduced(badges.reproduced).with_report(badges.report)
}
