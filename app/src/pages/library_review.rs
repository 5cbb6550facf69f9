//! The library's review slot: the review form for a licence that may review its model, else the
//! reason it may not (the market's rule, `assay_core::licence::review_refusal`: a paid licence of
//! an account that is neither the model's owner, its creator nor a co-author).

use alloy_primitives::{Address, U256};
use assay_core::contracts::IAssayMarket::{self, ModelSummary};
use assay_core::licence::review_refusal;
use leptos::prelude::*;

use crate::chain::Market;

/// `children` (the review form) when `holder`'s licence of `model_id` can review it; else why not.
#[component]
pub fn ReviewGate(
    paid: bool,
    holder: Address,
    model_id: U256,
    summary: Memo<Option<ModelSummary>>,
    children: ChildrenFn,
) -> impl IntoView {
    // Co-authors only matter for a paid licence.
    let co_authors = LocalResource::new(move || async move {
        if !paid {
            return Some(Vec::new());
        }
        let market = Market::session().ok()?;
        let list = market.read(IAssayMarket::coAuthorsOfCall { modelId: model_id }).await.ok()?;
        Some(list.into_iter().map(|c| c.account).collect::<Vec<Address>>())
    });
    move || {
        let s = summary.get()?;
        let co_authors = co_authors.get().flatten()?;
        Some(match review_refusal(paid, holder, s.owner, s.creator, &co_authors) {
            None => children().into_any(),
            Some(reason) => view! { <p class="muted" data-testid="review-refused">{reason}</p> }.into_any(),
        })
    }
}
