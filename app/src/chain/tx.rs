//! The transaction lifecycle every write in the app goes through, as [`TxContext`]:
//!
//! 1. **check**: the wallet is connected and on the app's chain;
//! 2. **simulate**: `eth_call` and `eth_estimateGas` from the account through the read provider, so
//!    a revert is caught (and decoded into a sentence) before the wallet pops up;
//! 3. **funds**: balance ≥ value + gas × gas price, else "Not enough ETH…";
//! 4. **send** through the wallet (`eth_sendTransaction`); a rejection (4001) is "You cancelled in
//!    your wallet." and the caller leaves its form as it was;
//! 5. **pending** with the hash, then the **receipt**: confirmed or failed.
//!
//! Each step shows in one toast per transaction and in the activity list, which is kept in
//! localStorage; transactions still pending at a reload are watched again.

use assay_core::wallet_prompt::WalletPrompt;
use std::time::Duration;

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_provider::Provider;
use alloy_rpc_types_eth::{TransactionInput, TransactionRequest};
use alloy_sol_types::SolCall;
use assay_core::activity::{ActivityLog, Status};
use assay_core::config::RuntimeConfig;
use assay_core::failure::{Failure, check_funds};
use assay_core::units::{short_address, short_hash};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use super::{Rpc, reverts, wallet_provider};
use crate::split::{PartNotLoaded, part};
use crate::wallet::WalletContext;

/// localStorage key of the activity list.
const ACTIVITY_KEY: &str = "assay.activity";
/// Receipt polling.
const RECEIPT_POLL: Duration = Duration::from_millis(1_000);
const RECEIPT_POLLS: u32 = 600;
/// How long a finished (non-error) toast stays.
const TOAST_LINGER: Duration = Duration::from_secs(10);

/// What a toast is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ToastKind {
    /// In progress (checking, waiting for the wallet, pending).
    Progress,
    Success,
    Error,
}

impl ToastKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ToastKind::Progress => "progress",
            ToastKind::Success => "success",
            ToastKind::Error => "error",
        }
    }
}

/// One notification; a transaction's toast is updated in place as it moves on.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub title: String,
    pub text: String,
    pub hash: Option<B256>,
}

/// A write the app wants to make.
#[derive(Clone, Debug)]
pub struct Write {
    /// What it does, in words ("Withdraw 0.2 ETH"): the toast's and activity entry's title.
    pub label: String,
    pub to: Address,
    pub input: Bytes,
    pub value: U256,
}

impl Write {
    /// Calls `call` on `to`, sending no ETH.
    pub fn call(label: impl Into<String>, to: Address, call: &impl SolCall) -> Self {
        Self { label: label.into(), to, input: Bytes::from(call.abi_encode()), value: U256::ZERO }
    }

    /// Sends `value` wei along (a purchase).
    pub fn with_value(mut self, value: U256) -> Self {
        self.value = value;
        self
    }
}

/// Toasts, activity and the `send` every write uses. Cheap to copy.
#[derive(Clone, Copy)]
pub struct TxContext {
    pub activity: RwSignal<ActivityLog>,
    pub toasts: RwSignal<Vec<Toast>>,
    wallet: WalletContext,
    config: StoredValue<RuntimeConfig>,
    next_toast: StoredValue<u64>,
    /// The activity list stored by an earlier visit, until it is read into `activity`.
    stored: StoredValue<Option<String>>,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

impl TxContext {
    /// Creates and provides the context. An activity list stored by an earlier visit is read (and
    /// the transactions pending when the page was last closed watched again) by a wasm part: a
    /// visitor who never sent a transaction here does not download it.
    pub fn provide(config: RuntimeConfig, wallet: WalletContext) -> Self {
        let stored = storage().and_then(|s| s.get_item(ACTIVITY_KEY).ok().flatten());
        let context = Self {
            activity: RwSignal::new(ActivityLog::default()),
            toasts: RwSignal::new(Vec::new()),
            wallet,
            config: StoredValue::new(config),
            // Toasts of transactions use the activity id; others count down from the top.
            next_toast: StoredValue::new(u64::MAX),
            stored: StoredValue::new(stored),
        };
        provide_context(context);
        if context.stored.with_value(Option::is_some) {
            spawn_local(async move {
                let _ = context.restore().await;
            });
        }
        context
    }

    /// Reads the stored activity list, if it is not read yet (its part fetched again when it did
    /// not arrive before).
    async fn restore(&self) -> Result<(), PartNotLoaded> {
        if self.stored.with_value(Option::is_none) {
            return Ok(());
        }
        part!(restoring(*self))
    }

