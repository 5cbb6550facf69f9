//! Step 6, co-authors and parent models, and the NFT's resale royalty: checked as they are typed.

use alloy_primitives::U256;
use assay_core::catalogue::Manifest;
use assay_core::config::RuntimeConfig;
use assay_core::derivation::ParentRight;
use assay_core::listing_draft::{CoAuthorFields, FieldPath, ParentFields, Row, Step};
use assay_core::units::{percent_words, short_address};
use leptos::prelude::*;

use super::super::parents::ParentLicences;
use super::super::wizard::Wizard;
use super::{StepNav, field_errors, text_field};
use crate::chain::catalogue::CatalogueContext;
use crate::wallet::WalletContext;

#[component]
pub(in super::super) fn SharesStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let licences: ParentLicences = expect_context();
    let account = Memo::new(move |_| wallet.connection.with(|c| c.as_ref().map(|c| c.account)));
    let result = Memo::new(move |_| {
        let creator = account.get();
        let right = |id: u64| licences.right(&catalogue, creator, id);
        wizard.draft.with(|d| d.shares(creator, right).map(|s| s.total_bps()))
    });
    let errors = Memo::new(move |_| result.get().err().unwrap_or_default());
    let authors = Memo::new(move |_| wizard.draft.with(|d| d.co_authors.len()));
    let parents = Memo::new(move |_| wizard.draft.with(|d| d.parents.len()));
    let step = Step::Shares;
    // Shown as they are typed, not only once Next was pressed.
    let live = move |at: Row| field_errors(errors, at, step, true);
    let live_field = move |at: FieldPath| field_errors(errors, at, step, true);
    view! {
        <div class="panel">
            <h2 class="panel__title">"6. Co-authors and parent models"</h2>
            <p class="muted">"Each sale pays the protocol fee first; of the rest, every parent model's owner and co-author gets their share, and you get what is left. Shares are paid on chain, at every sale, to be withdrawn from each one's dashboard."</p>
            <h3>"Co-authors"</h3>
            {move || (0..authors.get()).map(|i| view! {
                <div class="row" data-testid="co-author-row">
                    {text_field("Account (0x…)", format!("co-author-{i}-account"), move |d| d.co_authors.get(i).map(|a| a.account.clone()).unwrap_or_default(), move |d, v| if let Some(a) = d.co_authors.get_mut(i) { a.account = v }, false)}
                    {text_field("Share (%)", format!("co-author-{i}-percent"), move |d| d.co_authors.get(i).map(|a| a.percent.clone()).unwrap_or_default(), move |d, v| if let Some(a) = d.co_authors.get_mut(i) { a.percent = v }, false)}
                    <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.co_authors.len() { d.co_authors.remove(i); } })>"Remove"</button>
                    {live(Row::CoAuthor(i))}
                </div>
            }).collect_view()}
            <button class="button button--small" data-testid="add-co-author" on:click=move |_| wizard.update(|d| d.co_authors.push(CoAuthorFields::default()))>"Add a co-author"</button>
            {live_field(FieldPath::CoAuthors)}
            <h3>"Parent models"</h3>
            <p class="muted">"If this model is built on models in the catalogue (fine-tuned, distilled, pruned), name them: their owners are paid their share of every sale. Naming a model you don't own needs your licence of it whose tier allows derivatives; a licence without commercial use means this model must be free."</p>
            {move || licences.problem().map(|p| view! { <p class="notice notice--warning" role="alert" data-testid="parent-licences-problem">{p}</p> })}
            {move || (parents.get() > 0).then(|| view! {
                <p class="muted">
                    "Bought a licence of a parent since this page opened? "
                    <button class="button button--small" data-testid="parent-licences-read-again" disabled=move || licences.reading()
                        on:click=move |_| licences.read_again()>
                        {move || if licences.reading() { "Reading your licences…" } else { "Check my licences again" }}
                    </button>
                </p>
            })}
            {move || (0..parents.get()).map(|i| view! { <ParentRow index=i /> {live(Row::Parent(i))} }).collect_view()}
            <button class="button button--small" data-testid="add-parent" on:click=move |_| wizard.update(|d| d.parents.push(ParentFields::default()))>"Add a parent model"</button>
            {live_field(FieldPath::Parents)}
            <h3>"Resale royalty"</h3>
            {text_field("Royalty on resales of the model's NFT (%, at most 10)", "royalty".into(), |d| d.royalty.clone(), |d, v| d.royalty = v, false)}
            {live_field(FieldPath::Royalty)}
            <p class="shares-total" data-testid="shares-total">
                {move || match result.get() {
                    Ok(total) => format!("Parents and co-authors: {} of each sale after the fee · you: {}.", percent_words(total.into()), percent_words(10_000 - u64::from(total))),
                    Err(_) => "Fix the shares above to see the split.".to_owned(),
                }}
            </p>
            {live_field(FieldPath::SharesTotal)}
            <StepNav step=step next_label="Next: review" check=move || result.with_untracked(Result::is_ok) />
        </div>
    }
}

/// A parent model: its id, the catalogue's name for it, its share.
#[component]
fn ParentRow(index: usize) -> impl IntoView {
    let wizard: Wizard = expect_context();
    let catalogue = CatalogueContext::wanted();
    let config: RuntimeConfig = expect_context();
    let wallet: WalletContext = expect_context();
    let licences: ParentLicences = expect_context();
    let i = index;
    let id = Memo::new(move |_| {
        wizard
            .draft
            .with(|d| d.parents.get(i).and_then(|p| p.model_id.trim().trim_start_matches('#').parse::<u64>().ok()))
    });
    let summary = Memo::new(move |_| {
        let id = id.get()?;
        catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(U256::from(id)).cloned()))
    });
    view! {
        <div class="row" data-testid="parent-row">
            {text_field("Model id (#)", format!("parent-{i}-model"), move |d| d.parents.get(i).map(|p| p.model_id.clone()).unwrap_or_default(), move |d, v| if let Some(p) = d.parents.get_mut(i) { p.model_id = v }, false)}
            {text_field("Share (%)", format!("parent-{i}-percent"), move |d| d.parents.get(i).map(|p| p.percent.clone()).unwrap_or_default(), move |d, v| if let Some(p) = d.parents.get_mut(i) { p.percent = v }, false)}
            <span class="parent-row__name" data-testid=format!("parent-{i}-name")>
                {move || summary.get().map(|s| {
                    let title = crate::ipfs::cards::name(&config.ipfs, &s.manifest()).unwrap_or_else(|| format!("Model #{}", s.id));
                    format!("{title} — owned by {}", short_address(&s.owner))
                })}
            </span>
            <span class="parent-row__licence muted" data-testid=format!("parent-{i}-licence")>
                {move || {
                    let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
                    match licences.right(&catalogue, account, id.get()?)? {
                        ParentRight::Owner => Some("You own it: no licence needed.".to_owned()),
                        ParentRight::Licence { id, commercial: true } => Some(format!("Derived under your licence #{id}.")),
                        ParentRight::Licence { id, commercial: false } => {
                            Some(format!("Derived under your licence #{id}, without commercial use: this model must be free."))
                        }
                        ParentRight::Needed(_) => None,
                    }
                }}
            </span>
            <button class="button button--small" on:click=move |_| wizard.update(|d| { if i < d.parents.len() { d.parents.remove(i); } })>"Remove"</button>
        </div>
    }
}
