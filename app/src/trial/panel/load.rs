//! Start trial: fetch the model (and its class labels) while the CPU engine (the page's shared
//! tract worker) starts, validate and compile — each step's progress shown. [`prewarm`] starts the
//! engine as soon as a panel is shown.

use std::rc::Rc;

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::{Cid, Progress};
use assay_core::units::format_bytes;
use assay_inference::IoSchema;
use assay_inference::card::{Labels, OutputKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::steps::Step;
use super::{ModelSource, Trial};
use crate::clock::now_ms;
use crate::error::AppError;
use crate::ipfs::{Ipfs, Keeping};
use crate::trial::cpu;
use crate::trial::engine_label;
use crate::trial::tract::TractWorker;

/// Loads the model (again, on "Reload the model"), unless the panel is busy.
pub(super) fn start(trial: Trial, source: ModelSource, config: Option<RuntimeConfig>) {
    if trial.busy.get_untracked() {
        return;
    }
    trial.busy.set(true);
    trial.ready.set(false);
    trial.error.set(None);
    trial.cache_note.set(None);
    trial.report.set(None);
    trial.steps.reset();
    spawn_local(async move {
        if let Err((step, error)) = load(trial, source, config).await {
            trial.fail(step, error);
        }
    });
}

async fn load(trial: Trial, source: ModelSource, config: Option<RuntimeConfig>) -> Result<(), (Step, AppError)> {
    let Trial { steps, held, .. } = trial;
    let io = held.io.get_value();

    // The engine starts while the model downloads (usually already started by the panel, see
    // `prewarm`); step 2 then waits only for what is left of its start.
    spawn_local(async {
        let _ = TractWorker::shared().await;
    });

    // 1. Fetch (and class labels stored by CID).
    steps.running(Step::Fetch, "starting");
    let t0 = now_ms();
    let progress =
        move |p: Progress| steps.running(Step::Fetch, format!("{} of {}", format_bytes(p.done), format_bytes(p.total)));
    let (bytes, keeping) = fetch_model(source, config.as_ref(), progress).await.map_err(|e| (Step::Fetch, e))?;
    if let Some(keeping) = keeping {
        spawn_local(async move {
            if let Err(e) = keeping.kept_offline().await {
                trial
                    .cache_note
                    .set(Some(format!("The model was verified and is used, but not kept for offline use: {e}")));
            }
        });
    }
    held.labels.set_value(fetch_labels(&io, config.as_ref()).await.map_err(|e| (Step::Fetch, e))?);
    steps.done(Step::Fetch, format!("{} in {:.0} ms", format_bytes(bytes.len() as u64), now_ms() - t0));

    // 2. Engine start (the worker's wasm is not part of the page; later trials reuse the worker).
    steps.running(Step::Engine, "loading tract");
    let t1 = now_ms();
    let worker = TractWorker::shared().await.map_err(|e| (Step::Engine, e))?;
    steps.done(Step::Engine, format!("tract worker in {:.0} ms", now_ms() - t1));

    // 3. Validate + compile: on tract, else on onnxruntime-web's wasm backend.
    steps.running(Step::Compile, "validating");
    held.cpu.set_value(None);
    held.gpu.set_value(None);
    held.gpu_checked.set_value(None);
    trial.engines.verdict.set(None);
    let progress = move |what: &str| steps.running(Step::Compile, what.to_owned());
    let loaded = cpu::load(worker, &bytes, &io, progress).await.map_err(|e| (Step::Compile, e))?;
    let on = engine_label(loaded.engine.engine());
    let millis = loaded.millis;
    steps.done(
        Step::Compile,
        format!("{} operators, compiled in {millis:.0} ms on {on}", loaded.report.operators.len()),
    );
    trial.report.set(Some(loaded.report));
    trial.engines.verdict.set(Some(loaded.verdict));
    held.cpu.set_value(Some(loaded.engine));
    held.model.set_value(Some(Rc::new(bytes)));
    trial.ready.set(true);
    trial.busy.set(false);
    Ok(())
}

/// The model's bytes, and for an IPFS download its cache commit, which can still fail (a full
/// disk, say): the trial goes on, but the next visit downloads the file again.
pub(crate) async fn fetch_model(
    source: ModelSource,
    config: Option<&RuntimeConfig>,
    progress: impl Fn(Progress) + 'static,
) -> Result<(Vec<u8>, Option<Keeping>), AppError> {
    match source {
        ModelSource::Bytes(bytes) => Ok((bytes.as_ref().clone(), None)),
        ModelSource::Ipfs(cid) => {
            let config = config.ok_or_else(no_ipfs)?;
            let fetched = Ipfs::new(&config.ipfs).fetch_detailed(&cid, progress).await?;
            Ok((fetched.bytes.to_vec(), Some(fetched.keeping)))
        }
        ModelSource::Url(url) => {
            let failed = |e: gloo_net::Error| AppError::Browser(format!("The model could not be fetched: {url}: {e}"));
            let response = gloo_net::http::Request::get(&url).send().await.map_err(failed)?;
            if !response.ok() {
                return Err(AppError::Browser(format!(
                    "The model could not be fetched: {url}: HTTP {}",
                    response.status()
                )));
            }
            let bytes = response.binary().await.map_err(failed)?;
            progress(Progress { done: bytes.len() as u64, total: bytes.len() as u64 });
            Ok((bytes, None))
        }
    }
}

/// Each output's class labels: inline in the card, or a JSON list stored by CID (empty for an
/// output without labels).
async fn fetch_labels(io: &IoSchema, config: Option<&RuntimeConfig>) -> Result<Vec<Vec<String>>, AppError> {
    let mut all = Vec::with_capacity(io.outputs.len());
    for output in &io.outputs {
        let labels = match &output.kind {
            OutputKind::Classification { labels: Labels::Inline(labels), .. } => labels.clone(),
            OutputKind::Classification { labels: Labels::Cid(text), .. } => {
                let cid = text.parse::<Cid>().map_err(|e| {
                    AppError::Invalid(format!("The class labels could not be fetched: {text:?} is not a CID: {e}"))
                })?;
                let config = config.ok_or_else(no_ipfs)?;
                Ipfs::new(&config.ipfs).fetch_json::<Vec<String>>(&cid).await?
            }
            _ => Vec::new(),
        };
        all.push(labels);
    }
    Ok(all)
}

fn no_ipfs() -> AppError {
    AppError::Invalid("This page has no IPFS configuration.".into())
}

/// How long after a panel appears the CPU engine starts: after the page's own first load.
const PREWARM_AFTER_MS: u32 = 1_000;

/// Starts the page's CPU engine in the background once a trial panel is on screen, so that Start
/// trial finds it running: its wasm (3.8 MB compressed, cached by the browser after the first
/// visit) downloads and compiles while the person reads the page. Skipped when the browser asks
/// to save data; a start that fails here is tried again by Start trial.
pub(super) fn prewarm() {
    let save_data = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"connection".into()).ok())
        .filter(|c| !c.is_undefined() && !c.is_null())
        .and_then(|c| js_sys::Reflect::get(&c, &"saveData".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if save_data {
        return;
    }
    spawn_local(async {
        gloo_timers::future::TimeoutFuture::new(PREWARM_AFTER_MS).await;
        let _ = TractWorker::shared().await;
    });
}
