// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IAssayMarket} from "../src/interfaces/IAssayMarket.sol";
import {IAssayModeration} from "../src/interfaces/IAssayModeration.sol";
import {FromArtifacts} from "./helpers/FromArtifacts.sol";
import {IDeployedArbitrator, IDeployedMarket, IDeployedModels, IDeployedModeration} from "./helpers/Deployed.sol";

/// @notice Shared fixture: a market with a 2.5% fee, a treasury, a 3-day delivery window, and named users; its
/// moderation contract (deployed right after it, at the address the market was given) with the council arbitrator.
abstract contract Base_Test is Test {
    uint16 internal constant FEE_BPS = 250;
    uint64 internal constant WINDOW = 3 days;
    uint64 internal constant CHALLENGE = 2 days;
    string internal constant CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    string internal constant CID2 = "bafkreidgvpkjawlxz6sffxzwgooowe5yt7i6wsyg236mfoks77nywkptdq";
    string internal constant TERMS = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG";
    bytes32 internal constant COMMITMENT = keccak256("content key");
    bytes32 internal constant BUYER_KEY = keccak256("buyer x25519 public key");
    uint96 internal constant PRICE = 1 ether;
    uint256 internal constant STAKE = 0.1 ether;
    uint64 internal constant RESPONSE_WINDOW = 1 days;
    uint256 internal constant FEE_CAP = 0.02 ether;
    uint256 internal constant ARBITRATION_COST = 0.01 ether;
    string internal constant META_EVIDENCE = "/ipfs/bafkreidlq2zhh7zu7tqz224aj37vup2xi6w2yhvxpb6w7xsdvtkrnbhtbe";
    string internal constant EVIDENCE = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";

    IDeployedMarket internal market;
    IDeployedModels internal models;
    IDeployedModeration internal moderation;
    IDeployedArbitrator internal arbitrator;

    address internal treasury = makeAddr("treasury");
    address internal creator = makeAddr("creator");
    address internal coAuthor = makeAddr("coAuthor");
    address internal buyer = makeAddr("buyer");
    address internal stranger = makeAddr("stranger");
    address internal flagger = makeAddr("flagger");
    address internal council = makeAddr("council");

    function setUp() public virtual {
        arbitrator = FromArtifacts.arbitrator(council, ARBITRATION_COST);
        _deploy(address(arbitrator));
        vm.deal(buyer, 1_000 ether);
        vm.deal(stranger, 1_000 ether);
        vm.deal(flagger, 1_000 ether);
    }

    /// @dev A market and its moderation contract under `arbitrator_`: the market is given the address the
    /// moderation contract will have (this contract's next CREATE), which checks the link when it is deployed.
    function _deploy(address arbitrator_) internal {
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        market = FromArtifacts.market(FEE_BPS, treasury, WINDOW, CHALLENGE, next);
        models = IDeployedModels(market.models());
        moderation =
            FromArtifacts.moderation(address(market), arbitrator_, "", STAKE, RESPONSE_WINDOW, FEE_CAP, META_EVIDENCE);
    }

    /*//////////////////////////////////////////////////////////////
                                HELPERS
    //////////////////////////////////////////////////////////////*/

    function _tier(uint96 price, uint32 duration, uint32 maxSupply, bool transferable)
        internal
        pure
        returns (IAssayMarket.TierInput memory)
    {
        return IAssayMarket.TierInput({
            price: price,
            duration: duration,
            maxSupply: maxSupply,
            commercialUse: true,
            derivativesAllowed: false,
            transferable: transferable,
            termsCid: TERMS
        });
    }

    function _tiers1(IAssayMarket.TierInput memory t) internal pure returns (IAssayMarket.TierInput[] memory a) {
        a = new IAssayMarket.TierInput[](1);
        a[0] = t;
    }

    function _noCoAuthors() internal pure returns (IAssayMarket.CoAuthor[] memory) {
        return new IAssayMarket.CoAuthor[](0);
    }

    function _noParents() internal pure returns (IAssayMarket.ParentShare[] memory) {
        return new IAssayMarket.ParentShare[](0);
    }

    function _coAuthors1(address a, uint16 bps) internal pure returns (IAssayMarket.CoAuthor[] memory c) {
        c = new IAssayMarket.CoAuthor[](1);
        c[0] = IAssayMarket.CoAuthor(a, bps);
    }

    function _parents1(uint256 id, uint16 bps) internal pure returns (IAssayMarket.ParentShare[] memory p) {
        p = new IAssayMarket.ParentShare[](1);
        p[0] = IAssayMarket.ParentShare(id, bps, 0);
    }

    /// @dev `id` as the only parent, derived under `licenceId` (0: the lister owns it).
    function _parents1Under(uint256 id, uint16 bps, uint256 licenceId)
        internal
        pure
        returns (IAssayMarket.ParentShare[] memory p)
    {
        p = new IAssayMarket.ParentShare[](1);
        p[0] = IAssayMarket.ParentShare(id, bps, licenceId);
    }

    /// @dev Open model by `creator`, one perpetual transferable commercial tier at PRICE that allows derivatives.
    function _listDerivable() internal returns (uint256) {
        IAssayMarket.TierInput memory t = _tier(PRICE, 0, 0, true);
        t.derivativesAllowed = true;
        vm.prank(creator);
        return market.listModel(CID, bytes32(0), 500, _noCoAuthors(), _noParents(), _tiers1(t));
    }

    /// @dev `who` buys a licence of tier 0 of `modelId` at PRICE, to derive from it.
    function _licenceToDerive(address who, uint256 modelId) internal returns (uint256) {
        vm.deal(who, who.balance + PRICE);
        return _buy(who, modelId, 0);
    }

    /// @dev Open model by `creator`, one perpetual transferable tier at PRICE, no shares.
    function _listOpen() internal returns (uint256) {
        vm.prank(creator);
        return market.listModel(CID, bytes32(0), 500, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    /// @dev Open model by `creator` with one 30-day tier and a 10% co-author.
    function _listOpenWithCoAuthor() internal returns (uint256) {
        vm.prank(creator);
        return market.listModel(
            CID, bytes32(0), 500, _coAuthors1(coAuthor, 1_000), _noParents(), _tiers1(_tier(PRICE, 30 days, 0, true))
        );
    }

    /// @dev Encrypted model by `creator`, one perpetual non-transferable tier at PRICE.
    function _listEncrypted() internal returns (uint256) {
        vm.prank(creator);
        return market.listModel(CID, COMMITMENT, 500, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, false)));
    }

    function _buy(address who, uint256 modelId, uint256 tierId) internal returns (uint256) {
        vm.prank(who);
        return market.buyLicense{value: PRICE}(modelId, tierId, BUYER_KEY, 0);
    }

    /// @dev `who` flags `modelId` (reason InfringesRights, `EVIDENCE`) with the stake.
    function _flag(address who, uint256 modelId) internal returns (uint256) {
        vm.prank(who);
        return moderation.flag{value: STAKE}(modelId, IAssayModeration.Reason.InfringesRights, EVIDENCE);
    }

    /// @dev The model's owner (`creator`) responds to `caseId` with the stake and `CID` as its evidence.
    function _respond(uint256 caseId) internal returns (uint256) {
        uint256 cost = moderation.responseCost();
        vm.deal(creator, creator.balance + cost);
        vm.prank(creator);
        return moderation.respond{value: cost}(caseId, CID);
    }

    /// @dev The council rules `ruling` on dispute `disputeId` (1 delist, 2 keep, 0 refuse).
    function _rule(uint256 disputeId, uint256 ruling) internal {
        vm.prank(council);
        arbitrator.giveRuling(disputeId, ruling);
    }

    function _fee(uint256 amount) internal pure returns (uint256) {
        return amount * FEE_BPS / 10_000;
    }

    /// @dev The next call is made by `caller` and must revert with `reason`.
    function _expectRevertAs(address caller, bytes memory reason) internal {
        vm.expectRevert(reason);
        vm.prank(caller);
    }

    /// @dev The next call is made by `caller` and must revert with the argument-less error `selector`.
    function _expectRevertAs(address caller, bytes4 selector) internal {
        vm.expectRevert(selector);
        vm.prank(caller);
    }
}

