//! Pre-processing: what a person gives (a picture, form fields, a file, JSON) → the input tensor
//! the card declares.

use crate::card::{ChannelOrder, FieldSpec, ImageSpec, InputKind, InputSpec, Layout, Resize};
use crate::tensor::{DType, Data, Tensor};

/// An RGBA picture as a canvas gives it (`getImageData`): 4 bytes per pixel, row-major.
pub struct Rgba<'a> {
    pub width: usize,
    pub height: usize,
    pub pixels: &'a [u8],
}

/// Resamples one channel plane (`src_w × src_h`, f32) to `dst_w × dst_h` by area averaging: each
/// output pixel is the mean of the source area it covers, fractional edges weighted. Exact for
/// downscaling (no aliasing, as a drawing pad → 8×8 needs); piecewise constant when upscaling.
pub fn resample_area(src: &[f32], src_w: usize, src_h: usize, dst_w: usize, dst_h: usize) -> Vec<f32> {
    let sx = src_w as f64 / dst_w as f64;
    let sy = src_h as f64 / dst_h as f64;
    // Per axis: for each output index, the (source index, weight) pairs it covers.
    let spans = |scale: f64, dst: usize, src_len: usize| -> Vec<Vec<(usize, f64)>> {
        (0..dst)
            .map(|o| {
                let (a, b) = (o as f64 * scale, (o as f64 + 1.0) * scale);
                let mut span = Vec::new();
                let mut i = a.floor() as usize;
                while (i as f64) < b && i < src_len {
                    let w = (b.min(i as f64 + 1.0) - a.max(i as f64)).max(0.0);
                    if w > 0.0 {
                        span.push((i, w));
                    }
                    i += 1;
                }
                span
            })
            .collect()
    };
    let xs = spans(sx, dst_w, src_w);
    let ys = spans(sy, dst_h, src_h);
    let mut out = Vec::with_capacity(dst_w * dst_h);
    for ys_o in &ys {
        for xs_o in &xs {
            let (mut acc, mut total) = (0.0f64, 0.0f64);
            for &(y, wy) in ys_o {
                for &(x, wx) in xs_o {
                    acc += f64::from(src[y * src_w + x]) * wy * wx;
                    total += wy * wx;
                }
            }
            out.push(if total > 0.0 { (acc / total) as f32 } else { 0.0 });
        }
    }
    out
}

/// The picture's channel planes (grey: luminance; colour: in `order`), transparent pixels composed
/// over white, `invert` applied, 0–255.
fn planes(image: &Rgba, spec: &ImageSpec) -> Vec<Vec<f32>> {
    let n = image.width * image.height;
    let mut planes = vec![Vec::with_capacity(n); spec.channels];
    for px in image.pixels.chunks_exact(4).take(n) {
        let alpha = f32::from(px[3]) / 255.0;
        let over_white = |c: u8| f32::from(c) * alpha + 255.0 * (1.0 - alpha);
        let (r, g, b) = (over_white(px[0]), over_white(px[1]), over_white(px[2]));
        let flip = |v: f32| if spec.invert { 255.0 - v } else { v };
        if spec.channels == 1 {
            planes[0].push(flip(0.299 * r + 0.587 * g + 0.114 * b));
        } else {
            let rgb = match spec.channel_order {
                ChannelOrder::Rgb => [r, g, b],
                ChannelOrder::Bgr => [b, g, r],
            };
            for (plane, v) in planes.iter_mut().zip(rgb) {
                plane.push(flip(v));
            }
        }
    }
    planes
}

