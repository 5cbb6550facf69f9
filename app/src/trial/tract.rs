//! The page's side of the tract Web Worker (`inference/worker`, built by Trunk as
//! `assay-tract-worker*.js` next to `index.html`, started only when a trial starts). Requests are
//! matched to answers by id; a worker that crashes (its `error` event) or does not answer in time
//! is terminated and every waiting request fails with a sentence — never a hang.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use assay_inference::protocol::{Envelope, Request, Response};
use assay_inference::{IoSchema, Refusal, Report, Tensor};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The worker's loader (`inference/worker/assay-tract-worker-loader.js`, copied by Trunk next to the worker's
/// unhashed `assay-tract-worker.js` and `_bg.wasm`).
pub const WORKER_URL: &str = "assay-tract-worker-loader.js";

/// How long the worker may take to start, and to validate + compile / run a model.
const START_MS: i32 = 60_000;
const LOAD_MS: i32 = 180_000;
const RUN_MS: i32 = 120_000;

/// Why the CPU engine gave no result.
#[derive(Clone, Debug, PartialEq)]
pub enum CpuError {
    /// Validation refused the model.
    Refused(Refusal),
    /// The engine failed (crash, timeout, run error), in words.
    Failed(String),
}

impl std::fmt::Display for CpuError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(r) => write!(f, "{r}"),
            Self::Failed(m) => write!(f, "{m}"),
        }
    }
}

type Waiters = Rc<RefCell<HashMap<u64, (Function, Function)>>>;

pub struct TractWorker {
    worker: Worker,
    waiters: Waiters,
    next_id: Cell<u64>,
    dead: Rc<RefCell<Option<String>>>,
    _onmessage: Closure<dyn FnMut(MessageEvent)>,
    _onerror: Closure<dyn FnMut(ErrorEvent)>,
}

fn fail_all(waiters: &Waiters, dead: &Rc<RefCell<Option<String>>>, worker: &Worker, message: String) {
    worker.terminate();
    *dead.borrow_mut() = Some(message.clone());
    for (_, (_, reject)) in waiters.borrow_mut().drain() {
        let _ = reject.call1(&JsValue::NULL, &message.clone().into());
    }
}

fn set_timeout(f: &Function, ms: i32) {
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(f, ms);
    }
}

