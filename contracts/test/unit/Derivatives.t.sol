// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

/// @notice Finding 7 of the contract review: declaring a parent needs the lister's active licence of it whose tier
/// allows derivatives (or owning the parent model), and a parent licensed without commercial use keeps the
/// derivative's tiers free.
contract Derivatives_Unit_Test is Base_Test {
    uint256 internal parent;
    address internal deriver = makeAddr("deriver");

    /// @dev Tiers of the parent: 0 derivatives + commercial (perpetual), 1 no derivatives, 2 derivatives without
    /// commercial use, 3 derivatives for 30 days.
    function setUp() public override {
        super.setUp();
        IAssayMarket.TierInput[] memory t = new IAssayMarket.TierInput[](4);
        t[0] = _rights(_tier(PRICE, 0, 0, true), true, true);
        t[1] = _rights(_tier(PRICE, 0, 0, true), true, false);
        t[2] = _rights(_tier(PRICE, 0, 0, true), false, true);
        t[3] = _rights(_tier(PRICE, 30 days, 0, true), true, true);
        vm.prank(creator);
        parent = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), t);
        vm.deal(deriver, 100 ether);
    }

    function _rights(IAssayMarket.TierInput memory t, bool commercial, bool derivatives)
        internal
        pure
        returns (IAssayMarket.TierInput memory)
    {
        t.commercialUse = commercial;
        t.derivativesAllowed = derivatives;
        return t;
    }

    function _licence(address who, uint256 tierId) internal returns (uint256) {
        vm.prank(who);
        return market.buyLicense{value: PRICE}(parent, tierId, 0, 0);
    }

    function _under(uint256 licenceId) internal view returns (IAssayMarket.ParentShare[] memory p) {
        p = new IAssayMarket.ParentShare[](1);
        p[0] = IAssayMarket.ParentShare(parent, 1_000, licenceId);
    }

    function _derive(uint256 licenceId, uint96 price) internal returns (uint256) {
        vm.prank(deriver);
        return market.listModel(CID2, 0, 0, _noCoAuthors(), _under(licenceId), _tiers1(_tier(price, 0, 0, true)));
    }

    /*//////////////////////////////////////////////////////////////
                              REFUSALS
    //////////////////////////////////////////////////////////////*/

    function test_RevertWhen_ParentDeclaredWithoutALicence() external {
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.ParentLicenceRequired.selector, parent));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(0), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheLicenceIsSomeoneElses() external {
        uint256 id = _licence(buyer, 0);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.NotParentLicence.selector, parent, id));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(id), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheLicenceIsOfAnotherModel() external {
        uint256 other = _listOpen();
        vm.prank(deriver);
        uint256 id = market.buyLicense{value: PRICE}(other, 0, 0, 0);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.NotParentLicence.selector, parent, id));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(id), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheLicenceDoesNotExist() external {
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.NotParentLicence.selector, parent, 99));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(99), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheTierForbidsDerivatives() external {
        uint256 id = _licence(deriver, 1);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.DerivativesNotAllowed.selector, parent, id));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(id), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheLicenceHasExpired() external {
        uint256 id = _licence(deriver, 3);
        vm.warp(block.timestamp + 30 days);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.ParentLicenceInactive.selector, parent, id));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(id), _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_TheLicenceAwaitsItsKey() external {
        IAssayMarket.TierInput memory t = _rights(_tier(PRICE, 0, 0, false), true, true);
        vm.prank(creator);
        uint256 sealedModel = market.listModel(CID, COMMITMENT, 0, _noCoAuthors(), _noParents(), _tiers1(t));
        vm.prank(deriver);
        uint256 id = market.buyLicense{value: PRICE}(sealedModel, 0, BUYER_KEY, 0);
        IAssayMarket.ParentShare[] memory p = new IAssayMarket.ParentShare[](1);
        p[0] = IAssayMarket.ParentShare(sealedModel, 1_000, id);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.ParentLicenceInactive.selector, sealedModel, id));
        market.listModel(CID2, 0, 0, _noCoAuthors(), p, _tiers1(_tier(0, 0, 0, true)));
    }

    function test_RevertWhen_ANonCommercialDerivativeHasAPaidTier() external {
        uint256 id = _licence(deriver, 2);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.CommercialUseNotAllowed.selector, parent + 1));
        market.listModel(CID2, 0, 0, _noCoAuthors(), _under(id), _tiers1(_tier(1 wei, 0, 0, true)));
    }

    function test_RevertWhen_ANonCommercialDerivativeAddsAPaidTier() external {
        uint256 derived = _derive(_licence(deriver, 2), 0);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.CommercialUseNotAllowed.selector, derived));
        market.addTier(derived, _tier(PRICE, 0, 0, true));
    }

    function test_RevertWhen_ANonCommercialDerivativeRaisesAPrice() external {
        uint256 derived = _derive(_licence(deriver, 2), 0);
        _expectRevertAs(deriver, abi.encodeWithSelector(IAssayMarket.CommercialUseNotAllowed.selector, derived));
        market.setTierPrice(derived, 0, 1 wei);
    }

    /*//////////////////////////////////////////////////////////////
                              ACCEPTED
    //////////////////////////////////////////////////////////////*/

    function test_WhenTheLicenceAllowsDerivatives_ItListsAndRecordsTheLicence() external {
        uint256 id = _licence(deriver, 0);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.ModelListed(parent + 1, deriver, CID2, bytes32(0), 0, _noCoAuthors(), _under(id));
        uint256 derived = _derive(id, PRICE);
        IAssayMarket.ParentShare[] memory p = market.parentsOf(derived);
        assertEq(p.length, 1);
        assertEq(p[0].modelId, parent);
        assertEq(p[0].bps, 1_000);
        assertEq(p[0].licenceId, id);
    }

    function test_WhenTheLicenceRunsForAWhile_ItListsBeforeItExpires() external {
        uint256 id = _licence(deriver, 3);
        vm.warp(block.timestamp + 30 days - 1);
        assertEq(_derive(id, PRICE), parent + 1);
    }

    function test_WhenTheListerOwnsTheParent_NoLicenceIsNeeded() external {
        vm.prank(creator);
        models.transferFrom(creator, deriver, parent);
        assertEq(market.parentsOf(_derive(0, PRICE))[0].licenceId, 0);
    }

    function test_WhenANonCommercialDerivativeIsFree_ItListsAndStaysEditable() external {
        uint256 derived = _derive(_licence(deriver, 2), 0);
        vm.startPrank(deriver);
        market.addTier(derived, _tier(0, 7 days, 0, true));
        market.setTierPrice(derived, 0, 0);
        market.setTierPaused(derived, 1, true);
        vm.stopPrank();
        assertEq(market.tiersOf(derived).length, 2);
    }

    function test_WhenTheLicenceLaterExpires_TheDerivativeKeepsItsParent() external {
        uint256 id = _licence(deriver, 3);
        uint256 derived = _derive(id, PRICE);
        vm.warp(block.timestamp + 60 days);
        assertEq(market.parentsOf(derived)[0].licenceId, id);
        _buy(buyer, derived, 0);
        assertEq(market.earningsOf(parent), (PRICE - _fee(PRICE)) / 10 + PRICE - _fee(PRICE));
    }
}
