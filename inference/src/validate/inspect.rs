//! Inspection: the ONNX protobuf read and checked (size, format, external data, operators,
//! declared tensor sizes) without building anything, and what it declares reported.

use std::collections::{BTreeMap, BTreeSet};

use prost::Message as _;
use tract_onnx::pb;

use super::operators::{CONTROL_FLOW, standard};
use crate::report::{IoFact, Limits, Refusal, Report};
use crate::tensor::{onnx_type_name, onnx_type_size};

/// The parsed protobuf and what could be learnt from it.
pub struct Inspected {
    pub proto: pb::ModelProto,
    pub report: Report,
}

/// A declared tensor's element type, known dimensions and dimension words (numbers, names, `?`).
pub(super) fn dims_of(value: &pb::ValueInfoProto) -> Option<(i32, Vec<Option<u64>>, Vec<String>)> {
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

/// Whether the model declares a shape (a rank) for this value: a scalar declares an empty one.
pub(super) fn ranked(value: &pb::ValueInfoProto) -> bool {
    matches!(
        value.r#type.as_ref().and_then(|t| t.value.as_ref()),
        Some(pb::type_proto::Value::TensorType(pb::type_proto::Tensor { shape: Some(_), .. }))
    )
}

/// Bytes of a tensor with these (known) dimensions, free ones counted as 1; None on overflow.
fn tensor_bytes(dims: impl IntoIterator<Item = u64>, elem: u64) -> Option<u128> {
    dims.into_iter().try_fold(u128::from(elem), |acc, d| acc.checked_mul(u128::from(d)))
}

pub(super) fn shape_words(words: &[String]) -> String {
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

/// Operator types used anywhere in `graph`, subgraphs (If/Loop bodies) included; and those no
/// engine implements (outside the ONNX standard and onnxruntime's domain).
fn collect_ops(graph: &pb::GraphProto, into: &mut BTreeMap<String, usize>, unknown: &mut BTreeSet<String>) {
    for node in &graph.node {
        *into.entry(node.op_type.clone()).or_default() += 1;
        if !standard(&node.domain, &node.op_type) {
            unknown.insert(node.op_type.clone());
        }
        for attr in &node.attribute {
            if let Some(g) = &attr.g {
                collect_ops(g, into, unknown);
            }
            for g in &attr.graphs {
                collect_ops(g, into, unknown);
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
    let mut unknown = BTreeSet::new();
    collect_ops(graph, &mut operators, &mut unknown);
    if !unknown.is_empty() {
        return Err(Refusal::UnsupportedOperators { operators: unknown.into_iter().collect() });
    }
    let register = tract_onnx::onnx().op_register;
    let tract_unsupported: Vec<String> = operators.keys().filter(|op| !register.0.contains_key(*op)).cloned().collect();
    let control_flow: Vec<String> =
        CONTROL_FLOW.iter().filter(|op| operators.contains_key(**op)).map(|op| (*op).to_owned()).collect();

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
                unranked: !ranked(value),
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
        control_flow,
        tract_unsupported,
    };
    Ok(Inspected { proto, report })
}
