// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {AssayModels} from "../AssayModels.sol";
import {CidStore} from "../libraries/CidStore.sol";
import {TierWord, TierWordLib, TierSales} from "../types/TierWord.sol";

/// @title Catalogue
/// @notice The model registry of `AssayMarket`: models (minted as "Assay Model" tokens), versions, co-authors,
/// parents and licence tiers, with the views that read one part of it.
/// @dev Deploys its own `AssayModels` in the constructor. Owning a model token = owning the model.
/// Constants shared by the market's parts (`BPS`, limits) live here.
abstract contract Catalogue is IAssayMarket {
    using CidStore for CidStore.Cid;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_ROYALTY_BPS = 1_000;
    uint256 public constant MAX_CO_AUTHORS = 8;
    uint256 public constant MAX_PARENTS = 4;
    uint256 public constant MAX_TIERS = 16;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot (256 bits).
    struct ModelData {
        address creator;
        uint32 versionCount;
        uint8 tierCount;
        uint8 coAuthorCount;
        uint8 parentCount;
        uint16 royaltyBps;
        bool encrypted;
        /// A parent is licensed to the lister without commercial use: every tier's price stays 0.
        bool freeOnly;
        /// Delisted by the moderation contract: no new licences, renewals, versions or tiers.
        bool delisted;
    }

    /// @dev One slot each. `licenceId`: the lister's licence of the parent (0: the lister owned it).
    struct ParentData {
        uint64 modelId;
        uint16 bps;
        uint64 licenceId;
    }

    AssayModels internal immutable _models;

    uint256 internal _modelCount;

    mapping(uint256 modelId => ModelData) internal _modelData;
    mapping(uint256 modelId => mapping(uint256 version => CidStore.Cid)) internal _versions;
    mapping(uint256 modelId => mapping(uint256 index => CoAuthor)) internal _coAuthors;
    mapping(uint256 modelId => bytes32) internal _commitments;
    mapping(uint256 modelId => mapping(uint256 index => ParentData)) internal _parents;
    /// @dev A tier's terms with the model's bits a sale needs (read-only on a sale), and its sales (written by
    /// each sale; zero at listing): layouts in `types/TierWord.sol`.
    mapping(uint256 modelId => mapping(uint256 tierId => TierWord)) internal _tiers;
    mapping(uint256 modelId => mapping(uint256 tierId => TierSales)) internal _tierSales;
    mapping(uint256 modelId => mapping(uint256 tierId => CidStore.Cid)) internal _terms;

    constructor() {
        _models = new AssayModels(address(this));
    }

    /*//////////////////////////////////////////////////////////////
                                WRITES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    function listModel(
        string calldata manifestCid_,
        bytes32 keyCommitment_,
        uint16 royaltyBps,
        CoAuthor[] calldata coAuthors,
        ParentShare[] calldata parents,
        TierInput[] calldata tiers
    ) external returns (uint256 modelId) {
        _checkCid(manifestCid_, false);
        if (royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(royaltyBps);
        if (coAuthors.length > MAX_CO_AUTHORS) revert TooManyCoAuthors(coAuthors.length);
        if (parents.length > MAX_PARENTS) revert TooManyParents(parents.length);
        if (tiers.length == 0) revert NoTiers();
        if (tiers.length > MAX_TIERS) revert TooManyTiers(tiers.length);

        modelId = _modelCount + 1;
        _modelCount = modelId;

        uint256 totalBps;
        bool freeOnly;
        for (uint256 i; i < parents.length; ++i) {
            ParentShare calldata p = parents[i];
            if (p.modelId == modelId) revert SelfParent(modelId);
            if (p.modelId == 0 || p.modelId >= modelId) revert ParentNotFound(p.modelId);
            if (p.bps == 0) revert ZeroShare();
            if (!_derivationRights(p.modelId, p.licenceId)) freeOnly = true;
            totalBps += p.bps;
            _parents[modelId][i] = ParentData(uint64(p.modelId), p.bps, uint64(p.licenceId));
        }
        for (uint256 i; i < coAuthors.length; ++i) {
            CoAuthor calldata a = coAuthors[i];
            if (a.account == address(0)) revert ZeroAddress();
            if (a.bps == 0) revert ZeroShare();
            totalBps += a.bps;
            _coAuthors[modelId][i] = a;
        }
        if (totalBps > BPS) revert SharesExceedTotal(totalBps);

        // The model's word in one write (the IR pipeline writes a struct literal member by member): `ModelData`'s
        // members from the lowest bits in declaration order, as Solidity packs them; delisted false.
        ModelData storage m = _modelData[modelId];
        uint256 word = uint256(uint160(msg.sender)) | (1 << 160) | (tiers.length << 192) | (coAuthors.length << 200)
            | (parents.length << 208) | (uint256(royaltyBps) << 216) | (keyCommitment_ != bytes32(0) ? 1 << 232 : 0)
            | (freeOnly ? 1 << 240 : 0);
        assembly ("memory-safe") {
            sstore(m.slot, word)
        }
        if (keyCommitment_ != bytes32(0)) _commitments[modelId] = keyCommitment_;
        _versions[modelId][0].store(manifestCid_);

        _models.mint(msg.sender, modelId);
        emit ModelListed(modelId, msg.sender, manifestCid_, keyCommitment_, royaltyBps, coAuthors, parents);

        TierWord modelPart = TierWordLib.forModel(keyCommitment_ != bytes32(0), coAuthors.length, parents.length);
        for (uint256 i; i < tiers.length; ++i) {
            _writeTier(modelId, i, tiers[i], freeOnly, modelPart);
        }
    }

    /// @inheritdoc IAssayMarket
    function publishVersion(uint256 modelId, string calldata manifestCid_) external returns (uint256 version) {
        ModelData storage m = _onlyModelOwner(modelId);
        if (m.delisted) revert ModelIsDelisted(modelId);
        _checkCid(manifestCid_, false);
        version = m.versionCount;
        if (version == type(uint32).max) revert TooManyVersions();
        m.versionCount = uint32(version + 1);
        _versions[modelId][version].store(manifestCid_);
        emit VersionPublished(modelId, version, manifestCid_, msg.sender);
        _models.metadataUpdated(modelId);
    }

    /// @inheritdoc IAssayMarket
    function addTier(uint256 modelId, TierInput calldata tier) external returns (uint256 tierId) {
        ModelData storage m = _onlyModelOwner(modelId);
        if (m.delisted) revert ModelIsDelisted(modelId);
        tierId = m.tierCount;
        if (tierId >= MAX_TIERS) revert TooManyTiers(tierId + 1);
        m.tierCount = uint8(tierId + 1);
        _writeTier(modelId, tierId, tier, m.freeOnly, TierWordLib.forModel(m.encrypted, m.coAuthorCount, m.parentCount));
    }

    /// @inheritdoc IAssayMarket
    function setTierPrice(uint256 modelId, uint256 tierId, uint96 price) external {
        TierWord t = _ownedTier(modelId, tierId);
        if (price != 0 && _modelData[modelId].freeOnly) revert CommercialUseNotAllowed(modelId);
        _tiers[modelId][tierId] = t.withPrice(price);
        emit TierPriceChanged(modelId, tierId, t.price(), price);
    }

    /// @inheritdoc IAssayMarket
    function setTierPaused(uint256 modelId, uint256 tierId, bool paused) external {
        TierWord t = _ownedTier(modelId, tierId);
        _tiers[modelId][tierId] = t.withFlag(TierWordLib.PAUSED, paused);
        emit TierPausedSet(modelId, tierId, paused);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    function models() external view returns (address) {
        return address(_models);
    }

    /// @inheritdoc IAssayMarket
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IAssayMarket
    function modelsByCreator(address creator, uint256 cursor, uint256 maxScan)
        external
        view
        returns (uint256[] memory ids, uint256 nextCursor)
    {
        uint256 total = _modelCount;
        nextCursor = cursor + maxScan < total ? cursor + maxScan : total;
        if (cursor >= nextCursor) return (ids, total);
        ids = new uint256[](nextCursor - cursor);
        uint256 found;
        for (uint256 id = cursor + 1; id <= nextCursor; ++id) {
            if (_modelData[id].creator == creator) ids[found++] = id;
        }
        assembly ("memory-safe") {
            mstore(ids, found)
        }
    }

    /// @inheritdoc IAssayMarket
    function tiersOf(uint256 modelId) external view returns (Tier[] memory tiers) {
        uint256 n = _existing(modelId).tierCount;
        tiers = new Tier[](n);
        for (uint256 i; i < n; ++i) {
            tiers[i] = _tierView(modelId, i);
        }
    }

    /// @inheritdoc IAssayMarket
    function versionsOf(uint256 modelId) external view returns (string[] memory cids) {
        uint256 n = _existing(modelId).versionCount;
        cids = new string[](n);
        for (uint256 i; i < n; ++i) {
            cids[i] = _versions[modelId][i].load();
        }
    }

    /// @inheritdoc IAssayMarket
    function manifestCid(uint256 modelId) external view returns (string memory) {
        return _versions[modelId][_existing(modelId).versionCount - 1].load();
    }

    /// @inheritdoc IAssayMarket
    function coAuthorsOf(uint256 modelId) external view returns (CoAuthor[] memory list) {
        uint256 n = _existing(modelId).coAuthorCount;
        list = new CoAuthor[](n);
        for (uint256 i; i < n; ++i) {
            list[i] = _coAuthors[modelId][i];
        }
    }

    /// @inheritdoc IAssayMarket
    function parentsOf(uint256 modelId) external view returns (ParentShare[] memory list) {
        uint256 n = _existing(modelId).parentCount;
        list = new ParentShare[](n);
        for (uint256 i; i < n; ++i) {
            ParentData memory p = _parents[modelId][i];
            list[i] = ParentShare(p.modelId, p.bps, p.licenceId);
        }
    }

    /// @inheritdoc IAssayMarket
    function keyCommitment(uint256 modelId) external view returns (bytes32) {
        _existing(modelId);
        return _commitments[modelId];
    }

    /// @inheritdoc IAssayMarket
    function royaltyOf(uint256 modelId) external view returns (address creator, uint16 royaltyBps) {
        ModelData memory m = _modelData[modelId];
        return (m.creator, m.royaltyBps);
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Writes tier `tierId` of `modelId` (`freeOnly`: the model must sell for 0; `modelPart`: its tier words'
    /// part from the model, `TierWordLib.forModel`).
    function _writeTier(uint256 modelId, uint256 tierId, TierInput calldata t, bool freeOnly, TierWord modelPart)
        private
    {
        _checkCid(t.termsCid, true);
        if (t.price != 0 && freeOnly) revert CommercialUseNotAllowed(modelId);
        uint256 flags = (t.commercialUse ? TierWordLib.COMMERCIAL : 0)
            | (t.derivativesAllowed ? TierWordLib.DERIVATIVES : 0) | (t.transferable ? TierWordLib.TRANSFERABLE : 0);
        _tiers[modelId][tierId] = modelPart.withTerms(t.price, t.duration, t.maxSupply, flags);
        if (bytes(t.termsCid).length != 0) _terms[modelId][tierId].store(t.termsCid);
        emit TierAdded(modelId, tierId, t);
    }

    function _tierView(uint256 modelId, uint256 tierId) internal view returns (Tier memory v) {
        TierWord t = _tiers[modelId][tierId];
        v = Tier({
            price: t.price(),
            duration: t.duration(),
            maxSupply: t.maxSupply(),
            sold: _tierSales[modelId][tierId].sold(),
            commercialUse: t.hasFlag(TierWordLib.COMMERCIAL),
            derivativesAllowed: t.hasFlag(TierWordLib.DERIVATIVES),
            transferable: t.hasFlag(TierWordLib.TRANSFERABLE),
            paused: t.hasFlag(TierWordLib.PAUSED),
            termsCid: _terms[modelId][tierId].load()
        });
    }

    /// @dev Reverts unless `cid` fits a `CidStore.Cid` (and is non-empty unless `allowEmpty`).
    function _checkCid(string calldata cid, bool allowEmpty) internal pure {
        uint256 len = bytes(cid).length;
        if (len == 0 && !allowEmpty) revert EmptyCid();
        if (len > CidStore.MAX_LENGTH) revert CidTooLong(len);
    }

    /// @dev Reverts unless the caller may derive from `parentId` under `licenceId` (0: as the parent's owner);
    /// returns whether the derivative may be sold (the licence's tier allows commercial use).
    function _derivationRights(uint256 parentId, uint256 licenceId) internal view virtual returns (bool commercial);

    function _existing(uint256 modelId) internal view returns (ModelData storage m) {
        m = _modelData[modelId];
        if (m.creator == address(0)) revert ModelNotFound(modelId);
    }

    function _onlyModelOwner(uint256 modelId) private view returns (ModelData storage m) {
        m = _existing(modelId);
        if (_modelOwner(modelId) != msg.sender) revert NotModelOwner(modelId, msg.sender);
    }

    /// @dev The owner of model token `modelId`: the one its last transfer recorded or, while it never moved, its
    /// creator (zero for a model that does not exist). Same answer as `_models.ownerOf`, without its call back here.
    function _modelOwner(uint256 modelId) internal view returns (address owner) {
        owner = _models.recordedOwnerOf(modelId);
        if (owner == address(0)) owner = _modelData[modelId].creator;
    }

    function _ownedTier(uint256 modelId, uint256 tierId) private view returns (TierWord) {
        ModelData storage m = _onlyModelOwner(modelId);
        if (tierId >= m.tierCount) revert TierNotFound(modelId, tierId);
        return _tiers[modelId][tierId];
    }
}
