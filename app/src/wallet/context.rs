//! The wallet connection as reactive state, provided to every page as [`WalletContext`].

use assay_core::wallet_prompt::{SignaturePurpose, WalletPrompt};
use std::time::Duration;

use assay_core::config::RuntimeConfig;
use assay_core::eth::{Address, U256, parse_u64_quantity};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Value, json};

use futures::future::{FutureExt, LocalBoxFuture};
#[cfg(feature = "parts")]
use leptos::wasm_split::wasm_split;

use super::discovery::{self, AnnouncedWallet, INJECTED, WalletInfo};
use super::eip1193::{Eip1193Provider, ProviderError};
use super::switch::switching;
use crate::chain;
use crate::split::{PartNotLoaded, part};

/// localStorage key of the last connected wallet's rdns.
const REMEMBERED_WALLET: &str = "assay.wallet.rdns";
/// How often the balance is re-read while connected.
const BALANCE_REFRESH: Duration = Duration::from_secs(4);

/// A connected account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    pub wallet: WalletInfo,
    pub account: Address,
    /// The chain the wallet is on, which may differ from the app's.
    pub chain_id: u64,
}

/// Wallet state and actions. Cheap to copy: every field is an arena handle.
#[derive(Clone, Copy)]
pub struct WalletContext {
    /// Discovered wallets, in announcement order.
    pub wallets: RwSignal<Vec<WalletInfo>>,
    /// The connection, once the user has connected.
    pub connection: RwSignal<Option<Connection>>,
    /// The account's balance on the app's chain (read through the configured RPC).
    pub balance: RwSignal<Option<U256>>,
    /// A wallet request is open (the UI disables its buttons).
    pub pending: RwSignal<bool>,
    /// The last problem, in words.
    pub error: RwSignal<Option<String>>,
    /// What the wallet is asking right now, explained in the page before it opens (`WalletPromptNote`).
    pub prompt: RwSignal<Option<WalletPrompt>>,
    providers: StoredValue<Vec<(String, Eip1193Provider)>, LocalStorage>,
    config: StoredValue<RuntimeConfig>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn first_account(value: &Value) -> Option<Address> {
    value.as_array()?.first()?.as_str()?.parse().ok()
}

impl WalletContext {
    /// Creates the context, starts wallet discovery and provides it.
    pub fn provide(config: RuntimeConfig) -> Self {
        let context = Self {
            wallets: RwSignal::new(Vec::new()),
            connection: RwSignal::new(None),
            balance: RwSignal::new(None),
            pending: RwSignal::new(false),
            error: RwSignal::new(None),
            prompt: RwSignal::new(None),
            providers: StoredValue::new_local(Vec::new()),
            config: StoredValue::new(config),
        };
        provide_context(context);
        discovery::discover(move |wallet| context.add_wallet(wallet));
        if context.wallets.with_untracked(Vec::is_empty)
            && let Some(wallet) = discovery::injected()
        {
            context.add_wallet(wallet);
        }
        let interval = set_interval_with_handle(
            move || {
                if context.connection.with_untracked(Option::is_some) {
                    context.refresh_balance();
                }
            },
            BALANCE_REFRESH,
        );
        if let Ok(handle) = interval {
            on_cleanup(move || handle.clear());
        }
        context
    }

    /// The chain the app's contracts live on.
    pub fn expected_chain_id(&self) -> u64 {
        self.config.with_value(|c| c.chain_id)
    }

    /// The configured chain's name.
    pub fn expected_chain_name(&self) -> String {
        self.config.with_value(|c| c.chain_name.clone())
    }

    /// Whether a wallet is connected but on another chain than the app's.
    pub fn is_wrong_chain(&self) -> bool {
        self.connection.with(|c| c.as_ref().is_some_and(|c| c.chain_id != self.expected_chain_id()))
    }

    fn provider(&self, uuid: &str) -> Option<Eip1193Provider> {
        self.providers.with_value(|list| list.iter().find(|(id, _)| id == uuid).map(|(_, p)| p.clone()))
    }

    fn connected_provider(&self) -> Option<Eip1193Provider> {
        let uuid = self.connection.with_untracked(|c| c.as_ref().map(|c| c.wallet.uuid.clone()))?;
        self.provider(&uuid)
    }

