// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {AssayMarket} from "../../src/AssayMarket.sol";

/// @dev One test function on purpose: the script reads process-wide environment variables.
contract Deploy_Script_Test is Test {
    function test_Run_RefusesValuesThatDoNotFitAndDeploysGoodOnes() external {
        Deploy script = new Deploy();

        // 2**16 + 250: a uint16 cast used to deploy this as a 250-bps fee.
        vm.setEnv("ASSAY_FEE_BPS", "65786");
        vm.expectRevert(bytes("ASSAY_FEE_BPS must be at most 250"));
        script.run();
        vm.setEnv("ASSAY_FEE_BPS", "251");
        vm.expectRevert(bytes("ASSAY_FEE_BPS must be at most 250"));
        script.run();
        vm.setEnv("ASSAY_FEE_BPS", "100");

        // 2**64 + 60: a uint64 cast used to deploy this as a 60-second window.
        vm.setEnv("ASSAY_DELIVERY_WINDOW", "18446744073709551676");
        vm.expectRevert(bytes("ASSAY_DELIVERY_WINDOW must be 1 second to 30 days"));
        script.run();
        vm.setEnv("ASSAY_DELIVERY_WINDOW", "0");
        vm.expectRevert(bytes("ASSAY_DELIVERY_WINDOW must be 1 second to 30 days"));
        script.run();
        vm.setEnv("ASSAY_DELIVERY_WINDOW", "2592001");
        vm.expectRevert(bytes("ASSAY_DELIVERY_WINDOW must be 1 second to 30 days"));
        script.run();

        vm.setEnv("ASSAY_DELIVERY_WINDOW", "2592000");
        AssayMarket market = script.run();
        assertEq(market.protocolFeeBps(), 100);
        assertEq(market.deliveryWindow(), 30 days);
    }
}
