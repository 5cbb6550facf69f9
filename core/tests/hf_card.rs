//! Hugging Face model cards in and out, on excerpts of real cards (`tests/fixtures/hf/`).

use assay_core::hf_card::{LeftOut, ReadmeError, export, import};
use assay_inference::card::{
    Compliance, ComplianceSection, EvalResult, Evaluation, Feed, PersonalData, Provenance, Reading, RiskCategory,
    TrainingData,
};
use assay_inference::evaluation::MetricKind;

const DISTILBERT: &str = include_str!("fixtures/hf/distilbert-sst2.md");
const VIT: &str = include_str!("fixtures/hf/vit-base.md");
const MINILM: &str = include_str!("fixtures/hf/minilm.md");
const DIGITS: &str = include_str!("../../inference/cards/digits.json");

#[test]
fn real_cards_import_export_and_import_the_same() {
    for readme in [DISTILBERT, VIT, MINILM] {
        let first = import(readme).unwrap();
        let exported = export(&first.card);
        let again = import(&exported).unwrap();
        assert_eq!(again.card, first.card, "{exported}");
        assert!(again.left_out.is_empty(), "the export writes only what it reads: {:?}", again.left_out);
        assert_eq!(export(&again.card), exported);
        // The front matter parses back as YAML with the same keys as the card gives.
        let front = exported.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
        let meta: serde_yaml::Mapping = serde_yaml::from_str(front).unwrap();
        assert_eq!(meta.get("license").and_then(|l| l.as_str()), Some("apache-2.0"));
    }
}

#[test]
fn a_fine_tuned_text_classifier_keeps_its_licence_datasets_and_claim() {
    let imported = import(DISTILBERT).unwrap();
    let card = &imported.card;
    assert_eq!(card.name, "DistilBERT base uncased finetuned SST-2");
    assert_eq!(card.licence, "Apache-2.0");
    assert_eq!(card.tags, ["dataset:sst2", "dataset:glue", "language:en"]);
    assert!(card.description.starts_with("## Table of Contents"));
    assert!(card.description.contains("accuracy of 91.3 on the dev set"));
    let [result] = card.results.as_slice() else { panic!("one result: {:?}", card.results) };
    assert_eq!(result.provenance(), Provenance::SelfReported);
    assert_eq!(result.task.kind, "text-classification");
    assert_eq!((result.dataset.name.as_str(), result.dataset.split.as_deref()), ("glue (sst2)", Some("validation")));
    let kinds: Vec<MetricKind> = result.metrics.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MetricKind::Accuracy, MetricKind::F1]);
    assert!((result.metrics[0].value - 0.9105).abs() < 1e-3);
    result.check().unwrap();
    assert_eq!(imported.left_out, [LeftOut::Metric { kind: "loss".into(), dataset: "glue (sst2)".into() }]);
    assert!(imported.left_out[0].words().contains("loss result on glue (sst2)"));
}

#[test]
fn a_vision_card_drops_its_widget_with_a_notice() {
    let imported = import(VIT).unwrap();
    assert_eq!(imported.card.name, "Vision Transformer (base-sized model)");
    assert_eq!(imported.card.tags, ["vision", "image-classification", "dataset:imagenet-1k", "dataset:imagenet-21k"]);
    assert_eq!(imported.left_out, [LeftOut::Key("widget".into())]);
    assert!(imported.card.results.is_empty());
    assert!(imported.card.description.contains("## Intended uses & limitations"), "other sections stay in the text");
    assert_eq!(imported.filled(), "the name, the description, the licence and 4 tags");
    assert_eq!(imported.left_out_words().as_deref(), Some("`widget` (Assay cards have no place for it)"));
    assert_eq!(import(MINILM).unwrap().left_out_words(), None);
}

#[test]
fn the_pipeline_tag_is_the_task_and_the_library_a_tag() {
    let card = import(MINILM).unwrap().card;
    assert_eq!(card.task, "sentence-similarity");
    assert!(card.tags.contains(&"library:sentence-transformers".to_owned()));
    assert_eq!(card.name, "all-MiniLM-L6-v2");
    let exported = export(&card);
    assert!(exported.contains("library_name: sentence-transformers\n"));
    assert!(exported.contains("pipeline_tag: sentence-similarity\n"));
}

#[test]
fn base_models_other_licences_and_a_model_index_name_are_read() {
    let readme = "---\nlicense: other\nlicense_name: research-only\nlicense_link: https://example.org/terms\n\
                  base_model:\n- org/a\n- org/b\nmodel-index:\n- name: tiny-digits\n  results: []\n---\nA model.\n";
    let card = import(readme).unwrap().card;
    assert_eq!(card.name, "tiny-digits", "no title: the model-index name");
    assert_eq!(card.licence, "research-only (https://example.org/terms)");
    assert_eq!(card.source, "Based on org/a, org/b.");
    assert_eq!(card.tags, ["base_model:org/a", "base_model:org/b"]);
    let exported = export(&card);
    assert!(exported.contains("license: other\nlicense_name: research-only (https://example.org/terms)\n"));
    assert!(exported.contains("base_model:\n- org/a\n- org/b\n"));
    assert_eq!(import(&exported).unwrap().card, card);
    let single = import("---\nbase_model: org/a\n---\n# M\n").unwrap().card;
    assert_eq!(single.source, "Based on org/a.");
    assert!(export(&single).contains("base_model: org/a\n"));
}

