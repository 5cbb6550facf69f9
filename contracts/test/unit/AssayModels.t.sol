// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayModels} from "../../src/interfaces/IAssayModels.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC2981} from "@openzeppelin/contracts/interfaces/IERC2981.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

contract AssayModels_Unit_Test is Base_Test {
    function test_Mint_RevertWhen_CallerNotMarket() external {
        _expectRevertAs(stranger, IAssayModels.OnlyMarket.selector);
        models.mint(stranger, 1);
    }

    function test_TokenURI_RevertWhen_Nonexistent() external {
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, 1));
        models.tokenURI(1);
    }

    function test_RoyaltyInfo_PaysTheCreatorEvenAfterResale() external {
        uint256 id = _listOpen(); // 500 bps
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        (address receiver, uint256 amount) = models.royaltyInfo(id, 10 ether);
        assertEq(receiver, creator);
        assertEq(amount, 0.5 ether);
    }

    function test_SupportsInterface_ERC721MetadataAnd2981() external view {
        assertTrue(models.supportsInterface(type(IERC721).interfaceId));
        assertTrue(models.supportsInterface(type(IERC721Metadata).interfaceId));
        assertTrue(models.supportsInterface(type(IERC2981).interfaceId));
    }

    function test_WhenModelTransferred_NewOwnerGetsTheOwnersShare() external {
        uint256 id = _listOpen();
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        _buy(buyer, id, 0);
        assertEq(market.earningsOf(id), PRICE - _fee(PRICE));
        uint256[] memory ids = new uint256[](1);
        ids[0] = id;
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, creator));
        market.claim(ids);
        vm.prank(stranger);
        market.claim(ids);
        assertEq(stranger.balance, 1_000 ether + PRICE - _fee(PRICE));
        assertEq(market.model(id).owner, stranger);
    }
}
