//! `#/bench/ipfs`: a working page for the IPFS layer, linked from nowhere. It drives the Rust
//! `ipfs` API exactly as the listing and library pages will: upload a chosen or generated file,
//! fetch a CID with progress, inspect the cache, and time a verified fetch against a plain
//! `fetch()` of the same bytes. The e2e suite and the benchmark (`bench/RESULTS.md`) use it;
//! every result is exposed as text with a `data-testid`.

use std::rc::Rc;

use assay_core::config::RuntimeConfig;
use assay_core::ipfs::cid::Multihash;
use assay_core::ipfs::{Progress, UploadPhase};
use assay_core::units::format_bytes;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

use super::ipfs_fetch::{benchmark, generated_bytes};
use crate::clock::now_ms;
use crate::ipfs::{self, Cid, Ipfs, IpfsError, Source, UploadSource};
use crate::ui::components::file_input::read_bytes;

fn sha256_hex(bytes: &[u8]) -> String {
    Multihash::sha2_256(bytes).digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `[done, total]` pairs as JSON, for the tests' monotonicity checks.
fn events_json(events: &[(u64, u64)]) -> String {
    serde_json::to_string(events).unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    Running,
    Done,
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Idle => "idle",
            State::Running => "running",
            State::Done => "done",
            State::Failed => "error",
        }
    }
}

