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

    function test_RevertWhen_LicenceWasFree() external {
        // A price-0 tier mints unlimited licences: each one would be a free rating.
        vm.prank(creator);
        uint256 m = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(0, 0, 0, true)));
        vm.prank(stranger);
        uint256 l = market.buyLicense(m, 0, 0, 0);
        assertFalse(market.licence(l).paid);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.ReviewNeedsPaidLicence.selector, l));
        market.review(l, 1, "");
    }

    function test_RevertWhen_LicenceWasFreeAndRepricedSince() external {
        vm.prank(creator);
        uint256 m = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(0, 0, 0, true)));
        vm.prank(stranger);
        uint256 l = market.buyLicense(m, 0, 0, 0);
        vm.prank(creator);
        market.setTierPrice(m, 0, PRICE);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.ReviewNeedsPaidLicence.selector, l));
        market.review(l, 5, "");
    }

    function test_RevertWhen_ReviewerOwnsTheModel() external {
        // The owner buying its own paid tier pays only the fee: no self-review.
        vm.deal(creator, PRICE);
        uint256 l = _buy(creator, id, 0);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.InsiderReview.selector, id, creator));
        market.review(l, 5, "");
    }

    function test_RevertWhen_ReviewerCreatedTheModelAndSoldIt() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        vm.deal(creator, PRICE);
        uint256 l = _buy(creator, id, 0);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.InsiderReview.selector, id, creator));
        market.review(l, 5, "");
        // nor the new owner
        uint256 l2 = _buy(stranger, id, 0);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.InsiderReview.selector, id, stranger));
        market.review(l2, 5, "");
    }

    function test_RevertWhen_ReviewerIsACoAuthor() external {
        uint256 m = _listOpenWithCoAuthor();
        uint256 l = _buy(buyer, m, 0);
        vm.prank(buyer);
        market.transferFrom(buyer, coAuthor, l);
        _expectRevertAs(coAuthor, abi.encodeWithSelector(IAssayMarket.InsiderReview.selector, m, coAuthor));
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
        assertTrue(market.licence(lic).paid);
    }
}
