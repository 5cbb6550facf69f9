//! Who else is paid from each sale: co-authors and parent models, and the NFT's resale royalty;
//! checked against the market's limits, and the split of a sale they promise.

use alloy_primitives::{Address, U256};
use serde::{Deserialize, Serialize};

use super::fields::{CoAuthorField, FieldError, FieldPath, ParentField};
use super::{Draft, MAX_CO_AUTHORS, MAX_PARENTS, MAX_ROYALTY_BPS};
use crate::contracts::IAssayMarket::{CoAuthor, ParentShare};
use crate::derivation::ParentRight;
use crate::licence::{BPS, CoAuthorCut, ParentCut, Payee, split};
use crate::units::percent_words;

/// A co-author as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CoAuthorFields {
    pub account: String,
    /// Percent of each sale (after the protocol fee), as typed.
    pub percent: String,
}

/// A parent model as picked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ParentFields {
    pub model_id: String,
    pub percent: String,
}

/// The shares of a sale as the market takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shares {
    /// ERC-2981 royalty on resales of the model's NFT.
    pub royalty_bps: u16,
    pub co_authors: Vec<CoAuthor>,
    /// Each with the licence it is derived under (0: the lister owns it).
    pub parents: Vec<ParentShare>,
    /// A parent licensed to the lister without commercial use: the model's tiers must be free.
    pub free_only: Option<U256>,
}

impl Shares {
    /// With a parent licensed without commercial use, every paid tier (`prices`: each tier's price
    /// in wei, in order) is refused on its price field.
    pub fn check_prices(&self, prices: impl IntoIterator<Item = U256>) -> Vec<FieldError> {
        let Some(parent) = self.free_only else { return Vec::new() };
        prices
            .into_iter()
            .enumerate()
            .filter(|(_, price)| !price.is_zero())
            .map(|(i, _)| {
                FieldError::new(
                    FieldPath::Tier(i, super::fields::TierField::Price),
                    format!(
                        "Your licence of model #{parent} doesn't allow commercial use: a model derived from it must be free (price 0)."
                    ),
                )
            })
            .collect()
    }

    /// Parents' and co-authors' shares together.
    pub fn total_bps(&self) -> u32 {
        crate::licence::total_share_bps(self.parents.iter().map(|p| p.bps), self.co_authors.iter().map(|a| a.bps))
    }
}

/// A percentage as typed (`20`, `12.5`, `0,25`, `7 %`) in basis points; at most two decimals.
pub fn percent_to_bps(text: &str) -> Result<u16, String> {
    let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(format!("“{}” is not a percentage (e.g. 20 or 12.5).", text.trim()));
    }
    if fraction.len() > 2 {
        return Err(format!("“{}”: shares go in steps of 0.01 %.", text.trim()));
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("“{}” is more than 100 %.", text.trim()))?
    };
    let fraction: u64 = format!("{fraction:0<2}").parse().expect("two digits");
    let bps = whole.saturating_mul(100).saturating_add(fraction);
    if bps > BPS {
        return Err(format!("{} is more than 100 %.", percent_words(bps)));
    }
    Ok(bps as u16)
}

