//! JSON-RPC to the network deployed to, which may be any URL (https, an API key in it): through
//! Foundry's `cast rpc`, the URL in its environment ([`rpc_url_env`]) rather than on its command line.
//! The local stack's own client (`crate::rpc`) speaks plain HTTP to 127.0.0.1 only.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use alloy_primitives::{Address, Bytes, U256, hex};
use alloy_sol_types::SolCall;
use serde_json::{Value, json};

use crate::paths::Paths;
use crate::process::Result;
use crate::rpc::quantity;

/// A JSON-RPC endpoint reached through `cast`.
pub struct Endpoint {
    cast: PathBuf,
    cwd: PathBuf,
    pub url: String,
}

impl Endpoint {
    pub fn new(paths: &Paths, url: &str) -> Self {
        Self { cast: paths.cast(), cwd: paths.root.clone(), url: url.to_owned() }
    }

    /// One call; a failure is cast's sentence (the transport's or the node's error).
    pub fn call(&self, method: &str, params: Value) -> Result<Value> {
        let output = Command::new(&self.cast)
            .args(["rpc", "--raw", method])
            .arg(params.to_string())
            .envs(rpc_url_env(&self.url))
            .current_dir(&self.cwd)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", self.cast.display()))?;
        if !output.status.success() {
            return Err(cast_error(&String::from_utf8_lossy(&output.stderr)));
        }
        serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("{method} answered non-JSON ({e}): {:.200}", String::from_utf8_lossy(&output.stdout)))
    }

    pub fn chain_id(&self) -> Result<u64> {
        quantity(&self.call("eth_chainId", json!([]))?)
    }

    /// The deployed code at `address` (empty: none).
    pub fn code(&self, address: Address) -> Result<Bytes> {
        let code = self.call("eth_getCode", json!([address, "latest"]))?;
        bytes(&code).map_err(|e| format!("eth_getCode of {address}: {e}"))
    }

    /// Transactions sent from `address` so far.
    pub fn nonce(&self, address: Address) -> Result<u64> {
        quantity(&self.call("eth_getTransactionCount", json!([address, "latest"]))?)
    }

    pub fn balance(&self, address: Address) -> Result<U256> {
        let balance = self.call("eth_getBalance", json!([address, "latest"]))?;
        balance.as_str().and_then(|b| b.parse().ok()).ok_or_else(|| format!("eth_getBalance answered {balance}"))
    }

    /// A view of the contract at `to`, encoded and decoded by the `sol!` bindings.
    pub fn view<C: SolCall>(&self, to: Address, call: &C) -> Result<C::Return> {
        let data = hex::encode_prefixed(call.abi_encode());
        let answer = self
            .call("eth_call", json!([{ "to": to, "data": data }, "latest"]))
            .map_err(|e| format!("{} on {to}: {e}", C::SIGNATURE))?;
        let bytes = bytes(&answer).map_err(|e| format!("{} on {to}: {e}", C::SIGNATURE))?;
        C::abi_decode_returns(&bytes).map_err(|e| format!("{} on {to} answered {answer}: {e}", C::SIGNATURE))
    }
}

/// The variables that give Foundry (`cast`, `forge script`) its RPC URL: an API key in the URL
/// then stays off the command line, which every user of the machine can read.
pub fn rpc_url_env(url: &str) -> [(&'static str, &str); 2] {
    [("FOUNDRY_ETH_RPC_URL", url), ("ETH_RPC_URL", url)]
}

fn bytes(value: &Value) -> Result<Bytes> {
    value.as_str().and_then(|text| text.parse().ok()).ok_or_else(|| format!("expected hex data, got {value:.200}"))
}

/// cast's error output (`Error: what` then `Context:` and `- Error #n: cause` or `- cause` lines) as one
/// sentence: what, then the innermost cause.
pub fn cast_error(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let what = lines.iter().find_map(|l| l.strip_prefix("Error: ").or_else(|| l.strip_prefix("Error:")));
    let cause =
        lines.iter().rev().find_map(|l| l.strip_prefix("- ")).map(|cause| {
            cause.strip_prefix("Error #").and_then(|c| c.split_once(": ")).map_or(cause, |(_, inner)| inner)
        });
    match (what, cause) {
        (Some(what), Some(cause)) => format!("{what}: {cause}"),
        (Some(what), None) => what.to_owned(),
        (None, _) => lines.last().copied().unwrap_or("cast failed without a message").to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cast_s_errors_become_one_sentence_with_the_innermost_cause() {
        let refused = "Error: error sending request for url (http://127.0.0.1:1/)\n\nContext:\n\
            - Error #0: client error (Connect)\n- Error #1: tcp connect error\n\
            - Error #2: Connection refused (os error 111)\n";
        assert_eq!(
            cast_error(refused),
            "error sending request for url (http://127.0.0.1:1/): Connection refused (os error 111)"
        );
        let node = "Error: server returned an error response: error code -32601: Method not found\n";
        assert_eq!(cast_error(node), "server returned an error response: error code -32601: Method not found");
        let keystore = "Error: Failed to decrypt keystore \"deployer\"\n\nContext:\n- Mac Mismatch\n";
        assert_eq!(cast_error(keystore), "Failed to decrypt keystore \"deployer\": Mac Mismatch");
        assert_eq!(cast_error("thread panicked\n"), "thread panicked");
        assert_eq!(cast_error(""), "cast failed without a message");
    }
}
