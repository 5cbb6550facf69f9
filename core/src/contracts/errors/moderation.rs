//! Sentences for the moderation contract's and the council arbitrator's custom errors. The errors the
//! moderation contract shares with the market (`ZeroAddress`, `ModelNotFound`, `NothingToWithdraw`,
//! `WithdrawFailed`: the same selectors) decode as the market's; their arms here keep the `match` exhaustive.

use super::super::bindings::IAssayCouncilArbitrator::IAssayCouncilArbitratorErrors as Council;
use super::super::bindings::IAssayModeration::CaseStatus;
use super::super::bindings::IAssayModeration::IAssayModerationErrors as Moderation;
use super::{capitalise, date, eth, model, who};
use alloy_primitives::U256;

fn case(id: &U256) -> String {
    format!("case #{id}")
}

fn dispute(id: &U256) -> String {
    format!("dispute #{id}")
}

/// A case's status as a sentence part ("is in arbitration").
pub(crate) fn status_words(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::None => "does not exist",
        CaseStatus::AwaitingResponse => "is awaiting the owner's response",
        CaseStatus::InArbitration => "is with the arbitrator",
        CaseStatus::Unanswered => "is closed: it went unanswered and the model was delisted",
        CaseStatus::Upheld => "is closed: the report was upheld and the model delisted",
        CaseStatus::Dismissed => "is closed: the report was dismissed",
        CaseStatus::Refused => "is closed: the arbitrator refused to rule",
        CaseStatus::__Invalid => "is in an unknown state",
    }
}

pub(super) fn explain_moderation(error: &Moderation) -> String {
    match error {
        Moderation::ZeroAddress(_) => "The market or the arbitrator is the zero address.".to_owned(),
        Moderation::FlagStakeOutOfRange(e) => {
            format!("A flag stake of {} is out of range: it must be above 0 and fit 96 bits.", eth(&e.stake))
        }
        Moderation::ResponseWindowOutOfRange(e) => {
            format!("A response window of {} seconds is out of range: it must be 1 hour to 90 days.", e.window)
        }
        Moderation::FeeCapAboveStake(e) => format!(
            "An arbitration fee cap of {} is above the flag stake of {}: a winner must get at least its stake back.",
            eth(&e.feeCap),
            eth(&e.stake)
        ),
        Moderation::EmptyMetaEvidence(_) => "The moderation policy (meta-evidence) is missing.".to_owned(),
        Moderation::MarketNotLinked(e) => {
            format!("The market {} names {} as its moderation, not this contract.", who(&e.market), who(&e.moderation))
        }
        Moderation::ModelNotFound(e) => format!("There is no {} in the catalogue.", model(&e.modelId)),
        Moderation::OwnerCannotFlag(e) => {
            format!("You own {}: an owner can't report their own model.", model(&e.modelId))
        }
        Moderation::CaseAlreadyOpen(e) => format!(
            "{} is already reported ({} is open): add your evidence to that case instead.",
            capitalise(&model(&e.modelId)),
            case(&e.caseId)
        ),
        Moderation::ModelAlreadyDelisted(e) => {
            format!("{} is already delisted: there is nothing left to report.", capitalise(&model(&e.modelId)))
        }
        Moderation::WrongStake(e) => {
            format!("The stake is {}, but {} was sent.", eth(&e.expected), eth(&e.sent))
        }
        Moderation::InvalidEvidenceCid(e) if e.length.is_zero() => {
            "The evidence's IPFS address (CID) is missing: upload the evidence first.".to_owned()
        }
        Moderation::InvalidEvidenceCid(e) => {
            format!("The evidence's IPFS address (CID) is {} bytes long; the limit is 128.", e.length)
        }
        Moderation::CaseNotFound(e) => format!("There is no {}.", case(&e.caseId)),
        Moderation::NotAwaitingResponse(e) => format!(
            "{} {}: it can no longer be answered or finalized.",
            capitalise(&case(&e.caseId)),
            status_words(e.status)
        ),
        Moderation::CaseClosed(e) => format!("{} is closed: it takes no more evidence.", capitalise(&case(&e.caseId))),
        Moderation::OnlyOwnerResponds(e) => format!(
            "Only the reported model's owner can respond to {}; {} doesn't own it.",
            case(&e.caseId),
            who(&e.caller)
        ),
        Moderation::ResponseWindowClosed(e) => {
            format!("The time to respond to {} ended on {}.", case(&e.caseId), date(&e.deadline))
        }
        Moderation::ResponseWindowOpen(e) => format!(
            "The owner can respond to {} until {}: it can be finalized only after that.",
            case(&e.caseId),
            date(&e.deadline)
        ),
        Moderation::NotArbitrator(e) => {
            format!("Only the arbitrator gives rulings, not {}.", who(&e.caller))
        }
        Moderation::UnknownDispute(e) => {
            format!("{} is not a case waiting for a ruling.", capitalise(&dispute(&e.disputeId)))
        }
        Moderation::InvalidRuling(e) => {
            format!("A ruling is 0 (refuse), 1 (delist) or 2 (keep listed), not {}.", e.ruling)
        }
        Moderation::NothingToWithdraw(_) => "You have nothing to withdraw yet.".to_owned(),
        Moderation::WithdrawFailed(e) => format!(
            "Sending {} to {} failed: the receiving account refused the payment.",
            eth(&e.amount),
            who(&e.account)
        ),
    }
}

