//! The card's evaluation set in the browser: the dropped folder read (`manifest.json` and the
//! array files it names), or a `.zip`, `.npy` files or a CSV table built into a bundle by
//! `assay_inference::evaluation::assemble`, checked at once by `Bundle::new`, its files kept beside the draft and
//! restored after a reload; and Compute: the exact model file in memory evaluated on it by
//! `trial::evaluate` (the model page's Reproduce does the same), each metric measured, the
//! figures recorded in the draft as what the card claims. The rules are
//! `assay_core::listing_draft::evaluation`'s.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use assay_core::listing_draft::DraftFile;
use assay_inference::Engine;
use assay_inference::evaluation::assemble::MANIFEST;
use assay_inference::evaluation::{Bundle, BundleLimits, Dropped, Manifest, assemble, check_dropped_size, measure};
use leptos::prelude::*;

use super::wizard::Wizard;
use crate::drafts::{self, Kept};
use crate::error::AppError;
use crate::ipfs::cid_of;
use crate::trial::evaluate::{Stopped, evaluate, sentence};
use crate::ui::components::file_input::{read_bytes, read_text};

impl Wizard {
    /// Takes a dropped evaluation set: the bundle's folder (or `manifest.json` with its array
    /// files), a `.zip` of it, `.npy` files or one CSV table, the last three built into a bundle
    /// by `assemble`; checked against its manifest before anything is kept; a refusal is a
    /// sentence and the draft keeps what it had.
    pub async fn take_bundle(self, files: Vec<web_sys::File>) {
        self.busy.set(true);
        self.bundle_problem.set(None);
        if let Err(problem) = self.read_bundle(files).await {
            self.bundle_problem.set(Some(problem));
        }
        self.busy.set(false);
    }

