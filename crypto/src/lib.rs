//! Assay's encrypted models (issue #9): the pure cryptography, with no browser, network or file access.
//!
//! Three pieces, each from maintained crates only (RustCrypto `aes-gcm` with `aead`'s STREAM construction,
//! `hkdf`, `sha2`, `k256`; alloy for EIP-712 hashing and keccak-256) — nothing here is a hand-made primitive:
//!
//! - [`keys`]: keys derived from wallet signatures over fixed EIP-712 messages, so nobody stores a secret.
//!   A buyer's secp256k1 key for one purchase comes from a signature over
//!   `LicenceKey(string purpose, uint256 modelId, bytes32 salt)` (its public `x` is `buyerKey` in
//!   `buyLicense`, the salt is public); a model's 256-bit content key comes from the creator's signature over
//!   `ContentKey(string purpose, bytes32 keyId)`, where `keyId` is random, public and written in the
//!   encrypted file's header. [`keys::commitment`] is **SHA-256 of the 32 key bytes**: the `keyCommitment`
//!   passed to `listModel` (the contract stores it opaquely; the buyer checks the delivered key against it).
//! - [`stream`]: the encrypted file format: a 60-byte header, then AES-256-GCM chunks under the STREAM
//!   construction (nonce = 7-byte random prefix ‖ 32-bit big-endian chunk counter ‖ last-chunk flag), so
//!   reordering, truncation and appended data are detected; [`stream::Encryptor`] / [`stream::Decryptor`]
//!   take bytes incrementally.
//! - [`seal`](mod@seal): the content key sealed to one licence's secp256k1 key in 64 bytes (`E.x` and the
//!   key masked with keccak-256 of the ECDH point's address): the `sealedKey` of `deliverKey`, which the
//!   contract re-opens with the `ecrecover` precompile when the buyer reveals the licence's secret in a
//!   `challenge`. [`secp`] holds the curve glue both share.
//!
//! Randomness comes from the operating system through `rand_core::OsRng` (getrandom 0.2; on wasm32 its
//! `js` backend, i.e. `crypto.getRandomValues`).
//!
//! The threat model of the signature-derived keys is in ARCHITECTURE.md ("Threat model of the derived
//! keys").

pub mod keys;
pub mod seal;
pub mod secp;
pub mod stream;

pub use keys::{KeyDomain, KeyError, commitment, content_key, licence_secret};
pub use seal::{SEALED_LEN, SealError, open, open_and_verify, seal};
pub use secp::LicenceSecret;
pub use stream::{Decryptor, Encryptor, Header, StreamError, decrypt_all, encrypt_all};
