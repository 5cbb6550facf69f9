//! NumPy's `.npy` files (format versions 1.0, 2.0 and 3.0) read as one bundle array each: the
//! header's dtype mapped onto the manifest's types (float64 stored as float32, the type models
//! take; small integers widened to int32 or int64), C order only, the sample count and size
//! checked against [`BundleLimits`] before any value is copied. Fortran order, big-endian values,
//! records, Python objects and text are refused in words, as is a file whose values don't fill
//! its shape exactly.

use crate::tensor::DType;

use super::bundle::BundleLimits;

/// The first bytes of every `.npy` file.
const MAGIC: &[u8] = b"\x93NUMPY";

/// A `.npy` file's values in the manifest's terms: `bytes` are `shape` values of `dtype`,
/// little-endian, C order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NpyArray {
    pub dtype: DType,
    pub shape: Vec<usize>,
    pub bytes: Vec<u8>,
}

/// Why a `.npy` file can't be an array of the bundle; each reads after the file's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NpyError {
    #[error("is not a .npy file (it does not start with NumPy's magic string)")]
    NotNpy,
    #[error("is a .npy file of format version {major}.{minor}; Assay reads versions 1.0, 2.0 and 3.0")]
    Version { major: u8, minor: u8 },
    #[error("ends inside its header")]
    Truncated,
    #[error("has a header Assay can't read ({0})")]
    Header(String),
    #[error("is stored in Fortran order; save it in C order (numpy.ascontiguousarray) and drop it again")]
    FortranOrder,
    #[error("holds big-endian values ({descr}); save them little-endian (for example array.astype('<f4'))")]
    BigEndian { descr: String },
    #[error("holds records (a structured dtype); save each field as an array of its own")]
    Structured,
    #[error(
        "holds {descr} values; an evaluation set's arrays hold numbers (float32 or float64, int8 to int64, uint8 to uint32) or booleans"
    )]
    Unsupported { descr: String },
    #[error("holds a single value; an array's first axis counts the samples")]
    Scalar,
    #[error("has {samples} samples; at most {max} can be evaluated in a browser")]
    TooManySamples { samples: usize, max: usize },
    #[error("holds {shape:?} values, more than the {max} bytes that can be evaluated in a browser")]
    TooLarge { shape: Vec<usize>, max: u64 },
    #[error("should hold {expected} bytes of values for its shape {shape:?} but holds {got}")]
    WrongSize { shape: Vec<usize>, expected: u64, got: u64 },
}

/// How one element is stored in the file and becomes one of the manifest's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Element {
    /// Copied as it is (`f4`, `i4`, `i8`, `u1`, `b1`).
    Same(DType),
    F64,
    I8,
    I16,
    U16,
    U32,
}

impl Element {
    fn of(descr: &str) -> Result<Self, NpyError> {
        let (order, kind) = descr.split_at(descr.char_indices().nth(1).map_or(descr.len(), |(i, _)| i));
        let (order, kind) = match order {
            "<" | ">" | "|" | "=" => (order, kind),
            _ => ("", descr),
        };
        let element = match kind {
            "f4" => Self::Same(DType::F32),
            "f8" => Self::F64,
            "i4" => Self::Same(DType::I32),
            "i8" => Self::Same(DType::I64),
            "u1" => Self::Same(DType::U8),
            "b1" => Self::Same(DType::Bool),
            "i1" => Self::I8,
            "i2" => Self::I16,
            "u2" => Self::U16,
            "u4" => Self::U32,
            _ if kind.starts_with('O') => return Err(NpyError::Unsupported { descr: "Python object".into() }),
            _ => return Err(NpyError::Unsupported { descr: descr.to_owned() }),
        };
        match (order, element.size()) {
            (_, 1) | ("<", _) => Ok(element),
            (">", _) => Err(NpyError::BigEndian { descr: descr.to_owned() }),
            _ => Err(NpyError::Header(format!("the dtype {descr} does not say its byte order"))),
        }
    }

