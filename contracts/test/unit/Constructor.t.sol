// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {Base_Test} from "../Base.t.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {FromArtifacts} from "../helpers/FromArtifacts.sol";
import {IDeployedMarket} from "../helpers/Deployed.sol";

contract Constructor_Unit_Test is Base_Test {
    function test_RevertWhen_FeeAbove250Bps() external {
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.FeeTooHigh.selector, 251));
        FromArtifacts.market(251, treasury, WINDOW, CHALLENGE, address(0));
    }

    function test_RevertWhen_TreasuryIsZero() external {
        vm.expectRevert(IAssayMarket.ZeroAddress.selector);
        FromArtifacts.market(100, address(0), WINDOW, CHALLENGE, address(0));
    }

    function test_RevertWhen_DeliveryWindowIsZero() external {
        vm.expectRevert(IAssayMarket.ZeroDeliveryWindow.selector);
        FromArtifacts.market(100, treasury, 0, CHALLENGE, address(0));
    }

    function test_WhenDeployed_ItEmitsItsParameters() external {
        vm.recordLogs();
        IDeployedMarket m = FromArtifacts.market(100, treasury, 2 days, 1 days, address(0));
        Vm.Log[] memory logs = vm.getRecordedLogs();
        bool found;
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(m) && logs[i].topics[0] == IAssayMarket.MarketDeployed.selector) {
                found = true;
                assertEq(logs[i].topics[1], bytes32(uint256(uint160(m.models()))));
                assertEq(logs[i].topics[2], bytes32(uint256(uint160(treasury))));
                (uint16 fee, uint64 window) = abi.decode(logs[i].data, (uint16, uint64));
                assertEq(fee, 100);
                assertEq(window, 2 days);
            }
        }
        assertTrue(found, "MarketDeployed");
    }

    function test_RevertWhen_DeliveryWindowAbove30Days() external {
        // An unbounded window used to be stored as a 40-bit deadline: 2**64 - 1 seconds wrapped into the past.
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.DeliveryWindowTooLong.selector, 30 days + 1));
        FromArtifacts.market(100, treasury, 30 days + 1, CHALLENGE, address(0));
        vm.expectRevert(abi.encodeWithSelector(IAssayMarket.DeliveryWindowTooLong.selector, type(uint64).max));
        FromArtifacts.market(100, treasury, type(uint64).max, CHALLENGE, address(0));
    }

    function test_WhenDeliveryWindowIs30Days_ItIsAccepted() external {
        assertEq(FromArtifacts.market(100, treasury, 30 days, CHALLENGE, address(0)).deliveryWindow(), 30 days);
    }

    function test_WhenParamsAreValid_ItSetsThemAndDeploysModels() external view {
        assertEq(market.protocolFeeBps(), FEE_BPS);
        assertEq(market.treasury(), treasury);
        assertEq(market.deliveryWindow(), WINDOW);
        assertEq(models.market(), address(market));
        assertEq(market.modelCount(), 0);
        assertEq(market.licenceCount(), 0);
        assertEq(market.name(), "Assay Licence");
        assertEq(market.symbol(), "ASSAYL");
        assertEq(models.name(), "Assay Model");
        assertEq(models.symbol(), "ASSAYM");
    }
}
