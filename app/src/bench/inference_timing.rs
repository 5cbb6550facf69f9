//! The inference benchmark on `#/bench/inference` (driven by `e2e/bench/inference.mjs`): one model
//! on one engine from a standing start (engine start, compile, first result) and warm, or tract
//! and onnxruntime-web's wasm backend in turn on the same page (`pair`), so that both see the same
//! machine load and their ratio means something on a busy machine.
//!
//! `ort=<url>` (the page's query) picks the onnxruntime-web build: the app's own bundle by
//! default (`ort.webgpu.min.mjs`, which the trial uses for the GPU and as the CPU fallback), or
//! another, e.g. the plain wasm build (`ort.wasm.min.mjs`) the benchmark script serves;
//! `worker=<url>` another tract worker's loader (an earlier build beside this one, to compare).

use assay_inference::{ModelCard, Tensor};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now_ms;
use crate::error::AppError;
use crate::trial::ort::{ORT_MODULE, OrtSession, Provider};
use crate::trial::tract::{TractWorker, WORKER_URL};
use crate::ui::components::error::ErrorNote;

/// The engines the benchmark times.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum BenchEngine {
    /// tract in a worker of its own, started for the benchmark (a standing start).
    #[default]
    Tract,
    OrtWasm,
    OrtWebGpu,
    /// tract and onnxruntime-web wasm, warm, one run each in turn.
    Pair,
}

impl BenchEngine {
    const ALL: [BenchEngine; 4] = [BenchEngine::Tract, BenchEngine::OrtWasm, BenchEngine::OrtWebGpu, BenchEngine::Pair];

    /// The option's value (`e2e/bench/inference.mjs` picks by it).
    fn key(self) -> &'static str {
        match self {
            BenchEngine::Tract => "tract",
            BenchEngine::OrtWasm => "ort-wasm",
            BenchEngine::OrtWebGpu => "ort-webgpu",
            BenchEngine::Pair => "pair",
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
            BenchEngine::Pair => "tract and onnxruntime-web wasm in turn (warm)",
        }
    }

    /// The result's `engine` field.
    fn reported(self) -> &'static str {
        match self {
            BenchEngine::Tract => "tract-wasm (simd, worker)",
            BenchEngine::OrtWasm => "onnxruntime-web wasm",
            BenchEngine::OrtWebGpu => "onnxruntime-web WebGPU",
            BenchEngine::Pair => "tract-wasm vs onnxruntime-web wasm, in turn",
        }
    }
}

/// A model to time: its key, where its file is, its card.
#[derive(Clone)]
pub struct BenchModel {
    pub key: String,
    pub url: String,
    pub card: ModelCard,
}

/// One engine from a standing start, then `runs` warm runs, on deterministic synthetic inputs.
#[derive(Clone, Debug, serde::Serialize)]
struct ColdResult {
    model: String,
    engine: &'static str,
    /// The onnxruntime-web module, or for tract the worker's loader.
    ort: String,
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
    /// tract: loading the same file and card again afterwards (the worker reuses its plan).
    reload_ms: Option<f64>,
}

