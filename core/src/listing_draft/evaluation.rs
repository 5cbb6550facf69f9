//! The card step's evaluation set: the bundle folder the creator drops (its manifest kept in the
//! draft, its array files beside the model file in the browser's storage), which bundle array
//! feeds which model input (by name, else by size, from the card's `io`), how predictions are
//! read, the truth array, the tolerance and the metrics to claim; the figures this browser
//! computed on the exact model file; the manifest as published (arrays by CID) and its CID, the
//! bundle's; and the result the card claims. A claim is only ever a computed figure: a changed
//! model file, bundle or set-up leaves nothing to claim until it is computed again.

use std::collections::BTreeMap;

use assay_inference::IoSchema;
use assay_inference::card::{
    ClaimedMetric, DatasetRef, EvalResult, Evaluation, Feed, InputKind, OutputKind, Reading, TaskRef,
};
use assay_inference::evaluation::{ArraySpec, BundleLimits, Manifest, MetricKind};
use serde::{Deserialize, Serialize};

use super::fields::{EvaluationField, FieldError, FieldPath};
use super::{Draft, DraftFile};
use crate::ipfs::{Cid, cid_of};

/// Array names taken for the truth when no input uses them.
const TRUTH_NAMES: [&str; 8] = ["truth", "label", "labels", "target", "targets", "y", "class", "classes"];

/// How predictions are read from the chosen output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ReadingKind {
    /// The class with the highest score.
    #[default]
    Argmax,
    /// Class 1 when the single score is at least the threshold.
    Threshold,
    /// The output's value (regression).
    Value,
}

/// A metric to claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricChoice {
    pub kind: MetricKind,
    /// For top-k accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
}

/// What the figures are computed on: the published bundle's CID, the feeds, the truth, the
/// reading and the metrics. A figure belongs to one set-up and one model file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setup {
    pub bundle: Cid,
    pub feeds: Vec<Feed>,
    pub truth: String,
    pub read: Reading,
    pub metrics: Vec<MetricChoice>,
}

impl Setup {
    /// The card's evaluation block for this set-up.
    pub fn evaluation(&self, tolerance: f64) -> Evaluation {
        Evaluation {
            bundle: self.bundle.to_string(),
            feeds: self.feeds.clone(),
            truth: self.truth.clone(),
            read: self.read.clone(),
            tolerance,
        }
    }
}

/// Figures this browser computed: on which model file with which I/O schema, under which
/// set-up, one per metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Computed {
    pub model: Cid,
    pub io: IoSchema,
    pub setup: Setup,
    pub values: Vec<f64>,
}

/// The evaluation set as the form holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct EvaluationFields {
    /// The dropped `manifest.json`, as dropped (arrays by file name); empty: no evaluation set.
    pub manifest: String,
    /// The bundle's array files (their bytes are kept beside the draft), in the manifest's order.
    pub files: Vec<DraftFile>,
    /// The dataset's name as the card shows it.
    pub dataset: String,
    pub split: String,
    pub feeds: Vec<Feed>,
    pub truth: String,
    pub reading: ReadingKind,
    pub output: String,
    /// The threshold, as typed.
    pub threshold: String,
    /// Largest difference still taken as reproduced, as typed.
    pub tolerance: String,
    pub metrics: Vec<MetricChoice>,
    pub computed: Option<Computed>,
}

impl Default for EvaluationFields {
    fn default() -> Self {
        Self {
            manifest: String::new(),
            files: Vec::new(),
            dataset: String::new(),
            split: "test".into(),
            feeds: Vec::new(),
            truth: String::new(),
            reading: ReadingKind::Argmax,
            output: String::new(),
            threshold: "0.5".into(),
            tolerance: "0.001".into(),
            metrics: Vec::new(),
            computed: None,
        }
    }
}

fn problem(field: EvaluationField, message: impl Into<String>) -> FieldError {
    FieldError::new(FieldPath::Evaluation(field), message)
}

impl EvaluationFields {
    /// Whether an evaluation set was added.
    pub fn is_set(&self) -> bool {
        !self.manifest.trim().is_empty()
    }

    /// The dropped manifest, checked on its own (its files are checked where their bytes are).
    pub fn manifest(&self) -> Result<Manifest, FieldError> {
        Manifest::from_json(&self.manifest, &BundleLimits::default())
            .map_err(|e| problem(EvaluationField::Bundle, sentence(&e.to_string())))
    }

    /// A dropped bundle taken in: its manifest and files (the bytes already checked against it),
    /// the set-up defaulted from the card's `io`; any figure computed before is forgotten.
    pub fn take_bundle(&mut self, manifest_text: String, files: Vec<DraftFile>, io: Option<&IoSchema>) {
        let defaults = Self::default();
        *self = Self { manifest: manifest_text, files, dataset: std::mem::take(&mut self.dataset), ..defaults };
        if let (Ok(manifest), Some(io)) = (self.manifest(), io) {
            self.default_setup(&manifest, io);
        }
    }

