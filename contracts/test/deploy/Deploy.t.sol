// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Deploy} from "../../script/Deploy.s.sol";
import {AssayMarket} from "../../src/AssayMarket.sol";
import {AssayModeration} from "../../src/AssayModeration.sol";
import {AssayCouncilArbitrator} from "../../src/AssayCouncilArbitrator.sol";

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

        // Moderation: 2**96 + 1 wei used to fit nothing; out-of-range windows; a fee cap above the stake.
        vm.setEnv("ASSAY_FLAG_STAKE", "79228162514264337593543950337");
        vm.expectRevert(bytes("ASSAY_FLAG_STAKE must be 1 wei to 2**96 - 1"));
        script.run();
        vm.setEnv("ASSAY_FLAG_STAKE", "0");
        vm.expectRevert(bytes("ASSAY_FLAG_STAKE must be 1 wei to 2**96 - 1"));
        script.run();
        vm.setEnv("ASSAY_FLAG_STAKE", "1000000000000000000");
        vm.setEnv("ASSAY_RESPONSE_WINDOW", "3599");
        vm.expectRevert(bytes("ASSAY_RESPONSE_WINDOW must be 1 hour to 90 days"));
        script.run();
        vm.setEnv("ASSAY_RESPONSE_WINDOW", "7776001");
        vm.expectRevert(bytes("ASSAY_RESPONSE_WINDOW must be 1 hour to 90 days"));
        script.run();
        vm.setEnv("ASSAY_RESPONSE_WINDOW", "3600");
        vm.setEnv("ASSAY_FEE_CAP", "1000000000000000001");
        vm.expectRevert(bytes("ASSAY_FEE_CAP must be at most ASSAY_FLAG_STAKE"));
        script.run();
        vm.setEnv("ASSAY_FEE_CAP", "1000000000000000000");
        vm.setEnv("ASSAY_ARBITRATION_COST", "79228162514264337593543950336");
        vm.expectRevert(bytes("ASSAY_ARBITRATION_COST must be at most 2**96 - 1"));
        script.run();
        vm.setEnv("ASSAY_ARBITRATION_COST", "7");

        AssayMarket market = script.run();
        assertEq(market.protocolFeeBps(), 100);
        assertEq(market.deliveryWindow(), 30 days);
        // The moderation contract deployed at the address the market was given, under a council arbitrator.
        AssayModeration moderation = AssayModeration(market.moderation());
        assertGt(address(moderation).code.length, 0, "moderation deployed where the market expects it");
        assertEq(moderation.market(), address(market));
        assertEq(moderation.flagStake(), 1 ether);
        assertEq(moderation.responseWindow(), 1 hours);
        assertEq(moderation.feeCap(), 1 ether);
        AssayCouncilArbitrator arbitrator = AssayCouncilArbitrator(moderation.arbitrator());
        assertEq(arbitrator.cost(), 7);
        assertTrue(arbitrator.council() != address(0));
    }
}
