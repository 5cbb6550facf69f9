//! The tract engine on generated models of common architectures (`inference/models/
//! architectures.py`: a conv net, a transformer encoder, an LSTM, a GRU) against Python
//! onnxruntime, run now by `reference.py`: every output within 1e-4 (relative above 1), on two
//! pseudo-random inputs each. The transformer's two GELUs (erf and jax2tf's tanh form) go through
//! the engine's rewrites, so this also holds them to onnxruntime.

mod common;

use assay_inference::{Limits, Tensor, TractSession};
use common::{Rng, card, model_bytes, onnxruntime};

const TOLERANCE: f64 = 1e-4;

fn check(name: &str) {
    let card = card(&format!("architectures/{name}"));
    let file = format!("arch-{name}.onnx");
    let (session, report) =
        TractSession::load(&model_bytes(&file), &card.io, &Limits::default()).expect("the model loads");
    let outputs: Vec<&str> = card.io.outputs.iter().map(|o| o.name.as_str()).collect();
    for seed in [1, 2] {
        let mut rng = Rng(seed);
        let inputs: Vec<Tensor> = card
            .io
            .inputs
            .iter()
            .map(|spec| {
                let values: Vec<f32> = (0..spec.count()).map(|_| rng.uniform(-2.0, 2.0) as f32).collect();
                Tensor::new(&spec.name, spec.shape.clone(), assay_inference::Data::F32(values)).expect("input")
            })
            .collect();
        let ours = session.run(&inputs).expect("tract runs");
        let reference = onnxruntime(&file, &inputs, &outputs);
        for (o, r) in ours.iter().zip(&reference) {
            assert_eq!(o.shape, r.shape, "{file}: shape of {}", o.name);
            let worst = o
                .data
                .to_f64()
                .iter()
                .zip(&r.values)
                .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
                .fold(0.0, f64::max);
            assert!(worst <= TOLERANCE, "{file}: output {} differs from onnxruntime by {worst:e}", o.name);
        }
        let resolved = report.outputs[0].resolved.as_ref().expect("resolved");
        assert_eq!(resolved, &ours[0].shape);
    }
}

#[test]
fn a_conv_net_with_batch_norm_and_pooling_matches_onnxruntime() {
    check("conv");
}

#[test]
fn a_transformer_encoder_with_both_gelu_forms_matches_onnxruntime() {
    check("transformer");
}

#[test]
fn an_lstm_matches_onnxruntime() {
    check("lstm");
}

#[test]
fn a_gru_matches_onnxruntime() {
    check("gru");
}

/// The engine's own rewrites (a one-hot dense layer as a lookup, GELU spelt out as one op) find
/// what they are for, and only that: magika's byte embedding and its two tanh GELUs, the
/// transformer's tanh GELU (its erf GELU is tract's own), nothing in the conv net.
#[test]
fn the_rewrites_apply_where_their_patterns_are() {
    for (card_name, file, expected) in [
        ("magika", "magika.onnx", 3),
        ("architectures/transformer", "arch-transformer.onnx", 1),
        ("architectures/conv", "arch-conv.onnx", 0),
    ] {
        let card = card(card_name);
        let (session, _) = TractSession::load(&model_bytes(file), &card.io, &Limits::default()).expect("loads");
        assert_eq!(session.rewrites(), expected, "{file}");
    }
}

/// Indices outside the one-hot's range have an all-zero one-hot row: the lookup gives the zero row
/// for them, as the product did (onnxruntime computes the product).
#[test]
fn magika_with_indices_outside_the_one_hot_range_matches_onnxruntime() {
    let card = card("magika");
    let (session, _) =
        TractSession::load(&model_bytes("magika.onnx"), &card.io, &Limits::default()).expect("the model loads");
    let spec = &card.io.inputs[0];
    let mut rng = Rng(7);
    let values: Vec<i32> = (0..spec.count()).map(|_| rng.uniform(-40.0, 300.0).floor() as i32).collect();
    assert!(values.iter().any(|&v| v < 0) && values.iter().any(|&v| v > 256));
    let inputs = vec![Tensor::new(&spec.name, spec.shape.clone(), assay_inference::Data::I32(values)).expect("input")];
    let ours = session.run(&inputs).expect("tract runs");
    let outputs: Vec<&str> = card.io.outputs.iter().map(|o| o.name.as_str()).collect();
    let reference = onnxruntime("magika.onnx", &inputs, &outputs);
    let worst = ours[0].data.to_f64().iter().zip(&reference[0].values).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
    assert!(worst <= TOLERANCE, "differs from onnxruntime by {worst:e}");
}
