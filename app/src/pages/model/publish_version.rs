//! The model page's "Publish a new version" panel, for the model's owner: a new `.onnx` file
//! (validated against the card's I/O schema in the tract worker) and/or the card as it is, with a
//! changelog; the new card goes to IPFS and `publishVersion` appends it. The trial and the
//! catalogue then use the newest version. For encrypted weights the new file is encrypted here
//! with the model's content key (re-created from the owner's signature and checked against the
//! on-chain commitment, which covers every version), so licence holders open it with the key
//! they already have.

use alloy_primitives::U256;
use assay_core::config::RuntimeConfig;
use assay_core::contracts::IAssayMarket::{self, ModelSummary};
use assay_core::ipfs::IpfsError;
use assay_core::units::format_bytes;
use assay_inference::ModelCard;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::chain::Market;
use crate::chain::catalogue::CatalogueContext;
use crate::chain::tx::{TxContext, Write};
use crate::error::AppError;
use crate::ipfs::{Ipfs, UploadSource, cid_of};
use crate::trial::tract::{CpuError, TractWorker};
use crate::ui::components::error::ErrorNote;
use crate::ui::components::file_input::{chosen_file, read_bytes};
use crate::wallet::WalletContext;

#[component]
pub fn PublishVersion(summary: ModelSummary, card: Signal<Option<ModelCard>>, reads: RwSignal<u32>) -> impl IntoView {
    let wallet: WalletContext = expect_context();
    let owner = summary.owner;
    let is_owner = move || wallet.connection.with(|c| c.as_ref().is_some_and(|c| c.account == owner));
    let delisted = summary.delisted;
    move || {
        is_owner().then(|| {
            if delisted {
                // The market refuses new versions of a delisted model.
                view! { <p class="muted" data-testid="version-delisted">"This model was delisted by moderation: no new versions can be published."</p> }.into_any()
            } else {
                view! { <VersionForm model_id=summary.id card=card reads=reads /> }.into_any()
            }
        })
    }
}

#[component]
fn VersionForm(model_id: U256, card: Signal<Option<ModelCard>>, reads: RwSignal<u32>) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let tx: TxContext = expect_context();
    let catalogue = CatalogueContext::wanted();
    let wallet: WalletContext = expect_context();
    let changelog = RwSignal::new(String::new());
    let file = RwSignal::new(None::<(String, Vec<u8>)>);
    let status = RwSignal::new(None::<Result<String, AppError>>);
    let busy = RwSignal::new(false);
    let chosen = move |ev: web_sys::Event| {
        let Some(f) = chosen_file(&ev) else { return };
        spawn_local(async move {
            match read_bytes(&f).await {
                Ok(bytes) => file.set(Some((f.name(), bytes))),
                Err(e) => status.set(Some(Err(e))),
            }
        });
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = changelog.get_untracked().trim().to_owned();
        if text.is_empty() {
            status.set(Some(Err(AppError::Invalid("Say what changed in this version (the changelog).".into()))));
            return;
        }
        let Some(current) = card.get_untracked() else {
            status.set(Some(Err(AppError::Invalid("The current model card is not loaded yet.".into()))));
            return;
        };
        let market = match Market::session() {
            Ok(market) => market,
            Err(e) => return status.set(Some(Err(e.into()))),
        };
        let ipfs = Ipfs::new(&config.ipfs);
        let new_file = file.get_untracked();
        busy.set(true);
        status.set(None);
        spawn_local(async move {
            let result = async {
                let mut next = ModelCard { changelog: text, ..current };
                if let Some((name, bytes)) = new_file {
                    status.set(Some(Ok(format!("Validating {name} against the model card…"))));
                    let worker = TractWorker::shared().await?;
                    worker.validate(&bytes, &next.io).await.map_err(|e| match e {
                        CpuError::Refused(r) => {
                            AppError::Invalid(format!("{name} can't replace this model's file: {r}"))
                        }
                        CpuError::Failed(m) => AppError::Browser(m),
                    })?;
                    if let Some(encryption) = next.encryption.as_mut() {
                        status.set(Some(Ok(
                            "Confirm the signature requests in your wallet: they re-create the model's key.".into(),
                        )));
                        let (key, key_id) = crate::encryption::committed_content_key(
                            &wallet,
                            &market,
                            model_id,
                            &encryption.key_id,
                            &next.name,
                            "publish",
                        )
                        .await?;
                        status.set(Some(Ok(format!("Encrypting {name}…"))));
                        let blob = crate::encryption::encrypt(&bytes, &key, key_id, |_| {}).await?;
                        encryption.size = bytes.len() as u64;
                        drop(bytes);
                        status.set(Some(Ok(format!(
                            "Uploading {name}, encrypted ({})…",
                            format_bytes(blob.size() as u64)
                        ))));
                        let uploaded =
                            ipfs.upload(UploadSource::Blob(blob), &format!("{name}.assayenc"), |_, _| {}).await?;
                        next.model = Some(uploaded.to_string());
                    } else {
                        status.set(Some(Ok(format!("Uploading {name} ({})…", format_bytes(bytes.len() as u64)))));
                        let local = cid_of(&bytes);
                        let uploaded = ipfs.upload(UploadSource::Bytes(bytes), &name, |_, _| {}).await?;
                        if uploaded != local {
                            return Err(IpfsError::CidMismatch {
                                local: local.to_string(),
                                remote: uploaded.to_string(),
                            }
                            .into());
                        }
                        next.model = Some(uploaded.to_string());
                    }
                }
                status.set(Some(Ok("Uploading the new model card…".into())));
                let card_bytes = serde_json::to_vec_pretty(&next).expect("a model card serialises");
                let card_cid = ipfs.upload(UploadSource::Bytes(card_bytes), "card.json", |_, _| {}).await?;
                let call = IAssayMarket::publishVersionCall { modelId: model_id, manifestCid: card_cid.to_string() };
                tx.send(Write::call(format!("Publish a new version of {}", next.name), market.address, &call)).await?;
                Ok::<_, AppError>(card_cid)
            }
            .await;
            busy.set(false);
            match result {
                Ok(cid) => {
                    status.set(Some(Ok(format!("Published: the new version's card is {cid}."))));
                    changelog.set(String::new());
                    file.set(None);
                    catalogue.refresh();
                    reads.update(|n| *n += 1);
                }
                Err(reason) => status.set(Some(Err(reason))),
            }
        });
    };
    view! {
        <form class="panel version-form" data-testid="publish-version" on:submit=submit>
            <h2 class="panel__title">"Publish a new version"</h2>
            <p class="muted">"Buyers and trials get the newest version; every version stays listed with its CID."</p>
            <label class="field">
                <span class="field__label">"New model file (optional; else the card changes only)"</span>
                <input type="file" accept=".onnx" data-testid="version-file" on:change=chosen />
            </label>
            <label class="field">
                <span class="field__label">"Changelog"</span>
                <textarea class="input" rows=3 data-testid="version-changelog" prop:value=move || changelog.get()
                    on:input=move |ev| changelog.set(event_target_value(&ev))></textarea>
            </label>
            <button class="button button--primary" type="submit" data-testid="version-publish" disabled=move || busy.get()>"Publish version"</button>
            {move || status.get().map(|s| match s {
                Ok(text) => view! { <p class="muted" data-testid="version-status">{text}</p> }.into_any(),
                Err(error) => view! { <ErrorNote testid="version-error" error=error /> }.into_any(),
            })}
        </form>
    }
}
