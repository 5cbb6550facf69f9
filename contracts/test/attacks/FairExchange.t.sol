// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {FairExchange_Test} from "../helpers/FairExchange.sol";
import {IDeployedMarket} from "../helpers/Deployed.sol";

/// @notice A licence holder that withdraws its refund and, from `receive`, re-enters the market.
contract ReentrantChallenger {
    IDeployedMarket internal immutable market;
    uint256 internal licenceId;
    bytes32 internal secret;
    bool public reentryBlocked;

    constructor(IDeployedMarket market_) {
        market = market_;
    }

    function buy(uint256 modelId, bytes32 buyerKey, uint256 price) external payable returns (uint256 l) {
        l = market.buyLicense{value: price}(modelId, 0, buyerKey, keccak256("salt"));
        licenceId = l;
    }

    function challenge(bytes32 secret_) external {
        secret = secret_;
        market.challenge(licenceId, secret_);
    }

    function withdraw() external {
        market.withdraw();
    }

    receive() external payable {
        // Challenge again (double refund), release, or reclaim: each must fail.
        try market.challenge(licenceId, secret) {}
        catch {
            reentryBlocked = true;
        }
        try market.release(licenceId) {
            reentryBlocked = false;
        } catch {}
        try market.reclaim(licenceId) {
            reentryBlocked = false;
        } catch {}
    }
}

contract FairExchange_Attack_Test is FairExchange_Test {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _listWithContentKey();
    }

    /// @dev A challenge reveals one licence's secret; it opens nothing of the buyer's other purchases and cannot
    /// be replayed on them.
    function test_RevertWhen_ARevealedSecretIsUsedOnAnotherPurchase() external {
        (uint256 b1, bytes32 bx1) = _licenceKey(1);
        (uint256 b2, bytes32 bx2) = _licenceKey(2);
        uint256 l1 = _buyWithKey(buyer, id, bx1);
        uint256 l2 = _buyWithKey(buyer, id, bx2);
        _deliver(l1, _seal(keccak256("wrong"), b1, 1));
        bytes memory sealed2 = _seal(keccak256("also wrong"), b2, 2);
        _deliver(l2, sealed2);

        vm.prank(buyer);
        market.challenge(l1, bytes32(b1)); // b1 is now public
        _expectRevertAs(buyer, abi.encodeWithSelector(IAssayMarket.WrongSecret.selector, l2));
        market.challenge(l2, bytes32(b1));
        // b1 does not unmask licence 2's key: the mask comes from b2·E2.
        bytes32 ex2;
        bytes32 masked2;
        assembly {
            ex2 := mload(add(sealed2, 32))
            masked2 := mload(add(sealed2, 64))
        }
        (uint256 e2,) = _even(uint256(keccak256(abi.encode("ephemeral", uint256(2)))));
        address guess = vm.addr(mulmod(e2, b1, N));
        assertNotEq(masked2 ^ keccak256(abi.encodePacked(guess, ex2)), keccak256("also wrong"));
        // The rightful secret still works.
        vm.prank(buyer);
        market.challenge(l2, bytes32(b2));
        assertEq(market.withdrawable(buyer), 2 * PRICE);
    }

    /// @dev A third party who learns the secret (from the mempool) cannot challenge: only the holder can.
    function test_RevertWhen_AFrontRunnerUsesTheRevealedSecret() external {
        (uint256 b, bytes32 bx) = _licenceKey(1);
        uint256 l = _buyWithKey(buyer, id, bx);
        _deliver(l, _seal(keccak256("wrong"), b, 1));
        _expectRevertAs(stranger, abi.encodeWithSelector(IAssayMarket.NotLicenceHolder.selector, l, stranger));
        market.challenge(l, bytes32(b));
    }

    /// @dev The creator cannot dodge a challenge by delivering twice or by releasing early.
    function test_RevertWhen_CreatorRedeliversOrReleasesEarly() external {
        (uint256 b, bytes32 bx) = _licenceKey(1);
        uint256 l = _buyWithKey(buyer, id, bx);
        _deliver(l, _seal(keccak256("wrong"), b, 1));
        _expectRevertAs(creator, abi.encodeWithSelector(IAssayMarket.NotAwaitingKey.selector, l));
        market.deliverKey(l, _seal(CONTENT_KEY, b, 2));
        _expectRevertAs(
            creator, abi.encodeWithSelector(IAssayMarket.ChallengePeriodOpen.selector, l, block.timestamp + CHALLENGE)
        );
        market.release(l);
        vm.prank(buyer);
        market.challenge(l, bytes32(b));
    }

    function test_WhenChallengeRefundIsWithdrawnReentrantly_NothingMoreIsPaid() external {
        ReentrantChallenger attacker = new ReentrantChallenger(market);
        vm.deal(address(attacker), PRICE);
        (uint256 b, bytes32 bx) = _licenceKey(1);
        uint256 l = attacker.buy(id, bx, PRICE);
        _deliver(l, _seal(keccak256("wrong"), b, 1));
        attacker.challenge(bytes32(b));
        attacker.withdraw();
        assertTrue(attacker.reentryBlocked());
        assertEq(address(attacker).balance, PRICE);
        assertEq(address(market).balance, 0);
        assertEq(market.totalEscrowed(), 0);
    }

    /// @dev Escrow accounting across every outcome: honest + released, wrong + challenged, undelivered + reclaimed.
    function test_WhenEveryOutcomeHappens_TheMarketHoldsExactlyWhatItOwes() external {
        (uint256 b1, bytes32 bx1) = _licenceKey(1);
        (uint256 b2, bytes32 bx2) = _licenceKey(2);
        (, bytes32 bx3) = _licenceKey(3);
        uint256 l1 = _buyWithKey(buyer, id, bx1);
        uint256 l2 = _buyWithKey(buyer, id, bx2);
        uint256 l3 = _buyWithKey(buyer, id, bx3);
        assertEq(market.totalEscrowed(), 3 * PRICE);
        _deliver(l1, _seal(CONTENT_KEY, b1, 1));
        _deliver(l2, _seal(bytes32(uint256(1)), b2, 2));
        vm.prank(buyer);
        market.challenge(l2, bytes32(b2));
        vm.warp(block.timestamp + WINDOW + CHALLENGE + 1);
        market.release(l1);
        vm.prank(buyer);
        market.reclaim(l3);
        assertEq(market.totalEscrowed(), 0);
        assertEq(market.withdrawable(buyer), 2 * PRICE);
        assertEq(market.withdrawable(treasury) + market.earningsOf(id), PRICE);
        assertEq(address(market).balance, 3 * PRICE);
    }
}
