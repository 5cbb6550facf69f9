//! The deployment's parameters: what `contracts/script/Deploy.s.sol` reads from the environment
//! (`ASSAY_FEE_BPS`, `ASSAY_TREASURY`, …), parsed here with the script's defaults so the values the
//! contracts must hold are known before anything is sent, and the settings the chain holds after.
//!
//! Ranges (fee at most 250 bps, windows, the fee cap under the stake) are the script's to check:
//! it refuses out-of-range values before it broadcasts, and its sentence is shown.

use std::str::FromStr;

use alloy_primitives::{Address, Bytes, U256};
use serde::{Deserialize, Serialize};

use crate::process::Result;

/// The environment variables `Deploy.s.sol` reads, in its order. Each is either passed to forge
/// with the value parsed here or removed from forge's environment, so forge sees exactly that.
pub const NAMES: [&str; 12] = [
    "ASSAY_FEE_BPS",
    "ASSAY_TREASURY",
    "ASSAY_DELIVERY_WINDOW",
    "ASSAY_CHALLENGE_PERIOD",
    "ASSAY_FLAG_STAKE",
    "ASSAY_RESPONSE_WINDOW",
    "ASSAY_FEE_CAP",
    "ASSAY_ARBITRATOR",
    "ASSAY_COUNCIL",
    "ASSAY_ARBITRATION_COST",
    "ASSAY_ARBITRATOR_EXTRA_DATA",
    "ASSAY_META_EVIDENCE",
];

const DAY: u64 = 24 * 60 * 60;
/// 10^15 wei.
const FINNEY: u64 = 1_000_000_000_000_000;

/// Who rules on disputed reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arbitration {
    /// An existing ERC-792 arbitrator (`ASSAY_ARBITRATOR`, e.g. a Kleros court).
    External(Address),
    /// An `AssayCouncilArbitrator` deployed beside the contracts: `ASSAY_COUNCIL` (default: the
    /// deployer) gives its rulings at `ASSAY_ARBITRATION_COST` a dispute.
    Council { account: Option<Address>, cost: U256 },
}

/// The parameters asked for. `None` where the script's default is the deployer's address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requested {
    pub fee_bps: u64,
    pub treasury: Option<Address>,
    pub delivery_window: u64,
    pub challenge_period: u64,
    pub flag_stake: U256,
    pub response_window: u64,
    pub fee_cap: U256,
    pub arbitration: Arbitration,
    pub arbitrator_extra_data: Bytes,
    /// ERC-1497 meta-evidence URI; `None`: the script's policy.
    pub meta_evidence: Option<String>,
}

impl Default for Requested {
    /// The script's defaults.
    fn default() -> Self {
        Self {
            fee_bps: 250,
            treasury: None,
            delivery_window: 3 * DAY,
            challenge_period: 2 * DAY,
            flag_stake: U256::from(50 * FINNEY),
            response_window: 3 * DAY,
            fee_cap: U256::from(10 * FINNEY),
            arbitration: Arbitration::Council { account: None, cost: U256::from(5 * FINNEY) },
            arbitrator_extra_data: Bytes::new(),
            meta_evidence: None,
        }
    }
}

/// What the contracts hold once deployed (and what `deployments/<chainId>.json` records).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    pub protocol_fee_bps: u64,
    pub treasury: Address,
    /// Seconds.
    pub delivery_window: u64,
    /// Seconds.
    pub challenge_period: u64,
    #[serde(with = "wei")]
    pub flag_stake: U256,
    /// Seconds.
    pub response_window: u64,
    #[serde(with = "wei")]
    pub fee_cap: U256,
    pub arbitrator: Address,
    pub arbitrator_extra_data: Bytes,
    /// The council arbitrator deployed beside the contracts; `None` for an external arbitrator.
    pub council: Option<Council>,
}

/// An `AssayCouncilArbitrator`'s settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Council {
    pub account: Address,
    #[serde(with = "wei")]
    pub arbitration_cost: U256,
}

