//! List a model: the researcher's listing wizard. Drop an `.onnx` file → it is inspected in the
//! browser (the tract worker) → describe its inputs and outputs → try it → the model card →
//! licence tiers → co-authors and parent models (shares checked live) → review the split of a
//! sale → upload to IPFS with progress → mint in one transaction.
//!
//! The draft (`assay_core::listing_draft::Draft`) is saved on every change and the file kept in
//! IndexedDB (`crate::drafts`), so a reload, a failed upload or a rejected transaction resumes
//! where it stopped; uploads the node already confirmed are not sent again.
//!
//! - `wizard`: the shared state and the chosen files (inspected, kept, restored);
//! - `evaluation`: the card's evaluation set (the dropped folder checked and kept) and Compute;
//! - `steps`: one component per step, and the step list and navigation they share;
//! - `parents`: the connected account's licences of the parent models it names;
//! - `publish`: the publication, phase by phase as `assay_core`'s `PublishPlan` orders them.

mod evaluation;
mod keeping;
mod parents;
mod publish;
mod steps;
mod wizard;

use alloy_primitives::U256;
use assay_core::listing_draft::Step;
use assay_core::route::Route;
use leptos::prelude::*;
use leptos::task::spawn_local;

use self::parents::ParentLicences;
use self::steps::{CardStep, FileStep, IoStep, PublishStep, ReviewStep, SharesStep, TiersStep, TryStep};
use self::wizard::Wizard;
use crate::ui::components::connect_prompt::ConnectPrompt;
use crate::wallet::WalletContext;

#[component]
pub fn ListModelPage() -> impl IntoView {
    let wizard = Wizard::new();
    provide_context(wizard);
    provide_context(ParentLicences::new(expect_context::<WalletContext>()));
    if wizard.draft.with_untracked(|d| d.file.is_some() || d.trial.is_some() || d.evaluation.is_set()) {
        spawn_local(wizard.restore_files());
    }
    let start_over = move |_| spawn_local(wizard.start_over());
    view! {
        <section data-page="list" class="wizard">
            <h1>"List a model"</h1>
            <p class="lede">
                "Drop in an ONNX file, see it validated and running in your browser, describe it, set licence tiers and co-authors, then publish it to IPFS and mint it in one transaction. Your draft is kept in this browser until it is listed."
            </p>
            <ConnectPrompt purpose="list a model: it mints the model's NFT and is paid what is left of each sale" />
            <keeping::DraftKeeping />
            {move || wizard.save_problem.get().map(|p| view! { <p class="notice notice--warning" role="alert" data-testid="draft-save-problem">{p}</p> })}
            {move || match wizard.listed.get() {
                Some(id) => view! { <Listed id=id /> }.into_any(),
                None => view! {
                    <StepList />
                    <div class="wizard__step" data-testid=move || format!("step-{}", wizard.showing.get().slug())>
                        {move || match wizard.showing.get() {
                            Step::File => view! { <FileStep /> }.into_any(),
                            Step::Io => view! { <IoStep /> }.into_any(),
                            Step::Try => view! { <TryStep /> }.into_any(),
                            Step::Card => view! { <CardStep /> }.into_any(),
                            Step::Tiers => view! { <TiersStep /> }.into_any(),
                            Step::Shares => view! { <SharesStep /> }.into_any(),
                            Step::Review => view! { <ReviewStep /> }.into_any(),
                            Step::Publish => view! { <PublishStep /> }.into_any(),
                        }}
                    </div>
                    <p class="wizard__reset">
                        <button class="button button--small" data-testid="start-over" on:click=start_over>"Start over"</button>
                        <span class="muted">" Forgets this draft and its file."</span>
                    </p>
                }
                .into_any(),
            }}
        </section>
    }
}

/// The steps, with the furthest one reached; earlier steps can be revisited.
#[component]
fn StepList() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let reached = Memo::new(move |_| wizard.draft.with(|d| d.step));
    view! {
        <ol class="wizard__steps" aria-label="Steps">
            {Step::ALL.into_iter().map(|step| {
                let state = move || {
                    if wizard.showing.get() == step { "current" } else if step <= reached.get() { "done" } else { "todo" }
                };
                let not_reached = move || step > reached.get();
                view! {
                    <li class=move || format!("wizard__stepname wizard__stepname--{}", state()) data-testid="wizard-step" data-step=step.slug() data-state=state
                        aria-current=move || (wizard.showing.get() == step).then_some("step")>
                        <button class="linklike" disabled=not_reached on:click=move |_| wizard.showing.set(step)>
                            {format!("{}. {}", step.index() + 1, step.title())}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Listed(id: U256) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let page = Route::Model { id: id.saturating_to::<u64>() }.href();
    view! {
        <div class="panel panel--ok" data-testid="listed" data-id=id.to_string()>
            <h2>"Listed: model #" {id.to_string()}</h2>
            <p>"Its NFT is in your wallet; its file, card and terms are on IPFS. Buyers can find it in Browse, try it, and buy a licence now."</p>
            <p>
                <a class="button button--primary" href=page data-testid="listed-link">"Open its page"</a>
                " "
                <button class="button" on:click=move |_| { wizard.listed.set(None); wizard.showing.set(Step::File); }>"List another model"</button>
            </p>
        </div>
    }
}
