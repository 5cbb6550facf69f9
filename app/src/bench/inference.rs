//! `#/bench/inference` — the inference working page, linked from nowhere: the three seeded models
//! with their cards (a trial panel each), validation of any model file against a card (what the
//! listing flow does), and a heartbeat that shows the page stays responsive while a model runs.
//!
//! Query: `model=digits|text-direction|magika` picks the model; `models=<url>` is where the
//! `.onnx` files are (default `models/`, relative to the page; tests serve them there).

use std::sync::Arc;

use assay_inference::ModelCard;
use assay_inference::card::IoSchema;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now_ms;
use crate::error::AppError;
use crate::router::RouterContext;
use crate::trial::ort::{OrtSession, Provider};
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::trial::tract::{TractWorker, WORKER_URL};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::file_input::{chosen_file, read_bytes};

/// The seeded models: (key, file, card JSON). The cards are the project's own
/// (`inference/cards/`); the model files come from `inference/models/setup.py`.
pub const SEEDED: [(&str, &str, &str); 3] = [
    ("digits", "digits.onnx", include_str!("../../../inference/cards/digits.json")),
    ("text-direction", "text-direction.onnx", include_str!("../../../inference/cards/text-direction.json")),
    ("magika", "magika.onnx", include_str!("../../../inference/cards/magika.json")),
];

#[component]
pub fn BenchInferencePage() -> impl IntoView {
    let router: RouterContext = expect_context();
    let beats = RwSignal::new(0u64);
    // A UI heartbeat on the main thread: it keeps counting only while the page is responsive.
    if let Ok(handle) =
        set_interval_with_handle(move || beats.update(|b| *b += 1), std::time::Duration::from_millis(50))
    {
        on_cleanup(move || handle.clear());
    }

    let query = move || router.location.get().query;
    let base = move || query().get("models").cloned().unwrap_or_else(|| "models/".to_owned());
    let picked = move || query().get("model").cloned().unwrap_or_else(|| "digits".to_owned());

    let trial = move || {
        let key = picked();
        let base = base();
        SEEDED.iter().find(|(k, ..)| *k == key).map(|(_, file, card)| {
            let card: ModelCard = serde_json::from_str(card).expect("the seeded cards are valid (host-tested)");
            let source = ModelSource::Url(format!("{base}{file}"));
            view! { <TrialPanel card=card source=source /> }
        })
    };

    view! {
        <section data-page="bench-inference">
            <h1>"Inference bench"</h1>
            <p class="lede">"Trial inference in this browser, on the seeded models; validation of any model file."</p>
            <p class="muted">"Heartbeat: " <span data-testid="heartbeat">{move || beats.get()}</span></p>
            <nav class="trial__models">
                {SEEDED.iter().map(|(key, _, card)| {
                    let name = serde_json::from_str::<ModelCard>(card).map(|c| c.name).unwrap_or_default();
                    view! { <a href=format!("#/bench/inference?model={key}") data-testid=format!("pick-{key}")>{name}</a> " " }
                }).collect_view()}
            </nav>
            {trial}
            {move || { let key = picked(); let base = base(); view! { <Benchmark key=key base=base /> } }}
            <ValidatePanel />
        </section>
    }
}

