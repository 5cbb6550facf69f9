//! The publication of a checked draft, phase by phase as `PublishPlan` orders them: for
//! encrypted weights the content key (two signatures) and the encryption in the page; the
//! uploads (the model, the evaluation set's arrays and published manifest, the card, the terms;
//! each skipped when the node already confirmed its CID for this draft); one
//! `listModel` transaction; the model id from its receipt's `ModelListed` log. Each phase's
//! progress is kept under its `Phase`.

use alloy_primitives::{B256, U256};
use alloy_provider::Provider;
use alloy_sol_types::SolEvent;
use assay_core::contracts::IAssayMarket;
use assay_core::failure::Failure;
use assay_core::ipfs::{IpfsError, Progress, UploadPhase};
use assay_core::listing_draft::{FieldError, Phase, PublishPlan, Upload, card_bytes, listing_call};
use assay_core::units::format_bytes;
use leptos::prelude::*;

use super::parents::ParentLicences;
use super::wizard::{Wizard, cpu_error};
use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{TxContext, Write};
use crate::encryption;
use crate::error::AppError;
use crate::ipfs::{Cid, Ipfs, UploadSource, cid_of};
use crate::trial::tract::CpuError;
use crate::ui::components::progress::StepState;
use crate::wallet::WalletContext;

/// Why a publication stopped: the cause, typed (`cause.is_cancelled()`: the person said no in
/// their wallet, for a signature or the mint), and the sentence shown, which may say more than
/// the cause alone ("Upload of card.json failed: …"). Nothing is lost either way: the draft and
/// the uploads are kept.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Stopped {
    pub cause: AppError,
    pub sentence: String,
}

impl Stopped {
    fn upload(name: &str, error: IpfsError) -> Self {
        Stopped { sentence: format!("Upload of {name} failed: {error}"), cause: AppError::Ipfs(error) }
    }

    /// Something about the draft or its files that is not as it should be, in words.
    fn invalid(sentence: String) -> Self {
        AppError::Invalid(sentence).into()
    }
}

impl From<AppError> for Stopped {
    fn from(cause: AppError) -> Self {
        Stopped { sentence: cause.sentence(), cause }
    }
}

impl From<Failure> for Stopped {
    fn from(failure: Failure) -> Self {
        AppError::Chain(failure).into()
    }
}

/// The publication's phases as shown: each with its label and state, in the plan's order, found
/// by `Phase`. Cheap to copy.
#[derive(Clone, Copy)]
pub(super) struct PhaseStates {
    rows: RwSignal<Vec<(Phase, String, StepState)>>,
}

impl PhaseStates {
    pub fn new() -> Self {
        Self { rows: RwSignal::new(Vec::new()) }
    }

    /// Every phase of `plan`, waiting.
    fn start(&self, plan: &PublishPlan) {
        self.rows.set(plan.phases().iter().map(|p| (p.phase, p.label.clone(), StepState::Waiting)).collect());
    }

    fn set(&self, phase: Phase, state: StepState) {
        self.rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|(p, _, _)| *p == phase) {
                row.2 = state;
            }
        });
    }

    /// The rows for `ProgressRows`.
    pub fn shown(&self) -> Signal<Vec<(String, StepState)>> {
        let rows = self.rows;
        Signal::derive(move || {
            rows.with(|r| r.iter().map(|(_, label, state)| (label.clone(), state.clone())).collect())
        })
    }

    /// An error marks `phase` failed with its sentence.
    fn failed<T>(&self, phase: Phase, result: Result<T, impl Into<Stopped>>) -> Result<T, Stopped> {
        result.map_err(|error| {
            let stopped = error.into();
            self.set(phase, StepState::Failed(stopped.sentence.clone()));
            stopped
        })
    }
}

/// Uploads `source` for `phase` unless the node already confirmed its CID for this draft; the
/// CID. The CID is the plan's when known, else computed here for bytes (a Blob is always sent).
async fn upload_once(
    wizard: Wizard,
    ipfs: &Ipfs,
    phases: PhaseStates,
    phase: Phase,
    upload: &Upload,
    source: UploadSource,
) -> Result<Cid, Stopped> {
    let cid = match (&source, &upload.cid) {
        (_, Some(cid)) => Some(cid.clone()),
        (UploadSource::Bytes(bytes), None) => Some(cid_of(bytes)),
        _ => None,
    };
    if let Some(cid) = cid.filter(|cid| wizard.draft.with_untracked(|d| d.uploaded.contains(cid))) {
        phases.set(phase, StepState::Done(format!("already on IPFS ({cid})")));
        return Ok(cid);
    }
    phases.set(phase, StepState::Running("starting…".into()));
    let progress = move |step: UploadPhase, p: Progress| {
        let what = match step {
            UploadPhase::Hashing => "hashing",
            UploadPhase::Sending => "sending",
        };
        phases.set(phase, StepState::Running(format!("{what} {}% of {}", p.percent(), format_bytes(p.total))));
    };
    let name = &upload.name;
    let uploaded = ipfs.upload(source, name, progress).await.map_err(|e| Stopped::upload(name, e));
    let remote = phases.failed(phase, uploaded)?;
    wizard.update(|d| {
        d.uploaded.insert(remote.clone());
    });
    phases.set(phase, StepState::Done(format!("uploaded: {remote}")));
    Ok(remote)
}

