//! Browse's tests: one small catalogue, every filter, sort, URL value and grid text.

use std::collections::BTreeMap;

use alloy_primitives::U256;

use super::*;
use crate::fixtures::{self, summary};
use crate::units::parse_ether;

const MILLI: u64 = 1_000_000_000_000_000;

fn tier(milli_eth: u64, commercial: bool, derivatives: bool) -> Tier {
    fixtures::tier(milli_eth * MILLI, commercial, derivatives)
}

fn card(name: &str, description: &str, task: &str, tags: &[&str]) -> Card {
    Card::Read(CardText {
        name: name.into(),
        description: description.into(),
        task: task.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        compliance: None,
    })
}

fn milli(n: u64) -> U256 {
    U256::from(n * MILLI)
}

/// Five listings with distinct traits:
/// 1 digits: image-classification, 10 mETH commercial, rated 4.5 (2), 3 sales
/// 2 text direction: text-classification, 50 mETH non-commercial + 200 mETH commercial+derivatives, unrated
/// 3 magika: file-type-detection, encrypted, only tier paused, rated 3.0 (1), 10 sales
/// 4 digits 16 hidden: image-classification, free derivatives tier, rated 5.0 (1), 3 sales
/// 5 card still loading, 20 mETH
fn catalogue() -> Vec<Listing> {
    let mut digits = summary(1, vec![tier(10, true, false)]);
    (digits.ratingSum, digits.ratingCount, digits.sales) = (9, 2, 3);
    let text = summary(2, vec![tier(50, false, false), tier(200, true, true)]);
    let mut magika = summary(3, vec![Tier { paused: true, ..tier(5, true, true) }]);
    (magika.encrypted, magika.ratingSum, magika.ratingCount, magika.sales) = (true, 3, 1, 10);
    let mut small = summary(4, vec![tier(0, false, true)]);
    (small.ratingSum, small.ratingCount, small.sales) = (5, 1, 3);
    vec![
        Listing::new(
            digits,
            card(
                "Handwritten digits (8×8)",
                "Recognises a handwritten digit.",
                "image-classification",
                &["MNIST-like", "sklearn"],
            ),
        ),
        Listing::new(
            text,
            card(
                "Text line direction (PaddleOCR)",
                "Upright or **upside down**, see [the paper](https://example.org/p).",
                "text-classification",
                &["ocr"],
            ),
        ),
        Listing::new(
            magika,
            card("File type (magika)", "Identifies the type of a file.", "file-type-detection", &["security"]),
        ),
        Listing::new(
            small,
            card("Handwritten digits, 16 hidden units", "A smaller derivative.", "image-classification", &[]),
        ),
        Listing::new(summary(5, vec![tier(20, true, false)]), Card::Loading),
    ]
}

fn ids(listings: &[Listing], query: &Query) -> Vec<u64> {
    apply(listings, query).into_iter().map(|i| u64::try_from(listings[i].id()).unwrap()).collect()
}

fn query() -> Query {
    Query::default()
}

#[test]
fn the_default_query_shows_everything_newest_first() {
    let listings = catalogue();
    assert_eq!(ids(&listings, &query()), vec![5, 4, 3, 2, 1]);
    assert_eq!(ids(&[], &query()), Vec::<u64>::new());
}

#[test]
fn search_needs_every_term_in_name_description_tags_or_task() {
    let listings = catalogue();
    let search = |text: &str| ids(&listings, &Query { text: text.into(), ..query() });
    assert_eq!(search("digits"), vec![4, 1]);
    assert_eq!(search("DIGITS  Hidden"), vec![4], "case-insensitive, every term");
    assert_eq!(search("upside"), vec![2], "description");
    assert_eq!(search("paper"), vec![2], "a link's text");
    assert_eq!(search("example.org"), Vec::<u64>::new(), "not a link's address");
    assert_eq!(search("**"), Vec::<u64>::new(), "not the Markdown");
    assert_eq!(search("sklearn"), vec![1], "tags");
    assert_eq!(search("file-type"), vec![3], "task");
    assert_eq!(search("8×8"), vec![1], "non-ASCII");
    assert_eq!(search("digits ocr"), Vec::<u64>::new());
    assert_eq!(search("   "), vec![5, 4, 3, 2, 1], "blank is no search");
}

