//! Filtering and sorting: a [`Query`] applied to the listings, and why nothing matched.

use std::cmp::Ordering;
use std::collections::BTreeSet;

use alloy_primitives::U256;

use crate::contracts::IAssayMarket::ModelSummary;
use crate::units::format_ether;

use super::{Card, Listing, Query, Sort, Weights, licence_index};

/// The indices of the listings that match `query`, in its order; ties (and equal prices,
/// ratings, sales) newest first, so the order is stable.
///
/// A listing whose card is not read yet can't match a search or a task filter; see
/// [`undecided`] for how many such listings there are.
pub fn apply(listings: &[Listing], query: &Query) -> Vec<usize> {
    let terms = query.terms();
    let task = query.task.as_ref().map(|t| t.trim().to_lowercase());
    let mut indices: Vec<usize> =
        (0..listings.len()).filter(|&i| listings[i].matches(query, &terms, task.as_deref())).collect();
    let price = |l: &Listing| l.lowest[licence_index(query.commercial, query.derivatives)];
    let newest = |a: &Listing, b: &Listing| b.summary.id.cmp(&a.summary.id);
    indices.sort_unstable_by(|&a, &b| {
        let (a, b) = (&listings[a], &listings[b]);
        let primary = match query.sort {
            Sort::Newest => Ordering::Equal,
            Sort::PriceLow => match (price(a), price(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (x, y) => x.is_none().cmp(&y.is_none()),
            },
            Sort::PriceHigh => match (price(a), price(b)) {
                (Some(x), Some(y)) => y.cmp(&x),
                (x, y) => x.is_none().cmp(&y.is_none()),
            },
            Sort::Rating => compare_rating(&b.summary, &a.summary),
            Sort::Sales => b.summary.sales.cmp(&a.summary.sales),
            Sort::Reproduced => (b.reproduced.reproduced, b.reproduced.reproduced_by_licensees)
                .cmp(&(a.reproduced.reproduced, a.reproduced.reproduced_by_licensees)),
        };
        primary.then_with(|| newest(a, b))
    });
    indices
}

/// How many listings pass every filter but whose card is still loading, when the query needs
/// card text: they may turn out to match.
pub fn undecided(listings: &[Listing], query: &Query) -> usize {
    if !query.needs_card() && !query.needs_terms() {
        return 0;
    }
    listings
        .iter()
        .filter(|l| l.matches_summary(query))
        .filter(|l| (query.needs_card() && l.card == Card::Loading) || l.matches_compliance(query).is_none())
        .count()
}

/// Average rating order (unrated below every rated listing), then more reviews first.
fn compare_rating(a: &ModelSummary, b: &ModelSummary) -> Ordering {
    match (a.ratingCount, b.ratingCount) {
        (0, 0) => Ordering::Equal,
        (0, _) => Ordering::Less,
        (_, 0) => Ordering::Greater,
        (ca, cb) => {
            // sa / ca  vs  sb / cb  ⇔  sa × cb  vs  sb × ca
            let left = u128::from(a.ratingSum) * u128::from(cb);
            let right = u128::from(b.ratingSum) * u128::from(ca);
            left.cmp(&right).then(ca.cmp(&cb))
        }
    }
}

/// The tasks the read cards name, sorted, each once (lowercase), for the task filter.
pub fn tasks(listings: &[Listing]) -> Vec<String> {
    let tasks: BTreeSet<&str> = listings.iter().map(|l| l.task.as_str()).filter(|t| !t.is_empty()).collect();
    tasks.into_iter().map(str::to_owned).collect()
}

/// Why nothing matched, and what to do about it:
/// "No model matches “foo” with commercial use allowed. Clear the search or the filters."
pub fn explain_empty(query: &Query, total: usize) -> String {
    if total == 0 {
        return "No models are listed yet. Models appear here as soon as they are listed on chain.".to_owned();
    }
    let mut conditions = Vec::new();
    if let Some(task) = &query.task {
        conditions.push(format!("for the task “{}”", task.trim()));
    }
    if query.commercial {
        conditions.push("with commercial use allowed".to_owned());
    }
    if query.derivatives {
        conditions.push("with derivatives allowed".to_owned());
    }
    let ether = |wei: U256| format!("{} ETH", format_ether(wei, 18));
    match (query.min_price, query.max_price) {
        (Some(min), Some(max)) if min > max => conditions.push(format!(
            "priced from {} but at most {} (the lowest price is above the highest)",
            ether(min),
            ether(max)
        )),
        (Some(min), Some(max)) => conditions.push(format!("priced between {} and {}", ether(min), ether(max))),
        (Some(min), None) => conditions.push(format!("priced at least {}", ether(min))),
        (None, Some(max)) => conditions.push(format!("priced at most {}", ether(max))),
        (None, None) => {}
    }
    if let Some(stars) = query.min_rating {
        conditions.push(format!("rated {stars} star{} or more", if stars == 1 { "" } else { "s" }));
    }
    if query.reproduced {
        conditions.push("whose claims someone reproduced".to_owned());
    }
    match query.weights {
        Weights::Any => {}
        Weights::Open => conditions.push("with open weights".to_owned()),
        Weights::Encrypted => conditions.push("with encrypted weights".to_owned()),
    }
    if let Some(risk) = query.risk {
        conditions.push(format!("declared “{}”", risk.label()));
    }
    if query.without_personal_data {
        conditions.push("trained without personal data".to_owned());
    }
    if let Some(territory) = query.territory {
        conditions.push(format!("licensable in {}", territory.words()));
    }
    if let Some(use_) = query.allowed_use {
        conditions.push(format!("licensable for {}", use_.words()));
    }
    let text = query.text.trim();
    let mut sentence = String::from("No model matches");
    if !text.is_empty() {
        sentence.push_str(&format!(" “{text}”"));
    }
    match conditions.as_slice() {
        [] if text.is_empty() => return format!("None of the {total} listed models can be shown."),
        [] => {}
        [only] => {
            sentence.push(' ');
            sentence.push_str(only);
        }
        [init @ .., last] => {
            sentence.push(' ');
            sentence.push_str(&init.join(", "));
            sentence.push_str(" and ");
            sentence.push_str(last);
        }
    }
    let advice = match (!text.is_empty(), !conditions.is_empty()) {
        (true, true) => "Clear the search or the filters.",
        (true, false) => "Try other words or clear the search.",
        _ => "Clear the filters.",
    };
    format!("{sentence}. {advice}")
}
