//! Working pages for the benchmarks and the e2e suite (`#/bench/ipfs`, `#/bench/inference`,
//! `#/bench/encryption`, `#/bench/evaluation`), linked from nowhere. Built only with the `bench`
//! cargo feature: the e2e/bench build turns it on, the published app leaves them out.

pub mod encryption;
pub mod evaluation;
pub mod inference;
mod inference_timing;
pub mod ipfs;
mod ipfs_fetch;
