//! Network presets: the public testnets and L2 testnets Assay can be deployed to, so that a
//! `config.json` can say `"network": "base-sepolia"` and get the chain id, name, currency,
//! explorer and public RPC endpoints without copying them. Any field the file sets itself wins.
//!
//! Only chains whose native currency is ether are listed: prices, fees and balances are shown in
//! ETH throughout the app. ZKsync is left out because its contracts need another compiler.

use serde::{Deserialize, Serialize};

/// The native currency, as `wallet_addEthereumChain` describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Currency {
    pub name: String,
    pub symbol: String,
    pub decimals: u8,
}

impl Default for Currency {
    fn default() -> Self {
        Currency { name: "Ether".to_owned(), symbol: "ETH".to_owned(), decimals: 18 }
    }
}

/// How an explorer lays out its pages: transactions and addresses are the same everywhere, an
/// NFT's page is not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExplorerKind {
    /// Etherscan and its family (Basescan, Arbiscan…): `/nft/<contract>/<id>`.
    #[default]
    Etherscan,
    /// Blockscout: `/token/<contract>/instance/<id>`.
    Blockscout,
}

/// A known network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// The name a `config.json` uses.
    pub key: &'static str,
    pub chain_id: u64,
    pub name: &'static str,
    /// The currency's name (its symbol is ETH, 18 decimals).
    pub currency_name: &'static str,
    pub explorer: &'static str,
    pub explorer_kind: ExplorerKind,
    /// Public endpoints, without keys; a deployment adds its own first.
    pub rpc_urls: &'static [&'static str],
}

impl Preset {
    pub fn currency(&self) -> Currency {
        Currency { name: self.currency_name.to_owned(), ..Currency::default() }
    }
}

/// Every preset, by key.
pub const PRESETS: &[Preset] = &[
    Preset {
        key: "sepolia",
        chain_id: 11_155_111,
        name: "Sepolia",
        currency_name: "Sepolia Ether",
        explorer: "https://sepolia.etherscan.io",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://ethereum-sepolia-rpc.publicnode.com", "https://sepolia.drpc.org"],
    },
    Preset {
        key: "hoodi",
        chain_id: 560_048,
        name: "Hoodi",
        currency_name: "Hoodi Ether",
        explorer: "https://hoodi.etherscan.io",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://ethereum-hoodi-rpc.publicnode.com", "https://hoodi.drpc.org"],
    },
    Preset {
        key: "base-sepolia",
        chain_id: 84_532,
        name: "Base Sepolia",
        currency_name: "Sepolia Ether",
        explorer: "https://sepolia.basescan.org",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://sepolia.base.org", "https://base-sepolia-rpc.publicnode.com"],
    },
    Preset {
        key: "optimism-sepolia",
        chain_id: 11_155_420,
        name: "OP Sepolia",
        currency_name: "Sepolia Ether",
        explorer: "https://sepolia-optimism.etherscan.io",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://sepolia.optimism.io", "https://optimism-sepolia-rpc.publicnode.com"],
    },
    Preset {
        key: "arbitrum-sepolia",
        chain_id: 421_614,
        name: "Arbitrum Sepolia",
        currency_name: "Sepolia Ether",
        explorer: "https://sepolia.arbiscan.io",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://sepolia-rollup.arbitrum.io/rpc", "https://arbitrum-sepolia-rpc.publicnode.com"],
    },
    Preset {
        key: "scroll-sepolia",
        chain_id: 534_351,
        name: "Scroll Sepolia",
        currency_name: "Sepolia Ether",
        explorer: "https://sepolia.scrollscan.com",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://sepolia-rpc.scroll.io", "https://scroll-sepolia-rpc.publicnode.com"],
    },
    Preset {
        key: "linea-sepolia",
        chain_id: 59_141,
        name: "Linea Sepolia",
        currency_name: "Linea Ether",
        explorer: "https://sepolia.lineascan.build",
        explorer_kind: ExplorerKind::Etherscan,
        rpc_urls: &["https://rpc.sepolia.linea.build", "https://linea-sepolia-rpc.publicnode.com"],
    },
];

/// The preset a `config.json` names.
pub fn preset(key: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.key == key)
}

/// The preset of a chain id, for a deployment that doesn't name one.
pub fn preset_of_chain(chain_id: u64) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.chain_id == chain_id)
}

/// The keys, for the sentence that refuses an unknown one.
pub fn preset_keys() -> String {
    PRESETS.iter().map(|p| p.key).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_unique_by_key_and_chain() {
        for (i, a) in PRESETS.iter().enumerate() {
            for b in &PRESETS[i + 1..] {
                assert_ne!(a.key, b.key);
                assert_ne!(a.chain_id, b.chain_id);
            }
        }
    }

    #[test]
    fn presets_are_well_formed() {
        for p in PRESETS {
            assert!(p.explorer.starts_with("https://") && !p.explorer.ends_with('/'), "{}", p.key);
            assert!(!p.rpc_urls.is_empty(), "{}", p.key);
            assert!(p.rpc_urls.iter().all(|u| u.starts_with("https://")), "{}", p.key);
            assert_ne!(p.chain_id, crate::config::LOCAL_CHAIN_ID);
            assert_eq!(p.currency().symbol, "ETH");
        }
    }

    #[test]
    fn presets_are_found_by_key_and_by_chain_id() {
        assert_eq!(preset("base-sepolia").unwrap().chain_id, 84_532);
        assert_eq!(preset_of_chain(11_155_111).unwrap().key, "sepolia");
        assert_eq!(preset("mainnet"), None);
        assert!(preset_keys().starts_with("sepolia, hoodi, base-sepolia"));
    }
}
