// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../test/Base.t.sol";
import {IAssayModeration} from "../src/interfaces/IAssayModeration.sol";

/// @notice Gas benchmark of moderation (not a test suite): one measured call each, recorded with
/// `snapshotGasLastCall` into `snapshots/AssayModeration.json`. `FOUNDRY_PROFILE=bench forge test` (isolated
/// transactions: figures include intrinsic gas, calldata and cold access).
contract Moderation_Bench is Base_Test {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _listOpen();
    }

    function test_Bench_Flag() external {
        vm.prank(flagger);
        uint256 caseId = moderation.flag{value: STAKE}(id, IAssayModeration.Reason.MaliciousFile, EVIDENCE);
        vm.snapshotGasLastCall("AssayModeration", "flag");
        assertEq(caseId, 1);
    }

    function test_Bench_Respond() external {
        uint256 caseId = _flag(flagger, id);
        vm.deal(creator, STAKE);
        vm.prank(creator);
        moderation.respond{value: STAKE}(caseId, CID);
        vm.snapshotGasLastCall("AssayModeration", "respond_councilArbitrator");
        assertEq(uint8(moderation.caseOf(caseId).status), uint8(IAssayModeration.CaseStatus.InArbitration));
    }

    function test_Bench_Finalize() external {
        uint256 caseId = _flag(flagger, id);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        vm.prank(stranger);
        moderation.finalize(caseId);
        vm.snapshotGasLastCall("AssayModeration", "finalize_delists");
        assertTrue(market.model(id).delisted);
    }

    function test_Bench_GiveRuling_Delist() external {
        uint256 d = _respond(_flag(flagger, id));
        vm.prank(council);
        arbitrator.giveRuling(d, 1);
        vm.snapshotGasLastCall("AssayModeration", "giveRuling_delist");
        assertTrue(market.model(id).delisted);
    }

    function test_Bench_GiveRuling_Keep() external {
        uint256 d = _respond(_flag(flagger, id));
        vm.prank(council);
        arbitrator.giveRuling(d, 2);
        vm.snapshotGasLastCall("AssayModeration", "giveRuling_keep");
        assertFalse(market.model(id).delisted);
    }

    function test_Bench_Withdraw() external {
        uint256 caseId = _flag(flagger, id);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
        vm.prank(flagger);
        moderation.withdraw();
        vm.snapshotGasLastCall("AssayModeration", "withdraw");
        assertEq(moderation.withdrawable(flagger), 0);
    }
}
