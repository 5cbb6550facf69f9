//! `#/about`, "How Assay works": the marketplace for someone who has never used a dApp — models and
//! licences as tokens, files on IPFS checked by CID, trying before paying, the split of a fee,
//! encrypted models and escrow, claims anyone can reproduce, moderation, what a wallet asks and
//! why — with one diagram, then the glossary (`assay_core::glossary`) the app's terms link to.

use assay_core::glossary::Term as GlossaryTerm;
use assay_core::route::Route;
use leptos::prelude::*;

#[component]
pub fn AboutPage() -> impl IntoView {
    view! {
        <section data-page="about" class="about">
            <h1>"How Assay works"</h1>
            <p class="lede">
                "Assay is a marketplace for AI models that runs entirely in your browser. There is no Assay server: \
                 the catalogue is read from a public blockchain, the files come from IPFS, and your wallet signs what you decide."
            </p>
            <Diagram />
            <h2>"For buyers"</h2>
            <ol class="about__steps">
                <li><strong>"Browse without a wallet."</strong> " The catalogue, the model cards and the trials work for everyone; a wallet is only needed to buy, list or review."</li>
                <li><strong>"Try the exact file."</strong> " A model's Try it panel runs the very bytes you would buy, in your browser, on your own input. Nothing is uploaded."</li>
                <li><strong>"Check the claims."</strong> " Reproduce recomputes a claimed accuracy on the published evaluation set, in your browser, and says whether it matches."</li>
                <li><strong>"Buy a licence."</strong> " One transaction pays the tier's price; the contract splits it on the spot and gives you a licence token. Your library lists it and downloads the model, every byte checked against its CID."</li>
                <li><strong>"Encrypted models."</strong> " Your payment waits in escrow until the creator delivers your key; no key in time, you take it all back; a wrong key, you prove it and are refunded."</li>
            </ol>
            <h2>"For researchers"</h2>
            <p>
                "Drop an ONNX file into " <a href=Route::ListModel.href()>"List a model"</a> ": it is checked and run in your browser, you describe it, set licence tiers, co-authors and parent models, \
                 and one transaction lists it. Fees are split by the contract among you, your co-authors and the models you built on; \
                 the " <a href=Route::Dashboard.href()>"dashboard"</a> " withdraws your part."
            </p>
            <h2>"Trust between strangers"</h2>
            <p>
                "Anyone can " <strong>"report"</strong> " a stolen, malicious, misrepresented or illegal model by staking a deposit; the owner can answer, and an arbitrator decides. \
                 A delisted model sells nothing more, but licences already bought keep working. See " <a href=Route::Moderation.href()>"Moderation"</a> "."
            </p>
            <h2>"What your wallet will ask"</h2>
            <p>
                "Assay explains every request before your wallet opens. A " <strong>"transaction"</strong> " changes the chain (buying, listing, withdrawing) and pays a network fee (gas). \
                 A " <strong>"signature"</strong> " costs nothing; for encrypted models Assay asks for two to re-create your licence's key — those signatures are keys: never give them to another site."
            </p>
            <p>
                "Any browser wallet that announces itself (EIP-6963) works: install one, create an account, and press Connect in the header. \
                 Assay never sees your private key."
            </p>
            <h2 id="glossary">"Glossary"</h2>
            <dl class="glossary" data-testid="glossary">
                {GlossaryTerm::ALL.into_iter().map(|term| view! {
                    <dt id=format!("glossary-{}", term.key())>{term.name()}</dt>
                    <dd>{term.meaning()}</dd>
                }).collect_view()}
            </dl>
        </section>
    }
}

/// Who holds what: the researcher's files on IPFS, the listing and the licences on chain, the
/// buyer's browser checking, trying and paying.
#[component]
fn Diagram() -> impl IntoView {
    view! {
        <svg class="about__diagram" data-testid="about-diagram" viewBox="0 0 760 220" role="img" aria-labelledby="about-diagram-title about-diagram-desc">
            <title id="about-diagram-title">"How a model travels from a researcher to a buyer"</title>
            <desc id="about-diagram-desc">
                "The researcher's browser uploads the model and its card to IPFS and lists it on the chain as a token. \
                 The buyer's browser reads the listing from the chain, fetches the files from IPFS checking every byte against its CID, \
                 tries the model, and buys a licence token; the contract splits the fee."
            </desc>
            <DiagramBox x=10 y=20 title="Researcher's browser" detail="checks and runs the model" />
            <DiagramBox x=265 y=20 title="IPFS" detail="files by CID" />
            <DiagramBox x=265 y=130 title="Chain (contracts)" detail="model NFT, tiers, licences, split" />
            <DiagramBox x=560 y=75 title="Buyer's browser" detail="verifies, tries, buys" />
            <g class="about__arrows">
                <line x1="200" y1="55" x2="262" y2="55" />
                <line x1="160" y1="90" x2="262" y2="160" />
                <line x1="455" y1="55" x2="557" y2="100" />
                <line x1="455" y1="165" x2="557" y2="125" />
            </g>
            <text x="231" y="45" text-anchor="middle" class="about__small">"upload"</text>
            <text x="190" y="140" text-anchor="middle" class="about__small">"list"</text>
            <text x="508" y="58" text-anchor="middle" class="about__small">"fetch + verify"</text>
            <text x="508" y="168" text-anchor="middle" class="about__small">"licence token"</text>
        </svg>
    }
}

/// One box of the diagram: 190 × 70 at (`x`, `y`), its title and a line of detail centred in it.
#[component]
fn DiagramBox(x: u32, y: u32, title: &'static str, detail: &'static str) -> impl IntoView {
    let centre = x + 95;
    view! {
        <g class="about__box">
            <rect x=x y=y width="190" height="70" rx="10" />
            <text x=centre y=y + 30 text-anchor="middle">{title}</text>
            <text x=centre y=y + 52 text-anchor="middle" class="about__small">{detail}</text>
        </g>
    }
}
