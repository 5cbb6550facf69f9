//! The EIP-1193 provider boundary: `provider.request({method, params})` and its events.
//!
//! JSON crosses the boundary as text (`JSON.parse` / `JSON.stringify`), so nothing above this
//! module holds a JavaScript object.

use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// A wallet's EIP-1193 provider object.
    #[derive(Clone, Debug)]
    pub type Eip1193Provider;

    #[wasm_bindgen(method, catch, js_name = request)]
    fn request_raw(this: &Eip1193Provider, args: &JsValue) -> Result<js_sys::Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = on)]
    fn on_raw(this: &Eip1193Provider, event: &str, listener: &js_sys::Function) -> Result<JsValue, JsValue>;
}

use assay_core::failure::Failure;
/// EIP-1193 / EIP-1474 error codes the app treats specially.
pub use assay_core::failure::codes;

/// An error returned by a wallet (EIP-1193 `ProviderRpcError`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderError {
    pub code: i64,
    pub message: String,
    /// The error's `data` (e.g. revert data, or the node's error wrapped by the wallet).
    pub data: Option<Value>,
}

impl ProviderError {
    fn from_js(value: JsValue) -> Self {
        let code = js_sys::Reflect::get(&value, &"code".into()).ok().and_then(|c| c.as_f64());
        let message = js_sys::Reflect::get(&value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "the wallet returned an error without a message".to_owned());
        let data = js_sys::Reflect::get(&value, &"data".into())
            .ok()
            .filter(|d| !d.is_undefined() && !d.is_null())
            .and_then(|d| js_sys::JSON::stringify(&d).ok())
            .and_then(|text| serde_json::from_str(&String::from(text)).ok());
        Self { code: code.map(|c| c as i64).unwrap_or(0), message, data }
    }

    /// A problem on this side of the boundary (an answer that isn't what EIP-1193 promises).
    pub fn local(message: impl Into<String>) -> Self {
        Self { code: 0, message: message.into(), data: None }
    }

    /// The failure, classified.
    pub fn failure(&self) -> Failure {
        Failure::classify(self.code, &self.message, self.data.as_ref())
    }

    /// The message shown to a person.
    pub async fn explain(&self) -> String {
        crate::chain::reverts::explain(&self.failure()).await
    }
}

impl Eip1193Provider {
    /// Sends one JSON-RPC request through the wallet.
    pub async fn request(&self, method: &str, params: Value) -> Result<Value, ProviderError> {
        let args = serde_json::json!({ "method": method, "params": params });
        let args = js_sys::JSON::parse(&args.to_string()).map_err(ProviderError::from_js)?;
        let promise = self.request_raw(&args).map_err(ProviderError::from_js)?;
        let result = JsFuture::from(promise).await.map_err(ProviderError::from_js)?;
        if result.is_undefined() || result.is_null() {
            return Ok(Value::Null);
        }
        let text = js_sys::JSON::stringify(&result).map_err(ProviderError::from_js)?;
        let text = String::from(text);
        serde_json::from_str(&text).map_err(|e| ProviderError::local(e.to_string()))
    }

    /// Subscribes to a provider event (`accountsChanged`, `chainChanged`) for the app's lifetime;
    /// the payload reaches `listener` as JSON.
    pub fn subscribe(&self, event: &str, listener: impl Fn(Value) + 'static) {
        let closure = Closure::<dyn Fn(JsValue)>::new(move |payload: JsValue| {
            let text = js_sys::JSON::stringify(&payload).map(String::from).unwrap_or_default();
            listener(serde_json::from_str(&text).unwrap_or(Value::Null));
        });
        // Providers without `on` (rare) simply never notify; the app then reads state on demand.
        let _ = self.on_raw(event, closure.as_ref().unchecked_ref());
        // The subscription lives as long as the page: one per provider, made once.
        closure.forget();
    }
}
