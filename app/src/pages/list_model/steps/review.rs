//! Step 7, review: every problem left, what will be listed, and where the money of each sale goes
//! (per tier, to the wei, as the market will split it).

use alloy_primitives::{Address, U256};
use assay_core::contracts::IAssayMarket;
use assay_core::listing_draft::{FieldError, FieldPath, Step, sale_split};
use assay_core::units::{duration_words, format_bytes, format_ether};
use leptos::prelude::*;

use super::super::parents::ParentLicences;
use super::super::wizard::Wizard;
use super::StepNav;
use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::error::AppError;
use crate::ui::components::split_table::SplitTable;
use crate::wallet::WalletContext;

/// The market's fee and treasury, read once.
async fn market_terms() -> Result<(u16, Address), AppError> {
    let market = Market::session().map_err(|_| AppError::NoMarket)?;
    let fee = market.read(IAssayMarket::protocolFeeBpsCall {}).await?;
    let treasury = market.read(IAssayMarket::treasuryCall {}).await?;
    Ok((fee, treasury))
}

#[component]
pub(in super::super) fn ReviewStep() -> impl IntoView {
    let wizard: Wizard = expect_context();
    let wallet: WalletContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let parents: ParentLicences = expect_context();
    let terms = LocalResource::new(market_terms);
    let account = move || wallet.connection.with(|c| c.as_ref().map(|c| c.account));
    // The draft checked once per change: every problem, and the tiers and shares once valid
    // (the split table below is computed from the same parse).
    let checked = Memo::new(move |_| {
        let creator = account();
        let right = |id: u64| parents.right(&catalogue, creator, id);
        wizard.draft.with(|d| {
            let mut problems = d.check_card();
            let tiers = d.parsed_tiers().map_err(|e| problems.extend(e)).ok();
            let shares = d.shares(creator, right).map_err(|e| problems.extend(e)).ok();
            if let (Some(tiers), Some(shares)) = (&tiers, &shares) {
                problems.extend(shares.check_prices(tiers.iter().map(|t| U256::from(t.price))));
            }
            if let Err(e) = d.io_schema() {
                problems.push(e);
            }
            if d.file.is_none() {
                problems.push(FieldError::new(FieldPath::File, "Choose the model file (step 1)."));
            }
            let titles: Vec<String> = d.tiers.iter().map(|t| t.title.clone()).collect();
            (problems, tiers.zip(shares).map(|(tiers, shares)| (tiers, shares, titles)))
        })
    });
    let problems = Memo::new(move |_| checked.with(|(problems, _)| problems.clone()));
    let splits = move || {
        let creator = account()?;
        let (fee_bps, treasury) = terms.get()?.ok()?;
        let owner_of = |id: U256| {
            catalogue.catalogue.with(|c| c.as_ref().and_then(|c| c.get(id).map(|s| s.owner)).unwrap_or_default())
        };
        checked.with(|(_, valid)| {
            let (tiers, shares, titles) = valid.as_ref()?;
            Some(
                tiers
                    .iter()
                    .zip(titles)
                    .map(|(tier, title)| {
                        let price = U256::from(tier.price);
                        (
                            title.clone(),
                            tier.duration,
                            price,
                            sale_split(price, fee_bps, treasury, shares, owner_of, creator),
                        )
                    })
                    .collect::<Vec<_>>(),
            )
        })
    };
    let card = move || wizard.draft.with(|d| d.card.clone());
    view! {
        <div class="panel">
            <h2 class="panel__title">"7. Review"</h2>
            {move || (!problems.with(Vec::is_empty)).then(|| view! {
                <div class="notice notice--warning" role="alert" data-testid="review-problems">
                    <p>"Before publishing:"</p>
                    <ul>{problems.get().into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                </div>
            })}
            {move || account().is_none().then(|| view! {
                <p class="notice" data-testid="review-connect">"Connect a wallet (top right): it lists the model, owns its NFT and is paid what is left of each sale."</p>
            })}
            <dl class="facts">
                <dt>"Name"</dt><dd data-testid="review-name">{move || card().name}</dd>
                <dt>"Task"</dt><dd>{move || card().task}</dd>
                <dt>"Licence"</dt><dd>{move || card().licence}</dd>
                <dt>"File"</dt><dd>{move || wizard.draft.with(|d| d.file.as_ref().map(|f| format!("{} · {} · {}", f.name, format_bytes(f.size), f.cid)))}</dd>
                <dt>"Weights"</dt><dd data-testid="review-weights">{move || wizard.draft.with(|d| match (d.encrypt, &d.trial) {
                    (false, _) => "Open: anyone can download the file; a licence grants the rights of its tier.".to_owned(),
                    (true, Some(t)) => format!("Encrypted in your browser at publication; buyers try the public file {} ({}).", t.name, format_bytes(t.size)),
                    (true, None) => "Encrypted in your browser at publication; no public trial file.".to_owned(),
                })}</dd>
            </dl>
            <h3>"Where the money of each sale goes"</h3>
            {move || match splits() {
                None => view! { <p class="muted">"The split appears once the tiers and shares are valid and a wallet is connected."</p> }.into_any(),
                Some(tiers) => tiers.into_iter().enumerate().map(|(i, (title, duration, price, payees))| view! {
                    <div class="review-tier" data-testid="review-tier" data-index=i>
                        <h4>{format!("{title} — {} ETH, {}", format_ether(price, 18), duration_words(duration))}</h4>
                        <SplitTable payees=payees owner="You" test_id="review-split" />
                    </div>
                }).collect_view().into_any(),
            }}
            <StepNav step=Step::Review next_label="Go to publishing" check=move || problems.with_untracked(Vec::is_empty) && account().is_some() />
        </div>
    }
}
