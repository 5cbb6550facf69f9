//! The seeded evaluation sets, made, measured and published: the held-out digits
//! (`inference/tests/evaluation_bundle.py`) and files of known types (`inference/models/known_files.py`,
//! as magika's features by `claims::known_files_bundle`) are checked as bundles, each array then its
//! manifest naming them by CID added to the IPFS node (the manifest's CID is the bundle's); each
//! claimed figure is what the model's predictions give: the samples fed through the card's `io`
//! and stacked (`assay_inference::evaluation`, the browser's code), run by Python onnxruntime
//! (`inference/tests/reference.py`), read and scored by the browser's code again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use assay_inference::card::{EvalResult, Reading};
use assay_inference::evaluation::{
    Bundle, BundleLimits, Manifest, Observed, Prediction, Truth, observe, predictions_of, sample_inputs, stack,
};
use assay_inference::{Data, ModelCard, Tensor};
use serde_json::Value;

use super::claims::{self, CLAIMS, Claim, EvaluationSet, OVERSTATED};
use crate::kubo::Kubo;
use crate::paths::Paths;
use crate::process::Result;

/// A bundle as published: its CID and its checked arrays.
pub struct Published {
    pub cid: String,
    pub bundle: Bundle,
}

/// The results each seeded card carries.
pub struct Claimed {
    /// By real listing's stem.
    pub results: BTreeMap<&'static str, EvalResult>,
    /// The overstated listing's.
    pub overstated: EvalResult,
}

/// Makes, measures and publishes every evaluation set; returns the cards' results.
pub fn publish(paths: &Paths, ipfs: &Kubo) -> Result<Claimed> {
    // One folder per seeding, also within a process: tests seed stacks side by side.
    static SEEDINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seeding = SEEDINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let work = std::env::temp_dir().join(format!("assay-seed-evaluation-{}-{seeding}", std::process::id()));
    let made = make_and_publish(paths, ipfs, &work);
    let _ = std::fs::remove_dir_all(&work);
    made
}

fn make_and_publish(paths: &Paths, ipfs: &Kubo, work: &Path) -> Result<Claimed> {
    // Each set made and published, then each claim measured, side by side (a Python process each).
    let published: BTreeMap<EvaluationSet, Published> = std::thread::scope(|scope| {
        let sets: Vec<_> = EvaluationSet::ALL
            .into_iter()
            .map(|set| {
                let dir = work.join(format!("{set:?}"));
                (
                    set,
                    scope.spawn(move || make(paths, set, &dir).and_then(|(m, files)| publish_bundle(ipfs, &m, &files))),
                )
            })
            .collect();
        sets.into_iter()
            .map(|(set, made)| Ok((set, made.join().expect("making a set does not panic")?)))
            .collect::<Result<_>>()
    })?;
    let measured: Vec<(&Claim, EvalResult, Vec<f64>)> = std::thread::scope(|scope| {
        let claims: Vec<_> = CLAIMS
            .iter()
            .map(|claim| {
                let published = &published[&claim.set];
                (claim, scope.spawn(move || measure(paths, claim, published)))
            })
            .collect();
        claims
            .into_iter()
            .map(|(claim, measured)| {
                let (result, values) = measured.join().expect("measuring a claim does not panic")?;
                Ok((claim, result, values))
            })
            .collect::<Result<_>>()
    })?;
    let stem = OVERSTATED.listing.stem;
    let (claim, _, values) = measured
        .iter()
        .find(|(claim, _, _)| claim.stem == stem)
        .ok_or_else(|| format!("the overstated listing copies {stem}, which claims nothing"))?;
    let card = repository_card(paths, stem)?;
    let figures: Vec<f64> = values.iter().map(|&v| OVERSTATED.figure(v)).collect();
    let overstated = claims::result(claim, &card.io, &published[&claim.set].cid, &figures)?;
    let results = measured.into_iter().map(|(claim, result, _)| (claim.stem, result)).collect();
    Ok(Claimed { results, overstated })
}

/// `claim`'s result on the published set, claiming the figures measured now; and those figures.
fn measure(paths: &Paths, claim: &Claim, published: &Published) -> Result<(EvalResult, Vec<f64>)> {
    let card = repository_card(paths, claim.stem)?;
    let probe = claims::result(claim, &card.io, &published.cid, &vec![0.0; claim.metrics.len()])?;
    let observed = observe_on_host(paths, &model_file(paths, claim.stem), &card, &published.bundle, &probe)
        .map_err(|e| format!("measuring {}'s claim: {e}", claim.stem))?;
    let values: Vec<f64> = observed.iter().map(|o| o.observed).collect();
    Ok((claims::result(claim, &card.io, &published.cid, &values)?, values))
}

