//! The local stack: anvil, the Helia IPFS node, the deployed contracts, the indexer over them, and
//! the runtime configuration that points the app at them. `dev` and `test` both start it; `test`
//! on free ports with throw-away state.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use assay_core::config::{IpfsConfig, LOCAL_CHAIN_ID, RuntimeConfig};
use assay_core::eth::Address;
use serde::Deserialize;

use crate::indexer::Indexer;
use crate::kubo;
use crate::paths::Paths;
use crate::process::{self, Result, Service};

/// anvil's first dev account key: the deployer. Public knowledge; local chains only.
pub const DEPLOYER_KEY: &str = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// Ports of a stack.
#[derive(Clone, Copy, Debug)]
pub struct Ports {
    pub chain: u16,
    pub ipfs: u16,
}

/// A running chain and IPFS node with the contracts deployed and (unless asked not to) the
/// indexer following them. Dropping it stops them all.
pub struct Stack {
    // Field order is drop order: the indexer first, then the IPFS node, then the chain.
    pub indexer: Option<Indexer>,
    pub ipfs: Service,
    pub anvil: Service,
    pub ports: Ports,
    pub config: RuntimeConfig,
    pub accounts: Vec<DevAccount>,
}

/// Whether a stack runs the indexer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Indexing {
    On,
    /// Without: the e2e suite's large catalogue, whose 10,000 listings the indexer would take minutes
    /// of a core to follow while the browser specs run (the app does not read it yet).
    Off,
}

/// A funded anvil account.
#[derive(Clone, Debug)]
pub struct DevAccount {
    pub address: String,
    pub private_key: String,
}

#[derive(Deserialize)]
struct AnvilConfigOut {
    available_accounts: Vec<String>,
    private_keys: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeployOut {
    chain_id: u64,
    deploy_block: u64,
    contracts: BTreeMap<String, Address>,
}

impl Stack {
    /// Starts anvil and the IPFS node (blockstore in `ipfs_repo`), deploys the contracts, then
    /// starts the indexer (PGlite in `<state>/indexer-<label>`, emptied first: a new chain) and
    /// names it in the configuration (`indexerUrl`).
    pub fn start(paths: &Paths, ports: Ports, ipfs_repo: &Path, label: &str) -> Result<Self> {
        Self::start_with(paths, ports, ipfs_repo, label, Indexing::On)
    }

    /// As `start`, with or without the indexer.
    pub fn start_with(paths: &Paths, ports: Ports, ipfs_repo: &Path, label: &str, indexing: Indexing) -> Result<Self> {
        let logs = paths.logs();
        std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
        let anvil_out = paths.state.join(format!("anvil-{label}.json"));
        let _ = std::fs::remove_file(&anvil_out);

        println!("Starting anvil on 127.0.0.1:{} (log: {}/anvil-{label}.log)", ports.chain, logs.display());
        let mut anvil = Service::start(
            "anvil",
            anvil_command(paths, ports.chain, LOCAL_CHAIN_ID).arg("--config-out").arg(&anvil_out),
            &logs.join(format!("anvil-{label}.log")),
        )?;
        process::wait_for_port("anvil", ports.chain, &mut anvil, Duration::from_secs(30))?;

        println!("Starting the IPFS node on 127.0.0.1:{} (repo: {})", ports.ipfs, ipfs_repo.display());
        let (ipfs, _) = start_ipfs_node(paths, ports.ipfs, ipfs_repo, &logs.join(format!("ipfs-{label}.log")))?;

        let accounts = read_accounts(&anvil_out)?;
        let deployed = deploy_contracts(paths, ports.chain, label)?;
        let ipfs_url = format!("http://127.0.0.1:{}", ports.ipfs);
        let mut config = RuntimeConfig {
            chain_id: deployed.chain_id,
            chain_name: "Anvil (local)".into(),
            rpc_url: format!("http://127.0.0.1:{}", ports.chain),
            contracts: deployed.contracts,
            deploy_block: deployed.deploy_block,
            ipfs: IpfsConfig {
                gateways: vec![ipfs_url.clone()],
                upload_api: Some(format!("{ipfs_url}/api/v0")),
                pinning_service: None,
            },
            indexer_url: None,
            ..RuntimeConfig::default()
        };
        let indexer = match indexing {
            Indexing::On => {
                let folder = paths.state.join(format!("indexer-{label}"));
                let _ = std::fs::remove_dir_all(&folder);
                let log = logs.join(format!("indexer-{label}.log"));
                let indexer = Indexer::start_beside(paths, &config, &folder, &log)?;
                config.indexer_url = Some(indexer.url());
                Some(indexer)
            }
            Indexing::Off => None,
        };
        config.validate().map_err(|e| format!("generated configuration is invalid: {e}"))?;
        Ok(Self { indexer, ipfs, anvil, ports, config, accounts })
    }

