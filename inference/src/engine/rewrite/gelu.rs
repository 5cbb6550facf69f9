//! GELU written out as arithmetic, in whatever order the exporter multiplied it: magika's jax2tf
//! export spells `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` as nine element-wise nodes with `x³`
//! as `x·(x·(0.044715·x))`, which tract's own detector (anchored on a `Pow`) does not see. Here
//! any element-wise region around a `Tanh` or an `Erf`, from one input to one output, is evaluated
//! on sample values; when it computes GELU it becomes tract's single GELU op (one pass, a SIMD
//! kernel on wasm, instead of nine passes over the tensor).

use std::collections::{HashMap, HashSet};

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::binary::TypedBinOp;
use tract_onnx::tract_core::ops::element_wise::ElementWiseOp;
use tract_onnx::tract_core::ops::math::{Erf, Tanh};
use tract_onnx::tract_core::ops::nn::gelu_approximate::gelu_approximate;
use tract_onnx::tract_core::ops::nn::gelu_exact::gelu_exact;

/// How far from the anchor a region may reach, in nodes (the tanh form is five above, three below).
const REACH: usize = 8;

/// The two GELUs, each as its formula in f64.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`
    Tanh,
    /// `0.5·x·(1 + erf(x/√2))`
    Erf,
}

impl Form {
    fn value(self, x: f64) -> f64 {
        match self {
            Form::Tanh => 0.5 * x * (1.0 + ((2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x * x * x)).tanh()),
            Form::Erf => 0.5 * x * (1.0 + erf(x / std::f64::consts::SQRT_2)),
        }
    }
}

/// Finds one GELU region and returns the patch that replaces it, if there is one.
pub(super) fn find(model: &TypedModel) -> TractResult<Option<TypedModelPatch>> {
    for node in model.nodes() {
        let Some(op) = node.op_as::<ElementWiseOp>() else { continue };
        let form = if op.0.is::<Tanh>() {
            Form::Tanh
        } else if op.0.is::<Erf>() {
            Form::Erf
        } else {
            continue;
        };
        if !pointwise(model, node)? {
            continue;
        }
        for root in roots(model, node)? {
            for end in ends(model, node)? {
                if let Some(region) = region(model, root, end)?
                    && region.contains(&node.id)
                    && computes(model, &region, root, end, form)?
                {
                    let mut patch = TypedModelPatch::new(format!("GELU ({form:?} form) at {}", node.name));
                    let x = patch.tap_model(model, root)?;
                    let name = format!("{}.gelu", model.node(end).name);
                    let y = match form {
                        Form::Tanh => patch.wire_node(name, gelu_approximate(false), &[x])?,
                        Form::Erf => patch.wire_node(name, gelu_exact(), &[x])?,
                    };
                    patch.shunt_outside(model, end.into(), y[0])?;
                    return Ok(Some(patch));
                }
            }
        }
    }
    Ok(None)
}

/// A single-element constant (a scalar broadcast over the tensor).
fn scalar_const(model: &TypedModel, outlet: OutletId) -> TractResult<bool> {
    let fact = model.outlet_fact(outlet)?;
    Ok(fact.datum_type == f32::datum_type() && fact.konst.as_ref().is_some_and(|k| k.len() == 1))
}

