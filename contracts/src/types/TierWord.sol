// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A licence tier's terms and what a sale needs of its model, as ONE storage word, so that a sale reads no
/// model word:
/// price (96) | duration (32) << 96 | maxSupply (32) << 128 | flags (8) << 160 | coAuthorCount (8) << 168 |
/// parentCount (8) << 176.
/// Flags: commercial use, derivatives, transferable, paused (the owner's), and, copied from the model: delisted,
/// encrypted, and `EXISTS` (set on every tier written, so that an all-zero word is a tier that does not exist).
/// The counts and `encrypted` never change after listing; `delisted` is set on every tier by `delist`.
type TierWord is uint256;

/// @notice A tier's sales, as ONE storage word written by each sale of it (zero until its first sale):
/// sold (32) | earnings (224) << 32, where `sold` counts its licences (reclaimed and refunded ones given back) and
/// `earnings` is the unclaimed sum of the owner's parts of its sales and renewals (the model's earnings are those
/// of its tiers plus its shares as a parent).
type TierSales is uint256;

using TierWordLib for TierWord global;
using TierSalesLib for TierSales global;

/// @title TierWordLib
/// @notice The only place that knows the bit layout of a `TierWord`.
library TierWordLib {
    uint256 internal constant COMMERCIAL = 1;
    uint256 internal constant DERIVATIVES = 2;
    uint256 internal constant TRANSFERABLE = 4;
    uint256 internal constant PAUSED = 8;
    uint256 internal constant DELISTED = 16;
    uint256 internal constant ENCRYPTED = 32;
    uint256 internal constant EXISTS = 64;

    uint256 private constant DURATION_SHIFT = 96;
    uint256 private constant SUPPLY_SHIFT = 128;
    uint256 private constant FLAGS_SHIFT = 160;
    uint256 private constant CO_AUTHORS_SHIFT = 168;
    uint256 private constant PARENTS_SHIFT = 176;
    uint256 private constant PRICE_MASK = (1 << 96) - 1;

    /// @dev What every tier word of a model takes from the model, with EXISTS: encrypted or not, and its co-author
    /// and parent counts (at most 8 and 4).
    function forModel(bool encrypted, uint256 coAuthorCount, uint256 parentCount) internal pure returns (TierWord) {
        uint256 flagBits = encrypted ? EXISTS | ENCRYPTED : EXISTS;
        return
            TierWord.wrap(
                (flagBits << FLAGS_SHIFT) | (coAuthorCount << CO_AUTHORS_SHIFT) | (parentCount << PARENTS_SHIFT)
            );
    }

    /// @dev `model` (from `forModel`) with a tier's terms: `flagBits` = its COMMERCIAL, DERIVATIVES and TRANSFERABLE
    /// bits.
    function withTerms(TierWord model, uint96 price, uint32 duration, uint32 maxSupply, uint256 flagBits)
        internal
        pure
        returns (TierWord)
    {
        return TierWord.wrap(
            TierWord.unwrap(model) | price | (uint256(duration) << DURATION_SHIFT)
                | (uint256(maxSupply) << SUPPLY_SHIFT) | (flagBits << FLAGS_SHIFT)
        );
    }

    function exists(TierWord w) internal pure returns (bool) {
        return hasFlag(w, EXISTS);
    }

    function price(TierWord w) internal pure returns (uint96) {
        return uint96(TierWord.unwrap(w));
    }

    function duration(TierWord w) internal pure returns (uint32) {
        return uint32(TierWord.unwrap(w) >> DURATION_SHIFT);
    }

    function maxSupply(TierWord w) internal pure returns (uint32) {
        return uint32(TierWord.unwrap(w) >> SUPPLY_SHIFT);
    }

    function hasFlag(TierWord w, uint256 flag) internal pure returns (bool) {
        return (TierWord.unwrap(w) >> FLAGS_SHIFT) & flag != 0;
    }

    function coAuthorCount(TierWord w) internal pure returns (uint256) {
        return uint8(TierWord.unwrap(w) >> CO_AUTHORS_SHIFT);
    }

    function parentCount(TierWord w) internal pure returns (uint256) {
        return uint8(TierWord.unwrap(w) >> PARENTS_SHIFT);
    }

    /// @dev `w` at price `newPrice`.
    function withPrice(TierWord w, uint96 newPrice) internal pure returns (TierWord) {
        return TierWord.wrap((TierWord.unwrap(w) & ~PRICE_MASK) | newPrice);
    }

    /// @dev `w` with `flag` set (`on`) or cleared.
    function withFlag(TierWord w, uint256 flag, bool on) internal pure returns (TierWord) {
        uint256 bit = flag << FLAGS_SHIFT;
        return TierWord.wrap(on ? TierWord.unwrap(w) | bit : TierWord.unwrap(w) & ~bit);
    }
}

/// @title TierSalesLib
/// @notice The only place that knows the bit layout of a `TierSales` word.
library TierSalesLib {
    uint256 private constant EARNINGS_SHIFT = 32;

    function sold(TierSales s) internal pure returns (uint32) {
        return uint32(TierSales.unwrap(s));
    }

    function earnings(TierSales s) internal pure returns (uint256) {
        return TierSales.unwrap(s) >> EARNINGS_SHIFT;
    }

    /// @dev `s` with one more licence sold and `ownerPart` more earnings (a part of a payment: the sum of all wei
    /// ever paid stays far below 2**224). The count is checked: past 2**32 - 1 it reverts, as a `uint32` does.
    function withSale(TierSales s, uint256 ownerPart) internal pure returns (TierSales) {
        uint32 n = sold(s) + 1;
        unchecked {
            return TierSales.wrap(((TierSales.unwrap(s) >> 32 << 32) | n) + (ownerPart << EARNINGS_SHIFT));
        }
    }

    /// @dev `s` with `ownerPart` more earnings (a renewal or a release).
    function withEarnings(TierSales s, uint256 ownerPart) internal pure returns (TierSales) {
        unchecked {
            return TierSales.wrap(TierSales.unwrap(s) + (ownerPart << EARNINGS_SHIFT));
        }
    }

    /// @dev `s` with one licence given back (reclaimed or refunded; it was counted, so the checked count stays
    /// at least 0).
    function withoutSale(TierSales s) internal pure returns (TierSales) {
        uint32 n = sold(s) - 1;
        return TierSales.wrap((TierSales.unwrap(s) >> 32 << 32) | n);
    }

    /// @dev `s` with its earnings claimed (zero), its count kept.
    function withoutEarnings(TierSales s) internal pure returns (TierSales) {
        return TierSales.wrap(uint32(TierSales.unwrap(s)));
    }
}
