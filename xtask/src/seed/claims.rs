//! The seeded quality claims, as data: which real model claims which metrics on which evaluation
//! set, magika's set made from files of known types (byte features by `assay_inference::pre`, the
//! code the browser runs), each claim as the card carries it (Hugging Face's `model-index` shape
//! with Assay's `evaluation` block), and the listing whose card overstates its accuracy. The
//! figures come from the models' own predictions (`evaluation`); nothing here talks to a node.

use std::collections::BTreeMap;

use assay_inference::IoSchema;
use assay_inference::card::{
    ClaimedMetric, DatasetRef, EvalResult, Evaluation, Feed, InputKind, Labels, OutputKind, Reading, TaskRef,
};
use assay_inference::evaluation::{ArrayAt, ArraySpec, Manifest, MetricKind, bundle::BUNDLE_VERSION};
use assay_inference::pre::file_byte_values;
use assay_inference::tensor::DType;
use serde_json::Value;

use super::offer::Offer;
use super::plan::RealListing;
use crate::process::Result;

/// An evaluation set the seed makes and publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvaluationSet {
    /// scikit-learn's bundled digits, the rows the digits models were not trained on
    /// (`inference/tests/evaluation_bundle.py`, the split of `inference/models/setup.py`).
    HeldOutDigits,
    /// Files of known types (`inference/models/known_files.py`) as magika's byte features.
    KnownFiles,
}

impl EvaluationSet {
    pub const ALL: [EvaluationSet; 2] = [EvaluationSet::HeldOutDigits, EvaluationSet::KnownFiles];

    /// The bundle arrays holding the model's input and the truth.
    pub fn arrays(self) -> (&'static str, &'static str) {
        match self {
            EvaluationSet::HeldOutDigits => ("pixels", "digit"),
            EvaluationSet::KnownFiles => ("bytes", "type"),
        }
    }

    fn task(self) -> TaskRef {
        match self {
            EvaluationSet::HeldOutDigits => {
                TaskRef { kind: "image-classification".into(), name: Some("Handwritten digit recognition".into()) }
            }
            EvaluationSet::KnownFiles => {
                TaskRef { kind: "file-type-detection".into(), name: Some("File type from content".into()) }
            }
        }
    }

    fn dataset(self, bundle: &str) -> DatasetRef {
        let (kind, name, split) = match self {
            EvaluationSet::HeldOutDigits => {
                ("sklearn-digits", "scikit-learn digits", "held out: rows 1,500-1,796, not used in training")
            }
            EvaluationSet::KnownFiles => (
                "assay-known-files",
                "Files of known types (generated)",
                "3 files of each of 23 types, made by known_files.py",
            ),
        };
        DatasetRef {
            kind: kind.into(),
            name: name.into(),
            split: Some(split.into()),
            revision: Some(bundle.to_owned()),
        }
    }
}

/// A real listing's claim: its metrics on an evaluation set, within a tolerance.
pub struct Claim {
    pub stem: &'static str,
    pub set: EvaluationSet,
    pub metrics: &'static [MetricKind],
    /// A little over one sample's worth of the set, so that an engine reading a near tie the
    /// other way (tract or onnxruntime-web against the onnxruntime that measured it) still
    /// reproduces the claim.
    pub tolerance: f64,
}

pub const CLAIMS: [Claim; 3] = [
    Claim {
        stem: "digits",
        set: EvaluationSet::HeldOutDigits,
        metrics: &[MetricKind::Accuracy, MetricKind::F1],
        tolerance: 0.005,
    },
    Claim { stem: "magika", set: EvaluationSet::KnownFiles, metrics: &[MetricKind::Accuracy], tolerance: 0.02 },
    Claim {
        stem: "digits-small",
        set: EvaluationSet::HeldOutDigits,
        metrics: &[MetricKind::Accuracy, MetricKind::F1],
        tolerance: 0.005,
    },
];

