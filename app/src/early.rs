//! The answers to requests the page's start script sent while the wasm downloaded and compiled
//! (`app/early.js`: the configuration and, once it names an indexer, Browse's first requests to
//! it), so that a first visit does not wait for the app to start before asking. Each answer is
//! taken once, by the URL the app would have asked; an answer that can change (the indexer's) only
//! within [`FRESH`] of its request, so that a slow start does not show what the app would already
//! have asked again: later the app asks itself. What is not taken is not used.

use std::future::Future;
use std::time::Duration;

use js_sys::{Map, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How old an early request may be when it is taken: Browse's own interval for asking again.
pub const FRESH: Duration = Duration::from_secs(5);

/// What an early request got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A 2xx answer's body.
    Ok(String),
    /// Another status, with its reason phrase.
    Status(u16, String),
    /// No answer (the network, a time-out), in the browser's words.
    Failed(String),
}

/// How old an early answer may be when it is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Age {
    /// Any: a file of the app's own (`config.json`), the same whenever asked.
    Any,
    /// Less than [`FRESH`] since it was asked: the indexer's answers.
    Fresh,
}

/// The early request for `url`, if the start script sent one (within `age`) and nothing took it
/// yet.
pub fn take(url: &str, age: Age) -> Option<impl Future<Output = Answer> + use<>> {
    let window = web_sys::window()?;
    let requests: Map = Reflect::get(&window, &"assayEarly".into()).ok()?.dyn_into().ok()?;
    let key = JsValue::from_str(url);
    let request = requests.get(&key);
    if request.is_undefined() {
        return None;
    }
    requests.delete(&key);
    let sent_at = Reflect::get(&request, &"at".into()).ok()?.as_f64()?;
    let now = window.performance()?.now();
    if age == Age::Fresh && now - sent_at > FRESH.as_millis() as f64 {
        return None;
    }
    let answer: Promise = Reflect::get(&request, &"answer".into()).ok()?.dyn_into().ok()?;
    Some(async move {
        match JsFuture::from(answer).await {
            Ok(answer) => read(&answer),
            Err(error) => Answer::Failed(error.as_string().unwrap_or_else(|| format!("{error:?}"))),
        }
    })
}

/// `{status, statusText, text}` or `{failed}`, as `app/early.js` writes them.
fn read(answer: &JsValue) -> Answer {
    let field = |name: &str| Reflect::get(answer, &name.into()).ok().filter(|v| !v.is_undefined());
    if let Some(failed) = field("failed") {
        return Answer::Failed(failed.as_string().unwrap_or_default());
    }
    let status = field("status").and_then(|s| s.as_f64()).unwrap_or(0.0) as u16;
    let text = field("text").and_then(|t| t.as_string()).unwrap_or_default();
    if (200..300).contains(&status) {
        Answer::Ok(text)
    } else {
        Answer::Status(status, field("statusText").and_then(|t| t.as_string()).unwrap_or_default())
    }
}
