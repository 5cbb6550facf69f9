//! Encrypted models in the page: keys from wallet signatures and the model file
//! encrypted or decrypted in pieces, all with `assay-crypto` (pure, host-tested). This module is
//! the browser glue: the wallet's `eth_signTypedData_v4`, a per-session key cache, and Blobs.
//!
//! - [`licence_secret`]: the secp256k1 key of one purchase, from the wallet's signature over
//!   `LicenceKey(purpose, modelId, salt)` (its public `x` is `buyerKey` in `buyLicense`, the salt
//!   `keySalt`; the secret opens the key delivered for that licence, or proves it wrong in a
//!   `challenge`).
//! - [`content_key`]: a model's AES-256-GCM key, named by the `keyId` in its card and file header.
//! - [`encrypt`] / [`decrypt`]: the file format of `assay_crypto::stream` (header, 1 MiB chunks,
//!   STREAM nonces, header as associated data), each chunk sealed or opened by the browser's
//!   WebCrypto AES-256-GCM (hardware AES; the pure-Rust cipher in wasm runs at about 15 MB/s,
//!   bench/RESULTS.md "Encryption (browser)"). The chunk map comes from
//!   `assay_crypto::stream::Header::chunk`, which a host test checks against the RustCrypto
//!   reference, and a browser test checks WebCrypto's bytes against it. The sealed or opened
//!   chunks go straight into a `Blob`, never into wasm memory.
//!
//! The first derivation of a key in a session asks the wallet to sign **twice** and compares the
//! keys: a wallet whose signatures are not deterministic would give a key it can never give
//! again (ARCHITECTURE.md, "Threat model of the derived keys"), so it is refused before anything
//! is encrypted or published with it.

use assay_core::wallet_prompt::SignaturePurpose;
use std::cell::RefCell;

use alloy_primitives::{Address, B256};
use assay_core::ipfs::Progress;
use assay_crypto::LicenceSecret;
use assay_crypto::keys::{self, KeyDomain};
use assay_crypto::stream::{DEFAULT_CHUNK_SIZE, HEADER_LEN, Header, StreamError};
use js_sys::Uint8Array;
use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use crate::chain::Market;
use crate::chain::deliveries;
use crate::error::AppError;
use crate::ipfs::FileBytes;
use crate::wallet::WalletContext;

/// Whose key it is: (chain id, market, account).
type KeyOwner = (u64, Address, Address);

/// A content key, named by its owner and key id.
type ContentKeyId = (KeyOwner, [u8; 32]);

/// A licence key, named by its owner, model id and salt.
type LicenceKeyId = (KeyOwner, u64, [u8; 32]);

/// Keys derived this session, by owner (and key id for content keys). Cleared with the page.
#[derive(Default)]
struct Keys {
    licence: Vec<(LicenceKeyId, LicenceSecret)>,
    content: Vec<(ContentKeyId, Zeroizing<[u8; 32]>)>,
}

thread_local! {
    static KEYS: RefCell<Keys> = RefCell::new(Keys::default());
}

/// The key domain of the app's deployment and the connected account.
fn domain_and_account(wallet: &WalletContext, market: &Market) -> Result<(KeyDomain, Address), AppError> {
    let account = wallet.connection.with_untracked(|c| c.as_ref().map(|c| c.account)).ok_or(AppError::NoWallet)?;
    Ok((KeyDomain::new(market.chain_id, market.address), account))
}

/// One signature of `typed_data` by the connected account, parsed.
async fn signature(
    wallet: &WalletContext,
    typed_data: &Value,
    purpose: SignaturePurpose,
) -> Result<[u8; 65], AppError> {
    let text = wallet.sign_typed_data(typed_data, purpose).await?;
    Ok(keys::parse_signature(&text)?)
}

/// Signs `typed_data` twice and derives a key from each signature with `derive`; the key when both
/// agree, else the refusal of a wallet whose signatures change.
async fn derive_twice<K: PartialEq>(
    wallet: &WalletContext,
    typed_data: &Value,
    purpose: SignaturePurpose,
    derive: impl Fn(&[u8; 65]) -> Result<K, keys::KeyError>,
) -> Result<K, AppError> {
    let first = derive(&signature(wallet, typed_data, purpose).await?)?;
    let second = derive(&signature(wallet, typed_data, purpose).await?)?;
    if first != second {
        return Err(AppError::Invalid("Your wallet signed the same message differently twice, so the key made from it would change every time: \
                    Assay can't use this wallet for encrypted models. Use a wallet with deterministic (RFC 6979) signatures, \
                    such as MetaMask or a hardware wallet's Ethereum app."
            .into()));
    }
    Ok(first)
}

