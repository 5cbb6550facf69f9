// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Vm} from "forge-std/Vm.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayEvaluations} from "../../src/interfaces/IAssayEvaluations.sol";
import {IDeployedArbitrator, IDeployedMarket, IDeployedModeration} from "./Deployed.sol";

/// @notice The contracts deployed by the calling test from the artifacts `forge build` made of `src/` with the IR
/// pipeline (`vm.deployCode`), the bytes `script/Deploy.s.sol` deploys — never with `new`: a test contract that says
/// `new AssayMarket(…)` must compile the market (and the models contract inside it) itself, once for every such test
/// contract, which was most of the suite's compile time, and cannot be compiled without the IR pipeline (stack too
/// deep). Each function is internal, so the CREATE is the calling test contract's own: its nonce,
/// `vm.computeCreateAddress` and `vm.expectRevert` on a constructor behave as with `new`.
library FromArtifacts {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    function market(uint16 feeBps, address treasury, uint64 deliveryWindow, uint64 challengePeriod, address moderation)
        internal
        returns (IDeployedMarket)
    {
        bytes memory args = abi.encode(feeBps, treasury, deliveryWindow, challengePeriod, moderation);
        return IDeployedMarket(VM.deployCode("AssayMarket.sol:AssayMarket", args));
    }

    function moderation(
        address market_,
        address arbitrator_,
        bytes memory extraData,
        uint256 flagStake,
        uint256 responseWindow,
        uint256 feeCap,
        string memory metaEvidence
    ) internal returns (IDeployedModeration) {
        bytes memory args = abi.encode(market_, arbitrator_, extraData, flagStake, responseWindow, feeCap, metaEvidence);
        return IDeployedModeration(VM.deployCode("AssayModeration.sol:AssayModeration", args));
    }

    function arbitrator(address council, uint256 cost) internal returns (IDeployedArbitrator) {
        bytes memory args = abi.encode(council, cost);
        return IDeployedArbitrator(VM.deployCode("AssayCouncilArbitrator.sol:AssayCouncilArbitrator", args));
    }

    function evaluations(IAssayMarket market_) internal returns (IAssayEvaluations) {
        return IAssayEvaluations(VM.deployCode("AssayEvaluations.sol:AssayEvaluations", abi.encode(market_)));
    }
}
