// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Case_Test} from "../Base.t.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayModels} from "../../src/interfaces/IAssayModels.sol";

contract Finalize_Unit_Test is Case_Test {
    function test_RevertWhen_CaseDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseNotFound.selector, caseId + 1));
        moderation.finalize(caseId + 1);
    }

    function test_RevertWhen_TheWindowIsOpen() external {
        uint256 deadline = block.timestamp + RESPONSE_WINDOW;
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowOpen.selector, caseId, deadline));
        moderation.finalize(caseId);
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowOpen.selector, caseId, deadline));
        moderation.finalize(caseId);
    }

    function test_RevertWhen_TheOwnerResponded() external {
        _respond(caseId);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAssayModeration.NotAwaitingResponse.selector, caseId, IAssayModeration.CaseStatus.InArbitration
            )
        );
        moderation.finalize(caseId);
    }

    function test_RevertWhen_AlreadyFinalized() external {
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAssayModeration.NotAwaitingResponse.selector, caseId, IAssayModeration.CaseStatus.Unanswered
            )
        );
        moderation.finalize(caseId);
    }

    function test_WhenUnansweredPastTheDeadline_AnyoneDelistsTheModelAndTheFlaggerIsRefunded() external {
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        vm.expectEmit(address(moderation));
        emit IAssayModeration.Credited(flagger, caseId, STAKE);
        vm.expectEmit(address(moderation));
        emit IAssayModeration.StatusChanged(caseId, id, IAssayModeration.CaseStatus.Unanswered);
        vm.expectEmit(address(market));
        emit IAssayMarket.ModelDelisted(id);
        vm.expectEmit(address(models));
        emit IAssayModels.MetadataUpdate(id);
        vm.prank(stranger);
        moderation.finalize(caseId);

        assertTrue(market.model(id).delisted);
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        assertEq(uint8(c.status), uint8(IAssayModeration.CaseStatus.Unanswered));
        assertEq(c.held, 0);
        assertEq(moderation.withdrawable(flagger), STAKE);
        uint256 before = flagger.balance;
        vm.prank(flagger);
        assertEq(moderation.withdraw(), STAKE);
        assertEq(flagger.balance, before + STAKE);
        assertEq(address(moderation).balance, 0);
    }
}

contract Withdraw_Moderation_Unit_Test is Case_Test {
    function test_RevertWhen_NothingIsCredited() external {
        vm.prank(flagger);
        vm.expectRevert(IAssayModeration.NothingToWithdraw.selector);
        moderation.withdraw();
    }

    function test_WhenCredited_ItPaysOnceAndEmits() external {
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.expectEmit(address(moderation));
        emit IAssayModeration.Withdrawn(flagger, STAKE);
        vm.prank(flagger);
        moderation.withdraw();
        assertEq(moderation.withdrawable(flagger), 0);
        vm.prank(flagger);
        vm.expectRevert(IAssayModeration.NothingToWithdraw.selector);
        moderation.withdraw();
    }
}
