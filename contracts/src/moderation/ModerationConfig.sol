// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayModeration} from "../interfaces/IAssayModeration.sol";
import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {IArbitrator} from "../interfaces/IArbitrator.sol";
import {IEvidence} from "../interfaces/IEvidence.sol";

/// @title ModerationConfig
/// @notice The fixed parameters of `AssayModeration`: the market it delists from (which must name this contract as
/// its moderation), the ERC-792 arbitrator and its extra data, the flag stake, the response window and the cap on the
/// arbitration fee taken from the stakes. No admin can change them.
/// @dev The market is deployed first with this contract's predicted address (CREATE nonces): the constructor checks
/// the link both ways, so a moderation contract can only ever act on the market that trusts it.
abstract contract ModerationConfig is IAssayModeration, IEvidence {
    uint256 public constant MIN_RESPONSE_WINDOW = 1 hours;
    uint256 public constant MAX_RESPONSE_WINDOW = 90 days;
    /// @notice The ERC-1497 meta-evidence of every dispute (emitted once, at deployment).
    uint256 public constant META_EVIDENCE_ID = 0;
    /// @notice ERC-792 rulings: 1 delists the model (the flag is upheld), 2 keeps it listed; 0 = refused to arbitrate.
    uint256 public constant RULING_DELIST = 1;
    uint256 public constant RULING_KEEP = 2;
    uint256 internal constant CHOICES = 2;

    IAssayMarket internal immutable _market;
    /// @dev The market's model token (ERC-721 `ownerOf`), read once from the market.
    address internal immutable _models;
    IArbitrator internal immutable _arbitrator;
    uint96 internal immutable _flagStake;
    uint64 internal immutable _responseWindow;
    uint96 internal immutable _feeCap;
    bytes internal _extraData;

    /// @param market_ The market, deployed with this contract's address as its `moderation`.
    /// @param arbitrator_ The ERC-792 arbitrator of answered cases.
    /// @param extraData The arbitrator's extra data (court, jurors…; empty for the council arbitrator).
    /// @param flagStake_ Wei staked by a flag and matched by a response (1 wei to 2**96 - 1).
    /// @param responseWindow_ Seconds the owner has to respond (1 hour to 90 days).
    /// @param feeCap_ The most of the stakes paid to the arbitrator (at most the flag stake).
    /// @param metaEvidence ERC-1497 meta-evidence URI: the question, the rulings' titles, the policy.
    constructor(
        address market_,
        address arbitrator_,
        bytes memory extraData,
        uint256 flagStake_,
        uint256 responseWindow_,
        uint256 feeCap_,
        string memory metaEvidence
    ) {
        if (market_ == address(0) || arbitrator_ == address(0)) revert ZeroAddress();
        if (flagStake_ == 0 || flagStake_ > type(uint96).max) revert FlagStakeOutOfRange(flagStake_);
        if (responseWindow_ < MIN_RESPONSE_WINDOW || responseWindow_ > MAX_RESPONSE_WINDOW) {
            revert ResponseWindowOutOfRange(responseWindow_);
        }
        if (feeCap_ > flagStake_) revert FeeCapAboveStake(feeCap_, flagStake_);
        if (bytes(metaEvidence).length == 0) revert EmptyMetaEvidence();
        if (IAssayMarket(market_).moderation() != address(this)) {
            revert MarketNotLinked(market_, IAssayMarket(market_).moderation());
        }
        _market = IAssayMarket(market_);
        _models = IAssayMarket(market_).models();
        _arbitrator = IArbitrator(arbitrator_);
        _extraData = extraData;
        _flagStake = uint96(flagStake_);
        _responseWindow = uint64(responseWindow_);
        _feeCap = uint96(feeCap_);
        emit ModerationDeployed(market_, arbitrator_, flagStake_, uint64(responseWindow_), feeCap_, extraData);
        emit MetaEvidence(META_EVIDENCE_ID, metaEvidence);
    }

    /// @inheritdoc IAssayModeration
    function market() external view returns (address) {
        return address(_market);
    }

    /// @inheritdoc IAssayModeration
    function arbitrator() external view returns (address) {
        return address(_arbitrator);
    }

    /// @inheritdoc IAssayModeration
    function arbitratorExtraData() external view returns (bytes memory) {
        return _extraData;
    }

    /// @inheritdoc IAssayModeration
    function flagStake() external view returns (uint256) {
        return _flagStake;
    }

    /// @inheritdoc IAssayModeration
    function responseWindow() external view returns (uint64) {
        return _responseWindow;
    }

    /// @inheritdoc IAssayModeration
    function feeCap() external view returns (uint256) {
        return _feeCap;
    }

    /// @inheritdoc IAssayModeration
    function responseCost() external view returns (uint256) {
        (, uint256 excess) = _arbitrationCost();
        return _flagStake + excess;
    }

    /// @dev The arbitrator's price now, and the part of it above the fee cap (paid by the responder).
    function _arbitrationCost() internal view returns (uint256 cost, uint256 excess) {
        cost = _arbitrator.arbitrationCost(_extraData);
        excess = cost > _feeCap ? cost - _feeCap : 0;
    }
}
