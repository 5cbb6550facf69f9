//! One way to show a failure: `<p class="error" role="alert">` with the error's sentence.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::reverts;
use crate::error::AppError;

/// A failure in words, announced to screen readers. `error` is anything that converts into an
/// [`AppError`] (a `Failure`, an `IpfsError`…); `testid` names it for the tests. A contract's
/// revert is worded once the code that reads revert data is here (`chain::reverts`).
#[component]
pub fn ErrorNote(#[prop(into)] error: AppError, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    let kind = error_kind(&error);
    let sentence = RwSignal::new(None::<String>);
    match error.sentence_unless_reverted() {
        Ok(words) => sentence.set(Some(words)),
        Err(revert) => {
            let revert = revert.clone();
            spawn_local(async move {
                let words = reverts::worded(revert).await;
                // The note may be gone by then (its page changed).
                let _ = sentence.try_set(Some(words));
            });
        }
    }
    view! { <p class="error" role="alert" data-testid=testid data-error=kind>{move || sentence.get()}</p> }
}

/// A failure told in the page's own words (a refusal of what the person entered, a state the page
/// checked itself).
#[component]
pub fn ProblemNote(#[prop(into)] text: String, #[prop(optional)] testid: Option<&'static str>) -> impl IntoView {
    view! { <p class="error" role="alert" data-testid=testid>{text}</p> }
}

/// Which layer failed, for styling and tests: `cancelled`, `chain`, `ipfs`, `file`, `key`,
/// `model`, `config`, `wallet`, `browser`, `invalid`.
fn error_kind(error: &AppError) -> &'static str {
    match error {
        e if e.is_cancelled() => "cancelled",
        AppError::Chain(_) => "chain",
        AppError::Ipfs(_) => "ipfs",
        AppError::Stream(_) => "file",
        AppError::Seal(_) | AppError::Key(_) => "key",
        AppError::Refused(_) => "model",
        AppError::NoMarket => "config",
        AppError::NoWallet => "wallet",
        AppError::Browser(_) => "browser",
        AppError::Invalid(_) => "invalid",
    }
}
