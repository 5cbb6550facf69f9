//! Why a contract call reverted, in words: revert data → [`Revert`] → a sentence naming the cause.
//!
//! Every custom error of `IAssayMarket`, `IAssayModels`, `IAssayEvaluations`, `IAssayModeration`,
//! `IAssayCouncilArbitrator` (their sentences in [`moderation`]) and the ERC-6093 errors of both tokens
//! (`IAssayERC721`) has its own sentence (the `match` is
//! exhaustive, so a new error in an interface fails the build until it has one). Solidity's
//! `Error(string)` and `Panic(uint256)` are explained too; anything else gets a readable fallback.
//! No sentence contains revert data or other hex beyond a short address.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{Panic, Revert as RevertString, SolError, SolInterface};

mod moderation;

use super::bindings::IAssayCouncilArbitrator::IAssayCouncilArbitratorErrors as Council;
use super::bindings::IAssayERC721::IAssayERC721Errors as Token;
use super::bindings::IAssayEvaluations::IAssayEvaluationsErrors as Evaluations;
use super::bindings::IAssayMarket::IAssayMarketErrors as Market;
use super::bindings::IAssayModels::IAssayModelsErrors as Models;
use super::bindings::IAssayModeration::IAssayModerationErrors as Moderation;
use crate::text::readable;
use crate::units::{format_ether, short_address, utc_date_time};

/// A decoded revert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revert {
    /// A custom error of the market contract.
    Market(Market),
    /// A custom error of the model NFT contract.
    Models(Models),
    /// A custom error of the evaluation attestations contract.
    Evaluations(Evaluations),
    /// A custom error of the moderation contract (errors it shares with the market decode as the market's).
    Moderation(Moderation),
    /// A custom error of the council arbitrator.
    Council(Council),
    /// An ERC-721 (ERC-6093) error of either token: the model NFT or the licence.
    Token(Token),
    /// `require(…, "message")` / `Error(string)`.
    Message(String),
    /// A Solidity panic (assertion, overflow, …): a bug, not the user's doing.
    Panic(Panic),
    /// Revert data Assay does not recognise (or none at all).
    Unknown,
}

impl Revert {
    /// Decodes revert data (the `data` of an `eth_call` / `eth_estimateGas` error).
    pub fn decode(data: &[u8]) -> Self {
        if let Ok(error) = Market::abi_decode(data) {
            return Revert::Market(error);
        }
        if let Ok(error) = Models::abi_decode(data) {
            return Revert::Models(error);
        }
        if let Ok(error) = Evaluations::abi_decode(data) {
            return Revert::Evaluations(error);
        }
        if let Ok(error) = Moderation::abi_decode(data) {
            return Revert::Moderation(error);
        }
        if let Ok(error) = Council::abi_decode(data) {
            return Revert::Council(error);
        }
        if let Ok(error) = Token::abi_decode(data) {
            return Revert::Token(error);
        }
        if let Ok(revert) = RevertString::abi_decode(data) {
            return Revert::Message(revert.reason);
        }
        if let Ok(panic) = Panic::abi_decode(data) {
            return Revert::Panic(panic);
        }
        Revert::Unknown
    }

    /// The custom error's Solidity name (`"SoldOut"`), if it is one.
    pub fn error_name(&self) -> Option<&'static str> {
        match self {
            Revert::Market(error) => Some(market_error_name(error)),
            Revert::Models(Models::OnlyMarket(_)) => Some("OnlyMarket"),
            Revert::Evaluations(Evaluations::VersionNotFound(_)) => Some("VersionNotFound"),
            Revert::Evaluations(Evaluations::ObservationCount(_)) => Some("ObservationCount"),
            Revert::Moderation(error) => Some(moderation::moderation_error_name(error)),
            Revert::Council(error) => Some(moderation::council_error_name(error)),
            Revert::Token(error) => Some(token_error_name(error)),
            _ => None,
        }
    }

    /// The sentence shown to a person.
    pub fn explain(&self) -> String {
        match self {
            Revert::Market(error) => explain_market(error),
            Revert::Models(Models::OnlyMarket(_)) => "Only the Assay market can mint model tokens.".to_owned(),
            Revert::Evaluations(Evaluations::VersionNotFound(e)) => {
                format!("{} has no version {}: reproduce a version it has.", capitalise(&model(&e.modelId)), e.version)
            }
            Revert::Evaluations(Evaluations::ObservationCount(e)) => {
                format!("An attestation records 1 to 16 observed values; this one has {}.", e.count)
            }
            Revert::Moderation(error) => moderation::explain_moderation(error),
            Revert::Council(error) => moderation::explain_council(error),
            Revert::Token(error) => explain_token(error),
            Revert::Message(reason) if reason.trim().is_empty() => UNKNOWN.to_owned(),
            Revert::Message(reason) => format!("The contract refused: {}.", readable(reason).trim_end_matches('.')),
            Revert::Panic(panic) => format!(
                "The contract stopped on an internal error ({}). This is a bug in the contract, not something you did.",
                panic.kind().map(|k| k.as_str()).unwrap_or("unknown panic")
            ),
            Revert::Unknown => UNKNOWN.to_owned(),
        }
    }
}

