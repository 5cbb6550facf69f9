//! Which engines run a model, and which one a trial uses. Three engines can run a trial in the
//! browser: tract on the CPU (in the worker), onnxruntime-web's wasm backend on the CPU, and
//! onnxruntime-web's WebGPU backend. A model is accepted when at least one **CPU** engine runs it
//! against its declared I/O (a CPU engine is always there to check a GPU result against).
//!
//! The verdict starts from inspection ([`Verdict::from_report`]: tract cannot run operators it does
//! not implement), then records each engine's try ([`Verdict::with_tract`], [`Verdict::with_ort`]);
//! [`choose_engine`] picks the engine for a run from the verdict, the browser's GPU and the
//! person's preference, and says which second engine can cross-check it. Plain data; the page does
//! the tries.

use serde::{Deserialize, Serialize};

use crate::report::{Refusal, Report};

/// An engine that runs trials.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Engine {
    /// tract, on the CPU, in the Web Worker.
    Tract,
    /// onnxruntime-web's wasm backend, on the CPU.
    OrtWasm,
    /// onnxruntime-web's WebGPU backend.
    OrtWebGpu,
}

impl Engine {
    pub const ALL: [Engine; 3] = [Engine::Tract, Engine::OrtWasm, Engine::OrtWebGpu];

    /// The engine's name as the page shows it.
    pub fn label(self) -> &'static str {
        match self {
            Engine::Tract => "the CPU engine (tract)",
            Engine::OrtWasm => "onnxruntime-web on the CPU (wasm)",
            Engine::OrtWebGpu => "onnxruntime-web on the GPU (WebGPU)",
        }
    }

    pub fn is_cpu(self) -> bool {
        self != Engine::OrtWebGpu
    }
}

/// What is known of one engine with this model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum Status {
    /// Not tried yet.
    Untried,
    /// It loaded the model with the card's inputs and outputs.
    Runs,
    /// It cannot: `reason` is a sentence for the page; `detail` the engine's own words, if any,
    /// for a bug report (never shown as the reason).
    Cannot { reason: String, detail: String },
}

impl Status {
    pub fn runs(&self) -> bool {
        matches!(self, Status::Runs)
    }

    pub fn cannot(&self) -> bool {
        matches!(self, Status::Cannot { .. })
    }
}

/// Which engines run the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub tract: Status,
    pub ort_wasm: Status,
    pub ort_web_gpu: Status,
}

impl Refusal {
    /// Whether this refusal is tract's alone (another engine may still run the model), rather than
    /// a fault of the file or a card that does not fit the model.
    pub fn tract_only(&self) -> bool {
        matches!(self, Refusal::TractUnsupported { .. } | Refusal::Unanalysable { .. } | Refusal::Unloadable { .. })
    }
}

impl Verdict {
    /// What inspection alone tells: tract cannot run operators it does not implement; nothing is
    /// tried yet otherwise.
    pub fn from_report(report: &Report) -> Self {
        let tract = if report.tract_unsupported.is_empty() {
            Status::Untried
        } else {
            let refusal = Refusal::TractUnsupported { operators: report.tract_unsupported.clone() };
            Status::Cannot { reason: refusal.to_string(), detail: String::new() }
        };
        Self { tract, ort_wasm: Status::Untried, ort_web_gpu: Status::Untried }
    }

    /// The status of one engine.
    pub fn status(&self, engine: Engine) -> &Status {
        match engine {
            Engine::Tract => &self.tract,
            Engine::OrtWasm => &self.ort_wasm,
            Engine::OrtWebGpu => &self.ort_web_gpu,
        }
    }

    fn set(mut self, engine: Engine, status: Status) -> Self {
        match engine {
            Engine::Tract => self.tract = status,
            Engine::OrtWasm => self.ort_wasm = status,
            Engine::OrtWebGpu => self.ort_web_gpu = status,
        }
        self
    }

    /// Records tract's load (`TractSession::load` or `engine::validate`). A refusal that is not
    /// tract's alone (the file, or the card against the model) holds for every engine.
    pub fn with_tract(self, outcome: Result<(), &Refusal>) -> Self {
        match outcome {
            Ok(()) => self.set(Engine::Tract, Status::Runs),
            Err(refusal) => {
                let detail = match refusal {
                    Refusal::Unanalysable { detail, .. } | Refusal::Unloadable { detail } => detail.clone(),
                    _ => String::new(),
                };
                let status = Status::Cannot { reason: refusal.to_string(), detail };
                if refusal.tract_only() {
                    self.set(Engine::Tract, status)
                } else {
                    Self { tract: status.clone(), ort_wasm: status.clone(), ort_web_gpu: status }
                }
            }
        }
    }

