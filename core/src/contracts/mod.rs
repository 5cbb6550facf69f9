//! The marketplace contracts as Rust: `sol!` bindings generated from `contracts/src/interfaces/*.sol`
//! (the only source of ABI), and their custom errors in plain words.
//!
//! - [`bindings`]: `IAssayMarket`, `IAssayModels`, `IAssayERC721`, `IAssayEvaluations`,
//!   `IAssayModeration`, `IAssayCouncilArbitrator` and the standard `IArbitrator`, `IArbitrable` (ERC-792) and
//!   `IEvidence` (ERC-1497) — calls, events, errors, structs.
//! - [`errors`]: revert data → [`errors::Revert`] → a sentence naming the cause.

pub mod bindings;
pub mod errors;

pub use bindings::{
    IArbitrable, IArbitrator, IAssayCouncilArbitrator, IAssayERC721, IAssayEvaluations, IAssayMarket, IAssayModels,
    IAssayModeration, IEvidence,
};
pub use errors::Revert;
