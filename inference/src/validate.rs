//! Model validation before anything is built, at listing time and before any trial: the ONNX
//! protobuf is read and checked (size, format, external data, operators, declared tensor sizes), then
//! the card's I/O against the model's declarations; once the engine has built the model with the
//! card's shapes, the resolved outputs against the card. Each refusal is a sentence naming the cause.
//! Full validation, building included, is [`crate::engine::validate`].

use std::collections::BTreeMap;

use prost::Message as _;
use tract_onnx::pb;

use crate::card::{IoSchema, Labels, OutputKind};
use crate::report::{IoFact, Limits, Refusal, Report};
use crate::tensor::{DType, onnx_type_name, onnx_type_size};

/// The parsed protobuf and what could be learnt from it.
pub struct Inspected {
    pub proto: pb::ModelProto,
    pub report: Report,
}

fn dims_of(value: &pb::ValueInfoProto) -> Option<(i32, Vec<Option<u64>>, Vec<String>)> {
    let pb::type_proto::Value::TensorType(t) = value.r#type.as_ref()?.value.as_ref()?;
    let mut known = Vec::new();
    let mut words = Vec::new();
    for d in t.shape.as_ref().map(|s| s.dim.as_slice()).unwrap_or_default() {
        match &d.value {
            Some(pb::tensor_shape_proto::dimension::Value::DimValue(v)) if *v >= 0 => {
                known.push(Some(*v as u64));
                words.push(v.to_string());
            }
            Some(pb::tensor_shape_proto::dimension::Value::DimParam(p)) if !p.is_empty() => {
                known.push(None);
                words.push(p.clone());
            }
            _ => {
                known.push(None);
                words.push("?".into());
            }
        }
    }
    Some((t.elem_type, known, words))
}

/// Bytes of a tensor with these (known) dimensions, free ones counted as 1; None on overflow.
fn tensor_bytes(dims: impl IntoIterator<Item = u64>, elem: u64) -> Option<u128> {
    dims.into_iter().try_fold(u128::from(elem), |acc, d| acc.checked_mul(u128::from(d)))
}

fn shape_words(words: &[String]) -> String {
    format!("[{}]", words.join(", "))
}

fn too_large(name: &str, words: &[String], bytes: Option<u128>, limits: &Limits) -> Option<Refusal> {
    match bytes {
        Some(b) if b <= u128::from(limits.max_tensor_bytes) => None,
        _ => Some(Refusal::TensorTooLarge {
            name: name.to_owned(),
            shape: shape_words(words),
            bytes: bytes.map_or_else(|| "more than 2^128".to_owned(), |b| b.to_string()),
            limit: limits.max_tensor_bytes,
        }),
    }
}

/// Operator types used anywhere in `graph`, subgraphs (If/Loop bodies) included.
fn collect_ops(graph: &pb::GraphProto, into: &mut BTreeMap<String, usize>) {
    for node in &graph.node {
        *into.entry(node.op_type.clone()).or_default() += 1;
        for attr in &node.attribute {
            if let Some(g) = &attr.g {
                collect_ops(g, into);
            }
            for g in &attr.graphs {
                collect_ops(g, into);
            }
        }
    }
}

/// Element count stored in an initializer, if its storage can be measured.
fn stored_elements(t: &pb::TensorProto) -> Option<u64> {
    if !t.raw_data.is_empty() {
        return Some(t.raw_data.len() as u64 / onnx_type_size(t.data_type));
    }
    let n = t.float_data.len() + t.int32_data.len() + t.int64_data.len() + t.double_data.len() + t.uint64_data.len();
    if n > 0 {
        // float16/bfloat16/int8… values are packed in int32_data, one per value.
        return Some(n as u64);
    }
    if !t.string_data.is_empty() {
        return Some(t.string_data.len() as u64);
    }
    None
}

