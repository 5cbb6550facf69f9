// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FairExchange_Test} from "../helpers/FairExchange.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

/// @notice A tier's two words (`types/TierWord.sol`): its terms carry what a sale needs of its model (encrypted,
/// co-author and parent counts, delisted), so a sale reads no model word; its sales word counts its licences and
/// keeps the owner's part of its sales, so a sale writes one word for both. The treasury's fees share a word with
/// the licence counter.
contract TierWords_Unit_Test is FairExchange_Test {
    /// @dev `creator`'s model with `coAuthor` at 10% and a 20% parent (owned by `creator`), two tiers: 0 perpetual
    /// at PRICE, 1 for 30 days at 2·PRICE with 3 licences at most.
    function _listShared() internal returns (uint256 parent, uint256 id) {
        parent = _listOpen();
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](2);
        tiers[0] = _tier(PRICE, 0, 0, true);
        tiers[1] = _tier(2 * PRICE, 30 days, 3, false);
        vm.prank(creator);
        id = market.listModel(CID, 0, 0, _coAuthors1(coAuthor, 1_000), _parents1(parent, 2_000), tiers);
    }

    function _buyTier(address who, uint256 id, uint256 tierId, uint256 price) internal returns (uint256) {
        vm.prank(who);
        return market.buyLicense{value: price}(id, tierId, bytes32(0), 0);
    }

    /// @dev The owner's part of a payment of `price` with the 10% co-author and 20% parent of `_listShared`.
    function _ownerPart(uint256 price) internal pure returns (uint256) {
        uint256 rest = price - _fee(price);
        return rest - rest * 1_000 / 10_000 - _parentShare(price);
    }

    function _parentShare(uint256 price) internal pure returns (uint256) {
        return (price - _fee(price)) * 2_000 / 10_000;
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function test_EachTierCountsItsSalesAndKeepsItsOwnersPart() external {
        (uint256 parent, uint256 id) = _listShared();
        _buyTier(buyer, id, 0, PRICE);
        uint256 lic = _buyTier(stranger, id, 1, 2 * PRICE);
        _buyTier(buyer, id, 0, PRICE);
        IAssayMarket.Tier[] memory t = market.tiersOf(id);
        assertEq(t[0].sold, 2);
        assertEq(t[1].sold, 1);
        assertEq(market.model(id).sales, 3);
        uint256 owed = 2 * _ownerPart(PRICE) + _ownerPart(2 * PRICE);
        assertEq(market.earningsOf(id), owed);
        // A renewal adds to its tier's earnings, not to its count.
        vm.prank(stranger);
        market.renew{value: 2 * PRICE}(lic);
        owed += _ownerPart(2 * PRICE);
        assertEq(market.earningsOf(id), owed);
        assertEq(market.tiersOf(id)[1].sold, 1);
        // The parent's shares are its earnings as a parent, beside its own tier's.
        uint256 parentShares = 2 * _parentShare(PRICE) + 2 * _parentShare(2 * PRICE);
        assertEq(market.earningsOf(parent), parentShares);
        _buy(stranger, parent, 0);
        assertEq(market.earningsOf(parent), parentShares + PRICE - _fee(PRICE));

        // A claim takes every tier's earnings and keeps their counts.
        vm.prank(creator);
        assertEq(market.claim(_ids(id)), owed);
        assertEq(market.earningsOf(id), 0);
        t = market.tiersOf(id);
        assertEq(t[0].sold, 2);
        assertEq(t[1].sold, 1);
        // And counting goes on from there; supply is checked against the kept count.
        _buyTier(buyer, id, 1, 2 * PRICE);
        _buyTier(buyer, id, 1, 2 * PRICE);
        assertEq(market.tiersOf(id)[1].sold, 3);
        assertEq(market.earningsOf(id), 2 * _ownerPart(2 * PRICE));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.SoldOut.selector, id, 1));
        market.buyLicense{value: 2 * PRICE}(id, 1, bytes32(0), 0);
    }

    function test_AReclaimOrARefundGivesTheCountBackAndKeepsTheEarnings() external {
        uint256 id = _listWithContentKey();
        (uint256 b1, bytes32 key1) = _licenceKey(1);
        (uint256 b2, bytes32 key2) = _licenceKey(2);
        (, bytes32 key3) = _licenceKey(3);
        uint256 kept = _buyWithKey(buyer, id, key1);
        uint256 refunded = _buyWithKey(stranger, id, key2);
        uint256 reclaimed = _buyWithKey(stranger, id, key3);
        assertEq(market.tiersOf(id)[0].sold, 3);
        assertEq(market.earningsOf(id), 0, "escrowed, not earned");

        _deliver(kept, _seal(CONTENT_KEY, b1, 1));
        _deliver(refunded, _seal(bytes32(uint256(0xbad)), b2, 2));
        vm.prank(stranger);
        market.challenge(refunded, bytes32(b2));
        assertEq(market.tiersOf(id)[0].sold, 2);
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(kept);
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE));
        vm.warp(block.timestamp + WINDOW);
        vm.prank(stranger);
        market.reclaim(reclaimed);
        assertEq(market.tiersOf(id)[0].sold, 1);
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE), "a reclaim leaves the earnings");
    }

    function test_WhenATierIsAdded_ItCarriesTheModelsPartOfASale() external {
        (uint256 parent, uint256 id) = _listShared();
        vm.prank(creator);
        uint256 tierId = market.addTier(id, _tier(PRICE, 0, 0, true));
        _buyTier(buyer, id, tierId, PRICE);
        uint256 rest = PRICE - _fee(PRICE);
        assertEq(market.withdrawable(coAuthor), rest / 10, "the co-author's share");
        assertEq(market.earningsOf(parent), rest / 5, "the parent's share");
        assertEq(market.earningsOf(id), _ownerPart(PRICE));

        // An encrypted model's added tier escrows.
        uint256 enc = _listWithContentKey();
        vm.prank(creator);
        uint256 encTier = market.addTier(enc, _tier(PRICE, 0, 0, true));
        (, bytes32 key) = _licenceKey(1);
        vm.prank(buyer);
        uint256 lic = market.buyLicense{value: PRICE}(enc, encTier, key, SALT);
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.AwaitingKey));
        assertEq(market.totalEscrowed(), PRICE);
    }

    function test_PriceAndPauseChanges_KeepTheRestOfTheWord() external {
        (, uint256 id) = _listShared();
        vm.startPrank(creator);
        market.setTierPrice(id, 1, 3 * PRICE);
        market.setTierPaused(id, 1, true);
        market.setTierPaused(id, 1, false);
        vm.stopPrank();
        IAssayMarket.Tier memory t = market.tiersOf(id)[1];
        assertEq(t.price, 3 * PRICE);
        assertEq(t.duration, 30 days);
        assertEq(t.maxSupply, 3);
        assertTrue(t.commercialUse);
        assertFalse(t.derivativesAllowed);
        assertFalse(t.transferable);
        assertFalse(t.paused);
        _buyTier(buyer, id, 1, 3 * PRICE);
        assertEq(market.withdrawable(coAuthor), (3 * PRICE - _fee(3 * PRICE)) / 10, "the counts are kept");
    }

    function test_TheTiersWordKeepsItsFieldsAtTheirBounds() external {
        IAssayMarket.TierInput memory input = IAssayMarket.TierInput({
            price: type(uint96).max,
            duration: type(uint32).max,
            maxSupply: type(uint32).max,
            commercialUse: true,
            derivativesAllowed: true,
            transferable: true,
            termsCid: TERMS
        });
        vm.prank(creator);
        uint256 id = market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(input));
        vm.prank(creator);
        market.setTierPaused(id, 0, true);
        IAssayMarket.Tier memory t = market.tiersOf(id)[0];
        assertEq(t.price, type(uint96).max);
        assertEq(t.duration, type(uint32).max);
        assertEq(t.maxSupply, type(uint32).max);
        assertEq(t.sold, 0);
        assertTrue(t.commercialUse && t.derivativesAllowed && t.transferable && t.paused);
    }

    function test_WhenDelisted_EveryTierRefusesSalesAndRenewalsWhateverItsOwnerDoes() external {
        (, uint256 id) = _listShared();
        uint256 lic = _buyTier(stranger, id, 1, 2 * PRICE);
        vm.prank(address(moderation));
        market.delist(id);
        bytes memory delisted = abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, id);
        _expectRevertAs(buyer, delisted);
        market.buyLicense{value: PRICE}(id, 0, bytes32(0), 0);
        _expectRevertAs(buyer, delisted);
        market.buyLicense{value: 2 * PRICE}(id, 1, bytes32(0), 0);
        _expectRevertAs(buyer, delisted);
        market.buyLicense(id, 2, bytes32(0), 0); // no such tier: the model's state comes first, as before
        _expectRevertAs(stranger, delisted);
        market.renew{value: 2 * PRICE}(lic);
        // Pausing, unpausing and repricing touch their own bits only.
        vm.startPrank(creator);
        market.setTierPaused(id, 0, true);
        market.setTierPaused(id, 0, false);
        market.setTierPrice(id, 0, 0);
        vm.stopPrank();
        _expectRevertAs(buyer, delisted);
        market.buyLicense(id, 0, bytes32(0), 0);
        assertFalse(market.tiersOf(id)[0].paused, "the delisting is not shown as a pause");
    }

    function test_AMissingModelOrTier_RevertsAsBefore() external {
        (, uint256 id) = _listShared();
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 9));
        market.buyLicense(9, 0, bytes32(0), 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.TierNotFound.selector, id, 2));
        market.buyLicense(id, 2, bytes32(0), 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.TierNotFound.selector, id, 256));
        market.buyLicense(id, 256, bytes32(0), 0);
    }

    function test_TheTreasurysWithdrawal_LeavesTheLicenceCount() external {
        uint256 id = _listOpen();
        _buy(buyer, id, 0);
        _buy(stranger, id, 0);
        assertEq(market.withdrawable(treasury), 2 * _fee(PRICE));
        vm.prank(treasury);
        assertEq(market.withdraw(), 2 * _fee(PRICE));
        assertEq(market.licenceCount(), 2);
        assertEq(market.withdrawable(treasury), 0);
        assertEq(_buy(buyer, id, 0), 3);
        assertEq(market.withdrawable(treasury), _fee(PRICE));
        // An escrowed purchase counts a licence and accrues no fee until its release.
        uint256 enc = _listEncrypted();
        assertEq(_buy(buyer, enc, 0), 4);
        assertEq(market.licenceCount(), 4);
        assertEq(market.withdrawable(treasury), _fee(PRICE));
    }
}
