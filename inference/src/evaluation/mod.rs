//! Reproducible claims: what a card claims about a model, recomputed from the model's own
//! predictions on an evaluation set. [`metrics`] computes each metric as scikit-learn does.

pub mod metrics;

pub use metrics::{MacroScores, MetricError, MetricKind};
