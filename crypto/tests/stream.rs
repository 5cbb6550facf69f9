//! The encrypted file format: round trips, streaming in pieces, and every failure as its own error.

use assay_crypto::stream::*;

const KEY: [u8; 32] = [7; 32];
const KEY_ID: [u8; 32] = [9; 32];
const CHUNK: u32 = 64;

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 7) as u8).collect()
}

fn encrypt(plaintext: &[u8]) -> Vec<u8> {
    encrypt_all(&KEY, KEY_ID, plaintext, CHUNK).unwrap()
}

/// Offset of chunk `i` (all chunks before it are full).
fn chunk_offset(i: usize) -> usize {
    HEADER_LEN + i * (CHUNK as usize + TAG_LEN)
}

#[test]
fn round_trips_across_chunk_boundaries() {
    let c = CHUNK as usize;
    for len in [0, 1, c - 1, c, c + 1, 2 * c, 3 * c, 3 * c + 5, 1000] {
        let plaintext = data(len);
        let encrypted = encrypt(&plaintext);
        let header = Header::parse(&encrypted).unwrap();
        assert_eq!(header.plaintext_len, len as u64);
        assert_eq!(header.chunk_size, CHUNK);
        assert_eq!(header.key_id, KEY_ID);
        assert_eq!(header.chunk_count(), (len.div_ceil(c)).max(1) as u64, "len {len}");
        assert_eq!(encrypted.len() as u64, header.encrypted_len(), "len {len}");
        assert_eq!(decrypt_all(&KEY, &encrypted).unwrap(), plaintext, "len {len}");
    }
}

#[test]
fn empty_file_is_one_empty_authenticated_chunk() {
    let encrypted = encrypt(&[]);
    assert_eq!(encrypted.len(), HEADER_LEN + TAG_LEN);
    assert_eq!(decrypt_all(&KEY, &encrypted).unwrap(), Vec::<u8>::new());
    assert_eq!(decrypt_all(&[8; 32], &encrypted), Err(StreamError::Authentication { chunk: 0 }));
}

#[test]
fn round_trips_with_the_default_chunk_size() {
    let plaintext = data(2 * DEFAULT_CHUNK_SIZE as usize + 12_345);
    let encrypted = encrypt_all(&KEY, KEY_ID, &plaintext, DEFAULT_CHUNK_SIZE).unwrap();
    assert_eq!(Header::parse(&encrypted).unwrap().chunk_count(), 3);
    assert_eq!(decrypt_all(&KEY, &encrypted).unwrap(), plaintext);
}

#[test]
fn header_layout_is_as_documented() {
    let encrypted = encrypt(&data(100));
    assert_eq!(&encrypted[..8], b"ASSAYENC");
    assert_eq!(encrypted[8], 1);
    assert_eq!(encrypted[9..13], CHUNK.to_be_bytes());
    assert_eq!(encrypted[13..21], 100u64.to_be_bytes());
    assert_eq!(encrypted[28..60], KEY_ID);
    let header = Header::parse(&encrypted).unwrap();
    assert_eq!(header.to_bytes()[..], encrypted[..HEADER_LEN]);
}

#[test]
fn each_file_gets_its_own_nonce_prefix() {
    let plaintext = data(200);
    let (a, b) = (encrypt(&plaintext), encrypt(&plaintext));
    assert_ne!(Header::parse(&a).unwrap().nonce_prefix, Header::parse(&b).unwrap().nonce_prefix);
    assert_ne!(a[HEADER_LEN..], b[HEADER_LEN..]);
}

/// Feeds `bytes` in pieces of the given sizes, cycling.
fn feed_decryptor(encrypted: &[u8], pieces: &[usize]) -> Result<Vec<u8>, StreamError> {
    let mut decryptor = Decryptor::new(&KEY);
    let mut out = Vec::new();
    let mut rest = encrypted;
    for &size in pieces.iter().cycle() {
        if rest.is_empty() {
            break;
        }
        let (piece, tail) = rest.split_at(size.min(rest.len()));
        decryptor.update(piece, &mut out)?;
        rest = tail;
    }
    decryptor.finish()?;
    Ok(out)
}

#[test]
fn streaming_in_pieces_of_any_size_gives_the_same_result() {
    let plaintext = data(5 * CHUNK as usize + 17);
    let encrypted = encrypt(&plaintext);
    for pieces in [&[1][..], &[7], &[64], &[80], &[3, 100, 1, 250], &[HEADER_LEN - 1, 1, 1000]] {
        assert_eq!(feed_decryptor(&encrypted, pieces).unwrap(), plaintext, "pieces {pieces:?}");

        let mut encryptor = Encryptor::new(&KEY, KEY_ID, plaintext.len() as u64, CHUNK).unwrap();
        let mut out = Vec::new();
        for piece in plaintext.chunks(pieces[0]) {
            encryptor.update(piece, &mut out).unwrap();
        }
        encryptor.finish(&mut out).unwrap();
        assert_eq!(decrypt_all(&KEY, &out).unwrap(), plaintext, "pieces {pieces:?}");
    }
}

