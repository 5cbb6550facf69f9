//! The wizard's steps, one component each, and what they share: Back / Next, inputs bound to the
//! draft, a field's problems.

mod card;
mod compliance;
mod contributors;
mod evaluation;
mod file;
mod hf_import;
mod io;
mod io_form;
mod publish;
mod review;
mod tiers;
mod trial;

use assay_core::listing_draft::{Draft, FieldError, Shown, Step, errors_of};
use leptos::prelude::*;

pub(super) use self::card::CardStep;
pub(super) use self::contributors::SharesStep;
pub(super) use self::file::FileStep;
pub(super) use self::io::IoStep;
pub(super) use self::publish::PublishStep;
pub(super) use self::review::ReviewStep;
pub(super) use self::tiers::TiersStep;
pub(super) use self::trial::TryStep;
use super::wizard::Wizard;
use crate::ui::components::form::{self, Input};

/// Back and Next; Next runs `check` (which returns whether to go on).
#[component]
fn StepNav(
    step: Step,
    #[prop(into)] next_label: String,
    check: impl Fn() -> bool + Send + Sync + 'static,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let next = move |_| {
        wizard.attempt(step);
        if check()
            && let Some(next) = step.next()
        {
            wizard.go(next);
        }
    };
    view! {
        <div class="wizard__nav">
            {step.previous().map(|previous| view! {
                <button class="button" data-testid="wizard-back" on:click=move |_| wizard.showing.set(previous)>"Back"</button>
            })}
            <button class="button button--primary" data-testid="wizard-next" disabled=move || wizard.busy.get() on:click=next>{next_label}</button>
        </div>
    }
}

/// The errors in `errors` shown `at` a field or row (once `step` was attempted, or always if
/// `live`).
fn field_errors(errors: Memo<Vec<FieldError>>, at: impl Into<Shown>, step: Step, live: bool) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let at = at.into();
    move || {
        (live || wizard.shows_errors(step)).then(|| {
            errors.with(|e| {
                errors_of(e, at).map(|e| form::field_error(e.path.to_string(), e.message.clone())).collect_view()
            })
        })
    }
}

/// An input bound to a field of the draft (each edit saved).
fn draft_field(
    label: &'static str,
    test_id: String,
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + 'static,
    input: Input,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    form::input_field(
        label,
        test_id,
        move || wizard.draft.with(|d| get(d)),
        move |text| wizard.update(|d| set(d, text)),
        input,
    )
}

/// A text input (or textarea) bound to a field of the draft.
fn text_field(
    label: &'static str,
    test_id: String,
    get: impl Fn(&Draft) -> String + Send + Sync + 'static,
    set: impl Fn(&mut Draft, String) + 'static,
    multiline: bool,
) -> impl IntoView {
    draft_field(label, test_id, get, set, if multiline { Input::Lines } else { Input::Line })
}
