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
    /// `[]` is a scalar (one value).
    pub shape: Vec<usize>,
    /// The axes the model leaves free, by the name it gives them (`batch`, `height`…); their
    /// values are the ones in `shape`. Absent in cards written before named sizes (version 1 cards
    /// still mean the same: `shape` alone is what is fed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sizes: Vec<NamedSize>,
    #[serde(flatten)]
    pub kind: InputKind,
}

/// One free axis of an input: its position and the model's name for it. An axis the model leaves
/// unnamed (`?`) is called `<input>[<axis>]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedSize {
    pub axis: usize,
    pub name: String,
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
    /// Memory the model carries between calls (a recurrent state, `h0`/`c0`, a cache), fed with
    /// zeros: a single trial starts from an empty memory, so the person gives nothing.
    State,
}

impl InputSpec {
    /// Values the input holds (1 for a scalar).
    pub fn count(&self) -> usize {
        self.shape.iter().product()
    }

    /// A valid JSON value for this input, zeros of its shape (`0` for a scalar, `[[0, 0]]` for
    /// `[1, 2]`; `false` for booleans), to prefill a tensor box so it is never empty.
    pub fn example_json(&self) -> String {
        let zero = if self.dtype == DType::Bool { "false" } else { "0" };
        fn nest(shape: &[usize], zero: &str, out: &mut String) {
            let Some((&n, rest)) = shape.split_first() else {
                out.push_str(zero);
                return;
            };
            out.push('[');
            for i in 0..n {
                if i > 0 {
                    out.push_str(", ");
                }
                nest(rest, zero, out);
            }
            out.push(']');
        }
        let mut out = String::new();
        nest(&self.shape, zero, &mut out);
        out
    }

    /// The model's name for a free axis, if the card records one.
    pub fn size_name(&self, axis: usize) -> Option<&str> {
        self.sizes.iter().find(|s| s.axis == axis).map(|s| s.name.as_str())
    }

    /// The side of the square picture a flat input of this many values could be drawn as (64 → 8,
    /// 784 → 28), for inputs of shape `[1, n]` or `[n]`: what lets the page offer a drawing pad
    /// for a flat input. `None` for other shapes, non-squares and sides under 4.
    pub fn flat_picture_side(&self) -> Option<usize> {
        let n = match self.shape.as_slice() {
            [1, n] | [n] => *n,
            _ => return None,
        };
        let side = (n as f64).sqrt().round() as usize;
        (side >= 4 && side * side == n).then_some(side)
    }
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

impl ImageSpec {
    /// A picture of `width` × `height` with `channels` in `layout`, pixels scaled to 0–1 and
    /// nothing else done (RGB, stretched, no normalisation, not inverted): where a schema starts.
    pub fn plain(width: usize, height: usize, channels: usize, layout: Layout) -> Self {
        Self {
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
        }
    }
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
    /// Scores over classes, shown as a top-k bar chart: the axis whose size is the label count,
    /// every other axis 1 (`[1, 1000]`, `[1, 1000, 1, 1]`); see `post::class_axis`.
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
