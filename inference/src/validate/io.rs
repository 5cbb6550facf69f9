//! The card against the model: its inputs and outputs against what the model declares (names,
//! types, ranks, fixed sizes, one value per free size), then, once the engine has built the model
//! with the card's shapes, the resolved outputs against what the card says of them.

use std::collections::BTreeMap;

use tract_onnx::pb;

use super::inspect::{dims_of, ranked, shape_words};
use crate::card::IoSchema;
use crate::report::{Refusal, Report};
use crate::tensor::DType;

/// The card against the model's declarations: every model input fed with its type and a shape
/// its dimensions allow — the same rank (a scalar is rank 0), the fixed sizes, one value for each
/// size the model names across inputs; every card output present.
pub fn check_io(report: &Report, proto: &pb::ModelProto, io: &IoSchema) -> Result<(), Refusal> {
    io.check()?;
    let mismatch = |detail: String| Err(Refusal::IoMismatch { detail });
    let graph = proto.graph.as_ref().expect("inspected");
    // Each free size the model names → the value the card feeds it, and the first input seen.
    let mut sizes: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for model_input in &report.inputs {
        if !io.inputs.iter().any(|i| i.name == model_input.name) {
            return mismatch(format!("the model takes an input {} that the card does not describe", model_input.name));
        }
    }
    for input in &io.inputs {
        let Some(model_input) = report.inputs.iter().find(|i| i.name == input.name) else {
            return mismatch(format!(
                "the card describes an input {} but the model's inputs are {}",
                input.name,
                report.inputs.iter().map(|i| i.name.as_str()).collect::<Vec<_>>().join(", ")
            ));
        };
        let value = graph.input.iter().find(|v| v.name == input.name).expect("listed");
        let (elem, known, words) = dims_of(value).unwrap_or((0, vec![], vec![]));
        if DType::from_onnx(elem) != Some(input.dtype) {
            return mismatch(format!(
                "input {} is {} in the model but {} in the card",
                input.name,
                model_input.dtype,
                input.dtype.ort_name()
            ));
        }
        let card = format!("{:?}", input.shape);
        let declared = shape_words(&model_input.declared);
        if ranked(value) && known.len() != input.shape.len() {
            return mismatch(match (known.len(), input.shape.len()) {
                (0, _) => format!(
                    "input {} is a scalar in the model (shape []), but the card gives it shape {card}; describe it with shape []",
                    input.name
                ),
                (_, 0) => format!(
                    "input {} has shape {declared} in the model, but the card describes it as a scalar (shape [])",
                    input.name
                ),
                (m, c) => {
                    format!("input {} has {m} axes in the model ({declared}) but {c} in the card ({card})", input.name)
                }
            });
        }
        for (axis, (k, &s)) in known.iter().zip(&input.shape).enumerate() {
            match k {
                Some(k) if *k != s as u64 => {
                    return mismatch(format!(
                        "input {} has shape {declared} in the model; the card's {card} does not fit it (axis {axis} is {k} in the model)",
                        input.name
                    ));
                }
                Some(_) => {}
                None if words[axis] == "?" => {}
                None => match sizes.get(words[axis].as_str()) {
                    Some(&(value, ref other)) if value != s => {
                        return mismatch(format!(
                            "the model's size {} is {value} in input {other} but {s} in input {} on the card; one size has one value",
                            words[axis], input.name
                        ));
                    }
                    Some(_) => {}
                    None => {
                        sizes.insert(words[axis].clone(), (s, input.name.clone()));
                    }
                },
            }
        }
    }
    for output in &io.outputs {
        if !report.outputs.iter().any(|o| o.name == output.name) {
            return mismatch(format!(
                "the card describes an output {} but the model's outputs are {}",
                output.name,
                report.outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Ok(())
}
