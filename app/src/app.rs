//! The root component: loads the runtime configuration, then renders the shell.

use assay_core::browse::Query;
use assay_core::config::RuntimeConfig;
use assay_core::route::{Location, Route};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::TxContext;
use crate::config::{self, ConfigLoad};
use crate::pages;
use crate::router::{RouterContext, provide_router};
use crate::ui::components::header::Header;
use crate::ui::components::hosting_note::HostingNote;
use crate::ui::components::rpc_status::RpcStatusLine;
use crate::ui::components::toasts::Toasts;
use crate::wallet::WalletContext;

/// The app. Nothing else starts until `config.json` has been read.
///
/// No `<Suspense>` here (or around a page): a Suspense falls back whenever any resource read
/// below it loads again, so one around the shell replaced the whole app with its fallback each
/// time Browse asked its source again (every 5 s, every keystroke of a search). Pages show their
/// own loading states where their data goes.
#[component]
pub fn App() -> impl IntoView {
    // Read once; a signal set by a task (a resource's machinery is not needed for one read).
    let load = RwSignal::new(None::<ConfigLoad>);
    spawn_local(async move { load.set(Some(config::load().await)) });
    move || match load.get() {
        None => view! { <p class="boot" data-testid="boot">"Loading Assay…"</p> }.into_any(),
        Some(ConfigLoad::Invalid(error)) => view! { <ConfigErrorPage message=error.to_string() /> }.into_any(),
        Some(ConfigLoad::Missing { defaults, detail }) => {
            view! { <Shell config=defaults missing_config=Some(detail) /> }.into_any()
        }
        Some(ConfigLoad::Loaded(config)) => view! { <Shell config=config missing_config=None /> }.into_any(),
    }
}

/// Shown instead of the app when `config.json` exists but is wrong: starting on a guessed
/// network could send someone's transaction to the wrong chain.
#[component]
fn ConfigErrorPage(message: String) -> impl IntoView {
    view! {
        <main class="config-error" data-testid="config-error" role="alert">
            <h1>"Assay can't start: its configuration is invalid"</h1>
            <p class="config-error__detail">{message}</p>
            <p>
                "The site's publisher must fix " <code>"config.json"</code>
                " next to index.html. See the README's “Runtime configuration” section for its fields."
            </p>
        </main>
    }
}

/// The frame every page shares: header with navigation and wallet, then the current page.
#[component]
fn Shell(config: RuntimeConfig, missing_config: Option<String>) -> impl IntoView {
    provide_context(config.clone());
    let hosting = crate::ui::components::hosting_note::current_hosting();
    crate::drafts::set_shared_origin(hosting.is_shared());
    provide_context(hosting.clone());
    let RouterContext { location } = provide_router();
    let wallet = WalletContext::provide(config.clone());
    TxContext::provide(config.clone(), wallet);
    CatalogueContext::provide(Market::provide(&config).ok());
    // Browse's first requests leave before the shell is built and laid out.
    if let Location { route: Route::Browse, query } = location.get_untracked() {
        pages::browse::prefetch(&config, Query::from_query(&query));
    }
    crate::ipfs::glue::warm_up();
    // The page is mounted again only when the route changes, not its query: Browse's search,
    // filters and sort live in the query, and a change of them must not rebuild the page.
    let route = Memo::new(move |_| location.with(|l| l.route.clone()));
    let defaults_note = missing_config.map(|detail| {
        view! {
            <div class="banner banner--warning" data-testid="config-missing" role="status">
                "No config.json was found next to this page (" {detail} "): using the local development defaults — chain "
                {config.chain_id} " at " {config.rpc_url.clone()} "."
            </div>
        }
    });
    view! {
        <Header />
        {defaults_note}
        <HostingNote hosting=hosting />
        <RpcStatusLine />
        <main class="page" data-testid="page">
            {move || match route.get() {
                Route::Browse => view! { <pages::browse::BrowsePage /> }.into_any(),
                // The published app has no benchmark pages: their routes are unknown there.
                #[cfg(not(feature = "bench"))]
                bench @ (Route::BenchIpfs | Route::BenchInference | Route::BenchEncryption | Route::BenchEvaluation) => {
                    view! { <pages::not_found::NotFoundPage path=bench.path() /> }.into_any()
                }
                Route::NotFound { path } => view! { <pages::not_found::NotFoundPage path=path /> }.into_any(),
                // Every other page is fetched the first time it is shown (pages::parts).
                other => view! { <pages::parts::PartPage route=other /> }.into_any(),
            }}
        </main>
        <crate::ui::components::wallet_prompt::WalletPromptNote />
        <Toasts />
        <footer class="footer">
            "Assay runs entirely in your browser: no server holds your models, keys or data."
        </footer>
    }
}
