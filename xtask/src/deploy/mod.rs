//! `cargo xtask deploy`: the contracts on any chain, through `forge script script/Deploy.s.sol`.
//!
//! Each step stops with a sentence, and nothing is sent unless every check before it passed:
//! the RPC answers; it serves `--chain-id`; `deployments/<chainId>.json`, if there, names contracts
//! that have code (then nothing is done) or `--force-redeploy` was given; the key opens (a wrong
//! keystore password is refused here) and holds funds. Then the script broadcasts, the contracts
//! are read back (code, settings, how they name each other) and only then are
//! `deployments/<chainId>.json` and `deployments/<chainId>.config.json` written.
//!
//! `options` (arguments), `parameters` (the script's environment, the settings and their
//! comparison), `signer` (keystore, password, CI key), `endpoint` (JSON-RPC to any URL),
//! `readback` (the contracts' views), `record` (the files), `app_config` (the app's `config.json`).

pub mod app_config;
pub mod endpoint;
pub mod options;
pub mod parameters;
pub mod readback;
pub mod record;
pub mod signer;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use alloy_primitives::{Address, U256};

use self::endpoint::Endpoint;
use self::options::{HELP, Options, parse_args};
use self::parameters::{Arbitration, Requested, differences};
use self::record::{Deployment, ScriptOutput, config_file, record_file, write_whole};
use crate::paths::Paths;
use crate::process::{Result, output_of, run_teed};
use crate::toolchain;

/// What a run did.
#[derive(Debug)]
pub enum Outcome {
    /// Deployed, verified and written.
    Deployed(Deployment),
    /// The recorded deployment is on the chain: nothing was sent or written.
    AlreadyDeployed(Deployment),
}

pub fn run(paths: &Paths, args: &[String]) -> Result<()> {
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{HELP}");
        return Ok(());
    }
    let options = parse_args(args, std::env::var("ASSAY_DEPLOYER_PRIVATE_KEY").ok())?;
    let requested = Requested::from_env(|name| std::env::var(name).ok())?;
    toolchain::ensure_contracts(paths)?;
    let out_dir = options.out_dir.clone().unwrap_or_else(|| paths.root.join("deployments"));
    match deploy(paths, &options, &requested, &out_dir)? {
        Outcome::AlreadyDeployed(recorded) => {
            println!(
                "already deployed at {} (block {}); nothing changed",
                named_addresses(&recorded),
                recorded.deploy_block
            );
        }
        Outcome::Deployed(deployment) => {
            println!("\nDeployed and verified on chain {}: {}", deployment.chain_id, named_addresses(&deployment));
            println!("  record:      {}", record_file(&out_dir, deployment.chain_id).display());
            println!("  config.json: {}", config_file(&out_dir, deployment.chain_id).display());
            println!(
                "Publish the app for it: cargo xtask publish --network {} --api <Kubo RPC URL>",
                deployment.chain_id
            );
        }
    }
    Ok(())
}

