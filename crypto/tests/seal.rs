//! Key delivery: the content key sealed to one licence's secp256k1 key, opened as the contract re-opens
//! it, and the whole flow end to end.

use alloy_primitives::{U256, address, hex};
use assay_crypto::LicenceSecret;
use assay_crypto::keys::{self, KeyDomain};
use assay_crypto::seal::*;
use assay_crypto::secp::ORDER;
use assay_crypto::stream::{self, DEFAULT_CHUNK_SIZE};
use k256::Scalar;

const CONTENT_KEY: [u8; 32] = [0x42; 32];

fn buyer(seed: u64) -> LicenceSecret {
    LicenceSecret::from_scalar(Scalar::from(seed)).unwrap()
}

#[test]
fn sealing_round_trips_in_64_bytes() {
    let secret = buyer(1);
    let sealed = seal(&secret.buyer_key(), &CONTENT_KEY).unwrap();
    assert_eq!(sealed.len(), 64);
    assert_eq!(open(&secret, &sealed).unwrap(), CONTENT_KEY);
    // The layout: the ephemeral x first, and no plaintext anywhere.
    assert_ne!(sealed[..32], secret.buyer_key());
    assert!(!sealed.windows(32).any(|w| w == CONTENT_KEY));
}

#[test]
fn each_seal_is_fresh() {
    let secret = buyer(7);
    let (a, b) = (seal(&secret.buyer_key(), &CONTENT_KEY).unwrap(), seal(&secret.buyer_key(), &CONTENT_KEY).unwrap());
    assert_ne!(a[..32], b[..32], "ephemeral keys differ");
    assert_ne!(a[32..], b[32..]);
    assert_eq!(open(&secret, &a).unwrap(), open(&secret, &b).unwrap());
}

#[test]
fn another_licence_secret_opens_to_something_else() {
    let sealed = seal(&buyer(1).buyer_key(), &CONTENT_KEY).unwrap();
    let other = open(&buyer(2), &sealed).unwrap();
    assert_ne!(other, CONTENT_KEY);
    assert_eq!(
        open_and_verify(&buyer(2), &sealed, &keys::commitment(&CONTENT_KEY)),
        Err(SealError::CommitmentMismatch)
    );
}

#[test]
fn an_altered_masked_byte_changes_the_key_and_an_altered_point_changes_it_or_does_not_open() {
    let secret = buyer(3);
    let sealed = seal(&secret.buyer_key(), &CONTENT_KEY).unwrap();
    for position in 0..SEALED_LEN {
        let mut altered = sealed;
        altered[position] ^= 0x01;
        match open(&secret, &altered) {
            Ok(key) => assert_ne!(key, CONTENT_KEY, "byte {position}"),
            Err(error) => assert_eq!((position < 32, error), (true, SealError::NotOpenable)),
        }
    }
}

#[test]
fn wrong_lengths_are_named() {
    let secret = buyer(1);
    let sealed = seal(&secret.buyer_key(), &CONTENT_KEY).unwrap();
    assert_eq!(open(&secret, &sealed[..63]), Err(SealError::WrongLength(63)));
    assert_eq!(open(&secret, &[]), Err(SealError::WrongLength(0)));
    assert_eq!(SealError::WrongLength(92).to_string(), "The delivered key has 92 bytes; a sealed Assay key has 64.");
}

/// What `ecrecover` refuses as `r` (zero, not below n, not on the curve) is refused here too, on both
/// sides: a buyer key the creator cannot seal to, and an ephemeral point the buyer cannot open (and the
/// contract treats as a failed delivery).
#[test]
fn points_ecrecover_refuses_are_refused() {
    let order = ORDER.to_be_bytes::<32>();
    let above_order = (ORDER + U256::from(1)).to_be_bytes::<32>();
    // x = 5 is not the x of any secp256k1 point (5³ + 7 = 132 is not a square mod p).
    let off_curve = U256::from(5).to_be_bytes::<32>();
    let secret = buyer(1);
    for x in [[0u8; 32], order, above_order, off_curve, [0xff; 32]] {
        assert_eq!(seal(&x, &CONTENT_KEY), Err(SealError::UnusablePublicKey), "{}", hex::encode(x));
        let mut sealed = seal(&secret.buyer_key(), &CONTENT_KEY).unwrap();
        sealed[..32].copy_from_slice(&x);
        assert_eq!(open(&secret, &sealed), Err(SealError::NotOpenable), "{}", hex::encode(x));
    }
    // x = n + 1 is a valid field element and may well be on the curve, but not a valid `r`.
    assert!(LicenceSecret::from_bytes(&order).is_none(), "a secret must be below n");
    assert!(LicenceSecret::from_bytes(&[0; 32]).is_none());
}

#[test]
fn secrets_are_normalised_to_an_even_point_and_read_back_only_in_that_form() {
    for seed in 1..40u64 {
        let secret = buyer(seed);
        let again = LicenceSecret::from_bytes(&secret.to_bytes()).unwrap();
        assert_eq!(again.buyer_key(), secret.buyer_key());
        // −b names the same x with an odd y: not a valid reveal for this buyerKey.
        let negated = (ORDER - U256::from_be_bytes(secret.to_bytes())).to_be_bytes::<32>();
        assert!(LicenceSecret::from_bytes(&negated).is_none());
    }
}

#[test]
fn the_delivered_key_is_checked_against_the_commitment() {
    let secret = buyer(1);
    let sealed = seal(&secret.buyer_key(), &CONTENT_KEY).unwrap();
    assert_eq!(open_and_verify(&secret, &sealed, &keys::commitment(&CONTENT_KEY)).unwrap(), CONTENT_KEY);
    // A creator who delivers some other key (correctly sealed) is caught.
    let other = seal(&secret.buyer_key(), &[0x43; 32]).unwrap();
    assert_eq!(open_and_verify(&secret, &other, &keys::commitment(&CONTENT_KEY)), Err(SealError::CommitmentMismatch));
    for error in
        [SealError::UnusablePublicKey, SealError::WrongLength(1), SealError::NotOpenable, SealError::CommitmentMismatch]
    {
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

    // Buying model 1: a salt, the licence key's x goes on chain with the salt.
    let salt = keys::new_salt();
    let licence = keys::licence_secret(&sign(buyer, keys::licence_key_digest(&domain, 1, &salt).0)).unwrap();
    let buyer_key = licence.buyer_key();

    // Delivering, later, from nothing stored: the key id from the file's header, the creator signs again.
    let header = stream::Header::parse(&file).unwrap();
    let again = keys::content_key(&sign(creator, keys::content_key_digest(&domain, &header.key_id).0)).unwrap();
    assert_eq!(keys::commitment(&again), commitment);
    let sealed = seal(&buyer_key, &again).unwrap();

    // The buyer, on another device: the salt from the purchase event, signs again, opens, checks, decrypts.
    let secret = keys::licence_secret(&sign(buyer, keys::licence_key_digest(&domain, 1, &salt).0)).unwrap();
    assert_eq!(secret.buyer_key(), buyer_key);
    let key = open_and_verify(&secret, &sealed, &commitment).unwrap();
    assert_eq!(stream::decrypt_all(&key, &file).unwrap(), model);
}