/// The connected account's secret for the purchase of model `model_id` named by `salt` (the
/// wallet signs, the first time in a session, twice).
pub async fn licence_secret(
    wallet: &WalletContext,
    market: &Market,
    model_id: u64,
    salt: &[u8; 32],
) -> Result<LicenceSecret, AppError> {
    let (domain, account) = domain_and_account(wallet, market)?;
    let id = ((domain.chain_id, domain.market, account), model_id, *salt);
    if let Some(secret) = KEYS.with(|k| k.borrow().licence.iter().find(|(key, _)| *key == id).map(|(_, s)| s.clone())) {
        return Ok(secret);
    }
    let typed_data = keys::licence_key_typed_data(&domain, model_id, salt);
    let bytes = derive_twice(wallet, &typed_data, SignaturePurpose::LicenceKey, |s| {
        keys::licence_secret(s).map(|secret| Zeroizing::new(secret.to_bytes()))
    })
    .await?;
    let secret = LicenceSecret::from_bytes(&bytes).ok_or(keys::KeyError::UnusableLicenceKey)?;
    KEYS.with(|k| k.borrow_mut().licence.push((id, secret.clone())));
    Ok(secret)
}

/// The content key named `key_id`, re-derived from the connected account's signature (the wallet
/// signs, the first time in a session, twice).
pub async fn content_key(wallet: &WalletContext, market: &Market, key_id: &[u8; 32]) -> Result<[u8; 32], AppError> {
    let (domain, account) = domain_and_account(wallet, market)?;
    let id = ((domain.chain_id, domain.market, account), *key_id);
    if let Some(key) = KEYS.with(|k| k.borrow().content.iter().find(|(key, _)| *key == id).map(|(_, v)| **v)) {
        return Ok(key);
    }
    let typed_data = keys::content_key_typed_data(&domain, key_id);
    let key = derive_twice(wallet, &typed_data, SignaturePurpose::ContentKey, keys::content_key).await?;
    KEYS.with(|k| k.borrow_mut().content.push((id, Zeroizing::new(key))));
    Ok(key)
}

/// The content key of listed model `model_id` (its card's `encryption.keyId` is `key_id`),
/// re-derived from the connected account's signature and checked against the model's on-chain
/// commitment; the key and its id. `name` and `action` word the refusal when the key doesn't
/// match (another account, or another wallet's signatures): "… deliver from the account that listed it."
pub async fn committed_content_key(
    wallet: &WalletContext,
    market: &Market,
    model_id: alloy_primitives::U256,
    key_id: &str,
    name: &str,
    action: &str,
) -> Result<([u8; 32], [u8; 32]), AppError> {
    let key_id = parse_key_id(key_id)?;
    let key = content_key(wallet, market, &key_id).await?;
    let commitment = deliveries::key_commitment(market, model_id).await?;
    if !keys::matches_commitment(&key, &commitment.0) {
        return Err(AppError::Invalid(format!(
            "The key your wallet re-creates for {name} does not match the commitment on chain: {action} from the account that listed it."
        )));
    }
    Ok((key, key_id))
}

/// A card's `encryption.keyId` (`0x` + 64 hex digits) as bytes.
pub fn parse_key_id(text: &str) -> Result<[u8; 32], AppError> {
    text.trim()
        .parse::<B256>()
        .map(|b| b.0)
        .map_err(|_| AppError::Invalid(format!("The card's key id {text:?} is not 32 bytes of hex.")))
}

