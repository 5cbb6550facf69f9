//! Wallets: EIP-6963 discovery, EIP-1193 requests, and the connection state the UI reads.
//!
//! - [`eip1193`]: the typed boundary to a wallet's JavaScript provider object.
//! - [`discovery`]: finds installed wallets (EIP-6963 announcements, `window.ethereum` fallback).
//! - [`context`]: the reactive connection state, provided as a Leptos context.

pub mod context;
pub mod discovery;
pub mod eip1193;

pub use context::{Connection, WalletContext};
