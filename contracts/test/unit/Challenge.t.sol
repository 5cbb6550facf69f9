// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {FairExchange_Test} from "../helpers/FairExchange.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket} from "../helpers/Deployed.sol";

// Vectors made by crypto/tests/vectors.rs' independent route (cast + Python): the Rust app's sealed key
// for `LICENCE_SECRET` opens on chain to 42×32, whose SHA-256 is `VECTOR_COMMITMENT`.
bytes32 constant LICENCE_SECRET = 0x48e0b044799ec52d2baa15aba72387cad3d410e31c723a7abf3ab819cbbee29d;
bytes32 constant VECTOR_BUYER_KEY = 0x83f044438c0059bca35eb0e293083aa2278fe39d9595d6f4e03096b9d37423fa;
bytes constant VECTOR_SEALED =
    hex"8d7500dd4c12685d1f568b4c2b5048e8534b873319f3a8daa612b469132ec7f77c2758f3d4d995082839c030eaed1dd3083697023e487e00cded1b22d1c3354a";
bytes32 constant VECTOR_COMMITMENT = 0x425ed4e4a36b30ea21b90e21c712c649e8214c29b7eaf68089d1039c6e55384c;

contract ChallengePeriod_Constructor_Test is FairExchange_Test {
    function test_RevertWhen_ChallengePeriodBelowAnHour() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ChallengePeriodOutOfRange.selector, 1 hours - 1));
        FromArtifacts.market(FEE_BPS, treasury, WINDOW, 1 hours - 1, address(0));
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ChallengePeriodOutOfRange.selector, 0));
        FromArtifacts.market(FEE_BPS, treasury, WINDOW, 0, address(0));
    }

    function test_RevertWhen_ChallengePeriodAboveThirtyDays() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ChallengePeriodOutOfRange.selector, 30 days + 1));
        FromArtifacts.market(FEE_BPS, treasury, WINDOW, 30 days + 1, address(0));
        vm.expectRevert(
            abi.encodeWithSelector(IAssayMarket.ChallengePeriodOutOfRange.selector, uint256(type(uint64).max))
        );
        FromArtifacts.market(FEE_BPS, treasury, WINDOW, type(uint64).max, address(0));
    }

    function test_WhenInBounds_ItIsStoredAndEmitted() external {
        vm.expectEmit(false, false, false, true);
        emit IAssayMarket.ChallengePeriodSet(1 hours);
        assertEq(FromArtifacts.market(FEE_BPS, treasury, WINDOW, 1 hours, address(0)).challengePeriod(), 1 hours);
        assertEq(FromArtifacts.market(FEE_BPS, treasury, WINDOW, 30 days, address(0)).challengePeriod(), 30 days);
        assertEq(market.challengePeriod(), CHALLENGE);
    }
}

contract BuyEncrypted_Unit_Test is FairExchange_Test {
    function test_WhenModelIsEncrypted_ItEmitsTheEscrowDeadlineAndTheSalt() external {
        uint256 id = _listWithContentKey();
        (, bytes32 bx) = _licenceKey(1);
        vm.expectEmit(true, false, false, true, address(market));
        emit IAssayMarket.EscrowHeld(1, PRICE, uint64(block.timestamp + WINDOW), SALT);
        uint256 l = _buyWithKey(buyer, id, bx);
        assertEq(market.buyerKeyOf(l), bx);
    }
}

