//! The tract engine on the three real models against Python onnxruntime (run now, by
//! `reference.py`): every output within 1e-4, on pseudo-random inputs and on inputs made by the
//! card's own pre-processing.

mod common;

use assay_inference::card::InputKind;
use assay_inference::post::{Shown, interpret};
use assay_inference::pre::{Given, Rgba, prepare, to_tensor};
use assay_inference::{Limits, Tensor, TractSession, card::Labels};
use common::{Rng, card, model_bytes, onnxruntime};

const TOLERANCE: f64 = 1e-4;

/// Loads `file` with its card, runs each input set on tract and on onnxruntime, compares.
fn check_against_reference(card_name: &str, file: &str, input_sets: Vec<Vec<Tensor>>) -> Vec<Vec<Tensor>> {
    let card = card(card_name);
    let (session, report) =
        TractSession::load(&model_bytes(file), &card.io, &Limits::default()).expect("the model loads");
    assert!(report.opset > 0 && !report.operators.is_empty() && report.parameters > 0, "{report:?}");
    for (fact, spec) in report.inputs.iter().zip(&card.io.inputs) {
        assert_eq!(fact.resolved.as_ref(), Some(&spec.shape), "input {} resolved to the card's shape", spec.name);
    }
    let names: Vec<&str> = card.io.outputs.iter().map(|o| o.name.as_str()).collect();
    let mut all = Vec::new();
    for inputs in input_sets {
        let ours = session.run(&inputs).expect("tract runs");
        let reference = onnxruntime(file, &inputs, &names);
        assert_eq!(ours.len(), reference.len());
        for (o, r) in ours.iter().zip(&reference) {
            assert_eq!(o.name, r.name);
            assert_eq!(o.shape, r.shape, "shape of {}", o.name);
            let values = o.data.to_f64();
            assert_eq!(values.len(), r.values.len());
            let worst = values.iter().zip(&r.values).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
            assert!(worst <= TOLERANCE, "{file}: output {} differs from onnxruntime by {worst:e}", o.name);
            // Each resolved output shape in the report is the one that came out.
            let fact = report.outputs.iter().find(|f| f.name == o.name).expect("reported");
            assert_eq!(fact.resolved.as_ref(), Some(&o.shape));
        }
        all.push(ours);
    }
    all
}

fn random_inputs(card_name: &str, seed: u64) -> Vec<Tensor> {
    let card = card(card_name);
    let mut rng = Rng(seed);
    card.io
        .inputs
        .iter()
        .map(|spec| {
            let n: usize = spec.shape.iter().product();
            let values: Vec<f64> = match &spec.kind {
                // Bytes 0–255 and the padding token.
                InputKind::FileBytes { padding, .. } => (0..n)
                    .map(
                        |_| if rng.uniform(0.0, 1.0) < 0.1 { *padding as f64 } else { rng.uniform(0.0, 256.0).floor() },
                    )
                    .collect(),
                InputKind::Image(image) if image.mean.is_empty() => (0..n).map(|_| rng.uniform(0.0, 16.0)).collect(),
                _ => (0..n).map(|_| rng.uniform(-1.0, 1.0)).collect(),
            };
            to_tensor(spec, values).expect("random input")
        })
        .collect()
}

/// A white canvas with black strokes (1-pixel-wide lines scaled up), RGBA.
fn drawing(width: usize, height: usize, ink: impl Fn(usize, usize) -> bool) -> Vec<u8> {
    let mut px = Vec::with_capacity(width * height * 4);
    for y in 0..height {
        for x in 0..width {
            let v = if ink(x, y) { 0 } else { 255 };
            px.extend([v, v, v, 255]);
        }
    }
    px
}

