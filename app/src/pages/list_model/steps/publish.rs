//! Step 8, publish: the publication's phases with their progress, why it stopped if it did, and
//! Publish (again).

use assay_core::config::RuntimeConfig;
use assay_core::listing_draft::{Draft, Step};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::super::parents::ParentLicences;
use super::super::publish::{PhaseStates, publish};
use super::super::wizard::Wizard;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::TxContext;
use crate::drafts;
use crate::ipfs::Ipfs;
use crate::ui::components::progress::ProgressRows;
use crate::wallet::WalletContext;

#[component]
pub(in super::super) fn PublishStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let parents: ParentLicences = expect_context();
    let phases = PhaseStates::new();
    let failed = RwSignal::new(None::<String>);
    // A model nobody ran successfully here is published only after saying so.
    let untried_ok = RwSignal::new(false);
    let blocked = move || !wizard.tried.get() && !untried_ok.get();
    let publish = move |_| {
        let ipfs = Ipfs::new(&config.ipfs);
        failed.set(None);
        wizard.busy.set(true);
        spawn_local(async move {
            match publish(wizard, tx, wallet, catalogue, parents, ipfs, phases).await {
                Ok(id) => {
                    drafts::clear().await;
                    catalogue.refresh();
                    wizard.listed.set(Some(id));
                    wizard.draft.set(Draft::default());
                }
                // Cancelled in the wallet or failed: either way the reason is shown and nothing is lost.
                Err(stopped) => failed.set(Some(stopped.sentence)),
            }
            wizard.busy.set(false);
        });
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"8. Publish"</h2>
            <p class="muted">"The model file, its card and each tier's terms go to IPFS (the CID of every upload is computed here first and must match the node's); then one transaction mints the model's NFT with its tiers and shares."</p>
            {move || (!wizard.tried.get()).then(|| view! {
                <div class="notice notice--warning" data-testid="publish-untried">
                    <p>"No trial of this model has succeeded in this browser: buyers will try it exactly as it is. Run it once in step 3 (Try it) to see what they will see."</p>
                    <label><input type="checkbox" data-testid="publish-untried-ok" prop:checked=move || untried_ok.get()
                        on:change=move |ev| untried_ok.set(event_target_checked(&ev)) />
                        " Publish without a successful trial"</label>
                </div>
            })}
            <ProgressRows rows=phases.shown() list_class="publish" list_test_id="publish-phases" row_class="publish__phase" row_test_id="publish-phase" />
            {move || failed.get().map(|reason| view! {
                <div class="notice notice--warning" role="alert" data-testid="publish-failed">
                    <p>{reason}</p>
                    <p class="muted">"Nothing is lost: the draft and whatever already reached IPFS are kept. Press Publish to try again."</p>
                </div>
            })}
            <div class="wizard__nav">
                <button class="button" data-testid="wizard-back" disabled=move || wizard.busy.get() on:click=move |_| wizard.showing.set(Step::Review)>"Back"</button>
                <button class="button button--primary" data-testid="publish" disabled=move || wizard.busy.get() || blocked() on:click=publish>
                    {move || if wizard.busy.get() { "Publishing…" } else { "Publish and mint" }}
                </button>
            </div>
        </div>
    }
}
