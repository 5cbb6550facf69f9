//! Evidence on a case, written and read: the fields a report, a response or an addition share (text
//! and files, refused over `assay_core::evidence`'s limits before anything is uploaded); a
//! document read from IPFS with its files, each downloaded through the verified fetch; and **Add
//! evidence** to an open case (`submitEvidence`).

use alloy_primitives::{Address, B256};
use assay_core::config::RuntimeConfig;
use assay_core::evidence::{EvidenceDocument, files_refused};
use assay_core::ipfs::Cid;
use assay_core::units::short_address;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::chain::moderation::{self, EvidenceDraft, ModerationError, Parameters};
use crate::chain::tx::{ToastKind, TxContext};
use crate::ipfs::Ipfs;
use crate::save::save_bytes;
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};

/// What an evidence form holds: the text and the chosen files.
#[derive(Clone, Copy)]
pub struct EvidenceInput {
    pub text: RwSignal<String>,
    files: RwSignal<Vec<web_sys::File>, LocalStorage>,
}

impl Default for EvidenceInput {
    fn default() -> Self {
        EvidenceInput { text: RwSignal::new(String::new()), files: RwSignal::new_local(Vec::new()) }
    }
}

impl EvidenceInput {
    /// The draft under `title`, or the sentence saying why not (`empty` when nothing is written).
    pub fn draft(&self, title: String, empty: &str) -> Result<EvidenceDraft, String> {
        let text = self.text.get_untracked().trim().to_owned();
        if text.is_empty() {
            return Err(empty.to_owned());
        }
        let files = self.files.get_untracked();
        let sizes: Vec<(String, u64)> = files.iter().map(|f| (f.name(), f.size() as u64)).collect();
        if let Some(refused) = files_refused(&sizes) {
            return Err(refused);
        }
        Ok(EvidenceDraft { title, text, files })
    }

    /// Empties the form after its evidence is on chain.
    pub fn clear(&self) {
        self.text.set(String::new());
        self.files.set(Vec::new());
    }

    /// Sends the form's evidence under `title` with `send` (the evidence to IPFS, then the
    /// transaction), `busy` meanwhile: no text or refused files are said under `what` (`empty`
    /// when nothing is written) and nothing is sent; once confirmed the form is emptied and `done`
    /// runs; a failed upload is said; a cancelled or failed transaction was said by its own toast,
    /// and the form stays as it was.
    #[allow(clippy::too_many_arguments)]
    pub fn send<F>(
        self,
        tx: TxContext,
        busy: RwSignal<bool>,
        what: &'static str,
        title: String,
        empty: &str,
        send: impl FnOnce(EvidenceDraft) -> F + 'static,
        done: impl FnOnce() + 'static,
    ) where
        F: std::future::Future<Output = Result<B256, ModerationError>> + 'static,
    {
        let draft = match self.draft(title, empty) {
            Ok(draft) => draft,
            Err(why) => return tx.notify(ToastKind::Error, what, why),
        };
        busy.set(true);
        spawn_local(async move {
            match send(draft).await {
                Ok(_) => {
                    self.clear();
                    done();
                }
                Err(ModerationError::Upload(why)) => tx.notify(ToastKind::Error, what, why),
                Err(ModerationError::Transaction(_)) => {}
            }
            busy.set(false);
        });
    }
}

/// The text and the files of an evidence form; test ids `<id>-text` and `<id>-files`.
#[component]
pub fn EvidenceFields(input: EvidenceInput, label: &'static str, id: &'static str) -> impl IntoView {
    let chosen = move |ev: web_sys::Event| {
        let Some(target) = ev.target() else { return };
        let element: web_sys::HtmlInputElement = target.unchecked_into();
        if let Some(list) = element.files() {
            let picked: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
            input.files.update(|files| files.extend(picked));
        }
        element.set_value("");
    };
    view! {
        <label>{label}
            <textarea data-testid=format!("{id}-text") rows="4" prop:value=move || input.text.get()
                on:input=move |ev| input.text.set(event_target_value(&ev))></textarea>
        </label>
        <label class="evidence-files">"Files (screenshots, logs, the original's link as a file), uploaded to IPFS with the text"
            <input type="file" multiple=true data-testid=format!("{id}-files") on:change=chosen />
        </label>
        <ul class="evidence-files__chosen" data-testid=format!("{id}-chosen")>
            {move || input.files.with(|files| files.iter().enumerate().map(|(i, file)| {
                let name = file.name();
                view! {
                    <li data-testid="evidence-chosen-file">
                        {format!("{name} ({} KiB) ", (file.size() as u64).div_ceil(1024))}
                        <button type="button" class="button button--quiet" aria-label=format!("Remove {name}")
                            on:click=move |_| input.files.update(|files| { if i < files.len() { files.remove(i); } })>"Remove"</button>
                    </li>
                }
            }).collect_view())}
        </ul>
    }
}

