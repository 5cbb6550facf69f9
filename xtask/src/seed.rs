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
//! reason in words.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, B256, U256, hex};
use alloy_sol_types::{SolCall, SolEvent};
use assay_core::contracts::IAssayMarket::{self, CoAuthor, ParentShare, TierInput};
use assay_core::failure::Failure;
use serde_json::{Value, json};

use crate::http;
use crate::paths::Paths;
use crate::process::Result;
use crate::stack::Stack;

/// The environment variable asking for synthetic listings after the real ones.
pub const SYNTHETIC_ENV: &str = "ASSAY_SEED_LISTINGS";
/// Transactions per JSON-RPC batch when sending synthetic listings (fewer when a block holds
/// fewer).
const BATCH: usize = 200;
/// 1 finney = 10¹⁵ wei = 0.001 ETH: the unit prices are written in below.
const FINNEY: u64 = 1_000_000_000_000_000;
const DAY: u32 = 86_400;

/// How a tier is offered; each kind has its terms document on IPFS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Perpetual, non-commercial research use, not transferable.
    Research,
    /// 365 days of commercial use, derivatives allowed, transferable.
    Commercial,
    /// Perpetual commercial use with derivatives, at most 3 licences.
    Founding,
}

impl Offer {
    pub const ALL: [Offer; 3] = [Offer::Research, Offer::Commercial, Offer::Founding];

    fn terms(self) -> (&'static str, &'static str) {
        match self {
            Offer::Research => (
                "terms-research.txt",
                "Assay research licence\n\nPerpetual, non-commercial use of the licensed model for research, teaching and \
                 evaluation. Publishing results obtained with it is allowed; redistributing the weights, using it in a \
                 paid product or service, and publishing derivatives are not. The licence is personal and cannot be \
                 transferred.\n",
            ),
            Offer::Commercial => (
                "terms-commercial.txt",
                "Assay commercial licence (365 days)\n\nUse of the licensed model in commercial products and services for \
                 365 days from purchase, renewable at the tier's price. Derivatives (fine-tuned, pruned or distilled \
                 models) are allowed; a derivative listed on Assay names this model as its parent. The licence may be \
                 transferred to another account.\n",
            ),
            Offer::Founding => (
                "terms-founding.txt",
                "Assay founding licence (limited to 3)\n\nPerpetual commercial use of the licensed model, derivatives \
                 allowed (a derivative listed on Assay names this model as its parent). At most three founding licences \
                 are sold. The licence may be transferred to another account.\n",
            ),
        }
    }

    /// The tier at `price` wei, with its terms' CID.
    pub fn tier(self, price: U96, terms_cid: &str) -> TierInput {
        let (duration, max_supply, commercial) = match self {
            Offer::Research => (0, 0, false),
            Offer::Commercial => (365 * DAY, 0, true),
            Offer::Founding => (0, 3, true),
        };
        TierInput {
            price,
            duration,
            maxSupply: max_supply,
            commercialUse: commercial,
            derivativesAllowed: commercial,
            transferable: commercial,
            termsCid: terms_cid.to_owned(),
        }
    }
}

/// A real model's listing: its file stem (`<stem>.onnx`, `inference/cards/<stem>.json`), the dev
/// account that lists it, and what it offers.
struct RealListing {
    stem: &'static str,
    creator: usize,
    royalty_bps: u16,
    co_author: Option<(usize, u16)>,
    /// A listing made earlier in this list, and its share in bps.
    parent: Option<(&'static str, u16)>,
    /// Offers with their price in finney.
    tiers: &'static [(Offer, u64)],
}

/// The real catalogue. Account #0 is the deployer; #1–#3 create, #4 and #5 buy.
static LISTINGS: [RealListing; 4] = [
    RealListing {
        stem: "digits",
        creator: 1,
        royalty_bps: 500,
        co_author: None,
        parent: None,
        tiers: &[(Offer::Research, 2), (Offer::Commercial, 50), (Offer::Founding, 200)],
    },
    RealListing {
        stem: "text-direction",
        creator: 2,
        royalty_bps: 250,
        co_author: Some((3, 2000)),
        parent: None,
        tiers: &[(Offer::Research, 5), (Offer::Commercial, 80)],
    },
    RealListing {
        stem: "magika",
        creator: 3,
        royalty_bps: 0,
        co_author: None,
        parent: None,
        tiers: &[(Offer::Research, 10), (Offer::Commercial, 120), (Offer::Founding, 500)],
    },
    RealListing {
        stem: "digits-small",
        creator: 2,
        royalty_bps: 500,
        co_author: None,
        parent: Some(("digits", 1500)),
        tiers: &[(Offer::Research, 1), (Offer::Commercial, 20)],
    },
];

/// Licences bought: buyer account, model stem, tier index.
const PURCHASES: [(usize, &str, usize); 4] =
    [(4, "digits", 0), (5, "digits", 1), (4, "magika", 2), (5, "digits-small", 1)];

/// Reviews: index into `PURCHASES` (the reviewer is its buyer), rating, comment.
const REVIEWS: [(usize, u8, &str); 2] = [
    (
        0,
        5,
        "Reads the digits I draw on the pad almost every time, and the trial runs instantly in the browser. A good small baseline.",
    ),
    (
        3,
        4,
        "Half the size of the original digits model and still right on most of my drawings; it mixes up a hurried 7 and 1 now and then.",
    ),
];

/// What was seeded.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub models: usize,
    pub creators: usize,
    pub licences: usize,
    pub reviews: usize,
    pub synthetic: usize,
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
        Ok(())
    }
}