/// Validation of a chosen `.onnx` file against a card's `io` section (pasted JSON or a seeded
/// card), as at listing time; then a trial of it.
#[component]
fn ValidatePanel() -> impl IntoView {
    let card_text = RwSignal::new(SEEDED[0].2.to_owned());
    let file = RwSignal::new(None::<(String, Arc<Vec<u8>>)>);
    let verdict = RwSignal::new(None::<Result<String, AppError>>);
    let busy = RwSignal::new(false);
    let tried = RwSignal::new(None::<(ModelCard, Arc<Vec<u8>>)>);

    let chosen = move |ev: web_sys::Event| {
        let Some(f) = chosen_file(&ev) else { return };
        spawn_local(async move {
            if let Ok(bytes) = read_bytes(&f).await {
                file.set(Some((f.name(), Arc::new(bytes))));
            }
        });
    };
    let validate = move |_| {
        let Some((_, bytes)) = file.get_untracked() else {
            verdict.set(Some(Err(AppError::Invalid("Choose a model file first.".into()))));
            return;
        };
        let card: ModelCard = match serde_json::from_str(&card_text.get_untracked()) {
            Ok(card) => card,
            Err(e) => {
                // A bare `io` section is accepted too.
                match IoSchema::from_json(&card_text.get_untracked()) {
                    Ok(io) => ModelCard::new("Your model", io),
                    Err(_) => {
                        verdict.set(Some(Err(AppError::Invalid(format!("The card is not valid: {e}")))));
                        return;
                    }
                }
            }
        };
        busy.set(true);
        verdict.set(None);
        tried.set(None);
        spawn_local(async move {
            let result = async {
                let report = TractWorker::shared().await?.validate(&bytes, &card.io).await?;
                tried.set(Some((card.clone(), bytes.clone())));
                Ok::<_, AppError>(describe_report(&report))
            };
            verdict.set(Some(result.await));
            busy.set(false);
        });
    };

    view! {
        <section class="panel" data-testid="validate">
            <h2 class="panel__title">"Validate a model file"</h2>
            <label>"Model (.onnx) " <input type="file" accept=".onnx" on:change=chosen data-testid="validate-file" /></label>
            <label class="block">"Model card (JSON)"
                <textarea rows=6 data-testid="validate-card" prop:value=move || card_text.get()
                    on:input=move |ev| card_text.set(event_target_value(&ev))></textarea>
            </label>
            <button data-testid="validate-run" on:click=validate disabled=move || busy.get() || file.with(Option::is_none)>"Validate"</button>
            {move || verdict.get().map(|v| match v {
                Ok(text) => view! { <p class="ok" data-testid="validate-ok">{text}</p> }.into_any(),
                Err(error) => view! { <ErrorNote error=error testid="validate-refused" /> }.into_any(),
            })}
            {move || tried.get().map(|(card, bytes)| view! { <TrialPanel card=card source=ModelSource::Bytes(bytes) /> })}
        </section>
    }
}

/// A valid model in one line: opset, operators, parameters, size, resolved inputs and outputs.
fn describe_report(report: &assay_inference::Report) -> String {
    let shapes = |facts: &[assay_inference::report::IoFact]| {
        facts
            .iter()
            .map(|f| format!("{} {:?}", f.name, f.resolved.clone().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "Valid: opset {}, {} operators ({}), {} parameters, {} bytes; inputs {}; outputs {}.",
        report.opset,
        report.operators.len(),
        report.operators.keys().cloned().collect::<Vec<_>>().join(", "),
        report.parameters,
        report.size_bytes,
        shapes(&report.inputs),
        shapes(&report.outputs),
    )
}

/// The engines the benchmark compares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum BenchEngine {
    /// tract in a worker of its own, started for the benchmark (a standing start).
    #[default]
    Tract,
    OrtWasm,
    OrtWebGpu,
}

impl BenchEngine {
    const ALL: [BenchEngine; 3] = [BenchEngine::Tract, BenchEngine::OrtWasm, BenchEngine::OrtWebGpu];

    /// The option's value (`e2e/bench/inference.mjs` picks by it).
    fn key(self) -> &'static str {
        match self {
            BenchEngine::Tract => "tract",
            BenchEngine::OrtWasm => "ort-wasm",
            BenchEngine::OrtWebGpu => "ort-webgpu",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.key() == key)
    }

    /// What the option says.
    fn label(self) -> &'static str {
        match self {
            BenchEngine::Tract => "tract-wasm (worker)",
            BenchEngine::OrtWasm => "onnxruntime-web wasm",
            BenchEngine::OrtWebGpu => "onnxruntime-web WebGPU",
        }
    }

    /// The result's `engine` field.
    fn reported(self) -> &'static str {
        match self {
            BenchEngine::Tract => "tract-wasm (simd, worker)",
            BenchEngine::OrtWasm => "onnxruntime-web wasm",
            BenchEngine::OrtWebGpu => "onnxruntime-web WebGPU",
        }
    }
}

/// One benchmark: the picked model on one engine, timed from a standing start (engine start,
/// compile, first result) and then warm (`runs` runs, median), on deterministic synthetic inputs.
#[derive(Clone, Debug, serde::Serialize)]
struct BenchResult {
    model: String,
    engine: &'static str,
    /// Engine start: the worker's wasm fetched and started / onnxruntime-web imported.
    start_ms: f64,
    /// Session creation (validation + compilation for tract).
    compile_ms: f64,
    first_run_ms: f64,
    /// start + compile + first run, as the page saw it.
    cold_first_result_ms: f64,
    warm_runs: usize,
    /// Median and minimum of each run's own time (the clock has 0.1 ms resolution here).
    warm_median_ms: f64,
    warm_min_ms: f64,
    /// The whole batch of warm runs, timed on the page, divided by the run count: resolves runs
    /// shorter than the clock's step.
    warm_mean_ms: f64,
}

fn median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[v.len() / 2], v[0])
}

