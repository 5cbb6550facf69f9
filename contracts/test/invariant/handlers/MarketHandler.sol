// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {CommonBase} from "forge-std/Base.sol";
import {Vm} from "forge-std/Vm.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IAssayMarket} from "../../../src/interfaces/IAssayMarket.sol";
import {EventLedger} from "./EventLedger.sol";
import {IDeployedMarket, IDeployedModels} from "../../helpers/Deployed.sol";

/// @notice Drives the market with bounded random actions from a fixed set of actors, and keeps ghost state for
/// the invariants. Every ETH recipient (owners, co-authors, parents' owners, buyers, treasury) is in `actors`
/// or is the treasury, so balances can be summed exhaustively.
/// @dev Every action is valid by construction (the suite runs with `fail_on_revert = true`): an action that has
/// nothing valid to do returns early, and `done` counts the ones that changed state (`afterInvariant` requires
/// each to have run). Listings reach the limits (8 co-authors, 4 parents), tiers include price 0, perpetual,
/// 7-day and `type(uint32).max` durations, and `renewToLimit` renews a licence until the next renewal would pass
/// the 40-bit expiry, which must then revert with `ExpiryOutOfRange`.
/// Ghost state is rebuilt from the market's own logs (`vm.getRecordedLogs` after each action), so the invariants
/// can compare it with the views.
contract MarketHandler is CommonBase, StdCheats, StdUtils, EventLedger {
    uint256 internal constant MAX_EXPIRY = type(uint40).max - 1;
    uint256 internal constant MAX_CO_AUTHORS = 8;
    uint256 internal constant MAX_PARENTS = 4;
    /// @dev Models listed by the test's setUp (three tiers each, tier 2 for derivatives; #1 open with no co-author,
    /// #2 encrypted, the others open).
    uint256 internal constant SEEDED_MODELS = 5;

    IDeployedMarket public immutable market;
    IDeployedModels public immutable models;
    address public immutable treasury;

    address[] public actors;
    uint256[] public licences; // every licence id ever minted

    mapping(uint256 licenceId => uint256) public ghostReviews;
    /// @dev Licences burned: reclaimed after an undelivered key, or refunded after a challenged one.
    mapping(uint256 licenceId => bool) public ghostReclaimed;
    uint256[] public reclaimedIds;
    uint256 public ghostReviewCount;
    uint256 public ghostWithdrawn;
    uint256 public ghostPaid;
    mapping(bytes32 => uint256) public calls;
    /// @dev Actions that actually changed state (not early returns), summed over all runs' calls.
    mapping(bytes32 => uint256) public done;

    uint256 public maxFanOutListings;
    /// @dev Licences bought at price 0.
    uint256 public free;

    constructor(IDeployedMarket market_, address treasury_, address[] memory actors_)
        EventLedger(address(market_), treasury_)
    {
        market = market_;
        models = IDeployedModels(market_.models());
        treasury = treasury_;
        actors = actors_;
    }

    /// @dev Counts the call, records the market's logs of the action and folds them into the ghost state.
    modifier count(bytes32 name) {
        calls[name]++;
        vm.recordLogs();
        _;
        _fold(vm.getRecordedLogs());
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

    /// @dev Live and not awaiting anything: can be renewed, reviewed, transferred.
    function _settled(IAssayMarket.LicenceView memory v) internal pure returns (bool) {
        return v.status == IAssayMarket.LicenceStatus.Active || v.status == IAssayMarket.LicenceStatus.Expired;
    }

    /// @dev Makes tier `tierId` of `modelId` buyable (unpaused; priced above 0 when `paid`) as its owner would.
    function _open(uint256 modelId, uint256 tierId, bool paid) internal returns (IAssayMarket.Tier memory t) {
        t = market.tiersOf(modelId)[tierId];
        address owner = models.ownerOf(modelId);
        if (t.paused) {
            vm.prank(owner);
            market.setTierPaused(modelId, tierId, false);
        }
        if (paid && t.price < 1 gwei) {
            vm.prank(owner);
            market.setTierPrice(modelId, tierId, 0.01 ether);
        }
        t = market.tiersOf(modelId)[tierId];
    }

    /// @dev `buyer` buys tier `tierId` of `modelId` at its price (the tier must have supply left).
    function _buy(address buyer, uint256 modelId, uint256 tierId) internal returns (uint256 id) {
        uint256 price = market.tiersOf(modelId)[tierId].price;
        vm.deal(buyer, buyer.balance + price);
        vm.prank(buyer);
        id = market.buyLicense{value: price}(modelId, tierId, keccak256(abi.encode(buyer)), 0);
        licences.push(id);
        ghostPaid += price;
    }

    /// @dev A fresh paid licence of the root model (no co-authors) bought by an actor that is neither its owner
    /// nor its creator: one that can review, and whose sale credits the fee and the root's earnings.
    function _outsiderLicence(uint256 seed) internal returns (uint256 id, address buyer) {
        _open(1, 1, true);
        for (uint256 i; i < actors.length; ++i) {
            buyer = _actor(seed % 1_000 + i);
            if (!_insider(1, buyer)) break;
        }
        id = _buy(buyer, 1, 1);
    }

    /// @dev The id of an open model listed by the handler (three tiers; tier 2: transferable,
    /// `type(uint32).max` seconds), listing one when there is none yet.
    function _longModel(uint256 seed) internal returns (uint256 modelId) {
        uint256 n = market.modelCount();
        for (uint256 i; i < n - SEEDED_MODELS && modelId == 0; ++i) {
            uint256 m = SEEDED_MODELS + 1 + (seed % 1_000 + i) % (n - SEEDED_MODELS);
            if (!market.model(m).encrypted) modelId = m;
        }
        if (modelId == 0) {
            _list(seed, seed, seed, 1, false, 0, 0);
            modelId = market.modelCount();
        }
        _open(modelId, 2, false);
    }

    /// @dev Up to `MAX_PARENTS` distinct open models, starting at a random one: the parents a listing can name (an
    /// encrypted parent's licence would await its key, and a licence awaiting its key cannot make a derivative).
    function _openModels(uint256 seed) internal view returns (uint256[] memory ids) {
        uint256 n = market.modelCount();
        ids = new uint256[](MAX_PARENTS);
        uint256 found;
        for (uint256 i; i < n && found < MAX_PARENTS; ++i) {
            uint256 m = 1 + (seed % 1_000 + i) % n;
            if (!market.model(m).encrypted) ids[found++] = m;
        }
        assembly ("memory-safe") {
            mstore(ids, found)
        }
    }

    /// @dev The licence under which `lister` derives from `parentId`: none when it owns the parent, else a fresh one
    /// of tier 2 (every model's tier 2 allows derivatives and commercial use, with no supply cap).
    function _derivationLicence(address lister, uint256 parentId) internal returns (uint256) {
        if (models.ownerOf(parentId) == lister) return 0;
        _open(parentId, 2, false);
        return _buy(lister, parentId, 2);
    }

    /// @dev A fresh licence of the encrypted model #2 (tier 1, unlimited), awaiting its key.
    function _pendingLicence(uint256 seed) internal returns (uint256 id) {
        _open(2, 1, false);
        id = _buy(_actor(seed), 2, 1);
    }

    /*//////////////////////////////////////////////////////////////
                                ACTIONS
    //////////////////////////////////////////////////////////////*/

    function listModel(
        uint256 creatorSeed,
        uint256 coSeed,
        uint256 parentSeed,
        uint256 fanOut,
        bool encrypted,
        uint32 maxSupply,
        uint96 price
    ) external count("listModel") {
        _list(creatorSeed, coSeed, parentSeed, fanOut, encrypted, maxSupply, price);
        done["listModel"]++;
    }

    function _list(
        uint256 creatorSeed,
        uint256 coSeed,
        uint256 parentSeed,
        uint256 fanOut,
        bool encrypted,
        uint32 maxSupply,
        uint96 price
    ) internal {
        address creator = _actor(creatorSeed);
        // The first listing of a run and half the others at the limits (8 co-authors, 4 parents).
        bool full = maxFanOutListings == 0 || fanOut % 2 == 0;
        uint256 nCo = full ? MAX_CO_AUTHORS : fanOut % (MAX_CO_AUTHORS + 1);
        uint256 nParents = full ? MAX_PARENTS : (fanOut >> 8) % (MAX_PARENTS + 1);
        (IAssayMarket.CoAuthor[] memory co, IAssayMarket.ParentShare[] memory parents) =
            _shares(creator, coSeed, parentSeed, nCo, nParents);
        IAssayMarket.TierInput[] memory tiers = _tierInputs(maxSupply, price);
        vm.prank(creator);
        market.listModel("bafy-model", encrypted ? keccak256("k") : bytes32(0), 250, co, parents, tiers);
        if (co.length == MAX_CO_AUTHORS && parents.length == MAX_PARENTS) maxFanOutListings++;
    }

    /// @dev `nCo` co-authors and up to `nParents` open parents (as many as there are), each with an equal share of
    /// 90 %; the creator first holds a derivation licence of each parent.
    function _shares(address creator, uint256 coSeed, uint256 parentSeed, uint256 nCo, uint256 nParents)
        internal
        returns (IAssayMarket.CoAuthor[] memory co, IAssayMarket.ParentShare[] memory parents)
    {
        uint256[] memory open = _openModels(parentSeed);
        if (nParents > open.length) nParents = open.length;
        uint16 bps = uint16(9_000 / (nCo + nParents + 1));
        co = new IAssayMarket.CoAuthor[](nCo);
        for (uint256 i; i < nCo; ++i) {
            co[i] = IAssayMarket.CoAuthor(_actor(coSeed % 1_000 + i), bps);
        }
        parents = new IAssayMarket.ParentShare[](nParents);
        for (uint256 i; i < nParents; ++i) {
            parents[i] = IAssayMarket.ParentShare(open[i], bps, _derivationLicence(creator, open[i]));
        }
    }

    /// @dev Price 0 half the time; a 7-day tier, a perpetual one, and one of the longest duration.
    function _tierInputs(uint32 maxSupply, uint96 price) internal pure returns (IAssayMarket.TierInput[] memory tiers) {
        tiers = new IAssayMarket.TierInput[](3);
        uint96 p = price % 2 == 0 ? 0 : uint96(bound(price, 1, 1 ether));
        tiers[0] = IAssayMarket.TierInput(p, 7 days, uint32(bound(maxSupply, 0, 3)), true, false, true, "t0");
        tiers[1] = IAssayMarket.TierInput(0.05 ether + 7, 0, 0, false, false, false, "");
        tiers[2] = IAssayMarket.TierInput(0.01 ether, type(uint32).max, 0, true, true, true, "t2");
    }

    function buy(uint256 buyerSeed, uint256 modelSeed, uint256 tierSeed) external count("buy") {
        uint256 modelId = _model(modelSeed);
        IAssayMarket.Tier[] memory tiers = market.tiersOf(modelId);
        uint256 tierId = tierSeed % tiers.length;
        // A sold-out tier: tier 1, which has no cap. A paused one is resumed by its owner first.
        if (tiers[tierId].maxSupply != 0 && tiers[tierId].sold >= tiers[tierId].maxSupply) tierId = 1;
        IAssayMarket.Tier memory t = _open(modelId, tierId, false);
        _buy(_actor(buyerSeed), modelId, tierId);
        done["buy"]++;
        if (t.price == 0) free++;
    }

    function deliver(uint256 licSeed) external count("deliver") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status != IAssayMarket.LicenceStatus.AwaitingKey || block.timestamp > v.deliveryDeadline) {
            id = _pendingLicence(licSeed);
        }
        _deliver(id);
        done["deliver"]++;
    }

    function _deliver(uint256 id) internal {
        vm.prank(models.ownerOf(market.licence(id).modelId));
        market.deliverKey(id, abi.encode(uint256(1), uint256(0x5eed)));
    }

    function release(uint256 licSeed) external count("release") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status != IAssayMarket.LicenceStatus.InChallengePeriod) {
            id = _pendingLicence(licSeed);
            _deliver(id);
            v = market.licence(id);
        }
        if (block.timestamp <= v.deliveryDeadline) vm.warp(uint256(v.deliveryDeadline) + 1);
        market.release(id);
        done["release"]++;
    }

    /// @dev A buyer of the encrypted model #2, whose licence key is a real secp256k1 key, gets a wrong key (the
    /// handler never delivers the committed one) and challenges it within the period: refunded, the licence burned.
    function challenge(uint256 keySeed) external count("challenge") {
        (uint256 secret, bytes32 buyerKey) = _licenceKey(keySeed);
        address buyer = _actor(keySeed);
        IAssayMarket.Tier memory t = _open(2, 1, false);
        vm.deal(buyer, buyer.balance + t.price);
        vm.prank(buyer);
        uint256 id = market.buyLicense{value: t.price}(2, 1, buyerKey, keccak256(abi.encode(keySeed)));
        licences.push(id);
        ghostPaid += t.price;
        _deliver(id);
        vm.prank(buyer);
        market.challenge(id, bytes32(secret));
        ghostReclaimed[id] = true;
        reclaimedIds.push(id);
        done["challenge"]++;
    }

    /// @dev A per-licence secret (in [1, n)) whose point has an even `y`, and that point's `x` (the buyer key).
    function _licenceKey(uint256 seed) internal returns (uint256 secret, bytes32 buyerKey) {
        uint256 n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141;
        secret = bound(uint256(keccak256(abi.encode("licence", seed))), 1, n - 1);
        Vm.Wallet memory w = vm.createWallet(secret);
        if (w.publicKeyY % 2 == 1) {
            secret = n - secret;
            w = vm.createWallet(secret);
        }
        require(w.publicKeyY % 2 == 0, "even y");
        buyerKey = bytes32(w.publicKeyX);
    }

    function reclaim(uint256 licSeed) external count("reclaim") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (v.status != IAssayMarket.LicenceStatus.AwaitingKey) {
            id = _pendingLicence(licSeed);
            v = market.licence(id);
        }
        if (block.timestamp <= v.deliveryDeadline) vm.warp(uint256(v.deliveryDeadline) + 1);
        vm.prank(v.holder);
        market.reclaim(id);
        ghostReclaimed[id] = true;
        reclaimedIds.push(id);
        done["reclaim"]++;
    }

    /// @dev Only what the market accepts: a paid, settled, unreviewed licence held by an outsider.
    function review(uint256 licSeed, uint8 rating) external count("review") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (!_settled(v) || v.reviewed || !v.paid || _insider(v.modelId, v.holder)) {
            (id,) = _outsiderLicence(licSeed);
            v = market.licence(id);
        }
        vm.prank(v.holder);
        market.review(id, uint8(bound(rating, 1, 5)), "");
        ghostReviews[id]++;
        ghostReviewCount++;
        done["review"]++;
    }

    function _insider(uint256 modelId, address who) internal view returns (bool) {
        if (who == models.ownerOf(modelId) || who == market.model(modelId).creator) return true;
        IAssayMarket.CoAuthor[] memory co = market.coAuthorsOf(modelId);
        for (uint256 i; i < co.length; ++i) {
            if (co[i].account == who) return true;
        }
        return false;
    }

    function renew(uint256 licSeed, uint256 payerSeed) external count("renew") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        IAssayMarket.Tier memory t;
        if (_settled(v)) t = market.tiersOf(v.modelId)[v.tierId];
        if (!_settled(v) || t.duration == 0 || _next(v.expiresAt, t.duration) > MAX_EXPIRY) {
            uint256 modelId = _longModel(licSeed);
            id = _buy(_actor(payerSeed), modelId, 2);
            v = market.licence(id);
        }
        t = _open(v.modelId, v.tierId, false);
        _renew(id, _actor(payerSeed), t.price);
        done["renew"]++;
    }

    /// @dev Renews a licence of the longest tier until its expiry is as late as the 40-bit field allows; the next
    /// renewal reverts with `ExpiryOutOfRange` and changes nothing.
    function renewToLimit(uint256 licSeed, uint256 payerSeed) external count("renewToLimit") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (!_settled(v) || market.tiersOf(v.modelId)[v.tierId].duration != type(uint32).max) {
            id = _buy(_actor(payerSeed), _longModel(licSeed), 2);
            v = market.licence(id);
        }
        IAssayMarket.Tier memory t = _open(v.modelId, v.tierId, false);
        address payer = _actor(payerSeed);
        uint256 expiry = v.expiresAt;
        while (_next(expiry, t.duration) <= MAX_EXPIRY) {
            _renew(id, payer, t.price);
            expiry = market.licence(id).expiresAt;
        }
        uint256 next = _next(expiry, t.duration);
        vm.deal(payer, payer.balance + t.price);
        vm.prank(payer);
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.ExpiryOutOfRange.selector, next));
        market.renew{value: t.price}(id);
        require(market.licence(id).expiresAt == expiry, "a refused renewal moved the expiry");
        done["renewToLimit"]++;
    }

    function _next(uint256 expiry, uint256 duration) internal view returns (uint256) {
        return (expiry > block.timestamp ? expiry : block.timestamp) + duration;
    }

    function _renew(uint256 id, address payer, uint256 price) internal {
        vm.deal(payer, payer.balance + price);
        vm.prank(payer);
        market.renew{value: price}(id);
        ghostPaid += price;
    }

    function withdraw(uint256 actorSeed, bool asTreasury) external count("withdraw") {
        address who = asTreasury ? treasury : _actor(actorSeed);
        if (market.withdrawable(who) == 0) {
            // A paid sale credits the fee to the treasury.
            _outsiderLicence(actorSeed);
            who = treasury;
        }
        uint256 amount = market.withdrawable(who);
        uint256 before = who.balance;
        vm.prank(who);
        market.withdraw();
        require(who.balance == before + amount, "withdraw paid a wrong amount");
        ghostWithdrawn += amount;
        done["withdraw"]++;
    }

    /// @dev The actor claims every model it owns that has earnings (with its own balance, paid in the same call).
    function claim(uint256 actorSeed) external count("claim") {
        address who = _actor(actorSeed);
        if (market.earningsOf(1) == 0) _outsiderLicence(actorSeed);
        bool earns;
        for (uint256 m = 1; m <= market.modelCount() && !earns; ++m) {
            earns = market.earningsOf(m) != 0 && models.ownerOf(m) == who;
        }
        if (!earns) who = models.ownerOf(1);
        uint256 n = market.modelCount();
        uint256[] memory ids = new uint256[](n);
        uint256 found;
        uint256 total = market.withdrawable(who);
        for (uint256 m = 1; m <= n; ++m) {
            uint256 e = market.earningsOf(m);
            if (e != 0 && models.ownerOf(m) == who) {
                ids[found++] = m;
                total += e;
            }
        }
        assembly ("memory-safe") {
            mstore(ids, found)
        }
        uint256 before = who.balance;
        vm.prank(who);
        market.claim(ids);
        require(who.balance == before + total, "claim paid a wrong amount");
        for (uint256 i; i < found; ++i) {
            require(market.earningsOf(ids[i]) == 0, "claimed earnings left behind");
        }
        ghostWithdrawn += total;
        done["claim"]++;
    }

    function setPrice(uint256 modelSeed, uint256 tierSeed, uint96 price) external count("setPrice") {
        uint256 modelId = _model(modelSeed);
        uint256 tierId = tierSeed % market.tiersOf(modelId).length;
        vm.prank(models.ownerOf(modelId));
        market.setTierPrice(modelId, tierId, uint96(bound(price, 0, 2 ether)));
        done["setPrice"]++;
    }

    function pause(uint256 modelSeed, uint256 tierSeed, bool paused) external count("pause") {
        uint256 modelId = _model(modelSeed);
        uint256 tierId = tierSeed % market.tiersOf(modelId).length;
        vm.prank(models.ownerOf(modelId));
        market.setTierPaused(modelId, tierId, paused);
        done["pause"]++;
    }

    function transferModel(uint256 modelSeed, uint256 toSeed) external count("transferModel") {
        uint256 modelId = _model(modelSeed);
        address from = models.ownerOf(modelId);
        vm.prank(from);
        models.transferFrom(from, _actor(toSeed), modelId);
        done["transferModel"]++;
    }

    function transferLicence(uint256 licSeed, uint256 toSeed) external count("transferLicence") {
        uint256 id = _licence(licSeed);
        IAssayMarket.LicenceView memory v = market.licence(id);
        if (!_settled(v) || !v.transferable) {
            id = _buy(_actor(toSeed % 1_000 + 1), _longModel(licSeed), 2);
            v = market.licence(id);
        }
        vm.prank(v.holder);
        market.transferFrom(v.holder, _actor(toSeed), id);
        done["transferLicence"]++;
    }

    function warp(uint32 secs) external count("warp") {
        vm.warp(block.timestamp + bound(secs, 1, 2 days));
        done["warp"]++;
    }
}
