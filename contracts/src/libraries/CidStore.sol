// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title CidStore
/// @notice Stores a short string (an IPFS CID, at most 63 bytes) in one or two storage slots instead of the
/// two or three a `string` takes: `head` = bytes 0..30 left-aligned with the length in its last byte,
/// `tail` = bytes 31..62 (written only when the string is longer than 31 bytes). A CIDv1 in base32
/// (59 chars) takes 2 slots, a CIDv0 (46 chars) 2 slots.
library CidStore {
    struct Cid {
        bytes32 head;
        bytes32 tail;
    }

    uint256 internal constant MAX_LENGTH = 63;

    error CidTooLongForStore(uint256 length);

    /// @dev Writes `s` (1..63 bytes; caller validates emptiness). An empty string clears `head`.
    function store(Cid storage c, string calldata s) internal {
        uint256 len = bytes(s).length;
        if (len > MAX_LENGTH) revert CidTooLongForStore(len);
        bytes32 w0;
        bytes32 w1;
        assembly ("memory-safe") {
            w0 := calldataload(s.offset)
            w1 := calldataload(add(s.offset, 31))
        }
        uint256 n0 = len < 31 ? len : 31;
        w0 = (w0 & bytes32(~(type(uint256).max >> (8 * n0)))) | bytes32(len);
        c.head = w0;
        if (len > 31) {
            uint256 n1 = len - 31;
            c.tail = w1 & bytes32(~(type(uint256).max >> (8 * n1)));
        }
    }

    /// @dev Reads the string back ("" when never written).
    function load(Cid storage c) internal view returns (string memory s) {
        bytes32 w0 = c.head;
        uint256 len = uint256(w0) & 0xff;
        if (len == 0) return "";
        w0 &= ~bytes32(uint256(0xff));
        bytes32 w1 = len > 31 ? c.tail : bytes32(0);
        s = new string(len);
        assembly ("memory-safe") {
            mstore(add(s, 32), w0)
            if gt(len, 31) { mstore(add(s, 63), w1) }
        }
    }
}
