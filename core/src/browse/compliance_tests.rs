//! Browse's compliance filters: declared risk and personal data from the card, territories and
//! uses from the tiers' terms.

use assay_inference::card::{Compliance, ComplianceSection, PersonalData, RiskCategory, TrainingData};

use super::*;
use crate::fixtures::{self, summary};
use crate::terms::{ProhibitedUse, Restrictions, Territory};

fn tier(commercial: bool, terms: &str) -> Tier {
    Tier { termsCid: terms.into(), ..fixtures::tier(1, commercial, false) }
}

fn card(compliance: Option<Compliance>) -> Card {
    Card::Read(CardText {
        name: "m".into(),
        compliance: compliance.map(|c| Box::new(ComplianceSection::Read(c).into())),
        ..CardText::default()
    })
}

fn declared(risk: RiskCategory, personal_data: PersonalData) -> Option<Compliance> {
    Some(Compliance {
        risk_category: risk,
        training_data: TrainingData { personal_data, ..TrainingData::default() },
        ..Compliance::default()
    })
}

fn restricted(uses: &[ProhibitedUse], places: &[&str]) -> TierTerms {
    TierTerms::Read(Restrictions {
        prohibited_uses: uses.to_vec(),
        excluded_territories: places.iter().map(|c| Territory::from_code(c).unwrap()).collect(),
    })
}

fn ids(listings: &[Listing], query: &Query) -> Vec<u64> {
    apply(listings, query).into_iter().map(|i| listings[i].id().to::<u64>()).collect()
}

#[test]
fn the_declared_risk_and_personal_data_filter_on_the_card() {
    let listings = [
        Listing::new(summary(1, vec![tier(false, "")]), card(declared(RiskCategory::Minimal, PersonalData::None))),
        Listing::new(summary(2, vec![tier(false, "")]), card(declared(RiskCategory::High, PersonalData::Included))),
        Listing::new(summary(3, vec![tier(false, "")]), card(None)),
        Listing::new(summary(4, vec![tier(false, "")]), Card::Loading),
    ];
    let q = |risk, without_personal_data| Query { risk, without_personal_data, ..Query::default() };
    assert_eq!(ids(&listings, &q(Some(RiskCategory::Minimal), false)), [1]);
    assert_eq!(ids(&listings, &q(Some(RiskCategory::High), false)), [2]);
    assert_eq!(ids(&listings, &q(Some(RiskCategory::NotAssessed), false)), [3], "no section: not assessed");
    assert_eq!(ids(&listings, &q(None, true)), [1], "unknown is not none");
    assert_eq!(undecided(&listings, &q(None, true)), 1, "the loading card may match");
    assert!(
        explain_empty(&q(Some(RiskCategory::High), true), 4)
            .contains("declared “High risk” and trained without personal data")
    );
}

#[test]
fn territory_and_use_filters_read_the_available_tiers_terms() {
    let eu_out = "bafk-eu-out";
    let medical_out = "bafk-medical-out";
    let read = |cid: &str| match cid {
        "bafk-eu-out" => restricted(&[], &["EU"]),
        "bafk-medical-out" => restricted(&[ProhibitedUse::Medical], &[]),
        "bafk-broken" => TierTerms::Unreadable,
        _ => TierTerms::Loading,
    };
    let listings = [
        // 1: excluded in the EU, but a second (commercial) tier has no restrictions.
        Listing::new(summary(1, vec![tier(false, eu_out), tier(true, "")]), card(None)).with_terms(read),
        // 2: only tier excludes the EU.
        Listing::new(summary(2, vec![tier(false, eu_out)]), card(None)).with_terms(read),
        // 3: no medical use.
        Listing::new(summary(3, vec![tier(true, medical_out)]), card(None)).with_terms(read),
        // 4: terms unreadable: matches no terms filter.
        Listing::new(summary(4, vec![tier(true, "bafk-broken")]), card(None)).with_terms(read),
        // 5: terms still on their way.
        Listing::new(summary(5, vec![tier(true, "bafk-later")]), card(None)).with_terms(read),
    ];
    let in_france = Query { territory: Territory::from_code("FR"), ..Query::default() };
    assert_eq!(ids(&listings, &in_france), [3, 1]);
    assert_eq!(undecided(&listings, &in_france), 1);
    let in_swiss = Query { territory: Territory::from_code("CH"), ..Query::default() };
    assert_eq!(ids(&listings, &in_swiss), [3, 2, 1]);
    let medical = Query { allowed_use: Some(ProhibitedUse::Medical), ..Query::default() };
    assert_eq!(ids(&listings, &medical), [2, 1]);
    // Combined with the licence filters: only tiers allowing commercial use count.
    let commercial_in_france = Query { commercial: true, ..in_france.clone() };
    assert_eq!(ids(&listings, &commercial_in_france), [3, 1]);
    let non_commercial_only =
        Listing::new(summary(6, vec![tier(false, ""), tier(true, eu_out)]), card(None)).with_terms(read);
    assert_eq!(
        ids(&[non_commercial_only], &commercial_in_france),
        Vec::<u64>::new(),
        "the commercial tier excludes France"
    );
    assert!(explain_empty(&in_france, 5).contains("licensable in France (FR)"));
    assert_eq!(listings[0].terms_cids().collect::<Vec<_>>(), [eu_out], "tiers without terms need no read");
    assert_eq!(undecided(&listings, &Query::default()), 0, "nothing asked: terms not needed");
}

#[test]
fn a_cards_compliance_section_is_read_when_a_filter_asks_as_the_schema_reads_it() {
    let json = serde_json::json!({
        "name": "m",
        "compliance": { "version": 1, "riskCategory": "high", "trainingData": { "personalData": "none" } }
    });
    let text: CardText = serde_json::from_value(json).unwrap();
    let found = text.compliance.as_deref().unwrap();
    let read = found.section().read().unwrap();
    assert_eq!(read.risk_category, RiskCategory::High);
    assert_eq!(read.training_data.personal_data, PersonalData::None);
    // The same section made in code reads the same.
    assert_eq!(CardCompliance::from(ComplianceSection::Read(read.clone())).section(), found.section());

    // A section in another shape stays readable as a card, and says why it is not read.
    let wrong: CardText = serde_json::from_value(
        serde_json::json!({ "name": "m", "compliance": { "version": 1, "riskCategory": "tiny" } }),
    )
    .unwrap();
    let section = wrong.compliance.as_deref().unwrap().section();
    assert!(matches!(section, ComplianceSection::Unreadable(_)));
    assert!(section.read().unwrap_err().contains("tiny"));
    assert_eq!(wrong.name, "m");
}
