//! Post-processing: output tensors → what the result view shows, per the card.

use serde::{Deserialize, Serialize};

use crate::card::{OutputKind, OutputSpec};
use crate::tensor::Tensor;
pub use crate::tensor::class_axis;

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
/// CID by the caller). Classification reads the scores on [`class_axis`].
pub fn interpret(tensor: &Tensor, spec: &OutputSpec, labels: &[String]) -> Result<Shown, String> {
    match &spec.kind {
        OutputKind::Classification { softmax: apply, top_k: k, .. } => {
            let wanted = (!labels.is_empty()).then_some(labels.len());
            let Some(axis) = class_axis(&tensor.shape, wanted) else {
                return Err(match wanted {
                    _ if tensor.shape.is_empty() => format!("{} is a scalar, not class scores", spec.name),
                    Some(n) => match class_axis(&tensor.shape, None) {
                        Some(a) if (0..tensor.shape.len()).all(|o| o == a || tensor.shape[o] == 1) => format!(
                            "{} has {} classes (shape {:?}) but the card names {n}",
                            spec.name, tensor.shape[a], tensor.shape
                        ),
                        _ => format!(
                            "{} has shape {:?}: no axis holds the card's {n} classes with the others of size 1",
                            spec.name, tensor.shape
                        ),
                    },
                    None => format!("{} has shape {:?}, not class scores", spec.name, tensor.shape),
                });
            };
            let classes = tensor.shape[axis];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::Labels;
    use crate::tensor::Data;

    #[test]
    fn classes_are_read_on_the_axis_of_their_size_with_singletons_around() {
        assert_eq!(class_axis(&[1, 1000, 1, 1], Some(1000)), Some(1));
        assert_eq!(class_axis(&[1, 10], Some(10)), Some(1));
        assert_eq!(class_axis(&[10], Some(10)), Some(0));
        assert_eq!(class_axis(&[4, 10], Some(10)), Some(1), "a batch: the first row");
        assert_eq!(class_axis(&[1, 10, 2, 2], Some(10)), None, "a map, not scores");
        assert_eq!(class_axis(&[1, 10, 1, 1], None), Some(1));
        assert_eq!(class_axis(&[], Some(3)), None);

        let spec = OutputSpec {
            name: "p".into(),
            kind: OutputKind::Classification { labels: Labels::Inline(vec![]), softmax: false, top_k: 2 },
        };
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let t = Tensor::new("p", vec![1, 3, 1, 1], Data::F32(vec![0.1, 0.7, 0.2])).unwrap();
        let Shown::Classes { classes, .. } = interpret(&t, &spec, &labels).unwrap() else { panic!() };
        assert_eq!((classes[0].label.as_str(), classes[1].label.as_str()), ("b", "c"));
        let e = interpret(&t, &spec, &labels[..2]).unwrap_err();
        assert!(e.contains("3 classes") && e.contains("names 2"), "{e}");
    }
}
