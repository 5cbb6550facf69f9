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

use serde::{Deserialize, Serialize};

use crate::tensor::DType;

/// The I/O schema version this code reads and writes.
pub const IO_VERSION: u32 = 1;

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
    /// Measured quality, each with how it was measured in its name.
    #[serde(default)]
    pub metrics: Vec<Metric>,
    /// What the model is meant for, in words.
    #[serde(default)]
    pub intended_use: String,
    /// What it is not good at, in words.
    #[serde(default)]
    pub limitations: String,
    /// What changed since the previous version (empty in a first version).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub changelog: String,
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
            intended_use: String::new(),
            limitations: String::new(),
            changelog: String::new(),
            io,
        }
    }
}

/// The `io` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IoSchema {
    pub version: u32,
    pub inputs: Vec<InputSpec>,
    pub outputs: Vec<OutputSpec>,
}

// No `deny_unknown_fields` where `kind` is flattened (serde can't combine them); the kind's own
// struct (e.g. `ImageSpec`) refuses unknown fields instead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputSpec {
    /// The ONNX graph input's name.
    pub name: String,
    pub dtype: DType,
    /// The concrete shape the trial feeds (batch 1); symbolic model dimensions are fixed by it.
    pub shape: Vec<usize>,
    #[serde(flatten)]
    pub kind: InputKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum InputKind {
    /// A picture: dropped, taken with the camera or drawn on a pad.
    Image(ImageSpec),
    /// Tabular numbers, one form field each, in tensor order.
    Fields { fields: Vec<FieldSpec> },
    /// Any file's bytes, turned into byte features (first and last bytes, whitespace-stripped,
    /// padded), as byte-level file classifiers expect.
    #[serde(rename_all = "camelCase")]
    FileBytes { begin: usize, end: usize, padding: i64, block: usize },
    /// A tensor typed as JSON (nested arrays or a flat list).
    Tensor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    Nchw,
    Nhwc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelOrder {
    Rgb,
    Bgr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Resize {
    /// Scale to width × height, ignoring the aspect ratio.
    Stretch,
    /// Scale to the height keeping the aspect ratio (no wider than width), then pad on the right
    /// with 0 (after normalisation), as text-line classifiers do.
    FitHeightPadRight,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageSpec {
    pub width: usize,
    pub height: usize,
    /// 1 (grey, luminance) or 3 (colour).
    pub channels: usize,
    pub layout: Layout,
    #[serde(default = "default_order")]
    pub channel_order: ChannelOrder,
    #[serde(default = "default_resize")]
    pub resize: Resize,
    /// Pixel (0–255, after `invert`) × scale, then (· − mean[c]) / std[c].
    #[serde(default = "one")]
    pub scale: f32,
    #[serde(default)]
    pub mean: Vec<f32>,
    #[serde(default)]
    pub std: Vec<f32>,
    /// 255 − pixel first: dark ink on a light pad becomes high values.
    #[serde(default)]
    pub invert: bool,
}

fn one() -> f32 {
    1.0
}
fn default_order() -> ChannelOrder {
    ChannelOrder::Rgb
}
fn default_resize() -> Resize {
    Resize::Stretch
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FieldSpec {
    pub name: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub default: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputSpec {
    /// The ONNX graph output's name.
    pub name: String,
    #[serde(flatten)]
    pub kind: OutputKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum OutputKind {
    /// Scores over classes (last dimension), shown as a top-k bar chart.
    #[serde(rename_all = "camelCase")]
    Classification {
        labels: Labels,
        /// Apply softmax to the scores (false when the model already outputs probabilities).
        #[serde(default)]
        softmax: bool,
        #[serde(default = "default_top_k")]
        top_k: usize,
    },
    /// Named numbers, shown as a table.
    Regression {
        #[serde(default)]
        names: Vec<String>,
        #[serde(default)]
        unit: Option<String>,
    },
    /// Shown as JSON.
    Tensor,
}

fn default_top_k() -> usize {
    5
}

/// Class labels, inline or as a JSON list stored on IPFS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Labels {
    Inline(Vec<String>),
    Cid(String),
}

/// Why an `io` section can't be used, in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CardError {
    #[error("The model card is not valid JSON for Assay's I/O schema: {0}")]
    Json(String),
    #[error("The model card's I/O schema is version {0}; this Assay reads version {IO_VERSION}.")]
    Version(u32),
    #[error("The model card's I/O section is inconsistent: {0}")]
    Inconsistent(String),
}

/// Largest class count a proposed schema reads as classification scores.
const PROPOSED_MAX_CLASSES: usize = 1000;

impl IoSchema {
    /// A first schema for a model nobody has described yet, from what it declares (the listing
    /// flow's starting point): free dimensions fixed at 1; a `[1, 1|3, H, W]` float input (or
    /// `[1, H, W, 1|3]`) taken as a picture scaled to 0–1, anything else typed as JSON; a float
    /// output with 2–1000 scores in its last dimension taken as classes `0`, `1`, …, anything else
    /// shown as a tensor. The creator edits it; validation then checks it against the model.
    pub fn proposed(report: &crate::Report) -> Self {
        let dims = |declared: &[String]| -> Vec<usize> {
            declared.iter().map(|d| d.parse::<usize>().ok().filter(|&d| d > 0).unwrap_or(1)).collect()
        };
        let inputs = report
            .inputs
            .iter()
            .map(|fact| {
                let dtype = DType::from_ort_name(&fact.dtype).unwrap_or(DType::F32);
                let shape = fact.resolved.clone().unwrap_or_else(|| dims(&fact.declared));
                let picture = |channels: usize, height: usize, width: usize, layout: Layout| {
                    InputKind::Image(ImageSpec {
                        width,
                        height,
                        channels,
                        layout,
                        channel_order: ChannelOrder::Rgb,
                        resize: Resize::Stretch,
                        scale: 1.0 / 255.0,
                        mean: Vec::new(),
                        std: Vec::new(),
                        invert: false,
                    })
                };
                let kind = match (dtype, shape.as_slice()) {
                    (DType::F32, &[1, c @ (1 | 3), h, w]) if h >= 8 && w >= 8 => picture(c, h, w, Layout::Nchw),
                    (DType::F32, &[1, h, w, c @ (1 | 3)]) if h >= 8 && w >= 8 => picture(c, h, w, Layout::Nhwc),
                    _ => InputKind::Tensor,
                };
                InputSpec { name: fact.name.clone(), dtype, shape, kind }
            })
            .collect();
        let outputs = report
            .outputs
            .iter()
            .map(|fact| {
                let shape = fact.resolved.clone().unwrap_or_else(|| dims(&fact.declared));
                let classes = shape.last().copied().unwrap_or(0);
                let kind = if fact.dtype == "float32" && (2..=PROPOSED_MAX_CLASSES).contains(&classes) {
                    OutputKind::Classification {
                        labels: Labels::Inline((0..classes).map(|c| c.to_string()).collect()),
                        softmax: false,
                        top_k: classes.min(default_top_k()),
                    }
                } else {
                    OutputKind::Tensor
                };
                OutputSpec { name: fact.name.clone(), kind }
            })
            .collect();
        Self { version: IO_VERSION, inputs, outputs }
    }

    pub fn from_json(text: &str) -> Result<Self, CardError> {
        let io: Self = serde_json::from_str(text).map_err(|e| CardError::Json(e.to_string()))?;
        io.check()?;
        Ok(io)
    }

    /// Checks the section on its own (not against a model): version, non-empty, every spec
    /// consistent with its declared shape.
    pub fn check(&self) -> Result<(), CardError> {
        let bad = |m: String| Err(CardError::Inconsistent(m));
        if self.version != IO_VERSION {
            return Err(CardError::Version(self.version));
        }
        if self.inputs.is_empty() || self.outputs.is_empty() {
            return bad("it needs at least one input and one output".into());
        }
        for input in &self.inputs {
            let count: usize = input.shape.iter().product();
            if input.shape.is_empty() || count == 0 {
                return bad(format!("input {} has an empty shape {:?}", input.name, input.shape));
            }
            match &input.kind {
                InputKind::Image(spec) => {
                    if !matches!(spec.channels, 1 | 3) {
                        return bad(format!(
                            "input {}: images have 1 or 3 channels, not {}",
                            input.name, spec.channels
                        ));
                    }
                    if spec.width == 0 || spec.height == 0 {
                        return bad(format!("input {}: image size {}×{}", input.name, spec.width, spec.height));
                    }
                    if spec.width * spec.height * spec.channels != count {
                        return bad(format!(
                            "input {}: a {}×{}×{} image is {} values but the shape {:?} holds {count}",
                            input.name,
                            spec.width,
                            spec.height,
                            spec.channels,
                            spec.width * spec.height * spec.channels,
                            input.shape
                        ));
                    }
                    for (what, v) in [("mean", &spec.mean), ("std", &spec.std)] {
                        if !v.is_empty() && v.len() != spec.channels {
                            return bad(format!(
                                "input {}: {what} has {} values for {} channels",
                                input.name,
                                v.len(),
                                spec.channels
                            ));
                        }
                    }
                    if spec.std.iter().any(|s| *s == 0.0) {
                        return bad(format!("input {}: std contains 0", input.name));
                    }
                    if input.dtype != DType::F32 {
                        return bad(format!("input {}: image inputs are float32", input.name));
                    }
                }
                InputKind::Fields { fields } => {
                    if fields.len() != count {
                        return bad(format!(
                            "input {}: {} fields for a shape of {count} values",
                            input.name,
                            fields.len()
                        ));
                    }
                }
                InputKind::FileBytes { begin, end, .. } => {
                    if begin + end != count {
                        return bad(format!(
                            "input {}: {begin} + {end} byte features for a shape of {count} values",
                            input.name
                        ));
                    }
                }
                InputKind::Tensor => {}
            }
        }
        for output in &self.outputs {
            if let OutputKind::Classification { labels: Labels::Inline(labels), top_k, .. } = &output.kind {
                if labels.is_empty() || *top_k == 0 {
                    return bad(format!("output {}: classification needs labels and top-k ≥ 1", output.name));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS: &str = include_str!("../cards/digits.json");

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
        for field in ["task", "tags", "metrics", "intendedUse", "limitations", "description", "licence", "source"] {
            json.as_object_mut().unwrap().remove(field);
        }
        let card: ModelCard = serde_json::from_value(json).unwrap();
        assert_eq!(card, ModelCard { name: "Handwritten digits (8×8)".into(), ..ModelCard::new("", card.io.clone()) });
    }

    fn fact(name: &str, dtype: &str, declared: &[&str]) -> crate::report::IoFact {
        crate::report::IoFact {
            name: name.into(),
            dtype: dtype.into(),
            declared: declared.iter().map(|d| d.to_string()).collect(),
            resolved: None,
        }
    }

    fn report(inputs: Vec<crate::report::IoFact>, outputs: Vec<crate::report::IoFact>) -> crate::Report {
        crate::Report {
            size_bytes: 1,
            ir_version: 8,
            opset: 17,
            other_opsets: vec![],
            producer: String::new(),
            operators: Default::default(),
            parameters: 0,
            inputs,
            outputs,
        }
    }

    #[test]
    fn a_proposed_schema_reads_pictures_and_class_scores() {
        let io = IoSchema::proposed(&report(
            vec![fact("image", "float32", &["N", "3", "224", "224"])],
            vec![fact("logits", "float32", &["N", "1000"])],
        ));
        io.check().unwrap();
        assert_eq!(io.inputs[0].shape, vec![1, 3, 224, 224]);
        let InputKind::Image(image) = &io.inputs[0].kind else { panic!("{:?}", io.inputs[0].kind) };
        assert_eq!((image.width, image.height, image.channels, image.layout), (224, 224, 3, Layout::Nchw));
        assert!((image.scale - 1.0 / 255.0).abs() < 1e-9);
        let OutputKind::Classification { labels: Labels::Inline(labels), top_k, softmax } = &io.outputs[0].kind else {
            panic!("{:?}", io.outputs[0].kind)
        };
        assert_eq!(
            (labels.len(), labels[0].as_str(), labels[999].as_str(), *top_k, *softmax),
            (1000, "0", "999", 5, false)
        );
    }

    #[test]
    fn a_proposed_schema_types_anything_else_as_tensors() {
        let io = IoSchema::proposed(&report(
            vec![fact("features", "float32", &["batch", "64"]), fact("ids", "int64", &["1", "?"])],
            vec![fact("embedding", "float32", &["1", "4096"]), fact("label", "int64", &["1"])],
        ));
        io.check().unwrap();
        assert_eq!(io.inputs[0].shape, vec![1, 64]);
        assert_eq!(io.inputs[0].kind, InputKind::Tensor);
        assert_eq!((io.inputs[1].dtype, io.inputs[1].shape.clone()), (DType::I64, vec![1, 1]));
        assert_eq!(io.outputs[0].kind, OutputKind::Tensor, "4096 values are not read as classes");
        assert_eq!(io.outputs[1].kind, OutputKind::Tensor);
    }

    #[test]
    fn the_seeded_digits_model_gets_its_ten_classes_proposed() {
        // As the worker inspects inference/models' digits.onnx: pixels [N, 64], probabilities [N, 10].
        let io = IoSchema::proposed(&report(
            vec![fact("pixels", "float32", &["N", "64"])],
            vec![fact("probabilities", "float32", &["N", "10"])],
        ));
        let digits: ModelCard = serde_json::from_str(DIGITS).unwrap();
        assert_eq!(io.inputs[0].shape, digits.io.inputs[0].shape);
        let OutputKind::Classification { labels, .. } = &io.outputs[0].kind else { panic!() };
        let OutputKind::Classification { labels: seeded, .. } = &digits.io.outputs[0].kind else { panic!() };
        assert_eq!(labels, seeded);
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
