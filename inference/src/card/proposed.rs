//! A first `io` section proposed from what a model declares, before anyone has described it.

use super::io::{
    ChannelOrder, IO_VERSION, ImageSpec, InputKind, InputSpec, IoSchema, Labels, Layout, OutputKind, OutputSpec,
    Resize, default_top_k,
};
use crate::report::Report;
use crate::tensor::DType;

/// Largest class count a proposed schema reads as classification scores.
const PROPOSED_MAX_CLASSES: usize = 1000;

impl IoSchema {
    /// A first schema for a model nobody has described yet, from what it declares (the listing
    /// flow's starting point): free dimensions fixed at 1; a `[1, 1|3, H, W]` float input (or
    /// `[1, H, W, 1|3]`) taken as a picture scaled to 0–1, anything else typed as JSON; a float
    /// output with 2–1000 scores in its last dimension taken as classes `0`, `1`, …, anything else
    /// shown as a tensor. The creator edits it; validation then checks it against the model.
    pub fn proposed(report: &Report) -> Self {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::ModelCard;
    use crate::report::IoFact;

    const DIGITS: &str = include_str!("../../cards/digits.json");

    fn fact(name: &str, dtype: &str, declared: &[&str]) -> IoFact {
        IoFact {
            name: name.into(),
            dtype: dtype.into(),
            declared: declared.iter().map(|d| d.to_string()).collect(),
            resolved: None,
        }
    }

    fn report(inputs: Vec<IoFact>, outputs: Vec<IoFact>) -> Report {
        Report {
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
}
