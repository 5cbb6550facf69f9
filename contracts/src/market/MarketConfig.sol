// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";

/// @title MarketConfig
/// @notice The market's fixed parameters: protocol fee, treasury, key-delivery window, challenge period and the
/// moderation contract. No admin can change them.
/// @dev The first constructor to run (before `Catalogue` deploys the model token), so bad parameters revert first.
abstract contract MarketConfig is IAssayMarket {
    uint256 public constant MAX_FEE_BPS = 250;
    /// @dev Escrow deadlines are stored in 40 bits; 30 days keeps them far inside that and buyers' money moving.
    uint256 public constant MAX_DELIVERY_WINDOW = 30 days;
    /// @dev Bounds of the challenge period: long enough for a buyer to look, short enough to pay creators.
    uint256 public constant MIN_CHALLENGE_PERIOD = 1 hours;
    uint256 public constant MAX_CHALLENGE_PERIOD = 30 days;

    address internal immutable _treasury;
    uint16 internal immutable _feeBps;
    uint64 internal immutable _deliveryWindow;
    uint64 internal immutable _challengePeriod;
    /// @dev The only caller of `delist`; zero = no moderation (deployed after the market at a predicted address).
    address internal immutable _moderation;

    /// @param feeBps Protocol fee in bps (at most 250).
    /// @param treasury_ Receiver of protocol fees.
    /// @param deliveryWindow_ Seconds a model owner has to deliver a key after an escrowed purchase (1 s to 30 days).
    /// @param challengePeriod_ Seconds after a delivery during which the buyer can challenge it (1 hour to 30 days).
    /// @param moderation_ The moderation contract (its address predicted from the deployer's nonce; zero: none).
    constructor(
        uint16 feeBps,
        address treasury_,
        uint64 deliveryWindow_,
        uint64 challengePeriod_,
        address moderation_
    ) {
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        if (treasury_ == address(0)) revert ZeroAddress();
        if (deliveryWindow_ == 0) revert ZeroDeliveryWindow();
        if (deliveryWindow_ > MAX_DELIVERY_WINDOW) revert DeliveryWindowTooLong(deliveryWindow_);
        _feeBps = feeBps;
        _treasury = treasury_;
        _deliveryWindow = deliveryWindow_;
        if (challengePeriod_ < MIN_CHALLENGE_PERIOD || challengePeriod_ > MAX_CHALLENGE_PERIOD) {
            revert ChallengePeriodOutOfRange(challengePeriod_);
        }
        _challengePeriod = challengePeriod_;
        _moderation = moderation_;
        emit ChallengePeriodSet(challengePeriod_);
    }

    /// @inheritdoc IAssayMarket
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IAssayMarket
    function protocolFeeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @inheritdoc IAssayMarket
    function deliveryWindow() external view returns (uint64) {
        return _deliveryWindow;
    }

    /// @inheritdoc IAssayMarket
    function challengePeriod() external view returns (uint64) {
        return _challengePeriod;
    }

    /// @inheritdoc IAssayMarket
    function moderation() external view returns (address) {
        return _moderation;
    }
}