    pub fn ipfs_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.ports.ipfs)
    }

    /// Adds `dir` to the IPFS node as a UnixFS directory; returns its root CID.
    pub fn publish_dir(&self, paths: &Paths, dir: &Path) -> Result<String> {
        kubo::add_dir(paths, &self.ipfs_url(), dir)
    }

    /// Whether a service has died; names it.
    pub fn dead_service(&mut self) -> Option<String> {
        let indexer = self.indexer.as_mut().map(|i| &mut i.service);
        for service in [Some(&mut self.anvil), Some(&mut self.ipfs), indexer].into_iter().flatten() {
            if let Some(status) = service.exited() {
                return Some(format!("{} exited ({status})", service.name));
            }
        }
        None
    }
}

/// Starts the IPFS node (`ipfs-node/src/main.js`, blockstore in `repo`, output to `log`) on
/// 127.0.0.1:`port` (0 = any free port) and waits for its ready line; returns it with the port it
/// listens on.
pub fn start_ipfs_node(paths: &Paths, port: u16, repo: &Path, log: &Path) -> Result<(Service, u16)> {
    let (ipfs, ready) = Service::start_with_ready_line(
        "ipfs-node",
        Command::new(paths.node22())
            .arg(paths.ipfs_node().join("src/main.js"))
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--repo"])
            .arg(repo),
        log,
        Duration::from_secs(60),
    )?;
    Ok((ipfs, ready_port(&ready)?))
}

/// The port in the IPFS node's ready line, `{"ready":true,"url":"http://127.0.0.1:<port>"}`.
fn ready_port(line: &str) -> Result<u16> {
    let ready: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("IPFS node said {line:?}, not its ready line: {e}"))?;
    if ready["ready"] != true {
        return Err(format!("IPFS node did not report ready: {ready}"));
    }
    ready["url"]
        .as_str()
        .and_then(|url| url.rsplit(':').next())
        .and_then(|port| port.parse().ok())
        .ok_or_else(|| format!("IPFS node's ready line names no port: {ready}"))
}

fn read_accounts(anvil_out: &Path) -> Result<Vec<DevAccount>> {
    // anvil writes the file as it starts listening; give it a moment if it is not there yet.
    for _ in 0..50 {
        if let Ok(text) = std::fs::read_to_string(anvil_out)
            && let Ok(out) = serde_json::from_str::<AnvilConfigOut>(&text)
        {
            return Ok(out
                .available_accounts
                .into_iter()
                .zip(out.private_keys)
                .map(|(address, private_key)| DevAccount { address, private_key })
                .collect());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("anvil did not write its accounts to {}", anvil_out.display()))
}

/// anvil on 127.0.0.1:`port` serving `chain_id`, as every chain of the task runner runs it.
pub fn anvil_command(paths: &Paths, port: u16, chain_id: u64) -> Command {
    let mut command = Command::new(paths.anvil());
    command
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .args(["--chain-id", &chain_id.to_string()])
        // 20 funded accounts: the seed and the e2e files each keep to their own.
        .args(["--accounts", "20"])
        // The state of the last 64 blocks only, in memory: by default anvil writes every older
        // block's whole state to ~/.foundry/anvil/tmp (67 GB by 78,000 seeded listings, which
        // filled the disk); nothing here reads state that old.
        .args(["--prune-history", "64"]);
    command
}

fn deploy_contracts(paths: &Paths, chain_port: u16, label: &str) -> Result<DeployOut> {
    let out: PathBuf = paths.state.join(format!("deploy-{label}.json"));
    let _ = std::fs::remove_file(&out);
    println!("Deploying the contracts (forge script script/Deploy.s.sol)");
    let log = paths.logs().join(format!("deploy-{label}.log"));
    let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let status = Command::new(paths.forge())
        .args(["script", "script/Deploy.s.sol", "--broadcast", "--rpc-url"])
        .arg(format!("http://127.0.0.1:{chain_port}"))
        .args(["--private-key", DEPLOYER_KEY])
        .env("ASSAY_DEPLOY_OUT", &out)
        .current_dir(paths.contracts())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .status()
        .map_err(|e| format!("cannot run forge: {e}"))?;
    if !status.success() {
        let tail = std::fs::read_to_string(&log).unwrap_or_default();
        let tail: Vec<&str> = tail.lines().rev().take(30).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("contract deployment failed ({status}):\n{}", tail.join("\n")));
    }
    let text = std::fs::read_to_string(&out).map_err(|e| format!("deploy wrote no {}: {e}", out.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", out.display()))
}

#[cfg(test)]
mod tests {
    use super::ready_port;

    #[test]
    fn the_ipfs_node_s_ready_line_gives_its_port() {
        assert_eq!(ready_port(r#"{"ready":true,"url":"http://127.0.0.1:41234"}"#).unwrap(), 41234);
        assert!(ready_port(r#"{"ready":false,"url":"http://127.0.0.1:1"}"#).unwrap_err().contains("did not report"));
        assert!(ready_port("listening").unwrap_err().contains("not its ready line"));
        assert!(ready_port(r#"{"ready":true}"#).unwrap_err().contains("no port"));
    }
}
