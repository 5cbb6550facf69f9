//! `cargo xtask deploy`'s arguments.

use std::path::{Path, PathBuf};

use super::app_config::Site;
use super::signer::{Key, Password, Secret};
use crate::process::Result;

pub const USAGE: &str = "usage: cargo xtask deploy --rpc-url URL --chain-id N [--keystore FILE [--password-file FILE]] \
     [--out-dir DIR] [--force-redeploy] [--chain-name NAME] [--explorer-url URL] [--public-rpc-url URL] \
     [--gateway URL]… [--upload-api URL] [--indexer-url URL]   (--help for more)";

pub const HELP: &str = "\
cargo xtask deploy: deploys the contracts (contracts/script/Deploy.s.sol) to any chain, reads them back,
and writes <out-dir>/<chainId>.json (addresses, deploy block, settings, commit, date) and
<out-dir>/<chainId>.config.json (the app's config.json; `cargo xtask publish --network <chainId>` ships it).

  --rpc-url URL         the chain's JSON-RPC endpoint (http or https)
  --chain-id N          the chain's id; the endpoint must serve it
  --keystore FILE       the deployer's encrypted keystore (Foundry's format: `cast wallet import`)
  --password-file FILE  its password; without it the password is asked on the terminal
  --out-dir DIR         where the files go (default: deployments/)
  --force-redeploy      deploy new contracts even though <out-dir>/<chainId>.json records some
  config.json:
  --chain-name NAME     default: the network preset's name (Sepolia, Base Sepolia…), else \"Chain N\"
  --explorer-url URL    default: the network preset's explorer, else none
  --public-rpc-url URL  the endpoint browsers use (default: the preset's public endpoints, else
                        --rpc-url: config.json is public, so pass this if --rpc-url holds an API key)
  --gateway URL         an IPFS gateway, repeatable (default: https://trustless-gateway.link, https://ipfs.io)
  --upload-api URL      a Kubo RPC API (…/api/v0) for uploads (default: none)
  --indexer-url URL     an Assay indexer over these contracts (default: none)

If <out-dir>/<chainId>.json exists and its contracts have code on the chain, nothing is sent
(\"already deployed\"); if they have none (a reset chain), it refuses unless --force-redeploy.

Environment (as contracts/script/Deploy.s.sol reads it; unset: its default):
  ASSAY_FEE_BPS (250, at most 250)  ASSAY_TREASURY (the deployer)
  ASSAY_DELIVERY_WINDOW s (3 days)  ASSAY_CHALLENGE_PERIOD s (2 days)
  ASSAY_FLAG_STAKE wei (0.05 ether) ASSAY_RESPONSE_WINDOW s (3 days)  ASSAY_FEE_CAP wei (0.01 ether)
  ASSAY_ARBITRATOR (unset: an AssayCouncilArbitrator is deployed, ruled by ASSAY_COUNCIL (the
  deployer) at ASSAY_ARBITRATION_COST wei a dispute (0.005 ether))
  ASSAY_ARBITRATOR_EXTRA_DATA hex   ASSAY_META_EVIDENCE URI (the script's policy)
  ASSAY_DEPLOYER_PRIVATE_KEY        for CI only, instead of --keystore: the raw key, which forge
                                    takes on its command line (visible to the machine's users)";

/// Parsed arguments.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub rpc_url: String,
    pub chain_id: u64,
    pub key: Key,
    /// `None`: `deployments/` in the repository.
    pub out_dir: Option<PathBuf>,
    pub force_redeploy: bool,
    pub site: Site,
}

/// Reads the arguments; `env_key` is `$ASSAY_DEPLOYER_PRIVATE_KEY`. Relative paths are made
/// absolute here (forge runs in `contracts/`).
pub fn parse_args(args: &[String], env_key: Option<String>) -> Result<Options> {
    let mut rpc_url = None;
    let mut chain_id = None;
    let mut keystore = None;
    let mut password_file = None;
    let mut out_dir = None;
    let mut force_redeploy = false;
    let mut site = Site::default();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = |what: &str| rest.next().cloned().ok_or_else(|| format!("{flag} needs {what}; {USAGE}"));
        match flag.as_str() {
            "--rpc-url" => rpc_url = Some(http_url("--rpc-url", value("a URL")?)?),
            "--chain-id" => {
                let text = value("a number")?;
                chain_id = Some(
                    text.parse::<u64>()
                        .ok()
                        .filter(|id| *id != 0)
                        .ok_or_else(|| format!("--chain-id must be a positive whole number, got {text:?}"))?,
                );
            }
            "--keystore" => keystore = Some(absolute(&value("a file")?)?),
            "--password-file" => password_file = Some(absolute(&value("a file")?)?),
            "--out-dir" => out_dir = Some(absolute(&value("a folder")?)?),
            "--force-redeploy" => force_redeploy = true,
            "--chain-name" => site.chain_name = Some(value("a name")?),
            "--explorer-url" => site.explorer_url = Some(http_url("--explorer-url", value("a URL")?)?),
            "--public-rpc-url" => site.public_rpc_url = Some(http_url("--public-rpc-url", value("a URL")?)?),
            "--gateway" => site.gateways.push(http_url("--gateway", value("a URL")?)?),
            "--upload-api" => site.upload_api = Some(http_url("--upload-api", value("a URL")?)?),
            "--indexer-url" => site.indexer_url = Some(http_url("--indexer-url", value("a URL")?)?),
            other => return Err(format!("unknown argument {other:?}; {USAGE}")),
        }
    }
    let rpc_url = rpc_url.ok_or_else(|| format!("--rpc-url is required; {USAGE}"))?;
    let chain_id = chain_id.ok_or_else(|| format!("--chain-id is required; {USAGE}"))?;
    let env_key = env_key.filter(|k| !k.trim().is_empty());
    let key = match (keystore, password_file, env_key) {
        (Some(_), _, Some(_)) => {
            return Err("both --keystore and ASSAY_DEPLOYER_PRIVATE_KEY name a deployer key; use one".to_owned());
        }
        (Some(file), password_file, None) => {
            if !file.is_file() {
                return Err(format!(
                    "the keystore {} does not exist (make one with `cast wallet import NAME --keystore-dir DIR --interactive`)",
                    file.display()
                ));
            }
            let password = password_file.map_or(Password::Prompt, Password::File);
            Key::Keystore { file, password }
        }
        (None, Some(_), _) => return Err("--password-file needs --keystore".to_owned()),
        (None, None, Some(key)) => Key::PrivateKey(Secret::new(key.trim())),
        (None, None, None) => {
            return Err(
                "no deployer key: pass --keystore FILE (with --password-file FILE, or type the password when asked), \
                 or, in CI, set ASSAY_DEPLOYER_PRIVATE_KEY"
                    .to_owned(),
            );
        }
    };
    Ok(Options { rpc_url, chain_id, key, out_dir, force_redeploy, site })
}

fn http_url(flag: &str, url: String) -> Result<String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url)
    } else {
        Err(format!("{flag} must be an http:// or https:// URL, got {url:?}"))
    }
}

