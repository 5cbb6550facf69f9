// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayMarket
/// @notice The Assay marketplace: model catalogue (versions, co-authors, parents, licence tiers), the
/// "Assay Licence" ERC-721 (one token per purchase), pull-payment splitting, escrowed key delivery and reviews.
/// @dev Self-contained on purpose (no imports): the Rust app generates its bindings from this file with alloy's
/// `sol!`. The ERC-721 functions of the licence token are declared in `IAssayERC721.sol`.
/// Conventions: model ids and licence ids start at 1; tier ids start at 0; `expiresAt == 0` means perpetual;
/// all basis points are out of 10_000.
interface IAssayMarket {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A co-author of a model and their share of each sale (after the protocol fee).
    struct CoAuthor {
        address account;
        uint16 bps;
    }

    /// @notice A parent model (this model is a derivative of it), its share of each sale (after the fee), and the
    /// lister's licence of it under which the derivative is made: active, not awaiting its key, of a tier that allows
    /// derivatives. `licenceId` 0 = the lister owns the parent model and needs no licence of it.
    struct ParentShare {
        uint256 modelId;
        uint16 bps;
        uint256 licenceId;
    }

    /// @notice Licence tier parameters supplied by the model owner.
    /// @param price Price in wei.
    /// @param duration Licence duration in seconds; 0 = perpetual.
    /// @param maxSupply Maximum number of licences sold in this tier; 0 = unlimited.
    /// @param termsCid IPFS CID of the licence terms (at most 63 bytes; may be empty).
    struct TierInput {
        uint96 price;
        uint32 duration;
        uint32 maxSupply;
        bool commercialUse;
        bool derivativesAllowed;
        bool transferable;
        string termsCid;
    }

    /// @notice A licence tier as stored.
    struct Tier {
        uint96 price;
        uint32 duration;
        uint32 maxSupply;
        uint32 sold;
        bool commercialUse;
        bool derivativesAllowed;
        bool transferable;
        bool paused;
        string termsCid;
    }

    /// @notice Compact catalogue entry returned by the paged views.
    /// @param manifestCid CID of the latest published version's model card.
    /// @param encrypted True when the weights are encrypted (key commitment != 0): purchases go through escrow.
    /// @param sales Licences sold over all tiers (reclaimed ones excluded).
    /// @param delisted Delisted by the moderation contract: no new licences, renewals, versions or tiers.
    struct ModelSummary {
        uint256 id;
        address owner;
        address creator;
        string manifestCid;
        bool encrypted;
        uint32 versionCount;
        uint16 royaltyBps;
        uint64 ratingSum;
        uint64 ratingCount;
        uint64 sales;
        Tier[] tiers;
        bool delisted;
    }

    /// @notice Why an amount was credited: the protocol fee, a parent model's share, a co-author's share, the
    /// model owner's part (the rest), or a refund of an undelivered purchase.
    enum Role {
        Fee,
        Parent,
        CoAuthor,
        Owner,
        Refund
    }

    /// @notice Lifecycle of a licence. `InChallengePeriod`: the key was delivered, the payment is still in escrow
    /// until the challenge deadline (the buyer can prove a wrong key with `challenge`), then `release` ends it.
    enum LicenceStatus {
        None,
        AwaitingKey,
        Active,
        Expired,
        InChallengePeriod
    }

