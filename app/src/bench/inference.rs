//! `#/bench/inference` — the inference working page, linked from nowhere: the three seeded models
//! with their cards (a trial panel each), validation of any model file against a card (what the
//! listing flow does), and a heartbeat that shows the page stays responsive while a model runs.
//!
//! Query: `model=digits|text-direction|magika` or a generated architecture (`arch-conv`,
//! `arch-transformer`, `arch-lstm`, `arch-gru`: `inference/models/architectures.py`) picks the
//! model; `models=<url>` is where the `.onnx` files are (default `models/`, relative to the page;
//! tests serve them there); `ort=<url>` and `worker=<url>` the onnxruntime-web build and the tract
//! worker the benchmark times ([`super::inference_timing`]).

use std::sync::Arc;

use assay_inference::ModelCard;
use assay_inference::card::IoSchema;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::inference_timing::{BenchModel, Benchmark, Builds};
use crate::error::AppError;
use crate::router::RouterContext;
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::trial::tract::TractWorker;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::file_input::{chosen_file, read_bytes};

/// The seeded models: (key, file, card JSON). The cards are the project's own
/// (`inference/cards/`); the model files come from `inference/models/setup.py`.
pub const SEEDED: [(&str, &str, &str); 3] = [
    ("digits", "digits.onnx", include_str!("../../../inference/cards/digits.json")),
    ("text-direction", "text-direction.onnx", include_str!("../../../inference/cards/text-direction.json")),
    ("magika", "magika.onnx", include_str!("../../../inference/cards/magika.json")),
];

/// The generated architectures (`inference/models/architectures.py`, cards in
/// `inference/cards/architectures/`): (key, file, card JSON).
pub const GENERATED: [(&str, &str, &str); 4] = [
    ("arch-conv", "arch-conv.onnx", include_str!("../../../inference/cards/architectures/conv.json")),
    (
        "arch-transformer",
        "arch-transformer.onnx",
        include_str!("../../../inference/cards/architectures/transformer.json"),
    ),
    ("arch-lstm", "arch-lstm.onnx", include_str!("../../../inference/cards/architectures/lstm.json")),
    ("arch-gru", "arch-gru.onnx", include_str!("../../../inference/cards/architectures/gru.json")),
];

/// Every model the page knows: the seeded ones, then the generated ones.
fn known() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    SEEDED.iter().chain(GENERATED.iter())
}

/// `key`'s model with its file under `base`.
fn bench_model(key: &str, base: &str) -> Option<BenchModel> {
    known().find(|(k, ..)| *k == key).map(|(key, file, card)| BenchModel {
        key: (*key).to_owned(),
        url: format!("{base}{file}"),
        card: serde_json::from_str(card).expect("the bench cards are valid (host-tested)"),
    })
}

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
    let builds = move || Builds {
        ort: query().get("ort").cloned().unwrap_or_default(),
        worker: query().get("worker").cloned().unwrap_or_default(),
    };

    let trial = move || {
        bench_model(&picked(), &base()).map(|model| {
            view! { <TrialPanel card=model.card source=ModelSource::Url(model.url) prewarm=false /> }
        })
    };

    view! {
        <section data-page="bench-inference">
            <h1>"Inference bench"</h1>
            <p class="lede">"Trial inference in this browser, on the seeded models; validation of any model file."</p>
            <p class="muted">"Heartbeat: " <span data-testid="heartbeat">{move || beats.get()}</span></p>
            <nav class="trial__models">
                {known().map(|(key, _, card)| {
                    let name = serde_json::from_str::<ModelCard>(card).map(|c| c.name).unwrap_or_default();
                    view! { <a href=format!("#/bench/inference?model={key}") data-testid=format!("pick-{key}")>{name}</a> " " }
                }).collect_view()}
            </nav>
            {trial}
            {move || view! { <Benchmark model=bench_model(&picked(), &base()) builds=builds() /> }}
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
            {move || tried.get().map(|(card, bytes)| view! { <TrialPanel card=card source=ModelSource::Bytes(bytes) prewarm=false /> })}
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
