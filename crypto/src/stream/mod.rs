//! The encrypted model file: a header, then AES-256-GCM chunks under the STREAM construction.
//!
//! ## Layout (format version 1)
//!
//! ```text
//! offset  size  field
//!      0     8  magic "ASSAYENC"
//!      8     1  format version (1)
//!      9     4  chunk size in plaintext bytes, u32 big-endian (1 B … 16 MiB; the app uses 1 MiB)
//!     13     8  plaintext length, u64 big-endian
//!     21     7  nonce prefix (random per file)
//!     28    32  key id (names the content key, see `keys`; public)
//!     60     …  chunks: ciphertext ‖ 16-byte GCM tag each
//! ```
//!
//! The plaintext is cut into `ceil(len / chunk_size)` chunks (one empty chunk for an empty file), all
//! full-sized except possibly the last. Chunk `i` is sealed with AES-256-GCM under the content key with
//!
//! - **nonce** = nonce prefix (7 bytes) ‖ `i` as u32 big-endian ‖ `1` for the last chunk, else `0` — the
//!   `StreamBE32` flavour of STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015) as implemented by the
//!   RustCrypto `aead` crate, so a chunk moved to another position or a non-final chunk presented as the
//!   last one fails authentication;
//! - **associated data** = the 60 header bytes, so the chunk size, length, key id and version can't be
//!   altered either.
//!
//! Because the authenticated header gives the exact length, a file cut anywhere is reported as
//! truncated and bytes after the last chunk as trailing data, rather than as a failed tag.
//!
//! A content key may encrypt several files (the model's versions); the random 56-bit prefix keeps their
//! nonces apart (a collision among 2^16 files of one model has probability about 2^-25).
//!
//! ## Streaming
//!
//! [`Encryptor`] and [`Decryptor`] take input in pieces of any size and append output to a `Vec`; they
//! hold at most one chunk. The decryptor releases a chunk's plaintext only after its tag verified, but
//! **the file as a whole is only authentic once [`Decryptor::finish`] returns `Ok`** (before that it may
//! be truncated): callers must not use the output before then.

mod decryptor;
mod encryptor;

use aes_gcm::aead::stream::{NewStream, StreamBE32};
use aes_gcm::{Aes256Gcm, KeyInit};
use rand_core::{OsRng, RngCore};

pub use decryptor::{Decryptor, decrypt_all};
pub use encryptor::{Encryptor, encrypt_all};

/// The file's first eight bytes.
pub const MAGIC: &[u8; 8] = b"ASSAYENC";
/// The format version this crate writes and reads.
pub const FORMAT_VERSION: u8 = 1;
/// The header's length in bytes.
pub const HEADER_LEN: usize = 60;
/// The GCM tag after each chunk.
pub const TAG_LEN: usize = 16;
/// The nonce prefix's length (12-byte GCM nonce less STREAM's 4-byte counter and 1-byte flag).
pub const NONCE_PREFIX_LEN: usize = 7;
/// The chunk size the app uses (the same as its IPFS chunking).
pub const DEFAULT_CHUNK_SIZE: u32 = 1 << 20;
/// The largest chunk size a header may declare (bounds the decryptor's memory).
pub const MAX_CHUNK_SIZE: u32 = 16 << 20;

/// Why encrypting or decrypting failed. Each is a sentence for the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("This is not an Assay encrypted file: it does not start with the ASSAYENC header.")]
    NotAssayFile,
    #[error(
        "This encrypted file uses format version {found}; this version of Assay reads version {FORMAT_VERSION} only."
    )]
    UnsupportedVersion { found: u8 },
    #[error("The encrypted file declares a chunk size of {size} bytes; it must be 1 byte to 16 MiB.")]
    BadChunkSize { size: u32 },
    #[error("The file is too large for its chunk size: it would need more than 2^32 chunks.")]
    TooManyChunks,
    #[error("Wrong key, or the encrypted file was tampered with: chunk {chunk} failed authentication.")]
    Authentication { chunk: u32 },
    #[error(
        "The encrypted file is truncated: it should have {expected} bytes but ends after {got} (its final chunk is missing)."
    )]
    Truncated { expected: u64, got: u64 },
    #[error("The encrypted file has data after its final chunk (it should end after {expected} bytes).")]
    TrailingData { expected: u64 },
    #[error("The file to encrypt was declared as {declared} bytes but {given} were given.")]
    LengthMismatch { declared: u64, given: u64 },
    #[error("This decryption already failed; start again from the beginning of the file.")]
    AlreadyFailed,
}

/// One chunk's place in the plaintext and in the encrypted file, and its nonce ([`Header::chunk`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub plain: std::ops::Range<u64>,
    pub sealed: std::ops::Range<u64>,
    pub nonce: [u8; 12],
}

/// The parsed header of an encrypted file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub version: u8,
    pub chunk_size: u32,
    pub plaintext_len: u64,
    pub nonce_prefix: [u8; NONCE_PREFIX_LEN],
    /// Names the content key (the `keyId` of the creator's `ContentKey` typed data).
    pub key_id: [u8; 32],
}

