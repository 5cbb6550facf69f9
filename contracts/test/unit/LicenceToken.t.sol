// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayERC721} from "../../src/interfaces/IAssayERC721.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {ERC721Holder} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Holder.sol";

/// @dev Model `id` is open with a transferable tier.
contract LicenceToken_Unit_Test is Licence_Test(Listing.Open) {
    function test_InterfaceIds_MatchTheAppInterface() external view {
        bytes4 full = type(IERC721).interfaceId ^ type(IERC721Metadata).interfaceId ^ type(IERC165).interfaceId;
        assertEq(type(IAssayERC721).interfaceId, full);
        assertTrue(market.supportsInterface(type(IERC721).interfaceId));
        assertTrue(market.supportsInterface(type(IERC721Metadata).interfaceId));
        assertTrue(market.supportsInterface(type(IERC165).interfaceId));
        assertFalse(market.supportsInterface(0xdeadbeef));
    }

    function test_ErrorSelectors_MatchOpenZeppelin() external pure {
        assertEq(IAssayERC721.ERC721InvalidOwner.selector, IERC721Errors.ERC721InvalidOwner.selector);
        assertEq(IAssayERC721.ERC721NonexistentToken.selector, IERC721Errors.ERC721NonexistentToken.selector);
        assertEq(IAssayERC721.ERC721IncorrectOwner.selector, IERC721Errors.ERC721IncorrectOwner.selector);
        assertEq(IAssayERC721.ERC721InvalidSender.selector, IERC721Errors.ERC721InvalidSender.selector);
        assertEq(IAssayERC721.ERC721InvalidReceiver.selector, IERC721Errors.ERC721InvalidReceiver.selector);
        assertEq(IAssayERC721.ERC721InsufficientApproval.selector, IERC721Errors.ERC721InsufficientApproval.selector);
        assertEq(IAssayERC721.ERC721InvalidApprover.selector, IERC721Errors.ERC721InvalidApprover.selector);
        assertEq(IAssayERC721.ERC721InvalidOperator.selector, IERC721Errors.ERC721InvalidOperator.selector);
    }

    function test_BalanceOf_RevertWhen_ZeroAddress() external {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InvalidOwner.selector, address(0)));
        market.balanceOf(address(0));
    }

    function test_TokenURI_RevertWhen_Nonexistent() external {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 9));
        market.tokenURI(9);
    }

    function test_TransferFrom_RevertWhen_TierNotTransferable() external {
        vm.prank(creator);
        uint256 m = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, false)));
        uint256 l = _buy(buyer, m, 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NonTransferable.selector, l));
        market.transferFrom(buyer, stranger, l);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NonTransferable.selector, l));
        market.safeTransferFrom(buyer, stranger, l);
    }

    function test_TransferFrom_RevertWhen_ToZero() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, address(0)));
        market.transferFrom(buyer, address(0), lic);
    }

    function test_TransferFrom_RevertWhen_Nonexistent() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 50));
        market.transferFrom(buyer, stranger, 50);
    }

    function test_TransferFrom_RevertWhen_FromIsNotOwner() external {
        _expectRevertAs(
            stranger, abi.encodeWithSelector(IERC721Errors.ERC721IncorrectOwner.selector, stranger, lic, buyer)
        );
        market.transferFrom(stranger, creator, lic);
    }

    function test_TransferFrom_RevertWhen_CallerNotApproved() external {
        _expectRevertAs(
            stranger, abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, stranger, lic)
        );
        market.transferFrom(buyer, stranger, lic);
    }

    function test_TransferFrom_WhenApproved_ItMovesAndClearsApproval() external {
        vm.expectEmit(true, true, true, false, address(market));
        emit IERC721.Approval(buyer, stranger, lic);
        vm.prank(buyer);
        market.approve(stranger, lic);
        assertEq(market.getApproved(lic), stranger);
        vm.expectEmit(true, true, true, false, address(market));
        emit IERC721.Transfer(buyer, creator, lic);
        vm.prank(stranger);
        market.transferFrom(buyer, creator, lic);
        assertEq(market.ownerOf(lic), creator);
        assertEq(market.getApproved(lic), address(0));
        assertEq(market.balanceOf(buyer), 0);
        assertEq(market.balanceOf(creator), 1);
    }

    function test_TransferFrom_WhenOperator_ItMoves() external {
        vm.expectEmit(true, true, false, true, address(market));
        emit IERC721.ApprovalForAll(buyer, stranger, true);
        vm.prank(buyer);
        market.setApprovalForAll(stranger, true);
        assertTrue(market.isApprovedForAll(buyer, stranger));
        vm.prank(stranger);
        market.transferFrom(buyer, stranger, lic);
        assertEq(market.ownerOf(lic), stranger);
    }

    function test_Approve_RevertWhen_CallerNotOwnerOrOperator() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IERC721Errors.ERC721InvalidApprover.selector, stranger));
        market.approve(stranger, lic);
    }

    function test_Approve_WhenOperator_ItApproves() external {
        vm.prank(buyer);
        market.setApprovalForAll(stranger, true);
        vm.prank(stranger);
        market.approve(creator, lic);
        assertEq(market.getApproved(lic), creator);
    }

    function test_GetApproved_RevertWhen_Nonexistent() external {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 50));
        market.getApproved(50);
    }

    function test_SetApprovalForAll_RevertWhen_OperatorIsZero() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IERC721Errors.ERC721InvalidOperator.selector, address(0)));
        market.setApprovalForAll(address(0), true);
    }

    function test_SafeTransferFrom_RevertWhen_ReceiverIsNotERC721Receiver() external {
        address target = address(new NotAReceiver());
        _expectRevertAs(buyer, abi.encodeWithSelector(IERC721Errors.ERC721InvalidReceiver.selector, target));
        market.safeTransferFrom(buyer, target, lic);
    }

    function test_SafeTransferFrom_WhenReceiverAccepts_ItMoves() external {
        Holder h = new Holder();
        vm.prank(buyer);
        market.safeTransferFrom(buyer, address(h), lic, "hi");
        assertEq(market.ownerOf(lic), address(h));
        assertTrue(market.hasLicence(address(h), id));
    }
}

contract NotAReceiver {}

contract Holder is ERC721Holder {}
