//! The wizard's shared state (a `Copy` handle in the page's context) and what it does with the
//! chosen files: inspect them in the tract worker, keep them for a reload, restore them.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use std::sync::Arc;

use alloy_primitives::U256;
use assay_core::listing_draft::{Draft, DraftFile, Step};
use assay_core::units::format_bytes;
use assay_inference::{IoSchema, Report, Verdict};
use leptos::prelude::*;

use crate::drafts::{self, Kept};
use crate::ipfs::cid_of;
use crate::trial::cpu;
use crate::trial::tract::{CpuError, TractWorker};

/// An evaluation set's array files, by the name the manifest gives them.
pub(super) type BundleFiles = BTreeMap<String, Vec<u8>>;

/// The wizard's shared state. Cheap to copy.
#[derive(Clone, Copy)]
pub(super) struct Wizard {
    pub draft: RwSignal<Draft>,
    /// The step on screen (any step up to `draft.step` can be revisited).
    pub showing: RwSignal<Step>,
    /// The model file's bytes in memory (from the file input or IndexedDB).
    pub bytes: RwSignal<Option<Arc<Vec<u8>>>>,
    /// What the worker read of the file.
    pub report: RwSignal<Option<Report>>,
    /// Which engines run the model with the current I/O schema (set when step 2 validates it).
    pub engines: RwSignal<Option<Verdict>>,
    /// Why no engine could be checked with the current schema (shown in step 1; step 2 validates again).
    pub engines_problem: RwSignal<Option<String>>,
    /// A trial of this file succeeded since it was chosen: publishing without one asks first.
    pub tried: RwSignal<bool>,
    /// An encrypted listing's public trial file in memory.
    pub trial_bytes: RwSignal<Option<Arc<Vec<u8>>>>,
    /// Why the trial file was refused or could not be restored.
    pub trial_problem: RwSignal<Option<String>>,
    /// The evaluation set's array files in memory, by file name (dropped, or from IndexedDB).
    pub bundle: RwSignal<Option<Arc<BundleFiles>>>,
    /// Why the dropped evaluation set was refused, or why its kept files could not be restored.
    pub bundle_problem: RwSignal<Option<String>>,
    /// Why the file was refused, or why the kept file could not be restored.
    pub file_problem: RwSignal<Option<String>>,
    /// Why a good file could not be kept for a reload (storage full, …): a warning, not a refusal.
    pub file_not_kept: RwSignal<Option<String>>,
    /// Steps whose Next was pressed: their errors are shown from then on.
    attempted: RwSignal<BTreeSet<Step>>,
    /// Why the draft could not be saved (storage full, …).
    pub save_problem: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
    /// The listing minted, once it is (the draft is gone then).
    pub listed: RwSignal<Option<U256>>,
}

impl Wizard {
    pub fn new() -> Self {
        let draft = drafts::load().unwrap_or_default();
        let showing = draft.step;
        Self {
            draft: RwSignal::new(draft),
            showing: RwSignal::new(showing),
            bytes: RwSignal::new(None),
            report: RwSignal::new(None),
            engines: RwSignal::new(None),
            engines_problem: RwSignal::new(None),
            tried: RwSignal::new(false),
            trial_bytes: RwSignal::new(None),
            trial_problem: RwSignal::new(None),
            bundle: RwSignal::new(None),
            bundle_problem: RwSignal::new(None),
            file_problem: RwSignal::new(None),
            file_not_kept: RwSignal::new(None),
            attempted: RwSignal::new(BTreeSet::new()),
            save_problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            listed: RwSignal::new(None),
        }
    }

    /// Changes the draft and saves it.
    pub fn update(&self, change: impl FnOnce(&mut Draft)) {
        self.draft.update(change);
        self.save();
    }

    fn save(&self) {
        let result = self.draft.with_untracked(drafts::save);
        self.save_problem.set(result.err().map(|e| {
            format!("The draft could not be saved in this browser: {e}. Finish the listing without reloading the page.")
        }));
    }

