// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {MarketHandler} from "./handlers/MarketHandler.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket, IDeployedModels} from "../helpers/Deployed.sol";

contract Market_Invariant_Test is Test {
    IDeployedMarket internal market;
    IDeployedModels internal models;
    MarketHandler internal handler;
    address internal treasury = makeAddr("treasury");

    function setUp() public {
        market = FromArtifacts.market(250, treasury, 3 days, 1 days, address(0));
        models = IDeployedModels(market.models());
        address[] memory actors = new address[](6);
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        handler = new MarketHandler(market, treasury, actors);

        // Seed catalogue: an open root model, an encrypted derivative with a co-author, three open models with it.
        // Tier 2 of every model (here and in the handler's listings) allows derivatives, uncapped: the handler buys
        // it to name a model as a parent.
        IAssayMarket.TierInput[] memory tiers = new IAssayMarket.TierInput[](3);
        tiers[0] = IAssayMarket.TierInput(1 ether, 30 days, 2, true, true, true, "terms");
        tiers[1] = IAssayMarket.TierInput(0.1 ether + 3, 0, 0, false, false, false, "");
        tiers[2] = IAssayMarket.TierInput(0.02 ether, 0, 0, true, true, false, "");
        vm.prank(actors[0]);
        uint256 root =
            market.listModel("root", 0, 500, new IAssayMarket.CoAuthor[](0), new IAssayMarket.ParentShare[](0), tiers);
        IAssayMarket.CoAuthor[] memory co = new IAssayMarket.CoAuthor[](1);
        co[0] = IAssayMarket.CoAuthor(actors[2], 3_333);
        IAssayMarket.ParentShare[] memory parents = new IAssayMarket.ParentShare[](1);
        parents[0] = IAssayMarket.ParentShare(root, 2_000, 0);
        // Listed by the root's owner, who needs no licence to name it as a parent.
        vm.prank(actors[0]);
        market.listModel("derived", keccak256("key"), 0, co, parents, tiers);
        vm.prank(actors[3]);
        market.listModel("capped", 0, 0, co, new IAssayMarket.ParentShare[](0), tiers);
        // Two more, so the handler's first listing can name 4 open parents.
        vm.prank(actors[4]);
        market.listModel("plain", 0, 0, co, new IAssayMarket.ParentShare[](0), tiers);
        vm.prank(actors[5]);
        market.listModel("extra", 0, 0, new IAssayMarket.CoAuthor[](0), new IAssayMarket.ParentShare[](0), tiers);

        targetContract(address(handler));
    }

    /// @dev Every action the fuzzer called changed state (none returned early: each makes what it needs, e.g. a
    /// pending licence to deliver), and a run that listed models listed one at the limits of co-authors and parents.
    /// (`afterInvariant` runs after each run, whose state is fresh: which actions a run calls is the fuzzer's choice;
    /// with `fail_on_revert = true` none of them may revert.)
    function afterInvariant() external view {
        string[16] memory actions = [
            "listModel",
            "buy",
            "deliver",
            "release",
            "reclaim",
            "challenge",
            "review",
            "renew",
            "renewToLimit",
            "withdraw",
            "claim",
            "setPrice",
            "pause",
            "transferModel",
            "transferLicence",
            "warp"
        ];
        uint256 called;
        for (uint256 i; i < actions.length; ++i) {
            bytes32 name = bytes32(bytes(actions[i]));
            assertEq(handler.done(name), handler.calls(name), actions[i]);
            called += handler.calls(name);
        }
        assertGt(called, 0, "the run called the handler");
        if (handler.calls("listModel") != 0) assertGt(handler.maxFanOutListings(), 0, "8 co-authors and 4 parents");
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

    /// @dev A reclaimed (or successfully challenged) licence no longer exists: no holder, status None, not counted in
    /// any balance.
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

    /// @dev A live licence is transferable exactly when its tier is; a licence is pending (awaiting its key or in
    /// its challenge period) exactly when its escrow has a deadline.
    function invariant_FlagsAndEscrowDeadlines() external view {
        for (uint256 i; i < handler.licenceCount(); ++i) {
            IAssayMarket.LicenceView memory v = market.licence(handler.licences(i));
            if (v.status == IAssayMarket.LicenceStatus.None) continue;
            assertEq(v.transferable, market.tiersOf(v.modelId)[v.tierId].transferable, "transferable flag");
            bool pending = v.status == IAssayMarket.LicenceStatus.AwaitingKey
                || v.status == IAssayMarket.LicenceStatus.InChallengePeriod;
            assertEq(pending, v.deliveryDeadline != 0, "pending escrow <=> deadline set");
            if (!pending) assertEq(v.escrowAmount, 0, "no escrow once settled");
        }
    }

    /// @dev The stored expiry is the last one emitted (purchase, delivery, renewal); the handler requires emitted
    /// expiries never to move earlier.
    function invariant_ExpiryIsTheLastEmitted() external view {
        for (uint256 i; i < handler.licenceCount(); ++i) {
            uint256 id = handler.licences(i);
            IAssayMarket.LicenceView memory v = market.licence(id);
            if (v.status == IAssayMarket.LicenceStatus.None) continue;
            assertEq(v.expiresAt, handler.evExpiry(id), "stored expiry == last emitted");
        }
    }

    /// @dev `hasLicence(a, m)` exactly when `a` holds an active licence of `m`; every licence an actor holds is in
    /// its `licencesOf`, and `licencesOf` lists only licences it holds.
    function invariant_HasLicenceAndListsMatchHoldings() external view {
        uint256 n = market.modelCount();
        for (uint256 a; a < handler.actorCount(); ++a) {
            address actor = handler.actors(a);
            (IAssayMarket.LicenceView[] memory listed,,) = market.licencesOf(actor, 0, type(uint32).max);
            for (uint256 m = 1; m <= n; ++m) {
                bool active;
                for (uint256 i; i < handler.licenceCount() && !active; ++i) {
                    IAssayMarket.LicenceView memory v = market.licence(handler.licences(i));
                    active = v.holder == actor && v.modelId == m && v.status == IAssayMarket.LicenceStatus.Active;
                }
                assertEq(market.hasLicence(actor, m), active, "hasLicence <=> an active licence held");
            }
            uint256 held;
            for (uint256 i; i < handler.licenceCount(); ++i) {
                uint256 id = handler.licences(i);
                if (market.licence(id).holder != actor) continue;
                held++;
                bool found;
                for (uint256 j; j < listed.length && !found; ++j) {
                    found = listed[j].id == id;
                }
                assertTrue(found, "a held licence is listed");
            }
            for (uint256 j; j < listed.length; ++j) {
                assertEq(listed[j].holder, actor, "licencesOf lists only held licences");
            }
            assertEq(listed.length, held, "licencesOf lists each held licence once");
        }
    }

    /// @dev Each model's ratings are between 1 and 5 stars on average.
    function invariant_RatingsBounded() external view {
        for (uint256 m = 1; m <= market.modelCount(); ++m) {
            IAssayMarket.ModelSummary memory s = market.model(m);
            assertGe(s.ratingSum, s.ratingCount, "at least 1 star each");
            assertLe(s.ratingSum, uint256(s.ratingCount) * 5, "at most 5 stars each");
        }
    }

    /// @dev The fees credited (`Credited` with role Fee, always to the treasury) are what the treasury can
    /// withdraw plus what it withdrew.
    function invariant_FeesCreditedEqualTreasuryCredits() external view {
        assertEq(handler.evFees(), market.withdrawable(treasury) + handler.evTreasuryOut());
    }

    /// @dev State rebuilt from the market's events equals its views: holders, balances, models' earnings, escrow
    /// and ratings.
    function invariant_StateFromEventsEqualsViews() external view {
        for (uint256 i; i < handler.licenceCount(); ++i) {
            uint256 id = handler.licences(i);
            assertEq(handler.evHolder(id), market.licence(id).holder, "holder from Transfer");
        }
        assertEq(handler.evBalance(treasury), market.withdrawable(treasury), "treasury from Credited/Withdrawn");
        for (uint256 a; a < handler.actorCount(); ++a) {
            address actor = handler.actors(a);
            assertEq(handler.evBalance(actor), market.withdrawable(actor), "balance from Credited/Withdrawn");
        }
        for (uint256 m = 1; m <= market.modelCount(); ++m) {
            assertEq(handler.evEarnings(m), market.earningsOf(m), "earnings from EarningsCredited/Claimed");
            IAssayMarket.ModelSummary memory s = market.model(m);
            assertEq(handler.evRatingSum(m), s.ratingSum, "rating sum from Reviewed");
            assertEq(handler.evRatingCount(m), s.ratingCount, "rating count from Reviewed");
        }
        assertEq(handler.evEscrowed(), market.totalEscrowed(), "escrow from EscrowHeld/Released/Reclaimed");
    }
}