impl Requested {
    /// Reads the variables through `var` (the process environment in `run`), the script's default
    /// for each one unset or empty.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let get = |name: &str| var(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let defaults = Self::default();
        let Arbitration::Council { cost: default_cost, .. } = defaults.arbitration else {
            unreachable!("the default is a council")
        };
        let arbitration = match get("ASSAY_ARBITRATOR").map(|v| address("ASSAY_ARBITRATOR", &v)).transpose()? {
            Some(external) => {
                for only_council in ["ASSAY_COUNCIL", "ASSAY_ARBITRATION_COST"] {
                    if get(only_council).is_some() {
                        return Err(format!(
                            "{only_council} applies only to the council arbitrator deployed when ASSAY_ARBITRATOR is unset; \
                             unset one of them"
                        ));
                    }
                }
                Arbitration::External(external)
            }
            None => Arbitration::Council {
                account: get("ASSAY_COUNCIL").map(|v| address("ASSAY_COUNCIL", &v)).transpose()?,
                cost: get("ASSAY_ARBITRATION_COST")
                    .map(|v| wei_amount("ASSAY_ARBITRATION_COST", &v))
                    .transpose()?
                    .unwrap_or(default_cost),
            },
        };
        let number = |name: &str, default: u64| {
            get(name).map(|v| whole_number(name, &v)).transpose().map(|v| v.unwrap_or(default))
        };
        let amount = |name: &str, default: U256| {
            get(name).map(|v| wei_amount(name, &v)).transpose().map(|v| v.unwrap_or(default))
        };
        Ok(Self {
            fee_bps: number("ASSAY_FEE_BPS", defaults.fee_bps)?,
            treasury: get("ASSAY_TREASURY").map(|v| address("ASSAY_TREASURY", &v)).transpose()?,
            delivery_window: number("ASSAY_DELIVERY_WINDOW", defaults.delivery_window)?,
            challenge_period: number("ASSAY_CHALLENGE_PERIOD", defaults.challenge_period)?,
            flag_stake: amount("ASSAY_FLAG_STAKE", defaults.flag_stake)?,
            response_window: number("ASSAY_RESPONSE_WINDOW", defaults.response_window)?,
            fee_cap: amount("ASSAY_FEE_CAP", defaults.fee_cap)?,
            arbitration,
            arbitrator_extra_data: get("ASSAY_ARBITRATOR_EXTRA_DATA")
                .map(|v| {
                    Bytes::from_str(&v)
                        .map_err(|_| format!("ASSAY_ARBITRATOR_EXTRA_DATA must be 0x-prefixed hex, got {v:?}"))
                })
                .transpose()?
                .unwrap_or_default(),
            meta_evidence: get("ASSAY_META_EVIDENCE"),
        })
    }

    /// Every variable of [`NAMES`] with the value forge gets (`None`: removed, the script's default).
    pub fn forge_env(&self) -> Vec<(&'static str, Option<String>)> {
        let (arbitrator, council, cost) = match &self.arbitration {
            Arbitration::External(address) => (Some(address.to_string()), None, None),
            Arbitration::Council { account, cost } => (None, account.map(|a| a.to_string()), Some(cost.to_string())),
        };
        let env = vec![
            ("ASSAY_FEE_BPS", Some(self.fee_bps.to_string())),
            ("ASSAY_TREASURY", self.treasury.map(|a| a.to_string())),
            ("ASSAY_DELIVERY_WINDOW", Some(self.delivery_window.to_string())),
            ("ASSAY_CHALLENGE_PERIOD", Some(self.challenge_period.to_string())),
            ("ASSAY_FLAG_STAKE", Some(self.flag_stake.to_string())),
            ("ASSAY_RESPONSE_WINDOW", Some(self.response_window.to_string())),
            ("ASSAY_FEE_CAP", Some(self.fee_cap.to_string())),
            ("ASSAY_ARBITRATOR", arbitrator),
            ("ASSAY_COUNCIL", council),
            ("ASSAY_ARBITRATION_COST", cost),
            ("ASSAY_ARBITRATOR_EXTRA_DATA", Some(self.arbitrator_extra_data.to_string())),
            ("ASSAY_META_EVIDENCE", self.meta_evidence.clone()),
        ];
        debug_assert!(env.iter().map(|(n, _)| *n).eq(NAMES));
        env
    }

    /// The settings the contracts must hold: the deployer's address where none was named, and
    /// `arbitrator` (the deployed one, from the script's output) for a council.
    pub fn expected(&self, deployer: Address, arbitrator: Address) -> Settings {
        self.settle(deployer, deployer, arbitrator)
    }

    /// Where `recorded` (an earlier deployment) differs from these parameters. What defaults to
    /// the deployer is taken as recorded: the deployer is not known before its key is opened.
    pub fn conflicts(&self, recorded: &Settings) -> Vec<String> {
        let council = recorded.council.as_ref().map_or(recorded.treasury, |c| c.account);
        differences(&self.settle(recorded.treasury, council, recorded.arbitrator), recorded)
    }

    fn settle(&self, treasury: Address, council: Address, deployed_arbitrator: Address) -> Settings {
        let (arbitrator, council) = match &self.arbitration {
            Arbitration::External(address) => (*address, None),
            Arbitration::Council { account, cost } => {
                (deployed_arbitrator, Some(Council { account: account.unwrap_or(council), arbitration_cost: *cost }))
            }
        };
        Settings {
            protocol_fee_bps: self.fee_bps,
            treasury: self.treasury.unwrap_or(treasury),
            delivery_window: self.delivery_window,
            challenge_period: self.challenge_period,
            flag_stake: self.flag_stake,
            response_window: self.response_window,
            fee_cap: self.fee_cap,
            arbitrator,
            arbitrator_extra_data: self.arbitrator_extra_data.clone(),
            council,
        }
    }
}

