//! Wallets: EIP-6963 discovery, EIP-1193 requests, and the connection state the UI reads.
//!
//! - [`eip1193`]: the typed boundary to a wallet's JavaScript provider object.
//! - [`discovery`]: finds installed wallets (EIP-6963 announcements, `window.ethereum` fallback).
//! - [`context`]: the reactive connection state, provided as a Leptos context.
//! - [`switch`]: switching the wallet to the app's network (adding it first when the wallet
//!   does not know it), in the wallet's wasm part.

pub mod context;
pub mod discovery;
pub mod eip1193;
mod switch;

pub use context::{Connection, WalletContext};
