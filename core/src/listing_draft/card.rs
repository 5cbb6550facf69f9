//! The model card's descriptive fields as typed: checked, turned into the `ModelCard` a listing
//! publishes (open or encrypted weights), and filled from an existing card.

use assay_inference::IoSchema;
use assay_inference::card::{ComplianceSection, ENCRYPTION_FORMAT, Encryption, Metric, ModelCard};
use serde::{Deserialize, Serialize};

use super::compliance::ComplianceFields;
use super::fields::{CardField, FieldError, FieldPath};
use super::{Draft, MAX_NAME_CHARS};
use crate::ipfs::Cid;

/// The model card's descriptive fields as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CardFields {
    pub name: String,
    /// Markdown.
    pub description: String,
    pub task: String,
    /// Comma-separated.
    pub tags: String,
    /// An SPDX id (`MIT`, `Apache-2.0`) or the licence's text.
    pub licence: String,
    pub source: String,
    pub intended_use: String,
    pub limitations: String,
    pub metrics: Vec<MetricFields>,
    /// The compliance section (optional; see [`super::compliance`]).
    pub compliance: ComplianceFields,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetricFields {
    pub name: String,
    pub value: String,
}

/// A model card as uploaded (pretty JSON): the bytes whose CID the listing names.
pub fn card_bytes(card: &ModelCard) -> Vec<u8> {
    serde_json::to_vec_pretty(card).expect("a model card serialises")
}

