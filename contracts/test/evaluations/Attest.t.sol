// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayEvaluations} from "../../src/interfaces/IAssayEvaluations.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";

contract Attest_Unit_Test is Base_Test {
    IAssayEvaluations internal evaluations;
    uint256 internal modelId;

    function setUp() public override {
        super.setUp();
        evaluations = FromArtifacts.evaluations(IAssayMarket(address(market)));
        modelId = _listOpen();
    }

    function _observed(int256 a) internal pure returns (int256[] memory o) {
        o = new int256[](1);
        o[0] = a;
    }

    function test_WhenDeployed_ItNamesItsMarket() external {
        vm.expectEmit(true, false, false, true);
        emit IAssayEvaluations.EvaluationsDeployed(address(market));
        IAssayEvaluations e = FromArtifacts.evaluations(IAssayMarket(address(market)));
        assertEq(e.market(), address(market));
        assertEq(e.MAX_METRICS(), 16);
    }

    function test_RevertWhen_TheModelDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 9));
        vm.prank(stranger);
        evaluations.attest(9, 0, 0, _observed(902_400), true);
    }

    function test_RevertWhen_TheVersionDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayEvaluations.VersionNotFound.selector, modelId, 1));
        vm.prank(stranger);
        evaluations.attest(modelId, 1, 0, _observed(902_400), true);
    }

    function test_RevertWhen_NothingOrTooMuchIsObserved() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayEvaluations.ObservationCount.selector, 0));
        evaluations.attest(modelId, 0, 0, new int256[](0), true);
        vm.expectRevert(abi.encodeWithSelector(IAssayEvaluations.ObservationCount.selector, 17));
        evaluations.attest(modelId, 0, 0, new int256[](17), true);
    }

    function test_WhenAnOutsiderAttests_ItIsRecordedAsUnlicensed() external {
        int256[] memory observed = new int256[](2);
        (observed[0], observed[1]) = (902_400, -3);
        vm.expectEmit(true, true, true, true, address(evaluations));
        emit IAssayEvaluations.EvaluationReproduced(modelId, 0, stranger, 2, observed, false, false);
        vm.prank(stranger);
        evaluations.attest(modelId, 0, 2, observed, false);
    }

    function test_WhenALicenceHolderAttestsALaterVersion_ItIsRecordedAsLicensed() external {
        vm.prank(creator);
        market.publishVersion(modelId, CID2);
        _buy(buyer, modelId, 0);
        vm.expectEmit(true, true, true, true, address(evaluations));
        emit IAssayEvaluations.EvaluationReproduced(modelId, 1, buyer, 0, _observed(1_000_000), true, true);
        vm.prank(buyer);
        evaluations.attest(modelId, 1, 0, _observed(1_000_000), true);
    }
}
