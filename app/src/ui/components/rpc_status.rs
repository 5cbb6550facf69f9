//! One quiet line while chain reads are failing over or retrying (`assay_core::rpc::RpcStatus`);
//! nothing when the first endpoint answers.

use assay_core::rpc::RpcStatus;
use leptos::prelude::*;

use crate::chain::endpoints::observe_status;

#[component]
pub fn RpcStatusLine() -> impl IntoView {
    let status = RwSignal::new(RpcStatus::Primary);
    observe_status(move |now| {
        status.try_set(now);
    });
    move || {
        status.with(|s| s.sentence()).map(|sentence| {
            view! { <p class="banner banner--quiet" role="status" data-testid="rpc-status">{sentence}</p> }
        })
    }
}