    fn add_wallet(&self, AnnouncedWallet { info, provider }: AnnouncedWallet) {
        if self.provider(&info.uuid).is_some() {
            return;
        }
        // A real EIP-6963 wallet supersedes the legacy injected entry.
        if info.uuid != INJECTED {
            self.wallets.update(|list| list.retain(|w| w.uuid != INJECTED));
        }
        self.subscribe(&info.uuid, &provider);
        chain::register_wallet(&info.uuid, provider.clone());
        self.providers.update_value(|list| list.push((info.uuid.clone(), provider)));
        self.wallets.update(|list| list.push(info.clone()));
        let remembered = local_storage().and_then(|s| s.get_item(REMEMBERED_WALLET).ok().flatten());
        if remembered.as_deref() == Some(info.rdns.as_str()) && self.connection.with_untracked(Option::is_none) {
            self.reconnect_silently(info);
        }
    }

    fn subscribe(&self, uuid: &str, provider: &Eip1193Provider) {
        let this = *self;
        let id = uuid.to_owned();
        provider.subscribe("accountsChanged", move |accounts| {
            if !this.is_connected_to(&id) {
                return;
            }
            match first_account(&accounts) {
                Some(account) => {
                    this.connection.update(|c| {
                        if let Some(c) = c {
                            c.account = account;
                        }
                    });
                    this.refresh_balance();
                }
                // The wallet disconnected this site.
                None => this.clear_connection(),
            }
        });
        let id = uuid.to_owned();
        provider.subscribe("chainChanged", move |chain| {
            if !this.is_connected_to(&id) {
                return;
            }
            if let Some(chain_id) = chain.as_str().and_then(|c| parse_u64_quantity(c).ok()) {
                this.connection.update(|c| {
                    if let Some(c) = c {
                        c.chain_id = chain_id;
                    }
                });
                this.refresh_balance();
            }
        });
    }

    fn is_connected_to(&self, uuid: &str) -> bool {
        self.connection.with_untracked(|c| c.as_ref().is_some_and(|c| c.wallet.uuid == uuid))
    }

    /// Asks the wallet for access (the wallet shows its prompt) and connects.
    pub fn connect(&self, uuid: String) {
        let this = *self;
        let Some(provider) = self.provider(&uuid) else {
            self.error.set(Some("That wallet is no longer available: reload the page.".into()));
            return;
        };
        let Some(info) = self.wallets.with_untracked(|w| w.iter().find(|w| w.uuid == uuid).cloned()) else {
            return;
        };
        self.pending.set(true);
        self.error.set(None);
        spawn_local(async move {
            let establish = match part!(establishing(this, provider, info, "eth_requestAccounts")) {
                Ok(establish) => establish,
                Err(PartNotLoaded) => {
                    this.pending.set(false);
                    this.error.set(Some(NOT_DOWNLOADED.to_owned()));
                    return;
                }
            };
            let result = this.asking(WalletPrompt::Connect, establish).await;
            this.pending.set(false);
            if let Err(error) = result {
                this.error.set(Some(error.explain().await));
            }
        });
    }

    /// Reconnects a remembered wallet without a prompt, if it still authorises this site.
    fn reconnect_silently(&self, info: WalletInfo) {
        let this = *self;
        let Some(provider) = self.provider(&info.uuid) else { return };
        spawn_local(async move {
            // `eth_accounts` never prompts; an empty answer (or code that did not arrive) just
            // leaves the app disconnected.
            if let Ok(establish) = part!(establishing(this, provider, info, "eth_accounts")) {
                let _ = establish.await;
            }
        });
    }

    async fn establish(&self, provider: &Eip1193Provider, info: WalletInfo, method: &str) -> Result<(), ProviderError> {
        let accounts = provider.request(method, json!([])).await?;
        let Some(account) = first_account(&accounts) else {
            return if method == "eth_accounts" {
                Ok(())
            } else {
                Err(ProviderError::local("the wallet returned no account"))
            };
        };
        let chain = provider.request("eth_chainId", json!([])).await?;
        let chain_id = chain
            .as_str()
            .and_then(|c| parse_u64_quantity(c).ok())
            .ok_or_else(|| ProviderError::local(format!("unreadable chain id {chain}")))?;
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(REMEMBERED_WALLET, &info.rdns);
        }
        self.connection.set(Some(Connection { wallet: info, account, chain_id }));
        self.refresh_balance();
        Ok(())
    }