#[test]
fn encryptor_emits_whole_chunks_as_soon_as_they_are_known_not_to_be_last() {
    let mut encryptor = Encryptor::new(&KEY, KEY_ID, 3 * CHUNK as u64, CHUNK).unwrap();
    let mut out = Vec::new();
    encryptor.update(&data(CHUNK as usize), &mut out).unwrap();
    assert_eq!(out.len(), chunk_offset(1), "header and the first chunk");
    encryptor.update(&data(2 * CHUNK as usize), &mut out).unwrap();
    assert_eq!(out.len(), chunk_offset(2), "the last chunk waits for finish");
    encryptor.finish(&mut out).unwrap();
    assert_eq!(out.len(), chunk_offset(3));
}

#[test]
fn decryptor_releases_only_authenticated_chunks() {
    let plaintext = data(3 * CHUNK as usize);
    let mut encrypted = encrypt(&plaintext);
    encrypted[chunk_offset(1) + 5] ^= 1;
    let mut decryptor = Decryptor::new(&KEY);
    let mut out = Vec::new();
    assert_eq!(decryptor.header(), None);
    decryptor.update(&encrypted[..HEADER_LEN], &mut out).unwrap();
    assert_eq!(decryptor.header().unwrap().key_id, KEY_ID, "the key id is readable before any chunk");
    assert_eq!(decryptor.update(&encrypted[HEADER_LEN..], &mut out), Err(StreamError::Authentication { chunk: 1 }));
    assert_eq!(out, plaintext[..CHUNK as usize], "chunk 0 only");
    assert_eq!(decryptor.update(&[0], &mut out), Err(StreamError::AlreadyFailed));
    assert_eq!(decryptor.finish(), Err(StreamError::AlreadyFailed));
}

#[test]
fn a_tampered_byte_anywhere_in_the_body_names_its_chunk() {
    let plaintext = data(3 * CHUNK as usize + 10);
    let encrypted = encrypt(&plaintext);
    for position in HEADER_LEN..encrypted.len() {
        let mut tampered = encrypted.clone();
        tampered[position] ^= 0x80;
        let chunk = ((position - HEADER_LEN) / (CHUNK as usize + TAG_LEN)) as u32;
        assert_eq!(decrypt_all(&KEY, &tampered), Err(StreamError::Authentication { chunk }), "byte {position}");
    }
}

#[test]
fn a_tampered_header_fails_at_the_first_chunk() {
    // The whole header is every chunk's associated data: length, nonce prefix and key id can't change.
    let encrypted = encrypt(&data(150));
    for position in 16..HEADER_LEN {
        let mut tampered = encrypted.clone();
        tampered[position] ^= 1;
        assert_eq!(decrypt_all(&KEY, &tampered), Err(StreamError::Authentication { chunk: 0 }), "byte {position}");
    }
    // A length past 2^32 chunks is refused from the header alone.
    let mut huge = encrypted.clone();
    huge[13] ^= 1;
    assert_eq!(decrypt_all(&KEY, &huge), Err(StreamError::TooManyChunks));
    // Nor the chunk size (still in range).
    let mut resized = encrypted.clone();
    resized[9..13].copy_from_slice(&32u32.to_be_bytes());
    assert_eq!(decrypt_all(&KEY, &resized), Err(StreamError::Authentication { chunk: 0 }));
    // A shorter declared length and the same body: chunk 0 still fails before any trailing-data check.
    let mut shorter = encrypted.clone();
    shorter[13..21].copy_from_slice(&(CHUNK as u64).to_be_bytes());
    assert_eq!(decrypt_all(&KEY, &shorter), Err(StreamError::Authentication { chunk: 0 }));
}

#[test]
fn the_wrong_key_fails_at_the_first_chunk() {
    let encrypted = encrypt(&data(500));
    let mut wrong = KEY;
    wrong[31] ^= 1;
    assert_eq!(decrypt_all(&wrong, &encrypted), Err(StreamError::Authentication { chunk: 0 }));
    assert_eq!(
        decrypt_all(&wrong, &encrypted).unwrap_err().to_string(),
        "Wrong key, or the encrypted file was tampered with: chunk 0 failed authentication."
    );
}