#[component]
pub fn BenchIpfsPage() -> impl IntoView {
    let config: RuntimeConfig = expect_context();
    let ipfs = StoredValue::new(Ipfs::new(&config.ipfs));

    // Upload.
    let size_mb = RwSignal::new("20".to_owned());
    let seed = RwSignal::new("1".to_owned());
    let upload_state = RwSignal::new(State::Idle);
    let upload_cid = RwSignal::new(String::new());
    let upload_cid_js = RwSignal::new(String::new());
    let upload_cid_rust = RwSignal::new(String::new());
    let upload_sha = RwSignal::new(String::new());
    let upload_error = RwSignal::new(None::<IpfsError>);
    let upload_events = RwSignal::new(Vec::<(String, u64, u64)>::new());
    let file_input = NodeRef::<leptos::html::Input>::new();

    // Fetch.
    let fetch_cid = RwSignal::new(String::new());
    let max_bytes = RwSignal::new(String::new());
    let fetch_state = RwSignal::new(State::Idle);
    let fetch_events = RwSignal::new(Vec::<(u64, u64)>::new());
    let fetch_result = RwSignal::new(None::<(u64, String, String, f64)>);
    let fetch_error = RwSignal::new(None::<IpfsError>);
    let cache_state = RwSignal::new(String::new());
    // Completed cache checks, so a test can wait for the answer to *its* click.
    let cache_checks = RwSignal::new(0u32);

    // Benchmark.
    let bench_mb = RwSignal::new("50".to_owned());
    let bench_runs = RwSignal::new("5".to_owned());
    let bench_state = RwSignal::new(State::Idle);
    let bench_log = RwSignal::new(String::new());
    let bench_result = RwSignal::new(String::new());

    let run_upload = move |source: UploadSource, name: String| {
        upload_state.set(State::Running);
        upload_error.set(None);
        upload_events.set(Vec::new());
        for s in [upload_cid, upload_cid_js, upload_cid_rust, upload_sha] {
            s.set(String::new());
        }
        spawn_local(async move {
            // The Rust CID and sha256 need the bytes; a File is read once here for that check.
            let bytes = match &source {
                UploadSource::Bytes(bytes) => Some(bytes.clone()),
                UploadSource::File(file) => read_bytes(file).await.ok(),
                UploadSource::Blob(blob) => read_bytes(blob).await.ok(),
            };
            if let Some(bytes) = &bytes {
                upload_cid_rust.set(ipfs::cid_of(bytes).to_string());
                upload_sha.set(sha256_hex(bytes));
            }
            drop(bytes);
            match ipfs::cid_of_in_js(&source).await {
                Ok(cid) => upload_cid_js.set(cid.to_string()),
                Err(error) => upload_cid_js.set(format!("error: {error}")),
            }
            let client = ipfs.get_value();
            let result = client
                .upload(source, &name, move |phase, Progress { done, total }| {
                    let phase = match phase {
                        UploadPhase::Hashing => "hash",
                        UploadPhase::Sending => "send",
                    };
                    upload_events.update(|events| events.push((phase.to_owned(), done, total)));
                })
                .await;
            match result {
                Ok(cid) => {
                    upload_cid.set(cid.to_string());
                    fetch_cid.set(cid.to_string());
                    upload_state.set(State::Done);
                }
                Err(error) => {
                    upload_error.set(Some(error));
                    upload_state.set(State::Failed);
                }
            }
        });
    };

    let upload_generated = move |_| {
        let len = (size_mb.get_untracked().trim().parse::<f64>().unwrap_or(1.0) * 1_000_000.0) as usize;
        let seed = seed.get_untracked().trim().parse().unwrap_or(1);
        run_upload(UploadSource::Bytes(generated_bytes(len, seed)), format!("generated-{len}-{seed}.bin"));
    };
    let upload_file = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            upload_error.set(Some(IpfsError::Other { detail: "choose a file first".into() }));
            upload_state.set(State::Failed);
            return;
        };
        let name = file.name();
        run_upload(UploadSource::File(file), name);
    };

    let run_fetch = move |_| {
        fetch_state.set(State::Running);
        fetch_events.set(Vec::new());
        fetch_result.set(None);
        fetch_error.set(None);
        let text = fetch_cid.get_untracked();
        let limit = max_bytes.get_untracked().trim().parse::<u64>().ok();
        spawn_local(async move {
            let cid: Cid = match text.trim().parse() {
                Ok(cid) => cid,
                Err(error) => {
                    fetch_error.set(Some(IpfsError::InvalidCid { detail: format!("{text:?}: {error}") }));
                    fetch_state.set(State::Failed);
                    return;
                }
            };
            let mut client = ipfs.get_value();
            if let Some(limit) = limit {
                client.max_bytes = limit;
            }
            let started = now_ms();
            let result = client
                .fetch_detailed(&cid, move |Progress { done, total }| {
                    fetch_events.update(|events| events.push((done, total)));
                })
                .await;
            let took = now_ms() - started;
            match result {
                Ok(fetched) => {
                    let source = match fetched.source {
                        Source::Cache => "cache".to_owned(),
                        Source::Gateway(url) => url,
                    };
                    // Done once the cache commit is over too, with its failure if it failed (a
                    // full disk may refuse the writes after the storage estimate said yes).
                    if let Err(error) = fetched.keeping.clone().kept_offline().await {
                        fetch_error.set(Some(error));
                    }
                    fetch_result.set(Some((fetched.bytes.len(), sha256_hex(&fetched.bytes.to_vec()), source, took)));
                    fetch_state.set(State::Done);
                }
                Err(error) => {
                    fetch_error.set(Some(error));
                    fetch_state.set(State::Failed);
                }
            }
        });
    };

    let check_cache = move |_| {
        let text = fetch_cid.get_untracked();
        cache_state.set("checking…".to_owned());
        spawn_local(async move {
            let state = match text.trim().parse::<Cid>() {
                Ok(cid) => match Ipfs::is_cached(&cid).await {
                    Ok(true) => "cached".to_owned(),
                    Ok(false) => "not cached".to_owned(),
                    Err(error) => error.to_string(),
                },
                Err(error) => format!("not a CID: {error}"),
            };
            cache_state.set(state);
            cache_checks.update(|n| *n += 1);
        });
    };
    let clear_cache = move |_| {
        spawn_local(async move {
            cache_state.set(match Ipfs::clear_cache().await {
                Ok(()) => "cleared".to_owned(),
                Err(error) => error.to_string(),
            });
        });
    };

    let run_bench = move |_| {
        bench_state.set(State::Running);
        bench_result.set(String::new());
        let len = (bench_mb.get_untracked().trim().parse::<f64>().unwrap_or(50.0) * 1_000_000.0) as usize;
        let runs = bench_runs.get_untracked().trim().parse::<usize>().unwrap_or(5).max(1);
        spawn_local(async move {
            let log = move |line: String| {
                bench_log.update(|l| {
                    l.push_str(&line);
                    l.push('\n');
                })
            };
            match benchmark(ipfs.get_value(), len, runs, Rc::new(log)).await {
                Ok(result) => {
                    bench_result.set(result.to_string());
                    bench_state.set(State::Done);
                }
                Err(error) => {
                    bench_result.set(json!({"error": error.to_string()}).to_string());
                    bench_state.set(State::Failed);
                }
            }
        });
    };

    let error_view = move |error: RwSignal<Option<IpfsError>>, testid: &'static str| {
        move || {
            error.get().map(|error| {
                view! { <p class="error" role="alert" data-testid=testid data-kind=error.kind()>{error.to_string()}</p> }
            })
        }
    };

    view! {
        <section data-page="bench-ipfs" class="bench">
            <h1>"IPFS bench"</h1>
            <p class="lede">
                "A working page for Assay's IPFS layer: upload, verified fetch with progress, the offline cache, and a throughput benchmark."
            </p>

            <div class="panel">
                <h2 class="panel__title">"Upload"</h2>
                <p>
                    <input type="file" data-testid="bench-file" node_ref=file_input />
                    <button data-testid="bench-upload-file" on:click=upload_file>"Upload file"</button>
                </p>
                <p>
                    <label>"Generated MB " <input data-testid="bench-size" size="6" bind:value=size_mb /></label>
                    <label>" seed " <input data-testid="bench-seed" size="6" bind:value=seed /></label>
                    <button data-testid="bench-upload-generated" on:click=upload_generated>"Generate and upload"</button>
                </p>
                <p data-testid="bench-upload-status" data-state=move || upload_state.get().as_str()>
                    {move || match upload_state.get() {
                        State::Idle => String::new(),
                        State::Running => match upload_events.get().last() {
                            Some((phase, done, total)) => format!(
                                "{} {} of {} ({}%)",
                                if phase == "hash" { "Hashing" } else { "Sending" },
                                format_bytes(*done),
                                format_bytes(*total),
                                Progress { done: *done, total: *total }.percent()
                            ),
                            None => "Starting…".to_owned(),
                        },
                        State::Done => "Uploaded.".to_owned(),
                        State::Failed => "Upload failed.".to_owned(),
                    }}
                </p>
                <dl>
                    <dt>"CID (node, checked against local)"</dt><dd><code data-testid="bench-cid">{move || upload_cid.get()}</code></dd>
                    <dt>"CID (bundled JS importer)"</dt><dd><code data-testid="bench-cid-js">{move || upload_cid_js.get()}</code></dd>
                    <dt>"CID (Rust)"</dt><dd><code data-testid="bench-cid-rust">{move || upload_cid_rust.get()}</code></dd>
                    <dt>"sha256"</dt><dd><code data-testid="bench-upload-sha256">{move || upload_sha.get()}</code></dd>
                </dl>
                <p hidden data-testid="bench-upload-events" data-events=move || {
                    serde_json::to_string(&upload_events.get()).unwrap_or_default()
                }></p>
                {error_view(upload_error, "bench-upload-error")}
            </div>

            <div class="panel">
                <h2 class="panel__title">"Fetch"</h2>
                <p>
                    <label>"CID " <input data-testid="bench-fetch-cid" size="64" bind:value=fetch_cid /></label>
                    <label>" max bytes " <input data-testid="bench-max" size="10" bind:value=max_bytes /></label>
                    <button data-testid="bench-fetch" on:click=run_fetch>"Fetch"</button>
                </p>
                <progress data-testid="bench-fetch-progress" max="100" value=move || {
                    fetch_events.get().last().map(|(done, total)| Progress { done: *done, total: *total }.percent()).unwrap_or(0)
                }></progress>
                <p data-testid="bench-fetch-status" data-state=move || fetch_state.get().as_str()>
                    {move || fetch_result.get().map(|(size, _, source, took)| {
                        format!("{} verified in {:.0} ms from {}", format_bytes(size), took, source)
                    })}
                </p>
                <dl>
                    <dt>"bytes"</dt><dd data-testid="bench-fetch-size">{move || fetch_result.get().map(|r| r.0.to_string())}</dd>
                    <dt>"sha256"</dt><dd><code data-testid="bench-fetch-sha256">{move || fetch_result.get().map(|r| r.1)}</code></dd>
                    <dt>"source"</dt><dd data-testid="bench-fetch-source">{move || fetch_result.get().map(|r| r.2)}</dd>
                </dl>
                <p hidden data-testid="bench-fetch-events" data-events=move || events_json(&fetch_events.get())></p>
                {error_view(fetch_error, "bench-fetch-error")}
                <p>
                    <button data-testid="bench-check-cache" on:click=check_cache>"Is it cached?"</button>
                    <button data-testid="bench-clear-cache" on:click=clear_cache>"Clear the cache"</button>
                    " " <span data-testid="bench-cache-state" data-checks=move || cache_checks.get().to_string()>{move || cache_state.get()}</span>
                </p>
            </div>

            <div class="panel">
                <h2 class="panel__title">"Benchmark: verified fetch vs raw fetch()"</h2>
                <p>
                    <label>"MB " <input data-testid="bench-bench-size" size="6" bind:value=bench_mb /></label>
                    <label>" runs " <input data-testid="bench-runs" size="3" bind:value=bench_runs /></label>
                    <button data-testid="bench-run" on:click=run_bench>"Run"</button>
                </p>
                <pre data-testid="bench-log">{move || bench_log.get()}</pre>
                <pre data-testid="bench-result" data-state=move || bench_state.get().as_str()>{move || bench_result.get()}</pre>
            </div>
        </section>
    }
}
