//! Moderation on a model page: a banner on a model with an open case (its reason, evidence, deadline
//! in chain time and status, with Respond / Finalize / Rule for whoever may), the last closed case
//! in a line, and **Report** — a reason from the fixed list, evidence text, the stake and what
//! happens to it in words (`assay_core::moderation`), then one transaction (`flag` with the stake;
//! the evidence goes to IPFS first).

use alloy_primitives::{Address, U256};
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayModeration::Reason;
use assay_core::moderation::{REASONS, reason_label, report_stake_words};
use leptos::prelude::*;

use crate::chain::market::Market;
use crate::chain::moderation::{self, Cases, NOT_DEPLOYED, Parameters};
use crate::chain::tx::TxContext;
use crate::pages::moderation::case::CaseView;
use crate::pages::moderation::evidence::{EvidenceFields, EvidenceInput};
use crate::wallet::WalletContext;

/// The model's moderation: banner of its open case (or a line about its last one) and Report.
/// `reads` is bumped after a write so the page's listing (delisted or not) is read again.
#[component]
pub fn ModerationPanel(model: u64, owner: Address, delisted: bool, reads: RwSignal<u32>) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let read = LocalResource::new(move || {
        reads.track();
        async move {
            let market = Market::session().map_err(|e| e.explain())?;
            let params = moderation::parameters(&market).await.map_err(|e| e.explain())?;
            let cases = moderation::cases(&market).await.map_err(|e| e.explain())?;
            Ok::<(Option<Parameters>, Cases), String>((params, cases))
        }
    });
    move || {
        let loaded = read.get()?;
        Some(match loaded {
            Err(e) => view! {
                <p class="notice notice--warning" data-testid="moderation-error">{format!("Moderation cases could not be read: {e}")}</p>
            }
            .into_any(),
            Ok((None, _)) => view! { <p class="muted" data-testid="moderation-none">{NOT_DEPLOYED}</p> }.into_any(),
            Ok((Some(params), cases)) => {
                let latest = cases.book.latest_for(model).cloned();
                let open = latest.as_ref().and_then(|c| c.phase(cases.now)).is_some_and(|p| p.is_open());
                let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
                let may_report = !open && !delisted && account != Some(owner);
                view! {
                    {latest.map(|case| {
                        let class = if open { "moderation-banner notice notice--warning" } else { "moderation-banner" };
                        view! {
                            <div class=class data-testid="moderation-banner" data-open=open.to_string()>
                                <p><strong>{if open { "This model has been reported." } else { "Last moderation case" }}</strong></p>
                                <CaseView case=case now=cases.now params=params.clone() model_owner=owner reads=reads />
                            </div>
                        }
                    })}
                    {may_report.then(|| view! { <ReportForm model=model params=params.clone() reads=reads /> })}
                }
                .into_any()
            }
        })
    }
}

/// Report a model: reason, evidence, the stake in words, one transaction.
#[component]
fn ReportForm(model: u64, params: Parameters, reads: RwSignal<u32>) -> impl IntoView {
    let tx: TxContext = expect_context();
    let config: RuntimeConfig = expect_context();
    let wallet: WalletContext = expect_context();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(Reason::Misrepresented);
    let input = EvidenceInput::default();
    let busy = RwSignal::new(false);
    let stake_words = report_stake_words(params.flag_stake, params.fee_cap, params.response_window);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = reason.get_untracked();
        let (config, params) = (config.clone(), params.clone());
        input.send(
            tx,
            busy,
            "Report",
            format!("Report of model #{model}: {}", reason_label(chosen)),
            "Describe what is wrong with the model: the owner and the arbitrator read it.",
            move |draft| async move { moderation::flag(tx, &config, &params, U256::from(model), chosen, draft).await },
            move || {
                open.set(false);
                reads.update(|n| *n += 1);
            },
        );
    };
    let connected = move || wallet.connection.with(|c| c.is_some());
    view! {
        <div class="panel moderation-report" data-testid="report">
            {move || (!open.get()).then(|| view! {
                <button class="button button--quiet" data-testid="report-open" on:click=move |_| open.set(true)>"Report this model"</button>
            })}
            <form data-testid="report-form" on:submit=submit.clone() style:display=move || if open.get() { "" } else { "none" }>
                <h2 class="panel__title">"Report this model"</h2>
                <label>"Reason"
                    <select data-testid="report-reason" on:change=move |ev| {
                        if let Ok(i) = event_target_value(&ev).parse::<usize>() && let Some(r) = REASONS.get(i) {
                            reason.set(*r);
                        }
                    }>
                        {REASONS.iter().enumerate().map(|(i, r)| view! {
                            <option value=i.to_string() prop:selected=move || reason.get() == *r>{reason_label(*r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <EvidenceFields input=input label="Evidence" id="report" />
                <p class="muted" data-testid="report-stake">{stake_words.clone()}</p>
                <button class="button button--danger" type="submit" data-testid="report-submit" disabled=move || busy.get() || !connected()>
                    {move || if busy.get() { "Reporting…" } else { "Report and stake" }}
                </button>
                {move || (!connected()).then(|| view! { <span class="muted">" Connect a wallet to report."</span> })}
            </form>
        </div>
    }
}
