//! The seeded catalogue: real models, listed, bought and reviewed on a freshly started stack, so
//! every page of `cargo xtask dev` and of the e2e suite has something true to show.
//!
//! 1. Each real model (`inference/models/setup.py` puts them in `<tools>/models`) is added to the
//!    IPFS node through Kubo RPC `/api/v0/add` (the fixed import profile; the node's CID must equal
//!    `assay_core::ipfs::cid_of`), then its card (`inference/cards/<name>.json`) with
//!    `"model": "<onnx CID>"`: the card's CID is the listing's manifest CID.
//! 2. The models are listed on chain from anvil's unlocked dev accounts (`eth_sendTransaction`,
//!    calldata from `assay_core`'s `sol!` bindings): three creators, two or three licence tiers
//!    each (terms on IPFS), a co-author, a derivative with its parent's share.
//! 3. Dev accounts #4 and #5 buy licences and review two models (comments on IPFS).
//! 4. `ASSAY_SEED_LISTINGS=N` adds N synthetic listings (the real cards again, varied creators,
//!    prices and tiers) in JSON-RPC batches, checked at the end by `modelCount()`.
//!
//! Every transaction's receipt must say status 1; anything else stops the command with the
//! reason in words. `offer` and `plan` say what is seeded, `steps` and `synthetic` send it.

use std::fmt;

use alloy_primitives::Address;
use assay_core::config::RuntimeConfig;

use crate::kubo::Kubo;
use crate::paths::Paths;
use crate::process::Result;
use crate::rpc::Market;
use crate::stack::Stack;
pub use evaluation::write_bench_bundles;
use steps::Seeder;

mod claims;
mod evaluation;
mod moderation;
mod offer;
mod plan;
mod steps;
mod synthetic;

/// The environment variable asking for synthetic listings after the real ones.
pub const SYNTHETIC_ENV: &str = "ASSAY_SEED_LISTINGS";

/// What was seeded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub models: usize,
    pub creators: usize,
    pub licences: usize,
    pub reviews: usize,
    pub synthetic: usize,
    /// Evaluation bundles published, which the cards' claims name.
    pub evaluation_sets: usize,
    /// (dev account, model id): the licences bought so that an account could name a real model
    /// it doesn't own as a parent.
    pub derived_under: Vec<(usize, u64)>,
    /// The model reported (flagged) and left awaiting its owner's response, when the deployment moderates.
    pub reported: Option<u64>,
    /// The model reported, answered and delisted by the council's ruling, when the deployment moderates.
    pub delisted: Option<u64>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Seeded: {} models ({} creators), {} licences, {} reviews",
            self.models, self.creators, self.licences, self.reviews
        )?;
        if self.synthetic > 0 {
            write!(f, " and {} synthetic listings", self.synthetic)?;
        }
        if self.evaluation_sets > 0 {
            write!(f, "; {} evaluation sets on IPFS", self.evaluation_sets)?;
        }
        if !self.derived_under.is_empty() {
            write!(f, "; {} licences bought to derive from real models", self.derived_under.len())?;
        }
        if let Some(model) = self.reported {
            write!(f, "; model #{model} reported, awaiting its owner's response")?;
        }
        if let Some(model) = self.delisted {
            write!(f, "; model #{model} delisted by the council")?;
        }
        Ok(())
    }
}

/// Seeds the catalogue of a freshly started `stack` (with `ASSAY_SEED_LISTINGS` synthetic
/// listings) and prints one line saying what.
pub fn run(paths: &Paths, stack: &Stack) -> Result<Summary> {
    let synthetic = synthetic_count(std::env::var(SYNTHETIC_ENV).ok().as_deref())?;
    seed(paths, stack, synthetic)
}

/// Seeds the real catalogue and `synthetic` listings on `stack`; prints the summary line.
pub fn seed(paths: &Paths, stack: &Stack, synthetic: usize) -> Result<Summary> {
    let accounts: Vec<Address> = stack
        .accounts
        .iter()
        .map(|a| a.address.parse().map_err(|e| format!("anvil's dev account {:?}: {e}", a.address)))
        .collect::<Result<_>>()?;
    let target = Target { config: &stack.config, chain_port: stack.ports.chain, ipfs_port: stack.ports.ipfs, accounts };
    seed_on(paths, target, synthetic)
}