#[test]
fn task_filter_is_exact_and_case_insensitive() {
    let listings = catalogue();
    let task = |t: &str| ids(&listings, &Query { task: Some(t.into()), ..query() });
    assert_eq!(task("image-classification"), vec![4, 1]);
    assert_eq!(task("Text-Classification"), vec![2]);
    assert_eq!(task("classification"), Vec::<u64>::new());
    assert_eq!(tasks(&listings), vec!["file-type-detection", "image-classification", "text-classification"]);
}

#[test]
fn licence_filters_need_an_available_tier_offering_them() {
    let listings = catalogue();
    assert_eq!(ids(&listings, &Query { commercial: true, ..query() }), vec![5, 2, 1], "magika's only tier is paused");
    assert_eq!(ids(&listings, &Query { derivatives: true, ..query() }), vec![4, 2]);
    assert_eq!(
        ids(&listings, &Query { commercial: true, derivatives: true, ..query() }),
        vec![2],
        "one tier with both"
    );
}

#[test]
fn price_filters_use_the_lowest_available_tier_with_the_licences_asked_for() {
    let listings = catalogue();
    let range = |min: Option<u64>, max: Option<u64>, commercial: bool| {
        ids(&listings, &Query { min_price: min.map(milli), max_price: max.map(milli), commercial, ..query() })
    };
    assert_eq!(range(None, Some(20), false), vec![5, 4, 1], "magika (paused) has no price");
    assert_eq!(range(Some(20), None, false), vec![5, 2]);
    assert_eq!(range(Some(10), Some(50), false), vec![5, 2, 1], "bounds are inclusive");
    assert_eq!(range(None, Some(0), false), vec![4], "free");
    assert_eq!(range(Some(100), None, true), vec![2], "text direction's commercial tier costs 200");
    assert_eq!(range(Some(100), None, false), Vec::<u64>::new(), "its cheapest tier costs 50");
    assert_eq!(range(Some(50), Some(10), false), Vec::<u64>::new(), "min above max");
}

#[test]
fn sold_out_tiers_are_not_available() {
    let mut sold_out = summary(1, vec![Tier { maxSupply: 2, sold: 2, ..tier(1, true, true) }, tier(30, false, false)]);
    sold_out.sales = 2;
    let listing = Listing::new(sold_out.clone(), Card::Loading);
    assert_eq!(listing.lowest_price(), Some(milli(30)));
    assert!(apply(std::slice::from_ref(&listing), &Query { commercial: true, ..query() }).is_empty());
    assert_eq!(price_range(&sold_out), "0.03 ETH");
    assert_eq!(licence_badges(&sold_out), vec![Badge::OpenWeights]);
    let still_open = summary(2, vec![Tier { maxSupply: 2, sold: 1, ..tier(1, true, true) }]);
    assert_eq!(Listing::new(still_open, Card::Loading).lowest_price(), Some(milli(1)));
}

#[test]
fn minimum_rating_counts_unrated_as_zero() {
    let listings = catalogue();
    let rated = |stars: u8| ids(&listings, &Query { min_rating: Some(stars), ..query() });
    assert_eq!(rated(1), vec![4, 3, 1]);
    assert_eq!(rated(3), vec![4, 3, 1], "3.0 is at least 3");
    assert_eq!(rated(4), vec![4, 1], "4.5 is at least 4");
    assert_eq!(rated(5), vec![4]);
}

#[test]
fn weights_filter() {
    let listings = catalogue();
    assert_eq!(ids(&listings, &Query { weights: Weights::Encrypted, ..query() }), vec![3]);
    assert_eq!(ids(&listings, &Query { weights: Weights::Open, ..query() }), vec![5, 4, 2, 1]);
}

#[test]
fn every_sort_with_ties_newest_first() {
    let listings = catalogue();
    let sorted = |sort: Sort| ids(&listings, &Query { sort, ..query() });
    // Lowest available prices: 1 → 10, 2 → 50, 3 → none, 4 → 0, 5 → 20.
    assert_eq!(sorted(Sort::PriceLow), vec![4, 1, 5, 2, 3]);
    assert_eq!(sorted(Sort::PriceHigh), vec![2, 5, 1, 4, 3], "nothing for sale stays last");
    // Ratings: 4 → 5.0, 1 → 4.5, 3 → 3.0, 2 and 5 unrated (newest first).
    assert_eq!(sorted(Sort::Rating), vec![4, 1, 3, 5, 2]);
    // Sales: 3 → 10, 1 and 4 → 3 (newest first), 2 and 5 → 0.
    assert_eq!(sorted(Sort::Sales), vec![3, 4, 1, 5, 2]);
    assert_eq!(sorted(Sort::Newest), vec![5, 4, 3, 2, 1]);
}

