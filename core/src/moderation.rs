//! Moderation cases as people read them: a case's phase in chain time (awaiting the owner's response, due
//! for finalizing, with the arbitrator, closed and how), who may do what now, the deadline and the stakes in
//! words, and the cases rebuilt from the moderation contract's events (`Flagged`, `Responded`,
//! `StatusChanged`, ERC-1497 `Evidence`) so a page needs no per-case calls.

use std::collections::BTreeMap;

use alloy_primitives::{Address, U256};

use crate::contracts::IAssayModeration::{CaseStatus, Flagged, Reason, Responded, StatusChanged};
use crate::contracts::IEvidence::Evidence;
use crate::units::{format_ether, utc_date_time};

/// What a delisted model's tiers say instead of offering a purchase.
pub const DELISTED_TIER: &str = "Delisted: no new licences";

/// The notice on a delisted model's page.
pub const DELISTED_NOTICE: &str = "This model was delisted by moderation: it sells no new licences, renewals or \
     versions. Licences already sold keep working: their holders still download, decrypt and review it.";

/// The four reasons, in the contract's order (the report form's choices).
pub const REASONS: [Reason; 4] =
    [Reason::InfringesRights, Reason::MaliciousFile, Reason::Misrepresented, Reason::IllegalContent];

/// A reason as the report form and the banner say it.
pub fn reason_label(reason: Reason) -> &'static str {
    match reason {
        Reason::InfringesRights => "Infringes someone's rights",
        Reason::MaliciousFile => "Malicious file",
        Reason::Misrepresented => "Misrepresented: the card or its claims don't match the file",
        Reason::IllegalContent => "Illegal content",
        Reason::__Invalid => "Unknown reason",
    }
}

/// A reason in a few words, for marks on cards.
pub fn reason_short(reason: Reason) -> &'static str {
    match reason {
        Reason::InfringesRights => "infringes rights",
        Reason::MaliciousFile => "malicious file",
        Reason::Misrepresented => "misrepresented",
        Reason::IllegalContent => "illegal content",
        Reason::__Invalid => "unknown reason",
    }
}

/// How a closed case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No response by the deadline: delisted, the flagger's stake returned.
    Unanswered,
    /// The arbitrator upheld the report: delisted, the flagger gets both stakes less the fee.
    Upheld,
    /// The arbitrator dismissed the report: listed, the owner gets both stakes less the fee.
    Dismissed,
    /// The arbitrator refused to rule: listed, the stakes less the fee shared.
    Refused,
}

impl Outcome {
    /// Whether the case delisted the model.
    pub fn delists(self) -> bool {
        matches!(self, Outcome::Unanswered | Outcome::Upheld)
    }
}

/// A case's phase at a chain time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The owner may respond until `deadline` (inclusive).
    AwaitingResponse { deadline: u64 },
    /// The deadline passed without a response: anyone may finalize (the model is then delisted).
    FinalizeDue { deadline: u64 },
    /// Answered: the arbitrator rules.
    InArbitration,
    /// Closed.
    Closed(Outcome),
}

impl Phase {
    /// The phase of a case with `status` and response `deadline` at chain time `now`; `None` for no case.
    pub fn of(status: CaseStatus, deadline: u64, now: u64) -> Option<Phase> {
        Some(match status {
            CaseStatus::AwaitingResponse if now <= deadline => Phase::AwaitingResponse { deadline },
            CaseStatus::AwaitingResponse => Phase::FinalizeDue { deadline },
            CaseStatus::InArbitration => Phase::InArbitration,
            CaseStatus::Unanswered => Phase::Closed(Outcome::Unanswered),
            CaseStatus::Upheld => Phase::Closed(Outcome::Upheld),
            CaseStatus::Dismissed => Phase::Closed(Outcome::Dismissed),
            CaseStatus::Refused => Phase::Closed(Outcome::Refused),
            CaseStatus::None | CaseStatus::__Invalid => return None,
        })
    }

