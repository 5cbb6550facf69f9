//! The seeded moderation case: the overstated listing (`claims::OVERSTATED`, a copy of a real
//! model under a card claiming more than the file does) reported as misrepresented by a licence
//! holder of the real one, with the flag stake and an ERC-1497 evidence document on IPFS; it
//! awaits its owner's response, so the model page shows the banner and the owner's dashboard Respond.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use assay_core::contracts::IAssayModeration::{self, Reason};

use crate::kubo::Kubo;
use crate::process::Result;
use crate::rpc::Market;

/// The dev account that reports (a buyer of the real digits, not the copy's creator).
pub const REPORTER: usize = 4;

/// The evidence document (ERC-1497: `name`, `description`).
pub fn evidence() -> Vec<u8> {
    serde_json::json!({
        "name": "Report: the card claims more than the file does",
        "description": "This is the file of “Handwritten digits, small (8×8)” under a card claiming higher accuracy; \
                        Reproduce on the model page shows the held-out digits give less than the card says.",
    })
    .to_string()
    .into_bytes()
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