impl Draft {
    /// The shares, checked: `creator` is the connected account (paid the remainder, so not a
    /// co-author too); `right(id)` is what the creator holds of model `id` to derive from it
    /// (`None`: no such model in the catalogue; see [`crate::derivation::parent_right`]).
    pub fn shares(
        &self,
        creator: Option<Address>,
        right: impl Fn(u64) -> Option<ParentRight>,
    ) -> Result<Shares, Vec<FieldError>> {
        let mut errors = Vec::new();
        let royalty_bps = match percent_to_bps(&self.royalty) {
            Ok(bps) if bps <= MAX_ROYALTY_BPS => bps,
            Ok(bps) => {
                errors.push(FieldError::new(
                    FieldPath::Royalty,
                    format!(
                        "The resale royalty is at most {}; {} is too much.",
                        percent_words(MAX_ROYALTY_BPS.into()),
                        percent_words(bps.into())
                    ),
                ));
                0
            }
            Err(message) => {
                errors.push(FieldError::new(FieldPath::Royalty, message));
                0
            }
        };
        if self.co_authors.len() > MAX_CO_AUTHORS {
            errors.push(FieldError::new(FieldPath::CoAuthors, format!("At most {MAX_CO_AUTHORS} co-authors.")));
        }
        if self.parents.len() > MAX_PARENTS {
            errors.push(FieldError::new(FieldPath::Parents, format!("At most {MAX_PARENTS} parent models.")));
        }
        let mut co_authors: Vec<CoAuthor> = Vec::new();
        for (i, author) in self.co_authors.iter().enumerate() {
            let account_field = FieldPath::CoAuthor(i, CoAuthorField::Account);
            let refuse = |errors: &mut Vec<FieldError>, message: String| {
                errors.push(FieldError::new(account_field, message));
                None
            };
            let account = match author.account.trim().parse::<Address>() {
                Ok(a) if a == Address::ZERO => refuse(&mut errors, "The zero address can't be paid.".into()),
                Ok(a) if Some(a) == creator => refuse(
                    &mut errors,
                    "That is your own account: you are paid what is left of each sale already.".into(),
                ),
                Ok(a) if co_authors.iter().any(|c| c.account == a) => {
                    refuse(&mut errors, "This co-author is listed twice; give them one share.".into())
                }
                Ok(a) => Some(a),
                Err(_) => refuse(
                    &mut errors,
                    format!("“{}” is not an Ethereum address (0x and 40 hex digits).", author.account.trim()),
                ),
            };
            let bps = share_bps(&author.percent, FieldPath::CoAuthor(i, CoAuthorField::Percent), &mut errors);
            if let (Some(account), Some(bps)) = (account, bps) {
                co_authors.push(CoAuthor { account, bps });
            }
        }
        let mut parents: Vec<ParentShare> = Vec::new();
        let mut free_only = None;
        for (i, parent) in self.parents.iter().enumerate() {
            let id_field = FieldPath::Parent(i, ParentField::ModelId);
            let parsed = parent.model_id.trim().trim_start_matches('#').parse::<u64>();
            let id = match parsed.as_ref().map(|id| (*id, right(*id))) {
                Ok((id, None)) => {
                    errors.push(FieldError::new(id_field, format!("Model #{id} is not in the catalogue.")));
                    None
                }
                Ok((id, _)) if parents.iter().any(|p| p.modelId == U256::from(id)) => {
                    errors
                        .push(FieldError::new(id_field, format!("Model #{id} is a parent twice; give it one share.")));
                    None
                }
                Ok((_, Some(ParentRight::Needed(needed)))) => {
                    errors.push(FieldError::new(id_field, needed.sentence()));
                    None
                }
                Ok((id, Some(right))) => {
                    if !right.commercial() {
                        free_only.get_or_insert(U256::from(id));
                    }
                    right.licence_id().map(|licence| (id, licence))
                }
                Err(_) => {
                    errors.push(FieldError::new(id_field, "Pick the parent model from the catalogue."));
                    None
                }
            };
            let bps = share_bps(&parent.percent, FieldPath::Parent(i, ParentField::Percent), &mut errors);
            if let (Some((id, licence)), Some(bps)) = (id, bps) {
                parents.push(ParentShare { modelId: U256::from(id), bps, licenceId: licence });
            }
        }
        let shares = Shares { royalty_bps, co_authors, parents, free_only };
        let total = shares.total_bps();
        if u64::from(total) > BPS {
            errors.push(FieldError::new(
                FieldPath::SharesTotal,
                format!(
                    "Parents and co-authors get {} of each sale together; at most 100 % can be shared (you get what is left).",
                    percent_words(total.into())
                ),
            ));
        }
        if errors.is_empty() { Ok(shares) } else { Err(errors) }
    }
}

fn share_bps(text: &str, path: FieldPath, errors: &mut Vec<FieldError>) -> Option<u16> {
    match percent_to_bps(text) {
        Ok(0) => {
            errors.push(FieldError::new(path, "A share must be more than 0 % (remove the row instead)."));
            None
        }
        Ok(bps) => Some(bps),
        Err(message) => {
            errors.push(FieldError::new(path, message));
            None
        }
    }
}

