// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayModeration
/// @notice Community moderation of the Assay market: anyone but a model's owner flags it with a stake, a reason and
/// evidence; the owner answers within the response window by matching the stake (the case then goes to an ERC-792
/// arbitrator) or the model is delisted once the window has passed. The arbitrator's ruling delists the model or clears
/// it; stakes are settled by credits and `withdraw`.
/// @dev Self-contained (no imports) so alloy's `sol!` can read it. The contract is also an ERC-792 arbitrable
/// (`IArbitrable.sol`: `rule`, `Ruling`) and publishes ERC-1497 evidence (`IEvidence.sol`: `MetaEvidence` once at
/// deployment with id 0, `Evidence` per document with the case id as the evidence group, `Dispute` per response).
/// Rulings: 0 the arbitrator refused to arbitrate, 1 delist (the flag is upheld), 2 keep listed (the flag is dismissed).
/// Case ids start at 1.
interface IAssayModeration {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Why a model is flagged: it infringes someone's rights (e.g. a copy listed without naming its parent),
    /// its file is malicious, its card or claims do not match the file, or it is illegal content.
    enum Reason {
        InfringesRights,
        MaliciousFile,
        Misrepresented,
        IllegalContent
    }

    /// @notice A case's state. Open: `AwaitingResponse` (the owner may respond until the deadline), `InArbitration`
    /// (the arbitrator rules). Closed: `Unanswered` (no response by the deadline: delisted), `Upheld` (ruled: delisted),
    /// `Dismissed` (ruled: stays listed), `Refused` (the arbitrator refused to arbitrate: stays listed).
    enum CaseStatus {
        None,
        AwaitingResponse,
        InArbitration,
        Unanswered,
        Upheld,
        Dismissed,
        Refused
    }