    /// The person agreed to keep the draft on this shared origin: the draft and the files in
    /// memory are kept from now on (`drafts::agree`).
    pub async fn keep_here(self) {
        drafts::agree();
        self.save();
        let problem = |e: crate::error::AppError| {
            self.file_not_kept.set(Some(format!("The file could not be kept in this browser: {e}.")));
        };
        if let Some(bytes) = self.bytes.get_untracked()
            && let Err(e) = drafts::keep(Kept::Model, &bytes).await
        {
            problem(e);
        }
        if let Some(bytes) = self.trial_bytes.get_untracked()
            && let Err(e) = drafts::keep(Kept::Trial, &bytes).await
        {
            problem(e);
        }
    }

    /// Forgets the draft and its files: the wizard starts afresh at the first step.
    pub async fn start_over(self) {
        drafts::clear().await;
        self.draft.set(Draft::default());
        self.bytes.set(None);
        self.trial_bytes.set(None);
        self.trial_problem.set(None);
        self.bundle.set(None);
        self.bundle_problem.set(None);
        self.report.set(None);
        self.engines.set(None);
        self.engines_problem.set(None);
        self.tried.set(false);
        self.file_problem.set(None);
        self.file_not_kept.set(None);
        self.attempted.set(BTreeSet::new());
        self.showing.set(Step::File);
    }

    /// The page's tract worker (`TractWorker::shared`: started on first use, and again if it died).
    pub async fn worker(&self) -> Result<Rc<TractWorker>, String> {
        TractWorker::shared().await.map_err(|e| e.sentence())
    }

    /// Shows `step` (now reached) from its top.
    pub fn go(&self, step: Step) {
        self.showing.set(step);
        self.update(|d| d.step = d.step.max(step));
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }

    /// Next was pressed on `step`: its errors are shown from now on.
    pub fn attempt(&self, step: Step) {
        self.attempted.update(|a| {
            a.insert(step);
        });
    }

    pub fn shows_errors(&self, step: Step) -> bool {
        self.attempted.with(|a| a.contains(&step))
    }

    /// Takes a chosen file: checks it, keeps it, proposes its I/O schema.
    pub async fn take_file(self, name: String, bytes: Vec<u8>) {
        self.check_file(name, bytes, true).await;
    }

    /// Checks a file and proposes its I/O schema; `keep`: also keeps it in IndexedDB (not when it
    /// was just read back from there).
    async fn check_file(self, name: String, bytes: Vec<u8>, keep: bool) {
        self.busy.set(true);
        self.file_problem.set(None);
        self.file_not_kept.set(None);
        let cid = cid_of(&bytes);
        let size = bytes.len() as u64;
        let inspected = match self.worker().await {
            Ok(worker) => worker.inspect(&bytes).await.map_err(cpu_error),
            Err(e) => Err(format!("The CPU engine could not start: {e}")),
        };
        match inspected {
            Err(reason) => {
                self.file_problem.set(Some(format!("{name} can't be listed: {reason}")));
                self.report.set(None);
            }
            Ok(report) => {
                let same_file = self.draft.with_untracked(|d| d.file.as_ref().is_some_and(|f| f.cid == cid));
                let proposed =
                    serde_json::to_string_pretty(&IoSchema::proposed(&report)).expect("an I/O schema serialises");
                let kept = if keep { drafts::keep(Kept::Model, &bytes).await } else { Ok(()) };
                self.update(|d| {
                    d.file = Some(DraftFile { name: name.clone(), size, cid: cid.clone() });
                    if !same_file || d.io.trim().is_empty() {
                        d.io = proposed;
                    }
                    if d.card.name.trim().is_empty() {
                        d.card.name = name.trim_end_matches(".onnx").replace(['-', '_'], " ");
                    }
                });
                if let Err(e) = kept {
                    self.file_not_kept.set(Some(format!(
                        "The file is fine, but this browser could not keep a copy for the draft ({e}): after a reload you will be asked for it again."
                    )));
                }
                // A new file: nothing is known yet of which engines run it, nor tried.
                if !same_file {
                    self.tried.set(false);
                }
                self.report.set(Some(report));
                self.check_engines(&bytes).await;
                self.bytes.set(Some(Arc::new(bytes)));
            }
        }
        self.busy.set(false);
    }

