//! A dense layer over a one-hot encoding is a table lookup. Exporters write `one_hot(x) @ W` as
//! `Cast(Equal(x[..., None], arange(C))) @ W` (magika's byte embedding: 2048 × 257 × 64, about a
//! quarter of its run time as a matrix product). The same values come from gathering rows of `W`:
//! a row of zeros is appended for the indices outside `0..C`, whose one-hot row is all zeros.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::ops::array::Gather;
use tract_onnx::tract_core::ops::binary::TypedBinOp;
use tract_onnx::tract_core::ops::cast::Cast;
use tract_onnx::tract_core::ops::change_axes::AxisOp;
use tract_onnx::tract_core::ops::einsum::EinSum;
use tract_onnx::tract_core::ops::logic::{self, CompEq, Iff};

/// Finds one such product and returns the patch that replaces it, if there is one.
pub(super) fn find(model: &TypedModel) -> TractResult<Option<TypedModelPatch>> {
    for node in model.nodes() {
        if let Some(patch) = at(model, node)? {
            return Ok(Some(patch));
        }
    }
    Ok(None)
}

/// `node` as the `Equal` of the pattern.
fn at(model: &TypedModel, node: &TypedNode) -> TractResult<Option<TypedModelPatch>> {
    let Some(eq) = node.op_as::<TypedBinOp>() else { return Ok(None) };
    if !eq.0.is::<CompEq>() || node.inputs.len() != 2 {
        return Ok(None);
    }
    // One side is the integer index with a trailing axis of 1, the other arange(C) on that axis.
    let facts = model.node_input_facts(node.id)?;
    let Some((index, classes)) = (0..2).find_map(|side| {
        let index = node.inputs[side];
        let fact = facts[side];
        let range = facts[1 - side].konst.as_ref()?;
        let classes = arange_on_last_axis(range, fact.rank())?;
        let last = fact.shape.as_concrete()?.last().copied()?;
        (fact.datum_type == i32::datum_type() || fact.datum_type == i64::datum_type())
            .then_some((index, classes))
            .filter(|_| last == 1 && range.datum_type() == fact.datum_type)
    }) else {
        return Ok(None);
    };
    // Then a cast to floats and nothing else reads the comparison.
    let Some(cast_node) = model.single_succ(node.id)? else { return Ok(None) };
    let Some(cast) = cast_node.op_as::<Cast>() else { return Ok(None) };
    if cast.to != f32::datum_type() {
        return Ok(None);
    }
    let Some(product) = model.single_succ(cast_node.id)? else { return Ok(None) };
    let Some(einsum) = product.op_as::<EinSum>() else { return Ok(None) };
    if einsum.q_params.is_some() || einsum.operating_dt != f32::datum_type() || product.inputs.len() != 2 {
        return Ok(None);
    }
    let Some(one_hot_slot) = product.inputs.iter().position(|i| i.node == cast_node.id) else { return Ok(None) };
    let weights_slot = 1 - one_hot_slot;
    if product.inputs[weights_slot].node == cast_node.id {
        return Ok(None);
    }
    let Some(weights) = model.outlet_fact(product.inputs[weights_slot])?.konst.clone() else { return Ok(None) };
    let Some(table) = lookup_table(einsum, one_hot_slot, &weights, classes)? else { return Ok(None) };

    let mut patch = TypedModelPatch::new(format!("one-hot product {} as a lookup", product.name));
    let index = patch.tap_model(model, index)?;
    let rank = facts[0].rank().max(facts[1].rank());
    let name = |what: &str| format!("{}.lookup.{what}", product.name);
    let index = patch.wire_node(name("index"), AxisOp::Rm(rank - 1), &[index])?[0];
    // Outside 0..C: the zero row at C.
    let dt = model.outlet_fact(node.inputs[0])?.datum_type;
    let scalar =
        |v: i64| -> TractResult<Tensor> { tensor0(v).cast_to_dt(dt)?.into_owned().broadcast_into_rank(rank - 1) };
    let zero = patch.add_const(name("zero"), scalar(0)?)?;
    let count = patch.add_const(name("classes"), scalar(classes as i64)?)?;
    let above = patch.wire_node(name("above"), TypedBinOp(logic::comp_gte(), None), &[index, zero])?[0];
    let below = patch.wire_node(name("below"), TypedBinOp(logic::comp_lt(), None), &[index, count])?[0];
    let inside = patch.wire_node(name("inside"), logic::and(), &[above, below])?[0];
    let index = patch.wire_node(name("safe"), Iff, &[inside, index, count])?[0];
    let index = patch.wire_node(name("i64"), Cast { to: i64::datum_type() }, &[index])?[0];
    let table = patch.add_const(name("table"), table)?;
    let rows = patch.wire_node(name("rows"), Gather::new(0), &[table, index])?[0];
    patch.shunt_outside(model, product.id.into(), rows)?;
    Ok(Some(patch))
}

/// `C` when `t` is `0, 1, …, C-1` along its last axis, every other axis 1, at `rank`.
fn arange_on_last_axis(t: &Tensor, rank: usize) -> Option<usize> {
    let shape = t.shape();
    if shape.len() != rank || shape.is_empty() || shape[..rank - 1].iter().any(|&d| d != 1) {
        return None;
    }
    let values = t.cast_to::<i64>().ok()?;
    let values = values.try_as_plain_ram().ok()?;
    let values = values.as_slice::<i64>().ok()?;
    values.iter().enumerate().all(|(i, &v)| v == i as i64).then_some(values.len()).filter(|&c| c > 0)
}

/// The rows to gather, `[C + 1, N]` (the last row zeros), when the product contracts the one-hot
/// axis with one axis of a 2-D `weights` and writes the other one last, after the one-hot's
/// other axes in their order: `amk,kn->amn` (or `kn` given as `nk`).
fn lookup_table(einsum: &EinSum, one_hot_slot: usize, weights: &Tensor, classes: usize) -> TractResult<Option<Tensor>> {
    let (inputs, outputs) = einsum.axes.to_strs();
    let (Some(one_hot), Some(w), Some(out)) = (inputs.get(one_hot_slot), inputs.get(1 - one_hot_slot), outputs.first())
    else {
        return Ok(None);
    };
    let one_hot: Vec<char> = one_hot.chars().collect();
    let w: Vec<char> = w.chars().collect();
    let out: Vec<char> = out.chars().collect();
    let Some((&k, kept)) = one_hot.split_last() else { return Ok(None) };
    if w.len() != 2 || weights.rank() != 2 || weights.datum_type() != f32::datum_type() {
        return Ok(None);
    }
    let Some(k_at) = w.iter().position(|&c| c == k) else { return Ok(None) };
    let n = w[1 - k_at];
    let mut expected = kept.to_vec();
    expected.push(n);
    let distinct = |v: &[char]| v.iter().enumerate().all(|(i, c)| !v[..i].contains(c));
    if out != expected || kept.contains(&n) || !distinct(&one_hot) || n == k || weights.shape()[k_at] != classes {
        return Ok(None);
    }
    let weights = if k_at == 0 { weights.clone() } else { weights.clone().permute_axes(&[1, 0])? };
    let width = weights.shape()[1];
    let zeros = Tensor::zero::<f32>(&[1, width])?;
    Ok(Some(Tensor::stack_tensors(0, &[weights, zeros])?))
}
