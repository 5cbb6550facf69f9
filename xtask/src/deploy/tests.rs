//! `cargo xtask deploy` against a real anvil that says it is a public network (chain 11155111,
//! Sepolia, 84532, Base Sepolia, or 424242, no preset), the deployer a fresh key in a keystore made
//! by `cast wallet new` and funded by `anvil_setBalance` (or CI's raw key): a deployment is verified
//! and written, a second one sends nothing; a wrong password, an unreachable RPC, a chain-id
//! mismatch and a stale record each stop with a sentence, having sent nothing (the deployer's
//! nonce) and written nothing. One anvil a test; the tests run side by side.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use alloy_primitives::{Address, Bytes, U256};
use assay_core::config::RuntimeConfig;
use assay_core::contracts::{IAssayEvaluations, IAssayMarket};
use serde_json::json;

use super::app_config::Site;
use super::endpoint::Endpoint;
use super::options::Options;
use super::parameters::{Arbitration, Requested};
use super::record::{Deployment, config_file, record_file};
use super::signer::{Key, Password, Secret};
use super::{Outcome, deploy};
use crate::paths::Paths;
use crate::process::{Service, free_port, wait_for_port};

const SEPOLIA: u64 = 11_155_111;
const BASE_SEPOLIA: u64 = 84_532;
const PASSWORD: &str = "correct horse battery staple";

/// An anvil serving `chain_id`, a scratch folder, and a funded deployer in a keystore there.
struct Network {
    paths: Paths,
    url: String,
    endpoint: Endpoint,
    dir: PathBuf,
    keystore: PathBuf,
    deployer: Address,
    // Last: stopped when the test ends.
    _anvil: Service,
}

