//! The card step's evaluation set: set up from the card's `io`, claims only computed figures, says what to fix.

use assay_inference::ModelCard;
use assay_inference::card::Provenance;

use super::super::test_support::{DIGITS_CARD, paths};
use super::*;

/// A bundle as `inference/tests/evaluation_bundle.py` writes the digits one: 3 samples here.
const DIGITS_BUNDLE: &str = r#"{"version": 1, "samples": 3, "arrays": [
    {"name": "digit", "file": "digit.bin", "dtype": "i64", "shape": [3]},
    {"name": "features", "file": "pixels.bin", "dtype": "f32", "shape": [3, 64]}
], "labels": ["0","1","2","3","4","5","6","7","8","9"], "licence": "BSD-3-Clause", "source": "scikit-learn digits"}"#;

fn digits() -> (Draft, IoSchema) {
    let card: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
    let mut draft = Draft::default();
    draft.fill_from_card(&card);
    draft.file = Some(DraftFile { name: "digits.onnx".into(), size: 10, cid: cid_of(b"model") });
    (draft, card.io)
}

fn files() -> Vec<DraftFile> {
    vec![
        DraftFile { name: "digit.bin".into(), size: 24, cid: cid_of(b"digit") },
        DraftFile { name: "pixels.bin".into(), size: 768, cid: cid_of(b"pixels") },
    ]
}

fn dropped() -> (Draft, IoSchema) {
    let (mut draft, io) = digits();
    draft.evaluation.take_bundle(DIGITS_BUNDLE.into(), files(), Some(&io));
    (draft, io)
}

#[test]
fn a_dropped_bundle_is_set_up_from_the_cards_io() {
    let (draft, _) = dropped();
    let evaluation = &draft.evaluation;
    // Fed by size (64 values a sample), the truth the other array, argmax over the classes.
    assert_eq!(evaluation.feeds, [Feed { array: "features".into(), input: "pixels".into() }]);
    assert_eq!(evaluation.truth, "digit");
    assert_eq!((evaluation.reading, evaluation.output.as_str()), (ReadingKind::Argmax, "probabilities"));
    assert_eq!(evaluation.metrics, [MetricChoice { kind: MetricKind::Accuracy, k: None }]);
    // An array named as the input wins over one of its size; a regression output reads values.
    let manifest = Manifest::from_json(
        &DIGITS_BUNDLE.replace("\"digit\", \"file\"", "\"pixels\", \"file\"").replace("[3]}", "[3, 64]}"),
        &BundleLimits::default(),
    )
    .unwrap();
    let mut io = digits().1;
    io.outputs[0].kind = OutputKind::Regression { names: vec![], unit: None };
    let mut fields = EvaluationFields::default();
    fields.default_setup(&manifest, &io);
    assert_eq!(fields.feeds, [Feed { array: "pixels".into(), input: "pixels".into() }]);
    assert_eq!(fields.truth, "features");
    assert_eq!(fields.reading, ReadingKind::Value);
    assert_eq!(fields.metrics.iter().map(|m| m.kind).collect::<Vec<_>>(), [MetricKind::Mae, MetricKind::Rmse]);
}

