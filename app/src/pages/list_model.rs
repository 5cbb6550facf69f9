//! List a model: the researcher's listing wizard. Drop an `.onnx` file → it is inspected in the
//! browser (the tract worker) → describe its inputs and outputs → try it → the model card →
//! licence tiers → co-authors and parent models (shares checked live) → review the split of a
//! sale → upload to IPFS with progress → mint in one transaction.
//!
//! The draft (`assay_core::listing_draft::Draft`) is saved on every change and the file kept in
//! IndexedDB (`crate::drafts`), so a reload, a failed upload or a rejected transaction resumes
//! where it stopped; uploads the node already confirmed are not sent again.

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::{Address, U256};
use alloy_provider::Provider;
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket;
use assay_core::eth::{format_ether, short_address};
use assay_core::ipfs::{Progress, UploadPhase, format_bytes};
use assay_core::licence::{duration_words, percent_words};
use assay_core::listing_draft::{
    CoAuthorFields, Draft, DraftFile, FieldError, MetricFields, ParentFields, Step, TierFields, errors_of,
    listing_call, sale_split,
};
use assay_core::route::Route;
use assay_inference::{IoSchema, ModelCard, Report};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{TxContext, Write};
use crate::chain::{contract, read, read_provider};
use crate::drafts::{self, Kept};
use crate::encryption;
use crate::ipfs::{Ipfs, UploadSource, cid_of};
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::trial::tract::{CpuError, TractWorker, WORKER_URL};
use crate::ui::components::markdown::Markdown;
use crate::ui::components::split_table::SplitTable;
use crate::wallet::WalletContext;

use super::ConnectPrompt;

