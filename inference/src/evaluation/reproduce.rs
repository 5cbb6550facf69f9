//! Recomputing a claim: each sample's model inputs from the bundle (through the card's `io`
//! schema), each prediction read from the model's outputs as the evaluation says, and every
//! claimed metric observed and compared with its claim. The engine that runs the samples is the
//! caller's (tract in the worker, or onnxruntime-web); anything that can't be done is a sentence
//! (the page's *could not run*).

use super::bundle::Bundle;
use super::metrics::{self, MetricKind, argmax};
use crate::card::{ClaimedMetric, EvalResult, Evaluation, InputKind, IoSchema, Reading};
use crate::pre::{Rgba, image_values, to_tensor, zeros};
use crate::tensor::{Data, Tensor};

/// Sample `index`'s model inputs, in the card's order: each input fed by its bundle array (a
/// picture input from `uint8` `[H, W, C]` pixels goes through the card's picture settings; any
/// other array's values are the input's values), a memory input with zeros.
pub fn sample_inputs(
    bundle: &Bundle,
    evaluation: &Evaluation,
    io: &IoSchema,
    index: usize,
) -> Result<Vec<Tensor>, String> {
    io.inputs
        .iter()
        .map(|spec| {
            let Some(feed) = evaluation.feeds.iter().find(|f| f.input == spec.name) else {
                return match spec.kind {
                    InputKind::State => zeros(spec),
                    _ => Err(format!("no array of the evaluation set feeds input {}", spec.name)),
                };
            };
            let sample = bundle.sample(&feed.array, index, &spec.name).map_err(|e| e.to_string())?;
            match (&spec.kind, &sample.data, &sample.shape[1..]) {
                (InputKind::Image(image), Data::U8(pixels), &[height, width, channels @ (1 | 3 | 4)]) => {
                    let rgba: Vec<u8> = pixels
                        .chunks_exact(channels)
                        .flat_map(|p| match channels {
                            1 => [p[0], p[0], p[0], 255],
                            3 => [p[0], p[1], p[2], 255],
                            _ => [p[0], p[1], p[2], p[3]],
                        })
                        .collect();
                    let values = image_values(&Rgba { width, height, pixels: &rgba }, image)?;
                    to_tensor(spec, values.into_iter().map(f64::from).collect())
                }
                _ => to_tensor(spec, sample.data.to_f64()),
            }
        })
        .collect()
}

/// One sample's prediction.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Prediction {
    /// A class, with every class's score (for top-k).
    Class {
        class: usize,
        scores: Vec<f32>,
    },
    Value(f64),
}

/// Reads the prediction from one sample's outputs.
pub fn read(reading: &Reading, outputs: &[Tensor]) -> Result<Prediction, String> {
    let output = match reading {
        Reading::Argmax { output } | Reading::Threshold { output, .. } | Reading::Value { output } => output,
    };
    let tensor =
        outputs.iter().find(|t| &t.name == output).ok_or_else(|| format!("the model gave no output named {output}"))?;
    let values = tensor.data.to_f64();
    let first = *values.first().ok_or_else(|| format!("output {output} is empty"))?;
    Ok(match reading {
        Reading::Argmax { .. } => {
            let scores: Vec<f32> = values.iter().map(|&v| v as f32).collect();
            let class = argmax(&scores).expect("a non-empty output");
            Prediction::Class { class, scores }
        }
        Reading::Threshold { at, .. } => {
            let score = first as f32;
            Prediction::Class { class: usize::from(first >= *at), scores: vec![1.0 - score, score] }
        }
        Reading::Value { .. } => Prediction::Value(first),
    })
}

/// The true answers of the evaluation set.
#[derive(Clone, Debug, PartialEq)]
pub enum Truth {
    Classes(Vec<usize>),
    Values(Vec<f64>),
}

