//! List a model: the researcher's listing wizard.

use leptos::prelude::*;

use super::ConnectPrompt;

#[component]
pub fn ListModelPage() -> impl IntoView {
    view! {
        <section data-page="list">
            <h1>"List a model"</h1>
            <p class="lede">
                "Drop in an ONNX file, see it validated and running in your browser, describe it, set licence tiers and co-authors, then publish it to IPFS and mint it in one transaction."
            </p>
            <ConnectPrompt purpose="list a model" />
        </section>
    }
}
