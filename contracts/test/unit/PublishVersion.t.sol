// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Model_Test, Listing} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayModels} from "../../src/interfaces/IAssayModels.sol";
import {IERC4906} from "@openzeppelin/contracts/interfaces/IERC4906.sol";

contract PublishVersion_Unit_Test is Model_Test(Listing.Open) {
    function test_RevertWhen_ModelDoesNotExist() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 99));
        market.publishVersion(99, CID2);
    }

    function test_RevertWhen_CallerNotOwner() external {
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.publishVersion(id, CID2);
    }

    function test_RevertWhen_CidIsEmpty() external {
        _expectRevertAs(creator, IAssayMarket.EmptyCid.selector);
        market.publishVersion(id, "");
    }

    function test_WhenCallerIsOwner_ItAppendsAVersionAndUpdatesTokenURI() external {
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.VersionPublished(id, 1, CID2, creator);
        vm.expectEmit(false, false, false, true, address(models));
        emit IERC4906.MetadataUpdate(id);
        vm.prank(creator);
        assertEq(market.publishVersion(id, CID2), 1);
        string[] memory v = market.versionsOf(id);
        assertEq(v.length, 2);
        assertEq(v[0], CID);
        assertEq(v[1], CID2);
        assertEq(market.manifestCid(id), CID2);
        assertEq(models.tokenURI(id), string.concat("ipfs://", CID2));
        assertEq(market.model(id).versionCount, 2);
    }

    function test_ModelsSupportERC4906() external view {
        assertTrue(models.supportsInterface(0x49064906));
    }

    function test_MetadataUpdated_RevertWhen_CallerNotMarket() external {
        vm.expectRevert(IAssayModels.OnlyMarket.selector);
        models.metadataUpdated(id);
    }

    function test_WhenModelWasTransferred_OnlyTheNewOwnerCanPublish() external {
        vm.prank(creator);
        models.transferFrom(creator, stranger, id);
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, creator));
        market.publishVersion(id, CID2);
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.VersionPublished(id, 1, CID2, stranger);
        vm.prank(stranger);
        assertEq(market.publishVersion(id, CID2), 1);
    }
}
