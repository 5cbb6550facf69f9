//! How an evaluation's samples go through a model: in chunks (a few runs each, so the page can
//! show progress and stop between them), each run one sample, or a batch of samples where every
//! input's first axis is a free size the card names (the same name for all). A batch is the
//! samples' inputs stacked along that axis (the last one padded with its own last sample), and its
//! outputs are split back into one prediction per sample.

use std::ops::Range;

use super::reproduce::{Prediction, read};
use crate::card::{InputKind, IoSchema, Reading};
use crate::tensor::Tensor;

/// The most samples one batched run takes.
pub const MAX_BATCH: usize = 32;
/// The most input values one batched run takes (a batch of large pictures stays small).
pub const MAX_BATCH_VALUES: usize = 1 << 20;

/// How the samples go through the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Batching {
    /// One sample a run, with the card's own shapes.
    OneByOne,
    /// `size` samples a run along every input's first axis, the size the card names `name`.
    Axis { name: String, size: usize },
}

/// The batching a card allows: [`Batching::Axis`] when every input's first axis is a named free
/// size (one name for all, fed as 1), else one by one. The batch holds at most [`MAX_BATCH`]
/// samples and [`MAX_BATCH_VALUES`] input values.
pub fn batching(io: &IoSchema) -> Batching {
    let first_axis = |input: &crate::card::InputSpec| {
        input.sizes.iter().find(|s| s.axis == 0).map(|s| s.name.clone()).filter(|_| input.shape.first() == Some(&1))
    };
    let mut names = io.inputs.iter().map(first_axis);
    let Some(Some(name)) = names.next() else { return Batching::OneByOne };
    if !names.all(|n| n.as_ref() == Some(&name)) {
        return Batching::OneByOne;
    }
    let values: usize = io.inputs.iter().map(|i| i.shape.iter().product::<usize>()).sum();
    let size = (MAX_BATCH_VALUES / values.max(1)).min(MAX_BATCH);
    if size < 2 { Batching::OneByOne } else { Batching::Axis { name, size } }
}

impl Batching {
    /// Samples a run.
    pub fn size(&self) -> usize {
        match self {
            Batching::OneByOne => 1,
            Batching::Axis { size, .. } => *size,
        }
    }

    /// The `io` a model is loaded with to run these batches: the card's own one by one; for a
    /// batch, every input a plain tensor (each sample's values are made with the card's own `io`,
    /// pictures and fields included, then stacked) with the batch size set.
    pub fn io(&self, io: &IoSchema) -> Result<IoSchema, String> {
        let mut batched = io.clone();
        if let Batching::Axis { name, size } = self {
            for input in &mut batched.inputs {
                if !matches!(input.kind, InputKind::State) {
                    input.kind = InputKind::Tensor;
                }
            }
            batched.set_size(name, *size).map_err(|e| e.to_string())?;
        }
        Ok(batched)
    }
}

/// The next few runs: samples `samples`, `batch` a run (the last run may hold fewer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub samples: Range<usize>,
    pub batch: usize,
}

impl Chunk {
    /// The chunk after `done` of `total` samples: `runs` runs of `batch` samples; `None` when all
    /// are done.
    pub fn next(done: usize, total: usize, batch: usize, runs: usize) -> Option<Chunk> {
        let batch = batch.max(1);
        let end = done.saturating_add(batch.saturating_mul(runs.max(1))).min(total);
        (done < total).then_some(Chunk { samples: done..end, batch })
    }

    /// Each run's samples.
    pub fn runs(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.samples.clone().step_by(self.batch).map(|start| start..(start + self.batch).min(self.samples.end))
    }
}

/// One run's inputs from its samples' (each in the card's order, first axis 1): stacked along the
/// first axis into `batch` rows, the last sample repeated to fill them. A batch of 1 is the
/// sample's inputs as they are.
pub fn stack(samples: &[Vec<Tensor>], batch: usize) -> Result<Vec<Tensor>, String> {
    let first = samples.first().ok_or("a run has no samples")?;
    if samples.len() > batch {
        return Err(format!("{} samples don't fit a batch of {batch}", samples.len()));
    }
    if batch == 1 {
        return Ok(first.clone());
    }
    let last = samples.last().expect("not empty");
    let rows = samples.iter().chain(std::iter::repeat_n(last, batch - samples.len()));
    let mut stacked: Vec<Tensor> = first.clone();
    for tensor in &mut stacked {
        if tensor.shape.first() != Some(&1) {
            return Err(format!("input {} has shape {:?}: no batch axis of 1 to stack on", tensor.name, tensor.shape));
        }
        tensor.shape[0] = batch;
    }
    for (i, row) in rows.enumerate().skip(1) {
        for (tensor, part) in stacked.iter_mut().zip(row) {
            if part.shape[1..] != tensor.shape[1..] {
                return Err(format!(
                    "sample {i}'s input {} has shape {:?} where the first has {:?}",
                    part.name,
                    part.shape,
                    [&[1], &tensor.shape[1..]].concat()
                ));
            }
            tensor.data.append(&part.data)?;
        }
    }
    Ok(stacked)
}

