// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../interfaces/IAssayMarket.sol";
import {LicenceToken} from "../token/LicenceToken.sol";
import {LicenceWord} from "../types/LicenceWord.sol";
import {Catalogue} from "./Catalogue.sol";

/// @title Reviews
/// @notice Ratings of models by their licence holders: one review per licence (the flag lives in the licence word,
/// so it travels with the token), none while the licence awaits its key.
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
        _checkCid(commentCid, true);

        _licences[licenceId] = word.withReviewed();
        uint256 modelId = word.modelId();
        Rating storage r = _ratings[modelId];
        r.sum += rating;
        r.count += 1;
        emit Reviewed(licenceId, modelId, msg.sender, rating, commentCid);
    }
}