/// tract and onnxruntime-web wasm, both warm, one run each in turn for `rounds` rounds.
#[derive(Clone, Debug, serde::Serialize)]
struct PairResult {
    model: String,
    engine: &'static str,
    ort: String,
    /// The tract worker's loader.
    worker: String,
    /// Runs of each engine before the timed rounds.
    warm_up_runs: u32,
    /// Runs per engine in each timed round (1 unless a run is shorter than [`BATCH_BELOW_MS`]).
    batch: u32,
    rounds: usize,
    tract_median_ms: f64,
    tract_min_ms: f64,
    ort_median_ms: f64,
    ort_min_ms: f64,
    /// tract's median over onnxruntime-web's.
    ratio_of_medians: f64,
    /// tract's fastest run over onnxruntime-web's: on a busy machine the runs nothing interrupted.
    ratio_of_minima: f64,
    /// The median of each round's tract / onnxruntime-web ratio (rounds where onnxruntime-web's
    /// time is under the clock's step left out).
    median_round_ratio: Option<f64>,
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn median(v: &[f64]) -> f64 {
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn inputs_of(card: &ModelCard) -> Result<Vec<Tensor>, AppError> {
    card.io
        .inputs
        .iter()
        .enumerate()
        .map(|(i, spec)| assay_inference::pre::synthetic(spec, 1 + i as u64))
        .collect::<Result<Vec<_>, _>>()
        .map_err(AppError::Invalid)
}

async fn fetch(url: &str) -> Result<Vec<u8>, AppError> {
    let failed = |e: gloo_net::Error| AppError::Browser(format!("{url}: {e}"));
    let response = gloo_net::http::Request::get(url).send().await.map_err(failed)?;
    response.binary().await.map_err(failed)
}

async fn cold(
    model: &BenchModel,
    engine: BenchEngine,
    ort: &str,
    worker_url: &str,
    runs: u32,
) -> Result<ColdResult, AppError> {
    let bytes = fetch(&model.url).await?;
    let inputs = inputs_of(&model.card)?;
    let outputs: Vec<String> = model.card.io.outputs.iter().map(|o| o.name.clone()).collect();
    let t0 = now_ms();
    let mut reload_ms = None;
    let (start_ms, compile_ms, first_run_ms, warm, warm_total) = match engine {
        BenchEngine::Tract | BenchEngine::Pair => {
            // A worker of its own, not the page's shared one: its start is part of what is timed.
            let worker = TractWorker::start(worker_url).await?;
            let t1 = now_ms();
            worker.load(&bytes, &model.card.io).await?;
            let t2 = now_ms();
            worker.run(inputs.clone()).await?;
            let t3 = now_ms();
            let warm = worker.bench(inputs, runs).await?;
            let total = now_ms() - t3;
            // The same file and card again: the worker reuses its plan.
            let t4 = now_ms();
            worker.load(&bytes, &model.card.io).await?;
            reload_ms = Some(now_ms() - t4);
            (t1 - t0, t2 - t1, t3 - t2, warm, total)
        }
        BenchEngine::OrtWasm | BenchEngine::OrtWebGpu => {
            crate::trial::ort::load_from(ort).await?;
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
    let warm = sorted(warm);
    Ok(ColdResult {
        model: model.key.clone(),
        engine: engine.reported(),
        ort: if engine == BenchEngine::Tract { worker_url.to_owned() } else { ort.to_owned() },
        start_ms,
        compile_ms,
        first_run_ms,
        cold_first_result_ms: start_ms + compile_ms + first_run_ms,
        warm_runs,
        warm_median_ms: median(&warm),
        warm_min_ms: warm.first().copied().unwrap_or(f64::NAN),
        warm_mean_ms: warm_total / warm_runs.max(1) as f64,
        reload_ms,
    })
}

/// How long both engines run in turn before the timed rounds: a fresh engine's code runs in the
/// browser's baseline compiler until its optimising compiler catches up (in the background, for
/// seconds on a busy machine: onnxruntime-web's wasm is 27 MB), which would otherwise be timed.
const PAIR_WARM_UP_MS: f64 = 4_000.0;

/// Runs shorter than this (a few steps of the clock, 0.1 ms here) are timed in batches of about
/// [`BATCH_MS`].
const BATCH_BELOW_MS: f64 = 1.0;
const BATCH_MS: f64 = 5.0;

/// Both engines loaded and warmed up ([`PAIR_WARM_UP_MS`], at least 5 runs each), then `rounds`
/// rounds: one run each, each engine's own time (tract's inside its worker); or, for models that
/// run faster than [`BATCH_BELOW_MS`], a batch of runs each, timed on the page (tract's then
/// includes one message to its worker and back per batch), divided by the batch's size.
async fn pair(model: &BenchModel, ort: &str, worker_url: &str, rounds: u32) -> Result<PairResult, AppError> {
    let bytes = fetch(&model.url).await?;
    let inputs = inputs_of(&model.card)?;
    let outputs: Vec<String> = model.card.io.outputs.iter().map(|o| o.name.clone()).collect();
    let worker = TractWorker::start(worker_url).await?;
    worker.load(&bytes, &model.card.io).await?;
    crate::trial::ort::load_from(ort).await?;
    let session = OrtSession::create(&bytes, Provider::Wasm, outputs).await?;
    let warm_up = now_ms();
    let (mut runs, mut slowest) = (0, Vec::new());
    while runs < 5 || now_ms() - warm_up < PAIR_WARM_UP_MS {
        let (_, t) = worker.run(inputs.clone()).await?;
        let (_, o) = session.run(&inputs).await?;
        slowest.push(t.max(o));
        runs += 1;
    }
    let typical = median(&sorted(slowest));
    let batch = if typical >= BATCH_BELOW_MS { 1 } else { (BATCH_MS / typical.max(0.005)).ceil().min(2_000.0) as u32 };
    let (mut tract, mut onnx, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (t, o) = if batch == 1 {
            (worker.run(inputs.clone()).await?.1, session.run(&inputs).await?.1)
        } else {
            let t0 = now_ms();
            worker.bench(inputs.clone(), batch).await?;
            let t1 = now_ms();
            for _ in 0..batch {
                session.run(&inputs).await?;
            }
            ((t1 - t0) / f64::from(batch), (now_ms() - t1) / f64::from(batch))
        };
        tract.push(t);
        onnx.push(o);
        if o > 0.0 {
            ratios.push(t / o);
        }
    }
    let (tract, onnx, ratios) = (sorted(tract), sorted(onnx), sorted(ratios));
    Ok(PairResult {
        model: model.key.clone(),
        engine: BenchEngine::Pair.reported(),
        ort: ort.to_owned(),
        worker: worker_url.to_owned(),
        warm_up_runs: runs,
        batch,
        rounds: tract.len(),
        tract_median_ms: median(&tract),
        tract_min_ms: tract[0],
        ort_median_ms: median(&onnx),
        ort_min_ms: onnx[0],
        ratio_of_medians: median(&tract) / median(&onnx),
        ratio_of_minima: tract[0] / onnx[0],
        median_round_ratio: (!ratios.is_empty()).then(|| median(&ratios)),
    })
}

/// Where the engines come from: the onnxruntime-web module and the tract worker's loader.
#[derive(Clone)]
pub struct Builds {
    /// Empty: the app's own bundle.
    pub ort: String,
    /// Empty: the app's own worker.
    pub worker: String,
}

async fn measure(model: &BenchModel, engine: BenchEngine, builds: &Builds, runs: u32) -> Result<String, AppError> {
    let ort = if builds.ort.is_empty() { ORT_MODULE } else { &builds.ort };
    let worker = if builds.worker.is_empty() { WORKER_URL } else { &builds.worker };
    let json = match engine {
        BenchEngine::Pair => serde_json::to_string(&pair(model, ort, worker, runs).await?),
        _ => serde_json::to_string(&cold(model, engine, ort, worker, runs).await?),
    };
    json.map_err(|e| AppError::Invalid(e.to_string()))
}

/// The benchmark's form; `builds` from the page's `ort=` and `worker=`.
#[component]
pub fn Benchmark(model: Option<BenchModel>, builds: Builds) -> impl IntoView {
    let runs = RwSignal::new("20".to_owned());
    let engine = RwSignal::new(BenchEngine::default());
    let result = RwSignal::new(None::<Result<String, AppError>>);
    let busy = RwSignal::new(false);
    let go = move |_| {
        let Some(model) = model.clone() else {
            result.set(Some(Err(AppError::Invalid("unknown model".into()))));
            return;
        };
        let runs = runs.get_untracked().trim().parse::<u32>().unwrap_or(20).max(1);
        let engine = engine.get_untracked();
        let builds = builds.clone();
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            result.set(Some(measure(&model, engine, &builds, runs).await));
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
