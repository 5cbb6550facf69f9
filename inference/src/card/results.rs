//! The card's `results`: claimed quality in Hugging Face's `model-index` shape (task, dataset
//! `{type, name, split, revision}`, metrics `[{type, value, name}]`), so a card reads like a Hugging
//! Face card, plus Assay's `evaluation` block, which says how anyone can recompute the claim: the
//! evaluation bundle's CID (also the dataset's `revision`), which bundle array feeds which model
//! input, which array holds the truth, how predictions are read, and the tolerance. A result
//! without an evaluation block is *self-reported*.

use serde::{Deserialize, Serialize};

use crate::evaluation::MetricKind;

/// One claimed result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EvalResult {
    pub task: TaskRef,
    pub dataset: DatasetRef,
    pub metrics: Vec<ClaimedMetric>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Evaluation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskRef {
    /// `image-classification`, `text-classification`, …
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetRef {
    /// The dataset's id (`mnist`, `sklearn-digits`, …).
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    /// For a reproducible result: the evaluation bundle's CID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

/// A claimed figure, as `model-index` writes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimedMetric {
    #[serde(rename = "type")]
    pub kind: MetricKind,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// For top-k accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
}

/// How a result is recomputed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Evaluation {
    /// CID of the evaluation bundle on IPFS (the dataset's `revision` too).
    pub bundle: String,
    /// Which bundle array feeds which model input (through the card's `io` schema).
    pub feeds: Vec<Feed>,
    /// The bundle array with the true class indices or values.
    pub truth: String,
    /// How a prediction is read from the model's output.
    pub read: Reading,
    /// Largest difference between a claimed and an observed figure still taken as reproduced.
    pub tolerance: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Feed {
    pub array: String,
    pub input: String,
}

/// How a prediction is read from an output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Reading {
    /// The class with the highest score.
    Argmax { output: String },
    /// Class 1 when the output's (single) score is at least `at`, else class 0.
    Threshold { output: String, at: f64 },
    /// The output's value itself (regression).
    Value { output: String },
}

/// Whether a result can be recomputed by anyone, or is only the creator's word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provenance {
    /// An evaluation bundle and a way to read predictions: the figure can be reproduced.
    Reproducible,
    /// A figure typed without a bundle.
    SelfReported,
}

impl EvalResult {
    pub fn provenance(&self) -> Provenance {
        match &self.evaluation {
            Some(_) => Provenance::Reproducible,
            None => Provenance::SelfReported,
        }
    }

    /// Checks the result on its own: metrics fit the reading (classes from argmax or a
    /// threshold, values from a value), a top-k metric names its k, the bundle is the revision.
    pub fn check(&self) -> Result<(), String> {
        if self.metrics.is_empty() {
            return Err("a result claims at least one metric".into());
        }
        for metric in &self.metrics {
            if metric.kind == MetricKind::TopKAccuracy && metric.k.is_none_or(|k| k == 0) {
                return Err("top-k accuracy needs its k (1 or more)".into());
            }
            if !metric.value.is_finite() {
                return Err(format!("the claimed {} is not a number", metric.kind.key()));
            }
        }
        let Some(evaluation) = &self.evaluation else { return Ok(()) };
        let classes = !matches!(evaluation.read, Reading::Value { .. });
        if let Some(metric) = self.metrics.iter().find(|m| m.kind.is_classification() != classes) {
            return Err(format!(
                "{} can't be computed from predictions read as {}",
                metric.kind.key(),
                if classes { "classes" } else { "values" }
            ));
        }
        if evaluation.feeds.is_empty() {
            return Err("the evaluation feeds no model input".into());
        }
        if !(evaluation.tolerance.is_finite() && evaluation.tolerance >= 0.0) {
            return Err("the tolerance is a number of 0 or more".into());
        }
        if self.dataset.revision.as_deref() != Some(evaluation.bundle.as_str()) {
            return Err("the dataset's revision must be the evaluation bundle's CID".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HUGGING_FACE_SHAPED: &str = r#"{
        "task": {"type": "image-classification", "name": "Digit recognition"},
        "dataset": {"type": "sklearn-digits", "name": "scikit-learn digits", "split": "test", "revision": "bafkreibundle"},
        "metrics": [
            {"type": "accuracy", "value": 0.953, "name": "Accuracy"},
            {"type": "top_k_accuracy", "value": 0.99, "k": 3},
            {"type": "f1", "value": 0.95}
        ],
        "evaluation": {
            "bundle": "bafkreibundle",
            "feeds": [{"array": "pixels", "input": "pixels"}],
            "truth": "digit",
            "read": {"kind": "argmax", "output": "probabilities"},
            "tolerance": 0.001
        }
    }"#;

    #[test]
    fn a_result_reads_like_hugging_faces_model_index_and_round_trips() {
        let result: EvalResult = serde_json::from_str(HUGGING_FACE_SHAPED).unwrap();
        assert_eq!(result.task.kind, "image-classification");
        assert_eq!(result.dataset.revision.as_deref(), Some("bafkreibundle"));
        assert_eq!(
            result.metrics[1],
            ClaimedMetric { kind: MetricKind::TopKAccuracy, value: 0.99, name: None, k: Some(3) }
        );
        assert_eq!(result.provenance(), Provenance::Reproducible);
        result.check().unwrap();
        let json: serde_json::Value = serde_json::to_value(&result).unwrap();
        assert_eq!(json["metrics"][0]["type"], "accuracy");
        assert_eq!(json["dataset"]["type"], "sklearn-digits");
        assert_eq!(serde_json::from_value::<EvalResult>(json).unwrap(), result);
    }

    #[test]
    fn a_figure_without_a_bundle_is_self_reported() {
        let mut result: EvalResult = serde_json::from_str(HUGGING_FACE_SHAPED).unwrap();
        result.evaluation = None;
        result.dataset.revision = None;
        assert_eq!(result.provenance(), Provenance::SelfReported);
        result.check().unwrap();
    }

    #[test]
    fn results_that_cannot_be_recomputed_as_written_are_refused_in_words() {
        let base: EvalResult = serde_json::from_str(HUGGING_FACE_SHAPED).unwrap();
        let mut values = base.clone();
        values.evaluation.as_mut().unwrap().read = Reading::Value { output: "y".into() };
        assert_eq!(values.check().unwrap_err(), "accuracy can't be computed from predictions read as values");
        let mut no_k = base.clone();
        no_k.metrics[1].k = None;
        assert_eq!(no_k.check().unwrap_err(), "top-k accuracy needs its k (1 or more)");
        let mut revision = base.clone();
        revision.dataset.revision = Some("bafkreiother".into());
        assert_eq!(revision.check().unwrap_err(), "the dataset's revision must be the evaluation bundle's CID");
        let mut tolerance = base;
        tolerance.evaluation.as_mut().unwrap().tolerance = -1.0;
        assert_eq!(tolerance.check().unwrap_err(), "the tolerance is a number of 0 or more");
        assert!(serde_json::from_str::<EvalResult>(&HUGGING_FACE_SHAPED.replace("\"f1\"", "\"bleu\"")).is_err());
    }
}