    /// Writes the list back; not before the stored one is read, which it would replace.
    fn persist(&self) {
        if self.stored.with_value(Option::is_some) {
            return;
        }
        let json = self.activity.with_untracked(ActivityLog::to_json);
        if let Some(storage) = storage() {
            let _ = storage.set_item(ACTIVITY_KEY, &json);
        }
    }

    fn set_status(&self, id: u64, status: Status, hash: Option<B256>) {
        self.activity.update(|log| log.update(id, status, hash));
        self.persist();
    }

    /// Shows or replaces toast `id`.
    pub fn toast(&self, id: u64, kind: ToastKind, title: &str, text: impl Into<String>, hash: Option<B256>) {
        let toast = Toast { id, kind, title: title.to_owned(), text: text.into(), hash };
        self.toasts.update(|toasts| match toasts.iter_mut().find(|t| t.id == id) {
            Some(existing) => *existing = toast,
            None => toasts.push(toast),
        });
        if kind == ToastKind::Success {
            let this = *self;
            set_timeout(move || this.dismiss(id), TOAST_LINGER);
        }
    }

    /// A toast not tied to a transaction.
    pub fn notify(&self, kind: ToastKind, title: &str, text: impl Into<String>) {
        let id = self.next_toast.get_value();
        self.next_toast.set_value(id - 1);
        self.toast(id, kind, title, text, None);
    }

    pub fn dismiss(&self, id: u64) {
        self.toasts.update(|toasts| toasts.retain(|t| t.id != id));
    }

    /// Drops the toasts whose story is over (confirmed, failed, notices), keeping those still in
    /// progress: called when the person moves to another page.
    pub fn dismiss_finished(&self) {
        if self.toasts.with_untracked(|toasts| toasts.iter().any(|t| t.kind != ToastKind::Progress)) {
            self.toasts.update(|toasts| toasts.retain(|t| t.kind == ToastKind::Progress));
        }
    }

    fn rpc(&self) -> Rpc {
        self.config.with_value(Rpc::of)
    }

    /// Runs `write` through the whole lifecycle. `Ok(hash)` once it is confirmed; `Err` with the
    /// reason (already shown) otherwise. On `Err(Failure::Cancelled)` callers keep their form as is.
    pub async fn send(&self, write: Write) -> Result<B256, Failure> {
        // The list this transaction joins is read first, so that writing it back loses nothing.
        if self.restore().await.is_err() {
            self.notify(ToastKind::Error, &write.label, ACTIVITY_NOT_DOWNLOADED);
            return Err(Failure::Other { detail: ACTIVITY_NOT_DOWNLOADED.to_owned() });
        }
        let (expected, chain_name) = self.config.with_value(|c| (c.chain_id, c.chain_name.clone()));
        let Some(connection) = self.wallet.connection.get_untracked() else {
            let failure = Failure::NotConnected;
            self.notify(ToastKind::Error, &write.label, reverts::explain(&failure).await);
            return Err(failure);
        };
        if connection.chain_id != expected {
            let failure =
                Failure::ChainMismatch { wallet: Some(connection.chain_id), expected: Some((expected, chain_name)) };
            self.notify(ToastKind::Error, &write.label, reverts::explain(&failure).await);
            return Err(failure);
        }
        let id = self
            .activity
            .try_update(|log| log.start(write.label.clone(), expected, connection.account, crate::clock::unix_ms()))
            .unwrap_or(0);
        self.persist();
        self.toast(id, ToastKind::Progress, &write.label, "Checking the transaction…", None);
        match self.run(id, &write, connection.account, &connection.wallet.uuid).await {
            Ok(hash) => Ok(hash),
            Err(failure) if failure.is_cancelled() => {
                // Nothing happened: no activity entry, the form stays as it was.
                self.activity.update(|log| log.remove(id));
                self.persist();
                self.toast(id, ToastKind::Error, &write.label, reverts::explain(&failure).await, None);
                Err(failure)
            }
            Err(failure) => {
                let reason = reverts::explain(&failure).await;
                let hash =
                    self.activity.with_untracked(|log| log.items().iter().find(|a| a.id == id).and_then(|a| a.hash));
                self.set_status(id, Status::Failed { reason: reason.clone() }, None);
                self.toast(id, ToastKind::Error, &write.label, reason, hash);
                Err(failure)
            }
        }
    }

