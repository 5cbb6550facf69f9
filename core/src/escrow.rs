//! Escrowed purchases of encrypted models, as the buyer and the creator see them: where a licence's
//! payment stands in chain time, who may act on it now (reclaim, challenge, release), and the words
//! for each state (the licence's, and a sale's on the creator's dashboard).
//!
//! The market holds an encrypted model's payment from the purchase until the key is delivered, then
//! for the challenge period (the buyer can prove a wrong key with `challenge` and is refunded in
//! full), after which anyone can `release` it (the split is credited). A key not delivered by the
//! delivery deadline lets the buyer `reclaim` the payment. Every deadline is in block time: the
//! chain's clock, which the page reads (`now`) and which anvil's time travel moves; a deadline is
//! inclusive (the contract acts on `now > deadline`). `now` is `None` until the page has read it,
//! and then nothing time-dependent is offered.

use alloy_primitives::U256;

use crate::contracts::IAssayMarket::LicenceStatus;
use crate::earnings::SaleState;
use crate::units::{price_words, utc_date_time};

/// Where an escrowed licence's payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// No key yet; the owner can still deliver it until `deadline`.
    AwaitingKey { deadline: u64 },
    /// No key by `deadline`: the holder may reclaim the payment.
    Reclaimable { deadline: u64 },
    /// Key delivered; the holder may prove it wrong until `until`.
    InChallengePeriod { until: u64 },
    /// Key delivered, the challenge period over since `since`: anyone may release the payment.
    Releasable { since: u64 },
}

impl Phase {
    /// The phase of a licence with `status` and escrow deadline `deadline` (`LicenceView.deliveryDeadline`)
    /// at chain time `now`; `None` for a licence with no payment in escrow.
    pub fn of(status: LicenceStatus, deadline: u64, now: Option<u64>) -> Option<Phase> {
        let past = now.is_some_and(|now| now > deadline);
        match status {
            LicenceStatus::AwaitingKey if past => Some(Phase::Reclaimable { deadline }),
            LicenceStatus::AwaitingKey => Some(Phase::AwaitingKey { deadline }),
            LicenceStatus::InChallengePeriod if past => Some(Phase::Releasable { since: deadline }),
            LicenceStatus::InChallengePeriod => Some(Phase::InChallengePeriod { until: deadline }),
            _ => None,
        }
    }
}

/// The holder may take the payment back (`reclaim`): no key by the delivery deadline.
pub fn may_reclaim(status: LicenceStatus, deadline: u64, now: Option<u64>) -> bool {
    matches!(Phase::of(status, deadline, now), Some(Phase::Reclaimable { .. }))
}

/// The holder may prove the delivered key wrong (`challenge`): delivered, and the challenge period
/// not over. The page offers it only for a key that does not open or does not match the commitment
/// ([`offers_challenge`]).
pub fn may_challenge(status: LicenceStatus, deadline: u64, now: Option<u64>) -> bool {
    matches!(Phase::of(status, deadline, now), Some(Phase::InChallengePeriod { .. }))
}

/// Whether the page offers **Challenge**: the delivered key failed to open or to match the
/// commitment (`key_is_right` false) and a challenge is still possible. A right key is never
/// offered (the challenge would be rejected and reveal the licence's secret for nothing).
pub fn offers_challenge(status: LicenceStatus, deadline: u64, now: Option<u64>, key_is_right: bool) -> bool {
    !key_is_right && may_challenge(status, deadline, now)
}

/// Anyone may release the payment (`release`): delivered, and the challenge period over.
pub fn may_release(status: LicenceStatus, deadline: u64, now: Option<u64>) -> bool {
    matches!(Phase::of(status, deadline, now), Some(Phase::Releasable { .. }))
}