    /// Bytes of one element in the file.
    fn size(self) -> u64 {
        match self {
            Self::Same(dtype) => dtype.size_of(),
            Self::F64 => 8,
            Self::I8 => 1,
            Self::I16 | Self::U16 => 2,
            Self::U32 => 4,
        }
    }

    /// The manifest's type of the values.
    fn dtype(self) -> DType {
        match self {
            Self::Same(dtype) => dtype,
            Self::F64 => DType::F32,
            Self::I8 | Self::I16 | Self::U16 => DType::I32,
            Self::U32 => DType::I64,
        }
    }

    /// The file's values as little-endian bytes of [`Element::dtype`].
    fn convert(self, values: &[u8]) -> Vec<u8> {
        fn each<const N: usize>(values: &[u8], to: impl Fn([u8; N]) -> Vec<u8>) -> Vec<u8> {
            values.chunks_exact(N).flat_map(|c| to(c.try_into().expect("chunks of N bytes"))).collect()
        }
        match self {
            Self::Same(_) => values.to_vec(),
            Self::F64 => each(values, |b| (f64::from_le_bytes(b) as f32).to_le_bytes().to_vec()),
            Self::I8 => each(values, |b: [u8; 1]| i32::from(b[0] as i8).to_le_bytes().to_vec()),
            Self::I16 => each(values, |b| i32::from(i16::from_le_bytes(b)).to_le_bytes().to_vec()),
            Self::U16 => each(values, |b| i32::from(u16::from_le_bytes(b)).to_le_bytes().to_vec()),
            Self::U32 => each(values, |b| i64::from(u32::from_le_bytes(b)).to_le_bytes().to_vec()),
        }
    }
}

/// Reads a `.npy` file as an array of the bundle, within `limits`.
pub fn read_npy(file: &[u8], limits: &BundleLimits) -> Result<NpyArray, NpyError> {
    if file.len() < MAGIC.len() + 2 || &file[..MAGIC.len()] != MAGIC {
        return Err(if MAGIC.starts_with(file) { NpyError::Truncated } else { NpyError::NotNpy });
    }
    let (major, minor) = (file[6], file[7]);
    let (length_bytes, utf8) = match (major, minor) {
        (1, 0) => (2, false),
        (2, 0) => (4, false),
        (3, 0) => (4, true),
        _ => return Err(NpyError::Version { major, minor }),
    };
    let start = 8 + length_bytes;
    let length = file.get(8..start).ok_or(NpyError::Truncated)?;
    let length = length.iter().rev().fold(0usize, |n, &b| (n << 8) | usize::from(b));
    let header = file.get(start..start.saturating_add(length)).ok_or(NpyError::Truncated)?;
    let header = std::str::from_utf8(header)
        .ok()
        .filter(|h| utf8 || h.is_ascii())
        .ok_or_else(|| NpyError::Header("it is not text".into()))?;
    let header = Header::parse(header)?;
    // Fortran order is C order when at most one axis has more than one value.
    if header.fortran_order && header.shape.iter().filter(|&&d| d > 1).count() > 1 {
        return Err(NpyError::FortranOrder);
    }
    let element = Element::of(&header.descr)?;
    let shape = header.shape;
    let samples = *shape.first().ok_or(NpyError::Scalar)?;
    if samples > limits.max_samples {
        return Err(NpyError::TooManySamples { samples, max: limits.max_samples });
    }
    let count = shape.iter().try_fold(1u64, |n, &d| n.checked_mul(d as u64));
    let stored = count.and_then(|n| n.checked_mul(element.dtype().size_of())).filter(|&b| b <= limits.max_bytes);
    let (Some(count), Some(_)) = (count, stored) else {
        return Err(NpyError::TooLarge { shape, max: limits.max_bytes });
    };
    let values = &file[start + length..];
    let expected = count * element.size();
    if values.len() as u64 != expected {
        return Err(NpyError::WrongSize { shape, expected, got: values.len() as u64 });
    }
    Ok(NpyArray { dtype: element.dtype(), shape, bytes: element.convert(values) })
}

