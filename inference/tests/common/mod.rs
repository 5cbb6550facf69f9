//! Shared by the host tests: where the real models and the Python venv are, the card files, a
//! deterministic PRNG, and the onnxruntime reference (run at test time by `reference.py`).

#![allow(dead_code)] // each test file uses only some of these helpers

use std::path::PathBuf;
use std::process::{Command, Stdio};

use assay_inference::{ModelCard, Tensor};

fn tools() -> PathBuf {
    std::env::var_os("ASSAY_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache").join("assay"))
}

const SETUP: &str =
    "run `cargo xtask test host` (or `cargo xtask dev`) once: it creates the venv and fetches the models";

/// The bytes of a model fetched by `inference/models/setup.py`.
pub fn model_bytes(file: &str) -> Vec<u8> {
    let path = model_path(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}; {SETUP}", path.display()))
}

/// Where `inference/models/setup.py` puts a model (`ASSAY_MODELS` overrides the folder).
pub fn model_path(file: &str) -> PathBuf {
    std::env::var_os("ASSAY_MODELS").map(PathBuf::from).unwrap_or_else(|| tools().join("models")).join(file)
}

pub fn python() -> PathBuf {
    std::env::var_os("ASSAY_PYTHON").map(PathBuf::from).unwrap_or_else(|| tools().join("py").join("bin").join("python"))
}

pub fn card(name: &str) -> ModelCard {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("cards").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// xorshift64*: the same pseudo-random inputs on every run and machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| (self.next() >> 56) as u8).collect()
    }
}

/// One output as onnxruntime computed it.
pub struct Reference {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: Vec<f64>,
}

/// Runs Python onnxruntime on `model_file` with `inputs`, asking for `outputs`.
pub fn onnxruntime(model_file: &str, inputs: &[Tensor], outputs: &[&str]) -> Vec<Reference> {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("reference.py");
    let request = serde_json::json!({
        "model": model_path(model_file),
        "inputs": inputs,
        "outputs": outputs,
    });
    let mut child = Command::new(python())
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}; {SETUP}", python().display()));
    serde_json::to_writer(child.stdin.take().expect("stdin"), &request).expect("write request");
    let out = child.wait_with_output().expect("reference.py");
    assert!(out.status.success(), "reference.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&out.stdout).expect("reference JSON");
    outputs
        .iter()
        .map(|name| {
            let o = &reply["outputs"][*name];
            Reference {
                name: (*name).to_owned(),
                shape: serde_json::from_value(o["shape"].clone()).expect("shape"),
                values: serde_json::from_value(o["values"].clone()).expect("values"),
            }
        })
        .collect()
}