impl Network {
    fn start(label: &str, chain_id: u64) -> Self {
        let paths = Paths::discover();
        let dir = std::env::temp_dir().join(format!("assay-deploy-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port().unwrap();
        let mut anvil = Service::start(
            "anvil",
            Command::new(paths.anvil())
                .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                .args(["--chain-id", &chain_id.to_string()]),
            &dir.join("anvil.log"),
        )
        .expect("anvil starts (run `cargo xtask install` first)");
        wait_for_port("anvil", port, &mut anvil, Duration::from_secs(30)).unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let endpoint = Endpoint::new(&paths, &url);

        let made = Command::new(paths.cast())
            .args(["wallet", "new"])
            .arg(&dir)
            .arg("deployer")
            .env("CAST_PASSWORD", PASSWORD)
            .output()
            .unwrap();
        assert!(made.status.success(), "cast wallet new: {}", String::from_utf8_lossy(&made.stderr));
        let printed = String::from_utf8_lossy(&made.stdout);
        let deployer: Address = printed
            .lines()
            .find_map(|l| l.trim().strip_prefix("Address:"))
            .and_then(|a| a.trim().parse().ok())
            .unwrap_or_else(|| panic!("cast wallet new printed no address: {printed}"));
        let hundred_ether = format!("{:#x}", U256::from(100u64) * U256::from(10u64).pow(U256::from(18u64)));
        endpoint.call("anvil_setBalance", json!([deployer, hundred_ether])).unwrap();
        std::fs::write(dir.join("password"), format!("{PASSWORD}\n")).unwrap();
        Self { paths, url, endpoint, keystore: dir.join("deployer"), deployer, dir, _anvil: anvil }
    }

    fn out_dir(&self) -> PathBuf {
        self.dir.join("deployments")
    }

    fn options(&self, chain_id: u64, password: Password) -> Options {
        Options {
            rpc_url: self.url.clone(),
            chain_id,
            key: Key::Keystore { file: self.keystore.clone(), password },
            out_dir: Some(self.out_dir()),
            force_redeploy: false,
            site: Site::default(),
        }
    }

    fn password_file(&self) -> Password {
        Password::File(self.dir.join("password"))
    }

    fn deploy(&self, options: &Options, requested: &Requested) -> Result<Outcome, String> {
        deploy(&self.paths, options, requested, &self.out_dir())
    }

    fn nonce(&self) -> u64 {
        self.endpoint.nonce(self.deployer).unwrap()
    }

    /// The files in the out folder.
    fn written(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.out_dir()) else { return Vec::new() };
        let mut names: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    fn remove(self) {
        let dir = self.dir.clone();
        drop(self);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

fn read_json(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Parameters unlike the script's defaults, so the read-back proves each reached the contracts.
fn unusual() -> Requested {
    Requested {
        fee_bps: 120,
        treasury: Some(Address::repeat_byte(0x71)),
        delivery_window: 86_400,
        challenge_period: 3_600,
        flag_stake: U256::from(3_000_000u64),
        response_window: 7_200,
        fee_cap: U256::from(1_000_000u64),
        arbitration: Arbitration::Council { account: Some(Address::repeat_byte(0xc0)), cost: U256::from(777u64) },
        arbitrator_extra_data: Bytes::from(vec![0xab, 0xcd]),
        meta_evidence: Some("ipfs://bafkreimetaevidence".into()),
    }
}

#[test]
fn a_deployment_is_verified_and_written_and_a_second_one_sends_nothing() {
    let network = Network::start("deploys", SEPOLIA);
    let options = network.options(SEPOLIA, network.password_file());
    let requested = unusual();

    let Outcome::Deployed(deployment) = network.deploy(&options, &requested).unwrap() else {
        panic!("a first deployment deploys")
    };
    assert_eq!(deployment.chain_id, SEPOLIA);
    assert_eq!(deployment.deployer, network.deployer);
    assert_eq!(deployment.settings, requested.expected(network.deployer, deployment.contracts.arbitrator));
    assert_eq!(deployment.settings.treasury, Address::repeat_byte(0x71));
    assert_eq!(deployment.settings.council.as_ref().unwrap().account, Address::repeat_byte(0xc0));
    assert_eq!(deployment.commit.len(), 40, "a full commit hash: {}", deployment.commit);
    // Beside the module's own read-back: the chain, asked directly.
    for (name, address) in deployment.contracts.named() {
        assert!(!network.endpoint.code(address).unwrap().is_empty(), "{name} has code");
    }
    let market = deployment.contracts.market;
    assert_eq!(network.endpoint.view(market, &IAssayMarket::protocolFeeBpsCall {}).unwrap(), 120);
    assert_eq!(network.endpoint.view(market, &IAssayMarket::challengePeriodCall {}).unwrap(), 3_600);
    let evaluations_market = network.endpoint.view(deployment.contracts.evaluations, &IAssayEvaluations::marketCall {});
    assert_eq!(evaluations_market.unwrap(), market);

    assert_eq!(network.written(), ["11155111.config.json", "11155111.json"]);
    let record_text = read_json(&record_file(&network.out_dir(), SEPOLIA));
    assert_eq!(serde_json::from_str::<Deployment>(&record_text).unwrap(), deployment);
    let config = RuntimeConfig::from_json(&read_json(&config_file(&network.out_dir(), SEPOLIA))).unwrap();
    assert_eq!(config.chain_id, SEPOLIA);
    assert_eq!(config.network.as_deref(), Some("sepolia"));
    assert_eq!(config.chain_name, "Sepolia");
    assert_eq!(config.contracts, deployment.contracts.to_map());
    assert_eq!(config.deploy_block, deployment.deploy_block);
    assert!(
        deployment.deploy_block
            <= network.endpoint.call("eth_blockNumber", json!([])).map(|b| crate::rpc::quantity(&b).unwrap()).unwrap()
    );

    let sent = network.nonce();
    assert!(sent >= 4, "the arbitrator, market, moderation and evaluations were sent: nonce {sent}");
    let Outcome::AlreadyDeployed(recorded) = network.deploy(&options, &requested).unwrap() else {
        panic!("the second deployment must do nothing")
    };
    assert_eq!(recorded, deployment);
    assert_eq!(network.nonce(), sent, "nothing was sent the second time");
    assert_eq!(read_json(&record_file(&network.out_dir(), SEPOLIA)), record_text, "the record is untouched");

    let other = Requested { fee_bps: 50, ..unusual() };
    let error = network.deploy(&options, &other).unwrap_err();
    assert!(
        error.contains("records a deployment with other parameters (protocolFeeBps: asked 50, the chain has 120)"),
        "{error}"
    );
    assert!(error.contains("nothing was deployed"), "{error}");
    assert_eq!(network.nonce(), sent);
    network.remove();
}

#[test]
fn a_wrong_password_deploys_nothing() {
    let network = Network::start("wrong-password", SEPOLIA);
    std::fs::write(network.dir.join("wrong"), "not the password\n").unwrap();
    for password in [Password::File(network.dir.join("wrong")), Password::Given(Secret::new("typed wrongly"))] {
        let error = network.deploy(&network.options(SEPOLIA, password), &Requested::default()).unwrap_err();
        assert_eq!(
            error,
            format!("the password does not open the keystore {}; nothing was deployed", network.keystore.display())
        );
    }
    assert_eq!(network.nonce(), 0);
    assert!(network.written().is_empty());
    network.remove();
}

#[test]
fn an_unreachable_rpc_deploys_nothing() {
    let network = Network::start("unreachable", SEPOLIA);
    let mut options = network.options(SEPOLIA, network.password_file());
    options.rpc_url = format!("http://127.0.0.1:{}", free_port().unwrap());
    let error = network.deploy(&options, &Requested::default()).unwrap_err();
    assert!(error.starts_with(&format!("cannot reach the RPC at {}: ", options.rpc_url)), "{error}");
    assert!(error.contains("Connection refused") && error.ends_with("; nothing was deployed"), "{error}");
    assert_eq!(network.nonce(), 0);
    assert!(network.written().is_empty());
    network.remove();
}

#[test]
fn a_chain_id_mismatch_deploys_nothing() {
    let network = Network::start("mismatch", SEPOLIA);
    let error =
        network.deploy(&network.options(BASE_SEPOLIA, network.password_file()), &Requested::default()).unwrap_err();
    assert_eq!(
        error,
        format!("the RPC at {} serves chain 11155111, not --chain-id 84532; nothing was deployed", network.url)
    );
    assert_eq!(network.nonce(), 0);
    assert!(network.written().is_empty());
    network.remove();
}

/// A record of contracts the chain doesn't have (it was reset): refused, then replaced when forced,
/// with the password handed over as if typed (forge reads it from memory, `/dev/fd/3`).
#[test]
fn a_record_without_code_is_refused_unless_forced() {
    let network = Network::start("stale", BASE_SEPOLIA);
    let stale = Deployment {
        chain_id: BASE_SEPOLIA,
        deploy_block: 1,
        contracts: super::record::Contracts {
            market: Address::repeat_byte(1),
            models: Address::repeat_byte(2),
            moderation: Address::repeat_byte(3),
            arbitrator: Address::repeat_byte(4),
            evaluations: Address::repeat_byte(5),
        },
        settings: Requested::default().expected(network.deployer, Address::repeat_byte(4)),
        deployer: network.deployer,
        commit: "0".repeat(40),
        contracts_modified: false,
        deployed_at: "2026-01-01T00:00:00Z".into(),
    };
    let record = record_file(&network.out_dir(), BASE_SEPOLIA);
    super::record::write_whole(&record, &stale.to_json_pretty()).unwrap();

    let mut options = network.options(BASE_SEPOLIA, Password::Given(Secret::new(PASSWORD)));
    let error = network.deploy(&options, &Requested::default()).unwrap_err();
    assert!(error.contains("names contracts that have no code on chain 84532 (AssayMarket at 0x0101"), "{error}");
    assert!(error.contains("Nothing was deployed; pass --force-redeploy"), "{error}");
    assert_eq!(network.nonce(), 0);
    assert_eq!(Deployment::read(&record).unwrap(), Some(stale.clone()));

    options.force_redeploy = true;
    let Outcome::Deployed(deployment) = network.deploy(&options, &Requested::default()).unwrap() else {
        panic!("--force-redeploy deploys")
    };
    assert_ne!(deployment.contracts, stale.contracts);
    assert_eq!(deployment.settings, Requested::default().expected(network.deployer, deployment.contracts.arbitrator));
    assert_eq!(Deployment::read(&record).unwrap(), Some(deployment));
    assert!(network.nonce() >= 4);
    let config = RuntimeConfig::from_json(&read_json(&config_file(&network.out_dir(), BASE_SEPOLIA))).unwrap();
    assert_eq!(config.chain_name, "Base Sepolia");
    network.remove();
}

/// CI's key, `$ASSAY_DEPLOYER_PRIVATE_KEY`, given to forge as `--private-key`: anvil's first
/// account, on a chain without a preset (its config.json reads through the deploy endpoint).
#[test]
fn a_ci_key_deploys_too() {
    let network = Network::start("ci-key", 424_242);
    let mut options = network.options(424_242, network.password_file());
    options.key = Key::PrivateKey(Secret::new(crate::stack::DEPLOYER_KEY));
    let Outcome::Deployed(deployment) = network.deploy(&options, &Requested::default()).unwrap() else {
        panic!("a first deployment deploys")
    };
    let anvil_first: Address = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266".parse().unwrap();
    assert_eq!(deployment.deployer, anvil_first);
    assert_eq!(deployment.settings.treasury, anvil_first, "the treasury defaults to the deployer");
    let config = RuntimeConfig::from_json(&read_json(&config_file(&network.out_dir(), 424_242))).unwrap();
    assert_eq!((config.chain_name.as_str(), config.rpc_url.as_str()), ("Chain 424242", network.url.as_str()));
    assert_eq!(network.nonce(), 0, "the keystore's account sent nothing");
    network.remove();
}
