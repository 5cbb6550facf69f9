// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IArbitrable} from "../../src/interfaces/IArbitrable.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";

/// @notice An ERC-792 arbitrator whose price changes (a court raising its fees), ruling when told to.
contract PricedArbitrator is IArbitrator {
    uint256 public cost;
    address[] public arbitrables;

    constructor(uint256 cost_) {
        cost = cost_;
    }

    function setCost(uint256 cost_) external {
        cost = cost_;
    }

    function createDispute(uint256, bytes calldata) external payable returns (uint256 disputeID) {
        require(msg.value >= cost, "fee");
        disputeID = arbitrables.length;
        arbitrables.push(msg.sender);
        emit DisputeCreation(disputeID, msg.sender);
    }

    function giveRuling(uint256 disputeId, uint256 ruling) external {
        IArbitrable(arbitrables[disputeId]).rule(disputeId, ruling);
    }

    function arbitrationCost(bytes calldata) external view returns (uint256) {
        return cost;
    }

    function appeal(uint256, bytes calldata) external payable {
        revert("no appeals");
    }

    function appealCost(uint256, bytes calldata) external pure returns (uint256) {
        return type(uint256).max;
    }

    function appealPeriod(uint256) external pure returns (uint256, uint256) {
        return (0, 0);
    }

    function disputeStatus(uint256) external pure returns (DisputeStatus) {
        return DisputeStatus.Waiting;
    }

    function currentRuling(uint256) external pure returns (uint256) {
        return 0;
    }
}

/// @notice A hostile arbitrator: while `createDispute` runs it re-enters the moderation contract with `rule` on the
/// dispute being created (or any call it is configured with), and records what happened.
contract ReentrantArbitrator is IArbitrator {
    bytes public reentry;
    bool public reentrySucceeded;
    bytes public reentryError;
    uint256 public disputes;

    function configure(bytes calldata call) external {
        reentry = call;
    }

    function createDispute(uint256, bytes calldata) external payable returns (uint256 disputeID) {
        disputeID = disputes++;
        if (reentry.length != 0) {
            (bool ok, bytes memory err) = msg.sender.call(reentry);
            reentrySucceeded = ok;
            reentryError = err;
        }
    }

    function giveRuling(address arbitrable, uint256 disputeId, uint256 ruling) external {
        IArbitrable(arbitrable).rule(disputeId, ruling);
    }

    function arbitrationCost(bytes calldata) external pure returns (uint256) {
        return 0;
    }

    function appeal(uint256, bytes calldata) external payable {}

    function appealCost(uint256, bytes calldata) external pure returns (uint256) {
        return type(uint256).max;
    }

    function appealPeriod(uint256) external pure returns (uint256, uint256) {
        return (0, 0);
    }

    function disputeStatus(uint256) external pure returns (DisputeStatus) {
        return DisputeStatus.Waiting;
    }

    function currentRuling(uint256) external pure returns (uint256) {
        return 0;
    }
}

/// @notice A party (flagger or model owner) that re-enters the moderation contract from `receive` when it withdraws.
contract ReentrantParty {
    IAssayModeration public immutable moderation;
    bytes public reentry;
    uint256 public receiveCalls;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor(IAssayModeration moderation_) {
        moderation = moderation_;
    }

    function configure(bytes calldata call) external {
        reentry = call;
    }

    function flag(uint256 modelId, uint256 stake) external returns (uint256) {
        return moderation.flag{value: stake}(modelId, IAssayModeration.Reason.MaliciousFile, "bafkreiflag");
    }

    function pull() external returns (uint256) {
        return moderation.withdraw();
    }

    receive() external payable {
        receiveCalls++;
        (bool ok, bytes memory err) = address(moderation).call(reentry);
        reentrySucceeded = ok;
        reentryError = err;
    }
}

/// @notice A flagger whose `receive` always reverts: its payout waits, nobody else's is blocked.
contract RevertingParty {
    IAssayModeration public immutable moderation;

    constructor(IAssayModeration moderation_) {
        moderation = moderation_;
    }

    function flag(uint256 modelId, uint256 stake) external returns (uint256) {
        return moderation.flag{value: stake}(modelId, IAssayModeration.Reason.MaliciousFile, "bafkreiflag");
    }

    function pull() external returns (uint256) {
        return moderation.withdraw();
    }

    receive() external payable {
        revert("no thanks");
    }
}
