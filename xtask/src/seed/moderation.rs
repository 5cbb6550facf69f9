//! The seeded moderation case: the overstated listing (`claims::OVERSTATED`, a copy of a real
//! model under a card claiming more than the file does) reported as misrepresented by a licence
//! holder of the real one, with the flag stake and an ERC-1497 evidence document on IPFS; it
//! awaits its owner's response, so the model page shows the banner and the owner's dashboard Respond.
//! And a copy of magika listed by another account, reported as infringing, answered and delisted
//! by the council's ruling, so the dev stack shows a delisted model too.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use assay_core::contracts::IAssayCouncilArbitrator;
use assay_core::contracts::IAssayModeration::{self, Reason};
use serde_json::Value;

use super::plan::{Offer, RealListing};

use crate::kubo::Kubo;
use crate::process::Result;
use crate::rpc::Market;

/// The dev account that reports (a buyer of the real digits, not the copy's creator).
pub const REPORTER: usize = 4;

/// The evidence document (ERC-1497: `name`, `description`).
pub fn evidence() -> Vec<u8> {
    evidence_document(
        "Report: the card claims more than the file does",
        "This is the file of “Handwritten digits, small (8×8)” under a card claiming higher accuracy; \
         Reproduce on the model page shows the held-out digits give less than the card says.",
    )
}

/// Flags model `model` as misrepresented from dev account [`REPORTER`] through the moderation
/// contract `moderation` (a contract on the same anvil: `Market` sends to any address it names).
pub fn flag(moderation: &Market, ipfs: &Kubo, accounts: &[Address], model: u64) -> Result<()> {
    let stake = moderation.view(&IAssayModeration::flagStakeCall {})?;
    let evidence = ipfs.add_checked(&format!("report-{model}.json"), &evidence())?;
    let call = IAssayModeration::flagCall {
        modelId: U256::from(model),
        reason: Reason::Misrepresented,
        evidenceCid: evidence,
    };
    let what = format!("reporting model #{model} as misrepresented from dev account #{REPORTER}");
    moderation.transact(accounts[REPORTER], call.abi_encode(), stake, &what)?;
    Ok(())
}

/// The seeded delisted listing: magika's file listed again by dev account [`COPIER`] under a name
/// of its own, without naming magika as its parent — reported by magika's creator as infringing,
/// answered, and delisted by the council's ruling.
pub static COPY: RealListing = RealListing {
    stem: "magika",
    creator: COPIER,
    royalty_bps: 0,
    co_author: None,
    parent: None,
    tiers: &[(Offer::Commercial, 90)],
};
/// The copier (a buyer in the plan, never a creator there).
pub const COPIER: usize = 5;
const COPY_NAME: &str = "File type detector (re-upload)";
const COPY_DESCRIPTION: &str = "magika's file listed again under another name, without naming its source. \
                                Seeded so that the dev stack has a model delisted by moderation: reported as \
                                infringing by magika's creator, answered, and delisted by the council.";

/// The copy's card: the real card renamed.
pub fn copy_card(card: &str) -> Result<String> {
    let mut card: Value = serde_json::from_str(card).map_err(|e| format!("the card is not JSON: {e}"))?;
    let object = card.as_object_mut().ok_or("the card is not a JSON object")?;
    object.insert("name".into(), COPY_NAME.into());
    object.insert("description".into(), COPY_DESCRIPTION.into());
    Ok(serde_json::to_string_pretty(&card).expect("JSON") + "\n")
}

/// Case against the copy `model`: reported as infringing by `original_creator`, answered by the
/// copier with the response cost, and ruled delisted by the arbitrator's council (a dev account).
pub fn delist_copy(
    moderation: &Market,
    ipfs: &Kubo,
    accounts: &[Address],
    model: u64,
    original_creator: usize,
) -> Result<()> {
    let stake = moderation.view(&IAssayModeration::flagStakeCall {})?;
    let report = evidence_document(
        "Report: a copy of magika",
        "The file's bytes are magika's (same CID as model #3); it is listed without naming magika as its parent.",
    );
    let call = IAssayModeration::flagCall {
        modelId: U256::from(model),
        reason: Reason::InfringesRights,
        evidenceCid: ipfs.add_checked(&format!("report-{model}.json"), &report)?,
    };
    let what = format!("reporting model #{model} as infringing from dev account #{original_creator}");
    moderation.transact(accounts[original_creator], call.abi_encode(), stake, &what)?;
    let case = moderation.view(&IAssayModeration::latestCaseOfCall { modelId: U256::from(model) })?;

    let cost = moderation.view(&IAssayModeration::responseCostCall {})?;
    let answer = evidence_document("Response", "I trained this model myself.");
    let call = IAssayModeration::respondCall {
        caseId: case,
        evidenceCid: ipfs.add_checked(&format!("response-{model}.json"), &answer)?,
    };
    let what = format!("responding to case #{case} from dev account #{COPIER}");
    moderation.transact(accounts[COPIER], call.abi_encode(), cost, &what)?;

    let dispute = moderation.view(&IAssayModeration::caseOfCall { caseId: case })?.disputeId;
    let arbitrator = Market::new(moderation.rpc.port, moderation.view(&IAssayModeration::arbitratorCall {})?);
    let council = arbitrator.view(&IAssayCouncilArbitrator::councilCall {})?;
    let call = IAssayCouncilArbitrator::giveRulingCall { disputeId: dispute, ruling: U256::from(1) };
    arbitrator.transact(
        council,
        call.abi_encode(),
        U256::ZERO,
        &format!("ruling delist on case #{case} as the council"),
    )?;
    Ok(())
}

fn evidence_document(name: &str, description: &str) -> Vec<u8> {
    serde_json::json!({ "name": name, "description": description }).to_string().into_bytes()
}
