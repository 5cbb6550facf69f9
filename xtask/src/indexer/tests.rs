//! The indexer against a real stack (anvil, the IPFS node, the deployed contracts, the seeded
//! catalogue): it equals the chain's views after the seed, through a reorg, after a restart, and on
//! a real Postgres with a read-only `ponder serve` beside the writer.

use std::time::Duration;

use alloy_primitives::I256;
use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use assay_core::contracts::{IAssayERC721, IAssayEvaluations, IAssayMarket, IAssayModeration};
use serde_json::json;

use super::agreement::{Chain, Covered, compare};
use super::postgres::Postgres;
use super::{Database, Indexer, Setup};
use crate::paths::Paths;
use crate::process::free_port;
use crate::rpc::{Market, quantity};
use crate::stack::{Ports, Stack};

/// Synthetic listings on top of the real seed: enough to page the list (200 a page) twice.
const SYNTHETIC: usize = 230;

fn started(label: &str) -> (Paths, Stack, std::path::PathBuf) {
    let paths = Paths::discover();
    let repo = std::env::temp_dir().join(format!("assay-indexer-{label}-{}", std::process::id()));
    let ports = Ports { chain: free_port().unwrap(), ipfs: free_port().unwrap() };
    let stack = Stack::start(&paths, ports, &repo, label).expect("the stack starts (run `cargo xtask install` first)");
    (paths, stack, repo)
}

fn chain_of(stack: &Stack) -> Chain {
    let at = |name: &str| Market::new(stack.ports.chain, stack.config.contract(name).unwrap());
    Chain {
        market: at("AssayMarket"),
        models: at("AssayModels"),
        moderation: stack.config.contract("AssayModeration").map(|a| Market::new(stack.ports.chain, a)),
        evaluations: stack.config.contract("AssayEvaluations").map(|a| Market::new(stack.ports.chain, a)),
    }
}

fn accounts(stack: &Stack) -> Vec<Address> {
    stack.accounts.iter().map(|a| a.address.parse().unwrap()).collect()
}

fn head(chain: &Chain) -> u64 {
    quantity(&chain.market.rpc.call("eth_blockNumber", json!([])).unwrap()).unwrap()
}

/// Waits until `indexer` has indexed the chain's head, then compares everything.
fn agrees(chain: &Chain, indexer: &mut Indexer, accounts: &[Address]) -> Covered {
    indexer.wait_for_block(head(chain), Duration::from_secs(300)).unwrap();
    compare(chain, indexer, accounts).unwrap()
}

/// A listing of an existing card by `by`, one free tier and one paid: returns its id.
fn list_again(chain: &Chain, by: Address, of: u64, price: u64) -> u64 {
    let card = chain.market.view(&IAssayMarket::manifestCidCall { modelId: U256::from(of) }).unwrap();
    let tier = |price: u64| IAssayMarket::TierInput {
        price: U96::from(price),
        duration: 0,
        maxSupply: 2,
        commercialUse: true,
        derivativesAllowed: false,
        transferable: true,
        termsCid: String::new(),
    };
    let call = IAssayMarket::listModelCall {
        manifestCid: card,
        keyCommitment: B256::ZERO,
        royaltyBps: 0,
        coAuthors: vec![],
        parents: vec![],
        tiers: vec![tier(0), tier(price)],
    };
    chain.market.transact(by, call.abi_encode(), U256::ZERO, "list a model again").unwrap();
    chain.market.model_count().unwrap()
}

fn buy(chain: &Chain, by: Address, model: u64, tier: u64) {
    let tiers = chain.market.view(&IAssayMarket::tiersOfCall { modelId: U256::from(model) }).unwrap();
    let price = U256::from(tiers[tier as usize].price);
    let call = IAssayMarket::buyLicenseCall {
        modelId: U256::from(model),
        tierId: U256::from(tier),
        buyerKey: B256::ZERO,
        keySalt: B256::ZERO,
    };
    chain.market.transact(by, call.abi_encode(), price, "buy a licence").unwrap();
}

