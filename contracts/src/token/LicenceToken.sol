// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC721Utils} from "@openzeppelin/contracts/token/ERC721/utils/ERC721Utils.sol";
import {LicenceWord} from "../types/LicenceWord.sol";

/// @title LicenceToken
/// @notice Gas-lean ERC-721 for licences. Each token is ONE storage word holding its owner and its licence data
/// (model, tier, expiry, flags), and each account's balance shares a word with the first entries of an
/// append-only list of the licences it received (for `licencesOf` / `hasLicence` without an indexer).
/// @dev Uses OpenZeppelin's ERC-721 interfaces, errors (ERC-6093) and receiver check; the storage layout is
/// custom so that a purchase writes 2 fresh slots instead of OZ ERC721's 2 plus a separate licence record.
///
/// Token word: a `LicenceWord` (layout in `types/LicenceWord.sol`).
/// Account word 0: balance (24) | received (24) << 24 | received[0..1] (2 x 64) << 48 | cached holding (80) << 176.
/// Account word k >= 1: received[2 + 4(k-1) .. 2 + 4(k-1) + 3] (4 x 64).
/// The cached holding is one model's (account, model) holding — model (32) | held (8) << 32 | best (40) << 40 —
/// kept in word 0, which every purchase writes anyway, so a buyer's first licence of a model writes no fresh slot
/// for it; other models' holdings (and a cached one past 255 licences) live in `_holdings`. A model's holding is in
/// exactly one of the two places.
abstract contract LicenceToken is ERC165, IERC721, IERC721Metadata, IERC721Errors {
    uint256 private constant U24 = 0xffffff;
    uint256 private constant U32 = 0xffffffff;
    /// @dev Where the cached holding starts in account word 0, and the bits below it.
    uint256 private constant CACHE_SHIFT = 176;
    uint256 private constant BELOW_CACHE = (1 << CACHE_SHIFT) - 1;
    uint256 private constant U64 = 0xffffffffffffffff;
    /// @dev `best` of a holding with a perpetual licence (above every storable expiry, see `LicenceWordLib`).
    uint256 private constant PERPETUAL = type(uint40).max;

    mapping(uint256 tokenId => LicenceWord) internal _licences;
    mapping(address account => mapping(uint256 index => uint256 word)) private _accounts;
    mapping(uint256 tokenId => address) private _tokenApprovals;
    /// @dev Per (account, model): held (32) | best (40) << 32, where `held` counts the account's licences of the
    /// model that are not awaiting their key and `best` is their latest expiry (`PERPETUAL` for a perpetual one).
    mapping(address account => mapping(uint256 modelId => uint256)) private _holdings;
    mapping(address owner => mapping(address operator => bool)) private _operatorApprovals;

    /*//////////////////////////////////////////////////////////////
                          ERC-721 (external)
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IERC721Metadata
    function name() external pure returns (string memory) {
        return "Assay Licence";
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external pure returns (string memory) {
        return "ASSAYL";
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        return _licenceURI(tokenId, _requireOwned(tokenId));
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _accounts[owner][0] & U24;
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) external view returns (address) {
        return _requireOwned(tokenId).owner();
    }

    /// @inheritdoc IERC721
    function approve(address to, uint256 tokenId) external {
        address owner = _requireOwned(tokenId).owner();
        if (msg.sender != owner && !_operatorApprovals[owner][msg.sender]) revert ERC721InvalidApprover(msg.sender);
        _tokenApprovals[tokenId] = to;
        emit Approval(owner, to, tokenId);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) external view returns (address) {
        _requireOwned(tokenId);
        return _tokenApprovals[tokenId];
    }

    /// @inheritdoc IERC721
    function setApprovalForAll(address operator, bool approved) external {
        if (operator == address(0)) revert ERC721InvalidOperator(operator);
        _operatorApprovals[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address owner, address operator) external view returns (bool) {
        return _operatorApprovals[owner][operator];
    }

    /// @inheritdoc IERC721
    function transferFrom(address from, address to, uint256 tokenId) public {
        if (to == address(0)) revert ERC721InvalidReceiver(address(0));
        LicenceWord word = _licences[tokenId];
        address owner = word.owner();
        if (owner == address(0)) revert ERC721NonexistentToken(tokenId);
        if (owner != from) revert ERC721IncorrectOwner(from, tokenId, owner);
        if (msg.sender != owner && !_operatorApprovals[owner][msg.sender] && _tokenApprovals[tokenId] != msg.sender) {
            revert ERC721InsufficientApproval(msg.sender, tokenId);
        }
        _checkTransfer(tokenId, word);
        if (_tokenApprovals[tokenId] != address(0)) delete _tokenApprovals[tokenId];
        _licences[tokenId] = word.withOwner(to);
        unchecked {
            _accounts[from][0] -= 1;
        }
        _receive(to, tokenId);
        // `_checkTransfer` let it move, so it is not awaiting its key: it counts in both holdings.
        _release(from, word.modelId(), word.expiresAt());
        _hold(to, word.modelId(), word.expiresAt());
        emit Transfer(from, to, tokenId);
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId) external {
        safeTransferFrom(from, to, tokenId, "");
    }

    /// @inheritdoc IERC721
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes memory data) public {
        transferFrom(from, to, tokenId);
        ERC721Utils.checkOnERC721Received(msg.sender, from, to, tokenId, data);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view virtual override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC721).interfaceId || interfaceId == type(IERC721Metadata).interfaceId
            || super.supportsInterface(interfaceId);
    }

    /*//////////////////////////////////////////////////////////////
                              INTERNAL
    //////////////////////////////////////////////////////////////*/

    /// @dev Hook: revert if the licence may not move (non-transferable tier, awaiting key).
    function _checkTransfer(uint256 tokenId, LicenceWord word) internal view virtual;

    /// @dev Hook: metadata URI of an existing licence.
    function _licenceURI(uint256 tokenId, LicenceWord word) internal view virtual returns (string memory);

    /// @dev Returns the token word; reverts if the token does not exist.
    function _requireOwned(uint256 tokenId) internal view returns (LicenceWord word) {
        word = _licences[tokenId];
        if (!word.exists()) revert ERC721NonexistentToken(tokenId);
    }

    /// @dev Mints `tokenId` (must be new and < 2**64) to `to` with the licence data already packed in `data`
    /// (`LicenceWordLib.pack`).
    function _mintLicence(address to, uint256 tokenId, LicenceWord data) internal {
        _licences[tokenId] = data.withFirstOwner(to);
        if (_accounts[to][0] == 0) {
            // An account's first licence: its received count is 0, so it never held one and has no holding
            // anywhere; word 0 is written once, with the licence's holding in its cache.
            uint256 entry;
            if (!data.isPending()) entry = data.modelId() | (1 << 32) | (_best(data.expiresAt()) << 40);
            _accounts[to][0] = 1 | (1 << 24) | (tokenId << 48) | (entry << CACHE_SHIFT);
        } else {
            _receive(to, tokenId);
            if (!data.isPending()) _hold(to, data.modelId(), data.expiresAt());
        }
        emit Transfer(address(0), to, tokenId);
    }

    /// @dev Burns an existing token.
    function _burnLicence(uint256 tokenId, address owner) internal {
        LicenceWord word = _licences[tokenId];
        _licences[tokenId] = LicenceWord.wrap(0);
        if (!word.isPending()) _release(owner, word.modelId(), word.expiresAt());
        if (_tokenApprovals[tokenId] != address(0)) delete _tokenApprovals[tokenId];
        unchecked {
            _accounts[owner][0] -= 1;
        }
        emit Transfer(owner, address(0), tokenId);
    }

    /// @dev Replaces the word of existing licence `tokenId` (`old`, same owner, model and tier) with `updated`:
    /// a delivered key (no longer awaiting it) or a later expiry. Keeps the holder's holding exact; an expiry never
    /// moves earlier.
    function _updateLicence(uint256 tokenId, LicenceWord old, LicenceWord updated) internal {
        _licences[tokenId] = updated;
        if (updated.isPending()) return;
        if (old.isPending()) {
            _hold(updated.owner(), updated.modelId(), updated.expiresAt());
        } else {
            uint256 h = _holding(updated.owner(), updated.modelId());
            uint256 best = _best(updated.expiresAt());
            if (best > h >> 32) _setHolding(updated.owner(), updated.modelId(), (h & U32) | (best << 32));
        }
    }

    /// @dev True when `account` holds a licence of `modelId` that is not awaiting its key and is perpetual or not
    /// yet expired. O(1): one read of the holding.
    function _holdsActive(address account, uint256 modelId) internal view returns (bool) {
        uint256 h = _holding(account, modelId);
        uint256 best = h >> 32;
        return h & U32 != 0 && (best == PERPETUAL || best > block.timestamp);
    }

    /// @dev The holding's `best` value of a licence expiring at `expiry` (0 = perpetual).
    function _best(uint256 expiry) private pure returns (uint256) {
        return expiry == 0 ? PERPETUAL : expiry;
    }

    /// @dev `account` now holds one more usable licence of `modelId`, expiring at `expiry`.
    function _hold(address account, uint256 modelId, uint256 expiry) private {
        uint256 h = _holding(account, modelId);
        uint256 best = _best(expiry);
        uint256 old = h >> 32;
        unchecked {
            _setHolding(account, modelId, ((h & U32) + 1) | ((best > old ? best : old) << 32));
        }
    }

    /// @dev `account` no longer holds a usable licence of `modelId` that expired at `expiry` (its word already
    /// shows its new owner, or is burned). When it was the latest of several, the next latest is found in the
    /// account's received list: paid by the sender of that transfer, never by a view.
    function _release(address account, uint256 modelId, uint256 expiry) private {
        uint256 h = _holding(account, modelId);
        uint256 held;
        unchecked {
            held = (h & U32) - 1;
        }
        if (held == 0) {
            _setHolding(account, modelId, 0);
            return;
        }
        uint256 best = h >> 32;
        if (_best(expiry) >= best) {
            best = 0;
            uint256 n = _receivedCount(account);
            for (uint256 i; i < n; ++i) {
                LicenceWord w = _licences[_receivedAt(account, i)];
                if (w.owner() == account && w.modelId() == modelId && !w.isPending()) {
                    uint256 b = _best(w.expiresAt());
                    if (b > best) best = b;
                }
            }
        }
        _setHolding(account, modelId, held | (best << 32));
    }

    /// @dev `account`'s holding of `modelId`: held (32) | best (40) << 32; 0 when it holds no usable licence of it.
    function _holding(address account, uint256 modelId) private view returns (uint256) {
        uint256 cached = _accounts[account][0] >> CACHE_SHIFT;
        uint256 held = (cached >> 32) & 0xff;
        if (held != 0 && cached & U32 == modelId) return held | ((cached >> 40) << 32);
        return _holdings[account][modelId];
    }

    /// @dev Stores `account`'s holding of `modelId` (`h` as `_holding` returns it; 0 clears it): in word 0's cache
    /// when the cache has it or is free (and `_holdings` has none of it) and it counts at most 255 licences, else in
    /// `_holdings` (leaving the cache when it outgrew it).
    function _setHolding(address account, uint256 modelId, uint256 h) private {
        uint256 w0 = _accounts[account][0];
        uint256 cached = w0 >> CACHE_SHIFT;
        uint256 cachedHeld = (cached >> 32) & 0xff;
        bool inCache = cachedHeld != 0 && cached & U32 == modelId;
        uint256 held = h & U32;
        if (held <= 0xff && (inCache || (cachedHeld == 0 && _holdings[account][modelId] == 0))) {
            uint256 entry = held == 0 ? 0 : modelId | (held << 32) | ((h >> 32) << 40);
            _accounts[account][0] = (w0 & BELOW_CACHE) | (entry << CACHE_SHIFT);
            return;
        }
        if (inCache) _accounts[account][0] = w0 & BELOW_CACHE;
        _holdings[account][modelId] = h;
    }

    /// @dev balance + 1 and append `tokenId` to the received list, in one write of word 0 when possible.
    function _receive(address to, uint256 tokenId) private {
        uint256 w0 = _accounts[to][0];
        uint256 count = (w0 >> 24) & U24;
        unchecked {
            if (count < 2) {
                w0 |= tokenId << (48 + 64 * count);
            } else {
                uint256 i = count - 2;
                _accounts[to][1 + (i >> 2)] |= tokenId << (64 * (i & 3));
            }
            // balance += 1, count += 1 (both < 2**24: 16.7 million licences, ~100k gas each)
            _accounts[to][0] = w0 + 1 + (1 << 24);
        }
    }

    /// @dev Number of entries ever appended to `account`'s received list.
    function _receivedCount(address account) internal view returns (uint256) {
        return (_accounts[account][0] >> 24) & U24;
    }

    /// @dev Entry `i` of `account`'s received list (a licence it received at some point).
    function _receivedAt(address account, uint256 i) internal view returns (uint256) {
        unchecked {
            if (i < 2) return (_accounts[account][0] >> (48 + 64 * i)) & U64;
            i -= 2;
            return (_accounts[account][1 + (i >> 2)] >> (64 * (i & 3))) & U64;
        }
    }
}