contract Challenge_Unit_Test is FairExchange_Test {
    uint256 internal id;
    uint256 internal lic;
    uint256 internal b;
    bytes32 internal bx;

    function setUp() public override {
        super.setUp();
        id = _listWithContentKey();
        (b, bx) = _licenceKey(1);
        lic = _buyWithKey(buyer, id, bx);
    }

    function _deliverWrongKey() internal {
        _deliver(lic, _seal(keccak256("some other key"), b, 1));
    }

    function test_RevertWhen_LicenceDoesNotExist() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 9));
        market.challenge(9, bytes32(b));
    }

    function test_RevertWhen_CallerNotHolder() external {
        _deliverWrongKey();
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, stranger));
        market.challenge(lic, bytes32(b));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, lic, creator));
        market.challenge(lic, bytes32(b));
    }

    function test_RevertWhen_KeyNotDelivered() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.KeyNotDelivered.selector, lic));
        market.challenge(lic, bytes32(b));
    }

    function test_RevertWhen_ChallengePeriodOver() external {
        _deliverWrongKey();
        uint256 deadline = block.timestamp + CHALLENGE;
        vm.warp(deadline + 1);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ChallengePeriodOver.selector, lic, deadline));
        market.challenge(lic, bytes32(b));
    }

    function test_RevertWhen_SecretIsNotTheLicences() external {
        _deliverWrongKey();
        (uint256 other,) = _licenceKey(2);
        bytes32[5] memory wrong = [bytes32(0), bytes32(N), bytes32(N - b), bytes32(other), bytes32(type(uint256).max)];
        for (uint256 i; i < wrong.length; ++i) {
            _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongSecret.selector, lic));
            market.challenge(lic, wrong[i]);
        }
    }

    function test_RevertWhen_DeliveryWasHonest() external {
        _deliver(lic, _seal(CONTENT_KEY, b, 1));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.KeyMatchesCommitment.selector, lic));
        market.challenge(lic, bytes32(b));
        // Nothing changed: the escrow is released after the period as usual.
        vm.warp(block.timestamp + CHALLENGE + 1);
        market.release(lic);
        assertTrue(market.hasLicence(buyer, id));
        assertEq(market.failedDeliveries(creator), 0);
    }

    function testFuzz_RevertWhen_DeliveryWasHonest(uint256 seed, uint256 eSeed) external {
        (uint256 b2, bytes32 bx2) = _licenceKey(seed);
        uint256 l = _buyWithKey(buyer, id, bx2);
        _deliver(l, _seal(CONTENT_KEY, b2, eSeed));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.KeyMatchesCommitment.selector, l));
        market.challenge(l, bytes32(b2));
    }

    function test_WhenKeyIsWrong_ItRefundsBurnsAndRecordsTheFailure() external {
        _deliverWrongKey();
        vm.warp(block.timestamp + CHALLENGE); // last second
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.Credited(buyer, lic, PRICE, IAssayMarket.Role.Refund);
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.DeliveryChallenged(lic, id, creator, buyer, PRICE, 1);
        vm.prank(buyer);
        market.challenge(lic, bytes32(b));

        assertEq(market.withdrawable(buyer), PRICE);
        assertEq(market.totalEscrowed(), 0);
        assertEq(market.failedDeliveries(creator), 1);
        assertEq(market.tiersOf(id)[0].sold, 0);
        assertEq(market.balanceOf(buyer), 0);
        assertEq(market.deliveredKey(lic).length, 0);
        assertEq(uint8(market.licence(lic).status), uint8(IAssayMarket.LicenceStatus.None));
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, lic));
        market.ownerOf(lic);
        assertEq(market.earningsOf(id), 0);
        assertEq(market.withdrawable(treasury), 0);

        // The refund is the buyer's, nothing else can be done with the licence.
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, lic));
        market.release(lic);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, lic));
        market.challenge(lic, bytes32(b));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, lic));
        market.reclaim(lic);
    }

    function test_WhenSealedToAnotherLicenceKey_ItRefunds() external {
        (uint256 other,) = _licenceKey(2);
        _deliver(lic, _seal(CONTENT_KEY, other, 1)); // the right key, sealed so that this buyer cannot open it
        vm.prank(buyer);
        market.challenge(lic, bytes32(b));
        assertEq(market.withdrawable(buyer), PRICE);
    }

    function test_WhenEphemeralPointDoesNotOpen_ItRefunds() external {
        // x = 0, x = n, x = 5 (not on the curve), x = 2^256 − 1: ecrecover refuses each; so does the app.
        bytes32[4] memory xs = [bytes32(0), bytes32(N), bytes32(uint256(5)), bytes32(type(uint256).max)];
        for (uint256 i; i < xs.length; ++i) {
            (uint256 bi, bytes32 bxi) = _licenceKey(10 + i);
            uint256 l = _buyWithKey(buyer, id, bxi);
            _deliver(l, abi.encodePacked(xs[i], CONTENT_KEY));
            vm.prank(buyer);
            market.challenge(l, bytes32(bi));
        }
        assertEq(market.failedDeliveries(creator), 4);
        assertEq(market.withdrawable(buyer), 4 * PRICE);
    }

    function test_WhenTheModelWasSold_TheFailureCountsForItsCreator() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        bytes memory sealedKey = _seal(bytes32(0), b, 1);
        vm.prank(stranger);
        market.deliverKey(lic, sealedKey);
        vm.prank(buyer);
        market.challenge(lic, bytes32(b));
        assertEq(market.failedDeliveries(creator), 1);
        assertEq(market.failedDeliveries(stranger), 0);
    }

    /// @dev The Rust app's sealed key (crypto/tests/vectors.rs) re-opens on chain to the committed key.
    function test_WhenSealedByTheApp_ItOpensToTheSameKeyOnChain() external {
        vm.prank(creator);
        uint256 vid = market.listModel(
            CID, VECTOR_COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, false))
        );
        uint256 l = _buyWithKey(buyer, vid, VECTOR_BUYER_KEY);
        _deliver(l, VECTOR_SEALED);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.KeyMatchesCommitment.selector, l));
        market.challenge(l, LICENCE_SECRET);
        // And the vector's masked byte flipped is a provably wrong key.
        uint256 l2 = _buyWithKey(buyer, vid, VECTOR_BUYER_KEY);
        bytes memory altered = VECTOR_SEALED;
        altered[63] ^= 0x01;
        _deliver(l2, altered);
        vm.prank(buyer);
        market.challenge(l2, LICENCE_SECRET);
        assertEq(market.withdrawable(buyer), PRICE);
    }
}

