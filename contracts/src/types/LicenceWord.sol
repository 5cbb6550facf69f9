// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice One licence as ONE storage word: its owner and its licence data.
/// Layout: owner (160) | modelId (32) << 160 | tierId (8) << 192 | expiresAt (40) << 200 | flags (8) << 240
/// (flags: transferable, awaiting key, reviewed, paid).
/// A word with a zero owner is a licence that does not exist (never minted, or burned).
type LicenceWord is uint256;

using LicenceWordLib for LicenceWord global;

/// @title LicenceWordLib
/// @notice The only place that knows the bit layout of a `LicenceWord`: packing, field accessors and updates.
/// @dev Every function is a few bit operations on the stack; no storage access.
library LicenceWordLib {
    uint256 internal constant OWNER_MASK = (1 << 160) - 1;
    uint256 internal constant MODEL_SHIFT = 160;
    uint256 internal constant TIER_SHIFT = 192;
    uint256 internal constant EXPIRY_SHIFT = 200;
    uint256 internal constant FLAGS_SHIFT = 240;

    /// @dev Flag bits (within the 8-bit flags field).
    uint256 internal constant FLAG_TRANSFERABLE = 1;
    uint256 internal constant FLAG_PENDING = 2;
    uint256 internal constant FLAG_REVIEWED = 4;
    /// @dev Bought at a price above 0 (set at mint; only such licences can carry a review).
    uint256 internal constant FLAG_PAID = 8;

    /// @dev The latest expiry a licence may have (`type(uint40).max` is kept free as a "perpetual" marker).
    uint256 internal constant MAX_EXPIRY = type(uint40).max - 1;

    uint256 private constant EXPIRY_MASK = uint256(type(uint40).max) << EXPIRY_SHIFT;

    /*//////////////////////////////////////////////////////////////
                                 BUILD
    //////////////////////////////////////////////////////////////*/

    /// @dev The word of a new licence, without owner (see `withFirstOwner`): `model` < 2**32, `tier` < 2**8,
    /// `expiry` < 2**40 (0 = perpetual), `flagBits` = FLAG_* bits.
    function pack(uint256 model, uint256 tier, uint256 expiry, uint256 flagBits) internal pure returns (LicenceWord) {
        return LicenceWord.wrap(
            (model << MODEL_SHIFT) | (tier << TIER_SHIFT) | (expiry << EXPIRY_SHIFT) | (flagBits << FLAGS_SHIFT)
        );
    }

    /// @dev `w` (which has no owner yet: a packed new licence) owned by `to`.
    function withFirstOwner(LicenceWord w, address to) internal pure returns (LicenceWord) {
        return LicenceWord.wrap(LicenceWord.unwrap(w) | uint256(uint160(to)));
    }

    /// @dev `w` with its owner replaced by `to`.
    function withOwner(LicenceWord w, address to) internal pure returns (LicenceWord) {
        return LicenceWord.wrap((LicenceWord.unwrap(w) & ~OWNER_MASK) | uint256(uint160(to)));
    }

    /// @dev `w` with its expiry replaced by `expiry` (< 2**40).
    function withExpiry(LicenceWord w, uint256 expiry) internal pure returns (LicenceWord) {
        return LicenceWord.wrap((LicenceWord.unwrap(w) & ~EXPIRY_MASK) | (expiry << EXPIRY_SHIFT));
    }

    /// @dev `w` no longer awaiting its key, with its term set to end at `expiry` (< 2**40; 0 = perpetual).
    function withKeyDelivered(LicenceWord w, uint256 expiry) internal pure returns (LicenceWord) {
        return LicenceWord.wrap(
            (LicenceWord.unwrap(w) & ~(EXPIRY_MASK | (FLAG_PENDING << FLAGS_SHIFT))) | (expiry << EXPIRY_SHIFT)
        );
    }

    /// @dev `w` marked as reviewed.
    function withReviewed(LicenceWord w) internal pure returns (LicenceWord) {
        return LicenceWord.wrap(LicenceWord.unwrap(w) | (FLAG_REVIEWED << FLAGS_SHIFT));
    }

    /*//////////////////////////////////////////////////////////////
                                  READ
    //////////////////////////////////////////////////////////////*/

    /// @dev False for a licence that was never minted or was burned.
    function exists(LicenceWord w) internal pure returns (bool) {
        return LicenceWord.unwrap(w) & OWNER_MASK != 0;
    }

    function owner(LicenceWord w) internal pure returns (address) {
        return address(uint160(LicenceWord.unwrap(w)));
    }

    function modelId(LicenceWord w) internal pure returns (uint256) {
        return (LicenceWord.unwrap(w) >> MODEL_SHIFT) & 0xffffffff;
    }

    function tierId(LicenceWord w) internal pure returns (uint256) {
        return (LicenceWord.unwrap(w) >> TIER_SHIFT) & 0xff;
    }

    /// @dev 0 = perpetual (or, while pending, not started).
    function expiresAt(LicenceWord w) internal pure returns (uint256) {
        return (LicenceWord.unwrap(w) >> EXPIRY_SHIFT) & 0xffffffffff;
    }

    /// @dev The FLAG_* bits.
    function flags(LicenceWord w) internal pure returns (uint256) {
        return (LicenceWord.unwrap(w) >> FLAGS_SHIFT) & 0xff;
    }

    function isTransferable(LicenceWord w) internal pure returns (bool) {
        return LicenceWord.unwrap(w) & (FLAG_TRANSFERABLE << FLAGS_SHIFT) != 0;
    }

    /// @dev Bought from an encrypted model and still awaiting its key (payment in escrow).
    function isPending(LicenceWord w) internal pure returns (bool) {
        return LicenceWord.unwrap(w) & (FLAG_PENDING << FLAGS_SHIFT) != 0;
    }

    function isPaid(LicenceWord w) internal pure returns (bool) {
        return LicenceWord.unwrap(w) & (FLAG_PAID << FLAGS_SHIFT) != 0;
    }

    function isReviewed(LicenceWord w) internal pure returns (bool) {
        return LicenceWord.unwrap(w) & (FLAG_REVIEWED << FLAGS_SHIFT) != 0;
    }

    /// @dev Not awaiting its key, and perpetual or not yet expired.
    function isActive(LicenceWord w) internal view returns (bool) {
        if (isPending(w)) return false;
        uint256 expiry = expiresAt(w);
        return expiry == 0 || expiry > block.timestamp;
    }
}
