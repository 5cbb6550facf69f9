//! The content key sealed to a buyer's X25519 public key: the `encryptedKey` of `deliverKey`.
//!
//! An ECIES-style construction from maintained parts (x25519-dalek, hkdf, aes-gcm), in the shape of
//! HPKE's base mode with DHKEM(X25519):
//!
//! 1. a fresh ephemeral X25519 key pair `(e, E)`; `shared = X25519(e, buyerKey)` (refused if it is all
//!    zeros, i.e. the buyer key is a low-order point);
//! 2. `k = HKDF-SHA256(salt = empty, ikm = shared, info = "assay/v1/seal/x25519-hkdf-sha256-aes-256-gcm" ‖ E ‖ buyerKey)`,
//!    32 bytes, so the key is bound to both public keys;
//! 3. `AES-256-GCM(k, nonce, content key)`, with a random 96-bit nonce and no associated data (`k` is
//!    never used twice, the nonce is belt and braces).
//!
//! ```text
//! offset  size  field
//!      0    32  ephemeral public key E
//!     32    12  nonce
//!     44    48  ciphertext of the 32-byte content key ‖ 16-byte tag
//! ```
//!
//! 92 bytes in all ([`SEALED_LEN`]). Sealing is anonymous: anyone can seal to a public key, so what
//! proves the key is the model's is [`crate::keys::commitment`] — use [`open_and_verify`].

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use hkdf::Hkdf;
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use x25519_dalek::{EphemeralSecret, PublicKey, StaticSecret};
use zeroize::Zeroizing;

/// Length of a sealed key.
pub const SEALED_LEN: usize = 32 + 12 + 32 + 16;
/// HKDF info prefix (followed by the ephemeral and the recipient public keys).
pub const SEAL_INFO: &[u8] = b"assay/v1/seal/x25519-hkdf-sha256-aes-256-gcm";

/// Why a key can't be sealed or opened. Each is a sentence for the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("The buyer's public key is not a usable X25519 key.")]
    UnusablePublicKey,
    #[error("The delivered key has {0} bytes; a sealed Assay key has 92.")]
    WrongLength(usize),
    #[error("The delivered key does not open with this account's key: it was sealed to another key or altered.")]
    NotForThisKey,
    #[error("The delivered key is not the model's key: it does not match the key commitment on chain.")]
    CommitmentMismatch,
}

fn cipher(shared: &[u8; 32], ephemeral: &PublicKey, recipient: &PublicKey) -> Aes256Gcm {
    let mut info = Vec::with_capacity(SEAL_INFO.len() + 64);
    info.extend_from_slice(SEAL_INFO);
    info.extend_from_slice(ephemeral.as_bytes());
    info.extend_from_slice(recipient.as_bytes());
    let mut key = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, shared)
        .expand(&info, key.as_mut())
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    Aes256Gcm::new(key.as_ref().into())
}

/// Seals `content_key` to `recipient` (the licence's `buyerKeyOf`).
pub fn seal(recipient: &PublicKey, content_key: &[u8; 32]) -> Result<[u8; SEALED_LEN], SealError> {
    let ephemeral = EphemeralSecret::random_from_rng(OsRng);
    let ephemeral_public = PublicKey::from(&ephemeral);
    let shared = ephemeral.diffie_hellman(recipient);
    if !shared.was_contributory() {
        return Err(SealError::UnusablePublicKey);
    }
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher(shared.as_bytes(), &ephemeral_public, recipient)
        .encrypt(Nonce::from_slice(&nonce), content_key.as_slice())
        .expect("a 32-byte message is within AES-GCM's limits");
    let mut sealed = [0u8; SEALED_LEN];
    sealed[..32].copy_from_slice(ephemeral_public.as_bytes());
    sealed[32..44].copy_from_slice(&nonce);
    sealed[44..].copy_from_slice(&ciphertext);
    Ok(sealed)
}

/// Opens a sealed key with the buyer's secret (from [`crate::keys::encryption_keypair`]).
pub fn open(secret: &StaticSecret, sealed: &[u8]) -> Result<[u8; 32], SealError> {
    if sealed.len() != SEALED_LEN {
        return Err(SealError::WrongLength(sealed.len()));
    }
    let ephemeral_public = PublicKey::from(<[u8; 32]>::try_from(&sealed[..32]).expect("32 bytes"));
    let shared = secret.diffie_hellman(&ephemeral_public);
    if !shared.was_contributory() {
        return Err(SealError::NotForThisKey);
    }
    let recipient = PublicKey::from(secret);
    let plaintext = Zeroizing::new(
        cipher(shared.as_bytes(), &ephemeral_public, &recipient)
            .decrypt(Nonce::from_slice(&sealed[32..44]), &sealed[44..])
            .map_err(|_| SealError::NotForThisKey)?,
    );
    Ok(<[u8; 32]>::try_from(plaintext.as_slice()).expect("the tag covers a 32-byte key"))
}

/// [`open`], then checks the key against the model's `keyCommitment`.
pub fn open_and_verify(secret: &StaticSecret, sealed: &[u8], commitment: &[u8; 32]) -> Result<[u8; 32], SealError> {
    let key = open(secret, sealed)?;
    if crate::keys::matches_commitment(&key, commitment) { Ok(key) } else { Err(SealError::CommitmentMismatch) }
}
