//! Publishing a checked draft, planned: which phases run, in which order, under which label,
//! what each uploads and whether the node already has it; and the `listModel` call it ends with.
//! The page keeps one state per [`Phase`] (never per position), so the order and the labels live
//! here only.

use std::collections::BTreeSet;

use alloy_primitives::B256;

use super::Draft;
use super::shares::Shares;
use super::tiers::ParsedTier;
use crate::contracts::IAssayMarket::listModelCall;
use crate::ipfs::{Cid, cid_of};
use crate::units::format_bytes;

/// One phase of a publication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Encrypted weights: the content key, re-created from the wallet's signatures.
    DeriveKey,
    /// Encrypted weights: the model file encrypted in the page.
    Encrypt,
    /// The model file (encrypted, for encrypted weights).
    UploadModel,
    /// Encrypted weights: the public trial file, when there is one.
    UploadTrial,
    /// The evaluation set's array file `i` (from 0, in the manifest's order).
    UploadBundleArray(usize),
    /// The evaluation set's manifest as published (arrays by CID): its CID is the bundle's.
    UploadBundleManifest,
    UploadCard,
    /// The terms document of tier `i` (from 0).
    UploadTerms(usize),
    /// The `listModel` transaction.
    Mint,
}

/// What an upload phase sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// The file's name as sent.
    pub name: String,
    /// Its CID when known before it is sent (the plain model file, the trial file, each terms
    /// document): not sent again once the node confirmed it. The card's is known only once the
    /// model's is; an encrypted file's never is (a fresh encryption has a fresh nonce).
    pub cid: Option<Cid>,
}

/// A phase with its label, and what it uploads (if it does).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedPhase {
    pub phase: Phase,
    pub label: String,
    pub upload: Option<Upload>,
}

/// The phases of one publication, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishPlan {
    phases: Vec<PlannedPhase>,
}

impl PublishPlan {
    /// The publication of `draft` as it stands: for encrypted weights the key, the encryption,
    /// the encrypted file and the public trial file (if chosen); else the model file; then the
    /// evaluation set's arrays and its published manifest (when one was added),
    /// the card, each tier's terms, and the mint.
    pub fn for_draft(draft: &Draft) -> Self {
        let mut phases = Vec::new();
        let mut add = |phase, label: String, upload: Option<Upload>| phases.push(PlannedPhase { phase, label, upload });
        let file = draft.file.as_ref();
        let size = file.map(|f| format!(" ({})", format_bytes(f.size))).unwrap_or_default();
        let file_name = file.map(|f| f.name.clone()).unwrap_or_default();
        if draft.encrypt {
            add(Phase::DeriveKey, "Encryption key (your wallet signs twice)".into(), None);
            add(Phase::Encrypt, format!("Encrypt the model file{size}"), None);
            let upload = Upload { name: format!("{file_name}.assayenc"), cid: None };
            add(Phase::UploadModel, "Model file, encrypted".into(), Some(upload));
            if let Some(trial) = &draft.trial {
                let upload = Upload { name: trial.name.clone(), cid: Some(trial.cid.clone()) };
                add(Phase::UploadTrial, "Public trial file".into(), Some(upload));
            }
        } else {
            let upload = Upload { name: file_name, cid: file.map(|f| f.cid.clone()) };
            add(Phase::UploadModel, format!("Model file{size}"), Some(upload));
        }
        if draft.evaluation.is_set() {
            for (i, array) in draft.evaluation.files.iter().enumerate() {
                let upload = Upload { name: array.name.clone(), cid: Some(array.cid.clone()) };
                let label = format!("Evaluation set: {} ({})", array.name, format_bytes(array.size));
                add(Phase::UploadBundleArray(i), label, Some(upload));
            }
            let cid = draft.evaluation.published().ok().map(|(_, cid)| cid);
            let upload = Upload { name: "manifest.json".into(), cid };
            add(Phase::UploadBundleManifest, "Evaluation set: manifest".into(), Some(upload));
        }
        add(Phase::UploadCard, "Model card".into(), Some(Upload { name: "card.json".into(), cid: None }));
        for (i, tier) in draft.tiers.iter().enumerate() {
            let cid = cid_of(tier.terms_document().as_bytes());
            let upload = Upload { name: format!("terms-{}.txt", i + 1), cid: Some(cid) };
            add(Phase::UploadTerms(i), format!("Terms: {}", tier.title.trim()), Some(upload));
        }
        add(Phase::Mint, "Mint the listing".into(), None);
        Self { phases }
    }

