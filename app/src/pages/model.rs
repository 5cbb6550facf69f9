//! A model's page, by token id.

use alloy_primitives::U256;
use assay_core::config::RuntimeConfig;
use assay_core::ipfs::Cid;
use assay_inference::ModelCard;
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::trial::panel::{ModelSource, TrialPanel};

#[component]
pub fn ModelPage(id: u64) -> impl IntoView {
    view! {
        <section data-page="model">
            <h1>"Model #" {id}</h1>
            <p class="lede">"Model card, lineage, versions, licence tiers and a trial run in your browser."</p>
            <ModelTrial id=id />
        </section>
    }
}

/// "Try before you buy": the listing's model card (its manifest CID, from IPFS) and, when the card
/// names its ONNX file, the trial panel for that exact file.
#[component]
fn ModelTrial(id: u64) -> impl IntoView {
    let catalogue = use_context::<CatalogueContext>();
    let config = use_context::<RuntimeConfig>();
    let manifest = Memo::new(move |_| {
        catalogue.and_then(|c| {
            c.catalogue.with(|cat| cat.as_ref().and_then(|cat| cat.get(U256::from(id)).map(|m| m.manifestCid.clone())))
        })
    });
    let card = LocalResource::new(move || {
        let (cid, config) = (manifest.get(), config.clone());
        async move {
            let (Some(cid), Some(config)) = (cid, config) else { return None };
            let parsed: Result<Cid, _> = cid.parse();
            Some(match parsed {
                Err(e) => Err(format!("The listing's model card address {cid:?} is not a CID: {e}")),
                Ok(cid) => crate::ipfs::Ipfs::new(&config.ipfs)
                    .fetch_json::<ModelCard>(&cid)
                    .await
                    .map_err(|e| format!("The model card could not be read: {e}")),
            })
        }
    });
    move || match card.get().flatten() {
        None => None,
        Some(Err(e)) => Some(view! { <p class="error" data-testid="trial-card-error">{e}</p> }.into_any()),
        Some(Ok(card)) => Some(match card.model.as_deref().map(str::parse::<Cid>) {
            Some(Ok(cid)) => view! { <TrialPanel card=card source=ModelSource::Ipfs(cid) /> }.into_any(),
            Some(Err(e)) => view! { <p class="error">"The card's model address is not a CID: " {e.to_string()}</p> }.into_any(),
            None => view! { <p class="muted" data-testid="trial-unavailable">"This model card names no ONNX file: no trial."</p> }.into_any(),
        }),
    }
}
