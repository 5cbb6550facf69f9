//! The rehearsal of a public-network deployment, for the e2e suite (`e2e/tests/rehearsal.spec.ts`):
//! a second anvil that says it is Sepolia (chain 11155111), a deployer that is none of anvil's dev
//! accounts (a fresh key in a keystore made by `cast wallet new`, funded with `anvil_setBalance`),
//! and in front of the chain a JSON-RPC proxy on 127.0.0.1 (`e2e/support/flaky-rpc-server.ts`)
//! that rate-limits, is now and then unavailable and refuses wide log queries, as public endpoints
//! do. Through the proxy, `cargo xtask deploy`'s steps deploy the contracts (and a second run must
//! find them and send nothing); the catalogue is seeded; the app is published to the e2e stack's
//! IPFS node with the config.json the deployment generated, as `cargo xtask publish --network`
//! ships it. The spec then takes the buyer's journey through it at the path gateway.
//!
//! Only the proxy's 429 and 503 faults are used here, not closed connections: Foundry (`forge
//! script`, `cast`) retries the first two and gives up on the third.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use alloy_primitives::{Address, U256, hex};
use assay_core::config::RuntimeConfig;
use serde::Deserialize;
use serde_json::json;

use crate::app_build::copy_dir;
use crate::deploy::app_config::Site;
use crate::deploy::options::Options;
use crate::deploy::parameters::{Arbitration, Requested};
use crate::deploy::record::Deployment;
use crate::deploy::signer::{Key, Password};
use crate::deploy::{self, Outcome};
use crate::paths::Paths;
use crate::process::{self, Result, Service};
use crate::rpc::{Rpc, quantity};
use crate::seed::{self, Target};
use crate::stack::Stack;

/// Sepolia's chain id: the app's network preset for it (name, explorer, public endpoints) applies.
pub const CHAIN_ID: u64 = 11_155_111;

/// The proxy's faults: every 6th request rate-limited (429), every 9th unavailable (503), both
/// with `Retry-After: 1`; `eth_getLogs` over more than 50 blocks refused.
const FAULTS: [&str; 6] = ["--rate-limit-every", "6", "--unavailable-every", "9", "--max-log-span", "50"];

/// What the proxy has done (`GET /seen`), as `e2e/support/flaky-rpc.ts` counts it.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Seen {
    pub requests: u64,
    pub rate_limited: u64,
    pub unavailable: u64,
    pub dropped: u64,
    pub logs_refused: u64,
    pub batches_refused: u64,
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} requests: {} rate-limited, {} unavailable, {} dropped, {} log queries and {} batches refused",
            self.requests, self.rate_limited, self.unavailable, self.dropped, self.logs_refused, self.batches_refused
        )
    }
}

/// The rehearsal's chain: anvil serving chain [`CHAIN_ID`], the faulting proxy in front of it,
/// and the fresh deployer's keystore. Dropping it stops both processes.
pub struct Network {
    // Field order is drop order: the proxy, then the chain.
    _proxy: Service,
    _anvil: Service,
    /// anvil's port, for the seed and the test wallet (which send from its unlocked dev accounts).
    pub port: u16,
    /// anvil, directly.
    pub rpc_url: String,
    /// The proxy: what the deployment goes through and what the app reads.
    pub proxy_url: String,
    /// anvil's dev accounts, in its order.
    pub accounts: Vec<Address>,
    pub deployer: Address,
    keystore: PathBuf,
    password_file: PathBuf,
}

