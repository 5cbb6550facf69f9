//! One moderation case as a panel: its reason, phase and deadline in chain time (from
//! `assay_core::moderation`), its evidence documents read from IPFS, and the buttons the viewer may
//! use now — **Respond** (the owner: counter-evidence and the response cost), **Finalize** (anyone,
//! once the deadline passed) and **Rule** (only the council of a council arbitrator).

use alloy_primitives::Address;
use assay_core::config::RuntimeConfig;
use assay_core::moderation::{Action, CaseRecord, Viewer, actions, reason_label, response_cost_words};
use assay_core::route::Route;
use assay_core::units::short_address;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::evidence::{AddEvidenceForm, EvidenceFields, EvidenceInput, EvidenceItem};
use crate::chain::catalogue::CatalogueContext;
use crate::chain::moderation::{self, Parameters, Ruling};
use crate::chain::tx::TxContext;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::wallet::WalletContext;

/// A case with what the viewer can do about it; `reads` is bumped after every confirmed write.
#[component]
pub fn CaseView(
    case: CaseRecord,
    now: u64,
    params: Parameters,
    model_owner: Address,
    reads: RwSignal<u32>,
) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let Some(phase) = case.phase(now) else { return ().into_any() };
    let id = case.id;
    let state = if phase.is_open() { "open" } else { "closed" };
    let viewer = move || Viewer {
        account: wallet.connection.with(|c| c.as_ref().map(|c| c.account)),
        model_owner,
        council: params.council,
    };
    let can = move |action: Action| actions(phase, viewer()).contains(&action);
    let evidence = case.evidence.clone();
    let dispute = case.dispute_id;
    let p_respond = params.clone();
    let p_finalize = params.clone();
    let p_rule = params.clone();
    let p_evidence = params.clone();
    view! {
        <article class="panel moderation-case" data-testid="moderation-case" data-case-id=id data-model-id=case.model_id data-state=state>
            <h3 class="panel__title">
                {format!("Case #{id}: ")}
                <a href=Route::Model { id: case.model_id }.href()>{format!("model #{}", case.model_id)}</a>
            </h3>
            <p data-testid="case-reason">{format!("Reason: {}", reason_label(case.reason))}</p>
            <p class="muted">
                "Reported by " <a href=Route::Creator { address: case.flagger }.href()><code>{short_address(&case.flagger)}</code></a> " " <ExplorerLink target=OnExplorer::Account(case.flagger) testid="flagger-explorer" />
            </p>
            <p data-testid="case-phase">{phase.words(now)}</p>
            <ul class="moderation-case__evidence" data-testid="case-evidence">
                {evidence.into_iter().map(|(party, uri)| view! { <EvidenceItem party=party uri=uri /> }).collect_view()}
            </ul>
            {move || can(Action::Respond).then(|| view! { <RespondForm case=id params=p_respond.clone() reads=reads /> })}
            {move || can(Action::Finalize).then(|| {
                let params = p_finalize.clone();
                view! { <FinalizeButton case=id params=params reads=reads /> }
            })}
            {move || (can(Action::Rule) && dispute.is_some()).then(|| {
                let params = p_rule.clone();
                view! { <RuleButtons case=id dispute=dispute.unwrap_or_default() params=params reads=reads /> }
            })}
            {move || can(Action::AddEvidence).then(|| view! { <AddEvidenceForm case=id params=p_evidence.clone() reads=reads /> })}
        </article>
    }
    .into_any()
}

/// The owner's answer: counter-evidence, and the response cost in words.
#[component]
fn RespondForm(case: u64, params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let input = EvidenceInput::default();
    let busy = RwSignal::new(false);
    let cost = response_cost_words(params.response_cost, params.flag_stake, params.fee_cap);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (config, params) = (config.clone(), params.clone());
        input.send(
            tx,
            busy,
            "Respond",
            format!("Response to case #{case}"),
            "Say why the report is wrong: the arbitrator reads it.",
            move |draft| async move { moderation::respond(tx, &config, &params, case, draft).await },
            move || reads.update(|n| *n += 1),
        );
    };
    view! {
        <form class="moderation-respond" data-testid="case-respond" on:submit=submit>
            <EvidenceFields input=input label="Your counter-evidence" id="case-respond" />
            <p class="muted" data-testid="case-respond-cost">{cost}</p>
            <button class="button" type="submit" data-testid="case-respond-submit" disabled=move || busy.get()>
                {move || if busy.get() { "Responding…" } else { "Respond" }}
            </button>
        </form>
    }
}

#[component]
fn FinalizeButton(case: u64, params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let busy = RwSignal::new(false);
    let click = move |_| {
        let params = params.clone();
        busy.set(true);
        spawn_local(async move {
            if moderation::finalize(tx, &params, case).await.is_ok() {
                // A delisting changes the listing: Browse and the model page read it again.
                catalogue.refresh();
                reads.update(|n| *n += 1);
            }
            busy.set(false);
        });
    };
    view! {
        <button class="button" data-testid="case-finalize" disabled=move || busy.get() on:click=click>
            {move || if busy.get() { "Finalizing…" } else { "Finalize (delists the model)" }}
        </button>
    }
}

#[component]
fn RuleButtons(case: u64, dispute: alloy_primitives::U256, params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let busy = RwSignal::new(false);
    let rule = move |ruling: Ruling| {
        let params = params.clone();
        busy.set(true);
        spawn_local(async move {
            if moderation::rule(tx, &params, case, dispute, ruling).await.is_ok() {
                // A delisting changes the listing: Browse and the model page read it again.
                catalogue.refresh();
                reads.update(|n| *n += 1);
            }
            busy.set(false);
        });
    };
    let delist = rule.clone();
    view! {
        <p class="moderation-rule" data-testid="case-rule">
            "As the arbitrator's council: "
            <button class="button button--danger" data-testid="case-rule-delist" disabled=move || busy.get()
                on:click=move |_| delist(Ruling::Delist)>"Rule: delist"</button>
            " "
            <button class="button" data-testid="case-rule-keep" disabled=move || busy.get()
                on:click=move |_| rule(Ruling::Keep)>"Rule: keep listed"</button>
        </p>
    }
}