/// Each setting where `actual` is not `expected`, as "name: asked X, the chain has Y".
pub fn differences(expected: &Settings, actual: &Settings) -> Vec<String> {
    let mut found = Vec::new();
    let mut check = |name: &str, asked: String, has: String| {
        if asked != has {
            found.push(format!("{name}: asked {asked}, the chain has {has}"));
        }
    };
    check("protocolFeeBps", expected.protocol_fee_bps.to_string(), actual.protocol_fee_bps.to_string());
    check("treasury", expected.treasury.to_string(), actual.treasury.to_string());
    check("deliveryWindow", expected.delivery_window.to_string(), actual.delivery_window.to_string());
    check("challengePeriod", expected.challenge_period.to_string(), actual.challenge_period.to_string());
    check("flagStake", expected.flag_stake.to_string(), actual.flag_stake.to_string());
    check("responseWindow", expected.response_window.to_string(), actual.response_window.to_string());
    check("feeCap", expected.fee_cap.to_string(), actual.fee_cap.to_string());
    check("arbitrator", expected.arbitrator.to_string(), actual.arbitrator.to_string());
    check("arbitratorExtraData", expected.arbitrator_extra_data.to_string(), actual.arbitrator_extra_data.to_string());
    let council = |c: &Option<Council>| c.as_ref().map(|c| c.account.to_string()).unwrap_or_else(|| "none".into());
    let cost =
        |c: &Option<Council>| c.as_ref().map(|c| c.arbitration_cost.to_string()).unwrap_or_else(|| "none".into());
    check("council.account", council(&expected.council), council(&actual.council));
    check("council.arbitrationCost", cost(&expected.council), cost(&actual.council));
    found
}

fn address(name: &str, text: &str) -> Result<Address> {
    match text.parse::<Address>() {
        Ok(address) if text.len() == 42 && text.starts_with("0x") => Ok(address),
        _ => Err(format!("{name} must be a 0x-prefixed 20-byte hex address, got {text:?}")),
    }
}

