//! A creator's public contribution record: the models they listed, licences sold, the average
//! rating over all their reviews, and the derivatives other listings built on their work. Their
//! models come from the indexer when it is fresh (no catalogue download), else from the chain.

use alloy_primitives::U256;
use assay_core::contracts::IAssayMarket::ModelSummary;
use assay_core::eth::Address;
use assay_core::units::{price_words, short_address};

use assay_core::browse;
use assay_core::config::RuntimeConfig;
use assay_core::lineage::Listed;
use assay_core::route::Route;
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::{Market, indexer, lineage};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::ui::components::model_link::ModelLink;

/// What the record adds up to.
#[derive(Clone, Debug, PartialEq)]
struct Record {
    models: Vec<ModelSummary>,
    sales: u64,
    rating_sum: u64,
    rating_count: u64,
}

fn record_of(models: Vec<ModelSummary>) -> Record {
    let sales = models.iter().map(|m| m.sales).sum();
    let rating_sum = models.iter().map(|m| m.ratingSum).sum();
    let rating_count = models.iter().map(|m| m.ratingCount).sum();
    Record { models, sales, rating_sum, rating_count }
}

#[component]
pub fn CreatorPage(address: Address) -> impl IntoView {
    let catalogue: CatalogueContext = expect_context();
    let config: RuntimeConfig = expect_context();
    // The creator's models (and those they own) from the indexer when it is fresh, else from the
    // whole catalogue read from the chain.
    let indexed = LocalResource::new(move || {
        let config = config.clone();
        async move {
            let indexer = indexer::fresh(&config).await.ok()?;
            let created = indexer.models_of("creator", address).await.ok()?;
            let owned = indexer.models_of("owner", address).await.ok()?;
            Some((created, owned.into_iter().map(|m| m.id).collect::<Vec<U256>>()))
        }
    });
    Effect::new(move |_| {
        if matches!(indexed.get(), Some(None)) {
            catalogue.want();
        }
    });
    let record = Memo::new(move |_| match indexed.get()? {
        Some((created, _)) => Some(record_of(created)),
        None => catalogue
            .catalogue
            .with(|c| c.as_ref().map(|c| record_of(c.models().filter(|m| m.creator == address).cloned().collect()))),
    });
    let owned = Memo::new(move |_| match indexed.get()? {
        Some((_, owned)) => Some(owned),
        None => catalogue
            .catalogue
            .with(|c| c.as_ref().map(|c| c.models().filter(|m| m.owner == address).map(|m| m.id).collect())),
    });
    let ids = Memo::new(move |_| record.get().map(|r| r.models.iter().map(|m| m.id).collect::<Vec<U256>>()));
    let lineage_config: RuntimeConfig = expect_context();
    let derivatives = LocalResource::new(move || {
        let ids = ids.get();
        let config = lineage_config.clone();
        async move {
            let ids: std::collections::BTreeSet<U256> = ids?.into_iter().collect();
            // From the indexer when it is fresh, in one request.
            if let Ok(indexer) = indexer::fresh(&config).await
                && let Ok(built_on) = built_on_indexed(&indexer, address).await
            {
                return Some(Ok(built_on));
            }
            let built_on = async {
                lineage::with(&Market::session()?, |lineage| {
                    lineage.built_on(&ids, address).into_iter().cloned().collect::<Vec<_>>()
                })
                .await
            };
            Some(built_on.await)
        }
    });
    view! {
        <section data-page="creator">
            <h1>"Creator " {short_address(&address)}</h1>
            <p class="muted"><code data-testid="creator-address">{address.to_checksum(None)}</code> " " <ExplorerLink target=OnExplorer::Account(address) testid="creator-explorer" /></p>
            {move || match record.get() {
                None => view! { <p class="skeleton">"Reading the catalogue…"</p> }.into_any(),
                Some(record) => {
                    // The same rounding and words as a listing's rating (Browse, the model page).
                    let average = if record.rating_count > 0 {
                        format!("★ {}", browse::average_text(record.rating_sum, record.rating_count))
                    } else {
                        "No reviews yet".to_owned()
                    };
                    let count = record.models.len();
                    view! {
                        <div class="panel" data-testid="creator-record">
                            <dl class="facts">
                                <dt>"Models listed"</dt><dd data-testid="creator-models-count">{count}</dd>
                                <dt>"Licences sold"</dt><dd data-testid="creator-sales">{record.sales}</dd>
                                <dt>"Rating"</dt><dd data-testid="creator-rating">{average}</dd>
                            </dl>
                        </div>
                        {if record.models.is_empty() {
                            view! { <div class="panel empty" data-testid="creator-empty"><p>"This account hasn't listed any model."</p></div> }.into_any()
                        } else {
                            view! {
                                <div class="panel">
                                    <h2 class="panel__title">"Models"</h2>
                                    <ul class="creator-models">
                                        {record.models.into_iter().map(|m| view! { <CreatorModel summary=m /> }).collect_view()}
                                    </ul>
                                </div>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
            <div class="panel" data-testid="creator-derivatives">
                <h2 class="panel__title">"Built on their work"</h2>
                {move || match derivatives.get().flatten() {
                    None => view! { <p class="skeleton">"Reading the lineage…"</p> }.into_any(),
                    Some(Err(f)) => view! { <ErrorNote error=f /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"No other listing names these models as a parent yet."</p> }.into_any(),
                    Some(Ok(list)) => view! {
                        <ul>
                            {list.into_iter().map(|l| {
                                view! {
                                    <li data-testid="creator-derivative" data-id=l.model_id.to_string()>
                                        <ModelLink id=l.model_id />
                                        " by " <a href=Route::Creator { address: l.creator }.href()><code>{short_address(&l.creator)}</code></a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
            </div>
            <crate::pages::moderation::CreatorCases creator=address owned=owned />
        </section>
    }
}

/// The listings others built on `models` (their children not listed by `creator`), from the indexer.
async fn built_on_indexed(indexer: &indexer::Indexer, creator: Address) -> Result<Vec<Listed>, String> {
    Ok(indexer
        .built_on(creator)
        .await?
        .into_iter()
        .map(|(model_id, creator)| Listed { model_id, creator, parents: Vec::new(), transaction: None })
        .collect())
}

#[component]
fn CreatorModel(summary: ModelSummary) -> impl IntoView {
    let id = summary.id.saturating_to::<u64>();
    let lowest = summary
        .tiers
        .iter()
        .filter(|t| assay_core::licence::unavailable_reason(t).is_none())
        .map(|t| U256::from(t.price))
        .min();
    view! {
        <li class="creator-model" data-testid="creator-model" data-id=id>
            <ModelLink id=summary.id />
            <span class="muted">
                {format!(" · {} sold", summary.sales)}
                {lowest.map(|p| format!(" · from {}", price_words(p)))}
            </span>
        </li>
    }
}