/// Where a catalogue is seeded: an anvil on 127.0.0.1 (its unlocked dev accounts send) with the
/// contracts `config` names, and an IPFS node. A `Stack`, or a chain started apart from one (the
/// e2e suite's public-network rehearsal).
pub struct Target<'a> {
    pub config: &'a RuntimeConfig,
    pub chain_port: u16,
    pub ipfs_port: u16,
    /// anvil's dev accounts, in its order.
    pub accounts: Vec<Address>,
}

/// Seeds the real catalogue and `synthetic` listings on `target`; prints the summary line.
pub fn seed_on(paths: &Paths, target: Target<'_>, synthetic: usize) -> Result<Summary> {
    let Target { config, chain_port, ipfs_port, accounts } = target;
    let market = config.contract("AssayMarket").ok_or("the deployment names no AssayMarket contract")?;
    if accounts.len() < 10 {
        return Err(format!("the seeded catalogue needs anvil's 10 dev accounts, anvil reported {}", accounts.len()));
    }
    let seeder = Seeder {
        paths,
        market: Market::new(chain_port, market),
        moderation: config.contract("AssayModeration").map(|address| Market::new(chain_port, address)),
        ipfs: Kubo { port: ipfs_port },
        accounts,
    };
    let summary = seeder.seed(synthetic).map_err(|e| format!("seeding the catalogue failed: {e}"))?;
    println!("{summary}");
    Ok(summary)
}

