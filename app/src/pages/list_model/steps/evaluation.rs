//! The card step's evaluation set: drop the bundle folder (or `manifest.json` with its array
//! files), a `.zip` of it, `.npy` files or one CSV table, say the data's licence and source,
//! choose which array feeds each input, the truth, how predictions are read, the metrics
//! and the tolerance, then Compute on the model file in memory (progress, Cancel). The card claims
//! the computed figures only; a figure typed above without an evaluation set stays self-reported.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use assay_core::listing_draft::{
    DataField, Draft, EvaluationField, EvaluationFields, FieldError, FieldPath, MetricChoice, ReadingKind, Step,
};
use assay_core::units::figure;
use assay_inference::card::InputKind;
use assay_inference::evaluation::MetricKind;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::super::wizard::Wizard;
use super::{field_errors, text_field};
use crate::trial::engine_label;
use crate::trial::evaluate::Stopped;

/// Metrics offered for predictions read as classes, and as values.
const CLASS_METRICS: [MetricKind; 4] =
    [MetricKind::Accuracy, MetricKind::Precision, MetricKind::Recall, MetricKind::F1];
const VALUE_METRICS: [MetricKind; 3] = [MetricKind::Mae, MetricKind::Rmse, MetricKind::R2];

/// Where Compute stands (the figures themselves are in the draft).
#[derive(Clone, Debug, PartialEq)]
enum Run {
    Idle,
    Running(String),
    Done(String),
    Failed(String),
    Cancelled(String),
}

impl Run {
    fn key(&self) -> &'static str {
        match self {
            Run::Idle => "idle",
            Run::Running(_) => "running",
            Run::Done(_) => "done",
            Run::Failed(_) => "failed",
            Run::Cancelled(_) => "cancelled",
        }
    }
}

/// The files chosen in a file input's `change` event (the input is emptied).
fn chosen_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let Some(input) = ev.target().map(|t| t.unchecked_into::<web_sys::HtmlInputElement>()) else { return vec![] };
    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// A `<select>` bound to the draft: `options` as (value, text), `get` the chosen value.
fn choice(
    label: &'static str,
    test_id: String,
    options: impl Fn(&Draft) -> Vec<(String, String)> + Send + Sync + 'static,
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + 'static,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let options = move || {
        wizard.draft.with(|d| {
            let chosen = get(d);
            options(d)
                .into_iter()
                .map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <select class="input" data-testid=test_id on:change=move |ev| wizard.update(|d| set(d, event_target_value(&ev)))>{options}</select>
        </label>
    }
}

fn array_options(d: &Draft) -> Vec<(String, String)> {
    let Ok(manifest) = d.evaluation.manifest() else { return vec![] };
    let mut options = vec![(String::new(), "—".to_owned())];
    options.extend(
        manifest.arrays.iter().map(|a| (a.name.clone(), format!("{} ({} {:?})", a.name, a.dtype.ort_name(), a.shape))),
    );
    options
}

fn metric_text(kind: MetricKind) -> &'static str {
    match kind {
        MetricKind::Accuracy => "Accuracy",
        MetricKind::TopKAccuracy => "Top-k accuracy",
        MetricKind::Precision => "Precision (macro)",
        MetricKind::Recall => "Recall (macro)",
        MetricKind::F1 => "F1 (macro)",
        MetricKind::Mae => "Mean absolute error",
        MetricKind::Rmse => "Root mean squared error",
        MetricKind::R2 => "R²",
    }
}

#[component]
pub(super) fn EvaluationSection(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let step = Step::Card;
    let set = Memo::new(move |_| wizard.draft.with(|d| d.evaluation.is_set()));
    let take = move |ev: web_sys::Event| {
        let files = chosen_files(&ev);
        if !files.is_empty() {
            spawn_local(wizard.take_bundle(files));
        }
    };
    let err = move |field: EvaluationField| field_errors(errors, FieldPath::Evaluation(field), step, false);
    let drop_zone = move || {
        view! {
            <div class="dropzone" data-testid="bundle-drop">
                <strong>"Add an evaluation set"</strong>
                <span class="muted block">"Its folder (manifest.json and the array files it names) or a .zip of it; or .npy files, one array each named by its file, every first axis the samples; or one .csv table with a header row, every column but the last a feature and the last the true answers (whole numbers, values, or class names). The browser computes each metric on your model file, and anyone can reproduce it."</span>
                <label class="field"><span class="field__label">"Folder"</span>
                    <input type="file" prop:webkitdirectory=true multiple=true data-testid="bundle-folder" on:change=take /></label>
                <label class="field"><span class="field__label">"Or files: manifest.json with its arrays, a .zip, .npy files or a .csv"</span>
                    <input type="file" multiple=true data-testid="bundle-files" on:change=take /></label>
            </div>
        }
    };
    view! {
        <div class="evaluation" data-testid="evaluation-section">
            <h3>"Evaluation set"</h3>
            <p class="muted">"A figure typed under Metrics is shown to buyers as self-reported. With an evaluation set, the card claims the figures your browser computes here, and buyers can reproduce them."</p>
            {move || wizard.bundle_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="bundle-problem">{p}</p> })}
            {err(EvaluationField::Bundle)}
            {move || if set.get() { view! { <BundleSetup /> }.into_any() } else { drop_zone().into_any() }}
            {move || set.get().then(|| view! {
                {err(EvaluationField::Licence)}{err(EvaluationField::Source)}
                {err(EvaluationField::Feeds)}{err(EvaluationField::Truth)}{err(EvaluationField::Output)}
                {err(EvaluationField::Threshold)}{err(EvaluationField::Metrics)}{err(EvaluationField::Tolerance)}
                <ComputeFigures errors=errors />
            })}
        </div>
    }
}

