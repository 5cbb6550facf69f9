// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayCouncilArbitrator
/// @notice What the council arbitrator adds to ERC-792's `IArbitrator` (see `IArbitrator.sol`): rulings are given by
/// one `council` account fixed at deployment, for a fixed `cost` per dispute; nothing is appealable. For the dev stack
/// and tests; a public deployment plugs in a decentralised court through the same `IArbitrator` interface instead.
/// @dev Self-contained (no imports) so alloy's `sol!` can read it.
interface IAssayCouncilArbitrator {
    /// @notice The council arbitrator was deployed: `council` rules, each dispute costs `cost` wei.
    event CouncilArbitratorDeployed(address indexed council, uint256 cost);
    /// @notice The council ruled `ruling` on dispute `disputeId` and sent it to the arbitrable contract.
    event RulingGiven(uint256 indexed disputeId, address indexed arbitrable, uint256 ruling);
    /// @notice The council withdrew `amount` of the fees paid.
    event FeesWithdrawn(address indexed council, uint256 amount);

    /// @notice The council address is zero.
    error ZeroCouncil();
    /// @notice `createDispute` paid less than the cost.
    error InsufficientFee(uint256 cost, uint256 paid);
    /// @notice A dispute has 1 to 2**64 - 1 choices.
    error ChoicesOutOfRange(uint256 choices);
    /// @notice Only the council rules and withdraws fees.
    error NotCouncil(address caller);
    /// @notice Dispute `disputeId` does not exist.
    error DisputeNotFound(uint256 disputeId);
    /// @notice Dispute `disputeId` already has its ruling.
    error AlreadyRuled(uint256 disputeId);
    /// @notice `ruling` is above dispute `disputeId`'s number of choices.
    error RulingOutOfRange(uint256 disputeId, uint256 ruling);
    /// @notice The council's rulings are final.
    error NotAppealable(uint256 disputeId);
    /// @notice No fees to withdraw.
    error NoFees();
    /// @notice Sending the fees failed.
    error FeeTransferFailed(address council, uint256 amount);

    /// @notice The account that gives rulings.
    function council() external view returns (address);
    /// @notice The price of a dispute (wei), whatever the extra data.
    function cost() external view returns (uint256);
    /// @notice The number of disputes created (ids start at 0).
    function disputeCount() external view returns (uint256);
    /// @notice The contract that created dispute `disputeId` and receives its ruling.
    function arbitrableOf(uint256 disputeId) external view returns (address);
    /// @notice Rules `ruling` (0 = refuse to arbitrate, 1..choices) on dispute `disputeId` and calls the arbitrable's
    /// `rule`. Only the council, once per dispute.
    function giveRuling(uint256 disputeId, uint256 ruling) external;
    /// @notice Sends the council the fees paid so far. Only the council.
    function withdrawFees() external returns (uint256 amount);
}