    /// Forgets the connection (and the remembered wallet).
    pub fn disconnect(&self) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(REMEMBERED_WALLET);
        }
        self.clear_connection();
    }

    fn clear_connection(&self) {
        self.connection.set(None);
        self.balance.set(None);
        self.error.set(None);
    }

    /// Re-reads the connected account's balance on the app's chain.
    pub fn refresh_balance(&self) {
        let Some(account) = self.connection.with_untracked(|c| c.as_ref().map(|c| c.account)) else {
            return;
        };
        let this = *self;
        let rpc = self.config.with_value(chain::Rpc::of);
        spawn_local(async move {
            match rpc.balance(account).await {
                Ok(balance) => {
                    // Ignore a late answer for an account that is no longer the connected one.
                    if this.connection.with_untracked(|c| c.as_ref().map(|c| c.account)) == Some(account) {
                        this.balance.set(Some(balance));
                    }
                }
                Err(failure) => this.error.set(Some(chain::reverts::explain(&failure).await)),
            }
        });
    }

    /// Asks the wallet to switch to the app's chain, adding it to the wallet first if the
    /// wallet does not know it (error 4902). Wallets may add a chain without switching to it
    /// (EIP-3085 leaves it open): then the switch is asked for once more, and if the wallet still
    /// stays where it was, the person is told so in words.
    pub fn switch_chain(&self) {
        let Some(provider) = self.connected_provider() else { return };
        let this = *self;
        let config = self.config.get_value();
        self.pending.set(true);
        self.error.set(None);
        spawn_local(async move {
            match part!(switching(this, provider, config)) {
                Ok(switch) => switch.await,
                Err(PartNotLoaded) => {
                    this.pending.set(false);
                    this.error.set(Some(NOT_DOWNLOADED.to_owned()));
                }
            }
        });
    }

    /// Runs `request` (one the wallet shows to the person) with `prompt` explained in the page
    /// first and until the wallet answers.
    pub async fn asking<T>(&self, prompt: WalletPrompt, request: impl std::future::Future<Output = T>) -> T {
        /// Takes the explanation down when the request ends, also when it is dropped unanswered
        /// (its page left): only if it is still this request's, as requests may overlap.
        struct Shown(RwSignal<Option<WalletPrompt>>, WalletPrompt);
        impl Drop for Shown {
            fn drop(&mut self) {
                if self.0.try_with_untracked(|p| p.as_ref() == Some(&self.1)) == Some(true) {
                    self.0.try_set(None);
                }
            }
        }
        self.prompt.set(Some(prompt.clone()));
        let _shown = Shown(self.prompt, prompt);
        request.await
    }

    /// Asks the wallet to sign EIP-712 `typed_data` (`eth_signTypedData_v4`) with the connected
    /// account; the signature as the wallet returns it (`0x…`). Refuses, without asking, when no
    /// account is connected or the wallet sits on another chain than the app's (the typed data
    /// names the app's chain, and wallets refuse a domain for another chain).
    pub async fn sign_typed_data(
        &self,
        typed_data: &Value,
        purpose: SignaturePurpose,
    ) -> Result<String, ProviderError> {
        let connection = self
            .connection
            .get_untracked()
            .ok_or_else(|| ProviderError::local("Connect a wallet first (top right)."))?;
        if connection.chain_id != self.expected_chain_id() {
            return Err(ProviderError::local(format!(
                "Your wallet is on another network: switch it to {} first.",
                self.expected_chain_name()
            )));
        }
        let provider = self
            .provider(&connection.wallet.uuid)
            .ok_or_else(|| ProviderError::local("The connected wallet is gone; reconnect it."))?;
        let account = connection.account.to_checksum(None);
        let request = provider.request("eth_signTypedData_v4", json!([account, typed_data.to_string()]));
        let signature = self.asking(WalletPrompt::Signature(purpose), request).await?;
        signature.as_str().map(str::to_owned).ok_or_else(|| ProviderError::local("The wallet returned no signature."))
    }
}

/// Why a wallet action did nothing when its code did not arrive.
const NOT_DOWNLOADED: &str = "The code that talks to wallets could not be downloaded (the connection to the site was \
     lost or the gateway dropped the request): try again.";

/// Connecting (`eth_requestAccounts`, or `eth_accounts` for a remembered wallet) and switching
/// networks are a wasm part (`crate::split`), fetched when a visitor first connects (or comes
/// back with a wallet connected before): a first visit does not download them.
#[cfg_attr(feature = "parts", wasm_split(wallet, wasm_split_path = ::leptos::wasm_split, fallible))]
fn establishing(
    this: WalletContext,
    provider: Eip1193Provider,
    info: WalletInfo,
    method: &'static str,
) -> Result<LocalBoxFuture<'static, Result<(), ProviderError>>, PartNotLoaded> {
    Ok(async move { this.establish(&provider, info, method).await }.boxed_local())
}