/// Seeds the catalogue of a freshly started `stack` (with `ASSAY_SEED_LISTINGS` synthetic
/// listings) and prints one line saying what.
pub fn run(paths: &Paths, stack: &Stack) -> Result<Summary> {
    let synthetic = synthetic_count(std::env::var(SYNTHETIC_ENV).ok().as_deref())?;
    seed(paths, stack, synthetic)
}

/// Seeds the real catalogue and `synthetic` listings; prints the summary line.
pub fn seed(paths: &Paths, stack: &Stack, synthetic: usize) -> Result<Summary> {
    let market = stack.config.contract("AssayMarket").ok_or("the deployment names no AssayMarket contract")?;
    let accounts: Vec<Address> = stack
        .accounts
        .iter()
        .map(|a| a.address.parse().map_err(|e| format!("anvil's dev account {:?}: {e}", a.address)))
        .collect::<Result<_>>()?;
    if accounts.len() < 10 {
        return Err(format!("the seeded catalogue needs anvil's 10 dev accounts, anvil reported {}", accounts.len()));
    }
    let seeder =
        Seeder { paths, chain: Chain::new(stack.ports.chain, market), ipfs: Ipfs { port: stack.ports.ipfs }, accounts };
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

struct Seeder<'a> {
    paths: &'a Paths,
    chain: Chain,
    ipfs: Ipfs,
    accounts: Vec<Address>,
}

