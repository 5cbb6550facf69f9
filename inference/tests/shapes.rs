//! The corpus of model shapes made by `shapes.py` at test time (scalars, `If`, `Loop`, free picture
//! sides, `[N, C, 1, 1]` scores, several inputs and outputs, int64 and bool, recurrent state): for
//! each, the proposed schema is what `card::proposed` promises, it passes the checks, and the model
//! either runs on tract equal to onnxruntime (≤ 1e-4) or is refused by tract with a sentence while
//! Python onnxruntime runs it — so the verdict says onnxruntime-web (wasm) runs it.

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use assay_inference::card::{DEFAULT_PICTURE_SIDE, InputKind, IoSchema, Labels, Layout, OutputKind};
use assay_inference::post::{Shown, interpret};
use assay_inference::pre::synthetic;
use assay_inference::report::Refusal;
use assay_inference::validate::inspect;
use assay_inference::verdict::{Choice, Engine, Gpu, Preference, Verdict, choose_engine};
use assay_inference::{DType, Limits, Report, Tensor, TractSession};
use common::{onnxruntime, python};

const TOLERANCE: f64 = 1e-4;

/// The corpus folder, generated once per test run.
fn corpus() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shapes");
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("shapes.py");
        let out = Command::new(python()).arg(&script).arg(&dir).output().expect("shapes.py");
        assert!(out.status.success(), "shapes.py failed: {}", String::from_utf8_lossy(&out.stderr));
        dir
    })
}

fn path(model: &str) -> String {
    corpus().join(format!("{model}.onnx")).to_string_lossy().into_owned()
}

/// The model's bytes, its inspection report and the schema proposed from it (checked).
fn proposed(model: &str) -> (Vec<u8>, Report, IoSchema) {
    let bytes = std::fs::read(path(model)).expect("generated");
    let report =
        inspect(&bytes, &Limits::default()).unwrap_or_else(|r| panic!("{model}: inspection refused: {r}")).report;
    let io = IoSchema::proposed(&report);
    io.check().unwrap_or_else(|e| panic!("{model}: the proposed schema fails its own checks: {e}"));
    let json = serde_json::to_string(&io).unwrap();
    assert_eq!(IoSchema::from_json(&json).unwrap(), io, "{model}: the schema reads back the same");
    (bytes, report, io)
}

/// What tract is expected to do with a model.
enum Expect {
    /// Load and match onnxruntime.
    Runs,
    /// Refuse: the refusal matches and its sentence contains these words.
    Refuses(fn(&Refusal) -> bool, &'static [&'static str]),
}

/// One input set made from the schema (synthetic values; states zeros).
fn inputs(io: &IoSchema, seed: u64) -> Vec<Tensor> {
    io.inputs.iter().enumerate().map(|(i, spec)| synthetic(spec, seed + i as u64).expect("synthetic input")).collect()
}

fn assert_close(model: &str, ours: &[Tensor], reference: &[common::Reference]) {
    assert_eq!(ours.len(), reference.len());
    for (o, r) in ours.iter().zip(reference) {
        assert_eq!((&o.name, &o.shape), (&r.name, &r.shape), "{model}: output {}", o.name);
        let worst = o.data.to_f64().iter().zip(&r.values).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(worst <= TOLERANCE, "{model}: output {} differs from onnxruntime by {worst:e}", o.name);
    }
}

/// Runs `model` with `io` through tract (and onnxruntime), as `expect` says; the verdict.
fn verdict_of(model: &str, report: &Report, io: &IoSchema, expect: Expect) -> (Verdict, Vec<Tensor>) {
    let bytes = std::fs::read(path(model)).unwrap();
    let names: Vec<&str> = io.outputs.iter().map(|o| o.name.as_str()).collect();
    let fed = inputs(io, 11);
    let verdict = Verdict::from_report(report);
    match (TractSession::load(&bytes, io, &Limits::default()), expect) {
        (Ok((session, _)), Expect::Runs) => {
            let ours = session.run(&fed).unwrap_or_else(|e| panic!("{model}: tract run: {e}"));
            assert_close(model, &ours, &onnxruntime(&path(model), &fed, &names));
            (verdict.with_tract(Ok(())), ours)
        }
        (Err(refusal), Expect::Refuses(matches, words)) => {
            assert!(matches(&refusal), "{model}: refused for another reason: {refusal:?}");
            let sentence = refusal.to_string();
            for word in words {
                assert!(sentence.contains(word), "{model}: {sentence:?} should say {word:?}");
            }
            for internal in ["#", "Sym(", "Val(", "unify", "TDim", "analyse"] {
                assert!(!sentence.contains(internal), "{model}: tract's internals in {sentence:?}");
            }
            assert!(sentence.ends_with('.'), "{sentence}");
            let verdict = verdict.with_tract(Err(&refusal));
            assert_eq!(verdict.to_try(), [Engine::OrtWasm], "{model}: tract's own refusal: try onnxruntime-web");
            // onnxruntime (Python, as onnxruntime-web's wasm would) runs it with the same inputs.
            let reference = onnxruntime(&path(model), &fed, &names);
            assert_eq!(reference.len(), names.len());
            (verdict.with_ort(Engine::OrtWasm, Ok(())), Vec::new())
        }
        (Ok(_), Expect::Refuses(..)) => panic!("{model}: tract was expected to refuse it"),
        (Err(r), Expect::Runs) => panic!("{model}: tract refused it: {r} ({r:?})"),
    }
}

