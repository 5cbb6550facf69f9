//! Pre- and post-processing maths on small fixtures worked out by hand, and the card schema.

mod common;

use assay_inference::card::{ChannelOrder, ImageSpec, IoSchema, Layout, Resize};
use assay_inference::post::{Shown, interpret, softmax, top_k};
use assay_inference::pre::{Rgba, file_byte_values, image_values, json_values, resample_area, to_tensor};
use assay_inference::tensor::{Data, Tensor, max_abs_diff};

fn image(channels: usize, layout: Layout, w: usize, h: usize) -> ImageSpec {
    ImageSpec {
        width: w,
        height: h,
        channels,
        layout,
        channel_order: ChannelOrder::Rgb,
        resize: Resize::Stretch,
        scale: 1.0,
        mean: vec![],
        std: vec![],
        invert: false,
    }
}

#[test]
fn area_resampling_averages_exactly() {
    // 4×2 → 2×1: each output is the mean of a 2×2 block.
    let src = [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0];
    assert_eq!(resample_area(&src, 4, 2, 2, 1), vec![(0.0 + 2.0 + 8.0 + 10.0) / 4.0, (4.0 + 6.0 + 12.0 + 14.0) / 4.0]);
    // 3 → 2 wide: fractional coverage, output 0 = (1·a + 0.5·b)/1.5.
    let out = resample_area(&[3.0, 6.0, 9.0], 3, 1, 2, 1);
    assert!(
        (out[0] - (3.0 + 0.5 * 6.0) / 1.5).abs() < 1e-6 && (out[1] - (0.5 * 6.0 + 9.0) / 1.5).abs() < 1e-6,
        "{out:?}"
    );
    // Same size: identity.
    assert_eq!(resample_area(&src, 4, 2, 4, 2), src.to_vec());
}

#[test]
fn image_layouts_channel_order_and_normalisation() {
    // A 2×1 picture: red, then green.
    let pixels = [255, 0, 0, 255, 0, 255, 0, 255];
    let picture = Rgba { width: 2, height: 1, pixels: &pixels };
    // Planes R, G, B one after the other…
    assert_eq!(image_values(&picture, &image(3, Layout::Nchw, 2, 1)).unwrap(), vec![255.0, 0.0, 0.0, 255.0, 0.0, 0.0]);
    // …or pixels one after the other.
    assert_eq!(image_values(&picture, &image(3, Layout::Nhwc, 2, 1)).unwrap(), vec![255.0, 0.0, 0.0, 0.0, 255.0, 0.0]);
    let mut bgr = image(3, Layout::Nhwc, 2, 1);
    bgr.channel_order = ChannelOrder::Bgr;
    assert_eq!(image_values(&picture, &bgr).unwrap(), vec![0.0, 0.0, 255.0, 0.0, 255.0, 0.0]);
    // (x·scale − mean)/std per channel.
    let mut norm = image(3, Layout::Nchw, 2, 1);
    norm.scale = 1.0 / 255.0;
    norm.mean = vec![0.5, 0.5, 0.5];
    norm.std = vec![0.5, 0.25, 0.5];
    assert_eq!(image_values(&picture, &norm).unwrap(), vec![1.0, -1.0, -2.0, 2.0, -1.0, -1.0]);
}