    /// Which engines run the file with the draft's I/O schema (the proposed one for a new file):
    /// inspection alone can't tell whether tract analyses a model, so step 1 says ✓ only once an
    /// engine has prepared it. A schema that doesn't fit yet is step 2's to fix, not the file's.
    async fn check_engines(self, bytes: &[u8]) {
        self.engines.set(None);
        self.engines_problem.set(None);
        let Ok(io) = self.draft.with_untracked(Draft::io_schema) else { return };
        let worker = match self.worker().await {
            Ok(worker) => worker,
            Err(e) => return self.engines_problem.set(Some(format!("The CPU engine could not start: {e}"))),
        };
        match cpu::validate(&worker, bytes, &io).await {
            Ok((_, verdict)) => self.engines.set(Some(verdict)),
            Err(e) => self.engines_problem.set(Some(e.sentence())),
        }
    }

    /// Takes the public trial file of an encrypted listing: inspected like the model (its I/O is
    /// checked against the schema at publication), kept for a reload.
    pub async fn take_trial(self, name: String, bytes: Vec<u8>) {
        self.busy.set(true);
        self.trial_problem.set(None);
        let inspected = match self.worker().await {
            Ok(worker) => worker.inspect(&bytes).await.map_err(cpu_error),
            Err(e) => Err(format!("The CPU engine could not start: {e}")),
        };
        match inspected {
            Err(reason) => self.trial_problem.set(Some(format!("{name} can't be the trial file: {reason}"))),
            Ok(_) => {
                let file = DraftFile { name, size: bytes.len() as u64, cid: cid_of(&bytes) };
                if let Err(e) = drafts::keep(Kept::Trial, &bytes).await {
                    self.trial_problem.set(Some(format!(
                        "This browser could not keep a copy of the trial file for the draft ({e})."
                    )));
                }
                self.update(|d| d.trial = Some(file));
                self.trial_bytes.set(Some(Arc::new(bytes)));
            }
        }
        self.busy.set(false);
    }

    /// Removes an encrypted listing's trial file from the draft and from storage.
    pub fn remove_trial(&self) {
        self.update(|d| d.trial = None);
        self.trial_bytes.set(None);
        self.trial_problem.set(None);
        leptos::task::spawn_local(drafts::forget(Kept::Trial));
    }

    /// After a reload: the kept trial file, checked against the draft's CID.
    async fn restore_trial(self) {
        let Some(file) = self.draft.with_untracked(|d| d.trial.clone()) else { return };
        match drafts::kept(Kept::Trial).await {
            Ok(Some(bytes)) if cid_of(&bytes) == file.cid => self.trial_bytes.set(Some(Arc::new(bytes))),
            _ => self
                .trial_problem
                .set(Some(format!("This browser no longer has the trial file ({}). Choose it again.", file.name))),
        }
    }

    /// After a reload: the kept files, checked against the draft's CIDs, the model inspected again.
    pub async fn restore_files(self) {
        self.restore_trial().await;
        self.restore_bundle().await;
        let Some(file) = self.draft.with_untracked(|d| d.file.clone()) else { return };
        match drafts::kept(Kept::Model).await {
            Ok(Some(bytes)) if cid_of(&bytes) == file.cid => self.check_file(file.name, bytes, false).await,
            Ok(_) => self.file_problem.set(Some(format!(
                "This browser no longer has the draft's model file ({}, {}). Choose it again to go on: the rest of the draft is kept.",
                file.name,
                format_bytes(file.size)
            ))),
            Err(e) => self.file_problem.set(Some(format!("The draft's model file could not be read back ({e}). Choose {} again.", file.name))),
        }
    }
}

/// The worker's refusal or failure, in words.
pub(super) fn cpu_error(e: CpuError) -> String {
    match e {
        CpuError::Refused(refusal) => refusal.to_string(),
        CpuError::Failed(message) => message,
    }
}
