//! The app's `config.json` for a deployment (`deployments/<chainId>.config.json`, which
//! `cargo xtask publish --network <chainId>` ships): the chain, its RPC endpoint and explorer,
//! the contracts and their deploy block, the IPFS gateways.

use assay_core::config::{IpfsConfig, RuntimeConfig};
use assay_core::network::preset_of_chain;

use super::record::Deployment;
use crate::process::Result;

/// Gateways the app reads models from when none are named: public, CORS-enabled, and they speak
/// the Trustless Gateway protocol.
pub const DEFAULT_GATEWAYS: [&str; 2] = ["https://trustless-gateway.link", "https://ipfs.io"];

/// What the app is told beyond the deployment itself (`deploy`'s flags).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Site {
    /// `--chain-name`; default: the network preset's name, else "Chain <id>".
    pub chain_name: Option<String>,
    /// `--explorer-url`; default: the network preset's explorer, else none.
    pub explorer_url: Option<String>,
    /// `--public-rpc-url`: the RPC endpoint browsers use; default: the network preset's public
    /// ones, else the one deployed through (which must then carry no secret such as an API key:
    /// `config.json` is public).
    pub public_rpc_url: Option<String>,
    /// `--gateway` (repeatable); default: [`DEFAULT_GATEWAYS`].
    pub gateways: Vec<String>,
    /// `--upload-api`: a Kubo RPC API (`…/api/v0`) for uploads; default none.
    pub upload_api: Option<String>,
    /// `--indexer-url`: an indexer over these contracts; default none.
    pub indexer_url: Option<String>,
}

/// The configuration for `deployment`, validated as the app validates it. A chain with a preset
/// (`assay_core::network`) gets its name, currency, explorer and public RPC endpoints; any other
/// is read through `rpc_url` (the one deployed through) unless `site` names a public endpoint.
pub fn runtime_config(deployment: &Deployment, rpc_url: &str, site: &Site) -> Result<RuntimeConfig> {
    let preset = preset_of_chain(deployment.chain_id);
    let gateways = if site.gateways.is_empty() {
        DEFAULT_GATEWAYS.iter().map(|g| g.to_string()).collect()
    } else {
        site.gateways.clone()
    };
    let public_rpc_urls: Vec<String> =
        preset.map(|p| p.rpc_urls.iter().map(|u| u.to_string()).collect()).unwrap_or_default();
    let config = RuntimeConfig {
        network: preset.map(|p| p.key.to_owned()),
        chain_id: deployment.chain_id,
        chain_name: site
            .chain_name
            .clone()
            .or_else(|| preset.map(|p| p.name.to_owned()))
            .unwrap_or_else(|| format!("Chain {}", deployment.chain_id)),
        rpc_url: site
            .public_rpc_url
            .clone()
            .or_else(|| public_rpc_urls.first().cloned())
            .unwrap_or_else(|| rpc_url.to_owned()),
        rpc_urls: public_rpc_urls,
        currency: preset.map(|p| p.currency()).unwrap_or_default(),
        explorer_url: site.explorer_url.clone().or_else(|| preset.map(|p| p.explorer.to_owned())),
        explorer_kind: preset.map(|p| p.explorer_kind).unwrap_or_default(),
        contracts: deployment.contracts.to_map(),
        deploy_block: deployment.deploy_block,
        ipfs: IpfsConfig {
            gateways: gateways.iter().map(|g| g.trim_end_matches('/').to_owned()).collect(),
            upload_api: site.upload_api.clone(),
            pinning_service: None,
        },
        indexer_url: site.indexer_url.clone(),
    };
    // As the app will read it: the written text, parsed and validated.
    RuntimeConfig::from_json(&config.to_json_pretty()).map_err(|e| format!("the generated configuration: {e}"))
}

#[cfg(test)]
mod tests {
    use alloy_primitives::Address;