impl Draft {
    /// The card step's problems.
    pub fn check_card(&self) -> Vec<FieldError> {
        let card = &self.card;
        let mut errors = Vec::new();
        let name = card.name.trim();
        let field = FieldPath::Card;
        if name.is_empty() {
            errors.push(FieldError::new(field(CardField::Name), "Give the model a name."));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                field(CardField::Name),
                format!("Keep the name to {MAX_NAME_CHARS} characters ({} now).", name.chars().count()),
            ));
        }
        if card.description.trim().is_empty() {
            errors.push(FieldError::new(
                field(CardField::Description),
                "Describe what the model does and how it was made.",
            ));
        }
        if card.task.trim().is_empty() {
            errors.push(FieldError::new(field(CardField::Task), "Choose the model's task, so buyers can find it."));
        }
        if card.licence.trim().is_empty() {
            errors.push(FieldError::new(
                field(CardField::Licence),
                "Name the weights' licence (an SPDX id such as MIT) or write its text.",
            ));
        }
        for (i, metric) in card.metrics.iter().enumerate() {
            if metric.name.trim().is_empty() != metric.value.trim().is_empty() {
                errors.push(FieldError::new(
                    FieldPath::Metric(i),
                    "A metric needs both what was measured and the value.",
                ));
            }
        }
        errors.extend(card.compliance.problems());
        errors
    }

    /// The model card this draft lists: the typed fields, the I/O schema, the model's CID, and
    /// the evaluation set's result when its figures were computed on the chosen file.
    pub fn card(&self, io: IoSchema, model_cid: &Cid) -> ModelCard {
        let fields = &self.card;
        let mut tags: Vec<String> = Vec::new();
        for tag in fields.tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.to_owned());
            }
        }
        // The claim is the figures computed on the chosen (plaintext) file, whatever is listed.
        let claimed = self.file.as_ref().and_then(|f| self.evaluation.result(&io, &f.cid, fields.task.trim()));
        ModelCard {
            name: fields.name.trim().to_owned(),
            description: fields.description.trim().to_owned(),
            licence: fields.licence.trim().to_owned(),
            source: fields.source.trim().to_owned(),
            model: Some(model_cid.to_string()),
            trial: None,
            encryption: None,
            task: fields.task.trim().to_owned(),
            tags,
            metrics: fields
                .metrics
                .iter()
                .filter(|m| !m.name.trim().is_empty())
                .map(|m| Metric { name: m.name.trim().to_owned(), value: m.value.trim().to_owned() })
                .collect(),
            results: claimed.into_iter().collect(),
            intended_use: fields.intended_use.trim().to_owned(),
            limitations: fields.limitations.trim().to_owned(),
            changelog: String::new(),
            compliance: fields.compliance.section().map(ComplianceSection::Read),
            io,
        }
    }

    /// The card of an encrypted listing: [`Draft::card`] naming the encrypted file as the model,
    /// its public trial file (if any) and what opens it.
    pub fn encrypted_card(
        &self,
        io: IoSchema,
        encrypted_cid: &Cid,
        trial_cid: Option<&Cid>,
        key_id: &str,
        size: u64,
    ) -> ModelCard {
        ModelCard {
            trial: trial_cid.map(Cid::to_string),
            encryption: Some(Encryption { format: ENCRYPTION_FORMAT.to_owned(), key_id: key_id.to_owned(), size }),
            ..self.card(io, encrypted_cid)
        }
    }

    /// Fills the descriptive fields from an existing card (a card JSON dropped on the form, or the
    /// previous version's when publishing a new one). The I/O schema is taken too.
    pub fn fill_from_card(&mut self, card: &ModelCard) {
        self.card = CardFields {
            name: card.name.clone(),
            description: card.description.clone(),
            task: card.task.clone(),
            tags: card.tags.join(", "),
            licence: card.licence.clone(),
            source: card.source.clone(),
            intended_use: card.intended_use.clone(),
            limitations: card.limitations.clone(),
            metrics: card
                .metrics
                .iter()
                .map(|m| MetricFields { name: m.name.clone(), value: m.value.clone() })
                .collect(),
            compliance: ComplianceFields::from_section(card.compliance.as_ref()),
        };
        self.io = serde_json::to_string_pretty(&card.io).expect("an I/O schema serialises");
    }

    /// Fills the descriptive fields from a card imported from a Hugging Face README: each field
    /// the README gave replaces what was typed, the others stay, and the I/O schema the model
    /// file gave is kept. Its self-reported results join the measured figures as typed
    /// (`Accuracy on glue (sst2), validation` → `0.91`).
    pub fn fill_from_hugging_face(&mut self, card: &ModelCard) {
        let fields = &mut self.card;
        for (field, value) in [
            (&mut fields.name, &card.name),
            (&mut fields.description, &card.description),
            (&mut fields.task, &card.task),
            (&mut fields.licence, &card.licence),
            (&mut fields.source, &card.source),
            (&mut fields.intended_use, &card.intended_use),
            (&mut fields.limitations, &card.limitations),
        ] {
            if !value.trim().is_empty() {
                value.clone_into(field);
            }
        }
        if !card.tags.is_empty() {
            fields.tags = card.tags.join(", ");
        }
        let imported = ComplianceFields::from_section(card.compliance.as_ref());
        if !imported.is_blank() {
            fields.compliance = imported;
        }
        let figures = card.metrics.iter().map(|m| MetricFields { name: m.name.clone(), value: m.value.clone() });
        let claimed = card.results.iter().flat_map(|r| {
            let on = match &r.dataset.split {
                Some(split) => format!("{}, {split}", r.dataset.name),
                None => r.dataset.name.clone(),
            };
            r.metrics.iter().map(move |m| MetricFields {
                name: format!("{} on {on}", m.name.clone().unwrap_or_else(|| m.kind.key().to_owned())),
                value: m.value.to_string(),
            })
        });
        let imported: Vec<MetricFields> = figures.chain(claimed).collect();
        if !imported.is_empty() {
            fields.metrics.retain(|m| !m.name.trim().is_empty());
            fields.metrics.extend(imported);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{DIGITS_CARD, paths};
    use super::*;
    use crate::ipfs::cid_of;

    #[test]
    fn a_card_round_trips_through_the_form() {
        let seeded: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&seeded);
        assert!(draft.check_card().is_empty());
        let io = draft.io_schema().unwrap();
        let card = draft.card(io, &cid_of(b"model"));
        assert_eq!(card, ModelCard { model: Some(cid_of(b"model").to_string()), ..seeded });
        assert_eq!(serde_json::from_slice::<ModelCard>(&card_bytes(&card)).unwrap(), card);
    }

    #[test]
    fn an_encrypted_card_names_the_encrypted_file_the_trial_and_the_key() {
        let seeded: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&seeded);
        draft.encrypt = true;
        let key_id = format!("0x{}", "01".repeat(32));
        let (encrypted, trial) = (cid_of(b"encrypted"), cid_of(b"trial"));
        let card = draft.encrypted_card(draft.io_schema().unwrap(), &encrypted, Some(&trial), &key_id, 1234);
        assert_eq!(card.model, Some(encrypted.to_string()));
        assert_eq!(card.trial_file(), Some(trial.to_string().as_str()));
        assert_eq!(card.encryption, Some(Encryption { format: "assay-enc-1".into(), key_id, size: 1234 }));
        assert_eq!(
            ModelCard { model: None, trial: None, encryption: None, ..card },
            ModelCard { model: None, ..seeded }
        );
        // A draft saved before encryption existed still loads, as open weights.
        let old = r#"{"version":1,"step":"card","file":null,"io":"","tiers":[]}"#;
        let loaded = Draft::from_json(old).unwrap();
        assert!(!loaded.encrypt && loaded.trial.is_none() && loaded.key_id.is_none());
    }

    #[test]
    fn the_card_is_built_from_trimmed_fields() {
        let draft = Draft {
            card: CardFields {
                name: "  Digits v2 ".into(),
                tags: "digits, Digits ,, mlp ".into(),
                metrics: vec![MetricFields { name: "accuracy".into(), value: "0.95".into() }, MetricFields::default()],
                ..CardFields::default()
            },
            ..Draft::default()
        };
        let io = IoSchema { version: 1, inputs: vec![], outputs: vec![] };
        let card = draft.card(io, &cid_of(b"m"));
        assert_eq!(card.name, "Digits v2");
        assert_eq!(card.tags, ["digits", "mlp"]);
        assert_eq!(card.metrics.len(), 1);
    }

    #[test]
    fn a_hugging_face_card_fills_the_fields_it_has_and_keeps_the_io_schema() {
        let readme = "---\nlicense: apache-2.0\npipeline_tag: text-classification\ntags: [sentiment]\n\
                      model-index:\n- name: m\n  results:\n  - task: {type: text-classification}\n    \
                      dataset: {type: glue, name: glue, split: validation}\n    \
                      metrics: [{type: accuracy, value: 0.91, name: Accuracy}]\n---\n# Sentiment\n\nReads a review.\n";
        let imported = crate::hf_card::import(readme).unwrap().card;
        let seeded: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&seeded);
        let io = draft.io.clone();
        draft.fill_from_hugging_face(&imported);
        assert_eq!(draft.io, io, "the model file's I/O schema stays");
        let card = &draft.card;
        assert_eq!(
            (card.name.as_str(), card.licence.as_str(), card.task.as_str()),
            ("Sentiment", "Apache-2.0", "text-classification")
        );
        assert_eq!(card.description, "Reads a review.");
        assert_eq!(card.tags, "sentiment");
        assert_eq!(card.intended_use, seeded.intended_use, "what the README does not say stays as typed");
        let last = card.metrics.last().unwrap();
        assert_eq!((last.name.as_str(), last.value.as_str()), ("Accuracy on glue, validation", "0.91"));
        assert_eq!(card.metrics.len(), seeded.metrics.len() + 1);
    }

    #[test]
    fn an_empty_card_says_what_is_missing() {
        let mut draft = Draft::default();
        assert_eq!(paths(&draft.check_card()), ["card.name", "card.description", "card.task", "card.licence"]);
        draft.card.name = "x".repeat(81);
        draft.card.metrics = vec![MetricFields { name: "accuracy".into(), value: String::new() }];
        let errors = draft.check_card();
        assert!(errors[0].message.contains("80 characters (81 now)"));
        assert!(errors.iter().any(|e| e.path == FieldPath::Metric(0)));
        assert!(Draft::default().io_schema().is_err());
    }
}