/// The set-up of a dropped evaluation set.
#[component]
fn BundleSetup() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let summary = move || {
        wizard.draft.with(|d| {
            d.evaluation.manifest().ok().map(|m| {
                let labels = if m.labels.is_empty() { String::new() } else { format!(", {} classes", m.labels.len()) };
                format!("{} samples, {} arrays{labels}", m.samples, m.arrays.len())
            })
        })
    };
    let inputs = Memo::new(move |_| {
        wizard.draft.with(|d| {
            d.io_schema()
                .map(|io| {
                    io.inputs.into_iter().filter(|i| !matches!(i.kind, InputKind::State)).map(|i| i.name).collect()
                })
                .unwrap_or_else(|_| Vec::<String>::new())
        })
    });
    let outputs = move |d: &Draft| -> Vec<(String, String)> {
        d.io_schema().map(|io| io.outputs.into_iter().map(|o| (o.name.clone(), o.name)).collect()).unwrap_or_default()
    };
    let reading = Memo::new(move |_| wizard.draft.with(|d| d.evaluation.reading));
    let metric_boxes = move || {
        let kinds: &[MetricKind] = if reading.get() == ReadingKind::Value { &VALUE_METRICS } else { &CLASS_METRICS };
        kinds
            .iter()
            .map(|&kind| {
                let checked = move || wizard.draft.with(|d| d.evaluation.metrics.iter().any(|m| m.kind == kind));
                let toggle = move |_| {
                    wizard.update(|d| {
                        let metrics = &mut d.evaluation.metrics;
                        match metrics.iter().position(|m| m.kind == kind) {
                            Some(i) => {
                                metrics.remove(i);
                            }
                            None => metrics.push(MetricChoice { kind, k: None }),
                        }
                    })
                };
                view! {
                    <label class="check"><input type="checkbox" data-testid=format!("claim-{}", kind.key()) prop:checked=checked on:change=toggle />
                        " " {metric_text(kind)}</label>
                }
            })
            .collect_view()
    };
    view! {
        <p data-testid="bundle-summary">{summary} " "
            <button class="button button--small" data-testid="bundle-remove" on:click=move |_| wizard.remove_bundle()>"Remove"</button></p>
        <div class="form-grid">
            <div>
                {text_field("Dataset name", "evaluation-dataset".into(), |d| d.evaluation.dataset.clone(), |d, v| d.evaluation.dataset = v, false)}
                {text_field("Split", "evaluation-split".into(), |d| d.evaluation.split.clone(), |d, v| d.evaluation.split = v, false)}
                {text_field("Data licence (an SPDX id such as CC-BY-4.0, or words)", "evaluation-licence".into(), |d| d.evaluation.data(DataField::Licence), |d, v| d.evaluation.set_data(DataField::Licence, v), false)}
                {text_field("Where the data comes from", "evaluation-source".into(), |d| d.evaluation.data(DataField::Source), |d, v| d.evaluation.set_data(DataField::Source, v), false)}
                {move || inputs.get().into_iter().map(|input| {
                    let (get_input, set_input) = (input.clone(), input.clone());
                    choice("Feeds the model input", format!("evaluation-feed-{input}"), array_options,
                        move |d| d.evaluation.feeds.iter().find(|f| f.input == get_input).map(|f| f.array.clone()).unwrap_or_default(),
                        move |d, array| {
                            d.evaluation.feeds.retain(|f| f.input != set_input);
                            if !array.is_empty() {
                                d.evaluation.feeds.push(assay_inference::card::Feed { array, input: set_input.clone() });
                            }
                        })
                }).collect_view()}
                {choice("True answers", "evaluation-truth".into(), array_options, |d| d.evaluation.truth.clone(), |d, v| d.evaluation.truth = v)}
            </div>
            <div>
                {choice("Predictions from output", "evaluation-output".into(), outputs, |d| d.evaluation.output.clone(), |d, v| d.evaluation.output = v)}
                {choice("Read as", "evaluation-reading".into(),
                    |_| vec![("argmax".into(), "the class with the highest score".into()), ("threshold".into(), "class 1 at or above a threshold".into()), ("value".into(), "a value (regression)".into())],
                    |d| match d.evaluation.reading { ReadingKind::Argmax => "argmax", ReadingKind::Threshold => "threshold", ReadingKind::Value => "value" }.into(),
                    |d, v| {
                        let reading = match v.as_str() { "threshold" => ReadingKind::Threshold, "value" => ReadingKind::Value, _ => ReadingKind::Argmax };
                        if (reading == ReadingKind::Value) != (d.evaluation.reading == ReadingKind::Value) {
                            d.evaluation.metrics = EvaluationFields::default_metrics(reading);
                        }
                        d.evaluation.reading = reading;
                    })}
                {move || (reading.get() == ReadingKind::Threshold).then(|| text_field("Threshold", "evaluation-threshold".into(), |d| d.evaluation.threshold.clone(), |d, v| d.evaluation.threshold = v, false))}
                <div class="field"><span class="field__label">"Metrics to claim"</span>{metric_boxes}</div>
                {text_field("Tolerance (largest difference still reproduced)", "evaluation-tolerance".into(), |d| d.evaluation.tolerance.clone(), |d, v| d.evaluation.tolerance = v, false)}
            </div>
        </div>
    }
}

