//! Browse's compliance filters: the card's declared risk category and personal data, and the
//! tiers' terms — a territory they must not exclude, a use they must not prohibit. Terms are read
//! from IPFS only while such a filter is set; a listing whose terms are on their way is undecided.

use assay_inference::card::{PersonalData, RiskCategory};

use super::{Card, Listing, Query, is_available};
use crate::contracts::IAssayMarket::ModelSummary;
use crate::terms::Restrictions;

/// A tier's terms as far as Browse has read them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TierTerms {
    Loading,
    Read(Restrictions),
    /// Not fetched, not verified or not readable whole: the tier matches no compliance filter.
    Unreadable,
}

/// The terms CIDs of a listing's available tiers.
pub fn terms_cids(summary: &ModelSummary) -> impl Iterator<Item = &str> {
    summary.tiers.iter().filter(|t| is_available(t) && !t.termsCid.is_empty()).map(|t| t.termsCid.as_str())
}

impl Listing {
    /// The listing with its tiers' terms as `read` knows them (by terms CID); a tier listed
    /// without terms restricts nothing.
    pub fn with_terms(mut self, read: impl Fn(&str) -> TierTerms) -> Listing {
        self.tier_terms = self
            .summary
            .tiers
            .iter()
            .map(|t| if t.termsCid.is_empty() { TierTerms::Read(Restrictions::default()) } else { read(&t.termsCid) })
            .collect();
        self
    }

    /// The terms CIDs a terms filter needs: those of the available tiers.
    pub fn terms_cids(&self) -> impl Iterator<Item = &str> {
        terms_cids(&self.summary)
    }

    /// Whether the listing passes the compliance filters; `None` while its card or terms are on
    /// their way and could decide it.
    pub(crate) fn matches_compliance(&self, query: &Query) -> Option<bool> {
        if query.risk.is_some() || query.without_personal_data {
            let text = match &self.card {
                Card::Read(text) => text,
                Card::Loading => return None,
                Card::Unreadable(_) => return Some(false),
            };
            let compliance = text.compliance.as_ref().and_then(|c| c.section().read().ok());
            let declared = compliance.map_or(RiskCategory::NotAssessed, |c| c.risk_category);
            if query.risk.is_some_and(|risk| risk != declared) {
                return Some(false);
            }
            if query.without_personal_data
                && compliance.map(|c| c.training_data.personal_data) != Some(PersonalData::None)
            {
                return Some(false);
            }
        }
        if !query.needs_terms() {
            return Some(true);
        }
        let mut pending = false;
        let tiers = self.summary.tiers.iter().zip(&self.tier_terms);
        for (tier, terms) in tiers.filter(|(t, _)| is_available(t)) {
            if (query.commercial && !tier.commercialUse) || (query.derivatives && !tier.derivativesAllowed) {
                continue;
            }
            match terms {
                TierTerms::Read(r)
                    if query.territory.is_none_or(|t| r.allows_territory(t))
                        && query.allowed_use.is_none_or(|u| r.allows_use(u)) =>
                {
                    return Some(true);
                }
                TierTerms::Loading => pending = true,
                TierTerms::Read(_) | TierTerms::Unreadable => {}
            }
        }
        if pending { None } else { Some(false) }
    }
}
