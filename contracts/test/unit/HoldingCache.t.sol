// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

/// @notice One (account, model) holding lives in the account's word 0 (written by every purchase anyway), the
/// others in their own slots; a model's holding is in one place only, and moves out of word 0 past 255 licences.
contract HoldingCache_Unit_Test is Base_Test {
    uint256 internal id;
    uint256 internal other;

    function setUp() public override {
        super.setUp();
        id = _listOpenWithCoAuthor(); // 30-day tier at PRICE
        vm.prank(stranger);
        other = market.listModel(CID2, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(0, 10 days, 0, true)));
    }

    function _free(address to) internal returns (uint256 l) {
        vm.prank(to);
        l = market.buyLicense(other, 0, 0, 0);
    }

    function test_WhenAnAccountHoldsTwoModels_EachCountsAndLeavesOnItsOwn() external {
        uint256 a = _buy(buyer, id, 0); // word 0
        uint256 b = _free(buyer); // its own slot
        assertTrue(market.hasLicence(buyer, id));
        assertTrue(market.hasLicence(buyer, other));
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, a);
        assertFalse(market.hasLicence(buyer, id));
        assertTrue(market.hasLicence(buyer, other), "the other model's holding is untouched");
        // Word 0 is free again, but `other` stays where it is: one place per model.
        _free(buyer);
        assertTrue(market.hasLicence(buyer, other));
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, b);
        assertTrue(market.hasLicence(buyer, other), "one of two licences left");
        _buy(buyer, id, 0); // back into word 0
        assertTrue(market.hasLicence(buyer, id));
        vm.warp(block.timestamp + 10 days);
        assertFalse(market.hasLicence(buyer, other), "expired");
        assertTrue(market.hasLicence(buyer, id));
        assertEq(market.balanceOf(buyer), 2);
    }

    function test_WhenAHoldingOutgrowsWordZero_ItMovesAndKeepsItsLatestExpiry() external {
        uint256[] memory ls = new uint256[](257);
        for (uint256 i; i < ls.length; ++i) {
            ls[i] = _free(buyer);
        }
        assertEq(market.balanceOf(buyer), 257);
        assertTrue(market.hasLicence(buyer, other));
        vm.warp(block.timestamp + 5 days);
        vm.prank(stranger);
        market.renew(ls[256]); // the latest now expires 5 days after the others
        vm.warp(block.timestamp + 6 days);
        assertTrue(market.hasLicence(buyer, other), "the renewed one still runs");
        for (uint256 i = 256; i > 0; --i) {
            vm.prank(buyer);
            market.transferFrom(buyer, stranger, ls[i]);
        }
        assertFalse(market.hasLicence(buyer, other), "only expired licences left");
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, ls[0]);
        assertEq(market.balanceOf(buyer), 0);
        // The freed places serve again.
        _buy(buyer, id, 0);
        assertTrue(market.hasLicence(buyer, id));
        assertTrue(market.hasLicence(stranger, other));
    }

    function test_TheReceivedListSurvivesTheNewLayout() external {
        uint256[] memory ls = new uint256[](7);
        for (uint256 i; i < ls.length; ++i) {
            ls[i] = _free(buyer);
        }
        (IAssayMarket.LicenceView[] memory page, uint256 next, uint256 end) = market.licencesOf(buyer, 0, 100);
        assertEq(end, 7);
        assertEq(next, 7);
        for (uint256 i; i < ls.length; ++i) {
            assertEq(page[i].id, ls[i], "in the order received");
        }
    }

    /// @dev An account's first licence writes word 0 once (balance, count, its id and its holding), reading no
    /// holding slot: an account that never received a licence holds none anywhere.
    function test_AnAccountsFirstLicence_IsCountedListedAndHeldInOneWrite() external {
        address fresh = makeAddr("fresh");
        vm.deal(fresh, 10 ether);
        uint256 l = _buy(fresh, id, 0);
        assertEq(market.balanceOf(fresh), 1);
        assertTrue(market.hasLicence(fresh, id));
        (IAssayMarket.LicenceView[] memory page,, uint256 end) = market.licencesOf(fresh, 0, 10);
        assertEq(end, 1);
        assertEq(page.length, 1);
        assertEq(page[0].id, l);
        // Its holding is the cached one: another model's goes to its own slot, and the first leaves cleanly.
        _free(fresh);
        vm.prank(fresh);
        market.transferFrom(fresh, stranger, l);
        assertFalse(market.hasLicence(fresh, id));
        assertTrue(market.hasLicence(fresh, other));
        assertTrue(market.hasLicence(stranger, id));
        vm.warp(block.timestamp + 30 days);
        assertFalse(market.hasLicence(stranger, id), "its 30-day expiry came along");
    }

    function test_WhenAnAccountsFirstLicenceAwaitsItsKey_ItHoldsNothingYet() external {
        uint256 enc = _listEncrypted();
        address fresh = makeAddr("fresh");
        vm.deal(fresh, 10 ether);
        uint256 l = _buy(fresh, enc, 0);
        assertEq(market.balanceOf(fresh), 1);
        assertFalse(market.hasLicence(fresh, enc));
        (IAssayMarket.LicenceView[] memory page,,) = market.licencesOf(fresh, 0, 10);
        assertEq(page[0].id, l);
        // The free cache serves the next model.
        _free(fresh);
        assertTrue(market.hasLicence(fresh, other));
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(fresh);
        market.reclaim(l);
        assertEq(market.balanceOf(fresh), 1);
        assertTrue(market.hasLicence(fresh, other));
    }

    function test_AnAccountThatGaveEverythingAway_IsNotNewAgain() external {
        uint256 a = _buy(buyer, id, 0); // word 0
        uint256 b = _free(buyer); // its own slot
        vm.startPrank(buyer);
        market.transferFrom(buyer, stranger, a);
        market.transferFrom(buyer, stranger, b);
        vm.stopPrank();
        assertEq(market.balanceOf(buyer), 0);
        _free(buyer);
        _buy(buyer, id, 0);
        assertTrue(market.hasLicence(buyer, other));
        assertTrue(market.hasLicence(buyer, id));
        (,, uint256 end) = market.licencesOf(buyer, 0, 10);
        assertEq(end, 4, "the received list goes on");
        assertEq(market.balanceOf(buyer), 2);
    }
}
