// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Model_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract AddTier_Unit_Test is Model_Test(Listing.Open) {
    function test_RevertWhen_ModelDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 5));
        market.addTier(5, _tier(1, 0, 0, true));
    }

    function test_RevertWhen_CallerNotOwner() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.addTier(id, _tier(1, 0, 0, true));
    }

    function test_RevertWhen_SixteenTiersAlreadyExist() external {
        vm.startPrank(creator);
        for (uint256 i = 1; i < 16; ++i) {
            market.addTier(id, _tier(1, 0, 0, true));
        }
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.TooManyTiers.selector, 17));
        market.addTier(id, _tier(1, 0, 0, true));
        vm.stopPrank();
    }

    function test_RevertWhen_TermsCidTooLong() external {
        IAssayMarket.TierInput memory t = _tier(1, 0, 0, true);
        t.termsCid = string(new bytes(64));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.CidTooLong.selector, 64));
        market.addTier(id, t);
    }

    function test_WhenCallerIsOwner_ItAddsTheTier() external {
        IAssayMarket.TierInput memory t = _tier(2 ether, 1 days, 3, false);
        t.termsCid = "";
        t.derivativesAllowed = true;
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.TierAdded(id, 1, t);
        vm.prank(creator);
        assertEq(market.addTier(id, t), 1);
        IAssayMarket.Tier[] memory tiers = market.tiersOf(id);
        assertEq(tiers.length, 2);
        assertEq(tiers[1].price, 2 ether);
        assertEq(tiers[1].duration, 1 days);
        assertEq(tiers[1].maxSupply, 3);
        assertTrue(tiers[1].derivativesAllowed);
        assertFalse(tiers[1].transferable);
        assertEq(tiers[1].termsCid, "");
    }
}

contract SetTierPrice_Unit_Test is Model_Test(Listing.OpenWithCoAuthor) {
    function test_RevertWhen_CallerNotOwner() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.setTierPrice(id, 0, 5);
    }

    function test_RevertWhen_TierDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.TierNotFound.selector, id, 1));
        market.setTierPrice(id, 1, 5);
    }

    function test_RevertWhen_ModelDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 9));
        market.setTierPrice(9, 0, 5);
    }

    function test_WhenCallerIsOwner_ItRepricesFutureSalesOnly() external {
        uint256 lic = _buy(buyer, id, 0);
        uint64 expiryBefore = market.licence(lic).expiresAt;

        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.TierPriceChanged(id, 0, PRICE, 2 ether);
        vm.prank(creator);
        market.setTierPrice(id, 0, 2 ether);

        // The licence already sold is untouched.
        IAssayMarket.LicenceView memory v = market.licence(lic);
        assertEq(v.expiresAt, expiryBefore);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.Active));
        assertEq(market.ownerOf(lic), buyer);
        // New sales use the new price.
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongPayment.selector, 2 ether, PRICE));
        market.buyLicense{value: PRICE}(id, 0, 0, 0);
        vm.prank(buyer);
        market.buyLicense{value: 2 ether}(id, 0, 0, 0);
        assertEq(market.tiersOf(id)[0].price, 2 ether);
    }
}

contract SetTierPaused_Unit_Test is Model_Test(Listing.Open) {
    function test_RevertWhen_CallerNotOwner() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.setTierPaused(id, 0, true);
    }

    function test_RevertWhen_TierDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.TierNotFound.selector, id, 3));
        market.setTierPaused(id, 3, true);
    }

    function test_WhenPaused_SalesRevertAndWhenUnpaused_SalesResume() external {
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.TierPausedSet(id, 0, true);
        vm.prank(creator);
        market.setTierPaused(id, 0, true);
        assertTrue(market.tiersOf(id)[0].paused);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.TierIsPaused.selector, id, 0));
        market.buyLicense{value: PRICE}(id, 0, 0, 0);

        vm.prank(creator);
        market.setTierPaused(id, 0, false);
        assertFalse(market.tiersOf(id)[0].paused);
        assertTrue(market.tiersOf(id)[0].transferable); // other flags kept
        _buy(buyer, id, 0);
        assertEq(market.tiersOf(id)[0].sold, 1);
    }
}