    /// @notice A licence as returned by the views.
    /// @param expiresAt Unix time the licence expires; 0 = perpetual (also 0 while awaiting the key).
    /// @param escrowAmount Payment held in escrow (while awaiting the key and in the challenge period).
    /// @param deliveryDeadline The escrow's deadline: while awaiting the key, the last second the owner can deliver
    /// it; in the challenge period, the last second the holder can `challenge` (`release` is possible after it).
    /// @param paid Bought at a price above 0: only such a licence can carry a review (and not from an insider).
    struct LicenceView {
        uint256 id;
        address holder;
        uint256 modelId;
        uint256 tierId;
        uint64 expiresAt;
        LicenceStatus status;
        bool transferable;
        bool reviewed;
        bool paid;
        uint96 escrowAmount;
        uint64 deliveryDeadline;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice A model NFT was minted to `creator` with its first version and tiers.
    event ModelListed(
        uint256 indexed modelId,
        address indexed creator,
        string manifestCid,
        bytes32 keyCommitment,
        uint16 royaltyBps,
        CoAuthor[] coAuthors,
        ParentShare[] parents
    );
    /// @notice The market was deployed with these fixed parameters (its model token, fee receiver, fee in bps and
    /// key-delivery window in seconds).
    event MarketDeployed(address indexed models, address indexed treasury, uint16 feeBps, uint64 deliveryWindow);
    /// @notice A new version (model card) was appended by `publisher` (the model's owner at the time); `version`
    /// counts from 0 (the listing). The model token emits ERC-4906 `MetadataUpdate` with it.
    event VersionPublished(
        uint256 indexed modelId, uint256 indexed version, string manifestCid, address indexed publisher
    );
    /// @notice A licence tier was added.
    event TierAdded(uint256 indexed modelId, uint256 indexed tierId, TierInput tier);
    /// @notice A tier's price changed (licences already sold are unaffected).
    event TierPriceChanged(uint256 indexed modelId, uint256 indexed tierId, uint96 oldPrice, uint96 newPrice);
    /// @notice A tier was paused or unpaused.
    event TierPausedSet(uint256 indexed modelId, uint256 indexed tierId, bool paused);
    /// @notice A licence was bought. `escrowed` is true for encrypted models (payment held until key delivery).
    event LicencePurchased(
        uint256 indexed licenceId,
        uint256 indexed modelId,
        address indexed buyer,
        uint256 tierId,
        uint256 price,
        uint64 expiresAt,
        bytes32 buyerKey,
        bool escrowed
    );
    /// @notice A licence was renewed by `payer`; `expiresAt` is the new expiry.
    event LicenceRenewed(uint256 indexed licenceId, address indexed payer, uint256 price, uint64 expiresAt);
    /// @notice `account`'s withdrawable balance was credited `amount` from the sale or renewal of `licenceId`, as
    /// `role` (`Fee` to the treasury, `CoAuthor`, or `Refund` to the buyer of an undelivered licence).
    event Credited(address indexed account, uint256 indexed licenceId, uint256 amount, Role role);
    /// @notice Model `modelId`'s earnings were credited `amount` from the sale or renewal of `licenceId`, as `role`
    /// (`Owner`: the rest after fee and shares; `Parent`: its share as a parent of the model sold). Earnings belong
    /// to the model, not to an address: whoever owns the model NFT when claiming gets them (`claim`).
    event EarningsCredited(uint256 indexed modelId, uint256 indexed licenceId, uint256 amount, Role role);
    /// @notice `owner`, the model's owner at the time, claimed `amount` of its earnings.
    event EarningsClaimed(uint256 indexed modelId, address indexed owner, uint256 amount);
    /// @notice An encrypted model's licence was bought: `amount` is held until the key is delivered (by
    /// `deliveryDeadline`, inclusive) and released; `keySalt` names the buyer's per-licence key (with the model id,
    /// in the `LicenceKey` typed data the buyer signs; `buyerKey` in `LicencePurchased` is its public `x`).
    event EscrowHeld(uint256 indexed licenceId, uint256 amount, uint64 deliveryDeadline, bytes32 keySalt);
    /// @notice The model owner delivered the content key sealed to the licence's key (`E.x ‖ key ⊕ mask`, 64 bytes);
    /// the term runs to `expiresAt`; the payment stays in escrow until `challengeDeadline` (inclusive), during which
    /// the holder can prove the key wrong with `challenge`.
    event KeyDelivered(
        uint256 indexed licenceId, uint256 indexed modelId, bytes sealedKey, uint64 expiresAt, uint64 challengeDeadline
    );
    /// @notice The holder proved the delivered key wrong: the licence was burned, `refund` credited to `buyer`, and
    /// the model creator's record now counts `failedDeliveries` failed deliveries.
    event DeliveryChallenged(
        uint256 indexed licenceId,
        uint256 indexed modelId,
        address indexed creator,
        address buyer,
        uint256 refund,
        uint256 failedDeliveries
    );
    /// @notice After the challenge period the escrowed `amount` was split and credited; the licence is active.
    event EscrowReleased(uint256 indexed licenceId, uint256 indexed modelId, uint256 amount);
    /// @notice The market's challenge period (seconds after a delivery), fixed at deployment.
    event ChallengePeriodSet(uint64 challengePeriod);
    /// @notice The buyer reclaimed an undelivered licence: it was burned and `refund` credited to them.
    event LicenceReclaimed(uint256 indexed licenceId, uint256 indexed modelId, address indexed buyer, uint256 refund);
    /// @notice A licence holder reviewed a model.
    event Reviewed(
        uint256 indexed licenceId, uint256 indexed modelId, address indexed reviewer, uint8 rating, string commentCid
    );
    /// @notice `account` withdrew `amount` wei.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice The moderation contract delisted model `modelId` (a flag upheld or unanswered): it sells no new
    /// licences, renewals, versions or tiers; licences sold before keep working. The model token emits ERC-4906
    /// `MetadataUpdate` with it.
    event ModelDelisted(uint256 indexed modelId);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error FeeTooHigh(uint256 feeBps);
    error ZeroAddress();
    error ZeroDeliveryWindow();
    /// @notice The key-delivery window is longer than 30 days.
    error DeliveryWindowTooLong(uint256 window);
    error EmptyCid();
    error CidTooLong(uint256 length);
    error NoTiers();
    error TooManyCoAuthors(uint256 count);
    error TooManyParents(uint256 count);
    error TooManyTiers(uint256 count);
    error TooManyVersions();
    error ZeroShare();
    error SharesExceedTotal(uint256 totalBps);
    error ParentNotFound(uint256 parentId);
    error SelfParent(uint256 modelId);
    /// @notice Declaring model `parentId` a parent needs a licence of it (licence 0 is only for its owner).
    error ParentLicenceRequired(uint256 parentId);
    /// @notice Licence `licenceId` is not the caller's licence of model `parentId`.
    error NotParentLicence(uint256 parentId, uint256 licenceId);
    /// @notice Licence `licenceId` of model `parentId` has expired or is still awaiting its key.
    error ParentLicenceInactive(uint256 parentId, uint256 licenceId);
    /// @notice The tier of licence `licenceId` does not allow derivatives of model `parentId`.
    error DerivativesNotAllowed(uint256 parentId, uint256 licenceId);
    /// @notice Model `modelId` derives from a parent licensed without commercial use: its tiers must stay free.
    error CommercialUseNotAllowed(uint256 modelId);
    error RoyaltyTooHigh(uint256 royaltyBps);
    error ModelNotFound(uint256 modelId);
    error NotModelOwner(uint256 modelId, address caller);
    error TierNotFound(uint256 modelId, uint256 tierId);
    error TierIsPaused(uint256 modelId, uint256 tierId);
    error SoldOut(uint256 modelId, uint256 tierId);
    error WrongPayment(uint256 expected, uint256 sent);
    error MissingBuyerKey();
    error LicenceNotFound(uint256 licenceId);
    error NotLicenceHolder(uint256 licenceId, address caller);
    error LicenceAwaitingKey(uint256 licenceId);
    error NotAwaitingKey(uint256 licenceId);
    error DeliveryWindowOpen(uint256 licenceId, uint256 deadline);
    error DeliveryWindowClosed(uint256 licenceId, uint256 deadline);
    /// @notice A sealed key is 64 bytes (`E.x` and the masked content key).
    error SealedKeyLength(uint256 length);
    /// @notice The challenge period is out of bounds (1 hour to 30 days).
    error ChallengePeriodOutOfRange(uint256 challengePeriod);
    /// @notice `challenge` or `release` of a licence whose key has not been delivered.
    error KeyNotDelivered(uint256 licenceId);
    /// @notice The challenge period ended at `deadline`: `release` is possible, `challenge` no longer.
    error ChallengePeriodOver(uint256 licenceId, uint256 deadline);
    /// @notice The challenge period lasts until `deadline`: the payment cannot be released yet.
    error ChallengePeriodOpen(uint256 licenceId, uint256 deadline);
    /// @notice The revealed secret is not the one of this licence's `buyerKey`.
    error WrongSecret(uint256 licenceId);
    /// @notice The challenge is rejected: the delivered key opens to the key the model committed to.
    error KeyMatchesCommitment(uint256 licenceId);
    error NotRenewable(uint256 licenceId);
    /// @notice Model `modelId` was delisted by moderation: no new licences, renewals, versions or tiers.
    error ModelIsDelisted(uint256 modelId);
    /// @notice Only the moderation contract delists.
    error NotModeration(address caller);
    /// @notice A licence's expiry would not fit its 40-bit field (at most 2**40 - 2).
    error ExpiryOutOfRange(uint256 expiresAt);
    error NonTransferable(uint256 licenceId);
    error InvalidRating(uint8 rating);
    error AlreadyReviewed(uint256 licenceId);
    /// @notice Only a licence bought at a price above 0 can carry a review.
    error ReviewNeedsPaidLicence(uint256 licenceId);
    /// @notice The model's owner, creator and co-authors cannot review it.
    error InsiderReview(uint256 modelId, address reviewer);
    error NothingToWithdraw();
    error WithdrawFailed(address account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                            MODEL REGISTRY
    //////////////////////////////////////////////////////////////*/

    /// @notice Lists a model: mints the "Assay Model" NFT to the caller with its first version and tiers.
    /// @param manifestCid IPFS CID of the model card (1..63 bytes); becomes `tokenURI` = `ipfs://<cid>`.
    /// @param keyCommitment Commitment to the content key; zero for open weights (non-zero enables escrow).
    /// @param royaltyBps ERC-2981 royalty to the creator on resale of the model NFT (at most 1_000).
    /// @param coAuthors Up to 8 co-authors with their share in bps of each sale (after the protocol fee).
    /// @param parents Up to 4 existing parent models with their share in bps (credited to the parent model), each
    /// with the caller's licence of it whose tier allows derivatives (0 when the caller owns the parent). A parent
    /// licensed without commercial use makes the new model free-only: its tiers must have price 0, now and later.
    /// @param tiers 1..16 initial licence tiers.
    /// @return modelId The new model's id.
    function listModel(
        string calldata manifestCid,
        bytes32 keyCommitment,
        uint16 royaltyBps,
        CoAuthor[] calldata coAuthors,
        ParentShare[] calldata parents,
        TierInput[] calldata tiers
    ) external returns (uint256 modelId);

    /// @notice Appends a version (a new model card) to a model. Only the model owner.
    /// @return version The new version index (the listing is version 0).
    function publishVersion(uint256 modelId, string calldata manifestCid) external returns (uint256 version);

    /// @notice Adds a licence tier to a model. Only the model owner; at most 16 tiers per model; price 0 for a
    /// free-only model (see `listModel`).
    /// @return tierId The new tier's id.
    function addTier(uint256 modelId, TierInput calldata tier) external returns (uint256 tierId);

    /// @notice Changes a tier's price for future sales and renewals. Only the model owner; a free-only model's
    /// prices stay 0.
    function setTierPrice(uint256 modelId, uint256 tierId, uint96 price) external;

    /// @notice Pauses (no sales or renewals) or unpauses a tier. Only the model owner.
    function setTierPaused(uint256 modelId, uint256 tierId, bool paused) external;

    /// @notice Delists model `modelId` for good (`ModelDelisted`). Only the moderation contract (`moderation()`).
    function delist(uint256 modelId) external;

    /*//////////////////////////////////////////////////////////////
                                LICENCES
    //////////////////////////////////////////////////////////////*/

    /// @notice Buys one licence of `tierId` of `modelId`; `msg.value` must equal the tier price.
    /// For open models the payment is split and credited at once (`buyerKey` and `keySalt` are ignored); for
    /// encrypted models it is held in escrow until the key is delivered and the challenge period has passed, and
    /// `buyerKey` must be set: the `x` (even `y`) of the buyer's secp256k1 key for this licence, derived from a
    /// signature over `LicenceKey(purpose, modelId, keySalt)`; `keySalt` is emitted in `EscrowHeld`.
    /// @return licenceId The id of the "Assay Licence" token minted to the caller.
    function buyLicense(uint256 modelId, uint256 tierId, bytes32 buyerKey, bytes32 keySalt)
        external
        payable
        returns (uint256 licenceId);

    /// @notice Extends a licence by its tier's duration (from now if already expired) at the tier's current price.
    /// Anyone may pay. Reverts for perpetual tiers, paused tiers and licences still awaiting their key.
    /// @return expiresAt The new expiry.
    function renew(uint256 licenceId) external payable returns (uint64 expiresAt);

    /// @notice Delivers the content key sealed to the licence's key (64 bytes: `E.x ‖ key ⊕ mask`, see
    /// ARCHITECTURE.md) for an escrowed licence and starts the licence term; the payment stays in escrow for the
    /// challenge period. Only the model's current owner, before the delivery deadline, once.
    function deliverKey(uint256 licenceId, bytes calldata sealedKey) external;

    /// @notice The holder's fraud proof, during the challenge period: reveals the licence's secret `b`
    /// (`b·G` = the `buyerKey` point); the contract re-opens the sealed key with it and, if its SHA-256 is not the
    /// model's `keyCommitment` (or it does not open), refunds the holder in full, burns the licence and counts a
    /// failed delivery for the model's creator. Reverts `KeyMatchesCommitment` when the key is the right one.
    /// Revealing `b` exposes this licence's delivered key only.
    function challenge(uint256 licenceId, bytes32 secret) external;

    /// @notice After the challenge period, anyone can release a delivered licence's escrow: the payment is split and
    /// credited (pull payments) and the licence becomes active (transferable per its tier).
    function release(uint256 licenceId) external;

    /// @notice After the delivery deadline, the holder of an undelivered licence gets a full refund (credited to
    /// their withdrawable balance) and the licence is burned.
    function reclaim(uint256 licenceId) external;

    /// @notice Reviews a model, once per licence, by the licence's holder (licence must not be awaiting its key).
    /// The licence must have been bought at a price above 0, and the holder must be none of the model's owner,
    /// creator and co-authors.
    /// @param rating 1..5.
    /// @param commentCid IPFS CID of the comment (may be empty; not stored, only emitted).
    function review(uint256 licenceId, uint8 rating, string calldata commentCid) external;

    /// @notice Pays the caller's whole withdrawable balance (for the treasury, including protocol fees).
    /// @return amount The amount paid.
    function withdraw() external returns (uint256 amount);

    /// @notice Pays the caller its withdrawable balance plus the earnings of each of `modelIds` (each must be owned by
    /// the caller now). The owner's part of a sale and parents' shares accrue to the model, so they follow the model
    /// NFT: nothing is stranded at an address (a vault, bridge or escrow) that held it when a sale was made.
    /// @return amount The amount paid.
    function claim(uint256[] calldata modelIds) external returns (uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The "Assay Model" ERC-721 contract.
    function models() external view returns (address);
    /// @notice The moderation contract, the only one that can delist models (zero: none, nothing is ever delisted).
    function moderation() external view returns (address);
    /// @notice The protocol fee receiver.
    function treasury() external view returns (address);
    /// @notice The protocol fee in bps (fixed at deploy, at most 250).
    function protocolFeeBps() external view returns (uint16);
    /// @notice Seconds an owner has to deliver a key after a purchase (fixed at deploy).
    function deliveryWindow() external view returns (uint64);
    /// @notice Seconds after a delivery during which the buyer can challenge it (fixed at deploy).
    function challengePeriod() external view returns (uint64);
    /// @notice Failed deliveries (successful challenges) of models created by `creator`.
    function failedDeliveries(address creator) external view returns (uint256);
    /// @notice Number of models listed (ids 1..modelCount).
    function modelCount() external view returns (uint256);
    /// @notice Number of licences ever minted (ids 1..licenceCount; reclaimed ones are burned).
    function licenceCount() external view returns (uint256);
    /// @notice Balance `account` can withdraw now.
    function withdrawable(address account) external view returns (uint256);
    /// @notice Earnings of a model not yet claimed (its owner's part of sales and its shares as a parent).
    function earningsOf(uint256 modelId) external view returns (uint256);
    /// @notice Total payments held in escrow.
    function totalEscrowed() external view returns (uint256);

    /// @notice True when `account` holds a delivered, unexpired licence of `modelId`.
    function hasLicence(address account, uint256 modelId) external view returns (bool);
    /// @notice One licence.
    function licence(uint256 licenceId) external view returns (LicenceView memory);
    /// @notice Licences currently held by `account`, paged over the licences it ever received.
    /// @param cursor Start position (0 for the first page); pass back `nextCursor` for the next page.
    /// @param limit Number of received entries to scan.
    /// @return page Licences still held; `nextCursor` == `end` when done.
    function licencesOf(address account, uint256 cursor, uint256 limit)
        external
        view
        returns (LicenceView[] memory page, uint256 nextCursor, uint256 end);
    /// @notice The sealed key delivered for a licence (64 bytes; empty before delivery).
    function deliveredKey(uint256 licenceId) external view returns (bytes memory);
    /// @notice The licence's key (`x` of the buyer's per-licence secp256k1 point) supplied at purchase.
    function buyerKeyOf(uint256 licenceId) external view returns (bytes32);

    /// @notice One model's catalogue entry.
    function model(uint256 modelId) external view returns (ModelSummary memory);
    /// @notice Catalogue page: models `offset + 1 .. offset + limit` (clamped).
    /// @return page The models; `total` = `modelCount()`.
    function modelsPage(uint256 offset, uint256 limit) external view returns (ModelSummary[] memory page, uint256 total);
    /// @notice Ids of models created by `creator`, scanning ids `cursor + 1 .. cursor + maxScan`.
    /// @return ids Matching ids; `nextCursor` to pass back (== `modelCount()` when done).
    function modelsByCreator(address creator, uint256 cursor, uint256 maxScan)
        external
        view
        returns (uint256[] memory ids, uint256 nextCursor);
    /// @notice All tiers of a model.
    function tiersOf(uint256 modelId) external view returns (Tier[] memory);
    /// @notice All version CIDs of a model, oldest first.
    function versionsOf(uint256 modelId) external view returns (string[] memory);
    /// @notice The latest version's manifest CID (the model NFT's `tokenURI` is `ipfs://` + this).
    function manifestCid(uint256 modelId) external view returns (string memory);
    /// @notice Co-authors of a model.
    function coAuthorsOf(uint256 modelId) external view returns (CoAuthor[] memory);
    /// @notice Parent models of a model.
    function parentsOf(uint256 modelId) external view returns (ParentShare[] memory);
    /// @notice The content-key commitment (zero for open weights).
    function keyCommitment(uint256 modelId) external view returns (bytes32);
    /// @notice Creator and ERC-2981 royalty bps of a model NFT.
    function royaltyOf(uint256 modelId) external view returns (address creator, uint16 royaltyBps);
}