/// Where a sale of `price` wei under these shares goes, as the market will split it: the protocol
/// fee, each parent's owner (`owner_of(parent id)`), each co-author, and the creator.
pub fn sale_split(
    price: U256,
    fee_bps: u16,
    treasury: Address,
    shares: &Shares,
    owner_of: impl Fn(U256) -> Address,
    creator: Address,
) -> Vec<Payee> {
    let parents: Vec<ParentCut> = shares
        .parents
        .iter()
        .map(|p| ParentCut { model_id: p.modelId, owner: owner_of(p.modelId), bps: p.bps })
        .collect();
    let co_authors: Vec<CoAuthorCut> =
        shares.co_authors.iter().map(|a| CoAuthorCut { account: a.account, bps: a.bps }).collect();
    split(price, fee_bps, treasury, &parents, &co_authors, creator)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{ALICE, BOB, CREATOR, eth, journey_draft, listed, paths};
    use super::*;

    #[test]
    fn percentages_are_read_as_basis_points() {
        for (text, bps) in
            [("20", 2000), ("12.5", 1250), ("0,25", 25), ("7 %", 700), ("100", 10_000), (".5", 50), ("0", 0)]
        {
            assert_eq!(percent_to_bps(text), Ok(bps), "{text}");
        }
        assert_eq!(percent_to_bps("100.01").unwrap_err(), "100.01% is more than 100 %.");
        assert!(percent_to_bps("1.234").unwrap_err().contains("steps of 0.01"));
        for bad in ["", "abc", "-5", "1e3", "99999999999999999999999"] {
            assert!(percent_to_bps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_journeys_shares_are_accepted() {
        let shares = journey_draft().shares(Some(CREATOR), listed).unwrap();
        assert_eq!(shares.royalty_bps, 500);
        assert_eq!(shares.co_authors.iter().map(|a| a.bps).collect::<Vec<_>>(), [1000, 1500]);
        assert_eq!(shares.parents[0].modelId, U256::from(1));
        assert_eq!(shares.total_bps(), 4500);
    }

    #[test]
    fn shares_over_100_percent_are_refused_with_the_total() {
        let mut draft = journey_draft();
        draft.co_authors[1].percent = "75".into();
        let errors = draft.shares(Some(CREATOR), listed).unwrap_err();
        assert_eq!(paths(&errors), ["shares.total"]);
        assert_eq!(errors[0].path, FieldPath::SharesTotal);
        assert!(errors[0].message.contains("105%"), "{}", errors[0].message);
        // Exactly 100 % is allowed: the creator keeps only the rounding dust.
        draft.co_authors[1].percent = "70".into();
        assert_eq!(draft.shares(Some(CREATOR), listed).unwrap().total_bps(), 10_000);
    }

    #[test]
    fn wrong_co_authors_and_parents_are_named() {
        let draft = Draft {
            royalty: "12".into(),
            co_authors: vec![
                CoAuthorFields { account: "0x1234".into(), percent: "5".into() },
                CoAuthorFields { account: CREATOR.to_string(), percent: "5".into() },
                CoAuthorFields { account: ALICE.into(), percent: "0".into() },
                CoAuthorFields { account: ALICE.to_lowercase(), percent: "5".into() },
                CoAuthorFields { account: ALICE.into(), percent: "5".into() },
                CoAuthorFields { account: Address::ZERO.to_string(), percent: "5".into() },
            ],
            parents: vec![
                ParentFields { model_id: "9".into(), percent: "5".into() },
                ParentFields { model_id: "#2".into(), percent: "5".into() },
                ParentFields { model_id: "2".into(), percent: "5".into() },
                ParentFields { model_id: String::new(), percent: "5".into() },
            ],
            ..Draft::default()
        };
        let errors = draft.shares(Some(CREATOR), listed).unwrap_err();
        assert_eq!(
            paths(&errors),
            [
                "royalty",
                "coAuthors.0.account",
                "coAuthors.1.account",
                "coAuthors.2.percent",
                "coAuthors.4.account",
                "coAuthors.5.account",
                "parents.0.modelId",
                "parents.2.modelId",
                "parents.3.modelId"
            ]
        );
        assert_eq!(errors[3].path, FieldPath::CoAuthor(2, CoAuthorField::Percent));
        assert_eq!(errors[6].path, FieldPath::Parent(0, ParentField::ModelId));
        assert!(errors[0].message.contains("at most 10%"));
        assert!(errors[2].message.contains("your own account"));
        assert!(errors[4].message.contains("twice"));
        assert_eq!(errors[6].message, "Model #9 is not in the catalogue.");
    }

    #[test]
    fn each_parent_is_named_with_the_licence_it_is_derived_under() {
        use crate::derivation::Needed;
        let mut draft = journey_draft();
        draft.parents.push(ParentFields { model_id: "2".into(), percent: "5".into() });
        draft.parents.push(ParentFields { model_id: "3".into(), percent: "5".into() });
        let right = |id: u64| match id {
            1 => Some(ParentRight::Owner),
            2 => Some(ParentRight::Licence { id: U256::from(17), commercial: true }),
            3 => Some(ParentRight::Needed(Needed { parent: U256::from(3), tiers: vec![], inactive: None })),
            _ => None,
        };
        let errors = draft.shares(Some(CREATOR), right).unwrap_err();
        assert_eq!(paths(&errors), ["parents.2.modelId"]);
        assert!(errors[0].message.contains("need a licence of it that allows derivatives"), "{}", errors[0].message);
        draft.parents.pop();
        let shares = draft.shares(Some(CREATOR), right).unwrap();
        let licences: Vec<(U256, U256)> = shares.parents.iter().map(|p| (p.modelId, p.licenceId)).collect();
        assert_eq!(licences, [(U256::from(1), U256::ZERO), (U256::from(2), U256::from(17))]);
        assert_eq!(shares.free_only, None);
        assert!(shares.check_prices([eth("1")]).is_empty());
    }

    #[test]
    fn a_parent_licensed_without_commercial_use_keeps_every_tier_free() {
        let draft = journey_draft();
        let right = |id: u64| (id == 1).then_some(ParentRight::Licence { id: U256::from(9), commercial: false });
        let shares = draft.shares(Some(CREATOR), right).unwrap();
        assert_eq!(shares.free_only, Some(U256::from(1)));
        let errors = shares.check_prices([U256::ZERO, eth("0.1"), U256::ZERO, eth("2")]);
        assert_eq!(paths(&errors), ["tiers.1.price", "tiers.3.price"]);
        assert_eq!(
            errors[0].message,
            "Your licence of model #1 doesn't allow commercial use: a model derived from it must be free (price 0)."
        );
    }

    #[test]
    fn too_many_co_authors_and_parents_are_the_lists_problems() {
        let draft = Draft {
            co_authors: vec![CoAuthorFields::default(); MAX_CO_AUTHORS + 1],
            parents: vec![ParentFields::default(); MAX_PARENTS + 1],
            ..Draft::default()
        };
        let errors = draft.shares(None, listed).unwrap_err();
        let lists: Vec<_> = errors.iter().map(|e| e.path).filter(|p| p.row().is_none()).collect();
        assert_eq!(lists, [FieldPath::CoAuthors, FieldPath::Parents]);
    }

    #[test]
    fn the_review_shows_the_markets_split_to_the_wei() {
        let shares = journey_draft().shares(Some(CREATOR), listed).unwrap();
        let parent_owner = Address::repeat_byte(0x99);
        let treasury = Address::repeat_byte(0x77);
        let payees = sale_split(eth("1"), 250, treasury, &shares, |_| parent_owner, CREATOR);
        let amounts: Vec<(Address, U256)> = payees.iter().map(|p| (p.account, p.amount)).collect();
        assert_eq!(
            amounts,
            [
                (treasury, eth("0.025")),
                (parent_owner, eth("0.195")),
                (ALICE.parse().unwrap(), eth("0.0975")),
                (BOB.parse().unwrap(), eth("0.14625")),
                (CREATOR, eth("0.53625")),
            ]
        );
        assert_eq!(payees.iter().map(|p| p.amount).sum::<U256>(), eth("1"));
    }
}
