//! A small "copy" button beside a shortened value (an address, a hash): the whole value goes to
//! the clipboard, and the button says "Copied" for a moment, or why it could not.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::js_error_text;

/// How long "Copied" stays on the button.
const COPIED_FOR: Duration = Duration::from_secs(2);

/// What the last press did.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Copy {
    Idle,
    Copied,
    Failed(String),
}

/// Writes `text` to the clipboard.
async fn write_clipboard(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| js_error_text(&e).unwrap_or_else(|| "the browser refused".to_owned()))
}

/// Copies `value`; `what` names it for screen readers and the tooltip ("address", "transaction hash").
#[component]
pub fn CopyButton(#[prop(into)] value: String, what: &'static str) -> impl IntoView {
    let state = RwSignal::new(Copy::Idle);
    let title = format!("Copy the full {what}: {value}");
    let copy = move |_| {
        let value = value.clone();
        spawn_local(async move {
            let outcome = match write_clipboard(&value).await {
                Ok(()) => Copy::Copied,
                Err(reason) => {
                    Copy::Failed(format!("Could not copy: {reason}. Select the {what} in the tooltip instead."))
                }
            };
            state.set(outcome);
            set_timeout(move || state.set(Copy::Idle), COPIED_FOR);
        });
    };
    view! {
        <button
            type="button"
            class="copy-button"
            class:copy-button--done=move || state.with(|s| *s == Copy::Copied)
            title=move || match state.get() {
                Copy::Failed(reason) => reason,
                _ => title.clone(),
            }
            aria-label=format!("Copy the {what}")
            data-testid="copy"
            data-copied=move || (state.get() == Copy::Copied).to_string()
            on:click=copy
        >
            // Two overlapping sheets, drawn: the "⧉" character is missing from common system fonts.
            {move || if state.get() == Copy::Copied {
                view! { "✓" }.into_any()
            } else {
                view! {
                    <svg class="copy-button__icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true"
                        fill="none" stroke="currentColor" stroke-width="1.5">
                        <rect x="5" y="5" width="9" height="9" rx="1.5" />
                        <path d="M11 3.5V3a1 1 0 0 0-1-1H3a1 1 0 0 0-1 1v7a1 1 0 0 0 1 1h.5" />
                    </svg>
                }.into_any()
            }}
        </button>
    }
}