/// An encrypted listing's purchase: the market emits `EscrowHeld` before `LicencePurchased`.
fn buy_encrypted(chain: &Chain, creator: Address, buyer: Address, of: u64) {
    let card = chain.market.view(&IAssayMarket::manifestCidCall { modelId: U256::from(of) }).unwrap();
    let call = IAssayMarket::listModelCall {
        manifestCid: card,
        keyCommitment: B256::repeat_byte(7),
        royaltyBps: 0,
        coAuthors: vec![],
        parents: vec![],
        tiers: vec![IAssayMarket::TierInput {
            price: U96::from(5_000),
            duration: 0,
            maxSupply: 0,
            commercialUse: false,
            derivativesAllowed: false,
            transferable: false,
            termsCid: String::new(),
        }],
    };
    chain.market.transact(creator, call.abi_encode(), U256::ZERO, "list an encrypted model").unwrap();
    let listed = chain.market.model_count().unwrap();
    let buy = IAssayMarket::buyLicenseCall {
        modelId: U256::from(listed),
        tierId: U256::ZERO,
        buyerKey: B256::repeat_byte(9),
        keySalt: B256::repeat_byte(3),
    };
    chain.market.transact(buyer, buy.abi_encode(), U256::from(5_000), "buy into escrow").unwrap();
}

fn mine(chain: &Chain, blocks: u64) {
    chain.market.rpc.call("anvil_mine", json!([format!("0x{blocks:x}")])).unwrap();
}

/// Every kind of change the seed does not make: an encrypted model bought into escrow, a version, a price, a pause, a licence moved and
/// reviewed, a model NFT moved and its earnings claimed, a tier sold out, withdrawals from the
/// market and from the moderation contract, reproduced claims (one by a licence holder). Returns the
/// listing it made.
fn every_kind_of_change(chain: &Chain, people: &[Address]) -> u64 {
    let market = |by: Address, call: &dyn Fn() -> Vec<u8>, what: &str| {
        chain.market.transact(by, call(), U256::ZERO, what).unwrap();
    };
    let card = chain.market.view(&IAssayMarket::manifestCidCall { modelId: U256::from(3) }).unwrap();
    let publish = IAssayMarket::publishVersionCall { modelId: U256::from(1), manifestCid: card };
    market(people[1], &|| publish.abi_encode(), "publish a version");
    let price = IAssayMarket::setTierPriceCall { modelId: U256::from(2), tierId: U256::ZERO, price: U96::from(7_777) };
    market(people[2], &|| price.abi_encode(), "change a price");
    let pause = IAssayMarket::setTierPausedCall { modelId: U256::from(2), tierId: U256::from(1), paused: true };
    market(people[2], &|| pause.abi_encode(), "pause a tier");

    buy_encrypted(chain, people[7], people[8], 3);
    let listed = list_again(chain, people[6], 4, 1_000);
    buy(chain, people[9], listed, 1);
    let licence = chain.market.view(&IAssayMarket::licenceCountCall {}).unwrap();
    let give = IAssayERC721::transferFromCall { from: people[9], to: people[10], tokenId: licence };
    market(people[9], &|| give.abi_encode(), "move a licence");
    let review = IAssayMarket::reviewCall { licenceId: licence, rating: 4, commentCid: String::new() };
    market(people[10], &|| review.abi_encode(), "review");
    buy(chain, people[12], listed, 1);
    let give = IAssayERC721::transferFromCall { from: people[6], to: people[11], tokenId: U256::from(listed) };
    chain.models.transact(people[6], give.abi_encode(), U256::ZERO, "move a model NFT").unwrap();
    let claim = IAssayMarket::claimCall { modelIds: vec![U256::from(listed)] };
    market(people[11], &|| claim.abi_encode(), "claim a model's earnings");
    market(people[3], &|| IAssayMarket::withdrawCall {}.abi_encode(), "withdraw a co-author's share");
    let moderation = chain.moderation.as_ref().expect("the deployment moderates");
    moderation
        .transact(people[3], IAssayModeration::withdrawCall {}.abi_encode(), U256::ZERO, "withdraw stakes")
        .unwrap();
    let evaluations = chain.evaluations.as_ref().expect("the deployment records attestations");
    // Account #5 reproduces the new version, then finds a mismatch: its latest run counts (disputed).
    for (by, version, observed, matched) in
        [(13, 1, 902_400, true), (4, 0, -5, false), (5, 1, 902_400, true), (5, 1, 880_000, false)]
    {
        let attest = IAssayEvaluations::attestCall {
            modelId: U256::from(1),
            version: U256::from(version),
            resultIndex: U256::ZERO,
            observed: vec![I256::try_from(observed).unwrap(), I256::ONE],
            matched,
        };
        evaluations.transact(people[by], attest.abi_encode(), U256::ZERO, "attest a reproduced claim").unwrap();
    }
    listed
}