impl Truth {
    /// The bundle's truth array: class indices (checked against `classes`) or values.
    pub fn of(bundle: &Bundle, evaluation: &Evaluation, classes: Option<usize>) -> Result<Self, String> {
        match (&evaluation.read, classes) {
            (Reading::Value { .. }, _) => {
                Ok(Truth::Values(bundle.array(&evaluation.truth).map_err(|e| e.to_string())?.to_f64()))
            }
            (Reading::Threshold { .. }, _) => {
                Ok(Truth::Classes(bundle.labels(&evaluation.truth, 2).map_err(|e| e.to_string())?))
            }
            (Reading::Argmax { .. }, Some(classes)) => {
                Ok(Truth::Classes(bundle.labels(&evaluation.truth, classes).map_err(|e| e.to_string())?))
            }
            (Reading::Argmax { .. }, None) => Err("the number of classes is not known".into()),
        }
    }
}

/// Claimed against observed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Within the tolerance.
    Reproduced,
    DoesNotMatch,
}

/// One metric: what the card claims, what this browser observed, and the outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    pub kind: MetricKind,
    pub claimed: f64,
    pub observed: f64,
    pub outcome: Outcome,
}

/// Every claimed metric of `result` observed on `predictions` against `truth`.
pub fn observe(result: &EvalResult, truth: &Truth, predictions: &[Prediction]) -> Result<Vec<Observed>, String> {
    let tolerance = result.evaluation.as_ref().map_or(0.0, |e| e.tolerance);
    result.metrics.iter().map(|claim| observe_one(claim, truth, predictions, tolerance)).collect()
}

/// One metric computed on `predictions` against `truth` (`k` for top-k accuracy): what a
/// listing claims, and what a reproduction observes.
pub fn measure(kind: MetricKind, k: Option<usize>, truth: &Truth, predictions: &[Prediction]) -> Result<f64, String> {
    let value = match truth {
        Truth::Classes(truth) => {
            let mut classes = Vec::with_capacity(predictions.len());
            let mut scores = Vec::with_capacity(predictions.len());
            for p in predictions {
                let Prediction::Class { class, scores: s } = p else {
                    return Err("the predictions are values, the truth classes".into());
                };
                classes.push(*class);
                scores.push(s.clone());
            }
            match kind {
                MetricKind::Accuracy => metrics::accuracy(truth, &classes),
                MetricKind::TopKAccuracy => metrics::top_k_accuracy(truth, &scores, k.unwrap_or(1)),
                MetricKind::Precision => metrics::macro_scores(truth, &classes).map(|m| m.precision),
                MetricKind::Recall => metrics::macro_scores(truth, &classes).map(|m| m.recall),
                MetricKind::F1 => metrics::macro_scores(truth, &classes).map(|m| m.f1),
                kind => return Err(format!("{} is not computed from classes", kind.key())),
            }
        }
        Truth::Values(truth) => {
            let values: Vec<f64> = predictions
                .iter()
                .map(|p| match p {
                    Prediction::Value(v) => Ok(*v),
                    Prediction::Class { .. } => Err("the predictions are classes, the truth values".to_owned()),
                })
                .collect::<Result<_, _>>()?;
            match kind {
                MetricKind::Mae => metrics::mae(truth, &values),
                MetricKind::Rmse => metrics::rmse(truth, &values),
                MetricKind::R2 => metrics::r2(truth, &values),
                kind => return Err(format!("{} is not computed from values", kind.key())),
            }
        }
    };
    value.map_err(|e| e.to_string())
}

fn observe_one(
    claim: &ClaimedMetric,
    truth: &Truth,
    predictions: &[Prediction],
    tolerance: f64,
) -> Result<Observed, String> {
    let observed = measure(claim.kind, claim.k, truth, predictions)?;
    let outcome = if (observed - claim.value).abs() <= tolerance { Outcome::Reproduced } else { Outcome::DoesNotMatch };
    Ok(Observed { kind: claim.kind, claimed: claim.value, observed, outcome })
}
