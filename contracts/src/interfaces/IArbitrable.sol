// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IArbitrable
/// @notice ERC-792 arbitrable, written from the EIP: a contract whose disputes an `IArbitrator` rules on.
/// @dev Self-contained (no imports) so alloy's `sol!` can read it; the EIP's `IArbitrator` parameter is an `address`
/// in the ABI, so the event's topic is the EIP's.
interface IArbitrable {
    /// @notice `_arbitrator` gave `_ruling` on its dispute `_disputeID`, and this contract enforced it.
    event Ruling(address indexed _arbitrator, uint256 indexed _disputeID, uint256 _ruling);

    /// @notice Gives the ruling of dispute `_disputeID`. Only the arbitrator that created the dispute.
    function rule(uint256 _disputeID, uint256 _ruling) external;
}
