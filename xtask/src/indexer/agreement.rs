//! The indexer judged by the chain: every view the app reads from the indexer, next to what the
//! contracts' own views return for the same thing, for every model, tier, version, co-author,
//! parent, licence, case and account balance (not samples). Each difference is one line.

use alloy_primitives::{Address, B256, U256, hex};
use alloy_sol_types::SolEvent;
use assay_core::attestations::{Attestation, Attestations};
use assay_core::contracts::IAssayModeration::CaseStatus;
use assay_core::contracts::{IAssayERC721, IAssayEvaluations, IAssayMarket, IAssayModeration, IEvidence};
use serde_json::{Value, json};

use super::Indexer;
use crate::process::Result;
use crate::rpc::{Market, quantity};

/// The contracts a deployment has, as view callers.
pub struct Chain {
    pub market: Market,
    pub models: Market,
    pub moderation: Option<Market>,
    pub evaluations: Option<Market>,
}

/// What was compared, for the test's own check that the comparison covered something.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Covered {
    pub models: usize,
    pub tiers: usize,
    pub versions: usize,
    pub co_authors: usize,
    pub parents: usize,
    pub licences: usize,
    pub cases: usize,
    pub accounts: usize,
    pub reviews: usize,
    pub attestations: usize,
    pub evidence: usize,
    /// Accounts counted in the list's reproduced-claims badges (reproducing or disputing).
    pub tallied: usize,
    /// Listings the list marks as reported (an open case).
    pub reported: usize,
}

/// JSON as both sides are compared: numbers as decimal text, hex lower-case.
fn normal(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::String(s) if s.starts_with("0x") => Value::String(s.to_lowercase()),
        Value::Array(items) => Value::Array(items.iter().map(normal).collect()),
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), normal(v))).collect()),
        other => other.clone(),
    }
}

/// The fields of `indexed` that `expected` names, so extra indexer fields don't count as differences.
fn pick(indexed: &Value, expected: &Value) -> Value {
    match (indexed, expected) {
        (Value::Object(got), Value::Object(want)) => {
            Value::Object(want.iter().map(|(k, w)| (k.clone(), pick(got.get(k).unwrap_or(&Value::Null), w))).collect())
        }
        (Value::Array(got), Value::Array(want)) if got.len() == want.len() => {
            Value::Array(got.iter().zip(want).map(|(g, w)| pick(g, w)).collect())
        }
        (other, _) => other.clone(),
    }
}

struct Differences(Vec<String>);

impl Differences {
    fn check(&mut self, what: &str, indexed: &Value, expected: Value) {
        let expected = normal(&expected);
        let indexed = normal(&pick(indexed, &expected));
        if indexed != expected {
            self.0.push(format!("{what}: the indexer has {indexed}, the chain {expected}"));
        }
    }
}

fn tier_json(t: &IAssayMarket::Tier) -> Value {
    json!({
        "price": t.price.to_string(), "duration": t.duration, "maxSupply": t.maxSupply, "sold": t.sold,
        "commercialUse": t.commercialUse, "derivativesAllowed": t.derivativesAllowed,
        "transferable": t.transferable, "paused": t.paused, "termsCid": t.termsCid,
    })
}

fn summary_json(m: &IAssayMarket::ModelSummary) -> Value {
    json!({
        "id": m.id.to_string(), "owner": m.owner.to_string(), "creator": m.creator.to_string(),
        "manifestCid": m.manifestCid, "encrypted": m.encrypted, "versionCount": m.versionCount,
        "royaltyBps": m.royaltyBps, "ratingSum": m.ratingSum, "ratingCount": m.ratingCount, "sales": m.sales,
        "delisted": m.delisted, "tiers": m.tiers.iter().map(tier_json).collect::<Vec<_>>(),
    })
}

const STATUS: [&str; 5] = ["None", "AwaitingKey", "Active", "Expired", "InChallengePeriod"];
const CASE_STATUS: [&str; 7] =
    ["None", "AwaitingResponse", "InArbitration", "Unanswered", "Upheld", "Dismissed", "Refused"];

