//! Keys derived from wallet signatures: nothing to store, nothing new to back up.
//!
//! The app asks the wallet to sign a fixed EIP-712 message with `eth_signTypedData_v4` and feeds the
//! 65-byte signature to HKDF-SHA256. Ethereum wallets sign with RFC 6979 deterministic nonces, so the same
//! account signing the same typed data gets the same signature — and the same key — every time, on any
//! device. The app should check this once per account (sign twice, compare; see ARCHITECTURE.md, "Threat
//! model of the derived keys").
//!
//! Both messages share one domain: name `"Assay"`, version `"1"`, the chain id and the market contract
//! as `verifyingContract` ([`KeyDomain`]), so keys differ between deployments and chains.
//!
//! | key | typed data | HKDF info | used for |
//! |---|---|---|---|
//! | licence key (secp256k1) | `LicenceKey(string purpose, uint256 modelId, bytes32 salt)` | `assay/v2/licence-key/secp256k1` | `buyerKey` in `buyLicense`; opening the delivered key; revealed in a `challenge` |
//! | content key | `ContentKey(string purpose, bytes32 keyId)` | `assay/v1/content-key/aes-256-gcm` | encrypting the model file; delivered to buyers |
//!
//! **One licence key per purchase.** The buyer's key is not one per account: each purchase signs its own
//! `LicenceKey` naming the model and a random `salt` the buyer picks before buying ([`new_salt`]; the
//! licence id does not exist yet). The salt is public: `buyLicense` takes it and `LicencePurchased` carries
//! it, so the same wallet gets the same key back on any device. The secret `b` is a secp256k1 scalar
//! ([`LicenceSecret`]); revealing it in a `challenge` (a fraud proof, see [`crate::seal`]) exposes that
//! purchase's delivered key and nothing else: other purchases' secrets come from other signatures.
//!
//! **Input keying material.** The signature's `r ‖ s` (64 bytes) after normalising `s` to the low half of
//! the curve order (BIP 62, as alloy's `Signature::normalized_s`); `v` is left out. Wallets disagree on
//! `v` (27/28 or 0/1) and some may return the high-`s` twin of the same signature; both describe the same
//! signature, and both give the same key here. HKDF's salt is empty: the signature is already uniformly
//! distributed secret material, and the info strings separate the two uses.
//!
//! **Why `keyId` and not (model id, version).** The commitment goes into `listModel`, before the model
//! id exists (the contract assigns `modelCount + 1` when the transaction lands, so a predicted id can be
//! taken by another listing first), and the contract keeps one commitment per model across all its
//! versions (`publishVersion` takes none). So the content key is named by a random 32-byte `keyId`
//! chosen at listing ([`new_key_id`]) and written in every encrypted file's header
//! ([`crate::stream::Header::key_id`]) and in the model card (`encryption.keyId`, so nothing has to be
//! downloaded to find it); to deliver a key, the creator signs `ContentKey(purpose, keyId)` again and
//! checks the result against the on-chain commitment. New versions of the model reuse the `keyId` (and
//! so the key).
//!
//! **Commitment.** [`commitment`] is SHA-256 of the 32 key bytes (`keyCommitment` on chain; never zero in
//! practice, and zero means "open weights" to the contract). The key is 256 bits of HKDF output, so the
//! commitment reveals nothing and can be checked anywhere (WebCrypto, `sha256` precompile).

use alloy_primitives::{Address, B256, Signature, U256, hex};
use alloy_sol_types::{Eip712Domain, SolStruct, sol};
use hkdf::Hkdf;
use k256::Scalar;
use k256::elliptic_curve::bigint::U512;
use k256::elliptic_curve::ops::ReduceNonZero;
use rand_core::{OsRng, RngCore};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

pub use crate::secp::LicenceSecret;

/// The EIP-712 domain name.
pub const DOMAIN_NAME: &str = "Assay";
/// The EIP-712 domain version.
pub const DOMAIN_VERSION: &str = "1";

/// The text the wallet shows for a licence key (`LicenceKey.purpose`). Changing it changes every
/// buyer's key: it is part of the format.
pub const LICENCE_KEY_PURPOSE: &str = "Assay licence key: lets the Assay app open the model key delivered for this \
     purchase, or prove it wrong. Sign this only on the Assay app.";