fn top_label(card_name: &str, outputs: &[Tensor]) -> String {
    let card = card(card_name);
    let spec = &card.io.outputs[0];
    let Labels::Inline(labels) = (match &spec.kind {
        assay_inference::card::OutputKind::Classification { labels, .. } => labels.clone(),
        _ => panic!("classification"),
    }) else {
        panic!("inline labels")
    };
    match interpret(&outputs[0], spec, &labels).expect("interpret") {
        Shown::Classes { classes, .. } => classes[0].label.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn digits_matches_onnxruntime_on_random_and_drawn_inputs() {
    let card = card("digits");
    // A drawn "1": a thick vertical stroke in the middle of a 64×64 pad.
    let one = drawing(64, 64, |x, y| (28..36).contains(&x) && (6..58).contains(&y));
    let drawn = prepare(&card.io.inputs[0], Given::Image(Rgba { width: 64, height: 64, pixels: &one })).unwrap();
    let sets = vec![random_inputs("digits", 1), random_inputs("digits", 2), random_inputs("digits", 3), vec![drawn]];
    let outputs = check_against_reference("digits", "digits.onnx", sets);
    // Probabilities: each row sums to 1.
    for out in &outputs {
        let sum: f64 = out[0].data.to_f64().iter().sum();
        assert!((sum - 1.0).abs() < 1e-4, "probabilities sum to {sum}");
    }
    assert_eq!(top_label("digits", &outputs[3]), "1", "a vertical stroke reads as 1");
}

#[test]
fn text_direction_matches_onnxruntime_on_random_and_rendered_inputs() {
    let card = card("text-direction");
    // A 300×60 "text line": dark glyph-like blocks, taller on top (as ascenders), and the same
    // picture turned upside down.
    let upright = drawing(300, 60, |x, y| {
        (x / 12) % 2 == 0 && x % 12 < 8 && (if (x / 24) % 3 == 0 { 8 } else { 22 }..48).contains(&y)
    });
    let flipped: Vec<u8> = upright.chunks_exact(4).rev().flatten().copied().collect();
    let spec = &card.io.inputs[0];
    let a = prepare(spec, Given::Image(Rgba { width: 300, height: 60, pixels: &upright })).unwrap();
    let b = prepare(spec, Given::Image(Rgba { width: 300, height: 60, pixels: &flipped })).unwrap();
    check_against_reference(
        "text-direction",
        "text-direction.onnx",
        vec![random_inputs("text-direction", 7), vec![a], vec![b]],
    );
}

#[test]
fn magika_matches_onnxruntime_and_names_real_files() {
    let card = card("magika");
    let spec = &card.io.inputs[0];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_owned();
    let files = ["Cargo.toml", "inference/src/engine/mod.rs", "inference/models/setup.py"];
    let mut sets = vec![random_inputs("magika", 11)];
    for f in files {
        let bytes = std::fs::read(root.join(f)).unwrap();
        sets.push(vec![prepare(spec, Given::File(&bytes)).unwrap()]);
    }
    let outputs = check_against_reference("magika", "magika.onnx", sets);
    let labels: Vec<String> = outputs[1..].iter().map(|o| top_label("magika", o)).collect();
    assert_eq!(labels, ["toml", "rust", "python"], "magika on this repository's own files");
}

#[test]
fn validation_reports_what_passed() {
    for (name, file) in [
        ("digits", "digits.onnx"),
        ("digits-small", "digits-small.onnx"),
        ("text-direction", "text-direction.onnx"),
        ("magika", "magika.onnx"),
    ] {
        let card = card(name);
        let bytes = model_bytes(file);
        let report = assay_inference::engine::validate(&bytes, &card.io, &Limits::default()).expect("valid");
        assert_eq!(report.size_bytes, bytes.len() as u64);
        assert_eq!(report.inputs.len(), card.io.inputs.len());
        assert_eq!(
            report.outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(),
            card.io.outputs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>()
        );
        // Operator counts add up to the graph's node count (no subgraphs in these models).
        let proto = assay_inference::validate::inspect(&bytes, &Limits::default()).unwrap().proto;
        assert_eq!(report.operators.values().sum::<usize>(), proto.graph.unwrap().node.len());
    }
    let digits =
        assay_inference::engine::validate(&model_bytes("digits.onnx"), &card("digits").io, &Limits::default()).unwrap();
    // 64·32 + 32 + 32·10 + 10 weights.
    assert_eq!(digits.parameters, 64 * 32 + 32 + 32 * 10 + 10);
    assert!(digits.operators.contains_key("MatMul") && digits.operators.contains_key("Softmax"));
    assert_eq!(digits.opset, 15);
}
