//! The I/O step's form: each input's kind (picture, fields, file bytes, JSON tensor, memory fed
//! with zeros) and its settings, the sizes the model leaves free, each output's kind, labels and
//! top-k. Every change rewrites the draft's `io` JSON (the advanced view below the form), so the
//! two never disagree; the kinds and their defaults are `assay_core::listing_draft::io_form`'s.

use assay_core::listing_draft::io_form::{
    InputChoice, OutputChoice, labels_from_text, labels_text, with_input_kind, with_output_kind,
};
use assay_inference::IoSchema;
use assay_inference::card::{ChannelOrder, InputKind, InputSpec, Labels, Layout, OutputKind, OutputSpec, Resize};
use assay_inference::tensor::class_axis;
use leptos::prelude::*;

use super::super::wizard::Wizard;

/// Applies `change` to the draft's schema (as JSON) and writes it back pretty; a change that
/// can't be made is said under the form and changes nothing.
fn edit(wizard: Wizard, problem: RwSignal<Option<String>>, change: impl FnOnce(&mut IoSchema) -> Result<(), String>) {
    let Some(mut io) = wizard.draft.with_untracked(|d| serde_json::from_str::<IoSchema>(&d.io).ok()) else { return };
    match change(&mut io) {
        Ok(()) => {
            problem.set(None);
            let text = serde_json::to_string_pretty(&io).expect("an I/O schema serialises");
            wizard.update(|d| d.io = text);
        }
        Err(reason) => problem.set(Some(reason)),
    }
}

/// The size of output `name`'s class axis as the model declares it, when known.
fn declared_classes(wizard: Wizard, name: &str) -> Option<usize> {
    wizard.report.with_untracked(|r| {
        let fact = r.as_ref()?.outputs.iter().find(|o| o.name == name)?;
        let shape: Vec<usize> = match &fact.resolved {
            Some(shape) => shape.clone(),
            None => fact.declared.iter().map(|d| d.parse().unwrap_or(1)).collect(),
        };
        class_axis(&shape, None).map(|axis| shape[axis])
    })
}

