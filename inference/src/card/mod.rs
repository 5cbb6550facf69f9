//! The model card's declarative I/O section (`"io"`), versioned. The listing flow writes it; the
//! trial reads it to build its form (image drop / camera / drawing pad, fields, JSON box, file) and
//! its result view (top-k bars, table, raw tensor), and to check the model matches what it claims.
//!
//! ```json
//! { "version": 1,
//!   "inputs":  [{ "name": "pixels", "dtype": "f32", "shape": [1, 64],
//!                 "kind": "image", "width": 8, "height": 8, "channels": 1, "layout": "nchw",
//!                 "scale": 0.0627, "invert": true }],
//!   "outputs": [{ "name": "probabilities", "kind": "classification",
//!                 "labels": { "inline": ["0", "1"] }, "softmax": false, "topK": 3 }] }
//! ```
//!
//! Version 1 grew without a new number: every later field is optional and means what its absence
//! meant before, so cards written earlier read the same. `shape` may be `[]` (a scalar);
//! `sizes` names an input's free axes (`[{ "axis": 0, "name": "batch" }]`, values in `shape`);
//! `"kind": "state"` is an input fed with zeros; `"dtype": "bool"` is a boolean tensor.

mod checks;
mod compliance;
mod io;
mod proposed;
mod results;
mod sizes;

use serde::{Deserialize, Serialize};

pub use checks::{CardError, check_outputs};
pub use compliance::{
    COMPLIANCE_VERSION, Compliance, ComplianceField, ComplianceProblem, ComplianceSection, PersonalData, RiskCategory,
    TrainingData, contact_link,
};
pub use io::{
    ChannelOrder, FieldSpec, IO_VERSION, ImageSpec, InputKind, InputSpec, IoSchema, Labels, Layout, NamedSize,
    OutputKind, OutputSpec, Resize,
};
pub use proposed::{DEFAULT_PICTURE_SIDE, MAX_PROPOSED_FIELDS, is_state_like};
pub use results::{ClaimedMetric, DatasetRef, EvalResult, Evaluation, Feed, Provenance, Reading, TaskRef};

/// A model card as the seeded catalogue and the trial read it. Fields other than `io` are
/// descriptive; unknown top-level fields are kept for other parts of the app and ignored here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelCard {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub licence: String,
    /// Where the weights came from, in words (training recipe or upstream file).
    #[serde(default)]
    pub source: String,
    /// CID of the `.onnx` file on IPFS: the exact artifact a licence covers and a trial runs.
    /// Absent in cards not uploaded yet (the seeded cards in the repository).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// For encrypted weights: CID of a public `.onnx` file anyone may try (a smaller or limited
    /// model chosen by the creator, following the same `io`). The licensed file stays `model`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial: Option<String>,
    /// Present when `model` is an encrypted file: what a licence holder needs to open it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    /// What the model does, as a task name the catalogue filters on: `image-classification`,
    /// `text-classification`, `file-type-detection`, …
    #[serde(default)]
    pub task: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// Measured quality, each with how it was measured in its name (as typed; see `results`).
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// Claimed results in Hugging Face's `model-index` shape; each with an evaluation block can be
    /// recomputed by anyone on the exact listed file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub results: Vec<EvalResult>,
    /// What the model is meant for, in words.
    #[serde(default)]
    pub intended_use: String,
    /// What it is not good at, in words.
    #[serde(default)]
    pub limitations: String,
    /// What changed since the previous version (empty in a first version).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub changelog: String,
    /// What regulators and enterprise buyers ask (see [`compliance`]); absent in cards written
    /// before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<ComplianceSection>,
    pub io: IoSchema,
}

/// The `encryption` section of an encrypted model's card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Encryption {
    /// The file format: [`ENCRYPTION_FORMAT`] (assay-crypto's `stream`, ASSAYENC version 1).
    pub format: String,
    /// The content key's name, `0x` + 64 hex digits (also in the encrypted file's header): the
    /// creator re-derives the key from a signature over it, and checks it against the commitment.
    pub key_id: String,
    /// Bytes of the decrypted `.onnx` file.
    pub size: u64,
}

/// The encrypted file format a card names in `encryption.format`.
pub const ENCRYPTION_FORMAT: &str = "assay-enc-1";

impl ModelCard {
    /// The `.onnx` file a trial runs: the model itself for open weights, the public trial
    /// artifact for encrypted ones (`None` when an encrypted model has none).
    pub fn trial_file(&self) -> Option<&str> {
        if self.encryption.is_some() { self.trial.as_deref() } else { self.model.as_deref() }
    }
}

/// One measured number of a model card, as shown (`"accuracy on 297 held-out digits"`, `"0.953"`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Metric {
    pub name: String,
    pub value: String,
}