/// Everything that can be checked without building the model.
pub fn inspect(bytes: &[u8], limits: &Limits) -> Result<Inspected, Refusal> {
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(Refusal::Empty);
    }
    if size > limits.max_file_bytes {
        return Err(Refusal::TooLarge { size, limit: limits.max_file_bytes });
    }
    // An ONNX file starts with field 1 (ir_version, a small varint): 0x08 then 3..=15.
    let looks_onnx = bytes.len() >= 2 && bytes[0] == 0x08 && (3..=15).contains(&bytes[1]);
    let proto = match pb::ModelProto::decode(bytes) {
        Ok(proto) => proto,
        Err(_) if looks_onnx => return Err(Refusal::Truncated { size }),
        Err(e) => {
            return Err(Refusal::NotOnnx { detail: format!("it is not an ONNX protobuf ({e})") });
        }
    };
    let Some(graph) = proto.graph.as_ref() else {
        return Err(if looks_onnx {
            Refusal::Truncated { size }
        } else {
            Refusal::NotOnnx { detail: "the file has no model graph".into() }
        });
    };
    if proto.ir_version <= 0 || proto.opset_import.is_empty() {
        return Err(if looks_onnx {
            Refusal::Truncated { size }
        } else {
            Refusal::NotOnnx { detail: "the file has no ONNX version or operator set".into() }
        });
    }

    let external: Vec<String> = graph
        .initializer
        .iter()
        .filter(|t| {
            t.data_location == Some(pb::tensor_proto::DataLocation::External as i32) || !t.external_data.is_empty()
        })
        .map(|t| t.name.clone())
        .collect();
    if !external.is_empty() {
        return Err(Refusal::ExternalData { tensors: external });
    }

    let mut operators = BTreeMap::new();
    collect_ops(graph, &mut operators);
    let register = tract_onnx::onnx().op_register;
    let unsupported: Vec<String> = operators.keys().filter(|op| !register.0.contains_key(*op)).cloned().collect();
    if !unsupported.is_empty() {
        return Err(Refusal::UnsupportedOperators { operators: unsupported });
    }

    let mut parameters = 0u64;
    for t in &graph.initializer {
        let dims: Vec<u64> = t.dims.iter().map(|&d| d.max(0) as u64).collect();
        let words: Vec<String> = t.dims.iter().map(i64::to_string).collect();
        let bytes = tensor_bytes(dims.iter().copied(), onnx_type_size(t.data_type));
        if let Some(refusal) = too_large(&t.name, &words, bytes, limits) {
            return Err(refusal);
        }
        let count: u64 = dims.iter().product();
        if stored_elements(t).is_some_and(|stored| stored != count) {
            return Err(Refusal::CorruptTensor { name: t.name.clone(), shape: shape_words(&words) });
        }
        parameters += count;
    }
    for node in &graph.node {
        for attr in node.attribute.iter().filter(|a| node.op_type == "Constant" && a.t.is_some()) {
            let t = attr.t.as_ref().expect("filtered");
            parameters += t.dims.iter().map(|&d| d.max(0) as u64).product::<u64>();
        }
    }

    let initializers: std::collections::HashSet<&str> = graph.initializer.iter().map(|t| t.name.as_str()).collect();
    let facts = |values: &[pb::ValueInfoProto], keep: &dyn Fn(&str) -> bool| -> Result<Vec<IoFact>, Refusal> {
        let mut out = Vec::new();
        for value in values.iter().filter(|v| keep(&v.name)) {
            let (elem, known, words) = dims_of(value).unwrap_or((0, vec![], vec![]));
            let bytes = tensor_bytes(known.iter().map(|d| d.unwrap_or(1)), onnx_type_size(elem));
            if let Some(refusal) = too_large(&value.name, &words, bytes, limits) {
                return Err(refusal);
            }
            out.push(IoFact {
                name: value.name.clone(),
                dtype: onnx_type_name(elem).to_owned(),
                declared: words,
                resolved: None,
            });
        }
        Ok(out)
    };
    let inputs = facts(&graph.input, &|n| !initializers.contains(n))?;
    let outputs = facts(&graph.output, &|_| true)?;
    facts(&graph.value_info, &|_| true)?;

    let default_domain = |d: &str| d.is_empty() || d == "ai.onnx";
    let report = Report {
        size_bytes: size,
        ir_version: proto.ir_version,
        opset: proto.opset_import.iter().find(|o| default_domain(&o.domain)).map_or(0, |o| o.version),
        other_opsets: proto
            .opset_import
            .iter()
            .filter(|o| !default_domain(&o.domain))
            .map(|o| (o.domain.clone(), o.version))
            .collect(),
        producer: format!("{} {}", proto.producer_name, proto.producer_version).trim().to_owned(),
        operators,
        parameters,
        inputs,
        outputs,
    };
    Ok(Inspected { proto, report })
}

/// The card against the model's declarations: every model input fed with its type and a shape
/// its dimensions allow; every card output present.
pub fn check_io(report: &Report, proto: &pb::ModelProto, io: &IoSchema) -> Result<(), Refusal> {
    io.check()?;
    let mismatch = |detail: String| Err(Refusal::IoMismatch { detail });
    let graph = proto.graph.as_ref().expect("inspected");
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
        let (elem, known, _) = dims_of(value).unwrap_or((0, vec![], vec![]));
        if DType::from_onnx(elem) != Some(input.dtype) {
            return mismatch(format!(
                "input {} is {} in the model but {} in the card",
                input.name,
                model_input.dtype,
                input.dtype.ort_name()
            ));
        }
        let fits = known.len() == input.shape.len()
            && known.iter().zip(&input.shape).all(|(k, &s)| k.is_none_or(|k| k == s as u64));
        if !known.is_empty() && !fits {
            return mismatch(format!(
                "input {} has shape {} in the model; the card's {:?} does not fit it",
                input.name,
                shape_words(&model_input.declared),
                input.shape
            ));
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

/// The resolved output shapes against what the card says of them (class count = label count).
pub fn check_outputs(io: &IoSchema, resolved: &[(String, Vec<usize>)]) -> Result<(), Refusal> {
    for output in &io.outputs {
        let Some((_, shape)) = resolved.iter().find(|(n, _)| *n == output.name) else { continue };
        if let OutputKind::Classification { labels: Labels::Inline(labels), .. } = &output.kind {
            let classes = shape.last().copied().unwrap_or(1);
            if classes != labels.len() {
                return Err(Refusal::IoMismatch {
                    detail: format!(
                        "output {} scores {classes} classes (shape {shape:?}) but the card lists {} labels",
                        output.name,
                        labels.len()
                    ),
                });
            }
        }
    }
    Ok(())
}
