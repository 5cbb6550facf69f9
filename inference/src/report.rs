//! What validation says: the limits it applies, why it refuses a model, what passed. Plain data
//! (no engine), shared by the worker protocol and the page.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a trial accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest model file.
    pub max_file_bytes: u64,
    /// Largest single tensor a model may declare (input, output, intermediate or weight).
    pub max_tensor_bytes: u64,
}

impl Default for Limits {
    /// 512 MiB files (a browser tab holds the bytes, the compiled model and its buffers) and
    /// 1 GiB tensors.
    fn default() -> Self {
        Self { max_file_bytes: 512 << 20, max_tensor_bytes: 1 << 30 }
    }
}

/// Why a model is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "camelCase")]
pub enum Refusal {
    #[error("The file is empty (0 bytes).")]
    Empty,
    #[error("The file is {size} bytes; trials accept models up to {limit} bytes.")]
    TooLarge { size: u64, limit: u64 },
    #[error("This is not an ONNX model: {detail}.")]
    NotOnnx { detail: String },
    #[error(
        "The ONNX file is truncated ({size} bytes): it ends in the middle of its contents. Upload the complete file."
    )]
    Truncated { size: u64 },
    #[error("The model keeps weights in separate files (external data: {}); upload a single self-contained .onnx file.", tensors.join(", "))]
    ExternalData { tensors: Vec<String> },
    /// Operators outside the ONNX standard (and onnxruntime's own domains): no engine runs them.
    #[error("The model uses operators Assay's engines do not support: {}.", operators.join(", "))]
    UnsupportedOperators { operators: Vec<String> },
    /// Standard operators the CPU engine lacks; onnxruntime-web implements them.
    #[error(
        "The CPU engine (tract) does not implement {}: {}. They are standard ONNX operators: onnxruntime-web may still run the model.",
        if operators.len() == 1 { "this operator" } else { "these operators" },
        operators.join(", ")
    )]
    TractUnsupported { operators: Vec<String> },
    #[error("Tensor {name} declares {shape} ({bytes} bytes); trials allow at most {limit} bytes per tensor.")]
    TensorTooLarge { name: String, shape: String, bytes: String, limit: u64 },
    #[error("Tensor {name}'s stored data does not match its declared shape {shape}: the file is corrupt.")]
    CorruptTensor { name: String, shape: String },
    #[error("The model does not match its card: {detail}.")]
    IoMismatch { detail: String },
    /// The card's own `io` section is unusable (a `card::CardError`, in words).
    #[error("{message}")]
    Card { message: String },
    /// tract's shape analysis failed at a node. `detail` is tract's own message, for a bug report;
    /// the sentence never shows it.
    #[error("{}", analysis_sentence(node, operator))]
    Unanalysable { node: String, operator: String, detail: String },
    /// tract failed to prepare the model otherwise. `detail` is tract's own message (not shown).
    #[error(
        "The CPU engine (tract) could not prepare this model: it stopped on an error of its own, not on a fault in the file. onnxruntime-web may still run it."
    )]
    Unloadable { detail: String },
}

/// The sentence for [`Refusal::Unanalysable`]: where tract's analysis stopped, and why in terms of
/// the model when the operator says it (control flow, shape changes).
fn analysis_sentence(node: &str, operator: &str) -> String {
    let why = match operator {
        "If" => {
            "its two branches give results of different shapes (or depend on an input's value), and tract needs one shape known before running"
        }
        "Loop" | "Scan" => "the loop's body changes the shape of what it carries from one iteration to the next",
        "Reshape" | "Squeeze" | "Unsqueeze" | "Expand" | "Tile" => {
            "the shape it produces depends on values tract cannot know before running, or does not fit the card's input shapes"
        }
        _ => "with the card's input shapes, tract cannot work out the shape of its result",
    };
    format!(
        "The CPU engine (tract) cannot work out the tensor shapes inside this model: it stops at node \"{node}\" ({operator}), because {why}. onnxruntime-web may still run it."
    )
}

/// One graph input or output as declared by the model, and as the card fixes it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IoFact {
    pub name: String,
    pub dtype: String,
    /// Declared dimensions: numbers, or names for free ones (`N`, `?`).
    pub declared: Vec<String>,
    /// The concrete shape with the card's inputs (outputs: as tract infers them).
    pub resolved: Option<Vec<usize>>,
    /// The model declares no shape at all (not even a rank); `declared` is then empty too, as for
    /// a scalar, which declares rank 0.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unranked: bool,
}

/// What passed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub size_bytes: u64,
    pub ir_version: i64,
    /// Default-domain opset.
    pub opset: i64,
    /// Other domains' opsets (`ai.onnx.ml` …).
    pub other_opsets: Vec<(String, i64)>,
    pub producer: String,
    /// Operator → number of nodes using it.
    pub operators: BTreeMap<String, usize>,
    /// Weight values (elements of all initializers and constants).
    pub parameters: u64,
    pub inputs: Vec<IoFact>,
    pub outputs: Vec<IoFact>,
    /// Control-flow operators used (`If`, `Loop`, `Scan`), subgraphs included: tract's analysis
    /// handles them only when every branch and iteration keeps one shape.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_flow: Vec<String>,
    /// Standard operators the CPU engine (tract) does not implement: the model can only run on
    /// onnxruntime-web.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tract_unsupported: Vec<String>,
}
