// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract CatalogueViews_Unit_Test is Base_Test {
    function test_ModelsPage_WhenOffsetBeyondTotal_ItReturnsEmpty() external {
        _listOpen();
        (IAssayMarket.ModelSummary[] memory page, uint256 total) = market.modelsPage(5, 10);
        assertEq(page.length, 0);
        assertEq(total, 1);
    }

    function test_ModelsPage_WhenLimitExceedsRemaining_ItClamps() external {
        for (uint256 i; i < 5; ++i) {
            _listOpen();
        }
        _buy(buyer, 4, 0);
        (IAssayMarket.ModelSummary[] memory page, uint256 total) = market.modelsPage(2, 10);
        assertEq(total, 5);
        assertEq(page.length, 3);
        assertEq(page[0].id, 3);
        assertEq(page[1].id, 4);
        assertEq(page[1].sales, 1);
        assertEq(page[2].id, 5);
        assertEq(page[2].manifestCid, CID);
        assertEq(page[2].tiers.length, 1);
    }

    function test_Model_RevertWhen_ModelDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 1));
        market.model(1);
    }

    function test_ModelsByCreator_ItPagesByCursor() external {
        _listOpen(); // 1 creator
        vm.prank(stranger);
        market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(1, 0, 0, true))); // 2 stranger
        _listOpen(); // 3 creator
        (uint256[] memory ids, uint256 next) = market.modelsByCreator(creator, 0, 2);
        assertEq(ids.length, 1);
        assertEq(ids[0], 1);
        assertEq(next, 2);
        (ids, next) = market.modelsByCreator(creator, next, 2);
        assertEq(ids.length, 1);
        assertEq(ids[0], 3);
        assertEq(next, 3);
        (ids, next) = market.modelsByCreator(creator, next, 2);
        assertEq(ids.length, 0);
        assertEq(next, 3);
    }

    function test_ViewsOfUnknownModel_Revert() external view {
        bytes4[6] memory views = [
            market.tiersOf.selector,
            market.versionsOf.selector,
            market.manifestCid.selector,
            market.coAuthorsOf.selector,
            market.parentsOf.selector,
            market.keyCommitment.selector
        ];
        for (uint256 i; i < views.length; ++i) {
            (bool ok, bytes memory reason) = address(market).staticcall(abi.encodeWithSelector(views[i], 8));
            assertFalse(ok);
            assertEq(reason, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 8));
        }
    }

    function test_RoyaltyOf_ReturnsCreatorAndBps() external {
        uint256 id = _listOpen();
        (address c, uint16 bps) = market.royaltyOf(id);
        assertEq(c, creator);
        assertEq(bps, 500);
    }
}

contract LicenceViews_Unit_Test is Base_Test {
    uint256 internal a;
    uint256 internal b;

    function setUp() public override {
        super.setUp();
        a = _listOpenWithCoAuthor(); // 30-day tier
        b = _listOpen(); // perpetual
    }

    function test_HasLicence_WhenNoLicence_ItIsFalse() external view {
        assertFalse(market.hasLicence(buyer, a));
    }

    function test_HasLicence_WhenExpired_ItIsFalse() external {
        _buy(buyer, a, 0);
        assertTrue(market.hasLicence(buyer, a));
        vm.warp(block.timestamp + 30 days);
        assertFalse(market.hasLicence(buyer, a));
    }

    function test_HasLicence_WhenLicenceOfOtherModel_ItIsFalse() external {
        _buy(buyer, b, 0);
        assertFalse(market.hasLicence(buyer, a));
        assertTrue(market.hasLicence(buyer, b));
    }

    function test_HasLicence_FollowsTransfers() external {
        uint256 l = _buy(buyer, b, 0);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, l);
        assertFalse(market.hasLicence(buyer, b));
        assertTrue(market.hasLicence(stranger, b));
    }

    function test_HasLicence_WhenOneOfSeveralExpired_ItIsTrue() external {
        _buy(buyer, a, 0);
        vm.warp(block.timestamp + 31 days);
        _buy(buyer, a, 0);
        for (uint256 i; i < 6; ++i) {
            _buy(buyer, b, 0); // push the list past the first word
        }
        assertTrue(market.hasLicence(buyer, a));
    }

    function test_LicencesOf_ItPagesHeldLicencesAndSkipsTransferredOnes() external {
        uint256[] memory ids = new uint256[](9);
        for (uint256 i; i < 9; ++i) {
            ids[i] = _buy(buyer, i % 2 == 0 ? a : b, 0);
        }
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, ids[4]);

        (IAssayMarket.LicenceView[] memory page, uint256 next, uint256 end) = market.licencesOf(buyer, 0, 5);
        assertEq(end, 9);
        assertEq(next, 5);
        assertEq(page.length, 4); // ids[4] left
        assertEq(page[0].id, ids[0]);
        assertEq(page[3].id, ids[3]);
        (page, next, end) = market.licencesOf(buyer, next, 5);
        assertEq(next, 9);
        assertEq(page.length, 4);
        assertEq(page[3].id, ids[8]);
        assertEq(page[3].holder, buyer);
        (page, next, end) = market.licencesOf(buyer, next, 5);
        assertEq(page.length, 0);
        assertEq(next, 9);

        (page,,) = market.licencesOf(stranger, 0, 10);
        assertEq(page.length, 1);
        assertEq(page[0].id, ids[4]);
    }

    function test_LicencesOf_WhenLicenceCameBack_ItIsListedOnce() external {
        uint256 l = _buy(buyer, b, 0);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, l);
        vm.prank(stranger);
        market.transferFrom(stranger, buyer, l);
        (IAssayMarket.LicenceView[] memory page,, uint256 end) = market.licencesOf(buyer, 0, 10);
        assertEq(end, 2);
        assertEq(page.length, 1);
        assertEq(market.balanceOf(buyer), 1);
    }

    function test_Licence_WhenUnknown_ItReturnsStatusNone() external view {
        IAssayMarket.LicenceView memory v = market.licence(77);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.None));
        assertEq(v.holder, address(0));
    }
}
