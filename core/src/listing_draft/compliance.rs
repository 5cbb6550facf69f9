//! The card's compliance section as typed in the card step: lists one entry a line (data licences
//! also comma-separated), the risk category and personal-data answers chosen. The section is
//! written once anything in it is answered; then its contact is required.

use assay_inference::card::{Compliance, ComplianceField, ComplianceSection, PersonalData, RiskCategory, TrainingData};
use serde::{Deserialize, Serialize};

use super::fields::{FieldError, FieldPath};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ComplianceFields {
    pub risk_category: RiskCategory,
    /// One use a line.
    pub out_of_scope: String,
    pub training_summary: String,
    /// One source a line.
    pub sources: String,
    pub personal_data: PersonalData,
    /// Comma-separated or one a line.
    pub data_licences: String,
    pub biases: String,
    pub contact: String,
}

impl ComplianceFields {
    /// Whether nothing was answered (the card then has no compliance section).
    pub fn is_blank(&self) -> bool {
        *self == Self::default()
    }

    /// The section these fields write; `None` while nothing is answered.
    pub fn section(&self) -> Option<Compliance> {
        (!self.is_blank()).then(|| Compliance {
            risk_category: self.risk_category,
            out_of_scope: lines(&self.out_of_scope),
            training_data: TrainingData {
                summary: self.training_summary.trim().to_owned(),
                sources: lines(&self.sources),
                personal_data: self.personal_data,
                licences: self
                    .data_licences
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            biases: self.biases.trim().to_owned(),
            contact: self.contact.trim().to_owned(),
            ..Compliance::default()
        })
    }

    /// The fields of a card's section (a previous version's, an imported card's); blank when the
    /// card has none or it can't be read.
    pub fn from_section(section: Option<&ComplianceSection>) -> Self {
        let Some(c) = section.and_then(|s| s.read().ok()) else { return Self::default() };
        Self {
            risk_category: c.risk_category,
            out_of_scope: c.out_of_scope.join("\n"),
            training_summary: c.training_data.summary.clone(),
            sources: c.training_data.sources.join("\n"),
            personal_data: c.training_data.personal_data,
            data_licences: c.training_data.licences.join(", "),
            biases: c.biases.clone(),
            contact: c.contact.clone(),
        }
    }

    /// The section's problems, each under `FieldPath::Compliance`.
    pub fn problems(&self) -> Vec<FieldError> {
        self.section()
            .map(|c| {
                c.problems().into_iter().map(|p| FieldError::new(FieldPath::Compliance(p.field), p.message)).collect()
            })
            .unwrap_or_default()
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// The risk categories a creator chooses from, as `(key, label)`.
pub fn risk_choices() -> impl Iterator<Item = (&'static str, &'static str)> {
    RiskCategory::ALL.into_iter().map(|c| (c.key(), c.label()))
}

/// The personal-data answers, as `(key, label)`.
pub fn personal_data_choices() -> impl Iterator<Item = (&'static str, &'static str)> {
    PersonalData::ALL.into_iter().map(|p| (p.key(), p.label()))
}

/// The field a compliance problem is shown under, by name (`card.compliance.contact`).
pub fn field_name(field: ComplianceField) -> &'static str {
    match field {
        ComplianceField::OutOfScope => "card.compliance.outOfScope",
        ComplianceField::TrainingSummary => "card.compliance.trainingSummary",
        ComplianceField::Sources => "card.compliance.sources",
        ComplianceField::DataLicences => "card.compliance.dataLicences",
        ComplianceField::Biases => "card.compliance.biases",
        ComplianceField::Contact => "card.compliance.contact",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed() -> ComplianceFields {
        ComplianceFields {
            risk_category: RiskCategory::Limited,
            out_of_scope: "Identifying people\n\n  Medical use  \n".into(),
            training_summary: " Scanned digits. ".into(),
            sources: "UCI optdigits".into(),
            personal_data: PersonalData::None,
            data_licences: "CC-BY-4.0, MIT\nODbL".into(),
            biases: "One institute's writers.".into(),
            contact: "lab@example.org".into(),
        }
    }

    #[test]
    fn blank_fields_write_no_section_and_answered_ones_a_version_1_section() {
        assert!(ComplianceFields::default().section().is_none());
        assert!(ComplianceFields::default().problems().is_empty(), "the section is optional");
        let section = typed().section().unwrap();
        assert_eq!(section.version, 1);
        assert_eq!(section.out_of_scope, ["Identifying people", "Medical use"]);
        assert_eq!(section.training_data.licences, ["CC-BY-4.0", "MIT", "ODbL"]);
        assert_eq!(section.training_data.summary, "Scanned digits.");
        assert!(typed().problems().is_empty());
    }

    #[test]
    fn once_anything_is_answered_the_contact_is_required() {
        let only_risk = ComplianceFields { risk_category: RiskCategory::High, ..ComplianceFields::default() };
        let problems = only_risk.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, FieldPath::Compliance(ComplianceField::Contact));
        assert_eq!(problems[0].path.to_string(), "card.compliance.contact");
    }

    #[test]
    fn fields_round_trip_through_a_card_s_section() {
        let section = ComplianceSection::Read(typed().section().unwrap());
        let back = ComplianceFields::from_section(Some(&section));
        assert_eq!(back.section(), typed().section());
        let later =
            ComplianceSection::Read(assay_inference::card::Compliance { version: 2, ..typed().section().unwrap() });
        assert!(ComplianceFields::from_section(Some(&later)).is_blank(), "a section this app can't read isn't copied");
        assert!(ComplianceFields::from_section(None).is_blank());
    }
}
