//! Decryption: the header read and checked, then each chunk's tag verified before its plaintext is released.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::stream::{StreamBE32, StreamPrimitive};

use super::{HEADER_LEN, Header, MAGIC, StreamError, TAG_LEN, check_prefix, stream};

enum State {
    /// Reading the header; holds its bytes so far.
    Header(Vec<u8>),
    Body {
        /// Boxed: the AES key schedule and GHASH key make this variant large.
        stream: Box<StreamBE32<Aes256Gcm>>,
        header: Header,
        header_bytes: [u8; HEADER_LEN],
        /// The current chunk's ciphertext and tag.
        buffer: Vec<u8>,
        index: u64,
    },
    Done(Header),
    Failed,
}

/// Decrypts an encrypted file given in pieces of any size.
pub struct Decryptor {
    key: zeroize::Zeroizing<[u8; 32]>,
    state: State,
    /// Encrypted bytes consumed so far.
    seen: u64,
}

impl Decryptor {
    pub fn new(key: &[u8; 32]) -> Self {
        Self { key: zeroize::Zeroizing::new(*key), state: State::Header(Vec::with_capacity(HEADER_LEN)), seen: 0 }
    }

    /// The header, once its bytes have arrived.
    pub fn header(&self) -> Option<&Header> {
        match &self.state {
            State::Body { header, .. } | State::Done(header) => Some(header),
            State::Header(_) | State::Failed => None,
        }
    }

    /// Decrypts the next `input` bytes, appending each chunk's plaintext to `out` once it authenticates.
    /// After an error the decryptor refuses further input.
    pub fn update(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<(), StreamError> {
        let result = self.step(input, out);
        if result.is_err() {
            self.state = State::Failed;
        }
        result
    }

    fn step(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), StreamError> {
        while !input.is_empty() {
            match &mut self.state {
                State::Failed => return Err(StreamError::AlreadyFailed),
                State::Done(header) => {
                    return Err(StreamError::TrailingData { expected: header.encrypted_len() });
                }
                State::Header(bytes) => {
                    let take = (HEADER_LEN - bytes.len()).min(input.len());
                    bytes.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    self.seen += take as u64;
                    check_prefix(bytes)?;
                    if bytes.len() == HEADER_LEN {
                        let header = Header::parse(bytes)?;
                        self.state = State::Body {
                            stream: Box::new(stream(&self.key, &header)),
                            header,
                            header_bytes: header.to_bytes(),
                            buffer: Vec::with_capacity(header.chunk_len(0) + TAG_LEN),
                            index: 0,
                        };
                    }
                }
                State::Body { stream, header, header_bytes, buffer, index } => {
                    let segment = header.chunk_len(*index) + TAG_LEN;
                    let take = (segment - buffer.len()).min(input.len());
                    buffer.extend_from_slice(&input[..take]);
                    input = &input[take..];
                    self.seen += take as u64;
                    if buffer.len() == segment {
                        let last = *index + 1 == header.chunk_count();
                        stream
                            .decrypt_in_place(*index as u32, last, header_bytes, buffer)
                            .map_err(|_| StreamError::Authentication { chunk: *index as u32 })?;
                        out.extend_from_slice(buffer);
                        buffer.clear();
                        *index += 1;
                        if last {
                            self.state = State::Done(*header);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Ends the file: `Ok` with its header only if every chunk arrived and authenticated.
    pub fn finish(self) -> Result<Header, StreamError> {
        match self.state {
            State::Done(header) => Ok(header),
            State::Failed => Err(StreamError::AlreadyFailed),
            State::Header(bytes) if bytes.len() < MAGIC.len() + 1 => Err(StreamError::NotAssayFile),
            State::Header(_) => Err(StreamError::Truncated { expected: HEADER_LEN as u64, got: self.seen }),
            State::Body { header, .. } => {
                Err(StreamError::Truncated { expected: header.encrypted_len(), got: self.seen })
            }
        }
    }
}

/// Decrypts a whole file in memory; the app streams with [`Decryptor`].
pub fn decrypt_all(key: &[u8; 32], encrypted: &[u8]) -> Result<Vec<u8>, StreamError> {
    let mut decryptor = Decryptor::new(key);
    let mut out = Vec::with_capacity(encrypted.len());
    decryptor.update(encrypted, &mut out)?;
    decryptor.finish()?;
    Ok(out)
}
