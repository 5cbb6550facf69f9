//! A CID as someone else wrote it — a contract's `manifestCid`, a review's `commentCid`, a tier's
//! terms — parsed once, where it is read. Text that is not a CID is kept with the reason, so a
//! page can say which listing is broken instead of failing somewhere downstream.

use std::fmt;

use super::{Cid, CidError, IpfsError};

/// A CID read from the chain: valid, or the text as written and why it is not a CID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ListedCid {
    Valid(Cid),
    Unreadable { text: String, error: CidError },
}

impl ListedCid {
    /// Reads `text` (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Self {
        match text.trim().parse() {
            Ok(cid) => Self::Valid(cid),
            Err(error) => Self::Unreadable { text: text.to_owned(), error },
        }
    }

    /// The CID, or an [`IpfsError::InvalidCid`] saying what was written instead.
    pub fn cid(&self) -> Result<&Cid, IpfsError> {
        match self {
            Self::Valid(cid) => Ok(cid),
            Self::Unreadable { text, error } => {
                Err(IpfsError::InvalidCid { detail: format!("the chain names {text:?}, which is not a CID: {error}") })
            }
        }
    }

    /// The CID when valid.
    pub fn valid(&self) -> Option<&Cid> {
        self.cid().ok()
    }
}

impl From<Cid> for ListedCid {
    fn from(cid: Cid) -> Self {
        Self::Valid(cid)
    }
}

impl fmt::Display for ListedCid {
    /// The CID as text, or the text as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Valid(cid) => cid.fmt(f),
            Self::Unreadable { text, .. } => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ipfs::cid_of;

    #[test]
    fn a_valid_cid_is_parsed_once_and_written_back_the_same() {
        let cid = cid_of(b"card");
        let listed = ListedCid::parse(&format!(" {cid} "));
        assert_eq!(listed, ListedCid::Valid(cid.clone()));
        assert_eq!(listed.cid(), Ok(&cid));
        assert_eq!(listed.to_string(), cid.to_string());
    }

    #[test]
    fn text_that_is_not_a_cid_keeps_the_text_and_says_why() {
        let listed = ListedCid::parse("bafk-card");
        assert_eq!(listed.valid(), None);
        assert_eq!(listed.to_string(), "bafk-card");
        let error = listed.cid().unwrap_err();
        assert_eq!(error.kind(), "invalid_cid");
        let sentence = error.to_string();
        assert!(sentence.contains("\"bafk-card\", which is not a CID"), "{sentence}");
        assert!(matches!(ListedCid::parse(""), ListedCid::Unreadable { error: CidError::Empty, .. }));
    }
}
