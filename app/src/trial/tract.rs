//! The page's side of the tract Web Worker (`inference/worker`, built by Trunk as
//! `assay-tract-worker*.js` next to `index.html`, started only when a trial starts). Requests are
//! matched to answers by id; a worker that crashes (its `error` event) or does not answer in time
//! is terminated and every waiting request fails with a sentence — never a hang.
//!
//! The page keeps one worker for everything that needs the CPU engine ([`TractWorker::shared`]):
//! the trial panels, the listing wizard's inspection and validation, a new version's validation.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use assay_inference::card::Reading;
use assay_inference::evaluation::Prediction;
use assay_inference::protocol::{Envelope, EvaluationRun, Request, Response};
use assay_inference::{IoSchema, Report, Tensor, report::Refusal};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::error::{AppError, js_error_text};

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

/// A refusal stays a refusal ([`AppError::Refused`]); an engine that failed is the browser's
/// runtime failing ([`AppError::Browser`], its sentence kept).
impl From<CpuError> for AppError {
    fn from(error: CpuError) -> Self {
        match error {
            CpuError::Refused(refusal) => AppError::Refused(refusal),
            CpuError::Failed(message) => AppError::Browser(message),
        }
    }
}

/// Which [`TractWorker::load`] put the worker's model there. The worker keeps one model: a later
/// load (another trial panel's, on the shared worker) replaces it ([`TractWorker::holds`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadTicket(u64);

/// What [`TractWorker::shared`] holds between calls.
enum Shared {
    None,
    /// A start under way: `settled` resolves when it has finished, `outcome` is then its result.
    Starting {
        settled: Promise,
        outcome: Outcome,
    },
    Ready(Rc<TractWorker>),
}

type Outcome = Rc<RefCell<Option<Result<Rc<TractWorker>, AppError>>>>;

thread_local! {
    static SHARED: RefCell<Shared> = const { RefCell::new(Shared::None) };
}

/// Ends a shared start: records its outcome (an abandoned start, its future dropped, counts as
/// failed), frees the slot if it did not give a worker, and wakes whoever waits on it.
struct Settle {
    resolve: Option<Function>,
    outcome: Outcome,
}