impl TractWorker {
    /// Starts the worker at `url` (relative to the page) and waits until its wasm is running.
    pub async fn start(url: &str) -> Result<Rc<Self>, String> {
        let worker = Worker::new(url).map_err(|e| format!("The CPU engine could not start: {}", describe(&e)))?;
        let waiters: Waiters = Rc::new(RefCell::new(HashMap::new()));
        let dead = Rc::new(RefCell::new(None));
        let onmessage = {
            let waiters = waiters.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let json =
                    Reflect::get(&event.data(), &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default();
                if let Ok(envelope) = Envelope::<Response>::from_json(&json) {
                    if let Some((resolve, _)) = waiters.borrow_mut().remove(&envelope.id) {
                        let _ = resolve.call1(&JsValue::NULL, &json.into());
                    }
                }
            })
        };
        let onerror = {
            let (waiters, dead, worker) = (waiters.clone(), dead.clone(), worker.clone());
            Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                event.prevent_default();
                let what = event.message();
                let what = if what.is_empty() { "it stopped without a message".to_owned() } else { what };
                fail_all(&waiters, &dead, &worker, format!("The CPU engine (tract worker) crashed: {what}."));
            })
        };
        worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
        let this =
            Rc::new(Self { worker, waiters, next_id: Cell::new(1), dead, _onmessage: onmessage, _onerror: onerror });
        // The worker announces itself with id 0.
        match this.wait(0, START_MS, "start").await? {
            Response::Started => Ok(this),
            Response::Failed { message } => Err(format!("The CPU engine could not start: {message}")),
            other => Err(format!("The CPU engine started oddly: {other:?}")),
        }
    }

    /// Registers a waiter for `id` with a timeout, and awaits its answer.
    async fn wait(&self, id: u64, timeout_ms: i32, what: &str) -> Result<Response, String> {
        if let Some(message) = self.dead.borrow().clone() {
            return Err(message);
        }
        let waiters = self.waiters.clone();
        let promise = Promise::new(&mut |resolve, reject| {
            waiters.borrow_mut().insert(id, (resolve, reject));
        });
        let timeout = {
            let (waiters, dead, worker) = (self.waiters.clone(), self.dead.clone(), self.worker.clone());
            let what = what.to_owned();
            Closure::once_into_js(move || {
                if waiters.borrow().contains_key(&id) {
                    fail_all(
                        &waiters,
                        &dead,
                        &worker,
                        format!("The CPU engine did not {what} within {} s and was stopped.", timeout_ms / 1000),
                    );
                }
            })
        };
        set_timeout(timeout.unchecked_ref(), timeout_ms);
        let json = JsFuture::from(promise).await.map_err(|e| e.as_string().unwrap_or_else(|| describe(&e)))?;
        let json = json.as_string().unwrap_or_default();
        Envelope::<Response>::from_json(&json).map(|e| e.body)
    }

    async fn request(
        &self,
        body: Request,
        bytes: Option<&[u8]>,
        timeout_ms: i32,
        what: &str,
    ) -> Result<Response, String> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        let message = Object::new();
        let _ = Reflect::set(&message, &"json".into(), &Envelope { id, body }.to_json().into());
        let transfer = js_sys::Array::new();
        if let Some(bytes) = bytes {
            let array = Uint8Array::from(bytes);
            let buffer = array.buffer();
            let _ = Reflect::set(&message, &"bytes".into(), &buffer);
            transfer.push(&buffer);
        }
        let answer = self.wait(id, timeout_ms, what);
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| format!("The CPU engine could not be sent the request: {}", describe(&e)))?;
        answer.await
    }

    /// Validates and compiles the model; the worker keeps it for [`TractWorker::run`].
    pub async fn load(&self, bytes: &[u8], io: &IoSchema) -> Result<(Report, f64), CpuError> {
        match self.request(Request::Load { io: io.clone() }, Some(bytes), LOAD_MS, "compile the model").await {
            Ok(Response::Loaded { report, millis }) => Ok((report, millis)),
            Ok(Response::Refused { refusal }) => Err(CpuError::Refused(refusal)),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// Validates only (nothing kept).
    pub async fn validate(&self, bytes: &[u8], io: &IoSchema) -> Result<Report, CpuError> {
        match self.request(Request::Validate { io: io.clone() }, Some(bytes), LOAD_MS, "validate the model").await {
            Ok(Response::Loaded { report, .. }) => Ok(report),
            Ok(Response::Refused { refusal }) => Err(CpuError::Refused(refusal)),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// The model's structure and declared inputs/outputs, before it has a card: the file checks
    /// of validation (format, truncation, external data, operators, tensor sizes).
    pub async fn inspect(&self, bytes: &[u8]) -> Result<Report, CpuError> {
        match self.request(Request::Inspect, Some(bytes), LOAD_MS, "read the model").await {
            Ok(Response::Loaded { report, .. }) => Ok(report),
            Ok(Response::Refused { refusal }) => Err(CpuError::Refused(refusal)),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// Runs the loaded model; the time is measured inside the worker.
    pub async fn run(&self, inputs: Vec<Tensor>) -> Result<(Vec<Tensor>, f64), CpuError> {
        match self.request(Request::Run { inputs }, None, RUN_MS, "finish the run").await {
            Ok(Response::Outputs { outputs, millis }) => Ok((outputs, millis)),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// Runs the loaded model `runs` times in the worker; each run's time.
    pub async fn bench(&self, inputs: Vec<Tensor>, runs: u32) -> Result<Vec<f64>, CpuError> {
        match self.request(Request::Bench { inputs, runs }, None, RUN_MS * 5, "finish the benchmark").await {
            Ok(Response::Timings { millis }) => Ok(millis),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// Whether the worker has crashed or been stopped.
    pub fn is_dead(&self) -> bool {
        self.dead.borrow().is_some()
    }
}

impl Drop for TractWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

pub fn describe(e: &JsValue) -> String {
    if let Some(s) = e.as_string() {
        return s;
    }
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}
