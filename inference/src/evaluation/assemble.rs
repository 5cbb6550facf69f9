//! An evaluation set from whatever its creator drops: the bundle's folder (`manifest.json` and the
//! array files it names), a `.zip` of that folder, `.npy` files (one array each, named by the
//! file, every first axis the same samples) or one CSV table ([`super::csv`]). Each way ends in a
//! manifest and its array files, plain little-endian, within [`BundleLimits`], for
//! [`Bundle::new`] to check as any bundle; a bundle built here has no licence or source yet (the
//! creator says them).
//!
//! [`Bundle::new`]: super::Bundle::new

use std::collections::BTreeMap;

use super::archive::{ArchiveError, unzip};
use super::bundle::{ArrayAt, ArraySpec, BUNDLE_VERSION, BundleError, BundleLimits, Manifest};
use super::csv::{CsvError, bundle_of_csv};
use super::npy::{NpyError, read_npy};

/// A bundle's manifest file name.
pub const MANIFEST: &str = "manifest.json";

/// What was dropped, told by the files' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dropped {
    /// A bundle's folder, or `manifest.json` with its array files.
    Folder,
    /// A `.zip` of a bundle's folder (or of `.npy` files, or of a CSV file).
    Zip,
    /// `.npy` files, one array each.
    Npy,
    /// One CSV table.
    Csv,
}