/// Compute, Cancel, the progress, and the figures the card will claim.
#[component]
fn ComputeFigures(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let run = RwSignal::new(Run::Idle);
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        on_cleanup(move || cancel.store(true, Ordering::Relaxed));
    }
    let start = {
        let cancel = cancel.clone();
        move |_| {
            if matches!(run.get_untracked(), Run::Running(_)) {
                return;
            }
            cancel.store(false, Ordering::Relaxed);
            run.set(Run::Running("starting".into()));
            let cancel = cancel.clone();
            spawn_local(async move {
                let said = move |text: String| {
                    run.try_update(|r| {
                        if matches!(r, Run::Running(_)) {
                            *r = Run::Running(text)
                        }
                    });
                };
                let stopped = || cancel.load(Ordering::Relaxed);
                let next = match wizard.compute(stopped, said).await {
                    Ok(engine) => Run::Done(format!("Computed on this model file ({}).", engine_label(engine))),
                    Err(Stopped::Cancelled) => Run::Cancelled(match run.try_get_untracked() {
                        Some(Run::Running(text)) => format!("Cancelled at {text}: nothing is claimed."),
                        _ => "Cancelled: nothing is claimed.".into(),
                    }),
                    Err(Stopped::Failed(error)) => Run::Failed(error.sentence()),
                };
                run.try_set(next);
            });
        }
    };
    let stop = move |_| cancel.store(true, Ordering::Relaxed);
    // The figures the card claims: computed on this file with this set-up, else none.
    let figures = Memo::new(move |_| {
        wizard.draft.with(|d| {
            let io = d.io_schema().ok()?;
            let computed = d.evaluation.current(&io, &d.file.as_ref()?.cid)?;
            Some(computed.setup.metrics.iter().zip(&computed.values).map(|(m, &v)| (m.kind, v)).collect::<Vec<_>>())
        })
    });
    let running = move || matches!(run.get(), Run::Running(_));
    view! {
        <p class="actions">
            <button class="button" data-testid="evaluation-compute" disabled=move || running() || wizard.busy.get() on:click=start>"Compute"</button>
            {move || running().then(|| view! { <button class="button button--small" data-testid="evaluation-cancel" on:click=stop.clone()>"Cancel"</button> })}
        </p>
        <div data-testid="evaluation-state" data-state=move || run.with(Run::key)>
            {move || match run.get() {
                Run::Idle => None,
                Run::Running(text) => Some(view! { <p class="muted" data-testid="evaluation-progress">{text}</p> }.into_any()),
                Run::Done(text) => Some(view! { <p class="muted">{text}</p> }.into_any()),
                Run::Failed(why) => Some(view! { <p class="error" role="alert" data-testid="evaluation-failed">"Could not compute: " {why}</p> }.into_any()),
                Run::Cancelled(text) => Some(view! { <p class="muted" data-testid="evaluation-cancelled">{text}</p> }.into_any()),
            }}
        </div>
        {move || match figures.get() {
            Some(figures) => view! {
                <table class="table" data-testid="evaluation-figures">
                    <thead><tr><th>"Metric"</th><th class="num">"Computed (claimed in the card)"</th></tr></thead>
                    <tbody>{figures.into_iter().map(|(kind, value)| view! {
                        <tr><th>{metric_text(kind)}</th><td class="num" data-testid="computed-figure" data-metric=kind.key() data-value=value.to_string()>{figure(value)}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
            None => field_errors(errors, FieldPath::Evaluation(EvaluationField::Computed), Step::Card, false).into_any(),
        }}
    }
}
