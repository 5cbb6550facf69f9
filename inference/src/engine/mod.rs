//! The CPU engine: tract, built with the card's concrete input shapes, outputs in card order; and
//! full validation, which is loading a model and keeping only the report.

mod compiled;
mod failure;
mod rewrite;

use std::collections::HashMap;
use std::sync::Arc;

use tract_onnx::prelude::*;

use crate::card::IoSchema;
use crate::report::{Limits, Refusal, Report};
use crate::tensor::{DType, Data, Tensor as AssayTensor};
use crate::validate::{Inspected, check_io, check_outputs, inspect};
pub use compiled::{Compiled, Loaded};
use failure::{tract_failure, unloadable};

/// Full validation: inspection, the card, then building the model with tract.
pub fn validate(bytes: &[u8], io: &IoSchema, limits: &Limits) -> Result<Report, Refusal> {
    TractSession::load(bytes, io, limits).map(|(_, report)| report)
}

/// Each selected output's name and concrete shape, as tract infers them with the card's inputs.
type Resolved = Vec<(String, Vec<usize>)>;

/// A model ready to run on tract (cheap to clone: the plan is shared).
#[derive(Clone)]
pub struct TractSession {
    plan: Arc<TypedRunnableModel>,
    /// Input names in the plan's order.
    inputs: Vec<String>,
    /// Output names in the plan's (the card's) order.
    outputs: Vec<String>,
    /// How many of the engine's own rewrites (`rewrite`) the model took.
    rewrites: usize,
}

/// The sizes the model's inputs name (`dim_param`), with the value the card feeds each.
fn named_sizes(proto: &tract_onnx::pb::ModelProto, io: &IoSchema) -> Vec<(String, usize)> {
    use tract_onnx::pb::{tensor_shape_proto::dimension::Value, type_proto};
    let mut out = Vec::new();
    for value in proto.graph.iter().flat_map(|g| &g.input) {
        let Some(spec) = io.inputs.iter().find(|i| i.name == value.name) else { continue };
        let Some(type_proto::Value::TensorType(t)) = value.r#type.as_ref().and_then(|t| t.value.as_ref()) else {
            continue;
        };
        for (dim, &size) in t.shape.iter().flat_map(|s| &s.dim).zip(&spec.shape) {
            if let Some(Value::DimParam(name)) = &dim.value
                && !name.is_empty()
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.clone(), size));
            }
        }
    }
    out
}

fn datum(dtype: DType) -> DatumType {
    match dtype {
        DType::F32 => f32::datum_type(),
        DType::I32 => i32::datum_type(),
        DType::I64 => i64::datum_type(),
        DType::U8 => u8::datum_type(),
        DType::Bool => bool::datum_type(),
    }
}