impl Network {
    /// Starts anvil and the proxy (logs `anvil-<label>.log`, `flaky-rpc-<label>.log`) and makes
    /// the funded deployer's keystore in `dir`.
    pub fn start(paths: &Paths, dir: &Path, label: &str) -> Result<Self> {
        let logs = paths.logs();
        std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = process::free_port()?;
        println!("Starting anvil as chain {CHAIN_ID} on 127.0.0.1:{port} (log: {}/anvil-{label}.log)", logs.display());
        let mut anvil = Service::start(
            "anvil (rehearsal)",
            &mut crate::stack::anvil_command(paths, port, CHAIN_ID),
            &logs.join(format!("anvil-{label}.log")),
        )?;
        process::wait_for_port("anvil (rehearsal)", port, &mut anvil, Duration::from_secs(30))?;
        let rpc_url = format!("http://127.0.0.1:{port}");
        let chain = Rpc { port };
        let accounts = serde_json::from_value::<Vec<Address>>(chain.call("eth_accounts", json!([]))?)
            .map_err(|e| format!("anvil's eth_accounts: {e}"))?;

        let (keystore, password_file, deployer) = new_deployer(paths, dir)?;
        if accounts.contains(&deployer) {
            return Err(format!("the new deployer {deployer} is one of anvil's dev accounts"));
        }
        let ten_ether = U256::from(10u64) * U256::from(10u64).pow(U256::from(18u64));
        chain.call("anvil_setBalance", json!([deployer, format!("{ten_ether:#x}")]))?;

        let (proxy, ready) = Service::start_with_ready_line(
            "flaky-rpc (rehearsal)",
            Command::new(paths.node22())
                .arg(paths.e2e().join("support/flaky-rpc-server.ts"))
                .args(["--target", &rpc_url])
                .args(FAULTS),
            &logs.join(format!("flaky-rpc-{label}.log")),
            Duration::from_secs(30),
        )?;
        let proxy_url = ready_url(&ready)?;
        println!("The rehearsal's RPC proxy: {proxy_url} ({})", FAULTS.join(" "));
        Ok(Self { _proxy: proxy, _anvil: anvil, port, rpc_url, proxy_url, accounts, deployer, keystore, password_file })
    }

    /// `deploy`'s options: through the proxy, with the keystore and its password file, the files
    /// into `out_dir`, and the app told `site` (its public endpoint: the proxy).
    pub fn options(&self, out_dir: &Path, site: Site) -> Options {
        Options {
            rpc_url: self.proxy_url.clone(),
            chain_id: CHAIN_ID,
            key: Key::Keystore { file: self.keystore.clone(), password: Password::File(self.password_file.clone()) },
            out_dir: Some(out_dir.to_owned()),
            force_redeploy: false,
            site: Site { public_rpc_url: Some(self.proxy_url.clone()), ..site },
        }
    }

    /// The script's parameters, except that the council that rules on reports is anvil's dev
    /// account #0 (the seed's delisting sends its ruling from an unlocked account).
    pub fn requested(&self) -> Requested {
        let mut requested = Requested::default();
        if let Arbitration::Council { account, .. } = &mut requested.arbitration {
            *account = self.accounts.first().copied();
        }
        requested
    }

    /// Deploys into `out_dir`, then deploys again: the second run must find the deployment
    /// recorded and on the chain, and send nothing (the deployer's nonce).
    pub fn deploy_twice(&self, paths: &Paths, out_dir: &Path, site: Site) -> Result<Deployment> {
        let options = self.options(out_dir, site);
        let requested = self.requested();
        let deployment = match deploy::deploy(paths, &options, &requested, out_dir)? {
            Outcome::Deployed(deployment) => deployment,
            Outcome::AlreadyDeployed(_) => {
                return Err(format!("{} already records a deployment: not a fresh rehearsal", out_dir.display()));
            }
        };
        let sent = self.nonce()?;
        match deploy::deploy(paths, &options, &requested, out_dir)? {
            Outcome::AlreadyDeployed(recorded) if recorded == deployment => {}
            Outcome::AlreadyDeployed(recorded) => {
                return Err(format!("the second deploy found another deployment than the first: {recorded:?}"));
            }
            Outcome::Deployed(_) => return Err("the second deploy deployed again instead of doing nothing".into()),
        }
        if self.nonce()? != sent {
            return Err("the second deploy sent transactions".into());
        }
        Ok(deployment)
    }

