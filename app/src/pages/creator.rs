//! A creator's public contribution record.

use assay_core::eth::{Address, short_address};
use leptos::prelude::*;

#[component]
pub fn CreatorPage(address: Address) -> impl IntoView {
    view! {
        <section data-page="creator">
            <h1>"Creator " {short_address(&address)}</h1>
            <p class="muted"><code>{address.to_checksum(None)}</code></p>
        </section>
    }
}
