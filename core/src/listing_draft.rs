//! The listing wizard's draft: what a researcher has entered so far, kept in the browser until the
//! listing is minted (a reload, a failed upload or a rejected transaction loses nothing), each
//! step's checks with a sentence per problem, and what the draft becomes: the model card, the
//! licence terms documents, the `listModel` call, and the split of a sale it promises.

use std::collections::BTreeSet;

use alloy_primitives::{Address, B256, U256, aliases::U96};
use assay_inference::IoSchema;
use assay_inference::card::{ENCRYPTION_FORMAT, Encryption, Metric, ModelCard};
use serde::{Deserialize, Serialize};

use crate::browse::parse_ether;
use crate::contracts::IAssayMarket::{CoAuthor, ParentShare, TierInput, listModelCall};
use crate::licence::{BPS, CoAuthorCut, ParentCut, Payee, percent_words, split};

/// The draft format this code reads and writes; an older one is started afresh.
pub const DRAFT_VERSION: u32 = 1;
/// The market's limits (`AssayMarket.sol`), checked here first so the form can say so.
pub const MAX_ROYALTY_BPS: u16 = 1_000;
pub const MAX_CO_AUTHORS: usize = 8;
pub const MAX_PARENTS: usize = 4;
pub const MAX_TIERS: usize = 16;
/// Longest model name the catalogue shows whole.
pub const MAX_NAME_CHARS: usize = 80;
const DAY: u32 = 86_400;

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
    pub cid: String,
}

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
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MetricFields {
    pub name: String,
    pub value: String,
}

/// One licence tier as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TierFields {
    /// The terms document's title, shown with the tier.
    pub title: String,
    /// The terms, in words (stored on IPFS; the tier names its CID).
    pub terms: String,
    /// ETH, as typed.
    pub price: String,
    /// Whole days; empty or 0 = perpetual.
    pub duration_days: String,
    /// Most licences sold; empty or 0 = unlimited.
    pub supply: String,
    pub commercial: bool,
    pub derivatives: bool,
    pub transferable: bool,
}

impl Default for TierFields {
    fn default() -> Self {
        Self::research()
    }
}

impl TierFields {
    /// A perpetual non-commercial tier, the usual first one.
    pub fn research() -> Self {
        Self {
            title: "Research licence".into(),
            terms: "Perpetual, non-commercial use for research, teaching and evaluation. Publishing results obtained \
                    with the model is allowed; redistributing the weights, using it in a paid product or service, and \
                    publishing derivatives are not. The licence is personal and cannot be transferred."
                .into(),
            price: "0.01".into(),
            duration_days: String::new(),
            supply: String::new(),
            commercial: false,
            derivatives: false,
            transferable: false,
        }
    }

    /// A yearly commercial tier with derivatives, the usual second one.
    pub fn commercial() -> Self {
        Self {
            title: "Commercial licence (365 days)".into(),
            terms: "Use in commercial products and services for 365 days from purchase, renewable at the tier's \
                    price. Derivatives are allowed; a derivative listed on Assay names this model as its parent. The \
                    licence may be transferred to another account."
                .into(),
            price: "0.1".into(),
            duration_days: "365".into(),
            supply: String::new(),
            commercial: true,
            derivatives: true,
            transferable: true,
        }
    }

    /// The terms document stored on IPFS: the title, a blank line, the terms.
    pub fn terms_document(&self) -> String {
        crate::licence::TermsDocument::new(&self.title, &self.terms).to_text()
    }

    /// The tier as the market takes it, once its terms are at `terms_cid`; or what is wrong,
    /// each problem under `tiers.<index>.<field>`.
    pub fn parse(&self, index: usize) -> Result<ParsedTier, Vec<FieldError>> {
        let field = |name: &str| format!("tiers.{index}.{name}");
        let mut errors = Vec::new();
        if self.title.trim().is_empty() {
            errors.push(FieldError::new(field("title"), "Give the tier a title (it heads its terms)."));
        }
        if self.terms.trim().is_empty() {
            errors.push(FieldError::new(field("terms"), "Write the tier's terms: what a buyer may do with the model."));
        }
        let price = noted(&mut errors, field("price"), parse_price(&self.price));
        let duration = noted(&mut errors, field("durationDays"), parse_duration_days(&self.duration_days));
        let max_supply = noted(&mut errors, field("supply"), parse_supply(&self.supply));
        match (price, duration, max_supply) {
            (Some(price), Some(duration), Some(max_supply)) if errors.is_empty() => Ok(ParsedTier {
                price,
                duration,
                max_supply,
                commercial: self.commercial,
                derivatives: self.derivatives,
                transferable: self.transferable,
            }),
            _ => Err(errors),
        }
    }
}