/// The header's dictionary: `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 64), }`.
struct Header {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
}

/// A Python literal of the header.
enum Literal {
    Text(String),
    Bool(bool),
    Int(usize),
    /// A tuple or a list.
    Sequence(Vec<Literal>),
}

impl Header {
    fn parse(text: &str) -> Result<Self, NpyError> {
        let bad = |why: &str| NpyError::Header(why.to_owned());
        let mut parser = Parser { rest: text.trim() };
        parser.eat('{').ok_or_else(|| bad("it is not a dictionary"))?;
        let (mut descr, mut fortran_order, mut shape) = (None, None, None);
        while parser.eat('}').is_none() {
            let Literal::Text(key) = parser.literal()? else { return Err(bad("a key is not a string")) };
            parser.eat(':').ok_or_else(|| bad("a key has no value"))?;
            let value = parser.literal()?;
            match (key.as_str(), value) {
                ("descr", Literal::Text(d)) => descr = Some(d),
                ("descr", Literal::Sequence(_)) => return Err(NpyError::Structured),
                ("fortran_order", Literal::Bool(f)) => fortran_order = Some(f),
                ("shape", Literal::Sequence(dims)) => {
                    shape = Some(
                        dims.into_iter()
                            .map(|d| match d {
                                Literal::Int(d) => Ok(d),
                                _ => Err(bad("the shape is not a tuple of sizes")),
                            })
                            .collect::<Result<Vec<_>, _>>()?,
                    )
                }
                (key, _) => return Err(NpyError::Header(format!("unexpected {key}"))),
            }
            if parser.eat(',').is_none() && !parser.rest.starts_with('}') {
                return Err(bad("the dictionary is not closed"));
            }
        }
        match (descr, fortran_order, shape) {
            (Some(descr), Some(fortran_order), Some(shape)) => Ok(Self { descr, fortran_order, shape }),
            _ => Err(bad("it lacks descr, fortran_order or shape")),
        }
    }
}

struct Parser<'a> {
    rest: &'a str,
}

