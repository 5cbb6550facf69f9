//! Runtime configuration: the JSON file published next to `index.html`.
//!
//! One build of the app can be published for any network: the chain, RPC endpoint, contract
//! addresses and IPFS endpoints are read at start-up from `config.json` beside the page, not
//! compiled in. Every field has a default that points at the local stack that
//! `cargo xtask dev` starts, so a partial file is fine; a malformed one is refused with a
//! message naming the field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eth::Address;

/// The file name the app fetches, relative to the page.
pub const CONFIG_FILE: &str = "config.json";

/// Chain id of the local anvil chain.
pub const LOCAL_CHAIN_ID: u64 = 31337;

/// Default local ports, shared by the task runner and the app's defaults.
pub mod ports {
    /// anvil JSON-RPC.
    pub const CHAIN: u16 = 8545;
    /// The Helia dev node: Kubo RPC API and gateways on one port.
    pub const IPFS: u16 = 5001;
    /// The static server that serves the built app.
    pub const APP: u16 = 8080;
}

/// Everything the app needs to know about its deployment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RuntimeConfig {
    /// EIP-155 chain id the contracts live on.
    #[serde(default = "default_chain_id")]
    pub chain_id: u64,
    /// Human name of the chain, used when asking a wallet to add it.
    #[serde(default = "default_chain_name")]
    pub chain_name: String,
    /// JSON-RPC endpoint for reads (browsing works without a wallet).
    #[serde(default = "default_rpc_url")]
    pub rpc_url: String,
    /// Block explorer base URL, if the network has one.
    #[serde(default)]
    pub explorer_url: Option<String>,
    /// Deployed contracts by name (e.g. `"AssayMarket"`), as written by the deploy script.
    #[serde(default, deserialize_with = "deserialize_contracts")]
    pub contracts: BTreeMap<String, Address>,
    /// Block the contracts were deployed at: event scans start here.
    #[serde(default)]
    pub deploy_block: u64,
    /// IPFS endpoints.
    #[serde(default)]
    pub ipfs: IpfsConfig,
    /// Base URL of an Assay indexer (`indexer/`, Ponder) over these contracts, if the deployment runs
    /// one: catalogue pages and search come from it, the chain stays the fallback and the judge.
    #[serde(default)]
    pub indexer_url: Option<String>,
}

/// Where models are fetched from and uploaded to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IpfsConfig {
    /// Gateways tried in order; each must speak the Trustless Gateway protocol.
    #[serde(default = "default_gateways")]
    pub gateways: Vec<String>,
    /// Kubo RPC API base (`…/api/v0`) used for uploads, if any.
    #[serde(default = "default_upload_api")]
    pub upload_api: Option<String>,
    /// IPFS Pinning Service API endpoint, if any.
    #[serde(default)]
    pub pinning_service: Option<String>,
}

fn default_chain_id() -> u64 {
    LOCAL_CHAIN_ID
}
fn default_chain_name() -> String {
    "Anvil (local)".to_owned()
}
fn default_rpc_url() -> String {
    format!("http://127.0.0.1:{}", ports::CHAIN)
}
fn default_gateways() -> Vec<String> {
    vec![format!("http://127.0.0.1:{}", ports::IPFS)]
}
fn default_upload_api() -> Option<String> {
    Some(format!("http://127.0.0.1:{}/api/v0", ports::IPFS))
}

impl Default for IpfsConfig {
    fn default() -> Self {
        Self { gateways: default_gateways(), upload_api: default_upload_api(), pinning_service: None }
    }
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            chain_id: default_chain_id(),
            chain_name: default_chain_name(),
            rpc_url: default_rpc_url(),
            explorer_url: None,
            contracts: BTreeMap::new(),
            deploy_block: 0,
            ipfs: IpfsConfig::default(),
            indexer_url: None,
        }
    }
}

/// Why a configuration file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// Not JSON, or a field has the wrong type; carries serde's message with line and column.
    #[error("config.json is not valid: {0}")]
    Malformed(String),
    /// Parsed, but a value makes no sense.
    #[error("config.json field `{field}` {problem}")]
    Invalid { field: &'static str, problem: String },
}

