// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";

/// @notice `hasLicence` is O(1) whatever the account received: spam of other models' licences costs it nothing.
contract HasLicence_Unit_Test is Base_Test {
    uint256 internal id;
    uint256 internal spam;

    function setUp() public override {
        super.setUp();
        id = _listOpenWithCoAuthor(); // 30-day tier
        vm.prank(stranger);
        spam = market.listModel(CID2, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(0, 1, 0, true)));
    }

    function _check(address account, uint256 modelId) internal returns (bool has, uint256 gasUsed) {
        uint256 before = gasleft();
        has = market.hasLicence(account, modelId);
        gasUsed = before - gasleft();
    }

    function test_WhenAnAccountIsSpammedWithFreeLicences_TheCheckCostsTheSame() external {
        _buy(buyer, id, 0);
        (bool has, uint256 quiet) = _check(buyer, id);
        assertTrue(has);
        for (uint256 i; i < 300; ++i) {
            vm.prank(stranger);
            uint256 l = market.buyLicense(spam, 0, 0, 0);
            vm.prank(stranger);
            market.transferFrom(stranger, buyer, l);
        }
        (bool stillHas, uint256 spammed) = _check(buyer, id);
        assertTrue(stillHas);
        assertEq(spammed, quiet, "same cost after 300 spam licences");
        (bool none, uint256 miss) = _check(buyer, id + 5);
        assertFalse(none);
        // A miss reads word 0's cached holding (another model's) and then the holding's own slot (cold).
        assertLe(miss, 2_200 + quiet, "a miss costs one cold read more at most");
    }

    function test_WhenTheLatestOfTwoLeaves_TheOtherStillCountsUntilItExpires() external {
        uint256 a = _buy(buyer, id, 0); // expires in 30 days
        vm.warp(block.timestamp + 10 days);
        uint256 b = _buy(buyer, id, 0); // expires in 40 days from the start
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, b);
        assertTrue(market.hasLicence(buyer, id));
        assertTrue(market.hasLicence(stranger, id));
        vm.warp(block.timestamp + 20 days); // a expired
        assertFalse(market.hasLicence(buyer, id));
        assertTrue(market.hasLicence(stranger, id));
        vm.prank(stranger);
        market.renew{value: PRICE}(a); // anyone may renew; the holder's holding follows
        assertTrue(market.hasLicence(buyer, id));
    }

    function test_WhenEveryLicenceLeaves_NothingIsHeld() external {
        uint256 a = _buy(buyer, id, 0);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, a);
        assertFalse(market.hasLicence(buyer, id));
        vm.prank(stranger);
        market.transferFrom(stranger, stranger, a); // to itself: still held once
        assertTrue(market.hasLicence(stranger, id));
    }

    function test_WhenTheKeyIsStillAwaited_ItIsNotALicenceYet() external {
        uint256 enc = _listEncrypted();
        _buy(buyer, enc, 0);
        assertFalse(market.hasLicence(buyer, enc));
    }
}
