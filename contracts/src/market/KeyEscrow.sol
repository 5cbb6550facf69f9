// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {LicenceToken} from "../token/LicenceToken.sol";
import {LicenceWord} from "../types/LicenceWord.sol";
import {Splits} from "./Splits.sol";

/// @title KeyEscrow
/// @notice Escrowed key delivery for encrypted models: a purchase holds its payment (`_hold`) and mints the licence
/// awaiting its key; the model's owner delivers the key before the deadline (`deliverKey`: the term starts and the
/// payment is split), or after it the holder takes the full price back (`reclaim`: the licence is burned).
/// @dev The delivery window: `MarketConfig`.
abstract contract KeyEscrow is LicenceToken, Splits {
    /// @dev One slot: payment held for an undelivered licence and the delivery deadline.
    struct Escrow {
        uint96 amount;
        uint40 deadline;
    }

    uint256 internal _totalEscrowed;
    mapping(uint256 licenceId => Escrow) internal _escrows;
    mapping(uint256 licenceId => bytes32) internal _buyerKeys;
    mapping(uint256 licenceId => bytes) internal _deliveredKeys;

    /// @inheritdoc IAssayMarket
    function deliverKey(uint256 licenceId, bytes calldata encryptedKey) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        if (!word.exists()) revert LicenceNotFound(licenceId);
        uint256 modelId = word.modelId();
        address modelOwner = _models.ownerOf(modelId);
        if (msg.sender != modelOwner) revert NotModelOwner(modelId, msg.sender);
        if (!word.isPending()) revert NotAwaitingKey(licenceId);
        Escrow memory e = _escrows[licenceId];
        if (block.timestamp > e.deadline) revert DeliveryWindowClosed(licenceId, e.deadline);
        if (encryptedKey.length == 0) revert EmptyKey();

        uint32 duration = _tiers[modelId][word.tierId()].duration;
        uint64 expiresAt = duration == 0 ? 0 : uint64(block.timestamp + duration);
        _updateLicence(licenceId, word, word.withKeyDelivered(expiresAt));
        delete _escrows[licenceId];
        _totalEscrowed -= e.amount;
        _deliveredKeys[licenceId] = encryptedKey;

        uint256 fee = _split(licenceId, modelId, _modelData[modelId], e.amount);
        _counters.protocolFees += uint192(fee);
        emit KeyDelivered(licenceId, modelId, encryptedKey, expiresAt);
    }

    /// @inheritdoc IAssayMarket
    function reclaim(uint256 licenceId) external nonReentrant {
        LicenceWord word = _licences[licenceId];
        address holder = word.owner();
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        if (!word.isPending()) revert NotAwaitingKey(licenceId);
        Escrow memory e = _escrows[licenceId];
        if (block.timestamp <= e.deadline) revert DeliveryWindowOpen(licenceId, e.deadline);

        uint256 modelId = word.modelId();
        _tiers[modelId][word.tierId()].sold -= 1;
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
        return _deliveredKeys[licenceId];
    }

    /// @inheritdoc IAssayMarket
    function buyerKeyOf(uint256 licenceId) external view returns (bytes32) {
        return _buyerKeys[licenceId];
    }

    /// @dev Holds the payment (`msg.value`) of licence `licenceId`, bought with `buyerKey` (non-zero, checked by
    /// the caller), until `deliverKey` or `reclaim`. The caller mints the licence as pending.
    /// Branch-free so that the optimizer inlines it into `buyLicense`.
    function _hold(uint256 licenceId, bytes32 buyerKey) internal {
        unchecked {
            // timestamp + a uint64 window, and a sum of wei held by this contract: neither can overflow.
            _escrows[licenceId] = Escrow(uint96(msg.value), uint40(block.timestamp + _deliveryWindow));
            _buyerKeys[licenceId] = buyerKey;
            _totalEscrowed += msg.value;
        }
    }
}
