//! A model's page, by token id: the card (safe Markdown), the model file's download size,
//! contributors and their shares, lineage, versions, on-chain facts, reviews, licence tiers with the buy flow, the
//! claimed results with Reproduce (`reproduce`), and the "Try it" panel.
//!
//! The summary comes from the catalogue cache, the card from IPFS (verified against its CID), the
//! rest from [`crate::chain::listing::load`]. Buying goes through the one transaction lifecycle
//! (`TxContext::send`), after a summary of what the licence allows and where the money goes.

mod about;
mod attest;
mod compliance;
mod download;
mod hf_export;
mod moderation;
mod publish_version;
pub(crate) mod reproduce;
mod reviews;
mod tiers;

use alloy_primitives::{Address, U256};
use assay_core::browse;
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::failure::Failure;
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::ipfs::{Cid, IpfsError};
use assay_core::route::Route;
use assay_core::units::short_address;
use assay_inference::ModelCard;
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::listing::{self, ListingDetails};
use crate::chain::{Market, lineage};
use crate::ipfs::cards;
use crate::trial::panel::{ModelSource, TrialPanel};
use crate::ui::components::error::{ErrorNote, ProblemNote};
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::ui::components::markdown::Markdown;
use crate::ui::components::term::Term;
use about::{Contributors, OnChain, Versions};
use attest::AttestationPanel;
use download::DownloadSize;
use hf_export::HuggingFaceExport;
use moderation::ModerationPanel;
use publish_version::PublishVersion;
use reproduce::{ClaimedResults, Reproduced};
use reviews::Reviews;
use tiers::Tiers;

