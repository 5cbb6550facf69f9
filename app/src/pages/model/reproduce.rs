//! "Claimed results": each of the card's results with its metrics. A result with an evaluation
//! block has Reproduce: the model's bytes (the listed file, the public trial file of an encrypted
//! model, or a decrypted licence's bytes) and the evaluation bundle fetched and verified, the
//! samples run in the CPU worker in chunks (progress with samples/s and time left, Cancel between
//! chunks), then claimed against observed per metric: *reproduced*, *does not match* (both
//! numbers) or *could not run* (why). A result without one is *self-reported*. The glue is
//! `trial::evaluate`; the maths `assay_inference::evaluation`.

use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::Cid;
use assay_core::units::figure;
use assay_inference::card::{EvalResult, Provenance};
use assay_inference::evaluation::{MetricKind, Observed, Outcome, observe};
use assay_inference::{Engine, ModelCard};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::ipfs::Ipfs;
use crate::trial::engine_label;
use crate::trial::evaluate::{BundleStep, Stopped, evaluate, fetch_bundle};
use crate::trial::panel::{ModelSource, fetch_model};

/// A finished reproduction, for whatever records it (an attestation, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Reproduced {
    /// The result's index in the card's `results`.
    pub result: usize,
    pub observed: Vec<Observed>,
    pub engine: Engine,
    /// The model run was the creator's public trial file, not the licensed one.
    pub public_trial: bool,
}

/// Where one result's reproduction stands.
#[derive(Clone, Debug, PartialEq)]
enum Attempt {
    Idle,
    Running(String),
    Done { observed: Vec<Observed>, engine: Engine },
    CouldNotRun(String),
    Cancelled(String),
}

impl Attempt {
    fn key(&self) -> &'static str {
        match self {
            Attempt::Idle => "idle",
            Attempt::Running(_) => "running",
            Attempt::Done { observed, .. } if observed.iter().all(|o| o.outcome == Outcome::Reproduced) => "reproduced",
            Attempt::Done { .. } => "does-not-match",
            Attempt::CouldNotRun(_) => "could-not-run",
            Attempt::Cancelled(_) => "cancelled",
        }
    }
}

/// The card's claimed results; `source` is the model the Reproduce buttons run; `public_trial`
/// labels it as the creator's public trial file; `on_reproduced` hears each finished run.
#[component]
pub fn ClaimedResults(
    card: ModelCard,
    source: Option<ModelSource>,
    #[prop(optional)] public_trial: bool,
    #[prop(optional)] on_reproduced: Option<Callback<Reproduced>>,
) -> impl IntoView {
    if card.results.is_empty() {
        return None;
    }
    let card = Arc::new(card);
    let results = card
        .results
        .iter()
        .enumerate()
        .map(|(index, result)| {
            view! { <ResultView card=card.clone() index=index result=result.clone() source=source.clone() public_trial=public_trial on_reproduced=on_reproduced /> }
        })
        .collect_view();
    Some(view! {
        <div class="panel" data-testid="claimed-results">
            <h2 class="panel__title">"Claimed results"</h2>
            {public_trial.then(|| view! {
                <p class="notice" data-testid="reproduce-public-trial">
                    "The weights of this model are encrypted: Reproduce runs the creator's public trial file, "
                    <strong>"not the licensed model"</strong> ". Its figures may differ from the licensed model's."
                </p>
            })}
            {results}
        </div>
    })
}

fn metric_label(kind: MetricKind, k: Option<usize>, name: Option<&str>) -> String {
    let key = match (kind, k) {
        (MetricKind::TopKAccuracy, Some(k)) => format!("top-{k} accuracy"),
        _ => kind.key().replace('_', " "),
    };
    match name {
        Some(name) if !name.is_empty() && name.to_lowercase() != key => format!("{name} ({key})"),
        _ => key,
    }
}

