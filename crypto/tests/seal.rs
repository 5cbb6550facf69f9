//! Key delivery: the content key sealed to the buyer's X25519 key, and the whole flow end to end.

use alloy_primitives::{address, hex};
use assay_crypto::keys::{self, KeyDomain};
use assay_crypto::seal::*;
use assay_crypto::stream::{self, DEFAULT_CHUNK_SIZE};
use assay_crypto::{PublicKey, StaticSecret};

const CONTENT_KEY: [u8; 32] = [0x42; 32];

fn buyer(seed: u8) -> (StaticSecret, PublicKey) {
    let secret = StaticSecret::from([seed; 32]);
    let public = PublicKey::from(&secret);
    (secret, public)
}

#[test]
fn sealing_round_trips_in_92_bytes() {
    let (secret, public) = buyer(1);
    let sealed = seal(&public, &CONTENT_KEY).unwrap();
    assert_eq!(sealed.len(), 92);
    assert_eq!(SEALED_LEN, 32 + 12 + 32 + 16);
    assert_eq!(open(&secret, &sealed).unwrap(), CONTENT_KEY);
    // The layout: the ephemeral public key first, and no plaintext anywhere.
    assert_ne!(&sealed[..32], public.as_bytes());
    assert!(!sealed.windows(32).any(|w| w == CONTENT_KEY));
}

#[test]
fn each_seal_is_fresh() {
    let (secret, public) = buyer(1);
    let (a, b) = (seal(&public, &CONTENT_KEY).unwrap(), seal(&public, &CONTENT_KEY).unwrap());
    assert_ne!(a[..32], b[..32], "ephemeral keys differ");
    assert_ne!(a[44..], b[44..]);
    assert_eq!(open(&secret, &a).unwrap(), open(&secret, &b).unwrap());
}

#[test]
fn opening_with_the_wrong_secret_fails() {
    let (_, public) = buyer(1);
    let (other, _) = buyer(2);
    let sealed = seal(&public, &CONTENT_KEY).unwrap();
    assert_eq!(open(&other, &sealed), Err(SealError::NotForThisKey));
}

#[test]
fn any_altered_byte_fails() {
    let (secret, public) = buyer(1);
    let sealed = seal(&public, &CONTENT_KEY).unwrap();
    for position in 0..SEALED_LEN {
        let mut altered = sealed;
        altered[position] ^= 0x01;
        assert_eq!(open(&secret, &altered), Err(SealError::NotForThisKey), "byte {position}");
    }
}

#[test]
fn wrong_lengths_are_named() {
    let (secret, public) = buyer(1);
    let sealed = seal(&public, &CONTENT_KEY).unwrap();
    assert_eq!(open(&secret, &sealed[..91]), Err(SealError::WrongLength(91)));
    assert_eq!(open(&secret, &[]), Err(SealError::WrongLength(0)));
    let mut long = sealed.to_vec();
    long.push(0);
    assert_eq!(open(&secret, &long), Err(SealError::WrongLength(93)));
    assert_eq!(SealError::WrongLength(91).to_string(), "The delivered key has 91 bytes; a sealed Assay key has 92.");
}

#[test]
fn low_order_keys_are_refused() {
    // The zero key (what an unset `buyerKey` reads as) and another small-order point of Curve25519.
    let small_order = hex!("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
    for bytes in [[0u8; 32], small_order] {
        assert_eq!(seal(&PublicKey::from(bytes), &CONTENT_KEY), Err(SealError::UnusablePublicKey));
        // A sealed key whose ephemeral part is such a point doesn't open either.
        let (secret, public) = buyer(1);
        let mut sealed = seal(&public, &CONTENT_KEY).unwrap();
        sealed[..32].copy_from_slice(&bytes);
        assert_eq!(open(&secret, &sealed), Err(SealError::NotForThisKey));
    }
}

#[test]
fn the_delivered_key_is_checked_against_the_commitment() {
    let (secret, public) = buyer(1);
    let sealed = seal(&public, &CONTENT_KEY).unwrap();
    assert_eq!(open_and_verify(&secret, &sealed, &keys::commitment(&CONTENT_KEY)).unwrap(), CONTENT_KEY);
    // A creator who delivers some other key (correctly sealed) is caught.
    let other = seal(&public, &[0x43; 32]).unwrap();
    assert_eq!(open_and_verify(&secret, &other, &keys::commitment(&CONTENT_KEY)), Err(SealError::CommitmentMismatch));
    for error in [
        SealError::UnusablePublicKey,
        SealError::WrongLength(1),
        SealError::NotForThisKey,
        SealError::CommitmentMismatch,
    ] {
        assert!(error.to_string().starts_with("The ") && error.to_string().ends_with('.'));
    }
}

/// Listing, buying, delivering and decrypting with signatures from a real (k256) wallet.
#[test]
fn the_whole_flow_from_wallet_signatures() {
    use k256::ecdsa::SigningKey;
    let domain = KeyDomain::new(31337, address!("5FbDB2315678afecb367f032d93F642f64180aa3"));
    let sign = |private: [u8; 32], digest: [u8; 32]| {
        let (signature, recovery) =
            SigningKey::from_slice(&private).unwrap().sign_prehash_recoverable(&digest).unwrap();
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&signature.to_bytes());
        out[64] = 27 + recovery.to_byte();
        out
    };
    let creator = hex!("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"); // anvil #1
    let buyer = hex!("5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"); // anvil #2

    // Listing: a key id, the creator's signature → content key → commitment; the file encrypted.
    let key_id = keys::new_key_id();
    let content_key = keys::content_key(&sign(creator, keys::content_key_digest(&domain, &key_id).0)).unwrap();
    let commitment = keys::commitment(&content_key);
    let model: Vec<u8> = (0..3 * DEFAULT_CHUNK_SIZE as usize + 99).map(|i| (i % 251) as u8).collect();
    let file = stream::encrypt_all(&content_key, key_id, &model, DEFAULT_CHUNK_SIZE).unwrap();

    // Buying: the buyer's public key goes on chain.
    let (_, buyer_key) = keys::encryption_keypair(&sign(buyer, keys::encryption_key_digest(&domain).0)).unwrap();

    // Delivering, later, from nothing stored: the key id from the file's header, the creator signs again.
    let header = stream::Header::parse(&file).unwrap();
    let again = keys::content_key(&sign(creator, keys::content_key_digest(&domain, &header.key_id).0)).unwrap();
    assert_eq!(keys::commitment(&again), commitment);
    let encrypted_key = seal(&PublicKey::from(*buyer_key.as_bytes()), &again).unwrap();

    // The buyer, on another device: signs again, opens, checks, decrypts.
    let (secret, _) = keys::encryption_keypair(&sign(buyer, keys::encryption_key_digest(&domain).0)).unwrap();
    let key = open_and_verify(&secret, &encrypted_key, &commitment).unwrap();
    assert_eq!(stream::decrypt_all(&key, &file).unwrap(), model);
}