/// @notice Which of Base_Test's models a fixture lists: `_listOpen`, `_listOpenWithCoAuthor` or `_listEncrypted`.
enum Listing {
    Open,
    OpenWithCoAuthor,
    Encrypted
}

/// @notice Base_Test plus model `id`, listed by `creator` in setUp as `listing` says.
abstract contract Model_Test is Base_Test {
    Listing private immutable listing;
    uint256 internal id;

    constructor(Listing listing_) {
        listing = listing_;
    }

    function setUp() public virtual override {
        super.setUp();
        if (listing == Listing.Encrypted) id = _listEncrypted();
        else if (listing == Listing.OpenWithCoAuthor) id = _listOpenWithCoAuthor();
        else id = _listOpen();
    }
}

/// @notice Model_Test plus licence `lic`, bought by `buyer` on tier 0 of model `id` in setUp.
abstract contract Licence_Test is Model_Test {
    uint256 internal lic;

    constructor(Listing listing_) Model_Test(listing_) {}

    function setUp() public virtual override {
        super.setUp();
        lic = _buy(buyer, id, 0);
    }
}

/// @notice Licence_Test (an open model `id` and `buyer`'s licence `lic`) plus case `caseId`, opened by `flagger`.
abstract contract Case_Test is Licence_Test {
    uint256 internal caseId;

    constructor() Licence_Test(Listing.Open) {}

    function setUp() public virtual override {
        super.setUp();
        caseId = _flag(flagger, id);
    }
}
