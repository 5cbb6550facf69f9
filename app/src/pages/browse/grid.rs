//! The grid's pieces around the listing cards: skeletons while the listings are on their way,
//! "Show more", and why nothing matched.

use assay_core::browse::{self, PAGE, Query};
use assay_core::route::Route;
use leptos::prelude::*;

use super::{History, SKELETONS, go};
use crate::ui::components::listing_card::ListingCardSkeleton;

/// Skeleton cards while the listings are on their way.
#[component]
pub(super) fn LoadingGrid() -> impl IntoView {
    view! {
        <div class="listing-grid" data-testid="browse-loading" aria-busy="true">
            {(0..SKELETONS).map(|_| view! { <ListingCardSkeleton /> }).collect_view()}
        </div>
    }
}

/// "Show more": one more page of results, `left` of them not shown yet.
#[component]
pub(super) fn ShowMore(query: Query, left: usize, exact: bool) -> impl IntoView {
    (left > 0).then(|| {
        let next = Query { shown: query.shown + PAGE, ..query };
        view! {
            <button class="browse__more" data-testid="browse-more" on:click=move |_| go(&next, History::Replace)>
                {browse::show_more(left, exact)}
            </button>
        }
    })
}

/// Why nothing matched, with a way out.
#[component]
pub(super) fn EmptyState(query: Query, total: usize) -> impl IntoView {
    let reason = browse::explain_empty(&query, total);
    let has_text = !query.text.trim().is_empty();
    let has_filters = query.has_filters();
    let without_text = Query { text: String::new(), ..query.clone() }.first_page();
    let without_filters = Query { text: query.text.clone(), sort: query.sort, ..Query::default() };
    view! {
        <div class="panel empty browse__empty" data-testid="browse-empty" role="status">
            <p data-testid="browse-empty-reason">{reason}</p>
            <p class="browse__empty-actions">
                {has_text.then(|| view! {
                    <button data-testid="browse-clear-search" on:click=move |_| go(&without_text, History::Push)>"Clear the search"</button>
                })}
                {has_filters.then(|| view! {
                    <button data-testid="browse-clear-filters" on:click=move |_| go(&without_filters, History::Push)>"Clear the filters"</button>
                })}
            </p>
            <p class="muted">"New here? " <a href=Route::About.href() data-testid="browse-empty-about">"How Assay works"</a></p>
        </div>
    }
}