impl Drop for Settle {
    fn drop(&mut self) {
        let result = self
            .outcome
            .borrow_mut()
            .get_or_insert_with(|| Err(AppError::Browser("The CPU engine's start was abandoned.".into())))
            .clone();
        SHARED.with_borrow_mut(|slot| {
            *slot = match result {
                Ok(worker) => Shared::Ready(worker),
                Err(_) => Shared::None,
            }
        });
        if let Some(resolve) = self.resolve.take() {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

type Waiters = Rc<RefCell<HashMap<u64, (Function, Function)>>>;

pub struct TractWorker {
    worker: Worker,
    waiters: Waiters,
    next_id: Cell<u64>,
    /// How many loads were sent: the last one's model is the worker's.
    loads: Cell<u64>,
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
    /// The page's worker: the one already started while it is alive, else a new one (after a crash
    /// or a timeout stopped it, or on first use). Callers that ask while it is starting wait for
    /// that start and share its outcome; a start that failed is not remembered, so the next call
    /// tries again. The worker keeps one compiled model: whoever runs one checks
    /// [`TractWorker::holds`] first.
    pub async fn shared() -> Result<Rc<Self>, AppError> {
        let pending = SHARED.with_borrow(|slot| match slot {
            Shared::Ready(worker) if !worker.is_dead() => Some(Ok(worker.clone())),
            Shared::Starting { settled, outcome } => Some(Err((settled.clone(), outcome.clone()))),
            _ => None,
        });
        match pending {
            Some(Ok(worker)) => return Ok(worker),
            Some(Err((settled, outcome))) => {
                let _ = JsFuture::from(settled).await;
                let result = outcome.borrow().clone();
                return result.unwrap_or_else(|| Err(AppError::Browser("The CPU engine did not start.".into())));
            }
            None => {}
        }
        let mut resolve = None;
        let settled = Promise::new(&mut |yes, _| resolve = Some(yes));
        let outcome: Outcome = Rc::new(RefCell::new(None));
        SHARED.with_borrow_mut(|slot| *slot = Shared::Starting { settled, outcome: outcome.clone() });
        let settle = Settle { resolve, outcome: outcome.clone() };
        let started = Self::start(WORKER_URL).await;
        *outcome.borrow_mut() = Some(started.clone());
        drop(settle);
        started
    }

    /// Starts a worker of its own at `url` (relative to the page) and waits until its wasm is
    /// running. Pages use [`TractWorker::shared`]; the benchmark times a standing start with this.
    pub async fn start(url: &str) -> Result<Rc<Self>, AppError> {
        let worker = Worker::new(url).map_err(|e| AppError::browser("The CPU engine could not start", &e))?;
        let waiters: Waiters = Rc::new(RefCell::new(HashMap::new()));
        let dead = Rc::new(RefCell::new(None));
        let onmessage = {
            let waiters = waiters.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let json =
                    Reflect::get(&event.data(), &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default();
                if let Ok(envelope) = Envelope::<Response>::from_json(&json)
                    && let Some((resolve, _)) = waiters.borrow_mut().remove(&envelope.id)
                {
                    let _ = resolve.call1(&JsValue::NULL, &json.into());
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
        let this = Rc::new(Self {
            worker,
            waiters,
            next_id: Cell::new(1),
            loads: Cell::new(0),
            dead,
            _onmessage: onmessage,
            _onerror: onerror,
        });
        // The worker announces itself with id 0.
        match this.wait(0, START_MS, "start").await.map_err(AppError::Browser)? {
            Response::Started => Ok(this),
            Response::Failed { message } => {
                Err(AppError::Browser(format!("The CPU engine could not start: {message}")))
            }
            other => Err(AppError::Browser(format!("The CPU engine started oddly: {other:?}"))),
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
        let json = JsFuture::from(promise)
            .await
            // Rejected by `fail_all` with its own sentence, kept as it is.
            .map_err(|e| {
                e.as_string().or_else(|| js_error_text(&e)).unwrap_or_else(|| format!("The CPU engine did not {what}."))
            })?;
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
            .map_err(|e| AppError::browser("The CPU engine could not be sent the request", &e).sentence())?;
        answer.await
    }

    /// Validates and compiles the model; the worker keeps it for [`TractWorker::run`] until the
    /// next load ([`TractWorker::holds`] says whether it still has it). A file the worker compiled
    /// earlier with the same card (a validation, an earlier load) is not compiled again.
    pub async fn load(&self, bytes: &[u8], io: &IoSchema) -> Result<(Report, f64, LoadTicket), CpuError> {
        let ticket = LoadTicket(self.loads.get() + 1);
        self.loads.set(ticket.0);
        let request = Request::Load { io: io.clone(), digest: digest(bytes).await };
        match self.request(request, Some(bytes), LOAD_MS, "compile the model").await {
            Ok(Response::Loaded { report, millis }) => Ok((report, millis, ticket)),
            Ok(Response::Refused { refusal }) => Err(CpuError::Refused(refusal)),
            Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
            Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
            Err(message) => Err(CpuError::Failed(message)),
        }
    }

    /// Validates; the worker keeps the compiled model for a following [`TractWorker::load`] of the
    /// same file and card.
    pub async fn validate(&self, bytes: &[u8], io: &IoSchema) -> Result<Report, CpuError> {
        let request = Request::Validate { io: io.clone(), digest: digest(bytes).await };
        reported(self.request(request, Some(bytes), LOAD_MS, "validate the model").await)
    }

    /// The file and the card checked against the model's declarations, without building it (for
    /// onnxruntime-web when tract cannot run the model); nothing kept.
    pub async fn check(&self, bytes: &[u8], io: &IoSchema) -> Result<Report, CpuError> {
        reported(self.request(Request::Check { io: io.clone() }, Some(bytes), LOAD_MS, "check the model").await)
    }

    /// The model's structure and declared inputs/outputs, before it has a card: the file checks
    /// of validation (format, truncation, external data, operators, tensor sizes).
    pub async fn inspect(&self, bytes: &[u8]) -> Result<Report, CpuError> {
        reported(self.request(Request::Inspect, Some(bytes), LOAD_MS, "read the model").await)
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

    /// One chunk of an evaluation on the loaded model: each run's predictions, read in the worker
    /// (only the predictions come back), and the runs' time.
    pub async fn evaluate(
        &self,
        runs: Vec<EvaluationRun>,
        batch: usize,
        reading: Reading,
    ) -> Result<(Vec<Prediction>, f64), CpuError> {
        let request = Request::Evaluate { runs, batch, reading };
        match self.request(request, None, RUN_MS, "finish the evaluation's samples").await {
            Ok(Response::Predictions { predictions, millis }) => Ok((predictions, millis)),
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

    /// Whether the model of the load that gave `ticket` is still the one this (live) worker runs:
    /// no load was sent after it.
    pub fn holds(&self, ticket: LoadTicket) -> bool {
        !self.is_dead() && self.loads.get() == ticket.0
    }
}

/// The file's SHA-256 (hex) by the browser's WebCrypto, at native speed, for the worker to know a
/// file it compiled before; `None` where WebCrypto is missing (a page not served securely): the
/// worker then compiles every time.
async fn digest(bytes: &[u8]) -> Option<String> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok()?;
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok().filter(|s| !s.is_undefined() && !s.is_null())?;
    let digest: Function = Reflect::get(&subtle, &"digest".into()).ok()?.dyn_into().ok()?;
    let promise: Promise = digest.call2(&subtle, &"SHA-256".into(), &Uint8Array::from(bytes)).ok()?.dyn_into().ok()?;
    Some(alloy_primitives::hex::encode(Uint8Array::new(&JsFuture::from(promise).await.ok()?).to_vec()))
}

/// The report of a request that checks a model and keeps nothing (check, inspect) or whose plan
/// the worker keeps aside (validate).
fn reported(answer: Result<Response, String>) -> Result<Report, CpuError> {
    match answer {
        Ok(Response::Loaded { report, .. }) => Ok(report),
        Ok(Response::Refused { refusal }) => Err(CpuError::Refused(refusal)),
        Ok(Response::Failed { message }) => Err(CpuError::Failed(message)),
        Ok(other) => Err(CpuError::Failed(format!("unexpected answer from the CPU engine: {other:?}"))),
        Err(message) => Err(CpuError::Failed(message)),
    }
}

impl Drop for TractWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
