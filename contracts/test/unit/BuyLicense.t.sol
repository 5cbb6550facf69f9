// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

contract BuyLicense_Unit_Test is Base_Test {
    function test_RevertWhen_ModelDoesNotExist() external {
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.ModelNotFound.selector, 1));
        market.buyLicense{value: PRICE}(1, 0, 0, 0);
    }

    function test_RevertWhen_TierDoesNotExist() external {
        uint256 id = _listOpen();
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.TierNotFound.selector, id, 1));
        market.buyLicense{value: PRICE}(id, 1, 0, 0);
    }

    function test_RevertWhen_PriceIsTooLow() external {
        uint256 id = _listOpen();
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongPayment.selector, PRICE, PRICE - 1));
        market.buyLicense{value: PRICE - 1}(id, 0, 0, 0);
    }

    function test_RevertWhen_PriceIsTooHigh() external {
        uint256 id = _listOpen();
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongPayment.selector, PRICE, PRICE + 1));
        market.buyLicense{value: PRICE + 1}(id, 0, 0, 0);
    }

    function test_RevertWhen_TierIsSoldOut() external {
        vm.prank(creator);
        uint256 id = market.listModel(CID, 0, 0, _noCoAuthors(), _noParents(), _tiers1(_tier(PRICE, 0, 2, true)));
        _buy(buyer, id, 0);
        _buy(stranger, id, 0);
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.SoldOut.selector, id, 0));
        market.buyLicense{value: PRICE}(id, 0, 0, 0);
    }

    function test_RevertWhen_ExpiryDoesNotFit40Bits() external {
        uint256 id = _listOpenWithCoAuthor(); // 30-day tier
        vm.warp(uint256(type(uint40).max) - 1 days);
        _expectRevertAs(
            buyer, abi.encodeWithSelector(IAssayMarket.ExpiryOutOfRange.selector, block.timestamp + 30 days)
        );
        market.buyLicense{value: PRICE}(id, 0, 0, 0);
    }

    function test_RevertWhen_ModelIsEncryptedAndBuyerKeyIsZero() external {
        uint256 id = _listEncrypted();
        _expectRevertAs(buyer, IAssayMarket.MissingBuyerKey.selector);
        market.buyLicense{value: PRICE}(id, 0, bytes32(0), 0);
    }

    function test_WhenModelIsOpen_ItMintsAndCreditsTheSplit() external {
        uint256 id = _listOpenWithCoAuthor();
        uint256 fee = _fee(PRICE);
        uint256 rest = PRICE - fee;
        uint256 co = rest * 1_000 / 10_000;

        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.LicencePurchased(1, id, buyer, 0, PRICE, uint64(block.timestamp + 30 days), BUYER_KEY, false);
        uint256 lic = _buy(buyer, id, 0);

        assertEq(lic, 1);
        assertEq(market.ownerOf(lic), buyer);
        assertEq(market.balanceOf(buyer), 1);
        assertEq(market.licenceCount(), 1);
        assertEq(market.withdrawable(treasury), fee);
        assertEq(market.withdrawable(coAuthor), co);
        assertEq(market.earningsOf(id), rest - co);
        assertEq(market.withdrawable(creator), 0);
        assertEq(address(market).balance, PRICE);
        assertTrue(market.hasLicence(buyer, id));
        IAssayMarket.LicenceView memory v = market.licence(lic);
        assertEq(v.modelId, id);
        assertEq(v.tierId, 0);
        assertEq(v.expiresAt, block.timestamp + 30 days);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.Active));
        assertEq(market.model(id).sales, 1);
        assertEq(market.tokenURI(lic), string.concat("ipfs://", TERMS));
    }

    function test_WhenModelIsDerivative_ParentOwnerGetsItsShare() external {
        uint256 parent = _listDerivable();
        vm.prank(creator);
        models.transferFrom(creator, stranger, parent); // parent's CURRENT owner is paid
        address deriver = makeAddr("deriver");
        uint256 licence = _licenceToDerive(deriver, parent);
        uint256 before = market.earningsOf(parent);
        vm.prank(deriver);
        uint256 child = market.listModel(
            CID2,
            0,
            0,
            _coAuthors1(coAuthor, 500),
            _parents1Under(parent, 2_000, licence),
            _tiers1(_tier(PRICE, 0, 0, true))
        );
        _buy(buyer, child, 0);
        uint256 rest = PRICE - _fee(PRICE);
        assertEq(market.earningsOf(parent) - before, rest * 2_000 / 10_000);
        assertEq(market.withdrawable(coAuthor), rest * 500 / 10_000);
        assertEq(market.earningsOf(child), rest - rest * 2_000 / 10_000 - rest * 500 / 10_000);
        assertEq(market.withdrawable(creator), 0);
    }

    function test_WhenPriceIsZero_ItMintsWithoutCredits() external {
        vm.prank(creator);
        uint256 id =
            market.listModel(CID, 0, 0, _coAuthors1(coAuthor, 100), _noParents(), _tiers1(_tier(0, 0, 0, true)));
        vm.prank(buyer);
        uint256 lic = market.buyLicense(id, 0, 0, 0);
        assertEq(market.ownerOf(lic), buyer);
        assertEq(market.earningsOf(id), 0);
        assertEq(market.withdrawable(treasury), 0);
    }

    function test_WhenTierIsPerpetual_ExpiryIsZeroAndNeverLapses() external {
        uint256 id = _listOpen();
        uint256 lic = _buy(buyer, id, 0);
        assertEq(market.licence(lic).expiresAt, 0);
        vm.warp(block.timestamp + 3650 days);
        assertTrue(market.hasLicence(buyer, id));
    }

    function test_WhenModelIsEncrypted_PaymentIsEscrowedNotCredited() external {
        uint256 id = _listEncrypted();
        vm.expectEmit(true, true, true, true, address(market));
        emit IAssayMarket.LicencePurchased(1, id, buyer, 0, PRICE, 0, BUYER_KEY, true);
        uint256 lic = _buy(buyer, id, 0);
        assertEq(market.totalEscrowed(), PRICE);
        assertEq(market.earningsOf(id), 0);
        assertEq(market.withdrawable(treasury), 0);
        assertEq(market.buyerKeyOf(lic), BUYER_KEY);
        assertFalse(market.hasLicence(buyer, id));
        IAssayMarket.LicenceView memory v = market.licence(lic);
        assertEq(uint8(v.status), uint8(IAssayMarket.LicenceStatus.AwaitingKey));
        assertEq(v.escrowAmount, PRICE);
        assertEq(v.deliveryDeadline, block.timestamp + WINDOW);
    }

    function test_WhenBuyerIsAContract_ItDoesNotCallBack() external {
        uint256 id = _listOpen();
        // A contract with no ERC721Receiver can still buy (mint does not call onERC721Received).
        NoReceiver nr = new NoReceiver();
        vm.deal(address(nr), PRICE);
        uint256 lic = nr.buy(market, id);
        assertEq(market.ownerOf(lic), address(nr));
    }
}

contract NoReceiver {
    function buy(IAssayMarket m, uint256 id) external returns (uint256) {
        return m.buyLicense{value: 1 ether}(id, 0, 0, 0);
    }
}
