//! Where Browse's listings come from: the indexer's pages when one is configured, answers, is
//! within a few blocks of the chain and can answer the query — so the browser holds one page, not
//! the catalogue —, else the chain (the whole catalogue, read once and filtered here), with the
//! reason said quietly. The indexer's page asks for its listings' cards at once (before Browse
//! renders it). Asked again on every change of the query and every [`RECHECK`], so a
//! stopped indexer is left within seconds and a recovered one taken back.

use std::cell::RefCell;
use std::time::Duration;

use assay_core::browse::Query;
use assay_core::catalogue::Manifest;
use assay_core::config::{IpfsConfig, RuntimeConfig};
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::indexer::{Badges, ChainReason, MAX_PAGE, Total};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::indexer::{self, Indexer};
use crate::clock::now_ms;
use crate::ipfs::cards;
use crate::latest;

/// How often the source is asked again while Browse is open.
pub const RECHECK: Duration = Duration::from_secs(5);

/// Browse's listings, as far as they are known.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The indexer's answer for the query: the first `shown` matches, in order, of `total`;
    /// `listed`: every listing, delisted ones included (the catalogue's size); `badges`: what
    /// the grid marks on each listing, when the indexer counted them.
    Indexer { total: Total, models: Vec<ModelSummary>, badges: Option<Vec<Badges>>, listed: u64 },
    /// The chain, for this reason.
    Chain(ChainReason),
}

/// What the last health check found: when (ms), whether the indexer is fresh (or why not), and
/// the catalogue's size. A query typed within [`RECHECK`] of it costs one request, the page.
#[derive(Clone)]
struct Health {
    at: f64,
    fresh: Result<(), ChainReason>,
    listed: u64,
}

/// The indexer's health for Browse's first answer.
type EarlyHealth = Shared<LocalBoxFuture<'static, Health>>;
/// The indexer's first page for Browse's first answer.
type EarlyPage = Shared<LocalBoxFuture<'static, Result<Page, String>>>;

thread_local! {
    /// Browse's first requests, sent before the app's first render ([`prefetch`]), for this query.
    static EARLY: RefCell<Option<(Query, EarlyHealth, EarlyPage)>> = const { RefCell::new(None) };
}

/// Sends Browse's first requests — the indexer's health and its page for `query`, then that
/// page's cards — now, before the app's first render: on a first visit that render and its
/// layout take ~100 ms, and the page would otherwise ask only after them. [`source`] takes the
/// answers for the same query.
pub fn prefetch(config: &RuntimeConfig, query: Query) {
    let Some(direct) = Indexer::from_config(config) else { return };
    let Some(params) = assay_core::indexer::page_params(&query, query.shown.min(MAX_PAGE)) else { return };
    let health: EarlyHealth = {
        let (config, direct) = (config.clone(), direct.clone());
        async move { check(&config, &direct).await }.boxed_local().shared()
    };
    let shown = query.shown;
    let page: EarlyPage = async move { pages(&direct, params, shown).await }.boxed_local().shared();
    // Polled once here so the requests leave now, then driven to their answers in the background.
    // The page's cards are asked for as soon as it arrives, before the health check (which waits
    // for the chain's head) and before Browse is rendered: should the check not trust the indexer,
    // a few cards of listed models were read early, verified as always.
    let _ = health.clone().now_or_never();
    let _ = page.clone().now_or_never();
    let ipfs = config.ipfs.clone();
    let paged = page.clone();
    spawn_local(async move {
        if let Ok(page) = paged.await {
            request_cards(&page.models, &ipfs);
        }
    });
    EARLY.with(|early| *early.borrow_mut() = Some((query, health, page)));
}