/// Tasks the catalogue filters on, offered in the card form (any other may be typed).
const TASKS: [&str; 8] = [
    "image-classification",
    "text-classification",
    "file-type-detection",
    "object-detection",
    "tabular-classification",
    "tabular-regression",
    "audio-classification",
    "feature-extraction",
];
/// Licences offered in the card form (SPDX ids; any other id or text may be typed).
const LICENCES: [&str; 6] = ["MIT", "Apache-2.0", "MIT OR Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "OpenRAIL-M"];

/// The wizard's shared state. Cheap to copy.
#[derive(Clone, Copy)]
struct Wizard {
    draft: RwSignal<Draft>,
    /// The step on screen (any step up to `draft.step` can be revisited).
    showing: RwSignal<Step>,
    /// The model file's bytes in memory (from the file input or IndexedDB).
    bytes: RwSignal<Option<Arc<Vec<u8>>>>,
    /// What the worker read of the file.
    report: RwSignal<Option<Report>>,
    /// An encrypted listing's public trial file in memory.
    trial_bytes: RwSignal<Option<Arc<Vec<u8>>>>,
    /// Why the trial file was refused or could not be restored.
    trial_problem: RwSignal<Option<String>>,
    /// Why the file was refused, or why the kept file could not be restored.
    file_problem: RwSignal<Option<String>>,
    /// Why a good file could not be kept for a reload (storage full, …): a warning, not a refusal.
    file_not_kept: RwSignal<Option<String>>,
    /// Steps whose Next was pressed: their errors are shown from then on.
    attempted: RwSignal<BTreeSet<Step>>,
    /// Why the draft could not be saved (storage full, …).
    save_problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    worker: StoredValue<Option<Rc<TractWorker>>, LocalStorage>,
    /// The listing minted, once it is (the draft is gone then).
    listed: RwSignal<Option<U256>>,
}

impl Wizard {
    fn new() -> Self {
        let draft = drafts::load().unwrap_or_default();
        let showing = draft.step;
        Self {
            draft: RwSignal::new(draft),
            showing: RwSignal::new(showing),
            bytes: RwSignal::new(None),
            report: RwSignal::new(None),
            trial_bytes: RwSignal::new(None),
            trial_problem: RwSignal::new(None),
            file_problem: RwSignal::new(None),
            file_not_kept: RwSignal::new(None),
            attempted: RwSignal::new(BTreeSet::new()),
            save_problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            worker: StoredValue::new_local(None),
            listed: RwSignal::new(None),
        }
    }

    fn update(&self, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.save();
    }

    fn save(&self) {
        let result = self.draft.with_untracked(drafts::save);
        self.save_problem.set(result.err().map(|e| {
            format!("The draft could not be saved in this browser: {e}. Finish the listing without reloading the page.")
        }));
    }

    async fn worker(&self) -> Result<Rc<TractWorker>, String> {
        if let Some(worker) = self.worker.get_value().filter(|w| !w.is_dead()) {
            return Ok(worker);
        }
        let worker = TractWorker::start(WORKER_URL).await?;
        self.worker.set_value(Some(worker.clone()));
        Ok(worker)
    }

    fn go(&self, step: Step) {
        self.showing.set(step);
        self.update(|d| d.step = d.step.max(step));
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    fn attempt(&self, step: Step) {
        self.attempted.update(|a| {
            a.insert(step);
        });
    }

    fn shows_errors(&self, step: Step) -> bool {
        self.attempted.with(|a| a.contains(&step))
    }

    /// Takes a chosen file: checks it, keeps it, proposes its I/O schema.
    async fn take_file(self, name: String, bytes: Vec<u8>) {
        self.check_file(name, bytes, true).await;
    }

    /// Checks a file and proposes its I/O schema; `keep`: also keeps it in IndexedDB (not when it
    /// was just read back from there).
    async fn check_file(self, name: String, bytes: Vec<u8>, keep: bool) {
        self.busy.set(true);
        self.file_problem.set(None);
        self.file_not_kept.set(None);
        let cid = cid_of(&bytes).to_string();
        let size = bytes.len() as u64;
        let inspected = match self.worker().await {
            Ok(worker) => worker.inspect(&bytes).await.map_err(cpu_error),
            Err(e) => Err(format!("The CPU engine could not start: {e}")),
        };
        match inspected {
            Err(reason) => {
                self.file_problem.set(Some(format!("{name} can't be listed: {reason}")));
                self.report.set(None);
            }
            Ok(report) => {
                let same_file = self.draft.with_untracked(|d| d.file.as_ref().is_some_and(|f| f.cid == cid));
                let proposed =
                    serde_json::to_string_pretty(&IoSchema::proposed(&report)).expect("an I/O schema serialises");
                let kept = if keep { drafts::keep(Kept::Model, &bytes).await } else { Ok(()) };
                self.update(|d| {
                    d.file = Some(DraftFile { name: name.clone(), size, cid: cid.clone() });
                    if !same_file || d.io.trim().is_empty() {
                        d.io = proposed;
                    }
                    if d.card.name.trim().is_empty() {
                        d.card.name = name.trim_end_matches(".onnx").replace(['-', '_'], " ");
                    }
                });
                if let Err(e) = kept {
                    self.file_not_kept.set(Some(format!(
                        "The file is fine, but this browser could not keep a copy for the draft ({e}): after a reload you will be asked for it again."
                    )));
                }
                self.report.set(Some(report));
                self.bytes.set(Some(Arc::new(bytes)));
            }
        }
        self.busy.set(false);
    }

    /// Takes the public trial file of an encrypted listing: inspected like the model (its I/O is
    /// checked against the schema at publication), kept for a reload.
    async fn take_trial(self, name: String, bytes: Vec<u8>) {
        self.busy.set(true);
        self.trial_problem.set(None);
        let inspected = match self.worker().await {
            Ok(worker) => worker.inspect(&bytes).await.map_err(cpu_error),
            Err(e) => Err(format!("The CPU engine could not start: {e}")),
        };
        match inspected {
            Err(reason) => self.trial_problem.set(Some(format!("{name} can't be the trial file: {reason}"))),
            Ok(_) => {
                let file = DraftFile { name, size: bytes.len() as u64, cid: cid_of(&bytes).to_string() };
                if let Err(e) = drafts::keep(Kept::Trial, &bytes).await {
                    self.trial_problem.set(Some(format!(
                        "This browser could not keep a copy of the trial file for the draft ({e})."
                    )));
                }
                self.update(|d| d.trial = Some(file));
                self.trial_bytes.set(Some(Arc::new(bytes)));
            }
        }
        self.busy.set(false);
    }

    /// After a reload: the kept trial file, checked against the draft's CID.
    async fn restore_trial(self) {
        let Some(file) = self.draft.with_untracked(|d| d.trial.clone()) else { return };
        match drafts::kept(Kept::Trial).await {
            Ok(Some(bytes)) if cid_of(&bytes).to_string() == file.cid => self.trial_bytes.set(Some(Arc::new(bytes))),
            _ => self
                .trial_problem
                .set(Some(format!("This browser no longer has the trial file ({}). Choose it again.", file.name))),
        }
    }

    /// After a reload: the kept file, checked against the draft's CID, and inspected again.
    async fn restore_file(self) {
        self.restore_trial().await;
        let Some(file) = self.draft.with_untracked(|d| d.file.clone()) else { return };
        match drafts::kept(Kept::Model).await {
            Ok(Some(bytes)) if cid_of(&bytes).to_string() == file.cid => self.check_file(file.name, bytes, false).await,
            Ok(_) => self.file_problem.set(Some(format!(
                "This browser no longer has the draft's model file ({}, {}). Choose it again to go on: the rest of the draft is kept.",
                file.name,
                format_bytes(file.size)
            ))),
            Err(e) => self.file_problem.set(Some(format!("The draft's model file could not be read back ({e}). Choose {} again.", file.name))),
        }
    }
}

fn cpu_error(e: CpuError) -> String {
    match e {
        CpuError::Refused(refusal) => refusal.to_string(),
        CpuError::Failed(message) => message,
    }
}

#[component]
pub fn ListModelPage() -> impl IntoView {
    let wizard = Wizard::new();
    provide_context(wizard);
    if wizard.draft.with_untracked(|d| d.file.is_some() || d.trial.is_some()) {
        spawn_local(wizard.restore_file());
    }
    let start_over = move |_| {
        spawn_local(async move {
            drafts::clear().await;
            wizard.draft.set(Draft::default());
            wizard.bytes.set(None);
            wizard.trial_bytes.set(None);
            wizard.trial_problem.set(None);
            wizard.report.set(None);
            wizard.file_problem.set(None);
            wizard.file_not_kept.set(None);
            wizard.attempted.set(BTreeSet::new());
            wizard.showing.set(Step::File);
        });
    };
    view! {
        <section data-page="list" class="wizard">
            <h1>"List a model"</h1>
            <p class="lede">
                "Drop in an ONNX file, see it validated and running in your browser, describe it, set licence tiers and co-authors, then publish it to IPFS and mint it in one transaction. Your draft is kept in this browser until it is listed."
            </p>
            <ConnectPrompt purpose="list a model: it mints the model's NFT and is paid what is left of each sale" />
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

/// Back and Next; Next runs `check` (which returns whether to go on).
#[component]
fn StepNav(
    step: Step,
    #[prop(into)] next_label: String,
    check: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let next = move |_| {
        wizard.attempt(step);
        if check() {
            if let Some(next) = step.next() {
                wizard.go(next);
            }
        }
    };
    view! {
        <div class="wizard__nav">
            {step.previous().map(|previous| view! {
                <button class="button" data-testid="wizard-back" on:click=move |_| wizard.showing.set(previous)>"Back"</button>
            })}
            <button class="button button--primary" data-testid="wizard-next" disabled=move || wizard.busy.get() on:click=next>{next_label}</button>
        </div>
    }
}

/// The errors of `field` in `errors` (shown once the step was attempted, or always if `live`).
fn field_errors(errors: Memo<Vec<FieldError>>, field: String, step: Step, live: bool) -> impl IntoView {
    let wizard: Wizard = expect_context();
    move || {
        (live || wizard.shows_errors(step)).then(|| {
            errors.with(|e| {
                errors_of(e, &field)
                    .map(|e| view! { <p class="field__error" role="alert" data-testid="field-error" data-field=e.field.clone()>{e.message.clone()}</p> })
                    .collect_view()
            })
        })
    }
}

/// How a draft field is typed in.
enum Input {
    Line,
    Lines,
    /// One line, with suggestions (a `<datalist>` with this id); anything else may be typed.
    Suggested {
        list: &'static str,
        options: &'static [&'static str],
    },
}

/// An input bound to a field of the draft.
fn input_field(
    label: &'static str,
    test_id: String,
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + Send + Sync + 'static,
    input: Input,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let value = move || wizard.draft.with(|d| get(d));
    let on_input = move |ev| {
        let text = event_target_value(&ev);
        wizard.update(|d| set(d, text));
    };
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            {match input {
                Input::Lines => view! { <textarea class="input" rows=4 data-testid=test_id prop:value=value on:input=on_input></textarea> }.into_any(),
                Input::Line => view! { <input class="input" data-testid=test_id prop:value=value on:input=on_input /> }.into_any(),
                Input::Suggested { list, options } => view! {
                    <input class="input" list=list data-testid=test_id prop:value=value on:input=on_input />
                    <datalist id=list>{options.iter().map(|o| view! { <option value=*o></option> }).collect_view()}</datalist>
                }.into_any(),
            }}
        </label>
    }
}

/// A text input (or textarea) bound to a field of the draft.
fn text_field(
    label: &'static str,
    test_id: String,
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + Send + Sync + 'static,
    multiline: bool,
) -> impl IntoView {
    input_field(label, test_id, get, set, if multiline { Input::Lines } else { Input::Line })
}

// ---------------------------------------------------------------------------------------------
// 1. The file.

#[component]
fn FileStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let dragging = RwSignal::new(false);
    let take = move |file: web_sys::File| {
        spawn_local(async move {
            let name = file.name();
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => wizard.take_file(name, js_sys::Uint8Array::new(&buffer).to_vec()).await,
                Err(e) => wizard.file_problem.set(Some(format!("{name} could not be read: {e:?}"))),
            }
        });
    };
    let chosen = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            take(file);
        }
        input.set_value("");
    };
    let dropped = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
            take(file);
        }
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"1. Model file"</h2>
            <label class=move || if dragging.get() { "dropzone dropzone--over" } else { "dropzone" }
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=dropped>
                <strong>"Drop an .onnx file here"</strong>
                <span class="muted">" or choose one: "</span>
                <input type="file" accept=".onnx" data-testid="model-file" on:change=chosen />
                <span class="muted block">"It stays in your browser until you publish: it is checked and run here, by the same engine buyers use."</span>
            </label>
            {move || wizard.busy.get().then(|| view! { <p class="skeleton" data-testid="file-checking">"Checking the model…"</p> })}
            {move || wizard.file_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="file-refused">{p}</p> })}
            {move || wizard.file_not_kept.get().map(|p| view! { <p class="notice notice--warning" data-testid="file-not-kept">{p}</p> })}
            {move || wizard.draft.with(|d| d.file.clone()).zip(wizard.report.get()).map(|(file, report)| view! { <FileReport file=file report=report /> })}
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
    let chosen = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        spawn_local(async move {
            let name = file.name();
            match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                Ok(buffer) => wizard.take_trial(name, js_sys::Uint8Array::new(&buffer).to_vec()).await,
                Err(e) => wizard.trial_problem.set(Some(format!("{name} could not be read: {e:?}"))),
            }
        });
    };
    let remove = move |_| {
        wizard.update(|d| d.trial = None);
        wizard.trial_bytes.set(None);
        wizard.trial_problem.set(None);
        spawn_local(drafts::forget(Kept::Trial));
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
                        <input type="file" accept=".onnx" data-testid="trial-file" on:change=chosen />
                    </label>
                    {move || wizard.draft.with(|d| d.trial.clone()).map(|t| view! {
                        <p class="ok" data-testid="trial-file-ok">
                            "✓ Trial file: " {t.name} " · " {format_bytes(t.size)} " · " <code data-testid="trial-file-cid">{t.cid}</code> " "
                            <button class="button button--small" data-testid="trial-file-remove" on:click=remove>"Remove"</button>
                        </p>
                    })}
                    {move || wizard.draft.with(|d| d.trial.is_none()).then(|| view! {
                        <p class="muted" data-testid="trial-file-none">"Without a trial file, buyers see the model card only: nobody can try the model before buying."</p>
                    })}
                    {move || wizard.trial_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="trial-file-refused">{p}</p> })}
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
            <p class="ok" data-testid="file-ok">"✓ A valid ONNX model for Assay's engines."</p>
            <dl class="facts">
                <dt>"File"</dt><dd data-testid="file-name">{file.name} " · " {format_bytes(file.size)}</dd>
                <dt>"CID"</dt><dd><code data-testid="file-cid">{file.cid}</code></dd>
                <dt>"Format"</dt><dd>{format!("ONNX IR {}, opset {}", report.ir_version, report.opset)} {(!report.producer.is_empty()).then(|| format!(" · made by {}", report.producer))}</dd>
                <dt>"Operators"</dt><dd>{operators}</dd>
                <dt>"Parameters"</dt><dd>{report.parameters.to_string()}</dd>
                <dt>"Inputs"</dt><dd data-testid="file-inputs">{facts(&report.inputs)}</dd>
                <dt>"Outputs"</dt><dd data-testid="file-outputs">{facts(&report.outputs)}</dd>
            </dl>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Inputs and outputs.