/// The evaluation throughput benchmark's sets as folder bundles (bench/RESULTS.md, "Evaluation
/// throughput"), checked: every one of the 1,797 digits (`evaluation_bundle.py --all`) in
/// `out/digits`, magika's files of known types (as the seed makes them) in `out/magika`.
pub fn write_bench_bundles(paths: &Paths, out: &Path) -> Result<()> {
    let digits = out.join("digits");
    run_python(paths, &paths.root.join("inference/tests/evaluation_bundle.py"), &digits, &["--all"])?;
    let (manifest, files) = folder_bundle(&digits)?;
    Bundle::new(manifest, &files).map_err(|e| format!("the digits set: {e}"))?;
    let (manifest, files) = make(paths, EvaluationSet::KnownFiles, &out.join("magika-files"))?;
    let magika = out.join("magika");
    std::fs::create_dir_all(&magika).map_err(|e| format!("{}: {e}", magika.display()))?;
    let write = |name: &str, bytes: &[u8]| std::fs::write(magika.join(name), bytes).map_err(|e| format!("{name}: {e}"));
    write("manifest.json", manifest.to_json().as_bytes())?;
    files.iter().try_for_each(|(name, bytes)| write(name, bytes))
}

/// The folder bundle in `dir`: its manifest and the arrays it names, read.
fn folder_bundle(dir: &Path) -> Result<(Manifest, BTreeMap<String, Vec<u8>>)> {
    let text = read_text(&dir.join("manifest.json"))?;
    let manifest = Manifest::from_json(&text, &BundleLimits::default()).map_err(|e| e.to_string())?;
    let files = manifest
        .files()
        .into_iter()
        .map(|file| Ok((file.to_owned(), read(&dir.join(file))?)))
        .collect::<Result<BTreeMap<_, _>>>()?;
    Ok((manifest, files))
}

/// Set `set`'s folder bundle, made in `dir` and checked.
fn make(paths: &Paths, set: EvaluationSet, dir: &Path) -> Result<(Manifest, BTreeMap<String, Vec<u8>>)> {
    let (manifest, files) = match set {
        EvaluationSet::HeldOutDigits => {
            run_python(paths, &paths.root.join("inference/tests/evaluation_bundle.py"), dir, &[])?;
            folder_bundle(dir)?
        }
        EvaluationSet::KnownFiles => {
            run_python(paths, &paths.root.join("inference/models/known_files.py"), dir, &[])?;
            let index: Value = serde_json::from_str(&read_text(&dir.join("index.json"))?)
                .map_err(|e| format!("known_files.py's index.json: {e}"))?;
            let files = index
                .as_array()
                .ok_or("known_files.py's index.json is not a list")?
                .iter()
                .map(|entry| {
                    let (Some(file), Some(kind)) = (entry["file"].as_str(), entry["type"].as_str()) else {
                        return Err(format!("known_files.py's index.json has an entry {entry} without file and type"));
                    };
                    Ok((kind.to_owned(), read(&dir.join(file))?))
                })
                .collect::<Result<Vec<_>>>()?;
            let magika = claims::CLAIMS.iter().find(|c| c.set == set).ok_or("no model claims on the known files")?;
            claims::known_files_bundle(&repository_card(paths, magika.stem)?.io, &files)?
        }
    };
    // Checked as whoever reproduces it checks it, before anything is uploaded.
    let manifest = Manifest::from_json(&manifest.to_json(), &BundleLimits::default())
        .map_err(|e| format!("the {set:?} evaluation set: {e}"))?;
    Bundle::new(manifest.clone(), &files).map_err(|e| format!("the {set:?} evaluation set: {e}"))?;
    Ok((manifest, files))
}

/// Each array added to the node, then the manifest naming them by CID; the published form is
/// checked against the uploaded bytes before its manifest is added.
fn publish_bundle(ipfs: &Kubo, manifest: &Manifest, files: &BTreeMap<String, Vec<u8>>) -> Result<Published> {
    let mut uploaded = BTreeMap::new();
    for file in manifest.files() {
        uploaded.insert(file.to_owned(), ipfs.add_checked(file, &files[file])?);
    }
    let published = manifest.published(&uploaded).map_err(|e| e.to_string())?;
    let by_cid: BTreeMap<String, Vec<u8>> =
        uploaded.iter().map(|(file, cid)| (cid.clone(), files[file].clone())).collect();
    let published = Manifest::from_json(&published.to_json(), &BundleLimits::default()).map_err(|e| e.to_string())?;
    published.cids().map_err(|e| e.to_string())?;
    let bundle = Bundle::new(published, &by_cid).map_err(|e| e.to_string())?;
    let cid = ipfs.add_checked("manifest.json", bundle.manifest.to_json().as_bytes())?;
    Ok(Published { cid, bundle })
}

