use super::*;

fn codes(list: &[&str]) -> Vec<Territory> {
    list.iter().map(|c| Territory::from_code(c).unwrap()).collect()
}

#[test]
fn a_terms_document_reads_back_as_written() {
    let document = TermsDocument::new("  Research licence ", "Non-commercial use only.\n\nCite the paper.\n");
    let text = document.to_text();
    assert_eq!(text, "Research licence\n\nNon-commercial use only.\n\nCite the paper.\n");
    assert_eq!(TermsDocument::parse(text.as_bytes()), Ok(document));
    // Windows line ends, a byte-order mark, no terms.
    assert_eq!(
        TermsDocument::parse("\u{feff}Commercial\r\n\r\nAny use.\r\n".as_bytes()),
        Ok(TermsDocument::new("Commercial", "Any use."))
    );
    assert_eq!(TermsDocument::parse(b"Only a title"), Ok(TermsDocument::new("Only a title", "")));
}

#[test]
fn restrictions_are_written_in_a_block_a_person_can_read_and_read_back() {
    let restrictions = Restrictions {
        prohibited_uses: vec![ProhibitedUse::Military, ProhibitedUse::BiometricIdentification],
        excluded_territories: codes(&["KP", "EU"]),
    };
    let document = TermsDocument::new("Research licence", "Non-commercial use only.").with_restrictions(restrictions);
    let text = document.to_text();
    assert_eq!(
        text,
        "Research licence\n\nNon-commercial use only.\n\n---\nassay-terms: 1\n\
         prohibited-uses: military, biometric-identification\nexcluded-territories: KP, EU\n"
    );
    assert_eq!(TermsDocument::parse(text.as_bytes()), Ok(document.clone()));
    assert_eq!(TermsDocument::parse(text.replace('\n', "\r\n").as_bytes()), Ok(document));
}

#[test]
fn restrictions_answer_uses_and_territories() {
    let r = Restrictions { prohibited_uses: vec![ProhibitedUse::Medical], excluded_territories: codes(&["EU", "KP"]) };
    assert!(!r.allows_use(ProhibitedUse::Medical) && r.allows_use(ProhibitedUse::Military));
    assert!(!r.allows_territory(codes(&["FR"])[0]), "France is in the excluded union");
    assert!(!r.allows_territory(codes(&["KP"])[0]));
    assert!(r.allows_territory(codes(&["CH"])[0]));
    assert!(Restrictions::default().is_empty() && !r.is_empty());
}

#[test]
fn a_block_that_cant_be_read_whole_makes_the_document_unreadable() {
    let head = "Licence\n\nTerms.\n\n---\n";
    for (block, said) in [
        ("assay-terms: 2\nprohibited-uses: military\n", "version 2"),
        ("assay-terms: 1\nprohibited-uses: gambling\n", "“gambling”"),
        ("assay-terms: 1\nexcluded-territories: XX\n", "“XX”"),
        ("assay-terms: 1\nallowed-planets: mars\n", "“allowed-planets”"),
        ("assay-terms: 1\njust words\n", "not “key: value”"),
    ] {
        let error = TermsDocument::parse(format!("{head}{block}").as_bytes()).unwrap_err();
        assert!(error.contains(said), "{block}: {error}");
    }
}

#[test]
fn a_rule_in_the_terms_words_is_not_a_block() {
    // A horizontal rule followed by anything but the block's first line stays part of the terms.
    let text = "Licence\n\nPart one.\n\n---\n\nPart two.\n";
    let document = TermsDocument::parse(text.as_bytes()).unwrap();
    assert_eq!(document.body, "Part one.\n\n---\n\nPart two.");
    assert!(document.restrictions.is_empty());
}

#[test]
fn terms_written_elsewhere_are_kept_whole_and_untitled() {
    // No blank line after the first: not this format; nothing is dropped.
    let text = "You may use this model\nfor research.";
    assert_eq!(
        TermsDocument::parse(text.as_bytes()),
        Ok(TermsDocument { title: String::new(), body: text.into(), restrictions: Restrictions::default() })
    );
    let long = "x".repeat(201);
    assert_eq!(TermsDocument::parse(long.as_bytes()).unwrap().title, "");
    assert!(TermsDocument::parse(&[0xff, 0xfe, 0x00]).unwrap_err().contains("not UTF-8"));
}
