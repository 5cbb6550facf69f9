//! Evaluation sets built from what a creator drops, against files NumPy and Python's zipfile
//! write now (`npy_files.py`, `evaluation_forms.py`): `.npy` files of each dtype, shape and format
//! version read as NumPy's own conversion of their values; hostile `.npy` files and `.zip`
//! archives refused in words; and the held-out digits (`evaluation_bundle.py`) dropped as a CSV
//! table, as `.npy` files and as a `.zip` of the folder, each the same values as the folder.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use assay_inference::evaluation::npy::read_npy;
use assay_inference::evaluation::{Bundle, BundleLimits, assemble};
use common::python;

fn written_by(script: &str, args: &[&Path], name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("assay-assemble-{}-{name}", std::process::id()));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join(script);
    let status = Command::new(python()).arg(&script).args(args).arg(&dir).status().expect("the venv's python runs");
    assert!(status.success(), "{} failed", script.display());
    dir
}

fn dropped(paths: &[PathBuf]) -> BTreeMap<String, Vec<u8>> {
    paths.iter().map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(p).unwrap())).collect()
}

fn built(paths: &[PathBuf]) -> Result<Bundle, String> {
    let limits = BundleLimits::default();
    let (manifest, files) = assemble(dropped(paths), &limits).map_err(|e| e.to_string())?;
    Bundle::new(manifest, &files).map_err(|e| e.to_string())
}

#[test]
fn npy_files_of_each_dtype_shape_and_version_read_as_numpy_converts_them() {
    let dir = written_by("npy_files.py", &[], "npy");
    let ok = dir.join("ok");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ok.join("expected.json")).unwrap()).unwrap();
    let names = expected.as_object().unwrap();
    assert_eq!(names.len(), 11);
    for (name, want) in names {
        let array = read_npy(&std::fs::read(ok.join(format!("{name}.npy"))).unwrap(), &BundleLimits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(array.dtype.ort_name(), want["dtype"].as_str().unwrap(), "{name}");
        let shape: Vec<usize> = serde_json::from_value(want["shape"].clone()).unwrap();
        assert_eq!(array.shape, shape, "{name}");
        assert_eq!(array.bytes, std::fs::read(ok.join(format!("{name}.expected"))).unwrap(), "{name}");
    }
    // Dropped together: one array each, named by its file, the samples the first axis.
    let all: Vec<PathBuf> = names.keys().map(|n| ok.join(format!("{n}.npy"))).collect();
    let bundle = built(&all).unwrap();
    assert_eq!(bundle.manifest.samples, 5);
    assert_eq!(bundle.manifest.arrays.len(), 11);
    assert_eq!(bundle.array("u4").unwrap().to_f64()[2], 4_294_967_295.0);

    let refused = |name: &str| built(&[dir.join("bad").join(format!("{name}.npy"))]).unwrap_err();
    assert_eq!(
        refused("fortran"),
        "the file fortran.npy is stored in Fortran order; save it in C order (numpy.ascontiguousarray) and drop it again"
    );
    assert_eq!(
        refused("big_endian"),
        "the file big_endian.npy holds big-endian values (>f4); save them little-endian (for example array.astype('<f4'))"
    );
    assert_eq!(
        refused("structured"),
        "the file structured.npy holds records (a structured dtype); save each field as an array of its own"
    );
    let numbers =
        "an evaluation set's arrays hold numbers (float32 or float64, int8 to int64, uint8 to uint32) or booleans";
    assert_eq!(refused("object"), format!("the file object.npy holds Python object values; {numbers}"));
    assert_eq!(refused("text"), format!("the file text.npy holds <U4 values; {numbers}"));
    assert_eq!(refused("float16"), format!("the file float16.npy holds <f2 values; {numbers}"));
    assert_eq!(
        refused("truncated"),
        "the file truncated.npy should hold 24 bytes of values for its shape [3, 2] but holds 19"
    );
    assert_eq!(refused("truncated_header"), "the file truncated_header.npy ends inside its header");
    assert_eq!(
        refused("lying_shape"),
        "the file lying_shape.npy should hold 32 bytes of values for its shape [4, 2] but holds 24"
    );
    assert_eq!(
        refused("huge_shape"),
        "the file huge_shape.npy holds [1000, 1000000000000] values, more than the 268435456 bytes that can be evaluated in a browser"
    );
    // Arrays that disagree on the samples.
    assert_eq!(
        built(&[ok.join("i8.npy"), dir.join("three_samples.npy")]).unwrap_err(),
        "the file i8.npy has 5 samples but three_samples.npy has 3; every array's first axis counts the same samples"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn zipped_bundles_are_read_entry_by_entry_and_hostile_ones_refused() {
    let dir = written_by("npy_files.py", &[], "zip");
    let zips = dir.join("zip");
    let folder = built(&["manifest.json", "x.bin", "label.bin"].map(|f| zips.join(f))).unwrap();
    for name in ["stored", "deflated", "streamed", "zip64_local"] {
        let zipped = built(&[zips.join(format!("{name}.zip"))]).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(zipped, folder, "{name}");
    }
    let refused = |name: &str| built(&[zips.join(format!("{name}.zip"))]).unwrap_err();
    assert_eq!(
        refused("zip64"),
        "the .zip file is a Zip64 archive; zip the evaluation set without Zip64 (it is under 4 GB)"
    );
    assert_eq!(
        refused("bzip2"),
        "the entry set/manifest.json of the .zip file is compressed with method 12; Assay reads stored and deflated entries"
    );
    assert_eq!(
        refused("encrypted"),
        "the entry set/x.bin of the .zip file is encrypted; zip the evaluation set without a password"
    );
    assert_eq!(refused("traversal"), "the .zip file holds \"../outside.bin\", a path outside its folder");
    assert!(
        refused("declares_4gb").starts_with("the .zip file's entries inflate to 4294967"),
        "refused before inflating"
    );
    assert_eq!(refused("lying_size"), "the entry set/x.bin of the .zip file does not inflate to its declared 10 bytes");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_held_out_digits_as_a_csv_table_npy_files_or_a_zip_are_the_folders_values() {
    let bundle_dir = written_by("evaluation_bundle.py", &[], "digits");
    let forms = written_by("evaluation_forms.py", &[&bundle_dir], "forms");
    let folder = built(&["manifest.json", "pixels.bin", "digit.bin"].map(|f| bundle_dir.join(f))).unwrap();
    assert_eq!(folder.manifest.samples, 297);

    let table = built(&[forms.join("table.csv")]).unwrap();
    assert_eq!(table.manifest.arrays.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["features", "digit"]);
    assert_eq!(table.manifest.arrays[0].shape, [297, 64]);
    assert_eq!(table.array("features").unwrap(), folder.array("pixels").unwrap());
    assert_eq!(table.array("digit").unwrap(), folder.array("digit").unwrap());
    assert_eq!((table.manifest.licence.as_str(), table.manifest.source.as_str()), ("", ""), "the creator says them");

    let npy = built(&[forms.join("npy").join("pixels.npy"), forms.join("npy").join("digit.npy")]).unwrap();
    assert_eq!(npy.manifest.arrays.iter().map(|a| &a.shape).collect::<Vec<_>>(), [&vec![297], &vec![297, 64]]);
    assert_eq!(npy.array("pixels").unwrap(), folder.array("pixels").unwrap());
    assert_eq!(npy.array("digit").unwrap(), folder.array("digit").unwrap());

    assert_eq!(built(&[forms.join("bundle.zip")]).unwrap(), folder);
    let _ = std::fs::remove_dir_all(&bundle_dir);
    let _ = std::fs::remove_dir_all(&forms);
}
