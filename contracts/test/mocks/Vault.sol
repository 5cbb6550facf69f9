// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// @notice A vault / bridge / escrow that holds a model NFT and knows nothing of the market: it can only give the
/// token back. Money credited to its address would be stranded.
contract ModelVault {
    function release(IERC721 token, uint256 id, address to) external {
        token.transferFrom(address(this), to, id);
    }
}
