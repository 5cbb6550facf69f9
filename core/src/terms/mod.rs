//! A licence tier's terms: the document on IPFS that a licence token points to (its CID is the
//! tier's `termsCid`), with the uses it prohibits and the territories it excludes in a form a
//! program can read; and the buyer's confirmation of them before a purchase.
//!
//! The document stays plain text a person can read on any gateway — the title, a blank line, the
//! terms — and ends, when the tier restricts anything, with a block a program reads (version 1):
//!
//! ```text
//! Research licence
//!
//! Non-commercial use only.
//!
//! ---
//! assay-terms: 1
//! prohibited-uses: military, biometric-identification
//! excluded-territories: KP, EU
//! ```
//!
//! A document without the block restricts nothing beyond its words; a block that can't be read (a
//! later version, an unknown code) makes the document unreadable, so that nobody confirms terms
//! the page could not show whole.

mod acceptance;
mod territories;
mod territory;
mod uses;

pub use acceptance::{BuyGate, TermsState, confirmation, gate};
pub use territory::{Territory, parse_list as parse_territories};
pub use uses::ProhibitedUse;

/// Longest terms document the model page reads (a tier's terms are text, not a file).
pub const MAX_TERMS_BYTES: u64 = 256 * 1024;
/// The restrictions block's version.
pub const TERMS_VERSION: u32 = 1;

const BLOCK_START: &str = "\n---\nassay-terms: ";

/// What a tier restricts, machine-readable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restrictions {
    pub prohibited_uses: Vec<ProhibitedUse>,
    pub excluded_territories: Vec<Territory>,
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        self.prohibited_uses.is_empty() && self.excluded_territories.is_empty()
    }

    /// Whether `use_` may be made under these terms.
    pub fn allows_use(&self, use_: ProhibitedUse) -> bool {
        !self.prohibited_uses.contains(&use_)
    }

    /// Whether the licence may be used in `territory` (an excluded `EU` covers its members).
    pub fn allows_territory(&self, territory: Territory) -> bool {
        !self.excluded_territories.iter().any(|t| t.covers(territory))
    }
}

/// A tier's terms document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TermsDocument {
    pub title: String,
    pub body: String,
    pub restrictions: Restrictions,
}

impl TermsDocument {
    pub fn new(title: &str, body: &str) -> Self {
        Self { title: title.trim().to_owned(), body: body.trim().to_owned(), restrictions: Restrictions::default() }
    }

    pub fn with_restrictions(self, restrictions: Restrictions) -> Self {
        Self { restrictions, ..self }
    }

    /// The document as stored: title, blank line, terms, and the restrictions block when there
    /// is any restriction.
    pub fn to_text(&self) -> String {
        let mut text = format!("{}\n\n{}\n", self.title, self.body);
        let r = &self.restrictions;
        if !r.is_empty() {
            text.push_str(&format!("{BLOCK_START}{TERMS_VERSION}\n"));
            if !r.prohibited_uses.is_empty() {
                let keys: Vec<&str> = r.prohibited_uses.iter().map(|u| u.key()).collect();
                text.push_str(&format!("prohibited-uses: {}\n", keys.join(", ")));
            }
            if !r.excluded_territories.is_empty() {
                let codes: Vec<&str> = r.excluded_territories.iter().map(|t| t.code()).collect();
                text.push_str(&format!("excluded-territories: {}\n", codes.join(", ")));
            }
        }
        text
    }

    /// Reads a document: the first line is the title, the rest (trimmed) the terms, then the
    /// restrictions block if there is one. Not UTF-8, or a block that can't be read: an error in
    /// words. No blank line after the first line, or a title of more than 200 characters: a
    /// document some other tool wrote, whose whole text is taken as the terms, untitled.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let text = std::str::from_utf8(bytes).map_err(|e| format!("the terms are not UTF-8 text ({e})"))?;
        let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let (text, restrictions) = match text.rfind(BLOCK_START) {
            Some(at) => (&text[..at], read_block(&text[at + "\n---\n".len()..])?),
            None => (text.as_str(), Restrictions::default()),
        };
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let title = first.trim();
        if title.chars().count() > 200 || (!rest.starts_with('\n') && !rest.trim().is_empty()) {
            return Ok(Self { title: String::new(), body: text.trim().to_owned(), restrictions });
        }
        Ok(Self { title: title.to_owned(), body: rest.trim().to_owned(), restrictions })
    }
}

/// The restrictions block, from its `assay-terms:` line on.
fn read_block(block: &str) -> Result<Restrictions, String> {
    let mut restrictions = Restrictions::default();
    let mut version = None;
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("the terms' restrictions have a line that is not “key: value” (“{line}”)"));
        };
        let values = || value.split(',').map(str::trim).filter(|v| !v.is_empty());
        match key.trim() {
            "assay-terms" => version = Some(value.trim().to_owned()),
            "prohibited-uses" => {
                for key in values() {
                    let use_ = ProhibitedUse::from_key(key)
                        .ok_or_else(|| format!("the terms prohibit a use this app does not know (“{key}”)"))?;
                    restrictions.prohibited_uses.push(use_);
                }
            }
            "excluded-territories" => {
                for code in values() {
                    restrictions.excluded_territories.push(
                        Territory::from_code(code).ok_or_else(|| {
                            format!("the terms exclude “{code}”, which is not an ISO 3166 country code")
                        })?,
                    );
                }
            }
            other => return Err(format!("the terms' restrictions name “{other}”, which this app does not read")),
        }
    }
    match version.as_deref() {
        Some("1") => Ok(restrictions),
        Some(v) => Err(format!(
            "the terms' restrictions are version {v}; this app reads version {TERMS_VERSION}, so it can't show them whole"
        )),
        None => Err("the terms' restrictions block has no version".to_owned()),
    }
}

#[cfg(test)]
mod tests;
