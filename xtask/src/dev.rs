//! `cargo xtask dev`: the whole local stack, until Ctrl-C.

use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use assay_core::config::ports;

use crate::app_build::{Pages, build_app};
use crate::paths::Paths;
use crate::process::{self, Result, Service};
use crate::stack::{Ports, Stack};
use crate::static_site::StaticSite;
use crate::toolchain::{self, Needs};

/// Refuses to start a second stack, and removes its lock file when the stack stops.
struct DevLock {
    path: std::path::PathBuf,
}

impl DevLock {
    fn acquire(paths: &Paths, url: &str) -> Result<Self> {
        let path = paths.state.join("dev.lock");
        if let Ok(text) = std::fs::read_to_string(&path) {
            let mut lines = text.lines();
            let pid: Option<i32> = lines.next().and_then(|p| p.parse().ok());
            let running_url = lines.next().unwrap_or("its URL");
            if let Some(pid) = pid.filter(|pid| is_dev_process(*pid)) {
                return Err(format!(
                    "Assay's dev stack is already running (pid {pid}) at {running_url}\n\
                     Use that one, or stop it with Ctrl-C in its terminal (or `kill {pid}`) first."
                ));
            }
            // A stale lock from a stack that was killed: take it over.
        }
        std::fs::write(&path, format!("{}\n{url}\n", std::process::id())).map_err(|e| e.to_string())?;
        Ok(Self { path })
    }
}

impl Drop for DevLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn is_dev_process(pid: i32) -> bool {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|cmdline| String::from_utf8_lossy(&cmdline).contains("xtask"))
        .unwrap_or(false)
}

fn port_from_env(name: &str, default: u16) -> Result<u16> {
    match std::env::var(name) {
        Ok(value) => value.parse().map_err(|_| format!("{name}={value:?} is not a port number")),
        Err(_) => Ok(default),
    }
}

/// Starts anvil, the IPFS node, deploys, builds and serves the app, then waits for Ctrl-C.
/// `args`: `--release` builds (and rebuilds on change) the optimised app instead of a debug one;
/// `--no-build` serves the `dist/` already built (by an earlier `dev`, `test e2e` or `trunk build`)
/// without building or watching — a quick way to restart the stack, e.g. with another seed.
pub fn run(paths: &Paths, args: &[String]) -> Result<()> {
    const USAGE: &str = "usage: cargo xtask dev [--release | --no-build]";
    let (release, build) = match args {
        [] => (false, true),
        [flag] if flag == "--release" => (true, true),
        [flag] if flag == "--no-build" => (false, false),
        other => return Err(format!("unknown arguments {other:?}; {USAGE}")),
    };
    if !build && !paths.dist().join("index.html").is_file() {
        return Err(format!(
            "--no-build: there is no built app in {} yet; run `cargo xtask dev` once without it",
            paths.dist().display()
        ));
    }
    let chain = port_from_env("ASSAY_CHAIN_PORT", ports::CHAIN)?;
    let ipfs = port_from_env("ASSAY_IPFS_PORT", ports::IPFS)?;
    let app = port_from_env("ASSAY_APP_PORT", ports::APP)?;
    let url = format!("http://127.0.0.1:{app}/");
    std::fs::create_dir_all(&paths.state).map_err(|e| e.to_string())?;
    let _lock = DevLock::acquire(paths, &url)?;
    for (port, what, variable) in [
        (chain, "the chain (anvil)", "ASSAY_CHAIN_PORT"),
        (ipfs, "the IPFS node", "ASSAY_IPFS_PORT"),
        (app, "the app", "ASSAY_APP_PORT"),
    ] {
        if process::port_in_use(port) {
            return Err(format!(
                "Port {port}, wanted for {what}, is already used by another program.\n\
                 Stop that program, or choose another port: {variable}=<port> cargo xtask dev"
            ));
        }
    }

    let (stop_sender, stop) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_sender.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    toolchain::ensure(paths, Needs::Dev)?;
    let mut stack = Stack::start(paths, Ports { chain, ipfs }, &paths.state.join("ipfs-repo"), "dev")?;
    crate::seed::run(paths, &stack)?;
    let config = stack.config.to_json_pretty();
    std::fs::write(paths.state.join("config.json"), &config).map_err(|e| e.to_string())?;

    if build {
        build_app(paths, release, Pages::WithBench)?;
    }
    let site = StaticSite::start(paths.dist(), config, app)?;
    // Rebuild on change; the static server always serves the latest dist/.
    let mut watch = if build {
        // Trunk refuses to watch when a `[watch] ignore` path (Trunk.toml) is missing, and
        // `target/` is missing when CARGO_TARGET_DIR points elsewhere.
        std::fs::create_dir_all(paths.root.join("target")).map_err(|e| format!("cannot create target/: {e}"))?;
        let mut trunk_watch = Command::new(paths.cargo_bin().join("trunk"));
        trunk_watch
            .arg("watch")
            .current_dir(&paths.root)
            .env("PATH", paths.tool_path())
            .env(crate::app_wasm::FEATURES_ENV, "bench");
        if release {
            trunk_watch.arg("--release");
        }
        Some(Service::start("trunk watch", &mut trunk_watch, &paths.logs().join("trunk-watch.log"))?)
    } else {
        None
    };

    print_banner(paths, &stack, &site);
    loop {
        match stop.recv_timeout(Duration::from_millis(500)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(dead) = stack.dead_service() {
            return Err(format!("{dead}; see the logs in {}. Stopping the stack.", paths.logs().display()));
        }
        if let Some(status) = watch.as_mut().and_then(|w| w.exited()) {
            return Err(format!(
                "trunk watch exited ({status}); see {}",
                paths.logs().join("trunk-watch.log").display()
            ));
        }
    }
    println!("\nStopping: app server, trunk watch, indexer, IPFS node, anvil…");
    drop(watch);
    drop(site);
    drop(stack);
    println!("Stopped.");
    Ok(())
}

fn print_banner(paths: &Paths, stack: &Stack, site: &StaticSite) {
    let config = &stack.config;
    println!();
    println!("┏━━ Assay dev stack is up ━━");
    println!("┃ App:        {}", site.url());
    println!("┃ Chain:      {} (chain id {}, anvil)", config.rpc_url, config.chain_id);
    println!("┃ IPFS node:  {} (Kubo RPC /api/v0, gateway /ipfs/<cid>)", stack.ipfs_url());
    if let Some(indexer) = &stack.indexer {
        println!("┃ Indexer:    {} (GraphQL /graphql, REST /api/…, indexed block /status)", indexer.url());
    }
    for (name, address) in &config.contracts {
        println!("┃ {name:<11} {}", address.to_checksum(None));
    }
    println!("┃ Config:     {}", paths.state.join("config.json").display());
    println!("┃ Logs:       {}", paths.logs().display());
    println!("┃ Funded dev accounts (10000 ETH each; import a key into your wallet, chain id {}):", config.chain_id);
    for account in stack.accounts.iter().take(5) {
        let address = account
            .address
            .parse::<assay_core::eth::Address>()
            .map(|a| a.to_checksum(None))
            .unwrap_or_else(|_| account.address.clone());
        println!("┃   {address}  {}", account.private_key);
    }
    println!("┗━━ Ctrl-C stops everything.");
}
