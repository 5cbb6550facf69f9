// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";
import {IAssayModels} from "../../src/interfaces/IAssayModels.sol";
import {IAssayModeration} from "../../src/interfaces/IAssayModeration.sol";
import {IAssayCouncilArbitrator} from "../../src/interfaces/IAssayCouncilArbitrator.sol";
import {IArbitrable} from "../../src/interfaces/IArbitrable.sol";
import {IArbitrator} from "../../src/interfaces/IArbitrator.sol";

// What the tests call on each deployed contract: its own interface and the standards it implements, never the
// contract's source. A test that imported `src/AssayMarket.sol` would compile the market itself, without the IR
// pipeline that `foundry.toml` keeps for `src/` (and where the market does not compile: stack too deep); through
// these, the tests compile in seconds and run the IR-built artifacts that `script/Deploy.s.sol` deploys
// (`FromArtifacts`).

/// @notice The market: its interface and the licence tokens' ERC-721 (with metadata and ERC-165).
interface IDeployedMarket is IAssayMarket, IERC721Metadata {}

/// @notice The model NFTs: their interface (ERC-2981's `royaltyInfo` included) and ERC-721 with metadata.
interface IDeployedModels is IAssayModels, IERC721Metadata {}

/// @notice The moderation contract: its interface and ERC-792's arbitrable side (`rule`).
interface IDeployedModeration is IAssayModeration, IArbitrable {}

/// @notice The council arbitrator: ERC-792's arbitrator and the council's own functions.
interface IDeployedArbitrator is IArbitrator, IAssayCouncilArbitrator {}
