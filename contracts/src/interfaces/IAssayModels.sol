// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayModels
/// @notice The "Assay Model" ERC-721: one token per listed model, minted by the market. Its ERC-721 surface is in
/// `IAssayERC721.sol`; catalogue data lives in `IAssayMarket`.
/// @dev Self-contained (no imports) so alloy's `sol!` can read it.
interface IAssayModels {
    /// @notice Caller is not the market.
    error OnlyMarket();

    /// @notice ERC-4906: the metadata (`tokenURI`) of model `_tokenId` changed (a new version was published).
    event MetadataUpdate(uint256 _tokenId);

    /// @notice The market allowed to mint.
    function market() external view returns (address);

    /// @notice Mints model `modelId` to `to`. Only the market (from `listModel`).
    function mint(address to, uint256 modelId) external;

    /// @notice The owner written by model `tokenId`'s last transfer; zero while the token has never moved (its owner
    /// is then its creator, kept by the market) and for a model that does not exist. The market reads it to know
    /// the owner without the call back that `ownerOf` makes.
    function recordedOwnerOf(uint256 tokenId) external view returns (address);

    /// @notice Emits ERC-4906 `MetadataUpdate` for model `modelId`. Only the market (from `publishVersion` and `delist`).
    function metadataUpdated(uint256 modelId) external;

    /// @notice ERC-2981: royalty on a resale of model `tokenId` for `salePrice`, paid to the model's creator.
    function royaltyInfo(uint256 tokenId, uint256 salePrice)
        external
        view
        returns (address receiver, uint256 royaltyAmount);
}
