//! IPFS in the browser: a small typed API over the bundled JS glue (`glue`). Nothing above this
//! module sees a JS value.
//!
//! - [`Ipfs::fetch`]: CID → bytes, from the IndexedDB cache or the configured gateways in order
//!   (the file's DAG nodes as Trustless Gateway raw blocks, then the file streamed with each raw
//!   leaf's range hashed against its CID; raw blocks in parallel, or the CAR, for other DAGs and
//!   gateways), every block verified against its CID, with progress, a time-out and a size limit.
//! - [`Ipfs::upload`]: bytes or a `File` → the CID computed locally, then sent to the Kubo RPC
//!   upload API (and a pinning service where configured); the server's CID must match.
//! - [`cid_of`]: the CID of bytes, in Rust (`assay_core::ipfs::cid_of`).

pub mod cards;
pub mod glue;

use std::time::Duration;

use assay_core::config::IpfsConfig;
use assay_core::ipfs::{self as core_ipfs, Progress, UploadPhase, gateway_car_url, gateway_path_url};
pub use assay_core::ipfs::{Cid, IpfsError, IpfsUri, ListedCid};
use js_sys::Uint8Array;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

/// The CID of `bytes` under the import profile (pure Rust, synchronous).
pub fn cid_of(bytes: &[u8]) -> Cid {
    core_ipfs::cid_of(bytes)
}

/// What to upload.
pub enum UploadSource {
    Bytes(Vec<u8>),
    /// A file the person chose: streamed from disk, never read whole into memory here.
    File(web_sys::File),
    /// Bytes already in the browser outside wasm memory (e.g. an encrypted model built chunk by chunk).
    Blob(web_sys::Blob),
}

impl UploadSource {
    fn to_js(&self) -> JsValue {
        match self {
            UploadSource::Bytes(bytes) => Uint8Array::from(bytes.as_slice()).into(),
            UploadSource::File(file) => file.clone().into(),
            UploadSource::Blob(blob) => blob.clone().into(),
        }
    }
}

/// Where fetched bytes came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The IndexedDB cache: no network at all.
    Cache,
    /// This gateway (its base URL).
    Gateway(String),
}

/// A verified file's bytes, where the download left them: in the browser's memory, outside wasm
/// memory. Callers copy what they need ([`FileBytes::to_vec`], [`FileBytes::copy_range`]) or hand
/// the bytes on without copying them through wasm ([`FileBytes::to_blob`]).
#[derive(Clone, Debug)]
pub struct FileBytes(Uint8Array);

impl FileBytes {
    /// Bytes already in the browser (e.g. a Blob read back), as a file.
    pub fn from_js(bytes: Uint8Array) -> Self {
        Self(bytes)
    }

    pub fn len(&self) -> u64 {
        u64::from(self.0.length())
    }

    pub fn is_empty(&self) -> bool {
        self.0.length() == 0
    }

    /// The whole file copied into wasm memory.
    pub fn to_vec(&self) -> Vec<u8> {
        self.0.to_vec()
    }

    /// Bytes `start..end` (clamped to the file) copied into wasm memory.
    pub fn copy_range(&self, start: u64, end: u64) -> Vec<u8> {
        self.js_range(start, end).to_vec()
    }

    /// Bytes `start..end` (clamped to the file) as a view, not copied anywhere.
    pub fn js_range(&self, start: u64, end: u64) -> Uint8Array {
        let len = self.len();
        let (start, end) = (start.min(len) as u32, end.min(len) as u32);
        self.0.subarray(start, end.max(start))
    }

    /// The file as a `Blob` (for a download), never copied into wasm memory.
    pub fn to_blob(&self) -> Result<web_sys::Blob, IpfsError> {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/octet-stream");
        web_sys::Blob::new_with_u8_array_sequence_and_options(&js_sys::Array::of1(&self.0), &options)
            .map_err(|_| IpfsError::Other { detail: "the browser refused to build the file".into() })
    }
}

/// A verified download.
#[derive(Clone, Debug)]
pub struct Fetched {
    pub bytes: FileBytes,
    pub source: Source,
    /// Set when the bytes are fine but could not be kept offline (e.g. the storage quota), as far
    /// as known when the bytes are returned: the IndexedDB commit finishes after that, and a
    /// later failure leaves `is_cached` false (see `ipfs-bundle`'s `fetchFile`).
    pub cache_error: Option<IpfsError>,
    /// The cache commit still going on after the bytes were returned.
    pub keeping: Keeping,
}

/// A download's cache commit, which may go on after its bytes are returned.
#[derive(Clone, Debug)]
pub struct Keeping {
    error: Option<IpfsError>,
    committed: Option<js_sys::Promise>,
    cid: String,
}