fn absolute(path: &str) -> Result<PathBuf> {
    std::path::absolute(Path::new(path)).map_err(|e| format!("{path}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    const NETWORK: [&str; 4] = ["--rpc-url", "https://rpc.example", "--chain-id", "11155111"];

    #[test]
    fn a_ci_deployment_takes_its_key_from_the_environment() {
        let options = parse_args(&args(&NETWORK), Some("0xabc\n".into())).unwrap();
        assert_eq!(options.rpc_url, "https://rpc.example");
        assert_eq!(options.chain_id, 11155111);
        assert_eq!(options.key, Key::PrivateKey(Secret::new("0xabc")));
        assert_eq!((options.out_dir, options.force_redeploy, options.site), (None, false, Site::default()));
    }

    #[test]
    fn a_keystore_is_opened_with_its_password_file_or_a_prompt() {
        let keystore = std::env::temp_dir().join(format!("assay-options-keystore-{}", std::process::id()));
        std::fs::write(&keystore, "{}").unwrap();
        let with = |extra: &[&str]| {
            let mut list = args(&NETWORK);
            list.extend(args(&["--keystore", keystore.to_str().unwrap()]));
            list.extend(args(extra));
            parse_args(&list, None)
        };
        assert_eq!(with(&[]).unwrap().key, Key::Keystore { file: keystore.clone(), password: Password::Prompt });
        let options = with(&["--password-file", "pw.txt", "--out-dir", "out", "--force-redeploy"]).unwrap();
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            options.key,
            Key::Keystore { file: keystore.clone(), password: Password::File(cwd.join("pw.txt")) },
            "relative paths are made absolute"
        );
        assert_eq!((options.out_dir, options.force_redeploy), (Some(cwd.join("out")), true));
        std::fs::remove_file(&keystore).unwrap();
        assert!(with(&[]).unwrap_err().contains("does not exist"));
    }

    #[test]
    fn the_app_s_settings_are_flags() {
        let mut list = args(&NETWORK);
        list.extend(args(&[
            "--chain-name",
            "Team L2",
            "--gateway",
            "https://a.example",
            "--gateway",
            "https://b.example",
            "--public-rpc-url",
            "https://public.example",
            "--upload-api",
            "https://ipfs.example/api/v0",
        ]));
        let site = parse_args(&list, Some("0x1".into())).unwrap().site;
        assert_eq!(site.chain_name.as_deref(), Some("Team L2"));
        assert_eq!(site.gateways, ["https://a.example", "https://b.example"]);
        assert_eq!(site.public_rpc_url.as_deref(), Some("https://public.example"));
        assert_eq!(site.upload_api.as_deref(), Some("https://ipfs.example/api/v0"));
    }

    #[test]
    fn missing_or_contradictory_arguments_are_refused_with_a_sentence() {
        let key = || Some("0x1".to_owned());
        assert!(parse_args(&args(&["--chain-id", "1"]), key()).unwrap_err().starts_with("--rpc-url is required"));
        assert!(
            parse_args(&args(&["--rpc-url", "http://x"]), key()).unwrap_err().starts_with("--chain-id is required")
        );
        assert!(parse_args(&args(&["--rpc-url", "x.example", "--chain-id", "1"]), key()).unwrap_err().contains("http"));
        for bad in ["0", "-1", "sepolia"] {
            let error = parse_args(&args(&["--rpc-url", "http://x", "--chain-id", bad]), key()).unwrap_err();
            assert!(error.starts_with("--chain-id must be a positive whole number"), "{bad}: {error}");
        }
        assert!(parse_args(&args(&["--chain-id"]), key()).unwrap_err().starts_with("--chain-id needs a number"));
        assert!(parse_args(&args(&["--nope"]), key()).unwrap_err().contains("usage"));
        assert!(parse_args(&args(&NETWORK), None).unwrap_err().starts_with("no deployer key"));
        assert!(parse_args(&args(&NETWORK), Some(" ".into())).unwrap_err().starts_with("no deployer key"));
        let mut list = args(&NETWORK);
        list.extend(args(&["--password-file", "pw"]));
        assert_eq!(parse_args(&list, None).unwrap_err(), "--password-file needs --keystore");
        let mut list = args(&NETWORK);
        list.extend(args(&["--keystore", "/k"]));
        assert!(parse_args(&list, key()).unwrap_err().starts_with("both --keystore and ASSAY_DEPLOYER_PRIVATE_KEY"));
    }
}
