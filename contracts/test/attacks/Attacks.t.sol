// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test, Licence_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {ReentrantRecipient, RevertingRecipient, GasGuzzler} from "../mocks/Attackers.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

contract Reentrancy_Attack_Test is Base_Test {
    ReentrantRecipient internal attacker;
    uint256 internal modelId;

    function setUp() public override {
        super.setUp();
        attacker = new ReentrantRecipient(market);
        vm.deal(address(attacker), 10 ether);
        // The attacker is a 50% co-author, so it has a balance to withdraw after each sale.
        vm.prank(creator);
        modelId = market.listModel(
            CID, 0, 0, _coAuthors1(address(attacker), 5_000), _noParents(), _tiers1(_tier(PRICE, 30 days, 0, true))
        );
        _buy(buyer, modelId, 0);
    }

    function _assertReentryBlocked() internal view {
        assertEq(attacker.receiveCalls(), 1, "receive ran once");
        assertFalse(attacker.reentrySucceeded(), "re-entry must fail");
        assertEq(
            keccak256(attacker.reentryError()),
            keccak256(abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector))
        );
    }

    function test_WhenWithdrawIsReentered_ItIsBlockedAndPaysOnce() external {
        attacker.configure(ReentrantRecipient.Target.Withdraw, 0);
        uint256 owed = market.withdrawable(address(attacker));
        uint256 before = address(attacker).balance;
        attacker.pull();
        _assertReentryBlocked();
        assertEq(address(attacker).balance, before + owed);
        assertEq(market.withdrawable(address(attacker)), 0);
        // The market still holds exactly the other recipients' credits.
        assertEq(address(market).balance, market.earningsOf(modelId) + market.withdrawable(treasury));
    }

    function test_WhenBuyLicenseIsReenteredFromWithdraw_ItIsBlocked() external {
        attacker.configure(ReentrantRecipient.Target.BuyLicense, modelId);
        uint256 countBefore = market.licenceCount();
        attacker.pull();
        _assertReentryBlocked();
        assertEq(market.licenceCount(), countBefore);
    }

    function test_WhenRenewIsReenteredFromWithdraw_ItIsBlocked() external {
        attacker.configure(ReentrantRecipient.Target.Renew, 1);
        uint64 expiry = market.licence(1).expiresAt;
        attacker.pull();
        _assertReentryBlocked();
        assertEq(market.licence(1).expiresAt, expiry);
    }

    function test_WhenReclaimIsReenteredFromWithdraw_ItIsBlocked() external {
        // Attacker buys an encrypted licence that is never delivered, then re-enters reclaim from withdraw.
        uint256 enc = _listEncrypted();
        uint256 lic = attacker.buy(enc, PRICE);
        vm.warp(block.timestamp + WINDOW + 1);
        attacker.configure(ReentrantRecipient.Target.Reclaim, lic);
        attacker.pull();
        _assertReentryBlocked();
        assertEq(market.ownerOf(lic), address(attacker)); // not reclaimed by the re-entry
        assertEq(market.totalEscrowed(), PRICE);
        // A normal reclaim still works and refunds exactly once.
        attacker.doReclaim(lic);
        assertEq(market.withdrawable(address(attacker)), PRICE);
        assertEq(market.totalEscrowed(), 0);
    }

    function test_WhenDeliverKeyIsReenteredFromWithdraw_ItIsBlocked() external {
        // The attacker owns an encrypted model and has earnings; a sale awaits delivery.
        uint256 enc = attacker.list(_tiers1(_tier(PRICE, 0, 0, false)), COMMITMENT);
        uint256 lic = _buy(buyer, enc, 0);
        attacker.configure(ReentrantRecipient.Target.DeliverKey, lic);
        attacker.pull();
        _assertReentryBlocked();
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.AwaitingKey));
        assertEq(market.totalEscrowed(), PRICE);
        attacker.deliver(lic); // a normal delivery works
        assertEq(market.totalEscrowed(), PRICE, "held for the challenge period");
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(lic);
        assertEq(market.totalEscrowed(), 0);
    }

    function test_WhenBuyerIsReentrantContract_BuyLicenseNeverCallsIt() external {
        attacker.configure(ReentrantRecipient.Target.BuyLicense, modelId);
        uint256 lic = attacker.buy(modelId, PRICE);
        assertEq(market.ownerOf(lic), address(attacker));
        assertEq(attacker.receiveCalls(), 0, "no callback: mint is not a safe mint, credits are not pushed");
    }

    function test_WhenRecipientIsReentrantContract_BuyLicenseDoesNotCallIt() external {
        uint256 credited = market.withdrawable(address(attacker));
        _buy(stranger, modelId, 0);
        assertEq(attacker.receiveCalls(), 0);
        assertGt(market.withdrawable(address(attacker)), credited);
    }
}

