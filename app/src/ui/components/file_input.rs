//! Choosing a file: a plain file input, a drop zone around one, and reading the chosen file's
//! bytes into wasm memory.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::AppError;

/// A `Blob`'s bytes (a chosen `web_sys::File` is one), read into wasm memory; the browser's
/// reason when it can't be read (the file moved or changed since it was chosen, …).
pub async fn read_bytes(blob: &web_sys::Blob) -> Result<Vec<u8>, AppError> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| AppError::browser("The browser could not read the file", &e))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A `Blob`'s text, decoded as UTF-8; the browser's reason when it can't be read.
pub async fn read_text(blob: &web_sys::Blob) -> Result<String, AppError> {
    let text = wasm_bindgen_futures::JsFuture::from(blob.text())
        .await
        .map_err(|e| AppError::browser("The browser could not read the file", &e))?;
    Ok(text.as_string().unwrap_or_default())
}

/// The file chosen in a file input's `change` event, if any; the input is emptied so that
/// choosing the same file again is noticed.
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = ev.target()?.unchecked_into();
    let file = input.files().and_then(|f| f.get(0));
    input.set_value("");
    file
}

/// `<input type="file">`: `on_file` gets the chosen file.
#[component]
pub fn FileInput(
    accept: &'static str,
    test_id: &'static str,
    #[prop(optional)] class: Option<&'static str>,
    on_file: impl Fn(web_sys::File) + 'static,
) -> impl IntoView {
    view! {
        <input type="file" accept=accept class=class data-testid=test_id
            on:change=move |ev| if let Some(file) = chosen_file(&ev) { on_file(file) } />
    }
}

/// A drop zone around a file input: "`title` or choose one: [input] `hint`"; `on_file` gets the
/// file dropped or chosen.
#[component]
pub fn DropZone(
    title: &'static str,
    hint: &'static str,
    accept: &'static str,
    test_id: &'static str,
    on_file: impl Fn(web_sys::File) + Clone + 'static,
) -> impl IntoView {
    let dragging = RwSignal::new(false);
    let dropped = {
        let on_file = on_file.clone();
        move |ev: web_sys::DragEvent| {
            ev.prevent_default();
            dragging.set(false);
            if let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                on_file(file);
            }
        }
    };
    view! {
        <label class=move || if dragging.get() { "dropzone dropzone--over" } else { "dropzone" }
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=dropped>
            <strong>{title}</strong>
            <span class="muted">" or choose one: "</span>
            <FileInput accept=accept test_id=test_id on_file=on_file />
            <span class="muted block">{hint}</span>
        </label>
    }
}
