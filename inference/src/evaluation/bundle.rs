//! The evaluation bundle: the data a claimed metric is recomputed on, stored on IPFS as a small
//! JSON manifest beside plain little-endian arrays (one file each). The manifest names each array,
//! its type and shape (the first axis is the sample), the class names, and where the data comes
//! from and under which licence. Everything is checked before a model runs: sizes within
//! [`BundleLimits`], each array's bytes exactly its shape, every sample count the same, labels
//! within the classes; each refusal is a sentence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::tensor::{DType, Data, Tensor};

/// The manifest format this code reads and writes.
pub const BUNDLE_VERSION: u32 = 1;

/// One array of the bundle: `shape` values of `dtype`, little-endian, row-major, the first axis
/// counting samples; its bytes are a file of the creator's folder or a file on IPFS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawArraySpec", into = "RawArraySpec")]
pub struct ArraySpec {
    pub name: String,
    pub at: ArrayAt,
    pub dtype: DType,
    pub shape: Vec<usize>,
}

/// Where an array's bytes are: `"file"` in a bundle as its creator drops it (a folder beside
/// `manifest.json`), `"cid"` in a bundle as published (the manifest's own CID is the bundle's).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ArrayAt {
    /// A file's name inside the bundle's folder.
    File(String),
    /// The CID of the file on IPFS (checked as a CID where it is fetched).
    Cid(String),
}

impl ArrayAt {
    /// The file name or the CID: what [`Bundle::new`]'s files are keyed by.
    pub fn key(&self) -> &str {
        match self {
            ArrayAt::File(key) | ArrayAt::Cid(key) => key,
        }
    }
}

/// An array as the manifest writes it: exactly one of `file` and `cid`.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawArraySpec {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    cid: Option<String>,
    dtype: DType,
    shape: Vec<usize>,
}

impl TryFrom<RawArraySpec> for ArraySpec {
    type Error = String;

    fn try_from(raw: RawArraySpec) -> Result<Self, String> {
        let at = match (raw.file, raw.cid) {
            (Some(file), None) if !file.is_empty() => ArrayAt::File(file),
            (None, Some(cid)) if !cid.is_empty() => ArrayAt::Cid(cid),
            (Some(_), Some(_)) => return Err(format!("array {} names both a file and a CID; one of them", raw.name)),
            _ => return Err(format!("array {} names neither its file nor its CID", raw.name)),
        };
        Ok(Self { name: raw.name, at, dtype: raw.dtype, shape: raw.shape })
    }
}

impl From<ArraySpec> for RawArraySpec {
    fn from(spec: ArraySpec) -> Self {
        let (file, cid) = match spec.at {
            ArrayAt::File(file) => (Some(file), None),
            ArrayAt::Cid(cid) => (None, Some(cid)),
        };
        Self { name: spec.name, file, cid, dtype: spec.dtype, shape: spec.shape }
    }
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    /// Samples in every array.
    pub samples: usize,
    pub arrays: Vec<ArraySpec>,
    /// Class names, for labels that are class indices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labels: Vec<String>,
    /// The data's licence (an SPDX id or words).
    pub licence: String,
    /// Where the data comes from.
    pub source: String,
}

/// How big a bundle may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BundleLimits {
    pub max_samples: usize,
    pub max_bytes: u64,
}

impl Default for BundleLimits {
    /// 100,000 samples, 256 MiB of arrays.
    fn default() -> Self {
        Self { max_samples: 100_000, max_bytes: 256 << 20 }
    }
}