#[test]
fn an_assay_card_exports_its_reproducible_claim_with_the_bundle_as_revision() {
    let mut card: assay_inference::ModelCard = serde_json::from_str(DIGITS).unwrap();
    let mut result: EvalResult = serde_json::from_value(serde_json::json!({
        "task": {"type": "image-classification"},
        "dataset": {"type": "sklearn-digits", "name": "scikit-learn digits", "split": "test", "revision": "bafkreibundle"},
        "metrics": [{"type": "accuracy", "value": 0.953}, {"type": "top_k_accuracy", "value": 0.99, "k": 3}]
    }))
    .unwrap();
    result.evaluation = Some(Evaluation {
        bundle: "bafkreibundle".into(),
        feeds: vec![Feed { array: "pixels".into(), input: "pixels".into() }],
        truth: "digit".into(),
        read: Reading::Argmax { output: "probabilities".into() },
        tolerance: 0.001,
    });
    card.results = vec![result.clone()];
    let exported = export(&card);
    let front = exported.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
    let meta: serde_yaml::Value = serde_yaml::from_str(front).unwrap();
    let hub = &meta["model-index"][0];
    assert_eq!(hub["name"].as_str(), Some(card.name.as_str()));
    assert_eq!(hub["results"][0]["dataset"]["revision"].as_str(), Some("bafkreibundle"));
    assert_eq!(hub["results"][0]["metrics"][1]["args"]["k"].as_u64(), Some(3));
    assert_eq!(meta["pipeline_tag"].as_str(), Some("image-classification"));
    let back = import(&exported).unwrap().card;
    assert_eq!(back.results, [EvalResult { evaluation: None, ..result }], "back in, the claim is self-reported");
    assert_eq!((back.intended_use, back.limitations), (card.intended_use.clone(), card.limitations.clone()));
    assert_eq!(back.description, card.description);
    assert_eq!(back.metrics, card.metrics, "measured figures come back from their section");
}

#[test]
fn a_compliance_section_goes_out_in_the_template_s_sections_and_comes_back_whole() {
    let mut card: assay_inference::ModelCard = serde_json::from_str(DIGITS).unwrap();
    let compliance = Compliance {
        risk_category: RiskCategory::Limited,
        out_of_scope: vec!["Identifying people".into(), "Reading cheques".into()],
        training_data: TrainingData {
            summary: "1,797 scanned digits.".into(),
            sources: vec!["UCI optdigits".into()],
            personal_data: PersonalData::Pseudonymised,
            licences: vec!["CC-BY-4.0".into()],
        },
        biases: "Writers from one institute.".into(),
        contact: "mailto:lab@example.org".into(),
        ..Compliance::default()
    };
    card.compliance = Some(ComplianceSection::Read(compliance.clone()));
    let exported = export(&card);
    for heading in [
        "## Out-of-Scope Use\n\n- Identifying people\n- Reading cheques",
        "## Bias, Risks, and Limitations",
        "## Training Data",
        "## Model Card Contact\n\nmailto:lab@example.org",
    ] {
        assert!(exported.contains(heading), "{heading} in {exported}");
    }
    assert!(exported.contains("Risk category (self-declared, after the EU AI Act): Limited risk"));
    assert!(exported.contains("- Personal data: Personal data, pseudonymised or anonymised"));
    let back = import(&exported).unwrap();
    assert_eq!(back.card.compliance, Some(ComplianceSection::Read(compliance)), "the front matter keeps it whole");
    assert_eq!(back.card.description, card.description, "its sections are not the description");
    assert!(back.left_out.is_empty(), "{:?}", back.left_out);
}

#[test]
fn a_hub_card_s_template_sections_fill_the_compliance_section() {
    let readme = "---\nlicense: mit\n---\n# Mail sorter\n\nSorts digits.\n\n## Uses\n\n### Out-of-Scope Use\n\n\
                  - Identifying people\n* Medical use\n\n## Bias, Risks, and Limitations\n\nFew writers.\n\n\
                  ## Training Details\n\n### Training Data\n\nScanned digits.\n\n## Model Card Contact\n\nlab@example.org\n";
    let card = import(readme).unwrap().card;
    let Some(ComplianceSection::Read(c)) = card.compliance else { panic!("no section: {:?}", card.compliance) };
    assert_eq!(c.out_of_scope, ["Identifying people", "Medical use"]);
    assert_eq!((c.biases.as_str(), c.training_data.summary.as_str()), ("Few writers.", "Scanned digits."));
    assert_eq!(c.contact, "lab@example.org");
    assert_eq!(c.risk_category, RiskCategory::NotAssessed, "the template asks no category");
    assert_eq!(c.training_data.personal_data, PersonalData::Unknown);
    assert!(c.problems().is_empty());
    // Real cards without those sections have none.
    assert_eq!(import(VIT).unwrap().card.compliance, None);
}

#[test]
fn malformed_readmes_are_refused_in_words() {
    assert_eq!(import("# Just a title\n").unwrap_err(), ReadmeError::NoFrontMatter);
    assert_eq!(import("---\nlicense: mit\n").unwrap_err(), ReadmeError::Unclosed);
    assert_eq!(import("---\n- a\n- b\n---\n").unwrap_err(), ReadmeError::NotAMapping);
    let yaml = import("---\nlicense: [mit\n---\n").unwrap_err();
    assert!(matches!(yaml, ReadmeError::Yaml(_)));
    assert!(yaml.to_string().starts_with("The front matter is not valid YAML: "), "{yaml}");
    let shapes = import("---\ntags: {a: 1}\nmodel-index: 3\n---\n# M\n").unwrap();
    assert_eq!(shapes.card.name, "M");
    let words: Vec<String> = shapes.left_out.iter().map(LeftOut::words).collect();
    assert_eq!(
        words,
        [
            "`tags` (expected a word or a list of words)",
            "`model-index` (expected a list of models with their results (task, dataset, metrics))"
        ]
    );
    assert_eq!(import("---\n---\n").unwrap().card.name, "", "empty metadata is no error");
}
