//! The dashboard's researcher half: revenue per day (a bar chart) and the account's models with
//! their sales, what each earned the account, and tier management (reprice, pause, add).

use alloy_primitives::{Address, U256};
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, ModelSummary, Tier, TierInput};
use assay_core::earnings::{DAY, Earnings, Payee, SaleState, daily_series, day_label, summarize};
use assay_core::escrow;
use assay_core::failure::Failure;
use assay_core::licence::{Role, role_of};
use assay_core::listing_draft::{parse_duration_days, parse_price, parse_supply};
use assay_core::route::Route;
use assay_core::units::{duration_words, format_ether, price_words, short_address};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::sales::sales_of;
use crate::chain::tx::{ToastKind, TxContext, Write};
use crate::chain::{Market, listing};
use crate::ipfs::model_card;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::wallet::WalletContext;

/// Days shown in the revenue chart.
const CHART_DAYS: u64 = 14;

/// Revenue and the account's models (shown once a wallet is connected).
#[component]
pub fn ResearcherPanels() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let account = Memo::new(move |_| wallet.connection.with(|c| c.as_ref().map(|c| c.account)));
    // Sales change the catalogue (events), so earnings are read again with it.
    let synced = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().map(|c| c.synced_to())));
    let mine = Memo::new(move |_| {
        let account = account.get()?;
        catalogue
            .catalogue
            .with(|c| c.as_ref().map(|c| c.models().filter(|m| m.owner == account).cloned().collect::<Vec<_>>()))
    });
    // The models' own earnings (the owner's part, parents' shares) count as the owner's.
    let owned = Memo::new(move |_| mine.with(|m| m.as_ref().map(|m| m.iter().map(|m| m.id).collect::<Vec<_>>())));
    let earnings = LocalResource::new(move || {
        let account = account.get();
        let owned = owned.get();
        synced.track();
        async move {
            let (account, owned) = (account?, owned?);
            let earned = async { listing::earnings_of(&Market::session()?, account, &owned).await }.await;
            Some(earned.map(|(credits, models)| summarize(&credits, |licence| models.get(&licence).copied())))
        }
    });
    let earned = move || earnings.get().flatten().and_then(Result::ok);
    move || {
        account.get().map(|_| {
            view! {
                <RevenueChart earnings=Signal::derive(earned) error=Signal::derive(move || earnings.get().flatten().and_then(Result::err)) />
                <div class="panel" data-testid="my-models">
                    <h2 class="panel__title">"Your models"</h2>
                    {move || match mine.get() {
                        None => view! { <p class="skeleton">"Reading the catalogue…"</p> }.into_any(),
                        Some(models) if models.is_empty() => view! {
                            <p class="muted" data-testid="my-models-empty">
                                "You own no listed model. " <a href=Route::ListModel.href()>"List one"</a>
                            </p>
                        }.into_any(),
                        Some(models) => view! {
                            <ul class="my-models">
                                {models.into_iter().map(|m| view! { <MyModel summary=m earnings=Signal::derive(earned) /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }}
                </div>
            }
        })
    }
}

#[component]
fn RevenueChart(earnings: Signal<Option<Earnings>>, error: Signal<Option<Failure>>) -> impl IntoView {
    move || {
        if let Some(e) = error.get() {
            return view! { <div class="panel"><ErrorNote error=e /></div> }.into_any();
        }
        let Some(earnings) = earnings.get() else {
            return view! { <div class="panel"><p class="skeleton">"Reading your sales…"</p></div> }.into_any();
        };
        // The chart ends today, or on the last day with revenue if the chain's clock is ahead.
        let now = (js_sys::Date::now() / 1000.0) as u64 / DAY;
        let today = earnings.per_day.keys().next_back().copied().map_or(now, |last| last.max(now));
        let series = daily_series(&earnings, today, CHART_DAYS);
        let max = series.iter().map(|(_, wei)| *wei).max().unwrap_or_default();
        let bar = |wei: U256| -> f64 {
            if max.is_zero() { 0.0 } else { (wei * U256::from(1000u64) / max).to::<u64>() as f64 / 1000.0 }
        };
        let width = 100.0 / series.len().max(1) as f64;
        view! {
            <div class="panel" data-testid="revenue">
                <h2 class="panel__title">"Revenue per day"</h2>
                <p>"Earned in all: " <strong data-testid="revenue-total">{format!("{} ETH", format_ether(earnings.total, 6))}</strong></p>
                <svg class="chart" viewBox="0 0 100 40" preserveAspectRatio="none" role="img" aria-label="Revenue per day, last 14 days" data-testid="revenue-chart">
                    {series.iter().enumerate().map(|(i, (day, wei))| {
                        let h = bar(*wei) * 36.0;
                        view! {
                            <rect x=format!("{:.2}", i as f64 * width + width * 0.1) y=format!("{:.2}", 38.0 - h)
                                width=format!("{:.2}", width * 0.8) height=format!("{:.2}", h.max(0.3))
                                class="chart__bar" data-testid="revenue-bar" data-day=day_label(*day) data-wei=wei.to_string()>
                                <title>{format!("{}: {} ETH", day_label(*day), format_ether(*wei, 6))}</title>
                            </rect>
                        }
                    }).collect_view()}
                </svg>
                <p class="chart__axis muted">
                    <span>{series.first().map(|(d, _)| day_label(*d))}</span>
                    <span>{series.last().map(|(d, _)| day_label(*d))}</span>
                </p>
            </div>
        }
        .into_any()
    }
}

#[component]
fn MyModel(summary: ModelSummary, earnings: Signal<Option<Earnings>>) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let id = summary.id;
    let page = Route::Model { id: id.saturating_to::<u64>() }.href();
    let cid = summary.manifest();
    let card_config = config.clone();
    let name = LocalResource::new(move || {
        let (cid, config) = (cid.clone(), card_config.clone());
        async move { model_card(&config.ipfs, &cid).await.ok().map(|c| c.name) }
    });
    let revenue = move || earnings.get().and_then(|e| e.per_model.get(&id).cloned()).unwrap_or_default();
    let sales = summary.sales;
    let tiers = summary.tiers.clone();
    let summary_for_sales = summary.clone();
    view! {
        <li class="my-model" data-testid="my-model" data-id=id.to_string()>
            <h3 class="my-model__name"><a href=page>{move || name.get().flatten().unwrap_or_else(|| format!("Model #{id}"))}</a></h3>
            <p class="muted">
                <span data-testid="my-model-sales">{format!("{sales} licence{} sold", if sales == 1 { "" } else { "s" })}</span>
                " · earned you "
                <span data-testid="my-model-revenue" data-wei=move || revenue().revenue.to_string()>{move || format!("{} ETH", format_ether(revenue().revenue, 6))}</span>
            </p>
            <table class="table tiers-admin" data-testid="tier-admin">
                <thead><tr><th>"Tier"</th><th>"Price"</th><th>"Terms"</th><th>"Sold"</th><th></th></tr></thead>
                <tbody>
                    {tiers.into_iter().enumerate().map(|(index, tier)| view! { <TierRow model_id=id tier_id=index tier=tier /> }).collect_view()}
                </tbody>
            </table>
            <AddTier model_id=id />
            <Sales summary=summary_for_sales />
        </li>
    }
}

/// Every sale and renewal of the model with its exact split, as the chain recorded it.
#[component]
fn Sales(summary: ModelSummary) -> impl IntoView {
    let catalogue = CatalogueContext::wanted();
    let id = summary.id;
    let owner = summary.owner;
    let sold = summary.sales;
    let synced = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().map(|c| c.synced_to())));
    let data = LocalResource::new(move || {
        synced.track();
        async move {
            let market = Market::session()?;
            Ok::<_, Failure>((sales_of(&market, id).await?, listing::load(&market, id).await?))
        }
    });
    move || {
        (sold > 0).then(|| match data.get() {
            None => view! { <p class="skeleton">"Reading the sales…"</p> }.into_any(),
            Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
            Some(Ok((sales, details))) => view! {
                <details class="sales" data-testid="model-sales" open=true>
                    <summary>{format!("Sales and their split ({})", sales.len())}</summary>
                    {sales.into_iter().rev().map(|sale| {
                        let p = sale.payment;
                        let what = if p.renewal { "renewed" } else { "bought" };
                        let balanced = sale.balances().to_string();
                        let refunded = matches!(sale.state, SaleState::Refunded | SaleState::Challenged);
                        let (state, note) = escrow::sale_words(sale.state);
                        view! {
                            <table class="table split" data-testid="sale" data-licence=p.licence_id.to_string() data-balanced=balanced data-state=state>
                                <caption>{format!("Licence #{} {what} by {} for {}{note}", p.licence_id, short_address(&p.payer), price_words(p.price))}</caption>
                                <tbody>
                                    {sale.credits.into_iter().map(|(payee, amount)| {
                                        // A model's earnings are its current owner's to claim.
                                        let (account, role) = match payee {
                                            Payee::Model(model) if model == id => (owner, Some(Role::Owner)),
                                            Payee::Model(model) => (
                                                details.parents.iter().find(|p| p.model_id == model).map_or(Address::ZERO, |p| p.owner),
                                                Some(Role::Parent { model_id: model }),
                                            ),
                                            Payee::Account(account) => (account, role_of(account, details.treasury, &[], &details.co_authors, Address::ZERO)),
                                        };
                                        let role = if refunded {
                                            "Buyer (refund)".to_owned()
                                        } else {
                                            role.map_or_else(|| "Other".to_owned(), |r| r.words("You"))
                                        };
                                        let model = match payee { Payee::Model(m) => m.to_string(), Payee::Account(_) => String::new() };
                                        view! {
                                            <tr data-testid="sale-credit" data-account=account.to_checksum(None) data-model=model data-wei=amount.to_string()>
                                                <th>{role}</th>
                                                <td><code>{short_address(&account)}</code> " " <ExplorerLink target=OnExplorer::Account(account) testid="credit-explorer" /></td>
                                                <td class="num">{format!("{} ETH", format_ether(amount, 18))}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }
                    }).collect_view()}
                </details>
            }
            .into_any(),
        })
    }
}

#[component]
fn TierRow(model_id: U256, tier_id: usize, tier: Tier) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let price = RwSignal::new(format_ether(U256::from(tier.price), 18));
    let busy = RwSignal::new(false);
    let paused = tier.paused;
    let reprice = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        let new_price = match parse_price(&price.get_untracked()) {
            Ok(p) => p,
            Err(e) => {
                tx.notify(ToastKind::Error, "Reprice", e);
                return;
            }
        };
        let call = IAssayMarket::setTierPriceCall { modelId: model_id, tierId: U256::from(tier_id), price: new_price };
        busy.set(true);
        spawn_local(async move {
            let label =
                format!("Reprice tier {} of model #{model_id} to {}", tier_id + 1, price_words(U256::from(new_price)));
            if tx.send(Write::call(label, market, &call)).await.is_ok() {
                catalogue.refresh();
            }
            busy.set(false);
        });
    };
    let toggle = move |_| {
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        let call = IAssayMarket::setTierPausedCall { modelId: model_id, tierId: U256::from(tier_id), paused: !paused };
        busy.set(true);
        spawn_local(async move {
            let label =
                format!("{} tier {} of model #{model_id}", if paused { "Resume" } else { "Pause" }, tier_id + 1);
            if tx.send(Write::call(label, market, &call)).await.is_ok() {
                catalogue.refresh();
            }
            busy.set(false);
        });
    };
    view! {
        <tr data-testid="tier-admin-row" data-tier-id=tier_id data-paused=paused.to_string()>
            <td>{tier_id + 1}</td>
            <td>
                <input class="input input--price" data-testid="tier-admin-price" inputmode="decimal" aria-label="Price in ETH"
                    prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev)) />
                " ETH "
                <button class="button button--small" data-testid="tier-admin-reprice" disabled=move || busy.get() on:click=reprice>"Save"</button>
            </td>
            <td class="muted">{duration_words(tier.duration)} {if tier.commercialUse { ", commercial" } else { "" }}</td>
            <td>{if tier.maxSupply == 0 { format!("{}", tier.sold) } else { format!("{} / {}", tier.sold, tier.maxSupply) }}</td>
            <td>
                <button class="button button--small" data-testid="tier-admin-pause" disabled=move || busy.get() on:click=toggle>
                    {if paused { "Resume sales" } else { "Pause sales" }}
                </button>
            </td>
        </tr>
    }
}

