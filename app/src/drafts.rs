//! The listing draft kept in this browser until the listing is minted: the form as JSON in
//! `localStorage`, the chosen model file (and an encrypted listing's trial file, and the
//! evaluation set's array files) as `Blob`s in IndexedDB (a file input's choice does not
//! survive a reload). Losing either is reported, never silent: the wizard then asks again.
//!
//! On a shared origin (a path gateway: `assay_core::hosting`) every other site on the gateway can
//! read and replace what is kept here, so nothing is kept, nor an earlier draft read, until the
//! person agrees for this visit ([`agree`]).

use assay_core::listing_draft::Draft;
use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use crate::error::{AppError, js_error_text};

const DRAFT_KEY: &str = "assay.listing-draft";

/// Whether drafts may be kept in this browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keeping {
    /// An origin of the app's own: always.
    OwnOrigin,
    /// A shared origin, not (yet) agreed to.
    AskFirst,
    /// A shared origin, agreed to for this visit.
    Agreed,
}

thread_local! {
    static KEEPING: std::cell::Cell<Keeping> = const { std::cell::Cell::new(Keeping::OwnOrigin) };
}

/// Set once at start-up from where the page is served.
pub fn set_shared_origin(shared: bool) {
    KEEPING.with(|k| k.set(if shared { Keeping::AskFirst } else { Keeping::OwnOrigin }));
}

pub fn keeping() -> Keeping {
    KEEPING.with(|k| k.get())
}

/// The person agreed to keep drafts on this shared origin, for this visit.
pub fn agree() {
    KEEPING.with(|k| k.set(Keeping::Agreed));
}

fn may_keep() -> bool {
    keeping() != Keeping::AskFirst
}
/// The files kept beside the draft, each under its own IndexedDB key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    /// The model file (plaintext, as chosen: an encrypted listing encrypts it at publication).
    Model,
    /// An encrypted listing's public trial file.
    Trial,
    /// The evaluation set's array file `i` (in the draft's order).
    BundleArray(usize),
}

impl Kept {
    fn key(self) -> String {
        match self {
            Kept::Model => "model".into(),
            Kept::Trial => "trial".into(),
            Kept::BundleArray(i) => format!("bundle-{i}"),
        }
    }
}

#[wasm_bindgen(inline_js = r#"
const DB = 'assay-drafts';
const STORE = 'files';
function openDb () {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
function inStore (mode, act) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = act(tx.objectStore(STORE));
    tx.oncomplete = () => { db.close(); resolve(request.result); };
    tx.onerror = () => { db.close(); reject(tx.error); };
    tx.onabort = () => { db.close(); reject(tx.error ?? new Error('the storage transaction was aborted')); };
  }));
}
export function keep_file (key, bytes) {
  return inStore('readwrite', (store) => store.put(new Blob([bytes]), key)).then(() => undefined);
}
export async function kept_file (key) {
  const blob = await inStore('readonly', (store) => store.get(key));
  return blob == null ? undefined : new Uint8Array(await blob.arrayBuffer());
}
export function drop_file (key) {
  return inStore('readwrite', (store) => store.delete(key)).then(() => undefined);
}
export function drop_all () {
  return inStore('readwrite', (store) => store.clear()).then(() => undefined);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn keep_file(key: &str, bytes: &Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn kept_file(key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn drop_file(key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn drop_all() -> Result<JsValue, JsValue>;
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Why storage failed (a full disk says so).
fn storage_error(error: &JsValue) -> AppError {
    let text = js_error_text(error).unwrap_or_else(|| "the browser refused to store it".to_owned());
    if text.contains("Quota") || text.contains("quota") {
        AppError::Browser(format!("this browser's storage for the site is full ({text})"))
    } else {
        AppError::Browser(text)
    }
}

/// The saved draft, if any (an unreadable or older one counts as none).
pub fn load() -> Option<Draft> {
    if !may_keep() {
        return None;
    }
    Draft::from_json(&storage()?.get_item(DRAFT_KEY).ok()??)
}

/// Saves the draft; the reason in words when the browser refuses (e.g. storage full).
pub fn save(draft: &Draft) -> Result<(), AppError> {
    if !may_keep() {
        return Ok(());
    }
    let storage =
        storage().ok_or_else(|| AppError::Browser("this browser keeps no local storage for the site".into()))?;
    storage.set_item(DRAFT_KEY, &draft.to_json()).map_err(|e| storage_error(&e))
}

/// Forgets the draft and its files (after a successful listing, or "Start over").
pub async fn clear() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(DRAFT_KEY);
    }
    let _ = drop_all().await;
}

/// Keeps a file's bytes for a reload.
pub async fn keep(kept: Kept, bytes: &[u8]) -> Result<(), AppError> {
    if !may_keep() {
        return Ok(());
    }
    keep_file(&kept.key(), &Uint8Array::from(bytes)).await.map(|_| ()).map_err(|e| storage_error(&e))
}

/// Forgets a kept file (the trial file or an evaluation set removed from the draft).
pub async fn forget(kept: Kept) {
    let _ = drop_file(&kept.key()).await;
}

/// A kept file's bytes, if it is still there.
pub async fn kept(kept: Kept) -> Result<Option<Vec<u8>>, AppError> {
    if !may_keep() {
        return Ok(None);
    }
    let value = kept_file(&kept.key()).await.map_err(|e| storage_error(&e))?;
    Ok((!value.is_undefined() && !value.is_null()).then(|| Uint8Array::new(&value).to_vec()))
}
