// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAssayMarket} from "./interfaces/IAssayMarket.sol";
import {AssayModels} from "./AssayModels.sol";
import {LicenceToken} from "./token/LicenceToken.sol";
import {CidStore} from "./libraries/CidStore.sol";

/// @title AssayMarket
/// @notice Catalogue, licence tiers, the "Assay Licence" ERC-721, pull-payment splits, escrowed key delivery and
/// reviews. Deploys its own `AssayModels` (the "Assay Model" ERC-721) in the constructor.
/// @dev No admin: fee, treasury and delivery window are immutable. No ETH is ever pushed except in `withdraw`.
contract AssayMarket is IAssayMarket, LicenceToken, ReentrancyGuardTransient {
    using CidStore for CidStore.Cid;

    /*//////////////////////////////////////////////////////////////
                               CONSTANTS
    //////////////////////////////////////////////////////////////*/

    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_FEE_BPS = 250;
    uint256 public constant MAX_ROYALTY_BPS = 1_000;
    uint256 public constant MAX_CO_AUTHORS = 8;
    uint256 public constant MAX_PARENTS = 4;
    uint256 public constant MAX_TIERS = 16;

    uint8 private constant T_COMMERCIAL = 1;
    uint8 private constant T_DERIVATIVES = 2;
    uint8 private constant T_TRANSFERABLE = 4;
    uint8 private constant T_PAUSED = 8;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @dev One slot (240 bits).
    struct ModelData {
        address creator;
        uint32 versionCount;
        uint8 tierCount;
        uint8 coAuthorCount;
        uint8 parentCount;
        uint16 royaltyBps;
        bool encrypted;
    }

    /// @dev One slot (200 bits). `flags`: T_* bits.
    struct TierData {
        uint96 price;
        uint32 duration;
        uint32 maxSupply;
        uint32 sold;
        uint8 flags;
    }

    /// @dev One slot each.
    struct ParentData {
        uint64 modelId;
        uint16 bps;
    }

    struct Rating {
        uint64 sum;
        uint64 count;
    }

    /// @dev One slot: payment held for an undelivered licence and the delivery deadline.
    struct Escrow {
        uint96 amount;
        uint40 deadline;
    }

    /// @dev One slot written by every sale: licence counter and accrued protocol fees.
    struct Counters {
        uint64 licenceCount;
        uint192 protocolFees;
    }

    AssayModels private immutable _models;
    address private immutable _treasury;
    uint16 private immutable _feeBps;
    uint64 private immutable _deliveryWindow;

    uint256 private _modelCount;
    Counters private _counters;
    uint256 private _totalEscrowed;

    mapping(uint256 modelId => ModelData) private _modelData;
    mapping(uint256 modelId => bytes32) private _commitments;
    mapping(uint256 modelId => mapping(uint256 version => CidStore.Cid)) private _versions;
    mapping(uint256 modelId => mapping(uint256 tierId => TierData)) private _tiers;
    mapping(uint256 modelId => mapping(uint256 tierId => CidStore.Cid)) private _terms;
    mapping(uint256 modelId => mapping(uint256 index => CoAuthor)) private _coAuthors;
    mapping(uint256 modelId => mapping(uint256 index => ParentData)) private _parents;
    mapping(uint256 modelId => Rating) private _ratings;
    mapping(address account => uint256) private _balances;
    mapping(uint256 licenceId => Escrow) private _escrows;
    mapping(uint256 licenceId => bytes32) private _buyerKeys;
    mapping(uint256 licenceId => bytes) private _deliveredKeys;

    /// @param feeBps Protocol fee in bps (at most 250).
    /// @param treasury_ Receiver of protocol fees.
    /// @param deliveryWindow_ Seconds a model owner has to deliver a key after an escrowed purchase.
    constructor(uint16 feeBps, address treasury_, uint64 deliveryWindow_) {
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        if (treasury_ == address(0)) revert ZeroAddress();
        if (deliveryWindow_ == 0) revert ZeroDeliveryWindow();
        _feeBps = feeBps;
        _treasury = treasury_;
        _deliveryWindow = deliveryWindow_;
        _models = new AssayModels(address(this));
    }

    /*//////////////////////////////////////////////////////////////
                            MODEL REGISTRY
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
        for (uint256 i; i < parents.length; ++i) {
            ParentShare calldata p = parents[i];
            if (p.modelId == modelId) revert SelfParent(modelId);
            if (p.modelId == 0 || p.modelId >= modelId) revert ParentNotFound(p.modelId);
            if (p.bps == 0) revert ZeroShare();
            totalBps += p.bps;
            _parents[modelId][i] = ParentData(uint64(p.modelId), p.bps);
        }
        for (uint256 i; i < coAuthors.length; ++i) {
            CoAuthor calldata a = coAuthors[i];
            if (a.account == address(0)) revert ZeroAddress();
            if (a.bps == 0) revert ZeroShare();
            totalBps += a.bps;
            _coAuthors[modelId][i] = a;
        }
        if (totalBps > BPS) revert SharesExceedTotal(totalBps);

        _modelData[modelId] = ModelData({
            creator: msg.sender,
            versionCount: 1,
            tierCount: uint8(tiers.length),
            coAuthorCount: uint8(coAuthors.length),
            parentCount: uint8(parents.length),
            royaltyBps: royaltyBps,
            encrypted: keyCommitment_ != bytes32(0)
        });
        if (keyCommitment_ != bytes32(0)) _commitments[modelId] = keyCommitment_;
        _versions[modelId][0].store(manifestCid_);

        _models.mint(msg.sender, modelId);
        emit ModelListed(modelId, msg.sender, manifestCid_, keyCommitment_, royaltyBps, coAuthors, parents);

        for (uint256 i; i < tiers.length; ++i) {
            _writeTier(modelId, i, tiers[i]);
        }
    }

    /// @inheritdoc IAssayMarket
    function publishVersion(uint256 modelId, string calldata manifestCid_) external returns (uint256 version) {
        ModelData storage m = _onlyModelOwner(modelId);
        _checkCid(manifestCid_, false);
        version = m.versionCount;
        if (version == type(uint32).max) revert TooManyVersions();
        m.versionCount = uint32(version + 1);
        _versions[modelId][version].store(manifestCid_);
        emit VersionPublished(modelId, version, manifestCid_);
    }

    /// @inheritdoc IAssayMarket
    function addTier(uint256 modelId, TierInput calldata tier) external returns (uint256 tierId) {
        ModelData storage m = _onlyModelOwner(modelId);
        tierId = m.tierCount;
        if (tierId >= MAX_TIERS) revert TooManyTiers(tierId + 1);
        m.tierCount = uint8(tierId + 1);
        _writeTier(modelId, tierId, tier);
    }

    /// @inheritdoc IAssayMarket
    function setTierPrice(uint256 modelId, uint256 tierId, uint96 price) external {
        TierData storage t = _ownedTier(modelId, tierId);
        uint96 old = t.price;
        t.price = price;
        emit TierPriceChanged(modelId, tierId, old, price);
    }

    /// @inheritdoc IAssayMarket
    function setTierPaused(uint256 modelId, uint256 tierId, bool paused) external {
        TierData storage t = _ownedTier(modelId, tierId);
        t.flags = paused ? t.flags | T_PAUSED : t.flags & ~T_PAUSED;
        emit TierPausedSet(modelId, tierId, paused);
    }

    /*//////////////////////////////////////////////////////////////
                                LICENCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    function buyLicense(uint256 modelId, uint256 tierId, bytes32 buyerKey)
        external
        payable
        nonReentrant
        returns (uint256 licenceId)
    {
        ModelData memory m = _modelData[modelId];
        if (m.creator == address(0)) revert ModelNotFound(modelId);
        (uint256 data, uint256 duration) = _reserve(modelId, tierId, m.tierCount);
        Counters memory c = _counters;
        unchecked {
            licenceId = uint256(c.licenceCount) + 1;
        }
        uint64 expiresAt;
        if (m.encrypted) {
            if (buyerKey == bytes32(0)) revert MissingBuyerKey();
            data |= FLAG_PENDING << FLAGS_SHIFT;
            _escrows[licenceId] = Escrow(uint96(msg.value), uint40(block.timestamp + _deliveryWindow));
            _buyerKeys[licenceId] = buyerKey;
            _totalEscrowed += msg.value;
            _counters = Counters(uint64(licenceId), c.protocolFees);
        } else {
            if (duration != 0) {
                expiresAt = uint64(block.timestamp + duration);
                data |= uint256(expiresAt) << EXPIRY_SHIFT;
            }
            uint256 fee = _split(licenceId, modelId, m, msg.value);
            _counters = Counters(uint64(licenceId), c.protocolFees + uint192(fee));
        }
        _mintLicence(msg.sender, licenceId, data);
        emit LicencePurchased(licenceId, modelId, msg.sender, tierId, msg.value, expiresAt, buyerKey, m.encrypted);
    }

    /// @dev Checks a sale of one licence of a tier (exists, not paused, exact payment, supply left), counts it,
    /// and returns the licence word (without owner, expiry, pending flag) and the tier duration.
    function _reserve(uint256 modelId, uint256 tierId, uint256 tierCount)
        private
        returns (uint256 data, uint256 duration)
    {
        if (tierId >= tierCount) revert TierNotFound(modelId, tierId);
        TierData storage t = _tiers[modelId][tierId];
        TierData memory tier = t;
        if (tier.flags & T_PAUSED != 0) revert TierIsPaused(modelId, tierId);
        if (msg.value != tier.price) revert WrongPayment(tier.price, msg.value);
        if (tier.maxSupply != 0 && tier.sold >= tier.maxSupply) revert SoldOut(modelId, tierId);
        t.sold = tier.sold + 1;
        duration = tier.duration;
        data = (modelId << MODEL_SHIFT) | (tierId << TIER_SHIFT)
            | (tier.flags & T_TRANSFERABLE != 0 ? FLAG_TRANSFERABLE << FLAGS_SHIFT : 0);
    }

    /// @inheritdoc IAssayMarket
    function renew(uint256 licenceId) external payable nonReentrant returns (uint64 expiresAt) {
        uint256 word = _licences[licenceId];
        if (word & OWNER_MASK == 0) revert LicenceNotFound(licenceId);
        if (_flags(word) & FLAG_PENDING != 0) revert LicenceAwaitingKey(licenceId);
        uint256 modelId = _modelOf(word);
        uint256 tierId = _tierOf(word);
        TierData memory tier = _tiers[modelId][tierId];
        if (tier.duration == 0) revert NotRenewable(licenceId);
        if (tier.flags & T_PAUSED != 0) revert TierIsPaused(modelId, tierId);
        if (msg.value != tier.price) revert WrongPayment(tier.price, msg.value);

        uint256 current = _expiryOf(word);
        uint256 from = current > block.timestamp ? current : block.timestamp;
        expiresAt = uint64(from + tier.duration);
        _licences[licenceId] = (word & ~(uint256(type(uint40).max) << EXPIRY_SHIFT))
            | (uint256(expiresAt) << EXPIRY_SHIFT);

        uint256 fee = _split(licenceId, modelId, _modelData[modelId], msg.value);
        _counters.protocolFees += uint192(fee);
        emit LicenceRenewed(licenceId, msg.sender, msg.value, expiresAt);
    }

    /// @inheritdoc IAssayMarket
    function deliverKey(uint256 licenceId, bytes calldata encryptedKey) external nonReentrant {
        uint256 word = _licences[licenceId];
        if (word & OWNER_MASK == 0) revert LicenceNotFound(licenceId);
        uint256 modelId = _modelOf(word);
        address modelOwner = _models.ownerOf(modelId);
        if (msg.sender != modelOwner) revert NotModelOwner(modelId, msg.sender);
        if (_flags(word) & FLAG_PENDING == 0) revert NotAwaitingKey(licenceId);
        Escrow memory e = _escrows[licenceId];
        if (block.timestamp > e.deadline) revert DeliveryWindowClosed(licenceId, e.deadline);
        if (encryptedKey.length == 0) revert EmptyKey();

        uint256 tierId = _tierOf(word);
        uint32 duration = _tiers[modelId][tierId].duration;
        uint64 expiresAt = duration == 0 ? 0 : uint64(block.timestamp + duration);
        _licences[licenceId] = (word & ~((uint256(type(uint40).max) << EXPIRY_SHIFT) | (FLAG_PENDING << FLAGS_SHIFT)))
            | (uint256(expiresAt) << EXPIRY_SHIFT);
        delete _escrows[licenceId];
        _totalEscrowed -= e.amount;
        _deliveredKeys[licenceId] = encryptedKey;

        uint256 fee = _split(licenceId, modelId, _modelData[modelId], e.amount);
        _counters.protocolFees += uint192(fee);
        emit KeyDelivered(licenceId, modelId, encryptedKey, expiresAt);
    }

    /// @inheritdoc IAssayMarket
    function reclaim(uint256 licenceId) external nonReentrant {
        uint256 word = _licences[licenceId];
        address holder = address(uint160(word));
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        if (_flags(word) & FLAG_PENDING == 0) revert NotAwaitingKey(licenceId);
        Escrow memory e = _escrows[licenceId];
        if (block.timestamp <= e.deadline) revert DeliveryWindowOpen(licenceId, e.deadline);

        uint256 modelId = _modelOf(word);
        _tiers[modelId][_tierOf(word)].sold -= 1;
        delete _escrows[licenceId];
        delete _buyerKeys[licenceId];
        _totalEscrowed -= e.amount;
        _burnLicence(licenceId, holder);
        if (e.amount != 0) {
            _balances[holder] += e.amount;
            emit Credited(holder, licenceId, e.amount);
        }
        emit LicenceReclaimed(licenceId, modelId, holder, e.amount);
    }

    /// @inheritdoc IAssayMarket
    function review(uint256 licenceId, uint8 rating, string calldata commentCid) external {
        uint256 word = _licences[licenceId];
        address holder = address(uint160(word));
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        uint256 flags = _flags(word);
        if (flags & FLAG_PENDING != 0) revert LicenceAwaitingKey(licenceId);
        if (flags & FLAG_REVIEWED != 0) revert AlreadyReviewed(licenceId);
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        _checkCid(commentCid, true);

        _licences[licenceId] = word | (FLAG_REVIEWED << FLAGS_SHIFT);
        uint256 modelId = _modelOf(word);
        Rating storage r = _ratings[modelId];
        r.sum += rating;
        r.count += 1;
        emit Reviewed(licenceId, modelId, msg.sender, rating, commentCid);
    }

    /// @inheritdoc IAssayMarket
    function withdraw() external nonReentrant returns (uint256 amount) {
        amount = _balances[msg.sender];
        if (amount != 0) _balances[msg.sender] = 0;
        if (msg.sender == _treasury) {
            uint256 fees = _counters.protocolFees;
            if (fees != 0) {
                _counters.protocolFees = 0;
                amount += fees;
            }
        }
        if (amount == 0) revert NothingToWithdraw();
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert WithdrawFailed(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    function models() external view returns (address) {
        return address(_models);
    }

    /// @inheritdoc IAssayMarket
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IAssayMarket
    function protocolFeeBps() external view returns (uint16) {
        return _feeBps;
    }

    /// @inheritdoc IAssayMarket
    function deliveryWindow() external view returns (uint64) {
        return _deliveryWindow;
    }

    /// @inheritdoc IAssayMarket
    function modelCount() external view returns (uint256) {
        return _modelCount;
    }

    /// @inheritdoc IAssayMarket
    function licenceCount() external view returns (uint256) {
        return _counters.licenceCount;
    }

    /// @inheritdoc IAssayMarket
    function withdrawable(address account) external view returns (uint256 amount) {
        amount = _balances[account];
        if (account == _treasury) amount += _counters.protocolFees;
    }

    /// @inheritdoc IAssayMarket
    function totalEscrowed() external view returns (uint256) {
        return _totalEscrowed;
    }

    /// @inheritdoc IAssayMarket
    function hasLicence(address account, uint256 modelId) external view returns (bool) {
        uint256 n = _receivedCount(account);
        for (uint256 i; i < n; ++i) {
            uint256 word = _licences[_receivedAt(account, i)];
            if (address(uint160(word)) == account && _modelOf(word) == modelId && _isActive(word)) return true;
        }
        return false;
    }

    /// @inheritdoc IAssayMarket
    function licence(uint256 licenceId) public view returns (LicenceView memory v) {
        uint256 word = _licences[licenceId];
        if (word & OWNER_MASK == 0) return v;
        uint256 flags = _flags(word);
        v.id = licenceId;
        v.holder = address(uint160(word));
        v.modelId = _modelOf(word);
        v.tierId = _tierOf(word);
        v.expiresAt = uint64(_expiryOf(word));
        v.transferable = flags & FLAG_TRANSFERABLE != 0;
        v.reviewed = flags & FLAG_REVIEWED != 0;
        if (flags & FLAG_PENDING != 0) {
            Escrow memory e = _escrows[licenceId];
            v.status = LicenceStatus.AwaitingKey;
            v.escrowAmount = e.amount;
            v.deliveryDeadline = e.deadline;
        } else {
            v.status = _isActive(word) ? LicenceStatus.Active : LicenceStatus.Expired;
        }
    }

    /// @inheritdoc IAssayMarket
    function licencesOf(address account, uint256 cursor, uint256 limit)
        external
        view
        returns (LicenceView[] memory page, uint256 nextCursor, uint256 end)
    {
        end = _receivedCount(account);
        nextCursor = cursor + limit < end ? cursor + limit : end;
        if (cursor >= nextCursor) return (page, end, end);
        page = new LicenceView[](nextCursor - cursor);
        uint256 found;
        for (uint256 i = cursor; i < nextCursor; ++i) {
            uint256 id = _receivedAt(account, i);
            if (address(uint160(_licences[id])) != account) continue;
            bool dup;
            for (uint256 j; j < found; ++j) {
                if (page[j].id == id) {
                    dup = true;
                    break;
                }
            }
            if (!dup) page[found++] = licence(id);
        }
        assembly ("memory-safe") {
            mstore(page, found)
        }
    }

    /// @inheritdoc IAssayMarket
    function deliveredKey(uint256 licenceId) external view returns (bytes memory) {
        return _deliveredKeys[licenceId];
    }

    /// @inheritdoc IAssayMarket
    function buyerKeyOf(uint256 licenceId) external view returns (bytes32) {
        return _buyerKeys[licenceId];
    }

    /// @inheritdoc IAssayMarket
    function model(uint256 modelId) public view returns (ModelSummary memory s) {
        ModelData memory m = _modelData[modelId];
        if (m.creator == address(0)) revert ModelNotFound(modelId);
        s.id = modelId;
        s.owner = _models.ownerOf(modelId);
        s.creator = m.creator;
        s.manifestCid = _versions[modelId][m.versionCount - 1].load();
        s.encrypted = m.encrypted;
        s.versionCount = m.versionCount;
        s.royaltyBps = m.royaltyBps;
        Rating memory r = _ratings[modelId];
        s.ratingSum = r.sum;
        s.ratingCount = r.count;
        s.tiers = new Tier[](m.tierCount);
        uint64 sales;
        for (uint256 i; i < m.tierCount; ++i) {
            s.tiers[i] = _tierView(modelId, i);
            sales += s.tiers[i].sold;
        }
        s.sales = sales;
    }

    /// @inheritdoc IAssayMarket
    function modelsPage(uint256 offset, uint256 limit)
        external
        view
        returns (ModelSummary[] memory page, uint256 total)
    {
        total = _modelCount;
        if (offset >= total) return (page, total);
        uint256 n = total - offset < limit ? total - offset : limit;
        page = new ModelSummary[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = model(offset + i + 1);
        }
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
            list[i] = ParentShare(p.modelId, p.bps);
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

    /// @dev Splits `amount` for a sale of `modelId`: fee (returned, accrued by the caller), then each parent's
    /// share of the rest to the parent's current owner, then each co-author's share of the rest, and the
    /// remainder (including all rounding dust) to the model's current owner. Credits only; never sends ETH.
    function _split(uint256 licenceId, uint256 modelId, ModelData memory m, uint256 amount)
        private
        returns (uint256 fee)
    {
        if (amount == 0) return 0;
        unchecked {
            // amount < 2**96 and bps <= 10_000: no overflow; shares sum to at most `rest`.
            fee = amount * _feeBps / BPS;
            uint256 rest = amount - fee;
            uint256 remaining = rest;
            for (uint256 i; i < m.parentCount; ++i) {
                ParentData memory p = _parents[modelId][i];
                uint256 share = rest * p.bps / BPS;
                if (share != 0) {
                    remaining -= share;
                    _credit(_models.ownerOf(p.modelId), licenceId, share);
                }
            }
            for (uint256 i; i < m.coAuthorCount; ++i) {
                CoAuthor memory a = _coAuthors[modelId][i];
                uint256 share = rest * a.bps / BPS;
                if (share != 0) {
                    remaining -= share;
                    _credit(a.account, licenceId, share);
                }
            }
            if (remaining != 0) _credit(_models.ownerOf(modelId), licenceId, remaining);
        }
        if (fee != 0) emit Credited(_treasury, licenceId, fee);
    }

    function _credit(address account, uint256 licenceId, uint256 amount) private {
        _balances[account] += amount;
        emit Credited(account, licenceId, amount);
    }

    function _writeTier(uint256 modelId, uint256 tierId, TierInput calldata t) private {
        _checkCid(t.termsCid, true);
        uint8 flags = (t.commercialUse ? T_COMMERCIAL : 0) | (t.derivativesAllowed ? T_DERIVATIVES : 0)
            | (t.transferable ? T_TRANSFERABLE : 0);
        _tiers[modelId][tierId] = TierData(t.price, t.duration, t.maxSupply, 0, flags);
        if (bytes(t.termsCid).length != 0) _terms[modelId][tierId].store(t.termsCid);
        emit TierAdded(modelId, tierId, t);
    }

    function _tierView(uint256 modelId, uint256 tierId) private view returns (Tier memory v) {
        TierData memory t = _tiers[modelId][tierId];
        v = Tier({
            price: t.price,
            duration: t.duration,
            maxSupply: t.maxSupply,
            sold: t.sold,
            commercialUse: t.flags & T_COMMERCIAL != 0,
            derivativesAllowed: t.flags & T_DERIVATIVES != 0,
            transferable: t.flags & T_TRANSFERABLE != 0,
            paused: t.flags & T_PAUSED != 0,
            termsCid: _terms[modelId][tierId].load()
        });
    }

    function _checkCid(string calldata cid, bool allowEmpty) private pure {
        uint256 len = bytes(cid).length;
        if (len == 0 && !allowEmpty) revert EmptyCid();
        if (len > CidStore.MAX_LENGTH) revert CidTooLong(len);
    }

    function _existing(uint256 modelId) private view returns (ModelData storage m) {
        m = _modelData[modelId];
        if (m.creator == address(0)) revert ModelNotFound(modelId);
    }

    function _onlyModelOwner(uint256 modelId) private view returns (ModelData storage m) {
        m = _existing(modelId);
        if (_models.ownerOf(modelId) != msg.sender) revert NotModelOwner(modelId, msg.sender);
    }

    function _ownedTier(uint256 modelId, uint256 tierId) private view returns (TierData storage) {
        ModelData storage m = _onlyModelOwner(modelId);
        if (tierId >= m.tierCount) revert TierNotFound(modelId, tierId);
        return _tiers[modelId][tierId];
    }

    function _isActive(uint256 word) private view returns (bool) {
        if (_flags(word) & FLAG_PENDING != 0) return false;
        uint256 expiry = _expiryOf(word);
        return expiry == 0 || expiry > block.timestamp;
    }

    function _modelOf(uint256 word) private pure returns (uint256) {
        return (word >> MODEL_SHIFT) & 0xffffffff;
    }

    function _tierOf(uint256 word) private pure returns (uint256) {
        return (word >> TIER_SHIFT) & 0xff;
    }

    function _expiryOf(uint256 word) private pure returns (uint256) {
        return (word >> EXPIRY_SHIFT) & 0xffffffffff;
    }

    function _flags(uint256 word) private pure returns (uint256) {
        return (word >> FLAGS_SHIFT) & 0xff;
    }

    /// @dev Licences of non-transferable tiers, and licences awaiting their key, cannot move.
    function _checkTransfer(uint256 tokenId, uint256 word) internal pure override {
        uint256 flags = _flags(word);
        if (flags & FLAG_PENDING != 0) revert LicenceAwaitingKey(tokenId);
        if (flags & FLAG_TRANSFERABLE == 0) revert NonTransferable(tokenId);
    }

    /// @dev `ipfs://<terms CID of the licence's tier>` (empty when the tier has no terms CID).
    function _licenceURI(uint256, uint256 word) internal view override returns (string memory) {
        string memory terms = _terms[_modelOf(word)][_tierOf(word)].load();
        return bytes(terms).length == 0 ? "" : string.concat("ipfs://", terms);
    }
}
