// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Script, console2} from "forge-std/Script.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {AssayMarket} from "../src/AssayMarket.sol";
import {AssayModeration} from "../src/AssayModeration.sol";
import {AssayCouncilArbitrator} from "../src/AssayCouncilArbitrator.sol";
import {AssayEvaluations} from "../src/AssayEvaluations.sol";
import {IAssayMarket} from "../src/interfaces/IAssayMarket.sol";

/// @notice Deploys AssayMarket (which deploys AssayModels) and AssayEvaluations beside it, and writes the
/// addresses as JSON.
/// Env (all optional):
///   ASSAY_FEE_BPS          protocol fee in bps (default 250, max 250)
///   ASSAY_TREASURY         fee receiver (default: the deployer)
///   ASSAY_DELIVERY_WINDOW  seconds to deliver a key (default 3 days, 1 second to 30 days)
///   ASSAY_CHALLENGE_PERIOD seconds a buyer can challenge a delivered key (default 2 days, 1 hour to 30 days)
///   ASSAY_FLAG_STAKE       wei a flag stakes and a response matches (default 0.05 ether, 1 wei to 2**96 - 1)
///   ASSAY_RESPONSE_WINDOW  seconds a model's owner has to respond to a flag (default 3 days, 1 hour to 90 days)
///   ASSAY_FEE_CAP          the most of the stakes paid to the arbitrator, in wei (default 0.01 ether, at most the
///                          flag stake)
///   ASSAY_ARBITRATOR       an existing ERC-792 arbitrator (e.g. a Kleros court); when unset, an
///                          AssayCouncilArbitrator is deployed:
///   ASSAY_COUNCIL          the account whose rulings it gives (default: the deployer)
///   ASSAY_ARBITRATION_COST its price per dispute in wei (default 0.005 ether, at most 2**96 - 1)
///   ASSAY_ARBITRATOR_EXTRA_DATA  the arbitrator's extra data, hex (default empty)
///   ASSAY_META_EVIDENCE    ERC-1497 meta-evidence URI (default: the policy below as a data: URI)
/// Values out of range are refused before anything is broadcast (never truncated).
///   ASSAY_DEPLOY_OUT       absolute path of the JSON to write (skipped when unset):
///                          {"chainId": n, "deployBlock": n, "contracts": {"AssayMarket": "0x…", "AssayModels": "0x…",
///                          "AssayEvaluations": "0x…", "AssayModeration": "0x…", "AssayArbitrator": "0x…"}}
/// The market is deployed with the address the moderation contract will have (the deployer's next nonce after
/// it), and the moderation contract refuses a market that does not name it.
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
        Moderation memory mod = _moderationParams();
        uint256 deployBlock = block.number;

        vm.startBroadcast();
        (, address deployer,) = vm.readCallers();
        address treasury = vm.envOr("ASSAY_TREASURY", deployer);
        address arbitrator = mod.arbitrator;
        if (arbitrator == address(0)) {
            arbitrator = address(new AssayCouncilArbitrator(vm.envOr("ASSAY_COUNCIL", deployer), mod.arbitrationCost));
        }
        address nextAfterMarket = vm.computeCreateAddress(deployer, vm.getNonce(deployer) + 1);
        market = new AssayMarket(
            SafeCast.toUint16(feeBps),
            treasury,
            SafeCast.toUint64(window),
            SafeCast.toUint64(challenge),
            nextAfterMarket
        );
        AssayModeration moderation = new AssayModeration(
            address(market), arbitrator, mod.extraData, mod.stake, mod.window, mod.feeCap, mod.metaEvidence
        );
        AssayEvaluations evaluations = new AssayEvaluations(IAssayMarket(address(market)));
        vm.stopBroadcast();

        address models = market.models();
        console2.log("AssayMarket", address(market));
        console2.log("AssayModels", models);
        console2.log("AssayModeration", address(moderation));
        console2.log("AssayArbitrator", arbitrator);
        console2.log("AssayEvaluations", address(evaluations));

        string memory out = vm.envOr("ASSAY_DEPLOY_OUT", string(""));
        if (bytes(out).length == 0) return market;

        vm.createDir(_parentDir(out), true);
        string memory c = "contracts";
        vm.serializeAddress(c, "AssayMarket", address(market));
        vm.serializeAddress(c, "AssayModeration", address(moderation));
        vm.serializeAddress(c, "AssayArbitrator", arbitrator);
        vm.serializeAddress(c, "AssayEvaluations", address(evaluations));
        string memory contractsJson = vm.serializeAddress(c, "AssayModels", models);
        string memory root = "root";
        vm.serializeUint(root, "chainId", block.chainid);
        vm.serializeUint(root, "deployBlock", deployBlock);
        string memory json = vm.serializeString(root, "contracts", contractsJson);
        vm.writeJson(json, out);
        console2.log("wrote", out);
    }

    /// @dev The moderation contract's parameters from the environment, validated (never truncated).
    struct Moderation {
        uint256 stake;
        uint256 window;
        uint256 feeCap;
        address arbitrator;
        uint256 arbitrationCost;
        bytes extraData;
        string metaEvidence;
    }

    /// @dev The ERC-1497 meta-evidence of the dev stack: the question and the rulings' titles.
    string internal constant POLICY = 'data:application/json,{"title":"Assay model report","description":"A model'
        " listed on Assay was reported (infringes rights, malicious file, misrepresented, illegal content);"
        ' its owner answered with counter-evidence.","question":"Should the model be delisted?","rulingOptions":'
        '{"type":"single-select","titles":["Delist","Keep listed"],"descriptions":["The report is upheld: the model'
        ' sells no new licences.","The report is dismissed: the model stays listed."]}}';

    function _moderationParams() internal view returns (Moderation memory m) {
        m.stake = vm.envOr("ASSAY_FLAG_STAKE", uint256(0.05 ether));
        require(m.stake != 0 && m.stake <= type(uint96).max, "ASSAY_FLAG_STAKE must be 1 wei to 2**96 - 1");
        m.window = vm.envOr("ASSAY_RESPONSE_WINDOW", uint256(3 days));
        require(m.window >= 1 hours && m.window <= 90 days, "ASSAY_RESPONSE_WINDOW must be 1 hour to 90 days");
        m.feeCap = vm.envOr("ASSAY_FEE_CAP", uint256(0.01 ether));
        require(m.feeCap <= m.stake, "ASSAY_FEE_CAP must be at most ASSAY_FLAG_STAKE");
        m.arbitrator = vm.envOr("ASSAY_ARBITRATOR", address(0));
        m.arbitrationCost = vm.envOr("ASSAY_ARBITRATION_COST", uint256(0.005 ether));
        require(m.arbitrationCost <= type(uint96).max, "ASSAY_ARBITRATION_COST must be at most 2**96 - 1");
        m.extraData = vm.envOr("ASSAY_ARBITRATOR_EXTRA_DATA", bytes(""));
        m.metaEvidence = vm.envOr("ASSAY_META_EVIDENCE", POLICY);
        require(bytes(m.metaEvidence).length != 0, "ASSAY_META_EVIDENCE must not be empty");
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
