// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAssayMarket} from "./interfaces/IAssayMarket.sol";
import {LicenceToken} from "./token/LicenceToken.sol";
import {LicenceWord, LicenceWordLib} from "./types/LicenceWord.sol";
import {TierWord, TierWordLib, TierSales} from "./types/TierWord.sol";
import {CidStore} from "./libraries/CidStore.sol";
import {MarketConfig} from "./market/MarketConfig.sol";
import {Catalogue} from "./market/Catalogue.sol";
import {Splits} from "./market/Splits.sol";
import {KeyEscrow} from "./market/KeyEscrow.sol";
import {Reviews} from "./market/Reviews.sol";

/// @title AssayMarket
/// @notice Catalogue, licence tiers, the "Assay Licence" ERC-721, pull-payment splits, escrowed key delivery and
/// reviews. Deploys its own `AssayModels` (the "Assay Model" ERC-721) in the constructor.
/// @dev No admin: fee, treasury, delivery window and the moderation contract (the only caller of `delist`) are
/// immutable. No ETH is ever pushed except in `withdraw`.
/// Composes `MarketConfig` (fee, treasury, delivery window), `Catalogue` (models, versions, tiers), `LicenceToken`
/// (the licence ERC-721), `Splits` (fee split and pull payments), `KeyEscrow` (escrowed key delivery) and `Reviews`; this file holds licence sales and renewals
/// and the views that read across those parts.
contract AssayMarket is LicenceToken, ReentrancyGuardTransient, MarketConfig, Catalogue, Splits, KeyEscrow, Reviews {
    using CidStore for CidStore.Cid;

    /// @param feeBps Protocol fee in bps (at most 250).
    /// @param treasury_ Receiver of protocol fees.
    /// @param deliveryWindow_ Seconds a model owner has to deliver a key after an escrowed purchase.
    /// @param challengePeriod_ Seconds after a delivery during which the buyer can challenge it.
    /// @param moderation_ The moderation contract, the only one that can delist (zero: none).
    constructor(uint16 feeBps, address treasury_, uint64 deliveryWindow_, uint64 challengePeriod_, address moderation_)
        MarketConfig(feeBps, treasury_, deliveryWindow_, challengePeriod_, moderation_)
    {}

    /*//////////////////////////////////////////////////////////////
                                LICENCES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    /// @dev Reads the tier's word (its terms and the model's bits) and writes its sales word: no model word.
    function buyLicense(uint256 modelId, uint256 tierId, bytes32 buyerKey, bytes32 keySalt)
        external
        payable
        nonReentrant
        returns (uint256 licenceId)
    {
        TierWord tier = _tiers[modelId][tierId];
        if (!tier.exists() || tier.hasFlag(TierWordLib.DELISTED)) _revertNoSale(modelId, tierId);
        if (tier.hasFlag(TierWordLib.PAUSED)) revert TierIsPaused(modelId, tierId);
        if (msg.value != tier.price()) revert WrongPayment(tier.price(), msg.value);
        TierSales sales = _tierSales[modelId][tierId];
        uint256 maxSupply = tier.maxSupply();
        if (maxSupply != 0 && sales.sold() >= maxSupply) revert SoldOut(modelId, tierId);

        uint256 flags = tier.hasFlag(TierWordLib.TRANSFERABLE) ? LicenceWordLib.FLAG_TRANSFERABLE : 0;
        if (msg.value != 0) flags |= LicenceWordLib.FLAG_PAID;
        // One more licence (ids stay below 2**64: each costs a transaction) and, for an open model, the fee.
        uint256 c = _counters + 1;
        licenceId = uint64(c);
        uint64 expiresAt;
        uint256 ownerPart;
        bool encrypted = tier.hasFlag(TierWordLib.ENCRYPTED);
        if (encrypted) {
            if (buyerKey == bytes32(0)) revert MissingBuyerKey();
            _hold(licenceId, buyerKey, keySalt);
            flags |= LicenceWordLib.FLAG_PENDING;
        } else {
            uint256 duration = tier.duration();
            if (duration != 0) expiresAt = _expiry(block.timestamp + duration);
            uint256 fee;
            (fee, ownerPart) = _split(licenceId, modelId, tier, msg.value);
            c += fee << FEES_SHIFT;
        }
        _tierSales[modelId][tierId] = sales.withSale(ownerPart);
        _counters = c;
        _mintLicence(msg.sender, licenceId, LicenceWordLib.pack(modelId, tierId, expiresAt, flags));
        emit LicencePurchased(licenceId, modelId, msg.sender, tierId, msg.value, expiresAt, buyerKey, encrypted);
    }

    /// @dev Reverts for a purchase of a tier whose word does not exist or is delisted: the model does not exist,
    /// is delisted, or has no such tier (in that order).
    function _revertNoSale(uint256 modelId, uint256 tierId) private view {
        if (_existing(modelId).delisted) revert ModelIsDelisted(modelId);
        revert TierNotFound(modelId, tierId);
    }

    /// @inheritdoc IAssayMarket
    function renew(uint256 licenceId) external payable nonReentrant returns (uint64 expiresAt) {
        LicenceWord word = _licences[licenceId];
        if (!word.exists()) revert LicenceNotFound(licenceId);
        if (word.isPending()) revert LicenceAwaitingKey(licenceId);
        uint256 modelId = word.modelId();
        uint256 tierId = word.tierId();
        TierWord tier = _tiers[modelId][tierId];
        if (tier.hasFlag(TierWordLib.DELISTED)) revert ModelIsDelisted(modelId);
        if (tier.duration() == 0) revert NotRenewable(licenceId);
        if (tier.hasFlag(TierWordLib.PAUSED)) revert TierIsPaused(modelId, tierId);
        if (msg.value != tier.price()) revert WrongPayment(tier.price(), msg.value);

        uint256 current = word.expiresAt();
        uint256 from = current > block.timestamp ? current : block.timestamp;
        expiresAt = _expiry(from + tier.duration());
        _updateLicence(licenceId, word, word.withExpiry(expiresAt));

        (uint256 fee, uint256 ownerPart) = _split(licenceId, modelId, tier, msg.value);
        _accrueFee(fee);
        if (ownerPart != 0) _tierSales[modelId][tierId] = _tierSales[modelId][tierId].withEarnings(ownerPart);
        emit LicenceRenewed(licenceId, msg.sender, msg.value, expiresAt);
    }

    /// @dev `expiry` if it fits a licence word's 40-bit field (at most `MAX_EXPIRY`), else reverts.
    function _expiry(uint256 expiry) private pure returns (uint64) {
        if (expiry > LicenceWordLib.MAX_EXPIRY) revert ExpiryOutOfRange(expiry);
        return uint64(expiry);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    function licenceCount() external view returns (uint256) {
        return uint64(_counters);
    }

    /// @inheritdoc IAssayMarket
    function hasLicence(address account, uint256 modelId) external view returns (bool) {
        return _holdsActive(account, modelId);
    }

    /// @inheritdoc IAssayMarket
    function licence(uint256 licenceId) public view returns (LicenceView memory v) {
        LicenceWord word = _licences[licenceId];
        if (!word.exists()) return v;
        v.id = licenceId;
        v.holder = word.owner();
        v.modelId = word.modelId();
        v.tierId = word.tierId();
        v.expiresAt = uint64(word.expiresAt());
        v.transferable = word.isTransferable();
        v.reviewed = word.isReviewed();
        v.paid = word.isPaid();
        if (word.isPending()) {
            Escrow memory e = _escrows[licenceId];
            v.status = e.delivered ? LicenceStatus.InChallengePeriod : LicenceStatus.AwaitingKey;
            v.escrowAmount = e.amount;
            v.deliveryDeadline = e.deadline;
        } else {
            v.status = word.isActive() ? LicenceStatus.Active : LicenceStatus.Expired;
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
            if (_licences[id].owner() != account) continue;
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
    function model(uint256 modelId) public view returns (ModelSummary memory s) {
        ModelData memory m = _modelData[modelId];
        if (m.creator == address(0)) revert ModelNotFound(modelId);
        s.id = modelId;
        s.owner = _modelOwner(modelId);
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
        s.delisted = m.delisted;
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

    /*//////////////////////////////////////////////////////////////
                              DERIVATIVES
    //////////////////////////////////////////////////////////////*/

    /// @dev The parent's owner needs no licence; anyone else names a licence of the parent that it holds, that is
    /// active (not awaiting its key, not expired) and whose tier allows derivatives. Checked once, at listing: a
    /// derivative keeps its parent when that licence later expires or moves.
    function _derivationRights(uint256 parentId, uint256 licenceId) internal view override returns (bool) {
        if (licenceId == 0) {
            if (_modelOwner(parentId) != msg.sender) revert ParentLicenceRequired(parentId);
            return true;
        }
        LicenceWord word = _licences[licenceId];
        if (word.owner() != msg.sender || word.modelId() != parentId) revert NotParentLicence(parentId, licenceId);
        if (!word.isActive()) revert ParentLicenceInactive(parentId, licenceId);
        TierWord tier = _tiers[parentId][word.tierId()];
        if (!tier.hasFlag(TierWordLib.DERIVATIVES)) revert DerivativesNotAllowed(parentId, licenceId);
        return tier.hasFlag(TierWordLib.COMMERCIAL);
    }

    /*//////////////////////////////////////////////////////////////
                               MODERATION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayMarket
    /// @dev One bit in the model's word, read by `buyLicense`, `renew`, `publishVersion` and `addTier` from the slot
    /// they load anyway. The moderation contract calls it once per model (a delisted model cannot be flagged again).
    /// Without moderation (`_moderation` zero) nothing delists, not even a call whose sender reads as zero.
    function delist(uint256 modelId) external {
        if (msg.sender != _moderation || msg.sender == address(0)) revert NotModeration(msg.sender);
        ModelData storage m = _existing(modelId);
        m.delisted = true;
        // Sales and renewals read the bit from the tier's word.
        uint256 n = m.tierCount;
        for (uint256 t; t < n; ++t) {
            _tiers[modelId][t] = _tiers[modelId][t].withFlag(TierWordLib.DELISTED, true);
        }
        emit ModelDelisted(modelId);
        _models.metadataUpdated(modelId);
    }

    /*//////////////////////////////////////////////////////////////
                            LICENCE TOKEN HOOKS
    //////////////////////////////////////////////////////////////*/

    /// @dev Licences of non-transferable tiers, and licences awaiting their key, cannot move.
    function _checkTransfer(uint256 tokenId, LicenceWord word) internal pure override {
        if (word.isPending()) revert LicenceAwaitingKey(tokenId);
        if (!word.isTransferable()) revert NonTransferable(tokenId);
    }

    /// @dev `ipfs://<terms CID of the licence's tier>` (empty when the tier has no terms CID).
    function _licenceURI(uint256, LicenceWord word) internal view override returns (string memory) {
        string memory terms = _terms[word.modelId()][word.tierId()].load();
        return bytes(terms).length == 0 ? "" : string.concat("ipfs://", terms);
    }
}
