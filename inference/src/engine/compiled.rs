//! Models compiled earlier in this session, by content: the same file with the same card (the
//! listing flow's validation then its trial, a reloaded trial, a second panel on the same model)
//! reuses the plan instead of compiling again. Keyed by the file's SHA-256 as the caller gives it
//! (the page hashes with WebCrypto at native speed; hashing here, in a worker whose code has not
//! been optimised yet, cost 120 ms for 5 MB), the card's I/O section and the limits. Without a
//! digest nothing is kept.

use std::collections::VecDeque;

use super::TractSession;
use crate::card::IoSchema;
use crate::report::{Limits, Refusal, Report};

#[derive(Clone, PartialEq, Eq)]
struct Key {
    digest: String,
    io: String,
    limits: String,
}

/// The last few compiled models, most recent first.
pub struct Compiled {
    capacity: usize,
    entries: VecDeque<(Key, TractSession, Report)>,
}

/// A model from [`Compiled::load`], and whether it was compiled earlier.
pub struct Loaded {
    pub session: TractSession,
    pub report: Report,
    pub reused: bool,
}

impl Compiled {
    /// Keeps at most `capacity` compiled models (each holds its weights).
    pub fn new(capacity: usize) -> Self {
        Self { capacity, entries: VecDeque::new() }
    }

    /// [`TractSession::load`], or the plan compiled earlier for the same file (`digest`, its
    /// SHA-256), card and limits. `digest` must be the digest of `bytes`: it is not checked.
    pub fn load(
        &mut self,
        bytes: &[u8],
        digest: Option<&str>,
        io: &IoSchema,
        limits: &Limits,
    ) -> Result<Loaded, Refusal> {
        let Some(digest) = digest else {
            let (session, report) = TractSession::load(bytes, io, limits)?;
            return Ok(Loaded { session, report, reused: false });
        };
        let key = Key {
            digest: digest.to_ascii_lowercase(),
            io: serde_json::to_string(io).unwrap_or_default(),
            limits: format!("{limits:?}"),
        };
        if let Some(at) = self.entries.iter().position(|(k, ..)| *k == key) {
            let entry = self.entries.remove(at).expect("present");
            let (session, report) = (entry.1.clone(), entry.2.clone());
            self.entries.push_front(entry);
            return Ok(Loaded { session, report, reused: true });
        }
        let (session, report) = TractSession::load(bytes, io, limits)?;
        if self.capacity > 0 {
            self.entries.truncate(self.capacity - 1);
            self.entries.push_front((key, session.clone(), report.clone()));
        }
        Ok(Loaded { session, report, reused: false })
    }
}