    /// The deployer's transactions so far.
    fn nonce(&self) -> Result<u64> {
        quantity(&Rpc { port: self.port }.call("eth_getTransactionCount", json!([self.deployer, "latest"]))?)
    }

    /// What the proxy has done so far.
    pub fn seen(&self) -> Result<Seen> {
        let port =
            self.proxy_url.rsplit(':').next().and_then(|p| p.parse().ok()).ok_or("the proxy's URL has no port")?;
        let answer = crate::http::get(port, "/seen")?.json()?;
        serde_json::from_value(answer).map_err(|e| format!("the proxy's /seen: {e}"))
    }
}

/// A fresh key in a keystore `dir/deployer` (`cast wallet new`), its password (random) in
/// `dir/password`; returns both files and the key's address.
fn new_deployer(paths: &Paths, dir: &Path) -> Result<(PathBuf, PathBuf, Address)> {
    let mut random = [0u8; 16];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom").map_err(|e| e.to_string())?, &mut random)
        .map_err(|e| format!("reading /dev/urandom: {e}"))?;
    let password = hex::encode(random);
    let keystore = dir.join("deployer");
    let _ = std::fs::remove_file(&keystore);
    let made = Command::new(paths.cast())
        .args(["wallet", "new"])
        .arg(dir)
        .arg("deployer")
        .env("CAST_PASSWORD", &password)
        .output()
        .map_err(|e| format!("cannot run cast: {e}"))?;
    if !made.status.success() {
        return Err(format!("cast wallet new failed: {}", String::from_utf8_lossy(&made.stderr).trim()));
    }
    let printed = String::from_utf8_lossy(&made.stdout);
    let deployer = printed
        .lines()
        .find_map(|l| l.trim().strip_prefix("Address:"))
        .and_then(|a| a.trim().parse().ok())
        .ok_or_else(|| format!("cast wallet new printed no address: {printed}"))?;
    let password_file = dir.join("password");
    std::fs::write(&password_file, format!("{password}\n")).map_err(|e| e.to_string())?;
    Ok((keystore, password_file, deployer))
}

/// The URL in the proxy's ready line, `{"ready":true,"url":"http://127.0.0.1:<port>"}`.
fn ready_url(line: &str) -> Result<String> {
    let ready: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("the RPC proxy said {line:?}, not its ready line: {e}"))?;
    match (&ready["ready"], ready["url"].as_str()) {
        (serde_json::Value::Bool(true), Some(url)) if url.starts_with("http://127.0.0.1:") => Ok(url.to_owned()),
        _ => Err(format!("the RPC proxy did not report ready on 127.0.0.1: {ready}")),
    }
}

/// The whole rehearsal, beside the e2e `stack` (whose IPFS node it publishes to and reads from).
pub struct Rehearsal {
    pub network: Network,
    /// The published app at the stack's path gateway, `…/ipfs/<cid>/`.
    pub app_url: String,
}

impl Rehearsal {
    /// Starts the network, deploys twice, seeds the catalogue and publishes the app; its files
    /// (keystore, deployments, the site) go under `scratch/rehearsal`.
    pub fn start(paths: &Paths, stack: &Stack, scratch: &Path) -> Result<Self> {
        let dir = scratch.join("rehearsal");
        let _ = std::fs::remove_dir_all(&dir);
        let network = Network::start(paths, &dir, "rehearsal")?;
        let out_dir = dir.join("deployments");
        let ipfs = stack.ipfs_url();
        let site = Site { gateways: vec![ipfs.clone()], upload_api: Some(format!("{ipfs}/api/v0")), ..Site::default() };
        let deployment = network.deploy_twice(paths, &out_dir, site)?;
        let seen = network.seen()?;
        println!("Deployed to chain {CHAIN_ID} through the proxy ({seen}); the second deploy sent nothing");

        let config_file = crate::publish::network_config(&out_dir, deployment.chain_id)?;
        let text = std::fs::read_to_string(&config_file).map_err(|e| format!("{}: {e}", config_file.display()))?;
        let config = RuntimeConfig::from_json(&text).map_err(|e| format!("{}: {e}", config_file.display()))?;
        let target = Target {
            config: &config,
            chain_port: network.port,
            ipfs_port: stack.ports.ipfs,
            accounts: network.accounts.clone(),
        };
        seed::seed_on(paths, target, 0)?;

        // As `cargo xtask publish --network` ships it: dist/, the generated config.json, the CSP.
        let site_dir = dir.join("site");
        copy_dir(&paths.dist(), &site_dir)?;
        std::fs::write(site_dir.join("config.json"), &text).map_err(|e| e.to_string())?;
        crate::csp::write_into(&site_dir, &config)?;
        let cid = stack.publish_dir(paths, &site_dir)?;
        let app_url = format!("{ipfs}/ipfs/{cid}/");
        println!("The rehearsal's app (chain {CHAIN_ID} through the proxy): {app_url}");
        Ok(Self { network, app_url })
    }

