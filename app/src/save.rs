//! Saving what the page made as a download (a decrypted model, a trial's output tensor).

use js_sys::{Array, Uint8Array};
use leptos::prelude::document;
use wasm_bindgen::JsCast;

use crate::error::AppError;

/// Saves `blob` as a download named `name`.
pub fn save_blob(blob: &web_sys::Blob, name: &str) -> Result<(), AppError> {
    let refused = |e: wasm_bindgen::JsValue| AppError::browser("The browser refused to save the file", &e);
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(refused)?;
    let anchor: web_sys::HtmlAnchorElement = document().create_element("a").map_err(refused)?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Saves `bytes` of media type `mime` as a download named `name`.
pub fn save_bytes(bytes: &[u8], mime: &str, name: &str) -> Result<(), AppError> {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| AppError::browser("The browser could not hold the file", &e))?;
    save_blob(&blob, name)
}
