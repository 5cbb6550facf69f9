//! Step 4, the model card: name, task, tags, licence, source, intended use, limitations, the
//! description in Markdown (previewed), metrics typed (self-reported), and the evaluation set whose
//! computed figures the card claims, the compliance section; or the fields filled from a Hugging
//! Face README.md.

use assay_core::listing_draft::{CardField, FieldPath, MetricFields, Step};
use leptos::prelude::*;

use super::super::wizard::Wizard;
use super::compliance::ComplianceForm;
use super::evaluation::EvaluationSection;
use super::hf_import::HuggingFaceImport;
use super::{StepNav, draft_field, field_errors, text_field};
use crate::ui::components::form::Input;
use crate::ui::components::markdown::Markdown;

/// Tasks the catalogue filters on, offered in the card form (any other may be typed).
const TASKS: [&str; 8] = [
    "image-classification",
    "text-classification",
    "file-type-detection",
    "object-detection",
    "tabular-classification",
    "tabular-regression",
    "audio-classification",
    "feature-extraction",
];
/// Licences offered in the card form (SPDX ids; any other id or text may be typed).
const LICENCES: [&str; 6] = ["MIT", "Apache-2.0", "MIT OR Apache-2.0", "CC-BY-4.0", "CC-BY-NC-4.0", "OpenRAIL-M"];

#[component]
pub(in super::super) fn CardStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let errors = Memo::new(move |_| {
        wizard.draft.with(|d| {
            let mut errors = d.check_card();
            errors.extend(d.check_evaluation());
            errors
        })
    });
    let metric_count = Memo::new(move |_| wizard.draft.with(|d| d.card.metrics.len()));
    let step = Step::Card;
    let err = move |field: CardField| field_errors(errors, FieldPath::Card(field), step, false);
    view! {
        <div class="panel">
            <h2 class="panel__title">"4. Model card"</h2>
            <HuggingFaceImport />
            <div class="form-grid">
                <div>
                    {text_field("Name", "card-name".into(), |d| d.card.name.clone(), |d, v| d.card.name = v, false)}
                    {err(CardField::Name)}
                    {draft_field("Task", "card-task".into(), |d| d.card.task.clone(), |d, v| d.card.task = v, Input::Suggested { list: "tasks", options: &TASKS })}
                    {err(CardField::Task)}
                    {text_field("Tags (comma-separated)", "card-tags".into(), |d| d.card.tags.clone(), |d, v| d.card.tags = v, false)}
                    {draft_field("Licence of the weights (SPDX id or text)", "card-licence".into(), |d| d.card.licence.clone(), |d, v| d.card.licence = v, Input::Suggested { list: "licences", options: &LICENCES })}
                    {err(CardField::Licence)}
                    {text_field("Source (how it was trained or where it comes from)", "card-source".into(), |d| d.card.source.clone(), |d, v| d.card.source = v, true)}
                    {text_field("Intended use", "card-intended-use".into(), |d| d.card.intended_use.clone(), |d, v| d.card.intended_use = v, true)}
                    {text_field("Limitations", "card-limitations".into(), |d| d.card.limitations.clone(), |d, v| d.card.limitations = v, true)}
                </div>
                <div>
                    {text_field("Description (Markdown)", "card-description".into(), |d| d.card.description.clone(), |d, v| d.card.description = v, true)}
                    {err(CardField::Description)}
                    <div class="markdown-preview" data-testid="description-preview">
                        <span class="field__label">"Preview"</span>
                        {move || view! { <Markdown source=wizard.draft.with(|d| d.card.description.clone()) /> }}
                    </div>
                    <h3>"Metrics"</h3>
                    {move || (0..metric_count.get()).map(|i| view! {
                        <div class="row" data-testid="metric-row">
                            {text_field("Measured", format!("metric-name-{i}"), move |d| d.card.metrics.get(i).map(|m| m.name.clone()).unwrap_or_default(), move |d, v| if let Some(m) = d.card.metrics.get_mut(i) { m.name = v }, false)}
                            {text_field("Value", format!("metric-value-{i}"), move |d| d.card.metrics.get(i).map(|m| m.value.clone()).unwrap_or_default(), move |d, v| if let Some(m) = d.card.metrics.get_mut(i) { m.value = v }, false)}
                            <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.card.metrics.len() { d.card.metrics.remove(i); } })>"Remove"</button>
                            {field_errors(errors, FieldPath::Metric(i), step, false)}
                        </div>
                    }).collect_view()}
                    <button class="button button--small" data-testid="add-metric" on:click=move |_| wizard.update(|d| d.card.metrics.push(MetricFields::default()))>"Add a metric"</button>
                </div>
            </div>
            <ComplianceForm errors=errors />
            <EvaluationSection errors=errors />
            <StepNav step=step next_label="Next: licence tiers" check=move || errors.with_untracked(Vec::is_empty) />
        </div>
    }
}
