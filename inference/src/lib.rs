//! Assay's trial inference, engine-neutral and pure: the model card's declarative I/O schema
//! ([`card`]), model validation with typed refusals ([`validate`]), pre- and post-processing
//! ([`pre`], [`post`]), the tract CPU engine ([`engine`]) and the messages of the Web Worker that
//! runs it in the browser ([`protocol`]). Tested on the host against Python onnxruntime.

//!
//! The `tract` feature (default) adds validation and the engine; without it (the page's build) the
//! crate is plain data and maths, so tract never enters the initial app bundle.

pub mod card;
#[cfg(feature = "tract")]
pub mod engine;
pub mod post;
pub mod pre;
pub mod protocol;
pub mod report;
pub mod tensor;
#[cfg(feature = "tract")]
pub mod validate;

pub use card::{Encryption, IoSchema, ModelCard};
#[cfg(feature = "tract")]
pub use engine::TractSession;
pub use report::{Limits, Refusal, Report};
pub use tensor::{DType, Data, Tensor};
