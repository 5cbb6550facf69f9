//! Toasts: one per transaction, updated in place (checking → wallet → pending → confirmed or
//! failed), plus one-off notices. The hash is shown once, short (the whole hash in its tooltip,
//! linked to the explorer when there is one). Moving to another page clears the finished toasts;
//! those still in progress stay, in a corner that leaves the header's navigation free.

use leptos::prelude::*;

use super::tx_hash::TxHash;
use crate::chain::tx::{ToastKind, TxContext};
use crate::router::RouterContext;

/// The toast stack, bottom right of every page.
#[component]
pub fn Toasts() -> impl IntoView {
    let tx: TxContext = expect_context();
    let router: RouterContext = expect_context();
    // A new page (not a new query on the same page, e.g. Browse's search box) clears finished toasts.
    let route = Memo::new(move |_| router.location.with(|l| l.route.clone()));
    Effect::new(move |previous: Option<()>| {
        route.track();
        if previous.is_some() {
            tx.dismiss_finished();
        }
    });
    view! {
        <div class="toasts" aria-live="polite">
            <For each=move || tx.toasts.get() key=|toast| toast.clone() let:toast>
                {
                    let id = toast.id;
                    let role = if toast.kind == ToastKind::Error { "alert" } else { "status" };
                    view! {
                        <div class=format!("toast toast--{}", toast.kind.as_str()) role=role data-testid="toast" data-kind=toast.kind.as_str()>
                            <p class="toast__title">{toast.title.clone()}</p>
                            <p class="toast__text" data-testid="toast-text">{toast.text.clone()}</p>
                            {toast.hash.map(|hash| view! { <p class="toast__hash"><TxHash hash=hash testid="toast-hash" /></p> })}
                            <button class="toast__close" aria-label="Dismiss" data-testid="toast-dismiss" on:click=move |_| tx.dismiss(id)>"×"</button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
