// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {AssayMarket} from "../../../src/AssayMarket.sol";
import {AssayModels} from "../../../src/AssayModels.sol";
import {IAssayMarket} from "../../../src/interfaces/IAssayMarket.sol";

/// @notice Drives the market with bounded random actions from a fixed set of actors, and keeps ghost state for
/// the invariants. Every ETH recipient (owners, co-authors, parents' owners, buyers, treasury) is in `actors`
/// or is the treasury, so balances can be summed exhaustively.
contract MarketHandler is CommonBase, StdCheats, StdUtils {
    AssayMarket public immutable market;
    AssayModels public immutable models;
    address public immutable treasury;

    address[] public actors;
    uint256[] public licences; // every licence id ever minted

    mapping(uint256 licenceId => uint256) public ghostReviews;
    mapping(uint256 licenceId => bool) public ghostReclaimed;
    uint256[] public reclaimedIds;
    uint256 public ghostReviewCount;
    uint256 public ghostWithdrawn;
    uint256 public ghostPaid;
    mapping(bytes32 => uint256) public calls;
    /// @dev Actions that actually changed state (not early returns), summed over all runs' calls.
    mapping(bytes32 => uint256) public done;

    constructor(AssayMarket market_, address treasury_, address[] memory actors_) {
        market = market_;
        models = AssayModels(market_.models());
        treasury = treasury_;
        actors = actors_;
    }

    modifier count(bytes32 name) {
        calls[name]++;
        _;
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function licenceCount() external view returns (uint256) {
        return licences.length;
    }

    function reclaimedCount() external view returns (uint256) {
        return reclaimedIds.length;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _model(uint256 seed) internal view returns (uint256) {
        return bound(seed, 1, market.modelCount());
    }

    function _licence(uint256 seed) internal view returns (uint256) {
        if (licences.length == 0) return 0;
        return licences[seed % licences.length];
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    function listModel(
        uint256 creatorSeed,
        uint256 coSeed,
        uint16 coBps,
        uint256 parentSeed,
        bool encrypted,
        uint32 maxSupply
    ) external count("listModel") {
        address creator = _actor(creatorSeed);
        IAssayMarket.CoAuthor[] memory co = new IAssayMarket.CoAuthor[](1);
        co[0] = IAssayMarket.CoAuthor(_actor(coSeed), uint16(bound(coBps, 1, 4_000)));
        IAssayMarket.ParentShare[] memory parents = new IAssayMarket.ParentShare[](1);
        parents[0] = IAssayMarket.ParentShare(_model(parentSeed), 1_500);
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](2);
        tiers[0] = IAssayMarket.TierInput(0.3 ether, 7 days, uint32(bound(maxSupply, 0, 3)), true, false, true, "t0");
        tiers[1] = IAssayMarket.TierInput(0.05 ether + 7, 0, 0, false, false, false, "");
        vm.prank(creator);
        market.listModel("bafy-model", encrypted ? keccak256("k") : bytes32(0), 250, co, parents, tiers);
    }

    function buy(uint256 buyerSeed, uint256 modelSeed, uint256 tierSeed) external count("buy") {
        uint256 modelId = _model(modelSeed);
        IAssayMarket.Tier[] memory tiers = market.tiersOf(modelId);
        uint256 tierId = tierSeed % tiers.length;
        IAssayMarket.Tier memory t = tiers[tierId];
        if (t.paused || (t.maxSupply != 0 && t.sold >= t.maxSupply)) return;
        address buyer = _actor(buyerSeed);
        vm.deal(buyer, buyer.balance + t.price);
        vm.prank(buyer);
        uint256 id = market.buyLicense{value: t.price}(modelId, tierId, keccak256(abi.encode(buyer)), 0);
        licences.push(id);
        ghostPaid += t.price;
        done["buy"]++;
    }

    function deliver(uint256 licSeed) external count("deliver") {
        uint256 id = _licence(licSeed);
        if (id == 0) return;
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status != IAssayMarket.LicenceStatus.AwaitingKey || block.timestamp > v.deliveryDeadline) return;
        vm.prank(models.ownerOf(v.modelId));
        market.deliverKey(id, abi.encode(uint256(1), uint256(0x5eed)));
        done["deliver"]++;
    }

    function reclaim(uint256 licSeed) external count("reclaim") {
        uint256 id = _licence(licSeed);
        if (id == 0) return;
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status != IAssayMarket.LicenceStatus.AwaitingKey) return;
        if (block.timestamp <= v.deliveryDeadline) vm.warp(uint256(v.deliveryDeadline) + 1);
        vm.prank(v.holder);
        market.reclaim(id);
        ghostReclaimed[id] = true;
        reclaimedIds.push(id);
        done["reclaim"]++;
    }

    function review(uint256 licSeed, uint8 rating) external count("review") {
        uint256 id = _licence(licSeed);
        if (id == 0) return;
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status == IAssayMarket.LicenceStatus.None || v.status == IAssayMarket.LicenceStatus.AwaitingKey) return;
        vm.prank(v.holder);
        try market.review(id, uint8(bound(rating, 1, 5)), "") {
            ghostReviews[id]++;
            ghostReviewCount++;
            done["review"]++;
        } catch {
            // Only a second review of the same licence may fail here.
            require(v.reviewed, "review failed on a fresh licence");
        }
    }

    function renew(uint256 licSeed, uint256 payerSeed) external count("renew") {
        uint256 id = _licence(licSeed);
        if (id == 0) return;
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status == IAssayMarket.LicenceStatus.None || v.status == IAssayMarket.LicenceStatus.AwaitingKey) return;
        IAssayMarket.Tier memory t = market.tiersOf(v.modelId)[v.tierId];
        if (t.duration == 0 || t.paused) return;
        address payer = _actor(payerSeed);
        vm.deal(payer, payer.balance + t.price);
        vm.prank(payer);
        market.renew{value: t.price}(id);
        ghostPaid += t.price;
        done["renew"]++;
    }

    function withdraw(uint256 actorSeed, bool asTreasury) external count("withdraw") {
        address who = asTreasury ? treasury : _actor(actorSeed);
        uint256 amount = market.withdrawable(who);
        if (amount == 0) return;
        uint256 before = who.balance;
        vm.prank(who);
        market.withdraw();
        require(who.balance == before + amount, "withdraw paid a wrong amount");
        ghostWithdrawn += amount;
        done["withdraw"]++;
    }

    function setPrice(uint256 modelSeed, uint256 tierSeed, uint96 price) external count("setPrice") {
        uint256 modelId = _model(modelSeed);
        uint256 tierId = tierSeed % market.tiersOf(modelId).length;
        vm.prank(models.ownerOf(modelId));
        market.setTierPrice(modelId, tierId, uint96(bound(price, 0, 2 ether)));
    }

    function pause(uint256 modelSeed, uint256 tierSeed, bool paused) external count("pause") {
        uint256 modelId = _model(modelSeed);
        uint256 tierId = tierSeed % market.tiersOf(modelId).length;
        vm.prank(models.ownerOf(modelId));
        market.setTierPaused(modelId, tierId, paused);
    }

    function transferModel(uint256 modelSeed, uint256 toSeed) external count("transferModel") {
        uint256 modelId = _model(modelSeed);
        address from = models.ownerOf(modelId);
        vm.prank(from);
        models.transferFrom(from, _actor(toSeed), modelId);
    }

    function transferLicence(uint256 licSeed, uint256 toSeed) external count("transferLicence") {
        uint256 id = _licence(licSeed);
        if (id == 0) return;
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status == IAssayMarket.LicenceStatus.None || v.status == IAssayMarket.LicenceStatus.AwaitingKey) return;
        if (!v.transferable) return;
        vm.prank(v.holder);
        market.transferFrom(v.holder, _actor(toSeed), id);
    }

    function warp(uint32 secs) external count("warp") {
        vm.warp(block.timestamp + bound(secs, 1, 2 days));
    }
}
