// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {ModelVault} from "../mocks/Vault.sol";

/// @notice The owner's part and parents' shares accrue to the model and are claimed by whoever owns it when claiming.
contract Earnings_Unit_Test is Base_Test {
    ModelVault internal vault;

    function setUp() public override {
        super.setUp();
        vault = new ModelVault();
    }

    function _ids(uint256 a) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](1);
        ids[0] = a;
    }

    function test_WhenTheModelSitsInAVault_ItsShareWaitsForTheNextOwner() external {
        uint256 id = _listOpen();
        vm.prank(creator);
        models.transferFrom(creator, address(vault), id);
        _buy(buyer, id, 0);
        uint256 share = PRICE - _fee(PRICE);
        assertEq(market.withdrawable(address(vault)), 0, "nothing credited to the vault's address");
        assertEq(market.earningsOf(id), share);

        vault.release(IERC721(address(models)), id, creator);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.EarningsClaimed(id, creator, share);
        vm.prank(creator);
        assertEq(market.claim(_ids(id)), share);
        assertEq(creator.balance, share);
        assertEq(market.earningsOf(id), 0);
    }

    function test_WhenTheParentSitsInAVault_ItsShareWaitsForTheParentsNextOwner() external {
        uint256 parent = _listDerivable();
        uint256 licence = _buy(stranger, parent, 0); // the deriver's licence of the parent (see Derivatives.t.sol)
        vm.prank(creator);
        models.transferFrom(creator, address(vault), parent);
        uint256 before = market.earningsOf(parent);
        vm.prank(stranger);
        uint256 child = market.listModel(
            CID2, 0, 0, _noCoAuthors(), _parents1Under(parent, 2_000, licence), _tiers1(_tier(PRICE, 0, 0, true))
        );
        _buy(buyer, child, 0);
        uint256 rest = PRICE - _fee(PRICE);
        assertEq(market.earningsOf(parent) - before, rest * 2_000 / 10_000);
        assertEq(market.earningsOf(child), rest - rest * 2_000 / 10_000);
        vault.release(IERC721(address(models)), parent, buyer);
        vm.prank(buyer);
        assertEq(market.claim(_ids(parent)), market.earningsOf(parent) + before + rest * 2_000 / 10_000);
    }

    function test_WhenASaleIsSplit_EachCreditSaysItsRole() external {
        vm.prank(creator);
        uint256 id =
            market.listModel(CID, 0, 0, _coAuthors1(coAuthor, 1_000), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
        uint256 fee = _fee(PRICE);
        uint256 co = (PRICE - fee) / 10;
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.Credited(coAuthor, 1, co, IAssayMarket.Role.CoAuthor);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.EarningsCredited(id, 1, PRICE - fee - co, IAssayMarket.Role.Owner);
        vm.expectEmit(true, true, false, true, address(market));
        emit IAssayMarket.Credited(treasury, 1, fee, IAssayMarket.Role.Fee);
        _buy(buyer, id, 0);
    }

    function test_Claim_RevertWhen_CallerDoesNotOwnAModel() external {
        uint256 id = _listOpen();
        _buy(buyer, id, 0);
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotModelOwner.selector, id, stranger));
        market.claim(_ids(id));
    }

    function test_Claim_RevertWhen_NothingToClaim() external {
        uint256 id = _listOpen();
        _expectRevertAs(creator, IAssayMarket.NothingToWithdraw.selector);
        market.claim(_ids(id));
    }

    function test_Claim_PaysTheCallersBalanceTooAndEmitsWithdrawn() external {
        vm.prank(creator);
        uint256 id =
            market.listModel(CID, 0, 0, _coAuthors1(creator, 1_000), _noParents(), _tiers1(_tier(PRICE, 0, 0, true)));
        _buy(buyer, id, 0);
        uint256 total = PRICE - _fee(PRICE);
        vm.expectEmit(true, false, false, true, address(market));
        emit IAssayMarket.Withdrawn(creator, total);
        vm.prank(creator);
        assertEq(market.claim(_ids(id)), total);
        assertEq(creator.balance, total);
        assertEq(address(market).balance, _fee(PRICE));
    }
}
