//! One listing in the Browse grid: name, task, creator, price range, rating, sales and licence
//! badges (all the words come from `assay_core::browse`). The card links to the model's page; the
//! creator's address links to theirs. While the model card is still being read from IPFS, the
//! on-chain facts are shown and the name and task are skeletons.

use assay_core::browse::{self, Card, Listing};
use assay_core::route::Route;
use assay_core::units::short_address;
use leptos::prelude::*;

use super::explorer_link::{ExplorerLink, OnExplorer};

/// Characters of the description shown on a card (its plain words; the Markdown is for the model page).
const DESCRIPTION_CHARS: usize = 160;

#[component]
pub fn ListingCard(listing: Listing) -> impl IntoView {
    let summary = &listing.summary;
    let reproduced = listing.reproduced;
    let report_mark = listing.report_mark();
    let delisted = summary.delisted;
    let id = summary.id.to_string();
    let href = u64::try_from(summary.id)
        .map(|id| Route::Model { id }.href())
        .unwrap_or_else(|_| Route::NotFound { path: format!("/model/{}", summary.id) }.href());
    let creator = summary.creator;
    let creator_href = Route::Creator { address: creator }.href();
    let loading = listing.card == Card::Loading;
    let name = listing.name();
    let task = listing.task().map(str::to_owned);
    let description = match &listing.card {
        Card::Read(text) => Some(browse::description_excerpt(&text.description, DESCRIPTION_CHARS)),
        Card::Unreadable(reason) => Some(format!("The model card could not be read: {reason}")),
        Card::Loading => None,
    };
    let unreadable = matches!(listing.card, Card::Unreadable(_));
    let badges = browse::licence_badges(summary)
        .into_iter()
        .map(|badge| {
            view! {
                <li class=format!("badge badge--{}", badge.key()) data-badge=badge.key() title=badge.explanation()>
                    {badge.label()}
                </li>
            }
        })
        .collect_view();
    let rating = browse::rating_text(summary);
    let stars = browse::rating_stars(summary);
    let stars_label = match browse::rating_tenths(summary) {
        Some(tenths) => format!("Rated {}.{} out of 5", tenths / 10, tenths % 10),
        None => "Not rated yet".to_owned(),
    };
    view! {
        <article
            class="listing-card"
            class:listing-card--loading=loading
            class:listing-card--unreadable=unreadable
            data-testid="listing-card"
            data-id=id
            data-loading=loading.to_string()
            aria-busy=loading.to_string()
        >
            <h3 class="listing-card__name">
                {if loading {
                    view! { <a class="listing-card__link" href=href.clone()><span class="skeleton">{name.clone()}</span></a> }.into_any()
                } else {
                    view! { <a class="listing-card__link" href=href.clone() data-testid="listing-link">{name.clone()}</a> }.into_any()
                }}
            </h3>
            <p class="listing-card__task" data-testid="listing-task">
                {match (loading, task) {
                    (true, _) => view! { <span class="skeleton">"image-classification"</span> }.into_any(),
                    (false, Some(task)) => view! { <span class="task-chip">{task}</span> }.into_any(),
                    (false, None) => view! { <span class="muted">"Task not stated"</span> }.into_any(),
                }}
            </p>
            {description.map(|text| view! { <p class="listing-card__description" data-testid="listing-description">{text}</p> })}
            <p class="listing-card__creator">
                "by "
                <a href=creator_href title=creator.to_checksum(None) data-testid="listing-creator">{short_address(&creator)}</a>
                " " <ExplorerLink target=OnExplorer::Account(creator) testid="listing-creator-explorer" />
            </p>
            <dl class="listing-card__facts">
                <div>
                    <dt>"Price"</dt>
                    <dd data-testid="listing-price">{browse::price_range(summary)}</dd>
                </div>
                <div>
                    <dt>"Rating"</dt>
                    <dd data-testid="listing-rating">
                        <span class="stars" role="img" aria-label=stars_label>{stars}</span>
                        " "
                        {rating}
                    </dd>
                </div>
                <div>
                    <dt>"Sales"</dt>
                    <dd data-testid="listing-sales">{browse::sales_text(summary)}</dd>
                </div>
            </dl>
            {(reproduced.reproduced > 0).then(|| view! {
                <p class="listing-card__reproduced" data-testid="listing-reproduced" data-accounts=reproduced.reproduced>
                    {reproduced.words()}
                </p>
            })}
            {report_mark.map(|mark| view! {
                <p class="listing-card__reported" data-testid="listing-reported">{mark}</p>
            })}
            {delisted.then(|| view! {
                <p class="listing-card__reported" data-testid="listing-delisted">"Delisted by moderation: no new licences"</p>
            })}
            <ul class="badges" aria-label="Licences">{badges}</ul>
        </article>
    }
}

/// A placeholder card while the catalogue itself is loading.
#[component]
pub fn ListingCardSkeleton() -> impl IntoView {
    view! {
        <article class="listing-card listing-card--loading" data-testid="listing-skeleton" aria-hidden="true">
            <h3 class="listing-card__name"><span class="skeleton">"Model name placeholder"</span></h3>
            <p class="listing-card__task"><span class="skeleton">"image-classification"</span></p>
            <p class="listing-card__description"><span class="skeleton">"A description of the model, two lines long or so."</span></p>
            <p class="listing-card__creator"><span class="skeleton">"by 0x0000…0000"</span></p>
            <p><span class="skeleton">"0.01 ETH · ☆☆☆☆☆ · No sales yet"</span></p>
        </article>
    }
}
