//! The verdict from inspection and tries, and the engine chosen from it.

use super::*;

fn untried() -> Verdict {
    Verdict { tract: Status::Untried, ort_wasm: Status::Untried, ort_web_gpu: Status::Untried }
}

fn unanalysable() -> Refusal {
    Refusal::Unanalysable { node: "If_0".into(), operator: "If".into(), detail: "Failed analyse for node #5".into() }
}

#[test]
fn tract_runs_it_tract_is_the_cpu_engine_and_a_hardware_gpu_is_used_automatically() {
    let v = untried().with_tract(Ok(()));
    assert!(v.accepted());
    assert_eq!(v.to_try(), []);
    assert_eq!(v.sentence(), "Runs on the CPU engine (tract).");
    let cpu = Choice { engine: Engine::Tract, cross_check: None };
    assert_eq!(choose_engine(&v, Gpu::None, Preference::Auto), Some(cpu));
    assert_eq!(choose_engine(&v, Gpu::Software, Preference::Auto), Some(cpu), "software WebGPU only when asked");
    let gpu = Choice { engine: Engine::OrtWebGpu, cross_check: Some(Engine::Tract) };
    assert_eq!(choose_engine(&v, Gpu::Hardware, Preference::Auto), Some(gpu));
    assert_eq!(choose_engine(&v, Gpu::Software, Preference::Gpu), Some(gpu));
    assert_eq!(choose_engine(&v, Gpu::Hardware, Preference::Cpu), Some(cpu));
    assert_eq!(choose_engine(&v, Gpu::None, Preference::Gpu), Some(cpu), "no adapter: the CPU");
}

#[test]
fn tract_cannot_analyse_it_onnxruntime_wasm_runs_it() {
    let v = untried().with_tract(Err(&unanalysable()));
    assert!(!v.accepted());
    assert_eq!(v.to_try(), [Engine::OrtWasm], "tract's own failure: try onnxruntime-web");
    let Status::Cannot { reason, detail } = &v.tract else { panic!("{v:?}") };
    assert!(reason.contains("\"If_0\" (If)") && !reason.contains('#'), "{reason}");
    assert_eq!(detail, "Failed analyse for node #5");
    let v = v.with_ort(Engine::OrtWasm, Ok(()));
    assert!(v.accepted());
    assert!(v.sentence().starts_with("Runs on onnxruntime-web on the CPU (wasm). The CPU engine (tract) cannot"));
    assert_eq!(
        choose_engine(&v, Gpu::None, Preference::Auto),
        Some(Choice { engine: Engine::OrtWasm, cross_check: None })
    );
    assert_eq!(
        choose_engine(&v, Gpu::Hardware, Preference::Auto),
        Some(Choice { engine: Engine::OrtWebGpu, cross_check: Some(Engine::OrtWasm) })
    );
    let v = v.with_ort(Engine::OrtWebGpu, Err("no kernel".into()));
    assert_eq!(
        choose_engine(&v, Gpu::Hardware, Preference::Gpu),
        Some(Choice { engine: Engine::OrtWasm, cross_check: None }),
        "WebGPU failed: the CPU"
    );
}

#[test]
fn both_cpu_engines_run_it_and_cross_check_each_other() {
    let v = untried().with_tract(Ok(())).with_ort(Engine::OrtWasm, Ok(()));
    assert_eq!(
        choose_engine(&v, Gpu::None, Preference::Cpu),
        Some(Choice { engine: Engine::Tract, cross_check: Some(Engine::OrtWasm) })
    );
    assert_eq!(v.sentence(), "Runs on the CPU engine (tract) and onnxruntime-web on the CPU (wasm).");
}

#[test]
fn no_cpu_engine_no_trial_and_file_faults_hold_for_every_engine() {
    let v = untried().with_tract(Err(&unanalysable())).with_ort(Engine::OrtWasm, Err("bad graph".into()));
    assert!(!v.accepted());
    assert_eq!(choose_engine(&v, Gpu::Hardware, Preference::Gpu), None);
    assert!(v.sentence().starts_with("No engine runs this model. The CPU engine (tract) cannot"), "{}", v.sentence());
    assert!(v.sentence().ends_with("onnxruntime-web on the CPU (wasm) could not load the model."));

    let mismatch = Refusal::IoMismatch { detail: "input x is a scalar in the model".into() };
    let v = untried().with_tract(Err(&mismatch));
    assert!(v.ort_wasm.cannot() && v.ort_web_gpu.cannot(), "the card does not fit the model on any engine");
    assert_eq!(v.to_try(), []);
    assert!(v.sentence().starts_with("No engine runs this model. The model does not match its card"));
}

#[test]
fn inspection_says_when_tract_lacks_an_operator() {
    let report: Report = serde_json::from_value(serde_json::json!({
        "size_bytes": 1, "ir_version": 8, "opset": 17, "other_opsets": [], "producer": "", "operators": {"Loop": 1},
        "parameters": 0, "inputs": [], "outputs": [], "tract_unsupported": ["Loop"], "control_flow": ["Loop"]
    }))
    .unwrap();
    let v = Verdict::from_report(&report);
    assert!(v.tract.cannot());
    assert_eq!(v.to_try(), [Engine::OrtWasm]);
    assert!(v.sentence().contains("does not implement this operator: Loop"), "{}", v.sentence());
}
