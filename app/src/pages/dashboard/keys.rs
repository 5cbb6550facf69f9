//! The dashboard's key deliveries: purchases of the account's encrypted models waiting for their
//! key, each delivered with one click (or all at once). Delivering re-creates the model's content
//! key from the wallet's signature, checks it against the on-chain commitment, seals it to the
//! licence's own key and sends it with `deliverKey`, which starts the licence and the challenge
//! period: the payment stays in escrow (the buyer can prove a wrong key) until, past the challenge
//! deadline (chain time), **Release** (`release`, open to anyone) splits it. Who may release when,
//! and the words, are `assay_core::escrow`'s.

use alloy_primitives::{Bytes, U256};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, LicenceStatus};
use assay_core::escrow;
use assay_core::units::{price_words, short_address, utc_date_time};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::deliveries::{self, PendingDelivery};
use crate::chain::tx::{ToastKind, TxContext, Write};
use crate::encryption;
use crate::error::AppError;
use crate::ipfs::{ListedCid, model_card};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::ui::components::model_link::ModelLink;
use crate::wallet::WalletContext;

/// Pending deliveries of the connected account's encrypted models (shown when there are any, or
/// when the account owns an encrypted model).
#[component]
pub fn KeyDeliveries() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let catalogue = CatalogueContext::wanted();
    let tx: TxContext = expect_context();
    let account = Memo::new(move |_| wallet.connection.with(|c| c.as_ref().map(|c| c.account)));
    let encrypted_models = Memo::new(move |_| {
        let account = account.get()?;
        catalogue.catalogue.with(|c| {
            c.as_ref().map(|c| {
                c.models()
                    .filter(|m| m.owner == account && m.encrypted)
                    .map(|m| (m.id, m.manifest()))
                    .collect::<Vec<_>>()
            })
        })
    });
    let synced = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().map(|c| c.synced_to())));
    let reads = RwSignal::new(0u32);
    let pending = LocalResource::new(move || {
        reads.track();
        synced.track();
        let models = encrypted_models.get();
        async move {
            let models = models?;
            let ids: Vec<U256> = models.iter().map(|(id, _)| *id).collect();
            let result = async {
                let market = Market::session()?;
                let pending = deliveries::pending(&market, &ids).await?;
                let now = market.rpc.block_time(None).await?;
                Ok::<_, assay_core::failure::Failure>((pending, now))
            }
            .await;
            Some(result)
        }
    });
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<AppError>);
    let done = RwSignal::new(None::<String>);
    let deliver = move |list: Vec<PendingDelivery>| {
        let config = config.clone();
        let models = encrypted_models.get_untracked().unwrap_or_default();
        busy.set(true);
        problem.set(None);
        done.set(None);
        spawn_local(async move {
            let mut delivered = 0usize;
            let mut keys = std::collections::BTreeMap::new();
            for item in &list {
                let Some((_, manifest)) = models.iter().find(|(id, _)| *id == item.model_id) else { continue };
                if let std::collections::btree_map::Entry::Vacant(slot) = keys.entry(item.model_id) {
                    match model_key(&config, wallet, item.model_id, manifest).await {
                        Ok(key) => slot.insert(key),
                        Err(reason) => {
                            problem.set(Some(reason));
                            break;
                        }
                    };
                }
                let (key, name) = &keys[&item.model_id];
                match deliver_one(tx, item, key, name).await {
                    Ok(()) => delivered += 1,
                    Err(reason) => {
                        problem.set(Some(reason));
                        break;
                    }
                }
            }
            if delivered > 0 {
                done.set(Some(format!(
                    "Delivered {delivered} key{}: the payments stay in escrow for the challenge period, then you can release them.",
                    if delivered == 1 { "" } else { "s" }
                )));
                catalogue.refresh();
            }
            busy.set(false);
            reads.update(|n| *n += 1);
        });
    };
    move || {
        let shown = encrypted_models.with(|m| m.as_ref().is_some_and(|m| !m.is_empty()));
        shown.then(|| {
            let deliver = deliver.clone();
            view! {
                <div class="panel" data-testid="key-deliveries">
                    <h2 class="panel__title">"Key deliveries"</h2>
                    <p class="muted">"Buyers of your encrypted models wait for their key; their payment is in escrow until you deliver it and the challenge period after the delivery ends. Each delivery asks your wallet for a transaction (the first one in a session also for two signatures that re-create the model's key)."</p>
                    {move || match pending.get().flatten() {
                        None => view! { <p class="skeleton" data-testid="deliveries-loading">"Reading the purchases…"</p> }.into_any(),
                        Some(Err(e)) => view! { <ErrorNote testid="deliveries-error" error=e /> }.into_any(),
                        Some(Ok((list, _))) if list.iter().all(|p| p.status != LicenceStatus::AwaitingKey) => view! { <p class="muted" data-testid="deliveries-none">"No purchase is waiting for a key."</p> }.into_any(),
                        Some(Ok((list, now))) => {
                            let list: Vec<PendingDelivery> = list.into_iter().filter(|p| p.status == LicenceStatus::AwaitingKey).collect();
                            let open: Vec<PendingDelivery> = list.iter().filter(|p| now <= p.deadline).cloned().collect();
                            let count = open.len();
                            let deliver_all = deliver.clone();
                            view! {
                                <table class="table" data-testid="deliveries">
                                    <thead><tr><th>"Licence"</th><th>"Model"</th><th>"Buyer"</th><th>"In escrow"</th><th>"Deliver by"</th><th></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|item| {
                                            let closed = now > item.deadline;
                                            let deliver = deliver.clone();
                                            let one = item.clone();
                                            view! {
                                                <tr data-testid="delivery" data-licence-id=item.licence_id.to_string() data-state=if closed { "closed" } else { "open" }>
                                                    <td>"#" {item.licence_id.to_string()}</td>
                                                    <td><ModelLink id=item.model_id /></td>
                                                    <td><code>{short_address(&item.holder)}</code> " " <ExplorerLink target=OnExplorer::Account(item.holder) testid="holder-explorer" /></td>
                                                    <td>{price_words(item.amount)}</td>
                                                    <td>{utc_date_time(item.deadline)}</td>
                                                    <td>{if closed {
                                                        view! { <span class="muted" data-testid="delivery-closed">"Too late: the buyer can take the payment back"</span> }.into_any()
                                                    } else {
                                                        view! {
                                                            <button class="button button--small button--primary" data-testid="deliver-key" disabled=move || busy.get()
                                                                on:click=move |_| deliver(vec![one.clone()])>"Deliver key"</button>
                                                        }.into_any()
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                {(count > 1).then(|| view! {
                                    <button class="button" data-testid="deliver-all" disabled=move || busy.get() on:click=move |_| deliver_all(open.clone())>
                                        {format!("Deliver all {count} keys")}
                                    </button>
                                })}
                            }.into_any()
                        }
                    }}
                    {move || pending.get().flatten().and_then(Result::ok).map(|(list, now)| {
                        let delivered: Vec<PendingDelivery> = list.into_iter().filter(|p| p.status == LicenceStatus::InChallengePeriod).collect();
                        (!delivered.is_empty()).then(|| view! { <ChallengeEscrows list=delivered now=now reads=reads /> })
                    })}
                    {move || busy.get().then(|| view! { <p class="skeleton" data-testid="deliveries-busy">"Delivering…"</p> })}
                    {move || problem.get().map(|p| view! { <ErrorNote testid="delivery-problem" error=p /> })}
                    {move || done.get().map(|d| view! { <p class="ok" data-testid="delivery-done">{d}</p> })}
                </div>
            }
        })
    }
}

/// Delivered purchases whose payment is still in escrow: each in its challenge period until its
/// deadline (chain time), then releasable by anyone — here with **Release**.
#[component]
fn ChallengeEscrows(list: Vec<PendingDelivery>, now: u64, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let busy = RwSignal::new(false);
    let release = move |licence_id: U256, amount: U256| {
        busy.set(true);
        spawn_local(async move {
            let released = deliveries::release(tx, licence_id, amount).await;
            busy.set(false);
            if released {
                tx.notify(
                    ToastKind::Success,
                    "Payment released",
                    format!("{} of licence #{licence_id} is split and credited.", price_words(amount)),
                );
                catalogue.refresh();
                reads.update(|n| *n += 1);
            }
        });
    };
    view! {
        <h3>"In the challenge period"</h3>
        <p class="muted">"Delivered keys: each payment stays in escrow until its challenge deadline, during which the buyer can prove a wrong key and be refunded. After it, anyone can release the payment, which splits it."</p>
        <table class="table" data-testid="challenge-escrows">
            <thead><tr><th>"Licence"</th><th>"Model"</th><th>"Buyer"</th><th>"In escrow"</th><th>"Challenge period"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|item| {
                    let (state, words) = escrow::creator_row(item.status, item.deadline, Some(now))
                        .unwrap_or(("challenge", String::new()));
                    let releasable = escrow::may_release(item.status, item.deadline, Some(now));
                    let (licence_id, amount) = (item.licence_id, item.amount);
                    view! {
                        <tr data-testid="escrow" data-licence-id=licence_id.to_string() data-state=state>
                            <td>"#" {licence_id.to_string()}</td>
                            <td><ModelLink id=item.model_id /></td>
                            <td><code>{short_address(&item.holder)}</code> " " <ExplorerLink target=OnExplorer::Account(item.holder) testid="holder-explorer" /></td>
                            <td>{price_words(amount)}</td>
                            <td data-testid="escrow-words">{words}</td>
                            <td>{releasable.then(|| view! {
                                <button class="button button--small button--primary" data-testid="escrow-release" disabled=move || busy.get()
                                    on:click=move |_| release(licence_id, amount)>"Release"</button>
                            })}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A model's content key, re-created from the wallet's signature and checked against the
/// on-chain commitment (once per model in a batch), with the model's name.
async fn model_key(
    config: &RuntimeConfig,
    wallet: WalletContext,
    model_id: U256,
    manifest: &ListedCid,
) -> Result<([u8; 32], String), AppError> {
    let card = model_card(&config.ipfs, manifest).await?;
    let encryption_section = card.encryption.as_ref().ok_or_else(|| {
        AppError::Invalid(format!("The card of {} doesn't say how its file is encrypted.", card.name))
    })?;
    let market = Market::session()?;
    let (key, _) = encryption::committed_content_key(
        &wallet,
        &market,
        model_id,
        &encryption_section.key_id,
        &card.name,
        "deliver",
    )
    .await?;
    Ok((key, card.name))
}

/// Seals `key` to the buyer of `item` and sends `deliverKey`.
async fn deliver_one(tx: TxContext, item: &PendingDelivery, key: &[u8; 32], name: &str) -> Result<(), AppError> {
    let market = Market::session()?.address;
    let sealed = assay_crypto::seal(&item.buyer_key.0, key)?;
    let call = IAssayMarket::deliverKeyCall { licenceId: item.licence_id, sealedKey: Bytes::from(sealed.to_vec()) };
    let label = format!("Deliver the key of {name} to {}", short_address(&item.holder));
    tx.send(Write::call(label, market, &call)).await?;
    Ok(())
}
