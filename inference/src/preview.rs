//! A raw output tensor shown as text, and the whole tensor for download: the page shows a bounded
//! preview (wrapped rows, the first values) and offers the full values as JSON or `.npy`.

use serde::Serialize;

use crate::tensor::{Data, Tensor};

/// How much of a tensor the preview shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PreviewLimits {
    /// Values shown before the "… more values" marker.
    pub max_values: usize,
    /// Longest line in characters; longer rows wrap onto indented lines.
    pub max_line_chars: usize,
}

impl Default for PreviewLimits {
    /// 200 values, 100-character lines.
    fn default() -> Self {
        Self { max_values: 200, max_line_chars: 100 }
    }
}

/// A tensor as text: one line per row of the last axis (wrapped), each row prefixed by its index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preview {
    /// The lines, the marker last when values were left out.
    pub lines: Vec<String>,
    /// Values shown, and values in the tensor.
    pub shown: usize,
    pub total: usize,
}

impl Preview {
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }
}

/// One value as shown: integers and booleans exactly, floats with 4 significant digits.
fn format_value(data: &Data, i: usize) -> String {
    match data {
        Data::F32(v) => {
            let x = v[i];
            if x == 0.0 || (1e-3..1e5).contains(&x.abs()) {
                let s = format!("{x:.4}");
                let s = s.trim_end_matches('0').trim_end_matches('.');
                if s == "-0" { "0".into() } else { s.into() }
            } else if x.is_finite() {
                format!("{x:.3e}")
            } else {
                x.to_string()
            }
        }
        Data::I32(v) => v[i].to_string(),
        Data::I64(v) => v[i].to_string(),
        Data::U8(v) => v[i].to_string(),
        Data::Bool(v) => v[i].to_string(),
    }
}

/// The preview of `tensor`: rows along the last axis (`[i, j]` prefixes the row at those leading
/// indices), values separated by spaces, lines wrapped at `max_line_chars`, and after
/// `max_values` values a line `… (k more values; download the full tensor)`.
pub fn preview(tensor: &Tensor, limits: PreviewLimits) -> Preview {
    let total = tensor.data.len();
    let row_len = tensor.shape.last().copied().unwrap_or(1).max(1);
    let leading = &tensor.shape[..tensor.shape.len().saturating_sub(1)];
    let shown = total.min(limits.max_values);
    let width = limits.max_line_chars.max(20);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < shown {
        let row = start / row_len;
        // The leading indices of this row, row-major.
        let mut index = Vec::with_capacity(leading.len());
        let mut rest = row;
        for &d in leading.iter().rev() {
            index.push(rest % d.max(1));
            rest /= d.max(1);
        }
        index.reverse();
        let prefix = if leading.is_empty() {
            String::new()
        } else {
            format!("[{}] ", index.iter().map(usize::to_string).collect::<Vec<_>>().join(", "))
        };
        let end = ((row + 1) * row_len).min(shown);
        let indent = " ".repeat(prefix.chars().count().min(width / 2));
        let (mut line, mut in_line) = (prefix, 0);
        for i in start..end {
            let value = format_value(&tensor.data, i);
            if in_line > 0 && line.chars().count() + 1 + value.chars().count() > width {
                lines.push(std::mem::replace(&mut line, indent.clone()));
                in_line = 0;
            }
            if in_line > 0 {
                line.push(' ');
            }
            line.push_str(&value);
            in_line += 1;
        }
        lines.push(line);
        start = end;
    }
    if shown < total {
        lines.push(format!("… ({} more values; download the full tensor)", total - shown));
    }
    Preview { lines, shown, total }
}

/// The whole tensor as JSON: `{ "name", "dtype", "shape", "values" }`, values nested by shape (a
/// scalar is one value).
pub fn to_json(tensor: &Tensor) -> String {
    fn nest(values: &[serde_json::Value], shape: &[usize]) -> serde_json::Value {
        match shape.split_first() {
            None => values.first().cloned().unwrap_or(serde_json::Value::Null),
            Some((&n, rest)) => {
                let step: usize = rest.iter().product();
                serde_json::Value::Array((0..n).map(|i| nest(&values[i * step..(i + 1) * step], rest)).collect())
            }
        }
    }
    let flat: Vec<serde_json::Value> = match &tensor.data {
        Data::F32(v) => v.iter().map(|&x| serde_json::json!(x)).collect(),
        Data::I32(v) => v.iter().map(|&x| serde_json::json!(x)).collect(),
        Data::I64(v) => v.iter().map(|&x| serde_json::json!(x)).collect(),
        Data::U8(v) => v.iter().map(|&x| serde_json::json!(x)).collect(),
        Data::Bool(v) => v.iter().map(|&x| serde_json::json!(x)).collect(),
    };
    serde_json::json!({
        "name": tensor.name,
        "dtype": tensor.data.dtype().ort_name(),
        "shape": tensor.shape,
        "values": nest(&flat, &tensor.shape),
    })
    .to_string()
}

