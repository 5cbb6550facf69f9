//! A link to a model page, named by its card once the card is read.

use alloy_primitives::U256;
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::route::Route;
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::ipfs::cards;

/// A link to model `id` with its name from its card (read once per session), `Model #id` until
/// the card is known.
#[component]
pub fn ModelLink(id: U256) -> impl IntoView {
    let catalogue = CatalogueContext::wanted();
    let config: RuntimeConfig = expect_context();
    let cid =
        Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(id)).map(|s| s.manifest())));
    let name =
        move || cid.get().and_then(|cid| cards::name(&config.ipfs, &cid)).unwrap_or_else(|| format!("Model #{id}"));
    let href = Route::Model { id: id.saturating_to::<u64>() }.href();
    view! { <a href=href data-testid="model-link">{name}</a> }
}
