//! Step 5, licence tiers: each a price, a duration, a supply, what it allows, and its terms.

use assay_core::listing_draft::{FieldError, FieldPath, Step, TierField, TierFields};
use assay_core::terms::ProhibitedUse;
use leptos::prelude::*;

use super::super::wizard::Wizard;
use super::{StepNav, field_errors, text_field};

#[component]
pub(in super::super) fn TiersStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let errors = Memo::new(move |_| wizard.draft.with(|d| d.parsed_tiers().err().unwrap_or_default()));
    let count = Memo::new(move |_| wizard.draft.with(|d| d.tiers.len()));
    let step = Step::Tiers;
    view! {
        <div class="panel">
            <h2 class="panel__title">"5. Licence tiers"</h2>
            <p class="muted">"Each tier is one way to buy a licence: its price, how long it lasts, how many can be sold, and what it allows. Its terms are stored on IPFS."</p>
            {field_errors(errors, FieldPath::Tiers, step, false)}
            {move || (0..count.get()).map(|i| view! { <TierForm index=i errors=errors /> }).collect_view()}
            <p class="wizard__tools">
                <button class="button button--small" data-testid="add-tier-research" on:click=move |_| wizard.update(|d| d.tiers.push(TierFields::research()))>"Add a research tier"</button>
                <button class="button button--small" data-testid="add-tier-commercial" on:click=move |_| wizard.update(|d| d.tiers.push(TierFields::commercial()))>"Add a commercial tier"</button>
            </p>
            <StepNav step=step next_label="Next: co-authors and parents" check=move || errors.with_untracked(Vec::is_empty) />
        </div>
    }
}

#[component]
fn TierForm(index: usize, errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let i = index;
    let field = move |name: TierField| field_errors(errors, FieldPath::Tier(i, name), Step::Tiers, false);
    let flag = move |label: &'static str,
                     test_id: &'static str,
                     get: fn(&TierFields) -> bool,
                     set: fn(&mut TierFields, bool)| {
        view! {
            <label class="check">
                <input type="checkbox" data-testid=format!("tier-{i}-{test_id}")
                    prop:checked=move || wizard.draft.with(|d| d.tiers.get(i).map(get).unwrap_or_default())
                    on:change=move |ev| { let on = event_target_checked(&ev); wizard.update(|d| if let Some(t) = d.tiers.get_mut(i) { set(t, on) }); } />
                " " {label}
            </label>
        }
    };
    view! {
        <fieldset class="tier-form" data-testid="tier-form" data-index=i>
            <legend>{format!("Tier {}", i + 1)}</legend>
            {text_field("Title", format!("tier-{i}-title"), move |d| d.tiers.get(i).map(|t| t.title.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.title = v }, false)}
            {field(TierField::Title)}
            <div class="row">
                {text_field("Price (ETH)", format!("tier-{i}-price"), move |d| d.tiers.get(i).map(|t| t.price.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.price = v }, false)}
                {text_field("Days (empty: perpetual)", format!("tier-{i}-days"), move |d| d.tiers.get(i).map(|t| t.duration_days.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.duration_days = v }, false)}
                {text_field("Supply (empty: unlimited)", format!("tier-{i}-supply"), move |d| d.tiers.get(i).map(|t| t.supply.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.supply = v }, false)}
            </div>
            {field(TierField::Price)}
            {field(TierField::DurationDays)}
            {field(TierField::Supply)}
            <div class="row">
                {flag("Commercial use", "commercial", |t| t.commercial, |t, on| t.commercial = on)}
                {flag("Derivatives allowed", "derivatives", |t| t.derivatives, |t, on| t.derivatives = on)}
                {flag("Transferable", "transferable", |t| t.transferable, |t, on| t.transferable = on)}
            </div>
            {text_field("Terms", format!("tier-{i}-terms"), move |d| d.tiers.get(i).map(|t| t.terms.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.terms = v }, true)}
            {field(TierField::Terms)}
            <details class="tier-form__restrictions" data-testid=format!("tier-{i}-restrictions")>
                <summary>"Restrictions (prohibited uses, excluded territories)"</summary>
                <p class="muted">"Written into the terms document in a form programs read: the buyer confirms them before paying, and Browse filters on them."</p>
                <fieldset class="check-list">
                    <legend>"Prohibited uses"</legend>
                    {ProhibitedUse::ALL.into_iter().map(|use_| view! {
                        <label class="check">
                            <input type="checkbox" data-testid=format!("tier-{i}-prohibit-{}", use_.key())
                                prop:checked=move || wizard.draft.with(|d| d.tiers.get(i).is_some_and(|t| t.prohibited_uses.contains(&use_)))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    wizard.update(|d| if let Some(t) = d.tiers.get_mut(i) {
                                        t.prohibited_uses.retain(|u| *u != use_);
                                        if on { t.prohibited_uses.push(use_); t.prohibited_uses.sort(); }
                                    });
                                } />
                            " " {use_.words()}
                        </label>
                    }).collect_view()}
                </fieldset>
                {text_field("Excluded territories (country codes or names, comma-separated; EU for the European Union)", format!("tier-{i}-territories"), move |d| d.tiers.get(i).map(|t| t.excluded_territories.clone()).unwrap_or_default(), move |d, v| if let Some(t) = d.tiers.get_mut(i) { t.excluded_territories = v }, false)}
                {field(TierField::Territories)}
            </details>
            <button class="button button--small" data-testid=format!("tier-{i}-remove") on:click=move |_| wizard.update(|d| { if i < d.tiers.len() { d.tiers.remove(i); } })>"Remove this tier"</button>
        </fieldset>
    }
}
