//! Step 2, inputs and outputs: the I/O schema proposed from the model, edited in a form (the JSON
//! as the advanced view) or imported with a model card, then validated against the model (and the
//! trial file): on tract, or on onnxruntime-web's wasm backend when tract alone cannot run it.

use assay_core::listing_draft::{Draft, Step};
use assay_inference::{IoSchema, ModelCard};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::super::wizard::Wizard;
use super::StepNav;
use super::io_form::IoForm;
use crate::trial::cpu;
use crate::ui::components::error::ProblemNote;
use crate::ui::components::file_input::{FileInput, read_text};

#[component]
pub(in super::super) fn IoStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let verdict = RwSignal::new(None::<Result<String, String>>);
    let schema_error = Memo::new(move |_| wizard.draft.with(|d| d.io_schema().err().map(|e| e.message)));
    let reset = move |_| {
        if let Some(report) = wizard.report.get_untracked() {
            let proposed =
                serde_json::to_string_pretty(&IoSchema::proposed(&report)).expect("an I/O schema serialises");
            wizard.update(|d| d.io = proposed);
        }
    };
    let import_card = move |file: web_sys::File| {
        spawn_local(async move {
            let text = match read_text(&file).await {
                Ok(text) => text,
                Err(e) => return verdict.set(Some(Err(format!("{} could not be read: {e}", file.name())))),
            };
            match serde_json::from_str::<ModelCard>(&text) {
                Ok(card) => {
                    wizard.update(|d| d.fill_from_card(&card));
                    verdict.set(Some(Ok(format!("Filled the I/O schema and the model card from {}.", file.name()))));
                }
                Err(e) => verdict.set(Some(Err(format!("{} is not an Assay model card: {e}", file.name())))),
            }
        });
    };
    // Next: the schema against the model, by the worker (the full validation a trial runs).
    let check = move || {
        let Some(bytes) = wizard.bytes.get_untracked() else {
            verdict.set(Some(Err("Choose the model file first (step 1).".into())));
            return false;
        };
        let io = match wizard.draft.with_untracked(Draft::io_schema) {
            Ok(io) => io,
            Err(e) => {
                verdict.set(Some(Err(e.message)));
                return false;
            }
        };
        wizard.busy.set(true);
        verdict.set(None);
        let trial = wizard.draft.with_untracked(|d| d.encrypt).then(|| wizard.trial_bytes.get_untracked()).flatten();
        spawn_local(async move {
            let result = async {
                let worker = wizard.worker().await?;
                // tract first, onnxruntime-web's wasm backend when tract alone cannot run it.
                let (_, engines) = cpu::validate(&worker, &bytes, &io).await.map_err(|e| e.sentence())?;
                if let Some(trial) = &trial {
                    cpu::validate(&worker, trial, &io)
                        .await
                        .map_err(|e| format!("The trial file doesn't follow this schema: {}", e.sentence()))?;
                }
                Ok::<_, String>(engines)
            };
            let result = result.await;
            wizard.busy.set(false);
            match result {
                Ok(engines) => {
                    wizard.engines.set(Some(engines));
                    wizard.go(Step::Try);
                }
                Err(reason) => verdict.set(Some(Err(reason))),
            }
        });
        false
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"2. Inputs and outputs"</h2>
            <p class="muted">
                "How a trial feeds the model and shows its answer: a picture (size, channels, scaling, normalisation), form fields, a file's bytes or a JSON tensor for each input; class labels, named numbers or a raw tensor for each output. Proposed from what the model declares: check it and give the class labels."
            </p>
            <IoForm />
            <details class="io-json" data-testid="io-json">
                <summary>"Advanced: the I/O schema as JSON"</summary>
                <label class="field">
                    <span class="field__label">"I/O schema (JSON)"</span>
                    <textarea class="input input--code" rows=16 data-testid="io-schema" spellcheck="false"
                        prop:value=move || wizard.draft.with(|d| d.io.clone())
                        on:input=move |ev| { let text = event_target_value(&ev); wizard.update(|d| d.io = text); }></textarea>
                </label>
            </details>
            {move || schema_error.get().map(|e| view! { <p class="field__error" role="alert" data-testid="io-error">{e}</p> })}
            <p class="wizard__tools">
                <button class="button button--small" data-testid="io-reset" on:click=reset>"Use the model's declared I/O"</button>
                <label class="button button--small">"Import a model card (JSON)…"
                    <FileInput accept=".json,application/json" class="visually-hidden" test_id="import-card" on_file=import_card />
                </label>
            </p>
            {move || wizard.busy.get().then(|| view! { <p class="skeleton">"Validating the model against the schema…"</p> })}
            {move || verdict.get().map(|v| match v {
                Ok(text) => view! { <p class="ok" data-testid="io-ok">{text}</p> }.into_any(),
                Err(text) => view! { <ProblemNote testid="io-refused" text=text /> }.into_any(),
            })}
            <StepNav step=Step::Io next_label="Validate and try it" check=check />
        </div>
    }
}
