//! Toasts: one per transaction, updated in place (checking → wallet → pending → confirmed or
//! failed), plus one-off notices.

use leptos::prelude::*;

use crate::chain::tx::TxContext;

/// The toast stack, bottom right of every page.
#[component]
pub fn Toasts() -> impl IntoView {
    let tx: TxContext = expect_context();
    view! {
        <div class="toasts" aria-live="polite">
            <For each=move || tx.toasts.get() key=|toast| toast.clone() let:toast>
                {
                    let id = toast.id;
                    let role = if toast.kind == crate::chain::tx::ToastKind::Error { "alert" } else { "status" };
                    view! {
                        <div class=format!("toast toast--{}", toast.kind.as_str()) role=role data-testid="toast" data-kind=toast.kind.as_str()>
                            <p class="toast__title">{toast.title.clone()}</p>
                            <p class="toast__text" data-testid="toast-text">{toast.text.clone()}</p>
                            {toast.hash.map(|hash| view! { <code class="toast__hash" data-testid="toast-hash" title=hash.to_string()>{hash.to_string()}</code> })}
                            <button class="toast__close" aria-label="Dismiss" on:click=move |_| tx.dismiss(id)>"×"</button>
                        </div>
                    }
                }
            </For>
        </div>
    }
}
