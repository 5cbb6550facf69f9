//! The `dev` suite: runs `cargo xtask dev` as a developer would and checks what it promises —
//! the app, its config, the chain and the IPFS node are up at the printed URL; a second run is
//! refused with a clear message; Ctrl-C stops everything it started.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket;
use serde_json::json;

use crate::counts::Counts;
use crate::http;
use crate::kubo::Kubo;
use crate::paths::Paths;
use crate::process::{self, Result, detach};
use crate::rpc::{Market, Rpc};

struct Checks {
    counts: Counts,
}

impl Checks {
    fn check(&mut self, name: &str, outcome: Result<()>) {
        match outcome {
            Ok(()) => {
                self.counts.passed += 1;
                println!("test dev::{name} ... ok");
            }
            Err(why) => {
                self.counts.failed += 1;
                println!("test dev::{name} ... FAILED\n    {why}");
            }
        }
    }
}

fn ensure(condition: bool, why: impl FnOnce() -> String) -> Result<()> {
    if condition { Ok(()) } else { Err(why()) }
}

/// `model(1)`'s manifest CID is served by the IPFS node's path gateway as the digits card, naming
/// an ONNX CID whose bytes are exactly the digits model on disk.
fn first_listing_is_served(paths: &Paths, chain: &Market, ipfs: u16) -> Result<()> {
    let first = chain.view(&IAssayMarket::modelCall { modelId: assay_core::eth::U256::from(1) })?;
    let answer = http::get(ipfs, &format!("/ipfs/{}", first.manifestCid))?;
    ensure(answer.status == 200, || format!("GET /ipfs/{} → {} {}", first.manifestCid, answer.status, answer.text()))?;
    let card = answer.json()?;
    let digits = std::fs::read_to_string(paths.root.join("inference/cards/digits.json")).map_err(|e| e.to_string())?;
    let digits: serde_json::Value = serde_json::from_str(&digits).map_err(|e| e.to_string())?;
    ensure(card["name"] == digits["name"] && card["io"] == digits["io"], || {
        format!("model 1's card is not the digits card: {card:.200}")
    })?;
    let model_cid = card["model"].as_str().ok_or("the card names no model CID")?;
    let onnx = http::get(ipfs, &format!("/ipfs/{model_cid}"))?;
    let on_disk = std::fs::read(paths.tools.join("models/digits.onnx")).map_err(|e| e.to_string())?;
    ensure(onnx.status == 200 && onnx.body == on_disk, || {
        format!(
            "GET /ipfs/{model_cid} → {} with {} bytes; digits.onnx has {}",
            onnx.status,
            onnx.body.len(),
            on_disk.len()
        )
    })
}