/// The whole tensor as a NumPy `.npy` file (format 1.0, little-endian, C order), which
/// `numpy.load` reads.
pub fn to_npy(tensor: &Tensor) -> Vec<u8> {
    let (descr, body): (&str, Vec<u8>) = match &tensor.data {
        Data::F32(v) => ("<f4", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
        Data::I32(v) => ("<i4", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
        Data::I64(v) => ("<i8", v.iter().flat_map(|x| x.to_le_bytes()).collect()),
        Data::U8(v) => ("|u1", v.clone()),
        Data::Bool(v) => ("|b1", v.iter().map(|&b| u8::from(b)).collect()),
    };
    let shape = match tensor.shape.as_slice() {
        [] => "()".to_owned(),
        [n] => format!("({n},)"),
        dims => format!("({})", dims.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")),
    };
    let mut header = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
    // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
    let unpadded = 10 + header.len() + 1;
    header.push_str(&" ".repeat(unpadded.next_multiple_of(64) - unpadded));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + body.len());
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(shape: Vec<usize>) -> Tensor {
        let n = shape.iter().product();
        Tensor::new("t", shape, Data::F32((0..n).map(|i| i as f32 * 0.5).collect())).unwrap()
    }

    #[test]
    fn rows_follow_the_last_axis_and_a_long_tensor_is_cut_with_a_marker() {
        let p = preview(&tensor(vec![2, 3]), PreviewLimits::default());
        assert_eq!(p.lines, ["[0] 0 0.5 1", "[1] 1.5 2 2.5"]);
        let big = tensor(vec![1, 20, 6625]);
        let p = preview(&big, PreviewLimits::default());
        assert_eq!((p.shown, p.total), (200, 132_500));
        assert_eq!(p.lines.last().unwrap(), "… (132300 more values; download the full tensor)");
        assert!(p.lines.iter().all(|l| l.chars().count() <= 100), "{:#?}", p.lines);
        assert!(p.lines[0].starts_with("[0, 0] 0 0.5 1 1.5"));
        assert!(p.lines[1].starts_with("       "), "a wrapped row is indented: {:?}", p.lines[1]);
    }

    #[test]
    fn values_read_as_numbers_people_know() {
        let t = Tensor::new("t", vec![5], Data::F32(vec![1e-7, -3.25, 123456.0, f32::NAN, -0.0])).unwrap();
        assert_eq!(preview(&t, PreviewLimits::default()).text(), "1.000e-7 -3.25 1.235e5 NaN 0");
        let s = Tensor::new("s", vec![], Data::I64(vec![16000])).unwrap();
        assert_eq!(preview(&s, PreviewLimits::default()).text(), "16000");
        let b = Tensor::new("b", vec![1, 2], Data::Bool(vec![true, false])).unwrap();
        assert_eq!(preview(&b, PreviewLimits::default()).text(), "[0] true false");
    }

    #[test]
    fn the_full_tensor_downloads_as_nested_json_and_npy() {
        let json: serde_json::Value = serde_json::from_str(&to_json(&tensor(vec![2, 2]))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "t", "dtype": "float32", "shape": [2, 2], "values": [[0.0, 0.5], [1.0, 1.5]]})
        );
        let scalar = Tensor::new("s", vec![], Data::I32(vec![7])).unwrap();
        assert_eq!(serde_json::from_str::<serde_json::Value>(&to_json(&scalar)).unwrap()["values"], 7);
        let npy = to_npy(&tensor(vec![2, 3]));
        let header_len = u16::from_le_bytes([npy[8], npy[9]]) as usize;
        assert_eq!((10 + header_len) % 64, 0);
        let header = std::str::from_utf8(&npy[10..10 + header_len]).unwrap();
        assert!(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), "{header}");
        assert_eq!(npy.len(), 10 + header_len + 24);
        assert_eq!(&npy[10 + header_len + 4..10 + header_len + 8], &0.5f32.to_le_bytes());
    }
}
