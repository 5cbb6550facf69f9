//! A model's page, by token id.

use leptos::prelude::*;

#[component]
pub fn ModelPage(id: u64) -> impl IntoView {
    view! {
        <section data-page="model">
            <h1>"Model #" {id}</h1>
            <p class="lede">"Model card, lineage, versions, licence tiers and a trial run in your browser."</p>
        </section>
    }
}
