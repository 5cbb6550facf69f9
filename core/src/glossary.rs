//! The words a first-time visitor meets, each explained in a sentence or two without jargon: shown
//! where the word appears (on hover and on keyboard focus) and listed on "How Assay works".

/// A term the app explains where it appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Wallet,
    Signature,
    Transaction,
    Gas,
    ModelNft,
    Tier,
    LicenceToken,
    Cid,
    Ipfs,
    Trial,
    Split,
    Escrow,
    Challenge,
    Reproduce,
    Report,
}

impl Term {
    /// Every term, in the order "How Assay works" lists them.
    pub const ALL: [Term; 15] = [
        Term::Wallet,
        Term::Signature,
        Term::Transaction,
        Term::Gas,
        Term::ModelNft,
        Term::Tier,
        Term::LicenceToken,
        Term::Ipfs,
        Term::Cid,
        Term::Trial,
        Term::Split,
        Term::Escrow,
        Term::Challenge,
        Term::Reproduce,
        Term::Report,
    ];

    /// The term as the glossary names it.
    pub fn name(self) -> &'static str {
        match self {
            Term::Wallet => "Wallet",
            Term::Signature => "Signature",
            Term::Transaction => "Transaction",
            Term::Gas => "Gas",
            Term::ModelNft => "Model NFT",
            Term::Tier => "Licence tier",
            Term::LicenceToken => "Licence token",
            Term::Ipfs => "IPFS",
            Term::Cid => "CID",
            Term::Trial => "Trial",
            Term::Split => "Split",
            Term::Escrow => "Escrow",
            Term::Challenge => "Challenge",
            Term::Reproduce => "Reproduce",
            Term::Report => "Report",
        }
    }

    /// An id for the page's anchors and `aria-describedby` (lowercase, dashes).
    pub fn key(self) -> &'static str {
        match self {
            Term::Wallet => "wallet",
            Term::Signature => "signature",
            Term::Transaction => "transaction",
            Term::Gas => "gas",
            Term::ModelNft => "model-nft",
            Term::Tier => "tier",
            Term::LicenceToken => "licence-token",
            Term::Ipfs => "ipfs",
            Term::Cid => "cid",
            Term::Trial => "trial",
            Term::Split => "split",
            Term::Escrow => "escrow",
            Term::Challenge => "challenge",
            Term::Reproduce => "reproduce",
            Term::Report => "report",
        }
    }

    /// What it means, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            Term::Wallet => {
                "A browser extension or app that holds your account's private key. Assay never sees the key: \
                 it asks your wallet to sign, and the wallet shows you what you sign."
            }
            Term::Signature => {
                "Your wallet's proof that you approved a message. It costs nothing and moves no money; Assay \
                 asks for two to re-create your encryption key for a licence — never sign those on another site."
            }
            Term::Transaction => {
                "A change to the shared ledger (the chain) sent from your account: buying, listing, withdrawing. \
                 It may move money and always pays a small fee (gas); it cannot be undone once confirmed."
            }
            Term::Gas => {
                "The network's fee for a transaction, paid in ETH to the network — not to Assay or the creator. \
                 Your wallet shows the estimate before you confirm."
            }
            Term::ModelNft => {
                "A listed model is a token (ERC-721) owned by its creator: it records the model's files by CID, \
                 its co-authors and parents, and who is paid when a licence is sold."
            }
            Term::Tier => {
                "One way of buying a licence of a model: a price, a duration, whether commercial use and \
                 derivatives are allowed, and the licence terms. A model offers one or more tiers."
            }
            Term::LicenceToken => {
                "What you get when you buy: a token in your account that proves your licence. The library \
                 lists them; some tiers let you transfer the token to someone else."
            }
            Term::Ipfs => {
                "A network that stores files by what they contain, not where they are. Models, cards and \
                 evidence are on IPFS, and anyone can serve them."
            }
            Term::Cid => {
                "A file's content identifier: a fingerprint of its bytes. The app checks every byte it fetches \
                 against the CID, so a gateway cannot hand you a different file."
            }
            Term::Trial => {
                "Running the exact listed model file in your browser before you pay, on your own input. Nothing \
                 leaves your computer."
            }
            Term::Split => {
                "How a licence fee is shared, by the contract at the moment of sale: the protocol fee, then the \
                 parent models' and co-authors' shares, the rest to the model's owner."
            }
            Term::Escrow => {
                "For an encrypted model, your payment is held by the contract until the creator delivers your \
                 key. No key in time: you take the full price back."
            }
            Term::Challenge => {
                "If a delivered key does not open the model, your browser proves it on chain, and the contract \
                 refunds you in full."
            }
            Term::Reproduce => {
                "Recomputing a claimed metric (e.g. accuracy) in your browser on the exact model file and a \
                 published evaluation set, to see whether the card's claim holds."
            }
            Term::Report => {
                "Flagging a model as stolen, malicious, misrepresented or illegal, with a stake you get back if \
                 the report is upheld or unanswered. The owner can answer; an arbitrator decides."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_term_is_listed_once_with_a_distinct_key_and_a_sentence() {
        assert_eq!(Term::ALL.iter().collect::<BTreeSet<_>>().len(), Term::ALL.len());
        let keys: BTreeSet<_> = Term::ALL.iter().map(|t| t.key()).collect();
        assert_eq!(keys.len(), Term::ALL.len());
        for term in Term::ALL {
            assert!(term.key().chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{term:?}");
            let meaning = term.meaning();
            assert!(meaning.ends_with('.') && meaning.len() < 260, "{term:?}: {meaning}");
            assert!(!meaning.contains("  "), "{term:?}");
        }
    }

    #[test]
    fn the_key_deriving_signatures_are_said_never_to_be_given_to_another_site() {
        assert!(Term::Signature.meaning().contains("costs nothing"));
        assert!(Term::Signature.meaning().contains("never sign those on another site"));
        assert!(Term::Gas.meaning().contains("not to Assay"));
    }
}
