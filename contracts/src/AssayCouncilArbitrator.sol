// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IArbitrator} from "./interfaces/IArbitrator.sol";
import {IArbitrable} from "./interfaces/IArbitrable.sol";
import {IAssayCouncilArbitrator} from "./interfaces/IAssayCouncilArbitrator.sol";

/// @title AssayCouncilArbitrator
/// @notice An ERC-792 arbitrator whose rulings are given by one `council` account fixed at deployment, for a fixed
/// `cost` per dispute. For the dev stack and tests: a public deployment of `AssayModeration` names a decentralised
/// court (e.g. Kleros) instead, through the same `IArbitrator` interface.
/// @dev No admin. Rulings are final (not appealable). Fees stay here until the council withdraws them.
contract AssayCouncilArbitrator is IArbitrator, IAssayCouncilArbitrator, ReentrancyGuardTransient {
    struct DisputeData {
        address arbitrable;
        uint64 choices;
        uint64 ruling;
        DisputeStatus status;
    }

    /// @inheritdoc IAssayCouncilArbitrator
    address public immutable council;
    /// @inheritdoc IAssayCouncilArbitrator
    uint256 public immutable cost;

    DisputeData[] internal _disputes;
    uint256 internal _fees;

    constructor(address council_, uint256 cost_) {
        if (council_ == address(0)) revert ZeroCouncil();
        council = council_;
        cost = cost_;
        emit CouncilArbitratorDeployed(council_, cost_);
    }

    /// @inheritdoc IArbitrator
    function createDispute(uint256 _choices, bytes calldata) external payable returns (uint256 disputeID) {
        if (msg.value < cost) revert InsufficientFee(cost, msg.value);
        if (_choices == 0 || _choices > type(uint64).max) revert ChoicesOutOfRange(_choices);
        disputeID = _disputes.length;
        _disputes.push(DisputeData(msg.sender, uint64(_choices), 0, DisputeStatus.Waiting));
        _fees += msg.value;
        emit DisputeCreation(disputeID, msg.sender);
    }

    /// @inheritdoc IAssayCouncilArbitrator
    function giveRuling(uint256 disputeId, uint256 ruling) external nonReentrant {
        if (msg.sender != council) revert NotCouncil(msg.sender);
        if (disputeId >= _disputes.length) revert DisputeNotFound(disputeId);
        DisputeData storage d = _disputes[disputeId];
        if (d.status == DisputeStatus.Solved) revert AlreadyRuled(disputeId);
        if (ruling > d.choices) revert RulingOutOfRange(disputeId, ruling);
        d.ruling = uint64(ruling);
        d.status = DisputeStatus.Solved;
        emit RulingGiven(disputeId, d.arbitrable, ruling);
        IArbitrable(d.arbitrable).rule(disputeId, ruling);
    }

    /// @inheritdoc IAssayCouncilArbitrator
    function withdrawFees() external nonReentrant returns (uint256 amount) {
        if (msg.sender != council) revert NotCouncil(msg.sender);
        amount = _fees;
        if (amount == 0) revert NoFees();
        _fees = 0;
        emit FeesWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert FeeTransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IArbitrator
    function appeal(uint256 _disputeID, bytes calldata) external payable {
        revert NotAppealable(_disputeID);
    }

    /// @inheritdoc IArbitrator
    function arbitrationCost(bytes calldata) external view returns (uint256) {
        return cost;
    }

    /// @inheritdoc IArbitrator
    /// @dev Nothing is appealable: the largest price, as ERC-792 suggests.
    function appealCost(uint256, bytes calldata) external pure returns (uint256) {
        return type(uint256).max;
    }

    /// @inheritdoc IArbitrator
    function appealPeriod(uint256) external pure returns (uint256 start, uint256 end) {
        return (0, 0);
    }

    /// @inheritdoc IArbitrator
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus) {
        return _dispute(_disputeID).status;
    }

    /// @inheritdoc IArbitrator
    function currentRuling(uint256 _disputeID) external view returns (uint256) {
        return _dispute(_disputeID).ruling;
    }

    /// @inheritdoc IAssayCouncilArbitrator
    function disputeCount() external view returns (uint256) {
        return _disputes.length;
    }

    /// @inheritdoc IAssayCouncilArbitrator
    function arbitrableOf(uint256 disputeId) external view returns (address) {
        return _dispute(disputeId).arbitrable;
    }

    function _dispute(uint256 disputeId) private view returns (DisputeData storage) {
        if (disputeId >= _disputes.length) revert DisputeNotFound(disputeId);
        return _disputes[disputeId];
    }
}
