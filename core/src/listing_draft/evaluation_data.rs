//! The evaluation data's licence and source, as the creator says them: a bundle built in the
//! wizard from `.npy` files or a CSV table has neither, and a dropped one may say them wrongly.
//! Both are written into the manifest kept in the draft (so into the published one, whose CID is
//! the bundle's); both must be said before the figures are computed.

use assay_inference::evaluation::Manifest;

use super::evaluation::EvaluationFields;
use super::fields::{EvaluationField, FieldError, FieldPath};

/// What the evaluation data's manifest says about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataField {
    Licence,
    Source,
}

impl DataField {
    fn of(self, manifest: &mut Manifest) -> &mut String {
        match self {
            DataField::Licence => &mut manifest.licence,
            DataField::Source => &mut manifest.source,
        }
    }
}

impl EvaluationFields {
    /// The manifest's licence or source, as the form shows it (empty without a manifest).
    pub fn data(&self, field: DataField) -> String {
        self.manifest().map(|mut m| field.of(&mut m).clone()).unwrap_or_default()
    }

    /// Writes the licence or source into the manifest (nothing without one).
    pub fn set_data(&mut self, field: DataField, value: String) {
        if let Ok(mut manifest) = self.manifest() {
            *field.of(&mut manifest) = value;
            self.manifest = manifest.to_json();
        }
    }

    /// A licence and a source unsaid.
    pub(super) fn data_problems(manifest: &Manifest) -> Vec<FieldError> {
        let mut problems = Vec::new();
        if manifest.licence.trim().is_empty() {
            problems.push(FieldError::new(
                FieldPath::Evaluation(EvaluationField::Licence),
                "Say under which licence the evaluation data may be used (an SPDX id such as CC-BY-4.0, or words).",
            ));
        }
        if manifest.source.trim().is_empty() {
            problems.push(FieldError::new(
                FieldPath::Evaluation(EvaluationField::Source),
                "Say where the evaluation data comes from.",
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use assay_inference::ModelCard;
    use assay_inference::evaluation::{BundleLimits, assemble};

    use super::super::test_support::{DIGITS_CARD, paths};
    use super::super::{Draft, DraftFile};
    use super::*;
    use crate::ipfs::cid_of;

    #[test]
    fn a_built_bundle_needs_its_licence_and_source_before_anything_is_computed() {
        let card: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&card);
        draft.file = Some(DraftFile { name: "digits.onnx".into(), size: 10, cid: cid_of(b"model") });
        let mut table = String::from("a,b,digit\n");
        table.push_str("1,2,3\n4,5,6\n");
        let files = [("digits.csv".to_owned(), table.into_bytes())].into();
        let (manifest, arrays) = assemble(files, &BundleLimits::default()).unwrap();
        let kept = arrays
            .iter()
            .map(|(name, bytes)| DraftFile { name: name.clone(), size: bytes.len() as u64, cid: cid_of(bytes) })
            .collect();
        draft.evaluation.take_bundle(manifest.to_json(), kept, Some(&card.io));
        let errors = draft.check_evaluation();
        // The digits model takes 64 values; this table has 2: no feed, and nothing said.
        assert_eq!(paths(&errors), ["evaluation.feeds", "evaluation.licence", "evaluation.source"]);
        let before = draft.evaluation.published().unwrap().1;
        draft.evaluation.set_data(DataField::Licence, "CC0-1.0".into());
        draft.evaluation.set_data(DataField::Source, "typed in".into());
        assert_eq!(draft.evaluation.data(DataField::Licence), "CC0-1.0");
        assert_eq!(paths(&draft.check_evaluation()), ["evaluation.feeds"]);
        let (published, after) = draft.evaluation.published().unwrap();
        assert_eq!((published.licence.as_str(), published.source.as_str()), ("CC0-1.0", "typed in"));
        assert_ne!(before, after, "the published manifest, so the bundle's CID, says them");
    }
}
