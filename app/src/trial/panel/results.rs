//! What a trial shows: the validation report, and each result with the engine that ran it.

use assay_core::units::format_bytes;
use assay_inference::Report;
use assay_inference::Tensor;
use assay_inference::post::Shown;
use assay_inference::preview::{PreviewLimits, preview, to_json, to_npy};
use leptos::prelude::*;

use crate::save::save_bytes;
use crate::trial::{Engine, engine_label};

/// One run's result, newest first in the panel.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Outcome {
    pub engine: Engine,
    pub millis: f64,
    pub shown: Vec<Shown>,
    pub note: Option<String>,
    /// `{"inputs": [...], "outputs": [...]}`: the exact tensors, for inspection (and the e2e
    /// suite, which checks them against onnxruntime).
    pub tensors: String,
}

/// The loaded model run back to back in the worker: how many runs, and their median, fastest and
/// slowest times.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Timing {
    pub runs: usize,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Timing {
    /// From each run's time (at least one).
    pub fn of(mut millis: Vec<f64>) -> Option<Self> {
        millis.sort_by(f64::total_cmp);
        let (min, max) = (*millis.first()?, *millis.last()?);
        Some(Self { runs: millis.len(), median: millis[millis.len() / 2], min, max })
    }
}

/// A timing's line (`data-runs`, `data-median` for the tests).
#[component]
pub(super) fn TimingView(timing: Timing) -> impl IntoView {
    let Timing { runs, median, min, max } = timing;
    view! {
        <span data-testid="trial-bench-result" data-runs=runs data-median=median.to_string()>
            {format!(" {runs} runs on the CPU engine: median {median:.2} ms (min {min:.2}, max {max:.2})")}</span>
    }
}

/// What validation found: size, opsets, parameters, operators, inputs and outputs.
#[component]
pub(super) fn ReportView(report: Report) -> impl IntoView {
    let shapes = |facts: &[assay_inference::report::IoFact]| {
        facts
            .iter()
            .map(|f| {
                format!(
                    "{} {} [{}]{}",
                    f.name,
                    f.dtype,
                    f.declared.join(", "),
                    f.resolved.as_ref().map(|r| format!(" → {r:?}")).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let operators = report.operators.iter().map(|(op, n)| format!("{op}×{n}")).collect::<Vec<_>>().join(", ");
    view! {
        <dl class="trial__report" data-testid="trial-report">
            <dt>"Size"</dt><dd data-testid="report-size" title=format!("{} bytes", report.size_bytes)>{format_bytes(report.size_bytes)}</dd>
            <dt>"Opset"</dt><dd data-testid="report-opset">{report.opset}
                {report.other_opsets.iter().map(|(d, v)| format!(", {d} {v}")).collect::<String>()}</dd>
            <dt>"Parameters"</dt><dd data-testid="report-parameters">{report.parameters}</dd>
            <dt>"Operators"</dt><dd data-testid="report-operators">{operators}</dd>
            <dt>"Inputs"</dt><dd data-testid="report-inputs">{shapes(&report.inputs)}</dd>
            <dt>"Outputs"</dt><dd data-testid="report-outputs">{shapes(&report.outputs)}</dd>
        </dl>
    }
}

/// One result: the engine and its time, any note, the interpreted outputs and the exact tensors.
#[component]
pub(super) fn OutcomeView(outcome: Outcome) -> impl IntoView {
    let shown = outcome
        .shown
        .into_iter()
        .map(|s| match s {
            Shown::Classes { output, classes } => view! {
                <div class="trial__classes" data-output=output>
                    {classes.into_iter().map(|c| {
                        let pct = (c.score.clamp(0.0, 1.0) * 100.0) as f64;
                        view! { <div class="bar" data-label=c.label.clone() data-score=c.score.to_string()>
                            <span class="bar__label">{c.label.clone()}</span>
                            <span class="bar__fill" style=format!("width: {pct:.1}%")></span>
                            <span class="bar__value">{format!("{:.4}", c.score)}</span>
                        </div> }
                    }).collect_view()}
                </div>
            }
            .into_any(),
            Shown::Values { output, rows, unit } => view! {
                <table class="trial__values" data-output=output>
                    {rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v} {unit.clone().unwrap_or_default()}</td></tr> }).collect_view()}
                </table>
            }
            .into_any(),
            Shown::Raw { tensor } => view! { <RawOutput tensor=tensor /> }.into_any(),
        })
        .collect_view();
    view! {
        <article class="trial__result" data-testid="trial-result">
            <p class="trial__meta"><span data-testid="trial-engine">{engine_label(outcome.engine)}</span>
                " · " <span data-testid="trial-ms">{format!("{:.1} ms", outcome.millis)}</span></p>
            {outcome.note.map(|n| view! { <p class="warning" data-testid="trial-note">{n}</p> })}
            {shown}
            <details class="trial__tensors"><summary>"Tensors (JSON)"</summary>
                <pre data-testid="trial-tensors">{outcome.tensors}</pre></details>
        </article>
    }
}

/// A raw output: its shape and a bounded, wrapped preview; the whole tensor downloadable as JSON
/// or as a NumPy `.npy` file.
#[component]
fn RawOutput(tensor: Tensor) -> impl IntoView {
    let shown = preview(&tensor, PreviewLimits::default());
    let shape = format!(
        "{} [{}]",
        tensor.data.dtype().ort_name(),
        tensor.shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
    );
    let name = tensor.name.clone();
    let file = name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect::<String>();
    let tensor = StoredValue::new(tensor);
    let problem = RwSignal::new(None::<String>);
    let file = StoredValue::new(file);
    let save = move |json: bool| {
        let file = file.get_value();
        let saved = tensor.with_value(|t| {
            if json {
                save_bytes(to_json(t).as_bytes(), "application/json", &format!("{file}.json"))
            } else {
                save_bytes(&to_npy(t), "application/octet-stream", &format!("{file}.npy"))
            }
        });
        problem.set(saved.err().map(|e| e.sentence()));
    };
    view! {
        <div class="trial__raw" data-output=name.clone() data-testid="trial-raw" data-shown=shown.shown data-total=shown.total>
            <p class="muted"><code>{name.clone()}</code> " · " {shape} " · " {shown.total} " values"</p>
            <pre class="trial__raw-values" data-testid="trial-raw-values">{shown.text()}</pre>
            <p class="wizard__tools">
                <button class="button button--small" data-testid="trial-raw-json" on:click=move |_| save(true)>"Download (JSON)"</button>
                <button class="button button--small" data-testid="trial-raw-npy" on:click=move |_| save(false)>"Download (.npy)"</button>
            </p>
            {move || problem.get().map(|p| view! { <p class="field__error" role="alert">{p}</p> })}
        </div>
    }
}
