//! Licence maths: where the money of a sale goes, and what a tier allows, in words.
//!
//! [`split`] mirrors `AssayMarket._split` exactly (integer division, same order): the protocol fee
//! first, then each parent model's share of the rest (to that parent's current owner), then each
//! co-author's share of the rest, and the remainder — rounding dust included — to the model's
//! owner. The buy summary shows it before the wallet is asked, and the dashboard checks sales
//! against it.

use alloy_primitives::{Address, U256};

use crate::contracts::IAssayMarket::Tier;

/// Basis points in a whole.
pub const BPS: u64 = 10_000;

/// Why an account is paid from a sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// The protocol fee, to the treasury.
    Fee,
    /// The owner of parent model `model_id` (this model is its derivative).
    Parent {
        model_id: U256,
    },
    CoAuthor,
    /// The model's owner: what is left after everyone else.
    Owner,
}

impl Role {
    /// The role in words; `owner` names the model's owner ("You" on the owner's own pages).
    pub fn words(&self, owner: &str) -> String {
        match self {
            Role::Fee => "Protocol fee".to_owned(),
            Role::Parent { model_id } => format!("Owner of parent model #{model_id}"),
            Role::CoAuthor => "Co-author".to_owned(),
            Role::Owner => owner.to_owned(),
        }
    }
}

/// One credit of a sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payee {
    pub account: Address,
    pub role: Role,
    pub amount: U256,
}

/// A parent model's share, with the parent's current owner (who is paid).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParentCut {
    pub model_id: U256,
    pub owner: Address,
    pub bps: u16,
}

/// A co-author's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoAuthorCut {
    pub account: Address,
    pub bps: u16,
}

/// Everyone a sale of `amount` wei credits, in the contract's order; zero credits are left out
/// (the contract credits nothing for them either).
pub fn split(
    amount: U256,
    fee_bps: u16,
    treasury: Address,
    parents: &[ParentCut],
    co_authors: &[CoAuthorCut],
    owner: Address,
) -> Vec<Payee> {
    let bps = U256::from(BPS);
    let mut payees = Vec::new();
    if amount.is_zero() {
        return payees;
    }
    let fee = amount * U256::from(fee_bps) / bps;
    let rest = amount - fee;
    let mut remaining = rest;
    for parent in parents {
        let share = rest * U256::from(parent.bps) / bps;
        if !share.is_zero() {
            remaining -= share;
            payees.push(Payee {
                account: parent.owner,
                role: Role::Parent { model_id: parent.model_id },
                amount: share,
            });
        }
    }
    for author in co_authors {
        let share = rest * U256::from(author.bps) / bps;
        if !share.is_zero() {
            remaining -= share;
            payees.push(Payee { account: author.account, role: Role::CoAuthor, amount: share });
        }
    }
    if !remaining.is_zero() {
        payees.push(Payee { account: owner, role: Role::Owner, amount: remaining });
    }
    if !fee.is_zero() {
        payees.insert(0, Payee { account: treasury, role: Role::Fee, amount: fee });
    }
    payees
}

/// The total of all shares in bps (what the listing form checks against 100%).
pub fn total_share_bps(parents: impl IntoIterator<Item = u16>, co_authors: impl IntoIterator<Item = u16>) -> u32 {
    parents.into_iter().chain(co_authors).map(u32::from).sum()
}

/// What a tier allows, as short phrases, in a fixed order.
pub fn rights(tier: &Tier) -> Vec<&'static str> {
    let mut rights = vec![if tier.commercialUse { "commercial use" } else { "non-commercial use only" }];
    rights.push(if tier.derivativesAllowed { "derivatives allowed" } else { "no derivatives" });
    rights.push(if tier.transferable { "transferable" } else { "non-transferable" });
    rights
}

/// Licences left in a tier: `None` when unlimited.
pub fn remaining_supply(tier: &Tier) -> Option<u32> {
    (tier.maxSupply != 0).then(|| tier.maxSupply.saturating_sub(tier.sold))
}

/// Why a tier can't be bought now, if it can't.
pub fn unavailable_reason(tier: &Tier) -> Option<&'static str> {
    if tier.paused {
        Some("Paused by the model's owner")
    } else if remaining_supply(tier) == Some(0) {
        Some("Sold out")
    } else {
        None
    }
}

