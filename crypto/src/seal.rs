//! The content key sealed to one licence's secp256k1 key: the `sealedKey` of `deliverKey`, built so that
//! the market contract can re-open it when the buyer reveals the licence's secret (a fraud proof).
//!
//! With `B = b·G` the licence's key (`buyerKey` = `B.x`, `y` even; [`crate::keys::licence_secret`]):
//!
//! 1. the creator picks a fresh ephemeral scalar `e`, negated if needed so that `E = e·G` has an even
//!    `y` (and again if `E.x ≥ n`); `S = e·B` (= `b·E`);
//! 2. `mask = keccak256(address(S) ‖ E.x)`, where `address(S)` is the 20-byte Ethereum address of the
//!    point `S` (the last 20 bytes of keccak-256 of `S.x ‖ S.y`);
//! 3. the sealed key is `E.x ‖ (K ⊕ mask)`, 64 bytes ([`SEALED_LEN`]).
//!
//! Opening with `b`: `S = b·E` where `E` is the even point with `x = E.x`, then the same mask. The
//! contract does the same with the `ecrecover` precompile: `ecrecover(0, 27, E.x, E.x·b mod n)` is
//! `address(E.x⁻¹·(E.x·b)·E) = address(b·E)`, so one precompile call (3,000 gas) replaces a scalar
//! multiplication. It checks the revealed `b` against `buyerKey` the same way:
//! `ecrecover(B.x·(b−1) mod n, 27, B.x, B.x)` is `address(B − (b−1)·G)`, the address of `G` exactly when
//! `B = b·G`. Both sides refuse the same inputs: an `E.x` that is zero, not below `n` or not on the
//! curve does not open ([`SealError::NotOpenable`]; the contract sees `ecrecover` return zero), so the
//! buyer's page and the contract always agree on what a sealed key opens to. Security argument, gas
//! and residual risks: ARCHITECTURE.md ("Provable key delivery").

use k256::Scalar;
use k256::elliptic_curve::Field;
use rand_core::OsRng;

use crate::secp::{LicenceSecret, address_of, even_point, even_scalar, x_of};
use alloy_primitives::keccak256;

/// Length of a sealed key: `E.x` and the masked content key.
pub const SEALED_LEN: usize = 64;

/// Why a key can't be sealed or opened. Each is a sentence for the screen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("The buyer's key for this licence is not a usable secp256k1 key, so no key can be sealed to it.")]
    UnusablePublicKey,
    #[error("The delivered key has {0} bytes; a sealed Assay key has 64.")]
    WrongLength(usize),
    #[error("The delivered key does not open: its ephemeral point is not a valid secp256k1 point.")]
    NotOpenable,
    #[error("The delivered key is not the model's key: it does not match the key commitment on chain.")]
    CommitmentMismatch,
}

/// The 32-byte mask for the shared point's address and the ephemeral `x`.
fn mask(shared_address: &[u8; 20], ephemeral_x: &[u8; 32]) -> [u8; 32] {
    let mut input = [0u8; 52];
    input[..20].copy_from_slice(shared_address);
    input[20..].copy_from_slice(ephemeral_x);
    keccak256(input).0
}

fn xor(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    std::array::from_fn(|i| a[i] ^ b[i])
}

/// Seals `content_key` to the licence whose `buyerKeyOf` is `buyer_key`, with a fresh ephemeral key.
pub fn seal(buyer_key: &[u8; 32], content_key: &[u8; 32]) -> Result<[u8; SEALED_LEN], SealError> {
    loop {
        if let Some(sealed) = seal_with(&Scalar::random(&mut OsRng), buyer_key, content_key)? {
            return Ok(sealed);
        }
    }
}

/// [`seal`] with the ephemeral scalar given (test vectors); `Ok(None)` when `e` is zero or `E.x ≥ n`
/// (pick another).
pub fn seal_with(
    ephemeral: &Scalar,
    buyer_key: &[u8; 32],
    content_key: &[u8; 32],
) -> Result<Option<[u8; SEALED_LEN]>, SealError> {
    let recipient = even_point(buyer_key).ok_or(SealError::UnusablePublicKey)?;
    let Some(e) = LicenceSecret::from_scalar(*ephemeral) else { return Ok(None) };
    debug_assert!(even_scalar(*ephemeral).is_some());
    let ephemeral_x = e.buyer_key();
    let shared = e.times(&recipient);
    let mut sealed = [0u8; SEALED_LEN];
    sealed[..32].copy_from_slice(&ephemeral_x);
    sealed[32..].copy_from_slice(&xor(content_key, &mask(&address_of(&shared), &ephemeral_x)));
    Ok(Some(sealed))
}

/// Opens a sealed key with the licence's secret: what the contract computes in `challenge`.
/// Any 64 bytes whose `E.x` is a valid point open to *some* 32 bytes; only the commitment says whether
/// they are the model's key ([`open_and_verify`]).
pub fn open(secret: &LicenceSecret, sealed: &[u8]) -> Result<[u8; 32], SealError> {
    let sealed: &[u8; SEALED_LEN] = sealed.try_into().map_err(|_| SealError::WrongLength(sealed.len()))?;
    let ephemeral_x: [u8; 32] = sealed[..32].try_into().expect("32 bytes");
    let masked: [u8; 32] = sealed[32..].try_into().expect("32 bytes");
    let ephemeral = even_point(&ephemeral_x).ok_or(SealError::NotOpenable)?;
    let shared = secret.times(&ephemeral);
    debug_assert_eq!(x_of(&ephemeral), ephemeral_x);
    Ok(xor(&masked, &mask(&address_of(&shared), &ephemeral_x)))
}

/// [`open`], then checks the key against the model's `keyCommitment`.
pub fn open_and_verify(secret: &LicenceSecret, sealed: &[u8], commitment: &[u8; 32]) -> Result<[u8; 32], SealError> {
    let key = open(secret, sealed)?;
    if crate::keys::matches_commitment(&key, commitment) { Ok(key) } else { Err(SealError::CommitmentMismatch) }
}