impl TractSession {
    /// Validates `bytes` against the card and builds the model. The report's shapes are resolved.
    pub fn load(bytes: &[u8], io: &IoSchema, limits: &Limits) -> Result<(Self, Report), Refusal> {
        let Inspected { proto, mut report } = inspect(bytes, limits)?;
        check_io(&report, &proto, io)?;
        if !report.tract_unsupported.is_empty() {
            return Err(Refusal::TractUnsupported { operators: report.tract_unsupported.clone() });
        }
        // tract can panic on hostile graphs it did not anticipate; on the host (and in the worker
        // when built with unwinding) that becomes a refusal instead of a crash.
        let built =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Self::build(&proto, io))).map_err(|panic| {
                let text = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "it panicked".into());
                unloadable(format!("tract panicked: {text}"))
            })??;
        let (session, resolved) = built;
        check_outputs(io, &resolved)?;
        for fact in &mut report.inputs {
            fact.resolved = io.inputs.iter().find(|i| i.name == fact.name).map(|i| i.shape.clone());
        }
        for fact in &mut report.outputs {
            fact.resolved = resolved.iter().find(|(n, _)| *n == fact.name).map(|(_, s)| s.clone());
        }
        Ok((session, report))
    }

    fn build(proto: &tract_onnx::pb::ModelProto, io: &IoSchema) -> Result<(Self, Resolved), Refusal> {
        let failed = |e: TractError| tract_failure(proto, &e);
        let mut model = tract_onnx::onnx().parse(proto, None).map_err(failed)?.model;
        // The sizes the model names (`batch`, …) take the card's values everywhere they appear.
        let mut subs = HashMap::new();
        for (name, value) in named_sizes(proto, io) {
            subs.insert(model.symbols.sym(&name), TDim::from(value as i64));
        }
        model.set_symbols(&subs).map_err(failed)?;
        let mut inputs = Vec::new();
        for ix in 0..model.input_outlets().map_err(unloadable)?.len() {
            let outlet = model.input_outlets().map_err(unloadable)?[ix];
            let name = model.node(outlet.node).name.clone();
            let spec = io.inputs.iter().find(|i| i.name == name).ok_or_else(|| Refusal::IoMismatch {
                detail: format!("the model takes an input {name} that the card does not describe"),
            })?;
            model
                .set_input_fact(ix, InferenceFact::dt_shape(datum(spec.dtype), spec.shape.clone()))
                .map_err(unloadable)?;
            inputs.push(name);
        }
        let outputs: Vec<String> = io.outputs.iter().map(|o| o.name.clone()).collect();
        model.select_outputs_by_name(&outputs).map_err(failed)?;
        // tract's declutter, then the rewrites it lacks (`rewrite`), then its codegen: what
        // `into_optimized` does, with the rewrites in between.
        let mut typed = model.into_typed().map_err(failed)?;
        typed.declutter().map_err(failed)?;
        let rewrites = rewrite::apply(&mut typed).map_err(failed)?;
        typed.optimize().map_err(failed)?;
        let mut resolved = Vec::new();
        for (ix, name) in outputs.iter().enumerate() {
            let fact = typed.output_fact(ix).map_err(unloadable)?;
            if let Some(shape) = fact.shape.as_concrete() {
                resolved.push((name.clone(), shape.to_vec()));
            }
        }
        let plan = typed.into_runnable().map_err(failed)?;
        Ok((Self { plan, inputs, outputs, rewrites }, resolved))
    }

    /// Runs the model. Inputs are matched by name; outputs come back in the card's order.
    pub fn run(&self, inputs: &[AssayTensor]) -> Result<Vec<AssayTensor>, String> {
        let mut fed: TVec<TValue> = TVec::new();
        for name in &self.inputs {
            let t = inputs.iter().find(|t| &t.name == name).ok_or_else(|| format!("input {name} is missing"))?;
            let tensor = match &t.data {
                Data::F32(v) => Tensor::from_shape(&t.shape, v),
                Data::I32(v) => Tensor::from_shape(&t.shape, v),
                Data::I64(v) => Tensor::from_shape(&t.shape, v),
                Data::U8(v) => Tensor::from_shape(&t.shape, v),
                Data::Bool(v) => Tensor::from_shape(&t.shape, v),
            }
            .map_err(|e| format!("input {name}: {e}"))?;
            fed.push(tensor.into_tvalue());
        }
        let results = self.plan.run(fed).map_err(|e| format!("tract failed while running the model: {e:#}"))?;
        results.into_iter().zip(&self.outputs).map(|(value, name)| to_assay(name, &value)).collect()
    }

    pub fn input_names(&self) -> &[String] {
        &self.inputs
    }

    /// How many rewrites of the engine's own (a one-hot product as a lookup, GELU as one op) the
    /// model took before tract's codegen.
    pub fn rewrites(&self) -> usize {
        self.rewrites
    }
}

fn to_assay(name: &str, t: &Tensor) -> Result<AssayTensor, String> {
    let shape = t.shape().to_vec();
    let err = |e: TractError| format!("output {name}: {e}");
    let cast;
    let kept = [i32::datum_type(), i64::datum_type(), u8::datum_type(), f32::datum_type(), bool::datum_type()];
    let t = if kept.contains(&t.datum_type()) {
        t
    } else {
        cast = t.cast_to::<f32>().map_err(err)?;
        &*cast
    };
    let view = t.try_as_plain_ram().map_err(err)?;
    let data = match t.datum_type() {
        dt if dt == i32::datum_type() => Data::I32(view.as_slice::<i32>().map_err(err)?.to_vec()),
        dt if dt == i64::datum_type() => Data::I64(view.as_slice::<i64>().map_err(err)?.to_vec()),
        dt if dt == u8::datum_type() => Data::U8(view.as_slice::<u8>().map_err(err)?.to_vec()),
        dt if dt == bool::datum_type() => Data::Bool(view.as_slice::<bool>().map_err(err)?.to_vec()),
        _ => Data::F32(view.as_slice::<f32>().map_err(err)?.to_vec()),
    };
    AssayTensor::new(name, shape, data)
}
