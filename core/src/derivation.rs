//! Deriving from a listed model: the licence a derivative is made under, as `AssayMarket.listModel`
//! judges it. Naming a parent needs the parent model itself, or an active licence of it (not awaiting
//! its key, not expired) whose tier allows derivatives; a parent licensed without commercial use keeps
//! the derivative's tiers free. When no licence qualifies, the tiers to buy are named.

use alloy_primitives::{Address, U256};

use crate::contracts::IAssayMarket::{LicenceStatus, LicenceView, Tier};
use crate::units::format_ether;

/// What the lister holds of a parent model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParentRight {
    /// The lister owns the parent model: no licence is needed (licence id 0).
    Owner,
    /// The licence to derive under: the best the lister holds (commercial first, then the latest expiry).
    Licence { id: U256, commercial: bool },
    /// No licence of the lister qualifies.
    Needed(Needed),
}

/// Why the lister can't derive from a parent yet, and what to buy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Needed {
    pub parent: U256,
    /// Tiers that allow derivatives and can be bought now: (tier id, price in wei, commercial use).
    pub tiers: Vec<(u64, U256, bool)>,
    /// A licence the lister holds that allows derivatives but can't be used now (expired or awaiting its key).
    pub inactive: Option<U256>,
}

impl ParentRight {
    /// The licence id `listModel` takes for this parent (0 for its owner); none when one is needed.
    pub fn licence_id(&self) -> Option<U256> {
        match self {
            Self::Owner => Some(U256::ZERO),
            Self::Licence { id, .. } => Some(*id),
            Self::Needed(_) => None,
        }
    }

    /// Whether a derivative made under this right may be sold (not only given away).
    pub fn commercial(&self) -> bool {
        !matches!(self, Self::Licence { commercial: false, .. })
    }
}

impl Needed {
    /// The sentence the wizard shows under the parent's row.
    pub fn sentence(&self) -> String {
        let model = format!("model #{}", self.parent);
        let held = match self.inactive {
            Some(id) => format!("Your licence #{id} of {model} has expired or still awaits its key. "),
            None => String::new(),
        };
        if self.tiers.is_empty() {
            return format!(
                "{held}To name {model} as a parent you need a licence of it that allows derivatives, and none of its tiers on sale does."
            );
        }
        let tiers: Vec<String> = self
            .tiers
            .iter()
            .map(|(id, price, commercial)| {
                let price =
                    if price.is_zero() { "free".to_owned() } else { format!("{} ETH", format_ether(*price, 18)) };
                let use_ = if *commercial { "" } else { ", non-commercial" };
                format!("tier {id} ({price}{use_})")
            })
            .collect();
        format!(
            "{held}To name {model} as a parent you need a licence of it that allows derivatives: buy {} on its page, then come back.",
            or_list(&tiers)
        )
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// What `account` holds of model `parent`, owned by `owner`, whose tiers are `tiers`, at chain time
/// `now`; `licences` are the account's licences (any models: the parent's are picked).
pub fn parent_right(
    account: Address,
    parent: U256,
    owner: Address,
    tiers: &[Tier],
    licences: &[LicenceView],
    now: u64,
) -> ParentRight {
    if account == owner {
        return ParentRight::Owner;
    }
    let allows = |l: &LicenceView| {
        tiers.get(l.tierId.saturating_to::<usize>()).filter(|t| t.derivativesAllowed).map(|t| t.commercialUse)
    };
    let of_parent = || licences.iter().filter(|l| l.holder == account && l.modelId == parent);
    // An `Active` view can have expired since it was read: chain time decides.
    let active = |l: &LicenceView| l.status == LicenceStatus::Active && (l.expiresAt == 0 || l.expiresAt > now);
    let best = of_parent()
        .filter(|l| active(l))
        .filter_map(|l| allows(l).map(|commercial| (commercial, l.expiresAt == 0, l.expiresAt, l.id)))
        .max();
    if let Some((commercial, _, _, id)) = best {
        return ParentRight::Licence { id, commercial };
    }
    ParentRight::Needed(Needed {
        parent,
        tiers: tiers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.derivativesAllowed && crate::licence::unavailable_reason(t).is_none())
            .map(|(i, t)| (i as u64, U256::from(t.price), t.commercialUse))
            .collect(),
        inactive: of_parent().find(|l| allows(l).is_some()).map(|l| l.id),
    })
}

#[cfg(test)]
mod tests {
    use alloy_primitives::aliases::U96;