contract HostileRecipient_Attack_Test is Base_Test {
    function test_WhenCoAuthorRevertsOnReceive_SalesStillSucceedAndOthersCanWithdraw() external {
        RevertingRecipient r = new RevertingRecipient();
        GasGuzzler g = new GasGuzzler();
        IAssayMarket.CoAuthor[] memory co = new IAssayMarket.CoAuthor[](2);
        co[0] = IAssayMarket.CoAuthor(address(r), 2_000);
        co[1] = IAssayMarket.CoAuthor(address(g), 2_000);
        vm.prank(creator);
        uint256 id = market.listModel(CID, 0, 0, co, _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));

        _buy(buyer, id, 0);
        _buy(stranger, id, 0);
        assertEq(market.licenceCount(), 2);

        uint256 owed = market.earningsOf(id);
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        vm.prank(creator);
        market.claim(ids);
        assertEq(creator.balance, owed);
        vm.expectRevert();
        r.pull(market);
        assertGt(market.withdrawable(address(r)), 0); // still owed, nothing lost
    }

    function test_WhenParentOwnerRevertsOnReceive_DerivativeSalesStillSucceed() external {
        RevertingRecipient r = new RevertingRecipient();
        IAssayMarket.TierInput memory derivable = _tier(PRICE, 0, 0, true);
        derivable.derivativesAllowed = true;
        vm.prank(address(r));
        uint256 parent = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(derivable));
        uint256 licence = _licenceToDerive(creator, parent);
        uint256 before = market.earningsOf(parent);
        vm.prank(creator);
        uint256 child = market.listModel(
            CID2, 0, 0, _noCoAuthors(), _parents1Under(parent, 3_000, licence), _tiers1(_tier(PRICE, 0, 0, true))
        );
        _buy(buyer, child, 0);
        assertEq(market.earningsOf(parent) - before, (PRICE - _fee(PRICE)) * 3_000 / 10_000);
    }

    function test_WhenModelOwnerIsRevertingContract_EscrowedSaleCanStillBeReclaimed() external {
        RevertingRecipient r = new RevertingRecipient();
        vm.prank(address(r));
        uint256 id =
            market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, false)));
        uint256 lic = _buy(buyer, id, 0);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(buyer);
        market.reclaim(lic);
        uint256 before = buyer.balance;
        vm.prank(buyer);
        market.withdraw();
        assertEq(buyer.balance, before + PRICE);
    }
}

contract AccessControl_Attack_Test is Licence_Test(Listing.Encrypted) {
    /// @dev Every owner-only action, from a non-owner (including the buyer and a co-author-like stranger).
    function test_RevertWhen_NonOwnerTriesOwnerActions() external {
        address[2] memory intruders = [stranger, buyer];
        for (uint256 i; i < 2; ++i) {
            address who = intruders[i];
            vm.startPrank(who);
            vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, who));
            market.publishVersion(id, CID2);
            vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, who));
            market.addTier(id, _tier(0, 0, 0, true));
            vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, who));
            market.setTierPrice(id, 0, 0);
            vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, who));
            market.setTierPaused(id, 0, true);
            vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, who));
            market.deliverKey(lic, new bytes(64));
            vm.stopPrank();
        }
        // Nothing changed.
        assertEq(market.versionsOf(id).length, 1);
        assertEq(market.tiersOf(id).length, 1);
        assertEq(market.tiersOf(id)[0].price, PRICE);
        assertFalse(market.tiersOf(id)[0].paused);
        assertEq(market.totalEscrowed(), PRICE);
    }

    function test_RevertWhen_OwnerTriesToReclaimBuyersEscrow() external {
        vm.warp(block.timestamp + WINDOW + 1);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, creator));
        market.reclaim(lic);
    }
}