fn named_addresses(deployment: &Deployment) -> String {
    deployment
        .contracts
        .named()
        .iter()
        .map(|(name, address)| format!("{name} {address}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The steps (see the module's documentation), writing into `out_dir`.
pub fn deploy(paths: &Paths, options: &Options, requested: &Requested, out_dir: &Path) -> Result<Outcome> {
    let url = &options.rpc_url;
    let endpoint = Endpoint::new(paths, url);
    let chain_id =
        endpoint.chain_id().map_err(|e| format!("cannot reach the RPC at {url}: {e}; nothing was deployed"))?;
    if chain_id != options.chain_id {
        return Err(format!(
            "the RPC at {url} serves chain {chain_id}, not --chain-id {}; nothing was deployed",
            options.chain_id
        ));
    }

    let record = record_file(out_dir, chain_id);
    if let Some(recorded) = Deployment::read(&record)? {
        if recorded.chain_id != chain_id {
            return Err(format!("{} records chain {}, not {chain_id}", record.display(), recorded.chain_id));
        }
        let missing = readback::missing_code(&endpoint, &recorded.contracts)?;
        let conflicts = requested.conflicts(&recorded.settings);
        match (missing.is_empty(), options.force_redeploy) {
            (true, false) if conflicts.is_empty() => return Ok(Outcome::AlreadyDeployed(recorded)),
            (true, false) => {
                return Err(format!(
                    "{} records a deployment with other parameters ({}); nothing was deployed. \
                     Pass --force-redeploy to deploy new contracts with these",
                    record.display(),
                    conflicts.join("; ")
                ));
            }
            (false, false) => {
                let listed: Vec<String> =
                    missing.iter().map(|(name, address)| format!("{name} at {address}")).collect();
                return Err(format!(
                    "{} names contracts that have no code on chain {chain_id} ({}): the chain was reset or the \
                     file is stale. Nothing was deployed; pass --force-redeploy to deploy anew (the file is replaced)",
                    record.display(),
                    listed.join(", ")
                ));
            }
            (_, true) => println!("--force-redeploy: deploying new contracts; {} will be replaced", record.display()),
        }
    }

    let key = options.key.clone().unlocked()?;
    let deployer = key.address(paths).map_err(|e| format!("{e}; nothing was deployed"))?;
    if endpoint.balance(deployer)? == U256::ZERO {
        return Err(format!("the deployer {deployer} has no funds on chain {chain_id}; nothing was deployed"));
    }
    println!("Deploying to chain {chain_id} from {deployer} (forge script script/Deploy.s.sol)");
    // One file a run, even for runs side by side in one process (the tests).
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let script_out = paths.state.join(format!("deploy-{chain_id}-{}-{run}.json", std::process::id()));
    let _ = std::fs::remove_file(&script_out);
    run_script(paths, &endpoint, &key, deployer, requested, &script_out)?;
    let output = ScriptOutput::read(&script_out)?;
    let _ = std::fs::remove_file(&script_out);
    if output.chain_id != chain_id {
        return Err(format!("the deploy script reports chain {}, not {chain_id}", output.chain_id));
    }

    let contracts = output.contracts;
    let unverified = |problems: Vec<String>| {
        format!(
            "the contracts were sent but do not read back as asked, so {} was not written: {}",
            record.display(),
            problems.join("; ")
        )
    };
    let missing = readback::missing_code(&endpoint, &contracts)?;
    if !missing.is_empty() {
        return Err(unverified(
            missing.iter().map(|(name, address)| format!("{name} at {address} has no code")).collect(),
        ));
    }
    let on_chain = readback::read(&endpoint, &contracts, matches!(requested.arbitration, Arbitration::Council { .. }))?;
    let expected = requested.expected(deployer, contracts.arbitrator);
    let mut problems = differences(&expected, &on_chain.settings);
    problems.extend(readback::link_differences(&contracts, &on_chain.links));
    if !problems.is_empty() {
        return Err(unverified(problems));
    }

    let (commit, contracts_modified) = commit_of(&paths.root);
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or_default();
    let deployment = Deployment {
        chain_id,
        deploy_block: output.deploy_block,
        contracts,
        settings: on_chain.settings,
        deployer,
        commit,
        contracts_modified,
        deployed_at: assay_core::units::rfc3339_utc(now),
    };
    let config = app_config::runtime_config(&deployment, url, &options.site)?;
    // The config first: a record on disk always has its config beside it.
    write_whole(&config_file(out_dir, chain_id), &(config.to_json_pretty() + "\n"))?;
    write_whole(&record, &deployment.to_json_pretty())?;
    Ok(Outcome::Deployed(deployment))
}

/// `forge script script/Deploy.s.sol --broadcast` in `contracts/`, its output shown and the
/// script's JSON written to `script_out`; a failure says whether anything was sent (the
/// deployer's nonce).
fn run_script(
    paths: &Paths,
    endpoint: &Endpoint,
    key: &signer::Key,
    deployer: Address,
    requested: &Requested,
    script_out: &PathBuf,
) -> Result<()> {
    let nonce_before = endpoint.nonce(deployer)?;
    let mut command = Command::new(paths.forge());
    command
        .args(["script", "script/Deploy.s.sol", "--broadcast", "--slow", "--non-interactive", "--sender"])
        .arg(deployer.to_string())
        .envs(endpoint::rpc_url_env(&endpoint.url))
        .env("ASSAY_DEPLOY_OUT", script_out)
        .current_dir(paths.contracts());
    for (name, value) in requested.forge_env() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let handover = key.pass_to(&mut command)?;
    let (status, output) = run_teed(&mut command)?;
    drop(handover);
    if status.success() {
        return Ok(());
    }
    let said = output
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("Error: "))
        .unwrap_or("see its output above")
        .to_owned();
    let sent = endpoint.nonce(deployer).map(|now| now.saturating_sub(nonce_before));
    Err(match sent {
        Ok(0) => format!("forge script failed ({status}): {said}; nothing was deployed"),
        Ok(sent) => format!(
            "forge script failed ({status}) after sending {sent} transaction(s): {said}; they are listed in {}",
            paths.contracts().join("broadcast/Deploy.s.sol").display()
        ),
        Err(e) => format!("forge script failed ({status}): {said}; whether it sent anything is unknown ({e})"),
    })
}

/// `git rev-parse HEAD`, and whether `contracts/` has changes beside it.
fn commit_of(root: &Path) -> (String, bool) {
    let git = |args: &[&str]| output_of(Command::new("git").arg("-C").arg(root).args(args));
    let commit = git(&["rev-parse", "HEAD"]).map(|c| c.trim().to_owned()).unwrap_or_else(|| "unknown".to_owned());
    let modified = git(&["status", "--porcelain", "--", "contracts/src", "contracts/script", "contracts/foundry.toml"])
        .is_none_or(|changes| !changes.trim().is_empty());
    (commit, modified)
}