    use super::*;
    use crate::fixtures::tier;

    const ME: Address = Address::repeat_byte(0xaa);
    const OWNER: Address = Address::repeat_byte(0xbb);
    const NOW: u64 = 1_000_000;

    /// Tier 0: no derivatives; 1: derivatives, commercial, 0.5 ETH; 2: derivatives, non-commercial, free.
    fn tiers() -> Vec<Tier> {
        vec![tier(1, true, false), tier(500_000_000_000_000_000, true, true), tier(0, false, true)]
    }

    fn licence(id: u64, model: u64, tier: u64, status: LicenceStatus, expires_at: u64) -> LicenceView {
        LicenceView {
            id: U256::from(id),
            holder: ME,
            modelId: U256::from(model),
            tierId: U256::from(tier),
            expiresAt: expires_at,
            status,
            transferable: true,
            reviewed: false,
            paid: false,
            escrowAmount: U96::ZERO,
            deliveryDeadline: 0,
        }
    }

    fn right(licences: &[LicenceView]) -> ParentRight {
        parent_right(ME, U256::from(3), OWNER, &tiers(), licences, NOW)
    }

    #[test]
    fn the_owner_needs_no_licence() {
        assert_eq!(parent_right(OWNER, U256::from(3), OWNER, &tiers(), &[], NOW), ParentRight::Owner);
        assert_eq!(ParentRight::Owner.licence_id(), Some(U256::ZERO));
    }

    #[test]
    fn without_a_licence_the_tiers_allowing_derivatives_are_named() {
        let ParentRight::Needed(needed) = right(&[]) else { panic!("a licence is needed") };
        assert_eq!(needed.tiers.iter().map(|t| t.0).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(
            needed.sentence(),
            "To name model #3 as a parent you need a licence of it that allows derivatives: buy tier 1 (0.5 ETH) or tier 2 (free, non-commercial) on its page, then come back."
        );
    }

    #[test]
    fn a_licence_of_a_tier_without_derivatives_or_of_another_model_does_not_count() {
        let held = [licence(7, 3, 0, LicenceStatus::Active, 0), licence(8, 4, 1, LicenceStatus::Active, 0)];
        assert!(matches!(right(&held), ParentRight::Needed(Needed { inactive: None, .. })));
    }

    #[test]
    fn expired_and_escrowed_licences_are_named_but_not_used() {
        for held in [
            licence(9, 3, 1, LicenceStatus::Expired, NOW - 1),
            licence(9, 3, 1, LicenceStatus::AwaitingKey, 0),
            licence(9, 3, 1, LicenceStatus::InChallengePeriod, 0),
            // Read while active; expired by chain time now.
            licence(9, 3, 1, LicenceStatus::Active, NOW),
        ] {
            let ParentRight::Needed(needed) = right(&[held]) else { panic!("inactive licences don't count") };
            assert_eq!(needed.inactive, Some(U256::from(9)));
            assert!(needed.sentence().starts_with("Your licence #9 of model #3 has expired or still awaits its key."));
        }
    }

    #[test]
    fn the_best_licence_is_commercial_then_longest() {
        let held = [
            licence(10, 3, 2, LicenceStatus::Active, 0),
            licence(11, 3, 1, LicenceStatus::Active, NOW + 10),
            licence(12, 3, 1, LicenceStatus::Active, NOW + 20),
        ];
        assert_eq!(right(&held), ParentRight::Licence { id: U256::from(12), commercial: true });
        let perpetual = [licence(13, 3, 1, LicenceStatus::Active, 0), held[2].clone()];
        assert_eq!(right(&perpetual).licence_id(), Some(U256::from(13)));
        let free_only = right(&held[..1]);
        assert_eq!(free_only, ParentRight::Licence { id: U256::from(10), commercial: false });
        assert!(!free_only.commercial());
    }

    #[test]
    fn a_parent_allowing_no_derivatives_says_so() {
        let only = [tier(1, true, false)];
        let ParentRight::Needed(needed) = parent_right(ME, U256::from(5), OWNER, &only, &[], NOW) else {
            panic!("no licence")
        };
        assert!(needed.sentence().ends_with("none of its tiers on sale does."), "{}", needed.sentence());
    }
}
