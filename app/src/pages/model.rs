//! A model's page, by token id: the card (safe Markdown), contributors and their shares, lineage,
//! versions, on-chain facts, reviews, licence tiers with the buy flow, and the "Try it" panel.
//!
//! The summary comes from the catalogue cache, the card from IPFS (verified against its CID), the
//! rest from [`crate::chain::listing::load`]. Buying goes through the one transaction lifecycle
//! (`TxContext::send`), after a summary of what the licence allows and where the money goes.

use alloy_primitives::{Address, B256, U256};
use assay_core::browse;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, ModelSummary, Tier};
use assay_core::eth::short_address;
use assay_core::ipfs::Cid;
use assay_core::licence::{
    MAX_TERMS_BYTES, TermsDocument, duration_words, percent_words, price_words, remaining_supply, rights, split,
    unavailable_reason,
};
use assay_core::route::Route;
use assay_inference::ModelCard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

use super::publish_version::PublishVersion;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::lineage;
use crate::chain::listing::{self, ListingDetails, ReviewEntry};
use crate::chain::tx::{TxContext, Write};
use crate::ipfs::{Ipfs, cards};
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::ui::components::markdown::Markdown;
use crate::ui::components::split_table::SplitTable;
use crate::wallet::WalletContext;

/// A review's comment as stored on IPFS.
#[derive(Clone, Debug, Deserialize)]
pub struct ReviewComment {
    #[serde(default)]
    pub text: String,
}

