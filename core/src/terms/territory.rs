//! Territories a tier excludes: ISO 3166-1 alpha-2 country codes, and `EU` for the European
//! Union's member states.

use super::territories::{EU_MEMBERS, TERRITORIES};

/// A country (ISO 3166-1 alpha-2) or the European Union (`EU`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Territory {
    code: &'static str,
    name: &'static str,
}

const EU: Territory = Territory { code: "EU", name: "European Union" };

impl Territory {
    /// The territory of a code, in either case.
    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.trim().to_ascii_uppercase();
        if code == EU.code {
            return Some(EU);
        }
        TERRITORIES
            .binary_search_by(|(c, _)| c.cmp(&code.as_str()))
            .ok()
            .map(|i| Self { code: TERRITORIES[i].0, name: TERRITORIES[i].1 })
    }

    /// A territory as typed: its code or its English name, in any case.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        Self::from_code(text)
            .or_else(|| {
                std::iter::once((EU.code, EU.name))
                    .chain(TERRITORIES.iter().copied())
                    .find(|(_, name)| name.eq_ignore_ascii_case(text))
                    .and_then(|(code, _)| Self::from_code(code))
            })
            .ok_or_else(|| format!("“{text}” is not a country code (ISO 3166, e.g. DE) or a country's name."))
    }

    /// Every territory: `EU` first, then the countries by code.
    pub fn all() -> impl Iterator<Item = Self> {
        std::iter::once(EU).chain(TERRITORIES.iter().map(|&(code, name)| Self { code, name }))
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    pub fn name(self) -> &'static str {
        self.name
    }

    /// `North Korea (KP)`.
    pub fn words(self) -> String {
        format!("{} ({})", self.name, self.code)
    }

    /// Whether excluding `self` excludes `other`: the same territory, or `EU` and a member.
    pub fn covers(self, other: Self) -> bool {
        self == other || (self == EU && EU_MEMBERS.contains(&other.code))
    }
}

/// Territories typed as a comma-separated list (codes or names), each once, in order; or the
/// first that isn't one.
pub fn parse_list(text: &str) -> Result<Vec<Territory>, String> {
    let mut list: Vec<Territory> = Vec::new();
    for item in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let territory = Territory::parse(item)?;
        if !list.contains(&territory) {
            list.push(territory);
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_by_code_each_code_two_capitals() {
        assert_eq!(TERRITORIES.len(), 249);
        assert!(TERRITORIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(TERRITORIES.iter().all(|(c, _)| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(EU_MEMBERS.iter().all(|c| Territory::from_code(c).is_some()));
        assert_eq!(Territory::all().count(), 250);
    }

    #[test]
    fn codes_and_names_are_read_in_any_case() {
        assert_eq!(Territory::from_code("de").unwrap().words(), "Germany (DE)");
        assert_eq!(Territory::parse(" north korea ").unwrap().code(), "KP");
        assert_eq!(Territory::parse("eu").unwrap().name(), "European Union");
        assert_eq!(Territory::parse("European Union").unwrap().code(), "EU");
        assert!(Territory::parse("XX").unwrap_err().contains("not a country code"));
        assert!(Territory::from_code("UK").is_none(), "ISO's code is GB");
    }

    #[test]
    fn the_eu_covers_its_members_and_a_country_only_itself() {
        let (eu, de, ch) = (
            Territory::from_code("EU").unwrap(),
            Territory::from_code("DE").unwrap(),
            Territory::from_code("CH").unwrap(),
        );
        assert!(eu.covers(de) && !eu.covers(ch) && eu.covers(eu));
        assert!(!de.covers(eu), "excluding Germany does not exclude the whole union");
    }

    #[test]
    fn a_typed_list_keeps_each_territory_once_or_names_the_bad_one() {
        let list = parse_list("KP, iran, kp, ,EU").unwrap();
        assert_eq!(list.iter().map(|t| t.code()).collect::<Vec<_>>(), ["KP", "IR", "EU"]);
        assert!(parse_list("DE, Atlantis").unwrap_err().contains("Atlantis"));
        assert_eq!(parse_list("  "), Ok(vec![]));
    }
}
