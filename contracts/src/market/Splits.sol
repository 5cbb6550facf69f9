// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {MarketConfig} from "./MarketConfig.sol";
import {Catalogue} from "./Catalogue.sol";
import {TierWord, TierSales} from "../types/TierWord.sol";

/// @title Splits
/// @notice Pull payments of `AssayMarket`: every licence payment is split (protocol fee, parents, co-authors, the
/// model's owner) and credited; only `withdraw` sends ETH. Split maths: contracts/README.md.
/// @dev Protocol fee and treasury: `MarketConfig`.
abstract contract Splits is ReentrancyGuardTransient, MarketConfig, Catalogue {
    /// @dev Where the accrued protocol fees start in `_counters`.
    uint256 internal constant FEES_SHIFT = 64;

    /// @dev One slot written by every sale, as one word: licence counter (64) | accrued protocol fees (the
    /// treasury's balance, 192) << 64.
    uint256 internal _counters;
    mapping(address account => uint256) internal _balances;
    /// @dev The model's shares as a parent. With the owner's parts of its sales (kept per tier in its `TierSales`
    /// words, written by each sale anyway), its earnings: claimed by the model's owner.
    mapping(uint256 modelId => uint256) internal _earnings;

    /// @dev Runs after `MarketConfig` and `Catalogue` (which deploys the model token): every parameter is set.
    constructor() {
        emit MarketDeployed(address(_models), _treasury, _feeBps, _deliveryWindow);
    }

    /// @inheritdoc IAssayMarket
    function withdraw() external nonReentrant returns (uint256 amount) {
        return _payOut(0);
    }

    /// @inheritdoc IAssayMarket
    function claim(uint256[] calldata modelIds) external nonReentrant returns (uint256 amount) {
        for (uint256 i; i < modelIds.length; ++i) {
            uint256 modelId = modelIds[i];
            if (_modelOwner(modelId) != msg.sender) revert NotModelOwner(modelId, msg.sender);
            uint256 e = _earnings[modelId];
            if (e != 0) _earnings[modelId] = 0;
            uint256 n = _modelData[modelId].tierCount;
            for (uint256 t; t < n; ++t) {
                TierSales s = _tierSales[modelId][t];
                uint256 part = s.earnings();
                if (part != 0) {
                    _tierSales[modelId][t] = s.withoutEarnings();
                    e += part;
                }
            }
            if (e != 0) {
                amount += e;
                emit EarningsClaimed(modelId, msg.sender, e);
            }
        }
        return _payOut(amount);
    }

    /// @inheritdoc IAssayMarket
    function earningsOf(uint256 modelId) external view returns (uint256 amount) {
        amount = _earnings[modelId];
        uint256 n = _modelData[modelId].tierCount;
        for (uint256 t; t < n; ++t) {
            amount += _tierSales[modelId][t].earnings();
        }
    }

    /// @dev Sends the caller `extra` (already taken from model earnings) plus its balance and, for the treasury,
    /// the accrued fees. CEI: every balance is zeroed before the call.
    function _payOut(uint256 extra) private returns (uint256 amount) {
        amount = _balances[msg.sender];
        if (amount != 0) _balances[msg.sender] = 0;
        if (msg.sender == _treasury) {
            uint256 c = _counters;
            uint256 fees = c >> FEES_SHIFT;
            if (fees != 0) {
                _counters = uint64(c);
                amount += fees;
            }
        }
        amount += extra;
        if (amount == 0) revert NothingToWithdraw();
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert WithdrawFailed(msg.sender, amount);
    }

    /// @inheritdoc IAssayMarket
    function withdrawable(address account) external view returns (uint256 amount) {
        amount = _balances[account];
        if (account == _treasury) amount += _counters >> FEES_SHIFT;
    }

    /// @dev Accrues `fee` to the treasury (`fee` is a part of a payment: the sum stays far below 2**192).
    function _accrueFee(uint256 fee) internal {
        if (fee != 0) _counters += fee << FEES_SHIFT;
    }

    /// @dev Splits `amount` for a sale of `modelId` (whose tier word `tier` gives its co-author and parent
    /// counts): fee (returned, accrued by the caller), then each parent's share of the rest to the parent model's
    /// earnings, then each co-author's share of the rest, and the remainder (`ownerPart`, including all rounding
    /// dust: the model's earnings, claimed by whoever owns the model NFT), which the caller adds to the tier's
    /// sales word. Credits only; never sends ETH, and reads no token owner.
    function _split(uint256 licenceId, uint256 modelId, TierWord tier, uint256 amount)
        internal
        returns (uint256 fee, uint256 ownerPart)
    {
        if (amount == 0) return (0, 0);
        unchecked {
            // amount < 2**96 and bps <= 10_000: no overflow; shares sum to at most `rest`.
            fee = amount * _feeBps / BPS;
            uint256 rest = amount - fee;
            uint256 remaining = rest;
            uint256 parents = tier.parentCount();
            for (uint256 i; i < parents; ++i) {
                ParentData memory p = _parents[modelId][i];
                uint256 share = rest * p.bps / BPS;
                if (share != 0) {
                    remaining -= share;
                    _earnings[p.modelId] += share;
                    emit EarningsCredited(p.modelId, licenceId, share, Role.Parent);
                }
            }
            uint256 coAuthors = tier.coAuthorCount();
            for (uint256 i; i < coAuthors; ++i) {
                CoAuthor memory a = _coAuthors[modelId][i];
                uint256 share = rest * a.bps / BPS;
                if (share != 0) {
                    remaining -= share;
                    _balances[a.account] += share;
                    emit Credited(a.account, licenceId, share, Role.CoAuthor);
                }
            }
            if (remaining != 0) emit EarningsCredited(modelId, licenceId, remaining, Role.Owner);
            ownerPart = remaining;
        }
        if (fee != 0) emit Credited(_treasury, licenceId, fee, Role.Fee);
    }
}