const UNKNOWN: &str = "The contract refused this transaction without giving a reason Assay recognises.";

fn model(id: &U256) -> String {
    format!("model #{id}")
}

fn licence(id: &U256) -> String {
    format!("licence #{id}")
}

fn eth(wei: &U256) -> String {
    format!("{} ETH", format_ether(*wei, 18))
}

fn percent(bps: &U256) -> String {
    crate::units::percent_words(bps.saturating_to::<u64>())
}

fn who(account: &Address) -> String {
    short_address(account)
}

fn date(timestamp: &U256) -> String {
    utc_date_time(timestamp.saturating_to::<u64>())
}

fn explain_market(error: &Market) -> String {
    match error {
        Market::FeeTooHigh(e) => format!("A protocol fee of {} is above the 2.5% maximum.", percent(&e.feeBps)),
        Market::ZeroAddress(_) => "An address is missing: a co-author (or the treasury) is the zero address.".to_owned(),
        Market::ZeroDeliveryWindow(_) => "The key-delivery window can't be zero.".to_owned(),
        Market::DeliveryWindowTooLong(e) => format!(
            "A key-delivery window of {} seconds is longer than the 30-day maximum.",
            e.window
        ),
        Market::EmptyCid(_) => "The model card's IPFS address (CID) is missing: upload the model card first.".to_owned(),
        Market::CidTooLong(e) => format!("An IPFS address (CID) is {} bytes long; the limit is 63.", e.length),
        Market::NoTiers(_) => "A model needs at least one licence tier.".to_owned(),
        Market::TooManyCoAuthors(e) => format!("A model can have at most 8 co-authors; this one has {}.", e.count),
        Market::TooManyParents(e) => format!("A model can have at most 4 parent models; this one has {}.", e.count),
        Market::TooManyTiers(e) => format!("A model can have at most 16 licence tiers; this would make {}.", e.count),
        Market::TooManyVersions(_) => "This model has reached the maximum number of versions.".to_owned(),
        Market::ZeroShare(_) => "Every co-author and parent model needs a share above 0%.".to_owned(),
        Market::SharesExceedTotal(e) => {
            format!("The co-author and parent shares add up to {}, more than 100%.", percent(&e.totalBps))
        }
        Market::ParentNotFound(e) => format!("The parent {} doesn't exist.", model(&e.parentId)),
        Market::SelfParent(e) => format!("A model can't be its own parent ({}).", model(&e.modelId)),
        Market::ParentLicenceRequired(e) => format!(
            "To name {} as a parent you need a licence of it whose tier allows derivatives: buy one on its page first.",
            model(&e.parentId)
        ),
        Market::NotParentLicence(e) => format!(
            "{} is not your licence of {}: derive under a licence of that model that you hold.",
            capitalise(&licence(&e.licenceId)),
            model(&e.parentId)
        ),
        Market::ParentLicenceInactive(e) => format!(
            "Your {} of {} has expired or is still awaiting its key: a derivative needs an active licence.",
            licence(&e.licenceId),
            model(&e.parentId)
        ),
        Market::DerivativesNotAllowed(e) => format!(
            "The tier of your {} doesn't allow derivatives of {}: buy a licence of a tier that does.",
            licence(&e.licenceId),
            model(&e.parentId)
        ),
        Market::CommercialUseNotAllowed(e) => format!(
            "{} derives from a parent licensed without commercial use, so its licences must be free (price 0).",
            capitalise(&model(&e.modelId))
        ),
        Market::RoyaltyTooHigh(e) => format!("A royalty of {} is above the 10% maximum.", percent(&e.royaltyBps)),
        Market::ModelNotFound(e) => format!("There is no {} in the catalogue.", model(&e.modelId)),
        Market::NotModelOwner(e) => format!(
            "Only the model's owner can do this: {} doesn't own {}.",
            who(&e.caller),
            model(&e.modelId)
        ),
        Market::TierNotFound(e) => format!("{} has no licence tier {}.", capitalise(&model(&e.modelId)), e.tierId),
        Market::TierIsPaused(e) => format!(
            "This licence tier is paused by the model's owner ({}, tier {}): no sales or renewals for now.",
            model(&e.modelId),
            e.tierId
        ),
        Market::SoldOut(e) => format!("This licence tier is sold out ({}, tier {}).", model(&e.modelId), e.tierId),
        Market::WrongPayment(e) => {
            format!("You sent {} but this licence costs {}.", eth(&e.sent), eth(&e.expected))
        }
        Market::MissingBuyerKey(_) => {
            "This model's weights are encrypted, so buying it needs your public key for the key delivery, and none was given."
                .to_owned()
        }
        Market::LicenceNotFound(e) => format!("{} doesn't exist (or was reclaimed).", capitalise(&licence(&e.licenceId))),
        Market::NotLicenceHolder(e) => format!(
            "Only the licence's holder can do this: {} doesn't hold {}.",
            who(&e.caller),
            licence(&e.licenceId)
        ),
        Market::LicenceAwaitingKey(e) => format!(
            "{} is still waiting for the model's owner to deliver its key.",
            capitalise(&licence(&e.licenceId))
        ),
        Market::NotAwaitingKey(e) => {
            format!("{} isn't waiting for a key: it has already been delivered.", capitalise(&licence(&e.licenceId)))
        }
        Market::DeliveryWindowOpen(e) => format!(
            "The owner has until {} to deliver the key for {}; you can reclaim your payment after that.",
            date(&e.deadline),
            licence(&e.licenceId)
        ),
        Market::DeliveryWindowClosed(e) => format!(
            "The deadline to deliver the key for {} passed on {}; the buyer can now reclaim the payment.",
            licence(&e.licenceId),
            date(&e.deadline)
        ),
        Market::SealedKeyLength(e) => {
            format!("A sealed key is 64 bytes; this one has {}: seal it again with the Assay app.", e.length)
        }
        Market::ChallengePeriodOutOfRange(e) => format!(
            "A challenge period of {} seconds is outside the allowed 1 hour to 30 days.",
            e.challengePeriod
        ),
        Market::KeyNotDelivered(e) => {
            format!("The key for {} hasn't been delivered, so there is nothing to challenge or release.", licence(&e.licenceId))
        }
        Market::ChallengePeriodOver(e) => format!(
            "The challenge period of {} ended on {}: the payment can only be released now.",
            licence(&e.licenceId),
            date(&e.deadline)
        ),
        Market::ChallengePeriodOpen(e) => format!(
            "The buyer can challenge the key of {} until {}; the payment can be released after that.",
            licence(&e.licenceId),
            date(&e.deadline)
        ),
        Market::WrongSecret(e) => format!(
            "This secret is not the key {} was bought with: sign with the wallet that bought it.",
            licence(&e.licenceId)
        ),
        Market::KeyMatchesCommitment(e) => format!(
            "The challenge is rejected: the key delivered for {} is the model's committed key.",
            licence(&e.licenceId)
        ),
        Market::NotRenewable(e) => format!("{} is perpetual: there is nothing to renew.", capitalise(&licence(&e.licenceId))),
        Market::ModelIsDelisted(e) => format!(
            "{} was delisted by moderation: it sells no new licences, renewals, versions or tiers.",
            capitalise(&model(&e.modelId))
        ),
        Market::NotModeration(e) => format!("Only the moderation contract can delist a model, not {}.", who(&e.caller)),
        Market::ExpiryOutOfRange(e) => format!(
            "This would make the licence run until {}, past the latest date a licence can have.",
            date(&e.expiresAt)
        ),
        Market::NonTransferable(e) => format!(
            "{} can't be transferred: its tier doesn't allow it, or it is still waiting for its key.",
            capitalise(&licence(&e.licenceId))
        ),
        Market::InvalidRating(e) => format!("A rating must be 1 to 5 stars, not {}.", e.rating),
        Market::AlreadyReviewed(e) => {
            format!("{} has already been used to review this model.", capitalise(&licence(&e.licenceId)))
        }
        Market::ReviewNeedsPaidLicence(e) => format!(
            "{} was free: only a licence bought at a price can review a model.",
            capitalise(&licence(&e.licenceId))
        ),
        Market::InsiderReview(e) => format!(
            "{} owns, created or co-authored model #{}, so it can't review it.",
            who(&e.reviewer),
            e.modelId
        ),
        Market::NothingToWithdraw(_) => "You have nothing to withdraw yet.".to_owned(),
        Market::WithdrawFailed(e) => format!(
            "Sending {} to {} failed: the receiving account refused the payment.",
            eth(&e.amount),
            who(&e.account)
        ),
    }
}

