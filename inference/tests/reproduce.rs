//! A claimed accuracy recomputed on the exact model file: scikit-learn's held-out digits (made now
//! by `evaluation_bundle.py`) read as an evaluation bundle, each sample fed through the card's
//! `io` schema and run by tract, the predictions read by argmax and scored. The observed accuracy
//! must be the one scikit-learn measured when it trained the model (`manifest.json`'s
//! `heldOutAccuracy`, rounded to 4 places); an honest claim is reproduced, an overstated one does
//! not match, with both numbers. Run in chunks through the model's free batch axis, the
//! predictions are the ones made sample by sample.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use assay_inference::card::{ClaimedMetric, DatasetRef, EvalResult, Evaluation, Feed, NamedSize, Reading, TaskRef};
use assay_inference::evaluation::{
    Batching, Bundle, BundleLimits, Chunk, Manifest, MetricKind, Outcome, Pace, Prediction, Truth, batching, observe,
    predictions_of, read, sample_inputs, stack,
};
use assay_inference::protocol::{Envelope, EvaluationRun, Request, Response};
use assay_inference::{Data, Limits, Tensor, TractSession};
use common::{card, model_bytes, model_path, python};

fn bundle(name: &str) -> Bundle {
    let dir = std::env::temp_dir().join(format!("assay-digits-bundle-{}-{name}", std::process::id()));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/evaluation_bundle.py");
    let status = Command::new(python()).arg(script).arg(&dir).status().expect("the venv's python runs");
    assert!(status.success(), "evaluation_bundle.py failed");
    let manifest =
        Manifest::from_json(&std::fs::read_to_string(dir.join("manifest.json")).unwrap(), &BundleLimits::default())
            .unwrap();
    let files: BTreeMap<String, Vec<u8>> =
        manifest.arrays.iter().map(|a| (a.at.key().to_owned(), std::fs::read(dir.join(a.at.key())).unwrap())).collect();
    let _ = std::fs::remove_dir_all(&dir);
    Bundle::new(manifest, &files).unwrap()
}

fn claim(accuracy: f64) -> EvalResult {
    EvalResult {
        task: TaskRef { kind: "image-classification".into(), name: None },
        dataset: DatasetRef {
            kind: "sklearn-digits".into(),
            name: "scikit-learn digits".into(),
            split: Some("rows 1500-1796".into()),
            revision: Some("bafkreibundle".into()),
        },
        metrics: vec![
            ClaimedMetric { kind: MetricKind::Accuracy, value: accuracy, name: None, k: None },
            ClaimedMetric { kind: MetricKind::TopKAccuracy, value: 0.0, name: None, k: Some(3) },
        ],
        evaluation: Some(Evaluation {
            bundle: "bafkreibundle".into(),
            feeds: vec![Feed { array: "pixels".into(), input: "pixels".into() }],
            truth: "digit".into(),
            read: Reading::Argmax { output: "probabilities".into() },
            tolerance: 0.001,
        }),
    }
}

#[test]
fn the_digits_models_held_out_accuracy_is_reproduced_and_an_overstated_one_is_not() {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(model_path("manifest.json")).unwrap()).unwrap();
    let measured = manifest["digits.onnx"]["heldOutAccuracy"].as_f64().unwrap();

    let bundle = bundle("reproduced");
    let card = card("digits");
    let (session, _) = TractSession::load(&model_bytes("digits.onnx"), &card.io, &Limits::default()).unwrap();
    let honest = claim(measured);
    honest.check().unwrap();
    let evaluation = honest.evaluation.as_ref().unwrap();
    let predictions: Vec<_> = (0..bundle.manifest.samples)
        .map(|i| {
            let inputs = sample_inputs(&bundle, evaluation, &card.io, i).unwrap();
            read(&evaluation.read, &session.run(&inputs).unwrap()).unwrap()
        })
        .collect();
    assert_eq!(predictions.len(), 297);
    let truth = Truth::of(&bundle, evaluation, Some(10)).unwrap();

    let observed = observe(&honest, &truth, &predictions).unwrap();
    assert!((observed[0].observed - measured).abs() < 5e-5, "observed {} vs {measured}", observed[0].observed);
    assert_eq!(observed[0].outcome, Outcome::Reproduced);
    assert!(observed[1].observed > observed[0].observed, "top-3 accuracy above top-1");

    let overstated = observe(&claim(0.95), &truth, &predictions).unwrap();
    assert_eq!((overstated[0].claimed, overstated[0].outcome), (0.95, Outcome::DoesNotMatch));
    assert_eq!(overstated[0].observed, observed[0].observed);
}

