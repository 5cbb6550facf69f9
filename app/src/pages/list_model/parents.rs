//! What the connected account holds of the parent models it names: its licences and the chain's
//! time, read when the wizard opens, when the account changes and when asked again (after buying
//! a licence on a parent's page), judged by `assay_core::derivation::parent_right` — the rule
//! `listModel` applies.

use alloy_primitives::{Address, U256};
use assay_core::contracts::IAssayMarket::LicenceView;
use assay_core::derivation::{ParentRight, parent_right};
use leptos::prelude::*;

use crate::chain::catalogue::CatalogueContext;
use crate::chain::listing::licences_of;
use crate::chain::market::Market;
use crate::wallet::WalletContext;

/// The account's licences as read, and the chain time they were read at.
#[derive(Clone, Debug, PartialEq)]
struct Held {
    account: Address,
    licences: Vec<LicenceView>,
    now: u64,
}

/// The connected account's licences, for the parents step. Cheap to copy.
#[derive(Clone, Copy)]
pub(super) struct ParentLicences {
    held: LocalResource<Result<Option<Held>, String>>,
    reads: RwSignal<u32>,
}

impl ParentLicences {
    pub fn new(wallet: WalletContext) -> Self {
        let reads = RwSignal::new(0u32);
        let held = LocalResource::new(move || {
            reads.track();
            let account = wallet.connection.with(|c| c.as_ref().map(|c| c.account));
            async move {
                let Some(account) = account else { return Ok(None) };
                let market = Market::session().map_err(|e| e.explain())?;
                let licences = licences_of(&market, account).await.map_err(|e| e.explain())?;
                let now = market.rpc.block_time(None).await.map_err(|e| e.explain())?;
                Ok(Some(Held { account, licences, now }))
            }
        });
        Self { held, reads }
    }

    /// Reads the account's licences again (a licence was bought since).
    pub fn read_again(&self) {
        self.reads.update(|n| *n += 1);
    }

    /// Whether a read is under way.
    pub fn reading(&self) -> bool {
        self.held.get().is_none()
    }

    /// Why the account's licences could not be read (the parents' rows then can't be checked).
    pub fn problem(&self) -> Option<String> {
        self.held
            .get()
            .and_then(|r| r.err())
            .map(|e| format!("Your licences could not be read, so the parent models can't be checked: {e}"))
    }

    /// What `account` holds of model `id`: `None` when the catalogue has no such model. While the
    /// licences are being read, only ownership counts.
    pub fn right(&self, catalogue: &CatalogueContext, account: Option<Address>, id: u64) -> Option<ParentRight> {
        let held = self.held.get().and_then(Result::ok).flatten().filter(|h| Some(h.account) == account);
        catalogue.catalogue.with(|c| {
            let model = c.as_ref()?.get(U256::from(id))?;
            let account = account.unwrap_or_default();
            let (licences, now) = held.as_ref().map_or((&[][..], 0), |h| (&h.licences[..], h.now));
            Some(parent_right(account, model.id, model.owner, &model.tiers, licences, now))
        })
    }

    /// As [`Self::right`], outside a reactive scope.
    pub fn right_untracked(
        &self,
        catalogue: &CatalogueContext,
        account: Option<Address>,
        id: u64,
    ) -> Option<ParentRight> {
        untrack(|| self.right(catalogue, account, id))
    }
}
