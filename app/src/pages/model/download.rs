//! The model file's size and how long it takes to download, read from the file's root block on
//! IPFS (the file itself is not downloaded): "5.5 kB · under a second at 50 Mbit/s".

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::Cid;
use assay_core::units::{download_time, format_bytes};
use leptos::prelude::*;

use crate::ipfs::Ipfs;

/// The size of the file `cid` and its download time at a typical speed, as a facts row's value.
#[component]
pub(super) fn DownloadSize(cid: Cid) -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let ipfs = Ipfs::new(&config.ipfs);
    let size = LocalResource::new(move || {
        let (ipfs, cid) = (ipfs.clone(), cid.clone());
        async move { ipfs.file_size(&cid).await }
    });
    move || {
        match size.get() {
        None => view! { <span class="skeleton" data-testid="model-download-size">"Reading the size…"</span> }.into_any(),
        Some(Ok(bytes)) => view! {
            <span data-testid="model-download-size" data-bytes=bytes title=format!("{bytes} bytes")>{format_bytes(bytes)}</span>
            " · "
            <span class="muted" data-testid="model-download-time">{download_time(bytes)}</span>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <span class="muted" data-testid="model-download-size" data-error="true">{format!("Unknown: {e}")}</span>
        }
        .into_any(),
    }
    }
}
