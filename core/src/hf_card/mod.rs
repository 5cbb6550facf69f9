//! Hugging Face model cards in and out: a `README.md` with YAML front matter (`license`, `tags`,
//! `pipeline_tag`, `base_model`, `datasets`, `language`, `library_name`, `model-index`) and a
//! Markdown body, read into an Assay [`ModelCard`]'s descriptive fields, and any card written back
//! as such a `README.md`.
//!
//! - [`readme`]: the front matter and the body apart; the body's title and the sections Assay
//!   keeps in fields of their own (`## Intended use`, `## Limitations`, `## Source`, `## Measured`);
//! - [`licence`]: Hugging Face's licence ids and SPDX ids, both ways;
//! - [`model_index`]: `model-index` results and the card's results, both ways;
//! - [`import`]: a README → a card (without I/O: the model file says that) and what was left out;
//! - [`export`]: a card → a README.
//!
//! Where the keys go: `license` → licence (SPDX id; `other` → `license_name`, with
//! `license_link`), `pipeline_tag` → task, `tags` → tags, `base_model` / `datasets` / `language` /
//! `library_name` → tags as the Hub writes them (`base_model:…`, `dataset:…`, `language:…`,
//! `library:…`) and base models named in the source, `model-index` → results (self-reported: no
//! evaluation block), the body → description (its first `# Title` → name; the sections above →
//! their fields). Keys Assay has no place for (`widget`, `inference`, …) are dropped, each named
//! in [`LeftOut`], as are `model-index` metrics Assay does not compute (`wer`, `loss`, …).
//!
//! [`ModelCard`]: assay_inference::card::ModelCard

pub mod export;
pub mod import;
pub mod licence;
pub mod model_index;
pub mod readme;

pub use export::export;
pub use import::{Imported, import};

/// Why a README could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadmeError {
    #[error(
        "The file has no front matter: a Hugging Face README.md starts with a line `---`, its YAML metadata, and another `---`."
    )]
    NoFrontMatter,
    #[error("The front matter is never closed: add a line `---` after the YAML metadata.")]
    Unclosed,
    #[error("The front matter is not valid YAML: {0}.")]
    Yaml(String),
    #[error("The front matter is not a list of `key: value` metadata.")]
    NotAMapping,
}

/// Something in a README that the card does not take, said to whoever imported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftOut {
    /// A metadata key Assay has no place for (dropped).
    Key(String),
    /// A known key whose value is not of the expected shape (dropped).
    Shape { key: String, expected: &'static str },
    /// A `model-index` metric of a kind Assay does not compute (`wer`, `bleu`, …), or whose value
    /// is not a number.
    Metric { kind: String, dataset: String },
}

impl LeftOut {
    /// In words.
    pub fn words(&self) -> String {
        match self {
            LeftOut::Key(key) => format!("`{key}` (Assay cards have no place for it)"),
            LeftOut::Shape { key, expected } => format!("`{key}` (expected {expected})"),
            LeftOut::Metric { kind, dataset } => {
                format!("the {kind} result on {dataset} (not a number, or a metric Assay does not compute)")
            }
        }
    }
}
