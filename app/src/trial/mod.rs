//! Trial inference in the browser: the exact artifact a buyer would licence, run on their data
//! before they pay. Engines load only when a trial starts (never in the initial bundle):
//!
//! - CPU: tract (wasm32 + simd128) in a Web Worker ([`tract`]), which also validates the model;
//!   when tract cannot run a model, onnxruntime-web's wasm backend ([`cpu`] holds whichever runs it);
//! - GPU: onnxruntime-web's WebGPU execution provider ([`ort`]), self-hosted, imported on demand;
//!   its first result on a model is cross-checked on the CPU.
//!
//! [`panel::TrialPanel`] builds the form and the result view from the model card's `io` section.

pub mod cpu;
pub mod evaluate;
pub mod image;
pub mod ort;
pub mod panel;
pub mod tract;

pub use assay_inference::Engine;
use assay_inference::verdict::Gpu;
use js_sys::{Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How a result names the engine that ran it.
pub fn engine_label(engine: Engine) -> &'static str {
    match engine {
        Engine::Tract => "CPU · tract (wasm + SIMD, worker)",
        Engine::OrtWasm => "CPU · onnxruntime-web (wasm)",
        Engine::OrtWebGpu => "GPU · onnxruntime-web (WebGPU)",
    }
}

/// The processor alone: `CPU`, `GPU`.
pub fn processor(engine: Engine) -> &'static str {
    if engine.is_cpu() { "CPU" } else { "GPU" }
}

/// A stable name for attributes and tests: `tract`, `ort-wasm`, `ort-webgpu`.
pub fn engine_key(engine: Engine) -> &'static str {
    match engine {
        Engine::Tract => "tract",
        Engine::OrtWasm => "ort-wasm",
        Engine::OrtWebGpu => "ort-webgpu",
    }
}

/// What `navigator.gpu.requestAdapter()` gave: `None` without WebGPU or without an adapter.
#[derive(Clone, Debug, PartialEq)]
pub struct GpuAdapter {
    /// Vendor / architecture / description as the browser reports them (may be empty).
    pub description: String,
    /// A software (fallback) adapter: its results are cross-checked, and it is slow.
    pub fallback: bool,
}

impl GpuAdapter {
    /// The adapter as the engine choice weighs it.
    pub fn gpu(adapter: Option<&GpuAdapter>) -> Gpu {
        match adapter {
            None => Gpu::None,
            Some(a) if a.fallback => Gpu::Software,
            Some(_) => Gpu::Hardware,
        }
    }
}

/// Detects a WebGPU adapter without loading any engine.
pub async fn webgpu_adapter() -> Option<GpuAdapter> {
    let navigator = web_sys::window()?.navigator();
    let gpu = Reflect::get(&navigator, &"gpu".into()).ok().filter(|g| !g.is_undefined() && !g.is_null())?;
    let request: js_sys::Function = Reflect::get(&gpu, &"requestAdapter".into()).ok()?.dyn_into().ok()?;
    let promise: Promise = request.call0(&gpu).ok()?.dyn_into().ok()?;
    let adapter = JsFuture::from(promise).await.ok().filter(|a| !a.is_null() && !a.is_undefined())?;
    let info = Reflect::get(&adapter, &"info".into()).unwrap_or(wasm_bindgen::JsValue::UNDEFINED);
    let field = |k: &str| Reflect::get(&info, &k.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    let description = [field("vendor"), field("architecture"), field("description")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let fallback = Reflect::get(&info, &"isFallbackAdapter".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false)
        || Reflect::get(&adapter, &"isFallbackAdapter".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    Some(GpuAdapter { description, fallback })
}
