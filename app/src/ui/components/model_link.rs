//! A link to a model page, named by its card once the card is read.

use alloy_primitives::U256;
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket;
use assay_core::ipfs::ListedCid;
use assay_core::route::Route;
use leptos::prelude::*;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::ipfs::cards;

/// A link to model `id` with its name from its card (read once per session), `Model #id` until
/// the card is known. The card's CID comes from the catalogue when the session has read it, else
/// from the market's `manifestCid(id)` (one call: a page of links never downloads the catalogue).
#[component]
pub fn ModelLink(id: U256) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let read = LocalResource::new(move || async move {
        if catalogue.catalogue.with_untracked(|c| c.as_ref().is_some_and(|c| c.get(id).is_some())) {
            return None;
        }
        let market = Market::session().ok()?;
        market.read(IAssayMarket::manifestCidCall { modelId: id }).await.ok().map(|cid| ListedCid::parse(&cid))
    });
    let cid = Memo::new(move |_| {
        catalogue
            .catalogue
            .with(|c| c.as_ref().and_then(|c| c.get(id)).map(|s| s.manifest()))
            .or_else(|| read.get().flatten())
    });
    let name =
        move || cid.get().and_then(|cid| cards::name(&config.ipfs, &cid)).unwrap_or_else(|| format!("Model #{id}"));
    let href = Route::Model { id: id.saturating_to::<u64>() }.href();
    view! { <a href=href data-testid="model-link">{name}</a> }
}
