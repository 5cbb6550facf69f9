//! Browse's controls: the search box (debounced), the filters and the sort; each writes the URL.

use std::time::Duration;

use assay_core::browse::{Query, Sort, Weights};
use assay_core::terms::{ProhibitedUse, Territory};
use assay_core::units::{format_ether, parse_ether};
use assay_inference::card::RiskCategory;
use leptos::prelude::*;

use super::{History, go};

/// The search box waits this long after the last keystroke before searching.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(150);

/// Search box, filters and sort; each writes the URL.
#[component]
pub(super) fn Controls(query: Memo<Query>, tasks: Memo<Vec<String>>) -> impl IntoView {
    // The search box: typed text is searched 150 ms after the last keystroke. The first search
    // of a burst of typing adds a history entry, the rest replace it; the box is only rewritten
    // when the URL changes for another reason (Back, a link).
    let shown_text = RwSignal::new(query.get_untracked().text);
    let sent = StoredValue::new(query.get_untracked().text);
    let pushed = StoredValue::new(false);
    Effect::new(move |_| {
        let text = query.with(|q| q.text.clone());
        if text != sent.get_value() {
            sent.set_value(text.clone());
            shown_text.set(text);
        }
    });
    let mut search = debounce(SEARCH_DEBOUNCE, move |text: String| {
        sent.set_value(text.clone());
        let next = Query { text, ..query.get_untracked() }.first_page();
        go(&next, if pushed.get_value() { History::Replace } else { History::Push });
        pushed.set_value(true);
    });
    let change = move |edit: fn(&mut Query, String), value: String| {
        let mut next = query.get_untracked();
        edit(&mut next, value);
        go(&next.first_page(), History::Push);
    };

    let price_error = RwSignal::new(None::<String>);
    let price_input = move |label: &'static str,
                            test_id: &'static str,
                            get: fn(&Query) -> Option<alloy_primitives::U256>,
                            set: fn(&mut Query, Option<alloy_primitives::U256>)| {
        view! {
            <label class="browse__field browse__field--price">
                <span>{label}</span>
                <input
                    type="text"
                    inputmode="decimal"
                    placeholder="ETH"
                    autocomplete="off"
                    data-testid=test_id
                    prop:value=move || query.with(|q| get(q).map(|wei| format_ether(wei, 18)).unwrap_or_default())
                    on:change=move |ev| {
                        let typed = event_target_value(&ev);
                        let amount = if typed.trim().is_empty() { Some(None) } else { parse_ether(&typed).map(Some) };
                        match amount {
                            None => price_error.set(Some(format!("“{}” is not an amount of ETH (e.g. 0.05).", typed.trim()))),
                            Some(amount) => {
                                price_error.set(None);
                                let mut next = query.get_untracked();
                                set(&mut next, amount);
                                go(&next.first_page(), History::Push);
                            }
                        }
                    }
                />
            </label>
        }
    };

    // A yes/no filter of the query, as a checkbox.
    let flag_box =
        move |label: &'static str, test_id: &'static str, get: fn(&Query) -> bool, set: fn(&mut Query, bool)| {
            view! {
                <label class="browse__check">
                    <input type="checkbox" data-testid=test_id prop:checked=move || query.with(get)
                        on:change=move |ev| {
                            let mut next = query.get_untracked();
                            set(&mut next, event_target_checked(&ev));
                            go(&next.first_page(), History::Push);
                        } />
                    {format!(" {label}")}
                </label>
            }
        };

    view! {
        <form class="browse__controls" role="search" on:submit=move |ev| ev.prevent_default()>
            <label class="browse__search">
                <span class="visually-hidden">"Search models"</span>
                <input
                    type="search"
                    placeholder="Search names, descriptions, tags, tasks"
                    data-testid="browse-search"
                    autocomplete="off"
                    prop:value=move || shown_text.get()
                    on:input=move |ev| search(event_target_value(&ev))
                    on:blur=move |_| pushed.set_value(false)
                />
            </label>
            <div class="browse__filters">
                <label class="browse__field">
                    <span>"Task"</span>
                    <select data-testid="browse-task" on:change=move |ev| change(|q, v| q.task = (!v.is_empty()).then_some(v), event_target_value(&ev))>
                        <option value="" prop:selected=move || query.with(|q| q.task.is_none())>"Any task"</option>
                        {move || {
                            let chosen = query.with(|q| q.task.clone());
                            let mut options = tasks.get();
                            if let Some(task) = chosen.as_ref().map(|t| t.trim().to_lowercase())
                                && !options.contains(&task)
                            {
                                options.push(task);
                            }
                            options
                                .into_iter()
                                .map(|task| {
                                    let selected = chosen.as_ref().is_some_and(|c| c.trim().eq_ignore_ascii_case(&task));
                                    view! { <option value=task.clone() prop:selected=selected>{task.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                {flag_box("Commercial use", "browse-commercial", |q| q.commercial, |q, v| q.commercial = v)}
                {flag_box("Derivatives allowed", "browse-derivatives", |q| q.derivatives, |q, v| q.derivatives = v)}
                {flag_box("Claims reproduced", "browse-reproduced", |q| q.reproduced, |q, v| q.reproduced = v)}
                {flag_box("Show delisted", "browse-delisted", |q| q.delisted, |q, v| q.delisted = v)}
                {price_input("Price from", "browse-price-min", |q| q.min_price, |q, v| q.min_price = v)}
                {price_input("to", "browse-price-max", |q| q.max_price, |q, v| q.max_price = v)}
                <label class="browse__field">
                    <span>"Rating"</span>
                    <select data-testid="browse-rating" on:change=move |ev| change(|q, v| q.min_rating = v.parse().ok().filter(|r| (1..=5).contains(r)), event_target_value(&ev))>
                        <option value="" prop:selected=move || query.with(|q| q.min_rating.is_none())>"Any rating"</option>
                        {(1..=5u8).rev().map(|stars| view! {
                            <option value=stars.to_string() prop:selected=move || query.with(|q| q.min_rating == Some(stars))>
                                {format!("{} {stars}+", "★".repeat(stars as usize))}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="browse__field">
                    <span>"Weights"</span>
                    <select data-testid="browse-weights" on:change=move |ev| change(|q, v| q.weights = Weights::from_key(&v).unwrap_or_default(), event_target_value(&ev))>
                        {Weights::ALL.into_iter().map(|w| view! {
                            <option value=w.key() prop:selected=move || query.with(|q| q.weights == w)>{w.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="browse__field">
                    <span>"Risk category"</span>
                    <select data-testid="browse-risk" on:change=move |ev| change(|q, v| q.risk = RiskCategory::from_key(&v), event_target_value(&ev))>
                        <option value="" prop:selected=move || query.with(|q| q.risk.is_none())>"Any declared risk"</option>
                        {RiskCategory::ALL.into_iter().map(|r| view! {
                            <option value=r.key() prop:selected=move || query.with(|q| q.risk == Some(r))>{r.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {flag_box("Trained without personal data", "browse-no-personal-data", |q| q.without_personal_data, |q, v| q.without_personal_data = v)}
                <label class="browse__field">
                    <span>"Licensable in"</span>
                    <select data-testid="browse-territory" on:change=move |ev| change(|q, v| q.territory = Territory::from_code(&v), event_target_value(&ev))>
                        <option value="" prop:selected=move || query.with(|q| q.territory.is_none())>"Anywhere"</option>
                        {Territory::all().map(|t| view! {
                            <option value=t.code() prop:selected=move || query.with(|q| q.territory == Some(t))>{t.words()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="browse__field">
                    <span>"Licensable for"</span>
                    <select data-testid="browse-use" on:change=move |ev| change(|q, v| q.allowed_use = ProhibitedUse::from_key(&v), event_target_value(&ev))>
                        <option value="" prop:selected=move || query.with(|q| q.allowed_use.is_none())>"Any use"</option>
                        {ProhibitedUse::ALL.into_iter().map(|u| view! {
                            <option value=u.key() prop:selected=move || query.with(|q| q.allowed_use == Some(u))>{u.words()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="browse__field">
                    <span>"Sort"</span>
                    <select data-testid="browse-sort" on:change=move |ev| change(|q, v| q.sort = Sort::from_key(&v).unwrap_or_default(), event_target_value(&ev))>
                        {Sort::ALL.into_iter().map(|s| view! {
                            <option value=s.key() prop:selected=move || query.with(|q| q.sort == s)>{s.label()}</option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {move || price_error.get().map(|e| view! { <p class="error browse__price-error" role="alert" data-testid="browse-price-error">{e}</p> })}
        </form>
    }
}