/// A tier price as typed, in wei that fit the market's `uint96`.
pub fn parse_price(text: &str) -> Result<U96, String> {
    match parse_ether(text) {
        Some(wei) if wei <= U256::from(U96::MAX) => Ok(U96::from(wei)),
        Some(_) => Err("That price is more than the market can hold (about 79 billion ETH).".to_owned()),
        None => Err(format!("“{}” is not an amount of ETH (e.g. 0.05).", text.trim())),
    }
}

/// A licence duration in whole days as typed, in seconds; empty or 0 = perpetual.
pub fn parse_duration_days(text: &str) -> Result<u32, String> {
    let days = whole_number(text, "The duration in days")?;
    days.checked_mul(DAY)
        .ok_or_else(|| "At most 49,710 days (136 years); leave it empty for a perpetual licence.".to_owned())
}

/// A tier's supply as typed; empty or 0 = unlimited.
pub fn parse_supply(text: &str) -> Result<u32, String> {
    whole_number(text, "The supply")
}

/// The value, or `None` with the message noted under `field`.
fn noted<T>(errors: &mut Vec<FieldError>, field: String, result: Result<T, String>) -> Option<T> {
    result.map_err(|message| errors.push(FieldError::new(field, message))).ok()
}

fn whole_number(text: &str, what: &str) -> Result<u32, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(0);
    }
    text.parse::<u32>().map_err(|_| format!("{what} must be a whole number (“{text}” is not)."))
}

/// A tier whose fields are all valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedTier {
    pub price: U96,
    /// Seconds; 0 = perpetual.
    pub duration: u32,
    /// 0 = unlimited.
    pub max_supply: u32,
    pub commercial: bool,
    pub derivatives: bool,
    pub transferable: bool,
}

impl ParsedTier {
    pub fn input(&self, terms_cid: &str) -> TierInput {
        TierInput {
            price: self.price,
            duration: self.duration,
            maxSupply: self.max_supply,
            commercialUse: self.commercial,
            derivativesAllowed: self.derivatives,
            transferable: self.transferable,
            termsCid: terms_cid.to_owned(),
        }
    }
}

/// A co-author as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CoAuthorFields {
    pub account: String,
    /// Percent of each sale (after the protocol fee), as typed.
    pub percent: String,
}

/// A parent model as picked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ParentFields {
    pub model_id: String,
    pub percent: String,
}

/// One problem of the form: the field it is about (`card.name`, `tiers.0.price`,
/// `shares.total`, …) and a sentence for the person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// The shares of a sale as the market takes them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shares {
    /// ERC-2981 royalty on resales of the model's NFT.
    pub royalty_bps: u16,
    pub co_authors: Vec<CoAuthor>,
    pub parents: Vec<ParentShare>,
}

impl Shares {
    /// Parents' and co-authors' shares together.
    pub fn total_bps(&self) -> u32 {
        crate::licence::total_share_bps(self.parents.iter().map(|p| p.bps), self.co_authors.iter().map(|a| a.bps))
    }
}

/// A percentage as typed (`20`, `12.5`, `0,25`, `7 %`) in basis points; at most two decimals.
pub fn percent_to_bps(text: &str) -> Result<u16, String> {
    let cleaned = text.trim().trim_end_matches('%').trim().replace(',', ".");
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(whole) || !digits(fraction) {
        return Err(format!("“{}” is not a percentage (e.g. 20 or 12.5).", text.trim()));
    }
    if fraction.len() > 2 {
        return Err(format!("“{}”: shares go in steps of 0.01 %.", text.trim()));
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("“{}” is more than 100 %.", text.trim()))?
    };
    let fraction: u64 = format!("{fraction:0<2}").parse().expect("two digits");
    let bps = whole.saturating_mul(100).saturating_add(fraction);
    if bps > BPS {
        return Err(format!("{} is more than 100 %.", percent_words(bps)));
    }
    Ok(bps as u16)
}

