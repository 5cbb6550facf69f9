//! `cargo xtask publish`: builds the release app, adds `dist/` (plus a `config.json`) to an IPFS
//! node as one UnixFS directory, and prints the root CID and the URLs it is served at.
//!
//! ```text
//! cargo xtask publish                          # the dev node (http://127.0.0.1:5001), .assay/config.json if present
//! cargo xtask publish --api https://host:5001  # any Kubo RPC endpoint (base URL, with or without /api/v0)
//! cargo xtask publish --config mainnet.json    # the runtime configuration to ship beside index.html
//! cargo xtask publish --network 84532          # the one `cargo xtask deploy --chain-id 84532` wrote
//! ```

use std::path::{Path, PathBuf};

use assay_core::config::{RuntimeConfig, ports};

use crate::app_build::{Pages, build_app, copy_dir};
use crate::deploy::record::config_file;
use crate::kubo;
use crate::paths::Paths;
use crate::process::Result;
use crate::toolchain::{self, Needs};

/// Parsed arguments.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The node's base URL (no `/api/v0`).
    pub api: String,
    pub config: Option<PathBuf>,
    /// `--network N`: the configuration `cargo xtask deploy` wrote for chain N.
    pub network: Option<u64>,
}

const USAGE: &str = "usage: cargo xtask publish [--api URL] [--config FILE | --network CHAIN_ID]";

/// Reads `--api URL` and `--config FILE` or `--network N`; `$ASSAY_IPFS_API` is the default API.
pub fn parse_args(args: &[String], env_api: Option<String>) -> Result<Options> {
    let mut api = env_api.unwrap_or_else(|| format!("http://127.0.0.1:{}", ports::IPFS));
    let mut config = None;
    let mut network = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--api" => api = rest.next().ok_or("--api needs a URL")?.clone(),
            "--config" => config = Some(PathBuf::from(rest.next().ok_or("--config needs a file")?)),
            "--network" => {
                let text = rest.next().ok_or("--network needs a chain id")?;
                network = Some(
                    text.parse::<u64>()
                        .ok()
                        .filter(|id| *id != 0)
                        .ok_or_else(|| format!("--network takes a chain id (e.g. 84532), got {text:?}"))?,
                );
            }
            other => return Err(format!("unknown argument {other:?}; {USAGE}")),
        }
    }
    if config.is_some() && network.is_some() {
        return Err(format!("--config and --network both name a configuration; use one. {USAGE}"));
    }
    let api = api.trim_end_matches('/').trim_end_matches("/api/v0").trim_end_matches('/').to_owned();
    if !(api.starts_with("http://") || api.starts_with("https://")) {
        return Err(format!("--api must be an http(s) URL, got {api:?}"));
    }
    Ok(Options { api, config, network })
}

/// The configuration `cargo xtask deploy` wrote for chain `network` into `deployments`, or why
/// there is none.
pub fn network_config(deployments: &Path, network: u64) -> Result<PathBuf> {
    let file = config_file(deployments, network);
    if file.is_file() {
        return Ok(file);
    }
    Err(format!(
        "no configuration for chain {network}: {} does not exist. Deploy the contracts there first: \
         cargo xtask deploy --rpc-url URL --chain-id {network} --keystore FILE",
        file.display()
    ))
}

pub fn run(paths: &Paths, args: &[String]) -> Result<()> {
    let options = parse_args(args, std::env::var("ASSAY_IPFS_API").ok())?;
    let deployed = options.network.map(|n| network_config(&paths.root.join("deployments"), n)).transpose()?;
    toolchain::ensure(paths, Needs::Dev)?;
    // The configuration to ship: the one named (or deployed for --network), else the dev stack's,
    // else none (the app then runs on the local defaults and says so in a banner).
    let config_file = options.config.clone().or(deployed).or_else(|| {
        let dev = paths.state.join("config.json");
        dev.exists().then_some(dev)
    });
    let config = match &config_file {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            let parsed = RuntimeConfig::from_json(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            Some((text, parsed))
        }
        None => None,
    };
    build_app(paths, true, Pages::Published)?;
    let site = paths.state.join("publish/site");
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&paths.dist(), &site)?;
    if let Some((text, _)) = &config {
        std::fs::write(site.join("config.json"), text).map_err(|e| e.to_string())?;
    }
    let runtime = config.as_ref().map(|(_, parsed)| parsed.clone()).unwrap_or_default();
    crate::csp::write_into(&site, &runtime)?;
    println!("Adding {} to the IPFS node at {}", site.display(), options.api);
    let cid = kubo::add_dir(paths, &options.api, &site).map_err(|e| {
        format!("{e}. Is an IPFS node running there? Start `cargo xtask dev`, or pass --api <Kubo RPC URL>")
    })?;
    println!();
    match &config_file {
        Some(file) => println!("config.json: {}", file.display()),
        None => println!("config.json: none (the app will use the local-stack defaults; pass --config FILE)"),
    }
    println!("root CID:    {cid}");
    for (label, url) in addresses(&options.api, &cid) {
        println!("{label:<12} {url}");
    }
    println!("Pin it on a public pinning service to keep it online (see README, “Hosting on IPFS”).");
    Ok(())
}

