//! Each sale with its recorded split: a licence payment (purchase or renewal) and the credits of its
//! transaction — to accounts (`Credited`) and to models (`EarningsCredited`) — settled, still in
//! escrow, or refunded.

use alloy_primitives::{Address, B256, U256};

/// A payment for a licence (its purchase or a renewal), as its log tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payment {
    pub tx: B256,
    pub licence_id: U256,
    pub payer: Address,
    pub price: U256,
    pub renewal: bool,
    /// Paid into escrow (an encrypted model): split when released after the key's challenge
    /// period, refunded on reclaim or on a successful challenge.
    pub escrowed: bool,
}

/// What happened to an escrowed payment, as its log tells it (in transaction `tx`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Release {
    pub tx: B256,
    pub licence_id: U256,
    pub step: EscrowStep,
}

/// An escrowed payment's steps after the purchase: its key delivered (`KeyDelivered`: held until
/// the challenge deadline), then released (`EscrowReleased`: split among the payees) or refunded
/// (`DeliveryChallenged`: the key proven wrong); or, with no delivery, reclaimed
/// (`LicenceReclaimed`: refunded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EscrowStep {
    Delivered { challenge_until: u64 },
    Released,
    Challenged,
    Reclaimed,
}

/// Where a sale's money is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaleState {
    /// Split among the payees (at payment, or when released after the key's challenge period).
    Settled,
    /// Held by the market until the creator delivers the key (or the buyer reclaims it).
    InEscrow,
    /// The key was delivered; held until the challenge deadline `until` (block time, inclusive),
    /// during which the buyer can prove the key wrong, then released by anyone.
    InChallengePeriod { until: u64 },
    /// The key was not delivered in time: the price went back to the buyer.
    Refunded,
    /// The delivered key was proven wrong (`challenge`): the price went back to the buyer.
    Challenged,
}

/// Who a credit went to: an account (`Credited`: the fee, a co-author, a refund) or a model
/// (`EarningsCredited`: the owner's part, or a parent's share, claimed by the model's owner).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Payee {
    Account(Address),
    Model(U256),
}

/// One `Credited` or `EarningsCredited` log: who was credited how much, in which transaction, for
/// which licence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Credited {
    pub tx: B256,
    pub licence_id: U256,
    pub payee: Payee,
    pub amount: U256,
}

/// A payment with the credits it made: the exact split of one sale as the chain recorded it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sale {
    pub payment: Payment,
    /// In log order (`Credited` logs first, then `EarningsCredited`); for a refund, the buyer's
    /// credit; none while in escrow.
    pub credits: Vec<(Payee, U256)>,
    pub state: SaleState,
}

impl Sale {
    /// The credits add up to the price: nothing was lost or invented (money still in escrow
    /// is not credited yet, so it counts as balanced).
    pub fn balances(&self) -> bool {
        matches!(self.state, SaleState::InEscrow | SaleState::InChallengePeriod { .. })
            || self.credits.iter().map(|(_, amount)| *amount).sum::<U256>() == self.payment.price
    }
}

