//! A CSV table with a header row read as an evaluation set: every column but the last is a number
//! of one float32 array, `features` (one row a sample), and the last column is the truth, an
//! array named by its header: int64 when every value is a whole number, float32 when they are
//! numbers, and class indices when they are words (the classes, sorted, become the manifest's
//! labels). Commas separate values (semicolons or tabs when the header has no comma); quotes as
//! RFC 4180 writes them; blank lines are skipped. A cell that is not a number, a row of another
//! length, or an empty table is refused with a sentence naming the row and the column.

use std::collections::BTreeMap;

use crate::tensor::DType;

use super::bundle::{ArrayAt, ArraySpec, BUNDLE_VERSION, BundleLimits, Manifest};

/// The features array's name (the truth's is its column's header).
pub const FEATURES: &str = "features";

/// Why a CSV table can't be an evaluation set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("the CSV file is not text (UTF-8)")]
    NotText,
    #[error("the CSV file has no rows below its header")]
    Empty,
    #[error("the CSV file's header names {0} column; it needs the features' columns and, last, the true answers'")]
    OneColumn(usize),
    #[error("row {row} has {got} values; the header names {expected} columns")]
    Ragged { row: usize, got: usize, expected: usize },
    #[error("row {row}, column {column} ({name}): {value:?} is not a number")]
    NotNumber { row: usize, column: usize, name: String, value: String },
    #[error("row {row} has a quote that is not closed")]
    OpenQuote { row: usize },
    #[error("the CSV file has more than {max} rows of samples; at most {max} can be evaluated in a browser")]
    TooManySamples { max: usize },
    #[error("the CSV file's features pass {max} bytes by row {row}; at most {max} can be evaluated in a browser")]
    TooLarge { row: usize, max: u64 },
}

/// The evaluation set a CSV table makes: its manifest (no licence or source: the creator says
/// them) and its two array files.
pub fn bundle_of_csv(text: &[u8], limits: &BundleLimits) -> Result<(Manifest, BTreeMap<String, Vec<u8>>), CsvError> {
    let text = std::str::from_utf8(text).map_err(|_| CsvError::NotText)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    let separator = [',', ';', '\t'].into_iter().find(|&c| first_line.contains(c)).unwrap_or(',');
    let mut rows = Rows { text, separator, line: 0 };
    let header = rows.next().transpose()?.ok_or(CsvError::Empty)?.1;
    let columns = header.len();
    if columns < 2 {
        return Err(CsvError::OneColumn(columns));
    }
    let mut features = Vec::new();
    let mut truth: Vec<(usize, String)> = Vec::new();
    for row in rows {
        let (line, cells) = row?;
        if cells.len() != columns {
            return Err(CsvError::Ragged { row: line, got: cells.len(), expected: columns });
        }
        if truth.len() == limits.max_samples {
            return Err(CsvError::TooManySamples { max: limits.max_samples });
        }
        for (column, cell) in cells[..columns - 1].iter().enumerate() {
            let value = number(cell).ok_or_else(|| CsvError::NotNumber {
                row: line,
                column: column + 1,
                name: header[column].clone(),
                value: cell.clone(),
            })?;
            features.extend_from_slice(&(value as f32).to_le_bytes());
        }
        if features.len() as u64 > limits.max_bytes {
            return Err(CsvError::TooLarge { row: line, max: limits.max_bytes });
        }
        truth.push((line, cells[columns - 1].trim().to_owned()));
    }
    if truth.is_empty() {
        return Err(CsvError::Empty);
    }
    let samples = truth.len();
    let truth_name = match header[columns - 1].trim() {
        "" => "truth".to_owned(),
        name => name.to_owned(),
    };
    let (dtype, values, labels) = truth_values(&truth);
    let features_name = if truth_name == FEATURES { "inputs" } else { FEATURES };
    let manifest = Manifest {
        version: BUNDLE_VERSION,
        samples,
        arrays: vec![
            ArraySpec {
                name: features_name.to_owned(),
                at: ArrayAt::File("features.bin".into()),
                dtype: DType::F32,
                shape: vec![samples, columns - 1],
            },
            ArraySpec { name: truth_name, at: ArrayAt::File("truth.bin".into()), dtype, shape: vec![samples] },
        ],
        labels,
        licence: String::new(),
        source: String::new(),
    };
    Ok((manifest, BTreeMap::from([("features.bin".to_owned(), features), ("truth.bin".to_owned(), values)])))
}