/// Where the published app can be opened, its own origin first: subdomain gateways (the node's,
/// then the public dweb.link), then the path gateway, whose origin is shared with every other site
/// on it (README, "A shared origin"), then the IPFS URI.
pub fn addresses(api: &str, cid: &str) -> Vec<(&'static str, String)> {
    let mut list = Vec::new();
    if let Some(url) = assay_core::hosting::subdomain_url(api, "ipfs", cid, "") {
        list.push(("own origin:", url));
    }
    if let Some(url) = assay_core::hosting::subdomain_url("https://ipfs.io", "ipfs", cid, "") {
        list.push(("public:", url));
    }
    list.push(("shared:", format!("{api}/ipfs/{cid}/ (a path gateway: its origin is shared with other sites)")));
    list.push(("IPFS URI:", format!("ipfs://{cid}/")));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_origin_address_comes_first() {
        let cid = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
        let list = addresses("http://127.0.0.1:5001", cid);
        assert_eq!(list[0], ("own origin:", format!("http://{cid}.ipfs.localhost:5001/")));
        assert_eq!(list[1], ("public:", format!("https://{cid}.ipfs.dweb.link/")));
        assert!(list[2].1.starts_with(&format!("http://127.0.0.1:5001/ipfs/{cid}/")));
        assert_eq!(list[3].1, format!("ipfs://{cid}/"));
    }

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_to_the_dev_node() {
        let options = parse_args(&[], None).unwrap();
        assert_eq!(options, Options { api: "http://127.0.0.1:5001".into(), config: None, network: None });
    }

    #[test]
    fn api_is_normalised_to_the_base_url() {
        for given in ["http://h:5001", "http://h:5001/", "http://h:5001/api/v0", "http://h:5001/api/v0/"] {
            assert_eq!(parse_args(&args(&["--api", given]), None).unwrap().api, "http://h:5001", "{given}");
        }
        assert_eq!(parse_args(&[], Some("https://node.example/api/v0".into())).unwrap().api, "https://node.example");
    }

    #[test]
    fn bad_arguments_are_refused_with_the_usage() {
        assert!(parse_args(&args(&["--api"]), None).unwrap_err().contains("needs a URL"));
        assert!(parse_args(&args(&["--nope"]), None).unwrap_err().contains("usage"));
        assert!(parse_args(&args(&["--api", "ftp://x"]), None).unwrap_err().contains("http"));
        let options = parse_args(&args(&["--config", "net.json"]), None).unwrap();
        assert_eq!(options.config, Some(PathBuf::from("net.json")));
    }

    #[test]
    fn network_names_the_configuration_deploy_wrote() {
        assert_eq!(parse_args(&args(&["--network", "84532"]), None).unwrap().network, Some(84532));
        assert!(parse_args(&args(&["--network", "base"]), None).unwrap_err().contains("takes a chain id"));
        assert!(parse_args(&args(&["--network"]), None).unwrap_err().contains("needs a chain id"));
        let both = parse_args(&args(&["--network", "1", "--config", "c.json"]), None).unwrap_err();
        assert!(both.starts_with("--config and --network both"), "{both}");

        let deployments = std::env::temp_dir().join(format!("assay-publish-network-{}", std::process::id()));
        let error = network_config(&deployments, 84532).unwrap_err();
        assert!(error.starts_with("no configuration for chain 84532:"), "{error}");
        assert!(error.contains("cargo xtask deploy --rpc-url URL --chain-id 84532"), "{error}");
        std::fs::create_dir_all(&deployments).unwrap();
        std::fs::write(deployments.join("84532.config.json"), "{}").unwrap();
        assert_eq!(network_config(&deployments, 84532).unwrap(), deployments.join("84532.config.json"));
        std::fs::remove_dir_all(&deployments).unwrap();
    }
}
