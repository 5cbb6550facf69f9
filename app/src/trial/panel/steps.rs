//! The trial's progress: fetch, engine start, validation and compilation, run — each a row of
//! `ui::components::progress`.

use leptos::prelude::*;

use crate::ui::components::progress::{ProgressRows, StepState};

/// One step of a trial, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Step {
    Fetch,
    Engine,
    Compile,
    Run,
}

impl Step {
    pub const ALL: [Step; 4] = [Step::Fetch, Step::Engine, Step::Compile, Step::Run];

    pub fn label(self) -> &'static str {
        match self {
            Step::Fetch => "Fetch the model",
            Step::Engine => "Start the engine",
            Step::Compile => "Validate and compile",
            Step::Run => "Run",
        }
    }

    /// Its row, from 0 (the row's `data-step`).
    fn index(self) -> usize {
        self as usize
    }
}

/// Where each step stands.
#[derive(Clone, Copy)]
pub(super) struct Steps(RwSignal<[StepState; 4]>);

impl Steps {
    pub fn new() -> Self {
        Self(RwSignal::new(Default::default()))
    }

    pub fn set(self, step: Step, state: StepState) {
        self.0.update(|states| states[step.index()] = state);
    }

    pub fn running(self, step: Step, text: impl Into<String>) {
        self.set(step, StepState::Running(text.into()));
    }

    pub fn done(self, step: Step, text: impl Into<String>) {
        self.set(step, StepState::Done(text.into()));
    }

    /// Every step back to waiting.
    pub fn reset(self) {
        self.0.set(Default::default());
    }
}

/// `<ol class="trial__steps" data-testid="trial-steps">`, each row `step step--{state}` with its
/// `data-step` index and `data-state`.
#[component]
pub(super) fn StepRows(steps: Steps) -> impl IntoView {
    let rows = Signal::derive(move || {
        steps.0.with(|states| Step::ALL.iter().map(|s| (s.label().to_owned(), states[s.index()].clone())).collect())
    });
    view! { <ProgressRows rows=rows list_class="trial__steps" list_test_id="trial-steps" row_class="step" numbered=true /> }
}
