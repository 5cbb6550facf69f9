//! The marketplace contracts as Rust: `sol!` bindings generated from `contracts/src/interfaces/*.sol`
//! (the only source of ABI), and their custom errors in plain words.
//!
//! - [`bindings`]: `IAssayMarket`, `IAssayModels`, `IAssayERC721`, `IAssayEvaluations` — calls,
//!   events, errors, structs.
//! - [`errors`]: revert data → [`errors::Revert`] → a sentence naming the cause.

pub mod bindings;
pub mod errors;

pub use bindings::{IAssayERC721, IAssayEvaluations, IAssayMarket, IAssayModels};
pub use errors::Revert;
