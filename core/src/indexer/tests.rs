use super::*;

#[test]
fn the_indexer_serves_browse_within_a_few_blocks_of_the_chain() {
    assert_eq!(freshness(100, 100), Freshness::Fresh { behind: 0 });
    assert_eq!(freshness(95, 100), Freshness::Fresh { behind: 5 });
    assert_eq!(freshness(94, 100), Freshness::Lagging { behind: 6 });
    assert_eq!(freshness(101, 100), Freshness::Fresh { behind: 0 }, "ahead of a slower RPC node");
    assert_eq!(confirmed(freshness(80, 100), 0), Freshness::Fresh { behind: 20 }, "only empty blocks missed");
    assert_eq!(confirmed(freshness(80, 100), 1), Freshness::Lagging { behind: 20 });
    assert_eq!(confirmed(freshness(99, 100), 3), Freshness::Fresh { behind: 1 }, "a block or two is expected");
    assert!(ChainReason::Lagging { behind: 6 }.words().unwrap().contains("6 blocks behind"));
    assert_eq!(ChainReason::NotConfigured.words(), None);
}

#[test]
fn a_query_becomes_the_indexer_s_parameters_or_none() {
    let query = Query {
        text: "  hand   dig ".into(),
        task: Some("image-classification".into()),
        commercial: true,
        min_price: Some(U256::from(10u64.pow(15))),
        min_rating: Some(4),
        weights: Weights::Open,
        sort: Sort::PriceLow,
        ..Query::default()
    };
    let params = page_params(&query, 96).unwrap();
    let get = |k: &str| params.iter().find(|(key, _)| *key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("q"), Some("hand dig"));
    assert_eq!(get("limit"), Some("96"));
    assert_eq!(get("sort"), Some("price-low"));
    assert_eq!(get("task"), Some("image-classification"));
    assert_eq!(get("commercial"), Some("true"));
    assert_eq!(get("derivatives"), None);
    assert_eq!(get("minPrice"), Some("1000000000000000"));
    assert_eq!(get("minRating"), Some("4"));
    assert_eq!(get("encrypted"), Some("false"));
    assert_eq!(get("delisted"), Some("exclude"));
    let plain = page_params(&Query::default(), 48).unwrap();
    assert!(!plain.iter().any(|(k, _)| *k == "q"));
    for chain_only in [
        Query { reproduced: true, ..Query::default() },
        Query { territory: crate::terms::Territory::from_code("DE"), ..Query::default() },
        Query { without_personal_data: true, ..Query::default() },
    ] {
        assert_eq!(page_params(&chain_only, 48), None);
    }
}

