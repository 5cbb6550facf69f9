//! A failure's sentence when the shell reports it. A contract's revert is decoded against every
//! contract's errors and worded (`assay_core::contracts::errors`, with its decoders, tens of KB of
//! wasm) by a part fetched the first time a revert is shown: a visitor who never meets one never
//! downloads it. The other failures are worded at once (`Failure::explain_unless_reverted`).

use assay_core::failure::{Failure, RevertData};
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use crate::split::{PartNotLoaded, part};

/// `failure` in words; a revert's once its part is here.
pub async fn explain(failure: &Failure) -> String {
    match failure.explain_unless_reverted() {
        Ok(sentence) => sentence,
        Err(revert) => worded(revert.clone()).await,
    }
}

/// A revert in words (its part fetched first, if it is not here yet).
pub async fn worded(revert: RevertData) -> String {
    match part!(decoded(revert)) {
        Ok(sentence) => sentence,
        Err(PartNotLoaded) => NOT_DOWNLOADED.to_owned(),
    }
}

/// What is said when the words could not be downloaded.
const NOT_DOWNLOADED: &str = "The contract refused this. Why could not be shown: the code that reads contracts' \
     refusals could not be downloaded (the connection to the site was lost or the gateway dropped the request).";

#[cfg_attr(feature = "parts", wasm_split(reverts, wasm_split_path = ::leptos::wasm_split, fallible))]
fn decoded(revert: RevertData) -> Result<String, PartNotLoaded> {
    Ok(revert.explain())
}