    /// The phases in order.
    pub fn phases(&self) -> &[PlannedPhase] {
        &self.phases
    }

    pub fn get(&self, phase: Phase) -> Option<&PlannedPhase> {
        self.phases.iter().find(|p| p.phase == phase)
    }

    pub fn contains(&self, phase: Phase) -> bool {
        self.get(phase).is_some()
    }

    /// The label of `phase` (empty if it is not part of this publication).
    pub fn label(&self, phase: Phase) -> &str {
        self.get(phase).map_or("", |p| p.label.as_str())
    }

    /// The upload phases whose file the node already confirmed (`uploaded`): they are not sent
    /// again. The card's is found out only once it is built.
    pub fn already_uploaded<'a>(&'a self, uploaded: &'a BTreeSet<Cid>) -> impl Iterator<Item = Phase> + 'a {
        self.phases
            .iter()
            .filter(|p| p.upload.as_ref().and_then(|u| u.cid.as_ref()).is_some_and(|cid| uploaded.contains(cid)))
            .map(|p| p.phase)
    }
}

/// The `listModel` call of a checked draft: the card at `card_cid`, the tiers with their terms'
/// CIDs in order, and the content key's commitment (zero for open weights).
pub fn listing_call(
    card_cid: &Cid,
    key_commitment: B256,
    shares: &Shares,
    tiers: &[ParsedTier],
    terms_cids: &[Cid],
) -> listModelCall {
    listModelCall {
        manifestCid: card_cid.to_string(),
        keyCommitment: key_commitment,
        royaltyBps: shares.royalty_bps,
        coAuthors: shares.co_authors.clone(),
        parents: shares.parents.clone(),
        tiers: tiers.iter().zip(terms_cids).map(|(t, cid)| t.input(cid)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{CREATOR, journey_draft, listed};
    use super::super::{DraftFile, TierFields};
    use super::*;

    fn file(name: &str, size: u64, content: &str) -> Option<DraftFile> {
        Some(DraftFile { name: name.into(), size, cid: cid_of(content.as_bytes()) })
    }

    fn cid(content: &str) -> Cid {
        cid_of(content.as_bytes())
    }

    fn labels(plan: &PublishPlan) -> Vec<(Phase, &str)> {
        plan.phases().iter().map(|p| (p.phase, p.label.as_str())).collect()
    }

    #[test]
    fn open_weights_upload_the_file_card_and_terms_then_mint() {
        let draft = Draft { file: file("digits.onnx", 1_500, "model"), ..Draft::default() };
        let plan = PublishPlan::for_draft(&draft);
        let model_label = format!("Model file ({})", format_bytes(1_500));
        assert_eq!(
            labels(&plan),
            [
                (Phase::UploadModel, model_label.as_str()),
                (Phase::UploadCard, "Model card"),
                (Phase::UploadTerms(0), "Terms: Research licence"),
                (Phase::UploadTerms(1), "Terms: Commercial licence (365 days)"),
                (Phase::Mint, "Mint the listing"),
            ]
        );
        let model = plan.get(Phase::UploadModel).unwrap().upload.clone().unwrap();
        assert_eq!(model, Upload { name: "digits.onnx".into(), cid: Some(cid("model")) });
        assert_eq!(plan.get(Phase::UploadCard).unwrap().upload.as_ref().unwrap().cid, None);
        let terms = plan.get(Phase::UploadTerms(1)).unwrap().upload.clone().unwrap();
        let document = TierFields::commercial().terms_document();
        assert_eq!(terms, Upload { name: "terms-2.txt".into(), cid: Some(cid_of(document.as_bytes())) });
        assert!(plan.get(Phase::Mint).unwrap().upload.is_none());
        assert!(!plan.contains(Phase::DeriveKey) && !plan.contains(Phase::UploadTrial));
        assert_eq!(plan.label(Phase::Encrypt), "");
    }

    #[test]
    fn encrypted_weights_derive_the_key_and_encrypt_first() {
        let draft = Draft { file: file("digits.onnx", 2_000_000, "model"), encrypt: true, ..Draft::default() };
        let plan = PublishPlan::for_draft(&draft);
        let encrypt_label = format!("Encrypt the model file ({})", format_bytes(2_000_000));
        assert_eq!(
            labels(&plan)[..4],
            [
                (Phase::DeriveKey, "Encryption key (your wallet signs twice)"),
                (Phase::Encrypt, encrypt_label.as_str()),
                (Phase::UploadModel, "Model file, encrypted"),
                (Phase::UploadCard, "Model card"),
            ]
        );
        let model = plan.get(Phase::UploadModel).unwrap().upload.clone().unwrap();
        assert_eq!(model, Upload { name: "digits.onnx.assayenc".into(), cid: None }, "always sent: a fresh CID");
        // The plaintext file's CID, even if once uploaded, says nothing about the encrypted one.
        let uploaded = BTreeSet::from([cid("model")]);
        assert_eq!(plan.already_uploaded(&uploaded).count(), 0);
    }

    #[test]
    fn an_encrypted_listings_trial_file_is_uploaded_after_the_model() {
        let draft = Draft {
            file: file("digits.onnx", 10, "model"),
            encrypt: true,
            trial: file("small.onnx", 5, "trial"),
            ..Draft::default()
        };
        let plan = PublishPlan::for_draft(&draft);
        let order: Vec<Phase> = plan.phases().iter().map(|p| p.phase).collect();
        assert_eq!(
            order,
            [
                Phase::DeriveKey,
                Phase::Encrypt,
                Phase::UploadModel,
                Phase::UploadTrial,
                Phase::UploadCard,
                Phase::UploadTerms(0),
                Phase::UploadTerms(1),
                Phase::Mint
            ]
        );
        assert_eq!(plan.label(Phase::UploadTrial), "Public trial file");
        let trial = plan.get(Phase::UploadTrial).unwrap().upload.clone().unwrap();
        assert_eq!(trial, Upload { name: "small.onnx".into(), cid: Some(cid("trial")) });
        // A trial file left in the draft of open weights is not published.
        let open = Draft { encrypt: false, ..draft };
        assert!(!PublishPlan::for_draft(&open).contains(Phase::UploadTrial));
    }

    #[test]
    fn an_evaluation_sets_arrays_then_its_manifest_go_before_the_card() {
        let mut draft = Draft { file: file("digits.onnx", 10, "model"), ..Draft::default() };
        let manifest = r#"{"version": 1, "samples": 2, "arrays": [
            {"name": "pixels", "file": "pixels.bin", "dtype": "f32", "shape": [2, 64]},
            {"name": "digit", "file": "digit.bin", "dtype": "i64", "shape": [2]}
        ], "licence": "CC0-1.0", "source": "test"}"#;
        let arrays = vec![
            DraftFile { name: "pixels.bin".into(), size: 512, cid: cid("pixels") },
            DraftFile { name: "digit.bin".into(), size: 16, cid: cid("digit") },
        ];
        draft.evaluation.take_bundle(manifest.into(), arrays, None);
        let plan = PublishPlan::for_draft(&draft);
        let order: Vec<Phase> = plan.phases().iter().map(|p| p.phase).collect();
        assert_eq!(
            order[..5],
            [
                Phase::UploadModel,
                Phase::UploadBundleArray(0),
                Phase::UploadBundleArray(1),
                Phase::UploadBundleManifest,
                Phase::UploadCard
            ]
        );
        assert_eq!(
            plan.label(Phase::UploadBundleArray(0)),
            format!("Evaluation set: pixels.bin ({})", format_bytes(512))
        );
        let (_, bundle) = draft.evaluation.published().unwrap();
        let upload = plan.get(Phase::UploadBundleManifest).unwrap().upload.clone().unwrap();
        assert_eq!(upload, Upload { name: "manifest.json".into(), cid: Some(bundle.clone()) });
        // What the node already has is not sent again.
        draft.uploaded.extend([cid("digit"), bundle]);
        assert_eq!(
            plan.already_uploaded(&draft.uploaded).collect::<Vec<_>>(),
            [Phase::UploadBundleArray(1), Phase::UploadBundleManifest]
        );
        // Without an evaluation set there is nothing of it to upload.
        draft.evaluation.remove();
        assert!(!PublishPlan::for_draft(&draft).contains(Phase::UploadBundleManifest));
    }

    #[test]
    fn files_the_node_already_confirmed_are_not_sent_again() {
        let mut draft = Draft { file: file("digits.onnx", 10, "model"), ..Draft::default() };
        let research = cid_of(TierFields::research().terms_document().as_bytes());
        draft.uploaded.extend([cid("model"), research, cid("unrelated")]);
        let plan = PublishPlan::for_draft(&draft);
        assert_eq!(
            plan.already_uploaded(&draft.uploaded).collect::<Vec<_>>(),
            [Phase::UploadModel, Phase::UploadTerms(0)]
        );
        assert_eq!(plan.already_uploaded(&BTreeSet::new()).count(), 0);
    }

    #[test]
    fn each_tier_has_its_terms_phase_in_order() {
        let tiers: Vec<TierFields> = (0..5)
            .map(|i| TierFields { title: format!("  Tier {i} "), price: format!("0.0{i}"), ..TierFields::research() })
            .collect();
        let draft = Draft { file: file("m.onnx", 10, "m"), tiers, ..Draft::default() };
        let plan = PublishPlan::for_draft(&draft);
        assert_eq!(plan.phases().len(), 1 + 1 + 5 + 1);
        for i in 0..5 {
            assert_eq!(plan.label(Phase::UploadTerms(i)), format!("Terms: Tier {i}"));
            assert_eq!(
                plan.get(Phase::UploadTerms(i)).unwrap().upload.as_ref().unwrap().name,
                format!("terms-{}.txt", i + 1)
            );
        }
        assert!(!plan.contains(Phase::UploadTerms(5)));
        assert_eq!(plan.phases().last().unwrap().phase, Phase::Mint);
        let no_tiers = Draft { tiers: vec![], ..draft };
        assert_eq!(PublishPlan::for_draft(&no_tiers).phases().len(), 3);
    }

    #[test]
    fn the_listing_call_carries_card_shares_and_tiers_in_order() {
        let draft = journey_draft();
        let shares = draft.shares(Some(CREATOR), listed).unwrap();
        let tiers = draft.parsed_tiers().unwrap();
        let terms = [cid("t0"), cid("t1")];
        let call = listing_call(&cid("card"), B256::ZERO, &shares, &tiers, &terms);
        assert_eq!(call.manifestCid, cid("card").to_string());
        assert_eq!(call.keyCommitment, B256::ZERO, "open weights: no commitment");
        let sealed = listing_call(&cid("card"), B256::repeat_byte(7), &shares, &tiers, &terms);
        assert_eq!(sealed.keyCommitment, B256::repeat_byte(7));
        assert_eq!((call.royaltyBps, call.coAuthors.len(), call.parents.len()), (500, 2, 1));
        let named: Vec<String> = terms.iter().map(Cid::to_string).collect();
        assert_eq!(call.tiers.iter().map(|t| t.termsCid.clone()).collect::<Vec<_>>(), named);
        assert_eq!(call.tiers[1].duration, 365 * 86_400);
    }
}
