// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {FairExchange_Test} from "../test/helpers/FairExchange.sol";
import {IAssayMarket} from "../src/interfaces/IAssayMarket.sol";

/// @notice Gas benchmark (not a test suite): each function sets up a realistic state, makes ONE measured call and
/// records it with `snapshotGasLastCall` into `snapshots/AssayMarket.json`. Run with the `bench` profile, which
/// sets `isolate = true` so every call is its own transaction: figures include the 21,000 intrinsic gas,
/// calldata, and cold storage/account access, like a real receipt.
///   FOUNDRY_PROFILE=bench forge test
contract Gas_Bench is FairExchange_Test {
    address internal buyer2 = makeAddr("buyer2");

    function setUp() public override {
        super.setUp();
        vm.deal(buyer2, 100 ether);
    }

    function _listWithCoAuthorAndWarmBalances() internal returns (uint256 id) {
        id = _listOpenWithCoAuthor();
        _buy(stranger, id, 0); // first sale makes the creator/co-author/fee slots non-zero
    }

    /// @dev Measured: `creator` lists a model with one 30-day tier at PRICE, recorded as `name`.
    function _benchListModel(bytes32 commitment, IAssayMarket.CoAuthor[] memory coAuthors, string memory name)
        internal
    {
        IAssayMarket.TierInput[] memory tiers = _tiers1(_tier(PRICE, 30 days, 0, true));
        vm.prank(creator);
        uint256 id = market.listModel(CID, commitment, 500, coAuthors, _noParents(), tiers);
        vm.snapshotGasLastCall("AssayMarket", name);
        assertEq(models.ownerOf(id), creator);
    }

    /// @dev Measured: `buyer` buys tier 0 of model `id` at PRICE with `buyerKey`, recorded as `name`.
    function _benchBuyLicense(uint256 id, bytes32 buyerKey, string memory name) internal {
        vm.prank(buyer);
        uint256 lic = market.buyLicense{value: PRICE}(id, 0, buyerKey, 0);
        vm.snapshotGasLastCall("AssayMarket", name);
        assertEq(market.ownerOf(lic), buyer);
    }

    function test_Bench_ListModel_OneTier_FirstModelEver() external {
        _benchListModel(bytes32(0), _noCoAuthors(), "listModel_1tier_firstModelEver");
    }

    function test_Bench_ListModel_OneTier() external {
        _listOpen();
        _benchListModel(bytes32(0), _noCoAuthors(), "listModel_1tier");
    }

    function test_Bench_ListModel_OneTier_OneCoAuthor_Encrypted() external {
        _listOpen();
        _benchListModel(COMMITMENT, _coAuthors1(coAuthor, 1_000), "listModel_1tier_1coauthor_encrypted");
    }

    /// @dev A derivative: one parent named under the lister's licence of it (checked: holder, model, active, tier
    /// allows derivatives and commercial use).
    function test_Bench_ListModel_OneTier_OneParentUnderLicence() external {
        uint256 parent = _listDerivable();
        uint256 licence = _licenceToDerive(stranger, parent);
        IAssayMarket.TierInput[] memory tiers = _tiers1(_tier(PRICE, 30 days, 0, true));
        vm.prank(stranger);
        uint256 id =
            market.listModel(CID, bytes32(0), 500, _noCoAuthors(), _parents1Under(parent, 1_000, licence), tiers);
        vm.snapshotGasLastCall("AssayMarket", "listModel_1tier_1parentUnderLicence");
        assertEq(market.parentsOf(id)[0].licenceId, licence);
    }

    function test_Bench_BuyLicense_Open_OneCoAuthor_FirstTimeBuyer() external {
        uint256 id = _listWithCoAuthorAndWarmBalances();
        _benchBuyLicense(id, bytes32(0), "buyLicense_open_1coauthor_firstTimeBuyer");
    }

    function test_Bench_BuyLicense_Open_OneCoAuthor_RepeatBuyer() external {
        uint256 id = _listWithCoAuthorAndWarmBalances();
        _buy(buyer, id, 0);
        _benchBuyLicense(id, bytes32(0), "buyLicense_open_1coauthor_repeatBuyer");
    }

    function test_Bench_BuyLicense_Open_OneCoAuthor_FirstSaleEver() external {
        uint256 id = _listOpenWithCoAuthor();
        _benchBuyLicense(id, bytes32(0), "buyLicense_open_1coauthor_firstSaleEver_allSlotsCold");
    }

    function test_Bench_BuyLicense_Encrypted_Escrow() external {
        uint256 id = _listEncrypted();
        _buy(stranger, id, 0);
        _benchBuyLicense(id, BUYER_KEY, "buyLicense_encrypted_escrow_firstTimeBuyer");
        assertEq(market.totalEscrowed(), 2 * PRICE);
    }

    /// @dev An encrypted model's licence bought by `buyer` with a real per-licence key; returns its secret.
    function _boughtWithLicenceKey() internal returns (uint256 id, uint256 lic, uint256 b) {
        id = _listWithContentKey();
        _buyWithKey(stranger, id, bytes32(uint256(1))); // warm the licence counter
        bytes32 bx;
        (b, bx) = _licenceKey(1);
        lic = _buyWithKey(buyer, id, bx);
    }

    function test_Bench_DeliverKey() external {
        (, uint256 lic, uint256 b) = _boughtWithLicenceKey();
        bytes memory sealedKey = _seal(CONTENT_KEY, b, 1);
        vm.prank(creator);
        market.deliverKey(lic, sealedKey);
        vm.snapshotGasLastCall("AssayMarket", "deliverKey_64byteSealedKey");
        assertEq(market.totalEscrowed(), 2 * PRICE);
    }

    function test_Bench_Challenge_WrongKey() external {
        (, uint256 lic, uint256 b) = _boughtWithLicenceKey();
        _deliver(lic, _seal(keccak256("wrong"), b, 1));
        vm.prank(buyer);
        market.challenge(lic, bytes32(b));
        vm.snapshotGasLastCall("AssayMarket", "challenge_wrongKey_refunded");
        assertEq(market.withdrawable(buyer), PRICE);
    }

    function test_Bench_Release() external {
        (uint256 id, uint256 lic, uint256 b) = _boughtWithLicenceKey();
        _buy(stranger, _listOpenWithCoAuthor(), 0); // warm the fee slot as after any sale
        _deliver(lic, _seal(CONTENT_KEY, b, 1));
        vm.warp(block.timestamp + CHALLENGE + 1);
        vm.prank(stranger);
        market.release(lic);
        vm.snapshotGasLastCall("AssayMarket", "release_afterChallengePeriod");
        assertTrue(market.hasLicence(buyer, id));
    }

    function test_Bench_Reclaim() external {
        uint256 id = _listEncrypted();
        uint256 lic = _buy(buyer, id, 0);
        vm.warp(block.timestamp + WINDOW + 1);
        vm.prank(buyer);
        market.reclaim(lic);
        vm.snapshotGasLastCall("AssayMarket", "reclaim");
        assertEq(market.withdrawable(buyer), PRICE);
    }

    function test_Bench_Renew() external {
        uint256 id = _listWithCoAuthorAndWarmBalances();
        uint256 lic = _buy(buyer, id, 0);
        vm.prank(buyer);
        market.renew{value: PRICE}(lic);
        vm.snapshotGasLastCall("AssayMarket", "renew_1coauthor");
        assertEq(market.licence(lic).expiresAt, block.timestamp + 60 days);
    }

    function test_Bench_Review() external {
        uint256 id = _listOpen();
        uint256 lic = _buy(buyer, id, 0);
        vm.prank(buyer);
        market.review(lic, 5, CID);
        vm.snapshotGasLastCall("AssayMarket", "review_first");
        assertEq(market.model(id).ratingCount, 1);
    }

    function test_Bench_Withdraw() external {
        uint256 id = _listWithCoAuthorAndWarmBalances();
        vm.prank(coAuthor);
        market.withdraw();
        vm.snapshotGasLastCall("AssayMarket", "withdraw");
        assertEq(market.withdrawable(coAuthor), 0);
        assertGt(id, 0);
    }

    function test_Bench_PublishVersion() external {
        uint256 id = _listOpen();
        vm.prank(creator);
        market.publishVersion(id, CID2);
        vm.snapshotGasLastCall("AssayMarket", "publishVersion");
        assertEq(market.manifestCid(id), CID2);
    }

    function test_Bench_ModelsPage_100() external {
        for (uint256 i; i < 100; ++i) {
            _listOpen();
        }
        (IAssayMarket.ModelSummary[] memory page,) = market.modelsPage(0, 100);
        vm.snapshotGasLastCall("AssayMarket", "view_modelsPage_100_models");
        assertEq(page.length, 100);
    }
}
