//! The proposal rules on declared shapes, as the worker's inspection reports them.

use super::*;
use crate::card::ModelCard;
use crate::report::IoFact;

const DIGITS: &str = include_str!("../../../cards/digits.json");

fn fact(name: &str, dtype: &str, declared: &[&str]) -> IoFact {
    IoFact {
        name: name.into(),
        dtype: dtype.into(),
        declared: declared.iter().map(|d| d.to_string()).collect(),
        resolved: None,
        unranked: false,
    }
}

fn report(inputs: Vec<IoFact>, outputs: Vec<IoFact>) -> Report {
    Report {
        size_bytes: 1,
        ir_version: 8,
        opset: 17,
        other_opsets: vec![],
        producer: String::new(),
        operators: Default::default(),
        parameters: 0,
        inputs,
        outputs,
        control_flow: vec![],
        tract_unsupported: vec![],
    }
}

#[test]
fn a_proposed_schema_reads_pictures_and_class_scores() {
    let io = IoSchema::proposed(&report(
        vec![fact("image", "float32", &["N", "3", "224", "224"])],
        vec![fact("logits", "float32", &["N", "1000"])],
    ));
    io.check().unwrap();
    assert_eq!(io.inputs[0].shape, vec![1, 3, 224, 224]);
    let InputKind::Image(image) = &io.inputs[0].kind else { panic!("{:?}", io.inputs[0].kind) };
    assert_eq!((image.width, image.height, image.channels, image.layout), (224, 224, 3, Layout::Nchw));
    assert!((image.scale - 1.0 / 255.0).abs() < 1e-9);
    let OutputKind::Classification { labels: Labels::Inline(labels), top_k, softmax } = &io.outputs[0].kind else {
        panic!("{:?}", io.outputs[0].kind)
    };
    assert_eq!(
        (labels.len(), labels[0].as_str(), labels[999].as_str(), *top_k, *softmax),
        (1000, "0", "999", 5, false)
    );
}

#[test]
fn a_proposed_schema_types_long_or_integer_inputs_as_tensors_with_an_example() {
    let io = IoSchema::proposed(&report(
        vec![fact("features", "float32", &["batch", "300"]), fact("ids", "int64", &["1", "?"])],
        vec![fact("embedding", "float32", &["1", "4096"]), fact("label", "int64", &["1"])],
    ));
    io.check().unwrap();
    assert_eq!(io.inputs[0].shape, vec![1, 300]);
    assert_eq!(io.inputs[0].kind, InputKind::Tensor, "300 values are more than a form");
    assert_eq!(io.inputs[0].sizes, vec![NamedSize { axis: 0, name: "batch".into() }]);
    assert_eq!((io.inputs[1].dtype, io.inputs[1].shape.clone()), (DType::I64, vec![1, 1]));
    assert_eq!(io.inputs[1].sizes, vec![NamedSize { axis: 1, name: "ids[1]".into() }], "an unnamed axis is named");
    assert_eq!(io.inputs[1].example_json(), "[[0]]");
    assert!(crate::pre::json_values(&io.inputs[0].example_json()).unwrap().len() == 300);
    assert_eq!(io.outputs[0].kind, OutputKind::Tensor, "4096 values are not read as classes");
    assert_eq!(io.outputs[1].kind, OutputKind::Tensor);
}

#[test]
fn a_short_flat_float_input_is_fields_and_says_when_it_is_a_square_picture() {
    let io = IoSchema::proposed(&report(
        vec![fact("x", "float32", &["?", "64"]), fact("y", "float32", &["5"])],
        vec![fact("p", "float32", &["?", "2"])],
    ));
    io.check().unwrap();
    let InputKind::Fields { fields } = &io.inputs[0].kind else { panic!("{:?}", io.inputs[0].kind) };
    assert_eq!((fields.len(), fields[0].name.as_str(), fields[63].name.as_str()), (64, "x[0]", "x[63]"));
    assert_eq!(io.inputs[0].flat_picture_side(), Some(8));
    assert_eq!(io.inputs[1].shape, vec![5]);
    assert_eq!(io.inputs[1].flat_picture_side(), None);
    assert!(matches!(&io.inputs[1].kind, InputKind::Fields { fields } if fields.len() == 5));
}

#[test]
fn a_scalar_is_one_field_of_shape_nothing() {
    let io = IoSchema::proposed(&report(
        vec![fact("sr", "int64", &[]), fact("flag", "bool", &[])],
        vec![fact("out", "float32", &[])],
    ));
    io.check().unwrap();
    assert_eq!((io.inputs[0].shape.clone(), io.inputs[0].dtype, io.inputs[0].count()), (vec![], DType::I64, 1));
    assert!(matches!(&io.inputs[0].kind, InputKind::Fields { fields } if fields.len() == 1 && fields[0].name == "sr"));
    assert_eq!(io.inputs[0].example_json(), "0");
    assert_eq!((io.inputs[1].dtype, io.inputs[1].example_json().as_str()), (DType::Bool, "false"));
    assert_eq!(io.outputs[0].kind, OutputKind::Tensor);
}

