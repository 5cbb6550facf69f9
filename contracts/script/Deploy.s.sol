// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Script, console2} from "forge-std/Script.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AssayMarket} from "../src/AssayMarket.sol";
import {AssayEvaluations} from "../src/AssayEvaluations.sol";
import {IAssayMarket} from "../src/interfaces/IAssayMarket.sol";

/// @notice Deploys AssayMarket (which deploys AssayModels) and AssayEvaluations beside it, and writes the
/// addresses as JSON.
/// Env (all optional):
///   ASSAY_FEE_BPS          protocol fee in bps (default 250, max 250)
///   ASSAY_TREASURY         fee receiver (default: the deployer)
///   ASSAY_DELIVERY_WINDOW  seconds to deliver a key (default 3 days, 1 second to 30 days)
///   ASSAY_CHALLENGE_PERIOD seconds a buyer can challenge a delivered key (default 2 days, 1 hour to 30 days)
/// Values out of range are refused before anything is broadcast (never truncated).
///   ASSAY_DEPLOY_OUT       absolute path of the JSON to write (skipped when unset):
///                          {"chainId": n, "deployBlock": n, "contracts": {"AssayMarket": "0x…", "AssayModels": "0x…",
///                          "AssayEvaluations": "0x…"}}
/// Run from contracts/:
///   forge script script/Deploy.s.sol --rpc-url http://127.0.0.1:8545 --broadcast --private-key 0x…
contract Deploy is Script {
    function run() external returns (AssayMarket market) {
        uint256 feeBps = vm.envOr("ASSAY_FEE_BPS", uint256(250));
        uint256 window = vm.envOr("ASSAY_DELIVERY_WINDOW", uint256(3 days));
        require(feeBps <= 250, "ASSAY_FEE_BPS must be at most 250");
        require(window != 0 && window <= 30 days, "ASSAY_DELIVERY_WINDOW must be 1 second to 30 days");
        uint256 challenge = vm.envOr("ASSAY_CHALLENGE_PERIOD", uint256(2 days));
        require(challenge >= 1 hours && challenge <= 30 days, "ASSAY_CHALLENGE_PERIOD must be 1 hour to 30 days");
        uint256 deployBlock = block.number;

        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        address treasury = vm.envOr("ASSAY_TREASURY", deployer);
        market = new AssayMarket(
            SafeCast.toUint16(feeBps), treasury, SafeCast.toUint64(window), SafeCast.toUint64(challenge)
        );
        AssayEvaluations evaluations = new AssayEvaluations(IAssayMarket(address(market)));
        vm.stopBroadcast();

        address models = market.models();
        console2.log("AssayMarket", address(market));
        console2.log("AssayModels", models);
        console2.log("AssayEvaluations", address(evaluations));

        string memory out = vm.envOr("ASSAY_DEPLOY_OUT", string(""));
        if (bytes(out).length == 0) return market;

        vm.createDir(_parentDir(out), true);
        string memory c = "contracts";
        vm.serializeAddress(c, "AssayMarket", address(market));
        vm.serializeAddress(c, "AssayEvaluations", address(evaluations));
        string memory contractsJson = vm.serializeAddress(c, "AssayModels", models);
        string memory root = "root";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "deployBlock", deployBlock);
        string memory json = vm.serializeString(root, "contracts", contractsJson);
        vm.writeJson(json, out);
        console2.log("wrote", out);
    }

    /// @dev "/a/b/c.json" -> "/a/b" ("." when there is no slash).
    function _parentDir(string memory path) internal pure returns (string memory) {
        bytes memory b = bytes(path);
        uint256 i = b.length;
        while (i > 0 && b[i - 1] != "/") --i;
        if (i == 0) return ".";
        if (i == 1) return "/";
        bytes memory dir = new bytes(i - 1);
        for (uint256 j; j < i - 1; ++j) {
            dir[j] = b[j];
        }
        return string(dir);
    }
}
