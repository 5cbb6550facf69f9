//! A model's reviews: the rating on chain, the comment on IPFS.

use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::ModelSummary;
use leptos::prelude::*;

use super::{Details, creator_link, rating_text, with_details};
use crate::chain::listing::ReviewEntry;
use crate::ipfs::Ipfs;
use serde::Deserialize;

/// A review's comment as stored on IPFS.
#[derive(Clone, Debug, Deserialize)]
pub struct ReviewComment {
    #[serde(default)]
    pub text: String,
}

#[component]
pub(super) fn Reviews(summary: ModelSummary, details: Details) -> impl IntoView {
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

#[component]
fn ReviewItem(review: ReviewEntry, config: RuntimeConfig) -> impl IntoView {
    let cid = review.comment.clone();
    let comment = LocalResource::new(move || {
        let (cid, config) = (cid.clone(), config.clone());
        async move {
            let Some(cid) = cid else { return Ok(String::new()) };
            Ipfs::new(&config.ipfs).fetch_json::<ReviewComment>(cid.cid()?).await.map(|c| c.text)
        }
    });
    let stars = "★".repeat(review.rating as usize) + &"☆".repeat(5usize.saturating_sub(review.rating as usize));
    view! {
        <li class="review" data-testid="review" data-rating=review.rating>
            <p><span class="review__stars" aria-label=format!("{} of 5", review.rating)>{stars}</span> " " {creator_link(review.reviewer)}</p>
            {move || match comment.get() {
                None => view! { <p class="skeleton">"…"</p> }.into_any(),
                Some(Ok(text)) => view! { <p class="review__text" data-testid="review-text">{text}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="muted">"The comment could not be read: " {e.to_string()}</p> }.into_any(),
            }}
        </li>
    }
}