#[test]
fn reproduced_claims_filter_and_sort() {
    use crate::attestations::Tally;
    let tally = |reproduced, reproduced_by_licensees| Tally { reproduced, reproduced_by_licensees, disputed: 0 };
    let mut listings = catalogue();
    listings[0] = listings[0].clone().with_reproduced(tally(2, 0));
    listings[2] = listings[2].clone().with_reproduced(tally(2, 1));
    listings[4] = listings[4].clone().with_reproduced(Tally { reproduced: 0, reproduced_by_licensees: 0, disputed: 3 });
    // Only listings someone reproduced; a listing with mismatches only is not one of them.
    assert_eq!(ids(&listings, &Query { reproduced: true, ..query() }), vec![3, 1]);
    // More accounts first, licence holders break ties, never reproduced last (newest first).
    assert_eq!(ids(&listings, &Query { sort: Sort::Reproduced, ..query() }), vec![3, 1, 5, 4, 2]);
    let none = Query { reproduced: true, text: "nothing".into(), ..query() };
    assert!(explain_empty(&none, 5).contains("whose claims someone reproduced"), "{}", explain_empty(&none, 5));
}

#[test]
fn equal_averages_rank_more_reviews_first() {
    let mut one = summary(1, vec![]);
    (one.ratingSum, one.ratingCount) = (8, 2);
    let mut two = summary(2, vec![]);
    (two.ratingSum, two.ratingCount) = (4, 1);
    let listings = [Listing::new(one, Card::Loading), Listing::new(two, Card::Loading)];
    assert_eq!(ids(&listings, &Query { sort: Sort::Rating, ..query() }), vec![1, 2]);
}

#[test]
fn filters_combine_and_sort_applies_after() {
    let listings = catalogue();
    let q = Query { text: "digits".into(), min_rating: Some(4), sort: Sort::PriceHigh, ..query() };
    assert_eq!(ids(&listings, &q), vec![1, 4]);
}

#[test]
fn listings_whose_card_is_loading_are_undecided_for_text_queries() {
    let listings = catalogue();
    assert_eq!(undecided(&listings, &query()), 0, "no text: they are shown");
    assert_eq!(undecided(&listings, &Query { text: "digits".into(), ..query() }), 1);
    assert_eq!(undecided(&listings, &Query { task: Some("x".into()), weights: Weights::Encrypted, ..query() }), 0);
    let unreadable = [Listing::new(summary(9, vec![]), Card::Unreadable("gone".into()))];
    assert_eq!(undecided(&unreadable, &Query { text: "x".into(), ..query() }), 0, "unreadable is decided: no match");
    assert_eq!(unreadable[0].name(), "Model #9");
}

#[test]
fn delisted_models_are_hidden_unless_asked_for() {
    let listed = Listing::new(summary(1, vec![tier(10, true, false)]), Card::Loading);
    let delisted =
        Listing::new(ModelSummary { delisted: true, ..summary(2, vec![tier(10, true, false)]) }, Card::Loading);
    let listings = [listed, delisted];
    assert_eq!(ids(&listings, &query()), vec![1], "hidden by default");
    assert_eq!(ids(&listings, &Query { delisted: true, ..query() }), vec![2, 1], "shown when asked");
    assert!(Query::from_query(&Query { delisted: true, ..query() }.to_query()).delisted);
    assert!(!Query { delisted: true, ..query() }.has_filters(), "showing more is not a filter");
}

#[test]
fn url_round_trip_keeps_every_field_and_omits_defaults() {
    assert!(query().to_query().is_empty());
    let full = Query {
        text: "digits hidden ".into(),
        task: Some("image-classification".into()),
        commercial: true,
        derivatives: true,
        min_price: Some(milli(10)),
        max_price: Some(U256::from(1_500_000_000_000_000_001u128)),
        min_rating: Some(4),
        reproduced: true,
        delisted: true,
        weights: Weights::Encrypted,
        risk: Some(assay_inference::card::RiskCategory::Limited),
        without_personal_data: true,
        territory: crate::terms::Territory::from_code("DE"),
        allowed_use: Some(crate::terms::ProhibitedUse::Medical),
        sort: Sort::PriceHigh,
        shown: PAGE * 3,
    };
    let url = full.to_query();
    assert_eq!(url.get("min").map(String::as_str), Some("0.01"));
    assert_eq!(url.get("max").map(String::as_str), Some("1.500000000000000001"));
    assert_eq!(url.get("sort").map(String::as_str), Some("price-high"));
    assert_eq!(url.get("territory").map(String::as_str), Some("DE"));
    assert_eq!(url.get("use").map(String::as_str), Some("medical"));
    assert_eq!(url.get("risk").map(String::as_str), Some("limited"));
    assert_eq!(Query::from_query(&url), full);
    for sort in Sort::ALL {
        assert_eq!(Query::from_query(&Query { sort, ..query() }.to_query()).sort, sort);
    }
    for weights in Weights::ALL {
        assert_eq!(Query::from_query(&Query { weights, ..query() }.to_query()).weights, weights);
    }
    // Through the hash URL as the router prints and reads it.
    let location = crate::route::Location { route: crate::route::Route::Browse, query: url };
    let back = crate::route::Location::from_hash(&location.to_hash());
    assert_eq!(Query::from_query(&back.query), full);
}

