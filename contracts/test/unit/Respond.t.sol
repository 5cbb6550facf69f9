// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {Base_Test, Case_Test} from "../Base.t.sol";
import {PricedArbitrator} from "../mocks/ModerationMocks.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";
import {IEvidence} from "../../src/interfaces/IEvidence.sol";

contract Respond_Unit_Test is Case_Test {
    function test_RevertWhen_CaseDoesNotExist() external {
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.CaseNotFound.selector, caseId + 1));
        moderation.respond{value: STAKE}(caseId + 1, CID);
    }

    function test_RevertWhen_CallerIsNotTheModelOwner() external {
        vm.prank(stranger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.OnlyOwnerResponds.selector, caseId, stranger));
        moderation.respond{value: STAKE}(caseId, CID);
        vm.prank(flagger);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.OnlyOwnerResponds.selector, caseId, flagger));
        moderation.respond{value: STAKE}(caseId, CID);
    }

    function test_WhenTheModelChangedHands_ItsNewOwnerResponds() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.OnlyOwnerResponds.selector, caseId, creator));
        moderation.respond{value: STAKE}(caseId, CID);
        vm.prank(stranger);
        moderation.respond{value: STAKE}(caseId, CID);
        assertEq(moderation.caseOf(caseId).responder, stranger);
    }

    function test_RevertWhen_StakeIsWrong() external {
        vm.deal(creator, 2 * STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE, STAKE - 1));
        moderation.respond{value: STAKE - 1}(caseId, CID);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE, STAKE + ARBITRATION_COST));
        moderation.respond{value: STAKE + ARBITRATION_COST}(caseId, CID);
    }

    function test_RevertWhen_EvidenceCidIsEmpty() external {
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.InvalidEvidenceCid.selector, 0));
        moderation.respond{value: STAKE}(caseId, "");
    }

    function test_RevertWhen_TheDeadlinePassed() external {
        uint256 deadline = block.timestamp + RESPONSE_WINDOW;
        vm.warp(deadline + 1);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowClosed.selector, caseId, deadline));
        moderation.respond{value: STAKE}(caseId, CID);
    }

    function test_WhenAtTheDeadline_ItIsStillOnTime() external {
        vm.warp(block.timestamp + RESPONSE_WINDOW);
        _respond(caseId);
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.InArbitration));
    }

    function test_RevertWhen_AlreadyAnswered() external {
        _respond(caseId);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAssayModeration.NotAwaitingResponse.selector, caseId, IAssayModeration.CaseStatus.InArbitration
            )
        );
        moderation.respond{value: STAKE}(caseId, CID);
    }

    function test_RevertWhen_Finalized() external {
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAssayModeration.NotAwaitingResponse.selector, caseId, IAssayModeration.CaseStatus.Unanswered
            )
        );
        moderation.respond{value: STAKE}(caseId, CID);
    }

    function test_WhenResponded_TheCaseIsADisputeOfTheArbitrator() external {
        vm.recordLogs();
        uint256 disputeId = _respond(caseId);
        Vm.Log[] memory logs = vm.getRecordedLogs();

        assertEq(disputeId, 0, "the council's first dispute");
        assertEq(arbitrator.disputeCount(), 1);
        assertEq(arbitrator.arbitrableOf(disputeId), address(moderation));
        assertEq(uint8(arbitrator.disputeStatus(disputeId)), uint8(IArbitrator.DisputeStatus.Waiting));
        assertEq(address(arbitrator).balance, ARBITRATION_COST, "the fee paid from the stakes");
        assertEq(address(moderation).balance, 2 * STAKE - ARBITRATION_COST);
        assertEq(moderation.caseOfDispute(disputeId), caseId);
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        assertEq(uint8(c.status), uint8(IAssayModeration.CaseStatus.InArbitration));
        assertEq(c.responder, creator);
        assertEq(c.held, 2 * STAKE - ARBITRATION_COST);
        assertEq(c.arbitrationFee, ARBITRATION_COST);
        assertEq(c.disputeId, disputeId);

        // The arbitrator's DisputeCreation, then Responded, StatusChanged, Dispute, Evidence.
        assertEq(logs.length, 5);
        assertEq(logs[0].topics[0], IArbitrator.DisputeCreation.selector);
        assertEq(logs[1].topics[0], IAssayModeration.Responded.selector);
        assertEq(logs[1].topics[1], bytes32(caseId));
        assertEq(logs[1].topics[2], bytes32(uint256(uint160(creator))));
        (uint256 d, uint256 fee, string memory cid) = abi.decode(logs[1].data, (uint256, uint256, string));
        assertEq(d, disputeId);
        assertEq(fee, ARBITRATION_COST);
        assertEq(cid, CID);
        assertEq(logs[2].topics[0], IAssayModeration.StatusChanged.selector);
        assertEq(abi.decode(logs[2].data, (uint8)), uint8(IAssayModeration.CaseStatus.InArbitration));
        assertEq(logs[3].topics[0], IEvidence.Dispute.selector);
        assertEq(logs[3].topics[1], bytes32(uint256(uint160(address(arbitrator)))));
        assertEq(logs[3].topics[2], bytes32(disputeId));
        (uint256 meta, uint256 group) = abi.decode(logs[3].data, (uint256, uint256));
        assertEq(meta, 0);
        assertEq(group, caseId);
        assertEq(logs[4].topics[0], IEvidence.Evidence.selector);
        assertEq(logs[4].topics[3], bytes32(uint256(uint160(creator))));
    }
}

/// @notice An arbitrator dearer than the fee cap: the responder pays the difference, the stakes pay the cap, and a
/// price rise after the flag cannot stop the owner from answering.
contract Respond_DearArbitrator_Unit_Test is Base_Test {
    uint256 internal constant DEAR = FEE_CAP + 0.03 ether;
    PricedArbitrator internal priced;
    uint256 internal id;
    uint256 internal caseId;

    function setUp() public override {
        super.setUp();
        priced = new PricedArbitrator(ARBITRATION_COST);
        _deploy(address(priced));
        id = _listOpen();
        caseId = _flag(flagger, id);
        priced.setCost(DEAR);
    }

    function test_WhenTheCostIsAboveTheCap_TheResponderPaysTheExcess() external {
        assertEq(moderation.responseCost(), STAKE + DEAR - FEE_CAP);
        vm.deal(creator, STAKE + DEAR);
        vm.prank(creator);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.WrongStake.selector, STAKE + DEAR - FEE_CAP, STAKE));
        moderation.respond{value: STAKE}(caseId, CID);
        vm.prank(creator);
        moderation.respond{value: STAKE + DEAR - FEE_CAP}(caseId, CID);
        IAssayModeration.Case memory c = moderation.caseOf(caseId);
        assertEq(c.arbitrationFee, FEE_CAP);
        assertEq(c.held, 2 * STAKE - FEE_CAP);
        assertEq(address(moderation).balance, 2 * STAKE - FEE_CAP);
        assertEq(address(priced).balance, DEAR);
    }

    function test_WhenTheArbitratorIsFree_TheStakesAreHeldWhole() external {
        priced.setCost(0);
        assertEq(moderation.responseCost(), STAKE);
        _respond(caseId);
        assertEq(moderation.caseOf(caseId).held, 2 * STAKE);
        assertEq(moderation.caseOf(caseId).arbitrationFee, 0);
    }
}
