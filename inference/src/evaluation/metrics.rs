//! The metrics a card claims, computed in one place from labels and predictions, as scikit-learn
//! computes them (its functions are the reference in the host tests): accuracy, top-k accuracy,
//! macro precision / recall / F1 over the labels seen in either list (a class never predicted
//! scores 0, scikit-learn's `zero_division=0`), MAE, RMSE and R².

use serde::{Deserialize, Serialize};

/// A metric a card can claim, named as Hugging Face's `model-index` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    Accuracy,
    /// Top-k accuracy: the true class among the `k` highest scores.
    TopKAccuracy,
    Precision,
    Recall,
    F1,
    Mae,
    Rmse,
    R2,
}

impl MetricKind {
    /// The `type` in `model-index` (`accuracy`, `f1`, `mae`, …).
    pub fn key(self) -> &'static str {
        match self {
            MetricKind::Accuracy => "accuracy",
            MetricKind::TopKAccuracy => "top_k_accuracy",
            MetricKind::Precision => "precision",
            MetricKind::Recall => "recall",
            MetricKind::F1 => "f1",
            MetricKind::Mae => "mae",
            MetricKind::Rmse => "rmse",
            MetricKind::R2 => "r2",
        }
    }

    /// Whether it reads classes (else values).
    pub fn is_classification(self) -> bool {
        !matches!(self, MetricKind::Mae | MetricKind::Rmse | MetricKind::R2)
    }

    /// Whether more is better (accuracy) or less (errors).
    pub fn higher_is_better(self) -> bool {
        !matches!(self, MetricKind::Mae | MetricKind::Rmse)
    }
}

/// Why a metric can't be computed on what was given.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MetricError {
    #[error("there are no samples to score")]
    Empty,
    #[error("{truth} true values for {predicted} predictions")]
    LengthMismatch { truth: usize, predicted: usize },
    #[error("top-{k} accuracy needs k between 1 and the {classes} classes scored")]
    BadK { k: usize, classes: usize },
    #[error("sample {sample} has {got} scores where the others have {classes}")]
    RaggedScores { sample: usize, got: usize, classes: usize },
    #[error("label {label} of sample {sample} is not one of the {classes} classes scored")]
    LabelOutOfRange { sample: usize, label: usize, classes: usize },
}

fn same_length(truth: usize, predicted: usize) -> Result<(), MetricError> {
    match (truth, predicted) {
        (0, _) => Err(MetricError::Empty),
        (t, p) if t != p => Err(MetricError::LengthMismatch { truth: t, predicted: p }),
        _ => Ok(()),
    }
}

/// The share of samples whose predicted class is the true one.
pub fn accuracy(truth: &[usize], predicted: &[usize]) -> Result<f64, MetricError> {
    same_length(truth.len(), predicted.len())?;
    let right = truth.iter().zip(predicted).filter(|(t, p)| t == p).count();
    Ok(right as f64 / truth.len() as f64)
}

/// The share of samples whose true class is among the `k` highest of its scores (a tie at the
/// k-th place counts against the sample only if the true class is not strictly above it, as
/// scikit-learn's `top_k_accuracy_score` does with distinct scores).
pub fn top_k_accuracy(truth: &[usize], scores: &[Vec<f32>], k: usize) -> Result<f64, MetricError> {
    same_length(truth.len(), scores.len())?;
    let classes = scores[0].len();
    if k == 0 || k > classes {
        return Err(MetricError::BadK { k, classes });
    }
    let mut hits = 0;
    for (sample, (&label, row)) in truth.iter().zip(scores).enumerate() {
        if row.len() != classes {
            return Err(MetricError::RaggedScores { sample, got: row.len(), classes });
        }
        let Some(&own) = row.get(label) else {
            return Err(MetricError::LabelOutOfRange { sample, label, classes });
        };
        let above = row.iter().filter(|&&s| s > own).count();
        if above < k {
            hits += 1;
        }
    }
    Ok(hits as f64 / truth.len() as f64)
}

/// Macro-averaged precision, recall and F1 over the labels in either list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MacroScores {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Precision, recall and F1 per label, averaged with equal weight (`average="macro"`).
pub fn macro_scores(truth: &[usize], predicted: &[usize]) -> Result<MacroScores, MetricError> {
    same_length(truth.len(), predicted.len())?;
    let mut labels: Vec<usize> = truth.iter().chain(predicted).copied().collect();
    labels.sort_unstable();
    labels.dedup();
    let ratio = |num: usize, den: usize| if den == 0 { 0.0 } else { num as f64 / den as f64 };
    let (mut precision, mut recall, mut f1) = (0.0, 0.0, 0.0);
    for &label in &labels {
        let tp = truth.iter().zip(predicted).filter(|&(&t, &p)| t == label && p == label).count();
        let predicted_as = predicted.iter().filter(|&&p| p == label).count();
        let actually = truth.iter().filter(|&&t| t == label).count();
        precision += ratio(tp, predicted_as);
        recall += ratio(tp, actually);
        // F1 = 2·tp / (2·tp + fp + fn), 0 when the label is neither true nor predicted right.
        f1 += ratio(2 * tp, predicted_as + actually);
    }
    let n = labels.len() as f64;
    Ok(MacroScores { precision: precision / n, recall: recall / n, f1: f1 / n })
}

