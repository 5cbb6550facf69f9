//! The "Try it" panel, built from the model card's `io` section: an image input gets a drawing
//! pad, a picture drop/chooser and the camera; fields get a form; byte features a file chooser;
//! raw tensors a JSON box. Results show as top-k bars, a table or JSON, each with the engine that
//! ran it and how long it took. Progress is shown for every step: fetch, engine start, validation
//! and compilation, run.

use std::rc::Rc;
use std::sync::Arc;

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::{Cid, Progress};
use assay_inference::card::{InputKind, InputSpec, Labels, OutputKind};
use assay_inference::post::{Shown, interpret};
use assay_inference::pre::{Given, Rgba, prepare};
use assay_inference::{ModelCard, Report, Tensor};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use assay_inference::tensor::CrossCheck;

use super::ort::{OrtSession, Provider};
use super::tract::{TractWorker, WORKER_URL};
use super::{Engine, GpuAdapter, image, now_ms, webgpu_adapter};
use crate::ipfs::Keeping;

/// Largest absolute difference between GPU and CPU outputs still taken as agreement.
pub const CROSS_CHECK_TOLERANCE: f64 = 1e-3;

/// Where the model's bytes come from.
#[derive(Clone)]
pub enum ModelSource {
    /// Fetched from IPFS through the configured gateways, verified against its CID.
    Ipfs(Cid),
    /// A URL relative to the page (bench page, tests).
    Url(String),
    /// Already in memory (a file chosen in the listing flow).
    Bytes(Arc<Vec<u8>>),
}

#[derive(Clone, Debug, PartialEq)]
enum StepState {
    Waiting,
    Running(String),
    Done(String),
    Failed(String),
}

const STEPS: [&str; 4] = ["Fetch the model", "Start the engine", "Validate and compile", "Run"];

#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    engine: Engine,
    millis: f64,
    shown: Vec<Shown>,
    note: Option<String>,
    /// `{"inputs": [...], "outputs": [...]}`: the exact tensors, for inspection (and the e2e
    /// suite, which checks them against onnxruntime).
    tensors: String,
}

/// A run on the GPU engine: onnxruntime-web (WebGPU) is loaded and the session compiled on first
/// use. Until the GPU has agreed with the CPU once on this model, the CPU runs the same inputs and
/// a disagreement shows the CPU's result, saying so.
async fn run_on_gpu(
    io: &assay_inference::IoSchema,
    inputs: Vec<Tensor>,
    cpu: &TractWorker,
    gpu: StoredValue<Option<Rc<OrtSession>>, LocalStorage>,
    gpu_checked: StoredValue<Option<bool>>,
    model_bytes: StoredValue<Option<Rc<Vec<u8>>>, LocalStorage>,
    set_step: impl Fn(usize, StepState),
) -> Result<(Engine, Vec<Tensor>, f64, Option<String>), String> {
    let session = match gpu.get_value() {
        Some(s) => s,
        None => {
            set_step(1, StepState::Running("loading onnxruntime-web (WebGPU)".into()));
            let t0 = now_ms();
            let bytes = model_bytes.get_value().ok_or("No model is loaded.")?;
            let outputs = io.outputs.iter().map(|o| o.name.clone()).collect();
            let session = match OrtSession::create(&bytes, Provider::WebGpu, outputs).await {
                Ok(s) => Rc::new(s),
                Err(e) => {
                    set_step(1, StepState::Failed(e.clone()));
                    return Err(e);
                }
            };
            set_step(
                1,
                StepState::Done(format!("tract worker; onnxruntime-web WebGPU session in {:.0} ms", now_ms() - t0)),
            );
            gpu.set_value(Some(session.clone()));
            session
        }
    };
    set_step(3, StepState::Running("running on the GPU".into()));
    let (gpu_out, gpu_ms) = session.run(&inputs).await?;
    if gpu_checked.get_value() == Some(true) {
        return Ok((Engine::Gpu, gpu_out, gpu_ms, None));
    }
    set_step(3, StepState::Running("cross-checking on the CPU".into()));
    let (cpu_out, cpu_ms) = cpu.run(inputs).await.map_err(|e| e.to_string())?;
    match assay_inference::tensor::cross_check(&gpu_out, &cpu_out, CROSS_CHECK_TOLERANCE) {
        CrossCheck::Agree { worst } => {
            gpu_checked.set_value(Some(true));
            Ok((
                Engine::Gpu,
                gpu_out,
                gpu_ms,
                Some(format!("Cross-checked on the CPU: outputs agree (largest difference {worst:.1e}).")),
            ))
        }
        CrossCheck::Differ { detail, .. } => {
            gpu_checked.set_value(Some(false));
            Ok((
                Engine::Cpu,
                cpu_out,
                cpu_ms,
                Some(format!(
                    "GPU result differs from CPU — showing CPU ({detail}; tolerance {CROSS_CHECK_TOLERANCE:e})."
                )),
            ))
        }
    }
}

