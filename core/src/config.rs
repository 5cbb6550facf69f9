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
use crate::network::{Currency, ExplorerKind, preset, preset_keys};

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
    /// A network preset (`assay_core::network`, e.g. `"base-sepolia"`) whose chain id, name,
    /// currency, explorer and public RPC endpoints fill the fields this file leaves out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    /// EIP-155 chain id the contracts live on.
    #[serde(default = "default_chain_id")]
    pub chain_id: u64,
    /// Human name of the chain, used when asking a wallet to add it.
    #[serde(default = "default_chain_name")]
    pub chain_name: String,
    /// JSON-RPC endpoint for reads (browsing works without a wallet).
    #[serde(default = "default_rpc_url")]
    pub rpc_url: String,
    /// More JSON-RPC endpoints, tried in order when `rpcUrl` fails or rate-limits (reads fail
    /// over to them and come back once it answers again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rpc_urls: Vec<String>,
    /// The chain's native currency, as a wallet is told when asked to add the chain.
    #[serde(default)]
    pub currency: Currency,
    /// Block explorer base URL, if the network has one.
    #[serde(default)]
    pub explorer_url: Option<String>,
    /// How the explorer lays out an NFT's page (`etherscan` or `blockscout`).
    #[serde(default)]
    pub explorer_kind: ExplorerKind,
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
            network: None,
            chain_id: default_chain_id(),
            chain_name: default_chain_name(),
            rpc_url: default_rpc_url(),
            rpc_urls: Vec::new(),
            currency: Currency::default(),
            explorer_url: None,
            explorer_kind: ExplorerKind::default(),
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
        let mut value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        apply_preset(&mut value)?;
        let config: Self = serde_json::from_value(value).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Every configured RPC endpoint, `rpcUrl` first.
    pub fn rpc_endpoints(&self) -> Vec<String> {
        let mut all = vec![self.rpc_url.clone()];
        all.extend(self.rpc_urls.iter().filter(|u| **u != self.rpc_url).cloned());
        all
    }

    /// Checks the values that serde cannot: URLs, a non-zero chain id, at least one gateway.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.chain_id == 0 {
            return Err(ConfigError::Invalid { field: "chainId", problem: "must not be 0".into() });
        }
        check_http_url("rpcUrl", &self.rpc_url)?;
        for url in &self.rpc_urls {
            check_http_url("rpcUrls", url)?;
        }
        if self.currency.symbol.is_empty() || self.currency.decimals > 36 {
            return Err(ConfigError::Invalid {
                field: "currency",
                problem: "needs a symbol and at most 36 decimals".into(),
            });
        }
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

    /// The block explorer's page of an account or contract.
    pub fn address_url(&self, address: &Address) -> Option<String> {
        self.explorer_base().map(|base| format!("{base}/address/{address}"))
    }

    /// The block explorer's page of token `id` of the ERC-721 `contract` (a model or a licence).
    pub fn token_url(&self, contract: &Address, id: alloy_primitives::U256) -> Option<String> {
        self.explorer_base().map(|base| match self.explorer_kind {
            ExplorerKind::Etherscan => format!("{base}/nft/{contract}/{id}"),
            ExplorerKind::Blockscout => format!("{base}/token/{contract}/instance/{id}"),
        })
    }

    fn explorer_base(&self) -> Option<&str> {
        self.explorer_url.as_deref().map(|base| base.trim_end_matches('/'))
    }

    /// Serialises to pretty JSON, as the task runner writes it.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a RuntimeConfig always serialises")
    }
}

