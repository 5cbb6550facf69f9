//! Reproducible claims: what a card claims about a model, recomputed from the model's own
//! predictions on an evaluation set: the set itself ([`bundle`]: a manifest and plain arrays,
//! checked before anything runs; [`transport`]: the folder its creator drops and the manifest
//! published on IPFS, arrays by CID; [`assemble`]: the set built from what its creator drops — the
//! folder, a `.zip` of it ([`archive`]), `.npy` files ([`npy`]) or a CSV table ([`csv`])), each metric computed as scikit-learn does ([`metrics`]), the
//! samples run in chunks through the model's batch axis where it has one ([`chunks`]) at a pace
//! that keeps the page responsive ([`pace`]), and the claim recomputed from the model's
//! predictions ([`reproduce`]).

pub mod archive;
pub mod assemble;
pub mod bundle;
pub mod chunks;
pub mod csv;
pub mod metrics;
pub mod npy;
pub mod pace;
pub mod reproduce;
pub mod transport;

pub use assemble::{AssembleError, Dropped, assemble, check_dropped_size};
pub use bundle::{ArrayAt, ArraySpec, Bundle, BundleError, BundleLimits, Manifest};
pub use chunks::{Batching, Chunk, batching, predictions_of, stack};
pub use metrics::{MacroScores, MetricError, MetricKind};
pub use pace::{Pace, Tally};
pub use reproduce::{Observed, Outcome, Prediction, Truth, measure, observe, read, sample_inputs};
