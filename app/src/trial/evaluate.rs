//! A claim recomputed in the browser: the evaluation bundle fetched by its CID (the manifest,
//! then each array, every byte verified against its CID, then checked by `Bundle::new`), the
//! model loaded on the CPU engine (batched through its free first axis where the card names one,
//! else one sample a run), and the samples run in chunks paced by `evaluation::Pace`, with
//! progress after each chunk and a stop between chunks ([`evaluate`]: the model's bytes on a bundle
//! already in memory, for the model page's Reproduce and the listing wizard's Compute alike). The maths is `assay_inference::evaluation`.

use std::collections::BTreeMap;
use std::rc::Rc;

use assay_core::ipfs::Cid;
use assay_inference::card::Evaluation;
use assay_inference::evaluation::{
    Batching, Bundle, BundleLimits, Chunk, Manifest, Pace, Prediction, Tally, Truth, batching, sample_inputs, stack,
};
use assay_inference::pre::synthetic;
use assay_inference::protocol::EvaluationRun;
use assay_inference::{Engine, IoSchema};

use super::cpu::{self, CpuEngine};
use super::ort::{OrtSession, Provider};
use super::tract::TractWorker;
use crate::clock::now_ms;
use crate::error::AppError;
use crate::ipfs::Ipfs;

/// The most bytes a manifest may have.
const MANIFEST_BYTES: u64 = 1 << 20;

/// Why an evaluation gave no predictions: the person stopped it, or something failed.
#[derive(Clone, Debug, PartialEq)]
pub enum Stopped {
    Cancelled,
    Failed(AppError),
}

impl From<AppError> for Stopped {
    fn from(error: AppError) -> Self {
        Stopped::Failed(error)
    }
}

/// Where the bundle's download stands.
#[derive(Clone, Debug, PartialEq)]
pub enum BundleStep {
    Manifest,
    /// Array file `index` of `files` (each verified against its CID).
    Array {
        index: usize,
        files: usize,
    },
}

/// The bundle `cid`: its manifest read and checked, each array fetched by the CID the manifest
/// gives and verified, and the whole checked against the manifest.
pub async fn fetch_bundle(ipfs: &Ipfs, cid: &Cid, step: impl Fn(BundleStep)) -> Result<Bundle, AppError> {
    let limits = BundleLimits::default();
    step(BundleStep::Manifest);
    let mut small = ipfs.clone();
    small.max_bytes = MANIFEST_BYTES;
    let text = small.fetch(cid, |_| {}).await?;
    let text =
        String::from_utf8(text).map_err(|_| AppError::Invalid("The evaluation set's manifest is not text.".into()))?;
    let manifest = Manifest::from_json(&text, &limits).map_err(|e| AppError::Invalid(sentence(e)))?;
    let cids: Vec<String> =
        manifest.cids().map_err(|e| AppError::Invalid(sentence(e)))?.into_iter().map(str::to_owned).collect();
    let mut files = BTreeMap::new();
    for (index, text) in cids.iter().enumerate() {
        step(BundleStep::Array { index, files: cids.len() });
        let array = text.parse::<Cid>().map_err(|e| {
            AppError::Invalid(format!("The evaluation set names {text:?} for an array, which is not a CID: {e}."))
        })?;
        // No array file is larger than the bundle's own limit.
        let mut sized = ipfs.clone();
        sized.max_bytes = limits.max_bytes;
        files.insert(text.clone(), sized.fetch(&array, |_| {}).await?);
    }
    Bundle::new(manifest, &files).map_err(|e| AppError::Invalid(sentence(e)))
}

