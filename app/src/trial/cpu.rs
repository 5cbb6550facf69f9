//! The CPU engine a trial holds: the page's tract worker when tract runs the model, else an
//! onnxruntime-web session on its wasm backend. tract is tried first (it is already loaded and
//! validates everything); when it alone cannot run the model (an operator it lacks, control flow,
//! shapes it cannot analyse), the worker checks the file and the card without building the model,
//! onnxruntime-web prepares it, and one run on example inputs must give the outputs the card
//! describes. The [`Verdict`] records what each engine said.

use std::rc::Rc;

use assay_inference::card::{Reading, check_outputs};
use assay_inference::evaluation::{Prediction, predictions_of};
use assay_inference::pre::synthetic;
use assay_inference::protocol::EvaluationRun;
use assay_inference::report::Refusal;
use assay_inference::{Engine, IoSchema, Report, Tensor, Verdict};

use super::ort::{OrtSession, Provider};
use super::tract::{CpuError, LoadTicket, TractWorker};
use crate::clock::now_ms;
use crate::error::AppError;

/// The engine holding a trial's model on the CPU.
#[derive(Clone)]
pub enum CpuEngine {
    /// The page's tract worker, and this trial's load on it.
    Tract { worker: Rc<TractWorker>, ticket: LoadTicket },
    /// onnxruntime-web on its wasm backend, this trial's own session.
    Ort(Rc<OrtSession>),
}

/// A model loaded on a CPU engine.
pub struct Loaded {
    pub engine: CpuEngine,
    pub report: Report,
    pub verdict: Verdict,
    /// Validation and compilation.
    pub millis: f64,
}

impl CpuEngine {
    pub fn engine(&self) -> Engine {
        match self {
            CpuEngine::Tract { .. } => Engine::Tract,
            CpuEngine::Ort(_) => Engine::OrtWasm,
        }
    }

    /// Runs once; the time is the engine's own.
    pub async fn run(&self, inputs: Vec<Tensor>) -> Result<(Vec<Tensor>, f64), AppError> {
        match self {
            CpuEngine::Tract { worker, .. } => Ok(worker.run(inputs).await?),
            CpuEngine::Ort(session) => session.run(&inputs).await,
        }
    }

    /// Runs `runs` times back to back; each run's time.
    pub async fn bench(&self, inputs: Vec<Tensor>, runs: u32) -> Result<Vec<f64>, AppError> {
        match self {
            CpuEngine::Tract { worker, .. } => Ok(worker.bench(inputs, runs).await?),
            CpuEngine::Ort(session) => {
                let mut millis = Vec::with_capacity(runs as usize);
                for _ in 0..runs {
                    millis.push(session.run(&inputs).await?.1);
                }
                Ok(millis)
            }
        }
    }

    /// One chunk of an evaluation: each run (`batch` rows, `keep` of them samples) through the
    /// model, each sample's prediction read as `reading` says; the runs' time. The worker reads
    /// the predictions where it runs them; onnxruntime-web's outputs are read here, the same way.
    pub async fn evaluate(
        &self,
        runs: Vec<EvaluationRun>,
        batch: usize,
        reading: &Reading,
    ) -> Result<(Vec<Prediction>, f64), AppError> {
        match self {
            CpuEngine::Tract { worker, .. } => Ok(worker.evaluate(runs, batch, reading.clone()).await?),
            CpuEngine::Ort(session) => {
                let (mut predictions, mut millis) = (Vec::new(), 0.0);
                for run in runs {
                    let (outputs, ms) = session.run(&run.inputs).await?;
                    millis += ms;
                    predictions.extend(predictions_of(reading, &outputs, batch, run.keep).map_err(AppError::Invalid)?);
                }
                Ok((predictions, millis))
            }
        }
    }

    /// Whether the engine has stopped (only the worker can: a crash, a time-out).
    pub fn is_dead(&self) -> bool {
        matches!(self, CpuEngine::Tract { worker, .. } if worker.is_dead())
    }
}

/// Loads `bytes` for `io` on a CPU engine; `progress` is told what is being tried. A refusal of
/// the file or of the card holds for every engine and is returned as it is; when no CPU engine
/// runs the model the error says, in words, why each cannot.
pub async fn load(
    worker: Rc<TractWorker>,
    bytes: &[u8],
    io: &IoSchema,
    progress: impl Fn(&str),
) -> Result<Loaded, AppError> {
    match worker.load(bytes, io).await {
        Ok((report, millis, ticket)) => {
            let verdict = Verdict::from_report(&report).with_tract(Ok(()));
            Ok(Loaded { engine: CpuEngine::Tract { worker, ticket }, report, verdict, millis })
        }
        Err(CpuError::Refused(refusal)) if refusal.tract_only() => {
            progress("tract cannot run it: trying onnxruntime-web on the CPU");
            let t0 = now_ms();
            let (session, report, verdict) = on_ort(&worker, bytes, io, &refusal).await?;
            Ok(Loaded { engine: CpuEngine::Ort(Rc::new(session)), report, verdict, millis: now_ms() - t0 })
        }
        Err(e) => Err(e.into()),
    }
}

/// Validates `bytes` for `io` as [`load`] does, keeping nothing (the listing flow): the report
/// and which engines run the model.
pub async fn validate(worker: &TractWorker, bytes: &[u8], io: &IoSchema) -> Result<(Report, Verdict), AppError> {
    match worker.validate(bytes, io).await {
        Ok(report) => {
            let verdict = Verdict::from_report(&report).with_tract(Ok(()));
            Ok((report, verdict))
        }
        Err(CpuError::Refused(refusal)) if refusal.tract_only() => {
            let (_, report, verdict) = on_ort(worker, bytes, io, &refusal).await?;
            Ok((report, verdict))
        }
        Err(e) => Err(e.into()),
    }
}

/// tract refused the model for a reason of its own: the worker checks the file and the card
/// without building it, then onnxruntime-web's wasm backend gets its chance.
async fn on_ort(
    worker: &TractWorker,
    bytes: &[u8],
    io: &IoSchema,
    refusal: &Refusal,
) -> Result<(OrtSession, Report, Verdict), AppError> {
    let report = worker.check(bytes, io).await?;
    let verdict = Verdict::from_report(&report).with_tract(Err(refusal));
    match ort_load(bytes, io).await {
        Ok(session) => Ok((session, report, verdict.with_ort(Engine::OrtWasm, Ok(())))),
        // The card against what the model gives: no engine would do better.
        Err(AppError::Refused(refusal)) => Err(AppError::Refused(refusal)),
        Err(e) => {
            let verdict = verdict.with_ort(Engine::OrtWasm, Err(e.sentence()));
            Err(AppError::Invalid(format!("{} Details: {}", verdict.sentence(), e.sentence())))
        }
    }
}

/// An onnxruntime-web wasm session for the model, proven on example inputs: the outputs the
/// card names come back with the shapes it describes.
async fn ort_load(bytes: &[u8], io: &IoSchema) -> Result<OrtSession, AppError> {
    let outputs = io.outputs.iter().map(|o| o.name.clone()).collect();
    let session = OrtSession::create(bytes, Provider::Wasm, outputs).await?;
    let inputs =
        io.inputs.iter().map(|spec| synthetic(spec, 1)).collect::<Result<Vec<_>, _>>().map_err(AppError::Invalid)?;
    let (out, _) = session.run(&inputs).await?;
    let resolved: Vec<(String, Vec<usize>)> = out.iter().map(|t| (t.name.clone(), t.shape.clone())).collect();
    check_outputs(io, &resolved).map_err(AppError::Refused)?;
    Ok(session)
}