/// Fills the fields a file leaves out from the preset it names, if it names one.
fn apply_preset(value: &mut serde_json::Value) -> Result<(), ConfigError> {
    let Some(object) = value.as_object_mut() else { return Ok(()) };
    let Some(key) = object.get("network") else { return Ok(()) };
    let key = key.as_str().ok_or_else(|| ConfigError::Malformed("`network` must be a string".into()))?;
    let preset = preset(key).ok_or_else(|| ConfigError::Invalid {
        field: "network",
        problem: format!("names no known network: {key:?} (known: {})", preset_keys()),
    })?;
    let urls: Vec<serde_json::Value> = preset.rpc_urls.iter().map(|u| (*u).into()).collect();
    let defaults = [
        ("chainId", preset.chain_id.into()),
        ("chainName", preset.name.into()),
        ("rpcUrl", preset.rpc_urls[0].into()),
        ("rpcUrls", urls.into()),
        ("currency", serde_json::to_value(preset.currency()).expect("a currency serialises")),
        ("explorerUrl", preset.explorer.into()),
        ("explorerKind", serde_json::to_value(preset.explorer_kind).expect("a kind serialises")),
    ];
    for (field, default) in defaults {
        object.entry(field).or_insert(default);
    }
    Ok(())
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
    fn a_preset_fills_what_the_file_leaves_out() {
        let config = RuntimeConfig::from_json(r#"{"network": "base-sepolia", "deployBlock": 7}"#).unwrap();
        assert_eq!(config.chain_id, 84_532);
        assert_eq!(config.chain_name, "Base Sepolia");
        assert_eq!(config.rpc_url, "https://sepolia.base.org");
        assert_eq!(config.rpc_endpoints(), ["https://sepolia.base.org", "https://base-sepolia-rpc.publicnode.com"]);
        assert_eq!(config.explorer_url.as_deref(), Some("https://sepolia.basescan.org"));
        assert_eq!(config.currency.symbol, "ETH");
        assert_eq!(config.deploy_block, 7);
        assert_eq!(RuntimeConfig::from_json(&config.to_json_pretty()).unwrap(), config, "round trip");
    }

    #[test]
    fn the_file_s_own_fields_win_over_the_preset() {
        let text = r#"{"network": "sepolia", "rpcUrl": "https://my-node.example/key", "rpcUrls": [],
                       "explorerUrl": "https://eth-sepolia.blockscout.com", "explorerKind": "blockscout"}"#;
        let config = RuntimeConfig::from_json(text).unwrap();
        assert_eq!(config.chain_id, 11_155_111);
        assert_eq!(config.rpc_endpoints(), ["https://my-node.example/key"]);
        let models: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3".parse().unwrap();
        assert_eq!(
            config.token_url(&models, alloy_primitives::U256::from(12)).unwrap(),
            "https://eth-sepolia.blockscout.com/token/0x5FbDB2315678afecb367f032d93F642f64180aa3/instance/12"
        );
    }

    #[test]
    fn an_unknown_preset_is_refused_with_the_known_ones() {
        let err = RuntimeConfig::from_json(r#"{"network": "goerli"}"#).unwrap_err();
        assert_eq!(
            err.to_string(),
            "config.json field `network` names no known network: \"goerli\" (known: sepolia, hoodi, base-sepolia, \
             optimism-sepolia, arbitrum-sepolia, scroll-sepolia, linea-sepolia)"
        );
        assert!(matches!(RuntimeConfig::from_json(r#"{"network": 5}"#), Err(ConfigError::Malformed(_))));
    }

    #[test]
    fn explorer_links_for_accounts_and_tokens() {
        let mut config = RuntimeConfig::default();
        let account: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().unwrap();
        assert_eq!(config.address_url(&account), None);
        config.explorer_url = Some("https://sepolia.etherscan.io/".into());
        assert_eq!(
            config.address_url(&account).unwrap(),
            "https://sepolia.etherscan.io/address/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        assert_eq!(
            config.token_url(&account, alloy_primitives::U256::from(3)).unwrap(),
            "https://sepolia.etherscan.io/nft/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266/3"
        );
    }

    #[test]
    fn fallback_endpoints_must_be_http_urls_and_are_tried_after_the_first() {
        let config =
            RuntimeConfig::from_json(r#"{"rpcUrl": "http://a:1", "rpcUrls": ["http://b:2", "http://a:1"]}"#).unwrap();
        assert_eq!(config.rpc_endpoints(), ["http://a:1", "http://b:2"]);
        let err = RuntimeConfig::from_json(r#"{"rpcUrls": ["wss://b"]}"#).unwrap_err();
        assert!(err.to_string().starts_with("config.json field `rpcUrls`"), "{err}");
    }

    #[test]
    fn no_gateway_is_refused() {
        let err = RuntimeConfig::from_json(r#"{"ipfs": {"gateways": []}}"#).unwrap_err();
        assert!(err.to_string().contains("at least one gateway"), "{err}");
    }
}
