//! Interoperability: bytes made by an independent implementation of the documented formats, decrypted and
//! opened here.
//!
//! The file: Python, pyca/cryptography 48 (AESGCM). Header = "ASSAYENC" ‖ 01 ‖ chunk size 128 ‖ length 300
//! ‖ nonce prefix 01..07 ‖ key id 03×32; chunk i = AESGCM(05×32).encrypt(prefix ‖ i (u32 BE) ‖ last flag,
//! plaintext[128 i ..], header).
//!
//! The sealed key: Foundry's `cast` 1.7.1 for every curve operation and keccak-256, Python only for integer
//! arithmetic mod n. With `b` = `LICENCE_SECRET` and `e` = 21×32 (its point has an even y, per
//! `cast wallet public-key`): `B.x`, `E.x` from `cast wallet public-key`; `address(S)` =
//! `cast wallet address --private-key (e·b mod n)` (as `S = e·B = (e·b)·G`); mask =
//! `cast keccak address(S) ‖ E.x`; sealed = E.x ‖ (42×32 ⊕ mask).

use alloy_primitives::hex;
use assay_crypto::{LicenceSecret, keys, open, seal, stream};
use k256::Scalar;
use k256::elliptic_curve::PrimeField;

const FILE: [u8; 408] = hex!(
    "4153534159454e430100000080000000000000012c01020304050607030303030303030303030303030303030303030303030303030303030303030363ae162fbd50ab56931884aec317314ed696af02ecd6304a61934f51c3be8f5a10ba0dbb5a6218633591cc86dba7a37ba2b160b8ee97842cb9cf34ff2c8a479f0e404dfca3171cfd5a18c1d22b672b2db9f97efdd1db3fc2c2e27f77b364da431d4615d70144cae0f5ea1350177be05fb15e4a774c14f2c4e524e7e57304ad8e7b90fe98e8fda888e77dac925dbc2d489ab28ffa68f12143df834e4a2fbaded4491cd9e8757a30dc788cf0c862ad3d73645b256193dcd7c4d6c4cef3410cbb0a094a6671d8202190da3fe476276809c1bc0f9c80f62295b97eb675308c21835333ea061ccf67cc2f483a4890d34f94629a91be31e41b1817e486095e493f3a269c66b8a14e5be1792d16a2202b51f0a8b81fc130d422aeb692e84a32bacc5a90a2d9b612ba092bc9b310f1c6d1767135ff945f6865b09fef0def0c98f9a932e14a6617deb735ba9daed5c328f00150b45c179ed2e8c73ecf3172d216"
);

/// The licence secret of `keys.rs`' cast signature (anvil #0 signing `LicenceKey(…, 7, 22×32)`).
const LICENCE_SECRET: [u8; 32] = hex!("48e0b044799ec52d2baa15aba72387cad3d410e31c723a7abf3ab819cbbee29d");
const BUYER_KEY: [u8; 32] = hex!("83f044438c0059bca35eb0e293083aa2278fe39d9595d6f4e03096b9d37423fa");
const SEALED: [u8; 64] = hex!(
    "8d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f77c2758f3d4d995082839c030eaed1dd3083697023e487e00cded1b22d1c3354a"
);
/// `sha256(42×32)` (Python hashlib): the commitment the contract tests use with `SEALED`.
const COMMITMENT: [u8; 32] = hex!("425ed4e4a36b30ea21b90e21c712c649e8214c29b7eaf68089d1039c6e55384c");

#[test]
fn a_file_written_by_another_implementation_decrypts() {
    let plaintext: Vec<u8> = (0..300u32).map(|i| i as u8).collect();
    let header = stream::Header::parse(&FILE).unwrap();
    assert_eq!((header.chunk_size, header.plaintext_len, header.key_id), (128, 300, [3; 32]));
    assert_eq!(header.nonce_prefix, [1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(stream::decrypt_all(&[5; 32], &FILE).unwrap(), plaintext);
}

#[test]
fn a_key_sealed_by_another_implementation_opens() {
    let secret = LicenceSecret::from_bytes(&LICENCE_SECRET).unwrap();
    assert_eq!(secret.buyer_key(), BUYER_KEY);
    assert_eq!(open(&secret, &SEALED).unwrap(), [0x42; 32]);
    assert_eq!(keys::commitment(&[0x42; 32]), COMMITMENT);
}

#[test]
fn sealing_with_the_same_ephemeral_gives_the_same_bytes() {
    let e = Scalar::from_repr([0x21; 32].into()).unwrap();
    assert_eq!(seal::seal_with(&e, &BUYER_KEY, &[0x42; 32]).unwrap().unwrap(), SEALED);
}