fn licence_json(l: &IAssayMarket::LicenceView) -> Value {
    json!({
        "id": l.id.to_string(), "holder": l.holder.to_string(), "modelId": l.modelId.to_string(),
        "tierId": l.tierId.to_string(), "expiresAt": l.expiresAt, "status": STATUS[l.status as usize],
        "transferable": l.transferable, "reviewed": l.reviewed, "paid": l.paid,
        "escrowAmount": l.escrowAmount.to_string(), "deliveryDeadline": l.deliveryDeadline,
    })
}

fn case_json(c: &IAssayModeration::Case) -> Value {
    json!({
        "id": c.id.to_string(), "modelId": c.modelId.to_string(), "flagger": c.flagger.to_string(),
        "reason": c.reason as u8, "status": c.status as u8, "responseDeadline": c.responseDeadline,
        "stake": c.stake.to_string(), "held": c.held.to_string(), "responder": c.responder.to_string(),
        "arbitrationFee": c.arbitrationFee.to_string(), "disputeId": c.disputeId.to_string(),
    })
}

/// Every log of event `E` the contract emitted, decoded.
fn market_logs<E: SolEvent>(contract: &Market) -> Result<Vec<E>> {
    let filter = json!([{ "address": contract.address, "fromBlock": "0x0", "toBlock": "latest",
        "topics": [format!("{}", B256::from(E::SIGNATURE_HASH))] }]);
    let logs = contract.rpc.call("eth_getLogs", filter)?;
    let mut decoded = Vec::new();
    for log in logs.as_array().into_iter().flatten() {
        let topics: Vec<B256> =
            log["topics"].as_array().into_iter().flatten().filter_map(|t| t.as_str()?.parse().ok()).collect();
        let data = hex::decode(log["data"].as_str().unwrap_or_default()).map_err(|e| e.to_string())?;
        decoded.push(E::decode_raw_log(topics, &data).map_err(|e| format!("{}: {e}", E::SIGNATURE))?);
    }
    Ok(decoded)
}

