//! An account's history: what the market's logs say it did (listed, bought, delivered, reviewed,
//! withdrew…), merged with the transactions this browser started and is still following, newest
//! first, one row a transaction. The logs are read by `app::chain::history`; here they are only
//! words and order, so a new browser shows the same history as the one the account used.

use std::collections::BTreeMap;

use alloy_primitives::{Address, B256, U256};

use super::{Activity, Status};
use crate::units::{format_ether, utc_date_time};

/// Ether decimals in the history's words.
const DECIMALS: u32 = 6;

/// What the account did, as one of the market's events records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deed {
    /// `ModelListed` with the account as creator.
    Listed { model: U256 },
    /// `VersionPublished` of one of the account's models.
    PublishedVersion { model: U256, version: U256 },
    /// `TierPriceChanged` of one of the account's models.
    ChangedPrice { model: U256, tier: U256, price: U256 },
    /// `TierPausedSet` of one of the account's models.
    PausedTier { model: U256, tier: U256, paused: bool },
    /// `LicencePurchased` with the account as buyer.
    Bought { model: U256, licence: U256, price: U256, escrowed: bool },
    /// `LicenceRenewed` paid by the account.
    Renewed { licence: U256, price: U256 },
    /// `KeyDelivered` for a licence of one of the account's models.
    DeliveredKey { model: U256, licence: U256 },
    /// `LicenceReclaimed` by the account as buyer.
    Reclaimed { model: U256, licence: U256, refund: U256 },
    /// `DeliveryChallenged` of a licence the account bought: it proved the delivered key wrong.
    Challenged { model: U256, licence: U256, refund: U256 },
    /// `DeliveryChallenged` naming the account as the model's creator: its delivery was proven wrong.
    DeliveryDisproved { model: U256, licence: U256, refund: U256 },
    /// `EscrowReleased` of a licence the account bought or of a model it listed (anyone may send it).
    Released { model: U256, licence: U256, amount: U256 },
    /// `EarningsClaimed` by the account as the model's owner.
    Claimed { model: U256, amount: U256 },
    /// `Reviewed` by the account.
    Reviewed { model: U256, rating: u8 },
    /// `Withdrawn` by the account.
    Withdrew { amount: U256 },
}

fn ether(wei: U256) -> String {
    format!("{} ETH", format_ether(wei, DECIMALS))
}

impl Deed {
    /// The deed in words: "Bought licence #3 of model #1 for 0.05 ETH".
    pub fn words(&self) -> String {
        match self {
            Deed::Listed { model } => format!("Listed model #{model}"),
            Deed::PublishedVersion { model, version } => format!("Published version {version} of model #{model}"),
            Deed::ChangedPrice { model, tier, price } => {
                format!("Set the price of tier {tier} of model #{model} to {}", crate::units::price_words(*price))
            }
            Deed::PausedTier { model, tier, paused: true } => format!("Paused tier {tier} of model #{model}"),
            Deed::PausedTier { model, tier, paused: false } => format!("Resumed tier {tier} of model #{model}"),
            Deed::Bought { model, licence, price, escrowed } => {
                let paid = if price.is_zero() { "for free".to_owned() } else { format!("for {}", ether(*price)) };
                let escrow = if *escrowed { " (paid into escrow until the key is delivered)" } else { "" };
                format!("Bought licence #{licence} of model #{model} {paid}{escrow}")
            }
            Deed::Renewed { licence, price } => format!("Renewed licence #{licence} for {}", ether(*price)),
            Deed::DeliveredKey { model, licence } => {
                format!("Delivered the key of model #{model} for licence #{licence}")
            }
            Deed::Reclaimed { model, licence, refund } => {
                format!("Reclaimed licence #{licence} of model #{model}: {} refunded", ether(*refund))
            }
            Deed::Challenged { model, licence, refund } => format!(
                "Challenged the key delivered for licence #{licence} of model #{model}: it was wrong, {} refunded",
                ether(*refund)
            ),
            Deed::DeliveryDisproved { model, licence, refund } => format!(
                "The key delivered for licence #{licence} of model #{model} was proven wrong: {} refunded to the buyer",
                ether(*refund)
            ),
            Deed::Released { model, licence, amount } => {
                format!("Released the escrow of licence #{licence} of model #{model}: {} paid out", ether(*amount))
            }
            Deed::Claimed { model, amount } => format!("Claimed {} of model #{model}'s earnings", ether(*amount)),
            Deed::Reviewed { model, rating } => {
                format!("Reviewed model #{model}: {rating} star{}", if *rating == 1 { "" } else { "s" })
            }
            Deed::Withdrew { amount } => format!("Withdrew {}", ether(*amount)),
        }
    }
}

/// One of the account's events, where the chain put it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logged {
    pub tx: B256,
    pub block: u64,
    /// The log's position in its block.
    pub log_index: u64,
    /// Unix time of its block.
    pub timestamp: u64,
    pub deed: Deed,
}

/// Where a row of the history comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The market's logs: included, and it happened.
    Chain,
    /// This browser's activity log: still open, failed, or not among the logs read.
    ThisBrowser,
}

