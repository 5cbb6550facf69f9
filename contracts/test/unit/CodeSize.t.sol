// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Base_Test} from "../Base.t.sol";

/// @notice Both contracts must deploy on a real chain: runtime code within EIP-170's 24,576 bytes (forge's test EVM
/// does not enforce it, anvil and every public network do).
contract CodeSize_Test is Base_Test {
    uint256 internal constant EIP170_LIMIT = 24_576;

    function test_Market_FitsTheEip170Limit() public view {
        assertLe(address(market).code.length, EIP170_LIMIT, "AssayMarket runtime size");
    }

    function test_Models_FitsTheEip170Limit() public view {
        assertLe(address(market.models()).code.length, EIP170_LIMIT, "AssayModels runtime size");
    }
}