    /// Forgets the evaluation set (the card then claims nothing reproducible).
    pub fn remove(&mut self) {
        *self = Self::default();
    }

    /// Feeds, truth, reading and metrics proposed for `manifest` and `io`: each input by the array
    /// of its name, else of its size; the truth an array named like one (`label`, `y`, …), else
    /// the first unused one-value array; argmax over a classification output, the value of a
    /// regression one.
    pub fn default_setup(&mut self, manifest: &Manifest, io: &IoSchema) {
        let mut used: Vec<&str> = Vec::new();
        self.feeds = Vec::new();
        for input in io.inputs.iter().filter(|i| !matches!(i.kind, InputKind::State)) {
            let unused = |a: &&ArraySpec| !used.contains(&a.name.as_str());
            let values = input.count();
            let found = manifest
                .arrays
                .iter()
                .filter(unused)
                .find(|a| a.name == input.name)
                .or_else(|| {
                    manifest
                        .arrays
                        .iter()
                        .filter(unused)
                        .find(|a| a.sample_shape() == &input.shape[1.min(input.shape.len())..])
                })
                .or_else(|| manifest.arrays.iter().filter(unused).find(|a| sample_values(a) == values && values > 1))
                .or_else(|| {
                    matches!(input.kind, InputKind::Image(_))
                        .then(|| manifest.arrays.iter().filter(unused).find(|a| a.sample_shape().len() == 3))
                        .flatten()
                });
            if let Some(array) = found {
                used.push(&array.name);
                self.feeds.push(Feed { array: array.name.clone(), input: input.name.clone() });
            }
        }
        let free: Vec<&ArraySpec> = manifest.arrays.iter().filter(|a| !used.contains(&a.name.as_str())).collect();
        self.truth = free
            .iter()
            .find(|a| TRUTH_NAMES.contains(&a.name.to_lowercase().as_str()))
            .or_else(|| free.iter().find(|a| sample_values(a) == 1))
            .or_else(|| free.first())
            .map(|a| a.name.clone())
            .unwrap_or_default();
        let output = io.outputs.first();
        self.output = output.map(|o| o.name.clone()).unwrap_or_default();
        self.reading = match output.map(|o| &o.kind) {
            Some(OutputKind::Regression { .. }) => ReadingKind::Value,
            _ => ReadingKind::Argmax,
        };
        self.metrics = Self::default_metrics(self.reading);
        self.computed = None;
    }

    /// The metrics proposed for a reading: accuracy for classes, MAE and RMSE for values.
    pub fn default_metrics(reading: ReadingKind) -> Vec<MetricChoice> {
        let kinds: &[MetricKind] = match reading {
            ReadingKind::Argmax | ReadingKind::Threshold => &[MetricKind::Accuracy],
            ReadingKind::Value => &[MetricKind::Mae, MetricKind::Rmse],
        };
        kinds.iter().map(|&kind| MetricChoice { kind, k: None }).collect()
    }

    /// The manifest as it will be published (each array by the CID of its dropped file) and its
    /// CID, which is the bundle's.
    pub fn published(&self) -> Result<(Manifest, Cid), FieldError> {
        let manifest = self.manifest()?;
        let uploaded: BTreeMap<String, String> =
            self.files.iter().map(|f| (f.name.clone(), f.cid.to_string())).collect();
        let published =
            manifest.published(&uploaded).map_err(|e| problem(EvaluationField::Bundle, sentence(&e.to_string())))?;
        let cid = cid_of(published.to_json().as_bytes());
        Ok((published, cid))
    }

    /// The set-up as the form stands, checked against the manifest and the card's `io`.
    pub fn setup(&self, io: &IoSchema) -> Result<Setup, Vec<FieldError>> {
        let (published, bundle) = self.published().map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        let has_array = |name: &str| published.arrays.iter().any(|a| a.name == name);
        for input in io.inputs.iter().filter(|i| !matches!(i.kind, InputKind::State)) {
            match self.feeds.iter().find(|f| f.input == input.name) {
                None => errors.push(problem(
                    EvaluationField::Feeds,
                    format!("Choose the array of the evaluation set that feeds input {}.", input.name),
                )),
                Some(feed) if !has_array(&feed.array) => errors.push(problem(
                    EvaluationField::Feeds,
                    format!("Input {} is fed by {}, which the evaluation set does not have.", input.name, feed.array),
                )),
                Some(_) => {}
            }
        }
        if !has_array(&self.truth) {
            errors.push(problem(EvaluationField::Truth, "Choose the array that holds the true answers."));
        } else if self.feeds.iter().any(|f| f.array == self.truth) {
            errors.push(problem(EvaluationField::Truth, "The true answers can't also be a model input."));
        }
        if !io.outputs.iter().any(|o| o.name == self.output) {
            errors.push(problem(EvaluationField::Output, "Choose the output the predictions are read from."));
        }
        let read = match self.reading {
            ReadingKind::Argmax => Reading::Argmax { output: self.output.clone() },
            ReadingKind::Value => Reading::Value { output: self.output.clone() },
            ReadingKind::Threshold => match self.threshold.trim().parse::<f64>() {
                Ok(at) if at.is_finite() => Reading::Threshold { output: self.output.clone(), at },
                _ => {
                    errors.push(problem(EvaluationField::Threshold, "The threshold is a number, such as 0.5."));
                    Reading::Threshold { output: self.output.clone(), at: 0.5 }
                }
            },
        };
        let classes = self.reading != ReadingKind::Value;
        if self.metrics.is_empty() {
            errors.push(problem(EvaluationField::Metrics, "Choose at least one metric to claim."));
        }
        for metric in &self.metrics {
            if metric.kind.is_classification() != classes {
                errors.push(problem(
                    EvaluationField::Metrics,
                    format!(
                        "{} can't be computed from predictions read as {}.",
                        capitalised(metric.kind.key()),
                        if classes { "classes" } else { "values" }
                    ),
                ));
            }
            if metric.kind == MetricKind::TopKAccuracy && metric.k.is_none_or(|k| k == 0) {
                errors.push(problem(EvaluationField::Metrics, "Top-k accuracy needs its k (1 or more)."));
            }
        }
        errors.extend(Self::data_problems(&published));
        if errors.is_empty() {
            Ok(Setup {
                bundle,
                feeds: self.feeds.clone(),
                truth: self.truth.clone(),
                read,
                metrics: self.metrics.clone(),
            })
        } else {
            Err(errors)
        }
    }

