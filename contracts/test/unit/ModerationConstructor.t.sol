// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IEvidence} from "../../src/interfaces/IEvidence.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket, IDeployedModeration} from "../helpers/Deployed.sol";

contract ModerationConstructor_Unit_Test is Base_Test {
    IDeployedMarket internal linked;

    /// @dev A market that names the next contract this test deploys as its moderation.
    function _linkedMarket() internal returns (IDeployedMarket m) {
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        m = FromArtifacts.market(FEE_BPS, treasury, WINDOW, CHALLENGE, next);
    }

    function _deployModeration(address m, address a, uint256 stake, uint256 window, uint256 cap, string memory meta)
        internal
        returns (IDeployedModeration)
    {
        return FromArtifacts.moderation(m, a, "", stake, window, cap, meta);
    }

    function test_RevertWhen_AnAddressIsZero() external {
        vm.expectRevert(IAssayModeration.ZeroAddress.selector);
        _deployModeration(address(0), address(arbitrator), STAKE, RESPONSE_WINDOW, FEE_CAP, META_EVIDENCE);
        linked = _linkedMarket();
        vm.expectRevert(IAssayModeration.ZeroAddress.selector);
        _deployModeration(address(linked), address(0), STAKE, RESPONSE_WINDOW, FEE_CAP, META_EVIDENCE);
    }

    function test_RevertWhen_TheStakeIsZeroOrTooLarge() external {
        linked = _linkedMarket();
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.FlagStakeOutOfRange.selector, 0));
        _deployModeration(address(linked), address(arbitrator), 0, RESPONSE_WINDOW, 0, META_EVIDENCE);
        uint256 big = uint256(type(uint96).max) + 1;
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.FlagStakeOutOfRange.selector, big));
        _deployModeration(address(linked), address(arbitrator), big, RESPONSE_WINDOW, 0, META_EVIDENCE);
    }

    function test_RevertWhen_TheWindowIsOutOfRange() external {
        linked = _linkedMarket();
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowOutOfRange.selector, 1 hours - 1));
        _deployModeration(address(linked), address(arbitrator), STAKE, 1 hours - 1, FEE_CAP, META_EVIDENCE);
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowOutOfRange.selector, 90 days + 1));
        _deployModeration(address(linked), address(arbitrator), STAKE, 90 days + 1, FEE_CAP, META_EVIDENCE);
        uint256 huge = uint256(type(uint64).max) + 3600;
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.ResponseWindowOutOfRange.selector, huge));
        _deployModeration(address(linked), address(arbitrator), STAKE, huge, FEE_CAP, META_EVIDENCE);
    }

    function test_RevertWhen_TheFeeCapIsAboveTheStake() external {
        linked = _linkedMarket();
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.FeeCapAboveStake.selector, STAKE + 1, STAKE));
        _deployModeration(address(linked), address(arbitrator), STAKE, RESPONSE_WINDOW, STAKE + 1, META_EVIDENCE);
    }

    function test_RevertWhen_MetaEvidenceIsEmpty() external {
        linked = _linkedMarket();
        vm.expectRevert(IAssayModeration.EmptyMetaEvidence.selector);
        _deployModeration(address(linked), address(arbitrator), STAKE, RESPONSE_WINDOW, FEE_CAP, "");
    }

    function test_RevertWhen_TheMarketDoesNotNameThisContract() external {
        // `market` names the fixture's moderation contract, not a new one.
        vm.expectRevert(
            abi.encodeWithSelector(IAssayModeration.MarketNotLinked.selector, address(market), address(moderation))
        );
        _deployModeration(address(market), address(arbitrator), STAKE, RESPONSE_WINDOW, FEE_CAP, META_EVIDENCE);
        IDeployedMarket bare = FromArtifacts.market(FEE_BPS, treasury, WINDOW, CHALLENGE, address(0));
        vm.expectRevert(abi.encodeWithSelector(IAssayModeration.MarketNotLinked.selector, address(bare), address(0)));
        _deployModeration(address(bare), address(arbitrator), STAKE, RESPONSE_WINDOW, FEE_CAP, META_EVIDENCE);
    }

    function test_WhenDeployed_ItEmitsAndShowsItsParameters() external {
        linked = _linkedMarket();
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        vm.expectEmit(next);
        emit IAssayModeration.ModerationDeployed(address(linked), address(arbitrator), STAKE, 2 days, STAKE, hex"01");
        vm.expectEmit(next);
        emit IEvidence.MetaEvidence(0, META_EVIDENCE);
        IDeployedModeration m = FromArtifacts.moderation(
            address(linked), address(arbitrator), hex"01", STAKE, 2 days, STAKE, META_EVIDENCE
        );
        assertEq(address(m), next);
        assertEq(m.market(), address(linked));
        assertEq(m.arbitrator(), address(arbitrator));
        assertEq(m.arbitratorExtraData(), hex"01");
        assertEq(m.flagStake(), STAKE);
        assertEq(m.responseWindow(), 2 days);
        assertEq(m.feeCap(), STAKE);
        assertEq(m.responseCost(), STAKE);
        assertEq(m.caseCount(), 0);
        assertEq(m.caseOf(1).id, 0);
        (IAssayModeration.Case[] memory page, uint256 total) = m.casesPage(0, 10);
        assertEq(page.length, 0);
        assertEq(total, 0);
    }
}

contract CasesPage_Unit_Test is Base_Test {
    function test_WhenPaged_ItReturnsCasesInOrder() external {
        uint256 a = _listOpen();
        uint256 b = _listOpen();
        uint256 c = _listOpen();
        _flag(flagger, a);
        _flag(flagger, b);
        _flag(stranger, c);
        (IAssayModeration.Case[] memory page, uint256 total) = moderation.casesPage(1, 5);
        assertEq(total, 3);
        assertEq(page.length, 2);
        assertEq(page[0].id, 2);
        assertEq(page[0].modelId, b);
        assertEq(page[1].id, 3);
        assertEq(page[1].flagger, stranger);
        (page, total) = moderation.casesPage(3, 5);
        assertEq(page.length, 0);
        assertEq(total, 3);
    }
}
