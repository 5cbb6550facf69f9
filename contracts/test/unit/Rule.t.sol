// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Case_Test} from "../Base.t.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IArbitrable} from "../../src/interfaces/IArbitrable.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";

contract Rule_Unit_Test is Case_Test {
    uint256 internal disputeId;
    uint256 internal constant POOL = 2 * STAKE - ARBITRATION_COST;

    function setUp() public override {
        super.setUp();
        disputeId = _respond(caseId);
    }

    function test_RevertWhen_CallerIsNotTheArbitrator() external {
        vm.prank(council);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.NotArbitrator.selector, council));
        moderation.rule(disputeId, 1);
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.NotArbitrator.selector, flagger));
        moderation.rule(disputeId, 1);
    }

    function test_RevertWhen_RulingIsAboveTwo() external {
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.InvalidRuling.selector, 3));
        moderation.rule(disputeId, 3);
    }

    function test_RevertWhen_DisputeIsUnknown() external {
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.UnknownDispute.selector, disputeId + 1));
        moderation.rule(disputeId + 1, 1);
    }

    function test_RevertWhen_AlreadyRuled() external {
        vm.prank(address(arbitrator));
        moderation.rule(disputeId, 2);
        vm.prank(address(arbitrator));
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.UnknownDispute.selector, disputeId));
        moderation.rule(disputeId, 1);
    }

    function test_WhenRuledDelist_TheModelIsDelistedAndTheFlaggerGetsBothStakesLessTheFee() external {
        vm.expectEmit(address(moderation));
        emit IAssayModeration.Credited(flagger, caseId, POOL);
        vm.expectEmit(address(moderation));
        emit IAssayModeration.Ruled(caseId, disputeId, 1);
        vm.expectEmit(address(moderation));
        emit IArbitrable.Ruling(address(arbitrator), disputeId, 1);
        vm.expectEmit(address(moderation));
        emit IAssayModeration.StatusChanged(caseId, id, IAssayModeration.CaseStatus.Upheld);
        vm.expectEmit(address(market));
        emit IAssayMarket.ModelDelisted(id);
        _rule(disputeId, 1);

        assertTrue(market.model(id).delisted);
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.Upheld));
        assertEq(moderation.caseOf(caseId).held, 0);
        assertEq(moderation.withdrawable(flagger), POOL);
        assertEq(moderation.withdrawable(creator), 0);
        assertGe(POOL, STAKE, "the winner never gets back less than its stake");
        assertEq(uint8(arbitrator.disputeStatus(disputeId)), uint8(IArbitrator.DisputeStatus.Solved));
        assertEq(arbitrator.currentRuling(disputeId), 1);
        assertEq(address(moderation).balance, POOL);
    }

    function test_WhenRuledKeep_TheModelStaysAndTheOwnerGetsBothStakesLessTheFee() external {
        _rule(disputeId, 2);
        assertFalse(market.model(id).delisted);
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.Dismissed));
        assertEq(moderation.withdrawable(creator), POOL);
        assertEq(moderation.withdrawable(flagger), 0);
        _buy(stranger, id, 0);
    }

    function test_WhenTheArbitratorRefuses_TheModelStaysAndTheStakesLessTheFeeAreShared() external {
        _rule(disputeId, 0);
        assertFalse(market.model(id).delisted);
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.Refused));
        assertEq(moderation.withdrawable(flagger), POOL / 2);
        assertEq(moderation.withdrawable(creator), POOL - POOL / 2);
    }

    function test_WhenTheModelChangedHandsAfterTheResponse_TheResponderIsPaid() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        _rule(disputeId, 2);
        assertEq(moderation.withdrawable(creator), POOL);
        assertEq(moderation.withdrawable(stranger), 0);
    }
}
