//! Rewrites of a decluttered model that tract does not make itself, each proven on sample values
//! or by its structure before it is applied, run between tract's declutter and its codegen:
//!
//! - [`one_hot`]: a dense layer over a one-hot encoding becomes a table lookup;
//! - [`gelu`]: GELU spelt out as arithmetic becomes tract's single GELU op.

mod gelu;
mod one_hot;

use tract_onnx::prelude::*;

/// How many rewrites one model may take (each one removes nodes, so this only bounds a loop
/// that would otherwise rely on that).
const MOST: usize = 256;

/// Applies every rewrite until none applies; the number applied.
pub fn apply(model: &mut TypedModel) -> TractResult<usize> {
    let mut applied = 0;
    while applied < MOST {
        let Some(patch) = (match one_hot::find(model)? {
            Some(patch) => Some(patch),
            None => gelu::find(model)?,
        }) else {
            break;
        };
        patch.apply(model)?;
        applied += 1;
    }
    if applied > 0 {
        model.compact()?;
    }
    Ok(applied)
}
