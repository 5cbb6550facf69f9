//! A Hugging Face README → a model card's descriptive fields (the I/O section is left empty: the
//! model file says what it takes), and what was left out, each named.

use assay_inference::card::{Compliance, ComplianceSection, Metric, ModelCard, TrainingData};
use assay_inference::{IoSchema, card::IO_VERSION};
use serde_yaml::Value;

use super::model_index::{HubModel, results_of};
use super::readme::{read_body, split};
use super::{LeftOut, ReadmeError, licence};

/// The front-matter key an exported README keeps the card's compliance section under (the Hub
/// keeps keys it doesn't know).
pub const COMPLIANCE_KEY: &str = "assay_compliance";

/// Tag prefixes the Hub itself uses for the metadata Assay keeps as tags.
pub const BASE_MODEL_TAG: &str = "base_model:";
pub const DATASET_TAG: &str = "dataset:";
pub const LANGUAGE_TAG: &str = "language:";
pub const LIBRARY_TAG: &str = "library:";

/// A README read: the card (no I/O section), and what it does not keep.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub card: ModelCard,
    pub left_out: Vec<LeftOut>,
}

impl Imported {
    /// What the README filled, in words (`the name, the description, the licence, 4 tags`).
    pub fn filled(&self) -> String {
        let card = &self.card;
        let mut filled: Vec<String> = [
            ("the name", &card.name),
            ("the description", &card.description),
            ("the task", &card.task),
            ("the licence", &card.licence),
            ("the source", &card.source),
            ("the intended use", &card.intended_use),
            ("the limitations", &card.limitations),
        ]
        .into_iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(what, _)| what.to_owned())
        .collect();
        let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if !card.tags.is_empty() {
            filled.push(count(card.tags.len(), "tag", "tags"));
        }
        let figures = card.metrics.len() + card.results.iter().map(|r| r.metrics.len()).sum::<usize>();
        if figures > 0 {
            filled.push(count(figures, "self-reported figure", "self-reported figures"));
        }
        match filled.split_last() {
            None => "nothing".to_owned(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// What was left out, in words; `None` when nothing was.
    pub fn left_out_words(&self) -> Option<String> {
        (!self.left_out.is_empty()).then(|| self.left_out.iter().map(LeftOut::words).collect::<Vec<_>>().join("; "))
    }
}

/// Reads a Hugging Face `README.md`.
pub fn import(text: &str) -> Result<Imported, ReadmeError> {
    let readme = split(text)?;
    let metadata: Value = serde_yaml::from_str(readme.front_matter).map_err(|e| ReadmeError::Yaml(e.to_string()))?;
    let metadata = match metadata {
        Value::Mapping(map) => map,
        Value::Null => serde_yaml::Mapping::new(),
        _ => return Err(ReadmeError::NotAMapping),
    };
    let mut left_out = Vec::new();
    let mut licence_id = None;
    let (mut licence_name, mut licence_link) = (None, None);
    let (mut tags, mut bases, mut datasets, mut languages) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut task, mut library) = (String::new(), None);
    let mut models: Vec<HubModel> = Vec::new();
    let mut compliance = None;
    for (key, value) in &metadata {
        let Some(key) = key.as_str() else {
            left_out.push(LeftOut::Key(serde_yaml::to_string(key).unwrap_or_default().trim().to_owned()));
            continue;
        };
        let shape = |expected| LeftOut::Shape { key: key.to_owned(), expected };
        let text = || words(value).ok_or_else(|| shape("a word"));
        let list = || list(value).ok_or_else(|| shape("a word or a list of words"));
        let read: Result<(), LeftOut> = match key {
            "license" => text().map(|t| licence_id = Some(t)),
            "license_name" => text().map(|t| licence_name = Some(t)),
            "license_link" => text().map(|t| licence_link = Some(t)),
            "pipeline_tag" => text().map(|t| task = t),
            "library_name" => text().map(|t| library = Some(t)),
            "tags" => list().map(|l| tags = l),
            "base_model" => list().map(|l| bases = l),
            "datasets" => list().map(|l| datasets = l),
            "language" => list().map(|l| languages = l),
            COMPLIANCE_KEY => serde_yaml::from_value::<ComplianceSection>(value.clone())
                .map(|c| compliance = Some(c))
                .map_err(|_| shape("Assay's compliance section")),
            "model-index" => serde_yaml::from_value(value.clone())
                .map(|m| models = m)
                .map_err(|_| shape("a list of models with their results (task, dataset, metrics)")),
            other => Err(LeftOut::Key(other.to_owned())),
        };
        if let Err(left) = read {
            left_out.push(left);
        }
    }

    let licence = match licence_id.as_deref() {
        Some("other") | None => licence_name.unwrap_or_else(|| licence_id.clone().unwrap_or_default()),
        Some(id) => licence::from_hub(id),
    };
    let licence = match licence_link {
        Some(link) if !licence.contains(&link) => format!("{licence} ({link})"),
        _ => licence,
    };
    let prefixed = |prefix: &str, values: &[String]| values.iter().map(|v| format!("{prefix}{v}")).collect::<Vec<_>>();
    let mut all_tags: Vec<String> = Vec::new();
    for tag in tags
        .into_iter()
        .chain(prefixed(BASE_MODEL_TAG, &bases))
        .chain(prefixed(DATASET_TAG, &datasets))
        .chain(prefixed(LANGUAGE_TAG, &languages))
        .chain(prefixed(LIBRARY_TAG, library.as_slice()))
    {
        if !all_tags.contains(&tag) {
            all_tags.push(tag);
        }
    }

    let body = read_body(readme.body);
    let body = &body;
    let results = results_of(&models, &mut left_out);
    let source = if body.source.is_empty() && !bases.is_empty() {
        format!("Based on {}.", bases.join(", "))
    } else {
        body.source.clone()
    };
    let name = body.title.clone().or_else(|| models.first().map(|m| m.name.clone())).unwrap_or_default();
    let card = ModelCard {
        description: body.description.clone(),
        licence,
        source,
        task,
        tags: all_tags,
        results,
        intended_use: body.intended_use.clone(),
        limitations: body.limitations.clone(),
        compliance: compliance.or_else(|| from_sections(body).map(ComplianceSection::Read)),
        metrics: body.metrics.iter().map(|(name, value)| Metric { name: name.clone(), value: value.clone() }).collect(),
        ..ModelCard::new(name, IoSchema { version: IO_VERSION, inputs: Vec::new(), outputs: Vec::new() })
    };
    Ok(Imported { card, left_out })
}

/// A compliance section from Hugging Face's template sections (out-of-scope uses a bullet each,
/// biases, the training data, the contact), when the README has any; its risk category and
/// personal-data answer are left unassessed and unknown, as the template asks neither.
fn from_sections(body: &super::readme::Body) -> Option<Compliance> {
    let sections = [&body.out_of_scope, &body.biases, &body.training_data, &body.contact];
    if sections.iter().all(|s| s.trim().is_empty()) {
        return None;
    }
    let out_of_scope = body
        .out_of_scope
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    Some(Compliance {
        out_of_scope,
        training_data: TrainingData { summary: body.training_data.clone(), ..TrainingData::default() },
        biases: body.biases.clone(),
        contact: body.contact.lines().next().unwrap_or_default().trim().to_owned(),
        ..Compliance::default()
    })
}

/// A scalar as text (`apache-2.0`, `en`, a number written bare).
fn words(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One word or a list of them.
fn list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Sequence(items) => items.iter().map(words).collect(),
        Value::Null => Some(Vec::new()),
        scalar => words(scalar).map(|w| vec![w]),
    }
}
