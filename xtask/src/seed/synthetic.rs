//! Sending the synthetic listings at volume: one gas limit for all, nonces counted here, JSON-RPC
//! batches of one block each with anvil's automine off, every block checked by `modelCount()`.

use std::collections::BTreeMap;
use std::time::Instant;

use alloy_primitives::{Address, U256, hex};
use alloy_sol_types::SolCall;
use serde_json::{Value, json};

use super::plan::SyntheticListing;
use crate::process::Result;
use crate::rpc::{self, Market, Rpc};

/// Transactions per JSON-RPC batch when sending synthetic listings (fewer when a block holds
/// fewer).
const BATCH: usize = 200;

/// The base fee of every block of synthetic listings.
const ONE_GWEI: &str = "0x3b9aca00";

/// Sends `plan` from the dev `accounts` (the listings' cards among `manifests`, terms' CIDs in
/// `Offer::ALL` order, parents derived under `licences` by (creator, parent id)) and prints how
/// long it took.
pub fn send(
    market: &Market,
    accounts: &[Address],
    plan: &[SyntheticListing],
    manifests: &[String],
    terms: &[String],
    licences: &BTreeMap<(usize, u64), U256>,
) -> Result<()> {
    let rpc = &market.rpc;
    let start = market.model_count()?;
    let calldata = |listing: &SyntheticListing| listing.call(accounts, manifests, terms, licences).abi_encode();
    // One gas limit for all: the heaviest listing's estimate plus half (no per-transaction
    // estimate, which would double the chain's work).
    let heaviest = plan
        .iter()
        .max_by_key(|l| (l.tiers.len(), l.co_author.is_some(), l.parent.is_some()))
        .expect("plan is not empty");
    let estimate = rpc.call(
        "eth_estimateGas",
        json!([{ "from": accounts[heaviest.creator], "to": market.address, "data": hex::encode_prefixed(calldata(heaviest)) }]),
    )?;
    let gas = rpc::quantity(&estimate)? * 5 / 4;
    // A batch must fit in one block: anvil's miner skips what does not fit, and a sender's
    // later transactions are then dropped as out of order.
    let block = rpc.call("eth_getBlockByNumber", json!(["latest", false]))?;
    let per_block = (rpc::quantity(&block["gasLimit"])? / gas) as usize;
    let batch_size = per_block.clamp(1, BATCH);
    let mut nonces = BTreeMap::new();
    for creator in plan.iter().map(|l| l.creator) {
        if let std::collections::btree_map::Entry::Vacant(entry) = nonces.entry(creator) {
            let nonce = rpc.call("eth_getTransactionCount", json!([accounts[creator], "pending"]))?;
            entry.insert(rpc::quantity(&nonce)?);
        }
    }
    let started = Instant::now();
    let manual = ManualMining::start(rpc)?;
    let mut hashes = Vec::with_capacity(plan.len());
    // Each transaction's sender and nonce, to say why one went missing.
    let mut sent: Vec<(Address, u64)> = Vec::with_capacity(plan.len());
    for (batch_index, batch) in plan.chunks(batch_size).enumerate() {
        // Blocks fuller than half their gas limit raise the base fee 12.5 % each: over ~1,400 such
        // blocks it reached 55,900 gwei and a creator's balance no longer covered its transactions,
        // which anvil then dropped (77,094 listings in). Each batch's block is priced at 1 gwei.
        rpc.call("anvil_setNextBlockBaseFeePerGas", json!([ONE_GWEI]))?;
        let requests: Vec<(&str, Value)> = batch
            .iter()
            .map(|listing| {
                let nonce = nonces.get_mut(&listing.creator).expect("every creator has a nonce");
                sent.push((accounts[listing.creator], *nonce));
                let tx = json!({
                    "from": accounts[listing.creator],
                    "to": market.address,
                    "data": hex::encode_prefixed(calldata(listing)),
                    "gas": format!("0x{gas:x}"),
                    "nonce": format!("0x{:x}", *nonce),
                });
                *nonce += 1;
                ("eth_sendTransaction", json!([tx]))
            })
            .collect();
        for (i, answer) in rpc.batch(&requests)?.into_iter().enumerate() {
            let n = batch_index * batch_size + i + 1;
            hashes.push(answer.map_err(|e| format!("synthetic listing {n} of {}: {e}", plan.len()))?);
        }
        // One batch at a time in the pool: mine it before sending the next.
        mine_until(market, start + hashes.len() as u64, &hashes, &sent)?;
    }
    drop(manual);
    println!(
        "  {} synthetic listings in {:.1} s ({batch_size} a batch and a block)",
        plan.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Mines the pool (automine is off) until `modelCount()` is `expected`. A block that adds
/// nothing while listings are missing is an error naming the first of the synthetic listings'
/// `hashes` that did not make it.
fn mine_until(market: &Market, expected: u64, hashes: &[Value], sent: &[(Address, u64)]) -> Result<()> {
    let mut seen = market.model_count()?;
    while seen < expected {
        market.rpc.call("evm_mine", json!([]))?;
        let now = market.model_count()?;
        if now == seen {
            let failed = first_failed(&market.rpc, hashes)?;
            let pool = market.rpc.call("txpool_status", json!([])).unwrap_or_default();
            let sender = failed.as_ref().map(|(i, _)| sender_state(&market.rpc, sent[*i])).unwrap_or_default();
            return Err(format!(
                "after {} synthetic listings modelCount() is {seen}, expected {expected} (anvil's pool: {pool}){}{sender}",
                hashes.len(),
                failed.map(|(i, why)| format!("; synthetic listing {} {why}", i + 1)).unwrap_or_default()
            ));
        }
        seen = now;
    }
    Ok(())
}

/// What the chain says of a missing transaction's sender: its nonce (against the one the
/// transaction carried), its balance and the latest block's base fee.
fn sender_state(rpc: &Rpc, (from, nonce): (Address, u64)) -> String {
    let answers = rpc.batch(&[
        ("eth_getTransactionCount", json!([from, "latest"])),
        ("eth_getBalance", json!([from, "latest"])),
        ("eth_getBlockByNumber", json!(["latest", false])),
    ]);
    match answers {
        Ok(a) => {
            let text = |r: &Result<Value>| r.as_ref().map(|v| v.to_string()).unwrap_or_else(|e| e.clone());
            let base_fee = a[2].as_ref().map(|b| b["baseFeePerGas"].to_string()).unwrap_or_default();
            format!(
                "; its sender {from} sent it with nonce {nonce}, the chain's nonce is {}, balance {}, base fee {base_fee}",
                text(&a[0]),
                text(&a[1])
            )
        }
        Err(e) => format!("; its sender {from} could not be read: {e}"),
    }
}

/// The first of `hashes` that has no receipt or a failed one, and why.
fn first_failed(rpc: &Rpc, hashes: &[Value]) -> Result<Option<(usize, String)>> {
    for (start, chunk) in hashes.chunks(BATCH).enumerate() {
        let requests: Vec<(&str, Value)> = chunk.iter().map(|h| ("eth_getTransactionReceipt", json!([h]))).collect();
        for (i, receipt) in rpc.batch(&requests)?.into_iter().enumerate() {
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

/// Turns anvil's automine off while it lives (the synthetic batches are mined block by block
/// with `evm_mine`, so the order transactions arrive in within a batch never matters), and back
/// on when dropped, on errors too: the dev chain must mine the app's transactions at once.
struct ManualMining<'a>(&'a Rpc);

impl<'a> ManualMining<'a> {
    fn start(rpc: &'a Rpc) -> Result<Self> {
        rpc.call("evm_setAutomine", json!([false]))?;
        Ok(Self(rpc))
    }
}

impl Drop for ManualMining<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.call("evm_setAutomine", json!([true])) {
            eprintln!("warning: could not turn anvil's automine back on: {e}");
        }
    }
}
