//! The activity list: the app's recent transactions and how they ended, kept in localStorage so it
//! survives a reload. Pure data; the app stores [`ActivityLog::to_json`] and reads it back.
//! [`history`] merges it with what the chain's logs say the account did.

pub mod history;

use alloy_primitives::{Address, B256};
use serde::{Deserialize, Serialize};

/// Entries kept; older ones are dropped.
pub const MAX_ITEMS: usize = 20;

/// Where a transaction is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Status {
    /// Checking it would succeed and that the account can pay, before the wallet is asked.
    Checking,
    /// Waiting for the user to approve in their wallet.
    AwaitingWallet,
    /// Sent; waiting to be included.
    Pending,
    /// Included and succeeded.
    Confirmed,
    /// Stopped or failed; `reason` is the sentence shown.
    Failed { reason: String },
}

impl Status {
    /// Whether the transaction is still in flight.
    pub fn is_open(&self) -> bool {
        matches!(self, Status::Checking | Status::AwaitingWallet | Status::Pending)
    }
}

/// One transaction the user started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: u64,
    /// What it does, in words: "Withdraw 0.2 ETH".
    pub label: String,
    /// The chain it was sent on.
    pub chain_id: u64,
    /// The account that sent it (absent in logs written before accounts were recorded: shown to
    /// any account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<Address>,
    pub hash: Option<B256>,
    pub status: Status,
    /// Milliseconds since the Unix epoch when it was started.
    pub started_ms: u64,
}

/// Newest first, at most [`MAX_ITEMS`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLog {
    items: Vec<Activity>,
}

impl ActivityLog {
    /// Reads a stored log; anything unreadable (old format, edited by hand) starts a fresh one.
    pub fn from_json(text: &str) -> Self {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the log serialises")
    }

    pub fn items(&self) -> &[Activity] {
        &self.items
    }

    /// Starts an entry and returns its id.
    pub fn start(&mut self, label: impl Into<String>, chain_id: u64, account: Address, started_ms: u64) -> u64 {
        let id = self.items.iter().map(|a| a.id).max().map_or(1, |max| max + 1);
        let label = label.into();
        let activity =
            Activity { id, label, chain_id, account: Some(account), hash: None, status: Status::Checking, started_ms };
        self.items.insert(0, activity);
        self.items.truncate(MAX_ITEMS);
        id
    }

    /// Updates an entry's status (and hash, once known).
    pub fn update(&mut self, id: u64, status: Status, hash: Option<B256>) {
        if let Some(item) = self.items.iter_mut().find(|a| a.id == id) {
            item.status = status;
            if hash.is_some() {
                item.hash = hash;
            }
        }
    }

    /// Drops an entry (a cancelled request that never became a transaction).
    pub fn remove(&mut self, id: u64) {
        self.items.retain(|a| a.id != id);
    }

    /// Sent transactions whose outcome was not seen (the page was closed): their receipts are
    /// looked up again after a reload.
    pub fn pending(&self) -> Vec<(u64, B256)> {
        self.items
            .iter()
            .filter(|a| a.status == Status::Pending)
            .filter_map(|a| a.hash.map(|hash| (a.id, hash)))
            .collect()
    }

    /// After a reload, entries that never reached the chain (checking, awaiting the wallet) can't
    /// finish any more.
    pub fn settle_interrupted(&mut self) {
        for item in &mut self.items {
            if matches!(item.status, Status::Checking | Status::AwaitingWallet) {
                item.status = Status::Failed { reason: "Interrupted: the page was closed before it was sent.".into() };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_go_through_their_states_and_survive_a_round_trip() {
        let mut log = ActivityLog::default();
        let first = log.start("Withdraw 0.2 ETH", 31337, Address::ZERO, 1_000);
        let second = log.start("Buy licence", 31337, Address::ZERO, 2_000);
        assert_eq!(log.items()[0].id, second, "newest first");
        let hash = B256::repeat_byte(0xab);
        log.update(first, Status::Pending, Some(hash));
        assert_eq!(log.pending(), vec![(first, hash)]);
        let mut restored = ActivityLog::from_json(&log.to_json());
        assert_eq!(restored, log);
        restored.settle_interrupted();
        assert!(matches!(restored.items()[0].status, Status::Failed { .. }), "the unsent one is interrupted");
        restored.update(first, Status::Confirmed, None);
        assert_eq!(restored.items()[1].hash, Some(hash), "hash kept");
        assert!(restored.pending().is_empty());
        restored.remove(second);
        assert_eq!(restored.items().len(), 1);
    }

    #[test]
    fn the_log_is_bounded_and_tolerates_garbage() {
        let mut log = ActivityLog::default();
        for i in 0..30 {
            log.start(format!("tx {i}"), 1, Address::ZERO, i);
        }
        assert_eq!(log.items().len(), MAX_ITEMS);
        assert_eq!(log.items()[0].label, "tx 29");
        assert_eq!(ActivityLog::from_json("{not json"), ActivityLog::default());
        assert_eq!(ActivityLog::from_json(""), ActivityLog::default());
    }
}
