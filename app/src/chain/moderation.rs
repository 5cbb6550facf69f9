//! Moderation on chain (`AssayModeration` and its ERC-792 arbitrator): the fixed parameters (one
//! JSON-RPC batch), every case rebuilt from the contract's events (one `eth_getLogs` from the
//! deploy block, folded by `assay_core::moderation::CaseBook`), the chain's clock, and the writes —
//! flag, respond, finalize, the council's ruling — through `chain::tx` like every write. Evidence
//! is an ERC-1497 JSON document uploaded to IPFS first; the chain records its CID.

use alloy_primitives::{Address, B256, U256};
use alloy_rpc_types_eth::{Filter, Log};
use alloy_sol_types::SolEvent;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayModeration::{self, Flagged, Reason, Responded, StatusChanged};
use assay_core::contracts::{IAssayCouncilArbitrator, IEvidence::Evidence};
use assay_core::evidence::EvidenceDocument;
use assay_core::failure::Failure;
use assay_core::moderation::{CaseBook, CaseEvent, reason_label};

use super::Market;
use super::tx::{TxContext, Write};
use crate::ipfs::{Ipfs, UploadSource};

/// Why moderation can't be read or used on this deployment.
pub const NOT_DEPLOYED: &str =
    "This deployment has no moderation contract (AssayModeration), so models can't be reported here.";

/// The moderation contract's fixed parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parameters {
    pub address: Address,
    pub arbitrator: Address,
    /// The arbitrator's council, when it is a council arbitrator (`None` for any other court).
    pub council: Option<Address>,
    pub flag_stake: U256,
    /// Seconds the owner has to respond.
    pub response_window: u64,
    pub fee_cap: U256,
    /// What a response pays now: the stake plus any arbitration cost above the fee cap.
    pub response_cost: U256,
}

/// Every case and the chain's time they were read at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cases {
    pub book: CaseBook,
    /// The latest block's timestamp: deadlines are chain time (anvil's time travel moves it).
    pub now: u64,
}

/// The parameters, in one batch (`None` when this deployment has no moderation contract).
pub async fn parameters(market: &Market) -> Result<Option<Parameters>, Failure> {
    let Some(address) = market.moderation else { return Ok(None) };
    let mut batch = market.rpc.batch();
    let arbitrator = batch.call(address, &IAssayModeration::arbitratorCall {})?;
    let stake = batch.call(address, &IAssayModeration::flagStakeCall {})?;
    let window = batch.call(address, &IAssayModeration::responseWindowCall {})?;
    let cap = batch.call(address, &IAssayModeration::feeCapCall {})?;
    let cost = batch.call(address, &IAssayModeration::responseCostCall {})?;
    batch.send().await?;
    let arbitrator = arbitrator.answer().await?;
    // Any ERC-792 court may be plugged in; only a council arbitrator answers `council()`.
    let council = market.rpc.read(arbitrator, IAssayCouncilArbitrator::councilCall {}).await.ok();
    Ok(Some(Parameters {
        address,
        arbitrator,
        council,
        flag_stake: stake.answer().await?,
        response_window: window.answer().await?,
        fee_cap: cap.answer().await?,
        response_cost: cost.answer().await?,
    }))
}

/// Every case on this deployment (none without a moderation contract), with the chain's time.
pub async fn cases(market: &Market) -> Result<Cases, Failure> {
    let now = market.rpc.block_time(None).await?;
    let Some(address) = market.moderation else { return Ok(Cases { book: CaseBook::default(), now }) };
    let filter = Filter::new()
        .address(address)
        .event_signature(vec![
            Flagged::SIGNATURE_HASH,
            Responded::SIGNATURE_HASH,
            StatusChanged::SIGNATURE_HASH,
            Evidence::SIGNATURE_HASH,
        ])
        .from_block(market.deploy_block);
    let mut book = CaseBook::default();
    for log in market.rpc.logs(&filter).await? {
        if let Some(event) = case_event(&log) {
            book.apply(&event);
        }
    }
    Ok(Cases { book, now })
}

fn case_event(log: &Log) -> Option<CaseEvent> {
    let data = &log.inner.data;
    Some(match data.topics().first().copied().unwrap_or(B256::ZERO) {
        Flagged::SIGNATURE_HASH => CaseEvent::Flagged(Flagged::decode_log_data(data).ok()?),
        Responded::SIGNATURE_HASH => CaseEvent::Responded(Responded::decode_log_data(data).ok()?),
        StatusChanged::SIGNATURE_HASH => CaseEvent::StatusChanged(StatusChanged::decode_log_data(data).ok()?),
        Evidence::SIGNATURE_HASH => CaseEvent::Evidence(Evidence::decode_log_data(data).ok()?),
        _ => return None,
    })
}

/// Evidence as a form holds it: the document's title and text, and the files chosen to go with
/// it (each uploaded to IPFS, then the document naming them by CID: `assay_core::evidence`).
pub struct EvidenceDraft {
    pub title: String,
    pub text: String,
    pub files: Vec<web_sys::File>,
}

/// Why a moderation write did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModerationError {
    /// The evidence could not be uploaded (nothing was sent to the chain).
    Upload(String),
    /// The transaction failed or was cancelled (its own toast said so).
    Transaction(Failure),
}

