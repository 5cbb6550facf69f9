//! Typed bindings generated at compile time from the contracts' self-contained interfaces.
//!
//! Nothing here is hand-written ABI: each `sol!` reads one interface file (as copied by
//! `core/build.rs`, which only drops `/* */` comments), so a change to a
//! contract's interface changes these types (and breaks the build where the app disagrees).
//! Calldata: `IAssayMarket::withdrawCall {}.abi_encode()`; custom errors:
//! `IAssayMarket::IAssayMarketErrors::abi_decode(&revert_data)`.

#![allow(missing_docs, clippy::too_many_arguments)]

// One `sol!(#[sol(all_derives)] "<OUT_DIR>/<Interface>.sol")` per interface; see `core/build.rs`.
include!(concat!(env!("OUT_DIR"), "/bindings.rs"));
