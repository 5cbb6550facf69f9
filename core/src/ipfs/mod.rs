//! IPFS, the pure half: CIDs ([`cid`]), the CID of bytes under the import profile
//! ([`unixfs::cid_of`]), `ipfs://` URIs, gateway and API URLs, progress, and the errors with
//! the sentences a person reads. The browser half (fetching, verifying, caching, uploading) is
//! `app/src/ipfs/` over the bundled JS glue in `ipfs-bundle/`.

pub mod cid;
pub mod listed;
pub mod unixfs;

use std::fmt;

use crate::units::format_bytes;

pub use cid::{Cid, CidError};
pub use listed::ListedCid;
pub use unixfs::{cid_of, profile};

/// An `ipfs://<cid>[/path]` reference (also read from `/ipfs/<cid>/…` and a bare CID).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IpfsUri {
    pub cid: Cid,
    /// Sub-path inside a directory, without the leading `/`; empty for the root.
    pub path: String,
}

/// Why a text is not an IPFS reference.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    #[error("{0:?} is not an ipfs:// link")]
    NotIpfs(String),
    #[error("{text:?} does not name a valid CID: {error}")]
    BadCid { text: String, error: CidError },
}

impl IpfsUri {
    pub fn new(cid: Cid) -> Self {
        Self { cid, path: String::new() }
    }

    /// Reads `ipfs://<cid>/path`, `/ipfs/<cid>/path` or a bare `<cid>`; query and fragment are
    /// dropped, a trailing slash is ignored.
    pub fn parse(text: &str) -> Result<Self, UriError> {
        let trimmed = text.trim();
        let rest = if let Some(rest) = trimmed.strip_prefix("ipfs://") {
            rest
        } else if let Some(rest) = trimmed.strip_prefix("/ipfs/") {
            rest
        } else if !trimmed.contains(['/', ':']) {
            trimmed
        } else {
            return Err(UriError::NotIpfs(text.to_owned()));
        };
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (cid_text, path) = rest.split_once('/').unwrap_or((rest, ""));
        let cid = cid_text.parse().map_err(|error| UriError::BadCid { text: cid_text.to_owned(), error })?;
        Ok(Self { cid, path: path.trim_matches('/').to_owned() })
    }
}

impl fmt::Display for IpfsUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ipfs://{}", self.cid)?;
        if !self.path.is_empty() {
            write!(f, "/{}", self.path)?;
        }
        Ok(())
    }
}

fn base(url: &str) -> &str {
    url.trim_end_matches('/')
}

/// Trustless Gateway CAR request for the whole DAG of `cid`: `{gw}/ipfs/{cid}?format=car`.
pub fn gateway_car_url(gateway: &str, cid: &Cid) -> String {
    format!("{}/ipfs/{cid}?format=car&dag-scope=all", base(gateway))
}

/// Trustless Gateway single-block request: `{gw}/ipfs/{cid}?format=raw`.
pub fn gateway_block_url(gateway: &str, cid: &Cid) -> String {
    format!("{}/ipfs/{cid}?format=raw", base(gateway))
}

/// Path-gateway URL (unverified bytes, for links and the benchmark's raw baseline):
/// `{gw}/ipfs/{cid}[/path]`, path segments percent-encoded.
pub fn gateway_path_url(gateway: &str, uri: &IpfsUri) -> String {
    let mut url = format!("{}/ipfs/{}", base(gateway), uri.cid);
    for segment in uri.path.split('/').filter(|s| !s.is_empty()) {
        url.push('/');
        url.push_str(&crate::route::percent_encode(segment));
    }
    url
}

/// Kubo RPC add with the import profile spelled out, so a node with other defaults still
/// produces the CID computed here.
pub fn api_add_url(api: &str) -> String {
    format!(
        "{}/add?cid-version={}&raw-leaves={}&chunker=size-{}&max-file-links={}&hash=sha2-256&pin=true",
        base(api),
        profile::CID_VERSION,
        profile::RAW_LEAVES,
        profile::CHUNK_SIZE,
        profile::MAX_CHILDREN_PER_NODE
    )
}

/// Progress of a transfer: monotonic `done`, `total` (0 while unknown).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    /// Whole percent, 0 while the total is unknown, 100 when done == total.
    pub fn percent(&self) -> u8 {
        if self.total == 0 {
            return 0;
        }
        ((self.done.min(self.total) as u128 * 100) / self.total as u128) as u8
    }
}

/// The phase of an upload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UploadPhase {
    /// Computing the CID locally (nothing sent yet).
    Hashing,
    /// Sending to the upload API.
    Sending,
}

