//! Form pieces: a labelled input (one line, several lines, or one line with suggestions) and the
//! problems of a field, each as a sentence.

use leptos::prelude::*;

/// How a field is typed in.
#[derive(Clone, Copy, Debug)]
pub enum Input {
    Line,
    Lines,
    /// One line, with suggestions (a `<datalist>` with this id); anything else may be typed.
    Suggested {
        list: &'static str,
        options: &'static [&'static str],
    },
}

/// `<label class="field">` with its label and input: `value` is shown, `on_input` gets each edit.
pub fn input_field(
    label: &'static str,
    test_id: String,
    value: impl Fn() -> String + Send + Sync + 'static,
    on_input: impl Fn(String) + 'static,
    input: Input,
) -> impl IntoView {
    let on_input = move |ev| on_input(event_target_value(&ev));
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            {match input {
                Input::Lines => view! { <textarea class="input" rows=4 data-testid=test_id prop:value=value on:input=on_input></textarea> }.into_any(),
                Input::Line => view! { <input class="input" data-testid=test_id prop:value=value on:input=on_input /> }.into_any(),
                Input::Suggested { list, options } => view! {
                    <input class="input" list=list data-testid=test_id prop:value=value on:input=on_input />
                    <datalist id=list>{options.iter().map(|o| view! { <option value=*o></option> }).collect_view()}</datalist>
                }.into_any(),
            }}
        </label>
    }
}

/// One problem of a field: `field` names it (`data-field`), `message` says what is wrong.
pub fn field_error(field: String, message: String) -> impl IntoView {
    view! { <p class="field__error" role="alert" data-testid="field-error" data-field=field>{message}</p> }
}
