//! "Export as Hugging Face README.md": the model's card written as a Hugging Face model card and
//! saved as `README.md`.

use assay_core::hf_card;
use assay_inference::ModelCard;
use leptos::prelude::*;

use crate::save::save_bytes;
use crate::ui::components::error::ProblemNote;

#[component]
pub(super) fn HuggingFaceExport(card: ModelCard) -> impl IntoView {
    let refused = RwSignal::new(None::<String>);
    let export = move |_| {
        let readme = hf_card::export(&card);
        refused.set(save_bytes(readme.as_bytes(), "text/markdown", "README.md").err().map(|e| e.sentence()));
    };
    view! {
        <p class="wizard__tools">
            <button class="button button--small" data-testid="export-hf-readme" on:click=export
                title="The card's metadata as YAML front matter, then its text">"Export as Hugging Face README.md"</button>
        </p>
        {move || refused.get().map(|text| view! { <ProblemNote testid="export-hf-refused" text=text /> })}
    }
}
