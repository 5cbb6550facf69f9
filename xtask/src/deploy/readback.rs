//! Reading a deployment back from the chain: which contracts have code, the settings they hold
//! and how they name each other — through the interfaces' `sol!` bindings (`assay_core::contracts`).

use alloy_primitives::Address;
use assay_core::contracts::{IAssayCouncilArbitrator, IAssayEvaluations, IAssayMarket, IAssayModels, IAssayModeration};

use super::endpoint::Endpoint;
use super::parameters::{Council, Settings};
use super::record::Contracts;
use crate::process::Result;

/// How the contracts name each other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Links {
    pub market_models: Address,
    pub market_moderation: Address,
    pub models_market: Address,
    pub moderation_market: Address,
    pub moderation_arbitrator: Address,
    pub evaluations_market: Address,
}

/// Everything read back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OnChain {
    pub settings: Settings,
    pub links: Links,
}

/// The contracts of `contracts` that have no code on the chain, by name.
pub fn missing_code(endpoint: &Endpoint, contracts: &Contracts) -> Result<Vec<(&'static str, Address)>> {
    let mut missing = Vec::new();
    for (name, address) in contracts.named() {
        if endpoint.code(address)?.is_empty() {
            missing.push((name, address));
        }
    }
    Ok(missing)
}

/// Reads the settings and links; the council's only when `council` (the arbitrator was deployed
/// beside the contracts, not named).
pub fn read(endpoint: &Endpoint, contracts: &Contracts, council: bool) -> Result<OnChain> {
    let market = contracts.market;
    let moderation = contracts.moderation;
    let settings = Settings {
        protocol_fee_bps: u64::from(endpoint.view(market, &IAssayMarket::protocolFeeBpsCall {})?),
        treasury: endpoint.view(market, &IAssayMarket::treasuryCall {})?,
        delivery_window: endpoint.view(market, &IAssayMarket::deliveryWindowCall {})?,
        challenge_period: endpoint.view(market, &IAssayMarket::challengePeriodCall {})?,
        flag_stake: endpoint.view(moderation, &IAssayModeration::flagStakeCall {})?,
        response_window: endpoint.view(moderation, &IAssayModeration::responseWindowCall {})?,
        fee_cap: endpoint.view(moderation, &IAssayModeration::feeCapCall {})?,
        arbitrator: endpoint.view(moderation, &IAssayModeration::arbitratorCall {})?,
        arbitrator_extra_data: endpoint.view(moderation, &IAssayModeration::arbitratorExtraDataCall {})?,
        council: if council {
            Some(Council {
                account: endpoint.view(contracts.arbitrator, &IAssayCouncilArbitrator::councilCall {})?,
                arbitration_cost: endpoint.view(contracts.arbitrator, &IAssayCouncilArbitrator::costCall {})?,
            })
        } else {
            None
        },
    };
    let links = Links {
        market_models: endpoint.view(market, &IAssayMarket::modelsCall {})?,
        market_moderation: endpoint.view(market, &IAssayMarket::moderationCall {})?,
        models_market: endpoint.view(contracts.models, &IAssayModels::marketCall {})?,
        moderation_market: endpoint.view(moderation, &IAssayModeration::marketCall {})?,
        moderation_arbitrator: settings.arbitrator,
        evaluations_market: endpoint.view(contracts.evaluations, &IAssayEvaluations::marketCall {})?,
    };
    Ok(OnChain { settings, links })
}

/// Each link that does not name the contract the deploy script reported.
pub fn link_differences(contracts: &Contracts, links: &Links) -> Vec<String> {
    [
        ("AssayMarket.models()", links.market_models, "AssayModels", contracts.models),
        ("AssayMarket.moderation()", links.market_moderation, "AssayModeration", contracts.moderation),
        ("AssayModels.market()", links.models_market, "AssayMarket", contracts.market),
        ("AssayModeration.market()", links.moderation_market, "AssayMarket", contracts.market),
        ("AssayModeration.arbitrator()", links.moderation_arbitrator, "AssayArbitrator", contracts.arbitrator),
        ("AssayEvaluations.market()", links.evaluations_market, "AssayMarket", contracts.market),
    ]
    .into_iter()
    .filter(|(_, has, _, wanted)| has != wanted)
    .map(|(view, has, name, wanted)| format!("{view} is {has}, not {name} {wanted}"))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_must_name_the_reported_contracts() {
        let contracts = Contracts {
            market: Address::repeat_byte(1),
            models: Address::repeat_byte(2),
            moderation: Address::repeat_byte(3),
            arbitrator: Address::repeat_byte(4),
            evaluations: Address::repeat_byte(5),
        };
        let mut links = Links {
            market_models: contracts.models,
            market_moderation: contracts.moderation,
            models_market: contracts.market,
            moderation_market: contracts.market,
            moderation_arbitrator: contracts.arbitrator,
            evaluations_market: contracts.market,
        };
        assert!(link_differences(&contracts, &links).is_empty());
        links.evaluations_market = Address::repeat_byte(9);
        assert_eq!(
            link_differences(&contracts, &links),
            [format!("AssayEvaluations.market() is {}, not AssayMarket {}", Address::repeat_byte(9), contracts.market)]
        );
    }
}
