// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {LicenceToken} from "../token/LicenceToken.sol";
import {LicenceWord} from "../types/LicenceWord.sol";
import {Splits} from "./Splits.sol";

/// @title KeyEscrow
/// @notice Escrowed key delivery for encrypted models, as a fair exchange: a purchase holds its payment (`_hold`)
/// and mints the licence awaiting its key; the model's owner delivers the key sealed to the licence's own
/// secp256k1 key before the deadline (`deliverKey`: the term starts, the payment stays held for the challenge
/// period); during that period the holder can prove the key wrong by revealing the licence's secret (`challenge`:
/// the contract re-opens the sealed key and compares its SHA-256 with the model's commitment; a mismatch refunds
/// in full, burns the licence and counts a failed delivery for the creator); after it anyone can `release` the
/// payment (split, pull payments). No delivery by the deadline: the holder takes the full price back (`reclaim`).
/// @dev The construction (ARCHITECTURE.md, "Provable key delivery"): sealed = `E.x ‖ K ⊕ keccak256(address(b·E) ‖
/// E.x)` with `E` the even-`y` point of `E.x` and `B = b·G` the licence's key (`buyerKey` = `B.x`, even `y`).
/// The `ecrecover` precompile computes both points' addresses: `ecrecover(0, 27, x, x·k mod n)` is the address of
/// `k·P` for `P` the even point of `x`. Windows: `MarketConfig`.
abstract contract KeyEscrow is LicenceToken, Splits {
    /// @dev secp256k1's group order.
    uint256 private constant N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
    /// @dev The address of the generator `G` (the account of private key 1).
    address private constant G_ADDRESS = 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf;

    /// @dev One slot: payment held for a licence; the delivery deadline, then (once `delivered`) the challenge
    /// deadline.
    struct Escrow {
        uint96 amount;
        uint40 deadline;
        bool delivered;
    }

    /// @dev A delivered key: the ephemeral point's `x` and the masked content key.
    struct SealedKey {
        bytes32 ephemeralX;
        bytes32 masked;
    }

    uint256 internal _totalEscrowed;
    mapping(uint256 licenceId => Escrow) internal _escrows;
    mapping(uint256 licenceId => bytes32) internal _buyerKeys;
    mapping(uint256 licenceId => SealedKey) internal _sealedKeys;
    mapping(address creator => uint256) internal _failedDeliveries;

    /// @inheritdoc IAssayMarket
    function deliverKey(uint256 licenceId, bytes calldata sealedKey) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        if (!word.exists()) revert LicenceNotFound(licenceId);
        uint256 modelId = word.modelId();
        if (msg.sender != _modelOwner(modelId)) revert NotModelOwner(modelId, msg.sender);
        Escrow memory e = _escrows[licenceId];
        if (!word.isPending() || e.delivered) revert NotAwaitingKey(licenceId);
        if (block.timestamp > e.deadline) revert DeliveryWindowClosed(licenceId, e.deadline);
        if (sealedKey.length != 64) revert SealedKeyLength(sealedKey.length);

        uint32 duration = _tiers[modelId][word.tierId()].duration();
        uint64 expiresAt = duration == 0 ? 0 : uint64(block.timestamp + duration);
        // Still pending (not transferable, not reviewable) until `release`; the term runs from now.
        _licences[licenceId] = word.withExpiry(expiresAt);
        uint64 challengeDeadline = uint64(block.timestamp + _challengePeriod);
        _escrows[licenceId] = Escrow(e.amount, uint40(challengeDeadline), true);
        _sealedKeys[licenceId] = SealedKey(bytes32(sealedKey[:32]), bytes32(sealedKey[32:]));
        emit KeyDelivered(licenceId, modelId, sealedKey, expiresAt, challengeDeadline);
    }

    /// @inheritdoc IAssayMarket
    function challenge(uint256 licenceId, bytes32 secret) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        address holder = word.owner();
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        Escrow memory e = _escrows[licenceId];
        if (!e.delivered) revert KeyNotDelivered(licenceId);
        if (block.timestamp > e.deadline) revert ChallengePeriodOver(licenceId, e.deadline);
        if (!_isSecretOf(uint256(secret), uint256(_buyerKeys[licenceId]))) revert WrongSecret(licenceId);
        uint256 modelId = word.modelId();
        (bool opens, bytes32 key) = _open(_sealedKeys[licenceId], uint256(secret));
        if (opens && sha256(abi.encodePacked(key)) == _commitments[modelId]) revert KeyMatchesCommitment(licenceId);

        address creator = _modelData[modelId].creator;
        uint256 failed = ++_failedDeliveries[creator];
        _tierSales[modelId][word.tierId()] = _tierSales[modelId][word.tierId()].withoutSale();
        delete _escrows[licenceId];
        delete _buyerKeys[licenceId];
        delete _sealedKeys[licenceId];
        _totalEscrowed -= e.amount;
        _burnLicence(licenceId, holder);
        if (e.amount != 0) {
            _balances[holder] += e.amount;
            emit Credited(holder, licenceId, e.amount, Role.Refund);
        }
        emit DeliveryChallenged(licenceId, modelId, creator, holder, e.amount, failed);
    }

    /// @inheritdoc IAssayMarket
    function release(uint256 licenceId) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        if (!word.exists()) revert LicenceNotFound(licenceId);
        Escrow memory e = _escrows[licenceId];
        if (!e.delivered) revert KeyNotDelivered(licenceId);
        if (block.timestamp <= e.deadline) revert ChallengePeriodOpen(licenceId, e.deadline);

        uint256 modelId = word.modelId();
        _updateLicence(licenceId, word, word.withKeyDelivered(word.expiresAt()));
        delete _escrows[licenceId];
        _totalEscrowed -= e.amount;
        uint256 tierId = word.tierId();
        (uint256 fee, uint256 ownerPart) = _split(licenceId, modelId, _tiers[modelId][tierId], e.amount);
        _accrueFee(fee);
        if (ownerPart != 0) _tierSales[modelId][tierId] = _tierSales[modelId][tierId].withEarnings(ownerPart);
        emit EscrowReleased(licenceId, modelId, e.amount);
    }

    /// @inheritdoc IAssayMarket
    function reclaim(uint256 licenceId) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        address holder = word.owner();
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        Escrow memory e = _escrows[licenceId];
        if (!word.isPending() || e.delivered) revert NotAwaitingKey(licenceId);
        if (block.timestamp <= e.deadline) revert DeliveryWindowOpen(licenceId, e.deadline);

        uint256 modelId = word.modelId();
        _tierSales[modelId][word.tierId()] = _tierSales[modelId][word.tierId()].withoutSale();
        delete _escrows[licenceId];
        delete _buyerKeys[licenceId];
        _totalEscrowed -= e.amount;
        _burnLicence(licenceId, holder);
        if (e.amount != 0) {
            _balances[holder] += e.amount;
            emit Credited(holder, licenceId, e.amount, Role.Refund);
        }
        emit LicenceReclaimed(licenceId, modelId, holder, e.amount);
    }

    /// @inheritdoc IAssayMarket
    function totalEscrowed() external view returns (uint256) {
        return _totalEscrowed;
    }

    /// @inheritdoc IAssayMarket
    function deliveredKey(uint256 licenceId) external view returns (bytes memory) {
        SealedKey memory k = _sealedKeys[licenceId];
        if (k.ephemeralX == 0 && k.masked == 0) return "";
        return abi.encodePacked(k.ephemeralX, k.masked);
    }

    /// @inheritdoc IAssayMarket
    function buyerKeyOf(uint256 licenceId) external view returns (bytes32) {
        return _buyerKeys[licenceId];
    }

    /// @inheritdoc IAssayMarket
    function failedDeliveries(address creator) external view returns (uint256) {
        return _failedDeliveries[creator];
    }

    /// @dev Holds the payment (`msg.value`) of licence `licenceId`, bought with `buyerKey` (non-zero, checked by
    /// the caller), until `release`, `challenge` or `reclaim`. The caller mints the licence as pending.
    function _hold(uint256 licenceId, bytes32 buyerKey, bytes32 keySalt) internal {
        uint64 deadline;
        unchecked {
            // timestamp + a window of at most 30 days, and a sum of wei held by this contract: neither overflows.
            deadline = uint64(block.timestamp + _deliveryWindow);
            _escrows[licenceId] = Escrow(uint96(msg.value), uint40(deadline), false);
            _buyerKeys[licenceId] = buyerKey;
            _totalEscrowed += msg.value;
        }
        emit EscrowHeld(licenceId, msg.value, deadline, keySalt);
    }

    /// @dev Whether `b` is the secret of the licence key `bx` (the point with x = `bx` and an even y, `B`):
    /// `ecrecover(bx·(b−1), 27, bx, bx)` is the address of `bx⁻¹·(bx·B − bx·(b−1)·G) = B − (b−1)·G`, which is
    /// `G` exactly when `B = b·G`. `ecrecover` returns zero for `bx` = 0, `bx ≥ n` or off the curve.
    function _isSecretOf(uint256 b, uint256 bx) private pure returns (bool) {
        if (b == 0 || b >= N) return false;
        bytes32 h = bytes32(mulmod(bx, b - 1, N));
        return ecrecover(h, 27, bytes32(bx), bytes32(bx)) == G_ADDRESS;
    }

    /// @dev Re-opens a sealed key with the licence secret `b` (0 < b < n): the address of `b·E` with
    /// `ecrecover(0, 27, E.x, E.x·b mod n)`, then the mask. `opens` is false when `ecrecover` refuses `E.x` (zero,
    /// not below n, or off the curve): no key, a failed delivery.
    function _open(SealedKey memory k, uint256 b) private pure returns (bool opens, bytes32 key) {
        uint256 ex = uint256(k.ephemeralX);
        if (ex == 0 || ex >= N) return (false, 0);
        address shared = ecrecover(0, 27, bytes32(ex), bytes32(mulmod(ex, b, N)));
        if (shared == address(0)) return (false, 0);
        key = k.masked ^ keccak256(abi.encodePacked(shared, k.ephemeralX));
        opens = true;
    }
}