/// Everything the wizard has been told, and what it has already uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    pub uploaded: BTreeSet<String>,
    /// Encrypt the weights: the file is encrypted in the browser at publication, only licence
    /// holders get its key, and a public trial file can be listed beside it.
    pub encrypt: bool,
    /// An encrypted listing's public trial file (same inputs and outputs as the model).
    pub trial: Option<DraftFile>,
    /// The content key's name (`0x` + 64 hex), chosen once per draft: a retried publication
    /// re-derives the same key, so the commitment and the encrypted file agree.
    pub key_id: Option<String>,
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
        IoSchema::from_json(&self.io).map_err(|e| FieldError::new("io", e.to_string()))
    }

    /// The card step's problems.
    pub fn check_card(&self) -> Vec<FieldError> {
        let card = &self.card;
        let mut errors = Vec::new();
        let name = card.name.trim();
        if name.is_empty() {
            errors.push(FieldError::new("card.name", "Give the model a name."));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(FieldError::new(
                "card.name",
                format!("Keep the name to {MAX_NAME_CHARS} characters ({} now).", name.chars().count()),
            ));
        }
        if card.description.trim().is_empty() {
            errors.push(FieldError::new("card.description", "Describe what the model does and how it was made."));
        }
        if card.task.trim().is_empty() {
            errors.push(FieldError::new("card.task", "Choose the model's task, so buyers can find it."));
        }
        if card.licence.trim().is_empty() {
            errors.push(FieldError::new(
                "card.licence",
                "Name the weights' licence (an SPDX id such as MIT) or write its text.",
            ));
        }
        for (i, metric) in card.metrics.iter().enumerate() {
            if metric.name.trim().is_empty() != metric.value.trim().is_empty() {
                errors.push(FieldError::new(
                    format!("card.metrics.{i}"),
                    "A metric needs both what was measured and the value.",
                ));
            }
        }
        errors
    }

    /// Every tier, parsed; or all their problems.
    pub fn parsed_tiers(&self) -> Result<Vec<ParsedTier>, Vec<FieldError>> {
        if self.tiers.is_empty() {
            return Err(vec![FieldError::new("tiers", "Offer at least one licence tier.")]);
        }
        if self.tiers.len() > MAX_TIERS {
            return Err(vec![FieldError::new("tiers", format!("At most {MAX_TIERS} tiers."))]);
        }
        let mut parsed = Vec::new();
        let mut errors = Vec::new();
        for (i, tier) in self.tiers.iter().enumerate() {
            match tier.parse(i) {
                Ok(t) => parsed.push(t),
                Err(e) => errors.extend(e),
            }
        }
        if errors.is_empty() { Ok(parsed) } else { Err(errors) }
    }

    /// The shares, checked: `creator` is the connected account (paid the remainder, so not a
    /// co-author too); `is_listed(id)` says whether model `id` exists to be a parent.
    pub fn shares(&self, creator: Option<Address>, is_listed: impl Fn(u64) -> bool) -> Result<Shares, Vec<FieldError>> {
        let mut errors = Vec::new();
        let royalty_bps = match percent_to_bps(&self.royalty) {
            Ok(bps) if bps <= MAX_ROYALTY_BPS => bps,
            Ok(bps) => {
                errors.push(FieldError::new(
                    "royalty",
                    format!(
                        "The resale royalty is at most {}; {} is too much.",
                        percent_words(MAX_ROYALTY_BPS.into()),
                        percent_words(bps.into())
                    ),
                ));
                0
            }
            Err(message) => {
                errors.push(FieldError::new("royalty", message));
                0
            }
        };
        if self.co_authors.len() > MAX_CO_AUTHORS {
            errors.push(FieldError::new("coAuthors", format!("At most {MAX_CO_AUTHORS} co-authors.")));
        }
        if self.parents.len() > MAX_PARENTS {
            errors.push(FieldError::new("parents", format!("At most {MAX_PARENTS} parent models.")));
        }
        let mut co_authors: Vec<CoAuthor> = Vec::new();
        for (i, author) in self.co_authors.iter().enumerate() {
            let field = |name: &str| format!("coAuthors.{i}.{name}");
            let account = match author.account.trim().parse::<Address>() {
                Ok(a) if a == Address::ZERO => {
                    errors.push(FieldError::new(field("account"), "The zero address can't be paid."));
                    None
                }
                Ok(a) if Some(a) == creator => {
                    errors.push(FieldError::new(
                        field("account"),
                        "That is your own account: you are paid what is left of each sale already.",
                    ));
                    None
                }
                Ok(a) if co_authors.iter().any(|c| c.account == a) => {
                    errors.push(FieldError::new(
                        field("account"),
                        "This co-author is listed twice; give them one share.",
                    ));
                    None
                }
                Ok(a) => Some(a),
                Err(_) => {
                    errors.push(FieldError::new(
                        field("account"),
                        format!("“{}” is not an Ethereum address (0x and 40 hex digits).", author.account.trim()),
                    ));
                    None
                }
            };
            let bps = share_bps(&author.percent, &field("percent"), &mut errors);
            if let (Some(account), Some(bps)) = (account, bps) {
                co_authors.push(CoAuthor { account, bps });
            }
        }
        let mut parents: Vec<ParentShare> = Vec::new();
        for (i, parent) in self.parents.iter().enumerate() {
            let field = |name: &str| format!("parents.{i}.{name}");
            let id = match parent.model_id.trim().trim_start_matches('#').parse::<u64>() {
                Ok(id) if !is_listed(id) => {
                    errors.push(FieldError::new(field("modelId"), format!("Model #{id} is not in the catalogue.")));
                    None
                }
                Ok(id) if parents.iter().any(|p| p.modelId == U256::from(id)) => {
                    errors.push(FieldError::new(
                        field("modelId"),
                        format!("Model #{id} is a parent twice; give it one share."),
                    ));
                    None
                }
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new(field("modelId"), "Pick the parent model from the catalogue."));
                    None
                }
            };
            let bps = share_bps(&parent.percent, &field("percent"), &mut errors);
            if let (Some(id), Some(bps)) = (id, bps) {
                parents.push(ParentShare { modelId: U256::from(id), bps });
            }
        }
        let shares = Shares { royalty_bps, co_authors, parents };
        let total = shares.total_bps();
        if u64::from(total) > BPS {
            errors.push(FieldError::new(
                "shares.total",
                format!(
                    "Parents and co-authors get {} of each sale together; at most 100 % can be shared (you get what is left).",
                    percent_words(total.into())
                ),
            ));
        }
        if errors.is_empty() { Ok(shares) } else { Err(errors) }
    }

    /// The model card this draft lists: the typed fields, the I/O schema, the model's CID.
    pub fn card(&self, io: IoSchema, model_cid: &str) -> ModelCard {
        let fields = &self.card;
        let mut tags: Vec<String> = Vec::new();
        for tag in fields.tags.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                tags.push(tag.to_owned());
            }
        }
        ModelCard {
            name: fields.name.trim().to_owned(),
            description: fields.description.trim().to_owned(),
            licence: fields.licence.trim().to_owned(),
            source: fields.source.trim().to_owned(),
            model: Some(model_cid.to_owned()),
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
            intended_use: fields.intended_use.trim().to_owned(),
            limitations: fields.limitations.trim().to_owned(),
            changelog: String::new(),
            io,
        }
    }

    /// The card of an encrypted listing: [`Draft::card`] naming the encrypted file as the model,
    /// its public trial file (if any) and what opens it.
    pub fn encrypted_card(
        &self,
        io: IoSchema,
        encrypted_cid: &str,
        trial_cid: Option<&str>,
        key_id: &str,
        size: u64,
    ) -> ModelCard {
        ModelCard {
            trial: trial_cid.map(str::to_owned),
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
        };
        self.io = serde_json::to_string_pretty(&card.io).expect("an I/O schema serialises");
    }
}

