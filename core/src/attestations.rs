//! Attestations of reproduced claims, as `AssayEvaluations` records them (events only): who re-ran
//! which result of which card version, what they observed, whether it matched, and whether they held
//! a licence then. Folded into tallies per model version: the latest attestation of an account for a
//! result counts, each account once, licence holders apart.

use std::collections::BTreeMap;

use alloy_primitives::{Address, I256, U256};

use crate::contracts::IAssayEvaluations::EvaluationReproduced;

/// Observed values travel as fixed-point numbers with this many decimals.
pub const DECIMALS: u32 = 6;
const SCALE: f64 = 1_000_000.0;

/// A metric's value as the contract records it (rounded to 6 decimals); `None` when it doesn't fit
/// (not finite, or beyond ±9.2e12).
pub fn to_fixed(value: f64) -> Option<I256> {
    let scaled = (value * SCALE).round();
    (scaled.is_finite() && scaled.abs() < i64::MAX as f64).then(|| I256::try_from(scaled as i64).expect("fits"))
}

/// A recorded value back as a number.
pub fn from_fixed(value: I256) -> f64 {
    let (negative, magnitude) = (value.is_negative(), value.unsigned_abs());
    let magnitude: f64 = magnitude.to_string().parse().unwrap_or(f64::INFINITY);
    if negative { -magnitude / SCALE } else { magnitude / SCALE }
}

/// One attestation, where the chain put it.
#[derive(Clone, Debug, PartialEq)]
pub struct Attestation {
    pub model: U256,
    pub version: u64,
    pub result: u64,
    pub account: Address,
    pub observed: Vec<f64>,
    pub matched: bool,
    pub licensed: bool,
    /// (block, log index): later attestations of the same account and result replace earlier ones.
    pub position: (u64, u64),
}

impl Attestation {
    pub fn from_event(event: &EvaluationReproduced, block: u64, log_index: u64) -> Self {
        Self {
            model: event.modelId,
            version: event.version.saturating_to(),
            result: event.resultIndex.saturating_to(),
            account: event.account,
            observed: event.observed.iter().map(|v| from_fixed(*v)).collect(),
            matched: event.matched,
            licensed: event.licensed,
            position: (block, log_index),
        }
    }
}

/// What the accounts that re-ran one version's results found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Accounts whose latest run of every result they ran matched the card.
    pub reproduced: usize,
    /// Of those, accounts that held a licence when they attested.
    pub reproduced_by_licensees: usize,
    /// Accounts whose latest run of some result did not match.
    pub disputed: usize,
}

impl Tally {
    /// "Reproduced by 3 accounts (1 licence holder)" — or why not.
    pub fn words(&self) -> String {
        let accounts = |n: usize| if n == 1 { "1 account".to_owned() } else { format!("{n} accounts") };
        let mut words = match (self.reproduced, self.reproduced_by_licensees) {
            (0, _) => "Not reproduced on chain yet".to_owned(),
            (n, 0) => format!("Reproduced by {}", accounts(n)),
            (n, 1) => format!("Reproduced by {} (1 licence holder)", accounts(n)),
            (n, l) => format!("Reproduced by {} ({l} licence holders)", accounts(n)),
        };
        if self.disputed > 0 {
            words.push_str(&format!("; {} found a mismatch", accounts(self.disputed)));
        }
        words
    }
}

/// Every attestation read, latest per (model, version, result, account).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attestations {
    latest: BTreeMap<(U256, u64, u64, Address), Attestation>,
}

impl Attestations {
    pub fn new(all: impl IntoIterator<Item = Attestation>) -> Self {
        let mut folded = Self::default();
        for a in all {
            folded.apply(a);
        }
        folded
    }

    /// Adds one; an earlier attestation of the same account and result is replaced, a later one kept.
    pub fn apply(&mut self, a: Attestation) {
        let key = (a.model, a.version, a.result, a.account);
        match self.latest.get(&key) {
            Some(kept) if kept.position >= a.position => {}
            _ => {
                self.latest.insert(key, a);
            }
        }
    }

    /// The tally of version `version` of `model`: an account counts as reproducing it when all its
    /// latest runs of that version matched, as disputing it when one did not.
    pub fn tally(&self, model: U256, version: u64) -> Tally {
        let mut accounts: BTreeMap<Address, (bool, bool)> = BTreeMap::new();
        let start = (model, version, 0, Address::ZERO);
        for ((m, v, _, account), a) in self.latest.range(start..) {
            if (*m, *v) != (model, version) {
                break;
            }
            let entry = accounts.entry(*account).or_insert((true, false));
            entry.0 &= a.matched;
            entry.1 |= a.licensed;
        }
        let reproduced = accounts.values().filter(|(matched, _)| *matched);
        Tally {
            reproduced: reproduced.clone().count(),
            reproduced_by_licensees: reproduced.filter(|(_, licensed)| *licensed).count(),
            disputed: accounts.values().filter(|(matched, _)| !matched).count(),
        }
    }