/// A uint256 as `vm.envOr` reads one: decimal, or 0x-prefixed hex.
fn wei_amount(name: &str, text: &str) -> Result<U256> {
    U256::from_str(text).map_err(|_| format!("{name} must be a whole number (decimal or 0x hex), got {text:?}"))
}

fn whole_number(name: &str, text: &str) -> Result<u64> {
    u64::try_from(wei_amount(name, text)?).map_err(|_| format!("{name} is far too large: {text}"))
}

/// Wei amounts as decimal strings (exact, and readable beside the other settings).
mod wei {
    use std::str::FromStr;

    use alloy_primitives::U256;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &U256, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<U256, D::Error> {
        let text = String::deserialize(deserializer)?;
        U256::from_str(&text).map_err(|_| serde::de::Error::custom(format!("not a wei amount: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<Requested> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Requested::from_env(|name| vars.get(name).cloned())
    }

    const A: Address = Address::repeat_byte(0xaa);
    const B: Address = Address::repeat_byte(0xbb);
    const C: Address = Address::repeat_byte(0xcc);

    #[test]
    fn unset_variables_take_the_script_s_defaults() {
        let requested = from(&[("ASSAY_FEE_BPS", "")]).unwrap();
        assert_eq!(requested, Requested::default());
        assert_eq!(requested.fee_bps, 250);
        assert_eq!(requested.delivery_window, 259_200);
        assert_eq!(requested.challenge_period, 172_800);
        assert_eq!(requested.flag_stake, U256::from(50_000_000_000_000_000u64));
        assert_eq!(requested.fee_cap, U256::from(10_000_000_000_000_000u64));
        assert_eq!(
            requested.arbitration,
            Arbitration::Council { account: None, cost: U256::from(5_000_000_000_000_000u64) }
        );
    }

    #[test]
    fn variables_are_read_as_the_script_reads_them() {
        let requested = from(&[
            ("ASSAY_FEE_BPS", "100"),
            ("ASSAY_TREASURY", &A.to_string()),
            ("ASSAY_DELIVERY_WINDOW", "0x3c"),
            ("ASSAY_FLAG_STAKE", "1000"),
            ("ASSAY_COUNCIL", &B.to_string()),
            ("ASSAY_ARBITRATOR_EXTRA_DATA", "0x0102"),
            ("ASSAY_META_EVIDENCE", "ipfs://policy"),
        ])
        .unwrap();
        assert_eq!(requested.fee_bps, 100);
        assert_eq!(requested.treasury, Some(A));
        assert_eq!(requested.delivery_window, 60);
        assert_eq!(requested.flag_stake, U256::from(1000));
        assert_eq!(requested.arbitration, Arbitration::Council { account: Some(B), cost: U256::from(5 * FINNEY) });
        assert_eq!(requested.arbitrator_extra_data, Bytes::from(vec![1, 2]));
        assert_eq!(requested.meta_evidence.as_deref(), Some("ipfs://policy"));
        let external = from(&[("ASSAY_ARBITRATOR", &C.to_string())]).unwrap();
        assert_eq!(external.arbitration, Arbitration::External(C));
    }

    #[test]
    fn malformed_values_are_refused_naming_the_variable() {
        for (name, value, said) in [
            ("ASSAY_FEE_BPS", "2.5", "ASSAY_FEE_BPS must be a whole number"),
            ("ASSAY_DELIVERY_WINDOW", "1e30", "ASSAY_DELIVERY_WINDOW must be a whole number"),
            ("ASSAY_CHALLENGE_PERIOD", "100000000000000000000", "ASSAY_CHALLENGE_PERIOD is far too large"),
            ("ASSAY_TREASURY", "0x1234", "ASSAY_TREASURY must be a 0x-prefixed 20-byte hex address"),
            ("ASSAY_ARBITRATOR_EXTRA_DATA", "zz", "ASSAY_ARBITRATOR_EXTRA_DATA must be 0x-prefixed hex"),
        ] {
            let error = from(&[(name, value)]).unwrap_err();
            assert!(error.starts_with(said), "{name}={value}: {error}");
        }
        let both = from(&[("ASSAY_ARBITRATOR", &C.to_string()), ("ASSAY_COUNCIL", &B.to_string())]).unwrap_err();
        assert!(both.starts_with("ASSAY_COUNCIL applies only to the council arbitrator"), "{both}");
    }

    #[test]
    fn forge_gets_every_variable_set_or_removed() {
        let env = Requested::default().forge_env();
        let names: Vec<&str> = env.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, NAMES);
        let value = |name: &str| env.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(value("ASSAY_FEE_BPS").as_deref(), Some("250"));
        assert_eq!(value("ASSAY_FLAG_STAKE").as_deref(), Some("50000000000000000"));
        assert_eq!(value("ASSAY_ARBITRATOR_EXTRA_DATA").as_deref(), Some("0x"));
        assert_eq!(value("ASSAY_TREASURY"), None, "the deployer: removed, the script's default");
        assert_eq!(value("ASSAY_ARBITRATOR"), None);
        assert_eq!(value("ASSAY_ARBITRATION_COST").as_deref(), Some("5000000000000000"));
        let external = Requested { arbitration: Arbitration::External(C), ..Requested::default() }.forge_env();
        let value = |name: &str| external.iter().find(|(n, _)| *n == name).unwrap().1.clone();
        assert_eq!(value("ASSAY_ARBITRATOR"), Some(C.to_string()));
        assert_eq!((value("ASSAY_COUNCIL"), value("ASSAY_ARBITRATION_COST")), (None, None));
    }

    #[test]
    fn the_deployer_fills_in_what_was_not_named() {
        let settings = Requested::default().expected(A, C);
        assert_eq!(settings.treasury, A);
        assert_eq!(settings.arbitrator, C);
        assert_eq!(settings.council, Some(Council { account: A, arbitration_cost: U256::from(5 * FINNEY) }));
        let named = Requested { treasury: Some(B), arbitration: Arbitration::External(C), ..Requested::default() };
        let settings = named.expected(A, Address::ZERO);
        assert_eq!((settings.treasury, settings.arbitrator, settings.council), (B, C, None));
    }

    #[test]
    fn differences_name_each_setting_with_both_values() {
        let expected = Requested::default().expected(A, C);
        assert!(differences(&expected, &expected).is_empty());
        let mut actual = expected.clone();
        actual.protocol_fee_bps = 100;
        actual.council = None;
        assert_eq!(
            differences(&expected, &actual),
            [
                "protocolFeeBps: asked 250, the chain has 100",
                &format!("council.account: asked {A}, the chain has none"),
                "council.arbitrationCost: asked 5000000000000000, the chain has none",
            ]
        );
    }

    #[test]
    fn a_recorded_deployment_conflicts_only_with_what_was_asked_differently() {
        let recorded = Requested::default().expected(A, C);
        assert!(Requested::default().conflicts(&recorded).is_empty(), "the deployer's defaults are taken as recorded");
        let cheaper = Requested { fee_bps: 10, treasury: Some(B), ..Requested::default() };
        assert_eq!(
            cheaper.conflicts(&recorded),
            ["protocolFeeBps: asked 10, the chain has 250", &format!("treasury: asked {B}, the chain has {A}")]
        );
    }

    #[test]
    fn settings_serialise_wei_as_decimal_strings() {
        let settings = Requested::default().expected(A, C);
        let json = serde_json::to_value(&settings).unwrap();
        assert_eq!(json["flagStake"], "50000000000000000");
        assert_eq!(json["council"]["arbitrationCost"], "5000000000000000");
        assert_eq!(json["arbitratorExtraData"], "0x");
        assert_eq!(serde_json::from_value::<Settings>(json).unwrap(), settings);
    }
}