impl Parser<'_> {
    fn eat(&mut self, c: char) -> Option<()> {
        self.rest = self.rest.trim_start().strip_prefix(c)?;
        Some(())
    }

    fn literal(&mut self) -> Result<Literal, NpyError> {
        let bad = |why: &str| NpyError::Header(why.to_owned());
        self.rest = self.rest.trim_start();
        let first = self.rest.chars().next().ok_or_else(|| bad("it ends early"))?;
        match first {
            '\'' | '"' => {
                let end = self.rest[1..].find(first).ok_or_else(|| bad("a string is not closed"))?;
                let text = &self.rest[1..1 + end];
                if text.contains('\\') {
                    return Err(bad("a string has escapes"));
                }
                self.rest = &self.rest[end + 2..];
                Ok(Literal::Text(text.to_owned()))
            }
            '(' | '[' => {
                let close = if first == '(' { ')' } else { ']' };
                self.rest = &self.rest[1..];
                let mut items = Vec::new();
                while self.eat(close).is_none() {
                    items.push(self.literal()?);
                    if self.eat(',').is_none() && !self.rest.trim_start().starts_with(close) {
                        return Err(bad("a tuple is not closed"));
                    }
                }
                Ok(Literal::Sequence(items))
            }
            _ => {
                let end = self.rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(self.rest.len());
                let (word, rest) = self.rest.split_at(end);
                self.rest = rest;
                match word {
                    "True" => Ok(Literal::Bool(true)),
                    "False" => Ok(Literal::Bool(false)),
                    // Python 2's NumPy wrote long sizes as `3L`.
                    _ => word
                        .strip_suffix('L')
                        .unwrap_or(word)
                        .parse()
                        .map(Literal::Int)
                        .map_err(|_| NpyError::Header(format!("{word:?} is not a size"))),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(version: u8, header: &str, values: &[u8]) -> Vec<u8> {
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&[version, 0]);
        if version == 1 {
            file.extend_from_slice(&(header.len() as u16).to_le_bytes());
        } else {
            file.extend_from_slice(&(header.len() as u32).to_le_bytes());
        }
        file.extend_from_slice(header.as_bytes());
        file.extend_from_slice(values);
        file
    }

    fn refused(file: &[u8]) -> String {
        read_npy(file, &BundleLimits { max_samples: 1000, max_bytes: 1 << 20 }).unwrap_err().to_string()
    }

    #[test]
    fn headers_of_each_version_are_read_and_values_converted() {
        let floats: Vec<u8> = [1.5f64, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let read = read_npy(
            &npy(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", &floats),
            &BundleLimits::default(),
        )
        .unwrap();
        assert_eq!((read.dtype, read.shape.as_slice()), (DType::F32, [2].as_slice()));
        assert_eq!(read.bytes, [1.5f32, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>());
        let small = read_npy(
            &npy(3, "{\"shape\": (2L, 1L), \"fortran_order\": True, \"descr\": \"|i1\"}", &[0xff, 7]),
            &BundleLimits::default(),
        )
        .unwrap();
        assert_eq!((small.dtype, small.shape.as_slice()), (DType::I32, [2, 1].as_slice()));
        assert_eq!(small.bytes, [-1i32, 7].iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<_>>());
    }

    #[test]
    fn hostile_or_unsupported_files_are_refused_in_words() {
        let header = |descr: &str, fortran: &str, shape: &str| {
            format!("{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}")
        };
        assert_eq!(
            refused(b"PK\x03\x04 not numpy"),
            "is not a .npy file (it does not start with NumPy's magic string)"
        );
        assert_eq!(refused(b"\x93NUM"), "ends inside its header");
        assert_eq!(refused(&npy(1, &header("'<f4'", "False", "(2,)"), &[0; 8])[..20]), "ends inside its header");
        let mut v4 = npy(1, &header("'<f4'", "False", "(2,)"), &[0; 8]);
        v4[6] = 4;
        assert_eq!(refused(&v4), "is a .npy file of format version 4.0; Assay reads versions 1.0, 2.0 and 3.0");
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "True", "(2, 2)"), &[0; 16])),
            "is stored in Fortran order; save it in C order (numpy.ascontiguousarray) and drop it again"
        );
        assert_eq!(
            refused(&npy(1, &header("'>i4'", "False", "(2,)"), &[0; 8])),
            "holds big-endian values (>i4); save them little-endian (for example array.astype('<f4'))"
        );
        assert_eq!(
            refused(&npy(1, &header("[('a', '<f4'), ('b', '<i8')]", "False", "(2,)"), &[0; 24])),
            "holds records (a structured dtype); save each field as an array of its own"
        );
        assert!(refused(&npy(1, &header("'|O'", "False", "(2,)"), &[0; 16])).starts_with("holds Python object values"));
        assert!(refused(&npy(1, &header("'<U5'", "False", "(2,)"), &[0; 40])).starts_with("holds <U5 values"));
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "False", "()"), &[0; 4])),
            "holds a single value; an array's first axis counts the samples"
        );
        // A shape its values don't fill, or one past the limits, before anything is copied.
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "False", "(3, 2)"), &[0; 20])),
            "should hold 24 bytes of values for its shape [3, 2] but holds 20"
        );
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "False", "(1001,)"), &[])),
            "has 1001 samples; at most 1000 can be evaluated in a browser"
        );
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "False", "(10, 18446744073709551615)"), &[])),
            "holds [10, 18446744073709551615] values, more than the 1048576 bytes that can be evaluated in a browser"
        );
        assert_eq!(
            refused(&npy(1, "{'descr': '<f4'}", &[])),
            "has a header Assay can't read (it lacks descr, fortran_order or shape)"
        );
        assert_eq!(
            refused(&npy(1, &header("'<f4'", "False", "(2, x)"), &[])),
            "has a header Assay can't read (\"x\" is not a size)"
        );
    }
}