async fn bench_once(key: &str, base: &str, engine: BenchEngine, runs: u32) -> Result<BenchResult, AppError> {
    let invalid = |e: String| AppError::Invalid(e);
    let (_, file, card) =
        SEEDED.iter().find(|(k, ..)| *k == key).ok_or_else(|| invalid(format!("unknown model {key}")))?;
    let card: ModelCard = serde_json::from_str(card).map_err(|e| invalid(e.to_string()))?;
    let url = format!("{base}{file}");
    let fetch_failed = |e: gloo_net::Error| AppError::Browser(format!("{url}: {e}"));
    let response = gloo_net::http::Request::get(&url).send().await.map_err(fetch_failed)?;
    let bytes = response.binary().await.map_err(fetch_failed)?;
    let inputs = card
        .io
        .inputs
        .iter()
        .enumerate()
        .map(|(i, spec)| assay_inference::pre::synthetic(spec, 1 + i as u64))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let outputs: Vec<String> = card.io.outputs.iter().map(|o| o.name.clone()).collect();
    let t0 = now_ms();
    let (start_ms, compile_ms, first_run_ms, warm, warm_total) = match engine {
        BenchEngine::Tract => {
            // A worker of its own, not the page's shared one: its start is part of what is timed.
            let worker = TractWorker::start(WORKER_URL).await?;
            let t1 = now_ms();
            worker.load(&bytes, &card.io).await?;
            let t2 = now_ms();
            worker.run(inputs.clone()).await?;
            let t3 = now_ms();
            let warm = worker.bench(inputs, runs).await?;
            let total = now_ms() - t3;
            (t1 - t0, t2 - t1, t3 - t2, warm, total)
        }
        BenchEngine::OrtWasm | BenchEngine::OrtWebGpu => {
            crate::trial::ort::load().await?;
            let t1 = now_ms();
            let provider = if engine == BenchEngine::OrtWasm { Provider::Wasm } else { Provider::WebGpu };
            let session = OrtSession::create(&bytes, provider, outputs).await?;
            let t2 = now_ms();
            session.run(&inputs).await?;
            let t3 = now_ms();
            let mut warm = Vec::new();
            for _ in 0..runs {
                warm.push(session.run(&inputs).await?.1);
            }
            let total = now_ms() - t3;
            (t1 - t0, t2 - t1, t3 - t2, warm, total)
        }
    };
    let warm_runs = warm.len();
    let (warm_median_ms, warm_min_ms) = median(warm);
    Ok(BenchResult {
        model: key.to_owned(),
        engine: engine.reported(),
        start_ms,
        compile_ms,
        first_run_ms,
        cold_first_result_ms: start_ms + compile_ms + first_run_ms,
        warm_runs,
        warm_median_ms,
        warm_min_ms,
        warm_mean_ms: warm_total / warm_runs.max(1) as f64,
    })
}

#[component]
fn Benchmark(key: String, base: String) -> impl IntoView {
    let runs = RwSignal::new("20".to_owned());
    let engine = RwSignal::new(BenchEngine::default());
    let result = RwSignal::new(None::<Result<String, AppError>>);
    let busy = RwSignal::new(false);
    let go = move |_| {
        let (key, base) = (key.clone(), base.clone());
        let runs = runs.get_untracked().trim().parse::<u32>().unwrap_or(20).max(1);
        let engine = engine.get_untracked();
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let r = bench_once(&key, &base, engine, runs).await;
            result.set(Some(r.map(|r| serde_json::to_string(&r).unwrap_or_default())));
            busy.set(false);
        });
    };
    let picked = move |ev: web_sys::Event| {
        if let Some(picked) = BenchEngine::from_key(&event_target_value(&ev)) {
            engine.set(picked);
        }
    };
    view! {
        <section class="panel" data-testid="bench">
            <h2 class="panel__title">"Benchmark"</h2>
            <label>"Engine " <select data-testid="bench-engine" on:change=picked>
                {BenchEngine::ALL.map(|e| view! { <option value=e.key()>{e.label()}</option> }).into_iter().collect_view()}
            </select></label>
            <label>" warm runs " <input type="number" data-testid="bench-runs" prop:value=move || runs.get()
                on:input=move |ev| runs.set(event_target_value(&ev)) /></label>
            <button data-testid="bench-run" on:click=go disabled=move || busy.get()>"Run benchmark"</button>
            {move || result.get().map(|r| match r {
                Ok(json) => view! { <pre data-testid="bench-json">{json}</pre> }.into_any(),
                Err(error) => view! { <ErrorNote error=error testid="bench-error" /> }.into_any(),
            })}
        </section>
    }
}