/// An f32 element-wise node: a unary op, or a binary one whose inputs are each a scalar constant
/// or a tensor of the output's shape.
fn pointwise(model: &TypedModel, node: &TypedNode) -> TractResult<bool> {
    if node.outputs.len() != 1 {
        return Ok(false);
    }
    let out = &node.outputs[0].fact;
    if out.datum_type != f32::datum_type() || out.konst.is_some() {
        return Ok(false);
    }
    if node.op_as::<ElementWiseOp>().is_some_and(|op| op.1.is_none()) {
        return Ok(model.outlet_fact(node.inputs[0])?.shape == out.shape);
    }
    if node.op_as::<TypedBinOp>().is_none() || node.inputs.len() != 2 {
        return Ok(false);
    }
    for &input in &node.inputs {
        if !scalar_const(model, input)? && model.outlet_fact(input)?.shape != out.shape {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Candidate inputs of a region around `anchor`: the non-constant outlets feeding the
/// element-wise nodes above it, nearest first.
fn roots(model: &TypedModel, anchor: &TypedNode) -> TractResult<Vec<OutletId>> {
    let mut found = Vec::new();
    let mut level = vec![anchor.id];
    for _ in 0..REACH {
        let mut next = Vec::new();
        for id in level {
            for &input in &model.node(id).inputs {
                if scalar_const(model, input)? || found.contains(&input) {
                    continue;
                }
                found.push(input);
                let producer = model.node(input.node);
                if pointwise(model, producer)? {
                    next.push(producer.id);
                }
            }
        }
        level = next;
    }
    Ok(found)
}

/// Candidate outputs: `anchor`'s element-wise successors, nearest first.
fn ends(model: &TypedModel, anchor: &TypedNode) -> TractResult<Vec<usize>> {
    let mut found = Vec::new();
    let mut level = vec![anchor.id];
    for _ in 0..REACH {
        let mut next = Vec::new();
        for id in level {
            for inlet in &model.node(id).outputs[0].successors {
                let node = model.node(inlet.node);
                if !found.contains(&node.id) && pointwise(model, node)? {
                    found.push(node.id);
                    next.push(node.id);
                }
            }
        }
        level = next;
    }
    Ok(found)
}

/// The nodes computing `end` from `root` and scalar constants alone, when nothing outside reads
/// any of them but `end`'s readers.
fn region(model: &TypedModel, root: OutletId, end: usize) -> TractResult<Option<HashSet<usize>>> {
    if model.outlet_fact(root)?.shape != model.node(end).outputs[0].fact.shape {
        return Ok(None);
    }
    let mut region = HashSet::new();
    let mut stack = vec![end];
    while let Some(id) = stack.pop() {
        if !region.insert(id) {
            continue;
        }
        if region.len() > 4 * REACH {
            return Ok(None);
        }
        let node = model.node(id);
        if !pointwise(model, node)? {
            return Ok(None);
        }
        for &input in &node.inputs {
            if input == root || scalar_const(model, input)? {
                continue;
            }
            if input.slot != 0 || input.node == root.node {
                return Ok(None);
            }
            stack.push(input.node);
        }
    }
    for &id in &region {
        if id != end && model.node(id).outputs[0].successors.iter().any(|s| !region.contains(&s.node)) {
            return Ok(None);
        }
    }
    Ok(Some(region))
}

/// Whether the region, evaluated on sample values, gives `form`'s GELU.
fn computes(model: &TypedModel, region: &HashSet<usize>, root: OutletId, end: usize, form: Form) -> TractResult<bool> {
    let rank = model.outlet_fact(root)?.rank();
    let samples: Vec<f32> = (0..=96).map(|i| -8.0 + i as f32 / 6.0).collect();
    let mut shape = vec![1; rank.max(1)];
    shape[rank.max(1) - 1] = samples.len();
    let x = Tensor::from_shape(&shape, &samples)?;
    let mut values: HashMap<usize, TValue> = HashMap::new();
    let mut order: Vec<usize> = region.iter().copied().collect();
    order.sort_unstable();
    // Node ids follow the graph's order after a declutter; evaluate until every node is done.
    while values.len() < order.len() {
        let before = values.len();
        for &id in &order {
            if values.contains_key(&id) {
                continue;
            }
            let node = model.node(id);
            let mut inputs = TVec::new();
            for &input in &node.inputs {
                if input == root {
                    inputs.push(x.clone().into_tvalue());
                } else if let Some(k) = model.outlet_fact(input)?.konst.clone().filter(|k| k.len() == 1) {
                    inputs.push(k.into_tensor().into_tvalue());
                } else if let Some(v) = values.get(&input.node) {
                    inputs.push(v.clone());
                } else {
                    break;
                }
            }
            if inputs.len() < node.inputs.len() {
                continue;
            }
            let Some(mut out) = node.op.eval_out_of_plan(inputs)? else { return Ok(false) };
            values.insert(id, out.remove(0));
        }
        if values.len() == before {
            return Ok(false);
        }
    }
    let y = values[&end].cast_to::<f32>()?;
    let y = y.try_as_plain_ram()?;
    let y = y.as_slice::<f32>()?;
    Ok(y.len() == samples.len()
        && y.iter()
            .zip(&samples)
            .all(|(&y, &x)| (y as f64 - form.value(x as f64)).abs() <= 1e-4 * (1.0 + x.abs() as f64)))
}

/// The error function (Abramowitz and Stegun 7.1.26: within 1.5e-7, far inside the comparison's
/// tolerance).
fn erf(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.3275911 * x.abs());
    let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    let y = 1.0 - poly * (-x * x).exp();
    if x < 0.0 { -y } else { y }
}