#[component]
fn IoStep() -> impl IntoView {
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
    let import_card = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(t) => t.as_string().unwrap_or_default(),
                Err(e) => return verdict.set(Some(Err(format!("{} could not be read: {e:?}", file.name())))),
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
            let result = match wizard.worker().await {
                Ok(worker) => match worker.validate(&bytes, &io).await.map_err(cpu_error) {
                    Ok(_) => match &trial {
                        Some(trial) => worker
                            .validate(trial, &io)
                            .await
                            .map(|_| ())
                            .map_err(|e| format!("The trial file doesn't follow this schema: {}", cpu_error(e))),
                        None => Ok(()),
                    },
                    Err(e) => Err(e),
                },
                Err(e) => Err(e),
            };
            wizard.busy.set(false);
            match result {
                Ok(_) => wizard.go(Step::Try),
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
            <label class="field">
                <span class="field__label">"I/O schema (JSON)"</span>
                <textarea class="input input--code" rows=16 data-testid="io-schema" spellcheck="false"
                    prop:value=move || wizard.draft.with(|d| d.io.clone())
                    on:input=move |ev| { let text = event_target_value(&ev); wizard.update(|d| d.io = text); }></textarea>
            </label>
            {move || schema_error.get().map(|e| view! { <p class="field__error" role="alert" data-testid="io-error">{e}</p> })}
            <p class="wizard__tools">
                <button class="button button--small" data-testid="io-reset" on:click=reset>"Use the model's declared I/O"</button>
                <label class="button button--small">"Import a model card (JSON)…"
                    <input type="file" accept=".json,application/json" class="visually-hidden" data-testid="import-card" on:change=import_card />
                </label>
            </p>
            {move || wizard.busy.get().then(|| view! { <p class="skeleton">"Validating the model against the schema…"</p> })}
            {move || verdict.get().map(|v| match v {
                Ok(text) => view! { <p class="ok" data-testid="io-ok">{text}</p> }.into_any(),
                Err(text) => view! { <p class="error" role="alert" data-testid="io-refused">{text}</p> }.into_any(),
            })}
            <StepNav step=Step::Io next_label="Validate and try it" check=check />
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Try it.

#[component]
fn TryStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    // An encrypted listing's buyers try its trial file: that is what is shown (once chosen).
    let trial_file = move || wizard.draft.with(|d| d.encrypt).then(|| wizard.trial_bytes.get()).flatten();
    let trial = move || {
        let bytes = trial_file().or_else(|| wizard.bytes.get())?;
        // Only the file re-creates the panel: the draft doesn't change on this step.
        let card = wizard.draft.with_untracked(|d| Some(d.card(d.io_schema().ok()?, &d.file.as_ref()?.cid)))?;
        Some(view! { <TrialPanel card=card source=ModelSource::Bytes(bytes) /> })
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
                <p class="error" role="alert" data-testid="try-unavailable">"Choose the model file and a valid I/O schema first."</p>
            }.into_any())}
            <StepNav step=Step::Try next_label="Next: the model card" check=move || wizard.bytes.with_untracked(Option::is_some) />
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 4. The model card.

