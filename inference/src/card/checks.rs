//! Reading an `io` section and checking it on its own (not against a model), with a sentence for
//! each way it can be unusable.

use super::io::{IO_VERSION, InputKind, IoSchema, Labels, OutputKind};
use crate::report::Refusal;
use crate::tensor::{DType, class_axis};

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

impl From<CardError> for Refusal {
    fn from(e: CardError) -> Self {
        Self::Card { message: e.to_string() }
    }
}

impl IoSchema {
    /// Reads an `io` section from JSON and checks it on its own.
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
        self.check_sizes()?;
        for input in &self.inputs {
            let count = input.count();
            if count == 0 {
                return bad(format!("input {} has an axis of size 0 in its shape {:?}", input.name, input.shape));
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
                    if spec.std.contains(&0.0) {
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
                InputKind::Tensor | InputKind::State => {}
            }
        }
        for output in &self.outputs {
            if let OutputKind::Classification { labels: Labels::Inline(labels), top_k, .. } = &output.kind
                && (labels.is_empty() || *top_k == 0)
            {
                return bad(format!("output {}: classification needs labels and top-k ≥ 1", output.name));
            }
        }
        Ok(())
    }
}

/// The resolved output shapes against what the card says of them: class scores on the axis whose
/// size is the label count, every other axis 1 ([`class_axis`]).
pub fn check_outputs(io: &IoSchema, resolved: &[(String, Vec<usize>)]) -> Result<(), Refusal> {
    for output in &io.outputs {
        let Some((_, shape)) = resolved.iter().find(|(n, _)| *n == output.name) else { continue };
        if let OutputKind::Classification { labels: Labels::Inline(labels), .. } = &output.kind
            && class_axis(shape, Some(labels.len())).is_none()
        {
            let detail = match class_axis(shape, None) {
                Some(a) if (0..shape.len()).all(|o| o == a || shape[o] == 1) => format!(
                    "output {} scores {} classes (shape {shape:?}) but the card lists {} labels",
                    output.name,
                    shape[a],
                    labels.len()
                ),
                _ => format!(
                    "output {} has shape {shape:?}: no axis holds the card's {} labels with every other axis of size 1",
                    output.name,
                    labels.len()
                ),
            };
            return Err(Refusal::IoMismatch { detail });
        }
    }
    Ok(())
}
