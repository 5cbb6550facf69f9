// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IEvidence
/// @notice ERC-1497 evidence standard, written from the EIP: the events by which an arbitrable contract publishes
/// the context of its disputes (`MetaEvidence`) and the parties' evidence (`Evidence`), each a URI of a JSON document
/// (IPFS paths are written `/ipfs/<cid>`).
/// @dev Self-contained (no imports) so alloy's `sol!` can read it; the EIP's `IArbitrator` parameters are
/// `address` in the ABI, so the topics are the EIP's.
interface IEvidence {
    /// @notice The document `_evidence` describes the disputes created with meta-evidence `_metaEvidenceID`: the
    /// question, the rulings' titles, the policy.
    event MetaEvidence(uint256 indexed _metaEvidenceID, string _evidence);

    /// @notice `_party` submitted the evidence document `_evidence` to the disputes of group `_evidenceGroupID`.
    event Evidence(
        address indexed _arbitrator, uint256 indexed _evidenceGroupID, address indexed _party, string _evidence
    );

    /// @notice Dispute `_disputeID` of `_arbitrator` was created under meta-evidence `_metaEvidenceID`; its evidence
    /// is in group `_evidenceGroupID`.
    event Dispute(
        address indexed _arbitrator, uint256 indexed _disputeID, uint256 _metaEvidenceID, uint256 _evidenceGroupID
    );
}
