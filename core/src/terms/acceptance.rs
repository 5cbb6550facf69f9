//! The buyer's confirmation of a tier's terms: a purchase waits until the terms are read whole
//! and the buyer has confirmed them, restrictions named. A tier listed without terms has nothing
//! to confirm.

use super::TermsDocument;

/// Where a tier's terms stand on the model page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermsState {
    /// The tier names no terms document.
    Absent,
    /// Being fetched from IPFS.
    Loading,
    Read(TermsDocument),
    /// Not fetched, not verified, or not readable whole, in words.
    Unreadable(String),
}

/// Whether the purchase may go ahead, or what it waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BuyGate {
    Ready,
    /// The terms are still being read.
    Reading,
    /// The buyer has not confirmed the terms yet.
    Confirm,
    /// The terms can't be shown whole: nobody can confirm them.
    Unreadable(String),
}

impl BuyGate {
    /// Why the buy button waits, in a sentence; `None` when it doesn't.
    pub fn reason(&self) -> Option<String> {
        match self {
            Self::Ready => None,
            Self::Reading => Some("Reading the tier's terms before you can confirm them…".to_owned()),
            Self::Confirm => Some("Confirm the tier's terms above to buy.".to_owned()),
            Self::Unreadable(why) => Some(format!(
                "This tier can't be bought here: its terms could not be read whole ({why}), so they can't be confirmed."
            )),
        }
    }
}

/// The gate for a tier's terms and the buyer's confirmation.
pub fn gate(terms: &TermsState, confirmed: bool) -> BuyGate {
    match terms {
        TermsState::Absent => BuyGate::Ready,
        TermsState::Loading => BuyGate::Reading,
        TermsState::Unreadable(why) => BuyGate::Unreadable(why.clone()),
        TermsState::Read(_) if confirmed => BuyGate::Ready,
        TermsState::Read(_) => BuyGate::Confirm,
    }
}

/// What the buyer confirms, restrictions named: “I accept “Research licence”, and will not use the
/// model for military uses or weapons, nor in North Korea (KP) or the European Union (EU).”
pub fn confirmation(document: &TermsDocument) -> String {
    let title = if document.title.is_empty() { "these terms".to_owned() } else { format!("“{}”", document.title) };
    let r = &document.restrictions;
    let uses: Vec<&str> = r.prohibited_uses.iter().map(|u| u.words()).collect();
    let places: Vec<String> = r.excluded_territories.iter().map(|t| t.words()).collect();
    let mut sentence = format!("I accept {title}");
    if !uses.is_empty() {
        sentence.push_str(&format!(", and will not use the model for {}", either(&uses)));
    }
    if !places.is_empty() {
        let places: Vec<&str> = places.iter().map(String::as_str).collect();
        sentence.push_str(if uses.is_empty() { ", and will not use the model in " } else { ", nor in " });
        sentence.push_str(&either(&places));
    }
    sentence.push('.');
    sentence
}

/// `a`, `a or b`, `a, b or c`.
fn either(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ProhibitedUse, Restrictions, Territory};
    use super::*;

    fn restricted() -> TermsDocument {
        TermsDocument::new("Research licence", "Non-commercial use only.").with_restrictions(Restrictions {
            prohibited_uses: vec![ProhibitedUse::Military, ProhibitedUse::BiometricIdentification],
            excluded_territories: vec![Territory::from_code("KP").unwrap(), Territory::from_code("EU").unwrap()],
        })
    }

    #[test]
    fn a_purchase_waits_for_the_terms_then_for_the_buyer() {
        assert_eq!(gate(&TermsState::Absent, false), BuyGate::Ready, "a tier without terms has nothing to confirm");
        assert_eq!(gate(&TermsState::Loading, true), BuyGate::Reading, "confirmed before the terms arrived: wait");
        let read = TermsState::Read(restricted());
        assert_eq!(gate(&read, false), BuyGate::Confirm);
        assert_eq!(gate(&read, true), BuyGate::Ready);
        let broken = TermsState::Unreadable("the terms' restrictions are version 2".into());
        assert!(matches!(gate(&broken, true), BuyGate::Unreadable(_)), "nobody confirms what wasn't shown");
        assert!(gate(&broken, true).reason().unwrap().contains("version 2"));
        assert_eq!(BuyGate::Ready.reason(), None);
        assert!(BuyGate::Confirm.reason().unwrap().contains("Confirm"));
    }

    #[test]
    fn the_confirmation_names_every_restriction() {
        assert_eq!(
            confirmation(&restricted()),
            "I accept “Research licence”, and will not use the model for military uses or weapons or identifying \
             people from biometric data, nor in North Korea (KP) or European Union (EU)."
        );
        assert_eq!(confirmation(&TermsDocument::new("Commercial", "Any use.")), "I accept “Commercial”.");
        let places = TermsDocument::new("", "x").with_restrictions(Restrictions {
            prohibited_uses: vec![],
            excluded_territories: vec![Territory::from_code("US").unwrap()],
        });
        assert_eq!(confirmation(&places), "I accept these terms, and will not use the model in United States (US).");
        assert_eq!(either(&["a", "b", "c"]), "a, b or c");
    }
}
