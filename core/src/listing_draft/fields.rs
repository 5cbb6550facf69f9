//! Where a problem of the form is: a typed path to the field (`FieldPath`), and the problem as a
//! sentence for the person (`FieldError`). The page finds the errors to show beside an input or
//! a row with [`errors_of`]; the dotted text of a path (`tiers.0.price`) is only its name in the
//! DOM (`data-field`).

use std::fmt;

/// A field of the model card step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CardField {
    Name,
    Description,
    Task,
    Licence,
}

/// A field of a licence tier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TierField {
    Title,
    Terms,
    Price,
    DurationDays,
    Supply,
    Territories,
}

/// A field of a co-author's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CoAuthorField {
    Account,
    Percent,
}

/// A field of a parent model's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParentField {
    ModelId,
    Percent,
}

/// A field of the card step's evaluation set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvaluationField {
    /// The dropped bundle itself (its manifest, its files).
    Bundle,
    Feeds,
    Truth,
    Output,
    Threshold,
    Tolerance,
    Metrics,
    /// The figures computed on the model file.
    Computed,
    /// The evaluation data's licence, in its manifest.
    Licence,
    /// Where the evaluation data comes from, in its manifest.
    Source,
}

/// The field a problem is about. Indices count rows from 0, as the draft's lists do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldPath {
    /// The model file (step 1).
    File,
    /// The I/O schema's text.
    Io,
    Card(CardField),
    /// The card's metric `i` (what was measured and its value, as one).
    Metric(usize),
    Evaluation(EvaluationField),
    /// A field of the card's compliance section.
    Compliance(assay_inference::card::ComplianceField),
    /// The list of tiers itself (none, too many).
    Tiers,
    Tier(usize, TierField),
    /// The NFT's resale royalty.
    Royalty,
    /// The list of co-authors itself (too many).
    CoAuthors,
    CoAuthor(usize, CoAuthorField),
    /// The list of parents itself (too many).
    Parents,
    Parent(usize, ParentField),
    /// Parents' and co-authors' shares together.
    SharesTotal,
}

/// One row of a list in the form: it shows the problems of all its fields together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    Tier(usize),
    CoAuthor(usize),
    Parent(usize),
}

impl FieldPath {
    /// The row this field belongs to, if it is one of a list's.
    pub fn row(self) -> Option<Row> {
        match self {
            FieldPath::Tier(i, _) => Some(Row::Tier(i)),
            FieldPath::CoAuthor(i, _) => Some(Row::CoAuthor(i)),
            FieldPath::Parent(i, _) => Some(Row::Parent(i)),
            _ => None,
        }
    }
}

/// The path's name in the page (`card.name`, `tiers.0.price`, `coAuthors.1.account`,
/// `shares.total`): the `data-field` of its error.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldPath::File => f.write_str("file"),
            FieldPath::Io => f.write_str("io"),
            FieldPath::Card(field) => f.write_str(match field {
                CardField::Name => "card.name",
                CardField::Description => "card.description",
                CardField::Task => "card.task",
                CardField::Licence => "card.licence",
            }),
            FieldPath::Metric(i) => write!(f, "card.metrics.{i}"),
            FieldPath::Compliance(field) => f.write_str(super::compliance::field_name(*field)),
            FieldPath::Evaluation(field) => f.write_str(match field {
                EvaluationField::Bundle => "evaluation.bundle",
                EvaluationField::Feeds => "evaluation.feeds",
                EvaluationField::Truth => "evaluation.truth",
                EvaluationField::Output => "evaluation.output",
                EvaluationField::Threshold => "evaluation.threshold",
                EvaluationField::Tolerance => "evaluation.tolerance",
                EvaluationField::Metrics => "evaluation.metrics",
                EvaluationField::Computed => "evaluation.computed",
                EvaluationField::Licence => "evaluation.licence",
                EvaluationField::Source => "evaluation.source",
            }),
            FieldPath::Tiers => f.write_str("tiers"),
            FieldPath::Tier(i, field) => {
                let name = match field {
                    TierField::Title => "title",
                    TierField::Terms => "terms",
                    TierField::Price => "price",
                    TierField::DurationDays => "durationDays",
                    TierField::Supply => "supply",
                    TierField::Territories => "excludedTerritories",
                };
                write!(f, "tiers.{i}.{name}")
            }
            FieldPath::Royalty => f.write_str("royalty"),
            FieldPath::CoAuthors => f.write_str("coAuthors"),
            FieldPath::CoAuthor(i, field) => {
                let name = match field {
                    CoAuthorField::Account => "account",
                    CoAuthorField::Percent => "percent",
                };
                write!(f, "coAuthors.{i}.{name}")
            }
            FieldPath::Parents => f.write_str("parents"),
            FieldPath::Parent(i, field) => {
                let name = match field {
                    ParentField::ModelId => "modelId",
                    ParentField::Percent => "percent",
                };
                write!(f, "parents.{i}.{name}")
            }
            FieldPath::SharesTotal => f.write_str("shares.total"),
        }
    }
}

