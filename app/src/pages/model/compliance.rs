//! The card's compliance section on the model page, before any purchase: the self-declared risk
//! category, out-of-scope uses, the training data, known biases and risks, and the contact.

use assay_inference::card::{ComplianceSection, contact_link};
use leptos::prelude::*;

use crate::ui::components::markdown::Markdown;

#[component]
pub(super) fn ComplianceBlock(section: Option<ComplianceSection>) -> impl IntoView {
    let Some(section) = section else {
        return view! {
            <section class="compliance" data-testid="compliance" data-state="absent">
                <h3>"Compliance"</h3>
                <p class="muted">"The creator gave no compliance section (risk category, training data, contact)."</p>
            </section>
        }
        .into_any();
    };
    let c = match section.read() {
        Ok(c) => c.clone(),
        Err(why) => {
            return view! {
                <section class="compliance" data-testid="compliance" data-state="unreadable">
                    <h3>"Compliance"</h3>
                    <p class="notice notice--warning" data-testid="compliance-unreadable">{why}</p>
                </section>
            }
            .into_any();
        }
    };
    let data = c.training_data.clone();
    let contact = contact_link(&c.contact);
    view! {
        <section class="compliance" data-testid="compliance" data-state="read">
            <h3>"Compliance " <span class="badge" title="Declared by the creator; Assay does not certify it">"Self-declared"</span></h3>
            <dl class="facts">
                <dt>"Risk category"</dt>
                <dd data-testid="compliance-risk" data-risk=c.risk_category.key()>
                    <strong>{c.risk_category.label()}</strong> " — " {c.risk_category.meaning()}
                </dd>
                <dt>"Personal data in training"</dt>
                <dd data-testid="compliance-personal-data" data-value=data.personal_data.key()>{data.personal_data.label()}</dd>
                {(!data.sources.is_empty()).then(|| view! {
                    <dt>"Training data sources"</dt>
                    <dd data-testid="compliance-sources">{data.sources.join("; ")}</dd>
                })}
                {(!data.licences.is_empty()).then(|| view! {
                    <dt>"Training data licences"</dt>
                    <dd data-testid="compliance-data-licences">{data.licences.join(", ")}</dd>
                })}
                <dt>"Contact"</dt>
                <dd data-testid="compliance-contact">{match contact {
                    Some(href) => view! { <a href=href rel="noopener noreferrer">{c.contact.clone()}</a> }.into_any(),
                    None if c.contact.is_empty() => "—".into_any(),
                    None => view! { <span>{c.contact.clone()} " (not an address or https page)"</span> }.into_any(),
                }}</dd>
            </dl>
            {(!c.out_of_scope.is_empty()).then(|| view! {
                <h4>"Out of scope"</h4>
                <ul data-testid="compliance-out-of-scope">{c.out_of_scope.iter().map(|u| view! { <li>{u.clone()}</li> }).collect_view()}</ul>
            })}
            {(!data.summary.is_empty()).then(|| view! {
                <h4>"Training data"</h4>
                <div data-testid="compliance-training"><Markdown source=data.summary.clone() /></div>
            })}
            {(!c.biases.is_empty()).then(|| view! {
                <h4>"Known biases and risks"</h4>
                <div data-testid="compliance-biases"><Markdown source=c.biases.clone() /></div>
            })}
        </section>
    }
    .into_any()
}