#[component]
fn CardStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let errors = Memo::new(move |_| wizard.draft.with(Draft::check_card));
    let metric_count = Memo::new(move |_| wizard.draft.with(|d| d.card.metrics.len()));
    let step = Step::Card;
    let err = move |field: &str| field_errors(errors, field.to_owned(), step, false);
    view! {
        <div class="panel">
            <h2 class="panel__title">"4. Model card"</h2>
            <div class="form-grid">
                <div>
                    {text_field("Name", "card-name".into(), |d| d.card.name.clone(), |d, v| d.card.name = v, false)}
                    {err("card.name")}
                    {input_field("Task", "card-task".into(), |d| d.card.task.clone(), |d, v| d.card.task = v, Input::Suggested { list: "tasks", options: &TASKS })}
                    {err("card.task")}
                    {text_field("Tags (comma-separated)", "card-tags".into(), |d| d.card.tags.clone(), |d, v| d.card.tags = v, false)}
                    {input_field("Licence of the weights (SPDX id or text)", "card-licence".into(), |d| d.card.licence.clone(), |d, v| d.card.licence = v, Input::Suggested { list: "licences", options: &LICENCES })}
                    {err("card.licence")}
                    {text_field("Source (how it was trained or where it comes from)", "card-source".into(), |d| d.card.source.clone(), |d, v| d.card.source = v, true)}
                    {text_field("Intended use", "card-intended-use".into(), |d| d.card.intended_use.clone(), |d, v| d.card.intended_use = v, true)}
                    {text_field("Limitations", "card-limitations".into(), |d| d.card.limitations.clone(), |d, v| d.card.limitations = v, true)}
                </div>
                <div>
                    {text_field("Description (Markdown)", "card-description".into(), |d| d.card.description.clone(), |d, v| d.card.description = v, true)}
                    {err("card.description")}
                    <div class="markdown-preview" data-testid="description-preview">
                        <span class="field__label">"Preview"</span>
                        {move || view! { <Markdown source=wizard.draft.with(|d| d.card.description.clone()) /> }}
                    </div>
                    <h3>"Metrics"</h3>
                    {move || (0..metric_count.get()).map(|i| view! {
                        <div class="row" data-testid="metric-row">
                            {text_field("Measured", format!("metric-name-{i}"), move |d| d.card.metrics.get(i).map(|m| m.name.clone()).unwrap_or_default(), move |d, v| if let Some(m) = d.card.metrics.get_mut(i) { m.name = v }, false)}
                            {text_field("Value", format!("metric-value-{i}"), move |d| d.card.metrics.get(i).map(|m| m.value.clone()).unwrap_or_default(), move |d, v| if let Some(m) = d.card.metrics.get_mut(i) { m.value = v }, false)}
                            <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.card.metrics.len() { d.card.metrics.remove(i); } })>"Remove"</button>
                            {err(&format!("card.metrics.{i}"))}
                        </div>
                    }).collect_view()}
                    <button class="button button--small" data-testid="add-metric" on:click=move |_| wizard.update(|d| d.card.metrics.push(MetricFields::default()))>"Add a metric"</button>
                </div>
            </div>
            <StepNav step=step next_label="Next: licence tiers" check=move || errors.with_untracked(Vec::is_empty) />
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Licence tiers.

#[component]
fn TiersStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let errors = Memo::new(move |_| wizard.draft.with(|d| d.parsed_tiers().err().unwrap_or_default()));
    let count = Memo::new(move |_| wizard.draft.with(|d| d.tiers.len()));
    let step = Step::Tiers;
    view! {
        <div class="panel">
            <h2 class="panel__title">"5. Licence tiers"</h2>
            <p class="muted">"Each tier is one way to buy a licence: its price, how long it lasts, how many can be sold, and what it allows. Its terms are stored on IPFS."</p>
            {field_errors(errors, "tiers".into(), step, false)}
            {move || (0..count.get()).map(|i| view! { <TierForm index=i errors=errors /> }).collect_view()}
            <p class="wizard__tools">
                <button class="button button--small" data-testid="add-tier-research" on:click=move |_| wizard.update(|d| d.tiers.push(TierFields::research()))>"Add a research tier"</button>
                <button class="button button--small" data-testid="add-tier-commercial" on:click=move |_| wizard.update(|d| d.tiers.push(TierFields::commercial()))>"Add a commercial tier"</button>
            </p>
            <StepNav step=step next_label="Next: co-authors and parents" check=move || errors.with_untracked(Vec::is_empty) />
        </div>
    }
}

