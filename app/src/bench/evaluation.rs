//! `#/bench/evaluation`: evaluation throughput, Assay's path against onnxruntime-web on the same
//! inputs, side by side in one run. The bundle is fetched by CID and verified as Reproduce fetches
//! it (`trial::evaluate::fetch_bundle`); then the whole set runs through `Evaluator` exactly as the
//! model page's Reproduce runs it (the CPU engine, batched through the card's free first axis,
//! paced chunks), and through an `Evaluator` on onnxruntime-web's wasm backend alone (the same
//! samples, chunks and batches). One untimed run each first, then `runs` repetitions alternating
//! the two; the median of each. Driven by `e2e/bench/evaluation.mjs` (bench/RESULTS.md,
//! "Evaluation throughput (issue #19)").
//!
//! Query: `model=digits|magika` (a seeded card, `bench::inference::SEEDED`), `models=<url>` where
//! the `.onnx` files are, `bundle=<cid>`, `feed=<array>` (fed to the card's first input),
//! `truth=<array>`, `runs=<n>`; predictions are read by argmax of the card's first output.

use std::rc::Rc;

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::Cid;
use assay_core::units::median;
use assay_inference::ModelCard;
use assay_inference::card::{Evaluation, Feed, Reading};
use assay_inference::evaluation::{Bundle, Prediction};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::inference::SEEDED;
use crate::clock::now_ms;
use crate::error::AppError;
use crate::ipfs::Ipfs;
use crate::router::RouterContext;
use crate::trial::evaluate::{Evaluator, Stopped, fetch_bundle};
use crate::ui::components::error::ErrorNote;

/// What the page was asked to measure.
#[derive(Clone, Debug)]
struct Request {
    model: String,
    models: String,
    bundle: String,
    feed: String,
    truth: String,
    runs: usize,
}

/// One side's figures: each repetition's total time for the whole set, its median, samples/s.
#[derive(Debug, serde::Serialize)]
struct Side {
    engine: String,
    /// Samples a run (1: one by one).
    batch: usize,
    total_ms: Vec<f64>,
    median_ms: f64,
    samples_per_s: f64,
}

impl Side {
    fn of(evaluator: &Evaluator, samples: usize, total_ms: Vec<f64>) -> Self {
        let median_ms = median(&total_ms);
        Side {
            engine: format!("{:?}", evaluator.engine()),
            batch: evaluator.batching.size(),
            samples_per_s: samples as f64 / (median_ms / 1e3),
            median_ms,
            total_ms,
        }
    }
}

/// Runs the whole set once through `evaluator`; the page's time for it.
async fn timed(
    evaluator: &mut Evaluator,
    bundle: &Bundle,
    evaluation: &Evaluation,
    card: &ModelCard,
) -> Result<(Vec<Prediction>, f64), AppError> {
    let t0 = now_ms();
    let predictions =
        evaluator.run(bundle, evaluation, &card.io, || false, |_| {}).await.map_err(|stopped| match stopped {
            Stopped::Failed(error) => error,
            Stopped::Cancelled => AppError::Invalid("the evaluation stopped".into()),
        })?;
    Ok((predictions, now_ms() - t0))
}

fn class(prediction: &Prediction) -> Option<usize> {
    match prediction {
        Prediction::Class { class, .. } => Some(*class),
        Prediction::Value(_) => None,
    }
}