/// The whole publication; the listed model's id.
pub(super) async fn publish(
    wizard: Wizard,
    tx: TxContext,
    wallet: WalletContext,
    catalogue: CatalogueContext,
    parents: ParentLicences,
    ipfs: Ipfs,
    phases: PhaseStates,
) -> Result<U256, Stopped> {
    let creator = wallet.connection.get_untracked().map(|c| c.account).ok_or(AppError::NoWallet)?;
    let market = Market::session().map_err(|_| AppError::NoMarket)?;
    let draft = wizard.draft.get_untracked();
    let right = |id: u64| parents.right_untracked(&catalogue, Some(creator), id);
    let first =
        |errors: Vec<FieldError>| Stopped::invalid(errors.into_iter().next().map(|e| e.message).unwrap_or_default());
    let shares = draft.shares(Some(creator), right).map_err(first)?;
    let tiers = draft.parsed_tiers().map_err(first)?;
    let paid = shares.check_prices(tiers.iter().map(|t| U256::from(t.price)));
    if !paid.is_empty() {
        return Err(first(paid));
    }
    let io = draft.io_schema().map_err(|e| Stopped::invalid(e.message))?;
    let card_problems = draft.check_card();
    if !card_problems.is_empty() {
        return Err(first(card_problems));
    }
    let evaluation_problems = draft.check_evaluation();
    if !evaluation_problems.is_empty() {
        return Err(first(evaluation_problems));
    }
    let bundle_files = match draft.evaluation.is_set() {
        true => Some(wizard.bundle.get_untracked().ok_or_else(|| {
            Stopped::invalid("This browser no longer has the evaluation set's files: drop it again in step 4.".into())
        })?),
        false => None,
    };
    let file = draft.file.clone().ok_or_else(|| Stopped::invalid("Choose the model file (step 1).".into()))?;
    let bytes = wizard.bytes.get_untracked().ok_or_else(|| {
        Stopped::invalid(format!("This browser no longer has {}: choose it again in step 1.", file.name))
    })?;
    let trial_bytes = match (draft.encrypt, &draft.trial) {
        (true, Some(trial)) => Some(wizard.trial_bytes.get_untracked().ok_or_else(|| {
            Stopped::invalid(format!(
                "This browser no longer has the trial file {}: choose it again in step 1.",
                trial.name
            ))
        })?),
        _ => None,
    };
    if let (Some(trial), Some(trial_bytes)) = (&draft.trial, &trial_bytes) {
        let worker = wizard.worker().await.map_err(Stopped::invalid)?;
        worker.validate(trial_bytes, &io).await.map_err(|e| {
            let sentence =
                format!("The trial file {} doesn't follow the I/O schema: {}", trial.name, cpu_error(e.clone()));
            let cause = match e {
                CpuError::Refused(refusal) => AppError::Refused(refusal),
                CpuError::Failed(_) => AppError::Invalid(sentence.clone()),
            };
            Stopped { cause, sentence }
        })?;
    }

    let plan = PublishPlan::for_draft(&draft);
    let upload =
        |phase: Phase| plan.get(phase).and_then(|p| p.upload.as_ref()).expect("the plan uploads in this phase");
    phases.start(&plan);
    let (card, commitment) = if draft.encrypt {
        let key_id_text = draft.key_id.clone().ok_or_else(|| {
            Stopped::invalid("The draft has no key id: switch encryption off and on again in step 1.".into())
        })?;
        let key_id = encryption::parse_key_id(&key_id_text)?;
        phases.set(Phase::DeriveKey, StepState::Running("confirm the two signature requests in your wallet…".into()));
        let key = phases.failed(Phase::DeriveKey, encryption::content_key(&wallet, &market, &key_id).await)?;
        let commitment = B256::from(assay_crypto::commitment(&key));
        phases.set(Phase::DeriveKey, StepState::Done(format!("key {key_id_text}: commitment {commitment}")));
        phases.set(Phase::Encrypt, StepState::Running("0%".into()));
        let encrypted = encryption::encrypt(&bytes, &key, key_id, move |p| {
            phases.set(Phase::Encrypt, StepState::Running(format!("{}%", p.percent())))
        })
        .await;
        let encrypted = phases.failed(Phase::Encrypt, encrypted)?;
        phases.set(Phase::Encrypt, StepState::Done(format!("{} encrypted", format_bytes(encrypted.size() as u64))));
        // A fresh encryption has a fresh nonce prefix, so a new CID: always uploaded.
        let source = UploadSource::Blob(encrypted);
        let encrypted_cid =
            upload_once(wizard, &ipfs, phases, Phase::UploadModel, upload(Phase::UploadModel), source).await?;
        let trial_cid = match trial_bytes {
            Some(trial_bytes) => {
                let source = UploadSource::Bytes(trial_bytes.as_ref().clone());
                Some(upload_once(wizard, &ipfs, phases, Phase::UploadTrial, upload(Phase::UploadTrial), source).await?)
            }
            None => None,
        };
        (draft.encrypted_card(io, &encrypted_cid, trial_cid.as_ref(), &key_id_text, file.size), commitment)
    } else {
        let source = UploadSource::Bytes(bytes.as_ref().clone());
        let model_cid =
            upload_once(wizard, &ipfs, phases, Phase::UploadModel, upload(Phase::UploadModel), source).await?;
        if model_cid != file.cid {
            return Err(Stopped::invalid(format!(
                "The uploaded file's CID {model_cid} differs from the draft's {}; choose the file again.",
                file.cid
            )));
        }
        (draft.card(io, &model_cid), B256::ZERO)
    };
    if let Some(files) = bundle_files {
        for (i, file) in draft.evaluation.files.iter().enumerate() {
            let phase = Phase::UploadBundleArray(i);
            let bytes = files.get(&file.name).cloned().ok_or_else(|| {
                Stopped::invalid(format!(
                    "This browser no longer has {} of the evaluation set: drop it again.",
                    file.name
                ))
            })?;
            let cid = upload_once(wizard, &ipfs, phases, phase, upload(phase), UploadSource::Bytes(bytes)).await?;
            if cid != file.cid {
                return Err(Stopped::invalid(format!(
                    "The uploaded {}'s CID {cid} differs from the draft's {}; drop the evaluation set again.",
                    file.name, file.cid
                )));
            }
        }
        let (published, bundle) = draft.evaluation.published().map_err(|e| Stopped::invalid(e.message))?;
        let phase = Phase::UploadBundleManifest;
        let source = UploadSource::Bytes(published.to_json().into_bytes());
        let cid = upload_once(wizard, &ipfs, phases, phase, upload(phase), source).await?;
        if cid != bundle {
            return Err(Stopped::invalid(format!(
                "The evaluation set's manifest was uploaded as {cid}, not the {bundle} the card names."
            )));
        }
    }
    let source = UploadSource::Bytes(card_bytes(&card));
    let card_cid = upload_once(wizard, &ipfs, phases, Phase::UploadCard, upload(Phase::UploadCard), source).await?;
    let mut terms_cids = Vec::new();
    for (i, tier) in draft.tiers.iter().enumerate() {
        let phase = Phase::UploadTerms(i);
        let source = UploadSource::Bytes(tier.terms_document().into_bytes());
        terms_cids.push(upload_once(wizard, &ipfs, phases, phase, upload(phase), source).await?);
    }

    phases.set(Phase::Mint, StepState::Running("confirm in your wallet…".into()));
    let call = listing_call(&card_cid, commitment, &shares, &tiers, &terms_cids);
    let sent = tx.send(Write::call(format!("List {}", card.name), market.address, &call)).await;
    let hash = phases.failed(Phase::Mint, sent)?;
    let rpc = &market.rpc;
    let receipt = rpc
        .provider()
        .get_transaction_receipt(hash)
        .await
        .map_err(|e| rpc.failure(&e))?
        .ok_or_else(|| Stopped::invalid("The listing's receipt is not available yet.".into()))?;
    let id = receipt
        .inner
        .logs()
        .iter()
        .filter(|log| log.address() == market.address)
        .find_map(|log| IAssayMarket::ModelListed::decode_log_data(&log.inner.data).ok())
        .map(|event| event.modelId)
        .ok_or_else(|| Stopped::invalid("The transaction was confirmed but listed no model.".into()))?;
    phases.set(Phase::Mint, StepState::Done(format!("model #{id} minted")));
    Ok(id)
}