#[test]
fn a_bundle_that_does_not_fit_the_card_is_said_in_words() {
    let bundle = bundle("misfit");
    let card = card("digits");
    let mut result = claim(0.9);
    let evaluation = result.evaluation.as_mut().unwrap();
    evaluation.feeds[0].input = "image".into();
    assert_eq!(
        sample_inputs(&bundle, evaluation, &card.io, 0).unwrap_err(),
        "no array of the evaluation set feeds input pixels"
    );
    evaluation.feeds[0] = Feed { array: "digit".into(), input: "pixels".into() };
    assert_eq!(
        sample_inputs(&bundle, evaluation, &card.io, 0).unwrap_err(),
        "pixels needs 64 values (shape [1, 64]), got 1"
    );
    assert_eq!(
        Truth::of(&bundle, evaluation, Some(5)).unwrap_err(),
        "label 7 of sample 1 in digit is not one of the 5 classes"
    );
}

#[test]
fn batched_chunks_through_the_free_first_axis_give_the_one_by_one_predictions() {
    let bundle = bundle("batched");
    let mut card = card("digits");
    let result = claim(0.9);
    let evaluation = result.evaluation.as_ref().unwrap();
    let predict = |io: &assay_inference::IoSchema, batching: &Batching| {
        let (session, _) =
            TractSession::load(&model_bytes("digits.onnx"), &batching.io(io).unwrap(), &Limits::default()).unwrap();
        let (total, mut done, mut pace, mut predictions) = (bundle.manifest.samples, 0, Pace::default(), Vec::new());
        while let Some(chunk) = Chunk::next(done, total, batching.size(), pace.runs()) {
            let mut runs = 0;
            for run in chunk.runs() {
                let samples: Vec<_> = run.clone().map(|i| sample_inputs(&bundle, evaluation, io, i).unwrap()).collect();
                let inputs = stack(&samples, batching.size()).unwrap();
                let outputs = session.run(&inputs).unwrap();
                predictions.extend(predictions_of(&evaluation.read, &outputs, batching.size(), run.len()).unwrap());
                runs += 1;
            }
            pace = pace.after(runs, 1.0);
            done = chunk.samples.end;
        }
        predictions
    };
    // The repository's card fixes the batch at 1: one by one.
    assert_eq!(batching(&card.io), Batching::OneByOne);
    let one_by_one = predict(&card.io, &Batching::OneByOne);
    // The model leaves it free: named, it batches 32 at a time (297 = 9 × 32 + 9, the last padded).
    card.io.inputs[0].sizes = vec![NamedSize { axis: 0, name: "N".into() }];
    let batched = batching(&card.io);
    assert_eq!(batched, Batching::Axis { name: "N".into(), size: 32 });
    let in_batches = predict(&card.io, &batched);
    assert_eq!(in_batches.len(), 297);
    for (i, (a, b)) in one_by_one.iter().zip(&in_batches).enumerate() {
        let (Prediction::Class { class: ca, scores: sa }, Prediction::Class { class: cb, scores: sb }) = (a, b) else {
            panic!("classes expected")
        };
        assert_eq!(ca, cb, "sample {i}");
        assert!(sa.iter().zip(sb).all(|(x, y)| (x - y).abs() < 1e-5), "sample {i}: {sa:?} vs {sb:?}");
    }
}

#[test]
fn an_evaluation_chunk_crosses_the_worker_boundary_as_json() {
    let request = Envelope {
        id: 7,
        body: Request::Evaluate {
            runs: vec![EvaluationRun {
                inputs: vec![Tensor::new("pixels", vec![2, 2], Data::F32(vec![0.0, 1.0, 2.0, 3.0])).unwrap()],
                keep: 1,
            }],
            batch: 2,
            reading: Reading::Argmax { output: "probabilities".into() },
        },
    };
    assert_eq!(Envelope::<Request>::from_json(&request.to_json()).unwrap(), request);
    let response = Envelope {
        id: 7,
        body: Response::Predictions {
            predictions: vec![Prediction::Class { class: 1, scores: vec![0.25, 0.75] }, Prediction::Value(2.5)],
            millis: 3.0,
        },
    };
    assert_eq!(Envelope::<Response>::from_json(&response.to_json()).unwrap(), response);
}
