//! `#/bench/encryption`: encrypt and decrypt a model-sized file in the page with the code the
//! listing wizard and the library use (`crate::encryption`: assay-crypto's chunked AES-256-GCM into
//! a Blob, yielding to the page every 8 MiB), and report the throughput. Driven by
//! `e2e/bench/encryption.mjs` (bench/RESULTS.md, "Encryption (browser)").

use assay_crypto::keys::new_key_id;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::clock::now_ms;
use crate::encryption;
use crate::error::AppError;
use crate::ipfs::FileBytes;
use crate::ui::components::error::ErrorNote;
use crate::ui::components::file_input::read_bytes;
use assay_core::units::median;

async fn run(size_mb: usize, runs: usize) -> Result<serde_json::Value, AppError> {
    let size = size_mb << 20;
    // Bytes that don't compress: the cipher's speed doesn't depend on them.
    let plain = super::ipfs_fetch::generated_bytes(size, 7);
    let key = new_key_id(); // 32 random bytes: a key as good as a derived one for timing
    let key_id = new_key_id();
    let (mut encrypt_ms, mut decrypt_ms) = (Vec::new(), Vec::new());
    let mut encrypted_len = 0u64;
    for _ in 0..runs {
        let start = now_ms();
        let blob = encryption::encrypt(&plain, &key, key_id, |_| {}).await?;
        encrypt_ms.push(now_ms() - start);
        encrypted_len = blob.size() as u64;
        // Back in the browser's memory, as the library has it after a verified fetch (not timed).
        let encrypted = FileBytes::from_js(js_sys::Uint8Array::from(read_bytes(&blob).await?.as_slice()));
        let start = now_ms();
        let decrypted = encryption::decrypt(&encrypted, &key, |_| {}).await?;
        decrypt_ms.push(now_ms() - start);
        drop(encrypted);
        if read_bytes(&decrypted.blob).await? != plain {
            return Err(AppError::Invalid("the decrypted bytes differ from the plaintext".into()));
        }
    }
    let mb = size as f64 / 1e6;
    let (encrypt, decrypt) = (median(&encrypt_ms), median(&decrypt_ms));
    Ok(serde_json::json!({
        "size_bytes": size,
        "encrypted_bytes": encrypted_len,
        "runs": runs,
        "encrypt_median_ms": encrypt,
        "decrypt_median_ms": decrypt,
        "encrypt_mb_s": mb / (encrypt / 1e3),
        "decrypt_mb_s": mb / (decrypt / 1e3),
        "encrypt_all_ms": encrypt_ms,
        "decrypt_all_ms": decrypt_ms,
    }))
}

#[component]
pub fn BenchEncryptionPage() -> impl IntoView {
    let size_mb = RwSignal::new(50usize);
    let runs = RwSignal::new(5usize);
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<String, AppError>>);
    let start = move |_| {
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let outcome = run(size_mb.get_untracked(), runs.get_untracked().max(1)).await.map(|v| v.to_string());
            result.set(Some(outcome));
            busy.set(false);
        });
    };
    view! {
        <section data-page="bench-encryption">
            <h1>"Encryption benchmark"</h1>
            <p class="lede">"Encrypts and decrypts a file in this page with the code the listing wizard and the library use; median of the runs."</p>
            <label class="field">"Size (MiB) "
                <input class="input" data-testid="bench-size" prop:value=move || size_mb.get().to_string()
                    on:input=move |ev| size_mb.set(event_target_value(&ev).parse().unwrap_or(50)) />
            </label>
            <label class="field">"Runs "
                <input class="input" data-testid="bench-runs" prop:value=move || runs.get().to_string()
                    on:input=move |ev| runs.set(event_target_value(&ev).parse().unwrap_or(5)) />
            </label>
            <button class="button button--primary" data-testid="bench-run" disabled=move || busy.get() on:click=start>"Run"</button>
            {move || busy.get().then(|| view! { <p class="skeleton">"Running…"</p> })}
            {move || result.get().map(|r| match r {
                Ok(json) => view! { <pre data-testid="bench-json">{json}</pre> }.into_any(),
                Err(e) => view! { <ErrorNote testid="bench-error" error=e /> }.into_any(),
            })}
        </section>
    }
}
