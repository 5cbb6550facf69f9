//! The listing wizard's draft: what a researcher has entered so far, kept in the browser until the
//! listing is minted (a reload, a failed upload or a rejected transaction loses nothing), each
//! step's checks with a sentence per problem, and what the draft becomes: the model card, the
//! licence terms documents, the publication's plan, the `listModel` call, and the split of a sale
//! it promises.
//!
//! - [`fields`]: where a problem is (`FieldPath`) and what it is (`FieldError`);
//! - [`card`]: the card's fields, checked, and the `ModelCard` they make;
//! - [`compliance`]: the card's compliance section as typed;
//! - [`download`]: the warning for a model file buyers will find large to download;
//! - [`tiers`]: licence tiers as typed and as the market takes them;
//! - [`evaluation`]: the evaluation set, its set-up, the figures computed, the result claimed;
//! - [`evaluation_data`]: the evaluation data's licence and source, said in its manifest;
//! - [`shares`]: co-authors, parents and royalty, checked; the split of a sale;
//! - [`publish_plan`]: the publication's phases in order, and the `listModel` call.

use std::collections::BTreeSet;

use assay_inference::IoSchema;

use crate::ipfs::Cid;
use serde::{Deserialize, Serialize};

pub mod card;
pub mod compliance;
pub mod download;
pub mod evaluation;
pub mod evaluation_data;
pub mod fields;
pub mod io_form;
pub mod publish_plan;
pub mod shares;
pub mod tiers;

#[cfg(test)]
mod test_support;

pub use card::{CardFields, MetricFields, card_bytes};
pub use compliance::ComplianceFields;
pub use evaluation::{Computed, EvaluationFields, MetricChoice, ReadingKind, Setup};
pub use evaluation_data::DataField;
pub use fields::{
    CardField, CoAuthorField, EvaluationField, FieldError, FieldPath, ParentField, Row, Shown, TierField, errors_of,
};
pub use publish_plan::{Phase, PlannedPhase, PublishPlan, Upload, listing_call};
pub use shares::{CoAuthorFields, ParentFields, Shares, percent_to_bps, sale_split};
pub use tiers::{ParsedTier, TierFields, parse_duration_days, parse_price, parse_supply};

/// The draft format this code reads and writes; an older one is started afresh.
pub const DRAFT_VERSION: u32 = 1;
/// The market's limits (`AssayMarket.sol`), checked here first so the form can say so.
pub const MAX_ROYALTY_BPS: u16 = 1_000;
pub const MAX_CO_AUTHORS: usize = 8;
pub const MAX_PARENTS: usize = 4;
pub const MAX_TIERS: usize = 16;
/// Longest model name the catalogue shows whole.
pub const MAX_NAME_CHARS: usize = 80;

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    #[default]
    File,
    Io,
    Try,
    Card,
    Tiers,
    Shares,
    Review,
    Publish,
}

impl Step {
    pub const ALL: [Step; 8] =
        [Step::File, Step::Io, Step::Try, Step::Card, Step::Tiers, Step::Shares, Step::Review, Step::Publish];

    pub fn title(self) -> &'static str {
        match self {
            Step::File => "Model file",
            Step::Io => "Inputs and outputs",
            Step::Try => "Try it",
            Step::Card => "Model card",
            Step::Tiers => "Licence tiers",
            Step::Shares => "Co-authors and parents",
            Step::Review => "Review",
            Step::Publish => "Publish",
        }
    }

    /// A stable name for the step (test ids, anchors).
    pub fn slug(self) -> &'static str {
        match self {
            Step::File => "file",
            Step::Io => "io",
            Step::Try => "try",
            Step::Card => "card",
            Step::Tiers => "tiers",
            Step::Shares => "shares",
            Step::Review => "review",
            Step::Publish => "publish",
        }
    }

    pub fn next(self) -> Option<Step> {
        Self::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Self::ALL[i])
    }

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).expect("every step is listed")
    }
}

/// The chosen model file: its name and size as chosen, and its CID (computed in the browser);
/// the bytes themselves are kept beside the draft (IndexedDB), not in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftFile {
    pub name: String,
    pub size: u64,
    pub cid: Cid,
}

