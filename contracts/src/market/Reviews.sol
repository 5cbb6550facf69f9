// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {LicenceToken} from "../token/LicenceToken.sol";
import {LicenceWord} from "../types/LicenceWord.sol";
import {Catalogue} from "./Catalogue.sol";

/// @title Reviews
/// @notice Ratings of models by their licence holders: one review per licence (the flag lives in the licence word,
/// so it travels with the token), none while the licence awaits its key. Only licences bought at a price above 0
/// count (a free tier would give unlimited ratings), and never from the model's owner, creator or co-authors (the
/// owner buying its own tier pays only the fee and shares). What remains is a sybil paying the full price.
abstract contract Reviews is LicenceToken, Catalogue {
    struct Rating {
        uint64 sum;
        uint64 count;
    }

    mapping(uint256 modelId => Rating) internal _ratings;

    /// @inheritdoc IAssayMarket
    function review(uint256 licenceId, uint8 rating, string calldata commentCid) external {
        LicenceWord word = _licences[licenceId];
        address holder = word.owner();
        if (holder == address(0)) revert LicenceNotFound(licenceId);
        if (msg.sender != holder) revert NotLicenceHolder(licenceId, msg.sender);
        if (word.isPending()) revert LicenceAwaitingKey(licenceId);
        if (word.isReviewed()) revert AlreadyReviewed(licenceId);
        if (rating == 0 || rating > 5) revert InvalidRating(rating);
        if (!word.isPaid()) revert ReviewNeedsPaidLicence(licenceId);
        _checkCid(commentCid, true);
        uint256 modelId = word.modelId();
        _checkOutsider(modelId);

        _licences[licenceId] = word.withReviewed();
        Rating storage r = _ratings[modelId];
        r.sum += rating;
        r.count += 1;
        emit Reviewed(licenceId, modelId, msg.sender, rating, commentCid);
    }

    /// @dev Reverts if the caller is the model's current owner, its creator or one of its co-authors.
    function _checkOutsider(uint256 modelId) private view {
        ModelData memory m = _modelData[modelId];
        bool insider = msg.sender == m.creator || msg.sender == _modelOwner(modelId);
        for (uint256 i; i < m.coAuthorCount && !insider; ++i) {
            insider = _coAuthors[modelId][i].account == msg.sender;
        }
        if (insider) revert InsiderReview(modelId, msg.sender);
    }
}
