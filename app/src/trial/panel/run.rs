//! Run and Time: the inputs read into tensors, run on the engine chosen for the loaded model
//! ([`super::engine`]), interpreted for the card's outputs. The GPU's first result on a model is
//! cross-checked on the CPU engine that holds it; tract is the page's shared worker, which gets
//! this panel's model back when another trial loaded its own.

use std::rc::Rc;

use assay_inference::Tensor;
use assay_inference::post::{Shown, interpret};
use assay_inference::tensor::{CrossCheck, cross_check};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Trial;
use super::results::{Outcome, Timing};
use super::steps::Step;
use crate::clock::now_ms;
use crate::error::AppError;
use crate::trial::cpu::CpuEngine;
use crate::trial::ort::{OrtSession, Provider};
use crate::trial::{Engine, engine_label, processor};
use crate::ui::components::progress::StepState;

/// Largest absolute difference between GPU and CPU outputs still taken as agreement.
pub const CROSS_CHECK_TOLERANCE: f64 = 1e-3;

/// One run's outputs, the engine whose they are, its time, and what to say about them.
struct Ran {
    engine: Engine,
    outputs: Vec<Tensor>,
    millis: f64,
    note: Option<String>,
}

/// Runs the loaded model on the inputs given, on the engine chosen now; the result goes first in
/// the list, a failure under the Run step.
pub(super) fn run(trial: Trial) {
    let Some(inputs) = ready_inputs(trial) else { return };
    trial.busy.set(true);
    let gpu = trial.engines.now().is_some_and(|choice| choice.engine == Engine::OrtWebGpu);
    spawn_local(async move {
        let Trial { steps, held, .. } = trial;
        let fed = inputs.clone();
        let ran = if gpu { run_on_gpu(trial, inputs).await } else { run_on_cpu(trial, inputs).await };
        match ran.and_then(|ran| Ok((interpretation(trial, &ran.outputs)?, ran))) {
            Ok((shown, Ran { engine, outputs, millis, note })) => {
                steps.done(Step::Run, format!("{millis:.1} ms on the {}", processor(engine)));
                let tensors = serde_json::json!({ "inputs": fed, "outputs": outputs }).to_string();
                trial.outcomes.update(|o| o.insert(0, Outcome { engine, millis, shown, note, tensors }));
            }
            Err(e) => {
                steps.set(Step::Run, StepState::Failed(e.sentence()));
                trial.error.set(Some(e));
                if held.cpu.with_value(|cpu| cpu.as_ref().is_none_or(CpuEngine::is_dead)) {
                    trial.ready.set(false);
                }
            }
        }
        trial.busy.set(false);
    });
}

/// The current inputs as tensors when a run can start: nothing running, the trial started and its
/// CPU engine held; the last error is cleared, and an input that can't be read is the new one.
fn ready_inputs(trial: Trial) -> Option<Vec<Tensor>> {
    if trial.busy.get_untracked() || !trial.ready.get_untracked() {
        return None;
    }
    trial.error.set(None);
    let inputs = trial.gather().map_err(|e| trial.error.set(Some(e))).ok()?;
    trial.held.cpu.with_value(Option::is_some).then_some(inputs)
}

/// Time: the loaded model run `runs` times back to back on its CPU engine, on the current inputs.
pub(super) fn time(trial: Trial, runs: &str) {
    let runs = runs.trim().parse::<u32>().unwrap_or(20).clamp(1, 10_000);
    let Some(inputs) = ready_inputs(trial) else { return };
    trial.busy.set(true);
    trial.timing.set(None);
    spawn_local(async move {
        let timed = async {
            let millis = cpu_with_model(trial).await?.bench(inputs, runs).await?;
            Timing::of(millis).ok_or_else(|| AppError::Invalid("The CPU engine timed no runs.".into()))
        };
        match timed.await {
            Ok(timing) => trial.timing.set(Some(timing)),
            Err(e) => trial.error.set(Some(e)),
        }
        trial.busy.set(false);
    });
}

/// The outputs as the card says to show them.
fn interpretation(trial: Trial, outputs: &[Tensor]) -> Result<Vec<Shown>, AppError> {
    let labels = trial.held.labels.get_value();
    trial.held.io.with_value(|io| {
        io.outputs
            .iter()
            .zip(outputs)
            .enumerate()
            .map(|(i, (spec, t))| interpret(t, spec, labels.get(i).map(Vec::as_slice).unwrap_or(&[])))
            .collect::<Result<_, _>>()
            .map_err(AppError::Invalid)
    })
}