/// The text the wallet shows for a content key (`ContentKey.purpose`). Part of the format, like
/// [`LICENCE_KEY_PURPOSE`].
pub const CONTENT_KEY_PURPOSE: &str = "Assay content key: lets the Assay app re-create the key of a model \
     this account encrypted. Sign this only on the Assay app.";

/// HKDF-SHA256 info for a licence's secp256k1 secret.
pub const LICENCE_KEY_INFO: &[u8] = b"assay/v2/licence-key/secp256k1";
/// HKDF-SHA256 info for a content key.
pub const CONTENT_KEY_INFO: &[u8] = b"assay/v1/content-key/aes-256-gcm";

sol! {
    /// A buyer's key for one purchase: the model and a random salt chosen before buying.
    struct LicenceKey {
        string purpose;
        uint256 modelId;
        bytes32 salt;
    }

    /// A model's content key, named by the random `keyId` in its encrypted file's header.
    struct ContentKey {
        string purpose;
        bytes32 keyId;
    }
}

/// Where derived keys belong: the EIP-712 domain's chain id and verifying contract (the market).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyDomain {
    pub chain_id: u64,
    /// The `AssayMarket` contract.
    pub market: Address,
}

impl KeyDomain {
    pub fn new(chain_id: u64, market: Address) -> Self {
        Self { chain_id, market }
    }

    /// The domain as alloy's EIP-712 type (for hashing).
    pub fn eip712(&self) -> Eip712Domain {
        Eip712Domain::new(
            Some(DOMAIN_NAME.into()),
            Some(DOMAIN_VERSION.into()),
            Some(U256::from(self.chain_id)),
            Some(self.market),
            None,
        )
    }

    fn json(&self) -> Value {
        json!({
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": self.chain_id,
            "verifyingContract": self.market.to_checksum(None),
        })
    }
}

fn domain_type() -> Value {
    json!([
        { "name": "name", "type": "string" },
        { "name": "version", "type": "string" },
        { "name": "chainId", "type": "uint256" },
        { "name": "verifyingContract", "type": "address" },
    ])
}

/// The typed data to pass, as JSON text, to `eth_signTypedData_v4(account, data)` for the key of one
/// purchase of `model_id` named by `salt`.
pub fn licence_key_typed_data(domain: &KeyDomain, model_id: u64, salt: &[u8; 32]) -> Value {
    json!({
        "types": {
            "EIP712Domain": domain_type(),
            "LicenceKey": [
                { "name": "purpose", "type": "string" },
                { "name": "modelId", "type": "uint256" },
                { "name": "salt", "type": "bytes32" },
            ],
        },
        "primaryType": "LicenceKey",
        "domain": domain.json(),
        "message": { "purpose": LICENCE_KEY_PURPOSE, "modelId": model_id, "salt": B256::from(*salt).to_string() },
    })
}

/// The EIP-712 digest the wallet signs for [`licence_key_typed_data`].
pub fn licence_key_digest(domain: &KeyDomain, model_id: u64, salt: &[u8; 32]) -> B256 {
    LicenceKey { purpose: LICENCE_KEY_PURPOSE.into(), modelId: U256::from(model_id), salt: B256::from(*salt) }
        .eip712_signing_hash(&domain.eip712())
}

/// A fresh random salt for a purchase (OS randomness): unique to the purchase, public.
pub fn new_salt() -> [u8; 32] {
    let mut salt = [0u8; 32];
    OsRng.fill_bytes(&mut salt);
    salt
}

/// The typed data for `eth_signTypedData_v4` that names the content key `key_id`.
pub fn content_key_typed_data(domain: &KeyDomain, key_id: &[u8; 32]) -> Value {
    json!({
        "types": {
            "EIP712Domain": domain_type(),
            "ContentKey": [
                { "name": "purpose", "type": "string" },
                { "name": "keyId", "type": "bytes32" },
            ],
        },
        "primaryType": "ContentKey",
        "domain": domain.json(),
        "message": { "purpose": CONTENT_KEY_PURPOSE, "keyId": B256::from(*key_id).to_string() },
    })
}

/// The EIP-712 digest the wallet signs for [`content_key_typed_data`].
pub fn content_key_digest(domain: &KeyDomain, key_id: &[u8; 32]) -> B256 {
    ContentKey { purpose: CONTENT_KEY_PURPOSE.into(), keyId: B256::from(*key_id) }.eip712_signing_hash(&domain.eip712())
}

