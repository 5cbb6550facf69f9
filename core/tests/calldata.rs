//! The calldata of every call the app can make equals what Foundry's `cast calldata` produces for
//! the same signature and arguments: the fixtures are generated here by running the real `cast`.

mod common;

use std::collections::BTreeSet;

use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, B256, Bytes, FixedBytes, U256, address, b256};
use alloy_sol_types::SolCall;
use assay_core::contracts::{
    IArbitrable, IArbitrator, IAssayCouncilArbitrator, IAssayERC721, IAssayMarket, IAssayModels, IAssayModeration,
};
use common::cast::calldata;

const ALICE: Address = address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
const BOB: Address = address!("70997970C51812dc3A010C7d01b50e0d17dc79C8");
const KEY: B256 = b256!("c0ffee00000000000000000000000000000000000000000000000000000000aa");

fn u(n: u64) -> U256 {
    U256::from(n)
}

struct Case {
    ours: Vec<u8>,
    signature: &'static str,
    args: Vec<String>,
}

fn case(call: impl SolCall, signature: &'static str, args: &[&str]) -> Case {
    Case { ours: call.abi_encode(), signature, args: args.iter().map(|a| a.to_string()).collect() }
}

fn check(cases: Vec<Case>) -> BTreeSet<[u8; 4]> {
    let mut selectors = BTreeSet::new();
    for case in cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let theirs = calldata(case.signature, &args);
        assert_eq!(
            alloy_primitives::hex::encode(&case.ours),
            alloy_primitives::hex::encode(&theirs),
            "calldata of {} {:?} differs from cast's",
            case.signature,
            case.args
        );
        selectors.insert(case.ours[..4].try_into().unwrap());
    }
    selectors
}

const TIER_INPUT: &str = "(uint96,uint32,uint32,bool,bool,bool,string)";

fn tier(price: u64, duration: u32, max_supply: u32, terms: &str) -> IAssayMarket::TierInput {
    IAssayMarket::TierInput {
        price: U96::from(price),
        duration,
        maxSupply: max_supply,
        commercialUse: true,
        derivativesAllowed: false,
        transferable: true,
        termsCid: terms.to_owned(),
    }
}

