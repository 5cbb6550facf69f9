//! The wallet area of the header: connect, chain, balance, account.

use assay_core::units::{format_ether, short_address};
use leptos::prelude::*;

use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::wallet::WalletContext;

/// Connect button with the wallet picker, or the connected account with its chain and balance.
#[component]
pub fn WalletMenu() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let picker_open = RwSignal::new(false);
    let account_open = RwSignal::new(false);

    let picker = move || {
        let wallets = wallet.wallets.get();
        if wallets.is_empty() {
            return view! {
                <p class="wallet__empty" data-testid="wallet-none">
                    "No wallet found. Install a browser wallet (any EIP-6963 wallet works), then reload."
                </p>
            }
            .into_any();
        }
        wallets
            .into_iter()
            .map(|info| {
                let uuid = info.uuid.clone();
                view! {
                    <li>
                        <button
                            class="wallet__option"
                            data-testid="wallet-option"
                            disabled=move || wallet.pending.get()
                            on:click=move |_| {
                                picker_open.set(false);
                                wallet.connect(uuid.clone());
                            }
                        >
                            {info.icon.map(|icon| view! { <img class="wallet__icon" src=icon alt="" /> })}
                            <span>{info.name}</span>
                        </button>
                    </li>
                }
            })
            .collect_view()
            .into_any()
    };

    let disconnected = move || {
        view! {
            <div class="wallet">
                <button
                    class="button button--primary"
                    data-testid="wallet-connect"
                    disabled=move || wallet.pending.get()
                    on:click=move |_| picker_open.update(|open| *open = !*open)
                >
                    {move || if wallet.pending.get() { "Check your wallet…" } else { "Connect wallet" }}
                </button>
                <Show when=move || picker_open.get()>
                    <ul class="wallet__picker" data-testid="wallet-picker">{picker}</ul>
                </Show>
            </div>
        }
    };

    let connected = move || {
        let connection = wallet.connection.get()?;
        let chain = if wallet.is_wrong_chain() {
            view! {
                <span class="chip chip--danger" data-testid="wallet-wrong-chain">
                    "Wrong network (chain " {connection.chain_id} ")"
                </span>
                <button
                    class="button button--small"
                    data-testid="wallet-switch-chain"
                    disabled=move || wallet.pending.get()
                    on:click=move |_| wallet.switch_chain()
                >
                    "Switch to " {wallet.expected_chain_name()}
                </button>
            }
            .into_any()
        } else {
            view! {
                <span class="chip" data-testid="wallet-chain" title="The chain your wallet is on">
                    {wallet.expected_chain_name()} " · " {connection.chain_id}
                </span>
            }
            .into_any()
        };
        let address = connection.account.to_checksum(None);
        Some(view! {
            <div class="wallet wallet--connected">
                {chain}
                <span class="wallet__balance" data-testid="wallet-balance"
                    title=move || format!("Your balance on {}, the network Assay uses", wallet.expected_chain_name())>
                    {move || wallet.balance.get().map(|b| format!("{} ETH", format_ether(b, 4))).unwrap_or_else(|| "… ETH".into())}
                    // The balance is read on the app's chain: say so while the wallet is elsewhere.
                    {move || wallet.is_wrong_chain().then(|| format!(" on {}", wallet.expected_chain_name()))}
                </span>
                <button
                    class="button button--account"
                    data-testid="wallet-address"
                    title=address.clone()
                    on:click=move |_| account_open.update(|open| *open = !*open)
                >
                    {short_address(&connection.account)}
                </button>
                <Show when=move || account_open.get()>
                    <div class="wallet__menu">
                        <p class="wallet__full-address"><code>{address.clone()}</code> " " <ExplorerLink target=OnExplorer::Account(connection.account) testid="wallet-explorer" /></p>
                        <p class="wallet__via">"via " {connection.wallet.name.clone()}</p>
                        <button
                            class="button button--small"
                            data-testid="wallet-disconnect"
                            on:click=move |_| {
                                account_open.set(false);
                                wallet.disconnect();
                            }
                        >
                            "Disconnect"
                        </button>
                    </div>
                </Show>
            </div>
        })
    };

    view! {
        <div class="wallet-area">
            {move || if wallet.connection.with(Option::is_some) { connected().into_any() } else { disconnected().into_any() }}
            {move || wallet.error.get().map(|message| view! {
                <p class="wallet__error" role="alert" data-testid="wallet-error">{message}</p>
            })}
        </div>
    }
}
