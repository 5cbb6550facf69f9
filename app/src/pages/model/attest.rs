//! Reproduced claims on chain, on a model page: how many accounts reproduced the shown version's
//! results (licence holders apart, mismatches named), and — after this browser reproduced one —
//! **Record on chain** (`AssayEvaluations.attest`, one transaction; the observed values, whether
//! they matched, and whether the account holds a licence, which the contract reads itself).

use alloy_primitives::U256;
use assay_core::attestations::{Attestations, to_fixed};
use assay_inference::evaluation::reproduce::Outcome;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::reproduce::Reproduced;
use crate::chain::attestations::{self, NOT_DEPLOYED, Observation};
use crate::chain::market::Market;
use crate::chain::tx::TxContext;
use crate::wallet::WalletContext;

/// The tally of `model`'s version `version`, and the record button for the latest run of this
/// browser (`latest`, set by the Reproduce buttons' callback).
#[component]
pub fn AttestationPanel(model: U256, version: u64, latest: ReadSignal<Option<Reproduced>>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let wallet: WalletContext = expect_context();
    let deployed = Market::session().ok().and_then(|m| m.evaluations).is_some();
    let reload = RwSignal::new(0u32);
    let read = LocalResource::new(move || {
        reload.track();
        async move {
            let market = Market::session().map_err(|e| e.explain())?;
            attestations::all(&market).await.map_err(|e| e.explain())
        }
    });
    let recorded = RwSignal::new(None::<usize>);
    let sending = RwSignal::new(false);
    let record = move |run: Reproduced| {
        let Some(observed) = run.observed.iter().map(|o| to_fixed(o.observed)).collect::<Option<Vec<_>>>() else {
            return;
        };
        let matched = run.observed.iter().all(|o| o.outcome == Outcome::Reproduced);
        let observation = Observation { model, version, result: run.result as u64, observed, matched };
        sending.set(true);
        spawn_local(async move {
            if attestations::attest(tx, observation).await {
                recorded.set(Some(run.result));
                reload.update(|n| *n += 1);
            }
            sending.set(false);
        });
    };
    let tally = move || read.get().map(|r| r.map(|a: Attestations| a.tally(model, version)));
    view! {
        <section class="panel attestations" data-testid="attestations" aria-label="Reproduced on chain">
            <h2 class="panel__title">"Reproduced on chain"</h2>
            {move || match tally() {
                None => view! { <p class="muted" data-testid="attestations-tally" data-state="loading">"Reading reproductions recorded on chain…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice notice--warning" data-testid="attestations-tally" data-state="failed">{format!("Reproductions recorded on chain could not be read: {e}")}</p> }.into_any(),
                Some(Ok(t)) => view! {
                    <p data-testid="attestations-tally" data-state="read" data-reproduced=t.reproduced data-licensees=t.reproduced_by_licensees data-disputed=t.disputed>
                        {if deployed { t.words() } else { NOT_DEPLOYED.to_owned() }}
                    </p>
                }.into_any(),
            }}
            {move || {
                let run = latest.get()?;
                if !deployed || run.public_trial {
                    // The public trial file is not the listed model: its figures are not attested.
                    return None;
                }
                let connected = wallet.connection.with(|c| c.is_some());
                let done = recorded.get() == Some(run.result);
                let verdict = if run.observed.iter().all(|o| o.outcome == Outcome::Reproduced) { "reproduced" } else { "does not match" };
                Some(view! {
                    <div class="attestations__record" data-testid="attest">
                        <p class="muted">{format!("Record what this browser observed for result {} ({verdict}) on chain, so others can count it.", run.result + 1)}</p>
                        <button class="button" data-testid="attest-record" disabled=move || sending.get() || done || !connected
                            on:click=move |_| record(run.clone())>
                            {move || if done { "Recorded" } else if sending.get() { "Recording…" } else { "Record on chain" }}
                        </button>
                        {(!connected).then(|| view! { <span class="muted">" Connect a wallet to record it."</span> })}
                    </div>
                })
            }}
        </section>
    }
}