impl Keeping {
    /// Waits for the end of the cache commit: Ok once the file is kept in this browser (or the
    /// cache is off), else why not — known only after the writes where the storage estimate
    /// said there was room (a full disk refuses them all the same).
    pub async fn kept_offline(self) -> Result<(), IpfsError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let Some(promise) = self.committed else { return Ok(()) };
        let outcome = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap_or(JsValue::NULL);
        if outcome.is_null() || outcome.is_undefined() { Ok(()) } else { Err(glue::to_error(&outcome, &self.cid)) }
    }
}

/// The IPFS endpoints of the running app and the limits of its transfers.
#[derive(Clone, Debug)]
pub struct Ipfs {
    pub gateways: Vec<String>,
    pub upload_api: Option<String>,
    /// A Pinning Service API to pin uploads on; its access token is the one saved in this browser
    /// (`ipfs-bundle/src/pinning.js`), never part of config.json, which is public.
    pub pinning_service: Option<String>,
    /// A gateway that sends nothing for this long is abandoned for the next one.
    pub idle_timeout: Duration,
    /// Files larger than this are refused before they are downloaded.
    pub max_bytes: u64,
    /// Whether downloads are kept in, and read from, IndexedDB.
    pub use_cache: bool,
}

/// Default refusal size: wasm32 memory is 4 GiB and a model is held once in JS and once in Rust.
pub const DEFAULT_MAX_BYTES: u64 = 1_500_000_000;

impl Ipfs {
    pub fn new(config: &IpfsConfig) -> Self {
        Self {
            gateways: config.gateways.clone(),
            upload_api: config.upload_api.clone(),
            pinning_service: config.pinning_service.clone(),
            idle_timeout: Duration::from_secs(30),
            max_bytes: DEFAULT_MAX_BYTES,
            use_cache: true,
        }
    }

    /// Fetches and verifies the file `cid`, copied into wasm memory.
    pub async fn fetch(&self, cid: &Cid, progress: impl Fn(Progress) + 'static) -> Result<Vec<u8>, IpfsError> {
        Ok(self.fetch_file(cid, progress).await?.to_vec())
    }

    /// Fetches and verifies the file `cid`, left in the browser's memory (no copy into wasm).
    pub async fn fetch_file(&self, cid: &Cid, progress: impl Fn(Progress) + 'static) -> Result<FileBytes, IpfsError> {
        Ok(self.fetch_detailed(cid, progress).await?.bytes)
    }

    /// [`Ipfs::fetch`], also saying where the bytes came from and whether caching failed.
    pub async fn fetch_detailed(&self, cid: &Cid, progress: impl Fn(Progress) + 'static) -> Result<Fetched, IpfsError> {
        let text = cid.to_string();
        let (gateways, urls) = (js_sys::Array::new(), js_sys::Array::new());
        for gateway in &self.gateways {
            gateways.push(&gateway.trim_end_matches('/').into());
            urls.push(&gateway_car_url(gateway, cid).into());
        }
        let on_progress = Closure::<dyn Fn(f64, f64)>::new(move |done: f64, total: f64| {
            progress(Progress { done: done as u64, total: total as u64 })
        });
        let arg = glue::object(&[
            ("cid", text.clone().into()),
            ("gateways", gateways.into()),
            ("urls", urls.into()),
            ("timeoutMs", (self.idle_timeout.as_millis() as f64).into()),
            ("maxBytes", (self.max_bytes as f64).into()),
            ("useCache", self.use_cache.into()),
            ("onProgress", on_progress.as_ref().clone()),
        ]);
        let result = glue::call("fetchFile", &arg, &text).await;
        drop(on_progress);
        let result = result?;
        let source = match glue::get_string(&result, "source").as_deref() {
            Some("cache") => Source::Cache,
            Some(url) => Source::Gateway(url.to_owned()),
            None => Source::Gateway(String::new()),
        };
        let cache_error = {
            let error = glue::get(&result, "cacheError");
            (!error.is_null() && !error.is_undefined()).then(|| glue::to_error(&error, &text))
        };
        let committed = glue::get(&result, "committed").dyn_into::<js_sys::Promise>().ok();
        let keeping = Keeping { error: cache_error.clone(), committed, cid: text };
        Ok(Fetched { bytes: FileBytes(Uint8Array::new(&glue::get(&result, "bytes"))), source, cache_error, keeping })
    }

