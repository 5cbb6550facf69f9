// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {AssayMarket} from "../../src/AssayMarket.sol";
import {AssayModels} from "../../src/AssayModels.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {MarketHandler} from "./handlers/MarketHandler.sol";

contract Market_Invariant_Test is Test {
    AssayMarket internal market;
    AssayModels internal models;
    MarketHandler internal handler;
    address internal treasury = makeAddr("treasury");

    function setUp() public {
        market = new AssayMarket(250, treasury, 3 days, 1 days);
        models = AssayModels(market.models());
        address[] memory actors = new address[](6);
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        handler = new MarketHandler(market, treasury, actors);

        // Seed catalogue: an open root model, an encrypted derivative with a co-author, a capped open model.
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](2);
        tiers[0] = IAssayMarket.TierInput(1 ether, 30 days, 2, true, true, true, "terms");
        tiers[1] = IAssayMarket.TierInput(0.1 ether + 3, 0, 0, false, false, false, "");
        vm.prank(actors[0]);
        uint256 root =
            market.listModel("root", 0, 500, new IAssayMarket.CoAuthor[](0), new IAssayMarket.ParentShare[](0), tiers);
        IAssayMarket.CoAuthor[] memory co = new IAssayMarket.CoAuthor[](1);
        co[0] = IAssayMarket.CoAuthor(actors[2], 3_333);
        IAssayMarket.ParentShare[] memory parents = new IAssayMarket.ParentShare[](1);
        parents[0] = IAssayMarket.ParentShare(root, 2_000);
        vm.prank(actors[1]);
        market.listModel("derived", keccak256("key"), 0, co, parents, tiers);
        vm.prank(actors[3]);
        market.listModel("capped", 0, 0, co, new IAssayMarket.ParentShare[](0), tiers);

        targetContract(address(handler));
    }

    /// @dev ETH held == everything withdrawable + every model's unclaimed earnings + everything escrowed (nothing lost, nothing double-counted).
    function invariant_BalanceEqualsCreditsPlusEscrow() external view {
        uint256 credits = market.withdrawable(treasury);
        for (uint256 i; i < handler.actorCount(); ++i) {
            credits += market.withdrawable(handler.actors(i));
        }
        for (uint256 m = 1; m <= market.modelCount(); ++m) {
            credits += market.earningsOf(m);
        }
        assertEq(address(market).balance, credits + market.totalEscrowed());
        assertEq(handler.ghostPaid(), credits + market.totalEscrowed() + handler.ghostWithdrawn());
    }

    /// @dev Escrow total == sum of the escrow of licences awaiting a key.
    function invariant_EscrowMatchesPendingLicences() external view {
        uint256 sum;
        for (uint256 i; i < handler.licenceCount(); ++i) {
            IAssayMarket.LicenceView memory v = market.licence(handler.licences(i));
            if (
                v.status == IAssayMarket.LicenceStatus.AwaitingKey
                    || v.status == IAssayMarket.LicenceStatus.InChallengePeriod
            ) sum += v.escrowAmount;
        }
        assertEq(market.totalEscrowed(), sum);
    }

    /// @dev Licences sold per tier never exceed max supply, and `sold` counts exactly the live licences.
    function invariant_SoldNeverExceedsMaxSupply() external view {
        uint256 n = market.modelCount();
        for (uint256 m = 1; m <= n; ++m) {
            IAssayMarket.Tier[] memory tiers = market.tiersOf(m);
            for (uint256 t; t < tiers.length; ++t) {
                if (tiers[t].maxSupply != 0) assertLe(tiers[t].sold, tiers[t].maxSupply);
                uint256 live;
                for (uint256 i; i < handler.licenceCount(); ++i) {
                    IAssayMarket.LicenceView memory v = market.licence(handler.licences(i));
                    if (v.status != IAssayMarket.LicenceStatus.None && v.modelId == m && v.tierId == t) live++;
                }
                assertEq(tiers[t].sold, live);
            }
        }
    }

    /// @dev At most one review per licence; the per-model counts add up to the reviews made.
    function invariant_OneReviewPerLicence() external view {
        uint256 reviewed;
        for (uint256 i; i < handler.licenceCount(); ++i) {
            uint256 id = handler.licences(i);
            assertLe(handler.ghostReviews(id), 1);
            if (market.licence(id).reviewed) reviewed++;
        }
        uint256 counted;
        uint256 n = market.modelCount();
        for (uint256 m = 1; m <= n; ++m) {
            counted += market.model(m).ratingCount;
        }
        assertEq(counted, handler.ghostReviewCount());
        assertEq(reviewed, handler.ghostReviewCount());
    }

    /// @dev A reclaimed licence no longer exists: no holder, status None, not counted in any balance.
    function invariant_ReclaimedLicencesAreGone() external {
        for (uint256 i; i < handler.reclaimedCount(); ++i) {
            uint256 id = handler.reclaimedIds(i);
            assertEq(uint8(market.licence(id).status), uint8(IAssayMarket.LicenceStatus.None));
            vm.expectRevert();
            market.ownerOf(id);
        }
        uint256 balances;
        for (uint256 i; i < handler.actorCount(); ++i) {
            balances += market.balanceOf(handler.actors(i));
        }
        assertEq(balances, handler.licenceCount() - handler.reclaimedCount());
    }

    /// @dev Each licence id is held by at most one account and `hasLicence` agrees with the licence views.
    function invariant_HasLicenceMatchesLicenceViews() external view {
        for (uint256 i; i < handler.licenceCount(); ++i) {
            IAssayMarket.LicenceView memory v = market.licence(handler.licences(i));
            if (v.status == IAssayMarket.LicenceStatus.Active) assertTrue(market.hasLicence(v.holder, v.modelId));
        }
    }
}
