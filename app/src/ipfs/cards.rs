//! The session's model cards, one per manifest CID: each card is read from IPFS (verified against
//! its CID) **once per session**, whichever page asks first — Browse for the whole catalogue, the
//! model, library, creator and dashboard pages for the models they show.
//!
//! Cards are keyed by [`Cid`]; a listing whose manifest is not a CID ([`ListedCid::Unreadable`])
//! is answered at once with why, and never fetched.
//!
//! - [`request`] queues CIDs not seen yet; at most [`CARD_FETCHES`] are fetched at a time.
//! - [`text`] (Browse's [`Card`]: name, description, task, tags) and [`model_card`] (the whole
//!   [`ModelCard`] for the model page's card and trial) read what arrived; both are reactive: they
//!   track [`version`], which is bumped when cards arrive: at once for the first card after a
//!   quiet [`CARD_FLUSH`] and for the last one, else at most once per [`CARD_FLUSH`] while more are
//!   on their way.
//! - [`load`] awaits one card (requesting it if needed), for code that isn't reactive.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::time::Duration;

use assay_core::browse::{Card, CardText, Reveal, TierTerms, reveal};
use assay_core::config::IpfsConfig;
use assay_core::ipfs::ListedCid;
use assay_core::terms::{MAX_TERMS_BYTES, TermsDocument};
use assay_inference::ModelCard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use super::{Cid, Ipfs, IpfsError, read_json};
use crate::clock::now_ms;

/// Model cards fetched at the same time.
pub const CARD_FETCHES: usize = 4;
/// A model card larger than this is not a card.
pub const CARD_MAX_BYTES: u64 = 1 << 20;
/// Cards that arrive within this long of the last shown are shown together (one rebuild of
/// Browse's listings); a card arriving after a longer pause is shown at once.
pub const CARD_FLUSH: Duration = Duration::from_millis(200);

/// One card as read: its bytes (verified) and Browse's view of it, or why it can't be read.
#[derive(Clone)]
enum Entry {
    Loading,
    Read { bytes: Rc<[u8]>, text: Card },
    Unreadable(IpfsError),
}

#[derive(Default)]
struct Cards {
    entries: RefCell<HashMap<Cid, Entry>>,
    queue: RefCell<VecDeque<Cid>>,
    fetching: Cell<usize>,
    flush_pending: Cell<bool>,
    /// When arrived cards were last made visible ([`now_ms`]); none yet: `None`.
    flushed_at: Cell<Option<f64>>,
    /// `resolve` functions of [`load`]s waiting for a card.
    waiting: RefCell<HashMap<Cid, Vec<js_sys::Function>>>,
    /// Bumped when cards arrive.
    version: RefCell<Option<ArcRwSignal<u64>>>,
}

thread_local! {
    static CARDS: Cards = Cards::default();
}

/// The signal bumped when cards arrive; track it to re-read [`text`] or [`model_card`].
pub fn version() -> ArcRwSignal<u64> {
    CARDS.with(|cards| cards.version.borrow_mut().get_or_insert_with(|| ArcRwSignal::new(0)).clone())
}

/// Queues every manifest CID not seen yet and starts fetches up to [`CARD_FETCHES`].
pub fn request<'a>(cids: impl IntoIterator<Item = &'a ListedCid>, config: &IpfsConfig) {
    CARDS.with(|cards| {
        let mut entries = cards.entries.borrow_mut();
        let mut queue = cards.queue.borrow_mut();
        for cid in cids.into_iter().filter_map(ListedCid::valid) {
            if !entries.contains_key(cid) {
                entries.insert(cid.clone(), Entry::Loading);
                queue.push_back(cid.clone());
            }
        }
    });
    let mut ipfs = Ipfs::new(config);
    ipfs.max_bytes = CARD_MAX_BYTES;
    loop {
        let start = CARDS.with(|cards| {
            let more = cards.fetching.get() < CARD_FETCHES && !cards.queue.borrow().is_empty();
            if more {
                cards.fetching.set(cards.fetching.get() + 1);
            }
            more
        });
        if !start {
            break;
        }
        let ipfs = ipfs.clone();
        spawn_local(async move {
            while let Some(cid) = CARDS.with(|cards| cards.queue.borrow_mut().pop_front()) {
                let entry = read(&ipfs, &cid).await;
                let waiting = CARDS.with(|cards| {
                    cards.entries.borrow_mut().insert(cid.clone(), entry);
                    cards.waiting.borrow_mut().remove(&cid).unwrap_or_default()
                });
                for resolve in waiting {
                    let _ = resolve.call0(&JsValue::NULL);
                }
                let last = CARDS.with(|cards| cards.queue.borrow().is_empty() && cards.fetching.get() == 1);
                schedule_flush(last);
            }
            CARDS.with(|cards| cards.fetching.set(cards.fetching.get() - 1));
        });
    }
}

/// Moves `cid` to the front of the queue (a page is waiting for it).
fn hurry(cid: &Cid) {
    CARDS.with(|cards| {
        let mut queue = cards.queue.borrow_mut();
        if let Some(at) = queue.iter().position(|c| c == cid)
            && let Some(cid) = queue.remove(at)
        {
            queue.push_front(cid);
        }
    });
}

