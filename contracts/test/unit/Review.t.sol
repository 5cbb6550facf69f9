// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract Review_Unit_Test is Licence_Test(Listing.Open) {
    function test_RevertWhen_LicenceDoesNotExist() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 5));
        market.review(5, 5, "");
    }

    function test_RevertWhen_CallerNotHolder() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, stranger));
        market.review(lic, 5, "");
    }

    function test_RevertWhen_RatingIsZero() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.InvalidRating.selector, 0));
        market.review(lic, 0, "");
    }

    function test_RevertWhen_RatingAboveFive() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.InvalidRating.selector, 6));
        market.review(lic, 6, "");
    }

    function test_RevertWhen_CommentCidTooLong() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.CidTooLong.selector, 64));
        market.review(lic, 4, string(new bytes(64)));
    }

    function test_RevertWhen_AlreadyReviewed() external {
        vm.prank(buyer);
        market.review(lic, 4, CID);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.AlreadyReviewed.selector, lic));
        market.review(lic, 5, CID);
    }

    function test_RevertWhen_ReviewedLicenceIsTransferred_NewHolderCannotReviewAgain() external {
        vm.prank(buyer);
        market.review(lic, 4, CID);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, lic);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.AlreadyReviewed.selector, lic));
        market.review(lic, 1, CID);
    }

    function test_RevertWhen_LicenceAwaitsKey() external {
        uint256 enc = _listEncrypted();
        uint256 l = _buy(buyer, enc, 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceAwaitingKey.selector, l));
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