/// A picture → the image input's values, in the card's layout (`shape` is applied by the caller).
pub fn image_values(image: &Rgba, spec: &ImageSpec) -> Result<Vec<f32>, String> {
    if image.width == 0 || image.height == 0 || image.pixels.len() < image.width * image.height * 4 {
        return Err(format!("the picture is empty or incomplete ({}×{})", image.width, image.height));
    }
    let (w, h) = (spec.width, spec.height);
    // Width the content is scaled to; the rest (FitHeightPadRight) is padding.
    let content_w = match spec.resize {
        Resize::Stretch => w,
        Resize::FitHeightPadRight => {
            let ratio = image.width as f64 / image.height as f64;
            ((h as f64 * ratio).ceil() as usize).clamp(1, w)
        }
    };
    let mut normalised = Vec::with_capacity(spec.channels);
    for (c, plane) in planes(image, spec).into_iter().enumerate() {
        let resized = resample_area(&plane, image.width, image.height, content_w, h);
        let mean = spec.mean.get(c).copied().unwrap_or(0.0);
        let std = spec.std.get(c).copied().unwrap_or(1.0);
        let mut full = vec![0.0f32; w * h];
        for y in 0..h {
            for x in 0..content_w {
                full[y * w + x] = (resized[y * content_w + x] * spec.scale - mean) / std;
            }
        }
        normalised.push(full);
    }
    Ok(match spec.layout {
        Layout::Nchw => normalised.concat(),
        Layout::Nhwc => (0..w * h).flat_map(|i| normalised.iter().map(move |p| p[i])).collect(),
    })
}

/// Form values → values of a fields input, each checked against its bounds.
pub fn field_values(values: &[f64], fields: &[FieldSpec]) -> Result<Vec<f64>, String> {
    if values.len() != fields.len() {
        return Err(format!("{} values for {} fields", values.len(), fields.len()));
    }
    for (v, f) in values.iter().zip(fields) {
        if !v.is_finite() {
            return Err(format!("{} is not a number", f.name));
        }
        if f.min.is_some_and(|m| *v < m) || f.max.is_some_and(|m| *v > m) {
            return Err(format!(
                "{} must be between {} and {} (got {v})",
                f.name,
                f.min.map_or("−∞".into(), |m| m.to_string()),
                f.max.map_or("∞".into(), |m| m.to_string())
            ));
        }
    }
    Ok(values.to_vec())
}

/// A JSON tensor (nested arrays or one flat list of numbers; `true`/`false` read as 1/0) → its
/// values, flattened row-major.
pub fn json_values(text: &str) -> Result<Vec<f64>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<f64>) -> Result<(), String> {
        match v {
            serde_json::Value::Array(items) => items.iter().try_for_each(|i| walk(i, out)),
            serde_json::Value::Number(n) => {
                out.push(n.as_f64().ok_or("a number out of range")?);
                Ok(())
            }
            serde_json::Value::Bool(b) => {
                out.push(f64::from(u8::from(*b)));
                Ok(())
            }
            other => Err(format!("expected numbers and arrays, found {other}")),
        }
    }
    walk(&value, &mut out)?;
    Ok(out)
}

/// Byte features of a file (magika's v3 scheme): the first `begin` bytes of the first `block`
/// bytes with leading whitespace stripped, padded after with `padding`; the last `end` bytes of
/// the last `block` bytes with trailing whitespace stripped, padded before.
pub fn file_byte_values(bytes: &[u8], begin: usize, end: usize, padding: i64, block: usize) -> Vec<f64> {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let head = &bytes[..bytes.len().min(block)];
    let head = &head[head.iter().position(|b| !ws(b)).unwrap_or(head.len())..];
    let tail = &bytes[bytes.len().saturating_sub(block)..];
    let tail = &tail[..tail.iter().rposition(|b| !ws(b)).map_or(0, |p| p + 1)];
    let mut out = Vec::with_capacity(begin + end);
    out.extend(head.iter().take(begin).map(|&b| f64::from(b)));
    out.resize(begin, padding as f64);
    let kept = &tail[tail.len().saturating_sub(end)..];
    out.extend(std::iter::repeat_n(padding as f64, end - kept.len()));
    out.extend(kept.iter().map(|&b| f64::from(b)));
    out
}