#[test]
fn the_card_claims_only_figures_computed_on_this_file_and_set_up() {
    let (mut draft, io) = dropped();
    assert_eq!(paths(&draft.check_evaluation()), ["evaluation.computed"]);
    assert!(draft.card(io.clone(), &cid_of(b"model")).results.is_empty(), "nothing computed: nothing claimed");
    let setup = draft.evaluation.setup(&io).unwrap();
    draft.evaluation.record(cid_of(b"model"), io.clone(), setup.clone(), vec![0.9533]);
    assert!(draft.check_evaluation().is_empty());
    // Kept across a reload.
    let draft = Draft::from_json(&draft.to_json()).unwrap();
    let card = draft.card(io.clone(), &cid_of(b"model"));
    let result = &card.results[0];
    assert_eq!(result.provenance(), Provenance::Reproducible);
    assert_eq!((result.metrics[0].kind, result.metrics[0].value), (MetricKind::Accuracy, 0.9533));
    let (published, bundle) = draft.evaluation.published().unwrap();
    assert_eq!(bundle, cid_of(published.to_json().as_bytes()));
    assert_eq!(published.cids().unwrap(), [cid_of(b"digit").to_string(), cid_of(b"pixels").to_string()]);
    let evaluation = result.evaluation.as_ref().unwrap();
    assert_eq!(evaluation.bundle, bundle.to_string());
    assert_eq!(result.dataset.revision.as_deref(), Some(bundle.to_string().as_str()));
    assert_eq!((evaluation.truth.as_str(), evaluation.tolerance), ("digit", 0.001));
    assert_eq!(result.task.kind, "image-classification");
    result.check().unwrap();
    // Another model file, another set-up or another bundle: the figure is no longer claimed.
    let mut other_file = draft.clone();
    other_file.file.as_mut().unwrap().cid = cid_of(b"other model");
    assert_eq!(paths(&other_file.check_evaluation()), ["evaluation.computed"]);
    assert!(other_file.card(io.clone(), &cid_of(b"x")).results.is_empty());
    let mut other_io = io.clone();
    other_io.inputs[0].kind = InputKind::Tensor;
    assert!(draft.card(other_io, &cid_of(b"model")).results.is_empty(), "another I/O schema feeds other values");
    let mut other_metrics = draft.clone();
    other_metrics.evaluation.metrics.push(MetricChoice { kind: MetricKind::F1, k: None });
    assert!(other_metrics.card(io.clone(), &cid_of(b"model")).results.is_empty());
    let mut other_bundle = draft.clone();
    other_bundle.evaluation.files[0].cid = cid_of(b"other digits");
    assert!(other_bundle.card(io.clone(), &cid_of(b"model")).results.is_empty());
    // Dropping a bundle again forgets the figures; the tolerance may change without them.
    let mut looser = draft.clone();
    looser.evaluation.tolerance = "0.01".into();
    assert_eq!(looser.card(io.clone(), &cid_of(b"model")).results[0].evaluation.as_ref().unwrap().tolerance, 0.01);
    let mut again = draft;
    again.evaluation.take_bundle(DIGITS_BUNDLE.into(), files(), Some(&io));
    assert!(again.evaluation.computed.is_none());
}

#[test]
fn a_typed_figure_without_a_bundle_stays_self_reported() {
    let (mut draft, io) = digits();
    draft.card.metrics = vec![super::super::MetricFields { name: "accuracy".into(), value: "0.99".into() }];
    assert!(draft.check_evaluation().is_empty(), "no evaluation set: nothing to compute");
    let card = draft.card(io, &cid_of(b"model"));
    assert!(card.results.is_empty());
    assert_eq!(card.metrics[0].value, "0.99");
    draft.evaluation.take_bundle(DIGITS_BUNDLE.into(), files(), None);
    draft.evaluation.remove();
    assert!(!draft.evaluation.is_set());
}

#[test]
fn a_set_up_that_cannot_be_computed_says_what_to_fix() {
    let (mut draft, io) = dropped();
    let evaluation = &mut draft.evaluation;
    evaluation.feeds.clear();
    evaluation.truth = "nothing".into();
    evaluation.output = "logits".into();
    evaluation.reading = ReadingKind::Threshold;
    evaluation.threshold = "half".into();
    evaluation.tolerance = "-1".into();
    evaluation.metrics = vec![
        MetricChoice { kind: MetricKind::Rmse, k: None },
        MetricChoice { kind: MetricKind::TopKAccuracy, k: None },
    ];
    let errors = draft.check_evaluation();
    assert_eq!(
        paths(&errors),
        [
            "evaluation.feeds",
            "evaluation.truth",
            "evaluation.output",
            "evaluation.threshold",
            "evaluation.metrics",
            "evaluation.metrics",
            "evaluation.tolerance"
        ]
    );
    assert_eq!(errors[0].message, "Choose the array of the evaluation set that feeds input pixels.");
    assert_eq!(errors[4].message, "Rmse can't be computed from predictions read as classes.");
    draft.evaluation.feeds = vec![Feed { array: "digit".into(), input: "pixels".into() }];
    draft.evaluation.truth = "digit".into();
    assert!(draft.check_evaluation().iter().any(|e| e.message == "The true answers can't also be a model input."));
    // A manifest that is not one, or a file the folder lacked, is the bundle's problem.
    let mut broken = Draft::default();
    broken.evaluation.take_bundle("{\"version\": 1".into(), vec![], Some(&io));
    assert!(
        broken
            .evaluation
            .manifest()
            .unwrap_err()
            .message
            .starts_with("The evaluation set's manifest is not valid JSON")
    );
    let mut missing = dropped().0;
    missing.evaluation.files.pop();
    assert_eq!(
        missing.evaluation.published().unwrap_err().message,
        "The file pixels.bin of the evaluation set was not uploaded."
    );
    assert_eq!(
        paths(&Draft { evaluation: missing.evaluation, io: String::new(), ..Draft::default() }.check_evaluation()),
        ["evaluation.bundle"]
    );
}

#[test]
fn dataset_names_make_model_index_types() {
    assert_eq!(slug("Digits, held out (30 %)"), "digits-held-out-30");
    assert_eq!(slug(""), "");
}
