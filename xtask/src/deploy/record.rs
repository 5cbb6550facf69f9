//! The deployment's record: what `Deploy.s.sol` writes (`$ASSAY_DEPLOY_OUT`), and
//! `deployments/<chainId>.json`, which `cargo xtask deploy` writes once the contracts are verified
//! (addresses, deploy block, settings, commit, date) and reads on the next run to do nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use alloy_primitives::Address;
use serde::{Deserialize, Serialize};

use super::parameters::Settings;
use crate::process::Result;

/// The deployed contracts, by the names the app's `config.json` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contracts {
    #[serde(rename = "AssayMarket")]
    pub market: Address,
    /// Deployed by the market's constructor.
    #[serde(rename = "AssayModels")]
    pub models: Address,
    #[serde(rename = "AssayModeration")]
    pub moderation: Address,
    /// The council arbitrator deployed beside the others, or the external one named.
    #[serde(rename = "AssayArbitrator")]
    pub arbitrator: Address,
    #[serde(rename = "AssayEvaluations")]
    pub evaluations: Address,
}

impl Contracts {
    /// Each contract with its name.
    pub fn named(&self) -> [(&'static str, Address); 5] {
        [
            ("AssayMarket", self.market),
            ("AssayModels", self.models),
            ("AssayModeration", self.moderation),
            ("AssayArbitrator", self.arbitrator),
            ("AssayEvaluations", self.evaluations),
        ]
    }

    /// As `config.json`'s `contracts`.
    pub fn to_map(self) -> BTreeMap<String, Address> {
        self.named().into_iter().map(|(name, address)| (name.to_owned(), address)).collect()
    }
}

/// What `Deploy.s.sol` writes to `$ASSAY_DEPLOY_OUT`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScriptOutput {
    pub chain_id: u64,
    pub deploy_block: u64,
    pub contracts: Contracts,
}

/// `deployments/<chainId>.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deployment {
    pub chain_id: u64,
    /// The block the script ran against; the contracts are at it or just after (event scans start here).
    pub deploy_block: u64,
    pub contracts: Contracts,
    /// As read back from the contracts.
    pub settings: Settings,
    pub deployer: Address,
    /// The commit the contracts were built from (`git rev-parse HEAD`).
    pub commit: String,
    /// Whether `contracts/` differed from that commit (uncommitted changes).
    pub contracts_modified: bool,
    /// UTC, e.g. `2026-12-25T12:00:00Z`.
    pub deployed_at: String,
}

/// `<out_dir>/<chainId>.json`.
pub fn record_file(out_dir: &Path, chain_id: u64) -> PathBuf {
    out_dir.join(format!("{chain_id}.json"))
}

/// `<out_dir>/<chainId>.config.json`: the app's runtime configuration for that deployment.
pub fn config_file(out_dir: &Path, chain_id: u64) -> PathBuf {
    out_dir.join(format!("{chain_id}.config.json"))
}

impl Deployment {
    /// The record in `file`, `None` if there is none.
    pub fn read(file: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| format!("{} is not a deployment record: {e}", file.display()))
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a deployment record always serialises") + "\n"
    }
}

impl ScriptOutput {
    pub fn read(file: &Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("the deploy script wrote no {}: {e}", file.display()))?;
        serde_json::from_str(&text).map_err(|e| format!("{}: not the deploy script's output: {e}", file.display()))
    }
}

/// Writes `text` to `file` (its folder created) through a temporary file, so a file that exists
/// is always whole.
pub fn write_whole(file: &Path, text: &str) -> Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let partial = file.with_extension("json.partial");
    std::fs::write(&partial, text).map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    std::fs::rename(&partial, file).map_err(|e| format!("cannot write {}: {e}", file.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::parameters::Requested;

    fn contracts() -> Contracts {
        Contracts {
            market: Address::repeat_byte(1),
            models: Address::repeat_byte(2),
            moderation: Address::repeat_byte(3),
            arbitrator: Address::repeat_byte(4),
            evaluations: Address::repeat_byte(5),
        }
    }

    #[test]
    fn the_script_s_output_is_read_by_contract_name() {
        let text = r#"{"chainId": 11155111, "deployBlock": 7, "contracts": {
            "AssayMarket": "0x0101010101010101010101010101010101010101",
            "AssayModels": "0x0202020202020202020202020202020202020202",
            "AssayModeration": "0x0303030303030303030303030303030303030303",
            "AssayArbitrator": "0x0404040404040404040404040404040404040404",
            "AssayEvaluations": "0x0505050505050505050505050505050505050505"}}"#;
        let out: ScriptOutput = serde_json::from_str(text).unwrap();
        assert_eq!((out.chain_id, out.deploy_block, out.contracts), (11155111, 7, contracts()));
        let missing = text.replace("\"AssayEvaluations\"", "\"Other\"");
        assert!(serde_json::from_str::<ScriptOutput>(&missing).is_err(), "every contract is needed");
    }

    #[test]
    fn a_record_round_trips_through_its_file() {
        let dir = std::env::temp_dir().join(format!("assay-record-{}", std::process::id()));
        let file = record_file(&dir, 11155111);
        assert_eq!(file, dir.join("11155111.json"));
        assert_eq!(config_file(&dir, 10), dir.join("10.config.json"));
        assert_eq!(Deployment::read(&file).unwrap(), None, "no file: no record");
        let record = Deployment {
            chain_id: 11155111,
            deploy_block: 7,
            contracts: contracts(),
            settings: Requested::default().expected(Address::repeat_byte(9), Address::repeat_byte(4)),
            deployer: Address::repeat_byte(9),
            commit: "0123abcd".into(),
            contracts_modified: false,
            deployed_at: assay_core::units::rfc3339_utc(1_798_200_000),
        };
        write_whole(&file, &record.to_json_pretty()).unwrap();
        assert_eq!(Deployment::read(&file).unwrap(), Some(record.clone()));
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(json["contracts"]["AssayMarket"], Address::repeat_byte(1).to_string());
        assert_eq!(json["deployedAt"], "2026-12-25T12:00:00Z");
        std::fs::write(&file, "{}").unwrap();
        assert!(Deployment::read(&file).unwrap_err().contains("is not a deployment record"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