/// Values → the input tensor of `spec`: count checked against the shape (a scalar, shape `[]`,
/// takes one value), converted to its dtype (integers must be whole and in range, booleans 0 or 1).
pub fn to_tensor(spec: &InputSpec, values: Vec<f64>) -> Result<Tensor, String> {
    let want: usize = spec.shape.iter().product();
    if values.len() != want {
        return Err(format!("{} needs {want} values (shape {:?}), got {}", spec.name, spec.shape, values.len()));
    }
    let ints = |lo: f64, hi: f64| -> Result<(), String> {
        match values.iter().find(|v| v.fract() != 0.0 || **v < lo || **v > hi) {
            Some(v) => Err(format!("{} takes whole numbers from {lo} to {hi}; {v} is not one", spec.name)),
            None => Ok(()),
        }
    };
    let data = match spec.dtype {
        DType::F32 => Data::F32(values.iter().map(|&v| v as f32).collect()),
        DType::I32 => {
            ints(f64::from(i32::MIN), f64::from(i32::MAX))?;
            Data::I32(values.iter().map(|&v| v as i32).collect())
        }
        DType::I64 => {
            ints(-9.007_199_254_740_992e15, 9.007_199_254_740_992e15)?;
            Data::I64(values.iter().map(|&v| v as i64).collect())
        }
        DType::U8 => {
            ints(0.0, 255.0)?;
            Data::U8(values.iter().map(|&v| v as u8).collect())
        }
        DType::Bool => {
            ints(0.0, 1.0)?;
            Data::Bool(values.iter().map(|&v| v != 0.0).collect())
        }
    };
    Tensor::new(spec.name.clone(), spec.shape.clone(), data)
}

/// What a person provides for one input.
pub enum Given<'a> {
    Image(Rgba<'a>),
    Fields(Vec<f64>),
    File(&'a [u8]),
    Json(&'a str),
    /// Nothing: what a [`InputKind::State`] input takes (zeros).
    Nothing,
}

/// Zeros of the input's shape and type: a state's start, or a placeholder.
pub fn zeros(spec: &InputSpec) -> Result<Tensor, String> {
    to_tensor(spec, vec![0.0; spec.count()])
}

/// One input from what was given, per the card's spec.
pub fn prepare(spec: &InputSpec, given: Given) -> Result<Tensor, String> {
    let values = match (&spec.kind, given) {
        (InputKind::Image(image_spec), Given::Image(image)) => {
            image_values(&image, image_spec)?.into_iter().map(f64::from).collect()
        }
        (InputKind::Fields { fields }, Given::Fields(values)) => field_values(&values, fields)?,
        (InputKind::FileBytes { begin, end, padding, block }, Given::File(bytes)) => {
            file_byte_values(bytes, *begin, *end, *padding, *block)
        }
        (_, Given::Json(text)) => json_values(text)?,
        (InputKind::State, _) => return zeros(spec),
        _ => return Err(format!("{} takes a different kind of input", spec.name)),
    };
    to_tensor(spec, values)
}

/// Deterministic pseudo-random values for an input, for benchmarks (xorshift64*): float inputs
/// uniform in [0, 1), byte features bytes and padding, raw tensors uniform in [-1, 1), states zeros.
pub fn synthetic(spec: &InputSpec, seed: u64) -> Result<Tensor, String> {
    let mut state = seed.max(1);
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    };
    let n: usize = spec.shape.iter().product();
    let values = match &spec.kind {
        InputKind::State => return zeros(spec),
        InputKind::FileBytes { padding, .. } => {
            (0..n).map(|_| if next() < 0.1 { *padding as f64 } else { (next() * 256.0).floor() }).collect()
        }
        InputKind::Tensor if spec.dtype == DType::F32 => (0..n).map(|_| next() * 2.0 - 1.0).collect(),
        _ if spec.dtype == DType::Bool => (0..n).map(|_| (next() * 2.0).floor()).collect(),
        _ if spec.dtype != DType::F32 => (0..n).map(|_| (next() * 100.0).floor()).collect(),
        _ => (0..n).map(|_| next()).collect(),
    };
    to_tensor(spec, values)
}
