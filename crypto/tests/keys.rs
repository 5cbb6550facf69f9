//! Signature-derived keys: the typed data a wallet signs, deterministic derivation, commitments.

use alloy_primitives::{Address, U256, address, hex};
use assay_crypto::keys::*;
use k256::ecdsa::SigningKey;
use sha2::{Digest, Sha256};

/// The local stack: anvil's chain and the market's address on a fresh anvil (first deployment).
const MARKET: Address = address!("5FbDB2315678afecb367f032d93F642f64180aa3");
const DOMAIN: KeyDomain = KeyDomain { chain_id: 31337, market: MARKET };
/// Anvil's dev account #0.
const PRIVATE_KEY: [u8; 32] = hex!("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
const KEY_ID: [u8; 32] = [0x11; 32];
const MODEL_ID: u64 = 7;
const SALT: [u8; 32] = [0x22; 32];

/// Independent fixtures: Foundry's `cast` (1.7.1) signing the JSON this crate produces, e.g.
/// `cast wallet sign --private-key 0xac09…ff80 --data --from-file enc.json`, where `enc.json` is
/// `licence_key_typed_data(&DOMAIN, MODEL_ID, &SALT)` (and `content.json` is
/// `content_key_typed_data(&DOMAIN, &KEY_ID)`).
const CAST_LICENCE_SIG: [u8; 65] = hex!(
    "6deb32521b58a98a7a44cbf3d190317d13e07e5be34023ca624721b5680080b7181ef90fe6766dbe3d4ceac1df2daafa9748ec6790d8ba917ab80e729306ca0a1c"
);
const CAST_CONTENT_SIG: [u8; 65] = hex!(
    "e46de661270f18e70c6970dfc6fb0395a684aac9fae28b6fd05683d3318910ea1e41d44475d5f2e4b9efa3481d68fc60d9a81b926477c7545febb0363aa5daca1c"
);

/// A wallet: RFC 6979 signature over an EIP-712 digest, `v` as 27/28 like `eth_signTypedData_v4`.
fn wallet_sign(digest: &[u8; 32]) -> [u8; 65] {
    let key = SigningKey::from_slice(&PRIVATE_KEY).unwrap();
    let (signature, recovery) = key.sign_prehash_recoverable(digest).unwrap();
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&signature.to_bytes());
    out[64] = 27 + recovery.to_byte();
    out
}

#[test]
fn typed_data_is_the_fixed_eip712_message() {
    let data = licence_key_typed_data(&DOMAIN, MODEL_ID, &SALT);
    assert_eq!(data["primaryType"], "LicenceKey");
    assert_eq!(data["domain"]["name"], "Assay");
    assert_eq!(data["domain"]["version"], "1");
    assert_eq!(data["domain"]["chainId"], 31337);
    assert_eq!(data["domain"]["verifyingContract"], "0x5FbDB2315678afecb367f032d93F642f64180aa3");
    let fields: Vec<_> = data["types"]["LicenceKey"].as_array().unwrap().iter().map(|f| f["type"].clone()).collect();
    assert_eq!(fields, ["string", "uint256", "bytes32"]);
    assert_eq!(data["types"]["EIP712Domain"].as_array().unwrap().len(), 4);
    assert_eq!(data["message"]["purpose"], LICENCE_KEY_PURPOSE);
    assert_eq!(data["message"]["modelId"], 7);
    assert_eq!(data["message"]["salt"], format!("0x{}", "22".repeat(32)));

    let data = content_key_typed_data(&DOMAIN, &KEY_ID);
    assert_eq!(data["primaryType"], "ContentKey");
    assert_eq!(data["types"]["ContentKey"][1]["name"], "keyId");
    assert_eq!(data["types"]["ContentKey"][1]["type"], "bytes32");
    assert_eq!(data["message"]["keyId"], format!("0x{}", "11".repeat(32)));
    assert_eq!(data["message"]["purpose"], CONTENT_KEY_PURPOSE);
}

