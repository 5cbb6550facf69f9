// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IArbitrable} from "../../src/interfaces/IArbitrable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ReentrantArbitrator, ReentrantParty, RevertingParty} from "../mocks/ModerationMocks.sol";

/// @notice Moderation under attack: re-entering parties and arbitrators, a payee that refuses ETH, rulings and
/// delistings from anyone but the arbitrator and the moderation contract.
contract Moderation_Attack_Test is Base_Test {
    bytes internal REENTERED = abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _listOpen();
    }

    /// @dev A flagger contract whose stake came back (unanswered case), re-entering from `receive`.
    function _refundedParty() internal returns (ReentrantParty party, uint256 caseId) {
        party = new ReentrantParty(moderation);
        vm.deal(address(party), 10 * STAKE);
        caseId = party.flag(id, STAKE);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
    }

    function test_WhenWithdrawIsReentered_ItIsBlockedAndPaysOnce() external {
        (ReentrantParty party,) = _refundedParty();
        party.configure(abi.encodeCall(IAssayModeration.withdraw, ()));
        uint256 before = address(party).balance;
        party.pull();
        assertEq(party.receiveCalls(), 1);
        assertFalse(party.reentrySucceeded());
        assertEq(party.reentryError(), REENTERED);
        assertEq(address(party).balance, before + STAKE);
        assertEq(address(moderation).balance, 0);
    }

    function test_WhenFlagIsReenteredFromWithdraw_ItIsBlocked() external {
        uint256 other = _listOpen();
        (ReentrantParty party,) = _refundedParty();
        party.configure(abi.encodeCall(IAssayModeration.flag, (other, IAssayModeration.Reason.MaliciousFile, "bafk")));
        party.pull();
        assertEq(party.reentryError(), REENTERED);
        assertEq(moderation.latestCaseOf(other), 0);
    }

    function test_WhenFinalizeIsReenteredFromWithdraw_ItIsBlocked() external {
        uint256 other = _listOpen();
        uint256 open = _flag(flagger, other);
        (ReentrantParty party,) = _refundedParty();
        party.configure(abi.encodeCall(IAssayModeration.finalize, (open)));
        party.pull();
        assertEq(party.reentryError(), REENTERED);
        assertEq(uint8(moderation.caseOf(open).status), uint8(IAssayModeration.CaseStatus.AwaitingResponse));
    }

    function test_WhenTheArbitratorRulesWhileTheDisputeIsBeingCreated_ItIsBlocked() external {
        ReentrantArbitrator hostile = new ReentrantArbitrator();
        _deploy(address(hostile));
        uint256 m = _listOpen();
        uint256 caseId = _flag(flagger, m);
        // Dispute 0 is the one being created: the ruling arrives before the response is recorded.
        hostile.configure(abi.encodeCall(IArbitrable.rule, (0, 1)));
        _respond(caseId);
        assertFalse(hostile.reentrySucceeded());
        assertEq(hostile.reentryError(), REENTERED);
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        assertEq(uint8(c.status), uint8(IAssayModeration.CaseStatus.InArbitration));
        assertFalse(market.model(m).delisted);
        // Ruled afterwards, as ERC-792 intends, it settles once.
        hostile.giveRuling(address(moderation), 0, 2);
        assertEq(moderation.withdrawable(creator), 2 * STAKE);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.UnknownDispute.selector, 0));
        hostile.giveRuling(address(moderation), 0, 1);
    }

    function test_WhenTheArbitratorReentersRespond_ItIsBlocked() external {
        ReentrantArbitrator hostile = new ReentrantArbitrator();
        _deploy(address(hostile));
        uint256 m = _listOpen();
        uint256 caseId = _flag(flagger, m);
        hostile.configure(abi.encodeCall(IAssayModeration.respond, (caseId, "bafk")));
        _respond(caseId);
        assertEq(hostile.reentryError(), REENTERED);
        assertEq(hostile.disputes(), 1, "one dispute");
        assertEq(address(moderation).balance, 2 * STAKE);
    }

    function test_WhenAPayeeRefusesEth_ItsMoneyWaitsAndNobodyElseIsBlocked() external {
        RevertingParty party = new RevertingParty(moderation);
        vm.deal(address(party), STAKE);
        uint256 caseId = party.flag(id, STAKE);
        uint256 d = _respond(caseId);
        _rule(d, 1);
        uint256 owed = moderation.withdrawable(address(party));
        assertEq(owed, 2 * STAKE - ARBITRATION_COST);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WithdrawFailed.selector, address(party), owed));
        party.pull();
        assertEq(moderation.withdrawable(address(party)), owed);
        // Another case settles and pays as usual.
        uint256 other = _listOpen();
        uint256 c2 = _flag(flagger, other);
        _rule(_respond(c2), 2);
        uint256 before = creator.balance;
        vm.prank(creator);
        moderation.withdraw();
        assertEq(creator.balance, before + 2 * STAKE - ARBITRATION_COST);
    }

    function test_WhenAnyoneButTheArbitratorRules_NothingMoves() external {
        uint256 caseId = _flag(flagger, id);
        uint256 d = _respond(caseId);
        address[4] memory callers = [flagger, creator, council, address(market)];
        for (uint256 i; i < callers.length; ++i) {
            vm.prank(callers[i]);
            vm.expectRevert(abi.encodeWithSelector(IAssayModeration.NotArbitrator.selector, callers[i]));
            moderation.rule(d, 1);
        }
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.InArbitration));
        assertFalse(market.model(id).delisted);
    }

    function test_WhenAnOwnerFlagsThroughAContractItOwns_TheContractIsNotTheOwner() external {
        // The owner check is on the model token's owner: a contract flagging a model its deployer owns is a third
        // party with its own stake at risk (and loses it to the owner if the owner answers and wins).
        ReentrantParty proxy = new ReentrantParty(moderation);
        vm.deal(address(proxy), STAKE);
        uint256 caseId = proxy.flag(id, STAKE);
        _rule(_respond(caseId), 2);
        assertEq(moderation.withdrawable(creator), 2 * STAKE - ARBITRATION_COST);
        assertEq(moderation.withdrawable(address(proxy)), 0);
    }
}
