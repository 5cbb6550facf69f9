//! A first `io` section proposed from what a model declares, before anyone has described it.
//!
//! The rules, in order, for each input (all of them only read the declared type, shape and name):
//!
//! 1. **Free axes keep their names** (`sizes`): the batch and any other free axis feed 1, the
//!    height and width of a picture [`DEFAULT_PICTURE_SIDE`]; one name is one value everywhere.
//! 2. **Pictures**: a float input `[N, 1|3, H, W]` (or `[N, H, W, 1|3]`) whose leading axis is free
//!    or 1 and whose H and W are free or at least 8, scaled to 0–1.
//! 3. **State** ([`is_state_like`]): memory carried between calls, fed with zeros.
//! 4. **Fields**: a scalar, or a float input of `n` ≤ [`MAX_PROPOSED_FIELDS`] values (`[N, n]` or
//!    `[n]`), one form field per value.
//! 5. Anything else is a **tensor** typed as JSON (prefilled with [`InputSpec::example_json`]).
//!
//! Outputs: a float output is read as class scores when exactly one axis has a fixed size of
//! 2–1000 and every other axis is 1 or a free leading batch (`[N, 1000]`, `[N, 1000, 1, 1]`),
//! unless it is state-like; anything else is shown as a tensor.

use std::collections::BTreeMap;

use super::io::{
    FieldSpec, IO_VERSION, ImageSpec, InputKind, InputSpec, IoSchema, Labels, Layout, NamedSize, OutputKind,
    OutputSpec, default_top_k,
};
use crate::report::{IoFact, Report};
use crate::tensor::DType;

#[cfg(test)]
mod tests;

/// Largest class count a proposed schema reads as classification scores.
const PROPOSED_MAX_CLASSES: usize = 1000;

/// The side a picture's free height and width get in a proposed schema (the creator changes it
/// by name with [`IoSchema::set_size`]).
pub const DEFAULT_PICTURE_SIDE: usize = 224;

/// Largest flat float input proposed as one form field per value; longer ones are JSON tensors.
pub const MAX_PROPOSED_FIELDS: usize = 64;

/// Name words that mark memory carried between calls.
const STATE_WORDS: [&str; 11] =
    ["state", "states", "h0", "c0", "hn", "cn", "hidden", "cache", "memory", "past", "present"];

/// The lowercase words of a tensor name: split at anything not a letter or digit and where a
/// lowercase letter meets an uppercase one (`stateN` → `state`, `n`).
fn words(name: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut previous_lower = false;
    for ch in name.chars() {
        if !ch.is_ascii_alphanumeric() {
            out.push(String::new());
        } else {
            if ch.is_ascii_uppercase() && previous_lower {
                out.push(String::new());
            }
            out.last_mut().expect("never empty").push(ch.to_ascii_lowercase());
        }
        previous_lower = ch.is_ascii_lowercase() || ch.is_ascii_digit();
    }
    out.retain(|w| !w.is_empty());
    out
}

/// A declared dimension: fixed (a positive number) or free (a name, `?`, or 0).
fn fixed(word: &str) -> Option<usize> {
    word.parse::<usize>().ok().filter(|&d| d > 0)
}

/// Whether a float tensor is memory carried between calls rather than data a person gives: its
/// name has a word among `state(s)`, `h0`, `c0`, `hn`, `cn`, `hidden`, `cache`, `memory`, `past`,
/// `present`, or its leading axis is a fixed size above 1, its last axis is fixed and an axis
/// between them is free — the batch is not first, as in recurrent states `[layers, batch, units]`
/// (a picture without batch, `[3, H, W]`, ends with a free axis and is not state).
pub fn is_state_like(name: &str, dtype: &str, declared: &[String]) -> bool {
    if dtype != "float32" || declared.is_empty() {
        return false;
    }
    let named = words(name).iter().any(|w| STATE_WORDS.contains(&w.as_str()));
    let n = declared.len();
    let batch_not_first = n >= 3
        && fixed(&declared[0]).is_some_and(|d| d > 1)
        && fixed(&declared[n - 1]).is_some()
        && declared[1..n - 1].iter().any(|d| fixed(d).is_none());
    named || batch_not_first
}

/// Where a picture's height and width are, if the input looks like one (rule 2).
fn picture_axes(fact: &IoFact) -> Option<(Layout, usize)> {
    if fact.dtype != "float32" || fact.declared.len() != 4 {
        return None;
    }
    let d = &fact.declared;
    let batch = fixed(&d[0]).is_none_or(|n| n == 1);
    let channels = |w: &str| fixed(w).filter(|c| matches!(c, 1 | 3));
    let side = |w: &str| fixed(w).is_none_or(|s| s >= 8);
    if !batch {
        None
    } else if let Some(c) = channels(&d[1]).filter(|_| side(&d[2]) && side(&d[3])) {
        Some((Layout::Nchw, c))
    } else {
        channels(&d[3]).filter(|_| side(&d[1]) && side(&d[2])).map(|c| (Layout::Nhwc, c))
    }
}

