//! Rows of progress: each a label and where it stands (waiting, running, done, failed), as an
//! ordered list — the listing wizard's publication, a trial's fetch / engine / validate / run.

use leptos::prelude::*;

/// Where one row of progress stands; the text says what is happening or what happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StepState {
    #[default]
    Waiting,
    Running(String),
    Done(String),
    Failed(String),
}

impl StepState {
    /// The state's name: the row's `data-state` and class modifier.
    pub fn name(&self) -> &'static str {
        match self {
            StepState::Waiting => "waiting",
            StepState::Running(_) => "running",
            StepState::Done(_) => "done",
            StepState::Failed(_) => "failed",
        }
    }

    /// What is shown beside the label (nothing while waiting).
    pub fn text(&self) -> &str {
        match self {
            StepState::Waiting => "",
            StepState::Running(text) | StepState::Done(text) | StepState::Failed(text) => text,
        }
    }
}

/// The rows as `<ol class=list_class>`, each `<li class="{row_class} {row_class}--{state}"
/// data-state={state}>` with the label in bold and the state's text after it. `row_test_id`: each
/// row's `data-testid`; `numbered`: each row's index as `data-step`.
#[component]
pub fn ProgressRows(
    #[prop(into)] rows: Signal<Vec<(String, StepState)>>,
    list_class: &'static str,
    list_test_id: &'static str,
    row_class: &'static str,
    #[prop(optional)] row_test_id: Option<&'static str>,
    #[prop(optional)] numbered: bool,
) -> impl IntoView {
    view! {
        <ol class=list_class data-testid=list_test_id>
            {move || rows.get().into_iter().enumerate().map(|(i, (label, state))| {
                let name = state.name();
                view! {
                    <li class=format!("{row_class} {row_class}--{name}") data-testid=row_test_id data-step=numbered.then_some(i) data-state=name>
                        <strong>{label}</strong> " " <span>{state.text().to_owned()}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
