//! The GPU engine: onnxruntime-web with its WebGPU execution provider (and, for the benchmark,
//! its wasm one), self-hosted: Trunk copies `ort.webgpu.min.mjs` and the runtime it imports
//! (`ort-wasm-simd-threaded.asyncify.{mjs,wasm}`) from the pinned npm package (`inference/ort/`) into
//! `dist/`, and this module imports them on demand, relative to the page (no CDN). Tensors cross
//! the boundary as typed arrays plus JSON metadata; nothing above this module sees a JS object
//! except the opaque [`OrtSession`].

use assay_inference::{Data, Tensor};
use js_sys::{Array, Float32Array, Int32Array, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::AppError;

/// The ES module Trunk copies next to `index.html`.
pub const ORT_MODULE: &str = "ort.webgpu.min.mjs";

#[wasm_bindgen(inline_js = r#"
let ort = null;
export async function ort_load(file) {
  if (ort === null) {
    // The module and the runtime it loads sit side by side (relative to the page by default).
    const url = new URL(file, document.baseURI);
    const module = await import(url.href);
    module.env.wasm.wasmPaths = new URL('./', url).href;
    module.env.wasm.numThreads = 1;
    module.env.wasm.proxy = false;
    module.env.logLevel = 'error';
    ort = module;
  }
}
export async function ort_create(bytes, provider) {
    // logSeverityLevel 3: the runtime's own warnings (e.g. IR 4 initialisers listed as inputs) are not
  // the person's concern and would fill the console with errors.
  return await ort.InferenceSession.create(bytes, {
    executionProviders: [provider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}
export async function ort_run(session, names, dtypes, shapes, arrays, outputs) {
  const feeds = {};
  for (let i = 0; i < names.length; i++) {
    let data = arrays[i];
    if (dtypes[i] === 'int64') data = BigInt64Array.from(Array.from(data, (v) => BigInt(v)));
    feeds[names[i]] = new ort.Tensor(dtypes[i], data, shapes[i]);
  }
  const t0 = performance.now();
  const results = await session.run(feeds, outputs);
  const millis = performance.now() - t0;
  const out = outputs.map((name) => {
    const t = results[name];
    const values = Array.from(t.data, Number);
    return { name, shape: Array.from(t.dims, Number), dtype: t.type, values };
  });
  return JSON.stringify({ millis, outputs: out });
}
export async function ort_release(session) { await session.release(); }
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn ort_load(file: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn ort_create(bytes: &Uint8Array, provider: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn ort_run(
        session: &JsValue,
        names: &Array,
        dtypes: &Array,
        shapes: &Array,
        arrays: &Array,
        outputs: &Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn ort_release(session: &JsValue) -> Result<Promise, JsValue>;
}

/// Awaits one of the glue's promises; a throw or a rejection is the browser's error, `what` failed.
async fn call(promise: Result<Promise, JsValue>, what: impl Fn() -> String) -> Result<JsValue, AppError> {
    let promise = promise.map_err(|e| AppError::browser(&what(), &e))?;
    JsFuture::from(promise).await.map_err(|e| AppError::browser(&what(), &e))
}

/// onnxruntime-web's execution providers Assay uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provider {
    WebGpu,
    Wasm,
}

impl Provider {
    fn name(self) -> &'static str {
        match self {
            Provider::WebGpu => "webgpu",
            Provider::Wasm => "wasm",
        }
    }
}

/// Loads onnxruntime-web (once per page).
pub async fn load() -> Result<(), AppError> {
    load_from(ORT_MODULE).await
}

/// Loads onnxruntime-web from `module` (relative to the page, or absolute; its runtime files beside
/// it), once per page: the first module loaded stays. The benchmark compares with other builds.
pub async fn load_from(module: &str) -> Result<(), AppError> {
    call(ort_load(module), || format!("onnxruntime-web could not be loaded from {module}")).await.map(|_| ())
}

/// A compiled onnxruntime-web session.
pub struct OrtSession {
    session: JsValue,
    outputs: Vec<String>,
}

impl OrtSession {
    /// Creates a session for `bytes` on `provider`, producing `outputs` (the card's order).
    pub async fn create(bytes: &[u8], provider: Provider, outputs: Vec<String>) -> Result<Self, AppError> {
        load().await?;
        let session = call(ort_create(&Uint8Array::from(bytes), provider.name()), || {
            format!("onnxruntime-web ({}) could not prepare the model", provider.name())
        })
        .await?;
        Ok(Self { session, outputs })
    }

    /// Runs once; the time is onnxruntime-web's `session.run` alone.
    pub async fn run(&self, inputs: &[Tensor]) -> Result<(Vec<Tensor>, f64), AppError> {
        let (names, dtypes, shapes, arrays) = (Array::new(), Array::new(), Array::new(), Array::new());
        for t in inputs {
            names.push(&t.name.as_str().into());
            dtypes.push(&t.data.dtype().ort_name().into());
            shapes.push(&t.shape.iter().map(|&d| JsValue::from(d as f64)).collect::<Array>());
            let array: JsValue = match &t.data {
                Data::F32(v) => Float32Array::from(v.as_slice()).into(),
                Data::I32(v) => Int32Array::from(v.as_slice()).into(),
                Data::U8(v) => Uint8Array::from(v.as_slice()).into(),
                // onnxruntime-web takes booleans as one byte each.
                Data::Bool(v) => Uint8Array::from(v.iter().map(|&b| u8::from(b)).collect::<Vec<_>>().as_slice()).into(),
                Data::I64(v) => v.iter().map(|&x| JsValue::from(x as f64)).collect::<Array>().into(),
            };
            arrays.push(&array);
        }
        let outputs: Array = self.outputs.iter().map(|n| JsValue::from(n.as_str())).collect();
        let reply = call(ort_run(&self.session, &names, &dtypes, &shapes, &arrays, &outputs), || {
            "onnxruntime-web failed while running the model".to_owned()
        })
        .await?;
        parse_reply(&reply.as_string().unwrap_or_default())
    }
}

impl Drop for OrtSession {
    fn drop(&mut self) {
        if let Ok(promise) = ort_release(&self.session) {
            let _ = Reflect::get(&promise, &"catch".into());
        }
    }
}

#[derive(serde::Deserialize)]
struct Reply {
    millis: f64,
    outputs: Vec<ReplyTensor>,
}

#[derive(serde::Deserialize)]
struct ReplyTensor {
    name: String,
    shape: Vec<usize>,
    dtype: String,
    values: Vec<f64>,
}

fn parse_reply(text: &str) -> Result<(Vec<Tensor>, f64), AppError> {
    let odd = |e: String| AppError::Invalid(format!("onnxruntime-web's answer: {e}"));
    let reply: Reply = serde_json::from_str(text).map_err(|e| odd(e.to_string()))?;
    let tensors = reply
        .outputs
        .into_iter()
        .map(|t| {
            let data = match t.dtype.as_str() {
                "int32" => Data::I32(t.values.iter().map(|&v| v as i32).collect()),
                "int64" => Data::I64(t.values.iter().map(|&v| v as i64).collect()),
                "uint8" => Data::U8(t.values.iter().map(|&v| v as u8).collect()),
                "bool" => Data::Bool(t.values.iter().map(|&v| v != 0.0).collect()),
                _ => Data::F32(t.values.iter().map(|&v| v as f32).collect()),
            };
            Tensor::new(t.name, t.shape, data)
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(odd)?;
    Ok((tensors, reply.millis))
}
