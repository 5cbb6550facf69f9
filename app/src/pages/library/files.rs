//! The licensed file, open weights: fetched (verified against its CID) and saved under the licence's name.

use super::*;

/// The model file a card names, or why it names none.
pub(super) fn model_cid(card: &ModelCard) -> Result<Cid, AppError> {
    card.model
        .as_deref()
        .and_then(|c| c.parse::<Cid>().ok())
        .ok_or_else(|| AppError::Invalid("The model card names no model file.".into()))
}

#[component]
pub(super) fn Download(card: Signal<Option<ModelCard>>) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let state = RwSignal::new(None::<Result<String, AppError>>);
    let progress = RwSignal::new(None::<Progress>);
    let download = move |_| {
        let Some(card) = card.get_untracked() else { return };
        let cid = match model_cid(&card) {
            Ok(cid) => cid,
            Err(e) => return state.set(Some(Err(e))),
        };
        let ipfs = Ipfs::new(&config.ipfs);
        state.set(Some(Ok("Downloading…".into())));
        spawn_local(async move {
            let outcome = ipfs.fetch_detailed(&cid, move |p| progress.set(Some(p))).await;
            match outcome {
                Ok(Fetched { bytes, keeping, .. }) => {
                    let name = download_file_name(&card.name);
                    match bytes.to_blob().map_err(AppError::from).and_then(|blob| save_blob(&blob, &name)) {
                        Ok(()) => {
                            let saved = format!("Saved {name}: {} bytes, verified against {cid}.", bytes.len());
                            state.set(Some(Ok(saved.clone())));
                            drop(bytes);
                            // The saved file is what matters; a cache that could not keep a copy is said.
                            if let Err(e) = keeping.kept_offline().await {
                                state.set(Some(Ok(format!("{saved} Not kept in this browser for offline use: {e}"))));
                            }
                        }
                        Err(e) => state.set(Some(Err(e))),
                    }
                }
                Err(e) => state.set(Some(Err(e.into()))),
            }
        });
    };
    view! {
        <button class="button button--primary" data-testid="licence-download" on:click=download>"Download model"</button>
        {download_status(progress, state)}
    }
}

/// A download's progress bar while it runs, then what happened.
pub(super) fn download_status(
    progress: RwSignal<Option<Progress>>,
    state: RwSignal<Option<Result<String, AppError>>>,
) -> impl IntoView {
    view! {
        {move || progress.get().filter(|p| p.total > 0 && p.done < p.total).map(|p| view! {
            <progress max=p.total.to_string() value=p.done.to_string()></progress>
        })}
        {move || state.get().map(|s| match s {
            Ok(text) => view! { <p class="muted" data-testid="licence-download-status">{text}</p> }.into_any(),
            Err(e) => view! { <ErrorNote testid="licence-download-error" error=e /> }.into_any(),
        })}
    }
}
