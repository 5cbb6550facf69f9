// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {SeaportInterface} from "seaport-types/src/interfaces/SeaportInterface.sol";
import {
    BasicOrderParameters,
    AdditionalRecipient,
    OrderComponents,
    OfferItem,
    ConsiderationItem
} from "seaport-types/src/lib/ConsiderationStructs.sol";
import {BasicOrderType, OrderType, ItemType} from "seaport-types/src/lib/ConsiderationEnums.sol";

contract Nft is ERC721 {
    constructor() ERC721("N", "N") {}

    function mint(address to, uint256 id) external {
        _mint(to, id);
    }
}

/// Seaport 1.6 basic fulfilment (ETH -> ERC-721, one additional recipient), measured as an isolated tx.
contract SeaportBasic_Bench is Test {
    SeaportInterface seaport;
    Nft nft;
    uint256 sellerPk = 0xA11CE;
    address seller;
    address payable coAuthor = payable(makeAddr("coAuthor"));
    address buyer = makeAddr("buyer");

    function setUp() public {
        address cc = deployCode("SEAPORT_OUT/ConduitController.sol/ConduitController.json");
        seaport = SeaportInterface(deployCode("SEAPORT_OUT/Seaport.sol/Seaport.json", abi.encode(cc)));
        nft = new Nft();
        seller = vm.addr(sellerPk);
        vm.deal(buyer, 100 ether);
        vm.deal(coAuthor, 1 ether); // existing accounts, like our recipients
        vm.deal(seller, 1 ether);
        for (uint256 i = 1; i <= 3; ++i) nft.mint(seller, i);
        vm.prank(seller);
        nft.setApprovalForAll(address(seaport), true);
    }

    function _order(uint256 id) internal view returns (BasicOrderParameters memory p) {
        OfferItem[] memory offer = new OfferItem[](1);
        offer[0] = OfferItem(ItemType.ERC721, address(nft), id, 1, 1);
        ConsiderationItem[] memory cons = new ConsiderationItem[](2);
        cons[0] = ConsiderationItem(ItemType.NATIVE, address(0), 0, 0.9 ether, 0.9 ether, payable(seller));
        cons[1] = ConsiderationItem(ItemType.NATIVE, address(0), 0, 0.1 ether, 0.1 ether, coAuthor);
        OrderComponents memory oc = OrderComponents(
            seller, address(0), offer, cons, OrderType.FULL_OPEN, 0, type(uint256).max, bytes32(0), id, bytes32(0),
            seaport.getCounter(seller)
        );
        bytes32 orderHash = seaport.getOrderHash(oc);
        (, bytes32 domain,) = seaport.information();
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(sellerPk, keccak256(abi.encodePacked("\x19\x01", domain, orderHash)));
        AdditionalRecipient[] memory extra = new AdditionalRecipient[](1);
        extra[0] = AdditionalRecipient(0.1 ether, coAuthor);
        p = BasicOrderParameters(
            address(0), 0, 0.9 ether, payable(seller), address(0), address(nft), id, 1,
            BasicOrderType.ETH_TO_ERC721_FULL_OPEN, 0, type(uint256).max, bytes32(0), id, bytes32(0), bytes32(0), 1,
            extra, abi.encodePacked(r, s, v)
        );
    }

    function test_Bench_Seaport_FulfillBasicOrder_FirstTimeBuyer() external {
        BasicOrderParameters memory p = _order(1);
        vm.prank(buyer);
        seaport.fulfillBasicOrder{value: 1 ether}(p);
        uint256 g = vm.snapshotGasLastCall("Seaport", "fulfillBasicOrder_eth_erc721_1recipient_firstTimeBuyer");
        assertEq(nft.ownerOf(1), buyer);
        assertGt(g, 0);
    }

    function test_Bench_Seaport_FulfillBasicOrder_RepeatBuyer() external {
        BasicOrderParameters memory p1 = _order(1);
        vm.prank(buyer);
        seaport.fulfillBasicOrder{value: 1 ether}(p1);
        BasicOrderParameters memory p2 = _order(2);
        vm.prank(buyer);
        seaport.fulfillBasicOrder{value: 1 ether}(p2);
        vm.snapshotGasLastCall("Seaport", "fulfillBasicOrder_eth_erc721_1recipient_repeatBuyer");
        assertEq(nft.ownerOf(2), buyer);
    }

    function test_Bench_Seaport_FulfillBasicOrderEfficient_FirstTimeBuyer() external {
        BasicOrderParameters memory p = _order(1);
        vm.prank(buyer);
        seaport.fulfillBasicOrder_efficient_6GL6yc{value: 1 ether}(p);
        vm.snapshotGasLastCall("Seaport", "fulfillBasicOrder_efficient_eth_erc721_1recipient_firstTimeBuyer");
        assertEq(nft.ownerOf(1), buyer);
    }
}
