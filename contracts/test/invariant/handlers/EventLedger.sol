// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {IAssayMarket} from "../../../src/interfaces/IAssayMarket.sol";

/// @notice The market's state rebuilt from its events alone (holders, emitted expiries, balances, model earnings,
/// escrow, fees, ratings), folded in after each handler action from `vm.getRecordedLogs`, for the invariant that
/// the state an indexer would rebuild equals the views.
abstract contract EventLedger {
    /// @dev The market (only its logs count) and the treasury (where fees are credited).
    address private immutable _emitter;
    address private immutable _feeAccount;

    mapping(uint256 licenceId => address) public evHolder;
    mapping(uint256 licenceId => uint256) public evExpiry;
    mapping(uint256 modelId => uint256) public evEarnings;
    mapping(address account => uint256) public evBalance;
    mapping(uint256 modelId => uint256) public evRatingSum;
    mapping(uint256 modelId => uint256) public evRatingCount;
    uint256 public evEscrowed;
    uint256 public evFees;
    uint256 public evTreasuryOut;

    constructor(address emitter, address feeAccount) {
        _emitter = emitter;
        _feeAccount = feeAccount;
    }

    /*//////////////////////////////////////////////////////////////
                          STATE FROM EVENTS
    //////////////////////////////////////////////////////////////*/

    function _fold(Vm.Log[] memory logs) internal {
        uint256 claimed;
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory l = logs[i];
            if (l.emitter != _emitter) continue;
            bytes32 sig = l.topics[0];
            if (sig == keccak256("Transfer(address,address,uint256)")) {
                evHolder[uint256(l.topics[3])] = address(uint160(uint256(l.topics[2])));
            } else if (sig == IAssayMarket.LicencePurchased.selector) {
                (,, uint64 expiresAt,,) = abi.decode(l.data, (uint256, uint256, uint64, bytes32, bool));
                _expiryEmitted(uint256(l.topics[1]), expiresAt, true);
            } else if (sig == IAssayMarket.LicenceRenewed.selector) {
                (, uint64 expiresAt) = abi.decode(l.data, (uint256, uint64));
                _expiryEmitted(uint256(l.topics[1]), expiresAt, false);
            } else if (sig == IAssayMarket.KeyDelivered.selector) {
                (, uint64 expiresAt,) = abi.decode(l.data, (bytes, uint64, uint64));
                _expiryEmitted(uint256(l.topics[1]), expiresAt, false);
            } else if (sig == IAssayMarket.Credited.selector) {
                (uint256 amount, IAssayMarket.Role role) = abi.decode(l.data, (uint256, IAssayMarket.Role));
                address account = address(uint160(uint256(l.topics[1])));
                evBalance[account] += amount;
                if (role == IAssayMarket.Role.Fee) {
                    require(account == _feeAccount, "a fee credited to another account");
                    evFees += amount;
                }
            } else if (sig == IAssayMarket.EarningsCredited.selector) {
                (uint256 amount,) = abi.decode(l.data, (uint256, IAssayMarket.Role));
                evEarnings[uint256(l.topics[1])] += amount;
            } else if (sig == IAssayMarket.EarningsClaimed.selector) {
                uint256 amount = abi.decode(l.data, (uint256));
                evEarnings[uint256(l.topics[1])] -= amount;
                claimed += amount;
            } else if (sig == IAssayMarket.Withdrawn.selector) {
                address account = address(uint160(uint256(l.topics[1])));
                uint256 out = abi.decode(l.data, (uint256)) - claimed;
                evBalance[account] -= out;
                if (account == _feeAccount) evTreasuryOut += out;
                claimed = 0;
            } else if (sig == IAssayMarket.EscrowHeld.selector) {
                (uint256 amount,,) = abi.decode(l.data, (uint256, uint64, bytes32));
                evEscrowed += amount;
            } else if (sig == IAssayMarket.EscrowReleased.selector) {
                evEscrowed -= abi.decode(l.data, (uint256));
            } else if (sig == IAssayMarket.LicenceReclaimed.selector) {
                evEscrowed -= abi.decode(l.data, (uint256));
            } else if (sig == IAssayMarket.DeliveryChallenged.selector) {
                (, uint256 refund,) = abi.decode(l.data, (address, uint256, uint256));
                evEscrowed -= refund;
            } else if (sig == IAssayMarket.Reviewed.selector) {
                (uint8 rating,) = abi.decode(l.data, (uint8, string));
                evRatingSum[uint256(l.topics[2])] += rating;
                evRatingCount[uint256(l.topics[2])] += 1;
            }
        }
    }

    /// @dev A licence's emitted expiry: the first one is its purchase's, later ones never earlier.
    function _expiryEmitted(uint256 id, uint256 expiry, bool first) internal {
        require(first || expiry >= evExpiry[id], "an emitted expiry moved earlier");
        evExpiry[id] = expiry;
    }
}
