// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayEvaluations} from "./interfaces/IAssayEvaluations.sol";
import {IAssayMarket} from "./interfaces/IAssayMarket.sol";

/// @title AssayEvaluations
/// @notice Attestations of reproduced quality claims (see `IAssayEvaluations`): an event per attestation, no
/// storage, no funds. The market is asked only whether the version exists and whether the caller holds a licence.
contract AssayEvaluations is IAssayEvaluations {
    uint256 public constant MAX_METRICS = 16;

    IAssayMarket private immutable _market;

    constructor(IAssayMarket market_) {
        _market = market_;
        emit EvaluationsDeployed(address(market_));
    }

    /// @inheritdoc IAssayEvaluations
    function attest(uint256 modelId, uint256 version, uint256 resultIndex, int256[] calldata observed, bool matched)
        external
    {
        if (observed.length == 0 || observed.length > MAX_METRICS) revert ObservationCount(observed.length);
        // Reverts with the market's `ModelNotFound` for a model that does not exist.
        if (version >= _market.versionsOf(modelId).length) revert VersionNotFound(modelId, version);
        bool licensed = _market.hasLicence(msg.sender, modelId);
        emit EvaluationReproduced(modelId, version, msg.sender, resultIndex, observed, matched, licensed);
    }

    /// @inheritdoc IAssayEvaluations
    function market() external view returns (address) {
        return address(_market);
    }
}