#[test]
fn every_market_call_matches_cast() {
    use IAssayMarket::*;
    let alice = ALICE.to_string();
    let bob = BOB.to_string();
    let key = KEY.to_string();
    let list_sig: &'static str = Box::leak(
        format!("listModel(string,bytes32,uint16,(address,uint16)[],(uint256,uint16,uint256)[],{TIER_INPUT}[])")
            .into_boxed_str(),
    );
    let add_tier_sig: &'static str = Box::leak(format!("addTier(uint256,{TIER_INPUT})").into_boxed_str());
    let cases = vec![
        case(
            listModelCall {
                manifestCid: "bafkreimodelcard".into(),
                keyCommitment: KEY,
                royaltyBps: 500,
                coAuthors: vec![CoAuthor { account: ALICE, bps: 1_000 }, CoAuthor { account: BOB, bps: 2_500 }],
                parents: vec![ParentShare { modelId: u(3), bps: 700, licenceId: u(41) }],
                tiers: vec![tier(100_000_000_000_000_000, 0, 5, "bafkreiterms"), tier(2, 86_400, 0, "")],
            },
            list_sig,
            &[
                "bafkreimodelcard",
                &key,
                "500",
                &format!("[({alice},1000),({bob},2500)]"),
                "[(3,700,41)]",
                "[(100000000000000000,0,5,true,false,true,bafkreiterms),(2,86400,0,true,false,true,\"\")]",
            ],
        ),
        case(
            listModelCall {
                manifestCid: "bafkreiempty".into(),
                keyCommitment: B256::ZERO,
                royaltyBps: 0,
                coAuthors: vec![],
                parents: vec![],
                tiers: vec![tier(1, 0, 0, "t")],
            },
            list_sig,
            &["bafkreiempty", &B256::ZERO.to_string(), "0", "[]", "[]", "[(1,0,0,true,false,true,t)]"],
        ),
        case(
            publishVersionCall { modelId: u(7), manifestCid: "bafkreiv2".into() },
            "publishVersion(uint256,string)",
            &["7", "bafkreiv2"],
        ),
        case(
            addTierCall { modelId: u(7), tier: tier(42, 3_600, 10, "bafkreit") },
            add_tier_sig,
            &["7", "(42,3600,10,true,false,true,bafkreit)"],
        ),
        case(
            setTierPriceCall { modelId: u(7), tierId: u(1), price: U96::from(123_456_789u64) },
            "setTierPrice(uint256,uint256,uint96)",
            &["7", "1", "123456789"],
        ),
        case(
            setTierPausedCall { modelId: u(7), tierId: u(0), paused: true },
            "setTierPaused(uint256,uint256,bool)",
            &["7", "0", "true"],
        ),
        case(delistCall { modelId: u(7) }, "delist(uint256)", &["7"]),
        case(moderationCall {}, "moderation()", &[]),
        case(
            buyLicenseCall { modelId: u(7), tierId: u(2), buyerKey: KEY, keySalt: KEY },
            "buyLicense(uint256,uint256,bytes32,bytes32)",
            &["7", "2", &key, &key],
        ),
        case(renewCall { licenceId: u(11) }, "renew(uint256)", &["11"]),
        case(
            deliverKeyCall { licenceId: u(11), sealedKey: Bytes::from(vec![1, 2, 3, 0xff]) },
            "deliverKey(uint256,bytes)",
            &["11", "0x010203ff"],
        ),
        case(reclaimCall { licenceId: u(11) }, "reclaim(uint256)", &["11"]),
        case(claimCall { modelIds: vec![u(3), u(9)] }, "claim(uint256[])", &["[3,9]"]),
        case(challengeCall { licenceId: u(11), secret: KEY }, "challenge(uint256,bytes32)", &["11", &key]),
        case(releaseCall { licenceId: u(11) }, "release(uint256)", &["11"]),
        case(
            reviewCall { licenceId: u(11), rating: 5, commentCid: "bafkreicomment".into() },
            "review(uint256,uint8,string)",
            &["11", "5", "bafkreicomment"],
        ),
        case(withdrawCall {}, "withdraw()", &[]),
        case(modelsCall {}, "models()", &[]),
        case(treasuryCall {}, "treasury()", &[]),
        case(protocolFeeBpsCall {}, "protocolFeeBps()", &[]),
        case(deliveryWindowCall {}, "deliveryWindow()", &[]),
        case(modelCountCall {}, "modelCount()", &[]),
        case(licenceCountCall {}, "licenceCount()", &[]),
        case(withdrawableCall { account: ALICE }, "withdrawable(address)", &[&alice]),
        case(totalEscrowedCall {}, "totalEscrowed()", &[]),
        case(earningsOfCall { modelId: u(7) }, "earningsOf(uint256)", &["7"]),
        case(challengePeriodCall {}, "challengePeriod()", &[]),
        case(failedDeliveriesCall { creator: ALICE }, "failedDeliveries(address)", &[&alice]),
        case(hasLicenceCall { account: BOB, modelId: u(7) }, "hasLicence(address,uint256)", &[&bob, "7"]),
        case(licenceCall { licenceId: u(11) }, "licence(uint256)", &["11"]),
        case(
            licencesOfCall { account: ALICE, cursor: u(0), limit: u(50) },
            "licencesOf(address,uint256,uint256)",
            &[&alice, "0", "50"],
        ),
        case(deliveredKeyCall { licenceId: u(11) }, "deliveredKey(uint256)", &["11"]),
        case(buyerKeyOfCall { licenceId: u(11) }, "buyerKeyOf(uint256)", &["11"]),
        case(modelCall { modelId: u(7) }, "model(uint256)", &["7"]),
        case(modelsPageCall { offset: u(100), limit: u(50) }, "modelsPage(uint256,uint256)", &["100", "50"]),
        case(
            modelsByCreatorCall { creator: ALICE, cursor: u(0), maxScan: u(500) },
            "modelsByCreator(address,uint256,uint256)",
            &[&alice, "0", "500"],
        ),
        case(tiersOfCall { modelId: u(7) }, "tiersOf(uint256)", &["7"]),
        case(versionsOfCall { modelId: u(7) }, "versionsOf(uint256)", &["7"]),
        case(manifestCidCall { modelId: u(7) }, "manifestCid(uint256)", &["7"]),
        case(coAuthorsOfCall { modelId: u(7) }, "coAuthorsOf(uint256)", &["7"]),
        case(parentsOfCall { modelId: u(7) }, "parentsOf(uint256)", &["7"]),
        case(keyCommitmentCall { modelId: u(7) }, "keyCommitment(uint256)", &["7"]),
        case(royaltyOfCall { modelId: u(7) }, "royaltyOf(uint256)", &["7"]),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IAssayMarketCalls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IAssayMarket function has a cast-checked case");
}

