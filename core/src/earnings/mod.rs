//! A researcher's earnings, from the market's `Credited` logs (the fee, co-authors' shares, refunds:
//! credited to an account) and `EarningsCredited` logs (the owner's part and parents' shares:
//! credited to a model, claimed by its current owner): revenue per model and per day, and what the
//! account's models hold for it to claim.
//!
//! Every credit names the licence whose sale or renewal produced it; the licence's model comes
//! from its `LicencePurchased` log. A refund of a reclaimed licence (also a `Credited`, to the
//! buyer) is not revenue and is left out by the caller, who knows which licences were reclaimed.

use std::collections::{BTreeMap, BTreeSet};

use alloy_primitives::U256;

/// Why there is nothing to withdraw, shown beside the disabled Withdraw button.
pub const NOTHING_TO_WITHDRAW: &str =
    "Nothing to withdraw yet: your share of each licence sale appears here once it is credited.";

/// Why a withdrawable balance of `wei` can't be withdrawn, or `None` when it can (a withdrawal
/// of nothing would only cost gas and revert).
pub fn withdraw_blocked(wei: U256) -> Option<&'static str> {
    wei.is_zero().then_some(NOTHING_TO_WITHDRAW)
}

/// Why there is nothing to claim, shown beside the disabled Claim button.
pub const NOTHING_TO_CLAIM: &str =
    "Nothing to claim yet: the owner's part of each sale of your models accrues to the model until you claim it.";

/// What the account's models hold for it: the models with earnings (the ids `claim` takes, in the
/// order given) and their total.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Claimable {
    pub models: Vec<U256>,
    pub total: U256,
}

impl Claimable {
    /// From each owned model's `earningsOf`; models with nothing are left out of the claim (it
    /// would pay nothing for them and cost gas).
    pub fn of(earnings: &[(U256, U256)]) -> Self {
        let mut claimable = Claimable::default();
        for (model, wei) in earnings {
            if !wei.is_zero() && !claimable.models.contains(model) {
                claimable.models.push(*model);
                claimable.total += *wei;
            }
        }
        claimable
    }

    /// Why claiming can't be offered, or `None` when it can.
    pub fn blocked(&self) -> Option<&'static str> {
        self.models.is_empty().then_some(NOTHING_TO_CLAIM)
    }
}

/// Seconds in a day (UTC days: day `n` starts at `n * DAY`).
pub const DAY: u64 = 86_400;

/// One credit to the account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credit {
    pub licence_id: U256,
    pub amount: U256,
    /// Unix time of the block it was credited in.
    pub timestamp: u64,
}

/// What one model earned the account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModelEarnings {
    /// Licences that paid the account (sales and renewals, each licence counted once).
    pub licences: usize,
    pub revenue: U256,
}

/// Earnings per model and per UTC day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Earnings {
    pub per_model: BTreeMap<U256, ModelEarnings>,
    /// Day number (`timestamp / DAY`) → revenue; days without revenue are absent.
    pub per_day: BTreeMap<u64, U256>,
    pub total: U256,
}

/// Adds up `credits`; `model_of` names each licence's model (credits of unknown licences, e.g.
/// refunds, are skipped).
pub fn summarize(credits: &[Credit], model_of: impl Fn(U256) -> Option<U256>) -> Earnings {
    let mut earnings = Earnings::default();
    let mut seen: BTreeMap<U256, BTreeSet<U256>> = BTreeMap::new();
    for credit in credits {
        let Some(model) = model_of(credit.licence_id) else { continue };
        let entry = earnings.per_model.entry(model).or_default();
        entry.revenue += credit.amount;
        if seen.entry(model).or_default().insert(credit.licence_id) {
            entry.licences += 1;
        }
        *earnings.per_day.entry(credit.timestamp / DAY).or_default() += credit.amount;
        earnings.total += credit.amount;
    }
    earnings
}

/// The last `days` days up to and including `today`, oldest first, with each day's revenue (zero
/// where none): the bars of the dashboard's chart.
pub fn daily_series(earnings: &Earnings, today: u64, days: u64) -> Vec<(u64, U256)> {
    let first = today.saturating_sub(days.saturating_sub(1));
    (first..=today).map(|day| (day, earnings.per_day.get(&day).copied().unwrap_or_default())).collect()
}

/// `YYYY-MM-DD` of a day number.
pub fn day_label(day: u64) -> String {
    let text = crate::units::utc_date_time(day * DAY);
    text.split_whitespace().next().unwrap_or_default().to_owned()
}

mod sales;

pub use sales::{Credited, EscrowStep, Payee, Payment, Release, Sale, SaleState, sales};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdrawing_nothing_is_refused_with_its_reason() {
        assert_eq!(withdraw_blocked(U256::ZERO), Some(NOTHING_TO_WITHDRAW));
        assert_eq!(withdraw_blocked(U256::from(1u8)), None, "one wei can be withdrawn");
    }

    fn credit(licence: u64, amount: u64, timestamp: u64) -> Credit {
        Credit { licence_id: U256::from(licence), amount: U256::from(amount), timestamp }
    }

    #[test]
    fn revenue_adds_up_per_model_and_per_day() {
        let credits = [
            credit(1, 100, 10),
            credit(2, 50, DAY + 5),
            credit(1, 30, 2 * DAY), // a renewal of licence 1
            credit(3, 7, 2 * DAY + 1),
            credit(99, 1_000, 3 * DAY), // a refund: unknown licence
        ];
        let model_of = |licence: U256| match licence.to::<u64>() {
            1 | 2 => Some(U256::from(7)),
            3 => Some(U256::from(8)),
            _ => None,
        };
        let earnings = summarize(&credits, model_of);
        assert_eq!(earnings.per_model[&U256::from(7)], ModelEarnings { licences: 2, revenue: U256::from(180) });
        assert_eq!(earnings.per_model[&U256::from(8)], ModelEarnings { licences: 1, revenue: U256::from(7) });
        assert_eq!(earnings.total, U256::from(187));
        assert_eq!(earnings.per_day.get(&0), Some(&U256::from(100)));
        assert_eq!(earnings.per_day.get(&2), Some(&U256::from(37)));
        assert_eq!(earnings.per_day.get(&3), None);
        let series = daily_series(&earnings, 3, 5);
        assert_eq!(series.len(), 4, "no days before day 0");
        assert_eq!(series[3], (3, U256::ZERO));
        assert_eq!(daily_series(&earnings, 10, 3).iter().map(|(d, _)| *d).collect::<Vec<_>>(), vec![8, 9, 10]);
    }

    #[test]
    fn day_labels_are_dates() {
        assert_eq!(day_label(19_783), "2024-03-01");
    }

    #[test]
    fn the_claim_names_the_models_with_earnings_and_their_total() {
        let claimable = Claimable::of(&[
            (U256::from(3), U256::from(70)),
            (U256::from(5), U256::ZERO),
            (U256::from(9), U256::from(30)),
            (U256::from(3), U256::from(70)), // listed twice: claimed once
        ]);
        assert_eq!(claimable.models, [U256::from(3), U256::from(9)]);
        assert_eq!(claimable.total, U256::from(100));
        assert_eq!(claimable.blocked(), None);
        assert_eq!(Claimable::of(&[(U256::from(5), U256::ZERO)]).blocked(), Some(NOTHING_TO_CLAIM));
        assert_eq!(Claimable::of(&[]).blocked(), Some(NOTHING_TO_CLAIM));
    }
}