/// The file name a licensed model downloads as: the card's name in lower case, ASCII letters and
/// digits kept, anything else one `-`.
pub fn download_file_name(card_name: &str) -> String {
    let mut name = String::new();
    for c in card_name.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-');
    format!("{}.onnx", if name.is_empty() { "model" } else { name })
}

/// Why `account` was credited from a sale of a model with these parties: the inverse of
/// [`split`], for showing a recorded sale (an account with several roles gets the first of fee,
/// parent, co-author, owner).
pub fn role_of(
    account: Address,
    treasury: Address,
    parents: &[ParentCut],
    co_authors: &[CoAuthorCut],
    owner: Address,
) -> Option<Role> {
    if account == treasury {
        Some(Role::Fee)
    } else if let Some(parent) = parents.iter().find(|p| p.owner == account) {
        Some(Role::Parent { model_id: parent.model_id })
    } else if co_authors.iter().any(|a| a.account == account) {
        Some(Role::CoAuthor)
    } else {
        (account == owner).then_some(Role::Owner)
    }
}

/// Why a free licence can't review its model (the library says it instead of the review form).
pub const FREE_LICENCE_REVIEW: &str =
    "Reviews come from licences bought at a price: this licence was free, so it can't review the model.";
/// Why the model's owner, creator or a co-author can't review it.
pub const INSIDER_REVIEW: &str =
    "You own, created or co-authored this model, so you can't review it: reviews come from its buyers.";

/// Why `holder` can't review the model with a licence (`paid`: bought at a price above 0), or
/// `None` when it can: the market's rule — a paid licence, held by an account that is neither the
/// model's current owner, its creator nor one of its co-authors.
pub fn review_refusal(
    paid: bool,
    holder: Address,
    owner: Address,
    creator: Address,
    co_authors: &[Address],
) -> Option<&'static str> {
    if !paid {
        Some(FREE_LICENCE_REVIEW)
    } else if holder == owner || holder == creator || co_authors.contains(&holder) {
        Some(INSIDER_REVIEW)
    } else {
        None
    }
}