#[component]
fn TierForm(index: usize, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let i = index;
    let field = move |name: &str| field_errors(errors, format!("tiers.{i}.{name}"), Step::Tiers, false);
    let flag = move |label: &'static str,
                     test_id: &'static str,
                     get: fn(&TierFields) -> bool,
                     set: fn(&mut TierFields, bool)| {
        view! {
            <label class="check">
                <input type="checkbox" data-testid=format!("tier-{i}-{test_id}")
                    prop:checked=move || wizard.draft.with(|d| d.tiers.get(i).map(get).unwrap_or_default())
                    on:change=move |ev| { let on = event_target_checked(&ev); wizard.update(|d| if let Some(t) = d.tiers.get_mut(i) { set(t, on) }); } />
                " " {label}
            </label>
        }
    };
    view! {
        <fieldset class="tier-form" data-testid="tier-form" data-index=i>
            <legend>{format!("Tier {}", i + 1)}</legend>
            {text_field("Title", format!("tier-{i}-title"), move |d| d.tiers.get(i).map(|t| t.title.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.title = v }, false)}
            {field("title")}
            <div class="row">
                {text_field("Price (ETH)", format!("tier-{i}-price"), move |d| d.tiers.get(i).map(|t| t.price.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.price = v }, false)}
                {text_field("Days (empty: perpetual)", format!("tier-{i}-days"), move |d| d.tiers.get(i).map(|t| t.duration_days.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.duration_days = v }, false)}
                {text_field("Supply (empty: unlimited)", format!("tier-{i}-supply"), move |d| d.tiers.get(i).map(|t| t.supply.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.supply = v }, false)}
            </div>
            {field("price")}
            {field("durationDays")}
            {field("supply")}
            <div class="row">
                {flag("Commercial use", "commercial", |t| t.commercial, |t, on| t.commercial = on)}
                {flag("Derivatives allowed", "derivatives", |t| t.derivatives, |t, on| t.derivatives = on)}
                {flag("Transferable", "transferable", |t| t.transferable, |t, on| t.transferable = on)}
            </div>
            {text_field("Terms", format!("tier-{i}-terms"), move |d| d.tiers.get(i).map(|t| t.terms.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.terms = v }, true)}
            {field("terms")}
            <button class="button button--small" data-testid=format!("tier-{i}-remove") on:click=move |_| wizard.update(|d| { if i < d.tiers.len() { d.tiers.remove(i); } })>"Remove this tier"</button>
        </fieldset>
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Co-authors and parents.

#[component]
fn SharesStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let account = Memo::new(move |_| wallet.connection.with(|c| c.as_ref().map(|c| c.account)));
    let listed =
        move |id: u64| catalogue.catalogue.with(|c| c.as_ref().is_some_and(|c| c.get(U256::from(id)).is_some()));
    let result = Memo::new(move |_| {
        let creator = account.get();
        wizard.draft.with(|d| d.shares(creator, listed).map(|s| s.total_bps()))
    });
    let errors = Memo::new(move |_| result.get().err().unwrap_or_default());
    let authors = Memo::new(move |_| wizard.draft.with(|d| d.co_authors.len()));
    let parents = Memo::new(move |_| wizard.draft.with(|d| d.parents.len()));
    let step = Step::Shares;
    let live = move |field: String| field_errors(errors, field, step, true);
    view! {
        <div class="panel">
            <h2 class="panel__title">"6. Co-authors and parent models"</h2>
            <p class="muted">"Each sale pays the protocol fee first; of the rest, every parent model's owner and co-author gets their share, and you get what is left. Shares are paid on chain, at every sale, to be withdrawn from each one's dashboard."</p>
            <h3>"Co-authors"</h3>
            {move || (0..authors.get()).map(|i| view! {
                <div class="row" data-testid="co-author-row">
                    {text_field("Account (0x…)", format!("co-author-{i}-account"), move |d| d.co_authors.get(i).map(|a| a.account.clone()).unwrap_or_default(), move |d, v| if let Some(a) = d.co_authors.get_mut(i) { a.account = v }, false)}
                    {text_field("Share (%)", format!("co-author-{i}-percent"), move |d| d.co_authors.get(i).map(|a| a.percent.clone()).unwrap_or_default(), move |d, v| if let Some(a) = d.co_authors.get_mut(i) { a.percent = v }, false)}
                    <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.co_authors.len() { d.co_authors.remove(i); } })>"Remove"</button>
                    {live(format!("coAuthors.{i}"))}
                </div>
            }).collect_view()}
            <button class="button button--small" data-testid="add-co-author" on:click=move |_| wizard.update(|d| d.co_authors.push(CoAuthorFields::default()))>"Add a co-author"</button>
            {live("coAuthors".into())}
            <h3>"Parent models"</h3>
            <p class="muted">"If this model is built on models in the catalogue (fine-tuned, distilled, pruned), name them: their owners are paid their share of every sale."</p>
            {move || (0..parents.get()).map(|i| view! { <ParentRow index=i /> {live(format!("parents.{i}"))} }).collect_view()}
            <button class="button button--small" data-testid="add-parent" on:click=move |_| wizard.update(|d| d.parents.push(ParentFields::default()))>"Add a parent model"</button>
            {live("parents".into())}
            <h3>"Resale royalty"</h3>
            {text_field("Royalty on resales of the model's NFT (%, at most 10)", "royalty".into(), |d| d.royalty.clone(), |d, v| d.royalty = v, false)}
            {live("royalty".into())}
            <p class="shares-total" data-testid="shares-total">
                {move || match result.get() {
                    Ok(total) => format!("Parents and co-authors: {} of each sale after the fee · you: {}.", percent_words(total.into()), percent_words(10_000 - u64::from(total))),
                    Err(_) => "Fix the shares above to see the split.".to_owned(),
                }}
            </p>
            {live("shares.total".into())}
            <StepNav step=step next_label="Next: review" check=move || result.with_untracked(Result::is_ok) />
        </div>
    }
}