/// Everything that can go wrong with IPFS, each with a sentence a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IpfsError {
    /// No gateway has the content.
    NotFound { cid: String },
    /// A gateway stopped sending for longer than the time-out.
    TimedOut { detail: String },
    /// Bytes did not hash to their CID (or the CAR was mangled): a gateway or the network
    /// changed the content. Nothing was kept.
    Tampered { cid: String, detail: String },
    /// Bigger than the limit the caller set.
    TooLarge { size: Option<u64>, limit: u64 },
    /// The browser refused to store more (IndexedDB quota).
    QuotaExceeded { detail: String },
    /// No gateway (or upload API) could be reached at all.
    Unreachable { detail: String },
    /// A gateway answered with an HTTP error other than 404.
    GatewayError { detail: String },
    /// The gateway's CAR missed blocks of the file.
    Incomplete { detail: String },
    /// Content Assay cannot verify or open (another hash function, a directory…).
    Unsupported { detail: String },
    /// The text given is not a CID.
    InvalidCid { detail: String },
    /// The app has no upload API configured.
    NoUploadApi,
    /// The upload API refused the upload.
    UploadRejected { detail: String },
    /// The upload API stored the bytes under another CID than the one computed locally.
    CidMismatch { local: String, remote: String },
    /// The pinning service refused the pin request.
    PinRejected { detail: String },
    /// JSON content that does not match the expected shape.
    BadJson { cid: String, detail: String },
    /// Anything else, with its raw description.
    Other { detail: String },
}

impl IpfsError {
    /// Builds an error from the glue's `kind` and message (the JS side throws `{kind, message}`).
    pub fn from_kind(kind: &str, message: &str, cid: &str) -> Self {
        let detail = message.to_owned();
        match kind {
            "not_found" => IpfsError::NotFound { cid: cid.to_owned() },
            "timed_out" => IpfsError::TimedOut { detail },
            "tampered" => IpfsError::Tampered { cid: cid.to_owned(), detail },
            "too_large" => IpfsError::TooLarge { size: None, limit: 0 },
            "quota_exceeded" => IpfsError::QuotaExceeded { detail },
            "unreachable" => IpfsError::Unreachable { detail },
            "gateway_error" => IpfsError::GatewayError { detail },
            "incomplete" => IpfsError::Incomplete { detail },
            "unsupported" => IpfsError::Unsupported { detail },
            "invalid_cid" => IpfsError::InvalidCid { detail },
            "upload_rejected" => IpfsError::UploadRejected { detail },
            "pin_rejected" => IpfsError::PinRejected { detail },
            _ => IpfsError::Other { detail },
        }
    }

    /// A stable short name, for tests and `data-` attributes.
    pub fn kind(&self) -> &'static str {
        match self {
            IpfsError::NotFound { .. } => "not_found",
            IpfsError::TimedOut { .. } => "timed_out",
            IpfsError::Tampered { .. } => "tampered",
            IpfsError::TooLarge { .. } => "too_large",
            IpfsError::QuotaExceeded { .. } => "quota_exceeded",
            IpfsError::Unreachable { .. } => "unreachable",
            IpfsError::GatewayError { .. } => "gateway_error",
            IpfsError::Incomplete { .. } => "incomplete",
            IpfsError::Unsupported { .. } => "unsupported",
            IpfsError::InvalidCid { .. } => "invalid_cid",
            IpfsError::NoUploadApi => "no_upload_api",
            IpfsError::UploadRejected { .. } => "upload_rejected",
            IpfsError::CidMismatch { .. } => "cid_mismatch",
            IpfsError::PinRejected { .. } => "pin_rejected",
            IpfsError::BadJson { .. } => "bad_json",
            IpfsError::Other { .. } => "other",
        }
    }
}

impl fmt::Display for IpfsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpfsError::NotFound { cid } => write!(
                f,
                "None of the IPFS gateways has {cid}. It may not be pinned anywhere any more; try again later or ask the publisher to re-pin it."
            ),
            IpfsError::TimedOut { detail } => write!(
                f,
                "The IPFS gateway stopped answering ({detail}). Check your connection, or try again later."
            ),
            IpfsError::Tampered { cid, detail } => write!(
                f,
                "The data received for {cid} does not match its fingerprint: it was altered on the way ({detail}). Nothing was saved; try another gateway."
            ),
            IpfsError::TooLarge { size: Some(size), limit } => write!(
                f,
                "This file is {}, more than the {} this page accepts.",
                format_bytes(*size),
                format_bytes(*limit)
            ),
            IpfsError::TooLarge { size: None, limit } => {
                write!(f, "This file is larger than the {} this page accepts.", format_bytes(*limit))
            }
            IpfsError::QuotaExceeded { detail } => write!(
                f,
                "Your browser has no room left to keep this file offline ({detail}). Free some site storage, or allow this site more."
            ),
            IpfsError::Unreachable { detail } => write!(
                f,
                "No IPFS gateway could be reached: the node may be stopped or you may be offline ({detail})."
            ),
            IpfsError::GatewayError { detail } => write!(f, "The IPFS gateway failed: {detail}."),
            IpfsError::Incomplete { detail } => {
                write!(f, "The IPFS gateway sent only part of the file ({detail}). Try again later.")
            }
            IpfsError::Unsupported { detail } => write!(f, "Assay can't open this IPFS content: {detail}."),
            IpfsError::InvalidCid { detail } => write!(f, "That is not a valid IPFS content identifier: {detail}."),
            IpfsError::NoUploadApi => f.write_str(
                "This Assay has no IPFS upload endpoint configured (config.json ipfs.uploadApi), so files can't be uploaded.",
            ),
            IpfsError::UploadRejected { detail } => write!(f, "The IPFS node refused the upload: {detail}."),
            IpfsError::CidMismatch { local, remote } => write!(
                f,
                "The IPFS node stored the file as {remote}, but your browser computed {local} from the same bytes. The upload can't be trusted and was not used."
            ),
            IpfsError::PinRejected { detail } => write!(f, "The pinning service refused to pin the file: {detail}."),
            IpfsError::BadJson { cid, detail } => write!(f, "{cid} is not the JSON document expected: {detail}."),
            IpfsError::Other { detail } => write!(f, "IPFS error: {detail}."),
        }
    }
}

