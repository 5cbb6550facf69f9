//! How licences are offered in the seeded catalogue: the three kinds of tier, their terms
//! documents and prices.

use alloy_primitives::aliases::U96;
use assay_core::contracts::IAssayMarket::TierInput;

/// 1 finney = 10¹⁵ wei = 0.001 ETH: the unit the real listings' prices are written in.
pub const FINNEY: u64 = 1_000_000_000_000_000;
pub const DAY: u32 = 86_400;

/// How a tier is offered; each kind has its terms document on IPFS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    /// Perpetual, non-commercial research use, not transferable.
    Research,
    /// 365 days of commercial use, derivatives allowed, transferable.
    Commercial,
    /// Perpetual commercial use with derivatives, at most 3 licences.
    Founding,
}

impl Offer {
    pub const ALL: [Offer; 3] = [Offer::Research, Offer::Commercial, Offer::Founding];

    /// The terms document's file name and text (`assay_core::terms`' format: the research and
    /// commercial tiers restrict uses and a territory, the founding tier nothing beyond its words).
    pub fn terms(self) -> (&'static str, &'static str) {
        match self {
            Offer::Research => (
                "terms-research.txt",
                "Assay research licence\n\nPerpetual, non-commercial use of the licensed model for research, teaching and \
                 evaluation. Publishing results obtained with it is allowed; redistributing the weights, using it in a \
                 paid product or service, and publishing derivatives are not. The licence is personal and cannot be \
                 transferred.\n\n---\nassay-terms: 1\nprohibited-uses: military\n",
            ),
            Offer::Commercial => (
                "terms-commercial.txt",
                "Assay commercial licence (365 days)\n\nUse of the licensed model in commercial products and services for \
                 365 days from purchase, renewable at the tier's price. Derivatives (fine-tuned, pruned or distilled \
                 models) are allowed; a derivative listed on Assay names this model as its parent. The licence may be \
                 transferred to another account.\n\n---\nassay-terms: 1\nprohibited-uses: military, surveillance\n\
                 excluded-territories: KP\n",
            ),
            Offer::Founding => (
                "terms-founding.txt",
                "Assay founding licence (limited to 3)\n\nPerpetual commercial use of the licensed model, derivatives \
                 allowed (a derivative listed on Assay names this model as its parent). At most three founding licences \
                 are sold. The licence may be transferred to another account.\n",
            ),
        }
    }

    /// The tier at `price` wei, with its terms' CID.
    pub fn tier(self, price: U96, terms_cid: &str) -> TierInput {
        let (duration, max_supply, commercial) = match self {
            Offer::Research => (0, 0, false),
            Offer::Commercial => (365 * DAY, 0, true),
            Offer::Founding => (0, 3, true),
        };
        TierInput {
            price,
            duration,
            maxSupply: max_supply,
            commercialUse: commercial,
            derivativesAllowed: commercial,
            transferable: commercial,
            termsCid: terms_cid.to_owned(),
        }
    }

    /// The tier at `price` wei, its terms' CID taken from `terms` (in `Offer::ALL` order).
    pub fn tier_of(self, price: U96, terms: &[String]) -> TierInput {
        let index = Offer::ALL.iter().position(|o| *o == self).expect("every offer is in ALL");
        self.tier(price, &terms[index])
    }
}

pub fn finney(amount: u64) -> U96 {
    U96::from(amount) * U96::from(FINNEY)
}

#[cfg(test)]
mod tests {
    use assay_core::terms::{ProhibitedUse, TermsDocument};

    use super::*;

    #[test]
    fn tiers_say_what_their_offer_promises() {
        let research = Offer::Research.tier(finney(2), "bafkterms");
        assert_eq!(research.price, U96::from(2_000_000_000_000_000u64));
        assert_eq!(
            (research.duration, research.maxSupply, research.commercialUse, research.transferable),
            (0, 0, false, false)
        );
        let commercial = Offer::Commercial.tier(finney(50), "");
        assert_eq!((commercial.duration, commercial.derivativesAllowed), (365 * 86_400, true));
        assert_eq!(Offer::Founding.tier(finney(1), "").maxSupply, 3);
        let names: Vec<&str> = Offer::ALL.iter().map(|o| o.terms().0).collect();
        assert_eq!(names, ["terms-research.txt", "terms-commercial.txt", "terms-founding.txt"]);
        assert!(Offer::ALL.iter().all(|o| o.terms().1.starts_with("Assay ") && o.terms().1.ends_with('\n')));
        let restrictions = |offer: Offer| TermsDocument::parse(offer.terms().1.as_bytes()).unwrap().restrictions;
        assert_eq!(restrictions(Offer::Research).prohibited_uses, [ProhibitedUse::Military]);
        let commercial = restrictions(Offer::Commercial);
        assert_eq!(commercial.prohibited_uses, [ProhibitedUse::Military, ProhibitedUse::Surveillance]);
        assert_eq!(commercial.excluded_territories.iter().map(|t| t.code()).collect::<Vec<_>>(), ["KP"]);
        assert!(restrictions(Offer::Founding).is_empty());
    }
}