    /// @notice A case as the views return it.
    /// @param stake Each side's stake (the flag stake when the case was opened).
    /// @param held Wei this contract holds for the case while it is open (0 once it is closed).
    /// @param responder The model's owner who responded (zero until a response).
    /// @param arbitrationFee The part of the stakes paid to the arbitrator (at most `feeCap`).
    /// @param disputeId The arbitrator's dispute (meaningful once `responder` is set).
    struct Case {
        uint256 id;
        uint256 modelId;
        address flagger;
        Reason reason;
        CaseStatus status;
        uint64 responseDeadline;
        uint256 stake;
        uint256 held;
        address responder;
        uint256 arbitrationFee;
        uint256 disputeId;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The moderation contract was deployed with these fixed parameters.
    event ModerationDeployed(
        address indexed market,
        address indexed arbitrator,
        uint256 flagStake,
        uint64 responseWindow,
        uint256 feeCap,
        bytes arbitratorExtraData
    );
    /// @notice `flagger` opened case `caseId` against model `modelId` with `stake`; the owner may respond until
    /// `responseDeadline` (inclusive). `evidenceCid`: the flag's evidence document on IPFS (also in `Evidence`).
    event Flagged(
        uint256 indexed caseId,
        uint256 indexed modelId,
        address indexed flagger,
        Reason reason,
        uint256 stake,
        uint64 responseDeadline,
        string evidenceCid
    );
    /// @notice The model's owner `responder` matched the stake; the case is dispute `disputeId` of the arbitrator,
    /// which was paid `arbitrationFee` from the stakes (any cost above `feeCap` was paid by the responder on top).
    event Responded(
        uint256 indexed caseId, address indexed responder, uint256 disputeId, uint256 arbitrationFee, string evidenceCid
    );
    /// @notice The arbitrator ruled `ruling` on case `caseId` (its dispute `disputeId`).
    event Ruled(uint256 indexed caseId, uint256 indexed disputeId, uint256 ruling);
    /// @notice Case `caseId` (against model `modelId`) is now `status`; every transition emits it.
    event StatusChanged(uint256 indexed caseId, uint256 indexed modelId, CaseStatus status);
    /// @notice `amount` from the stakes of case `caseId` was credited to `account` (then `withdraw`).
    event Credited(address indexed account, uint256 indexed caseId, uint256 amount);
    /// @notice `account` withdrew `amount` wei.
    event Withdrawn(address indexed account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A market or arbitrator address is zero.
    error ZeroAddress();
    /// @notice The flag stake is zero or does not fit 96 bits.
    error FlagStakeOutOfRange(uint256 stake);
    /// @notice The response window is out of bounds (1 hour to 90 days).
    error ResponseWindowOutOfRange(uint256 window);
    /// @notice The arbitration fee cap is above the flag stake (a winner must never get back less than its stake).
    error FeeCapAboveStake(uint256 feeCap, uint256 stake);
    /// @notice The meta-evidence URI is empty.
    error EmptyMetaEvidence();
    /// @notice The market was not deployed with this contract as its moderation.
    error MarketNotLinked(address market, address moderation);
    /// @notice Model `modelId` does not exist.
    error ModelNotFound(uint256 modelId);
    /// @notice The model's owner cannot flag their own model.
    error OwnerCannotFlag(uint256 modelId);
    /// @notice Model `modelId` already has case `caseId` open.
    error CaseAlreadyOpen(uint256 modelId, uint256 caseId);
    /// @notice Model `modelId` is already delisted.
    error ModelAlreadyDelisted(uint256 modelId);
    /// @notice The stake sent is not the one required.
    error WrongStake(uint256 expected, uint256 sent);
    /// @notice An evidence CID is empty or longer than 128 bytes.
    error InvalidEvidenceCid(uint256 length);
    /// @notice Case `caseId` does not exist.
    error CaseNotFound(uint256 caseId);
    /// @notice Case `caseId` is `status`, not awaiting a response.
    error NotAwaitingResponse(uint256 caseId, CaseStatus status);
    /// @notice Case `caseId` is closed: no more evidence.
    error CaseClosed(uint256 caseId);
    /// @notice Only the flagged model's owner responds to case `caseId`.
    error OnlyOwnerResponds(uint256 caseId, address caller);
    /// @notice The response window of case `caseId` closed at `deadline`.
    error ResponseWindowClosed(uint256 caseId, uint256 deadline);
    /// @notice The response window of case `caseId` is open until `deadline`: it cannot be finalized yet.
    error ResponseWindowOpen(uint256 caseId, uint256 deadline);
    /// @notice Only the arbitrator gives rulings.
    error NotArbitrator(address caller);
    /// @notice Dispute `disputeId` is not a case in arbitration.
    error UnknownDispute(uint256 disputeId);
    /// @notice A ruling above 2.
    error InvalidRuling(uint256 ruling);
    /// @notice The caller has nothing credited.
    error NothingToWithdraw();
    /// @notice Sending `amount` to `account` failed.
    error WithdrawFailed(address account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 WRITES
    //////////////////////////////////////////////////////////////*/

    /// @notice Opens a case against model `modelId`, paying exactly `flagStake`. Not by the model's owner; not while
    /// the model has an open case or once it is delisted. `evidenceCid`: an ERC-1497 evidence JSON on IPFS
    /// (1..128 bytes).
    /// @return caseId The new case.
    function flag(uint256 modelId, Reason reason, string calldata evidenceCid) external payable returns (uint256 caseId);

    /// @notice The flagged model's owner answers case `caseId` until its deadline (inclusive), paying
    /// `responseCost()` (the stake, plus any arbitration cost above `feeCap`); the case becomes an arbitrator's
    /// dispute.
    /// @return disputeId The arbitrator's dispute.
    function respond(uint256 caseId, string calldata evidenceCid) external payable returns (uint256 disputeId);

    /// @notice After the response deadline of an unanswered case, anyone: the model is delisted, the flagger's stake
    /// credited back.
    function finalize(uint256 caseId) external;

    /// @notice Anyone adds an evidence document to an open case (ERC-1497 `Evidence`).
    function submitEvidence(uint256 caseId, string calldata evidenceCid) external;

    /// @notice Sends the caller everything credited to it.
    function withdraw() external returns (uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The market whose models this contract delists.
    function market() external view returns (address);
    /// @notice The ERC-792 arbitrator that rules on answered cases.
    function arbitrator() external view returns (address);
    /// @notice The extra data passed to the arbitrator (its court, its number of jurors…).
    function arbitratorExtraData() external view returns (bytes memory);
    /// @notice The stake of a flag, matched by a response (wei).
    function flagStake() external view returns (uint256);
    /// @notice Seconds the owner has to respond after a flag.
    function responseWindow() external view returns (uint64);
    /// @notice The most of the stakes paid to the arbitrator; a cost above it is paid by the responder.
    function feeCap() external view returns (uint256);
    /// @notice What `respond` costs now: the stake plus the arbitration cost above `feeCap`.
    function responseCost() external view returns (uint256);
    /// @notice The number of cases opened.
    function caseCount() external view returns (uint256);
    /// @notice Case `caseId` (an empty `Case`, id 0, when there is none).
    function caseOf(uint256 caseId) external view returns (Case memory);
    /// @notice The latest case against model `modelId` (0: none): its only open case, or the one that delisted it.
    function latestCaseOf(uint256 modelId) external view returns (uint256 caseId);
    /// @notice The case of the arbitrator's dispute `disputeId` (0: none).
    function caseOfDispute(uint256 disputeId) external view returns (uint256 caseId);
    /// @notice Cases `offset + 1 ..` (at most `limit`), and the number of cases.
    function casesPage(uint256 offset, uint256 limit) external view returns (Case[] memory page, uint256 total);
    /// @notice Wei credited to `account`.
    function withdrawable(address account) external view returns (uint256);
}
