//! The tract Web Worker. Messages are `{ json, bytes? }` (see `assay_inference::protocol`): the
//! worker validates and compiles a model (`load`; the last two compiled files the page gave a
//! digest for are kept, so the same file and card again reuses its plan:
//! `assay_inference::engine::Compiled`), validates (`validate`, which keeps its plan the same way
//! for a following `load`), reads a model's
//! structure without a card (`inspect`), runs the loaded session (`run`), times repeated runs
//! (`bench`) or runs an evaluation chunk and reads its predictions (`evaluate`), answering each with the request's id. It posts `started` once its wasm is up;
//! `assay-tract-worker-loader.js` starts it and reports a wasm that fails to start. A panic aborts
//! the worker's wasm: the page sees the worker's `error` event and reports a crash (and times out a
//! worker that hangs), so nothing here outlives one.

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;

    use assay_inference::engine::{Compiled, Loaded};
    use assay_inference::evaluation::predictions_of;
    use assay_inference::protocol::{Envelope, Request, Response};
    use assay_inference::{Limits, TractSession};
    use js_sys::{Object, Reflect, Uint8Array};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    /// How many compiled models the worker keeps for reuse (validation then the trial of the same
    /// file, a reload): each holds its weights.
    const KEPT: usize = 2;

    thread_local! {
        static SESSION: RefCell<Option<TractSession>> = const { RefCell::new(None) };
        static COMPILED: RefCell<Compiled> = RefCell::new(Compiled::new(KEPT));
    }

    /// Validates and compiles, or reuses the plan compiled earlier for the same file (`digest`)
    /// and card.
    fn compile(
        bytes: &[u8],
        digest: Option<&str>,
        io: &assay_inference::IoSchema,
    ) -> Result<Loaded, assay_inference::report::Refusal> {
        COMPILED.with(|c| c.borrow_mut().load(bytes, digest, io, &Limits::default()))
    }

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn now() -> f64 {
        scope().performance().map(|p| p.now()).unwrap_or(0.0)
    }

    fn post(id: u64, body: Response) {
        let message = Object::new();
        let json = Envelope { id, body }.to_json();
        let _ = Reflect::set(&message, &"json".into(), &json.into());
        let _ = scope().post_message(&message);
    }

    fn handle(data: JsValue) {
        let json = Reflect::get(&data, &"json".into()).ok().and_then(|j| j.as_string()).unwrap_or_default();
        let envelope = match Envelope::<Request>::from_json(&json) {
            Ok(e) => e,
            Err(message) => return post(0, Response::Failed { message }),
        };
        let bytes = || {
            Reflect::get(&data, &"bytes".into())
                .ok()
                .filter(|b| !b.is_undefined() && !b.is_null())
                .map(|b| Uint8Array::new(&b).to_vec())
                .unwrap_or_default()
        };
        let id = envelope.id;
        let response = match envelope.body {
            Request::Load { io, digest } => {
                let started = now();
                SESSION.with(|s| s.borrow_mut().take());
                match compile(&bytes(), digest.as_deref(), &io) {
                    Ok(Loaded { session, report, .. }) => {
                        SESSION.with(|s| *s.borrow_mut() = Some(session));
                        Response::Loaded { report, millis: now() - started }
                    }
                    Err(refusal) => Response::Refused { refusal },
                }
            }
            Request::Validate { io, digest } => {
                let started = now();
                match compile(&bytes(), digest.as_deref(), &io) {
                    Ok(Loaded { report, .. }) => Response::Loaded { report, millis: now() - started },
                    Err(refusal) => Response::Refused { refusal },
                }
            }
            Request::Check { io } => {
                let started = now();
                let checked = assay_inference::validate::inspect(&bytes(), &Limits::default()).and_then(|inspected| {
                    assay_inference::validate::check_io(&inspected.report, &inspected.proto, &io)?;
                    Ok(inspected.report)
                });
                match checked {
                    Ok(report) => Response::Loaded { report, millis: now() - started },
                    Err(refusal) => Response::Refused { refusal },
                }
            }
            Request::Inspect => {
                let started = now();
                match assay_inference::validate::inspect(&bytes(), &Limits::default()) {
                    Ok(inspected) => Response::Loaded { report: inspected.report, millis: now() - started },
                    Err(refusal) => Response::Refused { refusal },
                }
            }
            Request::Run { inputs } => SESSION.with(|s| match s.borrow().as_ref() {
                None => Response::Failed { message: "No model is loaded in the CPU engine.".into() },
                Some(session) => {
                    let started = now();
                    match session.run(&inputs) {
                        Ok(outputs) => Response::Outputs { outputs, millis: now() - started },
                        Err(message) => Response::Failed { message },
                    }
                }
            }),
            Request::Evaluate { runs, batch, reading } => SESSION.with(|s| match s.borrow().as_ref() {
                None => Response::Failed { message: "No model is loaded in the CPU engine.".into() },
                Some(session) => {
                    let started = now();
                    let mut predictions = Vec::new();
                    for run in runs {
                        let read = session
                            .run(&run.inputs)
                            .and_then(|outputs| predictions_of(&reading, &outputs, batch, run.keep));
                        match read {
                            Ok(read) => predictions.extend(read),
                            Err(message) => return Response::Failed { message },
                        }
                    }
                    Response::Predictions { predictions, millis: now() - started }
                }
            }),
            Request::Bench { inputs, runs } => SESSION.with(|s| match s.borrow().as_ref() {
                None => Response::Failed { message: "No model is loaded in the CPU engine.".into() },
                Some(session) => {
                    let mut millis = Vec::with_capacity(runs as usize);
                    for _ in 0..runs {
                        let started = now();
                        if let Err(message) = session.run(&inputs) {
                            return Response::Failed { message };
                        }
                        millis.push(now() - started);
                    }
                    Response::Timings { millis }
                }
            }),
        };
        post(id, response);
    }

    pub fn start() {
        console_error_panic_hook::set_once();
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| handle(event.data()));
        scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        onmessage.forget();
        post(0, Response::Started);
    }
}

fn main() {
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