#[test]
fn free_picture_sides_get_a_default_size_by_name() {
    let io = IoSchema::proposed(&report(
        vec![fact("x", "float32", &["?", "3", "?", "?"]), fact("img", "float32", &["N", "H", "W", "1"])],
        vec![fact("maps", "float32", &["?", "1", "?", "?"])],
    ));
    io.check().unwrap();
    assert_eq!(io.inputs[0].shape, vec![1, 3, 224, 224]);
    let names: Vec<&str> = io.inputs[0].sizes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["x[0]", "x[2]", "x[3]"]);
    let InputKind::Image(image) = &io.inputs[0].kind else { panic!("{:?}", io.inputs[0].kind) };
    assert_eq!((image.width, image.height, image.channels, image.layout), (224, 224, 3, Layout::Nchw));
    assert_eq!(io.inputs[1].shape, vec![1, 224, 224, 1]);
    assert!(matches!(&io.inputs[1].kind, InputKind::Image(i) if i.layout == Layout::Nhwc && i.channels == 1));
    assert_eq!(io.outputs[0].kind, OutputKind::Tensor);
    assert_eq!(io.sizes().get("H"), Some(&DEFAULT_PICTURE_SIDE));
}

#[test]
fn recurrent_state_is_fed_zeros_and_never_read_as_classes() {
    let io = IoSchema::proposed(&report(
        vec![
            fact("input", "float32", &["batch", "512"]),
            fact("state", "float32", &["2", "batch", "128"]),
            fact("sr", "int64", &[]),
            fact("h0", "float32", &["1", "1", "64"]),
        ],
        vec![fact("output", "float32", &["batch", "1"]), fact("stateN", "float32", &["2", "batch", "128"])],
    ));
    io.check().unwrap();
    assert_eq!(io.inputs[1].kind, InputKind::State);
    assert_eq!(io.inputs[1].shape, vec![2, 1, 128]);
    assert_eq!(io.inputs[1].size_name(1), Some("batch"));
    assert_eq!(io.inputs[3].kind, InputKind::State, "named h0");
    assert_eq!(io.inputs[0].kind, InputKind::Tensor);
    assert_eq!(io.outputs[1].kind, OutputKind::Tensor, "a state of 128 is not 128 classes");
    assert!(is_state_like("stateN", "float32", &["2".into(), "?".into(), "128".into()]));
    assert!(is_state_like("lstm_c0", "float32", &["1".into(), "1".into()]));
    assert!(!is_state_like("image", "float32", &["3".into(), "H".into(), "W".into()]), "a picture without batch");
    assert_eq!(words("stateN"), ["state", "n"]);
    assert_eq!(words("lstm_h0"), ["lstm", "h0"]);
    assert!(!is_state_like("logits", "float32", &["N".into(), "10".into()]));
    assert!(!is_state_like("state", "int64", &["1".into()]), "only float tensors");
}

#[test]
fn class_scores_are_read_on_the_axis_whose_size_matches() {
    let io = IoSchema::proposed(&report(
        vec![fact("data", "float32", &["1", "3", "224", "224"])],
        vec![
            fact("squeezenet0_flatten0_reshape0", "float32", &["1", "1000", "1", "1"]),
            fact("boxes", "float32", &["1", "20", "6"]),
            fact("seg", "float32", &["1", "21", "?", "?"]),
        ],
    ));
    io.check().unwrap();
    assert!(
        matches!(&io.outputs[0].kind, OutputKind::Classification { labels: Labels::Inline(l), .. } if l.len() == 1000)
    );
    assert_eq!(io.outputs[1].kind, OutputKind::Tensor, "two non-singleton axes are not classes");
    assert_eq!(io.outputs[2].kind, OutputKind::Tensor, "free axes after the batch may be large: a map, not classes");
}

#[test]
fn the_seeded_digits_model_gets_its_ten_classes_proposed() {
    // As the worker inspects inference/models' digits.onnx: pixels [N, 64], probabilities [N, 10].
    let io = IoSchema::proposed(&report(
        vec![fact("pixels", "float32", &["N", "64"])],
        vec![fact("probabilities", "float32", &["N", "10"])],
    ));
    let digits: ModelCard = serde_json::from_str(DIGITS).unwrap();
    assert_eq!(io.inputs[0].shape, digits.io.inputs[0].shape);
    assert_eq!(io.inputs[0].flat_picture_side(), Some(8), "the page can offer its drawing pad");
    let OutputKind::Classification { labels, .. } = &io.outputs[0].kind else { panic!() };
    let OutputKind::Classification { labels: seeded, .. } = &digits.io.outputs[0].kind else { panic!() };
    assert_eq!(labels, seeded);
}
