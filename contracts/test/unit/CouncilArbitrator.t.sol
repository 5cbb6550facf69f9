// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Case_Test} from "../Base.t.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IAssayCouncilArbitrator} from "../../src/interfaces/IAssayCouncilArbitrator.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedArbitrator} from "../helpers/Deployed.sol";

contract CouncilArbitrator_Unit_Test is Case_Test {
    function test_RevertWhen_CouncilIsZero() external {
        vm.expectRevert(IAssayCouncilArbitrator.ZeroCouncil.selector);
        FromArtifacts.arbitrator(address(0), 1);
    }

    function test_WhenDeployed_ItEmitsItsParameters() external {
        vm.expectEmit();
        emit IAssayCouncilArbitrator.CouncilArbitratorDeployed(council, 7);
        IDeployedArbitrator a = FromArtifacts.arbitrator(council, 7);
        assertEq(a.council(), council);
        assertEq(a.cost(), 7);
        assertEq(a.arbitrationCost(""), 7);
    }

    function test_RevertWhen_TheFeeIsShort() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.InsufficientFee.selector, ARBITRATION_COST, 1));
        arbitrator.createDispute{value: 1}(2, "");
    }

    function test_RevertWhen_ChoicesAreZeroOrTooMany() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.ChoicesOutOfRange.selector, 0));
        arbitrator.createDispute{value: ARBITRATION_COST}(0, "");
        uint256 many = uint256(type(uint64).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.ChoicesOutOfRange.selector, many));
        arbitrator.createDispute{value: ARBITRATION_COST}(many, "");
    }

    function test_RevertWhen_ARulingIsNotTheCouncils() external {
        uint256 d = _respond(caseId);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.NotCouncil.selector, creator));
        arbitrator.giveRuling(d, 2);
    }

    function test_RevertWhen_TheDisputeDoesNotExist() external {
        vm.prank(council);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.DisputeNotFound.selector, 0));
        arbitrator.giveRuling(0, 1);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.DisputeNotFound.selector, 0));
        arbitrator.currentRuling(0);
    }

    function test_RevertWhen_TheRulingIsOutOfRangeOrGivenTwice() external {
        uint256 d = _respond(caseId);
        vm.prank(council);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.RulingOutOfRange.selector, d, 3));
        arbitrator.giveRuling(d, 3);
        _rule(d, 1);
        vm.prank(council);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.AlreadyRuled.selector, d));
        arbitrator.giveRuling(d, 2);
    }

    function test_RevertWhen_Appealed() external {
        uint256 d = _respond(caseId);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.NotAppealable.selector, d));
        arbitrator.appeal(d, "");
        assertEq(arbitrator.appealCost(d, ""), type(uint256).max);
        (uint256 start, uint256 end) = arbitrator.appealPeriod(d);
        assertEq(start, 0);
        assertEq(end, 0);
    }

    function test_WhenRuled_TheArbitrableEnforcesItAndTheCouncilWithdrawsTheFees() external {
        uint256 d = _respond(caseId);
        assertEq(uint8(arbitrator.disputeStatus(d)), uint8(IArbitrator.DisputeStatus.Waiting));
        assertEq(arbitrator.currentRuling(d), 0);
        vm.expectEmit(address(arbitrator));
        emit IAssayCouncilArbitrator.RulingGiven(d, address(moderation), 2);
        _rule(d, 2);
        assertEq(uint8(arbitrator.disputeStatus(d)), uint8(IArbitrator.DisputeStatus.Solved));
        assertEq(arbitrator.currentRuling(d), 2);

        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayCouncilArbitrator.NotCouncil.selector, creator));
        arbitrator.withdrawFees();
        uint256 before = council.balance;
        vm.prank(council);
        assertEq(arbitrator.withdrawFees(), ARBITRATION_COST);
        assertEq(council.balance, before + ARBITRATION_COST);
        vm.prank(council);
        vm.expectRevert(IAssayCouncilArbitrator.NoFees.selector);
        arbitrator.withdrawFees();
    }
}
