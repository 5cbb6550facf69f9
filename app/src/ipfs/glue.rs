//! The only place that touches the JS bundle (`assay-ipfs.js`, built from `ipfs-bundle/`): loads
//! it on demand with a dynamic `import()` relative to the page (so it works under
//! `/ipfs/<cid>/`), calls its functions with plain values and turns its errors into
//! [`IpfsError`]. Nothing returned from here is a JS object, except `web_sys::File` passed in.

use std::cell::RefCell;

use assay_core::ipfs::IpfsError;
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The bundle's file name next to `index.html` (Trunk copies it into `dist/`).
pub const BUNDLE_FILE: &str = "assay-ipfs.js";

#[wasm_bindgen(
    inline_js = "export function import_relative(url) { return import(new URL(url, document.baseURI).href); }"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn import_relative(url: &str) -> Result<Promise, JsValue>;
}

thread_local! {
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    static BUNDLE_URL: RefCell<String> = RefCell::new(BUNDLE_FILE.to_owned());
}

/// Loads the bundle from another URL (tests, which are not served next to `index.html`).
pub fn set_bundle_url(url: &str) {
    BUNDLE_URL.with(|u| *u.borrow_mut() = url.to_owned());
    MODULE.with(|m| *m.borrow_mut() = None);
}

/// The bundle's module namespace, imported once.
async fn module() -> Result<JsValue, IpfsError> {
    if let Some(module) = MODULE.with(|m| m.borrow().clone()) {
        return Ok(module);
    }
    let url = BUNDLE_URL.with(|u| u.borrow().clone());
    let cannot = |e: JsValue| IpfsError::Other {
        detail: format!("the IPFS module {url} could not be loaded: {}", describe(&e)),
    };
    let module = JsFuture::from(import_relative(&url).map_err(cannot)?).await.map_err(cannot)?;
    MODULE.with(|m| *m.borrow_mut() = Some(module.clone()));
    Ok(module)
}

/// Starts importing the bundle and opening its cache, so that the first listing's card does not
/// wait for them: called once the app has its configuration (every page reads from IPFS). A
/// failure here is not reported: the first real call tries again and says why.
pub fn warm_up() {
    leptos::task::spawn_local(async {
        if let Ok(module) = module().await
            && let Ok(function) = Reflect::get(&module, &"warmUp".into()).and_then(|f| f.dyn_into::<Function>())
        {
            let _ = function.call0(&JsValue::NULL);
        }
    });
}

/// Calls `name(arg)` on the bundle and awaits the promise it returns.
pub async fn call(name: &str, arg: &JsValue, cid: &str) -> Result<JsValue, IpfsError> {
    let module = module().await?;
    let function: Function = Reflect::get(&module, &name.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| IpfsError::Other { detail: format!("the IPFS module has no {name}") })?;
    let promise: Promise = function
        .call1(&JsValue::NULL, arg)
        .map_err(|e| to_error(&e, cid))?
        .dyn_into()
        .map_err(|_| IpfsError::Other { detail: format!("{name} did not return a promise") })?;
    JsFuture::from(promise).await.map_err(|e| to_error(&e, cid))
}

/// A plain JS object from key/value pairs.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object.into()
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_string(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

fn describe(value: &JsValue) -> String {
    get_string(value, "message").or_else(|| value.as_string()).unwrap_or_else(|| format!("{value:?}"))
}

/// Maps the bundle's `{kind, message, …}` errors (and anything else thrown) to [`IpfsError`].
pub fn to_error(value: &JsValue, cid: &str) -> IpfsError {
    let message = describe(value);
    let number = |key| get(value, key).as_f64().map(|n| n as u64);
    match get_string(value, "kind").as_deref() {
        Some("too_large") => IpfsError::TooLarge { size: number("size"), limit: number("limit").unwrap_or(0) },
        Some("cid_mismatch") => IpfsError::CidMismatch {
            local: get_string(value, "local").unwrap_or_default(),
            remote: get_string(value, "remote").unwrap_or_default(),
        },
        Some(kind) => IpfsError::from_kind(kind, &message, cid),
        None => IpfsError::Other { detail: message },
    }
}