impl ModelCard {
    /// A card with only a name and its `io` section (e.g. for a file someone is validating).
    pub fn new(name: impl Into<String>, io: IoSchema) -> Self {
        Self {
            name: name.into(),
            description: String::new(),
            licence: String::new(),
            source: String::new(),
            model: None,
            trial: None,
            encryption: None,
            task: String::new(),
            tags: Vec::new(),
            metrics: Vec::new(),
            results: Vec::new(),
            intended_use: String::new(),
            limitations: String::new(),
            changelog: String::new(),
            compliance: None,
            io,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: &str = include_str!("../../cards/digits.json");

    #[test]
    fn an_encrypted_card_names_its_key_and_trial_and_the_trial_runs_the_public_file() {
        let open: ModelCard = serde_json::from_str(DIGITS).unwrap();
        let open = ModelCard { model: Some("bafk-open".into()), ..open };
        assert_eq!(open.trial_file(), Some("bafk-open"));
        let json = serde_json::to_value(&open).unwrap();
        assert!(json.get("encryption").is_none() && json.get("trial").is_none(), "open cards keep their old shape");

        let key_id = format!("0x{}", "ab".repeat(32));
        let sealed = ModelCard {
            model: Some("bafk-encrypted".into()),
            trial: Some("bafk-trial".into()),
            encryption: Some(Encryption { format: ENCRYPTION_FORMAT.into(), key_id: key_id.clone(), size: 42 }),
            ..open.clone()
        };
        assert_eq!(sealed.trial_file(), Some("bafk-trial"), "the encrypted file is never the trial");
        let json = serde_json::to_value(&sealed).unwrap();
        assert_eq!(json["encryption"], serde_json::json!({ "format": "assay-enc-1", "keyId": key_id, "size": 42 }));
        let back: ModelCard = serde_json::from_value(json).unwrap();
        assert_eq!(back, sealed);
        assert_eq!(ModelCard { trial: None, ..sealed }.trial_file(), None, "no public trial: nothing to try");
    }

    #[test]
    fn version_1_cards_written_before_named_sizes_read_and_write_the_same() {
        for text in [
            DIGITS,
            include_str!("../../cards/digits-small.json"),
            include_str!("../../cards/text-direction.json"),
            include_str!("../../cards/magika.json"),
        ] {
            let json: serde_json::Value = serde_json::from_str(text).unwrap();
            let io = IoSchema::from_json(&json["io"].to_string()).unwrap();
            assert!(io.inputs.iter().all(|i| i.sizes.is_empty()));
            let written = serde_json::to_value(&io).unwrap();
            assert!(written["inputs"].as_array().unwrap().iter().all(|i| i.get("sizes").is_none()), "no new field");
            assert_eq!(serde_json::from_value::<IoSchema>(written).unwrap(), io);
        }
    }

    #[test]
    fn descriptive_fields_are_read_in_camel_case() {
        let card: ModelCard = serde_json::from_str(DIGITS).unwrap();
        assert_eq!(card.task, "image-classification");
        assert!(card.tags.iter().any(|t| t == "handwriting"));
        assert!(card.intended_use.starts_with("Teaching"));
        assert!(!card.limitations.is_empty());
        let json = serde_json::to_value(&card).unwrap();
        assert!(json.get("intendedUse").is_some() && json.get("intended_use").is_none());
        assert_eq!(serde_json::from_value::<ModelCard>(json).unwrap(), card);
    }

    #[test]
    fn descriptive_fields_are_optional() {
        let mut json: serde_json::Value = serde_json::from_str(DIGITS).unwrap();
        for field in
            ["task", "tags", "metrics", "intendedUse", "limitations", "description", "licence", "source", "compliance"]
        {
            json.as_object_mut().unwrap().remove(field);
        }
        let card: ModelCard = serde_json::from_value(json).unwrap();
        assert_eq!(card, ModelCard { name: "Handwritten digits (8×8)".into(), ..ModelCard::new("", card.io.clone()) });
    }

    #[test]
    fn a_changelog_is_written_only_when_there_is_one() {
        let mut card: ModelCard = serde_json::from_str(DIGITS).unwrap();
        assert!(serde_json::to_value(&card).unwrap().get("changelog").is_none());
        card.changelog = "Retrained on all 1,797 digits.".into();
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(json["changelog"], "Retrained on all 1,797 digits.");
        assert_eq!(serde_json::from_value::<ModelCard>(json).unwrap(), card);
    }

    #[test]
    fn a_metric_is_a_name_and_a_shown_value() {
        let metric: Metric =
            serde_json::from_str(r#"{"name":"accuracy on 297 held-out digits","value":"0.96"}"#).unwrap();
        assert_eq!(metric.value, "0.96");
        assert!(serde_json::from_str::<Metric>(r#"{"name":"a","value":"1","unit":"%"}"#).is_err());
    }
}