/// A cell as a finite number.
fn number(cell: &str) -> Option<f64> {
    cell.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The truth column: whole numbers as int64, numbers as float32, else words as class indices
/// (with the classes, sorted).
fn truth_values(cells: &[(usize, String)]) -> (DType, Vec<u8>, Vec<String>) {
    if let Some(whole) = cells.iter().map(|(_, c)| c.parse::<i64>().ok()).collect::<Option<Vec<_>>>() {
        return (DType::I64, whole.iter().flat_map(|v| v.to_le_bytes()).collect(), Vec::new());
    }
    if let Some(values) = cells.iter().map(|(_, c)| number(c)).collect::<Option<Vec<_>>>() {
        return (DType::F32, values.iter().flat_map(|&v| (v as f32).to_le_bytes()).collect(), Vec::new());
    }
    let classes: Vec<String> =
        cells.iter().map(|(_, c)| c.clone()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let indices = cells
        .iter()
        .flat_map(|(_, c)| (classes.binary_search(c).expect("every cell is a class") as i64).to_le_bytes())
        .collect();
    (DType::I64, indices, classes)
}

/// The table's rows, each with its line number (1 is the header), blank lines skipped.
struct Rows<'a> {
    text: &'a str,
    separator: char,
    line: usize,
}

impl Iterator for Rows<'_> {
    type Item = Result<(usize, Vec<String>), CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.text.is_empty() {
                return None;
            }
            self.line += 1;
            let row = self.line;
            let mut cells = vec![String::new()];
            let mut chars = self.text.char_indices().peekable();
            let mut quoted = false;
            let mut end = self.text.len();
            while let Some((i, c)) = chars.next() {
                let cell = cells.last_mut().expect("a row has a cell");
                match (quoted, c) {
                    (true, '"') if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                        chars.next();
                        cell.push('"');
                    }
                    (true, '"') => quoted = false,
                    (true, '\n') => {
                        self.line += 1;
                        cell.push(c);
                    }
                    (true, _) => cell.push(c),
                    (false, '"') if cell.trim().is_empty() => {
                        cell.clear();
                        quoted = true;
                    }
                    (false, '\n') => {
                        end = i + 1;
                        break;
                    }
                    (false, '\r') if chars.peek().is_none_or(|&(_, n)| n == '\n') => {}
                    (false, c) if c == self.separator => cells.push(String::new()),
                    (false, _) => cell.push(c),
                }
            }
            if quoted {
                return Some(Err(CsvError::OpenQuote { row }));
            }
            self.text = &self.text[end..];
            if cells.len() == 1 && cells[0].trim().is_empty() {
                continue;
            }
            return Some(Ok((row, cells)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::Bundle;
    use crate::tensor::Data;

    fn read(text: &str) -> Result<Bundle, String> {
        let limits = BundleLimits { max_samples: 4, max_bytes: 1 << 20 };
        let (manifest, files) = bundle_of_csv(text.as_bytes(), &limits).map_err(|e| e.to_string())?;
        Bundle::new(manifest, &files).map_err(|e| e.to_string())
    }

    #[test]
    fn features_and_a_truth_column_of_each_kind() {
        let whole = read("a,b,digit\r\n1,2.5,7\r\n\r\n-3,4e1,0\r\n").unwrap();
        assert_eq!(whole.manifest.arrays[0].shape, [2, 2]);
        assert_eq!(whole.array("features").unwrap(), &Data::F32(vec![1.0, 2.5, -3.0, 40.0]));
        assert_eq!(whole.array("digit").unwrap(), &Data::I64(vec![7, 0]));
        assert!(whole.manifest.labels.is_empty());
        let values = read("x;price\n1;2.5\n2;3\n").unwrap();
        assert_eq!(values.array("price").unwrap(), &Data::F32(vec![2.5, 3.0]));
        let words = read("\u{feff}\"width, cm\",species\n1,virginica\n2,\"setosa\"\n3,virginica\n").unwrap();
        assert_eq!(words.manifest.labels, ["setosa", "virginica"]);
        assert_eq!(words.labels("species", 2).unwrap(), [1, 0, 1]);
        assert_eq!(words.array("features").unwrap(), &Data::F32(vec![1.0, 2.0, 3.0]));
        let tabs = read("features\tfeatures\n1\t2\n").unwrap();
        assert_eq!(tabs.manifest.arrays.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["inputs", "features"]);
    }

    #[test]
    fn tables_that_are_not_evaluation_sets_are_refused_naming_row_and_column() {
        assert_eq!(read("").unwrap_err(), "the CSV file has no rows below its header");
        assert_eq!(read("a,b\n\n").unwrap_err(), "the CSV file has no rows below its header");
        assert_eq!(
            read("label\n1\n").unwrap_err(),
            "the CSV file's header names 1 column; it needs the features' columns and, last, the true answers'"
        );
        assert_eq!(read("a,b,y\n1,2,0\n3,4\n").unwrap_err(), "row 3 has 2 values; the header names 3 columns");
        assert_eq!(read("a,b,y\n1,2,0\n3,four,1\n").unwrap_err(), "row 3, column 2 (b): \"four\" is not a number");
        assert_eq!(read("a,b,y\n1,,0\n").unwrap_err(), "row 2, column 2 (b): \"\" is not a number");
        assert_eq!(read("a,b,y\n1,NaN,0\n").unwrap_err(), "row 2, column 2 (b): \"NaN\" is not a number");
        assert_eq!(read("a,y\n1,\"open\n").unwrap_err(), "row 2 has a quote that is not closed");
        assert_eq!(
            read("a,y\n1,0\n1,0\n1,0\n1,0\n1,0\n").unwrap_err(),
            "the CSV file has more than 4 rows of samples; at most 4 can be evaluated in a browser"
        );
        assert_eq!(bundle_of_csv(&[0xff, 0xfe], &BundleLimits::default()).unwrap_err(), CsvError::NotText);
        assert_eq!(
            bundle_of_csv(b"a,b,c,y\n1,2,3,0\n4,5,6,1\n", &BundleLimits { max_samples: 10, max_bytes: 20 })
                .unwrap_err()
                .to_string(),
            "the CSV file's features pass 20 bytes by row 3; at most 20 can be evaluated in a browser"
        );
    }
}