fn share_bps(text: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<u16> {
    match percent_to_bps(text) {
        Ok(0) => {
            errors.push(FieldError::new(field, "A share must be more than 0 % (remove the row instead)."));
            None
        }
        Ok(bps) => Some(bps),
        Err(message) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

/// The `listModel` call of a checked draft: the card at `card_cid`, the tiers with their terms'
/// CIDs in order, and the content key's commitment (zero for open weights).
pub fn listing_call(
    card_cid: &str,
    key_commitment: B256,
    shares: &Shares,
    tiers: &[ParsedTier],
    terms_cids: &[String],
) -> listModelCall {
    listModelCall {
        manifestCid: card_cid.to_owned(),
        keyCommitment: key_commitment,
        royaltyBps: shares.royalty_bps,
        coAuthors: shares.co_authors.clone(),
        parents: shares.parents.clone(),
        tiers: tiers.iter().zip(terms_cids).map(|(t, cid)| t.input(cid)).collect(),
    }
}

/// Where a sale of `price` wei under these shares goes, as the market will split it: the protocol
/// fee, each parent's owner (`owner_of(parent id)`), each co-author, and the creator.
pub fn sale_split(
    price: U256,
    fee_bps: u16,
    treasury: Address,
    shares: &Shares,
    owner_of: impl Fn(U256) -> Address,
    creator: Address,
) -> Vec<Payee> {
    let parents: Vec<ParentCut> = shares
        .parents
        .iter()
        .map(|p| ParentCut { model_id: p.modelId, owner: owner_of(p.modelId), bps: p.bps })
        .collect();
    let co_authors: Vec<CoAuthorCut> =
        shares.co_authors.iter().map(|a| CoAuthorCut { account: a.account, bps: a.bps }).collect();
    split(price, fee_bps, treasury, &parents, &co_authors, creator)
}

/// The errors to show at `field`: a path with a dot also covers what is under it (`tiers.0`
/// covers `tiers.0.price`, for a row); a top-level name only itself (`tiers` is the list's own
/// problem, each tier's are shown at the tier).
pub fn errors_of<'a>(errors: &'a [FieldError], field: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
    let covers_below = field.contains('.');
    errors.iter().filter(move |e| {
        e.field == field || (covers_below && e.field.strip_prefix(field).is_some_and(|rest| rest.starts_with('.')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGITS_CARD: &str = include_str!("../../inference/cards/digits.json");
    const CREATOR: Address = Address::repeat_byte(0xc1);
    const ALICE: &str = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    const BOB: &str = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    fn eth(text: &str) -> U256 {
        parse_ether(text).unwrap()
    }

    fn listed(id: u64) -> bool {
        (1..=4).contains(&id)
    }

    /// The e2e journey's shares: two co-authors (10 %, 15 %) and parent #1 (20 %).
    fn journey_draft() -> Draft {
        Draft {
            co_authors: vec![
                CoAuthorFields { account: ALICE.into(), percent: "10".into() },
                CoAuthorFields { account: BOB.into(), percent: "15".into() },
            ],
            parents: vec![ParentFields { model_id: "1".into(), percent: "20".into() }],
            ..Draft::default()
        }
    }

    fn fields(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn a_draft_survives_a_reload_and_an_old_format_is_started_afresh() {
        let mut draft = journey_draft();
        draft.step = Step::Shares;
        draft.file = Some(DraftFile { name: "digits.onnx".into(), size: 12_345, cid: "bafk-model".into() });
        draft.uploaded.insert("bafk-model".into());
        assert_eq!(Draft::from_json(&draft.to_json()), Some(draft.clone()));
        let old = draft.to_json().replace(&format!("\"version\":{DRAFT_VERSION}"), "\"version\":0");
        assert_eq!(Draft::from_json(&old), None);
        assert_eq!(Draft::from_json("{not json"), None);
        // Fields added later default rather than failing the whole draft.
        assert_eq!(Draft::from_json(&format!("{{\"version\":{DRAFT_VERSION}}}")).unwrap().tiers.len(), 2);
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
    fn percentages_are_read_as_basis_points() {
        for (text, bps) in
            [("20", 2000), ("12.5", 1250), ("0,25", 25), ("7 %", 700), ("100", 10_000), (".5", 50), ("0", 0)]
        {
            assert_eq!(percent_to_bps(text), Ok(bps), "{text}");
        }
        assert_eq!(percent_to_bps("100.01").unwrap_err(), "100.01% is more than 100 %.");
        assert!(percent_to_bps("1.234").unwrap_err().contains("steps of 0.01"));
        for bad in ["", "abc", "-5", "1e3", "99999999999999999999999"] {
            assert!(percent_to_bps(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_tiers_parse_as_the_market_takes_them() {
        let tiers = Draft::default().parsed_tiers().unwrap();
        assert_eq!(
            tiers[0],
            ParsedTier {
                price: U96::from(eth("0.01")),
                duration: 0,
                max_supply: 0,
                commercial: false,
                derivatives: false,
                transferable: false
            }
        );
        assert_eq!((tiers[1].duration, tiers[1].commercial, tiers[1].derivatives), (365 * 86_400, true, true));
        let input = tiers[1].input("bafk-terms");
        assert_eq!((input.termsCid.as_str(), input.maxSupply), ("bafk-terms", 0));
        assert_eq!(TierFields::research().terms_document().lines().next(), Some("Research licence"));
    }

    #[test]
    fn bad_tier_fields_are_named() {
        let tier = TierFields {
            price: "ten".into(),
            duration_days: "1.5".into(),
            supply: "-1".into(),
            title: " ".into(),
            ..TierFields::research()
        };
        let draft = Draft { tiers: vec![TierFields::research(), tier], ..Draft::default() };
        let errors = draft.parsed_tiers().unwrap_err();
        assert_eq!(fields(&errors), ["tiers.1.title", "tiers.1.price", "tiers.1.durationDays", "tiers.1.supply"]);
        assert_eq!(errors[1].message, "“ten” is not an amount of ETH (e.g. 0.05).");
        let long = TierFields { duration_days: "50000".into(), ..TierFields::research() };
        assert!(long.parse(0).unwrap_err()[0].message.contains("49,710 days"));
        let none = Draft { tiers: vec![], ..Draft::default() };
        assert_eq!(fields(&none.parsed_tiers().unwrap_err()), ["tiers"]);
        let limited = TierFields { supply: "3".into(), ..TierFields::commercial() };
        assert_eq!(limited.parse(0).unwrap().max_supply, 3);
    }

    #[test]
    fn the_journeys_shares_are_accepted() {
        let shares = journey_draft().shares(Some(CREATOR), listed).unwrap();
        assert_eq!(shares.royalty_bps, 500);
        assert_eq!(shares.co_authors.iter().map(|a| a.bps).collect::<Vec<_>>(), [1000, 1500]);
        assert_eq!(shares.parents[0].modelId, U256::from(1));
        assert_eq!(shares.total_bps(), 4500);
    }

    #[test]
    fn shares_over_100_percent_are_refused_with_the_total() {
        let mut draft = journey_draft();
        draft.co_authors[1].percent = "75".into();
        let errors = draft.shares(Some(CREATOR), listed).unwrap_err();
        assert_eq!(fields(&errors), ["shares.total"]);
        assert!(errors[0].message.contains("105%"), "{}", errors[0].message);
        // Exactly 100 % is allowed: the creator keeps only the rounding dust.
        draft.co_authors[1].percent = "70".into();
        assert_eq!(draft.shares(Some(CREATOR), listed).unwrap().total_bps(), 10_000);
    }

    #[test]
    fn wrong_co_authors_and_parents_are_named() {
        let draft = Draft {
            royalty: "12".into(),
            co_authors: vec![
                CoAuthorFields { account: "0x1234".into(), percent: "5".into() },
                CoAuthorFields { account: CREATOR.to_string(), percent: "5".into() },
                CoAuthorFields { account: ALICE.into(), percent: "0".into() },
                CoAuthorFields { account: ALICE.to_lowercase(), percent: "5".into() },
                CoAuthorFields { account: ALICE.into(), percent: "5".into() },
                CoAuthorFields { account: Address::ZERO.to_string(), percent: "5".into() },
            ],
            parents: vec![
                ParentFields { model_id: "9".into(), percent: "5".into() },
                ParentFields { model_id: "#2".into(), percent: "5".into() },
                ParentFields { model_id: "2".into(), percent: "5".into() },
                ParentFields { model_id: String::new(), percent: "5".into() },
            ],
            ..Draft::default()
        };
        let errors = draft.shares(Some(CREATOR), listed).unwrap_err();
        assert_eq!(
            fields(&errors),
            [
                "royalty",
                "coAuthors.0.account",
                "coAuthors.1.account",
                "coAuthors.2.percent",
                "coAuthors.4.account",
                "coAuthors.5.account",
                "parents.0.modelId",
                "parents.2.modelId",
                "parents.3.modelId"
            ]
        );
        assert!(errors[0].message.contains("at most 10%"));
        assert!(errors[2].message.contains("your own account"));
        assert!(errors[4].message.contains("twice"));
        assert_eq!(errors[6].message, "Model #9 is not in the catalogue.");
    }

    #[test]
    fn the_review_shows_the_markets_split_to_the_wei() {
        let shares = journey_draft().shares(Some(CREATOR), listed).unwrap();
        let parent_owner = Address::repeat_byte(0x99);
        let treasury = Address::repeat_byte(0x77);
        let payees = sale_split(eth("1"), 250, treasury, &shares, |_| parent_owner, CREATOR);
        let amounts: Vec<(Address, U256)> = payees.iter().map(|p| (p.account, p.amount)).collect();
        assert_eq!(
            amounts,
            [
                (treasury, eth("0.025")),
                (parent_owner, eth("0.195")),
                (ALICE.parse().unwrap(), eth("0.0975")),
                (BOB.parse().unwrap(), eth("0.14625")),
                (CREATOR, eth("0.53625")),
            ]
        );
        assert_eq!(payees.iter().map(|p| p.amount).sum::<U256>(), eth("1"));
    }

    #[test]
    fn the_listing_call_carries_card_shares_and_tiers_in_order() {
        let draft = journey_draft();
        let shares = draft.shares(Some(CREATOR), listed).unwrap();
        let tiers = draft.parsed_tiers().unwrap();
        let call = listing_call("bafk-card", B256::ZERO, &shares, &tiers, &["bafk-t0".into(), "bafk-t1".into()]);
        assert_eq!(call.manifestCid, "bafk-card");
        assert_eq!(call.keyCommitment, B256::ZERO, "open weights: no commitment");
        let sealed =
            listing_call("bafk-card", B256::repeat_byte(7), &shares, &tiers, &["bafk-t0".into(), "bafk-t1".into()]);
        assert_eq!(sealed.keyCommitment, B256::repeat_byte(7));
        assert_eq!((call.royaltyBps, call.coAuthors.len(), call.parents.len()), (500, 2, 1));
        assert_eq!(call.tiers.iter().map(|t| t.termsCid.as_str()).collect::<Vec<_>>(), ["bafk-t0", "bafk-t1"]);
        assert_eq!(call.tiers[1].duration, 365 * 86_400);
    }

    #[test]
    fn a_card_round_trips_through_the_form() {
        let seeded: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&seeded);
        assert!(draft.check_card().is_empty());
        let io = draft.io_schema().unwrap();
        let card = draft.card(io, "bafk-model");
        assert_eq!(card, ModelCard { model: Some("bafk-model".into()), ..seeded });
    }

    #[test]
    fn an_encrypted_card_names_the_encrypted_file_the_trial_and_the_key() {
        let seeded: ModelCard = serde_json::from_str(DIGITS_CARD).unwrap();
        let mut draft = Draft::default();
        draft.fill_from_card(&seeded);
        draft.encrypt = true;
        let key_id = format!("0x{}", "01".repeat(32));
        let card = draft.encrypted_card(draft.io_schema().unwrap(), "bafk-enc", Some("bafk-trial"), &key_id, 1234);
        assert_eq!(card.model.as_deref(), Some("bafk-enc"));
        assert_eq!(card.trial_file(), Some("bafk-trial"));
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
        let mut draft = Draft::default();
        draft.card = CardFields {
            name: "  Digits v2 ".into(),
            tags: "digits, Digits ,, mlp ".into(),
            metrics: vec![MetricFields { name: "accuracy".into(), value: "0.95".into() }, MetricFields::default()],
            ..CardFields::default()
        };
        let io = IoSchema { version: 1, inputs: vec![], outputs: vec![] };
        let card = draft.card(io, "bafk");
        assert_eq!(card.name, "Digits v2");
        assert_eq!(card.tags, ["digits", "mlp"]);
        assert_eq!(card.metrics.len(), 1);
    }

    #[test]
    fn an_empty_card_says_what_is_missing() {
        let mut draft = Draft::default();
        assert_eq!(fields(&draft.check_card()), ["card.name", "card.description", "card.task", "card.licence"]);
        draft.card.name = "x".repeat(81);
        draft.card.metrics = vec![MetricFields { name: "accuracy".into(), value: String::new() }];
        let errors = draft.check_card();
        assert!(errors[0].message.contains("80 characters (81 now)"));
        assert!(fields(&errors).contains(&"card.metrics.0"));
        assert!(Draft::default().io_schema().is_err());
    }

    #[test]
    fn errors_are_found_by_field_prefix() {
        let errors = vec![
            FieldError::new("tiers.0.price", "a"),
            FieldError::new("tiers.10.title", "b"),
            FieldError::new("tiers", "c"),
        ];
        assert_eq!(errors_of(&errors, "tiers.0").count(), 1);
        assert_eq!(errors_of(&errors, "tiers.0.price").count(), 1);
        assert_eq!(
            errors_of(&errors, "tiers").map(|e| e.message.as_str()).collect::<Vec<_>>(),
            ["c"],
            "each tier's own are shown at the tier"
        );
        assert_eq!(errors_of(&errors, "tiers.1").count(), 0);
    }
}
