//! A glossary term where it appears: the word, underlined, explains itself on hover and on keyboard
//! focus (`assay_core::glossary`), as a tooltip the word is described by.

use std::sync::atomic::{AtomicU32, Ordering};

use assay_core::glossary;
use leptos::prelude::*;

/// Tooltip ids, unique on the page however often a term appears.
static TIPS: AtomicU32 = AtomicU32::new(0);

/// `children` (the word as the sentence uses it), explained as `term`.
#[component]
pub fn Term(term: glossary::Term, children: Children) -> impl IntoView {
    let id = format!("term-{}-{}", term.key(), TIPS.fetch_add(1, Ordering::Relaxed));
    let described_by = id.clone();
    view! {
        <span class="term" tabindex="0" data-testid="term" data-term=term.key() aria-describedby=described_by>
            {children()}
            <span class="term__tip" role="tooltip" id=id>{term.meaning()}</span>
        </span>
    }
}