#[component]
pub(super) fn IoForm() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let problem = RwSignal::new(None::<String>);
    let schema = Memo::new(move |_| wizard.draft.with(|d| serde_json::from_str::<IoSchema>(&d.io).ok()));
    move || {
        let Some(io) = schema.get() else {
            return view! {
                <p class="muted" data-testid="io-form-unavailable">
                    "The JSON below is not an I/O schema the form can show: correct it there, or use the model's declared I/O."
                </p>
            }
            .into_any();
        };
        let sizes = io.sizes();
        view! {
            <div class="io-form" data-testid="io-form">
                {(!sizes.is_empty()).then(|| view! {
                    <fieldset class="io-form__sizes">
                        <legend>"Sizes the model leaves free"</legend>
                        <p class="muted">"The model accepts any value here; a trial feeds the one you choose."</p>
                        {sizes.into_iter().map(|(name, value)| {
                            let size = name.clone();
                            view! {
                                <label class="field field--inline"><span class="field__label"><code>{name.clone()}</code></span>
                                    <input class="input input--number" type="number" min="1" data-testid="io-size" data-size=name.clone()
                                        prop:value=value.to_string()
                                        on:change=move |ev| {
                                            let typed = event_target_value(&ev);
                                            let size = size.clone();
                                            edit(wizard, problem, move |io| {
                                                let value = typed.trim().parse::<usize>().ok().filter(|&v| v > 0)
                                                    .ok_or_else(|| format!("{typed:?} is not a size (a whole number above 0)"))?;
                                                io.set_size(&size, value).map_err(|e| e.to_string())
                                            });
                                        } /></label>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                {io.inputs.into_iter().map(|spec| view! { <InputRow spec=spec problem=problem /> }).collect_view()}
                {io.outputs.into_iter().map(|spec| view! { <OutputRow spec=spec problem=problem /> }).collect_view()}
                {move || problem.get().map(|p| view! { <p class="field__error" role="alert" data-testid="io-form-error">{p}</p> })}
            </div>
        }
        .into_any()
    }
}

/// Replaces input `name` with what `change` makes of it.
fn edit_input(
    wizard: Wizard,
    problem: RwSignal<Option<String>>,
    name: String,
    change: impl FnOnce(&InputSpec) -> Result<InputSpec, String>,
) {
    edit(wizard, problem, move |io| {
        let slot = io.inputs.iter_mut().find(|i| i.name == name).ok_or("that input is gone")?;
        *slot = change(slot)?;
        Ok(())
    });
}

#[component]
fn InputRow(spec: InputSpec, problem: RwSignal<Option<String>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let name = spec.name.clone();
    let current = InputChoice::of(&spec.kind);
    let options = InputChoice::ALL
        .into_iter()
        .map(|c| view! { <option value=c.key() selected=c == current>{c.label()}</option> })
        .collect_view();
    let kind_name = name.clone();
    let change_kind = move |ev: leptos::ev::Event| {
        let Some(choice) = InputChoice::from_key(&event_target_value(&ev)) else { return };
        edit_input(wizard, problem, kind_name.clone(), |spec| with_input_kind(spec, choice));
    };
    let settings = match spec.kind.clone() {
        InputKind::Image(image) => {
            let set =
                move |name: String, apply: fn(&mut assay_inference::card::ImageSpec, &str) -> Result<(), String>| {
                    move |ev: leptos::ev::Event| {
                        let typed = event_target_value(&ev);
                        edit_input(wizard, problem, name.clone(), move |spec| {
                            let mut spec = spec.clone();
                            if let InputKind::Image(image) = &mut spec.kind {
                                apply(image, &typed)?;
                            }
                            Ok(spec)
                        });
                    }
                };
            let list = |v: &[f32]| v.iter().map(f32::to_string).collect::<Vec<_>>().join(", ");
            view! {
                <p class="muted" data-testid="io-picture">{format!("{}×{} pixels, {} channel{}, {}", image.width, image.height, image.channels, if image.channels == 1 { "" } else { "s" }, match image.layout { Layout::Nchw => "channels first", Layout::Nhwc => "channels last" })}</p>
                <div class="io-form__grid">
                    <label class="field"><span class="field__label">"Channel order"</span>
                        <select class="input" on:change=set(name.clone(), |i, v| { i.channel_order = if v == "bgr" { ChannelOrder::Bgr } else { ChannelOrder::Rgb }; Ok(()) })>
                            <option value="rgb" selected=image.channel_order == ChannelOrder::Rgb>"RGB"</option>
                            <option value="bgr" selected=image.channel_order == ChannelOrder::Bgr>"BGR"</option>
                        </select></label>
                    <label class="field"><span class="field__label">"Resize"</span>
                        <select class="input" on:change=set(name.clone(), |i, v| { i.resize = if v == "fit" { Resize::FitHeightPadRight } else { Resize::Stretch }; Ok(()) })>
                            <option value="stretch" selected=image.resize == Resize::Stretch>"Stretch to the size"</option>
                            <option value="fit" selected=image.resize == Resize::FitHeightPadRight>"Fit the height, pad on the right"</option>
                        </select></label>
                    <label class="field"><span class="field__label">"Scale (pixel × scale)"</span>
                        <input class="input" data-testid="io-scale" prop:value=image.scale.to_string()
                            on:change=set(name.clone(), |i, v| { i.scale = v.trim().parse().map_err(|_| format!("{v:?} is not a number"))?; Ok(()) }) /></label>
                    <label class="field"><span class="field__label">"Mean per channel"</span>
                        <input class="input" placeholder="none" prop:value=list(&image.mean)
                            on:change=set(name.clone(), |i, v| { i.mean = numbers(v)?; Ok(()) }) /></label>
                    <label class="field"><span class="field__label">"Std per channel"</span>
                        <input class="input" placeholder="none" prop:value=list(&image.std)
                            on:change=set(name.clone(), |i, v| { i.std = numbers(v)?; Ok(()) }) /></label>
                    <label class="field field--inline"><input type="checkbox" prop:checked=image.invert
                        on:change=set(name.clone(), |i, _| { i.invert = !i.invert; Ok(()) }) /> " Invert (dark ink on a light pad)"</label>
                </div>
            }
            .into_any()
        }
        InputKind::Fields { fields } => {
            let names = fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join("\n");
            let field_name = name.clone();
            view! {
                <label class="field"><span class="field__label">{format!("Field names ({}, one per line)", fields.len())}</span>
                    <textarea class="input" rows=4 data-testid="io-field-names" prop:value=names
                        on:change=move |ev| {
                            let typed = labels_from_text(&event_target_value(&ev));
                            edit_input(wizard, problem, field_name.clone(), move |spec| {
                                let mut spec = spec.clone();
                                if let InputKind::Fields { fields } = &mut spec.kind {
                                    if typed.len() != fields.len() {
                                        return Err(format!("{} names for {} fields", typed.len(), fields.len()));
                                    }
                                    for (field, name) in fields.iter_mut().zip(typed) {
                                        field.name = name;
                                    }
                                }
                                Ok(spec)
                            });
                        }></textarea></label>
            }
            .into_any()
        }
        InputKind::FileBytes { begin, end, .. } => {
            view! { <p class="muted">{format!("The first {begin} and last {end} bytes of any file.")}</p> }.into_any()
        }
        InputKind::Tensor => {
            view! { <p class="muted">"Typed as JSON at trial time; an example of the right shape is filled in."</p> }
                .into_any()
        }
        InputKind::State => {
            view! { <p class="muted">"Fed with zeros: a trial starts from an empty memory."</p> }.into_any()
        }
    };
    view! {
        <fieldset class="io-form__item" data-testid="io-input" data-input=name.clone()>
            <legend>"Input " <code>{name.clone()}</code> " · " {spec.dtype.ort_name()} " " {format!("{:?}", spec.shape)}</legend>
            <label class="field"><span class="field__label">"A trial asks for"</span>
                <select class="input" data-testid="io-input-kind" on:change=change_kind>{options}</select></label>
            {settings}
        </fieldset>
    }
}

/// Numbers as typed, comma-separated (empty: none).
fn numbers(text: &str) -> Result<Vec<f32>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| t.parse::<f32>().map_err(|_| format!("{t:?} is not a number")))
        .collect()
}

/// Replaces output `name` with what `change` makes of it.
fn edit_output(
    wizard: Wizard,
    problem: RwSignal<Option<String>>,
    name: String,
    change: impl FnOnce(&OutputSpec) -> Result<OutputSpec, String>,
) {
    edit(wizard, problem, move |io| {
        let slot = io.outputs.iter_mut().find(|o| o.name == name).ok_or("that output is gone")?;
        *slot = change(slot)?;
        Ok(())
    });
}

#[component]
fn OutputRow(spec: OutputSpec, problem: RwSignal<Option<String>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let name = spec.name.clone();
    let current = OutputChoice::of(&spec.kind);
    let options = OutputChoice::ALL
        .into_iter()
        .map(|c| view! { <option value=c.key() selected=c == current>{c.label()}</option> })
        .collect_view();
    let kind_name = name.clone();
    let change_kind = move |ev: leptos::ev::Event| {
        let Some(choice) = OutputChoice::from_key(&event_target_value(&ev)) else { return };
        let classes = declared_classes(wizard, &kind_name);
        edit_output(wizard, problem, kind_name.clone(), |spec| Ok(with_output_kind(spec, choice, classes)));
    };
    let settings = match spec.kind.clone() {
        OutputKind::Classification { labels, softmax, top_k } => {
            let (labels_name, softmax_name, top_name) = (name.clone(), name.clone(), name.clone());
            let labels_view = match labels {
                Labels::Inline(labels) => view! {
                    <label class="field"><span class="field__label">{format!("Class labels ({}, one per line)", labels.len())}</span>
                        <textarea class="input" rows=5 data-testid="io-labels" prop:value=labels_text(&labels)
                            on:change=move |ev| {
                                let typed = labels_from_text(&event_target_value(&ev));
                                edit_output(wizard, problem, labels_name.clone(), move |spec| {
                                    let mut spec = spec.clone();
                                    if let OutputKind::Classification { labels, top_k, .. } = &mut spec.kind {
                                        *top_k = (*top_k).min(typed.len()).max(1);
                                        *labels = Labels::Inline(typed);
                                    }
                                    Ok(spec)
                                });
                            }></textarea></label>
                }
                .into_any(),
                Labels::Cid(cid) => view! { <p class="muted">"Labels stored on IPFS at " <code>{cid}</code></p> }.into_any(),
            };
            view! {
                {labels_view}
                <div class="io-form__grid">
                    <label class="field field--inline"><input type="checkbox" prop:checked=softmax
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            edit_output(wizard, problem, softmax_name.clone(), move |spec| {
                                let mut spec = spec.clone();
                                if let OutputKind::Classification { softmax, .. } = &mut spec.kind {
                                    *softmax = on;
                                }
                                Ok(spec)
                            });
                        } /> " Apply softmax (the model gives raw scores)"</label>
                    <label class="field"><span class="field__label">"Top classes shown"</span>
                        <input class="input input--number" type="number" min="1" prop:value=top_k.to_string()
                            on:change=move |ev| {
                                let typed = event_target_value(&ev);
                                edit_output(wizard, problem, top_name.clone(), move |spec| {
                                    let k = typed.trim().parse::<usize>().ok().filter(|&k| k > 0)
                                        .ok_or_else(|| format!("{typed:?} is not a number of classes"))?;
                                    let mut spec = spec.clone();
                                    if let OutputKind::Classification { top_k, .. } = &mut spec.kind {
                                        *top_k = k;
                                    }
                                    Ok(spec)
                                });
                            } /></label>
                </div>
            }
            .into_any()
        }
        OutputKind::Regression { names, .. } => {
            let names_name = name.clone();
            view! {
                <label class="field"><span class="field__label">"Names of the numbers (one per line)"</span>
                    <textarea class="input" rows=3 prop:value=names.join("\n")
                        on:change=move |ev| {
                            let typed = labels_from_text(&event_target_value(&ev));
                            edit_output(wizard, problem, names_name.clone(), move |spec| {
                                let mut spec = spec.clone();
                                if let OutputKind::Regression { names, .. } = &mut spec.kind {
                                    *names = typed;
                                }
                                Ok(spec)
                            });
                        }></textarea></label>
            }
            .into_any()
        }
        OutputKind::Tensor => {
            view! { <p class="muted">"Shown as values (the first ones), the whole tensor downloadable."</p> }.into_any()
        }
    };
    view! {
        <fieldset class="io-form__item" data-testid="io-output" data-output=name.clone()>
            <legend>"Output " <code>{name.clone()}</code></legend>
            <label class="field"><span class="field__label">"A trial shows"</span>
                <select class="input" data-testid="io-output-kind" on:change=change_kind>{options}</select></label>
            {settings}
        </fieldset>
    }
}
