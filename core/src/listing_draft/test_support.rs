//! What the draft's tests share: accounts, the seeded card, the e2e journey's shares.

use alloy_primitives::{Address, U256};

use super::{CoAuthorFields, Draft, FieldError, ParentFields};
use crate::derivation::ParentRight;
use crate::units::parse_ether;

pub const DIGITS_CARD: &str = include_str!("../../../inference/cards/digits.json");
pub const CREATOR: Address = Address::repeat_byte(0xc1);
pub const ALICE: &str = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
pub const BOB: &str = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

pub fn eth(text: &str) -> U256 {
    parse_ether(text).unwrap()
}

/// Models #1 to #4 are in the catalogue, and the creator owns them (so may derive from them).
pub fn listed(id: u64) -> Option<ParentRight> {
    (1..=4).contains(&id).then_some(ParentRight::Owner)
}

/// The e2e journey's shares: two co-authors (10 %, 15 %) and parent #1 (20 %).
pub fn journey_draft() -> Draft {
    Draft {
        co_authors: vec![
            CoAuthorFields { account: ALICE.into(), percent: "10".into() },
            CoAuthorFields { account: BOB.into(), percent: "15".into() },
        ],
        parents: vec![ParentFields { model_id: "1".into(), percent: "20".into() }],
        ..Draft::default()
    }
}

/// The errors' paths as the page names them.
pub fn paths(errors: &[FieldError]) -> Vec<String> {
    errors.iter().map(|e| e.path.to_string()).collect()
}