/// Builds one input's tensor from what the person gave, when Run is pressed.
type Gather = Rc<dyn Fn() -> Result<Tensor, String>>;

fn mib(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The model's bytes, and for an IPFS download its cache commit, which can still fail (a full
/// disk, say): the trial goes on, but the next visit downloads the file again.
async fn fetch_model(
    source: ModelSource,
    config: Option<RuntimeConfig>,
    progress: impl Fn(Progress) + 'static,
) -> Result<(Vec<u8>, Option<Keeping>), String> {
    match source {
        ModelSource::Bytes(bytes) => Ok((bytes.as_ref().clone(), None)),
        ModelSource::Ipfs(cid) => {
            let config = config.ok_or("no IPFS configuration")?;
            let fetched =
                crate::ipfs::Ipfs::new(&config.ipfs).fetch_detailed(&cid, progress).await.map_err(|e| e.to_string())?;
            Ok((fetched.bytes.to_vec(), Some(fetched.keeping)))
        }
        ModelSource::Url(url) => {
            let response = gloo_net::http::Request::get(&url).send().await.map_err(|e| format!("{url}: {e}"))?;
            if !response.ok() {
                return Err(format!("{url}: HTTP {}", response.status()));
            }
            let bytes = response.binary().await.map_err(|e| format!("{url}: {e}"))?;
            progress(Progress { done: bytes.len() as u64, total: bytes.len() as u64 });
            Ok((bytes, None))
        }
    }
}

#[component]
pub fn TrialPanel(card: ModelCard, source: ModelSource) -> impl IntoView {
    let config = use_context::<RuntimeConfig>();
    let io = card.io.clone();
    let steps = RwSignal::new(STEPS.map(|_| StepState::Waiting).to_vec());
    let set_step = move |i: usize, state: StepState| steps.update(|s| s[i] = state);
    let report = RwSignal::new(None::<Report>);
    let ready = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let cache_note = RwSignal::new(None::<String>);
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let adapter = RwSignal::new(None::<Option<GpuAdapter>>);
    let choice = RwSignal::new("auto".to_owned());
    let worker = StoredValue::new_local(None::<Rc<TractWorker>>);
    let gpu = StoredValue::new_local(None::<Rc<OrtSession>>);
    // None: the GPU has not been cross-checked on this model yet; Some(agreed).
    let gpu_checked = StoredValue::new(None::<bool>);
    let model_bytes = StoredValue::new_local(None::<Rc<Vec<u8>>>);
    // The engine a run uses now: the person's choice, or automatic (a hardware WebGPU adapter →
    // GPU; none, or a software one → CPU).
    let engine_now = move || match (choice.get_untracked().as_str(), adapter.get_untracked().flatten()) {
        ("cpu", _) => Engine::Cpu,
        ("gpu", Some(_)) => Engine::Gpu,
        ("auto", Some(a)) if !a.fallback => Engine::Gpu,
        _ => Engine::Cpu,
    };
    let gathers = StoredValue::new_local(Vec::<Gather>::new());
    let labels = StoredValue::new(Vec::<Vec<String>>::new());

    spawn_local(async move { adapter.set(Some(webgpu_adapter().await)) });

    let start = {
        let io = io.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            ready.set(false);
            error.set(None);
            cache_note.set(None);
            report.set(None);
            steps.set(STEPS.map(|_| StepState::Waiting).to_vec());
            let (io, source, config) = (io.clone(), source.clone(), config.clone());
            spawn_local(async move {
                let fail = move |i: usize, message: String| {
                    set_step(i, StepState::Failed(message.clone()));
                    error.set(Some(message));
                    busy.set(false);
                };
                // 1. Fetch (and class labels stored by CID).
                set_step(0, StepState::Running("starting".into()));
                let t0 = now_ms();
                let bytes = match fetch_model(source, config.clone(), move |p: Progress| {
                    set_step(0, StepState::Running(format!("{} of {}", mib(p.done), mib(p.total))))
                })
                .await
                {
                    Ok((bytes, keeping)) => {
                        if let Some(keeping) = keeping {
                            spawn_local(async move {
                                if let Err(e) = keeping.kept_offline().await {
                                    cache_note.set(Some(format!(
                                        "The model was verified and is used, but not kept for offline use: {e}"
                                    )));
                                }
                            });
                        }
                        bytes
                    }
                    Err(e) => return fail(0, format!("The model could not be fetched: {e}")),
                };
                let mut all_labels = Vec::new();
                for output in &io.outputs {
                    let names = match &output.kind {
                        OutputKind::Classification { labels: Labels::Inline(l), .. } => l.clone(),
                        OutputKind::Classification { labels: Labels::Cid(text), .. } => {
                            let fetched = match (text.parse::<Cid>(), &config) {
                                (Ok(cid), Some(config)) => crate::ipfs::Ipfs::new(&config.ipfs)
                                    .fetch_json::<Vec<String>>(&cid)
                                    .await
                                    .map_err(|e| e.to_string()),
                                (Err(e), _) => Err(format!("{text:?} is not a CID: {e}")),
                                (_, None) => Err("no IPFS configuration".into()),
                            };
                            match fetched {
                                Ok(l) => l,
                                Err(e) => return fail(0, format!("The class labels could not be fetched: {e}")),
                            }
                        }
                        _ => Vec::new(),
                    };
                    all_labels.push(names);
                }
                labels.set_value(all_labels);
                set_step(0, StepState::Done(format!("{} in {:.0} ms", mib(bytes.len() as u64), now_ms() - t0)));

                // 2. Engine start (the worker's wasm is fetched now, not with the page).
                set_step(1, StepState::Running("loading tract".into()));
                let t1 = now_ms();
                let existing = worker.get_value().filter(|w| !w.is_dead());
                let cpu = match existing {
                    Some(w) => w,
                    None => match TractWorker::start(WORKER_URL).await {
                        Ok(w) => {
                            worker.set_value(Some(w.clone()));
                            w
                        }
                        Err(e) => return fail(1, e),
                    },
                };
                set_step(1, StepState::Done(format!("tract worker in {:.0} ms", now_ms() - t1)));

                // 3. Validate + compile.
                set_step(2, StepState::Running("validating".into()));
                gpu.set_value(None);
                gpu_checked.set_value(None);
                match cpu.load(&bytes, &io).await {
                    Ok((r, millis)) => {
                        set_step(
                            2,
                            StepState::Done(format!("{} operators, compiled in {millis:.0} ms", r.operators.len())),
                        );
                        report.set(Some(r));
                    }
                    Err(e) => return fail(2, e.to_string()),
                }
                model_bytes.set_value(Some(Rc::new(bytes)));
                ready.set(true);
                busy.set(false);
            });
        }
    };

    let io_for_run = io.clone();
    let run = move |_| {
        if busy.get_untracked() || !ready.get_untracked() {
            return;
        }
        error.set(None);
        let inputs: Result<Vec<Tensor>, String> = gathers.with_value(|g| g.iter().map(|f| f()).collect());
        let inputs = match inputs {
            Ok(inputs) => inputs,
            Err(e) => {
                error.set(Some(e));
                return;
            }
        };
        let Some(cpu) = worker.get_value() else { return };
        busy.set(true);
        let io = io_for_run.clone();
        let engine = engine_now();
        spawn_local(async move {
            let interpretation = |outputs: &[Tensor]| -> Result<Vec<Shown>, String> {
                let all_labels = labels.get_value();
                io.outputs
                    .iter()
                    .zip(outputs)
                    .enumerate()
                    .map(|(i, (spec, t))| interpret(t, spec, all_labels.get(i).map(Vec::as_slice).unwrap_or(&[])))
                    .collect()
            };
            let fed = inputs.clone();
            let result = match engine {
                Engine::Cpu => {
                    set_step(3, StepState::Running("running on the CPU".into()));
                    cpu.run(inputs).await.map(|(o, ms)| (Engine::Cpu, o, ms, None)).map_err(|e| e.to_string())
                }
                Engine::Gpu => {
                    run_on_gpu(&io, inputs, &cpu, gpu, gpu_checked, model_bytes, move |i, s| set_step(i, s)).await
                }
            };
            match result.and_then(|(engine, outputs, millis, note)| {
                Ok((engine, interpretation(&outputs)?, outputs, millis, note))
            }) {
                Ok((engine, shown, outputs, millis, note)) => {
                    set_step(
                        3,
                        StepState::Done(format!(
                            "{millis:.1} ms on the {}",
                            if engine == Engine::Cpu { "CPU" } else { "GPU" }
                        )),
                    );
                    let tensors = serde_json::json!({ "inputs": fed, "outputs": outputs }).to_string();
                    outcomes.update(|o| o.insert(0, Outcome { engine, millis, shown, note, tensors }));
                }
                Err(e) => {
                    set_step(3, StepState::Failed(e.clone()));
                    error.set(Some(e));
                    if cpu.is_dead() {
                        ready.set(false);
                    }
                }
            }
            busy.set(false);
        });
    };

    // Timing: the loaded model run N times back to back in the worker, on the current inputs.
    let bench_runs = RwSignal::new("20".to_owned());
    let bench_result = RwSignal::new(None::<(usize, f64, f64, f64)>);
    let time_runs = move |_| {
        if busy.get_untracked() || !ready.get_untracked() {
            return;
        }
        let runs = bench_runs.get_untracked().trim().parse::<u32>().unwrap_or(20).clamp(1, 10_000);
        let inputs: Result<Vec<Tensor>, String> = gathers.with_value(|g| g.iter().map(|f| f()).collect());
        let (Ok(inputs), Some(cpu)) = (inputs.map_err(|e| error.set(Some(e))), worker.get_value()) else { return };
        busy.set(true);
        bench_result.set(None);
        spawn_local(async move {
            match cpu.bench(inputs, runs).await {
                Ok(mut millis) => {
                    millis.sort_by(f64::total_cmp);
                    let median = millis[millis.len() / 2];
                    bench_result.set(Some((millis.len(), median, millis[0], millis[millis.len() - 1])));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };

    let inputs_view = io
        .inputs
        .iter()
        .map(|spec| {
            let (view, gather) = input_widget(spec.clone());
            gathers.update_value(|g| g.push(gather));
            view
        })
        .collect_view();

    let engine_now_tracked = move || {
        choice.track();
        adapter.track();
        engine_now()
    };
    let engine_switch = move || {
        let gpu = adapter.get();
        let gpu_note = match &gpu {
            None => "checking for WebGPU…".to_owned(),
            Some(None) => "no WebGPU adapter in this browser".to_owned(),
            Some(Some(a)) => format!(
                "WebGPU adapter{}{}",
                if a.description.is_empty() { String::new() } else { format!(": {}", a.description) },
                if a.fallback { " (software fallback: automatic choice stays on the CPU)" } else { "" }
            ),
        };
        view! {
            <fieldset class="trial__engines" data-testid="trial-engines" data-engine=move || if engine_now_tracked() == Engine::Cpu { "cpu" } else { "gpu" }>
                <legend>"Engine"</legend>
                <label><input type="radio" name="engine" value="auto" prop:checked=move || choice.get() == "auto"
                    on:change=move |_| choice.set("auto".into()) /> " Automatic"</label>
                <label><input type="radio" name="engine" value="cpu" prop:checked=move || choice.get() == "cpu"
                    on:change=move |_| choice.set("cpu".into()) /> " CPU (tract)"</label>
                <label><input type="radio" name="engine" value="gpu" data-testid="engine-gpu"
                    disabled=move || !matches!(adapter.get(), Some(Some(_)))
                    prop:checked=move || choice.get() == "gpu" on:change=move |_| choice.set("gpu".into()) /> " GPU (onnxruntime-web, WebGPU)"</label>
                <p class="muted" data-testid="trial-gpu">{gpu_note}</p>
            </fieldset>
        }
    };

    view! {
        <section class="panel trial" data-testid="trial">
            <h2 class="panel__title">"Try it in your browser"</h2>
            <p class="muted">{card.name.clone()} " — runs on this device; nothing is uploaded."</p>
            {engine_switch}
            <button data-testid="trial-start" on:click=start disabled=move || busy.get()>
                {move || if ready.get() { "Reload the model" } else { "Start trial" }}
            </button>
            <ol class="trial__steps" data-testid="trial-steps">
                {move || steps.get().into_iter().enumerate().map(|(i, s)| {
                    let (class, text) = match s {
                        StepState::Waiting => ("waiting", String::new()),
                        StepState::Running(t) => ("running", t),
                        StepState::Done(t) => ("done", t),
                        StepState::Failed(t) => ("failed", t),
                    };
                    view! { <li class=format!("step step--{class}") data-step=i data-state=class>
                        <strong>{STEPS[i]}</strong> " " <span>{text}</span></li> }
                }).collect_view()}
            </ol>
            {move || report.get().map(|r| view! { <ReportView report=r /> })}
            <div class="trial__inputs">{inputs_view}</div>
            <button data-testid="trial-run" on:click=run disabled=move || busy.get() || !ready.get()>"Run"</button>
            <div class="trial__bench">
                <label>"Time " <input type="number" min="1" data-testid="trial-bench-runs" prop:value=move || bench_runs.get()
                    on:input=move |ev| bench_runs.set(event_target_value(&ev)) /> " runs "</label>
                <button data-testid="trial-bench" on:click=time_runs disabled=move || busy.get() || !ready.get()>"Time"</button>
                {move || bench_result.get().map(|(n, median, min, max)| view! {
                    <span data-testid="trial-bench-result" data-runs=n data-median=median.to_string()>
                        {format!(" {n} runs on the CPU engine: median {median:.2} ms (min {min:.2}, max {max:.2})")}</span> })}
            </div>
            {move || error.get().map(|e| view! { <p class="error" data-testid="trial-error" role="alert">{e}</p> })}
            {move || cache_note.get().map(|n| view! { <p class="notice notice--warning" data-testid="trial-cache-note">{n}</p> })}
            <div data-testid="trial-results">
                {move || outcomes.get().into_iter().map(|o| view! { <OutcomeView outcome=o /> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let shapes = |facts: &[assay_inference::report::IoFact]| {
        facts
            .iter()
            .map(|f| {
                format!(
                    "{} {} [{}]{}",
                    f.name,
                    f.dtype,
                    f.declared.join(", "),
                    f.resolved.as_ref().map(|r| format!(" → {r:?}")).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let operators = report.operators.iter().map(|(op, n)| format!("{op}×{n}")).collect::<Vec<_>>().join(", ");
    view! {
        <dl class="trial__report" data-testid="trial-report">
            <dt>"Size"</dt><dd data-testid="report-size">{mib(report.size_bytes)} " (" {report.size_bytes} " bytes)"</dd>
            <dt>"Opset"</dt><dd data-testid="report-opset">{report.opset}
                {report.other_opsets.iter().map(|(d, v)| format!(", {d} {v}")).collect::<String>()}</dd>
            <dt>"Parameters"</dt><dd data-testid="report-parameters">{report.parameters}</dd>
            <dt>"Operators"</dt><dd data-testid="report-operators">{operators}</dd>
            <dt>"Inputs"</dt><dd data-testid="report-inputs">{shapes(&report.inputs)}</dd>
            <dt>"Outputs"</dt><dd data-testid="report-outputs">{shapes(&report.outputs)}</dd>
        </dl>
    }
}

#[component]
fn OutcomeView(outcome: Outcome) -> impl IntoView {
    let shown = outcome
        .shown
        .into_iter()
        .map(|s| match s {
            Shown::Classes { output, classes } => view! {
                <div class="trial__classes" data-output=output>
                    {classes.into_iter().map(|c| {
                        let pct = (c.score.clamp(0.0, 1.0) * 100.0) as f64;
                        view! { <div class="bar" data-label=c.label.clone() data-score=c.score.to_string()>
                            <span class="bar__label">{c.label.clone()}</span>
                            <span class="bar__fill" style=format!("width: {pct:.1}%")></span>
                            <span class="bar__value">{format!("{:.4}", c.score)}</span>
                        </div> }
                    }).collect_view()}
                </div>
            }
            .into_any(),
            Shown::Values { output, rows, unit } => view! {
                <table class="trial__values" data-output=output>
                    {rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v} {unit.clone().unwrap_or_default()}</td></tr> }).collect_view()}
                </table>
            }
            .into_any(),
            Shown::Raw { tensor } => view! {
                <pre class="trial__raw" data-output=tensor.name.clone()>{serde_json::to_string(&tensor).unwrap_or_default()}</pre>
            }
            .into_any(),
        })
        .collect_view();
    view! {
        <article class="trial__result" data-testid="trial-result">
            <p class="trial__meta"><span data-testid="trial-engine">{outcome.engine.label()}</span>
                " · " <span data-testid="trial-ms">{format!("{:.1} ms", outcome.millis)}</span></p>
            {outcome.note.map(|n| view! { <p class="warning" data-testid="trial-note">{n}</p> })}
            {shown}
            <details class="trial__tensors"><summary>"Tensors (JSON)"</summary>
                <pre data-testid="trial-tensors">{outcome.tensors}</pre></details>
        </article>
    }
}

/// The widget for one input, and how to read it at run time.
fn input_widget(spec: InputSpec) -> (AnyView, Gather) {
    match spec.kind.clone() {
        InputKind::Image(image_spec) => {
            let canvas = NodeRef::<leptos::html::Canvas>::new();
            let video = NodeRef::<leptos::html::Video>::new();
            let drawing = RwSignal::new(false);
            let camera_on = RwSignal::new(false);
            let message = RwSignal::new(None::<String>);
            // The pad keeps the input's aspect ratio, longest side 256 pixels.
            let longest = image_spec.width.max(image_spec.height) as f64;
            let (pad_w, pad_h) = (
                (256.0 * image_spec.width as f64 / longest) as u32,
                (256.0 * image_spec.height as f64 / longest) as u32,
            );
            let el = move || canvas.get_untracked().map(|c| -> HtmlCanvasElement { c.unchecked_into() });
            let reset = move || {
                if let Some(c) = el() {
                    c.set_width(pad_w.max(1));
                    c.set_height(pad_h.max(1));
                    image::clear(&c);
                }
            };
            canvas.on_load(move |_| reset());
            let point = move |ev: &web_sys::PointerEvent| -> Option<(web_sys::CanvasRenderingContext2d, f64, f64)> {
                let c = el()?;
                let rect = c.get_bounding_client_rect();
                let x = (f64::from(ev.client_x()) - rect.left()) * f64::from(c.width()) / rect.width().max(1.0);
                let y = (f64::from(ev.client_y()) - rect.top()) * f64::from(c.height()) / rect.height().max(1.0);
                let ctx = image::context(&c)?;
                ctx.set_stroke_style_str("#000");
                ctx.set_line_width(f64::from(c.width().min(c.height())) / 10.0);
                ctx.set_line_cap("round");
                ctx.set_line_join("round");
                Some((ctx, x, y))
            };
            let down = move |ev: web_sys::PointerEvent| {
                drawing.set(true);
                // Keep the stroke's events even if the pointer leaves the pad mid-stroke.
                if let Some(c) = el() {
                    let _ = c.set_pointer_capture(ev.pointer_id());
                }
                if let Some((ctx, x, y)) = point(&ev) {
                    ctx.begin_path();
                    ctx.move_to(x, y);
                    ctx.line_to(x + 0.1, y + 0.1);
                    ctx.stroke();
                }
            };
            let moved = move |ev: web_sys::PointerEvent| {
                if drawing.get_untracked() {
                    if let Some((ctx, x, y)) = point(&ev) {
                        ctx.line_to(x, y);
                        ctx.stroke();
                    }
                }
            };
            let chosen = move |ev: web_sys::Event| {
                let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                spawn_local(async move {
                    if let Some(c) = el() {
                        message.set(image::paint_file(&c, &file).await.err());
                    }
                });
            };
            let dropped = move |ev: web_sys::DragEvent| {
                ev.prevent_default();
                let Some(file) = ev.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) else { return };
                spawn_local(async move {
                    if let Some(c) = el() {
                        message.set(image::paint_file(&c, &file).await.err());
                    }
                });
            };
            let camera = move |_| {
                if camera_on.get_untracked() {
                    if let (Some(v), Some(c)) = (video.get_untracked(), el()) {
                        message.set(image::paint_video(&c, &v).err());
                    }
                    return;
                }
                spawn_local(async move {
                    let started = async {
                        let devices = web_sys::window()
                            .ok_or("no window")?
                            .navigator()
                            .media_devices()
                            .map_err(|_| "no camera access in this browser")?;
                        let constraints = web_sys::MediaStreamConstraints::new();
                        constraints.set_video(&true.into());
                        let promise =
                            devices.get_user_media_with_constraints(&constraints).map_err(|_| "no camera access")?;
                        let stream = wasm_bindgen_futures::JsFuture::from(promise)
                            .await
                            .map_err(|_| "the camera was not allowed or is missing")?;
                        let v = video.get_untracked().ok_or("no video element")?;
                        v.set_src_object(Some(stream.unchecked_ref()));
                        let _ = v.play();
                        Ok::<(), &str>(())
                    };
                    match started.await {
                        Ok(()) => camera_on.set(true),
                        Err(e) => message.set(Some(e.to_owned())),
                    }
                });
            };
            let (name, label) = (spec.name.clone(), spec.name.clone());
            let view = view! {
                <div class="trial__input trial__image" data-input=name>
                    <p><strong>{label}</strong> <span class="muted">
                        {format!(" — draw, drop or choose a picture ({}×{} after scaling)", image_spec.width, image_spec.height)}</span></p>
                    <canvas node_ref=canvas class="trial__pad" data-testid="trial-pad" style="touch-action: none"
                        on:pointerdown=down on:pointermove=moved on:pointerup=move |_| drawing.set(false)
                        on:pointercancel=move |_| drawing.set(false)
                        on:dragover=|ev: web_sys::DragEvent| ev.prevent_default() on:drop=dropped></canvas>
                    <video node_ref=video class="trial__video" autoplay=true playsinline=true muted=true
                        style=move || if camera_on.get() { "" } else { "display: none" }></video>
                    <div class="trial__tools">
                        <button on:click=move |_| reset() data-testid="trial-clear">"Clear"</button>
                        <input type="file" accept="image/*" on:change=chosen data-testid="trial-picture" />
                        <button on:click=camera data-testid="trial-camera">{move || if camera_on.get() { "Take picture" } else { "Camera" }}</button>
                    </div>
                    {move || message.get().map(|m| view! { <p class="error">{m}</p> })}
                </div>
            }
            .into_any();
            let gather: Gather = Rc::new(move || {
                let c = el().ok_or("the picture is not ready")?;
                let (width, height, pixels) = image::pixels(&c)?;
                prepare(&spec, Given::Image(Rgba { width, height, pixels: &pixels }))
            });
            (view, gather)
        }
        InputKind::Fields { fields } => {
            let values: Vec<RwSignal<String>> = fields.iter().map(|f| RwSignal::new(f.default.to_string())).collect();
            let rows = fields
                .iter()
                .zip(values.clone())
                .map(|(f, value)| {
                    view! { <label class="trial__field">{f.name.clone()} " "
                    <input type="number" step="any" data-testid="trial-field" prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) /></label> }
                })
                .collect_view();
            let view = view! { <fieldset class="trial__input" data-input=spec.name.clone()><legend>{spec.name.clone()}</legend>{rows}</fieldset> }.into_any();
            let gather: Gather = Rc::new(move || {
                let numbers = values
                    .iter()
                    .map(|v| {
                        v.get_untracked()
                            .trim()
                            .parse::<f64>()
                            .map_err(|_| format!("“{}” is not a number", v.get_untracked()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                prepare(&spec, Given::Fields(numbers))
            });
            (view, gather)
        }
        InputKind::FileBytes { .. } => {
            let bytes = RwSignal::new(None::<(String, Vec<u8>)>);
            let chosen = move |ev: web_sys::Event| {
                let input: web_sys::HtmlInputElement = ev.target().expect("input").unchecked_into();
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                spawn_local(async move {
                    if let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                        bytes.set(Some((file.name(), js_sys::Uint8Array::new(&buffer).to_vec())));
                    }
                });
            };
            let view = view! {
                <div class="trial__input" data-input=spec.name.clone()>
                    <label>"Choose any file " <input type="file" on:change=chosen data-testid="trial-file" /></label>
                    {move || bytes.with(|b| b.as_ref().map(|(n, b)| format!("{n}: {} bytes", b.len())))}
                </div>
            }
            .into_any();
            let gather: Gather = Rc::new(move || {
                bytes.with_untracked(|b| match b {
                    Some((_, b)) => prepare(&spec, Given::File(b)),
                    None => Err("Choose a file first.".into()),
                })
            });
            (view, gather)
        }
        InputKind::Tensor => {
            let text = RwSignal::new(String::new());
            let view = view! {
                <label class="trial__input" data-input=spec.name.clone()>
                    {format!("{} — JSON, shape {:?}", spec.name, spec.shape)}
                    <textarea rows=6 data-testid="trial-json" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            }
            .into_any();
            let gather: Gather = Rc::new(move || prepare(&spec, Given::Json(&text.get_untracked())));
            (view, gather)
        }
    }
}