#[test]
fn malformed_or_unknown_url_values_are_ignored() {
    let url: BTreeMap<String, String> = [
        ("q", ""),
        ("task", "  "),
        ("commercial", "maybe"),
        ("derivatives", "0"),
        ("min", "-1"),
        ("max", "lots"),
        ("rating", "7"),
        ("weights", "plaintext"),
        ("sort", "random"),
        ("shown", "50"),
        ("colour", "blue"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(Query::from_query(&url), query());
    let zero_rating: BTreeMap<String, String> = [("rating".to_owned(), "0".to_owned())].into();
    assert_eq!(Query::from_query(&zero_rating).min_rating, None);
    let yes: BTreeMap<String, String> = [("commercial".to_owned(), "true".to_owned())].into();
    assert!(Query::from_query(&yes).commercial);
}

#[test]
fn ether_amounts_parse_as_typed() {
    assert_eq!(parse_ether("1"), Some(milli(1000)));
    assert_eq!(parse_ether(" 0.05 "), Some(milli(50)));
    assert_eq!(parse_ether(".5"), Some(milli(500)));
    assert_eq!(parse_ether("1,5"), Some(milli(1500)));
    assert_eq!(parse_ether("5."), Some(milli(5000)));
    assert_eq!(parse_ether("0.000000000000000001"), Some(U256::from(1)));
    assert_eq!(parse_ether("0.0000000000000000001"), None, "below one wei");
    for bad in ["", ".", "-1", "1e3", "abc", "1.2.3", "0x10"] {
        assert_eq!(parse_ether(bad), None, "{bad:?}");
    }
    assert_eq!(parse_ether(&"9".repeat(80)), None, "overflow");
}

#[test]
fn empty_results_say_why() {
    let commercial = Query { text: "foo".into(), commercial: true, ..query() };
    assert_eq!(
        explain_empty(&commercial, 5),
        "No model matches “foo” with commercial use allowed. Clear the search or the filters."
    );
    assert_eq!(
        explain_empty(&Query { text: " foo ".into(), ..query() }, 5),
        "No model matches “foo”. Try other words or clear the search."
    );
    let many = Query {
        task: Some("image-classification".into()),
        derivatives: true,
        min_price: Some(milli(10)),
        max_price: Some(milli(500)),
        min_rating: Some(1),
        weights: Weights::Encrypted,
        ..query()
    };
    assert_eq!(
        explain_empty(&many, 5),
        "No model matches for the task “image-classification”, with derivatives allowed, priced between 0.01 ETH and 0.5 ETH, \
         rated 1 star or more and with encrypted weights. Clear the filters."
    );
    assert_eq!(
        explain_empty(&Query { min_price: Some(milli(2000)), ..query() }, 5),
        "No model matches priced at least 2 ETH. Clear the filters."
    );
    assert!(
        explain_empty(&Query { min_price: Some(milli(50)), max_price: Some(milli(10)), ..query() }, 5)
            .contains("the lowest price is above the highest")
    );
    assert!(explain_empty(&commercial, 0).starts_with("No models are listed yet."));
}

#[test]
fn grid_texts() {
    let listings = catalogue();
    let s = |i: usize| &listings[i].summary;
    assert_eq!(price_range(s(0)), "0.01 ETH");
    assert_eq!(price_range(s(1)), "0.05–0.2 ETH");
    assert_eq!(price_range(s(2)), "Not for sale", "paused");
    assert_eq!(price_range(s(3)), "Free");
    assert_eq!(price_range(&summary(7, vec![tier(0, false, false), tier(100, true, false)])), "Free–0.1 ETH");
    assert_eq!(price_range(&summary(8, vec![])), "Not for sale");
    assert_eq!(rating_text(s(0)), "4.5 (2 reviews)");
    assert_eq!(rating_text(s(2)), "3.0 (1 review)");
    assert_eq!(rating_text(s(1)), "Not rated yet");
    assert_eq!(rating_stars(s(0)), "★★★★★", "4.5 rounds up");
    assert_eq!(rating_stars(s(2)), "★★★☆☆");
    assert_eq!(rating_stars(s(1)), "☆☆☆☆☆");
    let mut odd = summary(9, vec![]);
    (odd.ratingSum, odd.ratingCount) = (13, 3); // 4.333…
    assert_eq!(rating_text(&odd), "4.3 (3 reviews)");
    assert_eq!(rating_stars(&odd), "★★★★☆");
    // A creator's record: every review of every model, one rounding rule (4.45 → 4.5).
    assert_eq!(average_text(88, 20), "4.4 (20 reviews)");
    assert_eq!(average_text(89, 20), "4.5 (20 reviews)", "4.45 rounds half up");
    assert_eq!(average_text(0, 0), "Not rated yet");
    assert_eq!(sales_text(s(2)), "10 sales");
    assert_eq!(sales_text(s(1)), "No sales yet");
    assert_eq!(sales_text(&ModelSummary { sales: 1, ..summary(1, vec![]) }), "1 sale");
    assert_eq!(licence_badges(s(0)), vec![Badge::Commercial, Badge::OpenWeights]);
    assert_eq!(licence_badges(s(1)), vec![Badge::Commercial, Badge::Derivatives, Badge::OpenWeights]);
    assert_eq!(licence_badges(s(2)), vec![Badge::Encrypted], "paused tier offers nothing");
    assert_eq!(listings[0].name(), "Handwritten digits (8×8)");
    assert_eq!(listings[0].task(), Some("image-classification"));
    assert_eq!(listings[4].name(), "Model #5");
    assert_eq!(result_count(3, 3), "3 models");
    assert_eq!(result_count(1, 1), "1 model");
    assert_eq!(result_count(48, 10_000), "48 of 10,000 models");
    assert_eq!(result_count_at_least(48, 10_000), "48 of 10,000+ models");
    assert_eq!(show_more(9_952, true), "Show more (9,952 left)");
    assert_eq!(show_more(9_952, false), "Show more (9,952+ left)");
    assert_eq!(excerpt(" short ", 10), "short");
    assert_eq!(excerpt("Recognises a handwritten digit, 0–9", 33), "Recognises a handwritten digit…");
    assert_eq!(excerpt("unbroken", 4), "unbr…");
    assert_eq!(
        description_excerpt("A small **handwritten digits** classifier", 160),
        "A small handwritten digits classifier"
    );
    assert_eq!(description_excerpt("# Digits\n\nSee [the *paper*](https://example.org/p)", 18), "Digits See the…");
}

#[test]
fn card_text_reads_any_card_and_ignores_the_rest() {
    let digits: CardText = serde_json::from_str(
        r#"{"name":"Handwritten digits (8×8)","description":"d","licence":"MIT","io":{"version":1,"inputs":[],"outputs":[]}}"#,
    )
    .unwrap();
    assert_eq!((digits.name.as_str(), digits.task.as_str()), ("Handwritten digits (8×8)", ""));
    let with_tags: CardText =
        serde_json::from_str(r#"{"name":"x","task":"image-classification","tags":["a","b"],"metrics":{"acc":1}}"#)
            .unwrap();
    assert_eq!((with_tags.task.as_str(), with_tags.tags.len()), ("image-classification", 2));
    let bare: CardText = serde_json::from_str("{}").unwrap();
    assert_eq!(bare, CardText::default());
}

#[test]
fn the_first_page_resets_what_is_shown() {
    let more = Query { shown: PAGE * 4, commercial: true, ..query() };
    assert_eq!(more.clone().first_page(), Query { commercial: true, ..query() });
    assert!(more.is_filtered() && more.has_filters() && !more.needs_card());
    assert!(!query().is_filtered());
}

#[test]
fn a_reported_listing_carries_its_mark_until_the_case_closes() {
    use crate::contracts::IAssayModeration::Reason;
    let listing = Listing::new(summary(2, vec![tier(10, true, false)]), Card::Loading);
    assert_eq!(listing.report_mark(), None);
    let reported = listing.with_report(Some(Reason::Misrepresented));
    assert_eq!(reported.report_mark().unwrap(), "Reported: misrepresented — under review");
    // Still found and sold while under review.
    assert_eq!(ids(&[reported], &query()), vec![2]);
}