fn cpu(engine: Engine) -> Option<Choice> {
    Some(Choice { engine, cross_check: None })
}

#[test]
fn the_standard_operator_lists_are_onnxs() {
    use assay_inference::validate::operators::{ONNX_ML_OPERATORS, ONNX_OPERATORS};
    let script = "import onnx.defs as d\nfor dom in ('', 'ai.onnx.ml'):\n print(' '.join(sorted({s.name for s in d.get_all_schemas_with_history() if s.domain == dom})))";
    let out = Command::new(python()).args(["-c", script]).output().expect("python");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap().split(' ').collect::<Vec<_>>(), ONNX_OPERATORS);
    assert_eq!(lines.next().unwrap().split(' ').collect::<Vec<_>>(), ONNX_ML_OPERATORS);
}

#[test]
fn a_scalar_input_is_one_field_of_shape_nothing_and_runs_on_tract() {
    let (_, report, io) = proposed("scalar");
    assert_eq!(
        (io.inputs[1].name.as_str(), io.inputs[1].shape.clone(), io.inputs[1].dtype),
        ("sr", vec![], DType::I64)
    );
    assert!(matches!(&io.inputs[1].kind, InputKind::Fields { fields } if fields.len() == 1));
    assert!(matches!(&io.inputs[0].kind, InputKind::Fields { fields } if fields.len() == 16));
    assert_eq!(io.inputs[0].size_name(0), Some("batch"));
    let (verdict, _) = verdict_of("scalar", &report, &io, Expect::Runs);
    assert!(verdict.accepted());
    assert_eq!(choose_engine(&verdict, Gpu::None, Preference::Auto), cpu(Engine::Tract));
}

#[test]
fn ranks_are_compared_a_scalar_is_not_one_value_in_an_array() {
    let (bytes, _, io) = proposed("scalar");
    let mut as_array = io.clone();
    as_array.inputs[1].shape = vec![1];
    let refusal = TractSession::load(&bytes, &as_array, &Limits::default()).err().expect("refused");
    assert!(matches!(refusal, Refusal::IoMismatch { .. }), "{refusal:?}");
    assert!(
        refusal.to_string().contains("input sr is a scalar in the model (shape []), but the card gives it shape [1]")
    );
    let mut as_scalar = io.clone();
    as_scalar.inputs[0].shape = vec![];
    as_scalar.inputs[0].sizes.clear();
    as_scalar.inputs[0].kind = InputKind::Tensor;
    let refusal = TractSession::load(&bytes, &as_scalar, &Limits::default()).err().expect("refused");
    assert!(
        refusal
            .to_string()
            .contains("input x has shape [batch, 16] in the model, but the card describes it as a scalar")
    );
    let mut fewer = io;
    fewer.inputs[0].shape = vec![16];
    fewer.inputs[0].sizes.clear();
    let refusal = TractSession::load(&bytes, &fewer, &Limits::default()).err().expect("refused");
    assert!(refusal.to_string().contains("input x has 2 axes in the model ([batch, 16]) but 1 in the card ([16])"));
}

#[test]
fn a_voice_activity_model_with_if_and_state_runs_on_onnxruntime_only() {
    let (_, report, io) = proposed("vad");
    assert_eq!(report.control_flow, ["If"]);
    assert_eq!(io.inputs[0].kind, InputKind::Tensor, "512 samples: a JSON box");
    assert_eq!(pre_count(&io.inputs[0].example_json()), 512);
    assert_eq!((io.inputs[1].kind.clone(), io.inputs[1].shape.clone()), (InputKind::State, vec![2, 1, 128]));
    assert_eq!(io.inputs[1].size_name(1), Some("batch"));
    assert_eq!((io.inputs[2].shape.clone(), io.inputs[2].dtype), (vec![], DType::I64));
    assert_eq!(io.outputs[1].kind, OutputKind::Tensor, "stateN is state, not 128 classes");
    let refuses = Expect::Refuses(
        |r| matches!(r, Refusal::Unanalysable { node, operator, .. } if node == "If_0" && operator == "If"),
        &["\"If_0\" (If)", "branches", "onnxruntime-web may still run it"],
    );
    let (verdict, _) = verdict_of("vad", &report, &io, refuses);
    assert!(verdict.accepted() && verdict.tract.cannot());
    assert_eq!(choose_engine(&verdict, Gpu::None, Preference::Auto), cpu(Engine::OrtWasm));
}

