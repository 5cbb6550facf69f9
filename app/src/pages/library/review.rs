//! The library's review slot: the review form for a licence that may review its model, else the
//! reason it may not (the market's rule, `assay_core::licence::review_refusal`: a paid licence of
//! an account that is neither the model's owner, its creator nor a co-author), and the form itself:
//! a rating and a comment, the comment uploaded to IPFS first.

use alloy_primitives::{Address, U256};
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, ModelSummary};
use assay_core::licence::review_refusal;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{ToastKind, TxContext, Write};
use crate::ipfs::{Ipfs, UploadSource};

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

#[component]
pub(super) fn ReviewForm(licence_id: U256, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let catalogue = CatalogueContext::wanted();
    let rating = RwSignal::new(5u8);
    let text = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(market) = Market::session().map(|m| m.address) else { return };
        let ipfs = Ipfs::new(&config.ipfs);
        let comment = serde_json::json!({ "text": text.get_untracked().trim() }).to_string();
        let stars = rating.get_untracked();
        busy.set(true);
        spawn_local(async move {
            // The comment goes to IPFS first; its CID is what the chain records.
            let cid = match ipfs.upload(UploadSource::Bytes(comment.into_bytes()), "review.json", |_, _| {}).await {
                Ok(cid) => cid,
                Err(e) => {
                    tx.notify(ToastKind::Error, "Review", format!("The review could not be uploaded to IPFS: {e}"));
                    busy.set(false);
                    return;
                }
            };
            let call = IAssayMarket::reviewCall { licenceId: licence_id, rating: stars, commentCid: cid.to_string() };
            let result = tx.send(Write::call(format!("Review with licence #{licence_id}"), market, &call)).await;
            busy.set(false);
            if result.is_ok() {
                text.set(String::new());
                reads.update(|n| *n += 1);
                catalogue.refresh();
            }
        });
    };
    view! {
        <form class="review-form" data-testid="review-form" on:submit=submit>
            <label>
                "Rating "
                <select data-testid="review-rating" on:change=move |ev| rating.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || rating.get() == n>{"★".repeat(n as usize)}</option> }).collect_view()}
                </select>
            </label>
            <label class="review-form__text">
                "Review "
                <textarea data-testid="review-text" rows="3" maxlength="2000" placeholder="What did you use it for, and how well did it work?"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <button class="button" type="submit" data-testid="review-submit" disabled=move || busy.get() || text.with(|t| t.trim().is_empty())>
                {move || if busy.get() { "Publishing…" } else { "Publish review" }}
            </button>
        </form>
    }
}
