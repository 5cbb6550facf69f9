// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract Renew_Unit_Test is Licence_Test(Listing.OpenWithCoAuthor) {
    function test_RevertWhen_LicenceDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 42));
        market.renew{value: PRICE}(42);
    }

    function test_RevertWhen_TierIsPerpetual() external {
        uint256 open = _listOpen();
        uint256 l = _buy(buyer, open, 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.NotRenewable.selector, l));
        market.renew{value: PRICE}(l);
    }

    function test_RevertWhen_PaymentIsWrong() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongPayment.selector, PRICE, 1));
        market.renew{value: 1}(lic);
    }

    function test_RevertWhen_TierIsPaused() external {
        vm.prank(creator);
        market.setTierPaused(id, 0, true);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.TierIsPaused.selector, id, 0));
        market.renew{value: PRICE}(lic);
    }

    function test_RevertWhen_LicenceAwaitsKey() external {
        vm.prank(creator);
        uint256 enc =
            market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 1 days, 0, false)));
        uint256 l = _buy(buyer, enc, 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceAwaitingKey.selector, l));
        market.renew{value: PRICE}(l);
    }

    function test_RevertWhen_NewExpiryDoesNotFit40Bits() external {
        // Lapsed licence renewed from "now" close to 2**40: the new expiry would spill into the flags byte
        // (turning this non-transferable licence transferable) and wrap the stored expiry into the past.
        vm.prank(creator);
        uint256 m = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 30 days, 0, false)));
        uint256 l = _buy(buyer, m, 0);
        vm.warp(uint256(type(uint40).max) - 1 days);
        uint256 wouldBe = block.timestamp + 30 days;
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ExpiryOutOfRange.selector, wouldBe));
        market.renew{value: PRICE}(l);
        assertFalse(market.licence(l).transferable);
    }

    function test_WhenRenewedToTheLastExpiry_ItKeepsFlagsAndTheEventAgrees() external {
        vm.prank(creator);
        uint256 m = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(0, 30 days, 0, false)));
        vm.prank(buyer);
        uint256 l = market.buyLicense(m, 0, 0, 0);
        uint256 last = uint256(type(uint40).max) - 1; // the latest expiry a licence can have
        vm.warp(last - 30 days);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.LicenceRenewed(l, buyer, 0, uint64(last));
        vm.prank(buyer);
        market.renew(l);
        IAssayMarket.LicenceView memory v = market.licence(l);
        assertEq(v.expiresAt, last);
        assertFalse(v.transferable);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.Active));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ExpiryOutOfRange.selector, last + 30 days));
        market.renew(l);
    }

    function test_WhenNotExpired_ItExtendsFromCurrentExpiry() external {
        uint64 before = market.licence(lic).expiresAt;
        vm.warp(block.timestamp + 10 days);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.LicenceRenewed(lic, buyer, PRICE, before + 30 days);
        vm.prank(buyer);
        assertEq(market.renew{value: PRICE}(lic), before + 30 days);
        assertEq(market.licence(lic).expiresAt, before + 30 days);
        // Paid and split a second time.
        assertEq(market.withdrawable(treasury), 2 * _fee(PRICE));
    }

    function test_WhenExpired_ItExtendsFromNow() external {
        vm.warp(block.timestamp + 40 days);
        assertFalse(market.hasLicence(buyer, id));
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.Expired));
        vm.prank(stranger); // anyone may pay for a renewal
        uint64 e = market.renew{value: PRICE}(lic);
        assertEq(e, block.timestamp + 30 days);
        assertTrue(market.hasLicence(buyer, id));
    }

    function test_WhenRepriced_RenewalUsesTheCurrentPrice() external {
        vm.prank(creator);
        market.setTierPrice(id, 0, 3 ether);
        vm.prank(buyer);
        market.renew{value: 3 ether}(lic);
        assertEq(market.licence(lic).expiresAt, block.timestamp + 60 days);
    }
}