/// Mean absolute error.
pub fn mae(truth: &[f64], predicted: &[f64]) -> Result<f64, MetricError> {
    same_length(truth.len(), predicted.len())?;
    Ok(truth.iter().zip(predicted).map(|(t, p)| (t - p).abs()).sum::<f64>() / truth.len() as f64)
}

/// Root mean squared error.
pub fn rmse(truth: &[f64], predicted: &[f64]) -> Result<f64, MetricError> {
    same_length(truth.len(), predicted.len())?;
    Ok((truth.iter().zip(predicted).map(|(t, p)| (t - p).powi(2)).sum::<f64>() / truth.len() as f64).sqrt())
}

/// The coefficient of determination. With constant true values it is 1 for a perfect prediction
/// and 0 otherwise (scikit-learn's `force_finite`).
pub fn r2(truth: &[f64], predicted: &[f64]) -> Result<f64, MetricError> {
    same_length(truth.len(), predicted.len())?;
    let mean = truth.iter().sum::<f64>() / truth.len() as f64;
    let residual: f64 = truth.iter().zip(predicted).map(|(t, p)| (t - p).powi(2)).sum();
    let total: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    Ok(match (total == 0.0, residual == 0.0) {
        (true, true) => 1.0,
        (true, false) => 0.0,
        (false, _) => 1.0 - residual / total,
    })
}

/// The class with the highest score (the first on a tie, as `argmax` does).
pub fn argmax(scores: &[f32]) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_metrics_on_a_small_case_by_hand() {
        let truth = [0, 1, 2, 2, 1];
        let predicted = [0, 2, 2, 2, 1];
        assert_eq!(accuracy(&truth, &predicted).unwrap(), 0.8);
        let m = macro_scores(&truth, &predicted).unwrap();
        // label 0: p 1, r 1; label 1: p 1, r 1/2; label 2: p 2/3, r 1.
        assert!((m.precision - (1.0 + 1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-12);
        assert!((m.recall - (1.0 + 0.5 + 1.0) / 3.0).abs() < 1e-12);
        assert!((m.f1 - (1.0 + 2.0 / 3.0 + 0.8) / 3.0).abs() < 1e-12);
    }

    #[test]
    fn top_k_counts_the_true_class_among_the_highest() {
        let scores = vec![vec![0.1, 0.7, 0.2], vec![0.5, 0.3, 0.2]];
        assert_eq!(top_k_accuracy(&[2, 1], &scores, 1).unwrap(), 0.0);
        assert_eq!(top_k_accuracy(&[2, 1], &scores, 2).unwrap(), 1.0);
        assert_eq!(top_k_accuracy(&[2, 1], &scores, 4), Err(MetricError::BadK { k: 4, classes: 3 }));
        assert_eq!(
            top_k_accuracy(&[3, 1], &scores, 1),
            Err(MetricError::LabelOutOfRange { sample: 0, label: 3, classes: 3 })
        );
    }

    #[test]
    fn regression_metrics_and_their_edges() {
        assert_eq!(mae(&[1.0, 2.0], &[2.0, 2.0]).unwrap(), 0.5);
        assert_eq!(rmse(&[0.0, 0.0], &[3.0, 4.0]).unwrap(), (12.5f64).sqrt());
        assert_eq!(r2(&[1.0, 1.0], &[1.0, 1.0]).unwrap(), 1.0);
        assert_eq!(r2(&[1.0, 1.0], &[1.0, 2.0]).unwrap(), 0.0);
        assert_eq!(mae(&[], &[]), Err(MetricError::Empty));
        assert_eq!(r2(&[1.0], &[1.0, 2.0]), Err(MetricError::LengthMismatch { truth: 1, predicted: 2 }));
        assert_eq!(
            MetricError::LengthMismatch { truth: 1, predicted: 2 }.to_string(),
            "1 true values for 2 predictions"
        );
    }

    #[test]
    fn argmax_takes_the_first_of_equal_scores() {
        assert_eq!(argmax(&[0.2, 0.5, 0.5]), Some(1));
        assert_eq!(argmax(&[]), None);
    }
}