#[test]
fn a_file_cut_anywhere_is_truncated() {
    let encrypted = encrypt(&data(3 * CHUNK as usize + 10));
    let expected = encrypted.len() as u64;
    for cut in 9..encrypted.len() {
        let error = decrypt_all(&KEY, &encrypted[..cut]).unwrap_err();
        let expected = if cut < HEADER_LEN { HEADER_LEN as u64 } else { expected };
        assert_eq!(error, StreamError::Truncated { expected, got: cut as u64 }, "cut at {cut}");
    }
    // In particular, the whole final chunk missing:
    let error = decrypt_all(&KEY, &encrypted[..chunk_offset(3)]).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "The encrypted file is truncated: it should have {expected} bytes but ends after {} (its final chunk is missing).",
            chunk_offset(3)
        )
    );
}

#[test]
fn a_dropped_or_reordered_chunk_fails_where_it_happens() {
    let encrypted = encrypt(&data(4 * CHUNK as usize));
    let segment = CHUNK as usize + TAG_LEN;
    let chunk = |i: usize| &encrypted[chunk_offset(i)..chunk_offset(i) + segment];

    let mut swapped = encrypted[..HEADER_LEN].to_vec();
    for i in [1, 0, 2, 3] {
        swapped.extend_from_slice(chunk(i));
    }
    assert_eq!(decrypt_all(&KEY, &swapped), Err(StreamError::Authentication { chunk: 0 }));

    let mut swapped_late = encrypted[..HEADER_LEN].to_vec();
    for i in [0, 1, 3, 2] {
        swapped_late.extend_from_slice(chunk(i));
    }
    assert_eq!(decrypt_all(&KEY, &swapped_late), Err(StreamError::Authentication { chunk: 2 }));

    let mut dropped = encrypted[..HEADER_LEN].to_vec();
    for i in [0, 2, 3, 3] {
        dropped.extend_from_slice(chunk(i));
    }
    assert_eq!(decrypt_all(&KEY, &dropped), Err(StreamError::Authentication { chunk: 1 }));

    // A non-final chunk can't stand in as the last one: the last-chunk flag is in its nonce.
    let mut early_end = encrypted[..HEADER_LEN].to_vec();
    early_end[13..21].copy_from_slice(&(3 * CHUNK as u64).to_be_bytes());
    for i in [0, 1, 2] {
        early_end.extend_from_slice(chunk(i));
    }
    assert!(matches!(decrypt_all(&KEY, &early_end), Err(StreamError::Authentication { .. })));
}

#[test]
fn data_after_the_final_chunk_is_trailing_data() {
    let mut encrypted = encrypt(&data(100));
    let expected = encrypted.len() as u64;
    encrypted.push(0);
    assert_eq!(decrypt_all(&KEY, &encrypted), Err(StreamError::TrailingData { expected }));
    // Also when the extra bytes come in a later piece.
    assert_eq!(feed_decryptor(&encrypted, &[expected as usize, 1]), Err(StreamError::TrailingData { expected }));
    // A whole valid file appended to another.
    let mut twice = encrypt(&data(10));
    twice.extend(encrypt(&data(10)));
    assert!(matches!(decrypt_all(&KEY, &twice), Err(StreamError::TrailingData { .. })));
}

#[test]
fn other_files_and_other_versions_are_recognised() {
    assert_eq!(decrypt_all(&KEY, b""), Err(StreamError::NotAssayFile));
    assert_eq!(decrypt_all(&KEY, b"\x08\x01\x12\x07pytorch onnx model"), Err(StreamError::NotAssayFile));
    assert_eq!(decrypt_all(&KEY, b"ASSAY"), Err(StreamError::NotAssayFile));
    assert_eq!(decrypt_all(&KEY, b"ASSAYENX"), Err(StreamError::NotAssayFile));
    // Recognised from the first wrong byte, before the rest arrives.
    let mut decryptor = Decryptor::new(&KEY);
    assert_eq!(decryptor.update(b"PK\x03\x04", &mut Vec::new()), Err(StreamError::NotAssayFile));

    let mut encrypted = encrypt(&data(10));
    for version in [0, 2, 255] {
        encrypted[8] = version;
        assert_eq!(decrypt_all(&KEY, &encrypted), Err(StreamError::UnsupportedVersion { found: version }));
        assert_eq!(decrypt_all(&KEY, &encrypted[..9]), Err(StreamError::UnsupportedVersion { found: version }));
        assert_eq!(Header::parse(&encrypted), Err(StreamError::UnsupportedVersion { found: version }));
    }
    assert_eq!(
        StreamError::UnsupportedVersion { found: 2 }.to_string(),
        "This encrypted file uses format version 2; this version of Assay reads version 1 only."
    );
}

