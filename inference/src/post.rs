//! Post-processing: output tensors → what the result view shows, per the card.

use serde::{Deserialize, Serialize};

use crate::card::{OutputKind, OutputSpec};
use crate::tensor::Tensor;

/// Numerically stable softmax.
pub fn softmax(scores: &[f32]) -> Vec<f32> {
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f64> = scores.iter().map(|&s| f64::from(s - max).exp()).collect();
    let sum: f64 = exps.iter().sum();
    exps.iter().map(|&e| (e / sum) as f32).collect()
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Class {
    pub index: usize,
    pub label: String,
    pub score: f32,
}

/// The `k` best classes, best first; equal scores keep the lower index first.
pub fn top_k(scores: &[f32], labels: &[String], k: usize) -> Vec<Class> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    order
        .into_iter()
        .take(k)
        .map(|index| Class {
            index,
            label: labels.get(index).cloned().unwrap_or_else(|| format!("class {index}")),
            score: scores[index],
        })
        .collect()
}

/// One output as shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Shown {
    Classes { output: String, classes: Vec<Class> },
    Values { output: String, rows: Vec<(String, f64)>, unit: Option<String> },
    Raw { tensor: Tensor },
}

/// Interprets `tensor` per `spec`; `labels` are the resolved class labels (inline, or fetched by
/// CID by the caller). Classification reads the first row of the last dimension (batch 1).
pub fn interpret(tensor: &Tensor, spec: &OutputSpec, labels: &[String]) -> Result<Shown, String> {
    match &spec.kind {
        OutputKind::Classification { softmax: apply, top_k: k, .. } => {
            let classes = *tensor.shape.last().ok_or_else(|| format!("{} is a scalar, not class scores", spec.name))?;
            if !labels.is_empty() && labels.len() != classes {
                return Err(format!("{} has {classes} classes but the card names {}", spec.name, labels.len()));
            }
            let row: Vec<f32> = tensor.data.to_f64().iter().take(classes).map(|&v| v as f32).collect();
            let scores = if *apply { softmax(&row) } else { row };
            Ok(Shown::Classes { output: spec.name.clone(), classes: top_k(&scores, labels, *k) })
        }
        OutputKind::Regression { names, unit } => {
            let values = tensor.data.to_f64();
            let rows = values
                .iter()
                .enumerate()
                .map(|(i, &v)| (names.get(i).cloned().unwrap_or_else(|| format!("{}[{i}]", spec.name)), v))
                .collect();
            Ok(Shown::Values { output: spec.name.clone(), rows, unit: unit.clone() })
        }
        OutputKind::Tensor => Ok(Shown::Raw { tensor: tensor.clone() }),
    }
}
