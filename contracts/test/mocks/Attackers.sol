// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IAssayMarket} from "../../src/interfaces/IAssayMarket.sol";

/// @notice Re-enters the market from `receive` during `withdraw`, with a configurable target call.
contract ReentrantRecipient {
    enum Target {
        Withdraw,
        BuyLicense,
        Reclaim,
        DeliverKey,
        Renew
    }

    IAssayMarket public immutable market;
    Target public target;
    uint256 public arg;
    uint256 public receiveCalls;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor(IAssayMarket market_) {
        market = market_;
    }

    function configure(Target t, uint256 a) external {
        target = t;
        arg = a;
    }

    function pull() external returns (uint256) {
        return market.withdraw();
    }

    function list(IAssayMarket.TierInput[] calldata tiers, bytes32 commitment) external returns (uint256) {
        return market.listModel(
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
            commitment,
            0,
            new IAssayMarket.CoAuthor[](0),
            new IAssayMarket.ParentShare[](0),
            tiers
        );
    }

    function buy(uint256 modelId, uint256 value) external returns (uint256) {
        return market.buyLicense{value: value}(modelId, 0, keccak256("k"), 0);
    }

    function deliver(uint256 licenceId) external {
        market.deliverKey(licenceId, abi.encode(uint256(1), uint256(1)));
    }

    function doReclaim(uint256 licenceId) external {
        market.reclaim(licenceId);
    }

    receive() external payable {
        receiveCalls++;
        bytes memory data;
        if (target == Target.Withdraw) {
            data = abi.encodeCall(IAssayMarket.withdraw, ());
        } else if (target == Target.BuyLicense) {
            data = abi.encodeCall(IAssayMarket.buyLicense, (arg, 0, keccak256("k"), 0));
        } else if (target == Target.Reclaim) {
            data = abi.encodeCall(IAssayMarket.reclaim, (arg));
        } else if (target == Target.DeliverKey) {
            data = abi.encodeCall(IAssayMarket.deliverKey, (arg, hex"01"));
        } else {
            data = abi.encodeCall(IAssayMarket.renew, (arg));
        }
        uint256 value = target == Target.BuyLicense || target == Target.Renew ? msg.value : 0;
        (bool ok, bytes memory err) = address(market).call{value: value}(data);
        reentrySucceeded = ok;
        reentryError = err;
    }

    /// @dev Would re-enter if the market ever called it as an ERC-721 receiver.
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        receiveCalls++;
        market.buyLicense(arg, 0, keccak256("k"), 0);
        return this.onERC721Received.selector;
    }
}

/// @notice Reverts on any ETH it is sent.
contract RevertingRecipient {
    function pull(IAssayMarket market) external {
        market.withdraw();
    }

    receive() external payable {
        revert("no ETH please");
    }
}

/// @notice Consumes all gas on receive.
contract GasGuzzler {
    receive() external payable {
        while (true) {}
    }
}