#[component]
fn ResultView(
    card: Arc<ModelCard>,
    index: usize,
    result: EvalResult,
    source: Option<ModelSource>,
    public_trial: bool,
    on_reproduced: Option<Callback<Reproduced>>,
) -> impl IntoView {
    let provenance = result.provenance();
    let run = RwSignal::new(Attempt::Idle);
    let cancel = Arc::new(AtomicBool::new(false));
    {
        let cancel = cancel.clone();
        on_cleanup(move || cancel.store(true, Ordering::Relaxed));
    }
    let title = format!(
        "{} on {}{}",
        result.task.name.clone().unwrap_or_else(|| result.task.kind.clone()),
        result.dataset.name,
        result.dataset.split.as_deref().map(|s| format!(" ({s})")).unwrap_or_default()
    );
    let claims: Vec<(String, f64)> =
        result.metrics.iter().map(|m| (metric_label(m.kind, m.k, m.name.as_deref()), m.value)).collect();
    let bundle = result.evaluation.as_ref().map(|e| e.bundle.clone());
    let config = use_context::<RuntimeConfig>();
    let start = {
        let (cancel, result, card) = (cancel.clone(), result.clone(), card.clone());
        move |_| {
            if matches!(run.get_untracked(), Attempt::Running(_)) {
                return;
            }
            cancel.store(false, Ordering::Relaxed);
            run.set(Attempt::Running("starting".into()));
            let (cancel, result, card, source, config) =
                (cancel.clone(), result.clone(), card.clone(), source.clone(), config.clone());
            spawn_local(async move {
                let said = move |text: String| {
                    run.try_update(|r| {
                        if matches!(r, Attempt::Running(_)) {
                            *r = Attempt::Running(text)
                        }
                    });
                };
                let outcome = reproduce(&card, &result, source, config, &cancel, said).await;
                let next = match outcome {
                    Ok((observed, engine)) => {
                        if let Some(callback) = on_reproduced {
                            callback.run(Reproduced {
                                result: index,
                                observed: observed.clone(),
                                engine,
                                public_trial,
                            });
                        }
                        Attempt::Done { observed, engine }
                    }
                    Err(Stopped::Cancelled) => Attempt::Cancelled(match run.try_get_untracked() {
                        Some(Attempt::Running(text)) => format!("Cancelled at {text}."),
                        _ => "Cancelled.".into(),
                    }),
                    Err(Stopped::Failed(error)) => Attempt::CouldNotRun(error.sentence()),
                };
                run.try_set(next);
            });
        }
    };
    let stop = {
        let cancel = cancel.clone();
        move |_| cancel.store(true, Ordering::Relaxed)
    };
    let rows = move || {
        let state = run.get();
        let observed = match &state {
            Attempt::Done { observed, .. } => Some(observed.clone()),
            _ => None,
        };
        claims
            .iter()
            .enumerate()
            .map(|(i, (label, claimed))| {
                let seen = observed.as_ref().and_then(|o| o.get(i).cloned());
                let outcome = seen.as_ref().map(|o| match o.outcome {
                    Outcome::Reproduced => ("reproduced", "Reproduced", "badge badge--ok"),
                    Outcome::DoesNotMatch => ("does-not-match", "Does not match", "badge badge--bad"),
                });
                view! {
                    <tr data-testid="result-metric" data-outcome=outcome.map(|o| o.0)>
                        <th>{label.clone()}</th>
                        <td class="num" data-testid="metric-claimed" data-value=claimed.to_string()>{figure(*claimed)}</td>
                        {(provenance == Provenance::Reproducible).then(|| view! {
                            <td class="num" data-testid="metric-observed" data-value=seen.as_ref().map(|o| o.observed.to_string())>{seen.as_ref().map(|o| figure(o.observed)).unwrap_or_else(|| "—".into())}</td>
                            <td>{outcome.map(|(key, text, class)| view! { <span class=class data-testid="metric-verdict" data-verdict=key>{text}</span> })}</td>
                        })}
                    </tr>
                }
            })
            .collect_view()
    };
    let reproducible = provenance == Provenance::Reproducible;
    view! {
        <div class="result" data-testid="claimed-result" data-result=index data-provenance=if reproducible { "reproducible" } else { "self-reported" }>
            <h3>{title} " "
                {if reproducible {
                    view! { <span class="badge" data-testid="result-reproducible">"Reproducible"</span> }.into_any()
                } else {
                    view! { <span class="badge badge--warn" data-testid="result-self-reported" title="No evaluation set: the creator's word only">"Self-reported"</span> }.into_any()
                }}
            </h3>
            <table class="table">
                <thead><tr>
                    <th>"Metric"</th><th class="num">"Claimed"</th>
                    {reproducible.then(|| view! { <th class="num">"Observed"</th><th>"Verdict"</th> })}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {bundle.map(|cid| view! {
                <p class="muted">"Evaluation set: " <code data-testid="result-bundle">{cid}</code></p>
                <p class="actions">
                    <button class="button" data-testid="reproduce" disabled=move || matches!(run.get(), Attempt::Running(_)) on:click=start>"Reproduce"</button>
                    {move || matches!(run.get(), Attempt::Running(_)).then(|| view! {
                        <button class="button button--small" data-testid="reproduce-cancel" on:click=stop.clone()>"Cancel"</button>
                    })}
                </p>
                <div data-testid="reproduce-state" data-state=move || run.with(Attempt::key)>
                    {move || match run.get() {
                        Attempt::Idle => None,
                        Attempt::Running(text) => Some(view! { <p class="muted" data-testid="reproduce-progress">{text}</p> }.into_any()),
                        Attempt::Done { observed, engine } => Some(verdict(&observed, engine).into_any()),
                        Attempt::CouldNotRun(why) => Some(view! {
                            <p class="error" role="alert" data-testid="reproduce-verdict" data-verdict="could-not-run">"Could not run: " {why}</p>
                        }.into_any()),
                        Attempt::Cancelled(text) => Some(view! { <p class="muted" data-testid="reproduce-cancelled">{text}</p> }.into_any()),
                    }}
                </div>
            })}
        </div>
    }
}

