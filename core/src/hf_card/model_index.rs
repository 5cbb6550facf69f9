//! `model-index` as Hugging Face writes it (`- name: …` / `results:` / `task`, `dataset`,
//! `metrics`), and the card's results, both ways. Imported results are self-reported (no
//! evaluation block); an exported result names its evaluation bundle's CID as the dataset's
//! `revision`, so a Hub reader can find the exact data.

use assay_inference::card::{ClaimedMetric, DatasetRef, EvalResult, TaskRef};
use assay_inference::evaluation::MetricKind;
use serde::{Deserialize, Serialize};
use serde_yaml::Value;

use super::LeftOut;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubModel {
    pub name: String,
    #[serde(default)]
    pub results: Vec<HubResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubResult {
    pub task: HubTask,
    pub dataset: HubDataset,
    #[serde(default)]
    pub metrics: Vec<HubMetric>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubTask {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubDataset {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    /// The dataset's configuration (`sst2` of `glue`): Assay's dataset reference has no place
    /// for it, so it is named in the dataset's name on import.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HubMetric {
    #[serde(rename = "type")]
    pub kind: String,
    /// A number, or a number written as text (`"81.2"`).
    pub value: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Top-k accuracy's `k` (`args: {k: 5}`); other arguments are not kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<Value>,
}

/// The results a `model-index` claims, as self-reported card results, and the metrics that do not
/// fit (a kind Assay does not compute, or a value that is not a number). A result none of whose
/// metrics fit is left out whole.
pub fn results_of(models: &[HubModel], left_out: &mut Vec<LeftOut>) -> Vec<EvalResult> {
    let mut results = Vec::new();
    for result in models.iter().flat_map(|m| &m.results) {
        let name = match (&result.dataset.name, &result.dataset.config) {
            (name, _) if name.is_empty() => result.dataset.kind.clone(),
            (name, Some(config)) if !name.contains(config.as_str()) => format!("{name} ({config})"),
            (name, _) => name.clone(),
        };
        let mut metrics = Vec::new();
        for metric in &result.metrics {
            match claimed(metric) {
                Some(claimed) => metrics.push(claimed),
                None => left_out.push(LeftOut::Metric { kind: metric.kind.clone(), dataset: name.clone() }),
            }
        }
        if metrics.is_empty() {
            continue;
        }
        results.push(EvalResult {
            task: TaskRef { kind: result.task.kind.clone(), name: result.task.name.clone() },
            dataset: DatasetRef {
                kind: result.dataset.kind.clone(),
                name,
                split: result.dataset.split.clone(),
                revision: result.dataset.revision.clone(),
            },
            metrics,
            evaluation: None,
        });
    }
    results
}

fn claimed(metric: &HubMetric) -> Option<ClaimedMetric> {
    let kind: MetricKind = serde_json::from_value(serde_json::Value::String(metric.kind.clone())).ok()?;
    let value = match &metric.value {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    let k = metric.args.as_ref().and_then(|a| a.get("k")).and_then(Value::as_u64).map(|k| k as usize);
    (value.is_finite() && (kind != MetricKind::TopKAccuracy || k.is_some_and(|k| k > 0))).then(|| ClaimedMetric {
        kind,
        value,
        name: metric.name.clone(),
        k,
    })
}

/// The card's results as one `model-index` entry named `name`.
pub fn model_index(name: &str, results: &[EvalResult]) -> Vec<HubModel> {
    if results.is_empty() {
        return Vec::new();
    }
    let results = results
        .iter()
        .map(|r| HubResult {
            task: HubTask { kind: r.task.kind.clone(), name: r.task.name.clone() },
            dataset: HubDataset {
                kind: r.dataset.kind.clone(),
                name: r.dataset.name.clone(),
                config: None,
                split: r.dataset.split.clone(),
                revision: r.evaluation.as_ref().map(|e| e.bundle.clone()).or_else(|| r.dataset.revision.clone()),
            },
            metrics: r
                .metrics
                .iter()
                .map(|m| HubMetric {
                    kind: m.kind.key().to_owned(),
                    value: Value::Number(m.value.into()),
                    name: m.name.clone(),
                    args: m.k.map(|k| {
                        let mut args = serde_yaml::Mapping::new();
                        args.insert("k".into(), Value::Number((k as u64).into()));
                        Value::Mapping(args)
                    }),
                })
                .collect(),
        })
        .collect();
    vec![HubModel { name: name.to_owned(), results }]
}