#[test]
fn the_indexer_equals_the_chain_after_the_seed_a_reorg_and_a_restart() {
    let (paths, stack, repo) = started("indexer-test");
    let summary = crate::seed::seed(&paths, &stack, SYNTHETIC).unwrap();
    let chain = chain_of(&stack);
    let people = accounts(&stack);
    let Stack { indexer, ipfs, anvil, .. } = stack;
    let mut indexer = indexer.expect("the stack runs the indexer");

    // After the seed: everything, and the seed's shape is in it.
    let covered = agrees(&chain, &mut indexer, &people);
    assert_eq!(covered.models, summary.models + SYNTHETIC);
    assert!(covered.tiers > covered.models && covered.co_authors >= 1 && covered.parents >= 1, "{covered:?}");
    assert!(covered.licences >= summary.licences && covered.cases == 2 && covered.accounts >= 20, "{covered:?}");
    assert_eq!(covered.reviews, summary.reviews);
    assert_eq!(covered.reported, 1, "the seed's open case marks its listing");
    // Search finds a card by its words (the seed's digits card), not by a word it lacks.
    let found = indexer.get_json("/api/search?q=handwritten%20dig&limit=200").unwrap();
    let ids: Vec<&str> = found["models"].as_array().unwrap().iter().filter_map(|m| m["id"].as_str()).collect();
    assert!(ids.contains(&"1") && ids.contains(&"4"), "{ids:?}");
    assert!(found["models"].as_array().unwrap().iter().all(|m| m["card"]["name"].as_str().unwrap().contains("digits")));
    assert_eq!(indexer.get_json("/api/search?q=zzzznothing").unwrap()["total"], 0);
    // A search counts its matches exactly up to `countUpTo` (10,000 unless asked), a lower bound past it.
    assert_eq!((&found["total"], &found["totalExact"]), (&json!(ids.len()), &json!(true)), "{found}");
    let bounded = indexer.get_json("/api/search?q=handwritten%20dig&countUpTo=1").unwrap();
    assert_eq!((&bounded["total"], &bounded["totalExact"]), (&json!(1), &json!(false)), "{bounded}");
    assert_eq!(bounded["models"].as_array().unwrap().len(), ids.len().min(50), "the page itself is not bounded");
    let refused = crate::http::get(indexer.setup.port, "/api/models?countUpTo=10001").unwrap();
    assert_eq!(refused.status, 400, "{}", refused.text());
    // GraphQL answers the query indexer/README.md shows, as the REST list does.
    let query = r#"{ models(where: { delisted: false }, orderBy: "id", orderDirection: "desc", limit: 5) {
        items { id name tiers { items { tierId price } } } totalCount } }"#;
    let answer =
        crate::http::post_json(indexer.setup.port, "/graphql", &json!({ "query": query }).to_string()).unwrap();
    let graphql = answer.json().unwrap();
    let rest = indexer.get_json("/api/models?limit=5").unwrap();
    assert_eq!(graphql["data"]["models"]["totalCount"], rest["total"], "{graphql}");
    for (g, r) in graphql["data"]["models"]["items"].as_array().unwrap().iter().zip(rest["models"].as_array().unwrap())
    {
        assert_eq!((&g["id"], &g["name"]), (&r["id"], &r["card"]["name"]));
        assert_eq!(g["tiers"]["items"].as_array().unwrap().len(), r["tiers"].as_array().unwrap().len());
    }

    // The changes the seed does not make, each through its own event.
    let listed = every_kind_of_change(&chain, &people);
    let changed = agrees(&chain, &mut indexer, &people);
    assert_eq!(changed.models, covered.models + 2, "the encrypted listing and the listing again");
    assert_eq!(changed.versions, covered.versions + 3, "model #1's new version and the new listings' first");
    assert_eq!(changed.reviews, covered.reviews + 1);
    assert_eq!((changed.attestations, covered.evidence), (covered.attestations + 4, 3), "{changed:?}");
    assert_eq!(changed.tallied, covered.tallied + 2, "model #1's new version: one reproducing, one disputing");
    let one = indexer.get_json(&format!("/api/models/{listed}")).unwrap();
    assert_eq!((&one["ratingCount"], &one["sales"], &one["minPrice"]), (&json!("1"), &json!("2"), &json!("0")));
    assert_eq!(one["reviews"][0]["rating"], 4);
    let covered = changed;

    // A reorg: a branch with a listing, a purchase and a price change, indexed, then replaced by a
    // longer branch with other transactions. The indexer must forget the first branch.
    let snapshot = chain.market.rpc.call("evm_snapshot", json!([])).unwrap();
    let dropped = list_again(&chain, people[6], 1, 1_000);
    buy(&chain, people[7], dropped, 1);
    buy(&chain, people[7], 2, 0);
    mine(&chain, 2);
    agrees(&chain, &mut indexer, &people);
    assert_eq!(indexer.get_json(&format!("/api/models/{dropped}")).unwrap()["sales"], "1");
    let dropped_head = head(&chain);
    assert_eq!(chain.market.rpc.call("evm_revert", json!([snapshot])).unwrap(), true);
    let kept = list_again(&chain, people[8], 3, 2_000);
    assert_eq!(kept, dropped, "the other branch's listing takes the same id");
    buy(&chain, people[9], 3, 0);
    mine(&chain, dropped_head + 2 - head(&chain));
    let after = agrees(&chain, &mut indexer, &people);
    assert_eq!(after.models, covered.models + 1);
    let relisted = indexer.get_json(&format!("/api/models/{kept}")).unwrap();
    assert_eq!(
        (relisted["creator"].as_str(), &relisted["sales"]),
        (Some(&*people[8].to_string().to_lowercase()), &json!("0"))
    );
    let log = std::fs::read_to_string(&indexer.setup.log).unwrap();
    assert!(log.contains("Reorged block"), "Ponder saw the reorg (its log: {})", indexer.setup.log.display());

    // A restart: stopped, the chain moves on, started on the same database: it resumes.
    let log = paths.logs().join("indexer-indexer-test-restart.log");
    let _ = std::fs::remove_file(&log);
    let setup = indexer.setup.clone();
    drop(indexer);
    let while_down = list_again(&chain, people[6], 2, 3_000);
    buy(&chain, people[7], while_down, 1);
    let mut indexer = Indexer::start(&paths, Setup { log: log.clone(), ..setup }).unwrap();
    let resumed = agrees(&chain, &mut indexer, &people);
    assert_eq!(resumed.models, covered.models + 2);
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains("Detected crash recovery"), "the restart resumed from its checkpoint:\n{log}");
    assert!(!log.contains("Created database tables"), "the restart kept its tables:\n{log}");

    drop(indexer);
    drop(ipfs);
    drop(anvil);
    let _ = std::fs::remove_dir_all(&repo);
}