/// A parent model: its id, the catalogue's name for it, its share.
#[component]
fn ParentRow(index: usize) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let i = index;
    let id = Memo::new(move |_| {
        wizard
            .draft
            .with(|d| d.parents.get(i).and_then(|p| p.model_id.trim().trim_start_matches('#').parse::<u64>().ok()))
    });
    let summary = Memo::new(move |_| {
        let id = id.get()?;
        catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(U256::from(id)).cloned()))
    });
    view! {
        <div class="row" data-testid="parent-row">
            {text_field("Model id (#)", format!("parent-{i}-model"), move |d| d.parents.get(i).map(|p| p.model_id.clone()).unwrap_or_default(), move |d, v| if let Some(p) = d.parents.get_mut(i) { p.model_id = v }, false)}
            {text_field("Share (%)", format!("parent-{i}-percent"), move |d| d.parents.get(i).map(|p| p.percent.clone()).unwrap_or_default(), move |d, v| if let Some(p) = d.parents.get_mut(i) { p.percent = v }, false)}
            <span class="parent-row__name" data-testid=format!("parent-{i}-name")>
                {move || summary.get().map(|s| {
                    let title = crate::ipfs::cards::name(&config.ipfs, &s.manifestCid).unwrap_or_else(|| format!("Model #{}", s.id));
                    format!("{title} — owned by {}", short_address(&s.owner))
                })}
            </span>
            <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.parents.len() { d.parents.remove(i); } })>"Remove"</button>
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Review.

/// The market's fee and treasury, read once.
async fn market_terms(config: &RuntimeConfig) -> Result<(u16, Address), String> {
    let market = contract(config, "AssayMarket").ok_or("This network has no Assay market configured.")?;
    let provider = read_provider(&config.rpc_url);
    let fee =
        read(&provider, &config.rpc_url, market, IAssayMarket::protocolFeeBpsCall {}).await.map_err(|f| f.explain())?;
    let treasury =
        read(&provider, &config.rpc_url, market, IAssayMarket::treasuryCall {}).await.map_err(|f| f.explain())?;
    Ok((fee, treasury))
}

