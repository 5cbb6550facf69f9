// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

// A 64-byte sealed key (`E.x ‖ masked key`).
bytes constant KEY =
    hex"8d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f77c2758f3d4d995082839c030eaed1dd3083697023e487e00cded1b22d1c3354a";

contract DeliverKey_Unit_Test is Licence_Test(Listing.Encrypted) {
    function test_RevertWhen_LicenceDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 9));
        market.deliverKey(9, KEY);
    }

    function test_RevertWhen_CallerNotModelOwner() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.deliverKey(lic, KEY);
    }

    function test_RevertWhen_CallerIsTheBuyer() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, buyer));
        market.deliverKey(lic, KEY);
    }

    function test_RevertWhen_KeyIsEmpty() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.SealedKeyLength.selector, 0));
        market.deliverKey(lic, "");
    }

    function test_RevertWhen_KeyIsNot64Bytes() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.SealedKeyLength.selector, 92));
        market.deliverKey(lic, new bytes(92));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.SealedKeyLength.selector, 63));
        market.deliverKey(lic, new bytes(63));
    }

    function test_RevertWhen_AlreadyDelivered() external {
        vm.prank(creator);
        market.deliverKey(lic, KEY);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotAwaitingKey.selector, lic));
        market.deliverKey(lic, KEY);
    }

    function test_RevertWhen_LicenceIsForAnOpenModel() external {
        uint256 open = _listOpen();
        uint256 l = _buy(buyer, open, 0);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotAwaitingKey.selector, l));
        market.deliverKey(l, KEY);
    }

    function test_RevertWhen_DeadlinePassed() external {
        uint256 deadline = block.timestamp + WINDOW;
        vm.warp(deadline + 1);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.DeliveryWindowClosed.selector, lic, deadline));
        market.deliverKey(lic, KEY);
    }

    function test_WhenOwnerDeliversInTime_ItKeepsTheEscrowForTheChallengePeriod() external {
        vm.warp(block.timestamp + WINDOW); // last valid second
        uint64 challengeDeadline = uint64(block.timestamp + CHALLENGE);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.KeyDelivered(lic, id, KEY, 0, challengeDeadline);
        vm.prank(creator);
        market.deliverKey(lic, KEY);
        assertEq(market.totalEscrowed(), PRICE);
        assertEq(market.withdrawable(treasury), 0);
        assertEq(market.earningsOf(id), 0);
        assertEq(market.deliveredKey(lic), KEY);
        assertFalse(market.hasLicence(buyer, id));
        IAssayMarket.LicenceView memory v = market.licence(lic);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.InChallengePeriod));
        assertEq(v.deliveryDeadline, challengeDeadline);
        assertEq(v.escrowAmount, PRICE);
    }

    function test_WhenChallengePeriodPassed_ReleaseSplitsAndActivates() external {
        vm.prank(creator);
        market.deliverKey(lic, KEY);
        vm.warp(block.timestamp + CHALLENGE + 1);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.EscrowReleased(lic, id, PRICE);
        vm.prank(stranger);
        market.release(lic);
        assertEq(market.totalEscrowed(), 0);
        assertEq(market.withdrawable(treasury), _fee(PRICE));
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE));
        assertTrue(market.hasLicence(buyer, id));
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.Active));
    }

    function test_WhenTierHasDuration_TermStartsAtDelivery() external {
        vm.prank(creator);
        uint256 enc =
            market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 1 days, 0, true)));
        uint256 l = _buy(buyer, enc, 0);
        vm.warp(block.timestamp + 2 days);
        vm.prank(creator);
        market.deliverKey(l, KEY);
        assertEq(market.licence(l).expiresAt, block.timestamp + 1 days);
        uint256 expiry = block.timestamp + 1 days;
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(l);
        assertEq(market.licence(l).expiresAt, expiry, "the term runs from the delivery");
    }

    function test_WhenModelWasSold_TheNewOwnerDeliversAndIsPaid() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        vm.prank(stranger);
        market.deliverKey(lic, KEY);
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(lic);
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE));
        assertEq(market.withdrawable(creator), 0);
    }

    function test_WhenAwaitingKey_LicenceCannotBeTransferred() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceAwaitingKey.selector, lic));
        market.transferFrom(buyer, stranger, lic);
    }
}

contract Reclaim_Unit_Test is Licence_Test(Listing.Encrypted) {
    function test_RevertWhen_LicenceDoesNotExist() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 3));
        market.reclaim(3);
    }

    function test_RevertWhen_CallerNotHolder() external {
        vm.warp(block.timestamp + WINDOW + 1);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, stranger));
        market.reclaim(lic);
    }

    function test_RevertWhen_DeadlineNotPassed() external {
        uint256 deadline = block.timestamp + WINDOW;
        vm.warp(deadline);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.DeliveryWindowOpen.selector, lic, deadline));
        market.reclaim(lic);
    }

    function test_RevertWhen_KeyWasDelivered() external {
        vm.prank(creator);
        market.deliverKey(lic, KEY);
        vm.warp(block.timestamp + WINDOW + 1);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NotAwaitingKey.selector, lic));
        market.reclaim(lic);
    }

    function test_WhenDeadlinePassed_ItRefundsInFullAndBurns() external {
        vm.warp(block.timestamp + WINDOW + 1);
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.LicenceReclaimed(lic, id, buyer, PRICE);
        vm.prank(buyer);
        market.reclaim(lic);

        assertEq(market.withdrawable(buyer), PRICE);
        assertEq(market.totalEscrowed(), 0);
        assertEq(market.balanceOf(buyer), 0);
        assertEq(market.tiersOf(id)[0].sold, 0);
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.None));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, lic));
        market.ownerOf(lic);

        uint256 before = buyer.balance;
        vm.prank(buyer);
        market.withdraw();
        assertEq(buyer.balance, before + PRICE);
    }

    function test_RevertWhen_KeyWasDeliveredAndChallengePeriodPassed() external {
        vm.prank(creator);
        market.deliverKey(lic, KEY);
        vm.warp(block.timestamp + WINDOW + CHALLENGE + 1);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NotAwaitingKey.selector, lic));
        market.reclaim(lic);
    }

    function test_WhenReclaimed_OwnerCannotDeliverAnymore() external {
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(buyer);
        market.reclaim(lic);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, lic));
        market.deliverKey(lic, KEY);
    }
}