/// A bundle's refusal as a sentence.
pub(crate) fn sentence(error: impl std::fmt::Display) -> String {
    let text = error.to_string();
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

/// The model loaded to evaluate: the engine, and how samples go through it.
pub struct Evaluator {
    engine: CpuEngine,
    pub batching: Batching,
    /// What was loaded, to load it again when another trial has used the shared worker since.
    bytes: Rc<Vec<u8>>,
    loaded_io: IoSchema,
}

impl Evaluator {
    /// Loads `bytes` on the page's CPU engine, batched where the card allows it; a model that
    /// refuses the batch (a fixed size inside it) is loaded one sample a run instead.
    pub async fn load(bytes: Rc<Vec<u8>>, io: &IoSchema) -> Result<Self, AppError> {
        let worker: Rc<TractWorker> = TractWorker::shared().await?;
        let batched = batching(io);
        if batched != Batching::OneByOne
            && let Ok(batched_io) = batched.io(io)
            && let Ok(loaded) = cpu::load(worker.clone(), &bytes, &batched_io, |_| {}).await
        {
            return Ok(Self { engine: loaded.engine, batching: batched, bytes, loaded_io: batched_io });
        }
        let loaded = cpu::load(worker, &bytes, io, |_| {}).await?;
        Ok(Self { engine: loaded.engine, batching: Batching::OneByOne, bytes, loaded_io: io.clone() })
    }

    /// Loads `bytes` on onnxruntime-web's wasm backend alone, batched as [`Evaluator::load`]
    /// batches it where one batched run on example inputs succeeds, else one sample a run (the
    /// benchmark's side-by-side comparison).
    pub async fn load_on_ort(bytes: Rc<Vec<u8>>, io: &IoSchema) -> Result<Self, AppError> {
        super::ort::load().await?;
        let outputs: Vec<String> = io.outputs.iter().map(|o| o.name.clone()).collect();
        let session = Rc::new(OrtSession::create(&bytes, Provider::Wasm, outputs).await?);
        let batched = batching(io);
        if batched != Batching::OneByOne
            && let Ok(batched_io) = batched.io(io)
            && let Ok(inputs) = batched_io.inputs.iter().map(|spec| synthetic(spec, 1)).collect::<Result<Vec<_>, _>>()
            && session.run(&inputs).await.is_ok()
        {
            return Ok(Self { engine: CpuEngine::Ort(session), batching: batched, bytes, loaded_io: batched_io });
        }
        Ok(Self { engine: CpuEngine::Ort(session), batching: Batching::OneByOne, bytes, loaded_io: io.clone() })
    }

    pub fn engine(&self) -> Engine {
        self.engine.engine()
    }

    /// The engine with this model: the shared tract worker is compiled again when another trial
    /// loaded its model since (checked just before each chunk is sent, nothing in between).
    async fn with_model(&mut self) -> Result<CpuEngine, AppError> {
        if let CpuEngine::Tract { worker, ticket } = &self.engine
            && !worker.holds(*ticket)
            && !worker.is_dead()
        {
            let worker = worker.clone();
            let (_, _, ticket) = worker.load(&self.bytes, &self.loaded_io).await?;
            self.engine = CpuEngine::Tract { worker, ticket };
        }
        Ok(self.engine.clone())
    }

    /// Every sample's prediction, in chunks: `progress` after each (the time is the page's
    /// clock, inputs and messages included), `cancelled` asked before each.
    pub async fn run(
        &mut self,
        bundle: &Bundle,
        evaluation: &Evaluation,
        io: &IoSchema,
        cancelled: impl Fn() -> bool,
        progress: impl Fn(Tally),
    ) -> Result<Vec<Prediction>, Stopped> {
        let total = bundle.manifest.samples;
        let batch = self.batching.size();
        let (mut pace, mut predictions, started) = (Pace::default(), Vec::with_capacity(total), now_ms());
        progress(Tally { done: 0, total, millis: 0.0 });
        while let Some(chunk) = Chunk::next(predictions.len(), total, batch, pace.runs()) {
            if cancelled() {
                return Err(Stopped::Cancelled);
            }
            let t0 = now_ms();
            let runs = chunk
                .runs()
                .map(|run| {
                    let samples =
                        run.clone().map(|i| sample_inputs(bundle, evaluation, io, i)).collect::<Result<Vec<_>, _>>()?;
                    Ok(EvaluationRun { inputs: stack(&samples, batch)?, keep: run.len() })
                })
                .collect::<Result<Vec<_>, String>>()
                .map_err(AppError::Invalid)?;
            let count = runs.len();
            let engine = self.with_model().await?;
            let (read, _) = engine.evaluate(runs, batch, &evaluation.read).await?;
            if read.len() != chunk.samples.len() {
                return Err(Stopped::Failed(AppError::Invalid(format!(
                    "The CPU engine gave {} predictions for {} samples.",
                    read.len(),
                    chunk.samples.len()
                ))));
            }
            predictions.extend(read);
            pace = pace.after(count, now_ms() - t0);
            progress(Tally { done: predictions.len(), total, millis: now_ms() - started });
        }
        Ok(predictions)
    }
}

/// What an evaluation gave: every sample's prediction, the bundle's truth, and the engine.
pub struct Evaluated {
    pub predictions: Vec<Prediction>,
    pub truth: Truth,
    pub engine: Engine,
}

/// The model `bytes` loaded and every sample of `bundle` run as `evaluation` says; the truth
/// read (class indices checked against the classes the model scores). `said` hears each step
/// in words (loading, then samples done, samples/s and time left); `cancelled` is asked before
/// each chunk.
pub async fn evaluate(
    bytes: Rc<Vec<u8>>,
    io: &IoSchema,
    bundle: &Bundle,
    evaluation: &Evaluation,
    cancelled: impl Fn() -> bool,
    said: impl Fn(String) + Clone + 'static,
) -> Result<Evaluated, Stopped> {
    said("loading the model on the CPU".into());
    let mut evaluator = Evaluator::load(bytes, io).await?;
    let engine = evaluator.engine();
    let progress = move |tally: Tally| said(tally.words());
    let predictions = evaluator.run(bundle, evaluation, io, cancelled, progress).await?;
    let classes = predictions.first().and_then(|p| match p {
        Prediction::Class { scores, .. } => Some(scores.len()),
        Prediction::Value(_) => None,
    });
    let truth = Truth::of(bundle, evaluation, classes).map_err(|e| AppError::Invalid(format!("{e}.")))?;
    Ok(Evaluated { predictions, truth, engine })
}