    async fn read_bundle(self, files: Vec<web_sys::File>) -> Result<(), String> {
        let names: Vec<String> = files.iter().map(|f| f.name()).collect();
        let (text, bytes) = match Dropped::of(names.iter().map(String::as_str)).map_err(sentence)? {
            Dropped::Folder => read_folder(&files).await?,
            _ => {
                let size = files.iter().map(|f| f.size() as u64).sum();
                check_dropped_size(size, &BundleLimits::default()).map_err(sentence)?;
                let mut dropped = BTreeMap::new();
                for file in files.iter().filter(|f| !f.name().starts_with('.')) {
                    dropped.insert(file.name(), read_bytes(file).await.map_err(|e| e.sentence())?);
                }
                let (manifest, bytes) = assemble(dropped, &BundleLimits::default()).map_err(sentence)?;
                (manifest.to_json(), bytes)
            }
        };
        let manifest = Manifest::from_json(&text, &BundleLimits::default()).map_err(sentence)?;
        let names: Vec<String> = manifest.files().into_iter().map(str::to_owned).collect();
        Bundle::new(manifest, &bytes).map_err(sentence)?;
        let mut kept = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let file = &bytes[name];
            if let Err(e) = drafts::keep(Kept::BundleArray(i), file).await {
                self.bundle_problem.set(Some(format!(
                    "The evaluation set is fine, but this browser could not keep a copy for the draft ({e}): after a reload you will be asked for it again."
                )));
            }
            kept.push(DraftFile { name: name.clone(), size: file.len() as u64, cid: cid_of(file) });
        }
        let io = self.draft.with_untracked(|d| d.io_schema().ok());
        self.update(|d| d.evaluation.take_bundle(text, kept, io.as_ref()));
        self.bundle.set(Some(Arc::new(bytes)));
        Ok(())
    }

    /// Removes the evaluation set from the draft and from storage: the card then claims nothing
    /// reproducible.
    pub fn remove_bundle(&self) {
        let count = self.draft.with_untracked(|d| d.evaluation.files.len());
        self.update(|d| d.evaluation.remove());
        self.bundle.set(None);
        self.bundle_problem.set(None);
        leptos::task::spawn_local(async move {
            for i in 0..count {
                drafts::forget(Kept::BundleArray(i)).await;
            }
        });
    }

    /// After a reload: the kept array files, each checked against the draft's CID.
    pub(super) async fn restore_bundle(self) {
        let files = self.draft.with_untracked(|d| d.evaluation.files.clone());
        if files.is_empty() {
            return;
        }
        let mut bytes = BTreeMap::new();
        for (i, file) in files.iter().enumerate() {
            match drafts::kept(Kept::BundleArray(i)).await {
                Ok(Some(kept)) if cid_of(&kept) == file.cid => {
                    bytes.insert(file.name.clone(), kept);
                }
                _ => {
                    return self.bundle_problem.set(Some(format!(
                        "This browser no longer has the evaluation set's file {}: drop the evaluation set again.",
                        file.name
                    )));
                }
            }
        }
        self.bundle.set(Some(Arc::new(bytes)));
    }

    /// Computes every metric of the evaluation set on the model file in memory and records the
    /// figures in the draft (what the card claims); `said` hears the progress, `cancelled` is
    /// asked between chunks.
    pub async fn compute(
        self,
        cancelled: impl Fn() -> bool,
        said: impl Fn(String) + Clone + 'static,
    ) -> Result<Engine, Stopped> {
        let invalid = |text: String| Stopped::Failed(AppError::Invalid(text));
        let draft = self.draft.get_untracked();
        let io = draft.io_schema().map_err(|e| invalid(format!("Fix the I/O schema first: {}", e.message)))?;
        let setup = draft
            .evaluation
            .setup(&io)
            .map_err(|errors| invalid(errors.into_iter().next().map(|e| e.message).unwrap_or_default()))?;
        let model = draft.file.as_ref().ok_or_else(|| invalid("Choose the model file first (step 1).".into()))?;
        let bytes = self
            .bytes
            .get_untracked()
            .ok_or_else(|| invalid(format!("This browser no longer has {}: choose it again in step 1.", model.name)))?;
        let files = self
            .bundle
            .get_untracked()
            .ok_or_else(|| invalid("This browser no longer has the evaluation set's files: drop it again.".into()))?;
        let manifest = draft.evaluation.manifest().map_err(|e| invalid(e.message))?;
        let bundle = Bundle::new(manifest, &files).map_err(|e| invalid(sentence(e)))?;
        // The tolerance is not part of the figures: 0 here, the typed one in the card.
        let evaluation = setup.evaluation(0.0);
        let evaluated = evaluate(Rc::new(bytes.as_ref().clone()), &io, &bundle, &evaluation, cancelled, said).await?;
        let values = setup
            .metrics
            .iter()
            .map(|m| measure(m.kind, m.k, &evaluated.truth, &evaluated.predictions))
            .collect::<Result<Vec<f64>, String>>()
            .map_err(|e| invalid(sentence(e)))?;
        let model = model.cid.clone();
        self.update(|d| d.evaluation.record(model, io, setup, values));
        Ok(evaluated.engine)
    }
}

/// A dropped folder (or `manifest.json` with its array files): the manifest's text and the files
/// it names, only those read.
async fn read_folder(files: &[web_sys::File]) -> Result<(String, BTreeMap<String, Vec<u8>>), String> {
    let manifest_file = files.iter().find(|f| f.name() == MANIFEST).expect("a folder has its manifest");
    let text = read_text(manifest_file).await.map_err(|e| e.sentence())?;
    let manifest = Manifest::from_json(&text, &BundleLimits::default()).map_err(sentence)?;
    let names = manifest.files();
    if names.is_empty() {
        return Err(format!(
            "This {MANIFEST} names its arrays by CID (it was published already): drop the folder whose manifest names the array files."
        ));
    }
    let mut bytes = BTreeMap::new();
    for name in names {
        let file = files
            .iter()
            .find(|f| f.name() == name)
            .ok_or_else(|| format!("The manifest names {name}, which was not dropped with it."))?;
        bytes.insert(name.to_owned(), read_bytes(file).await.map_err(|e| e.sentence())?);
    }
    Ok((text, bytes))
}