#[test]
fn hostile_chunk_sizes_are_refused() {
    let mut encrypted = encrypt(&data(10));
    for size in [0, MAX_CHUNK_SIZE + 1, u32::MAX] {
        encrypted[9..13].copy_from_slice(&size.to_be_bytes());
        assert_eq!(decrypt_all(&KEY, &encrypted), Err(StreamError::BadChunkSize { size }));
    }
    assert!(matches!(Encryptor::new(&KEY, KEY_ID, 10, 0), Err(StreamError::BadChunkSize { size: 0 })));
    assert!(matches!(Encryptor::new(&KEY, KEY_ID, 1 << 40, 1), Err(StreamError::TooManyChunks)));
    assert!(Encryptor::new(&KEY, KEY_ID, 1 << 40, MAX_CHUNK_SIZE).is_ok());
}

#[test]
fn the_encryptor_holds_the_caller_to_the_declared_length() {
    let mut encryptor = Encryptor::new(&KEY, KEY_ID, 10, CHUNK).unwrap();
    let mut out = Vec::new();
    assert_eq!(encryptor.update(&data(11), &mut out), Err(StreamError::LengthMismatch { declared: 10, given: 11 }));
    encryptor.update(&data(4), &mut out).unwrap();
    assert_eq!(encryptor.finish(&mut out), Err(StreamError::LengthMismatch { declared: 10, given: 4 }));
}

#[test]
fn every_error_is_a_sentence() {
    let errors = [
        StreamError::NotAssayFile,
        StreamError::UnsupportedVersion { found: 9 },
        StreamError::BadChunkSize { size: 0 },
        StreamError::TooManyChunks,
        StreamError::Authentication { chunk: 3 },
        StreamError::Truncated { expected: 100, got: 50 },
        StreamError::TrailingData { expected: 100 },
        StreamError::LengthMismatch { declared: 1, given: 2 },
        StreamError::AlreadyFailed,
    ];
    for error in errors {
        let sentence = error.to_string();
        assert!(sentence.starts_with(char::is_uppercase) && sentence.ends_with('.'), "{sentence}");
        assert!(!sentence.contains("Error"), "{sentence}");
    }
}

/// The chunk map (`Header::chunk`) is what a second implementation of the chunk cipher (the app's
/// WebCrypto AES-GCM) uses: plain one-shot AES-256-GCM per chunk, with its nonce and the header as
/// associated data, gives exactly the reference encryptor's bytes, and opens them.
#[test]
fn the_chunk_map_with_plain_aes_gcm_gives_the_reference_bytes() {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    use aes_gcm::{Aes256Gcm, Nonce};
    let c = CHUNK as usize;
    for len in [0, 1, c, c + 1, 3 * c + 5] {
        let plaintext = data(len);
        let reference = encrypt(&plaintext);
        let header = Header::parse(&reference).unwrap();
        header.check_encrypted_len(reference.len() as u64).unwrap();
        let header_bytes = &reference[..HEADER_LEN];
        let cipher = Aes256Gcm::new((&KEY).into());
        let mut rebuilt = header_bytes.to_vec();
        for i in 0..header.chunk_count() {
            let chunk = header.chunk(i);
            let range = |r: &std::ops::Range<u64>| r.start as usize..r.end as usize;
            let sealed = cipher
                .encrypt(
                    Nonce::from_slice(&chunk.nonce),
                    Payload { msg: &plaintext[range(&chunk.plain)], aad: header_bytes },
                )
                .unwrap();
            assert_eq!(sealed, reference[range(&chunk.sealed)], "chunk {i} of a {len}-byte file");
            let opened = cipher
                .decrypt(
                    Nonce::from_slice(&chunk.nonce),
                    Payload { msg: &reference[range(&chunk.sealed)], aad: header_bytes },
                )
                .unwrap();
            assert_eq!(opened, plaintext[range(&chunk.plain)]);
            rebuilt.extend_from_slice(&sealed);
        }
        assert_eq!(rebuilt, reference);
        assert_eq!(header.chunk(header.chunk_count() - 1).sealed.end, reference.len() as u64);
    }
}

#[test]
fn the_encrypted_length_check_names_truncation_and_trailing_data() {
    let encrypted = encrypt(&data(200));
    let header = Header::parse(&encrypted).unwrap();
    let n = encrypted.len() as u64;
    assert_eq!(header.check_encrypted_len(n), Ok(()));
    assert_eq!(header.check_encrypted_len(n - 1), Err(StreamError::Truncated { expected: n, got: n - 1 }));
    assert_eq!(header.check_encrypted_len(n + 3), Err(StreamError::TrailingData { expected: n }));
}
