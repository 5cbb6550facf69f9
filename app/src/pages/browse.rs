//! Browse: the catalogue (home page).

use leptos::prelude::*;

use super::network_status::NetworkStatus;
use crate::chain::catalogue::CatalogueContext;

#[component]
pub fn BrowsePage() -> impl IntoView {
    view! {
        <section data-page="browse">
            <h1>"Browse models"</h1>
            <p class="lede">
                "Every model here is an NFT whose weights live on IPFS. Fetch one, verify each byte against its CID, and try it in your browser before you pay."
            </p>
            <CatalogueSummary />
            <NetworkStatus />
        </section>
    }
}

/// How many models the catalogue lists (read without a wallet, cached for the session).
#[component]
fn CatalogueSummary() -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    view! {
        <section class="panel catalogue" data-testid="catalogue" aria-label="Catalogue">
            {move || match (catalogue.catalogue.with(|c| c.as_ref().map(|c| c.len())), catalogue.error.get()) {
                (_, Some(error)) => view! { <p class="error" role="alert" data-testid="catalogue-error">{error}</p> }.into_any(),
                (None, None) => view! { <p class="skeleton" data-testid="catalogue-loading">"Reading the catalogue…"</p> }.into_any(),
                (Some(count), None) => view! {
                    <p data-testid="catalogue-count" data-count=count>
                        {match count {
                            0 => "No models are listed yet.".to_owned(),
                            1 => "1 model listed.".to_owned(),
                            n => format!("{n} models listed."),
                        }}
                    </p>
                }.into_any(),
            }}
        </section>
    }
}
