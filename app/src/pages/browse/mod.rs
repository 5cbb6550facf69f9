//! Browse: the catalogue (home page) — search, filters, sort and a grid of listings.
//!
//! Everything the person chose lives in the URL (`#/?q=digits&commercial=1&sort=price-low`,
//! read and written by `assay_core::browse::Query`), so a reload or a shared link shows the same
//! view. The listings come from the cached catalogue; each distinct model card is read from IPFS
//! once (a few at a time) into the session's card cache (`crate::ipfs::cards`, shared with the
//! other pages), and a listing whose card is still on its way
//! is shown as a skeleton card. Only the first page of matches is rendered ("Show more" adds one),
//! so 10,000 listings cost what 48 do in the DOM.
//!
//! For the e2e bench, each render of the grid writes to `<body>`: `data-browse-apply-ms` (filter
//! and sort), `data-browse-render-ms` (from the change to the frame after the grid is updated),
//! `data-browse-renders` (a counter) and, once, `data-browse-first-page-ms` (catalogue data to
//! first page).

mod controls;
mod grid;
mod source;

use std::collections::BTreeMap;
use std::sync::Arc;

use assay_core::attestations::Attestations;
use assay_core::browse::{self, Listing, Query};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::indexer::Total;
use assay_core::ipfs::ListedCid;
use assay_core::route::{Location, Route};
use assay_core::units::thousands;
use leptos::prelude::*;

use controls::Controls;
use grid::{EmptyState, LoadingGrid, ShowMore};
use source::Source;
pub use source::prefetch;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::market::Market;
use crate::chain::{attestations, moderation};
use crate::clock::now_ms;
use crate::ipfs::cards;
use crate::router::{RouterContext, navigate};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::listing_card::{ListingCard, ListingCardSkeleton};
use crate::ui::components::network_status::NetworkStatus;
use crate::ui::components::term::Term;

/// Skeleton cards shown while the catalogue loads.
const SKELETONS: usize = 8;

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
fn CatalogueSummary(source: LocalResource<Source>) -> impl IntoView {
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

fn mark(name: &str, value: &str) {
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
    let catalogue: CatalogueContext = expect_context();
    let router: RouterContext = expect_context();
    let config = use_context::<RuntimeConfig>();
    let query = Memo::new(move |_| router.location.with(|l| Query::from_query(&l.query)));
    let opened_at = now_ms();
    let source = source::source(query, config.clone());
    // The chain path needs the whole catalogue: asked for only then.
    Effect::new(move |_| {
        if matches!(source.get(), Some(Source::Chain(_))) {
            catalogue.want();
        }
    });

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
    let first_page_marked = StoredValue::new(false);
    let version = cards::version();
    let indexed_version = version.clone();
    // Reproduced claims recorded on chain, read once (one `eth_getLogs`); until then, and when they
    // can't be read, every listing counts none.
    let attested = LocalResource::new(|| async {
        let market = Market::session().ok()?;
        attestations::all(&market).await.ok()
    });
    // Models under an open moderation case, read once too (one `eth_getLogs`); none until then.
    let reported = LocalResource::new(|| async {
        let market = Market::session().ok()?;
        moderation::cases(&market).await.ok().map(|cases| cases.book.open_reports())
    });
    let listings: Memo<Option<Listings>> = Memo::new_with_compare(
        move |_| {
            version.track();
            let attested = attested.get().flatten();
            let reported = reported.get().flatten().unwrap_or_default();
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
                    c.models().map(|m| listing_of(m.clone(), attested.as_ref(), &reported)).collect::<Vec<_>>(),
                ))
            })
        },
        |_, _| true,
    );
    // The indexer's page as listings (the source asked for their cards when the page arrived).
    let indexed: Memo<Option<(Total, Listings, u64)>> = Memo::new(move |_| {
        indexed_version.track();
        let Some(Source::Indexer { total, models, listed }) = source.get() else { return None };
        let attested = attested.get().flatten();
        let reported = reported.get().flatten().unwrap_or_default();
        let listings = models.into_iter().map(|m| listing_of(m, attested.as_ref(), &reported)).collect::<Vec<_>>();
        Some((total, Arc::new(listings), listed))
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
    let tasks = Memo::new(move |_| match indexed.get() {
        Some((_, page, _)) => browse::tasks(&page),
        None => listings.with(|l| l.as_ref().map(|l| browse::tasks(l)).unwrap_or_default()),
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

    let results = move || {
        let q = query.get();
        if let Some((total, page, listed)) = indexed.get() {
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
            return view! {
                <p class="browse__count" data-testid="browse-results" data-count=count data-count-exact=exact.to_string() data-undecided=0 data-source="indexer" aria-live="polite">
                    {words}
                </p>
                {(count == 0).then(|| view! { <EmptyState query=q.clone() total=usize::try_from(listed).unwrap_or(usize::MAX) /> })}
                <div class="listing-grid">
                    {shown.into_iter().map(|listing| view! { <ListingCard listing=listing /> }).collect_view()}
                </div>
                <ShowMore query=q.clone() left=more exact=exact />
            }
            .into_any();
        }
        if source.get().is_none() {
            return view! { <LoadingGrid /> }.into_any();
        }
        mark("data-browse-source", "chain");
        let reason = match source.get() {
            Some(Source::Chain(reason)) => format!("{reason:?}"),
            _ => String::new(),
        };
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
    };

    view! {
        <CatalogueSummary source=source />
        <section class="browse" aria-label="Search and filter the catalogue">
            <Controls query=query tasks=tasks />
            <div class="browse__results">{results}</div>
        </section>
    }
}

/// A listing as the grid shows it: its card as far as read, its latest version's reproduced
/// claims, its open report and its tiers' terms as far as read.
fn listing_of(
    summary: ModelSummary,
    attested: Option<&Attestations>,
    reported: &BTreeMap<u64, assay_core::contracts::IAssayModeration::Reason>,
) -> Listing {
    let tally = attested.map(|a| a.tally(summary.id, u64::from(summary.versionCount).saturating_sub(1)));
    let report = u64::try_from(summary.id).ok().and_then(|id| reported.get(&id).copied());
    let card = cards::text(&summary.manifest());
    Listing::new(summary, card).with_reproduced(tally.unwrap_or_default()).with_report(report).with_terms(cards::terms)
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