#[component]
pub fn ModelPage(id: u64) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let model_id = U256::from(id);
    let summary = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().map(|c| c.get(model_id).cloned())));
    let manifest = Memo::new(move |_| summary.get().flatten().map(|s| s.manifestCid));
    let card_config = config.clone();
    // From the session's card cache: read once, whichever page asked first.
    let card = Memo::new(move |_| manifest.get().and_then(|cid| cards::model_card(&card_config.ipfs, &cid)));
    // Re-read after a purchase or a review.
    let reads = RwSignal::new(0u32);
    let details_config = config.clone();
    let details = LocalResource::new(move || {
        reads.track();
        let config = details_config.clone();
        async move { listing::load(&config, model_id).await.map_err(|f| f.explain()) }
    });
    // Derivatives: from the session's lineage (every listing's parents, read once).
    let lineage_config = config.clone();
    let derivatives = LocalResource::new(move || {
        reads.track();
        let config = lineage_config.clone();
        async move { lineage::of(&config, model_id).await.map(|(_, d)| d).map_err(|f| f.explain()) }
    });
    let card_ok = move || card.get().and_then(Result::ok);

    view! {
        <section data-page="model" data-model-id=id>
            {move || match summary.get() {
                None => view! { <p class="skeleton" data-testid="model-loading">"Reading the catalogue…"</p> }.into_any(),
                Some(None) => view! {
                    <h1>"Model #" {id}</h1>
                    <div class="panel empty" data-testid="model-missing">
                        <p>"There is no model #" {id} " in the catalogue."</p>
                        <p><a href=Route::Browse.href()>"Back to the catalogue"</a></p>
                    </div>
                }.into_any(),
                Some(Some(summary)) => view! {
                    <ModelHeader summary=summary.clone() card=Signal::derive(card_ok) />
                    <div class="model-layout">
                        <div class="model-main">
                            <CardSection card=card.into() />
                            <TrialSection card=Signal::derive(card_ok) />
                            <Reviews summary=summary.clone() details=details />
                        </div>
                        <aside class="model-side">
                            <Tiers summary=summary.clone() details=details card=Signal::derive(card_ok) reads=reads />
                            <Contributors summary=summary.clone() details=details derivatives=derivatives />
                            <Versions details=details />
                            <PublishVersion summary=summary.clone() card=Signal::derive(card_ok) reads=reads />
                            <OnChain summary=summary details=details />
                        </aside>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}

/// "★ 4.0 (1 review)", the grid's rating text with its star, or "No reviews yet".
fn rating_text(summary: &ModelSummary) -> String {
    if summary.ratingCount == 0 { "No reviews yet".to_owned() } else { format!("★ {}", browse::rating_text(summary)) }
}

fn creator_link(account: Address) -> impl IntoView {
    view! { <a href=Route::Creator { address: account }.href() data-testid="creator-link"><code>{short_address(&account)}</code></a> }
}

#[component]
fn ModelHeader(summary: ModelSummary, card: Signal<Option<ModelCard>>) -> impl IntoView {
    let id = summary.id;
    let sales = summary.sales;
    let encrypted = summary.encrypted;
    let rating = rating_text(&summary);
    let creator = summary.creator;
    view! {
        <header class="model-header">
            <h1 data-testid="model-name">{move || card.get().map(|c| c.name).unwrap_or_else(|| format!("Model #{id}"))}</h1>
            <p class="model-header__facts">
                {move || card.get().map(|c| c.task).filter(|t| !t.is_empty()).map(|task| view! { <span class="badge" data-testid="model-task">{task}</span> " " })}
                {if encrypted {
                    view! { <span class="badge badge--warn">"Encrypted weights"</span> }.into_any()
                } else {
                    view! { <span class="badge badge--ok">"Open weights"</span> }.into_any()
                }}
                " by " {creator_link(creator)}
                " · " <span data-testid="model-rating">{rating}</span>
                " · " <span data-testid="model-sales">{format!("{sales} licence{} sold", if sales == 1 { "" } else { "s" })}</span>
            </p>
            {move || card.get().map(|c| c.tags).filter(|t| !t.is_empty()).map(|tags| view! {
                <p class="tags">{tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}</p>
            })}
        </header>
    }
}

#[component]
fn CardSection(card: Signal<Option<Result<ModelCard, String>>>) -> impl IntoView {
    move || {
        match card.get() {
        None => view! { <div class="panel"><p class="skeleton" data-testid="card-loading">"Fetching the model card from IPFS…"</p></div> }.into_any(),
        Some(Err(e)) => view! { <div class="panel"><p class="error" role="alert" data-testid="card-error">{e}</p></div> }.into_any(),
        Some(Ok(card)) => {
            let metrics = card.metrics.clone();
            view! {
                <div class="panel model-card" data-testid="model-card">
                    <h2 class="panel__title">"Model card"</h2>
                    <div data-testid="model-description"><Markdown source=card.description.clone() /></div>
                    {(!card.intended_use.is_empty()).then(|| view! {
                        <h3>"Intended use"</h3>
                        <Markdown source=card.intended_use.clone() />
                    })}
                    {(!card.limitations.is_empty()).then(|| view! {
                        <h3>"Limitations"</h3>
                        <Markdown source=card.limitations.clone() />
                    })}
                    {(!metrics.is_empty()).then(|| view! {
                        <h3>"Metrics"</h3>
                        <table class="table" data-testid="model-metrics">
                            <tbody>
                                {metrics.into_iter().map(|m| view! { <tr><th>{m.name}</th><td>{m.value}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <dl class="facts">
                        <dt>"Licence of the card"</dt><dd>{if card.licence.is_empty() { "—".to_owned() } else { card.licence.clone() }}</dd>
                        <dt>"Source"</dt><dd>{if card.source.is_empty() { "—".to_owned() } else { card.source.clone() }}</dd>
                        <dt>{if card.encryption.is_some() { "Model file (encrypted)" } else { "Model file" }}</dt>
                        <dd><code data-testid="model-file-cid">{card.model.clone().unwrap_or_else(|| "none".into())}</code></dd>
                        {card.encryption.as_ref().map(|e| view! {
                            <dt>"Decrypted size"</dt><dd data-testid="model-plain-size">{assay_core::ipfs::format_bytes(e.size)}</dd>
                            <dt>"Public trial file"</dt>
                            <dd><code data-testid="model-trial-cid">{card.trial.clone().unwrap_or_else(|| "none".into())}</code></dd>
                        })}
                    </dl>
                </div>
            }
            .into_any()
        }
    }
    }
}

/// "Try before you buy": the trial panel for the exact ONNX file the card names — for encrypted
/// weights, the creator's public trial file, labelled as such.
#[component]
fn TrialSection(card: Signal<Option<ModelCard>>) -> impl IntoView {
    move || {
        card.get().map(|card| {
            let encrypted = card.encryption.is_some();
            let label = encrypted.then(|| view! {
                <p class="notice" data-testid="trial-public-artifact">
                    "The weights of this model are encrypted. This trial runs the creator's public trial file, "
                    <strong>"not the licensed model"</strong>
                    ": it shows how the model is used and what it answers, possibly at lower quality. The licensed file opens after purchase."
                </p>
            });
            match card.trial_file().map(str::parse::<Cid>) {
                Some(Ok(cid)) => {
                    let text = cid.to_string();
                    view! { <div data-testid="trial-source" data-cid=text data-public-trial=encrypted.to_string()>{label}<TrialPanel card=card source=ModelSource::Ipfs(cid) /></div> }.into_any()
                }
                Some(Err(e)) => view! { <p class="error">"The card's model address is not a CID: " {e.to_string()}</p> }.into_any(),
                None if encrypted => view! {
                    <div class="panel"><p class="muted" data-testid="trial-unavailable">"The weights of this model are encrypted and its creator published no public trial file: nothing to try before buying."</p></div>
                }.into_any(),
                None => view! { <p class="muted" data-testid="trial-unavailable">"This model card names no ONNX file: no trial."</p> }.into_any(),
            }
        })
    }
}

type Details = LocalResource<Result<ListingDetails, String>>;

fn with_details<V: IntoView + 'static>(
    details: Details,
    show: impl Fn(ListingDetails) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match details.get() {
        None => view! { <p class="skeleton">"Reading the chain…"</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        Some(Ok(d)) => show(d).into_any(),
    }
}

#[component]
fn Tiers(
    summary: ModelSummary,
    details: Details,
    card: Signal<Option<ModelCard>>,
    reads: RwSignal<u32>,
) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let chosen = RwSignal::new(None::<usize>);
    let tiers = summary.tiers.clone();
    let model_id = summary.id;
    let owned_config = config.clone();
    let owned = LocalResource::new(move || {
        reads.track();
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
        let config = owned_config.clone();
        async move {
            match account {
                Some(account) => listing::has_licence(&config, account, model_id).await.ok(),
                None => None,
            }
        }
    });
    let list = tiers
        .iter()
        .cloned()
        .enumerate()
        .map(|(index, tier)| {
            let unavailable = unavailable_reason(&tier);
            let left = remaining_supply(&tier);
            let price = U256::from(tier.price);
            let terms = tier.termsCid.clone();
            view! {
                <li class="tier" data-testid="tier" data-tier-id=index class:tier--chosen=move || chosen.get() == Some(index)>
                    <div class="tier__head">
                        <strong class="tier__price" data-testid="tier-price">{price_words(price)}</strong>
                        <span class="tier__duration">{duration_words(tier.duration)}</span>
                    </div>
                    <p class="tier__rights">{rights(&tier).join(" · ")}</p>
                    <p class="muted" data-testid="tier-supply">
                        {match left {
                            None => format!("{} sold · unlimited", tier.sold),
                            Some(left) => format!("{left} of {} left", tier.maxSupply),
                        }}
                    </p>
                    {(!terms.is_empty()).then(|| view! { <TierTerms cid=terms.clone() config=config.clone() /> })}
                    {match unavailable {
                        Some(reason) => view! { <p class="tier__unavailable" data-testid="tier-unavailable">{reason}</p> }.into_any(),
                        None => view! {
                            <button class="button" data-testid="tier-choose" on:click=move |_| chosen.set(Some(index))>"Choose"</button>
                        }.into_any(),
                    }}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="panel" data-testid="tiers">
            <h2 class="panel__title">"Licences"</h2>
            {move || (owned.get().flatten() == Some(true)).then(|| view! {
                <p class="notice notice--ok" data-testid="licence-held">
                    "You hold a licence for this model. " <a href=Route::Library.href()>"Open your library"</a>
                </p>
            })}
            <ol class="tiers">{list}</ol>
            {move || chosen.get().and_then(|index| tiers.get(index).cloned().map(|tier| view! {
                <BuySummary summary=summary.clone() tier_id=index tier=tier details=details card=card reads=reads on_close=move || chosen.set(None) />
            }))}
        </div>
    }
}

#[component]
fn BuySummary(
    summary: ModelSummary,
    tier_id: usize,
    tier: Tier,
    details: Details,
    card: Signal<Option<ModelCard>>,
    reads: RwSignal<u32>,
    on_close: impl Fn() + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let tx: TxContext = expect_context();
    let catalogue: CatalogueContext = expect_context();
    let wallet: WalletContext = expect_context();
    let busy = RwSignal::new(false);
    let price = U256::from(tier.price);
    let encrypted = summary.encrypted;
    let owner = summary.owner;
    let model_id = summary.id;
    let what = rights(&tier).join(", ");
    let duration = duration_words(tier.duration);
    let config: RuntimeConfig = expect_context();
    let key_problem = RwSignal::new(None::<String>);
    let buy = move |_| {
        let Some(market) = details.get_untracked().and_then(Result::ok).map(|d| d.market) else { return };
        let name = card.get_untracked().map(|c| c.name).unwrap_or_else(|| format!("model #{model_id}"));
        let label = format!("Buy a licence: {name}, tier {}", tier_id + 1);
        let config = config.clone();
        busy.set(true);
        key_problem.set(None);
        spawn_local(async move {
            // Encrypted weights: the key is delivered sealed to this account's public key.
            let buyer_key = if encrypted {
                match crate::encryption::buyer_keys(&wallet, &config).await {
                    Ok((_, public)) => B256::from(public.to_bytes()),
                    Err(reason) => {
                        key_problem.set(Some(reason));
                        busy.set(false);
                        return;
                    }
                }
            } else {
                B256::ZERO
            };
            let call =
                IAssayMarket::buyLicenseCall { modelId: model_id, tierId: U256::from(tier_id), buyerKey: buyer_key };
            let result = tx.send(Write::call(label, market, &call).with_value(price)).await;
            busy.set(false);
            if result.is_ok() {
                reads.update(|n| *n += 1);
                catalogue.refresh();
                wallet.refresh_balance();
                on_close();
            }
        });
    };
    view! {
        <div class="panel buy" data-testid="buy-summary">
            <h3>"Your licence"</h3>
            <dl class="facts">
                <dt>"Price"</dt><dd data-testid="buy-price">{price_words(price)}</dd>
                <dt>"Allows"</dt><dd data-testid="buy-rights">{what}</dd>
                <dt>"Duration"</dt><dd data-testid="buy-duration">{duration}</dd>
            </dl>
            <h4>"Where the money goes"</h4>
            {with_details(details, move |d| {
                let parents = d.parents.clone();
                let payees = split(price, d.fee_bps, d.treasury, &parents, &d.co_authors, owner);
                view! { <SplitTable payees=payees owner="Model owner" test_id="buy-split" full_addresses=false /> }
            })}
            {encrypted.then(|| view! {
                <p class="notice" data-testid="buy-escrow">
                    "This model's weights are encrypted. Your payment waits in the market's escrow until the owner delivers the key, sealed to your account; "
                    "if it isn't delivered in time, you take the full payment back from your library. "
                    "Your wallet first signs a message (twice, no transaction, no cost) that makes your Assay encryption key."
                </p>
            })}
            {move || key_problem.get().map(|p| view! { <p class="error" role="alert" data-testid="buy-key-problem">{p}</p> })}
            <div class="buy__actions">
                <button class="button" on:click=move |_| on_close()>"Back"</button>
                {move || match wallet.connection.get() {
                    None => view! { <p class="muted" data-testid="buy-connect">"Connect a wallet to buy."</p> }.into_any(),
                    Some(_) => view! {
                        <button class="button button--primary" data-testid="buy-confirm" disabled=move || busy.get() on:click=buy.clone()>
                            {move || if busy.get() { "Buying…" } else { "Buy licence" }}
                        </button>
                    }.into_any(),
                }}
            </div>
        </div>
    }
}

/// Derivatives shown by name on the model page; the rest are counted.
const DERIVATIVES_SHOWN: usize = 24;

#[component]
fn Contributors(
    summary: ModelSummary,
    details: Details,
    derivatives: LocalResource<Result<Vec<U256>, String>>,
) -> impl IntoView {
    let creator = summary.creator;
    let owner = summary.owner;
    view! {
        <div class="panel" data-testid="contributors">
            <h2 class="panel__title">"Contributors"</h2>
            <p>"Creator: " {creator_link(creator)}</p>
            {(owner != creator).then(|| view! { <p>"Current owner: " {creator_link(owner)}</p> })}
            {with_details(details, move |d| view! {
                {(!d.co_authors.is_empty()).then(|| view! {
                    <h3>"Co-authors"</h3>
                    <ul data-testid="co-authors">
                        {d.co_authors.iter().map(|a| view! {
                            <li data-testid="co-author">{creator_link(a.account)} " — " {bps_words(a.bps)} " of each sale"</li>
                        }).collect_view()}
                    </ul>
                })}
                {(!d.parents.is_empty()).then(|| view! {
                    <h3>"Built on"</h3>
                    <ul data-testid="parents">
                        {d.parents.iter().map(|p| view! {
                            <li data-testid="parent" data-id=p.model_id.to_string()><ModelLink id=p.model_id /> " — " {bps_words(p.bps)} " to its owner"</li>
                        }).collect_view()}
                    </ul>
                })}
            })}
            {move || match derivatives.get() {
                None => view! { <p class="skeleton" data-testid="derivatives-loading">"Reading the lineage…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                Some(Ok(ids)) if ids.is_empty() => ().into_any(),
                Some(Ok(ids)) => {
                    let total = ids.len();
                    let more = total.saturating_sub(DERIVATIVES_SHOWN);
                    view! {
                        <h3>"Derivatives"</h3>
                        <ul data-testid="derivatives" data-count=total>
                            {ids.into_iter().take(DERIVATIVES_SHOWN).map(|id| view! {
                                <li data-testid="derivative" data-id=id.to_string()><ModelLink id=id /></li>
                            }).collect_view()}
                        </ul>
                        {(more > 0).then(|| view! { <p class="muted" data-testid="derivatives-more">{format!("and {} more", browse::thousands(more))}</p> })}
                    }.into_any()
                }
            }}
        </div>
    }
}

/// A link to model `id` with its name from its card (read once per session), `Model #id` until
/// the card is known.
#[component]
pub fn ModelLink(id: U256) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let cid = Memo::new(move |_| {
        catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(id)).map(|s| s.manifestCid.clone()))
    });
    let name =
        move || cid.get().and_then(|cid| cards::name(&config.ipfs, &cid)).unwrap_or_else(|| format!("Model #{id}"));
    let href = Route::Model { id: id.saturating_to::<u64>() }.href();
    view! { <a href=href data-testid="model-link">{name}</a> }
}

fn bps_words(bps: u16) -> String {
    percent_words(u64::from(bps))
}

#[component]
fn Versions(details: Details) -> impl IntoView {
    view! {
        <div class="panel" data-testid="versions">
            <h2 class="panel__title">"Versions"</h2>
            {with_details(details, |d| {
                let latest = d.versions.len().saturating_sub(1);
                view! {
                    <ol class="versions">
                        {d.versions.into_iter().enumerate().rev().map(|(n, cid)| view! {
                            <li data-testid="version" data-version=n>
                                "v" {n + 1} {(n == latest).then_some(" (current)")} ": " <code>{cid.clone()}</code>
                                <Changelog cid=cid />
                            </li>
                        }).collect_view()}
                    </ol>
                }
            })}
        </div>
    }
}

/// A version's changelog, from its card (a first version has none).
#[component]
fn Changelog(cid: String) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    move || {
        cards::model_card(&config.ipfs, &cid)
            .and_then(Result::ok)
            .filter(|c| !c.changelog.is_empty())
            .map(|c| view! { <p class="version__changelog" data-testid="version-changelog-text">{c.changelog}</p> })
    }
}

#[component]
fn OnChain(summary: ModelSummary, details: Details) -> impl IntoView {
    let id = summary.id;
    let royalty = summary.royaltyBps;
    view! {
        <div class="panel" data-testid="on-chain">
            <h2 class="panel__title">"On chain"</h2>
            {with_details(details, move |d| view! {
                <dl class="facts">
                    <dt>"Token"</dt><dd data-testid="token-id">"#" {id.to_string()}</dd>
                    <dt>"Contract"</dt><dd><code data-testid="token-contract">{d.models.to_checksum(None)}</code></dd>
                    <dt>"Listed in"</dt><dd><code data-testid="listing-tx">{d.listed_in.map(|h| h.to_string()).unwrap_or_else(|| "—".into())}</code></dd>
                    <dt>"Resale royalty"</dt><dd>{bps_words(royalty)} " to the creator"</dd>
                </dl>
            })}
        </div>
    }
}

#[component]
fn Reviews(summary: ModelSummary, details: Details) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let average = rating_text(&summary);
    view! {
        <div class="panel" data-testid="reviews">
            <h2 class="panel__title">"Reviews"</h2>
            <p data-testid="reviews-average">{average}</p>
            {with_details(details, move |d| {
                let config = config.clone();
                if d.reviews.is_empty() {
                    return view! { <p class="muted" data-testid="reviews-empty">"Nobody has reviewed this model yet. Licence holders can review it from their library."</p> }.into_any();
                }
                view! {
                    <ul class="reviews">
                        {d.reviews.into_iter().map(|r| view! { <ReviewItem review=r config=config.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </div>
    }
}

/// A tier's terms document, fetched from IPFS (verified against its CID): its title opens a
/// disclosure with the terms, for a buyer to read before choosing.
#[component]
fn TierTerms(cid: String, config: RuntimeConfig) -> impl IntoView {
    let text = cid.clone();
    let document = LocalResource::new(move || {
        let (text, config) = (text.clone(), config.clone());
        async move {
            let cid: Cid = text.parse().map_err(|e| format!("{text} is not a CID: {e}"))?;
            let mut ipfs = Ipfs::new(&config.ipfs);
            ipfs.max_bytes = MAX_TERMS_BYTES;
            let bytes = ipfs.fetch(&cid, |_| {}).await.map_err(|e| e.to_string())?;
            TermsDocument::parse(&bytes)
        }
    });
    move || {
        match document.get() {
        None => view! { <p class="skeleton">"Reading the terms…"</p> }.into_any(),
        Some(Ok(document)) => {
            let title = if document.title.is_empty() { "Terms".to_owned() } else { document.title.clone() };
            view! {
                <details class="tier__terms" data-testid="tier-terms">
                    <summary data-testid="tier-title">{title}</summary>
                    <p class="tier__terms-text" data-testid="tier-terms-text">{document.body}</p>
                    <p class="muted">"Stored on IPFS as " <code>{cid.clone()}</code></p>
                </details>
            }
            .into_any()
        }
        Some(Err(e)) => view! {
            <p class="muted" data-testid="tier-terms-error">"The terms (" <code>{cid.clone()}</code> ") could not be read: " {e}</p>
        }
        .into_any(),
    }
    }
}

#[component]
fn ReviewItem(review: ReviewEntry, config: RuntimeConfig) -> impl IntoView {
    let cid = review.comment_cid.clone();
    let comment = LocalResource::new(move || {
        let (cid, config) = (cid.clone(), config.clone());
        async move {
            if cid.is_empty() {
                return Ok(String::new());
            }
            let cid: Cid = cid.parse().map_err(|e| format!("not a CID: {e}"))?;
            Ipfs::new(&config.ipfs).fetch_json::<ReviewComment>(&cid).await.map(|c| c.text).map_err(|e| e.to_string())
        }
    });
    let stars = "★".repeat(review.rating as usize) + &"☆".repeat(5usize.saturating_sub(review.rating as usize));
    view! {
        <li class="review" data-testid="review" data-rating=review.rating>
            <p><span class="review__stars" aria-label=format!("{} of 5", review.rating)>{stars}</span> " " {creator_link(review.reviewer)}</p>
            {move || match comment.get() {
                None => view! { <p class="skeleton">"…"</p> }.into_any(),
                Some(Ok(text)) => view! { <p class="review__text" data-testid="review-text">{text}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="muted">"The comment could not be read: " {e}</p> }.into_any(),
            }}
        </li>
    }
}
