// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract ListModel_Unit_Test is Base_Test {
    function test_RevertWhen_ManifestCidIsEmpty() external {
        _expectRevertAs(creator, IAssayMarket.EmptyCid.selector);
        market.listModel("", 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_ManifestCidIsTooLong() external {
        string memory long = string(new bytes(64));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.CidTooLong.selector, 64));
        market.listModel(long, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_TermsCidIsTooLong() external {
        IAssayMarket.TierInput memory t = _tier(PRICE, 0, 0, true);
        t.termsCid = string(new bytes(100));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.CidTooLong.selector, 100));
        market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(t));
    }

    function test_RevertWhen_RoyaltyAboveMax() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.RoyaltyTooHigh.selector, 1_001));
        market.listModel(CID, 0, 1_001, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_MoreThanEightCoAuthors() external {
        IAssayMarket.CoAuthor[] memory c = new IAssayMarket.CoAuthor[](9);
        for (uint256 i; i < 9; ++i) {
            c[i] = IAssayMarket.CoAuthor(address(uint160(i + 1)), 1);
        }
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.TooManyCoAuthors.selector, 9));
        market.listModel(CID, 0, 0, c, _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_MoreThanFourParents() external {
        uint256 p0 = _listOpen();
        IAssayMarket.ParentShare[] memory p = new IAssayMarket.ParentShare[](5);
        for (uint256 i; i < 5; ++i) {
            p[i] = IAssayMarket.ParentShare(p0, 1, 0);
        }
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.TooManyParents.selector, 5));
        market.listModel(CID, 0, 0, _noCoAuthors(), p, _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_NoTiers() external {
        _expectRevertAs(creator, IAssayMarket.NoTiers.selector);
        market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), new IAssayMarket.TierInput[](0));
    }

    function test_RevertWhen_MoreThanSixteenTiers() external {
        IAssayMarket.TierInput[] memory t = new IAssayMarket.TierInput[](17);
        for (uint256 i; i < 17; ++i) {
            t[i] = _tier(PRICE, 0, 0, true);
        }
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.TooManyTiers.selector, 17));
        market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), t);
    }

    function test_RevertWhen_CoAuthorIsZeroAddress() external {
        _expectRevertAs(creator, IAssayMarket.ZeroAddress.selector);
        market.listModel(CID, 0, 0, _coAuthors1(address(0), 100), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_CoAuthorShareIsZero() external {
        _expectRevertAs(creator, IAssayMarket.ZeroShare.selector);
        market.listModel(CID, 0, 0, _coAuthors1(coAuthor, 0), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_ParentShareIsZero() external {
        uint256 p0 = _listOpen();
        _expectRevertAs(creator, IAssayMarket.ZeroShare.selector);
        market.listModel(CID, 0, 0, _noCoAuthors(), _parents1(p0, 0), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_ParentDoesNotExist() external {
        _listOpen();
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ParentNotFound.selector, 7));
        market.listModel(CID, 0, 0, _noCoAuthors(), _parents1(7, 100), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_ParentIsZeroId() external {
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.ParentNotFound.selector, 0));
        market.listModel(CID, 0, 0, _noCoAuthors(), _parents1(0, 100), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_ParentIsTheModelItself() external {
        _listOpen(); // next id is 2
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.SelfParent.selector, 2));
        market.listModel(CID, 0, 0, _noCoAuthors(), _parents1(2, 100), _tiers1(_tier(PRICE, 0, 0, true)));
    }

    function test_RevertWhen_SharesExceedTenThousandBps() external {
        uint256 p0 = _listOpen();
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.SharesExceedTotal.selector, 10_001));
        market.listModel(
            CID, 0, 0, _coAuthors1(coAuthor, 5_001), _parents1(p0, 5_000), _tiers1(_tier(PRICE, 0, 0, true))
        );
    }

    function test_WhenSharesSumToExactlyTenThousand_ItLists() external {
        uint256 p0 = _listOpen();
        vm.prank(creator);
        uint256 id = market.listModel(
            CID, 0, 0, _coAuthors1(coAuthor, 5_000), _parents1(p0, 5_000), _tiers1(_tier(PRICE, 0, 0, true))
        );
        assertEq(id, 2);
    }

    function test_WhenParamsAreValid_ItMintsToCallerAndStoresEverything() external {
        uint256 p0 = _listOpen();
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.ModelListed(
            2, creator, CID2, COMMITMENT, 700, _coAuthors1(coAuthor, 1_000), _parents1(p0, 2_000)
        );
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.TierAdded(2, 0, _tier(3 ether, 7 days, 10, false));
        vm.prank(creator);
        uint256 id = market.listModel(
            CID2,
            COMMITMENT,
            700,
            _coAuthors1(coAuthor, 1_000),
            _parents1(p0, 2_000),
            _tiers1(_tier(3 ether, 7 days, 10, false))
        );

        assertEq(id, 2);
        assertEq(market.modelCount(), 2);
        assertEq(models.ownerOf(id), creator);
        assertEq(models.tokenURI(id), string.concat("ipfs://", CID2));
        assertEq(market.keyCommitment(id), COMMITMENT);
        IAssayMarket.ModelSummary memory s = market.model(id);
        assertEq(s.creator, creator);
        assertEq(s.owner, creator);
        assertTrue(s.encrypted);
        assertEq(s.versionCount, 1);
        assertEq(s.royaltyBps, 700);
        assertEq(s.tiers.length, 1);
        assertEq(s.tiers[0].price, 3 ether);
        assertEq(s.tiers[0].duration, 7 days);
        assertEq(s.tiers[0].maxSupply, 10);
        assertTrue(s.tiers[0].commercialUse);
        assertFalse(s.tiers[0].derivativesAllowed);
        assertFalse(s.tiers[0].transferable);
        assertFalse(s.tiers[0].paused);
        assertEq(s.tiers[0].termsCid, TERMS);
        IAssayMarket.CoAuthor[] memory c = market.coAuthorsOf(id);
        assertEq(c.length, 1);
        assertEq(c[0].account, coAuthor);
        assertEq(c[0].bps, 1_000);
        IAssayMarket.ParentShare[] memory p = market.parentsOf(id);
        assertEq(p.length, 1);
        assertEq(p[0].modelId, p0);
        assertEq(p[0].bps, 2_000);
    }

    function test_WhenCommitmentIsZero_ItIsAnOpenModel() external {
        uint256 id = _listOpen();
        assertFalse(market.model(id).encrypted);
        assertEq(market.keyCommitment(id), bytes32(0));
    }

    function test_WhenCidIsShort_ItRoundTrips() external {
        vm.prank(creator);
        uint256 id = market.listModel("Qm", 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
        assertEq(market.manifestCid(id), "Qm");
    }

    function test_WhenCidIsSixtyThreeBytes_ItRoundTrips() external {
        string memory c63 = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdiabcd";
        assertEq(bytes(c63).length, 63);
        vm.prank(creator);
        uint256 id = market.listModel(c63, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
        assertEq(market.manifestCid(id), c63);
    }

    /// @dev The model's word is written in one store (`Catalogue.listModel`): every field reads back at its bound.
    function test_TheModelWord_KeepsEveryFieldAtItsBounds() external {
        IAssayMarket.ParentShare[] memory p = new IAssayMarket.ParentShare[](4);
        for (uint256 i; i < 4; ++i) {
            p[i] = IAssayMarket.ParentShare(_listOpen(), 1_000, 0);
        }
        IAssayMarket.CoAuthor[] memory c = new IAssayMarket.CoAuthor[](8);
        for (uint256 i; i < 8; ++i) {
            c[i] = IAssayMarket.CoAuthor(address(uint160(0xc0 + i)), 500);
        }
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](16);
        for (uint256 i; i < 16; ++i) {
            tiers[i] = _tier(PRICE, 0, 0, true);
        }
        vm.prank(creator);
        uint256 id = market.listModel(CID, COMMITMENT, 1_000, c, p, tiers);
        IAssayMarket.ModelSummary memory s = market.model(id);
        assertEq(s.creator, creator);
        assertEq(s.owner, creator);
        assertEq(s.versionCount, 1);
        assertEq(s.tiers.length, 16);
        assertEq(market.coAuthorsOf(id).length, 8);
        assertEq(market.parentsOf(id).length, 4);
        assertEq(s.royaltyBps, 1_000);
        assertTrue(s.encrypted);
        assertFalse(s.delisted);
        (address receiver, uint16 bps) = market.royaltyOf(id);
        assertEq(receiver, creator);
        assertEq(bps, 1_000);
        vm.prank(creator);
        assertEq(market.publishVersion(id, CID2), 1);
        assertEq(market.model(id).versionCount, 2);
    }
}
