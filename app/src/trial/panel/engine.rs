//! Which engine a run uses: the person's preference (automatic, CPU, GPU), the WebGPU adapter
//! the browser reports and the verdict on the loaded model, resolved by
//! [`assay_inference::choose_engine`]; and the switch that shows them.

use assay_inference::verdict::{Choice, Preference};
use assay_inference::{Verdict, choose_engine};
use leptos::prelude::*;

use crate::trial::{GpuAdapter, engine_key};

/// The radio button's value.
fn key(preference: Preference) -> &'static str {
    match preference {
        Preference::Auto => "auto",
        Preference::Cpu => "cpu",
        Preference::Gpu => "gpu",
    }
}

/// What the switch says.
fn label(preference: Preference) -> &'static str {
    match preference {
        Preference::Auto => "Automatic",
        Preference::Cpu => "CPU",
        Preference::Gpu => "GPU (onnxruntime-web, WebGPU)",
    }
}

const PREFERENCES: [Preference; 3] = [Preference::Auto, Preference::Cpu, Preference::Gpu];

/// The person's choice, what the browser offers and what runs the loaded model.
#[derive(Clone, Copy)]
pub(super) struct Engines {
    pub choice: RwSignal<Preference>,
    /// `None` until detection has answered; then the adapter, if any.
    pub adapter: RwSignal<Option<Option<GpuAdapter>>>,
    /// Which engines run the loaded model (`None` before a load).
    pub verdict: RwSignal<Option<Verdict>>,
}

impl Engines {
    /// Starts WebGPU detection (no engine is loaded).
    pub fn detect() -> Self {
        let adapter = RwSignal::new(None);
        leptos::task::spawn_local(async move { adapter.set(Some(crate::trial::webgpu_adapter().await)) });
        Self { choice: RwSignal::new(Preference::default()), adapter, verdict: RwSignal::new(None) }
    }

    fn choose(self, verdict: &Verdict, adapter: Option<&GpuAdapter>, choice: Preference) -> Option<Choice> {
        choose_engine(verdict, GpuAdapter::gpu(adapter), choice)
    }

    /// The engine a run started now uses, and the one that can check it (not tracked); `None`
    /// before a model is loaded on an engine.
    pub fn now(self) -> Option<Choice> {
        let adapter = self.adapter.get_untracked().flatten();
        self.verdict.with_untracked(|v| self.choose(v.as_ref()?, adapter.as_ref(), self.choice.get_untracked()))
    }

    /// The same, tracked, as a stable name (`data-engine`): `tract`, `ort-wasm`, `ort-webgpu`, or
    /// `cpu`/`gpu` before a load.
    fn tracked(self) -> &'static str {
        let adapter = self.adapter.with(|a| a.clone().flatten());
        let choice = self.choice.get();
        self.verdict.with(|verdict| match verdict {
            Some(v) => self.choose(v, adapter.as_ref(), choice).map_or("none", |c| engine_key(c.engine)),
            None => match (choice, GpuAdapter::gpu(adapter.as_ref())) {
                (Preference::Gpu, assay_inference::verdict::Gpu::None) | (Preference::Cpu, _) => "cpu",
                (Preference::Gpu, _) | (Preference::Auto, assay_inference::verdict::Gpu::Hardware) => "gpu",
                (Preference::Auto, _) => "cpu",
            },
        })
    }
}

/// The engine radio buttons, the adapter found, which engines run the model, and the engine a run
/// would use (`data-engine`).
#[component]
pub(super) fn EngineSwitch(engines: Engines) -> impl IntoView {
    let Engines { choice, adapter, verdict } = engines;
    let gpu_note = move || match adapter.get() {
        None => "checking for WebGPU…".to_owned(),
        Some(None) => "no WebGPU adapter in this browser".to_owned(),
        Some(Some(a)) => format!(
            "WebGPU adapter{}{}",
            if a.description.is_empty() { String::new() } else { format!(": {}", a.description) },
            if a.fallback { " (software fallback: automatic choice stays on the CPU)" } else { "" }
        ),
    };
    let radios = PREFERENCES
        .into_iter()
        .map(|option| {
            let gpu = option == Preference::Gpu;
            view! {
                <label><input type="radio" name="engine" value=key(option)
                    data-testid=gpu.then_some("engine-gpu")
                    disabled=move || gpu && !matches!(adapter.get(), Some(Some(_)))
                    prop:checked=move || choice.get() == option
                    on:change=move |_| choice.set(option) /> " " {label(option)}</label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="trial__engines" data-testid="trial-engines" data-engine=move || engines.tracked()>
            <legend>"Engine"</legend>
            {radios}
            <p class="muted" data-testid="trial-gpu">{gpu_note}</p>
            {move || verdict.get().map(|v| view! { <p class="muted" data-testid="trial-verdict">{v.sentence()}</p> })}
        </fieldset>
    }
}