impl Seeder<'_> {
    fn seed(&self, synthetic: usize) -> Result<Summary> {
        let terms = self.upload_terms()?;
        let mut ids: BTreeMap<&str, u64> = BTreeMap::new();
        let mut manifests = Vec::new();
        for listing in &LISTINGS {
            let manifest = self.upload_card(listing.stem)?;
            let parents = match listing.parent {
                Some((stem, bps)) => {
                    let id = *ids
                        .get(stem)
                        .ok_or_else(|| format!("{}'s parent {stem} is not listed before it", listing.stem))?;
                    vec![ParentShare { modelId: U256::from(id), bps }]
                }
                None => Vec::new(),
            };
            let call = IAssayMarket::listModelCall {
                manifestCid: manifest.clone(),
                keyCommitment: B256::ZERO,
                royaltyBps: listing.royalty_bps,
                coAuthors: listing
                    .co_author
                    .map(|(account, bps)| vec![CoAuthor { account: self.accounts[account], bps }])
                    .unwrap_or_default(),
                parents,
                tiers: listing
                    .tiers
                    .iter()
                    .map(|(offer, price)| offer.tier(finney(*price), &terms[offer_index(*offer)]))
                    .collect(),
            };
            let what = format!("listing {} from dev account #{}", listing.stem, listing.creator);
            let receipt = self.chain.transact(self.accounts[listing.creator], call.abi_encode(), U256::ZERO, &what)?;
            let id = event_id(&receipt, self.chain.market, IAssayMarket::ModelListed::SIGNATURE_HASH)
                .ok_or_else(|| format!("{what}: the receipt has no ModelListed event"))?;
            ids.insert(listing.stem, id);
            manifests.push(manifest);
        }

        let mut licences = Vec::new();
        for (buyer, stem, tier) in PURCHASES {
            let listing = LISTINGS.iter().find(|l| l.stem == stem).expect("purchases name listed models");
            let (_, price) = listing.tiers[tier];
            let call = IAssayMarket::buyLicenseCall {
                modelId: U256::from(ids[stem]),
                tierId: U256::from(tier),
                buyerKey: B256::ZERO,
            };
            let what = format!("buying tier {tier} of {stem} as dev account #{buyer}");
            let receipt = self.chain.transact(
                self.accounts[buyer],
                call.abi_encode(),
                U256::from(price) * U256::from(FINNEY),
                &what,
            )?;
            let licence = event_id(&receipt, self.chain.market, IAssayMarket::LicencePurchased::SIGNATURE_HASH)
                .ok_or_else(|| format!("{what}: the receipt has no LicencePurchased event"))?;
            licences.push((buyer, licence));
        }

        for (purchase, rating, text) in REVIEWS {
            let (reviewer, licence) = licences[purchase];
            let comment = serde_json::to_vec_pretty(&json!({ "text": text })).expect("JSON");
            let comment_cid = self.ipfs.add(&format!("review-{licence}.json"), &comment)?;
            let call = IAssayMarket::reviewCall { licenceId: U256::from(licence), rating, commentCid: comment_cid };
            let what = format!("reviewing licence {licence} as dev account #{reviewer}");
            self.chain.transact(self.accounts[reviewer], call.abi_encode(), U256::ZERO, &what)?;
        }

        if synthetic > 0 {
            let parents: Vec<u64> = ids.values().copied().collect();
            let plan = plan_synthetic(synthetic, manifests.len(), &parents);
            self.send_synthetic(&plan, &manifests, &terms)?;
        }
        let mut creators: Vec<usize> = LISTINGS.iter().map(|l| l.creator).collect();
        creators.sort_unstable();
        creators.dedup();
        Ok(Summary {
            models: LISTINGS.len(),
            creators: creators.len(),
            licences: licences.len(),
            reviews: REVIEWS.len(),
            synthetic,
        })
    }

    /// The three terms documents; their CIDs in `Offer::ALL` order.
    fn upload_terms(&self) -> Result<Vec<String>> {
        Offer::ALL
            .iter()
            .map(|offer| {
                let (name, text) = offer.terms();
                self.ipfs.add(name, text.as_bytes())
            })
            .collect()
    }

    /// Adds `<stem>.onnx`, then its card naming it; returns the card's CID.
    fn upload_card(&self, stem: &str) -> Result<String> {
        let file = self.paths.tools.join("models").join(format!("{stem}.onnx"));
        let bytes = std::fs::read(&file).map_err(|e| {
            format!("{}: {e} (`cargo xtask install` runs inference/models/setup.py, which makes it)", file.display())
        })?;
        let model_cid = self.ipfs.add(&format!("{stem}.onnx"), &bytes)?;
        let card_file = self.paths.root.join("inference/cards").join(format!("{stem}.json"));
        let text = std::fs::read_to_string(&card_file).map_err(|e| format!("{}: {e}", card_file.display()))?;
        let card = card_with_model(&text, &model_cid).map_err(|e| format!("{}: {e}", card_file.display()))?;
        self.ipfs.add(&format!("{stem}.json"), card.as_bytes())
    }

    fn send_synthetic(&self, plan: &[SyntheticListing], manifests: &[String], terms: &[String]) -> Result<()> {
        let start = self.chain.model_count()?;
        let calldata = |listing: &SyntheticListing| listing.call(&self.accounts, manifests, terms).abi_encode();
        // One gas limit for all: the heaviest listing's estimate plus half (no per-transaction
        // estimate, which would double the chain's work).
        let heaviest = plan
            .iter()
            .max_by_key(|l| (l.tiers.len(), l.co_author.is_some(), l.parent.is_some()))
            .expect("plan is not empty");
        let estimate = self.chain.rpc(
            "eth_estimateGas",
            json!([{ "from": self.accounts[heaviest.creator], "to": self.chain.market, "data": hex::encode_prefixed(calldata(heaviest)) }]),
        )?;
        let gas = parse_quantity(&estimate)? * 5 / 4;
        // A batch must fit in one block: anvil's miner skips what does not fit, and a sender's
        // later transactions are then dropped as out of order.
        let block = self.chain.rpc("eth_getBlockByNumber", json!(["latest", false]))?;
        let per_block = (parse_quantity(&block["gasLimit"])? / gas) as usize;
        let batch_size = per_block.clamp(1, BATCH);
        let mut nonces = BTreeMap::new();
        for creator in plan.iter().map(|l| l.creator) {
            if let std::collections::btree_map::Entry::Vacant(entry) = nonces.entry(creator) {
                let nonce = self.chain.rpc("eth_getTransactionCount", json!([self.accounts[creator], "pending"]))?;
                entry.insert(parse_quantity(&nonce)?);
            }
        }
        let started = Instant::now();
        let manual = ManualMining::start(&self.chain)?;
        let mut hashes = Vec::with_capacity(plan.len());
        for (batch_index, batch) in plan.chunks(batch_size).enumerate() {
            let requests: Vec<(&str, Value)> = batch
                .iter()
                .map(|listing| {
                    let nonce = nonces.get_mut(&listing.creator).expect("every creator has a nonce");
                    let tx = json!({
                        "from": self.accounts[listing.creator],
                        "to": self.chain.market,
                        "data": hex::encode_prefixed(calldata(listing)),
                        "gas": format!("0x{gas:x}"),
                        "nonce": format!("0x{:x}", *nonce),
                    });
                    *nonce += 1;
                    ("eth_sendTransaction", json!([tx]))
                })
                .collect();
            for (i, answer) in self.chain.rpc_batch(&requests)?.into_iter().enumerate() {
                let n = batch_index * batch_size + i + 1;
                hashes.push(answer.map_err(|e| format!("synthetic listing {n} of {}: {e}", plan.len()))?);
            }
            // One batch at a time in the pool: mine it before sending the next.
            self.mine_until(start + hashes.len() as u64, &hashes)?;
        }
        drop(manual);
        println!(
            "  {} synthetic listings in {:.1} s ({batch_size} a batch and a block)",
            plan.len(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}

impl Seeder<'_> {
    /// Mines the pool (automine is off) until `modelCount()` is `expected`. A block that adds
    /// nothing while listings are missing is an error naming the first of the synthetic listings'
    /// `hashes` that did not make it.
    fn mine_until(&self, expected: u64, hashes: &[Value]) -> Result<()> {
        let mut seen = self.chain.model_count()?;
        while seen < expected {
            self.chain.rpc("evm_mine", json!([]))?;
            let now = self.chain.model_count()?;
            if now == seen {
                let failed = self.chain.first_failed(hashes)?;
                let pool = self.chain.rpc("txpool_status", json!([])).unwrap_or_default();
                return Err(format!(
                    "after {} synthetic listings modelCount() is {seen}, expected {expected} (anvil's pool: {pool}){}",
                    hashes.len(),
                    failed.map(|(i, why)| format!("; synthetic listing {} {why}", i + 1)).unwrap_or_default()
                ));
            }
            seen = now;
        }
        Ok(())
    }
}

/// Turns anvil's automine off while it lives (the synthetic batches are mined block by block
/// with `evm_mine`, so the order transactions arrive in within a batch never matters), and back
/// on when dropped, on errors too: the dev chain must mine the app's transactions at once.
struct ManualMining<'a>(&'a Chain);