impl RuntimeConfig {
    /// Parses and validates the text of `config.json`.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: Self = serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Checks the values that serde cannot: URLs, a non-zero chain id, at least one gateway.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.chain_id == 0 {
            return Err(ConfigError::Invalid { field: "chainId", problem: "must not be 0".into() });
        }
        check_http_url("rpcUrl", &self.rpc_url)?;
        if let Some(url) = &self.explorer_url {
            check_http_url("explorerUrl", url)?;
        }
        if self.ipfs.gateways.is_empty() {
            return Err(ConfigError::Invalid {
                field: "ipfs.gateways",
                problem: "must list at least one gateway".into(),
            });
        }
        for gateway in &self.ipfs.gateways {
            check_http_url("ipfs.gateways", gateway)?;
        }
        if let Some(url) = &self.ipfs.upload_api {
            check_http_url("ipfs.uploadApi", url)?;
        }
        if let Some(url) = &self.ipfs.pinning_service {
            check_http_url("ipfs.pinningService", url)?;
        }
        if let Some(url) = &self.indexer_url {
            check_http_url("indexerUrl", url)?;
        }
        Ok(())
    }

    /// The address of a deployed contract by name, if the configuration has it.
    pub fn contract(&self, name: &str) -> Option<Address> {
        self.contracts.get(name).copied()
    }

    /// The block explorer's page of transaction `hash` (`{explorerUrl}/tx/0x…`), when the network
    /// has an explorer.
    pub fn transaction_url(&self, hash: &alloy_primitives::B256) -> Option<String> {
        self.explorer_url.as_ref().map(|base| format!("{}/tx/{hash}", base.trim_end_matches('/')))
    }

    /// Serialises to pretty JSON, as the task runner writes it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a RuntimeConfig always serialises")
    }
}

/// Reads the contract map, naming the contract whose address is wrong.
fn deserialize_contracts<'de, D>(deserializer: D) -> Result<BTreeMap<String, Address>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = BTreeMap::<String, String>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|(name, text)| match text.parse::<Address>() {
            Ok(address) if text.len() == 42 => Ok((name, address)),
            _ => Err(serde::de::Error::custom(format!(
                "contracts.{name} is not a 0x-prefixed 20-byte hex address: {text:?}"
            ))),
        })
        .collect()
}