    /// The tally of every version with an attestation, by (model, version): what a grid of
    /// listings reads without the attestations themselves.
    pub fn tallies(&self) -> BTreeMap<(U256, u64), Tally> {
        let versions: std::collections::BTreeSet<(U256, u64)> = self.latest.keys().map(|(m, v, ..)| (*m, *v)).collect();
        versions.into_iter().map(|(model, version)| ((model, version), self.tally(model, version))).collect()
    }

    /// The latest attestation of `account` for result `result` of a version.
    pub fn of(&self, model: U256, version: u64, result: u64, account: Address) -> Option<&Attestation> {
        self.latest.get(&(model, version, result, account))
    }

    /// The median observed value of metric `metric` of result `result` over the accounts whose latest
    /// run matched (what Browse sorts by); `None` when nobody reproduced it.
    pub fn reproduced_value(&self, model: U256, version: u64, result: u64, metric: usize) -> Option<f64> {
        let start = (model, version, result, Address::ZERO);
        let mut values: Vec<f64> = self
            .latest
            .range(start..)
            .take_while(|((m, v, r, _), _)| (*m, *v, *r) == (model, version, result))
            .filter(|(_, a)| a.matched)
            .filter_map(|(_, a)| a.observed.get(metric).copied())
            .collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let mid = values.len() / 2;
        Some(if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Address = Address::repeat_byte(0xa);
    const B: Address = Address::repeat_byte(0xb);
    const C: Address = Address::repeat_byte(0xc);

    fn at(account: Address, result: u64, value: f64, matched: bool, licensed: bool, block: u64) -> Attestation {
        Attestation {
            model: U256::from(7),
            version: 1,
            result,
            account,
            observed: vec![value],
            matched,
            licensed,
            position: (block, 0),
        }
    }

    #[test]
    fn values_round_trip_through_six_decimals() {
        for v in [0.902_4, 1.0, 0.0, -3.25, 123_456.789_012, 1e-7] {
            let fixed = to_fixed(v).unwrap();
            assert!((from_fixed(fixed) - v).abs() <= 5e-7, "{v}");
        }
        assert_eq!(to_fixed(0.902_4), Some(I256::try_from(902_400).unwrap()));
        assert_eq!(to_fixed(f64::NAN), None);
        assert_eq!(to_fixed(1e20), None);
    }

    #[test]
    fn each_account_counts_once_and_its_latest_run_wins() {
        let folded = Attestations::new([
            at(A, 0, 0.90, true, false, 1),
            at(A, 0, 0.90, true, false, 2), // again: still one account
            at(B, 0, 0.80, false, true, 3), // B found a mismatch…
            at(B, 0, 0.90, true, true, 5),  // …then reproduced it
            at(C, 0, 0.70, false, false, 4),
        ]);
        let tally = folded.tally(U256::from(7), 1);
        assert_eq!(tally, Tally { reproduced: 2, reproduced_by_licensees: 1, disputed: 1 });
        assert_eq!(tally.words(), "Reproduced by 2 accounts (1 licence holder); 1 account found a mismatch");
        assert_eq!(folded.tally(U256::from(7), 0), Tally::default());
        assert_eq!(folded.tally(U256::from(7), 0).words(), "Not reproduced on chain yet");
        // Logs read out of order: an older attestation never replaces a newer one.
        let mut late = folded.clone();
        late.apply(at(B, 0, 0.10, false, true, 4));
        assert_eq!(late, folded);
    }

    #[test]
    fn the_tallies_are_each_versions_tally() {
        let mut all =
            vec![at(A, 0, 0.90, true, false, 1), at(B, 0, 0.80, false, true, 3), at(C, 1, 0.7, true, true, 4)];
        all.push(Attestation { model: U256::from(9), version: 0, ..at(A, 0, 0.5, true, true, 5) });
        let folded = Attestations::new(all);
        let tallies = folded.tallies();
        assert_eq!(tallies.len(), 2, "model 7 version 1 and model 9 version 0");
        for ((model, version), tally) in &tallies {
            assert_eq!(*tally, folded.tally(*model, *version));
        }
        assert_eq!(tallies[&(U256::from(7), 1)], Tally { reproduced: 2, reproduced_by_licensees: 1, disputed: 1 });
        assert!(!tallies.contains_key(&(U256::from(7), 0)), "a version nobody attested is not listed");
    }

    #[test]
    fn an_account_reproduces_a_version_only_when_all_its_runs_matched() {
        let folded = Attestations::new([at(A, 0, 0.9, true, true, 1), at(A, 1, 0.1, false, true, 2)]);
        assert_eq!(folded.tally(U256::from(7), 1), Tally { reproduced: 0, reproduced_by_licensees: 0, disputed: 1 });
        assert!(!folded.of(U256::from(7), 1, 1, A).unwrap().matched);
    }

    #[test]
    fn the_reproduced_value_is_the_median_of_matching_runs() {
        let folded = Attestations::new([
            at(A, 0, 0.90, true, false, 1),
            at(B, 0, 0.92, true, false, 2),
            at(C, 0, 0.10, false, false, 3),
        ]);
        assert_eq!(folded.reproduced_value(U256::from(7), 1, 0, 0), Some(0.91));
        assert_eq!(folded.reproduced_value(U256::from(7), 1, 1, 0), None);
        assert_eq!(folded.reproduced_value(U256::from(7), 1, 0, 3), None);
    }
}
