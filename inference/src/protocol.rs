//! Messages between the page and the tract Web Worker. Each `postMessage` carries
//! `{ json: <Envelope as JSON>, bytes?: ArrayBuffer }`: the model bytes travel beside the JSON
//! (transferred, not copied), everything else is JSON.

use serde::{Deserialize, Serialize};

use crate::card::{IoSchema, Reading};
use crate::evaluation::Prediction;
use crate::report::{Refusal, Report};
use crate::tensor::Tensor;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Request {
    /// Validate and compile the model in `bytes` for this card; the worker keeps one session.
    /// `digest` is the file's SHA-256 (hex) when the page has it: the worker then keeps the
    /// compiled model under it and reuses it for the same file and card (`engine::Compiled`).
    Load {
        io: IoSchema,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digest: Option<String>,
    },
    /// Validate (listing flow); with `digest`, the compiled model is kept for a following `load`.
    Validate {
        io: IoSchema,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        digest: Option<String>,
    },
    /// Check the file and the card against the model's declarations without building it (for
    /// another engine when tract cannot run the model): nothing is kept.
    Check { io: IoSchema },
    /// Read the model's structure without a card (listing flow, when the file is dropped): the
    /// file checks of validation, and the declared inputs and outputs to propose a card from.
    Inspect,
    /// Run the loaded session.
    Run { inputs: Vec<Tensor> },
    /// Run the loaded session `runs` times back to back (benchmark; keeps the worker busy while
    /// the page must stay responsive).
    Bench { inputs: Vec<Tensor>, runs: u32 },
    /// One chunk of an evaluation: each run's inputs (a batch of `batch` rows, or one sample), its
    /// prediction per sample read as `reading` says; `keep` samples of each run are real (the
    /// rest of a last batch is padding). Answered with [`Response::Predictions`].
    Evaluate { runs: Vec<EvaluationRun>, batch: usize, reading: Reading },
}

/// One run of an evaluation chunk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvaluationRun {
    pub inputs: Vec<Tensor>,
    /// The samples the run holds (at most the batch; fewer in a padded last batch).
    pub keep: usize,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Response {
    /// Sent once when the worker's wasm has started.
    Started,
    /// The model is valid (and, for `Load`, compiled); `millis` is validation + compilation.
    Loaded {
        report: Report,
        millis: f64,
    },
    Refused {
        refusal: Refusal,
    },
    Outputs {
        outputs: Vec<Tensor>,
        millis: f64,
    },
    /// Each run's time, in order.
    Timings {
        millis: Vec<f64>,
    },
    /// An evaluation chunk's predictions, one a sample in order; `millis` is the runs' time.
    Predictions {
        predictions: Vec<Prediction>,
        millis: f64,
    },
    /// Anything else that went wrong (no session, bad message, run failure).
    Failed {
        message: String,
    },
}

/// A request or response with the id the page uses to match them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub id: u64,
    pub body: T,
}

impl<T: Serialize + for<'de> Deserialize<'de>> Envelope<T> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("protocol types serialise")
    }

    pub fn from_json(text: &str) -> Result<Self, String> {
        serde_json::from_str(text).map_err(|e| format!("bad worker message: {e}"))
    }
}