/// An ERC-1497 evidence document (`/ipfs/<cid>`) by `party`: its title, text and files, read from IPFS.
#[component]
pub fn EvidenceItem(party: Address, uri: String) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let cid = uri.strip_prefix("/ipfs/").unwrap_or(&uri).parse::<Cid>().ok();
    let shown = uri.clone();
    let reader = config.clone();
    let document = LocalResource::new(move || {
        let config = reader.clone();
        let cid = cid.clone();
        async move {
            let cid = cid.ok_or_else(|| "not an IPFS evidence address".to_owned())?;
            let bytes = Ipfs::new(&config.ipfs).fetch(&cid, |_| {}).await.map_err(|e| e.to_string())?;
            EvidenceDocument::from_json(&String::from_utf8_lossy(&bytes)).map_err(|e| e.to_string())
        }
    });
    view! {
        <li data-testid="case-evidence-item">
            <code>{short_address(&party)}</code> " " <ExplorerLink target=OnExplorer::Account(party) testid="evidence-party-explorer" /> ": "
            {move || match document.get() {
                None => view! { <span class="muted">"Reading the evidence from IPFS…"</span> }.into_any(),
                Some(Err(e)) => view! { <span class="muted">{format!("{shown} could not be read: {e}")}</span> }.into_any(),
                Some(Ok(doc)) => {
                    let files = doc.files.into_iter().enumerate().map(|(i, cid)| {
                        view! { <EvidenceFile cid=cid number=i + 1 config=config.clone() /> }
                    }).collect_view();
                    view! {
                        <strong data-testid="case-evidence-title">{doc.title}</strong> " "
                        <span data-testid="case-evidence-text">{doc.text}</span>
                        <span class="evidence-files__list">{files}</span>
                    }.into_any()
                }
            }}
        </li>
    }
}

/// One evidence file: fetched and checked against its CID, then saved.
#[component]
fn EvidenceFile(cid: Cid, number: usize, config: RuntimeConfig) -> impl IntoView {
    let tx: TxContext = expect_context();
    let busy = RwSignal::new(false);
    let title = cid.to_string();
    let download = move |_| {
        let (cid, config) = (cid.clone(), config.clone());
        busy.set(true);
        spawn_local(async move {
            match Ipfs::new(&config.ipfs).fetch(&cid, |_| {}).await {
                Ok(bytes) => {
                    if let Err(e) = save_bytes(&bytes, "application/octet-stream", &format!("evidence-{cid}")) {
                        tx.notify(ToastKind::Error, "Evidence file", e.sentence());
                    }
                }
                Err(e) => tx.notify(ToastKind::Error, "Evidence file", format!("The file could not be fetched: {e}")),
            }
            busy.set(false);
        });
    };
    view! {
        " "
        <button type="button" class="button button--quiet" data-testid="case-evidence-file" title=title
            disabled=move || busy.get() on:click=download>
            {move || if busy.get() { "Fetching…".to_owned() } else { format!("File {number}") }}
        </button>
    }
}

/// Adds evidence to an open case: anyone may, the parties most of all.
#[component]
pub fn AddEvidenceForm(case: u64, params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let input = EvidenceInput::default();
    let (open, busy) = (RwSignal::new(false), RwSignal::new(false));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (config, params) = (config.clone(), params.clone());
        input.send(
            tx,
            busy,
            "Add evidence",
            format!("Evidence on case #{case}"),
            "Write what the evidence shows.",
            move |draft| async move { moderation::submit_evidence(tx, &config, &params, case, draft).await },
            move || {
                open.set(false);
                reads.update(|n| *n += 1);
            },
        );
    };
    view! {
        <div class="moderation-add-evidence" data-testid="case-add-evidence">
            {move || (!open.get()).then(|| view! {
                <button type="button" class="button button--quiet" data-testid="case-add-evidence-open" on:click=move |_| open.set(true)>"Add evidence"</button>
            })}
            <form on:submit=submit style:display=move || if open.get() { "" } else { "none" }>
                <EvidenceFields input=input label="Evidence" id="case-add-evidence" />
                <button class="button" type="submit" data-testid="case-add-evidence-submit" disabled=move || busy.get()>
                    {move || if busy.get() { "Adding…" } else { "Add evidence" }}
                </button>
            </form>
        </div>
    }
}
