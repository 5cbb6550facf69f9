// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {Base_Test} from "../Base.t.sol";

/// @notice Fixture for provable key delivery: per-licence secp256k1 keys and sealed keys made with forge's own
/// secp256k1 (`vm.createWallet`, `vm.addr`), independently of the contract's `ecrecover` route.
/// Sealed key = `E.x ‖ K ⊕ keccak256(address(e·B) ‖ E.x)`, `E = e·G` and `B = b·G` with even `y`.
abstract contract FairExchange_Test is Base_Test {
    uint256 internal constant N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
    /// @dev The model's content key and its commitment (SHA-256 of the 32 bytes).
    bytes32 internal constant CONTENT_KEY = bytes32(uint256(0x4242));
    bytes32 internal constant SALT = keccak256("salt");

    /// @dev `k` or `n − k`, whichever has an even `y`, and that point's `x`.
    function _even(uint256 k) internal returns (uint256, bytes32) {
        k = bound(k, 1, N - 1);
        Vm.Wallet memory w = vm.createWallet(k);
        if (w.publicKeyY % 2 == 1) {
            k = N - k;
            w = vm.createWallet(k);
        }
        assertEq(w.publicKeyY % 2, 0);
        assertLt(w.publicKeyX, N, "x below n (fails with probability 2^-128)");
        return (k, bytes32(w.publicKeyX));
    }

    /// @dev A licence secret `b` and its `buyerKey`.
    function _licenceKey(uint256 seed) internal returns (uint256 b, bytes32 buyerKey) {
        return _even(uint256(keccak256(abi.encode("licence", seed))));
    }

    /// @dev `key` sealed to the licence of secret `b` with ephemeral seed `eSeed`.
    function _seal(bytes32 key, uint256 b, uint256 eSeed) internal returns (bytes memory) {
        (uint256 e, bytes32 ex) = _even(uint256(keccak256(abi.encode("ephemeral", eSeed))));
        address shared = vm.addr(mulmod(e, b, N)); // e·B = (e·b)·G
        return abi.encodePacked(ex, key ^ keccak256(abi.encodePacked(shared, ex)));
    }

    function _listWithContentKey() internal returns (uint256) {
        bytes32 commitment = sha256(abi.encodePacked(CONTENT_KEY)); // a precompile call: before the prank
        vm.prank(creator);
        return
            market.listModel(
                CID, commitment, 500, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 30 days, 0, true))
            );
    }

    function _buyWithKey(address who, uint256 modelId, bytes32 buyerKey) internal returns (uint256) {
        vm.prank(who);
        return market.buyLicense{value: PRICE}(modelId, 0, buyerKey, SALT);
    }

    function _deliver(uint256 licenceId, bytes memory sealedKey) internal {
        vm.prank(creator);
        market.deliverKey(licenceId, sealedKey);
    }
}