#[test]
fn every_erc721_and_models_call_matches_cast() {
    use IAssayERC721::*;
    let alice = ALICE.to_string();
    let bob = BOB.to_string();
    let cases = vec![
        case(balanceOfCall { owner: ALICE }, "balanceOf(address)", &[&alice]),
        case(ownerOfCall { tokenId: u(9) }, "ownerOf(uint256)", &["9"]),
        case(
            safeTransferFrom_0Call { from: ALICE, to: BOB, tokenId: u(9), data: Bytes::from_static(b"hi") },
            "safeTransferFrom(address,address,uint256,bytes)",
            &[&alice, &bob, "9", "0x6869"],
        ),
        case(
            safeTransferFrom_1Call { from: ALICE, to: BOB, tokenId: u(9) },
            "safeTransferFrom(address,address,uint256)",
            &[&alice, &bob, "9"],
        ),
        case(
            transferFromCall { from: ALICE, to: BOB, tokenId: u(9) },
            "transferFrom(address,address,uint256)",
            &[&alice, &bob, "9"],
        ),
        case(approveCall { to: BOB, tokenId: u(9) }, "approve(address,uint256)", &[&bob, "9"]),
        case(
            setApprovalForAllCall { operator: BOB, approved: true },
            "setApprovalForAll(address,bool)",
            &[&bob, "true"],
        ),
        case(getApprovedCall { tokenId: u(9) }, "getApproved(uint256)", &["9"]),
        case(
            isApprovedForAllCall { owner: ALICE, operator: BOB },
            "isApprovedForAll(address,address)",
            &[&alice, &bob],
        ),
        case(nameCall {}, "name()", &[]),
        case(symbolCall {}, "symbol()", &[]),
        case(tokenURICall { tokenId: u(9) }, "tokenURI(uint256)", &["9"]),
        case(
            supportsInterfaceCall { interfaceId: FixedBytes([0x80, 0xac, 0x58, 0xcd]) },
            "supportsInterface(bytes4)",
            &["0x80ac58cd"],
        ),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IAssayERC721Calls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IAssayERC721 function has a cast-checked case");

    use IAssayModels::*;
    let cases = vec![
        case(marketCall {}, "market()", &[]),
        case(mintCall { to: ALICE, modelId: u(3) }, "mint(address,uint256)", &[&alice, "3"]),
        case(recordedOwnerOfCall { tokenId: u(3) }, "recordedOwnerOf(uint256)", &["3"]),
        case(metadataUpdatedCall { modelId: u(3) }, "metadataUpdated(uint256)", &["3"]),
        case(
            royaltyInfoCall { tokenId: u(3), salePrice: u(1_000_000) },
            "royaltyInfo(uint256,uint256)",
            &["3", "1000000"],
        ),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IAssayModelsCalls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IAssayModels function has a cast-checked case");
}

#[test]
fn every_moderation_and_arbitration_call_matches_cast() {
    use IAssayModeration::*;
    let alice = ALICE.to_string();
    let cid = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
    let cases = vec![
        case(
            flagCall { modelId: u(7), reason: Reason::Misrepresented, evidenceCid: cid.into() },
            "flag(uint256,uint8,string)",
            &["7", "2", cid],
        ),
        case(respondCall { caseId: u(3), evidenceCid: cid.into() }, "respond(uint256,string)", &["3", cid]),
        case(finalizeCall { caseId: u(3) }, "finalize(uint256)", &["3"]),
        case(
            submitEvidenceCall { caseId: u(3), evidenceCid: cid.into() },
            "submitEvidence(uint256,string)",
            &["3", cid],
        ),
        case(withdrawCall {}, "withdraw()", &[]),
        case(marketCall {}, "market()", &[]),
        case(arbitratorCall {}, "arbitrator()", &[]),
        case(arbitratorExtraDataCall {}, "arbitratorExtraData()", &[]),
        case(flagStakeCall {}, "flagStake()", &[]),
        case(responseWindowCall {}, "responseWindow()", &[]),
        case(feeCapCall {}, "feeCap()", &[]),
        case(responseCostCall {}, "responseCost()", &[]),
        case(caseCountCall {}, "caseCount()", &[]),
        case(caseOfCall { caseId: u(3) }, "caseOf(uint256)", &["3"]),
        case(latestCaseOfCall { modelId: u(7) }, "latestCaseOf(uint256)", &["7"]),
        case(caseOfDisputeCall { disputeId: u(0) }, "caseOfDispute(uint256)", &["0"]),
        case(casesPageCall { offset: u(0), limit: u(50) }, "casesPage(uint256,uint256)", &["0", "50"]),
        case(withdrawableCall { account: ALICE }, "withdrawable(address)", &[&alice]),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IAssayModerationCalls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IAssayModeration function has a cast-checked case");

    use IAssayCouncilArbitrator::*;
    let cases = vec![
        case(councilCall {}, "council()", &[]),
        case(costCall {}, "cost()", &[]),
        case(disputeCountCall {}, "disputeCount()", &[]),
        case(arbitrableOfCall { disputeId: u(4) }, "arbitrableOf(uint256)", &["4"]),
        case(giveRulingCall { disputeId: u(4), ruling: u(1) }, "giveRuling(uint256,uint256)", &["4", "1"]),
        case(withdrawFeesCall {}, "withdrawFees()", &[]),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IAssayCouncilArbitratorCalls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IAssayCouncilArbitrator function has a cast-checked case");

    use IArbitrator::*;
    let cases = vec![
        case(
            createDisputeCall { _choices: u(2), _extraData: Bytes::from_static(b"hi") },
            "createDispute(uint256,bytes)",
            &["2", "0x6869"],
        ),
        case(arbitrationCostCall { _extraData: Bytes::new() }, "arbitrationCost(bytes)", &["0x"]),
        case(appealCall { _disputeID: u(4), _extraData: Bytes::new() }, "appeal(uint256,bytes)", &["4", "0x"]),
        case(appealCostCall { _disputeID: u(4), _extraData: Bytes::new() }, "appealCost(uint256,bytes)", &["4", "0x"]),
        case(appealPeriodCall { _disputeID: u(4) }, "appealPeriod(uint256)", &["4"]),
        case(disputeStatusCall { _disputeID: u(4) }, "disputeStatus(uint256)", &["4"]),
        case(currentRulingCall { _disputeID: u(4) }, "currentRuling(uint256)", &["4"]),
    ];
    let covered = check(cases);
    let all: BTreeSet<[u8; 4]> = IArbitratorCalls::SELECTORS.iter().copied().collect();
    assert_eq!(covered, all, "every IArbitrator function has a cast-checked case");

    let rule = IArbitrable::ruleCall { _disputeID: u(4), _ruling: u(2) };
    check(vec![case(rule, "rule(uint256,uint256)", &["4", "2"])]);
    assert_eq!(IArbitrable::IArbitrableCalls::SELECTORS.len(), 1);
}