/// Everything the wizard has been told, and what it has already uploaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Draft {
    pub version: u32,
    /// The furthest step reached (where a reload resumes).
    pub step: Step,
    pub file: Option<DraftFile>,
    /// The I/O schema as JSON text (proposed from the model, then edited).
    pub io: String,
    pub card: CardFields,
    pub tiers: Vec<TierFields>,
    /// NFT resale royalty, percent as typed.
    pub royalty: String,
    pub co_authors: Vec<CoAuthorFields>,
    pub parents: Vec<ParentFields>,
    /// CIDs the upload API has confirmed: not sent again on a retry.
    pub uploaded: BTreeSet<Cid>,
    /// Encrypt the weights: the file is encrypted in the browser at publication, only licence
    /// holders get its key, and a public trial file can be listed beside it.
    pub encrypt: bool,
    /// An encrypted listing's public trial file (same inputs and outputs as the model).
    pub trial: Option<DraftFile>,
    /// The content key's name (`0x` + 64 hex), chosen once per draft: a retried publication
    /// re-derives the same key, so the commitment and the encrypted file agree.
    pub key_id: Option<String>,
    /// The evaluation set the card's reproducible claim is computed on (none by default).
    pub evaluation: EvaluationFields,
}

impl Default for Draft {
    fn default() -> Self {
        Self {
            version: DRAFT_VERSION,
            step: Step::File,
            file: None,
            io: String::new(),
            card: CardFields::default(),
            tiers: vec![TierFields::research(), TierFields::commercial()],
            royalty: "5".into(),
            co_authors: Vec::new(),
            parents: Vec::new(),
            uploaded: BTreeSet::new(),
            encrypt: false,
            trial: None,
            key_id: None,
            evaluation: EvaluationFields::default(),
        }
    }
}

impl Draft {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a draft serialises")
    }

    /// The draft saved as `text`; `None` when it is unreadable or of another format version
    /// (the wizard then starts afresh).
    pub fn from_json(text: &str) -> Option<Self> {
        let draft: Self = serde_json::from_str(text).ok()?;
        (draft.version == DRAFT_VERSION).then_some(draft)
    }

    /// The I/O schema, checked on its own (the model check is the worker's).
    pub fn io_schema(&self) -> Result<IoSchema, FieldError> {
        IoSchema::from_json(&self.io).map_err(|e| FieldError::new(FieldPath::Io, e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::journey_draft;
    use super::*;

    #[test]
    fn a_draft_survives_a_reload_and_an_old_format_is_started_afresh() {
        let mut draft = journey_draft();
        draft.step = Step::Shares;
        let model = crate::ipfs::cid_of(b"model");
        draft.file = Some(DraftFile { name: "digits.onnx".into(), size: 12_345, cid: model.clone() });
        draft.uploaded.insert(model);
        assert_eq!(Draft::from_json(&draft.to_json()), Some(draft.clone()));
        let old = draft.to_json().replace(&format!("\"version\":{DRAFT_VERSION}"), "\"version\":0");
        assert_eq!(Draft::from_json(&old), None);
        assert_eq!(Draft::from_json("{not json"), None);
        // Fields added later default rather than failing the whole draft.
        assert_eq!(Draft::from_json(&format!("{{\"version\":{DRAFT_VERSION}}}")).unwrap().tiers.len(), 2);
    }

    #[test]
    fn the_saved_format_keeps_its_field_names() {
        let mut draft = journey_draft();
        draft.tiers[0].duration_days = "30".into();
        draft.encrypt = true;
        draft.key_id = Some("0x01".into());
        let json: serde_json::Value = serde_json::from_str(&draft.to_json()).unwrap();
        let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "card",
                "coAuthors",
                "encrypt",
                "evaluation",
                "file",
                "io",
                "keyId",
                "parents",
                "royalty",
                "step",
                "tiers",
                "trial",
                "uploaded",
                "version"
            ]
        );
        assert_eq!(json["tiers"][0]["durationDays"], "30");
        assert_eq!(json["parents"][0]["modelId"], "1");
        assert_eq!(json["step"], "file");
    }

    #[test]
    fn steps_go_in_order() {
        assert_eq!(Step::File.next(), Some(Step::Io));
        assert_eq!(Step::Publish.next(), None);
        assert_eq!(Step::File.previous(), None);
        assert_eq!(Step::Review.previous(), Some(Step::Shares));
        assert!(Step::Try < Step::Card);
        assert_eq!(Step::ALL.iter().map(|s| s.index()).collect::<Vec<_>>(), (0..8).collect::<Vec<_>>());
    }

    #[test]
    fn a_bad_io_schema_is_the_io_fields_problem() {
        assert_eq!(Draft::default().io_schema().unwrap_err().path, FieldPath::Io);
    }
}
