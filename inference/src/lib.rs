//! Assay's trial inference, engine-neutral and pure: the model card's declarative I/O schema
//! ([`card`]), what validation reports and why it refuses a model ([`report`]), pre- and
//! post-processing ([`pre`], [`post`]), model validation ([`validate`]), the tract CPU engine
//! ([`engine`]) and the messages of the Web Worker that runs it in the browser ([`protocol`]).
//! Tested on the host against Python onnxruntime.
//!
//! Layers, each using only those above it:
//!
//! 1. [`tensor`], [`report`], [`verdict`] — plain data: tensors, limits, refusals, reports; which
//!    engines run a model and the one a run uses;
//! 2. [`card`] — the card and its `io` section (a first one proposed from a report);
//! 3. [`pre`], [`post`], [`preview`] — card-driven conversions to and from tensors; a raw tensor as
//!    bounded text, JSON or `.npy`;
//! 4. [`validate`] — the model file and the card checked without building anything (`tract`);
//! 5. [`engine`] — tract builds and runs the model; full validation (`tract`);
//! 6. [`protocol`] — the worker's messages.
//!
//! The `tract` feature (default) adds validation and the engine; without it (the page's build) the
//! crate is plain data and maths, so tract never enters the initial app bundle.

pub mod card;
#[cfg(feature = "tract")]
pub mod engine;
pub mod evaluation;
pub mod post;
pub mod pre;
pub mod preview;
pub mod protocol;
pub mod report;
pub mod tensor;
#[cfg(feature = "tract")]
pub mod validate;
pub mod verdict;

pub use card::{Encryption, IoSchema, ModelCard};
#[cfg(feature = "tract")]
pub use engine::TractSession;
pub use report::{Limits, Report};
pub use tensor::{DType, Data, Tensor};
pub use verdict::{Choice, Engine, Verdict, choose_engine};