#[test]
fn digests_are_what_an_independent_signer_signs_for_the_json() {
    // cast hashed the JSON itself; k256 signs this crate's digest. Equal signatures ⇒ equal digests.
    assert_eq!(wallet_sign(&licence_key_digest(&DOMAIN, MODEL_ID, &SALT).0), CAST_LICENCE_SIG);
    assert_eq!(wallet_sign(&content_key_digest(&DOMAIN, &KEY_ID).0), CAST_CONTENT_SIG);
}

#[test]
fn digests_depend_on_chain_market_model_salt_and_key_id() {
    let base = licence_key_digest(&DOMAIN, MODEL_ID, &SALT);
    assert_ne!(base, licence_key_digest(&KeyDomain::new(1, MARKET), MODEL_ID, &SALT));
    assert_ne!(base, licence_key_digest(&KeyDomain::new(31337, Address::repeat_byte(1)), MODEL_ID, &SALT));
    assert_ne!(base, licence_key_digest(&DOMAIN, MODEL_ID + 1, &SALT));
    assert_ne!(base, licence_key_digest(&DOMAIN, MODEL_ID, &[0x23; 32]));
    assert_ne!(content_key_digest(&DOMAIN, &KEY_ID), content_key_digest(&DOMAIN, &[0x12; 32]));
    assert_ne!(base, content_key_digest(&DOMAIN, &KEY_ID));
}

#[test]
fn licence_key_is_deterministic_for_a_fixed_signature() {
    let a = licence_secret(&CAST_LICENCE_SIG).unwrap();
    let b = licence_secret(&CAST_LICENCE_SIG).unwrap();
    assert_eq!(a.to_bytes(), b.to_bytes());
    assert_eq!(a.buyer_key(), b.buyer_key());
    // The signature a second signing produces is the same, so the key is too.
    let again = licence_secret(&wallet_sign(&licence_key_digest(&DOMAIN, MODEL_ID, &SALT).0)).unwrap();
    assert_eq!(a.buyer_key(), again.buyer_key());
    // Pinned, and computed independently (Python: RFC 5869 HKDF from hmac/hashlib over low-s r ‖ s,
    // 64 bytes, w mod (n − 1) + 1, negated when cast's `wallet public-key` shows an odd y; B.x from cast):
    // a change here changes every buyer's key (a format change).
    assert_eq!(hex::encode(a.to_bytes()), "48e0b044799ec52d2baa15aba72387cad3d410e31c723a7abf3ab819cbbee29d");
    assert_eq!(hex::encode(a.buyer_key()), "83f044438c0059bca35eb0e293083aa2278fe39d9595d6f4e03096b9d37423fa");
    // A revealed secret reads back as the same key; the scalar form is canonical.
    assert_eq!(assay_crypto::LicenceSecret::from_bytes(&a.to_bytes()).unwrap().buyer_key(), a.buyer_key());
}

#[test]
fn each_purchase_has_its_own_licence_key() {
    let key = |model: u64, salt: &[u8; 32]| {
        licence_secret(&wallet_sign(&licence_key_digest(&DOMAIN, model, salt).0)).unwrap().buyer_key()
    };
    assert_ne!(key(MODEL_ID, &SALT), key(MODEL_ID, &[0x23; 32]));
    assert_ne!(key(MODEL_ID, &SALT), key(MODEL_ID + 1, &SALT));
    let (a, b) = (new_salt(), new_salt());
    assert_ne!(a, b);
}

#[test]
fn content_key_is_deterministic_and_separate_from_the_licence_key() {
    let key = content_key(&CAST_CONTENT_SIG).unwrap();
    assert_eq!(key, content_key(&CAST_CONTENT_SIG).unwrap());
    // Pinned and computed independently in Python, like the buyer key above.
    assert_eq!(hex::encode(key), "8f278ad4945e1f0fd7c968d8ef586860604134d7b94e9d35192a6f571520dd7f");
    // Same signature fed to both derivations: the info strings keep the keys apart.
    let secret = licence_secret(&CAST_CONTENT_SIG).unwrap();
    assert_ne!(secret.to_bytes(), key);
    // Another key id → another signature → another key.
    let other = content_key(&wallet_sign(&content_key_digest(&DOMAIN, &[0x12; 32]).0)).unwrap();
    assert_ne!(key, other);
}

