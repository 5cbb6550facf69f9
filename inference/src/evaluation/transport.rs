//! A bundle's two forms and the way between them. As its creator drops it, a bundle is a folder:
//! `manifest.json` naming each array's file. As published, each array is a file on IPFS and the
//! manifest names it by CID; the published manifest is uploaded last, and its CID is the bundle's
//! (the card's `evaluation.bundle` and the dataset's `revision`). Whoever reproduces a claim fetches
//! the manifest by that CID, then each array by its CID, every byte verified, and [`Bundle::new`]
//! checks them against the manifest.
//!
//! [`Bundle::new`]: super::Bundle::new

use std::collections::BTreeMap;

use super::bundle::{ArrayAt, BundleError, Manifest};

impl Manifest {
    /// The files a folder bundle needs, each once, in the manifest's order: what a publication
    /// uploads before the manifest. Empty for a published manifest.
    pub fn files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = Vec::new();
        for spec in &self.arrays {
            if let ArrayAt::File(file) = &spec.at
                && !files.contains(&file.as_str())
            {
                files.push(file);
            }
        }
        files
    }

    /// The manifest as published: each array's file replaced by the CID it was uploaded under
    /// (`uploaded`: file name → CID). An array already named by CID stays as it is.
    pub fn published(&self, uploaded: &BTreeMap<String, String>) -> Result<Manifest, BundleError> {
        let mut published = self.clone();
        for spec in &mut published.arrays {
            if let ArrayAt::File(file) = &spec.at {
                let cid = uploaded.get(file).ok_or_else(|| BundleError::NotUploaded { file: file.clone() })?;
                spec.at = ArrayAt::Cid(cid.clone());
            }
        }
        Ok(published)
    }

    /// The CIDs a published manifest's arrays are fetched from, each once, in the manifest's
    /// order; refused for a manifest that names files (a folder bundle put on IPFS as it was).
    pub fn cids(&self) -> Result<Vec<&str>, BundleError> {
        let mut cids: Vec<&str> = Vec::new();
        for spec in &self.arrays {
            match &spec.at {
                ArrayAt::Cid(cid) if !cids.contains(&cid.as_str()) => cids.push(cid),
                ArrayAt::Cid(_) => {}
                ArrayAt::File(file) => {
                    return Err(BundleError::NotPublished { name: spec.name.clone(), file: file.clone() });
                }
            }
        }
        Ok(cids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{ArraySpec, Bundle, BundleLimits};
    use crate::tensor::DType;

    fn folder() -> Manifest {
        let array = |name: &str, file: &str, dtype, shape| ArraySpec {
            name: name.into(),
            at: ArrayAt::File(file.into()),
            dtype,
            shape,
        };
        Manifest {
            version: 1,
            samples: 2,
            arrays: vec![
                array("pixels", "pixels.bin", DType::F32, vec![2, 3]),
                array("digit", "digit.bin", DType::I64, vec![2]),
                // The same file read twice under two names (e.g. the inputs are the truth).
                array("again", "digit.bin", DType::I64, vec![2]),
            ],
            labels: Vec::new(),
            licence: "CC0-1.0".into(),
            source: "made in this test".into(),
        }
    }

    #[test]
    fn a_published_manifest_names_arrays_by_cid_and_round_trips() {
        let folder = folder();
        assert_eq!(folder.files(), ["pixels.bin", "digit.bin"]);
        let uploaded = BTreeMap::from([
            ("pixels.bin".to_owned(), "bafkreipixels".to_owned()),
            ("digit.bin".to_owned(), "bafkreidigit".to_owned()),
        ]);
        let published = folder.published(&uploaded).unwrap();
        assert!(published.files().is_empty());
        assert_eq!(published.cids().unwrap(), ["bafkreipixels", "bafkreidigit"]);
        let json: serde_json::Value = serde_json::from_str(&published.to_json()).unwrap();
        assert_eq!(
            json["arrays"][0],
            serde_json::json!({"name": "pixels", "cid": "bafkreipixels", "dtype": "f32", "shape": [2, 3]})
        );
        let read = Manifest::from_json(&published.to_json(), &BundleLimits::default()).unwrap();
        assert_eq!(read, published);
        // The folder form round-trips too, with `file`.
        let folder_json: serde_json::Value = serde_json::from_str(&folder.to_json()).unwrap();
        assert_eq!(folder_json["arrays"][1]["file"], "digit.bin");
        assert_eq!(Manifest::from_json(&folder.to_json(), &BundleLimits::default()).unwrap(), folder);

        // Fetched by CID, the files are keyed by CID.
        let pixels: Vec<u8> = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let digits: Vec<u8> = [4i64, 2].iter().flat_map(|v| v.to_le_bytes()).collect();
        let files = BTreeMap::from([("bafkreipixels".to_owned(), pixels), ("bafkreidigit".to_owned(), digits.clone())]);
        let bundle = Bundle::new(read, &files).unwrap();
        assert_eq!(bundle.labels("again", 5).unwrap(), [4, 2]);
        // The folder's files are keyed by name.
        assert!(Bundle::new(folder, &BTreeMap::from([("digit.bin".to_owned(), digits)])).is_err());
    }

    #[test]
    fn a_folder_manifest_on_ipfs_and_a_missing_upload_are_refused_in_words() {
        let folder = folder();
        assert_eq!(
            folder.cids().unwrap_err().to_string(),
            "array pixels names the file pixels.bin, not a CID: this evaluation set was not published for IPFS"
        );
        let partly = BTreeMap::from([("pixels.bin".to_owned(), "bafkreipixels".to_owned())]);
        assert_eq!(
            folder.published(&partly).unwrap_err().to_string(),
            "the file digit.bin of the evaluation set was not uploaded"
        );
    }

    #[test]
    fn an_array_names_exactly_one_of_its_file_and_its_cid() {
        let limits = BundleLimits::default();
        let refuse = |array: &str| {
            let text =
                format!(r#"{{"version": 1, "samples": 1, "arrays": [{array}], "licence": "CC0-1.0", "source": "x"}}"#);
            Manifest::from_json(&text, &limits).unwrap_err().to_string()
        };
        assert!(
            refuse(r#"{"name": "x", "file": "x.bin", "cid": "bafkreix", "dtype": "f32", "shape": [1]}"#)
                .contains("array x names both a file and a CID; one of them"),
        );
        assert!(
            refuse(r#"{"name": "x", "dtype": "f32", "shape": [1]}"#)
                .contains("array x names neither its file nor its CID"),
        );
        assert!(
            refuse(r#"{"name": "x", "cid": "", "dtype": "f32", "shape": [1]}"#)
                .contains("array x names neither its file nor its CID"),
        );
        assert!(
            refuse(r#"{"name": "x", "url": "http://x", "cid": "bafkreix", "dtype": "f32", "shape": [1]}"#)
                .contains("unknown field `url`"),
        );
    }
}