#[test]
fn grey_invert_transparency_and_padding() {
    // Grey is luminance; a transparent pixel is white; invert maps white to 0.
    let pixels = [0, 0, 0, 255, 255, 255, 255, 255, 10, 20, 30, 0];
    let picture = Rgba { width: 3, height: 1, pixels: &pixels };
    let mut grey = image(1, Layout::Nchw, 3, 1);
    grey.invert = true;
    grey.scale = 16.0 / 255.0;
    let v = image_values(&picture, &grey).unwrap();
    assert!((v[0] - 16.0).abs() < 1e-4 && v[1].abs() < 1e-4 && v[2].abs() < 1e-4, "{v:?}");
    // Fit height, pad right: a 2×2 picture into 4 wide × 2 high keeps 2 columns, pads 2 with 0
    // after normalisation (here (255/255 − 0.5)/0.5 = 1 for white).
    let white = [255u8; 16];
    let mut fit = image(1, Layout::Nchw, 4, 2);
    fit.resize = Resize::FitHeightPadRight;
    fit.scale = 1.0 / 255.0;
    fit.mean = vec![0.5];
    fit.std = vec![0.5];
    let v = image_values(&Rgba { width: 2, height: 2, pixels: &white }, &fit).unwrap();
    assert_eq!(v, vec![1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
    assert!(image_values(&Rgba { width: 2, height: 2, pixels: &white[..8] }, &fit).is_err(), "incomplete pixels");
}

#[test]
fn file_byte_features_strip_whitespace_and_pad() {
    let bytes = b"  \n\tabc def \n ";
    // begin 4: "abc " (leading whitespace stripped); end 5: padding then "c def".
    let v = file_byte_values(bytes, 4, 5, 256, 4096);
    let expect: Vec<f64> =
        b"abc ".iter().map(|&b| f64::from(b)).chain(b"c def".iter().map(|&b| f64::from(b))).collect();
    assert_eq!(v, expect);
    let short = file_byte_values(b"ab", 4, 4, 256, 4096);
    assert_eq!(short, vec![97.0, 98.0, 256.0, 256.0, 256.0, 256.0, 97.0, 98.0]);
    // Only the first/last `block` bytes are looked at.
    let long: Vec<u8> = (100..110u8).collect();
    assert_eq!(file_byte_values(&long, 2, 2, 256, 3), vec![100.0, 101.0, 108.0, 109.0]);
    // Byte 9 is a tab: whitespace at the end is stripped before the last bytes are taken.
    let tabbed: Vec<u8> = (0..10u8).collect();
    assert_eq!(file_byte_values(&tabbed, 2, 2, 256, 3), vec![0.0, 1.0, 7.0, 8.0]);
    assert_eq!(file_byte_values(b"   ", 2, 2, 256, 4096), vec![256.0; 4], "whitespace only");
}

#[test]
fn json_and_typed_conversion() {
    assert_eq!(json_values("[[1, 2], [3.5, -4]]").unwrap(), vec![1.0, 2.0, 3.5, -4.0]);
    assert!(json_values("[1, \"a\"]").unwrap_err().contains("expected numbers"));
    assert!(json_values("{").unwrap_err().contains("not valid JSON"));
    let io = common::card("magika").io;
    let spec = &io.inputs[0];
    assert!(to_tensor(spec, vec![1.0; 3]).unwrap_err().contains("needs 2048 values"));
    let mut values = vec![0.0; 2048];
    values[5] = 0.5;
    assert!(to_tensor(spec, values.clone()).unwrap_err().contains("whole numbers"));
    values[5] = 7.0;
    let t = to_tensor(spec, values).unwrap();
    assert_eq!(t.shape, vec![1, 2048]);
    assert!(matches!(&t.data, Data::I32(v) if v[5] == 7));
}

#[test]
fn softmax_top_k_and_interpretation() {
    let p = softmax(&[1.0, 2.0, 3.0]);
    let e = [1f64.exp(), 2f64.exp(), 3f64.exp()];
    let sum: f64 = e.iter().sum();
    for (a, b) in p.iter().zip(e) {
        assert!((f64::from(*a) - b / sum).abs() < 1e-7);
    }
    // Large scores don't overflow.
    let big = softmax(&[1000.0, 1000.0]);
    assert_eq!(big, vec![0.5, 0.5]);
    let labels: Vec<String> = ["a", "b", "c", "d"].map(String::from).to_vec();
    let top = top_k(&[0.1, 0.4, 0.4, 0.1], &labels, 3);
    assert_eq!(top.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["b", "c", "a"], "ties keep index order");

    let io = common::card("digits").io;
    let scores =
        Tensor::new("probabilities", vec![1, 10], Data::F32((0..10).map(|i| i as f32 / 45.0).collect())).unwrap();
    let labels: Vec<String> = (0..10).map(|i| i.to_string()).collect();
    match interpret(&scores, &io.outputs[0], &labels).unwrap() {
        Shown::Classes { classes, .. } => {
            assert_eq!(classes.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["9", "8", "7"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(interpret(&scores, &io.outputs[0], &labels[..9]).unwrap_err().contains("10 classes"));
}

#[test]
fn max_abs_diff_compares_shapes_and_nans() {
    let a = Tensor::new("y", vec![2], Data::F32(vec![1.0, 2.0])).unwrap();
    let b = Tensor::new("y", vec![2], Data::F32(vec![1.0, 2.5])).unwrap();
    assert_eq!(max_abs_diff(&a, &b).unwrap(), 0.5);
    let nan = Tensor::new("y", vec![2], Data::F32(vec![f32::NAN, 2.0])).unwrap();
    assert_eq!(max_abs_diff(&a, &nan).unwrap(), f64::INFINITY);
    let c = Tensor::new("y", vec![1, 2], Data::F32(vec![1.0, 2.0])).unwrap();
    assert!(max_abs_diff(&a, &c).is_err());
    assert!(Tensor::new("y", vec![3], Data::F32(vec![1.0])).is_err());
}

#[test]
fn the_cards_parse_and_the_schema_refuses_mistakes() {
    for name in ["digits", "digits-small", "text-direction", "magika"] {
        let card = common::card(name);
        card.io.check().unwrap_or_else(|e| panic!("{name}: {e}"));
        // Round trip.
        let text = serde_json::to_string(&card.io).unwrap();
        assert_eq!(IoSchema::from_json(&text).unwrap(), card.io);
    }
    let good = serde_json::to_value(&common::card("digits").io).unwrap();
    let with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v = good.clone();
        f(&mut v);
        IoSchema::from_json(&v.to_string()).unwrap_err().to_string()
    };
    assert!(with(&|v| v["version"] = 2.into()).contains("version 2"));
    assert!(with(&|v| v["inputs"][0]["colour"] = true.into()).contains("unknown field"));
    assert!(with(&|v| v["inputs"][0]["width"] = 9.into()).contains("holds 64"));
    assert!(with(&|v| v["inputs"][0]["channels"] = 2.into()).contains("1 or 3 channels"));
    assert!(with(&|v| v["outputs"] = serde_json::json!([])).contains("at least one"));
    assert!(with(&|v| v["inputs"][0]["kind"] = "sound".into()).contains("not valid JSON"));
}

#[test]
fn worker_messages_round_trip_as_json() {
    use assay_inference::protocol::{Envelope, Request, Response};
    use assay_inference::report::Refusal;
    let io = common::card("digits").io;
    let t = Tensor::new("pixels", vec![1, 64], Data::F32(vec![0.5; 64])).unwrap();
    for body in [
        Request::Load { io: io.clone(), digest: None },
        Request::Load { io: io.clone(), digest: Some("ab".repeat(32)) },
        Request::Validate { io, digest: None },
        Request::Run { inputs: vec![t.clone()] },
        Request::Bench { inputs: vec![t.clone()], runs: 3 },
    ] {
        let e = Envelope { id: 7, body };
        assert_eq!(Envelope::<Request>::from_json(&e.to_json()).unwrap(), e);
    }
    for body in [
        Response::Started,
        Response::Refused { refusal: Refusal::UnsupportedOperators { operators: vec!["X".into()] } },
        Response::Outputs { outputs: vec![t], millis: 1.5 },
        Response::Timings { millis: vec![1.0, 2.0] },
        Response::Failed { message: "boom".into() },
    ] {
        let e = Envelope { id: 0, body };
        assert_eq!(Envelope::<Response>::from_json(&e.to_json()).unwrap(), e);
    }
    // The loader's hand-written failure message (inference/worker/assay-tract-worker-loader.js).
    let from_loader = r#"{"id":0,"body":{"type":"failed","message":"bad wasm"}}"#;
    assert_eq!(
        Envelope::<Response>::from_json(from_loader).unwrap().body,
        Response::Failed { message: "bad wasm".into() }
    );
    assert!(Envelope::<Request>::from_json("{}").unwrap_err().contains("bad worker message"));
}