    /// The size of the file `cid` from its root block alone (verified against the CID), without
    /// downloading the file: what a buyer or a trial will download.
    pub async fn file_size(&self, cid: &Cid) -> Result<u64, IpfsError> {
        let text = cid.to_string();
        let gateways = js_sys::Array::new();
        for gateway in &self.gateways {
            gateways.push(&gateway.trim_end_matches('/').into());
        }
        let arg = glue::object(&[
            ("cid", text.clone().into()),
            ("gateways", gateways.into()),
            ("timeoutMs", (self.idle_timeout.as_millis() as f64).into()),
        ]);
        let size = glue::call("fileSize", &arg, &text).await?;
        size.as_f64().map(|n| n as u64).ok_or_else(|| IpfsError::Other { detail: format!("no size for {text}") })
    }

    /// Fetches `cid` and reads it as JSON.
    pub async fn fetch_json<T: DeserializeOwned>(&self, cid: &Cid) -> Result<T, IpfsError> {
        let bytes = self.fetch(cid, |_| {}).await?;
        read_json(cid, &bytes)
    }

    /// Uploads `source`: CID computed locally first, then sent to the upload API; the CID the
    /// server reports must equal it. `progress(phase, progress)`: hashing, then sending.
    pub async fn upload(
        &self,
        source: UploadSource,
        name: &str,
        progress: impl Fn(UploadPhase, Progress) + 'static,
    ) -> Result<Cid, IpfsError> {
        let api = self.upload_api.clone().ok_or(IpfsError::NoUploadApi)?;
        let on_progress = Closure::<dyn Fn(String, f64, f64)>::new(move |phase: String, done: f64, total: f64| {
            let phase = if phase == "hash" { UploadPhase::Hashing } else { UploadPhase::Sending };
            progress(phase, Progress { done: done as u64, total: total as u64 })
        });
        let arg = glue::object(&[
            ("source", source.to_js()),
            ("api", api.into()),
            ("name", name.into()),
            ("pinningService", self.pinning_service.clone().map(JsValue::from).unwrap_or(JsValue::NULL)),
            ("onProgress", on_progress.as_ref().clone()),
        ]);
        let result = glue::call("upload", &arg, "").await;
        drop(on_progress);
        let text = result?.as_string().unwrap_or_default();
        text.parse().map_err(|e| IpfsError::Other { detail: format!("the upload returned {text:?}: {e}") })
    }

    /// Whether the whole file `cid` is in the IndexedDB cache.
    pub async fn is_cached(cid: &Cid) -> Result<bool, IpfsError> {
        let text = cid.to_string();
        Ok(glue::call("isCached", &text.clone().into(), &text).await?.as_bool().unwrap_or(false))
    }

    /// Empties the IndexedDB cache.
    pub async fn clear_cache() -> Result<(), IpfsError> {
        glue::call("clearCache", &JsValue::UNDEFINED, "").await.map(|_| ())
    }

    /// The path-gateway URL of `cid` on the first gateway (unverified; for links and baselines).
    pub fn path_url(&self, cid: &Cid) -> String {
        gateway_path_url(&self.gateways[0], &IpfsUri::new(cid.clone()))
    }
}

/// The model card at `manifest_cid` (a listing's manifest), fetched and verified once per session
/// ([`cards`]), or why it can't be read.
pub async fn model_card(
    config: &IpfsConfig,
    manifest_cid: &ListedCid,
) -> Result<assay_inference::ModelCard, IpfsError> {
    cards::load(config, manifest_cid).await
}

/// The CID of `source` as the bundled JS importer computes it (used to cross-check
/// [`cid_of`]); streams a `File`. `progress(hashed)`.
pub async fn cid_of_in_js(source: &UploadSource) -> Result<Cid, IpfsError> {
    let text = glue::call("cidOf", &source.to_js(), "").await?.as_string().unwrap_or_default();
    text.parse().map_err(|e| IpfsError::Other { detail: format!("cidOf returned {text:?}: {e}") })
}

/// A plain `fetch()` of `url` with nothing verified, for the benchmark's baseline; returns bytes.
pub async fn raw_fetch(url: &str) -> Result<u64, IpfsError> {
    Ok(glue::call("rawFetch", &url.into(), "").await?.as_f64().unwrap_or(0.0) as u64)
}

/// The JSON document `cid` holds, from its bytes. Read as text (`from_str`), as every other JSON
/// read of the page: serde_json's parser is compiled once per input type, and the first download
/// carries one.
pub fn read_json<T: DeserializeOwned>(cid: &impl std::fmt::Display, bytes: &[u8]) -> Result<T, IpfsError> {
    let bad = |detail: String| IpfsError::BadJson { cid: cid.to_string(), detail };
    let text = std::str::from_utf8(bytes).map_err(|e| bad(format!("not UTF-8 text ({e})")))?;
    serde_json::from_str(text).map_err(|e| bad(e.to_string()))
}