/// Postgres mode: a writer (`ponder start` with `DATABASE_URL`) on a real Postgres started here,
/// and a read-only `ponder serve` on the same database; both equal the chain.
#[test]
fn the_indexer_on_postgres_equals_the_chain_and_serves_readers() {
    let postgres = Postgres::start("indexer-test").unwrap();
    let (paths, stack, repo) = started("indexer-postgres");
    crate::seed::seed(&paths, &stack, 0).unwrap();
    let chain = chain_of(&stack);
    let people = accounts(&stack);
    let folder = paths.state.join("indexer-postgres-writer");
    std::fs::create_dir_all(&folder).unwrap();
    let config_file = folder.join("config.json");
    std::fs::write(&config_file, stack.config.to_json_pretty()).unwrap();
    let setup = Setup {
        config_file,
        database: Database::Postgres(postgres.url()),
        port: free_port().unwrap(),
        log: paths.logs().join("indexer-postgres-writer.log"),
        serve_only: false,
    };
    let mut writer = Indexer::start(&paths, setup.clone()).unwrap();
    let covered = agrees(&chain, &mut writer, &people);
    assert!(covered.models >= 6 && covered.licences >= 4, "{covered:?}");
    let reader = Setup {
        port: free_port().unwrap(),
        log: paths.logs().join("indexer-postgres-reader.log"),
        serve_only: true,
        ..setup
    };
    let mut reader = Indexer::start(&paths, reader).unwrap();
    buy(&chain, people[9], 1, 0);
    writer.wait_for_block(head(&chain), Duration::from_secs(300)).unwrap();
    assert_eq!(agrees(&chain, &mut reader, &people), Covered { licences: covered.licences + 1, ..covered });
    drop(reader);
    drop(writer);
    drop(stack);
    drop(postgres);
    let _ = std::fs::remove_dir_all(&repo);
}
