// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket, IDeployedModels} from "../helpers/Deployed.sol";

/// @notice For any price, fee and shares: everything paid is credited (sum of credits == price), each
/// recipient gets exactly floor(share of the post-fee amount) (so never more than their share), and the
/// rounding dust goes to the owner.
contract Split_Fuzz_Test is Base_Test {
    IAssayMarket.ParentShare[] internal sParents;
    IAssayMarket.CoAuthor[] internal sCo;
    uint256 internal sBudget;

    function testFuzz_WhenSaleIsOpen_CreditsSumToPriceAndDustGoesToOwner(
        uint96 price,
        uint16 feeBps,
        uint16[4] memory parentBps,
        uint16[8] memory coBps,
        uint8 nParents,
        uint8 nCo
    ) external {
        feeBps = uint16(bound(feeBps, 0, 250));
        market = FromArtifacts.market(feeBps, treasury, WINDOW, CHALLENGE, address(0));
        models = IDeployedModels(market.models());
        _buildShares(parentBps, coBps, bound(nParents, 0, 4), bound(nCo, 0, 8));

        vm.prank(creator);
        uint256 id = market.listModel(CID2, 0, 0, sCo, sParents, _tiers1(_tier(price, 0, 0, true)));
        vm.deal(buyer, price);
        vm.prank(buyer);
        market.buyLicense{value: price}(id, 0, 0, 0);
        _checkSplit(price, feeBps);
    }

    /// @dev Random shares within the 10_000 bps budget; each parent is owned by a distinct account.
    function _buildShares(uint16[4] memory parentBps, uint16[8] memory coBps, uint256 nParents, uint256 nCo) internal {
        sBudget = 10_000;
        for (uint256 i; i < nParents && sBudget > 0; ++i) {
            IAssayMarket.TierInput memory free = _tier(0, 0, 0, true);
            free.derivativesAllowed = true;
            vm.prank(address(uint160(0x1000 + i)));
            uint256 pid = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(free));
            // The creator's licence of the parent, under which the derivative is made (free: no credit to check).
            vm.prank(creator);
            uint256 licenceId = market.buyLicense(pid, 0, 0, 0);
            uint16 b = uint16(bound(parentBps[i], 1, sBudget));
            sBudget -= b;
            sParents.push(IAssayMarket.ParentShare(pid, b, licenceId));
        }
        for (uint256 i; i < nCo && sBudget > 0; ++i) {
            uint16 b = uint16(bound(coBps[i], 1, sBudget));
            sBudget -= b;
            sCo.push(IAssayMarket.CoAuthor(address(uint160(0x2000 + i)), b));
        }
    }

    function _checkSplit(uint256 price, uint256 feeBps) internal view {
        uint256 fee = price * feeBps / 10_000;
        uint256 rest = price - fee;
        uint256 total = market.withdrawable(treasury);
        assertEq(total, fee, "fee");
        uint256 expectedOwner = rest;
        for (uint256 i; i < sParents.length; ++i) {
            uint256 got = market.earningsOf(sParents[i].modelId);
            uint256 share = rest * sParents[i].bps / 10_000;
            assertEq(got, share, "parent share");
            assertLe(got * 10_000, rest * sParents[i].bps, "parent over-paid");
            expectedOwner -= share;
            total += got;
        }
        for (uint256 i; i < sCo.length; ++i) {
            uint256 got = market.withdrawable(sCo[i].account);
            uint256 share = rest * sCo[i].bps / 10_000;
            assertEq(got, share, "co-author share");
            assertLe(got * 10_000, rest * sCo[i].bps, "co-author over-paid");
            expectedOwner -= share;
            total += got;
        }
        uint256 ownerGot = market.earningsOf(market.modelCount());
        assertEq(ownerGot, expectedOwner, "owner gets the rest incl. dust");
        // The owner's nominal share is `sBudget` bps of the rest: they get at least that, and at most one extra
        // wei of rounding dust per other recipient.
        assertGe(ownerGot * 10_000, rest * sBudget, "owner under-paid");
        assertLe(ownerGot - rest * sBudget / 10_000, sParents.length + sCo.length, "dust bounded");
        total += ownerGot;
        assertEq(total, price, "paid == sum of credits");
        assertEq(address(market).balance, price, "contract holds exactly the credits");
    }

    function testFuzz_WhenKeyDelivered_EscrowSplitsLikeAnOpenSale(uint96 price, uint16 coBps) external {
        coBps = uint16(bound(coBps, 1, 10_000));
        vm.prank(creator);
        uint256 id = market.listModel(
            CID, COMMITMENT, 0, _coAuthors1(coAuthor, coBps), _noParents(), _tiers1(_tier(price, 0, 0, false))
        );
        vm.deal(buyer, price);
        vm.prank(buyer);
        uint256 lic = market.buyLicense{value: price}(id, 0, BUYER_KEY, 0);
        assertEq(market.totalEscrowed(), price);
        vm.prank(creator);
        market.deliverKey(lic, new bytes(64));
        assertEq(market.withdrawable(treasury), 0, "held during the challenge period");
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(lic);
        uint256 fee = uint256(price) * FEE_BPS / 10_000;
        uint256 co = (price - fee) * coBps / 10_000;
        assertEq(market.withdrawable(treasury), fee);
        assertEq(market.withdrawable(coAuthor), co);
        assertEq(market.earningsOf(id), price - fee - co);
        assertEq(market.totalEscrowed(), 0);
    }

    function testFuzz_WhenReclaimed_RefundIsExactlyThePrice(uint96 price, uint32 lateBy) external {
        vm.prank(creator);
        uint256 id =
            market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(price, 0, 0, false)));
        vm.deal(buyer, price);
        vm.prank(buyer);
        uint256 lic = market.buyLicense{value: price}(id, 0, BUYER_KEY, 0);
        vm.warp(block.timestamp + WINDOW + 1 + lateBy);
        vm.prank(buyer);
        market.reclaim(lic);
        assertEq(market.withdrawable(buyer), price);
        assertEq(market.earningsOf(id), 0);
        assertEq(market.withdrawable(treasury), 0);
    }
}
