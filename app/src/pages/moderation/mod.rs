//! `#/moderation`: the moderation contract's fixed parameters, then open and closed cases with their
//! evidence and deadlines in chain time; **Finalize** when due, **Respond** for the model's owner and
//! **Rule** for the arbitrator's council only ([`case::CaseView`]). The dashboard's "Cases against
//! your models" ([`OwnerCases`]) is the same list narrowed to the connected account's models.

pub mod case;
mod credits;
pub mod evidence;

use alloy_primitives::{Address, U256};
use assay_core::glossary::Term as GlossaryTerm;
use assay_core::moderation::CaseRecord;
use assay_core::units::{format_ether, short_address};
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::market::Market;
use crate::chain::moderation::{self, Cases, NOT_DEPLOYED, Parameters};
use crate::ui::components::explorer_link::{ExplorerLink, OnExplorer};
use crate::ui::components::term::Term;
use crate::wallet::WalletContext;
use case::CaseView;
use credits::ModerationCredits;

type Loaded = Result<(Option<Parameters>, Cases), String>;

fn load(reads: RwSignal<u32>) -> LocalResource<Loaded> {
    LocalResource::new(move || {
        reads.track();
        async move {
            let market = Market::session().map_err(|e| e.explain())?;
            let params = moderation::parameters(&market).await.map_err(|e| e.explain())?;
            let cases = moderation::cases(&market).await.map_err(|e| e.explain())?;
            Ok((params, cases))
        }
    })
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let read = load(reads);
    view! {
        <section data-page="moderation">
            <h1>"Moderation"</h1>
            <p class="lede">"Each " <Term term=GlossaryTerm::Report>"report"</Term> " of a model, its owner's response and the arbitrator's ruling, with money at stake on both sides."</p>
            {move || read.get().map(|loaded| match loaded {
                Err(e) => view! { <p class="notice notice--warning" data-testid="moderation-error">{format!("Moderation cases could not be read: {e}")}</p> }.into_any(),
                Ok((None, _)) => view! { <p class="muted" data-testid="moderation-none">{NOT_DEPLOYED}</p> }.into_any(),
                Ok((Some(params), cases)) => view! {
                    <ParametersPanel params=params.clone() />
                    <ModerationCredits params=params.clone() reads=reads />
                    <CaseList cases=cases params=params reads=reads only_owner=None />
                }.into_any(),
            })}
        </section>
    }
}

/// The dashboard's moderation: the account's stakes to withdraw, and the cases against its models
/// (nothing when it has neither).
#[component]
pub fn OwnerCases() -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let reads = RwSignal::new(0u32);
    let read = load(reads);
    move || {
        let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account))?;
        let Some(Ok((Some(params), cases))) = read.get() else { return None };
        Some(view! {
            <ModerationCredits params=params.clone() reads=reads />
            <div class="panel" data-testid="owner-cases">
                <h2 class="panel__title">"Cases against your models"</h2>
                <CaseList cases=cases params=params reads=reads only_owner=Some(account) />
            </div>
        })
    }
}

/// The creator page's moderation record: every case against the models `creator` owns (`owned`,
/// by id, once known), open and closed.
#[component]
pub fn CreatorCases(creator: Address, owned: Memo<Option<Vec<U256>>>) -> impl IntoView {
    let reads = RwSignal::new(0u32);
    let read = load(reads);
    move || {
        let Some(Ok((Some(params), cases))) = read.get() else { return None };
        let owned = owned.get()?;
        let owns = |case: &CaseRecord| owned.contains(&U256::from(case.model_id));
        let count = cases.book.newest_first().filter(|c| owns(c)).count();
        Some(view! {
            <div class="panel" data-testid="creator-cases" data-count=count>
                <h2 class="panel__title">"Moderation cases"</h2>
                {if count > 0 {
                    view! { <CaseList cases=cases params=params reads=reads only_owner=Some(creator) /> }.into_any()
                } else {
                    view! { <p class="muted">"No one has reported this creator's models."</p> }.into_any()
                }}
            </div>
        })
    }
}

#[component]
fn ParametersPanel(params: Parameters) -> impl IntoView {
    let eth = |wei: U256| format!("{} ETH", format_ether(wei, 18));
    view! {
        <dl class="panel facts" data-testid="moderation-parameters">
            <dt>"Report stake"</dt><dd data-testid="moderation-stake">{eth(params.flag_stake)}</dd>
            <dt>"Owner's time to respond"</dt><dd>{assay_core::moderation::time_left(params.response_window)}</dd>
            <dt>"Arbitration fee taken from the stakes, at most"</dt><dd>{eth(params.fee_cap)}</dd>
            <dt>"Arbitrator"</dt><dd><code>{short_address(&params.arbitrator)}</code> " " <ExplorerLink target=OnExplorer::Account(params.arbitrator) testid="arbitrator-explorer" /></dd>
            <dt>"Council"</dt><dd data-testid="moderation-council">{params.council.map_or_else(|| "not a council arbitrator".to_owned(), |c| short_address(&c))}</dd>
        </dl>
    }
}

/// Open cases first, then closed ones, newest first; `only_owner`: only cases against models that account owns.
#[component]
fn CaseList(cases: Cases, params: Parameters, reads: RwSignal<u32>, only_owner: Option<Address>) -> impl IntoView {
    let catalogue = CatalogueContext::wanted();
    move || {
        let owner_of = |case: &CaseRecord| {
            catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(U256::from(case.model_id)).map(|m| m.owner)))
        };
        let mine = |case: &&CaseRecord| only_owner.is_none() || owner_of(case) == only_owner;
        let (open, closed): (Vec<_>, Vec<_>) = cases
            .book
            .newest_first()
            .filter(mine)
            .cloned()
            .partition(|c| c.phase(cases.now).is_some_and(|p| p.is_open()));
        let show = |list: Vec<CaseRecord>| {
            list.into_iter()
                .map(|case| {
                    let owner = owner_of(&case).unwrap_or_default();
                    view! { <CaseView case=case now=cases.now params=params.clone() model_owner=owner reads=reads /> }
                })
                .collect_view()
        };
        let (open_empty, closed_empty) = (open.is_empty(), closed.is_empty());
        view! {
            <h2>"Open cases"</h2>
            <div data-testid="cases-open">
                {open_empty.then(|| view! { <p class="muted">"No open cases."</p> })}
                {show(open)}
            </div>
            <h2>"Closed cases"</h2>
            <div data-testid="cases-closed">
                {closed_empty.then(|| view! { <p class="muted">"No closed cases."</p> })}
                {show(closed)}
            </div>
        }
    }
}