impl std::error::Error for IpfsError {}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO: &str = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

    #[test]
    fn uris_in_every_form() {
        for text in [
            format!("ipfs://{HELLO}"),
            format!("ipfs://{HELLO}/"),
            format!("/ipfs/{HELLO}"),
            HELLO.to_owned(),
            format!(" ipfs://{HELLO}?filename=x "),
        ] {
            let uri = IpfsUri::parse(&text).unwrap();
            assert_eq!(uri.cid.to_string(), HELLO, "{text}");
            assert_eq!(uri.path, "", "{text}");
        }
        let uri = IpfsUri::parse(&format!("ipfs://{HELLO}/models/resnet.onnx")).unwrap();
        assert_eq!(uri.path, "models/resnet.onnx");
        assert_eq!(uri.to_string(), format!("ipfs://{HELLO}/models/resnet.onnx"));
        assert_eq!(IpfsUri::parse(&uri.to_string()).unwrap(), uri);
    }

    #[test]
    fn non_ipfs_and_bad_cids_are_refused() {
        assert!(matches!(IpfsUri::parse("https://example.org/x"), Err(UriError::NotIpfs(_))));
        assert!(matches!(IpfsUri::parse("ipns://example.org"), Err(UriError::NotIpfs(_))));
        let err = IpfsUri::parse("ipfs://bafyNOPE").unwrap_err();
        assert!(err.to_string().contains("bafyNOPE"), "{err}");
    }

    #[test]
    fn gateway_urls() {
        let cid: Cid = HELLO.parse().unwrap();
        assert_eq!(
            gateway_car_url("http://127.0.0.1:5001/", &cid),
            format!("http://127.0.0.1:5001/ipfs/{HELLO}?format=car&dag-scope=all")
        );
        assert_eq!(
            gateway_block_url("https://gw.example", &cid),
            format!("https://gw.example/ipfs/{HELLO}?format=raw")
        );
        let mut uri = IpfsUri::new(cid);
        assert_eq!(gateway_path_url("https://gw.example/", &uri), format!("https://gw.example/ipfs/{HELLO}"));
        uri.path = "dir/a file.onnx".into();
        assert_eq!(
            gateway_path_url("https://gw.example", &uri),
            format!("https://gw.example/ipfs/{HELLO}/dir/a%20file.onnx")
        );
    }

    #[test]
    fn add_url_spells_out_the_profile() {
        assert_eq!(
            api_add_url("http://127.0.0.1:5001/api/v0/"),
            "http://127.0.0.1:5001/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-1048576&max-file-links=1024&hash=sha2-256&pin=true"
        );
    }

    #[test]
    fn percent_is_whole_and_capped() {
        assert_eq!(Progress { done: 0, total: 0 }.percent(), 0);
        assert_eq!(Progress { done: 1, total: 3 }.percent(), 33);
        assert_eq!(Progress { done: 3, total: 3 }.percent(), 100);
        assert_eq!(Progress { done: 5, total: 3 }.percent(), 100);
        assert_eq!(Progress { done: u64::MAX, total: u64::MAX }.percent(), 100);
    }

    #[test]
    fn every_error_kind_round_trips_and_reads_as_a_sentence() {
        for kind in [
            "not_found",
            "timed_out",
            "tampered",
            "quota_exceeded",
            "unreachable",
            "gateway_error",
            "incomplete",
            "unsupported",
            "invalid_cid",
            "upload_rejected",
            "pin_rejected",
            "other",
        ] {
            let error = IpfsError::from_kind(kind, "detail", HELLO);
            assert_eq!(error.kind(), kind);
            let text = error.to_string();
            assert!(text.ends_with('.'), "{kind}: {text}");
            assert!(text.chars().next().unwrap().is_uppercase(), "{kind}: {text}");
        }
        assert!(IpfsError::from_kind("tampered", "block x", HELLO).to_string().contains("altered"));
        assert!(IpfsError::from_kind("not_found", "", HELLO).to_string().contains(HELLO));
        assert!(IpfsError::from_kind("unreachable", "", HELLO).to_string().contains("node may be stopped"));
        let too_large = IpfsError::TooLarge { size: Some(3_000_000_000), limit: 2_000_000_000 };
        assert_eq!(too_large.to_string(), "This file is 3.0 GB, more than the 2.0 GB this page accepts.");
        let mismatch = IpfsError::CidMismatch { local: "a".into(), remote: "b".into() };
        assert!(mismatch.to_string().contains("stored the file as b"));
    }
}
