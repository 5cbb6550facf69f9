//! The worker's compiled-model cache (`engine::Compiled`): the same file (by the digest the page
//! gives) and card again reuse the plan; another card, another file or a full cache compile again;
//! without a digest, or for a refused file, nothing is kept.

mod common;

use assay_inference::engine::Compiled;
use assay_inference::{Limits, TractSession};
use common::{card, model_bytes};

/// Stand-ins for the files' SHA-256 (the cache takes the caller's word for them).
const DIGITS: &str = "d1";
const SMALL: &str = "d2";

#[test]
fn the_same_file_and_card_reuse_the_plan_and_anything_else_compiles() {
    let digits = model_bytes("digits.onnx");
    let small = model_bytes("digits-small.onnx");
    let card = card("digits");
    let limits = Limits::default();
    let mut compiled = Compiled::new(2);

    let first = compiled.load(&digits, Some(DIGITS), &card.io, &limits).expect("loads");
    assert!(!first.reused);
    let again = compiled.load(&digits, Some(DIGITS), &card.io, &limits).expect("loads");
    assert!(again.reused);
    assert_eq!(again.report, first.report);

    // The reused plan runs and gives what a fresh compilation gives.
    let inputs = vec![assay_inference::pre::synthetic(&card.io.inputs[0], 3).expect("input")];
    let (fresh, _) = TractSession::load(&digits, &card.io, &limits).expect("loads");
    assert_eq!(again.session.run(&inputs).expect("runs"), fresh.run(&inputs).expect("runs"));

    // Another file under the same card, and the same file under another card, are compiled.
    assert!(!compiled.load(&small, Some(SMALL), &card.io, &limits).expect("loads").reused);
    let mut other = card.io.clone();
    if let assay_inference::card::OutputKind::Classification { top_k, .. } = &mut other.outputs[0].kind {
        *top_k = 5;
    }
    assert!(!compiled.load(&digits, Some(DIGITS), &other, &limits).expect("loads").reused);
    // Two kept: digits under `other` and digits-small; digits under its own card was dropped.
    assert!(compiled.load(&small, Some(SMALL), &card.io, &limits).expect("loads").reused);
    assert!(!compiled.load(&digits, Some(DIGITS), &card.io, &limits).expect("loads").reused);

    // Without a digest: compiled every time, never kept.
    assert!(!compiled.load(&small, None, &other, &limits).expect("loads").reused);
    assert!(!compiled.load(&small, None, &other, &limits).expect("loads").reused);

    // A refused file is refused each time, never kept.
    let truncated = &digits[..digits.len() / 2];
    assert!(compiled.load(truncated, Some("d3"), &card.io, &limits).is_err());
    assert!(compiled.load(truncated, Some("d3"), &card.io, &limits).is_err());
}
