//! Interoperability: bytes made by an independent implementation of the documented formats
//! (Python, pyca/cryptography 48: AESGCM, X25519, HKDF), decrypted and opened here.
//!
//! Made with: header = "ASSAYENC" ‖ 01 ‖ chunk size 128 ‖ length 300 ‖ nonce prefix 01..07 ‖ key id 03×32;
//! chunk i = AESGCM(05×32).encrypt(prefix ‖ i (u32 BE) ‖ last flag, plaintext[128 i ..], header);
//! sealed = E ‖ nonce 33×12 ‖ AESGCM(HKDF-SHA256(X25519(21×32, pub(09×32)), info = SEAL_INFO ‖ E ‖ pub)).encrypt(05×32)
//! with E = pub(21×32).

use alloy_primitives::hex;
use assay_crypto::{StaticSecret, open, stream};

const FILE: [u8; 408] = hex!(
    "4153534159454e430100000080000000000000012c01020304050607030303030303030303030303030303030303030303030303030303030303030363ae162fbd50ab56931884aec317314ed696af02ecd6304a61934f51c3be8f5a10ba0dbb5a6218633591cc86dba7a37ba2b160b8ee97842cb9cf34ff2c8a479f0e404dfca3171cfd5a18c1d22b672b2db9f97efdd1db3fc2c2e27f77b364da431d4615d70144cae0f5ea1350177be05fb15e4a774c14f2c4e524e7e57304ad8e7b90fe98e8fda888e77dac925dbc2d489ab28ffa68f12143df834e4a2fbaded4491cd9e8757a30dc788cf0c862ad3d73645b256193dcd7c4d6c4cef3410cbb0a094a6671d8202190da3fe476276809c1bc0f9c80f62295b97eb675308c21835333ea061ccf67cc2f483a4890d34f94629a91be31e41b1817e486095e493f3a269c66b8a14e5be1792d16a2202b51f0a8b81fc130d422aeb692e84a32bacc5a90a2d9b612ba092bc9b310f1c6d1767135ff945f6865b09fef0def0c98f9a932e14a6617deb735ba9daed5c328f00150b45c179ed2e8c73ecf3172d216"
);
const SEALED: [u8; 92] = hex!(
    "7d34a4815fa6b982535e60af3bd9b49556816080f1641ff81d2b7c8ae8268a44333333333333333333333333a4069c5c4c9f5af1906133395c82cfec2269ae5919e9d0c6e1c75c745615a80b7ad4dedd68ee21c6c96fb7580178372f"
);

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
    assert_eq!(open(&StaticSecret::from([9; 32]), &SEALED).unwrap(), [5; 32]);
}