#[component]
fn AddTier(model_id: U256) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let price = RwSignal::new(String::new());
    let days = RwSignal::new(String::from("0"));
    let supply = RwSignal::new(String::from("0"));
    let commercial = RwSignal::new(false);
    let derivatives = RwSignal::new(false);
    let transferable = RwSignal::new(true);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        let parsed = parse_price(&price.get_untracked())
            .and_then(|p| Ok((p, parse_duration_days(&days.get_untracked())?, parse_supply(&supply.get_untracked())?)));
        let (p, duration, max_supply) = match parsed {
            Ok(v) => v,
            Err(e) => {
                tx.notify(ToastKind::Error, "Add a tier", e);
                return;
            }
        };
        let tier = TierInput {
            price: p,
            duration,
            maxSupply: max_supply,
            commercialUse: commercial.get_untracked(),
            derivativesAllowed: derivatives.get_untracked(),
            transferable: transferable.get_untracked(),
            termsCid: String::new(),
        };
        busy.set(true);
        spawn_local(async move {
            let label = format!("Add a {} tier to model #{model_id}", price_words(U256::from(p)));
            if tx.send(Write::call(label, market, &IAssayMarket::addTierCall { modelId: model_id, tier })).await.is_ok()
            {
                price.set(String::new());
                catalogue.refresh();
            }
            busy.set(false);
        });
    };
    view! {
        <form class="add-tier" data-testid="add-tier" on:submit=submit>
            <strong>"Add a tier"</strong>
            <label>"Price " <input class="input input--price" data-testid="add-tier-price" inputmode="decimal" placeholder="0.05"
                prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev)) /> " ETH"</label>
            <label>"Days " <input class="input input--small" data-testid="add-tier-days" inputmode="numeric"
                prop:value=move || days.get() on:input=move |ev| days.set(event_target_value(&ev)) /></label>
            <label>"Supply " <input class="input input--small" data-testid="add-tier-supply" inputmode="numeric"
                prop:value=move || supply.get() on:input=move |ev| supply.set(event_target_value(&ev)) /></label>
            <label><input type="checkbox" data-testid="add-tier-commercial" prop:checked=move || commercial.get() on:change=move |ev| commercial.set(event_target_checked(&ev)) /> " commercial"</label>
            <label><input type="checkbox" data-testid="add-tier-derivatives" prop:checked=move || derivatives.get() on:change=move |ev| derivatives.set(event_target_checked(&ev)) /> " derivatives"</label>
            <label><input type="checkbox" data-testid="add-tier-transferable" prop:checked=move || transferable.get() on:change=move |ev| transferable.set(event_target_checked(&ev)) /> " transferable"</label>
            <button class="button button--small" type="submit" data-testid="add-tier-submit" disabled=move || busy.get()>"Add"</button>
        </form>
    }
}
