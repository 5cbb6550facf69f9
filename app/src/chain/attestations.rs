//! Attestations of reproduced claims (`AssayEvaluations`): every one read in a single
//! `eth_getLogs` from the market's deploy block and folded by `assay_core::attestations`; a new
//! one sent through `chain::tx` like every write.

use alloy_primitives::{I256, U256};
use alloy_rpc_types_eth::Filter;
use alloy_sol_types::SolEvent;
use assay_core::attestations::{Attestation, Attestations};
use assay_core::contracts::IAssayEvaluations;
use assay_core::failure::Failure;

use super::Market;
use super::tx::{TxContext, Write};

/// Why attestations can't be read or sent on this deployment.
pub const NOT_DEPLOYED: &str = "This deployment has no attestations contract (AssayEvaluations), so reproduced results can't be recorded or counted on chain.";

/// Every attestation recorded on this deployment (none when it has no attestations contract).
pub async fn all(market: &Market) -> Result<Attestations, Failure> {
    let Some(address) = market.evaluations else { return Ok(Attestations::default()) };
    let filter = Filter::new()
        .address(address)
        .event_signature(IAssayEvaluations::EvaluationReproduced::SIGNATURE_HASH)
        .from_block(market.deploy_block);
    let events = market.rpc.events::<IAssayEvaluations::EvaluationReproduced>(&filter).await?;
    Ok(Attestations::new(events.into_iter().map(|(event, log)| {
        Attestation::from_event(&event, log.block_number.unwrap_or_default(), log.log_index.unwrap_or_default())
    })))
}

/// What an account observed re-running one result of a card version.
pub struct Observation {
    pub model: U256,
    pub version: u64,
    pub result: u64,
    /// One value per claimed metric, in the card's order (6 decimals on chain).
    pub observed: Vec<I256>,
    pub matched: bool,
}

/// Records `observation` on chain. `true` once confirmed; a failure (or a cancellation in the
/// wallet) is the transaction's own toast and activity entry.
pub async fn attest(tx: TxContext, observation: Observation) -> bool {
    let Ok(Some(address)) = Market::session().map(|m| m.evaluations) else { return false };
    let verdict = if observation.matched { "reproduced" } else { "does not match" };
    let label = format!(
        "Record result {} of model #{} (version {}) as {verdict}",
        observation.result + 1,
        observation.model,
        observation.version
    );
    let call = IAssayEvaluations::attestCall {
        modelId: observation.model,
        version: U256::from(observation.version),
        resultIndex: U256::from(observation.result),
        observed: observation.observed,
        matched: observation.matched,
    };
    tx.send(Write::call(label, address, &call)).await.is_ok()
}
