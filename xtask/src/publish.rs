//! `cargo xtask publish`: builds the release app, adds `dist/` (plus a `config.json`) to an IPFS
//! node as one UnixFS directory, and prints the root CID and the URLs it is served at.
//!
//! ```text
//! cargo xtask publish                          # the dev node (http://127.0.0.1:5001), .assay/config.json if present
//! cargo xtask publish --api https://host:5001  # any Kubo RPC endpoint (base URL, with or without /api/v0)
//! cargo xtask publish --config mainnet.json    # the runtime configuration to ship beside index.html
//! ```

use std::path::PathBuf;

use assay_core::config::{RuntimeConfig, ports};

use crate::app_build::{Pages, build_app, copy_dir};
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
}

/// Reads `--api URL` and `--config FILE`; `$ASSAY_IPFS_API` is the default API.
pub fn parse_args(args: &[String], env_api: Option<String>) -> Result<Options> {
    let mut api = env_api.unwrap_or_else(|| format!("http://127.0.0.1:{}", ports::IPFS));
    let mut config = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--api" => api = rest.next().ok_or("--api needs a URL")?.clone(),
            "--config" => config = Some(PathBuf::from(rest.next().ok_or("--config needs a file")?)),
            other => {
                return Err(format!(
                    "unknown argument {other:?}; usage: cargo xtask publish [--api URL] [--config FILE]"
                ));
            }
        }
    }
    let api = api.trim_end_matches('/').trim_end_matches("/api/v0").trim_end_matches('/').to_owned();
    if !(api.starts_with("http://") || api.starts_with("https://")) {
        return Err(format!("--api must be an http(s) URL, got {api:?}"));
    }
    Ok(Options { api, config })
}

pub fn run(paths: &Paths, args: &[String]) -> Result<()> {
    let options = parse_args(args, std::env::var("ASSAY_IPFS_API").ok())?;
    toolchain::ensure(paths, Needs::Dev)?;
    // The configuration to ship: the one named, else the dev stack's, else none (the app then
    // runs on the local defaults and says so in a banner).
    let config_file = options.config.clone().or_else(|| {
        let dev = paths.state.join("config.json");
        dev.exists().then_some(dev)
    });
    let config = match &config_file {
        Some(file) => {
            let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            RuntimeConfig::from_json(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            Some(text)
        }
        None => None,
    };
    build_app(paths, true, Pages::Published)?;
    let site = paths.state.join("publish/site");
    let _ = std::fs::remove_dir_all(&site);
    copy_dir(&paths.dist(), &site)?;
    if let Some(text) = &config {
        std::fs::write(site.join("config.json"), text).map_err(|e| e.to_string())?;
    }
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
    println!("gateway URL: {}/ipfs/{cid}/", options.api);
    println!("IPFS URI:    ipfs://{cid}/");
    println!("Pin it on a public pinning service to keep it online (see README, “Hosting on IPFS”).");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn defaults_to_the_dev_node() {
        let options = parse_args(&[], None).unwrap();
        assert_eq!(options, Options { api: "http://127.0.0.1:5001".into(), config: None });
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
}