impl<'a> ManualMining<'a> {
    fn start(chain: &'a Chain) -> Result<Self> {
        chain.rpc("evm_setAutomine", json!([false]))?;
        Ok(Self(chain))
    }
}

impl Drop for ManualMining<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.rpc("evm_setAutomine", json!([true])) {
            eprintln!("warning: could not turn anvil's automine back on: {e}");
        }
    }
}

fn offer_index(offer: Offer) -> usize {
    Offer::ALL.iter().position(|o| *o == offer).expect("every offer is in ALL")
}

fn finney(amount: u64) -> U96 {
    U96::from(amount) * U96::from(FINNEY)
}

/// The card's JSON text with `"model"` set to the ONNX file's CID (pretty, as uploaded).
pub fn card_with_model(card: &str, model_cid: &str) -> Result<String> {
    let mut card: Value = serde_json::from_str(card).map_err(|e| format!("the card is not JSON: {e}"))?;
    let object = card.as_object_mut().ok_or("the card is not a JSON object")?;
    if object.get("name").and_then(Value::as_str).is_none_or(str::is_empty) {
        return Err("the card has no name".into());
    }
    if !object.contains_key("io") {
        return Err("the card has no io section".into());
    }
    object.insert("model".into(), Value::String(model_cid.to_owned()));
    Ok(serde_json::to_string_pretty(&card).expect("JSON") + "\n")
}

/// The id in topic 1 of the first `event` log emitted by `contract` in `receipt`.
fn event_id(receipt: &Value, contract: Address, event: B256) -> Option<u64> {
    receipt["logs"].as_array()?.iter().find_map(|log| {
        let address: Address = log["address"].as_str()?.parse().ok()?;
        let topics = log["topics"].as_array()?;
        let topic0: B256 = topics.first()?.as_str()?.parse().ok()?;
        if address != contract || topic0 != event {
            return None;
        }
        let id: U256 = topics.get(1)?.as_str()?.parse().ok()?;
        u64::try_from(id).ok()
    })
}

fn parse_quantity(value: &Value) -> Result<u64> {
    let text = value.as_str().ok_or_else(|| format!("expected a hex quantity, got {value}"))?;
    assay_core::eth::parse_u64_quantity(text).map_err(|e| format!("{text:?}: {}", e.0))
}

/// A synthetic listing: one of the real cards again, from one of dev accounts #1–#9.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntheticListing {
    pub creator: usize,
    /// Index into the real manifests.
    pub manifest: usize,
    pub royalty_bps: u16,
    pub co_author: Option<(usize, u16)>,
    /// An existing model id and its share.
    pub parent: Option<(u64, u16)>,
    /// Offers with their price in wei.
    pub tiers: Vec<(Offer, U96)>,
}

impl SyntheticListing {
    fn call(&self, accounts: &[Address], manifests: &[String], terms: &[String]) -> IAssayMarket::listModelCall {
        IAssayMarket::listModelCall {
            manifestCid: manifests[self.manifest].clone(),
            keyCommitment: B256::ZERO,
            royaltyBps: self.royalty_bps,
            coAuthors: self.co_author.map(|(a, bps)| vec![CoAuthor { account: accounts[a], bps }]).unwrap_or_default(),
            parents: self
                .parent
                .map(|(id, bps)| vec![ParentShare { modelId: U256::from(id), bps }])
                .unwrap_or_default(),
            tiers: self.tiers.iter().map(|(offer, price)| offer.tier(*price, &terms[offer_index(*offer)])).collect(),
        }
    }
}

/// splitmix64: the same variety on every run.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Plans `count` synthetic listings over `manifests` real cards; every sixth names one of the
/// real models' ids `parents` as its parent.
pub fn plan_synthetic(count: usize, manifests: usize, parents: &[u64]) -> Vec<SyntheticListing> {
    (0..count)
        .map(|i| {
            let h = mix(i as u64);
            let creator = 1 + i % 9;
            // 0.0001 to 0.1 ETH for research; commercial ×8, founding ×40.
            let base = U96::from(1 + h % 1000) * U96::from(FINNEY / 10);
            let tiers = Offer::ALL[..1 + (h >> 10) as usize % 3]
                .iter()
                .map(|offer| {
                    let factor = match offer {
                        Offer::Research => 1u64,
                        Offer::Commercial => 8,
                        Offer::Founding => 40,
                    };
                    (*offer, base * U96::from(factor))
                })
                .collect();
            SyntheticListing {
                creator,
                manifest: i % manifests.max(1),
                royalty_bps: [0, 250, 500, 1000][(h >> 20) as usize % 4],
                co_author: (i % 4 == 3).then(|| (1 + creator % 9, 500 + ((h >> 24) % 26) as u16 * 100)),
                parent: (i % 6 == 5 && !parents.is_empty())
                    .then(|| (parents[(h >> 32) as usize % parents.len()], 1000)),
                tiers,
            }
        })
        .collect()
}