/// A listing of a real model's file again, under a card that claims more than the model does:
/// the seeded example of a claim that does not reproduce.
pub struct Overstated {
    /// The listing (its stem names the model file and the card copied).
    pub listing: RealListing,
    pub name: &'static str,
    pub description: &'static str,
    /// How much more than observed the card claims, for every metric (capped at 1).
    pub by: f64,
}

pub static OVERSTATED: Overstated = Overstated {
    listing: RealListing {
        stem: "digits-small",
        creator: 2,
        royalty_bps: 0,
        co_author: None,
        parent: None,
        tiers: &[(Offer::Research, 1)],
    },
    name: "Handwritten digits, small (overstated card)",
    description: "The file of “Handwritten digits, small (8×8)” listed again by its creator with a card that \
                  claims more accuracy than the model has. Seeded so that Reproduce can show a claim that \
                  does not match: the observed figures are the small model's.",
    by: 0.08,
};

impl Overstated {
    /// The overstated figure for an observed `value`: `by` more, at most 1.
    pub fn figure(&self, value: f64) -> f64 {
        rounded((value + self.by).min(1.0))
    }
}

/// A claimed figure as a card writes it: 4 decimal places (within every tolerance of the value).
pub fn rounded(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The result a card carries for `claim` on the bundle `bundle` (its CID), claiming `values`
/// (in `claim.metrics` order), read from the card's first output by argmax and fed to its first
/// input; checked as the page checks it.
pub fn result(claim: &Claim, io: &IoSchema, bundle: &str, values: &[f64]) -> Result<EvalResult> {
    if values.len() != claim.metrics.len() {
        return Err(format!("{} claims {} metrics, {} values given", claim.stem, claim.metrics.len(), values.len()));
    }
    let (input, output) = match (io.inputs.first(), io.outputs.first()) {
        (Some(input), Some(output)) => (input, output),
        _ => return Err(format!("{}'s card has no input or no output", claim.stem)),
    };
    let (array, truth) = claim.set.arrays();
    let result = EvalResult {
        task: claim.set.task(),
        dataset: claim.set.dataset(bundle),
        metrics: claim
            .metrics
            .iter()
            .zip(values)
            .map(|(&kind, &value)| ClaimedMetric {
                kind,
                value: rounded(value),
                name: Some(metric_name(kind)),
                k: None,
            })
            .collect(),
        evaluation: Some(Evaluation {
            bundle: bundle.to_owned(),
            feeds: vec![Feed { array: array.into(), input: input.name.clone() }],
            truth: truth.into(),
            read: Reading::Argmax { output: output.name.clone() },
            tolerance: claim.tolerance,
        }),
    };
    result.check().map_err(|e| format!("{}'s claim: {e}", claim.stem))?;
    Ok(result)
}

fn metric_name(kind: MetricKind) -> String {
    match kind {
        MetricKind::F1 => "Macro F1".into(),
        MetricKind::Accuracy => "Accuracy".into(),
        other => other.key().into(),
    }
}

/// Magika's evaluation set from `files` (their type, as magika names it, and their bytes): each
/// file's byte features as the card's `fileBytes` input makes them, as `int32` rows, and its
/// type's index among the card's labels. The folder form: `bytes.bin`, `type.bin`.
pub fn known_files_bundle(io: &IoSchema, files: &[(String, Vec<u8>)]) -> Result<(Manifest, BTreeMap<String, Vec<u8>>)> {
    let input = io.inputs.first().ok_or("the card has no input")?;
    let InputKind::FileBytes { begin, end, padding, block } = input.kind else {
        return Err(format!("input {} does not take a file's bytes", input.name));
    };
    let labels = match io.outputs.first().map(|o| &o.kind) {
        Some(OutputKind::Classification { labels: Labels::Inline(labels), .. }) => labels,
        _ => return Err("the card's first output is not a classification with its labels inline".into()),
    };
    if files.is_empty() {
        return Err("no files of known types were made".into());
    }
    let (mut features, mut types) = (Vec::new(), Vec::new());
    for (kind, bytes) in files {
        let class =
            labels.iter().position(|l| l == kind).ok_or_else(|| format!("{kind} is not one of the card's labels"))?;
        types.extend_from_slice(&(class as i64).to_le_bytes());
        for value in file_byte_values(bytes, begin, end, padding, block) {
            features.extend_from_slice(&(value as i32).to_le_bytes());
        }
    }
    let samples = files.len();
    let (array, truth) = EvaluationSet::KnownFiles.arrays();
    let manifest = Manifest {
        version: BUNDLE_VERSION,
        samples,
        arrays: vec![
            ArraySpec {
                name: array.into(),
                at: ArrayAt::File("bytes.bin".into()),
                dtype: DType::I32,
                shape: vec![samples, begin + end],
            },
            ArraySpec {
                name: truth.into(),
                at: ArrayAt::File("type.bin".into()),
                dtype: DType::I64,
                shape: vec![samples],
            },
        ],
        labels: labels.clone(),
        licence: "CC0-1.0".into(),
        source: "Files of 23 types generated by Assay's inference/models/known_files.py (fixed seed), as magika's \
                 byte features (first and last 1,024 bytes, whitespace stripped, padded with 256)"
            .into(),
    };
    Ok((manifest, BTreeMap::from([("bytes.bin".to_owned(), features), ("type.bin".to_owned(), types)])))
}

/// The card's JSON text with `results` set (pretty, as uploaded).
pub fn card_with_results(card: &str, results: &[EvalResult]) -> Result<String> {
    let mut card: Value = serde_json::from_str(card).map_err(|e| format!("the card is not JSON: {e}"))?;
    let object = card.as_object_mut().ok_or("the card is not a JSON object")?;
    object.insert("results".into(), serde_json::to_value(results).expect("results serialise"));
    Ok(serde_json::to_string_pretty(&card).expect("JSON") + "\n")
}

/// The overstated listing's card: the copied card renamed and described, its typed figures
/// dropped (its claims are its `results`).
pub fn overstated_card(card: &str) -> Result<String> {
    let mut card: Value = serde_json::from_str(card).map_err(|e| format!("the card is not JSON: {e}"))?;
    let object = card.as_object_mut().ok_or("the card is not a JSON object")?;
    object.insert("name".into(), OVERSTATED.name.into());
    object.insert("description".into(), OVERSTATED.description.into());
    object.insert("metrics".into(), Value::Array(Vec::new()));
    Ok(serde_json::to_string_pretty(&card).expect("JSON") + "\n")
}

#[cfg(test)]
mod tests {
    use assay_inference::ModelCard;
    use assay_inference::card::Provenance;
    use assay_inference::evaluation::{Bundle, BundleLimits};

    use super::*;
    use crate::seed::plan::LISTINGS;

    fn card(stem: &str) -> (String, ModelCard) {
        let path = format!("{}/../inference/cards/{stem}.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        let card = serde_json::from_str(&text).unwrap();
        (text, card)
    }

    #[test]
    fn every_claim_is_a_real_listing_s_and_the_overstated_one_copies_a_claimed_model() {
        for claim in &CLAIMS {
            assert!(LISTINGS.iter().any(|l| l.stem == claim.stem), "{}", claim.stem);
            assert!(claim.tolerance > 0.0 && claim.tolerance < OVERSTATED.by / 2.0, "{}", claim.stem);
        }
        let claims = |stem: &str| CLAIMS.iter().any(|c| c.stem == stem);
        assert!(claims(OVERSTATED.listing.stem) && !claims("text-direction"));
        // Not a listing the plan's purchases or parents could find by stem in its place.
        assert!(std::ptr::eq(super::super::plan::listing("digits-small"), &LISTINGS[3]));
        assert_eq!(OVERSTATED.figure(0.9024), 0.9824);
        assert_eq!(OVERSTATED.figure(0.95), 1.0);
    }

    #[test]
    fn a_claim_reads_like_model_index_and_is_reproducible() {
        let (_, digits) = card("digits");
        let result = result(&CLAIMS[0], &digits.io, "bafkreibundle", &[0.902_356_9, 0.901_234_5]).unwrap();
        assert_eq!(result.provenance(), Provenance::Reproducible);
        assert_eq!(result.dataset.revision.as_deref(), Some("bafkreibundle"));
        assert_eq!(
            result.metrics.iter().map(|m| (m.kind, m.value)).collect::<Vec<_>>(),
            [(MetricKind::Accuracy, 0.9024), (MetricKind::F1, 0.9012)]
        );
        let evaluation = result.evaluation.as_ref().unwrap();
        assert_eq!(evaluation.feeds, [Feed { array: "pixels".into(), input: "pixels".into() }]);
        assert_eq!(evaluation.read, Reading::Argmax { output: "probabilities".into() });
        assert_eq!(evaluation.truth, "digit");
        assert_eq!(
            super::result(&CLAIMS[0], &digits.io, "x", &[0.9]).unwrap_err(),
            "digits claims 2 metrics, 1 values given"
        );
    }

    #[test]
    fn known_files_become_magika_s_features_and_label_indices() {
        let (_, magika) = card("magika");
        let files =
            vec![("png".to_owned(), b"\x89PNG\r\n\x1a\n".to_vec()), ("json".to_owned(), b"  {\"a\": 1}\n".to_vec())];
        let (manifest, arrays) = known_files_bundle(&magika.io, &files).unwrap();
        let manifest = Manifest::from_json(&manifest.to_json(), &BundleLimits::default()).unwrap();
        assert_eq!(manifest.files(), ["bytes.bin", "type.bin"]);
        let bundle = Bundle::new(manifest, &arrays).unwrap();
        let labels = bundle.labels("type", 214).unwrap();
        assert_eq!(labels.iter().map(|&l| bundle.manifest.labels[l].as_str()).collect::<Vec<_>>(), ["png", "json"]);
        // The first half starts after the leading spaces, the second ends before the trailing
        // newline; the rest of each half is padding (256).
        let json = bundle.sample("bytes", 1, "bytes").unwrap().data.to_f64();
        let bytes = |text: &'static str| text.bytes().map(f64::from);
        assert_eq!(json.len(), 2048);
        assert!(json[..9].iter().copied().eq(bytes("{\"a\": 1}\n")) && json[9..2038].iter().all(|&v| v == 256.0));
        assert!(json[2038..].iter().copied().eq(bytes("  {\"a\": 1}")));

        let unknown = [("klingon".to_owned(), vec![1u8])];
        assert_eq!(known_files_bundle(&magika.io, &unknown).unwrap_err(), "klingon is not one of the card's labels");
        let (_, digits) = card("digits");
        assert_eq!(known_files_bundle(&digits.io, &files).unwrap_err(), "input pixels does not take a file's bytes");
        assert_eq!(known_files_bundle(&magika.io, &[]).unwrap_err(), "no files of known types were made");
    }

    #[test]
    fn cards_carry_their_results_and_the_overstated_copy_is_renamed() {
        let (text, digits) = card("digits-small");
        let claimed = result(&CLAIMS[2], &digits.io, "bafkreibundle", &[0.9, 0.89]).unwrap();
        let with = card_with_results(&text, std::slice::from_ref(&claimed)).unwrap();
        let read: ModelCard = serde_json::from_str(&with).unwrap();
        assert_eq!(read.results, [claimed]);
        assert_eq!((read.name, read.io), (digits.name.clone(), digits.io.clone()));

        let copy: ModelCard = serde_json::from_str(&overstated_card(&text).unwrap()).unwrap();
        assert_eq!((copy.name.as_str(), copy.io), (OVERSTATED.name, digits.io));
        assert!(copy.metrics.is_empty());
        assert!(card_with_results("[]", &[]).unwrap_err().contains("object"));
        assert!(overstated_card("{").unwrap_err().contains("not JSON"));
    }
}
