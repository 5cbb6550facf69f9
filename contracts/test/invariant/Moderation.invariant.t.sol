// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {ModerationHandler} from "./handlers/ModerationHandler.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedArbitrator, IDeployedMarket, IDeployedModeration} from "../helpers/Deployed.sol";

contract Moderation_Invariant_Test is Test {
    IDeployedMarket internal market;
    IDeployedModeration internal moderation;
    IDeployedArbitrator internal arbitrator;
    ModerationHandler internal handler;
    address internal council = makeAddr("council");

    function setUp() public {
        arbitrator = FromArtifacts.arbitrator(council, 0.01 ether);
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        market = FromArtifacts.market(250, makeAddr("treasury"), 3 days, 1 days, next);
        moderation = FromArtifacts.moderation(
            address(market), address(arbitrator), "", 0.1 ether, 1 days, 0.02 ether, "/ipfs/meta"
        );
        address[] memory actors = new address[](5);
        for (uint256 i; i < actors.length; ++i) {
            actors[i] = makeAddr(string.concat("actor", vm.toString(i)));
        }
        handler = new ModerationHandler(market, moderation, arbitrator, actors);
        for (uint256 i; i < actors.length; ++i) {
            handler.list(i);
        }
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = ModerationHandler.list.selector;
        selectors[1] = ModerationHandler.flag.selector;
        selectors[2] = ModerationHandler.respond.selector;
        selectors[3] = ModerationHandler.finalize.selector;
        selectors[4] = ModerationHandler.rule.selector;
        selectors[5] = ModerationHandler.withdraw.selector;
        selectors[6] = ModerationHandler.transferModel.selector;
        selectors[7] = ModerationHandler.buyDelisted.selector;
        selectors[8] = ModerationHandler.warp.selector;
        targetSelector(FuzzSelector(address(handler), selectors));
    }

    /// @dev Every action the fuzzer called changed state.
    function afterInvariant() external view {
        string[9] memory actions =
            ["list", "flag", "respond", "finalize", "rule", "withdraw", "transferModel", "buyDelisted", "warp"];
        uint256 called;
        for (uint256 i; i < actions.length; ++i) {
            bytes32 name = bytes32(bytes(actions[i]));
            assertEq(handler.done(name), handler.calls(name), actions[i]);
            called += handler.calls(name);
        }
        assertGt(called, 0, "the run called the handler");
        assertEq(handler.refusedSales(), handler.calls("buyDelisted"), "every sale of a delisted model refused");
    }

    /// @dev ETH held == the stakes of open cases + every credit; and == paid in − withdrawn − arbitration fees.
    function invariant_BalanceEqualsOpenStakesPlusCredits() external view {
        uint256 held;
        for (uint256 c = 1; c <= moderation.caseCount(); ++c) {
            held += moderation.caseOf(c).held;
        }
        uint256 credits;
        for (uint256 i; i < handler.actorCount(); ++i) {
            credits += moderation.withdrawable(handler.actors(i));
        }
        assertEq(address(moderation).balance, held + credits, "balance == open stakes + credits");
        assertEq(handler.ghostIn(), address(moderation).balance + handler.ghostOut() + handler.ghostFees());
        assertEq(address(arbitrator).balance, handler.ghostFees(), "the arbitrator got exactly the fees");
    }

    /// @dev At most one open case per model, it is the latest; a model is delisted exactly when its latest case
    /// ended unanswered or upheld; closed cases hold nothing.
    function invariant_OneOpenCasePerModelAndDelistedMatchesCases() external view {
        for (uint256 m = 1; m <= market.modelCount(); ++m) {
            uint256 open;
            uint256 lastOpen;
            for (uint256 c = 1; c <= moderation.caseCount(); ++c) {
                IAssayModeration.Case memory k = moderation.caseOf(c);
                if (k.modelId != m) continue;
                bool isOpen = k.status == IAssayModeration.CaseStatus.AwaitingResponse
                    || k.status == IAssayModeration.CaseStatus.InArbitration;
                if (isOpen) {
                    open++;
                    lastOpen = c;
                } else {
                    assertEq(k.held, 0, "a closed case holds nothing");
                }
            }
            assertLe(open, 1, "one open case per model");
            uint256 latest = moderation.latestCaseOf(m);
            if (open == 1) assertEq(latest, lastOpen, "the open case is the latest");
            IAssayModeration.CaseStatus s =
                latest == 0 ? IAssayModeration.CaseStatus.None : moderation.caseOf(latest).status;
            bool delisting = s == IAssayModeration.CaseStatus.Unanswered || s == IAssayModeration.CaseStatus.Upheld;
            assertEq(market.model(m).delisted, delisting, "delisted <=> latest case unanswered or upheld");
        }
    }

    /// @dev State rebuilt from the logs (Flagged, Responded, StatusChanged, Credited, Withdrawn, ModelDelisted)
    /// equals the views.
    function invariant_StateFromEventsEqualsViews() external view {
        assertEq(handler.evCases(), moderation.caseCount(), "cases from Flagged");
        for (uint256 c = 1; c <= moderation.caseCount(); ++c) {
            IAssayModeration.Case memory k = moderation.caseOf(c);
            assertEq(uint8(handler.evStatus(c)), uint8(k.status), "status from StatusChanged");
            assertEq(handler.evModel(c), k.modelId, "model from Flagged");
            assertEq(handler.evHeld(c), k.held, "held from Flagged/Responded/StatusChanged");
            assertEq(handler.evResponder(c), k.responder, "responder from Responded");
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            assertEq(handler.evBalance(a), moderation.withdrawable(a), "credits from Credited/Withdrawn");
        }
        for (uint256 m = 1; m <= market.modelCount(); ++m) {
            assertEq(handler.evDelisted(m), market.model(m).delisted, "delisted from ModelDelisted");
        }
    }
}