#[test]
fn an_answer_reads_as_the_market_s_summaries() {
    let answer = r#"{"total": 236, "offset": 0, "limit": 1, "models": [{
        "id": "7", "owner": "0x00000000000000000000000000000000000000aa",
        "creator": "0x00000000000000000000000000000000000000bb", "manifestCid": "bafkreicard",
        "encrypted": false, "versionCount": 2, "royaltyBps": 500, "ratingSum": "9", "ratingCount": "2",
        "sales": "3", "delisted": false, "minPrice": "2000000000000000",
        "tiers": [{ "tierId": 0, "price": "2000000000000000", "duration": "0", "maxSupply": "3", "sold": "1",
                    "commercialUse": true, "derivativesAllowed": false, "transferable": true, "paused": false,
                    "termsCid": "bafkreiterms" }],
        "card": { "status": "ok", "name": "Digits", "task": "image-classification", "tags": [] } }]}"#;
    let page = read_page(answer).unwrap();
    assert_eq!(page.total, Total::Exact(236));
    let m = &page.models[0];
    assert_eq!((m.id, m.versionCount, m.royaltyBps, m.ratingSum, m.sales), (U256::from(7), 2, 500, 9, 3));
    assert_eq!(m.tiers[0].price, U96::from(2_000_000_000_000_000u64));
    assert_eq!((m.tiers[0].maxSupply, m.tiers[0].termsCid.as_str()), (3, "bafkreiterms"));
    assert!(read_page(r#"{"total": 1, "models": [{"id": "x"}]}"#).is_err());
    let bounded = read_page(r#"{"total": 10000, "totalExact": false, "models": []}"#).unwrap();
    assert_eq!(bounded.total, Total::AtLeast(10_000));
    assert_eq!((bounded.total.count(), bounded.total.is_exact()), (10_000, false));
    let counted = read_page(r#"{"total": "12", "totalExact": true, "models": []}"#).unwrap();
    assert_eq!(counted.total, Total::Exact(12));
    assert!(read_page("<html>").unwrap_err().contains("not what an Assay indexer answers"));
    // An indexer that does not give the badges: the page reads them from the chain.
    assert_eq!(page.badges, None);
}

#[test]
fn the_badges_are_read_for_every_listing_or_none() {
    let model = |id: u32, badges: &str| {
        format!(
            r#"{{"id": "{id}", "owner": "0x00000000000000000000000000000000000000aa",
            "creator": "0x00000000000000000000000000000000000000bb", "manifestCid": "bafkreicard",
            "encrypted": false, "versionCount": 1, "royaltyBps": 0, "ratingSum": "0", "ratingCount": "0",
            "sales": "0", "delisted": false, "tiers": []{badges}}}"#
        )
    };
    let page = |models: &[String]| format!(r#"{{"total": {}, "models": [{}]}}"#, models.len(), models.join(","));
    let both = page(&[
        model(1, r#", "reproduced": {"accounts": 3, "licensees": 1, "disputed": 2}, "report": null"#),
        model(2, r#", "reproduced": {"accounts": 0, "licensees": 0, "disputed": 0}, "report": 1"#),
    ]);
    let read = read_page(&both).unwrap();
    assert_eq!(
        read.badges,
        Some(vec![
            Badges { reproduced: Tally { reproduced: 3, reproduced_by_licensees: 1, disputed: 2 }, report: None },
            Badges { reproduced: Tally::default(), report: Some(Reason::MaliciousFile) },
        ])
    );
    // One listing without them: none are taken (the page reads all of them from the chain).
    let partly = page(&[
        model(1, r#", "reproduced": {"accounts": 1, "licensees": 0, "disputed": 0}, "report": null"#),
        model(2, ""),
    ]);
    assert_eq!(read_page(&partly).unwrap().badges, None);
    // A tally without its report, or a report without its tally, is not both.
    let half = page(&[model(1, r#", "report": null"#)]);
    assert_eq!(read_page(&half).unwrap().badges, None);
    // A reason the contracts do not have is an error, not a guess.
    let unknown = page(&[model(1, r#", "reproduced": {"accounts": 0, "licensees": 0, "disputed": 0}, "report": 9"#)]);
    assert!(read_page(&unknown).unwrap_err().contains("reason"));
}

#[test]
fn what_others_built_on_is_read() {
    let answer = r#"{"listings": [{"modelId": "5", "creator": "0x00000000000000000000000000000000000000cc"},
                    {"modelId": "9", "creator": "0x00000000000000000000000000000000000000dd"}]}"#;
    let read = read_built_on(answer).unwrap();
    assert_eq!(read.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [U256::from(5), U256::from(9)]);
    assert_eq!(read[1].1, Address::with_last_byte(0xdd));
    assert_eq!(read_built_on(r#"{"listings": []}"#), Ok(vec![]));
    assert!(read_built_on(r#"{"listings": [{"modelId": "x", "creator": "0x00"}]}"#).is_err());
    assert!(read_built_on("{}").unwrap_err().contains("not what an Assay indexer answers"));
}

#[test]
fn lineage_is_read() {
    let lineage = r#"{"parents": [], "children": [{"childId": "9", "parentId": "4", "bps": 1000, "licenceId": "0"},
                     {"childId": "5", "parentId": "4", "bps": 500, "licenceId": "2"}]}"#;
    assert_eq!(read_children(lineage), Ok(vec![U256::from(5), U256::from(9)]));
    assert!(read_children("{}").is_err());
}

#[test]
fn the_status_names_the_indexed_block() {
    assert_eq!(indexed_block(r#"{"assay": {"id": 31337, "block": {"number": 1234, "timestamp": 1}}}"#), Ok(1234));
    assert!(indexed_block("{}").is_err());
    assert!(indexed_block("not json").is_err());
}

#[test]
fn a_page_path_is_encoded_as_the_browser_encodes_it() {
    // Each value as `encodeURIComponent` writes it (checked in Chromium): spaces, reserved
    // characters and UTF-8 as %XX, `-_.!~*'()` as they are.
    let params = [("q", "digit recognizer".to_owned()), ("task", "ü&=?/#+".to_owned()), ("x", "a-_.!~*'()".to_owned())];
    assert_eq!(models_path(&params), "/api/models?q=digit%20recognizer&task=%C3%BC%26%3D%3F%2F%23%2B&x=a-_.!~*'()");
    assert_eq!(
        models_path(&catalogue_size_params()),
        "/api/models?offset=0&limit=1&delisted=include",
        "the catalogue's size: one listing of all, delisted ones included"
    );
}