/// What happens after a first purchase, in a few sentences (shown under the tiers once bought).
pub fn after_purchase(encrypted: bool) -> &'static str {
    if encrypted {
        "What happens next: your payment waits in escrow and your licence token is in your account. The creator \
         delivers the model's key, sealed so that only you can open it; your library shows when it arrives, then \
         downloads and decrypts the model. If no key comes in time, take your full payment back from the library; \
         if the key is wrong, your browser proves it and you are refunded."
    } else {
        "What happens next: your licence token is in your account. Open your library to download the model (every \
         byte checked against its CID) and, once you have used it, to review it."
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn after_a_purchase_the_buyer_is_told_what_happens_next() {
        assert!(after_purchase(false).contains("Open your library to download the model"));
        let sealed = after_purchase(true);
        assert!(sealed.contains("waits in escrow") && sealed.contains("take your full payment back"), "{sealed}");
    }
    use super::*;

    fn address(byte: u8) -> Address {
        Address::repeat_byte(byte)
    }

    fn tier(max_supply: u32, sold: u32, paused: bool) -> Tier {
        Tier {
            price: alloy_primitives::Uint::from(1_000u64),
            duration: 0,
            maxSupply: max_supply,
            sold,
            commercialUse: true,
            derivativesAllowed: false,
            transferable: true,
            paused,
            termsCid: String::new(),
        }
    }

    #[test]
    fn fee_parents_co_authors_then_owner_with_the_dust() {
        let parents = [ParentCut { model_id: U256::from(1), owner: address(0xa1), bps: 1_500 }];
        let co_authors =
            [CoAuthorCut { account: address(0xc1), bps: 2_000 }, CoAuthorCut { account: address(0xc2), bps: 333 }];
        let payees = split(U256::from(1_000_001u64), 250, address(0xfe), &parents, &co_authors, address(0x0e));
        // fee = 1_000_001 * 250 / 10_000 = 25_000; rest = 975_001.
        assert_eq!(payees[0], Payee { account: address(0xfe), role: Role::Fee, amount: U256::from(25_000) });
        assert_eq!(payees[1].amount, U256::from(146_250)); // 975_001 * 1500 / 10000
        assert_eq!(payees[1].role, Role::Parent { model_id: U256::from(1) });
        assert_eq!(payees[2].amount, U256::from(195_000)); // * 2000
        assert_eq!(payees[3].amount, U256::from(32_467)); // * 333
        assert_eq!(payees[4], Payee { account: address(0x0e), role: Role::Owner, amount: U256::from(601_284) });
        let total: U256 = payees.iter().map(|p| p.amount).sum();
        assert_eq!(total, U256::from(1_000_001u64), "nothing is lost or created");
    }

    #[test]
    fn zero_credits_are_left_out() {
        // 3 wei: the fee and a 1% share round down to 0.
        let co_authors = [CoAuthorCut { account: address(0xc1), bps: 100 }];
        let payees = split(U256::from(3), 250, address(0xfe), &[], &co_authors, address(0x0e));
        assert_eq!(payees, vec![Payee { account: address(0x0e), role: Role::Owner, amount: U256::from(3) }]);
        assert!(split(U256::ZERO, 250, address(0xfe), &[], &co_authors, address(0x0e)).is_empty());
    }

    #[test]
    fn shares_of_everything_leave_the_owner_nothing() {
        let co_authors = [CoAuthorCut { account: address(0xc1), bps: 10_000 }];
        let payees = split(U256::from(10_000), 0, address(0xfe), &[], &co_authors, address(0x0e));
        assert_eq!(payees, vec![Payee { account: address(0xc1), role: Role::CoAuthor, amount: U256::from(10_000) }]);
        assert_eq!(total_share_bps([1_500], [2_000, 6_501]), 10_001);
    }

    #[test]
    fn download_names_are_plain() {
        assert_eq!(download_file_name("Handwritten digits (8×8)"), "handwritten-digits-8-8.onnx");
        assert_eq!(download_file_name("???"), "model.onnx");
    }

    #[test]
    fn supply_and_availability() {
        assert_eq!(remaining_supply(&tier(0, 12, false)), None);
        assert_eq!(remaining_supply(&tier(3, 1, false)), Some(2));
        assert_eq!(unavailable_reason(&tier(3, 3, false)), Some("Sold out"));
        assert_eq!(unavailable_reason(&tier(3, 3, true)), Some("Paused by the model's owner"));
        assert_eq!(unavailable_reason(&tier(0, 3, false)), None);
        assert_eq!(rights(&tier(0, 0, false)), vec!["commercial use", "no derivatives", "transferable"]);
    }

    #[test]
    fn a_recorded_credit_is_named_by_its_role() {
        let (treasury, parent_owner, author, owner) =
            (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3), Address::repeat_byte(4));
        let parents = [ParentCut { model_id: U256::from(9), owner: parent_owner, bps: 1500 }];
        let authors = [CoAuthorCut { account: author, bps: 1000 }];
        let role = |a| role_of(a, treasury, &parents, &authors, owner);
        assert_eq!(role(treasury), Some(Role::Fee));
        assert_eq!(role(parent_owner), Some(Role::Parent { model_id: U256::from(9) }));
        assert_eq!(role(author), Some(Role::CoAuthor));
        assert_eq!(role(owner), Some(Role::Owner));
        assert_eq!(role(Address::repeat_byte(5)), None);
        assert_eq!(role(parent_owner).unwrap().words("You"), "Owner of parent model #9");
        assert_eq!(Role::Owner.words("Model owner"), "Model owner");
        // Every payee of a split is named back as the role it was paid for.
        for payee in split(U256::from(10u64.pow(18)), 250, treasury, &parents, &authors, owner) {
            assert_eq!(role(payee.account), Some(payee.role));
        }
    }

    #[test]
    fn only_paid_licences_of_outsiders_review() {
        let (holder, owner, creator, co) =
            (Address::repeat_byte(1), Address::repeat_byte(2), Address::repeat_byte(3), Address::repeat_byte(4));
        assert_eq!(review_refusal(true, holder, owner, creator, &[co]), None);
        assert_eq!(review_refusal(false, holder, owner, creator, &[co]), Some(FREE_LICENCE_REVIEW));
        assert_eq!(review_refusal(true, owner, owner, creator, &[co]), Some(INSIDER_REVIEW));
        assert_eq!(review_refusal(true, creator, owner, creator, &[co]), Some(INSIDER_REVIEW), "sold the model since");
        assert_eq!(review_refusal(true, co, owner, creator, &[co]), Some(INSIDER_REVIEW));
        assert_eq!(review_refusal(false, owner, owner, creator, &[]), Some(FREE_LICENCE_REVIEW), "free first");
    }
}