fn pre_count(json: &str) -> usize {
    assay_inference::pre::json_values(json).expect("valid JSON").len()
}

#[test]
fn an_if_whose_branches_keep_one_shape_runs_on_tract() {
    let (_, report, io) = proposed("if_same");
    assert_eq!(report.control_flow, ["If"]);
    let (verdict, _) = verdict_of("if_same", &report, &io, Expect::Runs);
    assert_eq!(choose_engine(&verdict, Gpu::None, Preference::Cpu), cpu(Engine::Tract));
}

#[test]
fn a_loop_runs_on_onnxruntime_only() {
    let (_, report, io) = proposed("loop");
    assert_eq!(
        (report.control_flow.clone(), report.tract_unsupported.clone()),
        (vec!["Loop".into()], vec!["Loop".into()])
    );
    assert!(Verdict::from_report(&report).tract.cannot(), "known at inspection");
    assert_eq!(io.inputs[1].shape, Vec::<usize>::new());
    let refuses = Expect::Refuses(
        |r| matches!(r, Refusal::TractUnsupported { operators } if operators == &["Loop"]),
        &["does not implement this operator: Loop", "onnxruntime-web may still run the model"],
    );
    let (verdict, _) = verdict_of("loop", &report, &io, refuses);
    assert_eq!(choose_engine(&verdict, Gpu::Hardware, Preference::Auto).map(|c| c.engine), Some(Engine::OrtWebGpu));
}

#[test]
fn free_picture_sides_default_to_224_and_change_by_name() {
    let (_, report, mut io) = proposed("ocr_det");
    let side = DEFAULT_PICTURE_SIDE;
    assert_eq!(io.inputs[0].shape, vec![1, 3, side, side]);
    let InputKind::Image(image) = &io.inputs[0].kind else { panic!("{:?}", io.inputs[0].kind) };
    assert_eq!((image.layout, image.channels, image.width, image.height), (Layout::Nchw, 3, side, side));
    assert_eq!(io.outputs[0].kind, OutputKind::Tensor);
    let (_, out) = verdict_of("ocr_det", &report, &io, Expect::Runs);
    assert_eq!(out[0].shape, vec![1, 1, side, side]);
    io.set_size("x[2]", 48).unwrap();
    io.set_size("x[3]", 320).unwrap();
    let (_, out) = verdict_of("ocr_det", &report, &io, Expect::Runs);
    assert_eq!(out[0].shape, vec![1, 1, 48, 320]);
}

#[test]
fn class_scores_on_axis_one_of_four_are_classes() {
    let (_, report, io) = proposed("nchw_classes");
    let OutputKind::Classification { labels: Labels::Inline(labels), .. } = &io.outputs[0].kind else {
        panic!("{:?}", io.outputs[0].kind)
    };
    assert_eq!(labels.len(), 10);
    let (_, out) = verdict_of("nchw_classes", &report, &io, Expect::Runs);
    assert_eq!(out[0].shape, vec![1, 10, 1, 1]);
    let Shown::Classes { classes, .. } = interpret(&out[0], &io.outputs[0], labels).unwrap() else { panic!() };
    let best = out[0].data.to_f64().iter().cloned().fold(f64::MIN, f64::max);
    assert!((f64::from(classes[0].score) - best).abs() < 1e-6);
}

#[test]
fn several_inputs_and_outputs_with_int64_and_bool() {
    let (_, report, io) = proposed("multi_io");
    let kinds: Vec<(DType, bool)> = io.inputs.iter().map(|i| (i.dtype, i.kind == InputKind::Tensor)).collect();
    assert_eq!(kinds, [(DType::F32, false), (DType::I64, true), (DType::Bool, true)]);
    assert_eq!(io.inputs[2].example_json(), "[[false, false, false, false, false, false]]");
    assert!(io.outputs.iter().all(|o| o.kind == OutputKind::Tensor), "{:?}", io.outputs);
    let (_, out) = verdict_of("multi_io", &report, &io, Expect::Runs);
    let dtypes: Vec<DType> = out.iter().map(|t| t.data.dtype()).collect();
    assert_eq!(dtypes, [DType::F32, DType::I64, DType::Bool]);
}

#[test]
fn a_long_flat_input_is_a_tensor_prefilled_with_an_example() {
    let (_, report, io) = proposed("flat_wide");
    assert_eq!((io.inputs[0].kind.clone(), io.inputs[0].shape.clone()), (InputKind::Tensor, vec![1, 300]));
    let example = io.inputs[0].example_json();
    let prepared = assay_inference::pre::prepare(&io.inputs[0], assay_inference::pre::Given::Json(&example)).unwrap();
    assert_eq!(prepared.shape, vec![1, 300]);
    assert!(
        matches!(&io.outputs[0].kind, OutputKind::Classification { labels: Labels::Inline(l), .. } if l.len() == 2)
    );
    verdict_of("flat_wide", &report, &io, Expect::Runs);
}
