//! Step 1, the model file: chosen or dropped, inspected by the tract worker (with what buyers will
//! download, and a warning when that is large); open or encrypted weights, and an encrypted
//! listing's public trial file.

use assay_core::listing_draft::download::large_download_warning;
use assay_core::listing_draft::{DraftFile, Step};
use assay_core::units::{download_time, format_bytes};
use assay_inference::Report;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::super::wizard::Wizard;
use super::StepNav;
use crate::ui::components::error::ProblemNote;
use crate::ui::components::file_input::{DropZone, FileInput, read_bytes};

#[component]
pub(in super::super) fn FileStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let take = move |file: web_sys::File| {
        spawn_local(async move {
            let name = file.name();
            match read_bytes(&file).await {
                Ok(bytes) => wizard.take_file(name, bytes).await,
                Err(e) => wizard.file_problem.set(Some(format!("{name} could not be read: {e}"))),
            }
        });
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"1. Model file"</h2>
            <DropZone title="Drop an .onnx file here" accept=".onnx" test_id="model-file" on_file=take
                hint="It stays in your browser until you publish: it is checked and run here, by the same engine buyers use." />
            {move || wizard.busy.get().then(|| view! { <p class="skeleton" data-testid="file-checking">"Checking the model…"</p> })}
            {move || wizard.file_problem.get().map(|p| view! { <ProblemNote testid="file-refused" text=p /> })}
            {move || wizard.file_not_kept.get().map(|p| view! { <p class="notice notice--warning" data-testid="file-not-kept">{p}</p> })}
            {move || wizard.draft.with(|d| d.file.clone()).zip(wizard.report.get()).map(|(file, report)| view! { <FileReport file=file report=report /> })}
            {move || wizard.draft.with(|d| d.file.as_ref().and_then(|f| large_download_warning(f.size, d.encrypt))).map(|warning| view! {
                <p class="notice notice--warning" data-testid="file-large-download">{warning}</p>
            })}
            <EncryptionChoice />
            <StepNav step=Step::File next_label="Next: inputs and outputs" check=move || {
                wizard.report.with_untracked(Option::is_some) && wizard.bytes.with_untracked(Option::is_some)
            } />
        </div>
    }
}

/// Open or encrypted weights, and an encrypted listing's public trial file.
#[component]
fn EncryptionChoice() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let encrypt = Memo::new(move |_| wizard.draft.with(|d| d.encrypt));
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        wizard.update(|d| {
            d.encrypt = on;
            if on && d.key_id.is_none() {
                d.key_id = Some(alloy_primitives::B256::from(assay_crypto::keys::new_key_id()).to_string());
            }
        });
    };
    let chosen = move |file: web_sys::File| {
        spawn_local(async move {
            let name = file.name();
            match read_bytes(&file).await {
                Ok(bytes) => wizard.take_trial(name, bytes).await,
                Err(e) => wizard.trial_problem.set(Some(format!("{name} could not be read: {e}"))),
            }
        });
    };
    view! {
        <fieldset class="panel encryption-choice" data-testid="encryption-choice">
            <legend>"Weights"</legend>
            <label class="check">
                <input type="checkbox" data-testid="encrypt-weights" prop:checked=move || encrypt.get() on:change=toggle />
                " Encrypt the weights: only licence holders can open the file"
            </label>
            {move || encrypt.get().then(|| view! {
                <div class="encryption-choice__details" data-testid="encryption-details">
                    <p class="muted">
                        "The file is encrypted here, in your browser, before it goes to IPFS (AES-256-GCM, a key re-created from your wallet's signature, so you store nothing). "
                        "Each buyer's payment waits in the market's escrow until you deliver the key to them from your dashboard: one click, within the delivery window, or they can take their payment back."
                    </p>
                    <label class="field">
                        <span class="field__label">"Public trial file (optional): a smaller or limited .onnx with the same inputs and outputs, which anyone can try before buying"</span>
                        <FileInput accept=".onnx" test_id="trial-file" on_file=chosen />
                    </label>
                    {move || wizard.draft.with(|d| d.trial.clone()).map(|t| view! {
                        <p class="ok" data-testid="trial-file-ok">
                            "✓ Trial file: " {t.name} " · " {format_bytes(t.size)} " · " <code data-testid="trial-file-cid">{t.cid.to_string()}</code> " "
                            <button class="button button--small" data-testid="trial-file-remove" on:click=move |_| wizard.remove_trial()>"Remove"</button>
                        </p>
                    })}
                    {move || wizard.draft.with(|d| d.trial.is_none()).then(|| view! {
                        <p class="muted" data-testid="trial-file-none">"Without a trial file, buyers see the model card only: nobody can try the model before buying."</p>
                    })}
                    {move || wizard.trial_problem.get().map(|p| view! { <ProblemNote testid="trial-file-refused" text=p /> })}
                </div>
            })}
        </fieldset>
    }
}

#[component]
fn FileReport(file: DraftFile, report: Report) -> impl IntoView {
    let operators = report.operators.iter().map(|(op, n)| format!("{op} ×{n}")).collect::<Vec<_>>().join(", ");
    let facts = |facts: &[assay_inference::report::IoFact]| {
        facts
            .iter()
            .map(|f| format!("{} {} [{}]", f.name, f.dtype, f.declared.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    view! {
        <div class="panel panel--ok" data-testid="file-report">
            {move || {
                let wizard: Wizard = expect_context();
                match (wizard.engines.get(), wizard.engines_problem.get()) {
                    (Some(verdict), _) if verdict.accepted() => view! {
                        <p class="ok" data-testid="file-ok">"✓ A valid ONNX model. " <span data-testid="file-engines">{verdict.sentence()}</span></p>
                    }.into_any(),
                    (Some(verdict), _) => view! {
                        <p class="field__error" data-testid="file-no-engine">"No engine in this browser runs this model: " {verdict.sentence()}</p>
                    }.into_any(),
                    (None, Some(problem)) => view! {
                        <p class="notice notice--warning" data-testid="file-engines-unknown">"A valid ONNX file, but it did not run with the proposed inputs and outputs: " {problem} " Describe them in step 2, where it is checked again."</p>
                    }.into_any(),
                    (None, None) => view! { <p class="skeleton" data-testid="file-engines-checking">"Checking which engines run it…"</p> }.into_any(),
                }
            }}
            <dl class="facts">
                <dt>"File"</dt><dd data-testid="file-name">{file.name} " · " {format_bytes(file.size)}</dd>
                <dt>"Download"</dt><dd data-testid="file-download-time">{download_time(file.size)}</dd>
                <dt>"CID"</dt><dd><code data-testid="file-cid">{file.cid.to_string()}</code></dd>
                <dt>"Format"</dt><dd>{format!("ONNX IR {}, opset {}", report.ir_version, report.opset)} {(!report.producer.is_empty()).then(|| format!(" · made by {}", report.producer))}</dd>
                <dt>"Operators"</dt><dd>{operators}</dd>
                <dt>"Parameters"</dt><dd>{report.parameters.to_string()}</dd>
                <dt>"Inputs"</dt><dd data-testid="file-inputs">{facts(&report.inputs)}</dd>
                <dt>"Outputs"</dt><dd data-testid="file-outputs">{facts(&report.outputs)}</dd>
            </dl>
        </div>
    }
}