/// A licence's status for its badge: a short state (a CSS and test name) and its words.
/// `expires_at` is the licence's expiry (0: perpetual), `deadline` its escrow deadline.
pub fn licence_status(
    status: LicenceStatus,
    expires_at: u64,
    deadline: u64,
    now: Option<u64>,
) -> (&'static str, String) {
    match Phase::of(status, deadline, now) {
        Some(Phase::AwaitingKey { deadline }) => {
            ("awaiting-key", format!("Waiting for the key until {}", utc_date_time(deadline)))
        }
        Some(Phase::Reclaimable { deadline }) => {
            ("awaiting-key", format!("Key not delivered by {}", utc_date_time(deadline)))
        }
        Some(Phase::InChallengePeriod { until }) => {
            ("in-challenge", format!("Key delivered: in challenge period until {}", utc_date_time(until)))
        }
        Some(Phase::Releasable { since }) => {
            ("releasable", format!("Key delivered: challenge period over since {}", utc_date_time(since)))
        }
        None => match status {
            LicenceStatus::Active if expires_at == 0 => ("active", "Active, perpetual".to_owned()),
            LicenceStatus::Active => ("active", format!("Active until {}", utc_date_time(expires_at))),
            LicenceStatus::Expired => ("expired", format!("Expired on {}", utc_date_time(expires_at))),
            _ => ("unknown", "Unknown".to_owned()),
        },
    }
}

/// The buyer's note under a licence whose payment is in escrow (`amount`), or `None` when none is.
pub fn buyer_note(status: LicenceStatus, amount: U256, deadline: u64, now: Option<u64>) -> Option<String> {
    let (price, at) = (price_words(amount), utc_date_time(deadline));
    Some(match Phase::of(status, deadline, now)? {
        Phase::AwaitingKey { .. } => format!(
            "Your {price} waits in escrow; the owner has until {at} to deliver the key, or you can take it back."
        ),
        Phase::Reclaimable { .. } => format!("The key was not delivered by {at}: take your {price} back."),
        Phase::InChallengePeriod { .. } => format!(
            "Your {price} stays in escrow until {at} (chain time): if the delivered key is wrong, you can prove it until then and be refunded."
        ),
        Phase::Releasable { .. } => format!(
            "The challenge period ended on {at} (chain time): your {price} goes to the creator and the licence becomes active once anyone releases it."
        ),
    })
}

/// Said beside **Challenge** when the delivered key does not open or does not match.
pub fn challenge_offer(until: u64) -> String {
    format!(
        "The delivered key is not the model's key. Until {} (chain time) you can prove it on chain: this reveals this licence's secret only, and refunds you in full.",
        utc_date_time(until)
    )
}

/// Said when the delivered key is wrong but the challenge period is over.
pub fn challenge_too_late(deadline: u64) -> String {
    format!(
        "The delivered key is not the model's key, and the challenge period ended on {} (chain time): it can no longer be proven on chain.",
        utc_date_time(deadline)
    )
}

/// The toast after a successful challenge.
pub const CHALLENGE_UPHELD: &str =
    "The delivered key was wrong: your payment is refunded (withdraw it from your dashboard).";

/// The toast after the buyer releases a payment.
pub const RELEASED: &str = "The payment went to the creator and the other payees: your licence is active.";

/// A delivered licence on the creator's dashboard: a short state (`challenge`, `releasable`) and
/// its words, or `None` when the licence is not in its challenge period.
pub fn creator_row(status: LicenceStatus, deadline: u64, now: Option<u64>) -> Option<(&'static str, String)> {
    match Phase::of(status, deadline, now)? {
        Phase::InChallengePeriod { until } => Some((
            "challenge",
            format!(
                "In challenge period until {} (chain time): the buyer can still prove the key wrong",
                utc_date_time(until)
            ),
        )),
        Phase::Releasable { since } => Some((
            "releasable",
            format!(
                "Challenge period over since {} (chain time): release the payment to split it",
                utc_date_time(since)
            ),
        )),
        _ => None,
    }
}