fn check_http_url(field: &'static str, url: &str) -> Result<(), ConfigError> {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).ok_or_else(|| {
        ConfigError::Invalid { field, problem: format!("must be an http:// or https:// URL, got {url:?}") }
    })?;
    if rest.is_empty() || rest.starts_with('/') || rest.contains(char::is_whitespace) {
        return Err(ConfigError::Invalid { field, problem: format!("has no valid host: {url:?}") });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transactions_link_to_the_explorer_only_when_there_is_one() {
        let hash = alloy_primitives::B256::repeat_byte(0xab);
        let mut config = RuntimeConfig::default();
        assert_eq!(config.transaction_url(&hash), None);
        config.explorer_url = Some("https://explorer.example.org/".into());
        assert_eq!(
            config.transaction_url(&hash),
            Some(format!("https://explorer.example.org/tx/0x{}", "ab".repeat(32)))
        );
    }

    #[test]
    fn empty_object_gives_the_local_stack_defaults() {
        let config = RuntimeConfig::from_json("{}").unwrap();
        assert_eq!(config, RuntimeConfig::default());
        assert_eq!(config.chain_id, 31337);
        assert_eq!(config.rpc_url, "http://127.0.0.1:8545");
        assert_eq!(config.ipfs.gateways, vec!["http://127.0.0.1:5001".to_owned()]);
        assert_eq!(config.ipfs.upload_api.as_deref(), Some("http://127.0.0.1:5001/api/v0"));
    }

    #[test]
    fn full_file_round_trips() {
        let text = r#"{
            "chainId": 11155111,
            "chainName": "Sepolia",
            "rpcUrl": "https://rpc.example.org",
            "explorerUrl": "https://explorer.example.org",
            "contracts": {"AssayMarket": "0x5FbDB2315678afecb367f032d93F642f64180aa3"},
            "deployBlock": 42,
            "ipfs": {"gateways": ["https://gw.example.org"], "uploadApi": null, "pinningService": "https://pins.example.org"}
        }"#;
        let config = RuntimeConfig::from_json(text).unwrap();
        assert_eq!(config.chain_id, 11155111);
        assert_eq!(config.deploy_block, 42);
        assert_eq!(config.contract("AssayMarket").unwrap().to_string(), "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        assert_eq!(config.ipfs.upload_api, None);
        let again = RuntimeConfig::from_json(&config.to_json_pretty()).unwrap();
        assert_eq!(again, config);
    }

    #[test]
    fn malformed_json_names_the_position() {
        let err = RuntimeConfig::from_json("{\"chainId\": 1,").unwrap_err();
        assert!(matches!(err, ConfigError::Malformed(_)));
        assert!(err.to_string().contains("line 1"), "{err}");
    }

    #[test]
    fn wrong_type_names_the_field() {
        let err = RuntimeConfig::from_json(r#"{"chainId": "one"}"#).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn unknown_field_is_refused_so_typos_are_caught() {
        let err = RuntimeConfig::from_json(r#"{"rpcURL": "http://x"}"#).unwrap_err();
        assert!(err.to_string().contains("rpcURL"), "{err}");
    }

    #[test]
    fn bad_contract_address_is_refused() {
        let err = RuntimeConfig::from_json(r#"{"contracts": {"AssayMarket": "0x1234"}}"#).unwrap_err();
        assert!(err.to_string().contains("contracts.AssayMarket is not a 0x-prefixed 20-byte hex address"), "{err}");
    }

    #[test]
    fn zero_chain_id_is_refused() {
        let err = RuntimeConfig::from_json(r#"{"chainId": 0}"#).unwrap_err();
        assert_eq!(err.to_string(), "config.json field `chainId` must not be 0");
    }

    #[test]
    fn non_http_urls_are_refused() {
        for (text, field) in [
            (r#"{"rpcUrl": "ws://127.0.0.1:8545"}"#, "rpcUrl"),
            (r#"{"rpcUrl": "http://"}"#, "rpcUrl"),
            (r#"{"ipfs": {"gateways": ["ipfs.io"]}}"#, "ipfs.gateways"),
            (r#"{"ipfs": {"uploadApi": "ftp://x"}}"#, "ipfs.uploadApi"),
        ] {
            let err = RuntimeConfig::from_json(text).unwrap_err();
            assert!(err.to_string().contains(field), "{text}: {err}");
        }
    }

    #[test]
    fn the_indexer_is_optional_and_must_be_an_http_url() {
        assert_eq!(RuntimeConfig::from_json("{}").unwrap().indexer_url, None);
        let config = RuntimeConfig::from_json(r#"{"indexerUrl": "http://127.0.0.1:42069"}"#).unwrap();
        assert_eq!(config.indexer_url.as_deref(), Some("http://127.0.0.1:42069"));
        assert_eq!(RuntimeConfig::from_json(&config.to_json_pretty()).unwrap(), config);
        for bad in [r#"{"indexerUrl": "127.0.0.1:42069"}"#, r#"{"indexerUrl": "https://"}"#] {
            let err = RuntimeConfig::from_json(bad).unwrap_err();
            assert!(err.to_string().starts_with("config.json field `indexerUrl`"), "{bad}: {err}");
        }
        let err = RuntimeConfig::from_json(r#"{"indexerUrl": 5}"#).unwrap_err();
        assert!(matches!(err, ConfigError::Malformed(_)), "{err}");
    }

    #[test]
    fn no_gateway_is_refused() {
        let err = RuntimeConfig::from_json(r#"{"ipfs": {"gateways": []}}"#).unwrap_err();
        assert!(err.to_string().contains("at least one gateway"), "{err}");
    }
}