fn verdict(observed: &[Observed], engine: Engine) -> impl IntoView {
    let matched = observed.iter().all(|o| o.outcome == Outcome::Reproduced);
    let text = if matched {
        "Reproduced: every claimed figure was observed within the tolerance".to_owned()
    } else {
        let wrong: Vec<String> = observed
            .iter()
            .filter(|o| o.outcome == Outcome::DoesNotMatch)
            .map(|o| format!("{} claimed {} but observed {:.4}", o.kind.key(), o.claimed, o.observed))
            .collect();
        format!("Does not match: {}", wrong.join("; "))
    };
    view! {
        <p class=if matched { "notice notice--ok" } else { "error" } data-testid="reproduce-verdict" data-verdict=if matched { "reproduced" } else { "does-not-match" }>
            {text} " (" {engine_label(engine)} ")."
        </p>
    }
}

/// Fetches the model and the bundle, runs every sample, and observes every claimed metric.
async fn reproduce(
    card: &ModelCard,
    result: &EvalResult,
    source: Option<ModelSource>,
    config: Option<RuntimeConfig>,
    cancel: &AtomicBool,
    said: impl Fn(String) + Clone + 'static,
) -> Result<(Vec<Observed>, Engine), Stopped> {
    let invalid = |text: String| Stopped::Failed(AppError::Invalid(text));
    result.check().map_err(|e| invalid(format!("The claim can't be recomputed as written: {e}.")))?;
    let evaluation = result.evaluation.as_ref().expect("a checked reproducible result");
    let bundle_cid = evaluation
        .bundle
        .parse::<Cid>()
        .map_err(|e| invalid(format!("The evaluation set's address is not a CID: {e}.")))?;
    let config = config.ok_or_else(|| invalid("This page has no IPFS configuration.".into()))?;
    let source = source.ok_or_else(|| invalid("This model card names no ONNX file to run.".into()))?;
    let ipfs = Ipfs::new(&config.ipfs);
    let stopped = || cancel.load(Ordering::Relaxed);

    said("fetching the model".into());
    let (bytes, _) = fetch_model(source, Some(&config), |_| {}).await?;
    if stopped() {
        return Err(Stopped::Cancelled);
    }
    let step = {
        let said = said.clone();
        move |step: BundleStep| match step {
            BundleStep::Manifest => said("fetching the evaluation set's manifest".into()),
            BundleStep::Array { index, files } => {
                said(format!("fetching the evaluation set's arrays ({} of {files})", index + 1))
            }
        }
    };
    let bundle = fetch_bundle(&ipfs, &bundle_cid, step).await?;
    if stopped() {
        return Err(Stopped::Cancelled);
    }
    let evaluated = evaluate(Rc::new(bytes), &card.io, &bundle, evaluation, stopped, said).await?;
    let observed = observe(result, &evaluated.truth, &evaluated.predictions).map_err(|e| invalid(format!("{e}.")))?;
    Ok((observed, evaluated.engine))
}
