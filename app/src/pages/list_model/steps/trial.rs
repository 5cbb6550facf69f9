//! Step 3, try it: the trial panel on the file in memory, exactly as a buyer will see it.

use assay_core::listing_draft::Step;
use leptos::prelude::*;

use super::super::wizard::Wizard;
use super::StepNav;
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::ui::components::error::ProblemNote;

#[component]
pub(in super::super) fn TryStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    // An encrypted listing's buyers try its trial file: that is what is shown (once chosen).
    let trial_file = move || wizard.draft.with(|d| d.encrypt).then(|| wizard.trial_bytes.get()).flatten();
    let trial = move || {
        let bytes = trial_file().or_else(|| wizard.bytes.get())?;
        // Only the file re-creates the panel: the draft doesn't change on this step.
        let card = wizard.draft.with_untracked(|d| Some(d.card(d.io_schema().ok()?, &d.file.as_ref()?.cid)))?;
        let tried = Callback::new(move |()| wizard.tried.set(true));
        Some(view! { <TrialPanel card=card source=ModelSource::Bytes(bytes) on_result=tried /> })
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"3. Try it"</h2>
            <p class="muted" data-testid="try-what">{move || if trial_file().is_some() {
                "Exactly what a buyer will see before paying: your public trial file (the encrypted model is for licence holders)."
            } else {
                "Exactly what a buyer will see before paying: run it on a sample."
            }}</p>
            {move || trial().map(|t| t.into_any()).unwrap_or_else(|| view! {
                <ProblemNote testid="try-unavailable" text="Choose the model file and a valid I/O schema first." />
            }.into_any())}
            {move || wizard.engines.get().map(|v| view! { <p class="muted" data-testid="try-engines">{v.sentence()}</p> })}
            <StepNav step=Step::Try next_label="Next: the model card" check=move || wizard.bytes.with_untracked(Option::is_some) />
        </div>
    }
}