/// Runs the dev command on free ports with its own state folder and checks it.
pub fn run(paths: &Paths) -> Result<Counts> {
    let (chain, ipfs, app) = (process::free_port()?, process::free_port()?, process::free_port()?);
    let state = paths.state.join("dev-smoke");
    let _ = std::fs::remove_dir_all(&state);
    std::fs::create_dir_all(&state).map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dev_command = || {
        let mut command = Command::new(&exe);
        // `--release` reuses the e2e suite's optimised build (same target dir): this suite checks
        // what `dev` promises, not a debug profile, and a second full wasm build costs minutes.
        command
            .args(["dev", "--release"])
            .env("ASSAY_STATE_DIR", &state)
            .env("ASSAY_CHAIN_PORT", chain.to_string())
            .env("ASSAY_IPFS_PORT", ipfs.to_string())
            .env("ASSAY_APP_PORT", app.to_string());
        command
    };
    let mut checks = Checks { counts: Counts::default() };

    println!("Starting `cargo xtask dev` on ports {chain} (chain), {ipfs} (IPFS), {app} (app)");
    let mut dev = detach(&mut dev_command())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the dev command: {e}"))?;
    let (lines_in, lines) = mpsc::channel::<String>();
    for stream in [
        Box::new(dev.stdout.take().expect("piped")) as Box<dyn Read + Send>,
        Box::new(dev.stderr.take().expect("piped")),
    ] {
        let sender = lines_in.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(|l| l.ok()) {
                println!("  | {line}");
                let _ = sender.send(line);
            }
        });
    }
    drop(lines_in);

    // Up to 15 minutes: a first run may build the app.
    let deadline = Instant::now() + Duration::from_secs(900);
    let mut banner = Vec::new();
    let mut up = false;
    while Instant::now() < deadline {
        match lines.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                let done = line.contains("Ctrl-C stops everything");
                banner.push(line);
                if done {
                    up = true;
                    break;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    checks.check("stack_comes_up_and_prints_its_banner", ensure(up, || "no banner within 15 minutes".into()));
    if !up {
        let _ = dev.kill();
        return Ok(checks.counts);
    }
    let banner = banner.join("\n");
    checks.check(
        "banner_names_the_url_and_funded_accounts",
        ensure(
            banner.contains(&format!("http://127.0.0.1:{app}/"))
                && banner.contains("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"),
            || "the banner lacks the app URL or the first dev account".into(),
        ),
    );
    checks.check(
        "app_is_served",
        http::get(app, "/").and_then(|a| {
            ensure(a.status == 200 && a.text().contains("_bg.wasm"), || {
                format!("GET / → {} {:.120}", a.status, a.text())
            })
        }),
    );
    checks.check(
        "config_points_at_the_local_chain_and_deployed_contracts",
        http::get(app, "/config.json").and_then(|a| {
            let config = RuntimeConfig::from_json(&a.text()).map_err(|e| e.to_string())?;
            ensure(
                config.chain_id == 31337
                    && config.rpc_url == format!("http://127.0.0.1:{chain}")
                    && config.contract("AssayMarket").is_some()
                    && config.ipfs.gateways == vec![format!("http://127.0.0.1:{ipfs}")],
                || format!("unexpected config: {}", a.text()),
            )
        }),
    );
    checks.check(
        "chain_answers_with_chain_id_31337",
        Rpc { port: chain }
            .call("eth_chainId", json!([]))
            .and_then(|id| ensure(id == "0x7a69", || format!("eth_chainId → {id}"))),
    );
    checks.check(
        "ipfs_node_answers",
        Kubo { port: ipfs }.version().and_then(|a| {
            ensure(a.status == 200 && a.text().contains("Version"), || format!("version → {} {}", a.status, a.text()))
        }),
    );
    checks.check(
        "it_says_what_it_seeded",
        // The four real models, the overstated copy and the delisted copy of magika, by four creators.
        ensure(
            banner
                .lines()
                .any(|l| l.starts_with("Seeded: 6 models (4 creators)") && l.contains("delisted by the council")),
            || "no \"Seeded: 6 models (4 creators)… delisted by the council\" line".into(),
        ),
    );
    let market = http::get(app, "/config.json")
        .and_then(|a| RuntimeConfig::from_json(&a.text()).map_err(|e| e.to_string()))
        .and_then(|c| c.contract("AssayMarket").ok_or_else(|| "no AssayMarket in config.json".to_owned()));
    let catalogue = market.map(|market| Market::new(chain, market));
    checks.check(
        "the_catalogue_is_seeded_with_the_real_models",
        catalogue.as_ref().map_err(Clone::clone).and_then(|c| c.model_count()).and_then(|count| {
            ensure(count >= 4, || format!("modelCount() is {count}, expected at least the 4 real models"))
        }),
    );
    checks.check(
        "the_first_listing_s_card_and_model_are_served_by_the_ipfs_gateway",
        catalogue.as_ref().map_err(Clone::clone).and_then(|c| first_listing_is_served(paths, c, ipfs)),
    );

    let second = dev_command().stdin(Stdio::null()).output().map_err(|e| e.to_string())?;
    let said = String::from_utf8_lossy(&second.stderr);
    checks.check(
        "second_run_is_refused_with_a_clear_message",
        ensure(
            !second.status.success() && said.contains("already running") && said.contains(&format!("127.0.0.1:{app}")),
            || format!("second run: {} {said}", second.status),
        ),
    );

    // SAFETY: signalling our own child.
    unsafe { libc::kill(dev.id() as libc::pid_t, libc::SIGINT) };
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut status = None;
    while Instant::now() < deadline && status.is_none() {
        status = dev.try_wait().ok().flatten();
        std::thread::sleep(Duration::from_millis(100));
    }
    checks.check(
        "ctrl_c_stops_cleanly",
        ensure(status.is_some_and(|s| s.success()), || format!("dev after SIGINT: {status:?}")),
    );
    if status.is_none() {
        let _ = dev.kill();
    }
    std::thread::sleep(Duration::from_millis(300));
    checks.check(
        "nothing_it_started_keeps_running",
        ensure(![chain, ipfs, app].iter().any(|p| process::port_in_use(*p)), || {
            "a port is still in use after Ctrl-C".into()
        }),
    );
    checks.check("lock_is_released", ensure(!state.join("dev.lock").exists(), || "dev.lock left behind".into()));
    Ok(checks.counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::{Ports, Stack};

    /// The suite's seeded-catalogue checks pass on a real, freshly seeded stack (and fail on an
    /// unseeded one), without building the app.
    #[test]
    fn the_seeded_catalogue_checks_hold_on_a_seeded_stack() {
        let paths = Paths::discover();
        let repo = std::env::temp_dir().join(format!("assay-dev-smoke-check-{}", std::process::id()));
        let ports = Ports { chain: process::free_port().unwrap(), ipfs: process::free_port().unwrap() };
        let stack = Stack::start(&paths, ports, &repo, "dev-smoke-check")
            .expect("the stack starts (run `cargo xtask install` first)");
        let chain = Market::new(ports.chain, stack.config.contract("AssayMarket").unwrap());
        assert!(first_listing_is_served(&paths, &chain, ports.ipfs).is_err(), "nothing is listed yet");
        crate::seed::seed(&paths, &stack, 0).unwrap();
        assert!(chain.model_count().unwrap() >= 4);
        first_listing_is_served(&paths, &chain, ports.ipfs).unwrap();
        drop(stack);
        let _ = std::fs::remove_dir_all(&repo);
    }
}
