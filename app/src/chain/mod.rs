//! The chain layer: alloy providers over the browser's transports, the transaction lifecycle every
//! write goes through, and the catalogue cache.
//!
//! - [`transport`]: `HttpTransport` (configured RPC URL, reads) and `WalletTransport` (EIP-1193).
//! - [`tx`]: `TxContext` — simulate, check funds, send, pending, receipt; toasts and activity.
//! - [`catalogue`]: `CatalogueContext` — listings through `modelsPage` (one JSON-RPC batch), cached
//!   for the session, refreshed from events.
//! - [`lineage`]: every listing's parents and derivatives (`ModelListed` logs read once per session).
//! - [`listing`]: a model page's details, in one JSON-RPC batch.
//! - [`deliveries`]: encrypted models' purchases waiting for their key, delivered keys,
//!   commitments, and the chain's clock for escrow deadlines.

pub mod catalogue;
pub mod deliveries;
pub mod lineage;
pub mod listing;
pub mod sales;
pub mod transport;
pub mod tx;

use alloy_network::Ethereum;
use alloy_primitives::{Address, Bytes, U256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_client::RpcClient;
use alloy_rpc_types_eth::{TransactionInput, TransactionRequest};
use alloy_sol_types::SolCall;
use alloy_transport::{RpcError, TransportError};
use assay_core::config::RuntimeConfig;
use assay_core::failure::Failure;

pub use transport::{HttpTransport, WalletTransport, register_wallet};

/// The provider reads go through: the configured RPC URL, no wallet involved.
pub type ReadProvider = RootProvider<Ethereum>;

/// A provider over the configured RPC URL.
pub fn read_provider(rpc_url: &str) -> ReadProvider {
    RootProvider::new(RpcClient::new(HttpTransport::new(rpc_url), false))
}

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

/// Reads a view function through the read provider.
pub async fn read<C: SolCall>(provider: &ReadProvider, url: &str, to: Address, call: C) -> Result<C::Return, Failure> {
    let bytes = provider.call(call_request(to, &call)).await.map_err(|e| failure(&e, url))?;
    C::abi_decode_returns(&bytes)
        .map_err(|e| Failure::Other { detail: format!("unexpected answer from the contract ({e})") })
}

/// A view call waiting in a JSON-RPC batch ([`batched`]); its answer is decoded by [`BatchedCall::answer`]
/// once the batch is sent.
pub struct BatchedCall<C: SolCall> {
    waiter: alloy_rpc_client::Waiter<Bytes>,
    _call: std::marker::PhantomData<C>,
}

/// Adds a view call of `to` (at the latest block) to `batch`.
pub fn batched<C: SolCall>(
    batch: &mut alloy_rpc_client::BatchRequest<'_>,
    url: &str,
    to: Address,
    call: &C,
) -> Result<BatchedCall<C>, Failure> {
    let request = call_request(to, call);
    let waiter = batch
        .add_call::<_, Bytes>("eth_call", &(request, alloy_rpc_types_eth::BlockId::latest()))
        .map_err(|e| failure(&e, url))?;
    Ok(BatchedCall { waiter, _call: std::marker::PhantomData })
}

impl<C: SolCall> BatchedCall<C> {
    pub async fn answer(self, url: &str) -> Result<C::Return, Failure> {
        let bytes = self.waiter.await.map_err(|e| failure(&e, url))?;
        C::abi_decode_returns(&bytes)
            .map_err(|e| Failure::Other { detail: format!("unexpected answer from the contract ({e})") })
    }
}

/// The configured address of a contract (`"AssayMarket"`, `"AssayModels"`).
pub fn contract(config: &RuntimeConfig, name: &str) -> Option<Address> {
    config.contracts.get(name).copied()
}

/// An account's ETH balance on the app's chain.
pub async fn balance(provider: &ReadProvider, url: &str, account: Address) -> Result<U256, Failure> {
    provider.get_balance(account).await.map_err(|e| failure(&e, url))
}
