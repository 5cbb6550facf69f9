//! Which engine a run uses: the person's choice among automatic, CPU and GPU, resolved against the
//! WebGPU adapter the browser reports; and the switch that shows both.

use leptos::prelude::*;

use crate::trial::{Engine, GpuAdapter};

/// The engine the person chose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EngineChoice {
    /// A hardware WebGPU adapter → GPU; none, or a software one → CPU.
    #[default]
    Auto,
    Cpu,
    /// The GPU when there is an adapter (a software one too), else the CPU.
    Gpu,
}

impl EngineChoice {
    pub const ALL: [EngineChoice; 3] = [EngineChoice::Auto, EngineChoice::Cpu, EngineChoice::Gpu];

    /// The radio button's value.
    pub fn key(self) -> &'static str {
        match self {
            EngineChoice::Auto => "auto",
            EngineChoice::Cpu => "cpu",
            EngineChoice::Gpu => "gpu",
        }
    }

    /// What the switch says.
    pub fn label(self) -> &'static str {
        match self {
            EngineChoice::Auto => "Automatic",
            EngineChoice::Cpu => "CPU (tract)",
            EngineChoice::Gpu => "GPU (onnxruntime-web, WebGPU)",
        }
    }

    /// The engine a run uses now, given the adapter found (`None`: none, or not known yet).
    pub fn engine(self, adapter: Option<&GpuAdapter>) -> Engine {
        match (self, adapter) {
            (EngineChoice::Gpu, Some(_)) => Engine::Gpu,
            (EngineChoice::Auto, Some(a)) if !a.fallback => Engine::Gpu,
            _ => Engine::Cpu,
        }
    }
}

/// The person's choice and what the browser offers.
#[derive(Clone, Copy)]
pub(super) struct Engines {
    pub choice: RwSignal<EngineChoice>,
    /// `None` until detection has answered; then the adapter, if any.
    pub adapter: RwSignal<Option<Option<GpuAdapter>>>,
}

impl Engines {
    /// Starts WebGPU detection (no engine is loaded).
    pub fn detect() -> Self {
        let adapter = RwSignal::new(None);
        leptos::task::spawn_local(async move { adapter.set(Some(crate::trial::webgpu_adapter().await)) });
        Self { choice: RwSignal::new(EngineChoice::default()), adapter }
    }

    /// The engine a run started now uses (not tracked).
    pub fn now(self) -> Engine {
        let adapter = self.adapter.get_untracked().flatten();
        self.choice.get_untracked().engine(adapter.as_ref())
    }

    /// The same, tracked.
    fn tracked(self) -> Engine {
        self.adapter.with(|adapter| self.choice.get().engine(adapter.as_ref().and_then(Option::as_ref)))
    }
}

/// The engine radio buttons, the adapter found, and the engine a run would use (`data-engine`).
#[component]
pub(super) fn EngineSwitch(engines: Engines) -> impl IntoView {
    let Engines { choice, adapter } = engines;
    let gpu_note = move || match adapter.get() {
        None => "checking for WebGPU…".to_owned(),
        Some(None) => "no WebGPU adapter in this browser".to_owned(),
        Some(Some(a)) => format!(
            "WebGPU adapter{}{}",
            if a.description.is_empty() { String::new() } else { format!(": {}", a.description) },
            if a.fallback { " (software fallback: automatic choice stays on the CPU)" } else { "" }
        ),
    };
    let radios = EngineChoice::ALL
        .into_iter()
        .map(|option| {
            let gpu = option == EngineChoice::Gpu;
            view! {
                <label><input type="radio" name="engine" value=option.key()
                    data-testid=gpu.then_some("engine-gpu")
                    disabled=move || gpu && !matches!(adapter.get(), Some(Some(_)))
                    prop:checked=move || choice.get() == option
                    on:change=move |_| choice.set(option) /> " " {option.label()}</label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="trial__engines" data-testid="trial-engines" data-engine=move || engines.tracked().key()>
            <legend>"Engine"</legend>
            {radios}
            <p class="muted" data-testid="trial-gpu">{gpu_note}</p>
        </fieldset>
    }
}
