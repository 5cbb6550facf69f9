//! Browse: the catalogue (home page).

use leptos::prelude::*;

use super::network_status::NetworkStatus;

#[component]
pub fn BrowsePage() -> impl IntoView {
    view! {
        <section data-page="browse">
            <h1>"Browse models"</h1>
            <p class="lede">
                "Every model here is an NFT whose weights live on IPFS. Fetch one, verify each byte against its CID, and try it in your browser before you pay."
            </p>
            <NetworkStatus />
        </section>
    }
}
