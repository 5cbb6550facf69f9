//! The card step's "Import a Hugging Face README.md": the README's metadata and text fill the
//! card's fields (the I/O schema the model file gave stays), with a line saying what was
//! imported and what was not.

use assay_core::hf_card;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::super::wizard::Wizard;
use crate::ui::components::error::ProblemNote;
use crate::ui::components::file_input::{FileInput, read_text};

#[component]
pub(super) fn HuggingFaceImport() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let said = RwSignal::new(None::<Result<(String, Option<String>), String>>);
    let import = move |file: web_sys::File| {
        spawn_local(async move {
            let name = file.name();
            let text = match read_text(&file).await {
                Ok(text) => text,
                Err(e) => return said.set(Some(Err(format!("{name} could not be read: {}", e.sentence())))),
            };
            match hf_card::import(&text) {
                Ok(imported) => {
                    wizard.update(|d| d.fill_from_hugging_face(&imported.card));
                    let filled = format!("Imported {} from {name}.", imported.filled());
                    let left = imported.left_out_words().map(|w| format!("Not imported: {w}."));
                    said.set(Some(Ok((filled, left))));
                }
                Err(e) => said.set(Some(Err(format!("{name} was not imported. {e}")))),
            }
        });
    };
    view! {
        <p class="wizard__tools">
            <label class="button button--small">"Import a Hugging Face README.md…"
                <FileInput accept=".md,text/markdown,text/plain" class="visually-hidden" test_id="import-hf-readme" on_file=import />
            </label>
        </p>
        {move || said.get().map(|s| match s {
            Ok((filled, left)) => view! {
                <p class="ok" data-testid="hf-imported">{filled}</p>
                {left.map(|l| view! { <p class="muted" data-testid="hf-left-out">{l}</p> })}
            }.into_any(),
            Err(text) => view! { <ProblemNote testid="hf-refused" text=text /> }.into_any(),
        })}
    }
}
