//! Encrypt and decrypt throughput of the model file format: 50 MB in 1 MiB pieces, as the app streams
//! a file, plus sealing and opening one content key. Results in bench/RESULTS.md ("Encryption (host)").
//!
//! cargo bench --offline -p assay-crypto --bench stream -- --quick

use std::hint::black_box;
use std::time::Duration;

use assay_crypto::stream::{DEFAULT_CHUNK_SIZE, Decryptor, Encryptor};
use assay_crypto::{LicenceSecret, encrypt_all, open, seal};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const LEN: usize = 50_000_000;
const PIECE: usize = 1 << 20;
const KEY: [u8; 32] = [7; 32];

fn encrypt(plaintext: &[u8]) -> Vec<u8> {
    let mut encryptor = Encryptor::new(&KEY, [1; 32], plaintext.len() as u64, DEFAULT_CHUNK_SIZE).unwrap();
    let mut out = Vec::with_capacity(encryptor.header().encrypted_len() as usize);
    for piece in plaintext.chunks(PIECE) {
        encryptor.update(piece, &mut out).unwrap();
    }
    encryptor.finish(&mut out).unwrap();
    out
}

fn decrypt(encrypted: &[u8]) -> Vec<u8> {
    let mut decryptor = Decryptor::new(&KEY);
    let mut out = Vec::with_capacity(encrypted.len());
    for piece in encrypted.chunks(PIECE) {
        decryptor.update(piece, &mut out).unwrap();
    }
    decryptor.finish().unwrap();
    out
}

fn bench(c: &mut Criterion) {
    let plaintext: Vec<u8> = (0..LEN).map(|i| (i * 31 + i / 1000) as u8).collect();
    let encrypted = encrypt_all(&KEY, [1; 32], &plaintext, DEFAULT_CHUNK_SIZE).unwrap();
    assert_eq!(decrypt(&encrypted), plaintext);

    let mut group = c.benchmark_group("stream 50 MB, 1 MiB chunks");
    group.sample_size(10).measurement_time(Duration::from_secs(5)).throughput(Throughput::BytesDecimal(LEN as u64));
    group.bench_function("encrypt", |b| b.iter(|| encrypt(black_box(&plaintext))));
    group.bench_function("decrypt", |b| b.iter(|| decrypt(black_box(&encrypted))));
    group.finish();

    let secret = LicenceSecret::from_bytes(&[9; 32]).or_else(|| LicenceSecret::from_bytes(&[10; 32])).unwrap();
    let public = secret.buyer_key();
    let sealed = seal(&public, &KEY).unwrap();
    c.bench_function("seal a content key", |b| b.iter(|| seal(black_box(&public), &KEY).unwrap()));
    c.bench_function("open a sealed key", |b| b.iter(|| open(black_box(&secret), &sealed).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