contract Release_Unit_Test is FairExchange_Test {
    uint256 internal id;
    uint256 internal lic;
    uint256 internal b;

    function setUp() public override {
        super.setUp();
        id = _listWithContentKey();
        bytes32 bx;
        (b, bx) = _licenceKey(1);
        lic = _buyWithKey(buyer, id, bx);
    }

    function test_RevertWhen_LicenceDoesNotExist() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.LicenceNotFound.selector, 9));
        market.release(9);
    }

    function test_RevertWhen_KeyNotDelivered() external {
        vm.warp(block.timestamp + WINDOW + CHALLENGE + 1);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.KeyNotDelivered.selector, lic));
        market.release(lic);
    }

    function test_RevertWhen_ChallengePeriodOpen() external {
        _deliver(lic, _seal(CONTENT_KEY, b, 1));
        uint256 deadline = block.timestamp + CHALLENGE;
        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ChallengePeriodOpen.selector, lic, deadline));
        market.release(lic);
    }

    function test_WhenPeriodOver_AnyoneReleases_ItSplitsAndActivates() external {
        _deliver(lic, _seal(CONTENT_KEY, b, 1));
        uint256 expiry = block.timestamp + 30 days;
        vm.warp(block.timestamp + CHALLENGE + 1);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.EscrowReleased(lic, id, PRICE);
        vm.prank(stranger);
        market.release(lic);
        assertEq(market.totalEscrowed(), 0);
        assertEq(market.withdrawable(treasury), _fee(PRICE));
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE));
        IAssayMarket.LicenceView memory v = market.licence(lic);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.Active));
        assertEq(v.expiresAt, expiry);
        assertEq(v.escrowAmount, 0);
        // Transferable per its tier now; never twice; no challenge after release.
        vm.prank(buyer);
        market.transferFrom(buyer, stranger, lic);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.KeyNotDelivered.selector, lic));
        market.release(lic);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.KeyNotDelivered.selector, lic));
        market.challenge(lic, bytes32(b));
    }

    function test_WhenInChallengePeriod_LicenceCannotBeTransferredOrReviewedOrRenewed() external {
        _deliver(lic, _seal(CONTENT_KEY, b, 1));
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.LicenceAwaitingKey.selector, lic));
        market.transferFrom(buyer, stranger, lic);
        vm.expectRevert();
        vm.prank(buyer);
        market.renew{value: PRICE}(lic);
        assertFalse(market.hasLicence(buyer, id));
    }
}