    /// Records an onnxruntime-web session's creation on `engine` (its error message as thrown).
    pub fn with_ort(self, engine: Engine, outcome: Result<(), String>) -> Self {
        let status = match outcome {
            Ok(()) => Status::Runs,
            Err(detail) => Status::Cannot { reason: format!("{} could not load the model.", engine.label()), detail },
        };
        self.set(engine, status)
    }

    /// At least one CPU engine runs the model against its declared I/O.
    pub fn accepted(&self) -> bool {
        self.tract.runs() || self.ort_wasm.runs()
    }

    /// The CPU engines still to try, in the order to try them (tract first: it is the worker
    /// already loaded; onnxruntime-web's wasm when tract cannot), while none runs the model.
    pub fn to_try(&self) -> Vec<Engine> {
        if self.accepted() {
            return Vec::new();
        }
        [Engine::Tract, Engine::OrtWasm].into_iter().filter(|&e| *self.status(e) == Status::Untried).collect()
    }

    /// The verdict in words: which engines run the model, and why the others cannot.
    pub fn sentence(&self) -> String {
        let running: Vec<&str> = Engine::ALL.iter().filter(|&&e| self.status(e).runs()).map(|e| e.label()).collect();
        let reasons: Vec<&str> = Engine::ALL
            .iter()
            .filter_map(|&e| match self.status(e) {
                Status::Cannot { reason, .. } => Some(reason.as_str()),
                _ => None,
            })
            .fold(Vec::new(), |mut seen, r| {
                if !seen.contains(&r) {
                    seen.push(r);
                }
                seen
            });
        let head = match running.as_slice() {
            [] if self.to_try().is_empty() => "No engine runs this model.".to_owned(),
            [] => "Not checked on an engine yet.".to_owned(),
            [one] => format!("Runs on {one}."),
            [init @ .., last] => format!("Runs on {} and {last}.", init.join(", ")),
        };
        std::iter::once(head).chain(reasons.into_iter().map(str::to_owned)).collect::<Vec<_>>().join(" ")
    }
}

/// The GPU the browser offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Gpu {
    None,
    /// A software (fallback) WebGPU adapter: slower than the CPU engines, used only when asked.
    Software,
    Hardware,
}

/// The person's choice of engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Preference {
    /// A hardware GPU when there is one, else the CPU.
    #[default]
    Auto,
    Cpu,
    /// The GPU when there is any adapter, else the CPU.
    Gpu,
}

/// The engine a run uses, and the second engine that can check its result (a CPU engine that
/// runs the model; for a CPU run, the other CPU engine when it runs the model too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Choice {
    pub engine: Engine,
    pub cross_check: Option<Engine>,
}

/// Picks the engine for a run: `None` when the model is not accepted. The CPU engine is tract
/// when it runs the model, else onnxruntime-web's wasm; WebGPU is used per `preference` and
/// `gpu` unless it (or onnxruntime-web's wasm, which it builds on) cannot run the model.
pub fn choose_engine(verdict: &Verdict, gpu: Gpu, preference: Preference) -> Option<Choice> {
    let cpu = [Engine::Tract, Engine::OrtWasm].into_iter().find(|&e| verdict.status(e).runs())?;
    let gpu_usable = !verdict.ort_web_gpu.cannot() && !verdict.ort_wasm.cannot();
    let use_gpu = gpu_usable
        && match preference {
            Preference::Auto => gpu == Gpu::Hardware,
            Preference::Gpu => gpu != Gpu::None,
            Preference::Cpu => false,
        };
    Some(if use_gpu {
        Choice { engine: Engine::OrtWebGpu, cross_check: Some(cpu) }
    } else {
        let other = [Engine::Tract, Engine::OrtWasm].into_iter().find(|&e| e != cpu && verdict.status(e).runs());
        Choice { engine: cpu, cross_check: other }
    })
}

#[cfg(test)]
mod tests;