pub(super) fn explain_council(error: &Council) -> String {
    match error {
        Council::ZeroCouncil(_) => "The council is the zero address.".to_owned(),
        Council::InsufficientFee(e) => {
            format!("A dispute costs {}, but {} was paid.", eth(&e.cost), eth(&e.paid))
        }
        Council::ChoicesOutOfRange(e) => format!("A dispute needs 1 to 2^64 − 1 choices, not {}.", e.choices),
        Council::NotCouncil(e) => format!("Only the council can do this, not {}.", who(&e.caller)),
        Council::DisputeNotFound(e) => format!("There is no {}.", dispute(&e.disputeId)),
        Council::AlreadyRuled(e) => format!("{} already has its ruling.", capitalise(&dispute(&e.disputeId))),
        Council::RulingOutOfRange(e) => {
            format!("Ruling {} is not one of {}'s choices.", e.ruling, dispute(&e.disputeId))
        }
        Council::NotAppealable(e) => {
            format!("The council's rulings are final: {} can't be appealed.", dispute(&e.disputeId))
        }
        Council::NoFees(_) => "There are no arbitration fees to withdraw.".to_owned(),
        Council::FeeTransferFailed(e) => format!(
            "Sending {} of fees to {} failed: the receiving account refused the payment.",
            eth(&e.amount),
            who(&e.council)
        ),
    }
}

pub(super) fn moderation_error_name(error: &Moderation) -> &'static str {
    macro_rules! names {
        ($($name:ident),* $(,)?) => {
            match error { $(Moderation::$name(_) => stringify!($name),)* }
        };
    }
    names!(
        ZeroAddress,
        FlagStakeOutOfRange,
        ResponseWindowOutOfRange,
        FeeCapAboveStake,
        EmptyMetaEvidence,
        MarketNotLinked,
        ModelNotFound,
        OwnerCannotFlag,
        CaseAlreadyOpen,
        ModelAlreadyDelisted,
        WrongStake,
        InvalidEvidenceCid,
        CaseNotFound,
        NotAwaitingResponse,
        CaseClosed,
        OnlyOwnerResponds,
        ResponseWindowClosed,
        ResponseWindowOpen,
        NotArbitrator,
        UnknownDispute,
        InvalidRuling,
        NothingToWithdraw,
        WithdrawFailed,
    )
}

pub(super) fn council_error_name(error: &Council) -> &'static str {
    macro_rules! names {
        ($($name:ident),* $(,)?) => {
            match error { $(Council::$name(_) => stringify!($name),)* }
        };
    }
    names!(
        ZeroCouncil,
        InsufficientFee,
        ChoicesOutOfRange,
        NotCouncil,
        DisputeNotFound,
        AlreadyRuled,
        RulingOutOfRange,
        NotAppealable,
        NoFees,
        FeeTransferFailed,
    )
}