    /// The variables `tests/rehearsal.spec.ts` reads.
    pub fn env(&self) -> [(&'static str, String); 4] {
        [
            ("ASSAY_REHEARSAL_APP_URL", self.app_url.clone()),
            ("ASSAY_REHEARSAL_RPC_URL", self.network.rpc_url.clone()),
            ("ASSAY_REHEARSAL_PROXY_URL", self.network.proxy_url.clone()),
            ("ASSAY_REHEARSAL_CHAIN_ID", CHAIN_ID.to_string()),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_s_ready_line_gives_its_url() {
        assert_eq!(ready_url(r#"{"ready":true,"url":"http://127.0.0.1:41234"}"#).unwrap(), "http://127.0.0.1:41234");
        assert!(ready_url(r#"{"ready":false,"url":"http://127.0.0.1:1"}"#).unwrap_err().contains("did not report"));
        assert!(ready_url(r#"{"ready":true,"url":"http://0.0.0.0:1"}"#).unwrap_err().contains("127.0.0.1"));
        assert!(ready_url("listening").unwrap_err().contains("not its ready line"));
    }

    /// The deployment through a real proxy that faults (429 and 503) in front of a real anvil
    /// serving Sepolia's id, from a fresh keystore: verified and written, the proxy's faults met
    /// and got through, and a second run sends nothing. The config.json names the proxy first.
    #[test]
    fn a_deployment_through_a_faulting_endpoint_is_written_once() {
        let paths = Paths::discover();
        let dir = std::env::temp_dir().join(format!("assay-rehearsal-test-{}", std::process::id()));
        let network = Network::start(&paths, &dir, "rehearsal-test").expect("run `cargo xtask install` first");
        assert!(!network.accounts.contains(&network.deployer));
        let out_dir = dir.join("deployments");
        let site = Site { gateways: vec!["http://127.0.0.1:9".into()], ..Site::default() };
        let deployment = network.deploy_twice(&paths, &out_dir, site).unwrap();
        assert_eq!((deployment.chain_id, deployment.deployer), (CHAIN_ID, network.deployer));
        assert_eq!(deployment.settings.council.unwrap().account, network.accounts[0]);
        let seen = network.seen().unwrap();
        assert!(seen.rate_limited > 0 && seen.unavailable > 0, "the proxy faulted: {seen:?}");
        assert_eq!(seen.dropped, 0);

        let config_file = crate::publish::network_config(&out_dir, CHAIN_ID).unwrap();
        let config = RuntimeConfig::from_json(&std::fs::read_to_string(config_file).unwrap()).unwrap();
        assert_eq!((config.chain_id, config.chain_name.as_str()), (CHAIN_ID, "Sepolia"));
        assert_eq!(config.rpc_endpoints()[0], network.proxy_url);
        assert_eq!(config.explorer_url.as_deref(), Some("https://sepolia.etherscan.io"));
        assert_eq!(config.contract("AssayModels"), Some(deployment.contracts.models));
        drop(network);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
