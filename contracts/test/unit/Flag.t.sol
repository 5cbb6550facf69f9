// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {Model_Test, Listing} from "../Base.t.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IEvidence} from "../../src/interfaces/IEvidence.sol";

contract Flag_Unit_Test is Model_Test(Listing.Open) {
    function test_RevertWhen_StakeIsWrong() external {
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE, STAKE - 1));
        moderation.flag{value: STAKE - 1}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE, STAKE + 1));
        moderation.flag{value: STAKE + 1}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE, 0));
        moderation.flag(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        assertEq(moderation.caseCount(), 0);
    }

    function test_RevertWhen_ModelDoesNotExist() external {
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ModelNotFound.selector, 0));
        moderation.flag{value: STAKE}(0, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ModelNotFound.selector, id + 1));
        moderation.flag{value: STAKE}(id + 1, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
    }

    function test_RevertWhen_CallerOwnsTheModel() external {
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.OwnerCannotFlag.selector, id));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.Misrepresented, EVIDENCE);
    }

    function test_WhenTheModelChangedHands_TheNewOwnerCannotFlagAndTheCreatorCan() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.OwnerCannotFlag.selector, id));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.Misrepresented, EVIDENCE);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        assertEq(moderation.flag{value: STAKE}(id, IAssayModeration.Reason.Misrepresented, EVIDENCE), 1);
    }

    function test_RevertWhen_EvidenceCidIsEmptyOrTooLong() external {
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.InvalidEvidenceCid.selector, 0));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.IllegalContent, "");
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.InvalidEvidenceCid.selector, 129));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.IllegalContent, string(new bytes(129)));
    }

    function test_RevertWhen_ReasonIsNotOnTheList() external {
        // An out-of-range enum fails ABI decoding before any state is touched.
        (bool ok,) = address(moderation).call{value: STAKE}(
            abi.encodeWithSelector(IAssayModeration.flag.selector, id, uint8(4), EVIDENCE)
        );
        assertFalse(ok);
        assertEq(moderation.caseCount(), 0);
    }

    function test_RevertWhen_ACaseIsOpen() external {
        uint256 caseId = _flag(flagger, id);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseAlreadyOpen.selector, id, caseId));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        // Still open while in arbitration.
        _respond(caseId);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseAlreadyOpen.selector, id, caseId));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
    }

    function test_RevertWhen_TheModelIsDelisted() external {
        uint256 caseId = _flag(flagger, id);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ModelAlreadyDelisted.selector, id));
        moderation.flag{value: STAKE}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
    }

    function test_WhenACaseWasDismissed_TheModelCanBeFlaggedAgain() external {
        uint256 first = _flag(flagger, id);
        _rule(_respond(first), 2);
        uint256 second = _flag(stranger, id);
        assertEq(second, first + 1);
        assertEq(moderation.latestCaseOf(id), second);
        assertEq(uint8(moderation.caseOf(first).status), uint8(IAssayModeration.CaseStatus.Dismissed));
    }

    function test_WhenFlagged_ItOpensACaseHoldingTheStake() external {
        uint64 deadline = uint64(block.timestamp) + RESPONSE_WINDOW;
        vm.recordLogs();
        uint256 caseId = _flag(flagger, id);
        assertEq(caseId, 1);
        assertEq(moderation.caseCount(), 1);
        assertEq(moderation.latestCaseOf(id), 1);
        assertEq(address(moderation).balance, STAKE);
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        assertEq(c.id, 1);
        assertEq(c.modelId, id);
        assertEq(c.flagger, flagger);
        assertEq(uint8(c.reason), uint8(IAssayModeration.Reason.InfringesRights));
        assertEq(uint8(c.status), uint8(IAssayModeration.CaseStatus.AwaitingResponse));
        assertEq(c.responseDeadline, deadline);
        assertEq(c.stake, STAKE);
        assertEq(c.held, STAKE);
        assertEq(c.responder, address(0));

        Vm.Log[] memory logs = vm.getRecordedLogs();
        assertEq(logs.length, 3);
        assertEq(logs[0].topics[0], IAssayModeration.Flagged.selector);
        assertEq(logs[0].topics[1], bytes32(caseId));
        assertEq(logs[0].topics[2], bytes32(id));
        assertEq(logs[0].topics[3], bytes32(uint256(uint160(flagger))));
        (IAssayModeration.Reason reason, uint256 stake, uint64 d, string memory cid) =
            abi.decode(logs[0].data, (IAssayModeration.Reason, uint256, uint64, string));
        assertEq(uint8(reason), 0);
        assertEq(stake, STAKE);
        assertEq(d, deadline);
        assertEq(cid, EVIDENCE);
        assertEq(logs[1].topics[0], IAssayModeration.StatusChanged.selector);
        assertEq(abi.decode(logs[1].data, (uint8)), uint8(IAssayModeration.CaseStatus.AwaitingResponse));
        assertEq(logs[2].topics[0], IEvidence.Evidence.selector);
        assertEq(logs[2].topics[1], bytes32(uint256(uint160(address(arbitrator)))));
        assertEq(logs[2].topics[2], bytes32(caseId));
        assertEq(logs[2].topics[3], bytes32(uint256(uint160(flagger))));
        assertEq(abi.decode(logs[2].data, (string)), string.concat("/ipfs/", EVIDENCE));

        // The model keeps selling while flagged.
        _buy(buyer, id, 0);
    }
}

contract SubmitEvidence_Unit_Test is Model_Test(Listing.Open) {
    function test_RevertWhen_CaseDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseNotFound.selector, 1));
        moderation.submitEvidence(1, EVIDENCE);
    }

    function test_RevertWhen_CaseIsClosed() external {
        uint256 caseId = _flag(flagger, id);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseClosed.selector, caseId));
        moderation.submitEvidence(caseId, EVIDENCE);
    }

    function test_WhenTheCaseIsOpen_AnyoneAddsEvidence() external {
        uint256 caseId = _flag(flagger, id);
        vm.expectEmit(address(moderation));
        emit IEvidence.Evidence(address(arbitrator), caseId, stranger, string.concat("/ipfs/", CID));
        vm.prank(stranger);
        moderation.submitEvidence(caseId, CID);
        _respond(caseId);
        vm.expectEmit(address(moderation));
        emit IEvidence.Evidence(address(arbitrator), caseId, creator, string.concat("/ipfs/", CID2));
        vm.prank(creator);
        moderation.submitEvidence(caseId, CID2);
    }
}