/// Compares everything; `accounts`: the accounts whose licences and balances are compared (the
/// treasury and everyone the indexer credited are added).
pub fn compare(chain: &Chain, indexer: &Indexer, accounts: &[Address]) -> Result<Covered> {
    let mut diff = Differences(Vec::new());
    let mut covered = Covered::default();
    let head = chain.market.rpc.call("eth_getBlockByNumber", json!(["latest", false]))?;
    let now = quantity(&head["timestamp"])?;
    let count = chain.market.model_count()?;

    // The paged list, oldest first, every listing (delisted ones included): `modelsPage`.
    let mut listed = Vec::new();
    let mut offset = 0;
    loop {
        let page = indexer.get_json(&format!("/api/models?delisted=include&sort=oldest&limit=200&offset={offset}"))?;
        diff.check("the catalogue's total", &page["total"], json!(count));
        let models = page["models"].as_array().cloned().unwrap_or_default();
        if models.is_empty() {
            break;
        }
        offset += models.len();
        listed.extend(models);
    }
    let on_chain = chain.market.view(&IAssayMarket::modelsPageCall { offset: U256::ZERO, limit: U256::from(count) })?;
    diff.check("the number of listings", &json!(listed.len()), json!(on_chain.page.len()));
    // The catalogue's size as the handlers keep it (not counted): listed and delisted apart.
    let delisted = on_chain.page.iter().filter(|m| m.delisted).count();
    for (which, expected) in [("exclude", on_chain.page.len() - delisted), ("only", delisted)] {
        let page = indexer.get_json(&format!("/api/models?delisted={which}&limit=1"))?;
        diff.check(&format!("the total of delisted={which}"), &page["total"], json!(expected));
        diff.check(&format!("delisted={which} counted exactly"), &page["totalExact"], json!(true));
    }
    let mut children: std::collections::BTreeMap<U256, Vec<Value>> = Default::default();
    for (m, indexed) in on_chain.page.iter().zip(&listed) {
        diff.check(&format!("model #{} in the list", m.id), indexed, summary_json(m));
        covered.models += 1;
        covered.tiers += m.tiers.len();
        let one = indexer.get_json(&format!("/api/models/{}", m.id))?;
        diff.check(&format!("model #{}", m.id), &one, summary_json(m));
        let id = m.id;
        let versions = chain.market.view(&IAssayMarket::versionsOfCall { modelId: id })?;
        let cids: Vec<&str> =
            one["versions"].as_array().into_iter().flatten().filter_map(|v| v["manifestCid"].as_str()).collect();
        diff.check(&format!("model #{id}'s versions"), &json!(cids), json!(versions));
        covered.versions += versions.len();
        let co = chain.market.view(&IAssayMarket::coAuthorsOfCall { modelId: id })?;
        let co: Vec<Value> = co.iter().map(|a| json!({ "account": a.account.to_string(), "bps": a.bps })).collect();
        covered.co_authors += co.len();
        diff.check(&format!("model #{id}'s co-authors"), &one["coAuthors"], json!(co));
        let parents = chain.market.view(&IAssayMarket::parentsOfCall { modelId: id })?;
        let edges: Vec<Value> = parents
            .iter()
            .map(|p| json!({ "childId": id.to_string(), "parentId": p.modelId.to_string(), "bps": p.bps, "licenceId": p.licenceId.to_string() }))
            .collect();
        for (p, edge) in parents.iter().zip(&edges) {
            children.entry(p.modelId).or_default().push(edge.clone());
        }
        covered.parents += edges.len();
        diff.check(&format!("model #{id}'s parents"), &one["parents"], json!(edges));
        let commitment = chain.market.view(&IAssayMarket::keyCommitmentCall { modelId: id })?;
        let earnings = chain.market.view(&IAssayMarket::earningsOfCall { modelId: id })?;
        let owner = chain.models.view(&IAssayERC721::ownerOfCall { tokenId: id })?;
        diff.check(
            &format!("model #{id}'s commitment, earnings and NFT owner"),
            &one,
            json!({ "keyCommitment": commitment.to_string(), "earnings": earnings.to_string(), "owner": owner.to_string() }),
        );
        if let Some(moderation) = &chain.moderation {
            let latest = moderation.view(&IAssayModeration::latestCaseOfCall { modelId: id })?;
            diff.check(&format!("model #{id}'s latest case"), &one["latestCase"], json!(latest.to_string()));
        }
    }
    for m in &on_chain.page {
        let lineage = indexer.get_json(&format!("/api/models/{}/lineage", m.id))?;
        let expected = children.get(&m.id).cloned().unwrap_or_default();
        diff.check(&format!("model #{}'s children", m.id), &lineage["children"], json!(expected));
    }
    // Each creator's "built on by others": the children of their listings whose creator is someone else.
    let creator_of: std::collections::BTreeMap<U256, Address> =
        on_chain.page.iter().map(|m| (m.id, m.creator)).collect();
    let creators: std::collections::BTreeSet<Address> = on_chain.page.iter().map(|m| m.creator).collect();
    for creator in creators {
        let mut built_on: std::collections::BTreeMap<U256, Address> = Default::default();
        for m in on_chain.page.iter().filter(|m| m.creator == creator) {
            for edge in children.get(&m.id).into_iter().flatten() {
                let child: U256 = edge["childId"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
                if let Some(child_creator) = creator_of.get(&child).filter(|c| **c != creator) {
                    built_on.insert(child, *child_creator);
                }
            }
        }
        let expected: Vec<Value> =
            built_on.iter().map(|(id, c)| json!({ "modelId": id.to_string(), "creator": c.to_string() })).collect();
        let answer = indexer.get_json(&format!("/api/creators/{creator}/built-on"))?;
        diff.check(&format!("what others built on {creator}'s listings"), &answer["listings"], json!(expected));
    }

    // Reviews: the market's `Reviewed` logs (they have no view), each on its model's page.
    let mut reviews: std::collections::BTreeMap<U256, Vec<Value>> = Default::default();
    for review in market_logs::<IAssayMarket::Reviewed>(&chain.market)? {
        reviews.entry(review.modelId).or_default().push(json!({
            "licenceId": review.licenceId.to_string(), "reviewer": review.reviewer.to_string(),
            "rating": review.rating, "commentCid": review.commentCid,
        }));
        covered.reviews += 1;
    }
    for m in &on_chain.page {
        let one = indexer.get_json(&format!("/api/models/{}", m.id))?;
        let mut expected = reviews.remove(&m.id).unwrap_or_default();
        expected.sort_by_key(|r| r["licenceId"].as_str().and_then(|s| s.parse::<u64>().ok()));
        diff.check(&format!("model #{}'s reviews", m.id), &one["reviews"], json!(expected));
    }

    // Reproduced claims: `AssayEvaluations`' logs (events only, no storage), on their model's page.
    if let Some(evaluations) = &chain.evaluations {
        let mut by_model: std::collections::BTreeMap<U256, Vec<Value>> = Default::default();
        for a in market_logs::<IAssayEvaluations::EvaluationReproduced>(evaluations)? {
            let observed: Vec<String> = a.observed.iter().map(ToString::to_string).collect();
            by_model.entry(a.modelId).or_default().push(json!({
                "version": a.version.to_string(), "account": a.account.to_string(),
                "resultIndex": a.resultIndex.to_string(), "observed": observed, "matched": a.matched,
                "licensed": a.licensed,
            }));
            covered.attestations += 1;
        }
        for (model, expected) in by_model {
            let one = indexer.get_json(&format!("/api/models/{model}"))?;
            diff.check(&format!("model #{model}'s reproduced claims"), &one["attestations"], json!(expected));
        }
    }

    // A creator's listings: `modelsByCreator`, for every creator.
    let creators: std::collections::BTreeSet<Address> = on_chain.page.iter().map(|m| m.creator).collect();
    for creator in creators {
        let ids = chain.market.view(&IAssayMarket::modelsByCreatorCall {
            creator,
            cursor: U256::ZERO,
            maxScan: U256::from(count),
        })?;
        let page =
            indexer.get_json(&format!("/api/creators/{creator}/models?delisted=include&sort=oldest&limit=200"))?;
        let indexed: Vec<Value> = page["models"].as_array().into_iter().flatten().map(|m| m["id"].clone()).collect();
        let expected: Vec<String> = ids.ids.iter().map(U256::to_string).collect();
        diff.check(&format!("{creator}'s models"), &json!(indexed), json!(expected));
    }

    // Every licence ever minted: `licence(id)` (a burned one is gone from both).
    let licences = chain.market.view(&IAssayMarket::licenceCountCall {})?;
    for id in 1..=licences.to::<u64>() {
        let view = chain.market.view(&IAssayMarket::licenceCall { licenceId: U256::from(id) })?;
        let answer = crate::http::get(indexer.setup.port, &format!("/api/licences/{id}?at={now}"))?;
        if view.id.is_zero() {
            diff.check(&format!("burned licence #{id}"), &json!(answer.status), json!(404));
        } else {
            diff.check(&format!("licence #{id}"), &answer.json()?, licence_json(&view));
        }
        covered.licences += 1;
    }

    // Cases: `casesPage`.
    if let Some(moderation) = &chain.moderation {
        let cases =
            moderation.view(&IAssayModeration::casesPageCall { offset: U256::ZERO, limit: U256::from(1_000) })?;
        let indexed = indexer.get_json("/api/cases")?;
        let expected: Vec<Value> = cases.page.iter().map(case_json).collect();
        covered.cases = expected.len();
        diff.check("the moderation cases", &indexed["cases"], json!(expected));
        for c in &cases.page {
            let one = indexer.get_json(&format!("/api/models/{}", c.modelId))?;
            let latest = moderation.view(&IAssayModeration::latestCaseOfCall { modelId: c.modelId })?;
            if latest == c.id {
                diff.check(
                    &format!("model #{}'s case status", c.modelId),
                    &one["caseStatus"],
                    json!(CASE_STATUS[c.status as usize]),
                );
            }
        }
    }

    // Browse's badges on the list: the latest version's tally as the app folds the attestations
    // (`Attestations::tally`, the logs in their order) and the reason of the open case (`casesPage`).
    let attested = match &chain.evaluations {
        Some(evaluations) => Attestations::new(
            market_logs::<IAssayEvaluations::EvaluationReproduced>(evaluations)?
                .iter()
                .enumerate()
                .map(|(i, a)| Attestation::from_event(a, i as u64, 0)),
        ),
        None => Attestations::default(),
    };
    let mut open = std::collections::BTreeMap::new();
    if let Some(moderation) = &chain.moderation {
        let cases =
            moderation.view(&IAssayModeration::casesPageCall { offset: U256::ZERO, limit: U256::from(1_000) })?;
        for c in
            cases.page.iter().filter(|c| matches!(c.status, CaseStatus::AwaitingResponse | CaseStatus::InArbitration))
        {
            open.insert(c.modelId, c.reason as u8);
        }
    }
    for (m, indexed) in on_chain.page.iter().zip(&listed) {
        let tally = attested.tally(m.id, u64::from(m.versionCount).saturating_sub(1));
        let report = open.get(&m.id).map_or(Value::Null, |reason| json!(reason));
        let said = ["reproduced", "report"].map(|k| indexed.as_object().is_some_and(|o| o.contains_key(k)));
        diff.check(&format!("model #{}'s badges are given", m.id), &json!(said), json!([true, true]));
        let reproduced = json!({
            "accounts": tally.reproduced, "licensees": tally.reproduced_by_licensees, "disputed": tally.disputed,
        });
        covered.tallied += tally.reproduced + tally.disputed;
        covered.reported += usize::from(!report.is_null());
        diff.check(
            &format!("model #{}'s badges", m.id),
            indexed,
            json!({ "reproduced": reproduced, "report": report }),
        );
    }

    // ERC-1497 evidence: the moderation contract's `Evidence` logs, case by case, in order.
    if let Some(moderation) = &chain.moderation {
        let mut by_case: std::collections::BTreeMap<U256, Vec<Value>> = Default::default();
        for e in market_logs::<IEvidence::Evidence>(moderation)? {
            by_case
                .entry(e._evidenceGroupID)
                .or_default()
                .push(json!({ "party": e._party.to_string(), "uri": e._evidence }));
            covered.evidence += 1;
        }
        let cases = indexer.get_json("/api/cases")?;
        for case in cases["cases"].as_array().into_iter().flatten() {
            let id: U256 = case["id"].as_str().and_then(|s| s.parse().ok()).unwrap_or_default();
            let expected = by_case.remove(&id).unwrap_or_default();
            diff.check(&format!("case #{id}'s evidence"), &case["evidence"], json!(expected));
        }
        diff.check("evidence of cases the indexer lacks", &json!(by_case.len()), json!(0));
    }

    // Accounts: licences held (`licencesOf`), `withdrawable` on the market and the moderation contract.
    let mut everyone: std::collections::BTreeSet<Address> = accounts.iter().copied().collect();
    everyone.insert(chain.market.view(&IAssayMarket::treasuryCall {})?);
    for account in everyone {
        let (page, _, _) = {
            let r = chain.market.view(&IAssayMarket::licencesOfCall {
                account,
                cursor: U256::ZERO,
                limit: U256::from(10_000),
            })?;
            (r.page, r.nextCursor, r.end)
        };
        let mut expected: Vec<Value> = page.iter().map(licence_json).collect();
        expected.sort_by_key(|l| l["id"].as_str().and_then(|s| s.parse::<u64>().ok()));
        let held = indexer.get_json(&format!("/api/accounts/{account}/licences?at={now}"))?;
        diff.check(&format!("{account}'s licences"), &held["licences"], json!(expected));
        let credits = indexer.get_json(&format!("/api/accounts/{account}/credits"))?;
        let market = chain.market.view(&IAssayMarket::withdrawableCall { account })?;
        diff.check(
            &format!("{account}'s market balance"),
            &credits["market"]["withdrawable"],
            json!(market.to_string()),
        );
        if let Some(moderation) = &chain.moderation {
            let staked = moderation.view(&IAssayModeration::withdrawableCall { account })?;
            diff.check(
                &format!("{account}'s moderation balance"),
                &credits["moderation"]["withdrawable"],
                json!(staked.to_string()),
            );
        }
        covered.accounts += 1;
    }

    if diff.0.is_empty() {
        Ok(covered)
    } else {
        Err(format!("the indexer differs from the chain in {} places:\n{}", diff.0.len(), diff.0.join("\n")))
    }
}
