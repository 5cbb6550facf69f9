//! The trial's inputs, one widget per input of the card: an image gets a drawing pad, a picture
//! drop / chooser and the camera; fields a form; byte features a file chooser; a raw tensor a JSON
//! box. Each widget comes with how to read it into a tensor when Run is pressed.

use std::rc::Rc;

use assay_inference::Tensor;
use assay_inference::card::{InputKind, InputSpec};
use assay_inference::pre::{Given, Rgba, prepare, zeros};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

use crate::error::AppError;
use crate::trial::image;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::file_input::{chosen_file, read_bytes};

/// Builds one input's tensor from what the person gave, when Run is pressed.
pub(super) type Gather = Rc<dyn Fn() -> Result<Tensor, AppError>>;

/// What the person gave is not what the input takes, in the pre-processing's words.
fn prepared(tensor: Result<Tensor, String>) -> Result<Tensor, AppError> {
    tensor.map_err(AppError::Invalid)
}

/// The widget for one input, and how to read it at run time.
pub(super) fn input_widget(spec: InputSpec) -> (AnyView, Gather) {
    match spec.kind.clone() {
        InputKind::Image(image_spec) => {
            let canvas = NodeRef::<leptos::html::Canvas>::new();
            let video = NodeRef::<leptos::html::Video>::new();
            let drawing = RwSignal::new(false);
            let camera_on = RwSignal::new(false);
            let message = RwSignal::new(None::<AppError>);
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
                if drawing.get_untracked()
                    && let Some((ctx, x, y)) = point(&ev)
                {
                    ctx.line_to(x, y);
                    ctx.stroke();
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
                    match start_camera(video).await {
                        Ok(()) => camera_on.set(true),
                        Err(e) => message.set(Some(e)),
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
                        <input type="file" accept="image/*" aria-label="Choose a picture" on:change=chosen data-testid="trial-picture" />
                        <button on:click=camera data-testid="trial-camera">{move || if camera_on.get() { "Take picture" } else { "Camera" }}</button>
                    </div>
                    {move || message.get().map(|m| view! { <ErrorNote error=m /> })}
                </div>
            }
            .into_any();
            let gather: Gather = Rc::new(move || {
                let c = el().ok_or_else(|| AppError::Browser("The picture is not ready.".into()))?;
                let (width, height, pixels) = image::pixels(&c)?;
                prepared(prepare(&spec, Given::Image(Rgba { width, height, pixels: &pixels })))
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
                            .map_err(|_| AppError::Invalid(format!("“{}” is not a number", v.get_untracked())))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                prepared(prepare(&spec, Given::Fields(numbers)))
            });
            (view, gather)
        }
        InputKind::FileBytes { .. } => {
            let bytes = RwSignal::new(None::<(String, Vec<u8>)>);
            let chosen = move |ev: web_sys::Event| {
                let Some(file) = chosen_file(&ev) else { return };
                spawn_local(async move {
                    if let Ok(read) = read_bytes(&file).await {
                        bytes.set(Some((file.name(), read)));
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
                    Some((_, b)) => prepared(prepare(&spec, Given::File(b))),
                    None => Err(AppError::Invalid("Choose a file first.".into())),
                })
            });
            (view, gather)
        }
        InputKind::State => {
            let view = view! {
                <p class="trial__input muted" data-input=spec.name.clone() data-testid="trial-state">
                    <code>{spec.name.clone()}</code> {format!(" {:?}", spec.shape)}
                    " — the model's memory between calls, fed with zeros (a trial starts from an empty memory)."
                </p>
            }
            .into_any();
            let gather: Gather = Rc::new(move || prepared(zeros(&spec)));
            (view, gather)
        }
        InputKind::Tensor => {
            // An example of the right shape (zeros), so the box is never empty.
            let text = RwSignal::new(spec.example_json());
            let view = view! {
                <label class="trial__input" data-input=spec.name.clone()>
                    {format!("{} — JSON, shape {:?}", spec.name, spec.shape)}
                    <textarea rows=6 data-testid="trial-json" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            }
            .into_any();
            let gather: Gather = Rc::new(move || prepared(prepare(&spec, Given::Json(&text.get_untracked()))));
            (view, gather)
        }
    }
}

/// Asks for the camera and shows it in `video`.
async fn start_camera(video: NodeRef<leptos::html::Video>) -> Result<(), AppError> {
    let devices = web_sys::window()
        .ok_or_else(|| AppError::Browser("This page has no window.".into()))?
        .navigator()
        .media_devices()
        .map_err(|e| AppError::browser("This browser gives no camera access", &e))?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_video(&true.into());
    let promise = devices
        .get_user_media_with_constraints(&constraints)
        .map_err(|e| AppError::browser("This browser gives no camera access", &e))?;
    let stream = wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| AppError::browser("The camera was not allowed or is missing", &e))?;
    let v = video.get_untracked().ok_or_else(|| AppError::Browser("The video element is gone.".into()))?;
    v.set_src_object(Some(stream.unchecked_ref()));
    let _ = v.play();
    Ok(())
}