/// `ASSAY_SEED_LISTINGS`: absent or empty = 0.
pub fn synthetic_count(value: Option<&str>) -> Result<usize> {
    match value.map(str::trim) {
        None | Some("") => Ok(0),
        Some(text) => text.parse().map_err(|_| format!("{SYNTHETIC_ENV}={text:?} is not a number of listings")),
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;
    use alloy_primitives::aliases::U96;
    use assay_core::contracts::IAssayMarket;
    use assay_core::contracts::IAssayModeration::{self, CaseStatus, Reason};
    use serde_json::Value;

    use super::offer::{DAY, finney};
    use super::*;
    use crate::http;
    use crate::process::free_port;
    use crate::stack::Ports;

    /// The whole seeding against a real private stack (anvil, the IPFS node, the deployed
    /// contracts), read back through the market's views and the IPFS gateway. 250 synthetic
    /// listings, or `ASSAY_SEED_LISTINGS` (e.g. 10000 to time the volume path).
    #[test]
    fn seeds_a_real_stack() {
        let paths = Paths::discover();
        let repo = std::env::temp_dir().join(format!("assay-seed-test-{}", std::process::id()));
        let ports = Ports { chain: free_port().unwrap(), ipfs: free_port().unwrap() };
        let stack = Stack::start(&paths, ports, &repo, "seed-test")
            .expect("the stack starts (run `cargo xtask install` first)");
        let synthetic = std::env::var(SYNTHETIC_ENV).map_or(250, |n| synthetic_count(Some(&n)).unwrap().max(1));
        let summary = seed(&paths, &stack, synthetic).unwrap();
        let Summary { models, creators, licences, reviews, .. } = summary;
        assert_eq!((models, creators, licences, reviews, summary.evaluation_sets), (6, 4, 4, 2, 2));
        // Account #2 derives digits-small from digits; synthetic derivatives' creators hold licences of their parents.
        assert_eq!(summary.derived_under[0], (2, 1));
        let derived = |model: u64| summary.derived_under.iter().filter(|(_, m)| *m == model).count() as u64;

        let market = stack.config.contract("AssayMarket").unwrap();
        let chain = Market::new(ports.chain, market);
        let account = |i: usize| stack.accounts[i].address.parse::<Address>().unwrap();
        // The four real listings, the overstated copy of digits-small, the copy of magika.
        let total = 6 + synthetic as u64;
        assert_eq!(chain.model_count().unwrap(), total);
        // The overstated copy is reported as misrepresented by #4 and awaits its owner's response.
        assert_eq!(summary.reported, Some(5));
        let moderation = Market::new(ports.chain, stack.config.contract("AssayModeration").unwrap());
        let case = moderation.view(&IAssayModeration::latestCaseOfCall { modelId: U256::from(5) }).unwrap();
        let case = moderation.view(&IAssayModeration::caseOfCall { caseId: case }).unwrap();
        assert_eq!(
            (case.flagger, case.reason, case.status),
            (account(4), Reason::Misrepresented, CaseStatus::AwaitingResponse)
        );
        // The copy of magika (#6, listed by #5) was reported by magika's creator (#3), answered,
        // and delisted by the council's ruling: it sells nothing.
        assert_eq!(summary.delisted, Some(6));
        let case = moderation.view(&IAssayModeration::latestCaseOfCall { modelId: U256::from(6) }).unwrap();
        let case = moderation.view(&IAssayModeration::caseOfCall { caseId: case }).unwrap();
        assert_eq!(
            (case.flagger, case.reason, case.status, case.responder),
            (account(3), Reason::InfringesRights, CaseStatus::Upheld, account(5))
        );
        let copy = chain.view(&IAssayMarket::modelCall { modelId: U256::from(6) }).unwrap();
        assert!(copy.delisted);
        assert_eq!(copy.creator, account(5));
        let flagger_won = moderation.view(&IAssayModeration::withdrawableCall { account: account(3) }).unwrap();
        assert_eq!(flagger_won, case.stake * U256::from(2) - case.arbitrationFee);
        let page = chain.view(&IAssayMarket::modelsPageCall { offset: U256::ZERO, limit: U256::from(4) }).unwrap();
        let creators: Vec<Address> = page.page.iter().map(|m| m.creator).collect();
        assert_eq!(creators, [account(1), account(2), account(3), account(2)]);
        // Tiers as offered, sales and ratings as bought and reviewed.
        let digits = &page.page[0];
        assert_eq!(digits.tiers.len(), 3);
        assert_eq!((digits.tiers[2].maxSupply, digits.tiers[1].duration), (3, 365 * DAY));
        assert_eq!(digits.tiers[0].price, finney(2));
        assert_eq!((digits.sales, digits.ratingCount, digits.ratingSum), (2 + derived(1), 1, 5));
        assert_eq!((page.page[2].sales, page.page[2].tiers[2].sold), (1 + derived(3), 1));
        assert_eq!((page.page[3].sales, page.page[3].ratingCount, page.page[3].ratingSum), (1 + derived(4), 1, 4));
        let co_authors = chain.view(&IAssayMarket::coAuthorsOfCall { modelId: U256::from(2) }).unwrap();
        assert_eq!((co_authors[0].account, co_authors[0].bps), (account(3), 2000));
        let parents = chain.view(&IAssayMarket::parentsOfCall { modelId: U256::from(4) }).unwrap();
        assert_eq!((parents[0].modelId, parents[0].bps), (U256::from(1), 1500));
        let under = chain.view(&IAssayMarket::licenceCall { licenceId: parents[0].licenceId }).unwrap();
        assert_eq!((under.holder, under.modelId, under.tierId), (account(2), U256::from(1), U256::from(1)));
        assert!(chain.view(&IAssayMarket::hasLicenceCall { account: account(4), modelId: U256::from(1) }).unwrap());
        let derivation_licences = summary.derived_under.len() as u64;
        assert_eq!(chain.view(&IAssayMarket::licenceCountCall {}).unwrap(), U256::from(4 + derivation_licences));
        // Earnings accrue to the models (claimed by their owners), shares to co-authors: each sale
        // (the seeded purchases, and the licences bought to derive, all of the commercial tier) pays
        // the fee, then the parent's and co-author's shares of the rest; the owner's part is the rest.
        let earnings = |model: u64| chain.view(&IAssayMarket::earningsOfCall { modelId: U256::from(model) }).unwrap();
        let split = |paid: U96, parent_bps: u64, co_bps: u64| {
            let rest = U256::from(paid) - U256::from(paid) * U256::from(250) / U256::from(10_000);
            let parent = rest * U256::from(parent_bps) / U256::from(10_000);
            let co = rest * U256::from(co_bps) / U256::from(10_000);
            (rest - parent - co, parent, co)
        };
        let times = |n: u64, (owner, parent, co): (U256, U256, U256)| {
            (owner * U256::from(n), parent * U256::from(n), co * U256::from(n))
        };
        let digits_own = split(finney(2), 0, 0).0 + times(1 + derived(1), split(finney(50), 0, 0)).0;
        let small = times(1 + derived(4), split(finney(20), 1500, 0));
        let text = times(derived(2), split(finney(80), 0, 2000));
        let magika = split(finney(500), 0, 0).0 + times(derived(3), split(finney(120), 0, 0)).0;
        assert_eq!(earnings(1), digits_own + small.1);
        assert_eq!(earnings(2), text.0);
        assert_eq!(earnings(3), magika);
        assert_eq!(earnings(4), small.0);
        for i in [1, 2, 3, 4, 5] {
            let balance = chain.view(&IAssayMarket::withdrawableCall { account: account(i) }).unwrap();
            // Only text-direction's co-author (#3) is credited itself; the rest is the models'.
            let expected = if i == 3 { text.2 } else { U256::ZERO };
            assert_eq!(balance, expected, "dev account #{i}'s own credits");
        }

        // Every real card is on the IPFS node, names its ONNX file, whose bytes are the model's.
        for (i, stem) in ["digits", "text-direction", "magika", "digits-small"].iter().enumerate() {
            let card = http::get(ports.ipfs, &format!("/ipfs/{}", page.page[i].manifestCid)).unwrap().json().unwrap();
            let ours: Value = serde_json::from_str(
                &std::fs::read_to_string(paths.root.join(format!("inference/cards/{stem}.json"))).unwrap(),
            )
            .unwrap();
            assert_eq!((&card["name"], &card["io"]), (&ours["name"], &ours["io"]), "{stem}");
            let onnx = std::fs::read(paths.tools.join(format!("models/{stem}.onnx"))).unwrap();
            assert_eq!(card["model"], assay_core::ipfs::cid_of(&onnx).to_string(), "{stem}");
            let terms = http::get(ports.ipfs, &format!("/ipfs/{}", page.page[i].tiers[0].termsCid)).unwrap();
            assert!(terms.text().starts_with("Assay research licence"), "{stem}");
        }
        seeded_claims_are_on_the_node_and_reproduce(&paths, &chain, ports.ipfs, &repo);

        // The synthetic listings reuse the real cards.
        let last = chain.view(&IAssayMarket::modelCall { modelId: U256::from(total) }).unwrap();
        assert!(page.page.iter().any(|m| m.manifestCid == last.manifestCid));
        drop(stack);
        let _ = std::fs::remove_dir_all(&repo);
    }

    /// Every seeded claim names a bundle on the node whose manifest and arrays pass the checks
    /// (each array's bytes those of its CID), and claims what the listed model's predictions on it
    /// give: recomputed here on the model's bytes as listed (Python onnxruntime, the browser's
    /// reading and metrics). scikit-learn's own held-out accuracy of the digits models agrees.
    /// The overstated listing's claim is beyond its tolerance, on the same predictions.
    fn seeded_claims_are_on_the_node_and_reproduce(paths: &Paths, chain: &Market, ipfs: u16, dir: &std::path::Path) {
        use assay_inference::ModelCard;
        use assay_inference::evaluation::{Bundle, BundleLimits, Manifest, Outcome};

        let fetch = |cid: &str| {
            let bytes = http::get(ipfs, &format!("/ipfs/{cid}")).unwrap().body;
            assert_eq!(assay_core::ipfs::cid_of(&bytes).to_string(), cid, "the node's bytes for {cid}");
            bytes
        };
        let page = chain.view(&IAssayMarket::modelsPageCall { offset: U256::ZERO, limit: U256::from(5) }).unwrap();
        let measured: Value =
            serde_json::from_slice(&std::fs::read(paths.tools.join("models/manifest.json")).unwrap()).unwrap();
        let mut claimed = Vec::new();
        for (i, listed) in page.page.iter().enumerate() {
            let id = i + 1;
            let card: ModelCard = serde_json::from_slice(&fetch(&listed.manifestCid)).unwrap();
            let model = dir.join(format!("listed-{id}.onnx"));
            std::fs::write(&model, fetch(card.model.as_deref().unwrap())).unwrap();
            for result in &card.results {
                result.check().unwrap();
                let evaluation = result.evaluation.as_ref().expect("a seeded claim is reproducible");
                let text = String::from_utf8(fetch(&evaluation.bundle)).unwrap();
                let manifest = Manifest::from_json(&text, &BundleLimits::default()).unwrap();
                let files = manifest.cids().unwrap().into_iter().map(|cid| (cid.to_owned(), fetch(cid))).collect();
                let bundle = Bundle::new(manifest, &files).unwrap();
                let observed = evaluation::observe_on_host(paths, &model, &card, &bundle, result).unwrap();
                assert_eq!(observed.len(), result.metrics.len());
                for o in &observed {
                    let within = (o.claimed - o.observed).abs() <= evaluation.tolerance;
                    assert_eq!(within, o.outcome == Outcome::Reproduced, "{}: {o:?}", card.name);
                }
                claimed.push((id, card.name.clone(), bundle.manifest.samples, observed));
            }
        }
        let ids: Vec<usize> = claimed.iter().map(|c| c.0).collect();
        assert_eq!(
            ids,
            [1, 3, 4, 5],
            "digits, magika, digits-small and the overstated copy claim; text-direction doesn't"
        );
        for (id, name, samples, observed) in &claimed[..3] {
            assert!(observed.iter().all(|o| o.outcome == Outcome::Reproduced), "#{id} {name}: {observed:?}");
            assert!(*samples > 0);
        }
        assert_eq!(claimed[0].2, 297, "the held-out digits, rows 1,500-1,796");
        for (stem, (_, _, _, observed)) in [("digits", &claimed[0]), ("digits-small", &claimed[2])] {
            let sklearn = measured[format!("{stem}.onnx")]["heldOutAccuracy"].as_f64().unwrap();
            assert!(
                (observed[0].observed - sklearn).abs() < 5e-5,
                "{stem}: {} vs scikit-learn's {sklearn}",
                observed[0].observed
            );
        }
        let (_, name, _, overstated) = &claimed[3];
        assert_eq!(name, claims::OVERSTATED.name);
        for (o, small) in overstated.iter().zip(&claimed[2].3) {
            assert_eq!((o.outcome, o.observed), (Outcome::DoesNotMatch, small.observed), "{o:?}");
            assert!(o.claimed - o.observed > claims::OVERSTATED.by / 2.0, "overstated as planned: {o:?}");
        }
    }

    #[test]
    fn the_synthetic_count_comes_from_the_environment() {
        assert_eq!(synthetic_count(None).unwrap(), 0);
        assert_eq!(synthetic_count(Some("")).unwrap(), 0);
        assert_eq!(synthetic_count(Some(" 10000 ")).unwrap(), 10_000);
        assert!(synthetic_count(Some("lots")).unwrap_err().contains("ASSAY_SEED_LISTINGS"));
    }

    #[test]
    fn the_summary_is_one_line() {
        let summary = Summary {
            models: 4,
            creators: 3,
            licences: 4,
            reviews: 2,
            synthetic: 0,
            evaluation_sets: 0,
            derived_under: vec![(2, 1)],
            reported: None,
            delisted: None,
        };
        assert_eq!(
            summary.to_string(),
            "Seeded: 4 models (3 creators), 4 licences, 2 reviews; 1 licences bought to derive from real models"
        );
        let more = Summary { synthetic: 10_000, derived_under: vec![], ..summary };
        assert_eq!(
            more.to_string(),
            "Seeded: 4 models (3 creators), 4 licences, 2 reviews and 10000 synthetic listings"
        );
        let evaluated = Summary { models: 5, evaluation_sets: 2, derived_under: vec![], ..Summary::default() };
        assert_eq!(
            evaluated.to_string(),
            "Seeded: 5 models (0 creators), 0 licences, 0 reviews; 2 evaluation sets on IPFS"
        );
        let reported = Summary { reported: Some(5), delisted: Some(6), ..evaluated };
        assert!(
            reported
                .to_string()
                .ends_with("; model #5 reported, awaiting its owner's response; model #6 delisted by the council")
        );
    }
}