/// Each payment with the credits that settled it, in the order given (callers pass logs oldest
/// first): the credits of the same transaction and licence, or for an escrowed payment those of
/// the transaction that ended it (`releases`: its release, its challenge or its reclaim; a
/// delivery alone leaves it in its challenge period).
pub fn sales(payments: &[Payment], credits: &[Credited], releases: &[Release]) -> Vec<Sale> {
    payments
        .iter()
        .map(|payment| {
            let (tx, state) = if payment.escrowed {
                let steps = || releases.iter().filter(|r| r.licence_id == payment.licence_id);
                let end = steps().find(|r| !matches!(r.step, EscrowStep::Delivered { .. }));
                match end.or_else(|| steps().next()) {
                    None => (None, SaleState::InEscrow),
                    Some(r) => match r.step {
                        EscrowStep::Delivered { challenge_until } => {
                            (None, SaleState::InChallengePeriod { until: challenge_until })
                        }
                        EscrowStep::Released => (Some(r.tx), SaleState::Settled),
                        EscrowStep::Challenged => (Some(r.tx), SaleState::Challenged),
                        EscrowStep::Reclaimed => (Some(r.tx), SaleState::Refunded),
                    },
                }
            } else {
                (Some(payment.tx), SaleState::Settled)
            };
            let credits = credits
                .iter()
                .filter(|c| Some(c.tx) == tx && c.licence_id == payment.licence_id)
                .map(|c| (c.payee, c.amount))
                .collect();
            Sale { payment: *payment, credits, state }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credited(tx: B256, licence: u64, account: Address, amount: u64) -> Credited {
        Credited { tx, licence_id: U256::from(licence), payee: Payee::Account(account), amount: U256::from(amount) }
    }

    fn earned(tx: B256, licence: u64, model: u64, amount: u64) -> Credited {
        Credited {
            tx,
            licence_id: U256::from(licence),
            payee: Payee::Model(U256::from(model)),
            amount: U256::from(amount),
        }
    }

    #[test]
    fn a_sale_s_split_includes_what_its_model_and_its_parents_earned() {
        let tx = B256::repeat_byte(1);
        let (buyer, fee, co_author) = (Address::repeat_byte(0xb), Address::repeat_byte(0xf), Address::repeat_byte(0xa));
        let payment = Payment {
            tx,
            licence_id: U256::from(7),
            payer: buyer,
            price: U256::from(1000),
            renewal: false,
            escrowed: false,
        };
        let credits = [
            credited(tx, 7, fee, 25),
            credited(tx, 7, co_author, 195),
            earned(tx, 7, 2, 146), // the parent model #2's share
            earned(tx, 7, 4, 634), // the owner's part, to model #4 itself
            earned(tx, 8, 4, 1),   // another licence's
        ];
        let sale = &sales(&[payment], &credits, &[])[0];
        assert_eq!(
            sale.credits,
            [
                (Payee::Account(fee), U256::from(25)),
                (Payee::Account(co_author), U256::from(195)),
                (Payee::Model(U256::from(2)), U256::from(146)),
                (Payee::Model(U256::from(4)), U256::from(634)),
            ]
        );
        assert!(sale.balances());
    }

    #[test]
    fn a_sale_gathers_the_credits_of_its_transaction_and_licence() {
        let (tx1, tx2) = (B256::repeat_byte(1), B256::repeat_byte(2));
        let (buyer, fee, creator) = (Address::repeat_byte(0xb), Address::repeat_byte(0xf), Address::repeat_byte(0xc));
        let payments = [
            Payment {
                tx: tx1,
                licence_id: U256::from(7),
                payer: buyer,
                price: U256::from(1000),
                renewal: false,
                escrowed: false,
            },
            Payment {
                tx: tx2,
                licence_id: U256::from(7),
                payer: buyer,
                price: U256::from(1000),
                renewal: true,
                escrowed: false,
            },
        ];
        let credits = [
            credited(tx1, 7, fee, 25),
            credited(tx1, 7, creator, 975),
            // Another licence bought in the same transaction is not this sale's.
            credited(tx1, 8, creator, 500),
            credited(tx2, 7, fee, 25),
            credited(tx2, 7, creator, 900),
        ];
        let sales = sales(&payments, &credits, &[]);
        assert_eq!(
            sales[0].credits,
            [(Payee::Account(fee), U256::from(25)), (Payee::Account(creator), U256::from(975))]
        );
        assert_eq!(sales[0].state, SaleState::Settled);
        assert!(sales[0].balances());
        assert!(sales[1].payment.renewal);
        assert!(!sales[1].balances(), "75 wei missing");
    }

    #[test]
    fn an_escrowed_sale_is_held_through_the_challenge_period_then_split_by_its_release_or_refunded() {
        let tx = B256::repeat_byte;
        let (bought, delivered, released, reclaimed, challenged) = (tx(1), tx(2), tx(3), tx(4), tx(5));
        let (buyer, fee, creator) = (Address::repeat_byte(0xb), Address::repeat_byte(0xf), Address::repeat_byte(0xc));
        let payment = |licence: u64| Payment {
            tx: bought,
            licence_id: U256::from(licence),
            payer: buyer,
            price: U256::from(1000),
            renewal: false,
            escrowed: true,
        };
        let payments = [payment(1), payment(2), payment(3), payment(4), payment(5)];
        let credits = [
            credited(released, 1, fee, 25),
            credited(released, 1, creator, 975),
            credited(reclaimed, 2, buyer, 1000),
            // Licence 3's key was never delivered; a credit of another licence in its purchase
            // transaction is not its split.
            credited(bought, 6, creator, 1000),
            credited(challenged, 5, buyer, 1000),
        ];
        let step = |tx: B256, licence: u64, step: EscrowStep| Release { tx, licence_id: U256::from(licence), step };
        let until = 1_765_000_000;
        let releases = [
            step(delivered, 1, EscrowStep::Delivered { challenge_until: until }),
            step(released, 1, EscrowStep::Released),
            step(reclaimed, 2, EscrowStep::Reclaimed),
            step(delivered, 4, EscrowStep::Delivered { challenge_until: until }),
            step(delivered, 5, EscrowStep::Delivered { challenge_until: until }),
            step(challenged, 5, EscrowStep::Challenged),
        ];
        let sales = sales(&payments, &credits, &releases);
        // Released after its challenge period: split by the release, not by the delivery.
        assert_eq!(sales[0].state, SaleState::Settled);
        assert_eq!(
            sales[0].credits,
            [(Payee::Account(fee), U256::from(25)), (Payee::Account(creator), U256::from(975))]
        );
        assert!(sales[0].balances());
        assert_eq!(sales[1].state, SaleState::Refunded);
        assert_eq!(sales[1].credits, [(Payee::Account(buyer), U256::from(1000))]);
        assert!(sales[1].balances());
        assert_eq!(sales[2].state, SaleState::InEscrow);
        assert!(sales[2].credits.is_empty());
        assert!(sales[2].balances(), "nothing is credited while the price is in escrow");
        // Delivered, not released: still in escrow, until the challenge deadline.
        assert_eq!(sales[3].state, SaleState::InChallengePeriod { until });
        assert!(sales[3].credits.is_empty());
        assert!(sales[3].balances(), "nothing is credited during the challenge period");
        // Delivered, then proven wrong: the whole price back to the buyer.
        assert_eq!(sales[4].state, SaleState::Challenged);
        assert_eq!(sales[4].credits, [(Payee::Account(buyer), U256::from(1000))]);
        assert!(sales[4].balances());
    }
}
