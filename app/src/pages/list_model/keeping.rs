//! On a shared origin (a path gateway), the wizard keeps nothing in this browser until asked:
//! other sites on the gateway could read the draft or replace the model file it would publish.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::wizard::Wizard;
use crate::drafts::{self, Keeping};

#[component]
pub(super) fn DraftKeeping() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let asking = RwSignal::new(drafts::keeping() == Keeping::AskFirst);
    let keep = move |_| {
        asking.set(false);
        spawn_local(wizard.keep_here());
    };
    move || {
        asking.get().then(|| {
            view! {
                <div class="notice notice--warning" role="status" data-testid="draft-keeping">
                    <p>
                        "This copy of Assay is served from a shared address, where every other site on the same gateway can read and change what it keeps in this browser. "
                        "So your draft and its files are not kept: a reload loses them."
                    </p>
                    <button type="button" class="button button--secondary" data-testid="draft-keep-here" on:click=keep>
                        "Keep my draft in this browser anyway"
                    </button>
                </div>
            }
        })
    }
}
