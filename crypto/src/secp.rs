//! The secp256k1 glue shared by [`crate::keys`] and [`crate::seal`], over RustCrypto's `k256`: points named
//! by their `x` with an even `y` (BIP 340's convention), a point's Ethereum address (what `ecrecover`
//! returns), and a licence's secret scalar.
//!
//! Every point that goes on chain is named by `x` alone and must satisfy what `ecrecover` accepts as
//! `r`: `0 < x < n` (the group order, not the field prime) and `x` on the curve. [`even_point`] refuses
//! anything else, so that this crate opens exactly what the contract re-opens.

use alloy_primitives::{U256, keccak256};
use k256::elliptic_curve::PrimeField;
use k256::elliptic_curve::point::{AffineCoordinates, DecompressPoint};
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::elliptic_curve::subtle::Choice;
use k256::{AffinePoint, FieldBytes, NonZeroScalar, ProjectivePoint, Scalar};

/// secp256k1's group order `n`.
pub const ORDER: U256 =
    U256::from_be_bytes(alloy_primitives::hex!("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"));

/// The point with this `x` and an even `y`, if `0 < x < n` and `x` is on the curve.
pub fn even_point(x: &[u8; 32]) -> Option<AffinePoint> {
    let value = U256::from_be_bytes(*x);
    if value.is_zero() || value >= ORDER {
        return None;
    }
    Option::from(AffinePoint::decompress(FieldBytes::from_slice(x), Choice::from(0)))
}

/// `x` of an affine point, big-endian.
pub fn x_of(point: &AffinePoint) -> [u8; 32] {
    point.x().into()
}

/// Whether `x` of `point` is below the group order (usable as `ecrecover`'s `r`).
fn x_below_order(point: &AffinePoint) -> bool {
    U256::from_be_bytes(x_of(point)) < ORDER
}

/// The Ethereum address of a point: the last 20 bytes of keccak-256 of `x ‖ y` (what `ecrecover` returns).
pub fn address_of(point: &AffinePoint) -> [u8; 20] {
    let encoded = point.to_encoded_point(false);
    let hash = keccak256(&encoded.as_bytes()[1..]);
    hash[12..].try_into().expect("20 bytes")
}

/// `k` or `-k`, whichever makes `k·G` have an even `y`, with that point; `None` if `x ≥ n`.
pub fn even_scalar(k: Scalar) -> Option<(Scalar, AffinePoint)> {
    let point = (ProjectivePoint::GENERATOR * k).to_affine();
    let (k, point) =
        if bool::from(point.y_is_odd()) { (-k, (-ProjectivePoint::from(point)).to_affine()) } else { (k, point) };
    x_below_order(&point).then_some((k, point))
}

/// The secret of one licence: a non-zero scalar `b` whose public point `B = b·G` has an even `y` and
/// `0 < B.x < n`. `B.x` is the licence's `buyerKey`; `b` (32 bytes, big-endian) is what a `challenge`
/// reveals.
#[derive(Clone)]
pub struct LicenceSecret {
    scalar: NonZeroScalar,
    public: AffinePoint,
}

impl LicenceSecret {
    /// `k` normalised to an even public point; `None` if `k` is zero or the point's `x ≥ n`.
    pub fn from_scalar(k: Scalar) -> Option<Self> {
        if bool::from(k.is_zero()) {
            return None;
        }
        let (k, public) = even_scalar(k)?;
        Some(Self { scalar: NonZeroScalar::new(k).expect("non-zero"), public })
    }

    /// A revealed secret (32 bytes, big-endian) as the contract reads it: `0 < b < n`, and `b·G` even
    /// with `x < n`.
    pub fn from_bytes(bytes: &[u8; 32]) -> Option<Self> {
        let k: Option<Scalar> = Scalar::from_repr(*FieldBytes::from_slice(bytes)).into();
        let secret = Self::from_scalar(k?)?;
        (secret.to_bytes() == *bytes).then_some(secret)
    }

    /// `buyerKey`: `x` of `B = b·G`.
    pub fn buyer_key(&self) -> [u8; 32] {
        x_of(&self.public)
    }

    /// `b`, 32 bytes big-endian: the `secret` argument of `challenge`. Reveal it only to prove a delivery
    /// wrong: it opens this licence's delivered key.
    pub fn to_bytes(&self) -> [u8; 32] {
        self.scalar.to_repr().into()
    }

    /// `b·P`.
    pub(crate) fn times(&self, point: &AffinePoint) -> AffinePoint {
        (ProjectivePoint::from(*point) * *self.scalar).to_affine()
    }
}

impl std::fmt::Debug for LicenceSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LicenceSecret(buyerKey = 0x{})", alloy_primitives::hex::encode(self.buyer_key()))
    }
}