/// A sale on the creator's dashboard: a short state (`settled`, `escrow`, `challenge`, `refunded`)
/// and the note after its caption (empty for a settled sale).
pub fn sale_words(state: SaleState) -> (&'static str, String) {
    match state {
        SaleState::Settled => ("settled", String::new()),
        SaleState::InEscrow => ("escrow", " — in escrow until you deliver the key (Key deliveries)".to_owned()),
        SaleState::InChallengePeriod { until } => (
            "challenge",
            format!(
                " — key delivered, in challenge period (until {}): the payment stays in escrow until it is released (Key deliveries)",
                utc_date_time(until)
            ),
        ),
        SaleState::Refunded => ("refunded", " — refunded to the buyer: the key was not delivered in time".to_owned()),
        SaleState::Challenged => {
            ("refunded", " — refunded to the buyer: the delivered key was proven wrong".to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEADLINE: u64 = 1_764_979_200; // 2025-12-06 00:00 UTC

    #[test]
    fn the_phase_follows_the_status_and_the_chain_s_clock_with_inclusive_deadlines() {
        use LicenceStatus::*;
        assert_eq!(Phase::of(AwaitingKey, DEADLINE, Some(DEADLINE)), Some(Phase::AwaitingKey { deadline: DEADLINE }));
        assert_eq!(
            Phase::of(AwaitingKey, DEADLINE, Some(DEADLINE + 1)),
            Some(Phase::Reclaimable { deadline: DEADLINE })
        );
        assert_eq!(
            Phase::of(InChallengePeriod, DEADLINE, Some(DEADLINE)),
            Some(Phase::InChallengePeriod { until: DEADLINE })
        );
        assert_eq!(
            Phase::of(InChallengePeriod, DEADLINE, Some(DEADLINE + 1)),
            Some(Phase::Releasable { since: DEADLINE })
        );
        // The chain's clock not read yet: nothing past its deadline.
        assert_eq!(
            Phase::of(InChallengePeriod, DEADLINE, Option::None),
            Some(Phase::InChallengePeriod { until: DEADLINE })
        );
        assert_eq!(Phase::of(AwaitingKey, DEADLINE, Option::None), Some(Phase::AwaitingKey { deadline: DEADLINE }));
        for settled in [Active, Expired, None] {
            assert_eq!(Phase::of(settled, DEADLINE, Some(DEADLINE + 1)), Option::None);
        }
    }

    #[test]
    fn who_may_act_matches_what_the_contract_accepts() {
        use LicenceStatus::*;
        let (before, at, after) = (Some(DEADLINE - 1), Some(DEADLINE), Some(DEADLINE + 1));
        // reclaim: undelivered, strictly after the delivery deadline.
        assert!(!may_reclaim(AwaitingKey, DEADLINE, at));
        assert!(may_reclaim(AwaitingKey, DEADLINE, after));
        assert!(!may_reclaim(InChallengePeriod, DEADLINE, after), "no reclaim after a delivery");
        assert!(!may_reclaim(AwaitingKey, DEADLINE, Option::None));
        // challenge: delivered, up to the challenge deadline inclusive.
        assert!(may_challenge(InChallengePeriod, DEADLINE, before));
        assert!(may_challenge(InChallengePeriod, DEADLINE, at));
        assert!(!may_challenge(InChallengePeriod, DEADLINE, after));
        assert!(!may_challenge(AwaitingKey, DEADLINE, before), "nothing delivered to challenge");
        assert!(!may_challenge(Active, DEADLINE, before), "released: too late");
        // release: delivered, strictly after the challenge deadline.
        assert!(!may_release(InChallengePeriod, DEADLINE, at));
        assert!(may_release(InChallengePeriod, DEADLINE, after));
        assert!(!may_release(AwaitingKey, DEADLINE, after));
        assert!(!may_release(Active, DEADLINE, after), "already released");
        assert!(!may_release(InChallengePeriod, DEADLINE, Option::None));
    }

    #[test]
    fn challenge_is_offered_only_for_a_wrong_key_within_the_period() {
        use LicenceStatus::*;
        assert!(offers_challenge(InChallengePeriod, DEADLINE, Some(DEADLINE), false));
        assert!(!offers_challenge(InChallengePeriod, DEADLINE, Some(DEADLINE), true), "a right key: never");
        assert!(!offers_challenge(InChallengePeriod, DEADLINE, Some(DEADLINE + 1), false), "period over");
        assert!(!offers_challenge(Active, DEADLINE, Some(DEADLINE), false));
    }

    #[test]
    fn the_licence_badge_says_each_state_in_chain_time() {
        use LicenceStatus::*;
        assert_eq!(
            licence_status(AwaitingKey, 0, DEADLINE, Some(DEADLINE)),
            ("awaiting-key", "Waiting for the key until 2025-12-06 00:00 UTC".to_owned())
        );
        assert_eq!(
            licence_status(AwaitingKey, 0, DEADLINE, Some(DEADLINE + 1)),
            ("awaiting-key", "Key not delivered by 2025-12-06 00:00 UTC".to_owned())
        );
        assert_eq!(
            licence_status(InChallengePeriod, DEADLINE + 86_400, DEADLINE, Some(DEADLINE - 60)),
            ("in-challenge", "Key delivered: in challenge period until 2025-12-06 00:00 UTC".to_owned())
        );
        assert_eq!(
            licence_status(InChallengePeriod, 0, DEADLINE, Some(DEADLINE + 60)),
            ("releasable", "Key delivered: challenge period over since 2025-12-06 00:00 UTC".to_owned())
        );
        assert_eq!(licence_status(Active, 0, 0, Some(DEADLINE)), ("active", "Active, perpetual".to_owned()));
        assert_eq!(
            licence_status(Active, DEADLINE, 0, Some(DEADLINE)),
            ("active", "Active until 2025-12-06 00:00 UTC".to_owned())
        );
        assert_eq!(
            licence_status(Expired, DEADLINE, 0, Some(DEADLINE)),
            ("expired", "Expired on 2025-12-06 00:00 UTC".to_owned())
        );
    }

    #[test]
    fn the_buyer_is_told_where_the_payment_is_and_until_when() {
        use LicenceStatus::*;
        let amount = U256::from(5u64) * U256::from(10u64).pow(U256::from(16u64));
        let note = |status, now| buyer_note(status, amount, DEADLINE, Some(now)).unwrap();
        assert_eq!(
            note(AwaitingKey, DEADLINE),
            "Your 0.05 ETH waits in escrow; the owner has until 2025-12-06 00:00 UTC to deliver the key, or you can take it back."
        );
        assert_eq!(
            note(AwaitingKey, DEADLINE + 1),
            "The key was not delivered by 2025-12-06 00:00 UTC: take your 0.05 ETH back."
        );
        assert!(
            note(InChallengePeriod, DEADLINE)
                .starts_with("Your 0.05 ETH stays in escrow until 2025-12-06 00:00 UTC (chain time)")
        );
        assert!(
            note(InChallengePeriod, DEADLINE + 1).starts_with("The challenge period ended on 2025-12-06 00:00 UTC")
        );
        assert_eq!(buyer_note(Active, amount, DEADLINE, Some(DEADLINE)), Option::None);
        assert!(challenge_offer(DEADLINE).contains("Until 2025-12-06 00:00 UTC (chain time)"));
        assert!(challenge_too_late(DEADLINE).contains("can no longer be proven"));
    }

    #[test]
    fn each_sale_state_has_its_words_the_challenge_period_in_chain_time() {
        assert_eq!(sale_words(SaleState::Settled), ("settled", String::new()));
        assert_eq!(sale_words(SaleState::InEscrow).0, "escrow");
        let (state, note) = sale_words(SaleState::InChallengePeriod { until: DEADLINE });
        assert_eq!(state, "challenge");
        assert!(note.contains("in challenge period (until 2025-12-06 00:00 UTC)"), "{note}");
        assert_eq!(sale_words(SaleState::Refunded).0, "refunded");
        assert!(sale_words(SaleState::Refunded).1.contains("not delivered in time"));
        assert_eq!(sale_words(SaleState::Challenged).0, "refunded");
        assert!(sale_words(SaleState::Challenged).1.contains("the delivered key was proven wrong"));
    }

    #[test]
    fn the_creator_sees_the_challenge_period_then_a_release() {
        use LicenceStatus::*;
        let (state, words) = creator_row(InChallengePeriod, DEADLINE, Some(DEADLINE)).unwrap();
        assert_eq!(state, "challenge");
        assert!(words.starts_with("In challenge period until 2025-12-06 00:00 UTC (chain time)"));
        let (state, words) = creator_row(InChallengePeriod, DEADLINE, Some(DEADLINE + 1)).unwrap();
        assert_eq!(state, "releasable");
        assert!(words.contains("release the payment"));
        assert_eq!(creator_row(AwaitingKey, DEADLINE, Some(DEADLINE)), Option::None);
        assert_eq!(creator_row(Active, DEADLINE, Some(DEADLINE)), Option::None);
    }
}
