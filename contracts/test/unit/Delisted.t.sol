// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {FairExchange_Test} from "../helpers/FairExchange.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayModels} from "../../src/interfaces/IAssayModels.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket} from "../helpers/Deployed.sol";

/// @notice The market's part of moderation: only the moderation contract delists; a delisted model sells no new
/// licence, renewal, version or tier; licences already sold keep working.
contract Delist_Unit_Test is Base_Test {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _listOpen();
    }

    function test_RevertWhen_CallerIsNotTheModerationContract() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModeration.selector, creator));
        market.delist(id);
        _expectRevertAs(address(arbitrator), abi.encodeWithSelector(IAssayMarket.NotModeration.selector, arbitrator));
        market.delist(id);
        assertFalse(market.model(id).delisted);
    }

    function test_WhenTheMarketHasNoModeration_NobodyCanDelist() external {
        IDeployedMarket bare = FromArtifacts.market(FEE_BPS, treasury, WINDOW, CHALLENGE, address(0));
        assertEq(bare.moderation(), address(0));
        vm.prank(address(0));
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.NotModeration.selector, address(0)));
        bare.delist(1);
    }

    function test_WhenTheModerationContractDelists_TheBitIsSetAndEventsSay() external {
        assertEq(market.moderation(), address(moderation));
        vm.expectEmit(address(market));
        emit IAssayMarket.ModelDelisted(id);
        vm.expectEmit(address(models));
        emit IAssayModels.MetadataUpdate(id);
        vm.prank(address(moderation));
        market.delist(id);
        IAssayMarket.ModelSummary memory s = market.model(id);
        assertTrue(s.delisted);
        // Everything else in the model's word is untouched.
        assertEq(s.creator, creator);
        assertEq(s.versionCount, 1);
        assertEq(s.tiers.length, 1);
        assertEq(s.royaltyBps, 500);
        assertFalse(s.encrypted);
    }
}

/// @notice A delisted model with a licence sold before: new business is refused, the licence keeps working.
contract Delisted_Unit_Test is FairExchange_Test {
    uint256 internal open;
    uint256 internal lic;
    uint256 internal renewable;
    uint256 internal renewableLic;

    function setUp() public override {
        super.setUp();
        open = _listOpen();
        lic = _buy(buyer, open, 0);
        renewable = _listOpenWithCoAuthor();
        renewableLic = _buy(buyer, renewable, 0);
        _delist(open);
        _delist(renewable);
    }

    function _delist(uint256 modelId) internal {
        uint256 caseId = _flag(flagger, modelId);
        vm.warp(block.timestamp + RESPONSE_WINDOW + 1);
        moderation.finalize(caseId);
    }

    function test_RevertWhen_BuyingALicence() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, open));
        market.buyLicense{value: PRICE}(open, 0, bytes32(0), 0);
    }

    function test_RevertWhen_Renewing() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, renewable));
        market.renew{value: PRICE}(renewableLic);
    }

    function test_RevertWhen_PublishingAVersion() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, open));
        market.publishVersion(open, CID2);
    }

    function test_RevertWhen_AddingATier() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ModelIsDelisted.selector, open));
        market.addTier(open, _tier(PRICE, 0, 0, true));
    }

    function test_WhenDelisted_ALicenceSoldBeforeStillWorks() external {
        assertTrue(market.hasLicence(buyer, open));
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.Active));
        vm.prank(buyer);
        market.review(lic, 2, "");
        assertEq(market.model(open).ratingCount, 1);
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, lic);
        assertTrue(market.hasLicence(stranger, open));
        assertEq(market.tokenURI(lic), string.concat("ipfs://", TERMS));
        // The creator still claims what the model earned before.
        vm.prank(creator);
        uint256[] memory ids = new uint256[](1);
        ids[0] = open;
        assertGt(market.claim(ids), 0);
    }

    function test_WhenDelisted_AnEscrowedPurchaseIsDeliveredChallengedOrReleased() external {
        uint256 enc = _listWithContentKey();
        (uint256 b1, bytes32 key1) = _licenceKey(1);
        (, bytes32 key2) = _licenceKey(2);
        (, bytes32 key3) = _licenceKey(3);
        uint256 wrong = _buyWithKey(buyer, enc, key1);
        uint256 right = _buyWithKey(stranger, enc, key2);
        uint256 undelivered = _buyWithKey(stranger, enc, key3);
        _delist(enc);

        // The owner still delivers keys of purchases made before.
        _deliver(wrong, _seal(bytes32(uint256(0xbad)), b1, 1));
        (uint256 b2,) = _licenceKey(2);
        _deliver(right, _seal(CONTENT_KEY, b2, 2));
        // A wrong key is still refunded on challenge.
        vm.prank(buyer);
        market.challenge(wrong, bytes32(b1));
        assertEq(market.withdrawable(buyer), PRICE);
        // The right one is released after the challenge period.
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(right);
        assertTrue(market.hasLicence(stranger, enc));
        // An undelivered one is reclaimed.
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(stranger);
        market.reclaim(undelivered);
        assertEq(market.withdrawable(stranger), PRICE);
    }
}
