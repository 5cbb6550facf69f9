// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract Review_Unit_Test is Base_Test {
    uint256 internal id;
    uint256 internal lic;

    function setUp() public override {
        super.setUp();
        id = _listOpen();
        lic = _buy(buyer, id, 0);
    }

    function test_RevertWhen_LicenceDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 5));
        vm.prank(buyer);
        market.review(5, 5, "");
    }

    function test_RevertWhen_CallerNotHolder() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, stranger));
        vm.prank(stranger);
        market.review(lic, 5, "");
    }

    function test_RevertWhen_RatingIsZero() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.InvalidRating.selector, 0));
        vm.prank(buyer);
        market.review(lic, 0, "");
    }

    function test_RevertWhen_RatingAboveFive() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.InvalidRating.selector, 6));
        vm.prank(buyer);
        market.review(lic, 6, "");
    }

    function test_RevertWhen_CommentCidTooLong() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.CidTooLong.selector, 64));
        vm.prank(buyer);
        market.review(lic, 4, string(new bytes(64)));
    }

    function test_RevertWhen_AlreadyReviewed() external {
        vm.prank(buyer);
        market.review(lic, 4, CID);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.AlreadyReviewed.selector, lic));
        vm.prank(buyer);
        market.review(lic, 5, CID);
    }

    function test_RevertWhen_ReviewedLicenceIsTransferred_NewHolderCannotReviewAgain() external {
        vm.prank(buyer);
        market.review(lic, 4, CID);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, lic);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.AlreadyReviewed.selector, lic));
        vm.prank(stranger);
        market.review(lic, 1, CID);
    }

    function test_RevertWhen_LicenceAwaitsKey() external {
        uint256 enc = _listEncrypted();
        uint256 l = _buy(buyer, enc, 0);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.LicenceAwaitingKey.selector, l));
        vm.prank(buyer);
        market.review(l, 5, "");
    }

    function test_WhenHolderReviews_ItRecordsTheRating() external {
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.Reviewed(lic, id, buyer, 4, CID);
        vm.prank(buyer);
        market.review(lic, 4, CID);
        uint256 l2 = _buy(stranger, id, 0);
        vm.prank(stranger);
        market.review(l2, 2, "");
        IAssayMarket.ModelSummary memory s = market.model(id);
        assertEq(s.ratingSum, 6);
        assertEq(s.ratingCount, 2);
        assertTrue(market.licence(lic).reviewed);
    }
}