fn no_model() -> AppError {
    AppError::Invalid("No model is loaded.".into())
}

/// The CPU engine holding this panel's model. The tract worker is the page's: when another
/// trial has loaded its model since, this one is compiled again first. A worker that has stopped
/// is returned as it is: its run fails with the reason it stopped, and the panel asks for a
/// reload. An onnxruntime-web session is the panel's own.
async fn cpu_with_model(trial: Trial) -> Result<CpuEngine, AppError> {
    let Trial { steps, held, .. } = trial;
    let cpu = held.cpu.get_value().ok_or_else(no_model)?;
    let CpuEngine::Tract { worker, ticket } = &cpu else { return Ok(cpu) };
    if worker.holds(*ticket) || worker.is_dead() {
        return Ok(cpu);
    }
    steps.running(Step::Compile, "compiling again (another trial used the engine)");
    let bytes = held.model.get_value().ok_or_else(no_model)?;
    let io = held.io.get_value();
    let (_, millis, ticket) = worker.load(&bytes, &io).await?;
    steps.done(Step::Compile, format!("compiled again in {millis:.0} ms"));
    let cpu = CpuEngine::Tract { worker: worker.clone(), ticket };
    held.cpu.set_value(Some(cpu.clone()));
    Ok(cpu)
}

async fn run_on_cpu(trial: Trial, inputs: Vec<Tensor>) -> Result<Ran, AppError> {
    let cpu = cpu_with_model(trial).await?;
    trial.steps.running(Step::Run, format!("running on {}", engine_label(cpu.engine())));
    let (outputs, millis) = cpu.run(inputs).await?;
    Ok(Ran { engine: cpu.engine(), outputs, millis, note: None })
}

/// A run on the GPU engine: onnxruntime-web (WebGPU) is loaded and the session compiled on first
/// use. Until the GPU has agreed with the CPU once on this model, the CPU runs the same inputs and
/// a disagreement shows the CPU's result, saying so.
async fn run_on_gpu(trial: Trial, inputs: Vec<Tensor>) -> Result<Ran, AppError> {
    let Trial { steps, held, .. } = trial;
    let session = match held.gpu.get_value() {
        Some(session) => session,
        None => {
            steps.running(Step::Engine, "loading onnxruntime-web (WebGPU)");
            let t0 = now_ms();
            let bytes = held.model.get_value().ok_or_else(no_model)?;
            let outputs = held.io.with_value(|io| io.outputs.iter().map(|o| o.name.clone()).collect());
            let session = match OrtSession::create(&bytes, Provider::WebGpu, outputs).await {
                Ok(session) => Rc::new(session),
                Err(e) => {
                    steps.set(Step::Engine, StepState::Failed(e.sentence()));
                    return Err(e);
                }
            };
            steps.done(Step::Engine, format!("onnxruntime-web WebGPU session in {:.0} ms", now_ms() - t0));
            held.gpu.set_value(Some(session.clone()));
            session
        }
    };
    steps.running(Step::Run, "running on the GPU");
    let (gpu_out, gpu_ms) = session.run(&inputs).await?;
    if held.gpu_checked.get_value() == Some(true) {
        return Ok(Ran { engine: Engine::OrtWebGpu, outputs: gpu_out, millis: gpu_ms, note: None });
    }
    steps.running(Step::Run, "cross-checking on the CPU");
    let cpu = cpu_with_model(trial).await?;
    let (cpu_out, cpu_ms) = cpu.run(inputs).await?;
    match cross_check(&gpu_out, &cpu_out, CROSS_CHECK_TOLERANCE) {
        CrossCheck::Agree { worst } => {
            held.gpu_checked.set_value(Some(true));
            let note = format!("Cross-checked on the CPU: outputs agree (largest difference {worst:.1e}).");
            Ok(Ran { engine: Engine::OrtWebGpu, outputs: gpu_out, millis: gpu_ms, note: Some(note) })
        }
        CrossCheck::Differ { detail, .. } => {
            held.gpu_checked.set_value(Some(false));
            let note =
                format!("GPU result differs from CPU — showing CPU ({detail}; tolerance {CROSS_CHECK_TOLERANCE:e}).");
            Ok(Ran { engine: cpu.engine(), outputs: cpu_out, millis: cpu_ms, note: Some(note) })
        }
    }
}
