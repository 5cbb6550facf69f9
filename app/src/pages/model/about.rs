//! What the chain says about a model beyond its summary: contributors and their shares, lineage,
//! versions with their changelogs, and the on-chain facts.

use alloy_primitives::U256;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::ipfs::ListedCid;
use assay_core::units::{percent_words, thousands};
use leptos::prelude::*;

use super::{Details, creator_link, with_details};
use crate::ipfs::cards;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::model_link::ModelLink;
use assay_core::failure::Failure;

/// Derivatives shown by name on the model page; the rest are counted.
const DERIVATIVES_SHOWN: usize = 24;

#[component]
pub(super) fn Contributors(
    summary: ModelSummary,
    details: Details,
    derivatives: LocalResource<Result<Vec<U256>, Failure>>,
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
                Some(Err(e)) => view! { <ErrorNote error=e /> }.into_any(),
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
                        {(more > 0).then(|| view! { <p class="muted" data-testid="derivatives-more">{format!("and {} more", thousands(more))}</p> })}
                    }.into_any()
                }
            }}
        </div>
    }
}

fn bps_words(bps: u16) -> String {
    percent_words(u64::from(bps))
}

#[component]
pub(super) fn Versions(details: Details) -> impl IntoView {
    view! {
        <div class="panel" data-testid="versions">
            <h2 class="panel__title">"Versions"</h2>
            {with_details(details, |d| {
                let latest = d.versions.len().saturating_sub(1);
                view! {
                    <ol class="versions">
                        {d.versions.into_iter().enumerate().rev().map(|(n, cid)| view! {
                            <li data-testid="version" data-version=n>
                                "v" {n + 1} {(n == latest).then_some(" (current)")} ": " <code>{cid.to_string()}</code>
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
fn Changelog(cid: ListedCid) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    move || {
        cards::model_card(&config.ipfs, &cid)
            .and_then(Result::ok)
            .filter(|c| !c.changelog.is_empty())
            .map(|c| view! { <p class="version__changelog" data-testid="version-changelog-text">{c.changelog}</p> })
    }
}

#[component]
pub(super) fn OnChain(summary: ModelSummary, details: Details) -> impl IntoView {
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
