//! The pages that are not in the first download. Browse is what a first visit shows, so its code
//! is in the app's main wasm; every other page is a **part** of its own (wasm-split: each
//! `#[wasm_split(<part>)]` function below and what only it reaches is cut out of the main wasm by
//! `cargo xtask`'s build, `xtask/src/app_wasm.rs`), fetched the first time its route is shown and
//! kept for the rest of the visit (`crate::split`).
//!
//! A part that cannot be fetched (offline, a gateway that drops the request) is a sentence and a
//! button that tries again, never a dead page: the split functions are `fallible`, so a failed
//! load is an `Err`, not a panic.

use assay_core::route::Route;
use futures::FutureExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use crate::pages;
pub use crate::split::PartNotLoaded;
use crate::split::part;

type Page = Result<AnyView, PartNotLoaded>;

#[cfg_attr(feature = "parts", wasm_split(list_model, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_list_model)))]
fn list_model() -> Page {
    Ok(view! { <pages::list_model::ListModelPage /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(library, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_library)))]
fn library() -> Page {
    Ok(view! { <pages::library::LibraryPage /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(dashboard, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_dashboard)))]
fn dashboard() -> Page {
    Ok(view! { <pages::dashboard::DashboardPage /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(model, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_model)))]
fn model(id: u64) -> Page {
    Ok(view! { <pages::model::ModelPage id=id /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(creator, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_creator)))]
fn creator(address: [u8; 20]) -> Page {
    Ok(view! { <pages::creator::CreatorPage address=address.into() /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(moderation, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_moderation)))]
fn moderation() -> Page {
    Ok(view! { <pages::moderation::ModerationPage /> }.into_any())
}

#[cfg_attr(feature = "parts", wasm_split(about, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_about)))]
fn about() -> Page {
    Ok(view! { <pages::about::AboutPage /> }.into_any())
}

#[cfg(feature = "bench")]
#[cfg_attr(feature = "parts", wasm_split(bench, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_bench)))]
fn bench(route: u8) -> Page {
    Ok(match route {
        0 => view! { <crate::bench::ipfs::BenchIpfsPage /> }.into_any(),
        1 => view! { <crate::bench::inference::BenchInferencePage /> }.into_any(),
        2 => view! { <crate::bench::encryption::BenchEncryptionPage /> }.into_any(),
        _ => view! { <crate::bench::evaluation::BenchEvaluationPage /> }.into_any(),
    })
}

/// The page of `route` once its part is here. Browse and unknown paths are in the main wasm and
/// never come here.
async fn load(route: Route) -> Page {
    match route {
        Route::ListModel => part!(list_model()),
        Route::Library => part!(library()),
        Route::Dashboard => part!(dashboard()),
        Route::Model { id } => part!(model(id)),
        Route::Creator { address } => part!(creator(address.into_array())),
        Route::Moderation => part!(moderation()),
        Route::About => part!(about()),
        #[cfg(feature = "bench")]
        Route::BenchIpfs => part!(bench(0)),
        #[cfg(feature = "bench")]
        Route::BenchInference => part!(bench(1)),
        #[cfg(feature = "bench")]
        Route::BenchEncryption => part!(bench(2)),
        #[cfg(feature = "bench")]
        Route::BenchEvaluation => part!(bench(3)),
        other => Ok(view! { <pages::not_found::NotFoundPage path=other.path() /> }.into_any()),
    }
}

/// Fetches `route`'s part (and the shared parts it needs) without building its page.
#[cfg(feature = "parts")]
async fn fetch_part(route: &Route) -> Result<(), PartNotLoaded> {
    let loaded = match route {
        Route::ListModel => preload_list_model().await,
        Route::Library => preload_library().await,
        Route::Dashboard => preload_dashboard().await,
        Route::Model { .. } => preload_model().await,
        Route::Creator { .. } => preload_creator().await,
        Route::Moderation => preload_moderation().await,
        Route::About => preload_about().await,
        #[cfg(feature = "bench")]
        Route::BenchIpfs | Route::BenchInference | Route::BenchEncryption | Route::BenchEvaluation => {
            preload_bench().await
        }
        _ => Ok(()),
    };
    loaded.map_err(PartNotLoaded::from)
}

/// Without `parts` every page is in the one wasm: nothing to fetch.
#[cfg(not(feature = "parts"))]
async fn fetch_part(_: &Route) -> Result<(), PartNotLoaded> {
    Ok(())
}

/// `route`'s page, fetched on first use: "Loading the page…" meanwhile, and a way to try again
/// if the part does not arrive.
#[component]
pub fn PartPage(route: Route) -> impl IntoView {
    let fetch_route = route.clone();
    once_fetched(
        move || {
            let route = fetch_route.clone();
            async move { fetch_part(&route).await }
        },
        move || load(route.clone()),
        || view! { <p class="part-loading" data-testid="part-loading">"Loading the page…"</p> }.into_any(),
    )
}

/// What a part builds, once `fetch` has brought its code: `loading` meanwhile, and
/// [`PartFailed`] with Try again (which fetches anew) when it does not arrive. Not a
/// `<Suspense>`: one would turn the view back into its fallback each time any of its own
/// resources loads again.
pub(crate) fn once_fetched<Fetch, Build>(
    fetch: impl Fn() -> Fetch + 'static,
    build: impl Fn() -> Build + Clone + Send + Sync + 'static,
    loading: fn() -> AnyView,
) -> impl IntoView
where
    Fetch: Future<Output = Result<(), PartNotLoaded>> + 'static,
    Build: Future<Output = Result<AnyView, PartNotLoaded>> + Send + 'static,
{
    let attempt = RwSignal::new(0u32);
    let fetched = crate::latest::answers(move || {
        attempt.track();
        fetch()
    });
    // Bumped when a build had to wait after all, to build again.
    let waited = RwSignal::new(0u32);
    move || {
        waited.track();
        match fetched.get() {
            None => loading(),
            Some(Err(PartNotLoaded)) => view! { <PartFailed attempt=attempt /> }.into_any(),
            // The part is here: its call is ready at the first poll, and the view is built at once.
            Some(Ok(())) => match build().now_or_never() {
                Some(Ok(view)) => view,
                Some(Err(PartNotLoaded)) => view! { <PartFailed attempt=attempt /> }.into_any(),
                None => {
                    let build = build.clone();
                    spawn_local(async move {
                        let _ = build().await;
                        waited.update(|n| *n += 1);
                    });
                    loading()
                }
            },
        }
    }
}

#[component]
pub(crate) fn PartFailed(attempt: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="banner banner--error" role="alert" data-testid="part-failed">
            <p>
                "This page's code could not be downloaded: the connection to the site was lost or the gateway "
                "dropped the request. Nothing was changed."
            </p>
            <button class="button" type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                "Try again"
            </button>
        </div>
    }
}
