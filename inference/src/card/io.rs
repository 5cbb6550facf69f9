//! The `io` section's types: inputs (picture, fields, file bytes, JSON tensor) and outputs
//! (classification, regression, tensor), as the card's JSON spells them.

use serde::{Deserialize, Serialize};

use crate::tensor::DType;

/// The I/O schema version this code reads and writes.
pub const IO_VERSION: u32 = 1;

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

pub(super) fn default_top_k() -> usize {
    5
}

/// Class labels, inline or as a JSON list stored on IPFS.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Labels {
    Inline(Vec<String>),
    Cid(String),
}