async fn measure(ipfs: &Ipfs, request: &Request) -> Result<serde_json::Value, AppError> {
    let invalid = |e: String| AppError::Invalid(e);
    let (_, file, card) = SEEDED
        .iter()
        .find(|(k, ..)| *k == request.model)
        .ok_or_else(|| invalid(format!("unknown model {}", request.model)))?;
    let card: ModelCard = serde_json::from_str(card).map_err(|e| invalid(e.to_string()))?;
    let (Some(input), Some(output)) = (card.io.inputs.first(), card.io.outputs.first()) else {
        return Err(invalid("the card has no input or no output".into()));
    };
    let evaluation = Evaluation {
        bundle: request.bundle.clone(),
        feeds: vec![Feed { array: request.feed.clone(), input: input.name.clone() }],
        truth: request.truth.clone(),
        read: Reading::Argmax { output: output.name.clone() },
        tolerance: 0.0,
    };
    let cid: Cid = request.bundle.parse().map_err(|e| invalid(format!("bundle {:?}: {e}", request.bundle)))?;
    let bundle = fetch_bundle(ipfs, &cid, |_| {}).await?;
    let url = format!("{}{file}", request.models);
    let fetch_failed = |e: gloo_net::Error| AppError::Browser(format!("{url}: {e}"));
    let bytes =
        gloo_net::http::Request::get(&url).send().await.map_err(fetch_failed)?.binary().await.map_err(fetch_failed)?;
    let bytes = Rc::new(bytes);

    let mut assay = Evaluator::load(bytes.clone(), &card.io).await?;
    let mut ort = Evaluator::load_on_ort(bytes, &card.io).await?;
    // Warm: one untimed run each (compiled code, caches, the worker's first message).
    let (assay_first, _) = timed(&mut assay, &bundle, &evaluation, &card).await?;
    let (ort_first, _) = timed(&mut ort, &bundle, &evaluation, &card).await?;
    let agree = assay_first.iter().zip(&ort_first).filter(|(a, o)| class(a).is_some() && class(a) == class(o)).count();
    let (mut assay_ms, mut ort_ms) = (Vec::new(), Vec::new());
    for _ in 0..request.runs {
        assay_ms.push(timed(&mut assay, &bundle, &evaluation, &card).await?.1);
        ort_ms.push(timed(&mut ort, &bundle, &evaluation, &card).await?.1);
    }
    let samples = bundle.manifest.samples;
    Ok(serde_json::json!({
        "model": request.model,
        "bundle": request.bundle,
        "samples": samples,
        "runs": request.runs,
        "same_class": agree,
        "assay": Side::of(&assay, samples, assay_ms),
        "ort_wasm": Side::of(&ort, samples, ort_ms),
    }))
}

#[component]
pub fn BenchEvaluationPage() -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let ipfs = StoredValue::new(Ipfs::new(&config.ipfs));
    let router: RouterContext = expect_context();
    let request = move || {
        let query = router.location.get().query;
        let get = |key: &str, default: &str| query.get(key).cloned().unwrap_or_else(|| default.to_owned());
        Request {
            model: get("model", "digits"),
            models: get("models", "models/"),
            bundle: get("bundle", ""),
            feed: get("feed", "pixels"),
            truth: get("truth", "digit"),
            runs: get("runs", "5").parse().unwrap_or(5).max(1),
        }
    };
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<serde_json::Value, AppError>>);
    let start = move |_| {
        let request = request();
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            result.set(Some(measure(&ipfs.get_value(), &request).await));
            busy.set(false);
        });
    };
    let figure = |v: &serde_json::Value, side: &str, key: &str| v[side][key].as_f64().unwrap_or(f64::NAN).to_string();
    view! {
        <section data-page="bench-evaluation">
            <h1>"Evaluation benchmark"</h1>
            <p class="lede">"A whole evaluation set through Reproduce's path and through onnxruntime-web's wasm backend, side by side; median of the runs, warm."</p>
            <p class="muted">{move || { let r = request(); format!("{} on {} ({} → {}), {} runs", r.model, r.bundle, r.feed, r.truth, r.runs) }}</p>
            <button class="button button--primary" data-testid="bench-run" disabled=move || busy.get() on:click=start>"Run"</button>
            {move || busy.get().then(|| view! { <p class="skeleton">"Running…"</p> })}
            {move || result.get().map(|r| match r {
                Ok(v) => view! {
                    <pre data-testid="bench-json"
                        data-samples=v["samples"].to_string()
                        data-assay-ms=figure(&v, "assay", "median_ms")
                        data-assay-samples-per-s=figure(&v, "assay", "samples_per_s")
                        data-ort-ms=figure(&v, "ort_wasm", "median_ms")
                        data-ort-samples-per-s=figure(&v, "ort_wasm", "samples_per_s")>{v.to_string()}</pre>
                }.into_any(),
                Err(e) => view! { <ErrorNote testid="bench-error" error=e /> }.into_any(),
            })}
        </section>
    }
}
