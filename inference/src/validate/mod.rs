//! Model validation before anything is built, at listing time and before any trial: the ONNX
//! protobuf is read and checked (size, format, external data, operators, declared tensor sizes),
//! and what it declares reported, control flow and operators tract lacks included ([`inspect`]);
//! then the card's I/O against the model's declarations ([`check_io`]); once the engine has built
//! the model with the card's shapes, the resolved outputs against the card ([`check_outputs`], in
//! `card`: pure, so the page checks another engine's outputs with it too).
//! Each refusal is a sentence naming the cause. Full validation, building included, is
//! [`crate::engine::validate`].

mod inspect;
mod io;
pub mod operators;

pub use crate::card::check_outputs;
pub use inspect::{Inspected, inspect};
pub use io::check_io;