    /// Open: awaiting a response, due for finalizing, or with the arbitrator.
    pub fn is_open(self) -> bool {
        !matches!(self, Phase::Closed(_))
    }

    /// The phase in words at chain time `now`, the deadline in UTC.
    pub fn words(self, now: u64) -> String {
        match self {
            Phase::AwaitingResponse { deadline } => format!(
                "Awaiting the owner's response until {} ({} left).",
                utc_date_time(deadline),
                time_left(deadline.saturating_sub(now))
            ),
            Phase::FinalizeDue { deadline } => format!(
                "Unanswered: the owner's time to respond ended {}; anyone can now finalize, which delists the model.",
                utc_date_time(deadline)
            ),
            Phase::InArbitration => "The owner responded: the case is with the arbitrator.".to_owned(),
            Phase::Closed(Outcome::Unanswered) => "Closed: unanswered, the model was delisted.".to_owned(),
            Phase::Closed(Outcome::Upheld) => {
                "Closed: the arbitrator upheld the report, the model was delisted.".to_owned()
            }
            Phase::Closed(Outcome::Dismissed) => {
                "Closed: the arbitrator dismissed the report, the model stays listed.".to_owned()
            }
            Phase::Closed(Outcome::Refused) => {
                "Closed: the arbitrator refused to rule, the model stays listed.".to_owned()
            }
        }
    }
}

/// What someone can do about a case now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// The model's owner answers with counter-evidence and the stake.
    Respond,
    /// Anyone closes an unanswered case.
    Finalize,
    /// The council rules (shown only to the council of a council arbitrator).
    Rule,
    /// Anyone adds evidence to an open case.
    AddEvidence,
}

/// Who is looking: the connected account (if any), the model's owner, the council (if the arbitrator has one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub account: Option<Address>,
    pub model_owner: Address,
    pub council: Option<Address>,
}

/// The actions `viewer` may take in `phase` (in the order a page shows them).
pub fn actions(phase: Phase, viewer: Viewer) -> Vec<Action> {
    let Some(account) = viewer.account else { return Vec::new() };
    let mut actions = Vec::new();
    match phase {
        Phase::AwaitingResponse { .. } if account == viewer.model_owner => actions.push(Action::Respond),
        Phase::FinalizeDue { .. } => actions.push(Action::Finalize),
        Phase::InArbitration if viewer.council == Some(account) => actions.push(Action::Rule),
        _ => {}
    }
    if phase.is_open() {
        actions.push(Action::AddEvidence);
    }
    actions
}

/// What a report stakes and what happens to the stake, for the report form.
pub fn report_stake_words(stake: U256, fee_cap: U256, response_window: u64) -> String {
    format!(
        "Reporting stakes {stake}. The owner has {window} to respond by matching it. No response: the model is \
         delisted and your {stake} comes back. A response: an arbitrator decides. Upheld, the model is delisted and \
         you get both stakes less the arbitration fee (at most {cap}); dismissed, your stake goes to the owner.",
        stake = eth(stake),
        window = time_left(response_window),
        cap = eth(fee_cap),
    )
}

/// What a response costs and risks, for the owner's Respond form.
pub fn response_cost_words(cost: U256, stake: U256, fee_cap: U256) -> String {
    let above = cost.saturating_sub(stake);
    let extra = if above.is_zero() {
        String::new()
    } else {
        format!(" ({} of it is the arbitrator's price above the {} the stakes pay)", eth(above), eth(fee_cap))
    };
    format!(
        "Responding costs {}{extra}. If the arbitrator dismisses the report you get both stakes less the fee; if it \
         upholds it, the model is delisted and the reporter gets them.",
        eth(cost)
    )
}