/// The predictions of one run of `batch` rows, the first `keep` of them (the rest were padding):
/// the reading's output split along its first axis, each row read as its own sample's output. A
/// batch of 1 is read whole.
pub fn predictions_of(
    reading: &Reading,
    outputs: &[Tensor],
    batch: usize,
    keep: usize,
) -> Result<Vec<Prediction>, String> {
    if batch == 1 {
        return Ok(vec![read(reading, outputs)?]);
    }
    let name = match reading {
        Reading::Argmax { output } | Reading::Threshold { output, .. } | Reading::Value { output } => output,
    };
    let tensor =
        outputs.iter().find(|t| &t.name == name).ok_or_else(|| format!("the model gave no output named {name}"))?;
    if tensor.shape.first() != Some(&batch) {
        return Err(format!(
            "output {name} has shape {:?} for a batch of {batch}: its first axis is not the samples",
            tensor.shape
        ));
    }
    let per = tensor.data.len() / batch;
    let mut shape = tensor.shape.clone();
    shape[0] = 1;
    (0..keep.min(batch))
        .map(|row| {
            let data = tensor.data.slice(row * per, (row + 1) * per);
            let one = Tensor::new(name.clone(), shape.clone(), data)?;
            read(reading, std::slice::from_ref(&one))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::card::{FieldSpec, InputSpec, NamedSize};
    use crate::tensor::{DType, Data};

    fn input(name: &str, shape: Vec<usize>, sizes: &[(usize, &str)]) -> InputSpec {
        InputSpec {
            name: name.into(),
            dtype: DType::F32,
            shape,
            sizes: sizes.iter().map(|&(axis, name)| NamedSize { axis, name: name.into() }).collect(),
            kind: InputKind::Tensor,
        }
    }

    fn io(inputs: Vec<InputSpec>) -> IoSchema {
        let outputs = vec![crate::card::OutputSpec { name: "y".into(), kind: crate::card::OutputKind::Tensor }];
        IoSchema { version: 1, inputs, outputs }
    }

    #[test]
    fn a_free_first_axis_named_alike_on_every_input_batches() {
        let both = io(vec![input("a", vec![1, 64], &[(0, "batch")]), input("b", vec![1, 4], &[(0, "batch")])]);
        assert_eq!(batching(&both), Batching::Axis { name: "batch".into(), size: MAX_BATCH });
        let batched = batching(&both).io(&both).unwrap();
        assert_eq!(
            (batched.inputs[0].shape.as_slice(), batched.inputs[1].shape.as_slice()),
            (&[32, 64][..], &[32, 4][..])
        );
        // Big samples: fewer a batch; one that fills a batch alone runs one by one.
        let picture = io(vec![input("x", vec![1, 3, 224, 224], &[(0, "N")])]);
        assert_eq!(batching(&picture), Batching::Axis { name: "N".into(), size: 6 });
        assert_eq!(batching(&io(vec![input("x", vec![1, 3, 1024, 1024], &[(0, "N")])])), Batching::OneByOne);
        // Fixed, other names, a second input without it, a scalar, a free axis fed as 2.
        for inputs in [
            vec![input("a", vec![1, 64], &[])],
            vec![input("a", vec![1, 64], &[(0, "n")]), input("b", vec![1, 4], &[(0, "m")])],
            vec![input("a", vec![1, 64], &[(0, "n")]), input("b", vec![1, 4], &[(1, "n")])],
            vec![input("a", vec![1, 64], &[(0, "n")]), input("s", vec![], &[])],
            vec![input("a", vec![2, 64], &[(0, "n")])],
            vec![input("a", vec![64, 1], &[(1, "n")])],
        ] {
            assert_eq!(batching(&io(inputs.clone())), Batching::OneByOne, "{inputs:?}");
        }
        assert_eq!(Batching::OneByOne.io(&both).unwrap(), both);
        let fields = io(vec![InputSpec {
            kind: InputKind::Fields {
                fields: vec![FieldSpec { name: "x".into(), min: None, max: None, default: 0.0 }; 2],
            },
            ..input("f", vec![1, 2], &[(0, "n"), (1, "k")])
        }]);
        let batched = Batching::Axis { name: "n".into(), size: 4 }.io(&fields).unwrap();
        assert_eq!((batched.inputs[0].shape.as_slice(), &batched.inputs[0].kind), (&[4, 2][..], &InputKind::Tensor));
        assert!(Batching::Axis { name: "m".into(), size: 3 }.io(&fields).is_err());
    }

    #[test]
    fn chunks_cover_every_sample_once_in_runs_of_the_batch() {
        let mut done = 0;
        let mut runs = Vec::new();
        while let Some(chunk) = Chunk::next(done, 70, 32, 1) {
            runs.extend(chunk.runs());
            done = chunk.samples.end;
        }
        assert_eq!(runs, [0..32, 32..64, 64..70]);
        let chunk = Chunk::next(5, 12, 1, 4).unwrap();
        assert_eq!((chunk.samples.clone(), chunk.runs().collect::<Vec<_>>()), (5..9, vec![5..6, 6..7, 7..8, 8..9]));
        assert_eq!(Chunk::next(12, 12, 1, 4), None);
        assert_eq!(Chunk::next(0, 3, 0, 0).unwrap().samples, 0..1);
    }

    fn sample(values: [f32; 2]) -> Vec<Tensor> {
        vec![
            Tensor::new("x", vec![1, 2], Data::F32(values.to_vec())).unwrap(),
            Tensor::new("id", vec![1], Data::I64(vec![values[0] as i64])).unwrap(),
        ]
    }

    #[test]
    fn samples_stack_along_the_first_axis_and_the_last_pads_the_batch() {
        let stacked = stack(&[sample([1.0, 2.0]), sample([3.0, 4.0])], 3).unwrap();
        assert_eq!(stacked[0], Tensor::new("x", vec![3, 2], Data::F32(vec![1.0, 2.0, 3.0, 4.0, 3.0, 4.0])).unwrap());
        assert_eq!(stacked[1], Tensor::new("id", vec![3], Data::I64(vec![1, 3, 3])).unwrap());
        assert_eq!(stack(&[sample([5.0, 6.0])], 1).unwrap(), sample([5.0, 6.0]));
        assert_eq!(
            stack(&[sample([1.0, 2.0]), sample([3.0, 4.0])], 1).unwrap_err(),
            "2 samples don't fit a batch of 1"
        );
        let mut odd = sample([3.0, 4.0]);
        odd[0] = Tensor::new("x", vec![1, 3], Data::F32(vec![0.0; 3])).unwrap();
        assert_eq!(
            stack(&[sample([1.0, 2.0]), odd], 2).unwrap_err(),
            "sample 1's input x has shape [1, 3] where the first has [1, 2]"
        );
    }

    #[test]
    fn a_batchs_outputs_are_read_row_by_row_without_the_padding() {
        let reading = Reading::Argmax { output: "p".into() };
        let scores = Tensor::new("p", vec![3, 2], Data::F32(vec![0.9, 0.1, 0.2, 0.8, 0.2, 0.8])).unwrap();
        let read = predictions_of(&reading, std::slice::from_ref(&scores), 3, 2).unwrap();
        assert_eq!(
            read,
            [
                Prediction::Class { class: 0, scores: vec![0.9, 0.1] },
                Prediction::Class { class: 1, scores: vec![0.2, 0.8] }
            ]
        );
        let value = Reading::Value { output: "p".into() };
        assert_eq!(
            predictions_of(&value, std::slice::from_ref(&scores), 3, 3).unwrap()[2],
            Prediction::Value(f64::from(0.2f32))
        );
        assert_eq!(
            predictions_of(&reading, std::slice::from_ref(&scores), 4, 4).unwrap_err(),
            "output p has shape [3, 2] for a batch of 4: its first axis is not the samples"
        );
        let one = Tensor::new("p", vec![2], Data::F32(vec![0.3, 0.7])).unwrap();
        assert_eq!(
            predictions_of(&reading, &[one], 1, 1).unwrap()[0],
            Prediction::Class { class: 1, scores: vec![0.3, 0.7] }
        );
        assert_eq!(predictions_of(&reading, &[], 2, 2).unwrap_err(), "the model gave no output named p");
    }
}
