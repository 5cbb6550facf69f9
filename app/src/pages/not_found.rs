//! Any route the app does not know.

use assay_core::route::Route;
use leptos::prelude::*;

#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <section data-page="not-found">
            <h1>"Page not found"</h1>
            <p>"There is no page at " <code>{path}</code> "."</p>
            <p><a href=Route::Browse.href()>"Browse models"</a></p>
        </section>
    }
}
