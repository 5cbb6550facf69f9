//! Browse over 10,000 listings: building the listings from the catalogue and the cards, the
//! first page of the default view, a search with filters, and a change of sort.
//!
//! `cargo bench -p assay-core --bench browse -- --quick`; results in bench/RESULTS.md ("Browse").
//! This is the pure half on the host (release profile, as the app ships); the in-browser time to
//! first page and per filter change is measured by the e2e bench.

use std::hint::black_box;

use alloy_primitives::aliases::U96;
use alloy_primitives::{Address, U256};
use assay_core::browse::{self, Card, CardText, Listing, Query, Sort, Weights};
use assay_core::contracts::IAssayMarket::{ModelSummary, Tier};
use criterion::{Criterion, criterion_group, criterion_main};

const LISTINGS: usize = 10_000;
/// Distinct model cards: many listings share a manifest, as versions of a few models would.
const CARDS: usize = 600;

const TASKS: [&str; 6] = [
    "image-classification",
    "text-classification",
    "file-type-detection",
    "object-detection",
    "speech-recognition",
    "tabular-regression",
];
const WORDS: [&str; 16] = [
    "digits",
    "handwritten",
    "resnet",
    "tiny",
    "text",
    "direction",
    "paddleocr",
    "file",
    "type",
    "magika",
    "speech",
    "whisper",
    "yolo",
    "small",
    "distilled",
    "quantised",
];

/// A small deterministic generator (SplitMix64), so every run sees the same catalogue.
struct Seed(u64);

impl Seed {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cards(seed: &mut Seed) -> Vec<CardText> {
    (0..CARDS)
        .map(|i| {
            let pick = |seed: &mut Seed| WORDS[seed.below(WORDS.len() as u64) as usize];
            let name = format!("{} {} {} v{i}", pick(seed), pick(seed), pick(seed));
            let description = (0..24).map(|_| pick(seed)).collect::<Vec<_>>().join(" ");
            CardText {
                name,
                description,
                task: TASKS[seed.below(TASKS.len() as u64) as usize].to_owned(),
                tags: (0..3).map(|_| pick(seed).to_owned()).collect(),
                compliance: None,
            }
        })
        .collect()
}

fn summaries(seed: &mut Seed) -> Vec<ModelSummary> {
    (1..=LISTINGS as u64)
        .map(|id| {
            let tiers = (0..1 + seed.below(3))
                .map(|_| Tier {
                    price: U96::from(seed.below(2_000) * 1_000_000_000_000_000),
                    duration: 0,
                    maxSupply: if seed.below(4) == 0 { 10 } else { 0 },
                    sold: seed.below(12) as u32,
                    commercialUse: seed.below(2) == 0,
                    derivativesAllowed: seed.below(3) == 0,
                    transferable: true,
                    paused: seed.below(10) == 0,
                    termsCid: String::new(),
                })
                .collect();
            let rating_count = seed.below(40);
            ModelSummary {
                id: U256::from(id),
                owner: Address::with_last_byte((id % 200) as u8),
                creator: Address::with_last_byte((id % 200) as u8),
                manifestCid: format!("bafkreicard{}", seed.below(CARDS as u64)),
                encrypted: seed.below(5) == 0,
                versionCount: 1,
                royaltyBps: 0,
                ratingSum: rating_count * (1 + seed.below(5)),
                ratingCount: rating_count,
                sales: seed.below(500),
                tiers,
                delisted: false,
            }
        })
        .collect()
}

fn build(summaries: &[ModelSummary], cards: &[CardText]) -> Vec<Listing> {
    summaries
        .iter()
        .map(|s| {
            let index: usize = s.manifestCid.trim_start_matches("bafkreicard").parse().unwrap();
            Listing::new(s.clone(), Card::Read(cards[index].clone()))
        })
        .collect()
}

fn first_page(listings: &[Listing], query: &Query) -> Vec<usize> {
    let mut matches = browse::apply(listings, query);
    matches.truncate(query.shown);
    matches
}

fn bench(c: &mut Criterion) {
    let mut seed = Seed(7);
    let cards = cards(&mut seed);
    let summaries = summaries(&mut seed);
    let listings = build(&summaries, &cards);
    let searched = Query {
        text: "digits small".into(),
        commercial: true,
        min_rating: Some(3),
        weights: Weights::Open,
        ..Query::default()
    };
    let matched = browse::apply(&listings, &searched).len();
    eprintln!(
        "{LISTINGS} listings, {CARDS} cards; \"digits small\" + commercial + ≥3★ + open weights matches {matched}"
    );

    let mut group = c.benchmark_group("browse_10k");
    group.bench_function("build_listings", |b| b.iter(|| build(black_box(&summaries), black_box(&cards))));
    group.bench_function("first_page_default", |b| b.iter(|| first_page(black_box(&listings), &Query::default())));
    group.bench_function("search_and_filters", |b| b.iter(|| first_page(black_box(&listings), &searched)));
    group.bench_function("sort_price_low", |b| {
        b.iter(|| first_page(black_box(&listings), &Query { sort: Sort::PriceLow, ..Query::default() }))
    });
    group.bench_function("sort_rating", |b| {
        b.iter(|| first_page(black_box(&listings), &Query { sort: Sort::Rating, ..Query::default() }))
    });
    group.bench_function("tasks_for_filter", |b| b.iter(|| browse::tasks(black_box(&listings))));
    group.bench_function("url_round_trip", |b| b.iter(|| Query::from_query(&black_box(&searched).to_query())));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