/// The source for `query`, re-asked on each change and every [`RECHECK`]; the indexer's health
/// (its freshness and the catalogue's size) is checked again only when the last check is older.
pub fn source(query: Memo<Query>, config: Option<RuntimeConfig>) -> ReadSignal<Option<Source>, LocalStorage> {
    let tick = RwSignal::new(0u64);
    if let Ok(handle) = set_interval_with_handle(move || tick.update(|t| *t += 1), RECHECK) {
        on_cleanup(move || handle.clear());
    }
    let health = StoredValue::new(None::<Health>);
    latest::answers(move || {
        tick.track();
        let query = query.get();
        let config = config.clone();
        async move {
            let Some(config) = config else { return Source::Chain(ChainReason::NotConfigured) };
            let Some(direct) = Indexer::from_config(&config) else {
                return Source::Chain(ChainReason::NotConfigured);
            };
            let Some(params) = assay_core::indexer::page_params(&query, query.shown.min(MAX_PAGE)) else {
                return Source::Chain(ChainReason::Query);
            };
            let now = now_ms();
            let recent = health.get_value().filter(|h| now - h.at < RECHECK.as_millis() as f64 - 500.0);
            let (Health { fresh, listed, .. }, page) = match recent {
                Some(health) => (health, pages(&direct, params, query.shown).await),
                None => {
                    // The health check and the page are asked together (or were, before the
                    // first render); the page is used only if the check says the indexer may be
                    // trusted with this query.
                    let early = EARLY.with(|early| early.borrow_mut().take()).filter(|(asked, ..)| *asked == query);
                    let (checked, page) = match early {
                        Some((_, health, page)) => futures::join!(health, page),
                        None => futures::join!(check(&config, &direct), pages(&direct, params, query.shown)),
                    };
                    health.set_value(Some(checked.clone()));
                    (checked, page)
                }
            };
            if let Err(reason) = fresh {
                return Source::Chain(reason);
            }
            match page {
                Ok(Page { total, models, badges }) => {
                    // The cards are asked for now, before the page renders its listings.
                    request_cards(&models, &config.ipfs);
                    Source::Indexer { total, models, badges, listed }
                }
                Err(why) => {
                    health.set_value(None);
                    Source::Chain(ChainReason::Unreachable(why))
                }
            }
        }
    })
}

/// The indexer's health now: fresh or why not, and the catalogue's size (every listing), asked
/// together.
async fn check(config: &RuntimeConfig, direct: &Indexer) -> Health {
    let at = now_ms();
    let everything = assay_core::indexer::catalogue_size_params();
    let (fresh, all) = futures::join!(indexer::fresh(config), direct.page(&everything));
    let (fresh, listed) = match (fresh, all) {
        (Ok(_), Ok(all)) => (Ok(()), all.total.count()),
        (Ok(_), Err(why)) => (Err(ChainReason::Unreachable(why)), 0),
        (Err(reason), _) => (Err(reason), 0),
    };
    Health { at, fresh, listed }
}

/// Asks for the cards of a page's listings (each is read once a session).
fn request_cards(models: &[ModelSummary], ipfs: &IpfsConfig) {
    let manifests: Vec<_> = models.iter().map(|m| m.manifest()).collect();
    cards::request(&manifests, ipfs);
}

/// The first matches of a query, and their badges when the indexer gave them for all.
#[derive(Clone)]
struct Page {
    total: Total,
    models: Vec<ModelSummary>,
    badges: Option<Vec<Badges>>,
}

/// The first `shown` matches, in pages of at most [`MAX_PAGE`].
async fn pages(indexer: &Indexer, mut params: Vec<(&'static str, String)>, shown: usize) -> Result<Page, String> {
    let mut models = Vec::new();
    let mut badges = Some(Vec::new());
    loop {
        let offset = models.len();
        set(&mut params, "offset", offset.to_string());
        set(&mut params, "limit", (shown - offset).min(MAX_PAGE).to_string());
        let page = indexer.page(&params).await?;
        let got = page.models.len();
        models.extend(page.models);
        badges = badges.zip(page.badges).map(|(mut all, more)| {
            all.extend(more);
            all
        });
        let all = page.total.is_exact() && models.len() as u64 >= page.total.count();
        if got == 0 || models.len() >= shown || all {
            return Ok(Page { total: page.total, models, badges });
        }
    }
}

fn set(params: &mut [(&'static str, String)], key: &str, value: String) {
    if let Some(param) = params.iter_mut().find(|(k, _)| *k == key) {
        param.1 = value;
    }
}
