// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract Withdraw_Unit_Test is Licence_Test(Listing.OpenWithCoAuthor) {
    function test_RevertWhen_NothingToWithdraw() external {
        _expectRevertAs(stranger, IAssayMarket.NothingToWithdraw.selector);
        market.withdraw();
    }

    function test_RevertWhen_RecipientRejectsEther() external {
        Rejector r = new Rejector();
        vm.prank(creator);
        uint256 m = market.listModel(
            CID, 0, 0, _coAuthors1(address(r), 1_000), _noParents(), _tiers1(_tier(PRICE, 0, 0, true))
        );
        _buy(buyer, m, 0);
        uint256 owed = market.withdrawable(address(r));
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.WithdrawFailed.selector, address(r), owed));
        r.pull(market);
        assertEq(market.withdrawable(address(r)), owed); // still owed
    }

    function test_WhenCallerHasBalance_ItPaysAndZeroes() external {
        uint256 owed = market.withdrawable(coAuthor);
        assertGt(owed, 0);
        vm.expectEmit(true, false, false, true, address(market));
        emit IAssayMarket.Withdrawn(coAuthor, owed);
        vm.prank(coAuthor);
        assertEq(market.withdraw(), owed);
        assertEq(coAuthor.balance, owed);
        assertEq(market.withdrawable(coAuthor), 0);
    }

    function test_WhenCallerIsTreasury_ItIncludesProtocolFees() external {
        uint256 owed = market.withdrawable(treasury);
        assertEq(owed, _fee(PRICE));
        vm.prank(treasury);
        market.withdraw();
        assertEq(treasury.balance, owed);
        assertEq(market.withdrawable(treasury), 0);
        _expectRevertAs(treasury, IAssayMarket.NothingToWithdraw.selector);
        market.withdraw();
    }

    function test_WhenEveryoneWithdraws_MarketIsEmpty() external {
        vm.prank(treasury);
        market.withdraw();
        vm.prank(coAuthor);
        market.withdraw();
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.prank(creator);
        market.claim(ids);
        assertEq(address(market).balance, 0);
    }
}

contract Rejector {
    function pull(IAssayMarket m) external {
        m.withdraw();
    }

    receive() external payable {
        revert("no");
    }
}
