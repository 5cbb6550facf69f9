//! A claimed accuracy recomputed on the exact model file: scikit-learn's held-out digits (made now
//! by `evaluation_bundle.py`) read as an evaluation bundle, each sample fed through the card's
//! `io` schema and run by tract, the predictions read by argmax and scored. The observed accuracy
//! must be the one scikit-learn measured when it trained the model (`manifest.json`'s
//! `heldOutAccuracy`, rounded to 4 places); an honest claim is reproduced, an overstated one does
//! not match, with both numbers.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use assay_inference::card::{ClaimedMetric, DatasetRef, EvalResult, Evaluation, Feed, Reading, TaskRef};
use assay_inference::evaluation::{
    Bundle, BundleLimits, Manifest, MetricKind, Outcome, Truth, observe, read, sample_inputs,
};
use assay_inference::{Limits, TractSession};
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
        manifest.arrays.iter().map(|a| (a.file.clone(), std::fs::read(dir.join(&a.file)).unwrap())).collect();
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
