//! Code a first visit does not run, cut out of the page's main wasm and fetched the first time it
//! is called (wasm-split: each `#[wasm_split(<part>)]` function and what only it reaches becomes a
//! part, `cargo xtask`'s build, `xtask/src/app_wasm.rs`): the pages other than Browse
//! (`pages::parts`), Browse's chain path (`pages::browse::chain`) with the catalogue's chain reads
//! (`chain::catalogue`) in the same part, a revert's words (`chain::reverts`), connecting a wallet
//! (`wallet::context`) and the stored activity list's restore (`chain::tx`). Code several parts use goes into a shared module that
//! loads with them, one module per set of parts sharing it: each new part multiplies those sets,
//! so a part is made only where a first visit gains from it.
//!
//! Split functions are `fallible`: a part that cannot be fetched (offline, a gateway that drops
//! the request) is an `Err` the caller turns into a sentence, never a panic. A split function
//! cannot be `async`; one that does async work returns its future, boxed.

use leptos::wasm_split::SplitLoaderError;

/// A part's code could not be fetched; the next call tries again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartNotLoaded;

impl From<SplitLoaderError> for PartNotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        PartNotLoaded
    }
}

/// A split function's result: awaited when it is a split point (`parts`), called directly when
/// the wasm is not split (the wasm-bindgen tests).
#[cfg(feature = "parts")]
macro_rules! part {
    ($call:expr) => {
        $call.await
    };
}
#[cfg(not(feature = "parts"))]
macro_rules! part {
    ($call:expr) => {
        $call
    };
}
pub(crate) use part;
