//! Why something a page asked for did not happen, with the layer's own typed reason kept.
//!
//! Every fallible browser operation returns [`AppError`]: a chain or wallet [`Failure`], an
//! [`IpfsError`], a refusal of the encrypted-file format or a sealed key, a model an engine
//! refused, or a sentence of the browser's. Callers can tell "cancelled" from "failed"
//! ([`AppError::is_cancelled`]); the page chooses what to show, by default [`AppError::sentence`]
//! through `ui::components::error::ErrorNote`.

use std::fmt;

use assay_core::failure::{Failure, RevertData};
use assay_core::ipfs::IpfsError;
use assay_crypto::{KeyError, SealError, StreamError};
use assay_inference::report::Refusal;

/// A failed operation, classified by the layer that failed.
#[derive(Clone, Debug, PartialEq)]
pub enum AppError {
    /// A chain or wallet request: cancelled in the wallet, reverted, unreachable, wrong chain…
    Chain(Failure),
    /// An IPFS transfer: not found, tampered, too large, storage full…
    Ipfs(IpfsError),
    /// An encrypted model file that does not open (wrong key, tampered chunk, truncated…).
    Stream(StreamError),
    /// A delivered key that does not open or does not match its commitment.
    Seal(SealError),
    /// A wallet signature that cannot be a key (malformed, or two signatures that differ).
    Key(KeyError),
    /// A model an engine refused (not ONNX, unsupported operators, I/O not as the card says…).
    Refused(Refusal),
    /// This network's configuration names no Assay market.
    NoMarket,
    /// The operation needs a connected wallet.
    NoWallet,
    /// The browser refused (storage, a download, an API it lacks), in a sentence.
    Browser(String),
    /// Data that is not what it should be (a card without a model file, a bad key id…), in a sentence.
    Invalid(String),
}

impl AppError {
    /// Whether the person said no in their wallet: not a failure to report as one.
    pub fn is_cancelled(&self) -> bool {
        matches!(self, AppError::Chain(Failure::Cancelled))
    }

    /// The sentence shown for this error when the page has nothing more specific to say.
    pub fn sentence(&self) -> String {
        self.sentence_unless_reverted().unwrap_or_else(RevertData::explain)
    }

    /// [`AppError::sentence`], except for a contract's revert, whose data comes back to be worded
    /// (`chain::reverts`: the shell fetches that code when it shows one).
    pub fn sentence_unless_reverted(&self) -> Result<String, &RevertData> {
        Ok(match self {
            AppError::Chain(failure) => return failure.explain_unless_reverted(),
            AppError::Ipfs(error) => error.to_string(),
            AppError::Stream(error) => error.to_string(),
            AppError::Seal(error) => error.to_string(),
            AppError::Key(error) => error.to_string(),
            AppError::Refused(refusal) => refusal.to_string(),
            AppError::NoMarket => "This network has no Assay market configured.".to_owned(),
            AppError::NoWallet => "Connect a wallet first (top right).".to_owned(),
            AppError::Browser(sentence) | AppError::Invalid(sentence) => sentence.clone(),
        })
    }

    /// The browser's refusal, with a JavaScript error's message when it has one.
    pub fn browser(what: &str, error: &wasm_bindgen::JsValue) -> Self {
        match js_error_text(error) {
            Some(message) => AppError::Browser(format!("{what}: {message}")),
            None => AppError::Browser(what.to_owned()),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())
    }
}

impl From<Failure> for AppError {
    fn from(failure: Failure) -> Self {
        AppError::Chain(failure)
    }
}

impl From<crate::wallet::eip1193::ProviderError> for AppError {
    fn from(error: crate::wallet::eip1193::ProviderError) -> Self {
        AppError::Chain(error.failure())
    }
}

impl From<IpfsError> for AppError {
    fn from(error: IpfsError) -> Self {
        AppError::Ipfs(error)
    }
}

impl From<StreamError> for AppError {
    fn from(error: StreamError) -> Self {
        AppError::Stream(error)
    }
}

impl From<SealError> for AppError {
    fn from(error: SealError) -> Self {
        AppError::Seal(error)
    }
}

impl From<KeyError> for AppError {
    fn from(error: KeyError) -> Self {
        AppError::Key(error)
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Refused(refusal)
    }
}

/// The readable text of a thrown JavaScript value: an `Error`'s name and message, a string as it
/// is, an object's `message`, else nothing (the caller says what failed). Every place that reads a JS error's text uses this.
pub fn js_error_text(error: &wasm_bindgen::JsValue) -> Option<String> {
    use wasm_bindgen::JsCast;
    let text = if let Some(error) = error.dyn_ref::<js_sys::Error>() {
        // A DOMException is an Error whose name says what happened (`QuotaExceededError`).
        let (name, message) = (String::from(error.name()), String::from(error.message()));
        if name.is_empty() || name == "Error" { message } else { format!("{name}: {message}") }
    } else if let Some(text) = error.as_string() {
        text
    } else {
        // A plain object thrown with a `message` (the IPFS bundle's `{kind, message}`).
        js_sys::Reflect::get(error, &"message".into()).ok()?.as_string()?
    };
    let text = assay_core::text::readable(&text);
    (!text.is_empty()).then_some(text)
}
