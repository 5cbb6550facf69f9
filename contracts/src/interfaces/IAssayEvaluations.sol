// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayEvaluations
/// @notice Attestations of reproduced quality claims: an account that re-ran one of a model card's claimed
/// results (its evaluation set, fetched from IPFS and verified against the CID the card names, through the exact
/// listed model file) records what it observed. Nothing is stored: the events are the record, and anyone can count
/// them (distinct accounts; licence holders apart, as flagged at the time).
/// @dev Self-contained on purpose (no imports): the Rust app generates its bindings from this file with alloy's
/// `sol!`. Observed values are fixed-point with 6 decimals (0.902400 = 902_400), one per metric of the result, in the
/// card's order.
interface IAssayEvaluations {
    /// @notice `account` re-ran result `resultIndex` of version `version` of model `modelId`'s card and observed
    /// `observed` (6 decimals, in the card's metric order); `matched`: every metric was within the card's tolerance.
    /// `licensed`: `account` held an active licence of the model when it attested.
    event EvaluationReproduced(
        uint256 indexed modelId,
        uint256 indexed version,
        address indexed account,
        uint256 resultIndex,
        int256[] observed,
        bool matched,
        bool licensed
    );
    /// @notice Deployed beside `market`.
    event EvaluationsDeployed(address indexed market);

    /// @notice Model `modelId` has no version `version`.
    error VersionNotFound(uint256 modelId, uint256 version);
    /// @notice An attestation records between 1 and `MAX_METRICS` observed values; `count` were sent.
    error ObservationCount(uint256 count);

    /// @notice Records what the caller observed re-running result `resultIndex` of version `version` of `modelId`.
    function attest(uint256 modelId, uint256 version, uint256 resultIndex, int256[] calldata observed, bool matched)
        external;

    /// @notice The market whose models are attested.
    function market() external view returns (address);

    /// @notice The most values one attestation records.
    function MAX_METRICS() external view returns (uint256);
}