/// Every claimed metric of `result` observed on `bundle`: each sample's inputs through `card`'s
/// `io`, all stacked on the first axis and run at once by Python onnxruntime on `model`, the
/// predictions read and scored as the browser reads and scores them.
pub fn observe_on_host(
    paths: &Paths,
    model: &Path,
    card: &ModelCard,
    bundle: &Bundle,
    result: &EvalResult,
) -> Result<Vec<Observed>> {
    let evaluation = result.evaluation.as_ref().ok_or("the result has no evaluation block")?;
    let samples = bundle.manifest.samples;
    let inputs = (0..samples)
        .map(|i| sample_inputs(bundle, evaluation, &card.io, i))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let stacked = stack(&inputs, samples)?;
    let output = match &evaluation.read {
        Reading::Argmax { output } | Reading::Threshold { output, .. } | Reading::Value { output } => output.clone(),
    };
    let outputs = onnxruntime(paths, model, &stacked, &output)?;
    let predictions = predictions_of(&evaluation.read, &outputs, samples, samples)?;
    let classes = predictions.first().and_then(|p| match p {
        Prediction::Class { scores, .. } => Some(scores.len()),
        Prediction::Value(_) => None,
    });
    let truth = Truth::of(bundle, evaluation, classes)?;
    observe(result, &truth, &predictions)
}

/// Output `output` of `model` on `inputs`, by `inference/tests/reference.py`.
fn onnxruntime(paths: &Paths, model: &Path, inputs: &[Tensor], output: &str) -> Result<Vec<Tensor>> {
    let request = serde_json::json!({ "model": model, "inputs": inputs, "outputs": [output] });
    let mut child = Command::new(python(paths))
        .arg(paths.root.join("inference/tests/reference.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the venv's python: {e} (`cargo xtask install` makes it)"))?;
    let mut stdin = child.stdin.take().expect("piped");
    let body = request.to_string();
    let writer = std::thread::spawn(move || std::io::Write::write_all(&mut stdin, body.as_bytes()));
    let answer = child.wait_with_output().map_err(|e| format!("onnxruntime on {}: {e}", model.display()))?;
    let _ = writer.join();
    if !answer.status.success() {
        return Err(format!(
            "onnxruntime on {} failed: {}",
            model.display(),
            String::from_utf8_lossy(&answer.stderr).trim()
        ));
    }
    let answer: Value =
        serde_json::from_slice(&answer.stdout).map_err(|e| format!("reference.py's answer is not JSON: {e}"))?;
    let tensor = &answer["outputs"][output];
    let shape: Vec<usize> = serde_json::from_value(tensor["shape"].clone())
        .map_err(|e| format!("reference.py's {output} has no shape: {e}"))?;
    let values: Vec<f64> = serde_json::from_value(tensor["values"].clone())
        .map_err(|e| format!("reference.py's {output} has no values: {e}"))?;
    Ok(vec![Tensor::new(output, shape, Data::F32(values.into_iter().map(|v| v as f32).collect()))?])
}

/// The repository's card of `stem`, read.
pub fn repository_card(paths: &Paths, stem: &str) -> Result<ModelCard> {
    let file = paths.root.join("inference/cards").join(format!("{stem}.json"));
    serde_json::from_str(&read_text(&file)?).map_err(|e| format!("{}: {e}", file.display()))
}

/// Where `inference/models/setup.py` put `<stem>.onnx`.
pub fn model_file(paths: &Paths, stem: &str) -> PathBuf {
    paths.tools.join("models").join(format!("{stem}.onnx"))
}

/// The venv's python (`toolchain` installs it with onnxruntime and scikit-learn).
fn python(paths: &Paths) -> PathBuf {
    paths.tools.join("py").join("bin").join("python")
}

fn run_python(paths: &Paths, script: &Path, dir: &Path, args: &[&str]) -> Result<()> {
    let output = Command::new(python(paths))
        .arg(script)
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("starting the venv's python: {e} (`cargo xtask install` makes it)"))?;
    if !output.status.success() {
        return Err(format!("{} failed: {}", script.display(), String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(())
}

fn read(file: &Path) -> Result<Vec<u8>> {
    std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))
}

fn read_text(file: &Path) -> Result<String> {
    std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))
}
