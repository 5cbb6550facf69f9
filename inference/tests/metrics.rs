//! Every metric a card can claim, computed by `assay_inference::evaluation::metrics` and by
//! scikit-learn's own functions (run now by `metrics.py`) on the same pseudo-random predictions:
//! balanced and skewed classes, classes never predicted, a class never true, binary and 10-class,
//! noisy and constant regression targets. They must agree to 1e-12.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use assay_inference::evaluation::metrics::{accuracy, argmax, macro_scores, mae, r2, rmse, top_k_accuracy};
use common::{Rng, python};
use serde_json::{Value, json};

struct Case {
    truth: Vec<usize>,
    predicted: Vec<usize>,
    scores: Vec<Vec<f32>>,
    k: usize,
    y: Vec<f64>,
    y_hat: Vec<f64>,
}

/// `n` samples over `classes`: scores with a bias towards the true class of `skill`, the argmax as
/// the prediction; regression values with noise (or constant when `constant`).
fn case(rng: &mut Rng, n: usize, classes: usize, skill: f64, k: usize, constant: bool) -> Case {
    let mut truth = Vec::with_capacity(n);
    let mut scores = Vec::with_capacity(n);
    for _ in 0..n {
        // Skewed labels: class 0 twice as likely; above two classes, the last one never true.
        let top = if classes > 2 { classes - 2 } else { classes - 1 };
        let label = (rng.uniform(0.0, (top + 2) as f64) as usize).saturating_sub(1).min(top);
        let row: Vec<f32> =
            (0..classes).map(|c| (rng.uniform(0.0, 1.0) + if c == label { skill } else { 0.0 }) as f32).collect();
        truth.push(label);
        scores.push(row);
    }
    let predicted = scores.iter().map(|row| argmax(row).unwrap()).collect();
    let y: Vec<f64> = (0..n).map(|i| if constant { 3.0 } else { (i as f64).sin() * 10.0 }).collect();
    let y_hat = y.iter().map(|v| v + rng.uniform(-2.0, 2.0)).collect();
    Case { truth, predicted, scores, k, y, y_hat }
}

fn sklearn(cases: &[Case]) -> Vec<Value> {
    let request = json!({ "cases": cases.iter().map(|c| json!({
        "truth": c.truth, "predicted": c.predicted, "scores": c.scores, "k": c.k, "y": c.y, "y_hat": c.y_hat,
    })).collect::<Vec<_>>() });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/metrics.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the venv's python runs (cargo xtask test host sets it up)");
    child.stdin.take().unwrap().write_all(request.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "metrics.py failed");
    let reply: Value = serde_json::from_slice(&out.stdout).unwrap();
    reply["cases"].as_array().unwrap().clone()
}

fn close(name: &str, ours: f64, theirs: &Value) {
    let theirs = theirs.as_f64().unwrap_or_else(|| panic!("{name}: scikit-learn gave {theirs}"));
    assert!((ours - theirs).abs() <= 1e-12, "{name}: ours {ours}, scikit-learn {theirs}");
}

#[test]
fn every_metric_equals_scikit_learns_on_the_same_predictions() {
    let mut rng = Rng(0x5eed);
    let cases = vec![
        case(&mut rng, 200, 10, 0.6, 3, false),
        case(&mut rng, 97, 2, 0.3, 1, false),
        case(&mut rng, 50, 5, 0.0, 2, true),
        case(&mut rng, 1_797, 10, 2.0, 5, false),
    ];
    let reference = sklearn(&cases);
    assert_eq!(reference.len(), cases.len());
    assert_eq!(reference.iter().filter(|r| !r["top_k"].is_null()).count(), 3, "top-k compared on 3 cases");
    for (i, (c, r)) in cases.iter().zip(&reference).enumerate() {
        let at = |m: &str| format!("case {i}: {m}");
        close(&at("accuracy"), accuracy(&c.truth, &c.predicted).unwrap(), &r["accuracy"]);
        if !r["top_k"].is_null() {
            close(&at("top-k"), top_k_accuracy(&c.truth, &c.scores, c.k).unwrap(), &r["top_k"]);
        }
        let m = macro_scores(&c.truth, &c.predicted).unwrap();
        close(&at("precision"), m.precision, &r["precision"]);
        close(&at("recall"), m.recall, &r["recall"]);
        close(&at("f1"), m.f1, &r["f1"]);
        close(&at("mae"), mae(&c.y, &c.y_hat).unwrap(), &r["mae"]);
        close(&at("rmse"), rmse(&c.y, &c.y_hat).unwrap(), &r["rmse"]);
        close(&at("r2"), r2(&c.y, &c.y_hat).unwrap(), &r["r2"]);
    }
}