/// ERC-6093 errors, raised by both the model NFT and the licence token, so "token" names either.
fn explain_token(error: &Token) -> String {
    match error {
        Token::ERC721InvalidOwner(e) => format!("{} can't hold tokens.", who(&e.owner)),
        Token::ERC721NonexistentToken(e) => format!("Token #{} doesn't exist (or no longer does).", e.tokenId),
        Token::ERC721IncorrectOwner(e) => {
            format!("{} doesn't hold token #{}: {} does.", who(&e.sender), e.tokenId, who(&e.owner))
        }
        Token::ERC721InvalidSender(e) => format!("Tokens can't be sent from {}.", who(&e.sender)),
        Token::ERC721InvalidReceiver(e) => format!(
            "{} can't receive this token: it is the zero address or a contract that doesn't accept ERC-721 tokens.",
            who(&e.receiver)
        ),
        Token::ERC721InsufficientApproval(e) => {
            format!("{} isn't allowed to move token #{}: its holder hasn't approved it.", who(&e.operator), e.tokenId)
        }
        Token::ERC721InvalidApprover(e) => format!("{} can't approve transfers of this token.", who(&e.approver)),
        Token::ERC721InvalidOperator(e) => format!("{} can't be made an operator.", who(&e.operator)),
    }
}

fn token_error_name(error: &Token) -> &'static str {
    match error {
        Token::ERC721InvalidOwner(_) => "ERC721InvalidOwner",
        Token::ERC721NonexistentToken(_) => "ERC721NonexistentToken",
        Token::ERC721IncorrectOwner(_) => "ERC721IncorrectOwner",
        Token::ERC721InvalidSender(_) => "ERC721InvalidSender",
        Token::ERC721InvalidReceiver(_) => "ERC721InvalidReceiver",
        Token::ERC721InsufficientApproval(_) => "ERC721InsufficientApproval",
        Token::ERC721InvalidApprover(_) => "ERC721InvalidApprover",
        Token::ERC721InvalidOperator(_) => "ERC721InvalidOperator",
    }
}