/// Why a bundle can't be used, in words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("the evaluation set's manifest is not valid JSON for Assay: {0}")]
    Json(String),
    #[error("the evaluation set's manifest is version {0}; this Assay reads version {BUNDLE_VERSION}")]
    Version(u32),
    #[error("the evaluation set has no samples")]
    Empty,
    #[error("the evaluation set has {samples} samples; at most {max} can be evaluated in a browser")]
    TooManySamples { samples: usize, max: usize },
    #[error("the evaluation set's arrays hold {bytes} bytes; at most {max} can be evaluated in a browser")]
    TooLarge { bytes: u64, max: u64 },
    #[error("array {name} is named twice")]
    Duplicate { name: String },
    #[error("array {name} has shape {shape:?}: its first axis must be the {samples} samples")]
    SampleAxis { name: String, shape: Vec<usize>, samples: usize },
    #[error("array {name} should be {expected} bytes ({dtype} {shape:?}) but its file has {got}")]
    WrongSize { name: String, dtype: &'static str, shape: Vec<usize>, expected: u64, got: u64 },
    #[error("array {name} is missing from the evaluation set")]
    Missing { name: String },
    #[error("label {label} of sample {sample} in {name} is not one of the {classes} classes")]
    LabelOutOfRange { name: String, sample: usize, label: i64, classes: usize },
    #[error("array {name} holds {dtype} values; labels are whole numbers (int32, int64 or uint8)")]
    LabelsNotIntegers { name: String, dtype: &'static str },
    #[error("array {name} names the file {file}, not a CID: this evaluation set was not published for IPFS")]
    NotPublished { name: String, file: String },
    #[error("the file {file} of the evaluation set was not uploaded")]
    NotUploaded { file: String },
}

impl Manifest {
    /// Reads and checks a manifest on its own (sizes and shapes; the files come later).
    pub fn from_json(text: &str, limits: &BundleLimits) -> Result<Self, BundleError> {
        let manifest: Self = serde_json::from_str(text).map_err(|e| BundleError::Json(e.to_string()))?;
        manifest.check(limits)?;
        Ok(manifest)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a manifest serialises")
    }

    /// Sizes and shapes within `limits` (a manifest read or built).
    pub(crate) fn check(&self, limits: &BundleLimits) -> Result<(), BundleError> {
        if self.version != BUNDLE_VERSION {
            return Err(BundleError::Version(self.version));
        }
        if self.samples == 0 || self.arrays.is_empty() {
            return Err(BundleError::Empty);
        }
        if self.samples > limits.max_samples {
            return Err(BundleError::TooManySamples { samples: self.samples, max: limits.max_samples });
        }
        let mut seen = Vec::new();
        let mut bytes = 0u64;
        for array in &self.arrays {
            if seen.contains(&&array.name) {
                return Err(BundleError::Duplicate { name: array.name.clone() });
            }
            seen.push(&array.name);
            if array.shape.first() != Some(&self.samples) {
                return Err(BundleError::SampleAxis {
                    name: array.name.clone(),
                    shape: array.shape.clone(),
                    samples: self.samples,
                });
            }
            bytes = bytes.saturating_add(array.byte_len());
        }
        if bytes > limits.max_bytes {
            return Err(BundleError::TooLarge { bytes, max: limits.max_bytes });
        }
        Ok(())
    }
}

impl ArraySpec {
    /// The file's exact size.
    pub fn byte_len(&self) -> u64 {
        let values = self.shape.iter().fold(1u64, |n, &d| n.saturating_mul(d as u64));
        values.saturating_mul(self.dtype.size_of())
    }

    /// One sample's shape (the rest after the sample axis).
    pub fn sample_shape(&self) -> &[usize] {
        &self.shape[1..]
    }
}

/// A bundle whose files all arrived and matched the manifest: each array's values, by name.
#[derive(Clone, Debug, PartialEq)]
pub struct Bundle {
    pub manifest: Manifest,
    arrays: BTreeMap<String, Data>,
}

impl Bundle {
    /// Checks each array's bytes against the manifest and decodes them; `files` are keyed by
    /// [`ArrayAt::key`] (file names in a folder bundle, CIDs in a published one).
    pub fn new(manifest: Manifest, files: &BTreeMap<String, Vec<u8>>) -> Result<Self, BundleError> {
        let mut arrays = BTreeMap::new();
        for spec in &manifest.arrays {
            let bytes = files.get(spec.at.key()).ok_or_else(|| BundleError::Missing { name: spec.name.clone() })?;
            if bytes.len() as u64 != spec.byte_len() {
                return Err(BundleError::WrongSize {
                    name: spec.name.clone(),
                    dtype: spec.dtype.ort_name(),
                    shape: spec.shape.clone(),
                    expected: spec.byte_len(),
                    got: bytes.len() as u64,
                });
            }
            arrays.insert(spec.name.clone(), Data::from_le_bytes(spec.dtype, bytes));
        }
        Ok(Self { manifest, arrays })
    }

    /// The array `name`'s values.
    pub fn array(&self, name: &str) -> Result<&Data, BundleError> {
        self.arrays.get(name).ok_or_else(|| BundleError::Missing { name: name.to_owned() })
    }

    /// Sample `index` of array `name` as the tensor `input` (batch axis 1).
    pub fn sample(&self, name: &str, index: usize, input: &str) -> Result<Tensor, BundleError> {
        let spec = self.spec(name)?;
        let per: usize = spec.sample_shape().iter().product();
        let data = self.array(name)?.slice(index * per, (index + 1) * per);
        let mut shape = vec![1];
        shape.extend_from_slice(spec.sample_shape());
        Ok(Tensor::new(input.to_owned(), shape, data).expect("a sample's values fill its shape"))
    }

    /// Array `name` as class indices, each checked against the classes scored.
    pub fn labels(&self, name: &str, classes: usize) -> Result<Vec<usize>, BundleError> {
        let spec = self.spec(name)?;
        let values: Vec<i64> = match self.array(name)? {
            Data::I32(v) => v.iter().map(|&x| i64::from(x)).collect(),
            Data::I64(v) => v.clone(),
            Data::U8(v) => v.iter().map(|&x| i64::from(x)).collect(),
            _ => return Err(BundleError::LabelsNotIntegers { name: name.to_owned(), dtype: spec.dtype.ort_name() }),
        };
        values
            .into_iter()
            .enumerate()
            .map(|(sample, label)| {
                usize::try_from(label).ok().filter(|&l| l < classes).ok_or(BundleError::LabelOutOfRange {
                    name: name.to_owned(),
                    sample,
                    label,
                    classes,
                })
            })
            .collect()
    }

    fn spec(&self, name: &str) -> Result<&ArraySpec, BundleError> {
        self.manifest
            .arrays
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| BundleError::Missing { name: name.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits_manifest(samples: usize) -> Manifest {
        Manifest {
            version: BUNDLE_VERSION,
            samples,
            arrays: vec![
                ArraySpec {
                    name: "pixels".into(),
                    at: ArrayAt::File("pixels.bin".into()),
                    dtype: DType::F32,
                    shape: vec![samples, 64],
                },
                ArraySpec {
                    name: "digit".into(),
                    at: ArrayAt::File("digit.bin".into()),
                    dtype: DType::I64,
                    shape: vec![samples],
                },
            ],
            labels: (0..10).map(|d| d.to_string()).collect(),
            licence: "CC-BY-4.0".into(),
            source: "scikit-learn's digits, held-out rows".into(),
        }
    }

    fn files(samples: usize, labels: &[i64]) -> BTreeMap<String, Vec<u8>> {
        let pixels: Vec<u8> = (0..samples * 64).flat_map(|i| (i as f32).to_le_bytes()).collect();
        let digits: Vec<u8> = labels.iter().flat_map(|l| l.to_le_bytes()).collect();
        BTreeMap::from([("pixels.bin".to_owned(), pixels), ("digit.bin".to_owned(), digits)])
    }

    #[test]
    fn a_manifest_round_trips_and_its_arrays_are_read_by_sample() {
        let manifest = digits_manifest(3);
        let read = Manifest::from_json(&manifest.to_json(), &BundleLimits::default()).unwrap();
        assert_eq!(read, manifest);
        let bundle = Bundle::new(read, &files(3, &[7, 0, 9])).unwrap();
        let second = bundle.sample("pixels", 1, "x").unwrap();
        assert_eq!((second.name.as_str(), second.shape.as_slice()), ("x", [1, 64].as_slice()));
        assert_eq!(second.data.to_f64()[..2], [64.0, 65.0]);
        assert_eq!(bundle.labels("digit", 10).unwrap(), [7, 0, 9]);
    }

    #[test]
    fn bad_manifests_are_refused_in_words() {
        let limits = BundleLimits { max_samples: 10, max_bytes: 1 << 20 };
        let refuse = |m: Manifest| Manifest::from_json(&m.to_json(), &limits).unwrap_err().to_string();
        assert_eq!(
            refuse(digits_manifest(11)),
            "the evaluation set has 11 samples; at most 10 can be evaluated in a browser"
        );
        let mut shape = digits_manifest(3);
        shape.arrays[1].shape = vec![4];
        assert_eq!(refuse(shape), "array digit has shape [4]: its first axis must be the 3 samples");
        let mut twice = digits_manifest(3);
        twice.arrays[1].name = "pixels".into();
        assert_eq!(refuse(twice), "array pixels is named twice");
        let mut big = digits_manifest(3);
        big.arrays[0].shape = vec![3, 1 << 20];
        assert!(refuse(big).starts_with("the evaluation set's arrays hold 12582936 bytes"));
        let wrong_type = digits_manifest(3).to_json().replace("\"i64\"", "\"f64\"");
        assert!(
            Manifest::from_json(&wrong_type, &limits)
                .unwrap_err()
                .to_string()
                .starts_with("the evaluation set's manifest is not valid JSON for Assay: unknown variant `f64`")
        );
        assert_eq!(
            Manifest::from_json("{", &limits).unwrap_err().to_string(),
            "the evaluation set's manifest is not valid JSON for Assay: EOF while parsing an object at line 1 column 1"
        );
    }

    #[test]
    fn truncated_or_missing_arrays_and_bad_labels_are_refused_in_words() {
        let mut short = files(3, &[1, 2, 3]);
        short.get_mut("pixels.bin").unwrap().pop();
        assert_eq!(
            Bundle::new(digits_manifest(3), &short).unwrap_err().to_string(),
            "array pixels should be 768 bytes (float32 [3, 64]) but its file has 767"
        );
        let mut missing = files(3, &[1, 2, 3]);
        missing.remove("digit.bin");
        assert_eq!(
            Bundle::new(digits_manifest(3), &missing).unwrap_err(),
            BundleError::Missing { name: "digit".into() }
        );
        let bundle = Bundle::new(digits_manifest(3), &files(3, &[1, 10, -1])).unwrap();
        assert_eq!(
            bundle.labels("digit", 10).unwrap_err().to_string(),
            "label 10 of sample 1 in digit is not one of the 10 classes"
        );
        assert_eq!(
            bundle.labels("pixels", 10).unwrap_err().to_string(),
            "array pixels holds float32 values; labels are whole numbers (int32, int64 or uint8)"
        );
    }
}