async fn upload(config: &RuntimeConfig, evidence: EvidenceDraft) -> Result<String, ModerationError> {
    let ipfs = Ipfs::new(&config.ipfs);
    let mut files = Vec::with_capacity(evidence.files.len());
    for file in evidence.files {
        let name = file.name();
        match ipfs.upload(UploadSource::File(file), &name, |_, _| {}).await {
            Ok(cid) => files.push(cid),
            Err(e) => return Err(ModerationError::Upload(format!("{name} could not be uploaded to IPFS: {e}"))),
        }
    }
    let document = EvidenceDocument { title: evidence.title, text: evidence.text, files };
    match ipfs.upload(UploadSource::Bytes(document.to_json().into_bytes()), "evidence.json", |_, _| {}).await {
        Ok(cid) => Ok(cid.to_string()),
        Err(e) => Err(ModerationError::Upload(format!("The evidence could not be uploaded to IPFS: {e}"))),
    }
}

/// The evidence uploaded first (nothing is sent if that fails), then the write `write` makes of its CID.
async fn with_evidence(
    tx: TxContext,
    config: &RuntimeConfig,
    evidence: EvidenceDraft,
    write: impl FnOnce(String) -> Write,
) -> Result<B256, ModerationError> {
    let cid = upload(config, evidence).await?;
    tx.send(write(cid)).await.map_err(ModerationError::Transaction)
}

/// Reports `model` for `reason`: the evidence to IPFS, then `flag` with the stake.
pub async fn flag(
    tx: TxContext,
    config: &RuntimeConfig,
    params: &Parameters,
    model: U256,
    reason: Reason,
    evidence: EvidenceDraft,
) -> Result<B256, ModerationError> {
    let label = format!("Report model #{model}: {}", reason_label(reason));
    with_evidence(tx, config, evidence, |cid| {
        let call = IAssayModeration::flagCall { modelId: model, reason, evidenceCid: cid };
        Write::call(label, params.address, &call).with_value(params.flag_stake)
    })
    .await
}

/// The owner answers case `case`: the counter-evidence to IPFS, then `respond` paying `response_cost`.
pub async fn respond(
    tx: TxContext,
    config: &RuntimeConfig,
    params: &Parameters,
    case: u64,
    evidence: EvidenceDraft,
) -> Result<B256, ModerationError> {
    with_evidence(tx, config, evidence, |cid| {
        let call = IAssayModeration::respondCall { caseId: U256::from(case), evidenceCid: cid };
        Write::call(format!("Respond to case #{case}"), params.address, &call).with_value(params.response_cost)
    })
    .await
}

/// Adds evidence to open case `case` (either party, or anyone): the document to IPFS, then `submitEvidence`.
pub async fn submit_evidence(
    tx: TxContext,
    config: &RuntimeConfig,
    params: &Parameters,
    case: u64,
    evidence: EvidenceDraft,
) -> Result<B256, ModerationError> {
    with_evidence(tx, config, evidence, |cid| {
        let call = IAssayModeration::submitEvidenceCall { caseId: U256::from(case), evidenceCid: cid };
        Write::call(format!("Add evidence to case #{case}"), params.address, &call)
    })
    .await
}

/// What the moderation contract holds for `account` (refunded and won stakes).
pub async fn withdrawable(market: &Market, params: &Parameters, account: Address) -> Result<U256, Failure> {
    market.rpc.read(params.address, IAssayModeration::withdrawableCall { account }).await
}

/// Takes everything the moderation contract holds for the connected account.
pub async fn withdraw(tx: TxContext, params: &Parameters, amount: U256) -> Result<B256, Failure> {
    let label = format!("Withdraw {} ETH of moderation stakes", assay_core::units::format_ether(amount, 6));
    tx.send(Write::call(label, params.address, &IAssayModeration::withdrawCall {})).await
}

/// Closes an unanswered case after its deadline (the model is delisted).
pub async fn finalize(tx: TxContext, params: &Parameters, case: u64) -> Result<B256, Failure> {
    let call = IAssayModeration::finalizeCall { caseId: U256::from(case) };
    tx.send(Write::call(format!("Finalize case #{case}"), params.address, &call)).await
}

/// The council's ruling on a case's dispute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ruling {
    /// Uphold the report: the model is delisted (ruling 1).
    Delist,
    /// Dismiss the report: the model stays listed (ruling 2).
    Keep,
}

impl Ruling {
    fn code(self) -> U256 {
        U256::from(match self {
            Ruling::Delist => 1u8,
            Ruling::Keep => 2u8,
        })
    }
}

/// The council rules on `dispute` (case `case`) through the council arbitrator's `giveRuling`.
pub async fn rule(
    tx: TxContext,
    params: &Parameters,
    case: u64,
    dispute: U256,
    ruling: Ruling,
) -> Result<B256, Failure> {
    let call = IAssayCouncilArbitrator::giveRulingCall { disputeId: dispute, ruling: ruling.code() };
    let words = match ruling {
        Ruling::Delist => "delist",
        Ruling::Keep => "keep listed",
    };
    tx.send(Write::call(format!("Rule on case #{case}: {words}"), params.arbitrator, &call)).await
}
