//! Library: the connected account's licences.

use leptos::prelude::*;

use super::ConnectPrompt;

#[component]
pub fn LibraryPage() -> impl IntoView {
    view! {
        <section data-page="library">
            <h1>"Library"</h1>
            <p class="lede">"The licences you hold: renew them, download the verified model files, and review what you use."</p>
            <ConnectPrompt purpose="see your licences" />
        </section>
    }
}