    use super::*;
    use crate::deploy::parameters::Requested;
    use crate::deploy::record::Contracts;

    fn deployment(chain_id: u64) -> Deployment {
        Deployment {
            chain_id,
            deploy_block: 123,
            contracts: Contracts {
                market: Address::repeat_byte(1),
                models: Address::repeat_byte(2),
                moderation: Address::repeat_byte(3),
                arbitrator: Address::repeat_byte(4),
                evaluations: Address::repeat_byte(5),
            },
            settings: Requested::default().expected(Address::repeat_byte(9), Address::repeat_byte(4)),
            deployer: Address::repeat_byte(9),
            commit: "abc".into(),
            contracts_modified: false,
            deployed_at: "2026-12-25T12:00:00Z".into(),
        }
    }

    #[test]
    fn a_preset_network_gets_its_name_explorer_public_endpoints_and_the_public_gateways() {
        let config = runtime_config(&deployment(84532), "https://key.example/secret", &Site::default()).unwrap();
        assert_eq!(config.network.as_deref(), Some("base-sepolia"));
        assert_eq!(config.chain_id, 84532);
        assert_eq!(config.chain_name, "Base Sepolia");
        assert_eq!(config.explorer_url.as_deref(), Some("https://sepolia.basescan.org"));
        assert_eq!(config.rpc_url, "https://sepolia.base.org", "the deploy endpoint (maybe keyed) is not published");
        assert!(!config.rpc_endpoints().iter().any(|u| u.contains("secret")));
        assert_eq!(config.deploy_block, 123);
        assert_eq!(config.contract("AssayEvaluations"), Some(Address::repeat_byte(5)));
        assert_eq!(config.contracts.len(), 5);
        assert_eq!(config.ipfs.gateways, DEFAULT_GATEWAYS);
        assert_eq!((config.ipfs.upload_api, config.indexer_url), (None, None));
    }

    #[test]
    fn flags_name_what_the_app_is_told() {
        let site = Site {
            chain_name: Some("Team L2".into()),
            explorer_url: Some("https://scan.team.example".into()),
            public_rpc_url: Some("https://rpc.team.example".into()),
            gateways: vec!["https://gw.team.example/".into()],
            upload_api: Some("https://ipfs.team.example/api/v0".into()),
            indexer_url: Some("https://index.team.example".into()),
        };
        let config = runtime_config(&deployment(424242), "https://secret-key.example", &site).unwrap();
        assert_eq!(config.network, None);
        assert_eq!(config.chain_name, "Team L2");
        assert_eq!(config.rpc_url, "https://rpc.team.example");
        assert_eq!(config.explorer_url.as_deref(), Some("https://scan.team.example"));
        assert_eq!(config.ipfs.gateways, ["https://gw.team.example"]);
        assert_eq!(config.ipfs.upload_api.as_deref(), Some("https://ipfs.team.example/api/v0"));
        assert_eq!(config.indexer_url.as_deref(), Some("https://index.team.example"));
    }

    #[test]
    fn an_unknown_network_is_named_by_its_id_and_read_through_the_deploy_endpoint() {
        let config = runtime_config(&deployment(424242), "http://10.0.0.5:8545", &Site::default()).unwrap();
        assert_eq!(config.chain_name, "Chain 424242");
        assert_eq!(config.rpc_endpoints(), ["http://10.0.0.5:8545"]);
        assert_eq!(config.explorer_url, None);
    }

    #[test]
    fn an_invalid_configuration_is_refused_naming_the_field() {
        let site = Site { gateways: vec!["ipfs.io".into()], ..Site::default() };
        let error = runtime_config(&deployment(424242), "https://rpc.example", &site).unwrap_err();
        assert!(error.contains("ipfs.gateways"), "{error}");
        let error = runtime_config(&deployment(424242), "ws://rpc.example", &Site::default()).unwrap_err();
        assert!(error.contains("rpcUrl"), "{error}");
    }
}
