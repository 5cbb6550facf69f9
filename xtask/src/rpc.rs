//! The JSON-RPC client for anvil: single calls and batches over [`crate::http`], error answers
//! turned into sentences (reverts decoded by `assay_core::failure`), and the market contract's
//! views and transactions on top.

use std::time::{Duration, Instant};

use alloy_primitives::{Address, U256, hex};
use alloy_sol_types::SolCall;
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;
use serde_json::{Value, json};

use crate::http;
use crate::process::Result;

/// A JSON-RPC endpoint on 127.0.0.1.
#[derive(Clone, Copy, Debug)]
pub struct Rpc {
    pub port: u16,
}

impl Rpc {
    /// One JSON-RPC call; an error answer becomes its sentence (reverts decoded).
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let answer = http::post_json(self.port, "/", &request.to_string())?.json()?;
        result_of(&answer).map_err(|e| format!("{method}: {e}"))
    }

    /// One JSON-RPC batch; each answer in request order.
    pub fn batch(&self, requests: &[(&str, Value)]) -> Result<Vec<Result<Value>>> {
        let answer = http::post_json(self.port, "/", &batch_request(requests).to_string())?.json()?;
        batch_answers(&answer, requests.len())
    }
}

/// A batch's body: the requests with their index as id.
pub fn batch_request(requests: &[(&str, Value)]) -> Value {
    requests
        .iter()
        .enumerate()
        .map(|(id, (method, params))| json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
        .collect()
}

/// A batch's answers (in any order) put back in the order of its `count` requests.
pub fn batch_answers(answer: &Value, count: usize) -> Result<Vec<Result<Value>>> {
    let answers = answer.as_array().ok_or_else(|| format!("a batch was answered with {answer:.200}"))?;
    let mut by_id: Vec<Option<Result<Value>>> = (0..count).map(|_| None).collect();
    for answer in answers {
        let id = answer["id"]
            .as_u64()
            .filter(|id| (*id as usize) < count)
            .ok_or_else(|| format!("a batch answer has no known id: {answer}"))?;
        by_id[id as usize] = Some(result_of(answer));
    }
    by_id
        .into_iter()
        .enumerate()
        .map(|(i, a)| a.ok_or_else(|| format!("request {i} of a batch got no answer")))
        .collect()
}

/// A JSON-RPC answer's result, or its error as a sentence.
pub fn result_of(answer: &Value) -> Result<Value> {
    if let Some(error) = answer.get("error") {
        let code = error["code"].as_i64().unwrap_or_default();
        let message = error["message"].as_str().unwrap_or_default();
        let failure = Failure::classify(code, message, error.get("data"));
        return Err(match failure {
            Failure::Other { .. } => format!("the chain answered error {code}: {message}"),
            known => known.explain(),
        });
    }
    answer.get("result").cloned().ok_or_else(|| format!("a JSON-RPC answer without result or error: {answer:.200}"))
}

/// A hex quantity (`"0x1f"`) from an answer.
pub fn quantity(value: &Value) -> Result<u64> {
    let text = value.as_str().ok_or_else(|| format!("expected a hex quantity, got {value}"))?;
    assay_core::eth::parse_u64_quantity(text).map_err(|e| format!("{text:?}: {}", e.0))
}

/// The market contract on anvil: its views, and transactions to it from unlocked dev accounts.
pub struct Market {
    pub rpc: Rpc,
    pub address: Address,
}

impl Market {
    pub fn new(port: u16, address: Address) -> Self {
        Self { rpc: Rpc { port }, address }
    }

    /// A view call on the market, decoded.
    pub fn view<C: SolCall>(&self, call: &C) -> Result<C::Return> {
        let data = self.rpc.call(
            "eth_call",
            json!([{ "to": self.address, "data": hex::encode_prefixed(call.abi_encode()) }, "latest"]),
        )?;
        let bytes =
            hex::decode(data.as_str().unwrap_or_default()).map_err(|e| format!("eth_call answered {data}: {e}"))?;
        C::abi_decode_returns(&bytes).map_err(|e| format!("unexpected answer from the market contract: {e}"))
    }

    pub fn model_count(&self) -> Result<u64> {
        let count = self.view(&IAssayMarket::modelCountCall {})?;
        u64::try_from(count).map_err(|_| format!("modelCount() is {count}"))
    }

    /// Sends a transaction to the market from an unlocked dev account, waits for its receipt and
    /// requires status 1. `what` names the step in errors.
    pub fn transact(&self, from: Address, data: Vec<u8>, value: U256, what: &str) -> Result<Value> {
        let tx = json!({ "from": from, "to": self.address, "data": hex::encode_prefixed(data), "value": format!("0x{value:x}") });
        let hash = self.rpc.call("eth_sendTransaction", json!([tx])).map_err(|e| format!("{what}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let receipt = self.rpc.call("eth_getTransactionReceipt", json!([hash]))?;
            if !receipt.is_null() {
                if receipt["status"] != "0x1" {
                    return Err(format!(
                        "{what}: transaction {hash} was mined but reverted (status {})",
                        receipt["status"]
                    ));
                }
                return Ok(receipt);
            }
            if Instant::now() > deadline {
                return Err(format!("{what}: transaction {hash} was not mined within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_sentences() {
        let revert = IAssayMarket::SoldOut { modelId: U256::from(7), tierId: U256::from(1) };
        let data = hex::encode_prefixed(alloy_sol_types::SolError::abi_encode(&revert));
        let answer =
            json!({ "jsonrpc": "2.0", "id": 1, "error": { "code": 3, "message": "execution reverted", "data": data } });
        let said = result_of(&answer).unwrap_err();
        assert!(said.contains("sold out") && said.contains('7'), "{said}");
        let other = json!({ "id": 1, "error": { "code": -32601, "message": "Method not found" } });
        assert_eq!(result_of(&other).unwrap_err(), "the chain answered error -32601: Method not found");
        assert_eq!(result_of(&json!({ "id": 1, "result": "0x1" })).unwrap(), "0x1");
        assert!(result_of(&json!({ "id": 1 })).unwrap_err().contains("without result"));
    }

    #[test]
    fn a_batch_is_numbered_and_its_answers_put_back_in_order() {
        let request = batch_request(&[("eth_chainId", json!([])), ("eth_getBalance", json!(["0x01", "latest"]))]);
        assert_eq!(
            request[1],
            json!({ "jsonrpc": "2.0", "id": 1, "method": "eth_getBalance", "params": ["0x01", "latest"] })
        );
        let answer = json!([
            { "id": 1, "error": { "code": -32601, "message": "Method not found" } },
            { "id": 0, "result": "0x7a69" },
        ]);
        let answers = batch_answers(&answer, 2).unwrap();
        assert_eq!(answers[0], Ok(json!("0x7a69")));
        assert_eq!(answers[1], Err("the chain answered error -32601: Method not found".into()));
        assert!(batch_answers(&json!([{ "id": 0, "result": 1 }]), 2).unwrap_err().contains("request 1"));
        assert!(batch_answers(&json!([{ "id": 5, "result": 1 }]), 2).unwrap_err().contains("no known id"));
        assert!(batch_answers(&json!({ "error": {} }), 2).unwrap_err().contains("batch was answered"));
    }

    #[test]
    fn quantities_are_hex() {
        assert_eq!(quantity(&json!("0x1c9c380")).unwrap(), 30_000_000);
        assert!(quantity(&json!(5)).unwrap_err().contains("hex quantity"));
        assert!(quantity(&json!("0xzz")).is_err());
    }
}
