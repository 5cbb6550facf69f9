//! Engine-neutral tensors: what crosses the worker boundary and the onnxruntime-web facade.

use serde::{Deserialize, Serialize};

/// Element types a trial can feed or read. ONNX names them FLOAT, INT32, INT64, UINT8, BOOL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DType {
    F32,
    I32,
    I64,
    U8,
    Bool,
}

impl DType {
    /// From ONNX's `TensorProto.DataType` number.
    pub fn from_onnx(code: i32) -> Option<Self> {
        match code {
            1 => Some(Self::F32),
            2 => Some(Self::U8),
            6 => Some(Self::I32),
            7 => Some(Self::I64),
            9 => Some(Self::Bool),
            _ => None,
        }
    }

    /// From [`DType::ort_name`]'s names (`float32`, …), as validation reports a model's types.
    pub fn from_ort_name(name: &str) -> Option<Self> {
        [Self::F32, Self::I32, Self::I64, Self::U8, Self::Bool].into_iter().find(|d| d.ort_name() == name)
    }

    /// The name ONNX (and onnxruntime-web) uses: `float32`, `int32`, `int64`, `uint8`, `bool`.
    pub fn ort_name(self) -> &'static str {
        match self {
            Self::F32 => "float32",
            Self::I32 => "int32",
            Self::I64 => "int64",
            Self::U8 => "uint8",
            Self::Bool => "bool",
        }
    }

    pub fn size_of(self) -> u64 {
        match self {
            Self::U8 | Self::Bool => 1,
            Self::F32 | Self::I32 => 4,
            Self::I64 => 8,
        }
    }
}

/// Name of an ONNX element type number, for messages (`DOUBLE`, `STRING`, …).
pub fn onnx_type_name(code: i32) -> &'static str {
    match code {
        1 => "float32",
        2 => "uint8",
        3 => "int8",
        4 => "uint16",
        5 => "int16",
        6 => "int32",
        7 => "int64",
        8 => "string",
        9 => "bool",
        10 => "float16",
        11 => "float64",
        12 => "uint32",
        13 => "uint64",
        16 => "bfloat16",
        _ => "an unknown type",
    }
}

/// Element size in bytes of an ONNX element type number (strings counted as 8: a pointer).
pub fn onnx_type_size(code: i32) -> u64 {
    match code {
        2 | 3 | 9 => 1,
        4 | 5 | 10 | 16 => 2,
        1 | 6 | 12 => 4,
        _ => 8,
    }
}