async fn read(ipfs: &Ipfs, cid: &Cid) -> Entry {
    match ipfs.fetch(cid, |_| {}).await {
        Ok(bytes) => {
            let text = match read_json::<CardText>(cid, &bytes) {
                Ok(text) => Card::Read(text),
                Err(e) => Card::Unreadable(e.to_string()),
            };
            Entry::Read { bytes: bytes.into(), text }
        }
        Err(e) => Entry::Unreadable(e),
    }
}

/// Makes the arrived cards visible ([`reveal`]): now for the last one and for one arriving more
/// than [`CARD_FLUSH`] after the last shown (the first card of a page is not held back), else at
/// the end of that [`CARD_FLUSH`], once for all that arrive meanwhile.
fn schedule_flush(last: bool) {
    let bump = || {
        CARDS.with(|cards| {
            cards.flush_pending.set(false);
            cards.flushed_at.set(Some(now_ms()));
        });
        version().update(|v| *v += 1);
    };
    let (scheduled, since_last) = CARDS.with(|cards| (cards.flush_pending.get(), cards.flushed_at.get()));
    let since_last = since_last.map(|at| now_ms() - at);
    match reveal(last, scheduled, since_last, CARD_FLUSH.as_secs_f64() * 1e3) {
        Reveal::Now => bump(),
        Reveal::After(ms) => {
            CARDS.with(|cards| cards.flush_pending.set(true));
            set_timeout(bump, Duration::from_secs_f64(ms / 1e3));
        }
        Reveal::Scheduled => {}
    }
}

/// The entry of `cid`: `Unreadable` at once for a manifest that is not a CID.
fn entry(cid: &ListedCid) -> Result<Option<Entry>, IpfsError> {
    let cid = cid.cid()?;
    Ok(CARDS.with(|cards| cards.entries.borrow().get(cid).cloned()))
}

/// Browse's view of a tier's terms at `cid` (`termsCid`), from the same cache (untracked, like
/// [`text`]): their restrictions once read whole.
pub fn terms(cid: &str) -> TierTerms {
    match entry(&ListedCid::parse(cid)) {
        Ok(None | Some(Entry::Loading)) => TierTerms::Loading,
        Ok(Some(Entry::Read { bytes, .. })) if bytes.len() as u64 <= MAX_TERMS_BYTES => {
            TermsDocument::parse(&bytes).map_or(TierTerms::Unreadable, |d| TierTerms::Read(d.restrictions))
        }
        _ => TierTerms::Unreadable,
    }
}

/// Browse's view of the card at `cid` (untracked: Browse tracks [`version`] once for all).
pub fn text(cid: &ListedCid) -> Card {
    match entry(cid) {
        Ok(None | Some(Entry::Loading)) => Card::Loading,
        Ok(Some(Entry::Read { text, .. })) => text,
        Ok(Some(Entry::Unreadable(reason))) | Err(reason) => Card::Unreadable(reason.to_string()),
    }
}

fn whole(cid: &ListedCid, bytes: &[u8]) -> Result<ModelCard, IpfsError> {
    read_json(cid, bytes)
}

/// The whole card at `cid`, tracked: `None` while it is on its way (it is requested if it
/// wasn't), else the card or why it can't be read.
pub fn model_card(config: &IpfsConfig, cid: &ListedCid) -> Option<Result<ModelCard, IpfsError>> {
    version().track();
    let valid = match cid.cid() {
        Ok(valid) => valid,
        Err(reason) => return Some(Err(reason)),
    };
    match entry(cid) {
        Ok(None) => {
            request([cid], config);
            hurry(valid);
            None
        }
        Ok(Some(Entry::Loading)) => {
            hurry(valid);
            None
        }
        Ok(Some(Entry::Read { bytes, .. })) => Some(whole(cid, &bytes)),
        Ok(Some(Entry::Unreadable(reason))) | Err(reason) => Some(Err(reason)),
    }
}

/// The model's name from its card, tracked; `None` while unknown (requested if it wasn't).
pub fn name(config: &IpfsConfig, cid: &ListedCid) -> Option<String> {
    model_card(config, cid)?.ok().map(|card| card.name).filter(|name| !name.trim().is_empty())
}

/// The whole card at `cid`, awaited (read from IPFS only if no page has read it yet).
pub async fn load(config: &IpfsConfig, cid: &ListedCid) -> Result<ModelCard, IpfsError> {
    let valid = cid.cid()?;
    loop {
        match entry(cid)? {
            Some(Entry::Read { bytes, .. }) => return whole(cid, &bytes),
            Some(Entry::Unreadable(reason)) => return Err(reason),
            None => request([cid], config),
            Some(Entry::Loading) => {}
        }
        hurry(valid);
        let arrived = js_sys::Promise::new(&mut |resolve, _| {
            CARDS.with(|cards| cards.waiting.borrow_mut().entry(valid.clone()).or_default().push(resolve));
        });
        let _ = wasm_bindgen_futures::JsFuture::from(arrived).await;
    }
}
