use alloy_primitives::{Address, U256, address};

use super::*;
use crate::contracts::IAssayModeration::{CaseStatus, Flagged, Reason, Responded, StatusChanged};
use crate::contracts::IEvidence::Evidence;

const OWNER: Address = address!("0x1000000000000000000000000000000000000001");
const FLAGGER: Address = address!("0x2000000000000000000000000000000000000002");
const COUNCIL: Address = address!("0x3000000000000000000000000000000000000003");
const STRANGER: Address = address!("0x4000000000000000000000000000000000000004");
const DEADLINE: u64 = 1_700_000_000;

fn wei(eth_milli: u64) -> U256 {
    U256::from(eth_milli) * U256::from(1_000_000_000_000_000u64)
}

fn viewer(account: Option<Address>) -> Viewer {
    Viewer { account, model_owner: OWNER, council: Some(COUNCIL) }
}

#[test]
fn the_phase_follows_the_status_and_the_deadline_inclusively() {
    let awaiting = Phase::of(CaseStatus::AwaitingResponse, DEADLINE, DEADLINE).unwrap();
    assert_eq!(awaiting, Phase::AwaitingResponse { deadline: DEADLINE });
    assert_eq!(
        Phase::of(CaseStatus::AwaitingResponse, DEADLINE, DEADLINE + 1),
        Some(Phase::FinalizeDue { deadline: DEADLINE })
    );
    assert_eq!(Phase::of(CaseStatus::InArbitration, DEADLINE, DEADLINE + 99), Some(Phase::InArbitration));
    assert_eq!(Phase::of(CaseStatus::Upheld, 0, 0), Some(Phase::Closed(Outcome::Upheld)));
    assert_eq!(Phase::of(CaseStatus::None, 0, 0), None);
    assert!(Outcome::Unanswered.delists() && Outcome::Upheld.delists());
    assert!(!Outcome::Dismissed.delists() && !Outcome::Refused.delists());
    assert!(Phase::FinalizeDue { deadline: 0 }.is_open());
    assert!(!Phase::Closed(Outcome::Refused).is_open());
}

#[test]
fn the_phase_says_the_deadline_and_the_time_left() {
    let phase = Phase::AwaitingResponse { deadline: DEADLINE };
    assert_eq!(
        phase.words(DEADLINE - 2 * 86_400 - 3 * 3_600 - 59),
        "Awaiting the owner's response until 2023-11-14 22:13 UTC (2 days 3 hours left)."
    );
    assert_eq!(
        phase.words(DEADLINE - 30),
        "Awaiting the owner's response until 2023-11-14 22:13 UTC (less than a minute left)."
    );
    assert_eq!(
        Phase::FinalizeDue { deadline: DEADLINE }.words(DEADLINE + 5),
        "Unanswered: the owner's time to respond ended 2023-11-14 22:13 UTC; anyone can now finalize, which delists the model."
    );
    assert_eq!(time_left(3_600 + 60), "1 hour 1 minute");
    assert_eq!(time_left(86_400), "1 day");
    assert_eq!(time_left(120), "2 minutes");
}

#[test]
fn who_may_do_what() {
    let awaiting = Phase::AwaitingResponse { deadline: DEADLINE };
    assert_eq!(actions(awaiting, viewer(Some(OWNER))), vec![Action::Respond, Action::AddEvidence]);
    assert_eq!(actions(awaiting, viewer(Some(STRANGER))), vec![Action::AddEvidence]);
    assert_eq!(actions(awaiting, viewer(None)), vec![]);
    let due = Phase::FinalizeDue { deadline: DEADLINE };
    assert_eq!(actions(due, viewer(Some(STRANGER))), vec![Action::Finalize, Action::AddEvidence]);
    assert_eq!(actions(due, viewer(Some(OWNER))), vec![Action::Finalize, Action::AddEvidence], "too late to respond");
    assert_eq!(actions(Phase::InArbitration, viewer(Some(COUNCIL))), vec![Action::Rule, Action::AddEvidence]);
    assert_eq!(actions(Phase::InArbitration, viewer(Some(OWNER))), vec![Action::AddEvidence]);
    let no_council = Viewer { account: Some(COUNCIL), model_owner: OWNER, council: None };
    assert_eq!(actions(Phase::InArbitration, no_council), vec![Action::AddEvidence], "a court, not a council");
    assert_eq!(actions(Phase::Closed(Outcome::Dismissed), viewer(Some(COUNCIL))), vec![]);
}

