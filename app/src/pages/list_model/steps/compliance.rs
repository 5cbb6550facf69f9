//! The card step's compliance section: the self-declared risk category, out-of-scope uses, the
//! training data (summary, sources, personal data, licences), known biases and risks, a contact.
//! Optional as a whole; once anything is answered, the contact is required.

use assay_core::listing_draft::compliance::{personal_data_choices, risk_choices};
use assay_core::listing_draft::{Draft, FieldError, FieldPath, Step};
use assay_inference::card::{ComplianceField, PersonalData, RiskCategory};
use leptos::prelude::*;

use super::super::wizard::Wizard;
use super::{field_errors, text_field};

#[component]
pub(super) fn ComplianceForm(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let err = move |field: ComplianceField| field_errors(errors, FieldPath::Compliance(field), Step::Card, false);
    let risk = Memo::new(move |_| wizard.draft.with(|d| d.card.compliance.risk_category));
    view! {
        <fieldset class="panel compliance-form" data-testid="compliance-form">
            <legend>"Compliance (recommended)"</legend>
            <p class="muted">
                "What regulators and enterprise buyers ask, after the EU AI Act's transparency duties and Hugging Face's card sections. "
                "Your own declaration: Assay shows it on the model page and Browse filters on it; nobody certifies it. "
                "The intended use and limitations above belong to it too."
            </p>
            <div class="form-grid">
                <div>
                    {choice("Risk category (self-declared)", "compliance-risk", risk_choices(), |d| d.card.compliance.risk_category.key(), |d, key| {
                        if let Some(c) = RiskCategory::from_key(key) { d.card.compliance.risk_category = c }
                    })}
                    <p class="muted" data-testid="compliance-risk-meaning">{move || risk.get().meaning()}</p>
                    {text_field("Out-of-scope uses (one a line)", "compliance-out-of-scope".into(), |d| d.card.compliance.out_of_scope.clone(), |d, v| d.card.compliance.out_of_scope = v, true)}
                    {err(ComplianceField::OutOfScope)}
                    {text_field("Known biases and risks", "compliance-biases".into(), |d| d.card.compliance.biases.clone(), |d, v| d.card.compliance.biases = v, true)}
                    {err(ComplianceField::Biases)}
                    {text_field("Contact (e-mail address or https:// page)", "compliance-contact".into(), |d| d.card.compliance.contact.clone(), |d, v| d.card.compliance.contact = v, false)}
                    {err(ComplianceField::Contact)}
                </div>
                <div>
                    {text_field("Training data: what it is and how it was gathered", "compliance-training".into(), |d| d.card.compliance.training_summary.clone(), |d, v| d.card.compliance.training_summary = v, true)}
                    {err(ComplianceField::TrainingSummary)}
                    {text_field("Training data sources (one a line)", "compliance-sources".into(), |d| d.card.compliance.sources.clone(), |d, v| d.card.compliance.sources = v, true)}
                    {err(ComplianceField::Sources)}
                    {choice("Personal data in the training data", "compliance-personal-data", personal_data_choices(), |d| d.card.compliance.personal_data.key(), |d, key| {
                        if let Some(p) = PersonalData::from_key(key) { d.card.compliance.personal_data = p }
                    })}
                    {text_field("Training data licences (comma-separated)", "compliance-data-licences".into(), |d| d.card.compliance.data_licences.clone(), |d, v| d.card.compliance.data_licences = v, false)}
                    {err(ComplianceField::DataLicences)}
                </div>
            </div>
        </fieldset>
    }
}

/// A `<select>` bound to one of the draft's choices, by key.
fn choice(
    label: &'static str,
    test_id: &'static str,
    options: impl Iterator<Item = (&'static str, &'static str)>,
    get: impl Fn(&Draft) -> &'static str + Send + Sync + Copy + 'static,
    set: impl Fn(&mut Draft, &str) + Copy + 'static,
) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let options = options
        .map(|(key, label)| {
            view! { <option value=key selected=move || wizard.draft.with(|d| get(d) == key)>{label}</option> }
        })
        .collect_view();
    view! {
        <label class="field">
            <span class="field__label">{label}</span>
            <select class="input" data-testid=test_id on:change=move |ev| wizard.update(|d| set(d, &event_target_value(&ev)))>
                {options}
            </select>
        </label>
    }
}