/// A fresh random `keyId` for a new encrypted model (OS randomness).
pub fn new_key_id() -> [u8; 32] {
    let mut id = [0u8; 32];
    OsRng.fill_bytes(&mut id);
    id
}

/// Why a signature can't be turned into a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("The wallet's signature is not hexadecimal.")]
    NotHex,
    #[error("The wallet's signature has {0} bytes; an Ethereum signature has 65.")]
    WrongLength(usize),
    #[error("The wallet's signature has an invalid recovery byte (v = {0}).")]
    BadRecoveryByte(u8),
    #[error("The wallet's signature is invalid (r or s is zero or out of range).")]
    OutOfRange,
    #[error("This signature gives a licence key the contract cannot check; buy again to pick another salt.")]
    UnusableLicenceKey,
}

/// Parses the `0x…` hex string a wallet returns from `eth_signTypedData_v4`.
pub fn parse_signature(text: &str) -> Result<[u8; 65], KeyError> {
    let bytes = hex::decode(text.trim()).map_err(|_| KeyError::NotHex)?;
    <[u8; 65]>::try_from(bytes.as_slice()).map_err(|_| KeyError::WrongLength(bytes.len()))
}

/// The signature's `r ‖ s` with `s` normalised to low-`s`: the input keying material (see the module docs).
fn keying_material(signature: &[u8; 65]) -> Result<[u8; 64], KeyError> {
    let parsed = Signature::from_raw_array(signature).map_err(|_| KeyError::BadRecoveryByte(signature[64]))?;
    // secp256k1's group order n; valid signatures have 1 ≤ r, s < n.
    const N: U256 = U256::from_be_bytes(hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    let (r, s) = (parsed.r(), parsed.s());
    if r.is_zero() || s.is_zero() || r >= N || s >= N {
        return Err(KeyError::OutOfRange);
    }
    let normal = parsed.normalized_s();
    let mut ikm = [0u8; 64];
    ikm[..32].copy_from_slice(&normal.r().to_be_bytes::<32>());
    ikm[32..].copy_from_slice(&normal.s().to_be_bytes::<32>());
    Ok(ikm)
}

fn derive<const N: usize>(signature: &[u8; 65], info: &[u8]) -> Result<[u8; N], KeyError> {
    let mut ikm = keying_material(signature)?;
    let mut okm = [0u8; N];
    Hkdf::<Sha256>::new(None, &ikm).expand(info, &mut okm).expect("32 or 64 bytes is a valid HKDF-SHA256 length");
    ikm.zeroize();
    Ok(okm)
}

/// The secret of one licence from the buyer's signature over [`licence_key_typed_data`]: 64 bytes of
/// HKDF output reduced to a non-zero scalar `b` (bias below 2⁻¹²⁸), negated if needed so that `B = b·G`
/// has an even `y` (`B` is then named by its `x` alone, the `buyerKey`, as in BIP 340). A secret whose
/// `B.x` is not below the group order (probability about 2⁻¹²⁸; `ecrecover` would refuse it) is refused.
pub fn licence_secret(signature: &[u8; 65]) -> Result<LicenceSecret, KeyError> {
    let mut wide = derive::<64>(signature, LICENCE_KEY_INFO)?;
    let scalar = <Scalar as ReduceNonZero<U512>>::reduce_nonzero_bytes(&wide.into());
    wide.zeroize();
    LicenceSecret::from_scalar(scalar).ok_or(KeyError::UnusableLicenceKey)
}

/// A model's 256-bit content key from the creator's signature over [`content_key_typed_data`].
pub fn content_key(signature: &[u8; 65]) -> Result<[u8; 32], KeyError> {
    derive::<32>(signature, CONTENT_KEY_INFO)
}

/// The key commitment for `listModel`: SHA-256 of the 32 key bytes.
pub fn commitment(key: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(key).into()
}

/// Whether `key` is the one `commitment` commits to.
pub fn matches_commitment(key: &[u8; 32], commitment: &[u8; 32]) -> bool {
    // Not secret-dependent in a way that matters: both sides are public once the buyer holds the key.
    self::commitment(key) == *commitment
}
