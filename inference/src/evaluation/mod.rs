//! Reproducible claims: what a card claims about a model, recomputed from the model's own
//! predictions on an evaluation set: the set itself ([`bundle`]: a manifest and plain arrays on
//! IPFS, checked before anything runs), and each metric computed as scikit-learn does
//! ([`metrics`]), and the claim recomputed from the model's predictions ([`reproduce`]).

pub mod bundle;
pub mod metrics;
pub mod reproduce;

pub use bundle::{ArraySpec, Bundle, BundleError, BundleLimits, Manifest};
pub use metrics::{MacroScores, MetricError, MetricKind};
pub use reproduce::{Observed, Outcome, Prediction, Truth, observe, read, sample_inputs};