/// Time left in words, rounded down: "2 days 3 hours", "5 hours 10 minutes", "less than a minute".
pub fn time_left(seconds: u64) -> String {
    let plural = |n: u64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let (days, hours, minutes) = (seconds / 86_400, seconds % 86_400 / 3_600, seconds % 3_600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => "less than a minute".to_owned(),
        (0, 0, m) => plural(m, "minute"),
        (0, h, 0) => plural(h, "hour"),
        (0, h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
        (d, 0, _) => plural(d, "day"),
        (d, h, _) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

fn eth(wei: U256) -> String {
    format!("{} ETH", format_ether(wei, 18))
}

/// A case as rebuilt from the events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: u64,
    pub model_id: u64,
    pub flagger: Address,
    pub reason: Reason,
    pub stake: U256,
    pub deadline: u64,
    pub status: CaseStatus,
    pub responder: Option<Address>,
    pub dispute_id: Option<U256>,
    pub arbitration_fee: U256,
    /// Evidence documents in order: who submitted it and its URI (`/ipfs/<cid>`).
    pub evidence: Vec<(Address, String)>,
}

impl CaseRecord {
    /// The case's phase at chain time `now`.
    pub fn phase(&self, now: u64) -> Option<Phase> {
        Phase::of(self.status, self.deadline, now)
    }
}

/// One of the moderation contract's events that the case book reads.
#[derive(Clone, Debug)]
pub enum CaseEvent {
    Flagged(Flagged),
    Responded(Responded),
    StatusChanged(StatusChanged),
    Evidence(Evidence),
}

/// Cases by id, rebuilt from the events in chain order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseBook {
    cases: BTreeMap<u64, CaseRecord>,
}

impl CaseBook {
    /// Applies one event (events of unknown cases other than `Flagged` are ignored: a partial log range).
    pub fn apply(&mut self, event: &CaseEvent) {
        match event {
            CaseEvent::Flagged(e) => {
                let id = e.caseId.saturating_to::<u64>();
                self.cases.insert(
                    id,
                    CaseRecord {
                        id,
                        model_id: e.modelId.saturating_to(),
                        flagger: e.flagger,
                        reason: e.reason,
                        stake: e.stake,
                        deadline: e.responseDeadline,
                        status: CaseStatus::AwaitingResponse,
                        responder: None,
                        dispute_id: None,
                        arbitration_fee: U256::ZERO,
                        evidence: Vec::new(),
                    },
                );
            }
            CaseEvent::Responded(e) => {
                if let Some(case) = self.cases.get_mut(&e.caseId.saturating_to()) {
                    case.responder = Some(e.responder);
                    case.dispute_id = Some(e.disputeId);
                    case.arbitration_fee = e.arbitrationFee;
                }
            }
            CaseEvent::StatusChanged(e) => {
                if let Some(case) = self.cases.get_mut(&e.caseId.saturating_to()) {
                    case.status = e.status;
                }
            }
            CaseEvent::Evidence(e) => {
                if let Some(case) = self.cases.get_mut(&e._evidenceGroupID.saturating_to()) {
                    case.evidence.push((e._party, e._evidence.clone()));
                }
            }
        }
    }

    /// A case by id.
    pub fn get(&self, id: u64) -> Option<&CaseRecord> {
        self.cases.get(&id)
    }

    /// Every case, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = &CaseRecord> {
        self.cases.values().rev()
    }

    /// The latest case against `model_id` (its open one, or the one that closed last).
    pub fn latest_for(&self, model_id: u64) -> Option<&CaseRecord> {
        self.cases.values().rev().find(|c| c.model_id == model_id)
    }

    /// The models with an open case, and the reason each was reported for (Browse marks them).
    pub fn open_reports(&self) -> BTreeMap<u64, Reason> {
        self.cases
            .values()
            .filter(|c| matches!(c.status, CaseStatus::AwaitingResponse | CaseStatus::InArbitration))
            .map(|c| (c.model_id, c.reason))
            .collect()
    }

    /// Whether `model_id` was delisted by a case.
    pub fn delisted(&self, model_id: u64) -> bool {
        self.cases
            .values()
            .any(|c| c.model_id == model_id && matches!(c.status, CaseStatus::Unanswered | CaseStatus::Upheld))
    }
}

#[cfg(test)]
mod tests;
