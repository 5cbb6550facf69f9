//! Reads from the configured chain's JSON-RPC endpoint, with no wallet involved, so browsing
//! works for anyone. (The typed alloy provider of the chain layer builds on the same endpoint.)

use assay_core::eth::{Address, U256, parse_quantity, parse_u64_quantity};
use gloo_net::http::Request;
use serde_json::{Value, json};

/// Why a read failed, in words a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RpcError {
    /// The endpoint could not be reached at all.
    Unreachable { url: String, detail: String },
    /// The node answered with a JSON-RPC error.
    Node { code: i64, message: String },
    /// The answer was not what JSON-RPC promises.
    BadAnswer(String),
}

impl std::fmt::Display for RpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RpcError::Unreachable { url, detail } => {
                write!(f, "The chain's RPC endpoint {url} can't be reached ({detail}).")
            }
            RpcError::Node { code, message } => write!(f, "The chain node refused: {message} (code {code})."),
            RpcError::BadAnswer(detail) => write!(f, "The chain node gave an unexpected answer: {detail}."),
        }
    }
}

/// A JSON-RPC endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadRpc {
    url: String,
}

impl ReadRpc {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into() }
    }

    async fn call(&self, method: &str, params: Value) -> Result<Value, RpcError> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let unreachable = |detail: String| RpcError::Unreachable { url: self.url.clone(), detail };
        let response = Request::post(&self.url)
            .json(&body)
            .map_err(|e| unreachable(e.to_string()))?
            .send()
            .await
            .map_err(|e| unreachable(e.to_string()))?;
        if !response.ok() {
            return Err(unreachable(format!("HTTP {}", response.status())));
        }
        let answer: Value = response.json().await.map_err(|e| RpcError::BadAnswer(e.to_string()))?;
        if let Some(error) = answer.get("error") {
            return Err(RpcError::Node {
                code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
                message: error.get("message").and_then(Value::as_str).unwrap_or("unknown error").to_owned(),
            });
        }
        answer.get("result").cloned().ok_or_else(|| RpcError::BadAnswer("no result".into()))
    }

    async fn call_quantity(&self, method: &str, params: Value) -> Result<U256, RpcError> {
        let value = self.call(method, params).await?;
        let text = value.as_str().ok_or_else(|| RpcError::BadAnswer(format!("{method} returned {value}")))?;
        parse_quantity(text).map_err(|e| RpcError::BadAnswer(e.to_string()))
    }

    /// `eth_chainId`.
    pub async fn chain_id(&self) -> Result<u64, RpcError> {
        let value = self.call("eth_chainId", json!([])).await?;
        let text = value.as_str().unwrap_or_default();
        parse_u64_quantity(text).map_err(|e| RpcError::BadAnswer(e.to_string()))
    }

    /// `eth_blockNumber`.
    pub async fn block_number(&self) -> Result<u64, RpcError> {
        let value = self.call_quantity("eth_blockNumber", json!([])).await?;
        u64::try_from(value).map_err(|_| RpcError::BadAnswer("block number out of range".into()))
    }

    /// `eth_getBalance` at the latest block.
    pub async fn balance(&self, account: Address) -> Result<U256, RpcError> {
        self.call_quantity("eth_getBalance", json!([account, "latest"])).await
    }
}