    async fn run(&self, id: u64, write: &Write, account: Address, wallet_uuid: &str) -> Result<B256, Failure> {
        let rpc = self.rpc();
        let read = rpc.provider();
        let tx = TransactionRequest::default()
            .from(account)
            .to(write.to)
            .value(write.value)
            .input(TransactionInput::new(write.input.clone()));

        // Simulate: a revert stops here, before the wallet is asked anything.
        read.call(tx.clone()).await.map_err(|e| rpc.failure(&e))?;
        let gas = read.estimate_gas(tx.clone()).await.map_err(|e| rpc.failure(&e))?;
        let gas_price = read.get_gas_price().await.map_err(|e| rpc.failure(&e))?;
        let balance = read.get_balance(account).await.map_err(|e| rpc.failure(&e))?;
        check_funds(balance, write.value, gas, gas_price)?;

        self.set_status(id, Status::AwaitingWallet, None);
        self.toast(id, ToastKind::Progress, &write.label, "Confirm the transaction in your wallet…", None);
        // A margin over the estimate; the wallet fills nonce and fees. Calldata goes as both
        // `input` and `data`: wallets differ in which one they read.
        let tx = tx.gas_limit(gas.saturating_add(gas / 5)).input(TransactionInput::both(write.input.clone()));
        let prompt = WalletPrompt::Transaction { what: write.label.clone(), value: write.value, gas, gas_price };
        let sent = self.wallet.asking(prompt, wallet_provider(wallet_uuid).send_transaction(tx)).await;
        let pending = sent.map_err(|e| rpc.failure(&e))?;
        let hash = *pending.tx_hash();

        self.set_status(id, Status::Pending, Some(hash));
        self.toast(
            id,
            ToastKind::Progress,
            &write.label,
            "Pending: sent, waiting to be included in a block…",
            Some(hash),
        );
        match self.wait(&rpc, hash).await? {
            true => {
                self.set_status(id, Status::Confirmed, None);
                self.toast(id, ToastKind::Success, &write.label, "Confirmed.", Some(hash));
                self.wallet.refresh_balance();
                Ok(hash)
            }
            false => Err(Failure::RevertedOnChain),
        }
    }

    /// Polls for the receipt; `Ok(status)` when found.
    async fn wait(&self, rpc: &Rpc, hash: B256) -> Result<bool, Failure> {
        let mut last_error = None;
        for _ in 0..RECEIPT_POLLS {
            gloo_timers::future::sleep(RECEIPT_POLL).await;
            match rpc.receipt_status(hash).await {
                Ok(Some(succeeded)) => return Ok(succeeded),
                Ok(None) => {}
                Err(failure) => last_error = Some(failure),
            }
        }
        Err(last_error.unwrap_or(Failure::Other {
            detail: format!("no receipt for {} after 10 minutes; it may still be included later", short_hash(&hash)),
        }))
    }

    /// Watches a transaction found pending after a reload.
    async fn watch(&self, id: u64, hash: B256) {
        match self.wait(&self.rpc(), hash).await {
            Ok(true) => self.set_status(id, Status::Confirmed, None),
            Ok(false) => {
                self.set_status(id, Status::Failed { reason: reverts::explain(&Failure::RevertedOnChain).await }, None)
            }
            // Unknown still: leave it pending for the next visit.
            Err(_) => {}
        }
    }
}

/// What a write says when the list of this browser's transactions could not be read.
const ACTIVITY_NOT_DOWNLOADED: &str = "Nothing was sent: the code that reads this browser's list of transactions could \
     not be downloaded (the connection to the site was lost or the gateway dropped the request). Try again.";

/// Reads the stored activity list into `context` (once: a second call finds it read), settles
/// what was interrupted, writes it back and watches again what was pending.
#[cfg_attr(feature = "parts", wasm_split(activity, wasm_split_path = ::leptos::wasm_split, fallible))]
fn restoring(context: TxContext) -> Result<(), PartNotLoaded> {
    let Some(text) = context.stored.try_update_value(Option::take).flatten() else { return Ok(()) };
    let mut log = ActivityLog::from_json(&text);
    log.settle_interrupted();
    let pending = log.pending();
    context.activity.set(log);
    context.persist();
    for (id, hash) in pending {
        spawn_local(async move {
            context.watch(id, hash).await;
        });
    }
    Ok(())
}

/// A short label for an address in transaction titles.
pub fn account_label(account: &Address) -> String {
    short_address(account)
}
