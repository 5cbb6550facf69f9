//! Assay's pure domain logic.
//!
//! Everything here is plain Rust with no browser, network or file-system access, so it is
//! tested with `cargo test` on the host. The browser glue in `app/` and the task runner in
//! `xtask/` both build on it.

pub mod activity;
pub mod attestations;
pub mod browse;
pub mod catalogue;
pub mod config;
pub mod contracts;
pub mod derivation;
pub mod earnings;
pub mod escrow;
pub mod eth;
pub mod evidence;
pub mod failure;
#[cfg(test)]
mod fixtures;
pub mod glossary;
pub mod hf_card;
pub mod hosting;
pub mod indexer;
pub mod ipfs;
pub mod licence;
pub mod lineage;
pub mod listing_draft;
pub mod markdown;
pub mod moderation;
pub mod network;
pub mod route;
pub mod rpc;
pub mod terms;
pub mod text;
pub mod units;
pub mod wallet_prompt;