/// A row of the activity list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub hash: Option<B256>,
    /// What it was, in words.
    pub words: String,
    pub status: Status,
    /// Milliseconds since the Unix epoch: when it was started (this browser) or its block's time.
    pub at_ms: u64,
    pub origin: Origin,
}

impl Entry {
    /// `2025-03-01 14:05 UTC`.
    pub fn when(&self) -> String {
        utc_date_time(self.at_ms / 1_000)
    }
}

/// The history of `account`, newest first, at most `limit` rows: the logs (one row a transaction,
/// its deeds joined in log order), and this browser's entries of that account on chain `chain_id`
/// whose hash is not among them (in flight, failed, or of a kind the logs don't record). An entry of this browser
/// whose transaction is in the logs is shown once, as the chain tells it.
pub fn merge(local: &[Activity], logged: &[Logged], chain_id: u64, account: Address, limit: usize) -> Vec<Entry> {
    // Group the logs by transaction, keeping the first position of each.
    let mut by_tx: BTreeMap<B256, (u64, u64, u64, Vec<String>)> = BTreeMap::new();
    let mut sorted: Vec<&Logged> = logged.iter().collect();
    sorted.sort_by_key(|l| (l.block, l.log_index));
    for log in sorted {
        let words = log.deed.words();
        let group = by_tx.entry(log.tx).or_insert_with(|| (log.block, log.log_index, log.timestamp, Vec::new()));
        if !group.3.contains(&words) {
            group.3.push(words);
        }
    }
    // (in flight, time, block, log index) orders the rows: a transaction still in flight is the
    // newest whatever the clocks say (a chain's block time can run ahead of the browser's); a
    // browser entry has no block, so it sorts by time.
    let mut rows: Vec<((bool, u64, u64, u64), Entry)> = by_tx
        .into_iter()
        .map(|(tx, (block, log_index, timestamp, words))| {
            let at_ms = timestamp.saturating_mul(1_000);
            let entry = Entry {
                hash: Some(tx),
                words: words.join("; "),
                status: Status::Confirmed,
                at_ms,
                origin: Origin::Chain,
            };
            ((false, at_ms, block, log_index), entry)
        })
        .collect();
    let on_chain = |hash: &Option<B256>| hash.is_some_and(|h| logged.iter().any(|l| l.tx == h));
    let mine = |a: &&Activity| a.chain_id == chain_id && a.account.is_none_or(|from| from == account);
    rows.extend(local.iter().filter(mine).filter(|a| !on_chain(&a.hash)).map(|a| {
        let entry = Entry {
            hash: a.hash,
            words: a.label.clone(),
            status: a.status.clone(),
            at_ms: a.started_ms,
            origin: Origin::ThisBrowser,
        };
        ((a.status.is_open(), a.started_ms, u64::MAX, u64::MAX), entry)
    }));
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    rows.into_iter().take(limit).map(|(_, entry)| entry).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activity::ActivityLog;

    const CHAIN: u64 = 31_337;
    const ME: Address = Address::repeat_byte(0x11);
    const FINNEY: u64 = 1_000_000_000_000_000;

    fn id(n: u64) -> U256 {
        U256::from(n)
    }

    fn logged(tx: u8, block: u64, log_index: u64, deed: Deed) -> Logged {
        Logged { tx: B256::repeat_byte(tx), block, log_index, timestamp: 1_700_000_000 + block * 12, deed }
    }

    #[test]
    fn every_deed_reads_as_a_sentence() {
        let cases = [
            (Deed::Listed { model: id(1) }, "Listed model #1"),
            (Deed::PublishedVersion { model: id(1), version: id(2) }, "Published version 2 of model #1"),
            (
                Deed::ChangedPrice { model: id(1), tier: id(0), price: U256::from(50 * FINNEY) },
                "Set the price of tier 0 of model #1 to 0.05 ETH",
            ),
            (
                Deed::ChangedPrice { model: id(1), tier: id(1), price: U256::ZERO },
                "Set the price of tier 1 of model #1 to Free",
            ),
            (Deed::PausedTier { model: id(2), tier: id(1), paused: true }, "Paused tier 1 of model #2"),
            (Deed::PausedTier { model: id(2), tier: id(1), paused: false }, "Resumed tier 1 of model #2"),
            (
                Deed::Bought { model: id(1), licence: id(3), price: U256::from(2 * FINNEY), escrowed: false },
                "Bought licence #3 of model #1 for 0.002 ETH",
            ),
            (
                Deed::Bought { model: id(5), licence: id(9), price: U256::from(FINNEY), escrowed: true },
                "Bought licence #9 of model #5 for 0.001 ETH (paid into escrow until the key is delivered)",
            ),
            (
                Deed::Bought { model: id(4), licence: id(7), price: U256::ZERO, escrowed: false },
                "Bought licence #7 of model #4 for free",
            ),
            (Deed::Renewed { licence: id(3), price: U256::from(FINNEY) }, "Renewed licence #3 for 0.001 ETH"),
            (Deed::DeliveredKey { model: id(5), licence: id(9) }, "Delivered the key of model #5 for licence #9"),
            (
                Deed::Reclaimed { model: id(5), licence: id(9), refund: U256::from(FINNEY) },
                "Reclaimed licence #9 of model #5: 0.001 ETH refunded",
            ),
            (
                Deed::Challenged { model: id(5), licence: id(9), refund: U256::from(FINNEY) },
                "Challenged the key delivered for licence #9 of model #5: it was wrong, 0.001 ETH refunded",
            ),
            (
                Deed::DeliveryDisproved { model: id(5), licence: id(9), refund: U256::from(FINNEY) },
                "The key delivered for licence #9 of model #5 was proven wrong: 0.001 ETH refunded to the buyer",
            ),
            (
                Deed::Released { model: id(5), licence: id(8), amount: U256::from(2 * FINNEY) },
                "Released the escrow of licence #8 of model #5: 0.002 ETH paid out",
            ),
            (Deed::Claimed { model: id(1), amount: U256::from(FINNEY) }, "Claimed 0.001 ETH of model #1's earnings"),
            (Deed::Reviewed { model: id(1), rating: 5 }, "Reviewed model #1: 5 stars"),
            (Deed::Reviewed { model: id(1), rating: 1 }, "Reviewed model #1: 1 star"),
            (Deed::Withdrew { amount: U256::from(200 * FINNEY) }, "Withdrew 0.2 ETH"),
        ];
        for (deed, words) in cases {
            assert_eq!(deed.words(), words);
        }
    }

    #[test]
    fn a_new_browser_shows_the_chain_history_newest_first_one_row_a_transaction() {
        let logs = [
            logged(1, 10, 0, Deed::Listed { model: id(1) }),
            logged(3, 30, 4, Deed::Withdrew { amount: U256::from(FINNEY) }),
            logged(2, 20, 1, Deed::Reviewed { model: id(1), rating: 4 }),
            // Two deeds of one transaction, given out of order: one row, in log order.
            logged(4, 40, 2, Deed::PausedTier { model: id(1), tier: id(1), paused: true }),
            logged(4, 40, 1, Deed::ChangedPrice { model: id(1), tier: id(0), price: U256::ZERO }),
        ];
        let rows = merge(&[], &logs, CHAIN, ME, 20);
        let words: Vec<&str> = rows.iter().map(|r| r.words.as_str()).collect();
        assert_eq!(
            words,
            [
                "Set the price of tier 0 of model #1 to Free; Paused tier 1 of model #1",
                "Withdrew 0.001 ETH",
                "Reviewed model #1: 4 stars",
                "Listed model #1",
            ]
        );
        assert!(rows.iter().all(|r| r.status == Status::Confirmed && r.origin == Origin::Chain));
        assert_eq!(rows[3].hash, Some(B256::repeat_byte(1)));
        assert_eq!(rows[3].when(), "2023-11-14 22:15 UTC");
        assert!(merge(&[], &[], CHAIN, ME, 20).is_empty(), "nothing anywhere: the empty state");
    }

    #[test]
    fn this_browsers_entries_join_the_logs_without_repeating_a_transaction() {
        let listed = logged(1, 10, 0, Deed::Listed { model: id(1) });
        let listed_at_ms = listed.timestamp * 1_000;
        let mut log = ActivityLog::default();
        // Listed here, and found in the logs: shown once, as the chain tells it.
        let a = log.start("List Digits", CHAIN, ME, listed_at_ms - 5_000);
        log.update(a, Status::Confirmed, Some(listed.tx));
        // Failed before the wallet, earlier: kept, in its place by time.
        let b = log.start("Withdraw earnings", CHAIN, ME, listed_at_ms - 60_000);
        log.update(b, Status::Failed { reason: "You have nothing to withdraw yet.".into() }, None);
        // In flight: first, even though the chain's clock is ahead of this browser's.
        let c = log.start("Buy a licence", CHAIN, ME, listed_at_ms - 120_000);
        log.update(c, Status::Pending, Some(B256::repeat_byte(9)));
        // Another network's: not shown.
        log.start("Withdraw on another chain", 1, ME, listed_at_ms + 120_000);
        // Another account's, in this browser: not shown to this one.
        log.start("Withdraw as someone else", CHAIN, Address::repeat_byte(0xee), listed_at_ms + 60_000);

        let rows = merge(log.items(), std::slice::from_ref(&listed), CHAIN, ME, 20);
        let summary: Vec<(&str, Origin)> = rows.iter().map(|r| (r.words.as_str(), r.origin)).collect();
        assert_eq!(
            summary,
            [
                ("Buy a licence", Origin::ThisBrowser),
                ("Listed model #1", Origin::Chain),
                ("Withdraw earnings", Origin::ThisBrowser),
            ]
        );
        assert_eq!(rows[0].status, Status::Pending);
        assert_eq!(rows[0].hash, Some(B256::repeat_byte(9)));
        assert!(matches!(rows[2].status, Status::Failed { .. }));
        assert_eq!(merge(log.items(), &[listed], CHAIN, ME, 2).len(), 2, "at most `limit` rows");
    }
}
