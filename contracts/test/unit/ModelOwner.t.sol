// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

/// @notice A model token's owner slot stays empty until the token first moves: until then its owner is its creator,
/// kept in the market's model word. ERC-721 answers (`ownerOf`, `balanceOf`, `Transfer`, approvals) are those of a
/// token minted the usual way, and the market's own owner checks (`_modelOwner`) agree with `ownerOf`.
contract ModelOwner_Unit_Test is Base_Test {
    function test_AtListing_TheCreatorOwnsTheTokenWithoutARecord() external {
        vm.expectEmit(address(models));
        emit IERC721.Transfer(address(0), creator, 1);
        uint256 id = _listOpen();
        uint256 second = _listOpen();
        assertEq(models.ownerOf(id), creator);
        assertEq(models.ownerOf(second), creator);
        assertEq(models.recordedOwnerOf(id), address(0));
        assertEq(models.balanceOf(creator), 2);
        assertEq(market.model(id).owner, creator);
    }

    function test_TheFirstTransferRecordsTheOwner() external {
        uint256 id = _listOpen();
        vm.expectEmit(address(models));
        emit IERC721.Transfer(creator, stranger, id);
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        assertEq(models.recordedOwnerOf(id), stranger);
        assertEq(models.ownerOf(id), stranger);
        assertEq(models.balanceOf(creator), 0);
        assertEq(models.balanceOf(stranger), 1);
        assertEq(market.model(id).owner, stranger);
        assertEq(market.model(id).creator, creator, "the creator stays the creator");
        // Back to the creator: recorded too.
        vm.prank(stranger);
        models.transferFrom(stranger, creator, id);
        assertEq(models.recordedOwnerOf(id), creator);
        assertEq(models.balanceOf(creator), 1);
        assertEq(models.balanceOf(stranger), 0);
    }

    function test_AnUnmovedToken_IsApprovedAndMovedLikeAnyOther() external {
        uint256 id = _listOpen();
        _expectRevertAs(
            stranger, abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, stranger, id)
        );
        models.transferFrom(creator, stranger, id);
        _expectRevertAs(stranger, abi.encodeWithSelector(IERC721Errors.ERC721InvalidApprover.selector, stranger));
        models.approve(stranger, id);
        _expectRevertAs(
            creator, abi.encodeWithSelector(IERC721Errors.ERC721IncorrectOwner.selector, stranger, id, creator)
        );
        models.transferFrom(stranger, buyer, id);

        vm.prank(creator);
        models.approve(stranger, id);
        assertEq(models.getApproved(id), stranger);
        vm.prank(stranger);
        models.safeTransferFrom(creator, buyer, id);
        assertEq(models.ownerOf(id), buyer);
        assertEq(models.getApproved(id), address(0), "the approval is cleared by the move");

        uint256 other = _listOpen();
        vm.prank(creator);
        models.setApprovalForAll(stranger, true);
        vm.prank(stranger);
        models.transferFrom(creator, stranger, other);
        assertEq(models.ownerOf(other), stranger);
    }

    function test_AModelThatDoesNotExist_HasNoOwner() external {
        _listOpen();
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 2));
        models.ownerOf(2);
        assertEq(models.recordedOwnerOf(2), address(0));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 2));
        models.getApproved(2);
        _expectRevertAs(creator, abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 2));
        models.approve(stranger, 2);
        uint256[] memory ids = new uint256[](1);
        ids[0] = 2;
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, 2, creator));
        market.claim(ids);
    }

    function test_TheMarketsOwnerChecks_FollowTheToken() external {
        uint256 id = _listOpen();
        vm.prank(creator);
        market.publishVersion(id, CID2);
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, creator));
        market.publishVersion(id, CID);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, creator));
        market.setTierPaused(id, 0, true);
        vm.prank(stranger);
        market.publishVersion(id, CID);
        assertEq(market.model(id).versionCount, 3);
    }
}