#[test]
fn v_encoding_and_high_s_twin_give_the_same_key() {
    let public = licence_secret(&CAST_LICENCE_SIG).unwrap().buyer_key();
    // v as 0/1 (hardware wallets) instead of 27/28.
    let mut zero_one = CAST_LICENCE_SIG;
    zero_one[64] -= 27;
    assert_eq!(licence_secret(&zero_one).unwrap().buyer_key(), public);
    // The high-s twin (s' = n - s, parity flipped) is the same signature in another form.
    let n = U256::from_be_bytes(hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));
    let s = U256::from_be_slice(&CAST_LICENCE_SIG[32..64]);
    let mut twin = CAST_LICENCE_SIG;
    twin[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
    twin[64] = if twin[64] == 27 { 28 } else { 27 };
    assert_ne!(twin, CAST_LICENCE_SIG);
    assert_eq!(licence_secret(&twin).unwrap().buyer_key(), public);
}

#[test]
fn malformed_signatures_are_refused_with_a_reason() {
    let mut bad_v = CAST_LICENCE_SIG;
    bad_v[64] = 5;
    assert_eq!(licence_secret(&bad_v).err(), Some(KeyError::BadRecoveryByte(5)));
    let mut zero_r = CAST_LICENCE_SIG;
    zero_r[..32].fill(0);
    assert_eq!(content_key(&zero_r).unwrap_err(), KeyError::OutOfRange);
    let mut zero_s = CAST_LICENCE_SIG;
    zero_s[32..64].fill(0);
    assert_eq!(content_key(&zero_s).unwrap_err(), KeyError::OutOfRange);
    let mut huge_s = CAST_LICENCE_SIG;
    huge_s[32..64].fill(0xff);
    assert_eq!(licence_secret(&huge_s).err(), Some(KeyError::OutOfRange));

    let text = format!("0x{}", hex::encode(CAST_LICENCE_SIG));
    assert_eq!(parse_signature(&text).unwrap(), CAST_LICENCE_SIG);
    assert_eq!(parse_signature(&format!(" {} \n", &text[2..])).unwrap(), CAST_LICENCE_SIG);
    assert_eq!(parse_signature("0xzz").unwrap_err(), KeyError::NotHex);
    assert_eq!(parse_signature(&text[..text.len() - 2]).unwrap_err(), KeyError::WrongLength(64));
    for error in [KeyError::NotHex, KeyError::WrongLength(64), KeyError::BadRecoveryByte(5), KeyError::OutOfRange] {
        let sentence = error.to_string();
        assert!(sentence.starts_with("The wallet's signature") && sentence.ends_with('.'), "{sentence}");
    }
}

#[test]
fn commitment_is_sha256_of_the_key_and_stable() {
    // SHA-256 of 32 zero bytes, a published test value.
    assert_eq!(hex::encode(commitment(&[0; 32])), "66687aadf862bd776c8fc18b8e9f8e20089714856ee233b3902a591d0d5f2925");
    let key = content_key(&CAST_CONTENT_SIG).unwrap();
    assert_eq!(commitment(&key), <[u8; 32]>::from(Sha256::digest(key)));
    assert_eq!(commitment(&key), commitment(&key));
    assert_ne!(commitment(&key), [0; 32], "zero means open weights on chain");
    assert!(matches_commitment(&key, &commitment(&key)));
    assert!(!matches_commitment(&[1; 32], &commitment(&key)));
}

#[test]
fn key_ids_are_random() {
    let (a, b) = (new_key_id(), new_key_id());
    assert_ne!(a, b);
    assert_ne!(a, [0; 32]);
}