#[test]
fn the_stakes_in_words() {
    assert_eq!(
        report_stake_words(wei(50), wei(10), 3 * 86_400),
        "Reporting stakes 0.05 ETH. The owner has 3 days to respond by matching it. No response: the model is \
         delisted and your 0.05 ETH comes back. A response: an arbitrator decides. Upheld, the model is delisted and \
         you get both stakes less the arbitration fee (at most 0.01 ETH); dismissed, your stake goes to the owner."
    );
    assert_eq!(
        response_cost_words(wei(50), wei(50), wei(10)),
        "Responding costs 0.05 ETH. If the arbitrator dismisses the report you get both stakes less the fee; if it \
         upholds it, the model is delisted and the reporter gets them."
    );
    assert!(response_cost_words(wei(53), wei(50), wei(10)).starts_with(
        "Responding costs 0.053 ETH (0.003 ETH of it is the arbitrator's price above the 0.01 ETH the stakes pay)."
    ));
    assert_eq!(REASONS.map(reason_label)[2], "Misrepresented: the card or its claims don't match the file");
}

fn flagged(case: u64, model: u64) -> CaseEvent {
    CaseEvent::Flagged(Flagged {
        caseId: U256::from(case),
        modelId: U256::from(model),
        flagger: FLAGGER,
        reason: Reason::MaliciousFile,
        stake: wei(50),
        responseDeadline: DEADLINE,
        evidenceCid: "bafkflag".into(),
    })
}

fn status(case: u64, model: u64, status: CaseStatus) -> CaseEvent {
    CaseEvent::StatusChanged(StatusChanged { caseId: U256::from(case), modelId: U256::from(model), status })
}

#[test]
fn cases_are_rebuilt_from_the_events() {
    let mut book = CaseBook::default();
    let events = [
        flagged(1, 7),
        status(1, 7, CaseStatus::AwaitingResponse),
        CaseEvent::Evidence(Evidence {
            _arbitrator: COUNCIL,
            _evidenceGroupID: U256::from(1),
            _party: FLAGGER,
            _evidence: "/ipfs/bafkflag".into(),
        }),
        CaseEvent::Responded(Responded {
            caseId: U256::from(1),
            responder: OWNER,
            disputeId: U256::from(0),
            arbitrationFee: wei(5),
            evidenceCid: "bafkcounter".into(),
        }),
        status(1, 7, CaseStatus::InArbitration),
        status(1, 7, CaseStatus::Dismissed),
        flagged(2, 7),
        status(2, 7, CaseStatus::AwaitingResponse),
        flagged(3, 8),
        status(3, 8, CaseStatus::Unanswered),
        // An event of a case flagged before the range read: ignored.
        status(9, 9, CaseStatus::Upheld),
    ];
    for event in &events {
        book.apply(event);
    }
    let first = book.get(1).unwrap();
    assert_eq!(first.status, CaseStatus::Dismissed);
    assert_eq!(first.responder, Some(OWNER));
    assert_eq!(first.dispute_id, Some(U256::ZERO));
    assert_eq!(first.arbitration_fee, wei(5));
    assert_eq!(first.evidence, vec![(FLAGGER, "/ipfs/bafkflag".to_owned())]);
    assert_eq!(book.latest_for(7).unwrap().id, 2);
    assert_eq!(book.latest_for(7).unwrap().phase(DEADLINE), Some(Phase::AwaitingResponse { deadline: DEADLINE }));
    assert!(!book.delisted(7));
    // Open: #2 awaiting its response (model 7); #1 dismissed and #3 unanswered are closed.
    assert_eq!(book.open_reports().into_iter().collect::<Vec<_>>(), vec![(7, Reason::MaliciousFile)]);
    assert!(book.delisted(8));
    assert!(book.get(9).is_none());
    assert_eq!(book.newest_first().map(|c| c.id).collect::<Vec<_>>(), vec![3, 2, 1]);
}
