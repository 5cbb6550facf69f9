//! The hostile corpus, generated here from the real digits model and random bytes: each file is
//! refused with its own reason and message, and nothing panics.

mod common;

use assay_inference::card::IoSchema;
use assay_inference::engine::validate;
use assay_inference::report::{Limits, Refusal};
use common::{Rng, card, model_bytes};
use prost::Message;
use tract_onnx::pb;

fn digits_proto() -> pb::ModelProto {
    pb::ModelProto::decode(model_bytes("digits.onnx").as_slice()).unwrap()
}

fn encode(proto: &pb::ModelProto) -> Vec<u8> {
    proto.encode_to_vec()
}

fn io() -> IoSchema {
    card("digits").io
}

/// (what, bytes, card, limits) → the refusal, checked to be the expected variant.
fn refuse(what: &str, bytes: &[u8], io: &IoSchema, limits: &Limits, expect: fn(&Refusal) -> bool) -> String {
    let outcome = std::panic::catch_unwind(|| validate(bytes, io, limits));
    let refusal = match outcome {
        Err(_) => panic!("{what}: validation panicked"),
        Ok(Ok(_)) => panic!("{what}: accepted"),
        Ok(Err(r)) => r,
    };
    assert!(expect(&refusal), "{what}: refused for the wrong reason: {refusal:?}");
    let message = refusal.to_string();
    assert!(message.ends_with('.') && message.len() > 20, "{what}: a sentence: {message}");
    message
}

#[test]
fn the_hostile_corpus_is_refused_each_with_its_own_message() {
    let limits = Limits::default();
    let digits = model_bytes("digits.onnx");
    let mut messages = Vec::new();

    messages.push(refuse("0-byte file", &[], &io(), &limits, |r| matches!(r, Refusal::Empty)));

    let random = Rng(42).bytes(4096);
    messages.push(refuse("random bytes", &random, &io(), &limits, |r| matches!(r, Refusal::NotOnnx { .. })));

    messages.push(refuse("truncated model", &digits[..digits.len() / 2], &io(), &limits, |r| {
        matches!(r, Refusal::Truncated { .. })
    }));

    let small = Limits { max_file_bytes: 1000, ..limits };
    messages
        .push(refuse("file over the size limit", &digits, &io(), &small, |r| matches!(r, Refusal::TooLarge { .. })));

    // External data: the first weight moved to a side file.
    let mut proto = digits_proto();
    let init = &mut proto.graph.as_mut().unwrap().initializer[0];
    init.raw_data.clear();
    init.float_data.clear();
    init.data_location = Some(pb::tensor_proto::DataLocation::External as i32);
    init.external_data = vec![pb::StringStringEntryProto { key: "location".into(), value: "weights.bin".into() }];
    let message =
        refuse("external data", &encode(&proto), &io(), &limits, |r| matches!(r, Refusal::ExternalData { .. }));
    assert!(message.contains("external data"), "{message}");
    messages.push(message);

    // An operator nobody implements.
    let mut proto = digits_proto();
    let relu = proto.graph.as_mut().unwrap().node.iter_mut().find(|n| n.op_type == "Relu").unwrap();
    relu.op_type = "AssayFrobnicate".into();
    let message = refuse(
        "unknown operator",
        &encode(&proto),
        &io(),
        &limits,
        |r| matches!(r, Refusal::UnsupportedOperators { operators } if operators == &["AssayFrobnicate"]),
    );
    assert!(message.contains("AssayFrobnicate"), "{message}");
    messages.push(message);

    // Absurd dimensions: an input declared [10^12, 10^12].
    let mut proto = digits_proto();
    let input = &mut proto.graph.as_mut().unwrap().input[0];
    let Some(pb::type_proto::Value::TensorType(t)) = input.r#type.as_mut().unwrap().value.as_mut() else { panic!() };
    for d in &mut t.shape.as_mut().unwrap().dim {
        d.value = Some(pb::tensor_shape_proto::dimension::Value::DimValue(1_000_000_000_000));
    }
    messages.push(refuse(
        "absurd dimensions",
        &encode(&proto),
        &io(),
        &limits,
        |r| matches!(r, Refusal::TensorTooLarge { name, .. } if name == "pixels"),
    ));

    // A weight whose stored bytes don't fill its shape.
    let mut proto = digits_proto();
    let init = proto
        .graph
        .as_mut()
        .unwrap()
        .initializer
        .iter_mut()
        .find(|t| !t.raw_data.is_empty() || !t.float_data.is_empty())
        .unwrap();
    if init.raw_data.is_empty() {
        init.float_data.truncate(init.float_data.len() / 2);
    } else {
        let half = init.raw_data.len() / 2;
        init.raw_data.truncate(half);
    }
    messages.push(refuse("corrupt weight", &encode(&proto), &io(), &limits, |r| {
        matches!(r, Refusal::CorruptTensor { .. })
    }));

    // A card whose I/O contradicts the model: wrong input name, wrong width, wrong label count.
    let mut wrong_name = io();
    wrong_name.inputs[0].name = "image".into();
    messages
        .push(refuse("card input name", &digits, &wrong_name, &limits, |r| matches!(r, Refusal::IoMismatch { .. })));
    let mut wrong_shape = io();
    wrong_shape.inputs[0].shape = vec![1, 65];
    wrong_shape.inputs[0].kind = assay_inference::card::InputKind::Tensor;
    messages
        .push(refuse("card input shape", &digits, &wrong_shape, &limits, |r| matches!(r, Refusal::IoMismatch { .. })));
    let mut wrong_labels = io();
    if let assay_inference::card::OutputKind::Classification {
        labels: assay_inference::card::Labels::Inline(l), ..
    } = &mut wrong_labels.outputs[0].kind
    {
        l.push("ten".into());
    }
    let message =
        refuse("card label count", &digits, &wrong_labels, &limits, |r| matches!(r, Refusal::IoMismatch { .. }));
    assert!(message.contains("10 classes") && message.contains("11 labels"), "{message}");
    messages.push(message);
    let mut wrong_type = io();
    wrong_type.inputs[0].dtype = assay_inference::DType::I64;
    wrong_type.inputs[0].kind = assay_inference::card::InputKind::Tensor;
    messages
        .push(refuse("card input type", &digits, &wrong_type, &limits, |r| matches!(r, Refusal::IoMismatch { .. })));

    let mut unique = messages.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), messages.len(), "every refusal has its own message: {messages:#?}");
}

#[test]
fn random_and_mangled_files_never_panic() {
    // Many random files and random truncations/bit flips of a real model: always a refusal or a
    // valid model, never a panic.
    let digits = model_bytes("digits.onnx");
    let io = io();
    let mut rng = Rng(7);
    let mut refused = 0;
    for round in 0..200 {
        let bytes = match round % 3 {
            0 => {
                let len = (rng.next() % 2000) as usize;
                rng.bytes(len)
            }
            1 => digits[..(rng.next() as usize % digits.len())].to_vec(),
            _ => {
                let mut b = digits.clone();
                for _ in 0..4 {
                    let i = rng.next() as usize % b.len();
                    b[i] ^= 1 << (rng.next() % 8);
                }
                b
            }
        };
        match std::panic::catch_unwind(|| validate(&bytes, &io, &Limits::default())) {
            Err(_) => panic!("round {round}: validation panicked"),
            Ok(Err(_)) => refused += 1,
            // A flipped bit inside a weight is still a valid model; random bytes and
            // truncations never are.
            Ok(Ok(_)) => assert_eq!(round % 3, 2, "round {round}: a random or truncated file was accepted"),
        }
    }
    assert!(refused >= 134, "{refused} of 200 refused");
}