/// anvil's JSON-RPC, and the market's views.
pub struct Chain {
    pub port: u16,
    pub market: Address,
}

impl Chain {
    pub fn new(port: u16, market: Address) -> Self {
        Self { port, market }
    }

    /// One JSON-RPC call; an error answer becomes its sentence (reverts decoded).
    pub fn rpc(&self, method: &str, params: Value) -> Result<Value> {
        let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
        let answer = http::post_json(self.port, "/", &request.to_string())?.json()?;
        rpc_result(&answer).map_err(|e| format!("{method}: {e}"))
    }

    /// One JSON-RPC batch; each answer in request order.
    pub fn rpc_batch(&self, requests: &[(&str, Value)]) -> Result<Vec<Result<Value>>> {
        let batch: Vec<Value> = requests
            .iter()
            .enumerate()
            .map(|(id, (method, params))| json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .collect();
        let answer = http::post_json(self.port, "/", &Value::Array(batch).to_string())?.json()?;
        let answers = answer.as_array().ok_or_else(|| format!("a batch was answered with {answer:.200}"))?;
        let mut by_id: Vec<Option<Result<Value>>> = (0..requests.len()).map(|_| None).collect();
        for answer in answers {
            let id = answer["id"]
                .as_u64()
                .filter(|id| (*id as usize) < requests.len())
                .ok_or_else(|| format!("a batch answer has no known id: {answer}"))?;
            by_id[id as usize] = Some(rpc_result(answer));
        }
        by_id
            .into_iter()
            .enumerate()
            .map(|(i, a)| a.ok_or_else(|| format!("request {i} of a batch got no answer")))
            .collect()
    }

    /// A view call on the market, decoded.
    pub fn view<C: SolCall>(&self, call: &C) -> Result<C::Return> {
        let data = self.rpc(
            "eth_call",
            json!([{ "to": self.market, "data": hex::encode_prefixed(call.abi_encode()) }, "latest"]),
        )?;
        let bytes =
            hex::decode(data.as_str().unwrap_or_default()).map_err(|e| format!("eth_call answered {data}: {e}"))?;
        C::abi_decode_returns(&bytes).map_err(|e| format!("unexpected answer from the market contract: {e}"))
    }

    pub fn model_count(&self) -> Result<u64> {
        let count = self.view(&IAssayMarket::modelCountCall {})?;
        u64::try_from(count).map_err(|_| format!("modelCount() is {count}"))
    }

    /// Sends a transaction from an unlocked dev account, waits for its receipt and requires
    /// status 1. `what` names the step in errors.
    fn transact(&self, from: Address, data: Vec<u8>, value: U256, what: &str) -> Result<Value> {
        let tx = json!({ "from": from, "to": self.market, "data": hex::encode_prefixed(data), "value": format!("0x{value:x}") });
        let hash = self.rpc("eth_sendTransaction", json!([tx])).map_err(|e| format!("{what}: {e}"))?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let receipt = self.rpc("eth_getTransactionReceipt", json!([hash]))?;
            if !receipt.is_null() {
                if receipt["status"] != "0x1" {
                    return Err(format!(
                        "{what}: transaction {hash} was mined but reverted (status {})",
                        receipt["status"]
                    ));
                }
                return Ok(receipt);
            }
            if Instant::now() > deadline {
                return Err(format!("{what}: transaction {hash} was not mined within 30 s"));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The first of `hashes` that has no receipt or a failed one, and why.
    fn first_failed(&self, hashes: &[Value]) -> Result<Option<(usize, String)>> {
        for (start, chunk) in hashes.chunks(BATCH).enumerate() {
            let requests: Vec<(&str, Value)> =
                chunk.iter().map(|h| ("eth_getTransactionReceipt", json!([h]))).collect();
            for (i, receipt) in self.rpc_batch(&requests)?.into_iter().enumerate() {
                let index = start * BATCH + i;
                match receipt {
                    Ok(r) if r.is_null() => return Ok(Some((index, format!("({}) was never mined", hashes[index])))),
                    Ok(r) if r["status"] != "0x1" => return Ok(Some((index, format!("({}) reverted", hashes[index])))),
                    Ok(_) => {}
                    Err(e) => return Ok(Some((index, e))),
                }
            }
        }
        Ok(None)
    }
}

/// A JSON-RPC answer's result, or its error as a sentence.
fn rpc_result(answer: &Value) -> Result<Value> {
    if let Some(error) = answer.get("error") {
        let code = error["code"].as_i64().unwrap_or_default();
        let message = error["message"].as_str().unwrap_or_default();
        let failure = Failure::classify(code, message, error.get("data"));
        return Err(match failure {
            Failure::Other { .. } => format!("the chain answered error {code}: {message}"),
            known => known.explain(),
        });
    }
    answer.get("result").cloned().ok_or_else(|| format!("a JSON-RPC answer without result or error: {answer:.200}"))
}

/// The IPFS node's Kubo RPC.
struct Ipfs {
    port: u16,
}

const BOUNDARY: &str = "assay-seed-4f1c9e2b7a";

impl Ipfs {
    /// Adds one file under the fixed import profile; returns its CID, which must equal the one
    /// `assay_core::ipfs::cid_of` computes for the bytes.
    fn add(&self, name: &str, bytes: &[u8]) -> Result<String> {
        let path = assay_core::ipfs::api_add_url("/api/v0");
        let answer = http::request(
            self.port,
            "POST",
            &path,
            &format!("multipart/form-data; boundary={BOUNDARY}"),
            &multipart_body(BOUNDARY, name, bytes),
        )
        .map_err(|e| format!("adding {name} to the IPFS node: {e}"))?;
        if answer.status != 200 {
            return Err(format!("adding {name} to the IPFS node: HTTP {} {}", answer.status, answer.text().trim()));
        }
        let cid = cid_from_add_answer(&answer.text()).map_err(|e| format!("adding {name} to the IPFS node: {e}"))?;
        let expected = assay_core::ipfs::cid_of(bytes).to_string();
        if cid != expected {
            return Err(format!("the IPFS node gave {name} the CID {cid}, but its bytes have the CID {expected}"));
        }
        Ok(cid)
    }
}

/// A `multipart/form-data` body with one file part named `file`, as Kubo's `add` takes it.
pub fn multipart_body(boundary: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        filename.replace(['"', '\r', '\n'], "_")
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// The root's `Hash` from an `add` answer: NDJSON, one line per entry, the root last.
pub fn cid_from_add_answer(ndjson: &str) -> Result<String> {
    let last = ndjson.lines().rev().find(|l| !l.trim().is_empty()).ok_or("the node answered nothing")?;
    let entry: Value = serde_json::from_str(last).map_err(|e| format!("the node answered {last:?}: {e}"))?;
    entry["Hash"].as_str().map(str::to_owned).ok_or_else(|| format!("the node's answer has no Hash: {last}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole seeding against a real private stack (anvil, the IPFS node, the deployed
    /// contracts), read back through the market's views and the IPFS gateway. 250 synthetic
    /// listings, or `ASSAY_SEED_LISTINGS` (e.g. 10000 to time the volume path).
    #[test]
    fn seeds_a_real_stack() {
        use crate::process::free_port;
        use crate::stack::Ports;
        let paths = Paths::discover();
        let repo = std::env::temp_dir().join(format!("assay-seed-test-{}", std::process::id()));
        let ports = Ports { chain: free_port().unwrap(), ipfs: free_port().unwrap() };
        let stack = Stack::start(&paths, ports, &repo, "seed-test")
            .expect("the stack starts (run `cargo xtask install` first)");
        let synthetic = std::env::var(SYNTHETIC_ENV).map_or(250, |n| synthetic_count(Some(&n)).unwrap().max(1));
        let summary = seed(&paths, &stack, synthetic).unwrap();
        assert_eq!(summary, Summary { models: 4, creators: 3, licences: 4, reviews: 2, synthetic });

        let market = stack.config.contract("AssayMarket").unwrap();
        let chain = Chain::new(ports.chain, market);
        let account = |i: usize| stack.accounts[i].address.parse::<Address>().unwrap();
        let total = 4 + synthetic as u64;
        assert_eq!(chain.model_count().unwrap(), total);
        let page = chain.view(&IAssayMarket::modelsPageCall { offset: U256::ZERO, limit: U256::from(4) }).unwrap();
        let creators: Vec<Address> = page.page.iter().map(|m| m.creator).collect();
        assert_eq!(creators, [account(1), account(2), account(3), account(2)]);
        // Tiers as offered, sales and ratings as bought and reviewed.
        let digits = &page.page[0];
        assert_eq!(digits.tiers.len(), 3);
        assert_eq!((digits.tiers[2].maxSupply, digits.tiers[1].duration), (3, 365 * DAY));
        assert_eq!(digits.tiers[0].price, finney(2));
        assert_eq!((digits.sales, digits.ratingCount, digits.ratingSum), (2, 1, 5));
        assert_eq!((page.page[2].sales, page.page[2].tiers[2].sold), (1, 1));
        assert_eq!((page.page[3].sales, page.page[3].ratingCount, page.page[3].ratingSum), (1, 1, 4));
        let co_authors = chain.view(&IAssayMarket::coAuthorsOfCall { modelId: U256::from(2) }).unwrap();
        assert_eq!((co_authors[0].account, co_authors[0].bps), (account(3), 2000));
        let parents = chain.view(&IAssayMarket::parentsOfCall { modelId: U256::from(4) }).unwrap();
        assert_eq!((parents[0].modelId, parents[0].bps), (U256::from(1), 1500));
        assert!(chain.view(&IAssayMarket::hasLicenceCall { account: account(4), modelId: U256::from(1) }).unwrap());
        assert_eq!(chain.view(&IAssayMarket::licenceCountCall {}).unwrap(), U256::from(4));
        // The digits creator earned from two sales, and the parent's owner from the derivative's.
        assert!(chain.view(&IAssayMarket::withdrawableCall { account: account(1) }).unwrap() > U256::ZERO);
        assert_eq!(chain.view(&IAssayMarket::withdrawableCall { account: account(5) }).unwrap(), U256::ZERO);

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
        // The synthetic listings reuse the real cards.
        let last = chain.view(&IAssayMarket::modelCall { modelId: U256::from(total) }).unwrap();
        assert!(page.page.iter().any(|m| m.manifestCid == last.manifestCid));
        drop(stack);
        let _ = std::fs::remove_dir_all(&repo);
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
        let summary = Summary { models: 4, creators: 3, licences: 4, reviews: 2, synthetic: 0 };
        assert_eq!(summary.to_string(), "Seeded: 4 models (3 creators), 4 licences, 2 reviews");
        let more = Summary { synthetic: 10_000, ..summary };
        assert_eq!(
            more.to_string(),
            "Seeded: 4 models (3 creators), 4 licences, 2 reviews and 10000 synthetic listings"
        );
    }

    #[test]
    fn the_real_catalogue_is_consistent() {
        // Three creators among #1–#3, buyers #4/#5 who are neither creators nor co-authors.
        for listing in &LISTINGS {
            assert!((1..=3).contains(&listing.creator), "{}", listing.stem);
            assert!((2..=3).contains(&listing.tiers.len()), "{}", listing.stem);
            let shares = listing.co_author.map_or(0, |c| c.1) + listing.parent.map_or(0, |p| p.1);
            assert!(shares <= 10_000);
            if let Some((parent, _)) = listing.parent {
                let at = LISTINGS.iter().position(|l| l.stem == parent).expect("parent is a real listing");
                assert!(at < LISTINGS.iter().position(|l| l.stem == listing.stem).unwrap(), "parent listed first");
            }
        }
        for (buyer, stem, tier) in PURCHASES {
            let listing = LISTINGS.iter().find(|l| l.stem == stem).expect("bought model is listed");
            assert!(tier < listing.tiers.len());
            assert!(LISTINGS.iter().all(|l| l.creator != buyer && l.co_author.map(|c| c.0) != Some(buyer)));
        }
        assert!(REVIEWS.iter().all(|(p, rating, _)| *p < PURCHASES.len() && (1..=5).contains(rating)));
        let text_direction = LISTINGS.iter().find(|l| l.stem == "text-direction").unwrap();
        assert_eq!(text_direction.co_author, Some((3, 2000)));
        let small = LISTINGS.iter().find(|l| l.stem == "digits-small").unwrap();
        assert_eq!((small.creator, small.parent), (2, Some(("digits", 1500))));
    }

    #[test]
    fn tiers_say_what_their_offer_promises() {
        let research = Offer::Research.tier(finney(2), "bafkterms");
        assert_eq!(research.price, U96::from(2_000_000_000_000_000u64));
        assert_eq!(
            (research.duration, research.maxSupply, research.commercialUse, research.transferable),
            (0, 0, false, false)
        );
        let commercial = Offer::Commercial.tier(finney(50), "");
        assert_eq!((commercial.duration, commercial.derivativesAllowed), (365 * 86_400, true));
        assert_eq!(Offer::Founding.tier(finney(1), "").maxSupply, 3);
    }

    #[test]
    fn synthetic_listings_vary_and_stay_valid() {
        let plan = plan_synthetic(1000, 4, &[1, 2, 3, 4]);
        assert_eq!(plan.len(), 1000);
        let creators: std::collections::BTreeSet<usize> = plan.iter().map(|l| l.creator).collect();
        assert_eq!(creators, (1..=9).collect());
        let prices: std::collections::BTreeSet<U96> = plan.iter().map(|l| l.tiers[0].1).collect();
        assert!(prices.len() > 400, "only {} distinct prices", prices.len());
        for n in 1..=3 {
            assert!(plan.iter().filter(|l| l.tiers.len() == n).count() > 250, "{n} tiers");
        }
        assert!(plan.iter().any(|l| l.parent.is_some()) && plan.iter().any(|l| l.co_author.is_some()));
        for l in &plan {
            assert!(l.manifest < 4 && l.royalty_bps <= 1000);
            assert!(l.tiers.iter().all(|(_, price)| *price > U96::ZERO));
            if let Some((account, bps)) = l.co_author {
                assert!((1..=9).contains(&account) && account != l.creator && bps > 0);
            }
            if let Some((parent, _)) = l.parent {
                assert!((1..=4).contains(&parent), "parent {parent} is a real model");
            }
            let shares = l.co_author.map_or(0, |c| c.1) + l.parent.map_or(0, |p| p.1);
            assert!(shares <= 10_000);
        }
        assert_eq!(plan, plan_synthetic(1000, 4, &[1, 2, 3, 4]), "the same plan every run");
        let parents: std::collections::BTreeSet<u64> = plan.iter().filter_map(|l| l.parent).map(|p| p.0).collect();
        assert_eq!(parents, [1, 2, 3, 4].into(), "every real model is some listing's parent");
        assert!(plan_synthetic(100, 4, &[]).iter().all(|l| l.parent.is_none()));
    }

    #[test]
    fn synthetic_calldata_is_a_list_model_call() {
        let accounts: Vec<Address> = (0..10u8).map(|i| Address::repeat_byte(i + 1)).collect();
        let plan = plan_synthetic(12, 4, &[1, 2, 3, 4]);
        let manifests: Vec<String> = (0..4).map(|i| format!("bafkcard{i}")).collect();
        let terms: Vec<String> = (0..3).map(|i| format!("bafkterms{i}")).collect();
        let listing =
            plan.iter().find(|l| l.co_author.is_some() && l.tiers.len() == 3).expect("a listing with a co-author");
        let data = listing.call(&accounts, &manifests, &terms).abi_encode();
        let decoded = IAssayMarket::listModelCall::abi_decode(&data).unwrap();
        assert_eq!(decoded.manifestCid, manifests[listing.manifest]);
        assert_eq!(decoded.coAuthors[0].account, accounts[listing.co_author.unwrap().0]);
        assert_eq!(
            decoded.tiers.iter().map(|t| t.termsCid.as_str()).collect::<Vec<_>>(),
            ["bafkterms0", "bafkterms1", "bafkterms2"]
        );
    }

    #[test]
    fn the_card_names_its_model_and_keeps_the_rest() {
        let text = include_str!("../../inference/cards/digits-small.json");
        let card: Value = serde_json::from_str(&card_with_model(text, "bafkreimodel").unwrap()).unwrap();
        let original: Value = serde_json::from_str(text).unwrap();
        assert_eq!(card["model"], "bafkreimodel");
        assert_eq!(card["io"], original["io"]);
        assert_eq!(card["name"], original["name"]);
        assert!(card_with_model("[]", "x").unwrap_err().contains("object"));
        assert!(card_with_model(r#"{"io":{}}"#, "x").unwrap_err().contains("no name"));
        assert!(card_with_model("{", "x").unwrap_err().contains("not JSON"));
    }

    #[test]
    fn the_multipart_body_has_one_file_part() {
        let body = multipart_body("b0und", "digits.onnx", b"\x00\x01onnx");
        let expected = b"--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"digits.onnx\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01onnx\r\n--b0und--\r\n";
        assert_eq!(body, expected.to_vec());
        let odd = String::from_utf8(multipart_body("b", "a\"b\r\n.json", b"")).unwrap();
        assert!(odd.contains("filename=\"a_b__.json\""), "{odd}");
    }

    #[test]
    fn the_add_answer_gives_the_root_cid() {
        let answer = "{\"Name\":\"a/x.onnx\",\"Hash\":\"bafkreileaf\",\"Size\":\"3\"}\n{\"Name\":\"a\",\"Hash\":\"bafybeiroot\",\"Size\":\"60\"}\n";
        assert_eq!(cid_from_add_answer(answer).unwrap(), "bafybeiroot");
        assert!(cid_from_add_answer("").unwrap_err().contains("nothing"));
        assert!(cid_from_add_answer("{\"Name\":\"x\"}\n").unwrap_err().contains("no Hash"));
        assert!(cid_from_add_answer("Internal error\n").is_err());
    }

    #[test]
    fn rpc_errors_become_sentences() {
        let revert = IAssayMarket::SoldOut { modelId: U256::from(7), tierId: U256::from(1) };
        let data = hex::encode_prefixed(alloy_sol_types::SolError::abi_encode(&revert));
        let answer =
            json!({ "jsonrpc": "2.0", "id": 1, "error": { "code": 3, "message": "execution reverted", "data": data } });
        let said = rpc_result(&answer).unwrap_err();
        assert!(said.contains("sold out") && said.contains('7'), "{said}");
        let other = json!({ "id": 1, "error": { "code": -32601, "message": "Method not found" } });
        assert_eq!(rpc_result(&other).unwrap_err(), "the chain answered error -32601: Method not found");
        assert_eq!(rpc_result(&json!({ "id": 1, "result": "0x1" })).unwrap(), "0x1");
    }

    #[test]
    fn event_ids_are_read_from_the_market_s_logs_only() {
        let market = Address::repeat_byte(0xaa);
        let topic = IAssayMarket::ModelListed::SIGNATURE_HASH;
        let log = |address: Address, topic0: B256, id: u64| json!({ "address": address, "topics": [topic0, B256::from(U256::from(id)), B256::ZERO] });
        let receipt = json!({ "logs": [log(Address::repeat_byte(1), topic, 9), log(market, B256::ZERO, 8), log(market, topic, 3)] });
        assert_eq!(event_id(&receipt, market, topic), Some(3));
        assert_eq!(event_id(&json!({ "logs": [] }), market, topic), None);
    }
}