#[component]
fn ReviewStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let terms_config = config.clone();
    let terms = LocalResource::new(move || {
        let config = terms_config.clone();
        async move { market_terms(&config).await }
    });
    let account = move || wallet.connection.with(|c| c.as_ref().map(|c| c.account));
    // The draft checked once per change: every problem, and the tiers and shares once valid
    // (the split table below is computed from the same parse).
    let checked = Memo::new(move |_| {
        let creator = account();
        let listed =
            |id: u64| catalogue.catalogue.with(|c| c.as_ref().is_some_and(|c| c.get(U256::from(id)).is_some()));
        wizard.draft.with(|d| {
            let mut problems = d.check_card();
            let tiers = d.parsed_tiers().map_err(|e| problems.extend(e)).ok();
            let shares = d.shares(creator, listed).map_err(|e| problems.extend(e)).ok();
            if let Err(e) = d.io_schema() {
                problems.push(e);
            }
            if d.file.is_none() {
                problems.push(FieldError::new("file", "Choose the model file (step 1)."));
            }
            let titles: Vec<String> = d.tiers.iter().map(|t| t.title.clone()).collect();
            (problems, tiers.zip(shares).map(|(tiers, shares)| (tiers, shares, titles)))
        })
    });
    let problems = Memo::new(move |_| checked.with(|(problems, _)| problems.clone()));
    let splits = move || {
        let creator = account()?;
        let (fee_bps, treasury) = terms.get()?.ok()?;
        let owner_of = |id: U256| {
            catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(id).map(|s| s.owner)).unwrap_or_default())
        };
        checked.with(|(_, valid)| {
            let (tiers, shares, titles) = valid.as_ref()?;
            Some(
                tiers
                    .iter()
                    .zip(titles)
                    .map(|(tier, title)| {
                        let price = U256::from(tier.price);
                        (
                            title.clone(),
                            tier.duration,
                            price,
                            sale_split(price, fee_bps, treasury, shares, owner_of, creator),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    let card = move || wizard.draft.with(|d| d.card.clone());
    view! {
        <div class="panel">
            <h2 class="panel__title">"7. Review"</h2>
            {move || (!problems.with(Vec::is_empty)).then(|| view! {
                <div class="notice notice--warning" role="alert" data-testid="review-problems">
                    <p>"Before publishing:"</p>
                    <ul>{problems.get().into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || account().is_none().then(|| view! {
                <p class="notice" data-testid="review-connect">"Connect a wallet (top right): it lists the model, owns its NFT and is paid what is left of each sale."</p>
            })}
            <dl class="facts">
                <dt>"Name"</dt><dd data-testid="review-name">{move || card().name}</dd>
                <dt>"Task"</dt><dd>{move || card().task}</dd>
                <dt>"Licence"</dt><dd>{move || card().licence}</dd>
                <dt>"File"</dt><dd>{move || wizard.draft.with(|d| d.file.as_ref().map(|f| format!("{} · {} · {}", f.name, format_bytes(f.size), f.cid)))}</dd>
                <dt>"Weights"</dt><dd data-testid="review-weights">{move || wizard.draft.with(|d| match (d.encrypt, &d.trial) {
                    (false, _) => "Open: anyone can download the file; a licence grants the rights of its tier.".to_owned(),
                    (true, Some(t)) => format!("Encrypted in your browser at publication; buyers try the public file {} ({}).", t.name, format_bytes(t.size)),
                    (true, None) => "Encrypted in your browser at publication; no public trial file.".to_owned(),
                })}</dd>
            </dl>
            <h3>"Where the money of each sale goes"</h3>
            {move || match splits() {
                None => view! { <p class="muted">"The split appears once the tiers and shares are valid and a wallet is connected."</p> }.into_any(),
                Some(tiers) => tiers.into_iter().enumerate().map(|(i, (title, duration, price, payees))| view! {
                    <div class="review-tier" data-testid="review-tier" data-index=i>
                        <h4>{format!("{title} — {} ETH, {}", format_ether(price, 18), duration_words(duration))}</h4>
                        <SplitTable payees=payees owner="You" test_id="review-split" full_addresses=true />
                    </div>
                }).collect_view().into_any(),
            }}
            <StepNav step=Step::Review next_label="Go to publishing" check=move || problems.with_untracked(Vec::is_empty) && account().is_some() />
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// 8. Publish.

#[derive(Clone, Debug, PartialEq)]
enum PhaseState {
    Waiting,
    Running(String),
    Done(String),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
struct Phase {
    label: String,
    state: PhaseState,
}

#[component]
fn PublishStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let phases = RwSignal::new(Vec::<Phase>::new());
    let failed = RwSignal::new(None::<String>);
    let publish = move |_| {
        let config = config.clone();
        failed.set(None);
        wizard.busy.set(true);
        spawn_local(async move {
            match publish(wizard, &config, tx, wallet, catalogue, phases).await {
                Ok(id) => {
                    drafts::clear().await;
                    catalogue.refresh();
                    wizard.listed.set(Some(id));
                    wizard.draft.set(Draft::default());
                }
                Err(reason) => failed.set(Some(reason)),
            }
            wizard.busy.set(false);
        });
    };
    view! {
        <div class="panel">
            <h2 class="panel__title">"8. Publish"</h2>
            <p class="muted">"The model file, its card and each tier's terms go to IPFS (the CID of every upload is computed here first and must match the node's); then one transaction mints the model's NFT with its tiers and shares."</p>
            <ol class="publish" data-testid="publish-phases">
                {move || phases.get().into_iter().map(|phase| {
                    let (class, text) = match &phase.state {
                        PhaseState::Waiting => ("waiting", String::new()),
                        PhaseState::Running(t) => ("running", t.clone()),
                        PhaseState::Done(t) => ("done", t.clone()),
                        PhaseState::Failed(t) => ("failed", t.clone()),
                    };
                    view! {
                        <li class=format!("publish__phase publish__phase--{class}") data-testid="publish-phase" data-state=class>
                            <strong>{phase.label}</strong> " " <span>{text}</span>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {move || failed.get().map(|reason| view! {
                <div class="notice notice--warning" role="alert" data-testid="publish-failed">
                    <p>{reason}</p>
                    <p class="muted">"Nothing is lost: the draft and whatever already reached IPFS are kept. Press Publish to try again."</p>
                </div>
            })}
            <div class="wizard__nav">
                <button class="button" data-testid="wizard-back" disabled=move || wizard.busy.get() on:click=move |_| wizard.showing.set(Step::Review)>"Back"</button>
                <button class="button button--primary" data-testid="publish" disabled=move || wizard.busy.get() on:click=publish>
                    {move || if wizard.busy.get() { "Publishing…" } else { "Publish and mint" }}
                </button>
            </div>
        </div>
    }
}

fn set_phase(phases: RwSignal<Vec<Phase>>, index: usize, state: PhaseState) {
    phases.update(|p| {
        if let Some(phase) = p.get_mut(index) {
            phase.state = state;
        }
    });
}

/// Uploads `source` unless the node already confirmed its CID for this draft; the CID. `cid`:
/// the CID if already known (else computed here for bytes; a Blob is always sent).
async fn upload_once(
    wizard: Wizard,
    ipfs: &Ipfs,
    source: UploadSource,
    cid: Option<String>,
    name: &str,
    phases: RwSignal<Vec<Phase>>,
    index: usize,
) -> Result<String, String> {
    let cid = match (&source, cid) {
        (_, Some(cid)) => Some(cid),
        (UploadSource::Bytes(bytes), None) => Some(cid_of(bytes).to_string()),
        _ => None,
    };
    if let Some(cid) = cid.filter(|cid| wizard.draft.with_untracked(|d| d.uploaded.contains(cid))) {
        set_phase(phases, index, PhaseState::Done(format!("already on IPFS ({cid})")));
        return Ok(cid);
    }
    set_phase(phases, index, PhaseState::Running("starting…".into()));
    let progress = move |phase: UploadPhase, p: Progress| {
        let what = match phase {
            UploadPhase::Hashing => "hashing",
            UploadPhase::Sending => "sending",
        };
        set_phase(phases, index, PhaseState::Running(format!("{what} {}% of {}", p.percent(), format_bytes(p.total))));
    };
    match ipfs.upload(source, name, progress).await {
        Ok(remote) => {
            let remote = remote.to_string();
            wizard.update(|d| {
                d.uploaded.insert(remote.clone());
            });
            set_phase(phases, index, PhaseState::Done(format!("uploaded: {remote}")));
            Ok(remote)
        }
        Err(e) => {
            let reason = format!("Upload of {name} failed: {e}");
            set_phase(phases, index, PhaseState::Failed(reason.clone()));
            Err(reason)
        }
    }
}

/// The whole publication; the listed model's id.
async fn publish(
    wizard: Wizard,
    config: &RuntimeConfig,
    tx: TxContext,
    wallet: WalletContext,
    catalogue: CatalogueContext,
    phases: RwSignal<Vec<Phase>>,
) -> Result<U256, String> {
    let creator = wallet.connection.get_untracked().map(|c| c.account).ok_or("Connect a wallet first (top right).")?;
    let market = contract(config, "AssayMarket").ok_or("This network has no Assay market configured.")?;
    let draft = wizard.draft.get_untracked();
    let listed =
        |id: u64| catalogue.catalogue.with_untracked(|c| c.as_ref().is_some_and(|c| c.get(U256::from(id)).is_some()));
    let first = |errors: Vec<FieldError>| errors.into_iter().next().map(|e| e.message).unwrap_or_default();
    let shares = draft.shares(Some(creator), listed).map_err(first)?;
    let tiers = draft.parsed_tiers().map_err(first)?;
    let io = draft.io_schema().map_err(|e| e.message)?;
    let card_problems = draft.check_card();
    if !card_problems.is_empty() {
        return Err(first(card_problems));
    }
    let file = draft.file.clone().ok_or("Choose the model file (step 1).")?;
    let bytes = wizard
        .bytes
        .get_untracked()
        .ok_or_else(|| format!("This browser no longer has {}: choose it again in step 1.", file.name))?;

    let trial = match (draft.encrypt, &draft.trial) {
        (true, Some(trial)) => Some((
            trial.clone(),
            wizard.trial_bytes.get_untracked().ok_or_else(|| {
                format!("This browser no longer has the trial file {}: choose it again in step 1.", trial.name)
            })?,
        )),
        _ => None,
    };
    if let Some((trial, trial_bytes)) = &trial {
        let worker = wizard.worker().await?;
        worker
            .validate(trial_bytes, &io)
            .await
            .map_err(|e| format!("The trial file {} doesn't follow the I/O schema: {}", trial.name, cpu_error(e)))?;
    }

    let mut labels = Vec::new();
    if draft.encrypt {
        labels.push("Encryption key (your wallet signs twice)".to_owned());
        labels.push(format!("Encrypt the model file ({})", format_bytes(file.size)));
        labels.push("Model file, encrypted".to_owned());
        if trial.is_some() {
            labels.push("Public trial file".to_owned());
        }
    } else {
        labels.push(format!("Model file ({})", format_bytes(file.size)));
    }
    let card_index = labels.len();
    labels.push("Model card".to_owned());
    labels.extend(draft.tiers.iter().map(|t| format!("Terms: {}", t.title.trim())));
    labels.push("Mint the listing".to_owned());
    phases.set(labels.into_iter().map(|label| Phase { label, state: PhaseState::Waiting }).collect());
    let mint_index = phases.with_untracked(Vec::len) - 1;

    let ipfs = Ipfs::new(&config.ipfs);
    let (card, commitment) = if draft.encrypt {
        let key_id_text =
            draft.key_id.clone().ok_or("The draft has no key id: switch encryption off and on again in step 1.")?;
        let key_id = encryption::parse_key_id(&key_id_text)?;
        set_phase(phases, 0, PhaseState::Running("confirm the two signature requests in your wallet…".into()));
        let key = match encryption::content_key(&wallet, config, &key_id).await {
            Ok(key) => key,
            Err(reason) => {
                set_phase(phases, 0, PhaseState::Failed(reason.clone()));
                return Err(reason);
            }
        };
        let commitment = alloy_primitives::B256::from(assay_crypto::commitment(&key));
        set_phase(phases, 0, PhaseState::Done(format!("key {key_id_text}: commitment {commitment}")));
        set_phase(phases, 1, PhaseState::Running("0%".into()));
        let encrypted = encryption::encrypt(&bytes, &key, key_id, move |p| {
            set_phase(phases, 1, PhaseState::Running(format!("{}%", p.percent())))
        })
        .await
        .inspect_err(|reason| set_phase(phases, 1, PhaseState::Failed(reason.clone())))?;
        set_phase(phases, 1, PhaseState::Done(format!("{} encrypted", format_bytes(encrypted.size() as u64))));
        // A fresh encryption has a fresh nonce prefix, so a new CID: always uploaded.
        let name = format!("{}.assayenc", file.name);
        let encrypted_cid = upload_once(wizard, &ipfs, UploadSource::Blob(encrypted), None, &name, phases, 2).await?;
        let trial_cid = match trial {
            Some((trial, trial_bytes)) => {
                let local = trial.cid.clone();
                Some(
                    upload_once(
                        wizard,
                        &ipfs,
                        UploadSource::Bytes(trial_bytes.as_ref().clone()),
                        Some(local),
                        &trial.name,
                        phases,
                        3,
                    )
                    .await?,
                )
            }
            None => None,
        };
        (draft.encrypted_card(io, &encrypted_cid, trial_cid.as_deref(), &key_id_text, file.size), commitment)
    } else {
        let model_cid = upload_once(
            wizard,
            &ipfs,
            UploadSource::Bytes(bytes.as_ref().clone()),
            Some(file.cid.clone()),
            &file.name,
            phases,
            0,
        )
        .await?;
        if model_cid != file.cid {
            return Err(format!(
                "The uploaded file's CID {model_cid} differs from the draft's {}; choose the file again.",
                file.cid
            ));
        }
        (draft.card(io, &model_cid), alloy_primitives::B256::ZERO)
    };
    let card_bytes = serde_json::to_vec_pretty(&card).expect("a model card serialises");
    let card_cid =
        upload_once(wizard, &ipfs, UploadSource::Bytes(card_bytes), None, "card.json", phases, card_index).await?;
    let mut terms_cids = Vec::new();
    for (i, tier) in draft.tiers.iter().enumerate() {
        let document = tier.terms_document().into_bytes();
        let name = format!("terms-{}.txt", i + 1);
        terms_cids.push(
            upload_once(wizard, &ipfs, UploadSource::Bytes(document), None, &name, phases, card_index + 1 + i).await?,
        );
    }

    set_phase(phases, mint_index, PhaseState::Running("confirm in your wallet…".into()));
    let call = listing_call(&card_cid, commitment, &shares, &tiers, &terms_cids);
    let hash = match tx.send(Write::call(format!("List {}", card.name), market, &call)).await {
        Ok(hash) => hash,
        Err(failure) => {
            let reason = failure.explain();
            set_phase(phases, mint_index, PhaseState::Failed(reason.clone()));
            return Err(reason);
        }
    };
    let provider = read_provider(&config.rpc_url);
    let receipt = provider
        .get_transaction_receipt(hash)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("The listing's receipt is not available yet.")?;
    let id = receipt
        .inner
        .logs()
        .iter()
        .filter(|log| log.address() == market)
        .find_map(|log| IAssayMarket::ModelListed::decode_log_data(&log.inner.data).ok())
        .map(|event| event.modelId)
        .ok_or("The transaction was confirmed but listed no model.")?;
    set_phase(phases, mint_index, PhaseState::Done(format!("model #{id} minted")));
    Ok(id)
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