/// The values of a tensor, row-major.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "dtype", content = "values", rename_all = "lowercase")]
pub enum Data {
    F32(Vec<f32>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    U8(Vec<u8>),
    Bool(Vec<bool>),
}

impl Data {
    pub fn dtype(&self) -> DType {
        match self {
            Self::F32(_) => DType::F32,
            Self::I32(_) => DType::I32,
            Self::I64(_) => DType::I64,
            Self::U8(_) => DType::U8,
            Self::Bool(_) => DType::Bool,
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Self::F32(v) => v.len(),
            Self::I32(v) => v.len(),
            Self::I64(v) => v.len(),
            Self::U8(v) => v.len(),
            Self::Bool(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values of `dtype` from little-endian bytes (a whole number of values; any tail is ignored;
    /// booleans: any non-zero byte is true).
    pub fn from_le_bytes(dtype: DType, bytes: &[u8]) -> Self {
        fn words<const N: usize, T>(bytes: &[u8], read: fn([u8; N]) -> T) -> Vec<T> {
            bytes.chunks_exact(N).map(|c| read(c.try_into().expect("chunks of N bytes"))).collect()
        }
        match dtype {
            DType::F32 => Self::F32(words(bytes, f32::from_le_bytes)),
            DType::I32 => Self::I32(words(bytes, i32::from_le_bytes)),
            DType::I64 => Self::I64(words(bytes, i64::from_le_bytes)),
            DType::U8 => Self::U8(bytes.to_vec()),
            DType::Bool => Self::Bool(bytes.iter().map(|&b| b != 0).collect()),
        }
    }

    /// Values `start..end`.
    pub fn slice(&self, start: usize, end: usize) -> Self {
        match self {
            Self::F32(v) => Self::F32(v[start..end].to_vec()),
            Self::I32(v) => Self::I32(v[start..end].to_vec()),
            Self::I64(v) => Self::I64(v[start..end].to_vec()),
            Self::U8(v) => Self::U8(v[start..end].to_vec()),
            Self::Bool(v) => Self::Bool(v[start..end].to_vec()),
        }
    }

    /// `other`'s values after these (both of one type).
    pub fn append(&mut self, other: &Data) -> Result<(), String> {
        match (self, other) {
            (Self::F32(a), Self::F32(b)) => a.extend_from_slice(b),
            (Self::I32(a), Self::I32(b)) => a.extend_from_slice(b),
            (Self::I64(a), Self::I64(b)) => a.extend_from_slice(b),
            (Self::U8(a), Self::U8(b)) => a.extend_from_slice(b),
            (Self::Bool(a), Self::Bool(b)) => a.extend_from_slice(b),
            (a, b) => {
                return Err(format!("{} values can't follow {} values", b.dtype().ort_name(), a.dtype().ort_name()));
            }
        }
        Ok(())
    }

    /// Every value as f64 (exact for the ranges that matter here; booleans as 0 and 1).
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Self::F32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Self::I32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Self::I64(v) => v.iter().map(|&x| x as f64).collect(),
            Self::U8(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Self::Bool(v) => v.iter().map(|&x| f64::from(u8::from(x))).collect(),
        }
    }
}

/// A named tensor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tensor {
    pub name: String,
    pub shape: Vec<usize>,
    pub data: Data,
}

impl Tensor {
    /// A tensor whose value count must equal the shape's product.
    pub fn new(name: impl Into<String>, shape: Vec<usize>, data: Data) -> Result<Self, String> {
        let name = name.into();
        let want: usize = shape.iter().product();
        if want != data.len() {
            return Err(format!("tensor {name} of shape {shape:?} needs {want} values, got {}", data.len()));
        }
        Ok(Self { name, shape, data })
    }
}

/// The largest absolute difference between two tensors' values, or why they can't be compared.
pub fn max_abs_diff(a: &Tensor, b: &Tensor) -> Result<f64, String> {
    if a.shape != b.shape {
        return Err(format!("{} has shape {:?} on one engine and {:?} on the other", a.name, a.shape, b.shape));
    }
    let (x, y) = (a.data.to_f64(), b.data.to_f64());
    let mut worst = 0.0f64;
    for (p, q) in x.iter().zip(&y) {
        if p.is_nan() != q.is_nan() {
            return Ok(f64::INFINITY);
        }
        if !p.is_nan() {
            worst = worst.max((p - q).abs());
        }
    }
    Ok(worst)
}

/// What the cross-check of a GPU result against the CPU's says.
#[derive(Clone, Debug, PartialEq)]
pub enum CrossCheck {
    /// Every output within the tolerance; the largest difference.
    Agree { worst: f64 },
    /// Some output differs (or is missing, or is shaped differently): the CPU's result is shown.
    Differ { worst: f64, detail: String },
}

/// Compares the GPU engine's outputs with the CPU engine's, output by output (NaN on one side
/// only, a missing output or another shape counts as a difference).
pub fn cross_check(gpu: &[Tensor], cpu: &[Tensor], tolerance: f64) -> CrossCheck {
    let mut worst = 0.0f64;
    let mut detail = None;
    for expected in cpu {
        let Some(got) = gpu.iter().find(|t| t.name == expected.name) else {
            return CrossCheck::Differ {
                worst: f64::INFINITY,
                detail: format!("the GPU engine returned no output {}", expected.name),
            };
        };
        match max_abs_diff(got, expected) {
            Ok(d) => {
                if d > worst {
                    worst = d;
                    if d > tolerance {
                        detail = Some(format!("output {} differs by up to {d:.3e}", expected.name));
                    }
                }
            }
            Err(e) => return CrossCheck::Differ { worst: f64::INFINITY, detail: e },
        }
    }
    match detail {
        None => CrossCheck::Agree { worst },
        Some(detail) => CrossCheck::Differ { worst, detail },
    }
}

/// The axis of `shape` that holds `classes` scores: the one of that size with every other axis 1
/// (`[1, 1000]`, `[1, 1000, 1, 1]`, `[1000]`); else the last axis when it has that size (a batch
/// above 1: the first row is read). `classes` = `None` (labels not known yet): the one axis above
/// 1, or the last. Either way the scores read are the first `classes` values, row-major.
pub fn class_axis(shape: &[usize], classes: Option<usize>) -> Option<usize> {
    let singleton_elsewhere = |axis: usize| shape.iter().enumerate().all(|(a, &d)| a == axis || d == 1);
    match classes {
        Some(n) => (0..shape.len())
            .find(|&a| shape[a] == n && singleton_elsewhere(a))
            .or_else(|| shape.len().checked_sub(1).filter(|&last| shape[last] == n)),
        None => (0..shape.len()).find(|&a| shape[a] > 1 && singleton_elsewhere(a)).or(shape.len().checked_sub(1)),
    }
}

#[cfg(test)]
mod cross_check_tests {
    use super::*;

    fn t(name: &str, values: &[f32]) -> Tensor {
        Tensor { name: name.into(), shape: vec![1, values.len()], data: Data::F32(values.to_vec()) }
    }

    #[test]
    fn outputs_within_the_tolerance_agree() {
        let check = cross_check(&[t("p", &[0.1, 0.9])], &[t("p", &[0.1001, 0.8999])], 1e-3);
        let CrossCheck::Agree { worst } = check else { panic!("{check:?}") };
        assert!((worst - 1e-4).abs() < 1e-6);
    }

    #[test]
    fn a_difference_over_the_tolerance_names_the_output() {
        let check = cross_check(&[t("a", &[1.0]), t("b", &[0.0, 1.0])], &[t("a", &[1.0]), t("b", &[0.5, 0.5])], 1e-3);
        assert_eq!(check, CrossCheck::Differ { worst: 0.5, detail: "output b differs by up to 5.000e-1".into() });
    }

    #[test]
    fn nan_on_one_engine_a_missing_output_or_another_shape_differ() {
        let nan = cross_check(&[t("p", &[f32::NAN])], &[t("p", &[0.5])], 1e-3);
        assert!(matches!(nan, CrossCheck::Differ { worst, .. } if worst.is_infinite()), "{nan:?}");
        let both_nan = cross_check(&[t("p", &[f32::NAN])], &[t("p", &[f32::NAN])], 1e-3);
        assert_eq!(both_nan, CrossCheck::Agree { worst: 0.0 });
        let missing = cross_check(&[], &[t("p", &[0.5])], 1e-3);
        assert!(
            matches!(missing, CrossCheck::Differ { ref detail, .. } if detail.contains("no output p")),
            "{missing:?}"
        );
        let shaped = cross_check(&[t("p", &[0.5, 0.5])], &[t("p", &[0.5])], 1e-3);
        assert!(matches!(shaped, CrossCheck::Differ { ref detail, .. } if detail.contains("shape")), "{shaped:?}");
    }
}
