//! A model card → a Hugging Face `README.md`: front matter with the keys the import reads, then
//! `# Name`, the description, and the card's own sections (intended use, limitations, source,
//! measured figures, and the compliance section in Hugging Face's template sections: out-of-scope
//! use, bias, risks and limitations, training data, contact; whole under `assay_compliance` in the
//! front matter).

use assay_inference::card::ModelCard;
use serde_yaml::{Mapping, Value};

use super::import::{BASE_MODEL_TAG, COMPLIANCE_KEY, DATASET_TAG, LANGUAGE_TAG, LIBRARY_TAG};
use super::licence::{HubLicence, to_hub};
use super::model_index::model_index;
use super::readme::{BIASES, CONTACT, INTENDED_USE, LIMITATIONS, MEASURED, OUT_OF_SCOPE, SOURCE, TRAINING_DATA};

/// The card as a README.md.
pub fn export(card: &ModelCard) -> String {
    let mut meta = Mapping::new();
    let mut put = |key: &str, value: Value| {
        meta.insert(Value::String(key.to_owned()), value);
    };
    match to_hub(&card.licence) {
        _ if card.licence.trim().is_empty() => {}
        HubLicence::Id(id) => put("license", id.into()),
        HubLicence::Other(name) => {
            put("license", "other".into());
            put("license_name", name.into());
        }
    }
    let with = |prefix: &str| -> Vec<Value> {
        card.tags.iter().filter_map(|t| t.strip_prefix(prefix)).map(|t| Value::String(t.to_owned())).collect()
    };
    let prefixes = [BASE_MODEL_TAG, DATASET_TAG, LANGUAGE_TAG, LIBRARY_TAG];
    let plain: Vec<Value> = card
        .tags
        .iter()
        .filter(|t| !prefixes.iter().any(|p| t.starts_with(p)))
        .map(|t| Value::String(t.clone()))
        .collect();
    if !plain.is_empty() {
        put("tags", Value::Sequence(plain));
    }
    if !card.task.trim().is_empty() {
        put("pipeline_tag", card.task.trim().into());
    }
    let mut bases = with(BASE_MODEL_TAG);
    match bases.len() {
        0 => {}
        1 => put("base_model", bases.remove(0)),
        _ => put("base_model", Value::Sequence(bases)),
    }
    for (key, prefix) in [("datasets", DATASET_TAG), ("language", LANGUAGE_TAG)] {
        let values = with(prefix);
        if !values.is_empty() {
            put(key, Value::Sequence(values));
        }
    }
    if let Some(library) = with(LIBRARY_TAG).into_iter().next() {
        put("library_name", library);
    }
    let index = model_index(&card.name, &card.results);
    if !index.is_empty() {
        put("model-index", serde_yaml::to_value(index).expect("model-index serialises"));
    }

    let compliance = card.compliance.as_ref().and_then(|c| c.read().ok());
    if let Some(section) = &card.compliance {
        // Kept whole (even one this app can't read) so that an import gives it back.
        put(COMPLIANCE_KEY, serde_yaml::to_value(section).expect("a compliance section serialises"));
    }

    let yaml = if meta.is_empty() { String::new() } else { serde_yaml::to_string(&meta).expect("metadata serialises") };
    let mut readme = format!("---\n{yaml}---\n\n# {}\n", card.name.trim());
    let mut section = |heading: Option<&str>, text: &str| {
        if !text.trim().is_empty() {
            if let Some(heading) = heading {
                readme.push_str(&format!("\n## {heading}\n"));
            }
            readme.push_str(&format!("\n{}\n", text.trim()));
        }
    };
    section(None, &card.description);
    section(Some(INTENDED_USE), &card.intended_use);
    section(Some(LIMITATIONS), &card.limitations);
    section(Some(SOURCE), &card.source);
    let figures: Vec<String> = card.metrics.iter().map(|m| format!("- {}: {}", m.name, m.value)).collect();
    section(Some(MEASURED), &figures.join("\n"));
    if let Some(c) = compliance {
        let bullets = |items: &[String]| items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n");
        section(Some(OUT_OF_SCOPE), &bullets(&c.out_of_scope));
        let risk = format!(
            "Risk category (self-declared, after the EU AI Act): {}. {}",
            c.risk_category.label(),
            c.risk_category.meaning()
        );
        section(Some(BIASES), &format!("{}\n\n{risk}", c.biases.trim()));
        let data = &c.training_data;
        let mut facts = vec![format!("- Personal data: {}", data.personal_data.label())];
        if !data.sources.is_empty() {
            facts.push(format!("- Sources: {}", data.sources.join("; ")));
        }
        if !data.licences.is_empty() {
            facts.push(format!("- Data licences: {}", data.licences.join(", ")));
        }
        section(Some(TRAINING_DATA), &format!("{}\n\n{}", data.summary.trim(), facts.join("\n")));
        section(Some(CONTACT), &c.contact);
    }
    readme
}
