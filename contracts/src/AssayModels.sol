// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";
import {IAssayModels} from "./interfaces/IAssayModels.sol";
import {IAssayMarket} from "./interfaces/IAssayMarket.sol";

/// @title AssayModels
/// @notice The "Assay Model" ERC-721: one token per listed model, minted by `AssayMarket.listModel`.
/// Ownership of a model (who may publish versions, manage tiers, deliver keys, and who receives the owner's part of
/// each sale) is ownership of this token. Catalogue data lives in the market; `tokenURI` and the ERC-2981
/// royalty (to the model's creator) are read from it.
/// @dev A token's owner slot stays empty until the token first moves: until then its owner is its creator, whom
/// the market keeps in the model's word (`royaltyOf`). `mint` counts the token in the creator's balance and emits
/// `Transfer` without writing the slot (OpenZeppelin's `_ownerOf` / `_increaseBalance` extension points, as
/// `ERC721Consecutive` uses them); the first transfer writes it.
contract AssayModels is ERC721, ERC2981, IAssayModels {
    /// @inheritdoc IAssayModels
    address public immutable market;

    constructor(address market_) ERC721("Assay Model", "ASSAYM") {
        market = market_;
    }

    /// @inheritdoc IAssayModels
    /// @dev The market mints each model id once, to its creator (`to`, never zero), after storing the model.
    function mint(address to, uint256 modelId) external {
        if (msg.sender != market) revert OnlyMarket();
        _increaseBalance(to, 1);
        emit Transfer(address(0), to, modelId);
    }

    /// @inheritdoc IAssayModels
    function metadataUpdated(uint256 modelId) external {
        if (msg.sender != market) revert OnlyMarket();
        emit MetadataUpdate(modelId);
    }

    /// @inheritdoc IAssayModels
    function recordedOwnerOf(uint256 tokenId) external view returns (address) {
        return super._ownerOf(tokenId);
    }

    /// @dev The recorded owner, or for a token that never moved its creator (zero for a model that does not exist).
    function _ownerOf(uint256 tokenId) internal view override returns (address owner) {
        owner = super._ownerOf(tokenId);
        if (owner == address(0)) (owner,) = IAssayMarket(market).royaltyOf(tokenId);
    }

    /// @notice `ipfs://<latest manifest CID>`.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return string.concat("ipfs://", IAssayMarket(market).manifestCid(tokenId));
    }

    /// @inheritdoc IAssayModels
    function royaltyInfo(uint256 tokenId, uint256 salePrice)
        public
        view
        override(ERC2981, IAssayModels)
        returns (address receiver, uint256 royaltyAmount)
    {
        (address creator, uint16 bps) = IAssayMarket(market).royaltyOf(tokenId);
        return (creator, salePrice * bps / 10_000);
    }

    /// @notice ERC-165: ERC-721, ERC-721 metadata, ERC-2981, ERC-4906 (`0x49064906`).
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, ERC2981) returns (bool) {
        return interfaceId == bytes4(0x49064906) || super.supportsInterface(interfaceId);
    }
}
