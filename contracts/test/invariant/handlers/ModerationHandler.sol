// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {Vm} from "forge-std/Vm.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IAssayMarket} from "../../../src/interfaces/IAssayMarket.sol";
import {IAssayModeration} from "../../../src/interfaces/IAssayModeration.sol";
import {IDeployedArbitrator, IDeployedMarket, IDeployedModels, IDeployedModeration} from "../../helpers/Deployed.sol";

/// @notice Drives moderation with bounded random actions from a fixed set of actors (each owns models; anyone
/// flags anyone else's), with ghost accounting of ETH and the state rebuilt from the contracts' own logs.
/// @dev Every action is valid by construction (`fail_on_revert = true`): each makes what it needs (a case to answer,
/// to finalize or to rule on; a credit to withdraw) and `done` counts the ones that changed state (`afterInvariant`
/// requires each to have run whenever it was called).
contract ModerationHandler is CommonBase, StdCheats, StdUtils {
    IDeployedMarket public immutable market;
    IDeployedModels public immutable models;
    IDeployedModeration public immutable moderation;
    IDeployedArbitrator public immutable arbitrator;
    address public immutable council;
    uint256 public immutable stake;

    address[] public actors;
    mapping(bytes32 => uint256) public calls;
    mapping(bytes32 => uint256) public done;

    /// @dev ETH paid into moderation (stakes and responses), withdrawn from it, and paid on to the arbitrator.
    uint256 public ghostIn;
    uint256 public ghostOut;
    uint256 public ghostFees;
    /// @dev Sales of delisted models refused with `ModelIsDelisted`.
    uint256 public refusedSales;

    // State rebuilt from logs.
    mapping(uint256 caseId => IAssayModeration.CaseStatus) public evStatus;
    mapping(uint256 caseId => uint256) public evModel;
    mapping(uint256 caseId => uint256) public evHeld;
    mapping(uint256 caseId => address) public evResponder;
    mapping(address account => uint256) public evBalance;
    mapping(uint256 modelId => bool) public evDelisted;
    uint256 public evCases;

    constructor(
        IDeployedMarket market_,
        IDeployedModeration moderation_,
        IDeployedArbitrator arbitrator_,
        address[] memory a
    ) {
        market = market_;
        models = IDeployedModels(market_.models());
        moderation = moderation_;
        arbitrator = arbitrator_;
        council = arbitrator_.council();
        stake = moderation_.flagStake();
        actors = a;
    }

    modifier count(bytes32 name) {
        calls[name]++;
        vm.recordLogs();
        _;
        done[name]++;
        _fold(vm.getRecordedLogs());
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    function list(uint256 actorSeed) external count("list") {
        _list(_actor(actorSeed));
    }

    function flag(uint256 actorSeed, uint256 modelSeed, uint8 reasonSeed) external count("flag") {
        _flagSome(actorSeed, modelSeed, reasonSeed);
    }

    function respond(uint256 caseSeed) external count("respond") {
        uint256 caseId = _find(caseSeed, IAssayModeration.CaseStatus.AwaitingResponse, true);
        if (caseId == 0) caseId = _flagSome(caseSeed, caseSeed >> 8, uint8(caseSeed >> 16));
        _respond(caseId);
    }

    function finalize(uint256 caseSeed, uint256 callerSeed) external count("finalize") {
        uint256 caseId = _find(caseSeed, IAssayModeration.CaseStatus.AwaitingResponse, false);
        if (caseId == 0) caseId = _flagSome(caseSeed, caseSeed >> 8, uint8(caseSeed >> 16));
        uint64 deadline = moderation.caseOf(caseId).responseDeadline;
        if (block.timestamp <= deadline) vm.warp(uint256(deadline) + 1);
        vm.prank(_actor(callerSeed));
        moderation.finalize(caseId);
    }

    function rule(uint256 caseSeed, uint256 rulingSeed) external count("rule") {
        uint256 caseId = _find(caseSeed, IAssayModeration.CaseStatus.InArbitration, false);
        if (caseId == 0) {
            caseId = _flagSome(caseSeed, caseSeed >> 8, uint8(caseSeed >> 16));
            _respond(caseId);
        }
        uint256 disputeId = moderation.caseOf(caseId).disputeId;
        vm.prank(council);
        arbitrator.giveRuling(disputeId, rulingSeed % 3);
    }

    function withdraw(uint256 actorSeed) external count("withdraw") {
        address who = address(0);
        for (uint256 i; i < actors.length && who == address(0); ++i) {
            address a = actors[(actorSeed % actors.length + i) % actors.length];
            if (moderation.withdrawable(a) != 0) who = a;
        }
        if (who == address(0)) {
            // Make a credit: an unanswered flag, finalized.
            uint256 caseId = _flagSome(actorSeed, actorSeed >> 8, uint8(actorSeed >> 16));
            vm.warp(uint256(moderation.caseOf(caseId).responseDeadline) + 1);
            moderation.finalize(caseId);
            who = moderation.caseOf(caseId).flagger;
        }
        vm.prank(who);
        ghostOut += moderation.withdraw();
    }

    function transferModel(uint256 modelSeed, uint256 toSeed) external count("transferModel") {
        uint256 m = bound(modelSeed, 1, market.modelCount());
        address from = models.ownerOf(m);
        address to = _actor(toSeed);
        if (to == from) to = _actor(toSeed % actors.length + 1);
        vm.prank(from);
        models.transferFrom(from, to, m);
    }

    function buyDelisted(uint256 modelSeed, uint256 actorSeed) external count("buyDelisted") {
        uint256 m = _delistedModel(modelSeed);
        if (m == 0) {
            uint256 caseId = _flagSome(modelSeed, modelSeed >> 8, 0);
            vm.warp(uint256(moderation.caseOf(caseId).responseDeadline) + 1);
            moderation.finalize(caseId);
            m = moderation.caseOf(caseId).modelId;
        }
        address who = _actor(actorSeed);
        vm.deal(who, who.balance + 1 ether);
        vm.prank(who);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, m));
        market.buyLicense{value: 0.01 ether}(m, 0, bytes32(0), 0);
        refusedSales++;
    }

    function warp(uint256 secondsSeed) external count("warp") {
        vm.warp(block.timestamp + bound(secondsSeed, 1, 2 days));
    }

    /*//////////////////////////////////////////////////////////////
                                 MAKING
    //////////////////////////////////////////////////////////////*/

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _list(address who) internal returns (uint256) {
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](1);
        tiers[0] = IAssayMarket.TierInput(0.01 ether, 0, 0, true, false, true, "");
        vm.prank(who);
        return market.listModel(
            "bafkreimodel", 0, 0, new IAssayMarket.CoAuthor[](0), new IAssayMarket.ParentShare[](0), tiers
        );
    }

    /// @dev A model with no open case that is not delisted, starting from `seed` (one is listed if there is none).
    function _flaggable(uint256 seed) internal returns (uint256) {
        uint256 n = market.modelCount();
        for (uint256 i; i < n; ++i) {
            uint256 m = (seed % n + i) % n + 1;
            uint256 latest = moderation.latestCaseOf(m);
            if (latest == 0) return m;
            IAssayModeration.CaseStatus s = moderation.caseOf(latest).status;
            if (s == IAssayModeration.CaseStatus.Dismissed || s == IAssayModeration.CaseStatus.Refused) return m;
        }
        return _list(_actor(seed));
    }

    function _flagSome(uint256 actorSeed, uint256 modelSeed, uint8 reasonSeed) internal returns (uint256 caseId) {
        uint256 m = _flaggable(modelSeed);
        address who = _actor(actorSeed);
        if (who == models.ownerOf(m)) who = _actor(actorSeed % actors.length + 1);
        vm.deal(who, who.balance + stake);
        vm.prank(who);
        caseId = moderation.flag{value: stake}(m, IAssayModeration.Reason(reasonSeed % 4), "bafkreievidence");
        ghostIn += stake;
    }

    function _respond(uint256 caseId) internal {
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        address owner = models.ownerOf(c.modelId);
        uint256 cost = moderation.responseCost();
        vm.deal(owner, owner.balance + cost);
        vm.prank(owner);
        moderation.respond{value: cost}(caseId, "bafkreicounter");
        ghostIn += cost;
        ghostFees += arbitrator.cost();
    }

    /// @dev A case in `status` from `seed` (for AwaitingResponse with `onTime`, one whose deadline has not passed).
    function _find(uint256 seed, IAssayModeration.CaseStatus status, bool onTime) internal view returns (uint256) {
        uint256 n = moderation.caseCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = (seed % n + i) % n + 1;
            IAssayModeration.Case memory c = moderation.caseOf(id);
            if (c.status != status) continue;
            if (onTime && block.timestamp > c.responseDeadline) continue;
            return id;
        }
        return 0;
    }

    function _delistedModel(uint256 seed) internal view returns (uint256) {
        uint256 n = market.modelCount();
        for (uint256 i; i < n; ++i) {
            uint256 m = (seed % n + i) % n + 1;
            if (market.model(m).delisted) return m;
        }
        return 0;
    }

    /*//////////////////////////////////////////////////////////////
                             EVENT LEDGER
    //////////////////////////////////////////////////////////////*/

    /// @dev Folds the moderation contract's and the market's logs of one action into the rebuilt state.
    function _fold(Vm.Log[] memory logs) internal {
        for (uint256 i; i < logs.length; ++i) {
            Vm.Log memory l = logs[i];
            bytes32 t = l.topics[0];
            if (l.emitter == address(market)) {
                if (t == IAssayMarket.ModelDelisted.selector) evDelisted[uint256(l.topics[1])] = true;
                continue;
            }
            if (l.emitter != address(moderation)) continue;
            if (t == IAssayModeration.Flagged.selector) {
                uint256 caseId = uint256(l.topics[1]);
                (, uint256 s,,) = abi.decode(l.data, (uint8, uint256, uint64, string));
                evModel[caseId] = uint256(l.topics[2]);
                evHeld[caseId] = s;
                evCases++;
            } else if (t == IAssayModeration.Responded.selector) {
                uint256 caseId = uint256(l.topics[1]);
                (, uint256 fee,) = abi.decode(l.data, (uint256, uint256, string));
                evResponder[caseId] = address(uint160(uint256(l.topics[2])));
                evHeld[caseId] = 2 * evHeld[caseId] - fee;
            } else if (t == IAssayModeration.StatusChanged.selector) {
                uint256 caseId = uint256(l.topics[1]);
                IAssayModeration.CaseStatus s = IAssayModeration.CaseStatus(abi.decode(l.data, (uint8)));
                evStatus[caseId] = s;
                if (uint8(s) >= uint8(IAssayModeration.CaseStatus.Unanswered)) evHeld[caseId] = 0;
            } else if (t == IAssayModeration.Credited.selector) {
                evBalance[address(uint160(uint256(l.topics[1])))] += abi.decode(l.data, (uint256));
            } else if (t == IAssayModeration.Withdrawn.selector) {
                evBalance[address(uint160(uint256(l.topics[1])))] -= abi.decode(l.data, (uint256));
            }
        }
    }
}
