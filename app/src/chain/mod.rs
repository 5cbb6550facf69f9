//! The chain layer: alloy providers over the browser's transports, the transaction lifecycle every
//! write goes through, and the catalogue cache.
//!
//! - [`market`]: `Rpc` (the configured endpoint: reads, logs, batches, block time) and `Market`
//!   (the marketplace's contracts on it) — every read goes through them.
//! - [`transport`]: `HttpTransport` (configured RPC URL, reads) and `WalletTransport` (EIP-1193).
//! - [`tx`]: `TxContext` — simulate, check funds, send, pending, receipt; toasts and activity.
//! - [`catalogue`]: `CatalogueContext` — listings through `modelsPage` (one JSON-RPC batch), cached
//!   for the session, refreshed from events.
//! - [`lineage`]: every listing's parents and derivatives (`ModelListed` logs read once per session).
//! - [`listing`]: a model page's details, in one JSON-RPC batch.
//! - [`history`]: an account's deeds from the market's logs (listed, bought, reviewed, withdrew…),
//!   for the activity list.
//! - [`deliveries`]: encrypted models' purchases waiting for their key, delivered keys,
//!   commitments, and the chain's clock for escrow deadlines.
//! - [`attestations`]: reproduced claims recorded on chain (`AssayEvaluations`), read and sent.
//! - [`reverts`]: a failure in words for the shell; a revert's worded by a part fetched when one
//!   is first shown.
//! - [`moderation`]: moderation's parameters, every case from its events, and the writes (flag,
//!   respond, finalize, the council's ruling), evidence uploaded to IPFS first.

pub mod attestations;
pub mod catalogue;
pub mod deliveries;
pub mod endpoints;
pub mod history;
pub mod indexer;
pub mod lineage;
pub mod listing;
pub mod market;
pub mod moderation;
pub mod reverts;
pub mod sales;
pub mod transport;
pub mod tx;

use alloy_network::Ethereum;
use alloy_primitives::{Address, Bytes};
use alloy_provider::RootProvider;
use alloy_rpc_client::RpcClient;
use alloy_rpc_types_eth::{TransactionInput, TransactionRequest};
use alloy_sol_types::SolCall;
use alloy_transport::{RpcError, TransportError};
use assay_core::failure::Failure;

pub use market::{Market, Rpc};
pub use transport::{HttpTransport, WalletTransport, register_wallet};

/// A provider whose requests go through the wallet with this EIP-6963 uuid.
pub fn wallet_provider(uuid: &str) -> RootProvider<Ethereum> {
    RootProvider::new(RpcClient::new(WalletTransport::new(uuid), false))
}

/// Classifies an alloy error: JSON-RPC error responses by code, message and data; no answer at all
/// as an unreachable endpoint (`url`).
pub fn failure(error: &TransportError, url: &str) -> Failure {
    match error {
        RpcError::ErrorResp(payload) => {
            let data = payload.data.as_ref().and_then(|raw| serde_json::from_str(raw.get()).ok());
            Failure::classify(payload.code, &payload.message, data.as_ref())
        }
        RpcError::Transport(_) => Failure::unreachable(url),
        RpcError::NullResp => Failure::Other { detail: "the node returned nothing".into() },
        other => Failure::Other { detail: assay_core::text::readable(&other.to_string()) },
    }
}

/// A transaction request calling `to` with `call`'s calldata.
pub fn call_request(to: Address, call: &impl SolCall) -> TransactionRequest {
    TransactionRequest::default().to(to).input(TransactionInput::new(Bytes::from(call.abi_encode())))
}