#[component]
pub fn ModelPage(id: u64) -> impl IntoView {
    let catalogue = CatalogueContext::wanted();
    let config: RuntimeConfig = expect_context();
    let model_id = U256::from(id);
    let summary = Memo::new(move |_| catalogue.catalogue.with(|c| c.as_ref().map(|c| c.get(model_id).cloned())));
    let manifest = Memo::new(move |_| summary.get().flatten().map(|s| s.manifest()));
    let card_config = config.clone();
    // From the session's card cache: read once, whichever page asked first.
    let card = Memo::new(move |_| manifest.get().and_then(|cid| cards::model_card(&card_config.ipfs, &cid)));
    // Re-read after a purchase or a review.
    let reads = RwSignal::new(0u32);
    // Bought from this page: kept here, as the panels are rebuilt when the listing is read again.
    let bought = RwSignal::new(false);
    let details = LocalResource::new(move || {
        reads.track();
        async move { listing::load(&Market::session()?, model_id).await }
    });
    // Derivatives: from the indexer, or the session's lineage (every listing's parents, read once).
    let config_for_lineage = config.clone();
    let derivatives = LocalResource::new(move || {
        reads.track();
        let config = config_for_lineage.clone();
        async move {
            // The indexer's lineage when it is fresh; else every `ModelListed` log, once a session.
            if let Ok(indexer) = crate::chain::indexer::fresh(&config).await
                && let Ok(children) = indexer.children(model_id).await
            {
                return Ok(children);
            }
            lineage::of(&Market::session()?, model_id).await.map(|(_, d)| d)
        }
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
                    <ModerationPanel model=id owner=summary.owner delisted=summary.delisted reads=reads />
                    <div class="model-layout">
                        <div class="model-main">
                            <CardSection card=card.into() />
                            <ResultsSection card=Signal::derive(card_ok) model=summary.id version=u64::from(summary.versionCount).saturating_sub(1) />
                            <TrialSection card=Signal::derive(card_ok) />
                            <Reviews summary=summary.clone() details=details />
                        </div>
                        <aside class="model-side">
                            <Tiers summary=summary.clone() details=details card=Signal::derive(card_ok) reads=reads bought=bought />
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
pub(super) fn rating_text(summary: &ModelSummary) -> String {
    if summary.ratingCount == 0 { "No reviews yet".to_owned() } else { format!("★ {}", browse::rating_text(summary)) }
}

pub(super) fn creator_link(account: Address) -> impl IntoView {
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
                " " <ExplorerLink target=OnExplorer::Token { contract: "AssayModels", id } testid="model-explorer" />
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
fn CardSection(card: Signal<Option<Result<ModelCard, IpfsError>>>) -> impl IntoView {
    move || {
        match card.get() {
        None => view! { <div class="panel"><p class="skeleton" data-testid="card-loading">"Fetching the model card from IPFS…"</p></div> }.into_any(),
        Some(Err(e)) => view! {
            <div class="panel"><ProblemNote testid="card-error" text=format!("The model card could not be read from IPFS: {e}") /></div>
        }.into_any(),
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
                    <compliance::ComplianceBlock section=card.compliance.clone() />
                    {(!metrics.is_empty()).then(|| view! {
                        <h3>"Metrics " <span class="badge badge--warn" data-testid="metrics-self-reported" title="Typed by the creator, without an evaluation set anyone can rerun">"Self-reported"</span></h3>
                        <table class="table" data-testid="model-metrics">
                            <tbody>
                                {metrics.into_iter().map(|m| view! { <tr><th>{m.name}</th><td>{m.value}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    })}
                    <dl class="facts">
                        <dt>"Licence of the card"</dt><dd>{if card.licence.is_empty() { "—".to_owned() } else { card.licence.clone() }}</dd>
                        <dt>"Source"</dt><dd>{if card.source.is_empty() { "—".to_owned() } else { card.source.clone() }}</dd>
                        <dt>{if card.encryption.is_some() { "Model file (encrypted), by " } else { "Model file, by " }}<Term term=GlossaryTerm::Cid>"CID"</Term></dt>
                        <dd><code data-testid="model-file-cid">{card.model.clone().unwrap_or_else(|| "none".into())}</code></dd>
                        {card.model.as_deref().and_then(|text| text.parse::<Cid>().ok()).map(|cid| view! {
                            <dt>{if card.encryption.is_some() { "Download (after purchase)" } else { "Download" }}</dt>
                            <dd data-testid="model-download"><DownloadSize cid=cid /></dd>
                        })}
                        {card.encryption.as_ref().map(|e| view! {
                            <dt>"Decrypted size"</dt><dd data-testid="model-plain-size">{assay_core::units::format_bytes(e.size)}</dd>
                            <dt>"Public trial file"</dt>
                            <dd><code data-testid="model-trial-cid">{card.trial.clone().unwrap_or_else(|| "none".into())}</code></dd>
                        })}
                    </dl>
                    <HuggingFaceExport card=card.clone() />
                </div>
            }
            .into_any()
        }
    }
    }
}

/// The card's claimed results, each reproducible one with Reproduce on the file a trial runs:
/// for encrypted weights, the creator's public trial file, labelled as such; how many accounts
/// reproduced them on chain, and Record for this browser's last run.
#[component]
fn ResultsSection(card: Signal<Option<ModelCard>>, model: U256, version: u64) -> impl IntoView {
    let (latest, set_latest) = signal(None::<Reproduced>);
    let on_reproduced = Callback::new(move |run: Reproduced| set_latest.set(Some(run)));
    move || {
        card.get().map(|card| {
            let public_trial = card.encryption.is_some();
            let reproducible = card.results.iter().any(|r| r.evaluation.is_some());
            let source = card.trial_file().and_then(|c| c.parse::<Cid>().ok()).map(ModelSource::Ipfs);
            view! {
                <ClaimedResults card=card source=source public_trial=public_trial on_reproduced=on_reproduced />
                {reproducible.then(|| view! { <AttestationPanel model=model version=version latest=latest /> })}
            }
        })
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
                Some(Err(e)) => view! { <ProblemNote text=format!("The card's model address is not a CID: {e}") /> }.into_any(),
                None if encrypted => view! {
                    <div class="panel"><p class="muted" data-testid="trial-unavailable">"The weights of this model are encrypted and its creator published no public trial file: nothing to try before buying."</p></div>
                }.into_any(),
                None => view! { <p class="muted" data-testid="trial-unavailable">"This model card names no ONNX file: no trial."</p> }.into_any(),
            }
        })
    }
}

type Details = LocalResource<Result<ListingDetails, Failure>>;

fn with_details<V: IntoView + 'static>(
    details: Details,
    show: impl Fn(ListingDetails) -> V + Send + Sync + 'static,
) -> impl IntoView {
    move || match details.get() {
        None => view! { <p class="skeleton">"Reading the chain…"</p> }.into_any(),
        // A read the endpoints gave up on is read again on request (every panel shares it).
        Some(Err(e)) => view! {
            <ErrorNote error=e />
            <button class="button" data-testid="details-again" on:click=move |_| details.refetch()>"Try again"</button>
        }
        .into_any(),
        Some(Ok(d)) => show(d).into_any(),
    }
}