impl Header {
    /// A version-1 header with a fresh random nonce prefix.
    pub fn new(key_id: [u8; 32], plaintext_len: u64, chunk_size: u32) -> Result<Self, StreamError> {
        let mut nonce_prefix = [0u8; NONCE_PREFIX_LEN];
        OsRng.fill_bytes(&mut nonce_prefix);
        let header = Self { version: FORMAT_VERSION, chunk_size, plaintext_len, nonce_prefix, key_id };
        header.check()?;
        Ok(header)
    }

    fn check(&self) -> Result<(), StreamError> {
        if self.chunk_size == 0 || self.chunk_size > MAX_CHUNK_SIZE {
            return Err(StreamError::BadChunkSize { size: self.chunk_size });
        }
        if self.chunk_count() > u64::from(u32::MAX) {
            return Err(StreamError::TooManyChunks);
        }
        Ok(())
    }

    /// Parses and checks the first [`HEADER_LEN`] bytes of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Self, StreamError> {
        check_prefix(bytes)?;
        let Some(bytes) = bytes.get(..HEADER_LEN) else {
            return Err(StreamError::Truncated { expected: HEADER_LEN as u64, got: bytes.len() as u64 });
        };
        let header = Self {
            version: bytes[8],
            chunk_size: u32::from_be_bytes(bytes[9..13].try_into().expect("4 bytes")),
            plaintext_len: u64::from_be_bytes(bytes[13..21].try_into().expect("8 bytes")),
            nonce_prefix: bytes[21..28].try_into().expect("7 bytes"),
            key_id: bytes[28..60].try_into().expect("32 bytes"),
        };
        header.check()?;
        Ok(header)
    }

    pub fn to_bytes(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..8].copy_from_slice(MAGIC);
        out[8] = self.version;
        out[9..13].copy_from_slice(&self.chunk_size.to_be_bytes());
        out[13..21].copy_from_slice(&self.plaintext_len.to_be_bytes());
        out[21..28].copy_from_slice(&self.nonce_prefix);
        out[28..60].copy_from_slice(&self.key_id);
        out
    }

    /// Number of chunks (at least one: an empty file has one empty chunk).
    pub fn chunk_count(&self) -> u64 {
        self.plaintext_len.div_ceil(u64::from(self.chunk_size)).max(1)
    }

    /// Plaintext length of chunk `index`.
    fn chunk_len(&self, index: u64) -> usize {
        let start = index * u64::from(self.chunk_size);
        (self.plaintext_len - start).min(u64::from(self.chunk_size)) as usize
    }

    /// Where chunk `index` is: its plaintext bytes `plain` in the original file, its sealed bytes
    /// `sealed` (ciphertext ‖ 16-byte tag) in the encrypted file, and its AES-GCM nonce (the
    /// STREAM nonce: prefix ‖ big-endian counter ‖ last-chunk flag). With the header bytes as
    /// associated data, this is all a second implementation of the chunk cipher needs (the app
    /// runs the chunks through WebCrypto's AES-GCM); [`Encryptor`] and [`Decryptor`] are the
    /// reference, and a test checks that both give the same bytes.
    pub fn chunk(&self, index: u64) -> Chunk {
        let size = u64::from(self.chunk_size);
        let len = self.chunk_len(index) as u64;
        let plain_start = index * size;
        let sealed_start = HEADER_LEN as u64 + index * (size + TAG_LEN as u64);
        let mut nonce = [0u8; 12];
        nonce[..NONCE_PREFIX_LEN].copy_from_slice(&self.nonce_prefix);
        nonce[NONCE_PREFIX_LEN..11].copy_from_slice(&(index as u32).to_be_bytes());
        nonce[11] = u8::from(index + 1 == self.chunk_count());
        Chunk {
            plain: plain_start..plain_start + len,
            sealed: sealed_start..sealed_start + len + TAG_LEN as u64,
            nonce,
        }
    }

    /// Checks that `len` is this header's encrypted file length: the errors a truncated or
    /// extended file gives.
    pub fn check_encrypted_len(&self, len: u64) -> Result<(), StreamError> {
        let expected = self.encrypted_len();
        match len.cmp(&expected) {
            std::cmp::Ordering::Less => Err(StreamError::Truncated { expected, got: len }),
            std::cmp::Ordering::Greater => Err(StreamError::TrailingData { expected }),
            std::cmp::Ordering::Equal => Ok(()),
        }
    }

    /// Total length of the encrypted file, header included.
    pub fn encrypted_len(&self) -> u64 {
        HEADER_LEN as u64 + self.plaintext_len + self.chunk_count() * TAG_LEN as u64
    }
}

/// Rejects input whose first bytes (as many as there are, up to the version byte) aren't a header's.
fn check_prefix(bytes: &[u8]) -> Result<(), StreamError> {
    let n = bytes.len().min(MAGIC.len());
    if bytes[..n] != MAGIC[..n] {
        return Err(StreamError::NotAssayFile);
    }
    match bytes.get(8) {
        Some(&found) if found != FORMAT_VERSION => Err(StreamError::UnsupportedVersion { found }),
        _ => Ok(()),
    }
}

fn stream(key: &[u8; 32], header: &Header) -> StreamBE32<Aes256Gcm> {
    let aead = Aes256Gcm::new(key.into());
    StreamBE32::from_aead(aead, (&header.nonce_prefix).into())
}
