//! Assay's browser app: a Leptos client-side-rendered single-page app compiled to wasm32.
//!
//! The crate is thin browser glue over `assay-core`: it loads the runtime configuration,
//! tracks the hash route, talks to wallets (EIP-6963 / EIP-1193) and the chain's JSON-RPC, and
//! renders pages. See ARCHITECTURE.md for the module map.

pub mod app;
#[cfg(feature = "bench")]
pub mod bench;
pub mod chain;
pub mod clock;
pub mod config;
pub mod drafts;
pub mod early;
pub mod encryption;
pub mod error;
pub mod ipfs;
pub mod latest;
pub mod pages;
pub mod router;
pub mod save;
pub mod split;
pub mod trial;
pub mod ui;
pub mod wallet;

/// Mounts the app on `<body>`; the binary's only job.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
