//! ERC-1497 evidence documents, as a moderation case's parties write and read them: a title
//! (`name`), the text (`description`) and supporting files already on IPFS (`fileURI` for the
//! first, as the standard has one; `fileURIs` for all of them, which readers that only know the
//! standard ignore). Reading is lenient about what a stranger's document holds and strict about
//! its shape: a document that is not a JSON object, or names a file that is not `/ipfs/<cid>`,
//! is refused with a sentence (a link to anywhere else would not be verified by its CID).

use std::fmt;

use serde_json::{Map, Value};

use crate::ipfs::Cid;

/// The most files one document names (the form refuses more before anything is uploaded).
pub const MAX_FILES: usize = 8;
/// The most bytes one evidence file may have (evidence is a screenshot, a log, a short report).
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

/// An evidence document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EvidenceDocument {
    pub title: String,
    pub text: String,
    /// Supporting files by CID.
    pub files: Vec<Cid>,
}

/// Why a document was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvidenceError {
    NotJson(String),
    NotAnObject,
    /// A file address that is not `/ipfs/<cid>` (`ipfs://<cid>` is accepted too).
    NotAnIpfsFile(String),
}

impl fmt::Display for EvidenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvidenceError::NotJson(e) => write!(f, "the evidence is not a JSON document ({e})"),
            EvidenceError::NotAnObject => f.write_str("the evidence is JSON but not an ERC-1497 document (an object)"),
            EvidenceError::NotAnIpfsFile(uri) => {
                write!(f, "the evidence names the file {uri}, which is not an IPFS address (/ipfs/<cid>)")
            }
        }
    }
}

/// Why evidence files can't go with a report, before anything is uploaded.
pub fn files_refused(sizes: &[(String, u64)]) -> Option<String> {
    if sizes.len() > MAX_FILES {
        return Some(format!("Attach at most {MAX_FILES} files; {} were chosen.", sizes.len()));
    }
    let (name, size) = sizes.iter().find(|(_, size)| *size > MAX_FILE_BYTES)?;
    Some(format!(
        "{name} is {} MiB; an evidence file may have at most {} MiB.",
        size.div_ceil(1024 * 1024),
        MAX_FILE_BYTES / (1024 * 1024)
    ))
}

impl EvidenceDocument {
    /// The document's JSON text.
    pub fn to_json(&self) -> String {
        let mut doc = Map::new();
        doc.insert("name".into(), self.title.clone().into());
        doc.insert("description".into(), self.text.clone().into());
        let uris: Vec<String> = self.files.iter().map(|cid| format!("/ipfs/{cid}")).collect();
        if let Some(first) = uris.first() {
            doc.insert("fileURI".into(), first.clone().into());
            doc.insert("fileURIs".into(), uris.clone().into());
        }
        Value::Object(doc).to_string()
    }

    /// Reads a document; a missing title or text reads as empty.
    pub fn from_json(text: &str) -> Result<Self, EvidenceError> {
        let value: Value = serde_json::from_str(text).map_err(|e| EvidenceError::NotJson(e.to_string()))?;
        let doc = value.as_object().ok_or(EvidenceError::NotAnObject)?;
        let string = |key: &str| doc.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut uris: Vec<&str> = doc
            .get("fileURIs")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if let Some(first) = doc.get("fileURI").and_then(Value::as_str)
            && !uris.contains(&first)
        {
            uris.insert(0, first);
        }
        let files = uris.into_iter().map(file_cid).collect::<Result<_, _>>()?;
        Ok(EvidenceDocument { title: string("name"), text: string("description"), files })
    }
}

fn file_cid(uri: &str) -> Result<Cid, EvidenceError> {
    let refused = || EvidenceError::NotAnIpfsFile(uri.to_owned());
    let cid = uri.strip_prefix("/ipfs/").or_else(|| uri.strip_prefix("ipfs://")).ok_or_else(refused)?;
    cid.trim_end_matches('/').parse().map_err(|_| refused())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipfs::cid_of;

    #[test]
    fn a_document_round_trips_with_its_files_and_the_standard_s_field_names_the_first() {
        let files = vec![cid_of(b"screenshot"), cid_of(b"log")];
        let doc = EvidenceDocument { title: "Report".into(), text: "Not the model \"it\" says".into(), files };
        let json: Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(json["name"], "Report");
        assert_eq!(json["fileURI"], format!("/ipfs/{}", doc.files[0]));
        assert_eq!(json["fileURIs"][1], format!("/ipfs/{}", doc.files[1]));
        assert_eq!(EvidenceDocument::from_json(&doc.to_json()).unwrap(), doc);
        let bare = EvidenceDocument { title: "t".into(), text: "d".into(), files: vec![] };
        assert_eq!(bare.to_json(), r#"{"description":"d","name":"t"}"#);
    }

    #[test]
    fn documents_written_elsewhere_are_read_by_the_standard_s_fields() {
        let cid = cid_of(b"x");
        let kleros = format!(r#"{{"name":"N","description":"D","fileURI":"ipfs://{cid}","fileTypeExtension":"pdf"}}"#);
        let doc = EvidenceDocument::from_json(&kleros).unwrap();
        assert_eq!((doc.title.as_str(), doc.text.as_str(), doc.files), ("N", "D", vec![cid.clone()]));
        assert_eq!(EvidenceDocument::from_json(r#"{"name":"only a title"}"#).unwrap().text, "");
    }

    #[test]
    fn malformed_documents_and_foreign_links_are_refused_with_a_sentence() {
        let refused = |text: &str| EvidenceDocument::from_json(text).unwrap_err().to_string();
        assert!(refused("not json").starts_with("the evidence is not a JSON document"));
        assert_eq!(refused("[1]"), "the evidence is JSON but not an ERC-1497 document (an object)");
        assert_eq!(
            refused(r#"{"fileURI":"https://example.com/x.pdf"}"#),
            "the evidence names the file https://example.com/x.pdf, which is not an IPFS address (/ipfs/<cid>)"
        );
        assert!(refused(r#"{"fileURIs":["/ipfs/not-a-cid"]}"#).contains("/ipfs/not-a-cid"));
    }

    #[test]
    fn too_many_or_too_large_files_are_refused_before_uploading() {
        assert_eq!(files_refused(&[("a.png".into(), 1024)]), None);
        let many: Vec<_> = (0..9).map(|i| (format!("{i}.png"), 1)).collect();
        assert_eq!(files_refused(&many).unwrap(), "Attach at most 8 files; 9 were chosen.");
        let large = [("capture.mp4".to_owned(), MAX_FILE_BYTES + 1)];
        assert_eq!(files_refused(&large).unwrap(), "capture.mp4 is 21 MiB; an evidence file may have at most 20 MiB.");
    }
}
