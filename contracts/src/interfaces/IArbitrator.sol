// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IArbitrator
/// @notice ERC-792 arbitrator, written from the EIP: creates disputes for arbitrable contracts and gives rulings by
/// calling their `rule`. Ruling 0 means "refused to arbitrate"; rulings 1..choices are the arbitrable's options.
/// @dev Self-contained (no imports) so alloy's `sol!` can read it. Contract types of the EIP's signatures are written
/// as `address`, which is how the ABI encodes them: selectors and event topics are the EIP's.
interface IArbitrator {
    /// @notice A dispute waits for its ruling, can be appealed, or is solved (the ruling was sent).
    enum DisputeStatus {
        Waiting,
        Appealable,
        Solved
    }

    /// @notice Dispute `_disputeID` was created by the arbitrable contract `_arbitrable`.
    event DisputeCreation(uint256 indexed _disputeID, address indexed _arbitrable);
    /// @notice Dispute `_disputeID`'s current ruling can be appealed.
    event AppealPossible(uint256 indexed _disputeID, address indexed _arbitrable);
    /// @notice Dispute `_disputeID` was appealed.
    event AppealDecision(uint256 indexed _disputeID, address indexed _arbitrable);

    /// @notice Creates a dispute with `_choices` options (rulings 1.._choices), paying at least `arbitrationCost`.
    /// Called by the arbitrable contract, which is the one whose `rule` is called.
    function createDispute(uint256 _choices, bytes calldata _extraData) external payable returns (uint256 disputeID);

    /// @notice The price of a dispute created with `_extraData`.
    function arbitrationCost(bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice Appeals the ruling of dispute `_disputeID`, paying at least `appealCost`.
    function appeal(uint256 _disputeID, bytes calldata _extraData) external payable;

    /// @notice The price of appealing dispute `_disputeID`.
    function appealCost(uint256 _disputeID, bytes calldata _extraData) external view returns (uint256 cost);

    /// @notice The period in which dispute `_disputeID` can be appealed (`(0, 0)` when it cannot).
    function appealPeriod(uint256 _disputeID) external view returns (uint256 start, uint256 end);

    /// @notice The status of dispute `_disputeID`.
    function disputeStatus(uint256 _disputeID) external view returns (DisputeStatus status);

    /// @notice The ruling dispute `_disputeID` has now (0 until one is given).
    function currentRuling(uint256 _disputeID) external view returns (uint256 ruling);
}