#[wasm_bindgen(inline_js = r#"
const gcm = (iv, aad) => ({ name: 'AES-GCM', iv, additionalData: aad, tagLength: 128 });
export function gcm_key(raw) {
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}
export async function gcm_seal(key, iv, aad, data) {
  return new Uint8Array(await crypto.subtle.encrypt(gcm(iv, aad), key, data));
}
export async function gcm_open(key, iv, aad, data) {
  return new Uint8Array(await crypto.subtle.decrypt(gcm(iv, aad), key, data));
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn gcm_key(raw: &Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn gcm_seal(key: &JsValue, iv: &Uint8Array, aad: &Uint8Array, data: &Uint8Array) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn gcm_open(key: &JsValue, iv: &Uint8Array, aad: &Uint8Array, data: &Uint8Array) -> Result<JsValue, JsValue>;
}

fn no_webcrypto(e: JsValue) -> AppError {
    let detail = crate::error::js_error_text(&e).unwrap_or_default();
    AppError::Browser(format!(
        "This browser's WebCrypto refused AES-GCM ({detail}); Assay needs a current browser on a secure (https or localhost) page to encrypt models."
    ))
}

/// A Blob collected one piece at a time, each piece a JS array already outside wasm memory.
struct BlobParts(js_sys::Array);

impl BlobParts {
    fn new() -> Self {
        Self(js_sys::Array::new())
    }

    fn push(&mut self, piece: &JsValue) {
        self.0.push(piece);
    }

    fn finish(self) -> Result<web_sys::Blob, AppError> {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/octet-stream");
        web_sys::Blob::new_with_u8_array_sequence_and_options(&self.0, &options)
            .map_err(|e| AppError::browser("The browser refused to build the file", &e))
    }
}

fn range(r: &std::ops::Range<u64>) -> std::ops::Range<usize> {
    r.start as usize..r.end as usize
}

/// Encrypts `plain` under `key` (named `key_id`) into an Assay encrypted file (1 MiB chunks).
/// `progress` counts plaintext bytes.
pub async fn encrypt(
    plain: &[u8],
    key: &[u8; 32],
    key_id: [u8; 32],
    progress: impl Fn(Progress),
) -> Result<web_sys::Blob, AppError> {
    let total = plain.len() as u64;
    let header = Header::new(key_id, total, DEFAULT_CHUNK_SIZE)?;
    let header_bytes = Uint8Array::from(header.to_bytes().as_slice());
    let cipher = gcm_key(&Uint8Array::from(key.as_slice())).await.map_err(no_webcrypto)?;
    let mut parts = BlobParts::new();
    parts.push(&header_bytes);
    for index in 0..header.chunk_count() {
        let chunk = header.chunk(index);
        let data = Uint8Array::from(&plain[range(&chunk.plain)]);
        let sealed = gcm_seal(&cipher, &Uint8Array::from(chunk.nonce.as_slice()), &header_bytes, &data)
            .await
            .map_err(no_webcrypto)?;
        parts.push(&sealed);
        progress(Progress { done: chunk.plain.end, total });
    }
    parts.finish()
}

/// A decrypted file.
pub struct Decrypted {
    pub blob: web_sys::Blob,
    pub header: Header,
}

/// Decrypts an Assay encrypted file with `key`: a Blob of the plaintext, built only from
/// authenticated chunks, and returned only when the whole file checked out (a tampered, truncated
/// or extended file, or the wrong key, is an error and nothing is returned). Neither the
/// encrypted nor the decrypted file enters wasm memory (only the 60-byte header). `progress`
/// counts encrypted bytes.
pub async fn decrypt(
    encrypted: &FileBytes,
    key: &[u8; 32],
    progress: impl Fn(Progress),
) -> Result<Decrypted, AppError> {
    let total = encrypted.len();
    let header = Header::parse(&encrypted.copy_range(0, HEADER_LEN as u64))?;
    header.check_encrypted_len(total)?;
    let header_bytes = encrypted.js_range(0, HEADER_LEN as u64);
    let cipher = gcm_key(&Uint8Array::from(key.as_slice())).await.map_err(no_webcrypto)?;
    let mut parts = BlobParts::new();
    for index in 0..header.chunk_count() {
        let chunk = header.chunk(index);
        let sealed = encrypted.js_range(chunk.sealed.start, chunk.sealed.end);
        // WebCrypto's only failure here is the tag: wrong key, or altered bytes or header.
        let opened = gcm_open(&cipher, &Uint8Array::from(chunk.nonce.as_slice()), &header_bytes, &sealed)
            .await
            .map_err(|_| StreamError::Authentication { chunk: index as u32 })?;
        parts.push(&opened);
        progress(Progress { done: chunk.sealed.end, total });
    }
    Ok(Decrypted { blob: parts.finish()?, header })
}
