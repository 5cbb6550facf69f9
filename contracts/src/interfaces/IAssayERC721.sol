// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAssayERC721
/// @notice The ERC-721 (+ metadata + ERC-165) surface the app calls on both Assay tokens: "Assay Model"
/// (`AssayModels`) and "Assay Licence" (`AssayMarket`).
/// @dev Self-contained (no imports) so alloy's `sol!` can read it. Standard ERC-721: identical selectors and
/// events to OpenZeppelin's IERC721/IERC721Metadata (checked by a test via interface ids), and the ERC-6093
/// errors both tokens revert with, identical to OpenZeppelin's IERC721Errors (checked by a test via selectors).
interface IAssayERC721 {
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);

    /// @notice `owner` can't own tokens (the zero address).
    error ERC721InvalidOwner(address owner);
    /// @notice No token `tokenId` exists (never minted, or burned).
    error ERC721NonexistentToken(uint256 tokenId);
    /// @notice `sender` tried to move `tokenId`, which `owner` holds.
    error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
    /// @notice Tokens can't be sent from `sender`.
    error ERC721InvalidSender(address sender);
    /// @notice `receiver` can't receive tokens (zero address, or a contract without `onERC721Received`).
    error ERC721InvalidReceiver(address receiver);
    /// @notice `operator` is neither the holder nor approved for `tokenId`.
    error ERC721InsufficientApproval(address operator, uint256 tokenId);
    /// @notice `approver` may not approve for this token.
    error ERC721InvalidApprover(address approver);
    /// @notice `operator` can't be an operator (the zero address).
    error ERC721InvalidOperator(address operator);

    /// @notice Number of tokens held by `owner`.
    function balanceOf(address owner) external view returns (uint256 balance);
    /// @notice Holder of `tokenId`; reverts if it does not exist.
    function ownerOf(uint256 tokenId) external view returns (address owner);
    /// @notice Safe transfer with data (calls `onERC721Received` on contract receivers).
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes calldata data) external;
    /// @notice Safe transfer.
    function safeTransferFrom(address from, address to, uint256 tokenId) external;
    /// @notice Transfer without receiver check.
    function transferFrom(address from, address to, uint256 tokenId) external;
    /// @notice Approves `to` to transfer `tokenId`.
    function approve(address to, uint256 tokenId) external;
    /// @notice Approves or revokes `operator` for all the caller's tokens.
    function setApprovalForAll(address operator, bool approved) external;
    /// @notice Approved address of `tokenId`.
    function getApproved(uint256 tokenId) external view returns (address operator);
    /// @notice Whether `operator` may manage all of `owner`'s tokens.
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    /// @notice Collection name.
    function name() external view returns (string memory);
    /// @notice Collection symbol.
    function symbol() external view returns (string memory);
    /// @notice Token metadata URI (`ipfs://<cid>`).
    function tokenURI(uint256 tokenId) external view returns (string memory);
    /// @notice ERC-165.
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}