/// Why what was dropped can't be an evaluation set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssembleError {
    #[error("nothing was dropped")]
    Nothing,
    #[error("the dropped files hold {bytes} bytes; at most {max} are read for an evaluation set in a browser")]
    TooLarge { bytes: u64, max: u64 },
    #[error(
        "what was dropped ({names}) can't be an evaluation set: drop the set's folder (manifest.json and the array files it names), a .zip of that folder, .npy files (one array each) or one .csv file"
    )]
    Unrecognised { names: String },
    #[error("the .zip file holds another .zip file; zip the evaluation set's files themselves")]
    ZipInZip,
    #[error("the manifest names {file}, which was not dropped with it")]
    NotDropped { file: String },
    #[error(
        "the manifest names its arrays by CID (it was published already): drop the folder whose manifest names the array files"
    )]
    Published,
    #[error("the file {file} {error}")]
    Npy { file: String, error: NpyError },
    #[error(
        "the file {first} has {first_samples} samples but {other} has {other_samples}; every array's first axis counts the same samples"
    )]
    Samples { first: String, first_samples: usize, other: String, other_samples: usize },
    #[error("the file {file} and another file both make the array {name}")]
    SameName { file: String, name: String },
    #[error(transparent)]
    Csv(#[from] CsvError),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// The last part of a path.
fn base(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

fn ends_with(name: &str, extension: &str) -> bool {
    name.len() > extension.len()
        && name.is_char_boundary(name.len() - extension.len())
        && name[name.len() - extension.len()..].eq_ignore_ascii_case(extension)
}

impl Dropped {
    /// What `names` are (hidden files such as `.DS_Store` aside).
    pub fn of<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, AssembleError> {
        let names: Vec<&str> = names.into_iter().filter(|n| !base(n).starts_with('.')).collect();
        let all = |extension: &str| names.iter().all(|n| ends_with(n, extension));
        match names.as_slice() {
            [] => Err(AssembleError::Nothing),
            _ if names.iter().any(|n| base(n) == MANIFEST) => Ok(Self::Folder),
            _ if all(".npy") => Ok(Self::Npy),
            [one] if ends_with(one, ".csv") => Ok(Self::Csv),
            [one] if ends_with(one, ".zip") => Ok(Self::Zip),
            _ => {
                let mut shown: Vec<&str> = names.iter().take(3).map(|n| base(n)).collect();
                if names.len() > 3 {
                    shown.push("…");
                }
                Err(AssembleError::Unrecognised { names: shown.join(", ") })
            }
        }
    }
}

/// Refuses dropped files too big to read: together at most twice the arrays' limit (a CSV
/// table's text is longer than its values) and a megabyte; checked before any is read.
pub fn check_dropped_size(bytes: u64, limits: &BundleLimits) -> Result<(), AssembleError> {
    let max = limits.max_bytes.saturating_mul(2).saturating_add(1 << 20);
    if bytes > max { Err(AssembleError::TooLarge { bytes, max }) } else { Ok(()) }
}

/// The evaluation set the dropped `files` (name → bytes; hidden ones left out) make: its manifest
/// and array files, the manifest within `limits`.
pub fn assemble(
    files: BTreeMap<String, Vec<u8>>,
    limits: &BundleLimits,
) -> Result<(Manifest, BTreeMap<String, Vec<u8>>), AssembleError> {
    check_dropped_size(files.values().map(|f| f.len() as u64).sum(), limits)?;
    let files: BTreeMap<String, Vec<u8>> = files.into_iter().filter(|(name, _)| !base(name).starts_with('.')).collect();
    match Dropped::of(files.keys().map(String::as_str))? {
        Dropped::Zip => {
            let archive = files.into_values().next().expect("one file");
            let inside = unzip(&archive, limits)?;
            if Dropped::of(inside.keys().map(String::as_str))? == Dropped::Zip {
                return Err(AssembleError::ZipInZip);
            }
            assemble(inside, limits)
        }
        Dropped::Folder => folder(files, limits),
        Dropped::Npy => npy_files(files, limits),
        Dropped::Csv => {
            let text = files.into_values().next().expect("one file");
            let (manifest, arrays) = bundle_of_csv(&text, limits)?;
            manifest.check(limits)?;
            Ok((manifest, arrays))
        }
    }
}

/// A folder's files: the manifest and the files it names, keyed as it names them.
fn folder(
    mut files: BTreeMap<String, Vec<u8>>,
    limits: &BundleLimits,
) -> Result<(Manifest, BTreeMap<String, Vec<u8>>), AssembleError> {
    let path = files.keys().find(|n| base(n) == MANIFEST).cloned().expect("a folder has its manifest");
    let folder = &path[..path.len() - MANIFEST.len()];
    let text = files.remove(&path).unwrap_or_default();
    let manifest = Manifest::from_json(&String::from_utf8_lossy(&text), limits)?;
    let names = manifest.files();
    if names.is_empty() {
        return Err(AssembleError::Published);
    }
    let mut arrays = BTreeMap::new();
    for name in names {
        let bytes = files
            .remove(&format!("{folder}{name}"))
            .ok_or_else(|| AssembleError::NotDropped { file: name.to_owned() })?;
        arrays.insert(name.to_owned(), bytes);
    }
    Ok((manifest, arrays))
}

/// `.npy` files: one array each, named by the file (`pixels.npy` → `pixels`, kept as
/// `pixels.bin`), in the files' order.
fn npy_files(
    files: BTreeMap<String, Vec<u8>>,
    limits: &BundleLimits,
) -> Result<(Manifest, BTreeMap<String, Vec<u8>>), AssembleError> {
    let mut arrays: Vec<ArraySpec> = Vec::new();
    let mut bytes = BTreeMap::new();
    for (file, content) in &files {
        let name = base(file);
        let name = name[..name.len() - ".npy".len()].to_owned();
        let array =
            read_npy(content, limits).map_err(|error| AssembleError::Npy { file: base(file).to_owned(), error })?;
        if let Some(first) = arrays.first()
            && first.shape[0] != array.shape[0]
        {
            return Err(AssembleError::Samples {
                first: format!("{}.npy", first.name),
                first_samples: first.shape[0],
                other: base(file).to_owned(),
                other_samples: array.shape[0],
            });
        }
        let stored = format!("{name}.bin");
        if bytes.insert(stored.clone(), array.bytes).is_some() {
            return Err(AssembleError::SameName { file: base(file).to_owned(), name });
        }
        arrays.push(ArraySpec { name, at: ArrayAt::File(stored), dtype: array.dtype, shape: array.shape });
    }
    let manifest = Manifest {
        version: BUNDLE_VERSION,
        samples: arrays.first().map_or(0, |a| a.shape[0]),
        arrays,
        labels: Vec::new(),
        licence: String::new(),
        source: String::new(),
    };
    manifest.check(limits)?;
    Ok((manifest, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropped_files_are_told_by_their_names() {
        assert_eq!(Dropped::of(["manifest.json", "pixels.bin", ".DS_Store"]), Ok(Dropped::Folder));
        assert_eq!(Dropped::of(["pixels.NPY", "digit.npy"]), Ok(Dropped::Npy));
        assert_eq!(Dropped::of(["digits.csv"]), Ok(Dropped::Csv));
        assert_eq!(Dropped::of(["digits.zip"]), Ok(Dropped::Zip));
        assert_eq!(Dropped::of([".DS_Store"]), Err(AssembleError::Nothing));
        assert_eq!(
            Dropped::of(["a.csv", "b.csv", "c.txt", "d/e.npy"]).unwrap_err().to_string(),
            "what was dropped (a.csv, b.csv, c.txt, …) can't be an evaluation set: drop the set's folder (manifest.json and the array files it names), a .zip of that folder, .npy files (one array each) or one .csv file"
        );
    }

    #[test]
    fn a_folder_keeps_only_the_files_its_manifest_names() {
        let manifest = r#"{"version": 1, "samples": 2, "arrays": [{"name": "y", "file": "y.bin", "dtype": "u8", "shape": [2]}],
            "licence": "CC0-1.0", "source": "made up"}"#;
        let files = BTreeMap::from([
            ("set/manifest.json".to_owned(), manifest.as_bytes().to_vec()),
            ("set/y.bin".to_owned(), vec![1, 0]),
            ("set/notes.txt".to_owned(), b"unrelated".to_vec()),
        ]);
        let (read, arrays) = assemble(files.clone(), &BundleLimits::default()).unwrap();
        assert_eq!((read.samples, arrays.keys().map(String::as_str).collect::<Vec<_>>()), (2, vec!["y.bin"]));
        let mut missing = files;
        missing.remove("set/y.bin");
        assert_eq!(
            assemble(missing, &BundleLimits::default()).unwrap_err().to_string(),
            "the manifest names y.bin, which was not dropped with it"
        );
    }

    #[test]
    fn dropped_files_too_big_to_read_are_refused_before_reading() {
        let limits = BundleLimits { max_samples: 10, max_bytes: 100 };
        assert!(check_dropped_size(200 + (1 << 20), &limits).is_ok());
        assert_eq!(
            check_dropped_size(201 + (1 << 20), &limits).unwrap_err().to_string(),
            "the dropped files hold 1048777 bytes; at most 1048776 are read for an evaluation set in a browser"
        );
    }

    #[test]
    fn hidden_files_beside_a_table_are_left_out() {
        let mut hidden = BTreeMap::from([(".hidden".to_owned(), b"not a table".to_vec())]);
        hidden.insert("digits.csv".to_owned(), b"a,y\n1,2\n".to_vec());
        assert_eq!(assemble(hidden, &BundleLimits::default()).unwrap().0.samples, 1);
    }
}
