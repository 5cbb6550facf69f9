//! Hugging Face's licence ids (lower case, `apache-2.0`) and the SPDX ids Assay cards name
//! (`Apache-2.0`), both ways. Hub ids with no SPDX twin (`openrail`, `llama3.1`, …) stay as they are.

/// Hub id → SPDX id.
const SPDX: &[(&str, &str)] = &[
    ("apache-2.0", "Apache-2.0"),
    ("mit", "MIT"),
    ("bsd", "BSD-4-Clause"),
    ("bsd-2-clause", "BSD-2-Clause"),
    ("bsd-3-clause", "BSD-3-Clause"),
    ("bsd-3-clause-clear", "BSD-3-Clause-Clear"),
    ("isc", "ISC"),
    ("unlicense", "Unlicense"),
    ("zlib", "Zlib"),
    ("bsl-1.0", "BSL-1.0"),
    ("wtfpl", "WTFPL"),
    ("postgresql", "PostgreSQL"),
    ("ncsa", "NCSA"),
    ("artistic-2.0", "Artistic-2.0"),
    ("cc0-1.0", "CC0-1.0"),
    ("cc-by-2.0", "CC-BY-2.0"),
    ("cc-by-2.5", "CC-BY-2.5"),
    ("cc-by-3.0", "CC-BY-3.0"),
    ("cc-by-4.0", "CC-BY-4.0"),
    ("cc-by-sa-3.0", "CC-BY-SA-3.0"),
    ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
    ("cc-by-nc-2.0", "CC-BY-NC-2.0"),
    ("cc-by-nc-3.0", "CC-BY-NC-3.0"),
    ("cc-by-nc-4.0", "CC-BY-NC-4.0"),
    ("cc-by-nd-4.0", "CC-BY-ND-4.0"),
    ("cc-by-nc-nd-3.0", "CC-BY-NC-ND-3.0"),
    ("cc-by-nc-nd-4.0", "CC-BY-NC-ND-4.0"),
    ("cc-by-nc-sa-2.0", "CC-BY-NC-SA-2.0"),
    ("cc-by-nc-sa-3.0", "CC-BY-NC-SA-3.0"),
    ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0"),
    ("gpl", "GPL-3.0-or-later"),
    ("gpl-2.0", "GPL-2.0-only"),
    ("gpl-3.0", "GPL-3.0-only"),
    ("lgpl", "LGPL-3.0-or-later"),
    ("lgpl-2.1", "LGPL-2.1-only"),
    ("lgpl-3.0", "LGPL-3.0-only"),
    ("lgpl-lr", "LGPLLR"),
    ("agpl-3.0", "AGPL-3.0-only"),
    ("mpl-2.0", "MPL-2.0"),
    ("epl-1.0", "EPL-1.0"),
    ("epl-2.0", "EPL-2.0"),
    ("ecl-2.0", "ECL-2.0"),
    ("eupl-1.1", "EUPL-1.1"),
    ("eupl-1.2", "EUPL-1.2"),
    ("afl-3.0", "AFL-3.0"),
    ("osl-3.0", "OSL-3.0"),
    ("cdla-sharing-1.0", "CDLA-Sharing-1.0"),
    ("cdla-permissive-1.0", "CDLA-Permissive-1.0"),
    ("cdla-permissive-2.0", "CDLA-Permissive-2.0"),
    ("odbl", "ODbL-1.0"),
    ("odc-by", "ODC-By-1.0"),
    ("pddl", "PDDL-1.0"),
    ("lppl-1.3c", "LPPL-1.3c"),
    ("ofl-1.1", "OFL-1.1"),
];

/// What the licence key of a Hub card says, as a card's licence: the SPDX id where there is one,
/// else the Hub id as written.
pub fn from_hub(id: &str) -> String {
    let id = id.trim();
    SPDX.iter()
        .find(|(hub, _)| hub.eq_ignore_ascii_case(id))
        .map_or_else(|| id.to_owned(), |(_, spdx)| (*spdx).to_owned())
}

/// How a card's licence is written in a Hub card: the Hub id for an SPDX id it knows (or a Hub
/// id itself: one word of lower-case letters, digits, `.`, `-` and `+`); anything else is
/// `license: other` with the text as `license_name`.
pub fn to_hub(licence: &str) -> HubLicence {
    let licence = licence.trim();
    if let Some((hub, _)) =
        SPDX.iter().find(|(hub, spdx)| spdx.eq_ignore_ascii_case(licence) || hub.eq_ignore_ascii_case(licence))
    {
        return HubLicence::Id((*hub).to_owned());
    }
    let hub_like = !licence.is_empty()
        && licence != "other"
        && licence.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    if hub_like { HubLicence::Id(licence.to_owned()) } else { HubLicence::Other(licence.to_owned()) }
}

/// A licence as a Hub card's front matter writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HubLicence {
    /// `license: <id>`.
    Id(String),
    /// `license: other` and `license_name: <name>`.
    Other(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_ids_become_spdx_ids_and_back() {
        assert_eq!(from_hub("apache-2.0"), "Apache-2.0");
        assert_eq!(from_hub("MIT"), "MIT");
        assert_eq!(from_hub("openrail"), "openrail");
        assert_eq!(to_hub("Apache-2.0"), HubLicence::Id("apache-2.0".into()));
        assert_eq!(to_hub("llama3.1"), HubLicence::Id("llama3.1".into()));
        assert_eq!(
            to_hub("Research only, no redistribution"),
            HubLicence::Other("Research only, no redistribution".into())
        );
        for (hub, spdx) in SPDX {
            assert_eq!(to_hub(&from_hub(hub)), HubLicence::Id((*hub).to_owned()), "{spdx}");
        }
    }
}
