//! Assay's encrypted models (issue #9): the pure cryptography, with no browser, network or file access.
//!
//! Three pieces, each from maintained crates only (RustCrypto `aes-gcm` with `aead`'s STREAM construction,
//! `hkdf`, `sha2`; dalek `x25519-dalek`; alloy for EIP-712 hashing) — nothing here is a hand-made primitive:
//!
//! - [`keys`]: keys derived from wallet signatures over fixed EIP-712 messages, so nobody stores a secret.
//!   A buyer's X25519 key pair comes from a signature over `EncryptionKey(string purpose)` (its public half
//!   is `buyerKey` in `buyLicense`); a model's 256-bit content key comes from the creator's signature over
//!   `ContentKey(string purpose, bytes32 keyId)`, where `keyId` is random, public and written in the
//!   encrypted file's header. [`keys::commitment`] is **SHA-256 of the 32 key bytes**: the `keyCommitment`
//!   passed to `listModel` (the contract stores it opaquely; the buyer checks the delivered key against it).
//! - [`stream`]: the encrypted file format: a 60-byte header, then AES-256-GCM chunks under the STREAM
//!   construction (nonce = 7-byte random prefix ‖ 32-bit big-endian chunk counter ‖ last-chunk flag), so
//!   reordering, truncation and appended data are detected; [`stream::Encryptor`] / [`stream::Decryptor`]
//!   take bytes incrementally.
//! - [`seal`](mod@seal): the content key sealed to a buyer's X25519 public key (ephemeral X25519, HKDF-SHA256,
//!   AES-256-GCM) in 92 bytes: the `encryptedKey` of `deliverKey`.
//!
//! Randomness comes from the operating system through `rand_core::OsRng` (getrandom 0.2; on wasm32 its
//! `js` backend, i.e. `crypto.getRandomValues`).
//!
//! The threat model of the signature-derived keys is in ARCHITECTURE.md ("Threat model of the derived
//! keys").

pub mod keys;
pub mod seal;
pub mod stream;

pub use keys::{KeyDomain, KeyError, commitment, content_key, encryption_keypair};
pub use seal::{SEALED_LEN, SealError, open, open_and_verify, seal};
pub use stream::{Decryptor, Encryptor, Header, StreamError, decrypt_all, encrypt_all};
/// The X25519 types of the key pair, re-exported so callers need no direct dalek dependency.
pub use x25519_dalek::{PublicKey, StaticSecret};