    /// The tolerance as typed.
    pub fn tolerance(&self) -> Result<f64, FieldError> {
        match self.tolerance.trim().parse::<f64>() {
            Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
            _ => Err(problem(EvaluationField::Tolerance, "The tolerance is a number of 0 or more, such as 0.001.")),
        }
    }

    /// The figures computed for `model` with `io` under the form's current set-up, if any.
    pub fn current(&self, io: &IoSchema, model: &Cid) -> Option<&Computed> {
        let setup = self.setup(io).ok()?;
        self.computed
            .as_ref()
            .filter(|c| &c.model == model && &c.io == io && c.setup == setup && c.values.len() == setup.metrics.len())
    }

    /// Records the figures computed for `model` with `io` under `setup`, one per metric.
    pub fn record(&mut self, model: Cid, io: IoSchema, setup: Setup, values: Vec<f64>) {
        self.computed = Some(Computed { model, io, setup, values });
    }

    /// The problems of the evaluation section (none without an evaluation set): the set-up, the
    /// tolerance, and figures computed for this model file under this set-up.
    pub fn check(&self, io: Option<&IoSchema>, model: Option<&Cid>) -> Vec<FieldError> {
        if !self.is_set() {
            return Vec::new();
        }
        let Some(io) = io else {
            return vec![problem(EvaluationField::Bundle, "Fix the I/O schema (step 2) before the evaluation set.")];
        };
        let mut errors = self.setup(io).err().unwrap_or_default();
        errors.extend(self.tolerance().err());
        if errors.is_empty() && model.is_none_or(|m| self.current(io, m).is_none()) {
            errors.push(problem(
                EvaluationField::Computed,
                "Compute the metrics on this model file: the card claims only figures computed here.",
            ));
        }
        errors
    }

    /// The result the card claims: the computed figures for `model` on the evaluation set, with
    /// the way to recompute them; `None` without an evaluation set or current figures.
    pub fn result(&self, io: &IoSchema, model: &Cid, task: &str) -> Option<EvalResult> {
        let computed = self.current(io, model)?;
        let tolerance = self.tolerance().ok()?;
        let name = match self.dataset.trim() {
            "" => "Evaluation set".to_owned(),
            name => name.to_owned(),
        };
        let result = EvalResult {
            task: TaskRef { kind: if task.is_empty() { "other".into() } else { task.to_owned() }, name: None },
            dataset: DatasetRef {
                kind: slug(&name),
                name,
                split: Some(self.split.trim().to_owned()).filter(|s| !s.is_empty()),
                revision: Some(computed.setup.bundle.to_string()),
            },
            metrics: computed
                .setup
                .metrics
                .iter()
                .zip(&computed.values)
                .map(|(m, &value)| ClaimedMetric { kind: m.kind, value, name: None, k: m.k })
                .collect(),
            evaluation: Some(computed.setup.evaluation(tolerance)),
        };
        result.check().ok().map(|()| result)
    }
}

impl Draft {
    /// The evaluation section's problems, against the draft's I/O schema and model file.
    pub fn check_evaluation(&self) -> Vec<FieldError> {
        self.evaluation.check(self.io_schema().ok().as_ref(), self.file.as_ref().map(|f| &f.cid))
    }
}

fn sample_values(array: &ArraySpec) -> usize {
    array.sample_shape().iter().product()
}

/// `Digits, held out` → `digits-held-out`: the dataset's `type` in `model-index`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A refusal from `assay_inference` as a sentence.
fn sentence(text: &str) -> String {
    let text = capitalised(text);
    if text.ends_with('.') { text } else { format!("{text}.") }
}

#[cfg(test)]
mod tests;
