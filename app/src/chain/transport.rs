//! alloy transports for the browser: JSON-RPC over `fetch` to the configured RPC endpoints (reads,
//! no wallet needed; `super::endpoints`) and JSON-RPC through a wallet's EIP-1193 `request`
//! (signing and sending).
//!
//! Both implement `tower::Service<RequestPacket>`, which makes them alloy `Transport`s. alloy needs
//! transports to be `Send + Sync`; JavaScript objects are neither, so the wallet transport holds
//! only the wallet's EIP-6963 uuid and finds its provider in a page-wide registry.

use std::cell::RefCell;
use std::collections::HashMap;
use std::task::{Context, Poll};

use alloy_json_rpc::{ErrorPayload, RequestPacket, Response, ResponsePacket, ResponsePayload, SerializedRequest};
use alloy_transport::{TransportError, TransportErrorKind, TransportFut};
use serde_json::Value;
use serde_json::value::RawValue;

pub use super::endpoints::HttpTransport;
use crate::wallet::eip1193::Eip1193Provider;

thread_local! {
    static WALLETS: RefCell<HashMap<String, Eip1193Provider>> = RefCell::new(HashMap::new());
}

/// Makes a discovered wallet's provider reachable by [`WalletTransport`]s with its uuid.
pub fn register_wallet(uuid: &str, provider: Eip1193Provider) {
    WALLETS.with(|wallets| wallets.borrow_mut().insert(uuid.to_owned(), provider));
}

/// The provider of a registered wallet.
pub fn wallet_provider(uuid: &str) -> Option<Eip1193Provider> {
    WALLETS.with(|wallets| wallets.borrow().get(uuid).cloned())
}

/// JSON-RPC through a wallet's EIP-1193 `request`. A wallet's error (`{code, message, data}`)
/// becomes a JSON-RPC error response, so callers see one error shape for both transports.
#[derive(Clone, Debug)]
pub struct WalletTransport {
    uuid: String,
}

impl WalletTransport {
    pub fn new(uuid: impl Into<String>) -> Self {
        Self { uuid: uuid.into() }
    }

    async fn send(self, packet: RequestPacket) -> Result<ResponsePacket, TransportError> {
        let provider = wallet_provider(&self.uuid)
            .ok_or_else(|| TransportErrorKind::custom_str("that wallet is no longer available: reload the page"))?;
        let requests: Vec<SerializedRequest> = match packet {
            RequestPacket::Single(request) => vec![request],
            RequestPacket::Batch(requests) => requests,
        };
        let mut responses = Vec::with_capacity(requests.len());
        // EIP-1193 has no batches: one request at a time, in order.
        for request in requests {
            let params: Value = match request.params() {
                Some(raw) => serde_json::from_str(raw.get()).map_err(TransportError::ser_err)?,
                None => Value::Array(vec![]),
            };
            let payload = match provider.request(request.method(), params).await {
                Ok(result) => ResponsePayload::Success(raw(&result)?),
                Err(error) => ResponsePayload::Failure(ErrorPayload {
                    code: error.code,
                    message: error.message.into(),
                    data: error.data.as_ref().map(raw).transpose()?,
                }),
            };
            responses.push(Response { id: request.id().clone(), payload });
        }
        Ok(responses.into_iter().collect())
    }
}

fn raw(value: &Value) -> Result<Box<RawValue>, TransportError> {
    RawValue::from_string(value.to_string()).map_err(TransportError::ser_err)
}

/// Makes a transport with an `async fn send(self, RequestPacket)` an alloy transport: a
/// `tower::Service` that is always ready and sends each packet from a clone of itself.
macro_rules! service_from_send {
    ($($transport:ty),+) => {$(
        impl tower::Service<RequestPacket> for $transport {
            type Response = ResponsePacket;
            type Error = TransportError;
            type Future = TransportFut<'static>;

            fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
                Poll::Ready(Ok(()))
            }

            fn call(&mut self, packet: RequestPacket) -> Self::Future {
                Box::pin(self.clone().send(packet))
            }
        }
    )+};
}

service_from_send!(HttpTransport, WalletTransport);