fn market_error_name(error: &Market) -> &'static str {
    macro_rules! names {
        ($($name:ident),* $(,)?) => {
            match error { $(Market::$name(_) => stringify!($name),)* }
        };
    }
    names!(
        FeeTooHigh,
        ZeroAddress,
        ZeroDeliveryWindow,
        DeliveryWindowTooLong,
        EmptyCid,
        CidTooLong,
        NoTiers,
        TooManyCoAuthors,
        TooManyParents,
        TooManyTiers,
        TooManyVersions,
        ZeroShare,
        SharesExceedTotal,
        ParentNotFound,
        SelfParent,
        ParentLicenceRequired,
        NotParentLicence,
        ParentLicenceInactive,
        DerivativesNotAllowed,
        CommercialUseNotAllowed,
        RoyaltyTooHigh,
        ModelNotFound,
        NotModelOwner,
        TierNotFound,
        TierIsPaused,
        SoldOut,
        WrongPayment,
        MissingBuyerKey,
        LicenceNotFound,
        NotLicenceHolder,
        LicenceAwaitingKey,
        NotAwaitingKey,
        DeliveryWindowOpen,
        DeliveryWindowClosed,
        SealedKeyLength,
        ChallengePeriodOutOfRange,
        KeyNotDelivered,
        ChallengePeriodOver,
        ChallengePeriodOpen,
        WrongSecret,
        KeyMatchesCommitment,
        NotRenewable,
        ModelIsDelisted,
        NotModeration,
        ExpiryOutOfRange,
        NonTransferable,
        InvalidRating,
        AlreadyReviewed,
        ReviewNeedsPaidLicence,
        InsiderReview,
        NothingToWithdraw,
        WithdrawFailed,
    )
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