/// An input's free axes with their names (`<input>[<axis>]` where the model gives none).
fn free_axes(fact: &IoFact) -> Vec<NamedSize> {
    fact.declared
        .iter()
        .enumerate()
        .filter(|(_, d)| fixed(d).is_none())
        .map(|(axis, d)| NamedSize {
            axis,
            name: if d == "?" || d.parse::<usize>().is_ok() { format!("{}[{axis}]", fact.name) } else { d.clone() },
        })
        .collect()
}

/// The value each free name is fed (rule 1): picture sides first, then 1.
fn size_values(report: &Report) -> BTreeMap<String, usize> {
    let mut values = BTreeMap::new();
    for fact in &report.inputs {
        if let Some((layout, _)) =
            picture_axes(fact).filter(|_| !is_state_like(&fact.name, &fact.dtype, &fact.declared))
        {
            let spatial = if layout == Layout::Nchw { [2, 3] } else { [1, 2] };
            for size in free_axes(fact).into_iter().filter(|s| spatial.contains(&s.axis)) {
                values.entry(size.name).or_insert(DEFAULT_PICTURE_SIDE);
            }
        }
    }
    values
}

/// A fact's concrete shape with the proposed sizes (free names not given a value feed 1).
fn shape_of(fact: &IoFact, values: &BTreeMap<String, usize>) -> Vec<usize> {
    if let Some(resolved) = &fact.resolved {
        return resolved.clone();
    }
    let named: BTreeMap<usize, String> = free_axes(fact).into_iter().map(|s| (s.axis, s.name)).collect();
    fact.declared
        .iter()
        .enumerate()
        .map(|(axis, d)| fixed(d).unwrap_or_else(|| named.get(&axis).and_then(|n| values.get(n)).copied().unwrap_or(1)))
        .collect()
}

fn proposed_input(fact: &IoFact, values: &BTreeMap<String, usize>) -> InputSpec {
    let dtype = DType::from_ort_name(&fact.dtype).unwrap_or(DType::F32);
    let (shape, sizes) = if fact.unranked { (vec![1], Vec::new()) } else { (shape_of(fact, values), free_axes(fact)) };
    let state = is_state_like(&fact.name, &fact.dtype, &fact.declared);
    let field = |name: String| FieldSpec { name, min: None, max: None, default: 0.0 };
    let kind = match picture_axes(fact).filter(|_| !state && !fact.unranked) {
        Some((layout, channels)) => {
            let (height, width) = if layout == Layout::Nchw { (shape[2], shape[3]) } else { (shape[1], shape[2]) };
            InputKind::Image(ImageSpec::plain(width, height, channels, layout))
        }
        None if state => InputKind::State,
        None if shape.is_empty() => InputKind::Fields { fields: vec![field(fact.name.clone())] },
        None => match shape.as_slice() {
            [1, n] | [n] if dtype == DType::F32 && *n <= MAX_PROPOSED_FIELDS && !fact.unranked => {
                InputKind::Fields { fields: (0..*n).map(|i| field(format!("{}[{i}]", fact.name))).collect() }
            }
            _ => InputKind::Tensor,
        },
    };
    InputSpec { name: fact.name.clone(), dtype, shape, sizes, kind }
}

fn proposed_output(fact: &IoFact) -> OutputSpec {
    let d = &fact.declared;
    let class_axes: Vec<usize> =
        (0..d.len()).filter(|&a| fixed(&d[a]).is_some_and(|c| (2..=PROPOSED_MAX_CLASSES).contains(&c))).collect();
    // Every other axis 1: declared 1, or free in the lead (the batch); other free axes may be large.
    let singleton = |a: usize| fixed(&d[a]) == Some(1) || (a == 0 && fixed(&d[0]).is_none());
    let classes = match class_axes.as_slice() {
        [axis] if (0..d.len()).all(|a| a == *axis || singleton(a)) => fixed(&d[*axis]),
        _ => None,
    };
    let kind = match classes {
        Some(classes) if fact.dtype == "float32" && !is_state_like(&fact.name, &fact.dtype, &fact.declared) => {
            OutputKind::Classification {
                labels: Labels::Inline((0..classes).map(|c| c.to_string()).collect()),
                softmax: false,
                top_k: classes.min(default_top_k()),
            }
        }
        _ => OutputKind::Tensor,
    };
    OutputSpec { name: fact.name.clone(), kind }
}

impl IoSchema {
    /// A first schema for a model nobody has described yet, from what it declares (the listing
    /// flow's starting point), by the rules of this module. The creator edits it; validation then
    /// checks it against the model.
    pub fn proposed(report: &Report) -> Self {
        let values = size_values(report);
        Self {
            version: IO_VERSION,
            inputs: report.inputs.iter().map(|f| proposed_input(f, &values)).collect(),
            outputs: report.outputs.iter().map(proposed_output).collect(),
        }
    }
}
