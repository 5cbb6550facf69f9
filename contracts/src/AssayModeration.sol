// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IAssayERC721} from "./interfaces/IAssayERC721.sol";
import {IAssayModeration} from "./interfaces/IAssayModeration.sol";
import {IArbitrable} from "./interfaces/IArbitrable.sol";
import {ModerationConfig} from "./moderation/ModerationConfig.sol";

/// @title AssayModeration
/// @notice Stake-backed flags against the market's models, a response window, ERC-792 arbitration and delisting.
/// A case: `flag` (the stake) → the owner may `respond` until the deadline (matching the stake; the case becomes a
/// dispute of the arbitrator, paid from the stakes up to `feeCap`) → the arbitrator's `rule` delists the model (the
/// flagger gets both stakes less the fee) or keeps it (the owner gets them). Unanswered by the deadline → anyone may
/// `finalize`: the model is delisted and the flagger's stake credited back. Security argument: contracts/README.md.
/// @dev No admin; parameters in `ModerationConfig`. Every payout is a credit; only `withdraw` sends ETH (CEI and a
/// transient reentrancy guard on every write). The market's part is one call, `delist`, which only this contract
/// may make.
contract AssayModeration is ModerationConfig, IArbitrable, ReentrancyGuardTransient {
    /// @dev Evidence CIDs are short (a CIDv1 in base32 is 59 bytes); the bound keeps events small.
    uint256 public constant MAX_EVIDENCE_CID = 128;

    /// @dev Two slots and the dispute id. `held`: wei held for the case while open (the stakes, less the fee once
    /// answered); zeroed when it closes.
    struct CaseData {
        address flagger;
        uint40 deadline;
        Reason reason;
        CaseStatus status;
        address responder;
        uint64 modelId;
        uint128 held;
        uint128 fee;
        uint256 disputeId;
    }

    uint256 internal _caseCount;
    mapping(uint256 caseId => CaseData) internal _cases;
    mapping(uint256 modelId => uint256 caseId) internal _latestCase;
    mapping(uint256 disputeId => uint256 caseId) internal _caseOfDispute;
    mapping(address account => uint256) internal _balances;

    /// @param market_ The market, deployed with this contract's address as its `moderation`.
    /// @param arbitrator_ The ERC-792 arbitrator of answered cases.
    /// @param extraData The arbitrator's extra data (empty for the council arbitrator).
    /// @param flagStake_ Wei staked by a flag and matched by a response.
    /// @param responseWindow_ Seconds the owner has to respond (1 hour to 90 days).
    /// @param feeCap_ The most of the stakes paid to the arbitrator (at most the flag stake).
    /// @param metaEvidence ERC-1497 meta-evidence URI.
    constructor(
        address market_,
        address arbitrator_,
        bytes memory extraData,
        uint256 flagStake_,
        uint256 responseWindow_,
        uint256 feeCap_,
        string memory metaEvidence
    ) ModerationConfig(market_, arbitrator_, extraData, flagStake_, responseWindow_, feeCap_, metaEvidence) {}

    /*//////////////////////////////////////////////////////////////
                                 CASES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayModeration
    function flag(uint256 modelId, Reason reason, string calldata evidenceCid)
        external
        payable
        nonReentrant
        returns (uint256 caseId)
    {
        if (msg.value != _flagStake) revert WrongStake(_flagStake, msg.value);
        _checkEvidence(evidenceCid);
        if (modelId == 0 || modelId > _market.modelCount()) revert ModelNotFound(modelId);
        if (IAssayERC721(_models).ownerOf(modelId) == msg.sender) revert OwnerCannotFlag(modelId);
        uint256 latest = _latestCase[modelId];
        if (latest != 0) {
            CaseStatus s = _cases[latest].status;
            if (s == CaseStatus.AwaitingResponse || s == CaseStatus.InArbitration) {
                revert CaseAlreadyOpen(modelId, latest);
            }
            if (s == CaseStatus.Unanswered || s == CaseStatus.Upheld) revert ModelAlreadyDelisted(modelId);
        }
        unchecked {
            caseId = _caseCount + 1;
        }
        _caseCount = caseId;
        _latestCase[modelId] = caseId;
        uint64 deadline = uint64(block.timestamp) + _responseWindow;
        // modelId <= modelCount, and the market's licence words hold model ids in 32 bits: it fits 64.
        _cases[caseId] = CaseData({
            flagger: msg.sender,
            deadline: uint40(deadline),
            reason: reason,
            status: CaseStatus.AwaitingResponse,
            responder: address(0),
            modelId: uint64(modelId),
            held: uint128(msg.value),
            fee: 0,
            disputeId: 0
        });
        emit Flagged(caseId, modelId, msg.sender, reason, msg.value, deadline, evidenceCid);
        emit StatusChanged(caseId, modelId, CaseStatus.AwaitingResponse);
        emit Evidence(address(_arbitrator), caseId, msg.sender, _uri(evidenceCid));
    }

    /// @inheritdoc IAssayModeration
    function respond(uint256 caseId, string calldata evidenceCid)
        external
        payable
        nonReentrant
        returns (uint256 disputeId)
    {
        CaseData storage c = _existingCase(caseId);
        if (c.status != CaseStatus.AwaitingResponse) revert NotAwaitingResponse(caseId, c.status);
        if (block.timestamp > c.deadline) revert ResponseWindowClosed(caseId, c.deadline);
        uint256 modelId = c.modelId;
        if (IAssayERC721(_models).ownerOf(modelId) != msg.sender) revert OnlyOwnerResponds(caseId, msg.sender);
        _checkEvidence(evidenceCid);
        (uint256 cost, uint256 excess) = _arbitrationCost();
        uint256 expected = uint256(_flagStake) + excess;
        if (msg.value != expected) revert WrongStake(expected, msg.value);
        uint256 fee = cost - excess; // min(cost, feeCap) <= flagStake
        c.status = CaseStatus.InArbitration;
        c.responder = msg.sender;
        c.fee = uint128(fee);
        c.held = uint128(2 * uint256(_flagStake) - fee);
        disputeId = _arbitrator.createDispute{value: cost}(CHOICES, _extraData);
        c.disputeId = disputeId;
        _caseOfDispute[disputeId] = caseId;
        emit Responded(caseId, msg.sender, disputeId, fee, evidenceCid);
        emit StatusChanged(caseId, modelId, CaseStatus.InArbitration);
        emit Dispute(address(_arbitrator), disputeId, META_EVIDENCE_ID, caseId);
        emit Evidence(address(_arbitrator), caseId, msg.sender, _uri(evidenceCid));
    }

    /// @inheritdoc IAssayModeration
    function finalize(uint256 caseId) external nonReentrant {
        CaseData storage c = _existingCase(caseId);
        if (c.status != CaseStatus.AwaitingResponse) revert NotAwaitingResponse(caseId, c.status);
        if (block.timestamp <= c.deadline) revert ResponseWindowOpen(caseId, c.deadline);
        uint256 modelId = c.modelId;
        uint256 held = c.held;
        c.held = 0;
        c.status = CaseStatus.Unanswered;
        _credit(c.flagger, caseId, held);
        emit StatusChanged(caseId, modelId, CaseStatus.Unanswered);
        _market.delist(modelId);
    }

    /// @inheritdoc IArbitrable
    function rule(uint256 _disputeID, uint256 _ruling) external nonReentrant {
        if (msg.sender != address(_arbitrator)) revert NotArbitrator(msg.sender);
        if (_ruling > CHOICES) revert InvalidRuling(_ruling);
        uint256 caseId = _caseOfDispute[_disputeID];
        CaseData storage c = _cases[caseId];
        if (caseId == 0 || c.status != CaseStatus.InArbitration) revert UnknownDispute(_disputeID);
        uint256 modelId = c.modelId;
        uint256 held = c.held;
        c.held = 0;
        CaseStatus status;
        if (_ruling == RULING_DELIST) {
            status = CaseStatus.Upheld;
            _credit(c.flagger, caseId, held);
        } else if (_ruling == RULING_KEEP) {
            status = CaseStatus.Dismissed;
            _credit(c.responder, caseId, held);
        } else {
            // Refused to arbitrate: nobody is in the wrong; the stakes less the fee are shared.
            status = CaseStatus.Refused;
            uint256 half = held / 2;
            _credit(c.flagger, caseId, half);
            _credit(c.responder, caseId, held - half);
        }
        c.status = status;
        emit Ruled(caseId, _disputeID, _ruling);
        emit Ruling(msg.sender, _disputeID, _ruling);
        emit StatusChanged(caseId, modelId, status);
        if (status == CaseStatus.Upheld) _market.delist(modelId);
    }

    /// @inheritdoc IAssayModeration
    function submitEvidence(uint256 caseId, string calldata evidenceCid) external {
        CaseData storage c = _existingCase(caseId);
        if (c.status != CaseStatus.AwaitingResponse && c.status != CaseStatus.InArbitration) revert CaseClosed(caseId);
        _checkEvidence(evidenceCid);
        emit Evidence(address(_arbitrator), caseId, msg.sender, _uri(evidenceCid));
    }

    /*//////////////////////////////////////////////////////////////
                                PAYMENTS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayModeration
    function withdraw() external nonReentrant returns (uint256 amount) {
        amount = _balances[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        _balances[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert WithdrawFailed(msg.sender, amount);
    }

    /// @inheritdoc IAssayModeration
    function withdrawable(address account) external view returns (uint256) {
        return _balances[account];
    }

    function _credit(address account, uint256 caseId, uint256 amount) private {
        if (amount == 0) return;
        _balances[account] += amount;
        emit Credited(account, caseId, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IAssayModeration
    function caseCount() external view returns (uint256) {
        return _caseCount;
    }

    /// @inheritdoc IAssayModeration
    function caseOf(uint256 caseId) public view returns (Case memory v) {
        CaseData memory c = _cases[caseId];
        if (c.status == CaseStatus.None) return v;
        v.id = caseId;
        v.modelId = c.modelId;
        v.flagger = c.flagger;
        v.reason = c.reason;
        v.status = c.status;
        v.responseDeadline = c.deadline;
        v.stake = _flagStake;
        v.held = c.held;
        v.responder = c.responder;
        v.arbitrationFee = c.fee;
        v.disputeId = c.disputeId;
    }

    /// @inheritdoc IAssayModeration
    function latestCaseOf(uint256 modelId) external view returns (uint256) {
        return _latestCase[modelId];
    }

    /// @inheritdoc IAssayModeration
    function caseOfDispute(uint256 disputeId) external view returns (uint256) {
        return _caseOfDispute[disputeId];
    }

    /// @inheritdoc IAssayModeration
    function casesPage(uint256 offset, uint256 limit) external view returns (Case[] memory page, uint256 total) {
        total = _caseCount;
        if (offset >= total) return (page, total);
        uint256 n = total - offset < limit ? total - offset : limit;
        page = new Case[](n);
        for (uint256 i; i < n; ++i) {
            page[i] = caseOf(offset + i + 1);
        }
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _existingCase(uint256 caseId) private view returns (CaseData storage c) {
        c = _cases[caseId];
        if (c.status == CaseStatus.None) revert CaseNotFound(caseId);
    }

    function _checkEvidence(string calldata cid) private pure {
        uint256 len = bytes(cid).length;
        if (len == 0 || len > MAX_EVIDENCE_CID) revert InvalidEvidenceCid(len);
    }

    /// @dev ERC-1497 evidence URI of an IPFS document.
    function _uri(string calldata cid) private pure returns (string memory) {
        return string.concat("/ipfs/", cid);
    }
}
