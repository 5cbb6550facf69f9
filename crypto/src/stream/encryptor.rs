//! Encryption: a file of known length in, the header and sealed chunks out.

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::stream::{StreamBE32, StreamPrimitive};

use super::{HEADER_LEN, Header, StreamError, TAG_LEN, stream};

/// Encrypts a file of known length, given in pieces of any size.
pub struct Encryptor {
    stream: StreamBE32<Aes256Gcm>,
    header: Header,
    header_bytes: [u8; HEADER_LEN],
    header_written: bool,
    /// The current chunk's plaintext (then ciphertext and tag, briefly).
    buffer: Vec<u8>,
    index: u64,
    given: u64,
}

impl Encryptor {
    /// An encryptor for `plaintext_len` bytes under `key`, with a fresh random nonce prefix.
    pub fn new(key: &[u8; 32], key_id: [u8; 32], plaintext_len: u64, chunk_size: u32) -> Result<Self, StreamError> {
        let header = Header::new(key_id, plaintext_len, chunk_size)?;
        Ok(Self {
            stream: stream(key, &header),
            header,
            header_bytes: header.to_bytes(),
            header_written: false,
            buffer: Vec::with_capacity(header.chunk_len(0) + TAG_LEN),
            index: 0,
            given: 0,
        })
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    fn write_header(&mut self, out: &mut Vec<u8>) {
        if !self.header_written {
            out.extend_from_slice(&self.header_bytes);
            self.header_written = true;
        }
    }

    fn seal_chunk(&mut self, out: &mut Vec<u8>) {
        let last = self.index + 1 == self.header.chunk_count();
        self.stream
            .encrypt_in_place(self.index as u32, last, &self.header_bytes, &mut self.buffer)
            .expect("a chunk of at most 16 MiB is within AES-GCM's limits");
        out.extend_from_slice(&self.buffer);
        self.buffer.clear();
        self.index += 1;
    }

    /// Encrypts the next `input` bytes, appending whatever is ready (header, whole chunks) to `out`.
    pub fn update(&mut self, mut input: &[u8], out: &mut Vec<u8>) -> Result<(), StreamError> {
        let given = self.given + input.len() as u64;
        if given > self.header.plaintext_len {
            return Err(StreamError::LengthMismatch { declared: self.header.plaintext_len, given });
        }
        self.given = given;
        self.write_header(out);
        while !input.is_empty() {
            let want = self.header.chunk_len(self.index) - self.buffer.len();
            let take = want.min(input.len());
            self.buffer.extend_from_slice(&input[..take]);
            input = &input[take..];
            // A full chunk that isn't the last is sealed at once; the last waits for `finish`.
            if self.buffer.len() == self.header.chunk_len(self.index) && self.index + 1 < self.header.chunk_count() {
                self.seal_chunk(out);
            }
        }
        Ok(())
    }

    /// Seals the last chunk; fails if fewer bytes were given than declared.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<(), StreamError> {
        if self.given != self.header.plaintext_len {
            return Err(StreamError::LengthMismatch { declared: self.header.plaintext_len, given: self.given });
        }
        self.write_header(out);
        self.seal_chunk(out);
        Ok(())
    }
}

/// Encrypts a whole file in memory (tests, small files); the app streams with [`Encryptor`].
pub fn encrypt_all(
    key: &[u8; 32],
    key_id: [u8; 32],
    plaintext: &[u8],
    chunk_size: u32,
) -> Result<Vec<u8>, StreamError> {
    let mut encryptor = Encryptor::new(key, key_id, plaintext.len() as u64, chunk_size)?;
    let mut out = Vec::with_capacity(encryptor.header().encrypted_len() as usize);
    encryptor.update(plaintext, &mut out)?;
    encryptor.finish(&mut out)?;
    Ok(out)
}
