//! The "Try it" panel, built from the model card's `io` section: an engine switch, Start trial
//! (progress for fetch, engine start, validation and compilation), the inputs ([`inputs`]), Run
//! and Time ([`run`]), and the results, each with the engine that ran it and how long it took
//! ([`results`]).

mod engine;
mod inputs;
mod load;
mod results;
mod run;
mod steps;

use std::rc::Rc;
use std::sync::Arc;

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::Cid;
use assay_inference::{IoSchema, ModelCard, Report, Tensor};
use leptos::prelude::*;

pub(crate) use load::fetch_model;
pub use run::CROSS_CHECK_TOLERANCE;

use self::engine::{EngineSwitch, Engines};
use self::inputs::{Gather, input_widget};
use self::results::{Outcome, OutcomeView, ReportView, Timing, TimingView};
use self::steps::{Step, StepRows, Steps};
use super::cpu::CpuEngine;
use super::ort::OrtSession;
use crate::error::AppError;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::progress::StepState;

/// Where the model's bytes come from.
#[derive(Clone)]
pub enum ModelSource {
    /// Fetched from IPFS through the configured gateways, verified against its CID.
    Ipfs(Cid),
    /// A URL relative to the page (bench page, tests).
    Url(String),
    /// Already in memory (a file chosen in the listing flow).
    Bytes(Arc<Vec<u8>>),
}

/// The panel's state: what it shows, and what its engines hold. Cheap to copy.
#[derive(Clone, Copy)]
struct Trial {
    steps: Steps,
    engines: Engines,
    /// Validation's report on the loaded model.
    report: RwSignal<Option<Report>>,
    /// A model is loaded: Run and Time are possible.
    ready: RwSignal<bool>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<AppError>>,
    /// The download was used but could not be kept for offline use.
    cache_note: RwSignal<Option<String>>,
    /// Every result, newest first.
    outcomes: RwSignal<Vec<Outcome>>,
    timing: RwSignal<Option<Timing>>,
    /// How to read each input, in the card's order.
    inputs: StoredValue<Vec<Gather>, LocalStorage>,
    held: Held,
}

/// What the engines hold for the loaded model (nothing shown).
#[derive(Clone, Copy)]
struct Held {
    io: StoredValue<IoSchema>,
    model: StoredValue<Option<Rc<Vec<u8>>>, LocalStorage>,
    /// Each output's class labels (empty where it has none).
    labels: StoredValue<Vec<Vec<String>>>,
    /// The CPU engine holding the model: the page's tract worker (with this panel's load on it)
    /// or this panel's onnxruntime-web wasm session.
    cpu: StoredValue<Option<CpuEngine>, LocalStorage>,
    /// The WebGPU session, made on the first GPU run.
    gpu: StoredValue<Option<Rc<OrtSession>>, LocalStorage>,
    /// `None`: the GPU has not been cross-checked on this model yet; `Some(agreed)`.
    gpu_checked: StoredValue<Option<bool>>,
}

impl Trial {
    fn new(io: IoSchema) -> Self {
        Self {
            steps: Steps::new(),
            engines: Engines::detect(),
            report: RwSignal::new(None),
            ready: RwSignal::new(false),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            cache_note: RwSignal::new(None),
            outcomes: RwSignal::new(Vec::new()),
            timing: RwSignal::new(None),
            inputs: StoredValue::new_local(Vec::new()),
            held: Held {
                io: StoredValue::new(io),
                model: StoredValue::new_local(None),
                labels: StoredValue::new(Vec::new()),
                cpu: StoredValue::new_local(None),
                gpu: StoredValue::new_local(None),
                gpu_checked: StoredValue::new(None),
            },
        }
    }

    /// `step` failed: said on its row and below the panel; the panel is free again.
    fn fail(self, step: Step, error: AppError) {
        self.steps.set(step, StepState::Failed(error.sentence()));
        self.error.set(Some(error));
        self.busy.set(false);
    }

    /// Every input's tensor, from what the person gave.
    fn gather(self) -> Result<Vec<Tensor>, AppError> {
        self.inputs.with_value(|inputs| inputs.iter().map(|gather| gather()).collect())
    }
}

/// The panel for `card`'s model from `source`; `on_result` is called after each successful run
/// (the listing flow remembers that the model was tried). The CPU engine starts in the background
/// when the panel appears ([`load::prewarm`]) unless `prewarm` is false (the benchmark page,
/// which times engine starts itself).
#[component]
pub fn TrialPanel(
    card: ModelCard,
    source: ModelSource,
    #[prop(optional)] on_result: Option<Callback<()>>,
    #[prop(default = true)] prewarm: bool,
) -> impl IntoView {
    let config = use_context::<RuntimeConfig>();
    let trial = Trial::new(card.io.clone());
    if let Some(on_result) = on_result {
        Effect::new(move |_| {
            if !trial.outcomes.with(Vec::is_empty) {
                on_result.run(());
            }
        });
    }
    let Trial { busy, ready, error, cache_note, report, outcomes, timing, .. } = trial;
    let inputs_view = card
        .io
        .inputs
        .iter()
        .map(|spec| {
            let (view, gather) = input_widget(spec.clone());
            trial.inputs.update_value(|g| g.push(gather));
            view
        })
        .collect_view();
    if prewarm {
        load::prewarm();
    }
    let bench_runs = RwSignal::new("20".to_owned());
    let start = move |_| load::start(trial, source.clone(), config.clone());
    let cannot_run = move || busy.get() || !ready.get();

    view! {
        <section class="panel trial" data-testid="trial">
            <h2 class="panel__title">"Try it in your browser"</h2>
            <p class="muted">{card.name.clone()} " — runs on this device; nothing is uploaded."</p>
            <EngineSwitch engines=trial.engines />
            <button data-testid="trial-start" on:click=start disabled=move || busy.get()>
                {move || if ready.get() { "Reload the model" } else { "Start trial" }}
            </button>
            <StepRows steps=trial.steps />
            {move || report.get().map(|r| view! { <ReportView report=r /> })}
            <div class="trial__inputs">{inputs_view}</div>
            <button data-testid="trial-run" on:click=move |_| run::run(trial) disabled=cannot_run>"Run"</button>
            <div class="trial__bench">
                <label>"Time " <input type="number" min="1" data-testid="trial-bench-runs" prop:value=move || bench_runs.get()
                    on:input=move |ev| bench_runs.set(event_target_value(&ev)) /> " runs "</label>
                <button data-testid="trial-bench" on:click=move |_| run::time(trial, &bench_runs.get_untracked())
                    disabled=cannot_run>"Time"</button>
                {move || timing.get().map(|timing| view! { <TimingView timing=timing /> })}
            </div>
            {move || error.get().map(|e| view! { <ErrorNote error=e testid="trial-error" /> })}
            {move || cache_note.get().map(|n| view! { <p class="notice notice--warning" data-testid="trial-cache-note">{n}</p> })}
            <div data-testid="trial-results">
                {move || outcomes.get().into_iter().map(|o| view! { <OutcomeView outcome=o /> }).collect_view()}
            </div>
        </section>
    }
}