/// One problem of the form: the field it is about and a sentence for the person. Never stored
/// (a saved draft is checked again when it is read back).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: FieldPath,
    pub message: String,
}

impl FieldError {
    pub fn new(path: FieldPath, message: impl Into<String>) -> Self {
        Self { path, message: message.into() }
    }
}

/// Where errors are shown: beside one field, or under a row (all of the row's fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shown {
    Field(FieldPath),
    Row(Row),
}

impl From<FieldPath> for Shown {
    fn from(path: FieldPath) -> Self {
        Shown::Field(path)
    }
}

impl From<Row> for Shown {
    fn from(row: Row) -> Self {
        Shown::Row(row)
    }
}

impl Shown {
    /// Whether an error at `path` is shown here. A list's own problems (`Tiers`) are not its
    /// rows': each tier's are shown at the tier.
    pub fn shows(self, path: FieldPath) -> bool {
        match self {
            Shown::Field(field) => field == path,
            Shown::Row(row) => path.row() == Some(row),
        }
    }
}

/// The errors to show at `at`: one field's, or a whole row's.
pub fn errors_of(errors: &[FieldError], at: impl Into<Shown>) -> impl Iterator<Item = &FieldError> {
    let at = at.into();
    errors.iter().filter(move |e| at.shows(e.path))
}

/// The value, or `None` with the message noted under `path`.
pub(crate) fn noted<T>(errors: &mut Vec<FieldError>, path: FieldPath, result: Result<T, String>) -> Option<T> {
    result.map_err(|message| errors.push(FieldError::new(path, message))).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_keep_their_names_in_the_page() {
        let names: Vec<String> = [
            FieldPath::File,
            FieldPath::Io,
            FieldPath::Card(CardField::Name),
            FieldPath::Card(CardField::Licence),
            FieldPath::Metric(2),
            FieldPath::Tiers,
            FieldPath::Tier(0, TierField::Price),
            FieldPath::Tier(10, TierField::DurationDays),
            FieldPath::Royalty,
            FieldPath::CoAuthors,
            FieldPath::CoAuthor(1, CoAuthorField::Account),
            FieldPath::Parents,
            FieldPath::Parent(3, ParentField::ModelId),
            FieldPath::SharesTotal,
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            names,
            [
                "file",
                "io",
                "card.name",
                "card.licence",
                "card.metrics.2",
                "tiers",
                "tiers.0.price",
                "tiers.10.durationDays",
                "royalty",
                "coAuthors",
                "coAuthors.1.account",
                "parents",
                "parents.3.modelId",
                "shares.total"
            ]
        );
    }

    #[test]
    fn errors_are_found_by_field_or_row() {
        let errors = vec![
            FieldError::new(FieldPath::Tier(0, TierField::Price), "a"),
            FieldError::new(FieldPath::Tier(10, TierField::Title), "b"),
            FieldError::new(FieldPath::Tiers, "c"),
            FieldError::new(FieldPath::Tier(1, TierField::Price), "d"),
        ];
        assert_eq!(errors_of(&errors, Row::Tier(0)).count(), 1);
        assert_eq!(errors_of(&errors, Row::Tier(1)).map(|e| e.message.as_str()).collect::<Vec<_>>(), ["d"]);
        assert_eq!(errors_of(&errors, FieldPath::Tier(0, TierField::Price)).count(), 1);
        assert_eq!(errors_of(&errors, FieldPath::Tier(0, TierField::Title)).count(), 0);
        assert_eq!(
            errors_of(&errors, FieldPath::Tiers).map(|e| e.message.as_str()).collect::<Vec<_>>(),
            ["c"],
            "each tier's own are shown at the tier"
        );
        assert_eq!(errors_of(&errors, Row::Tier(2)).count(), 0);
        assert_eq!(errors_of(&errors, Row::CoAuthor(0)).count(), 0, "rows of another list");
    }
}
