//! Browser tests of the app's glue, run by `wasm-bindgen-test-runner` in headless Chromium.

use std::time::Duration;

use alloy_primitives::U256;
use assay_app::config::{self, ConfigLoad};
use assay_app::wallet::discovery;
use assay_app::wallet::eip1193::{Eip1193Provider, codes};
use assay_core::config::RuntimeConfig;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Builds a JS object from source, e.g. an EIP-1193 provider exposed by a page.
fn js_object(source: &str) -> wasm_bindgen::JsValue {
    js_sys::Function::new_no_args(&format!("return ({source});")).call0(&wasm_bindgen::JsValue::NULL).unwrap()
}

async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, duration.as_millis() as i32)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn missing_config_file_falls_back_to_local_defaults() {
    // The test runner's server has no config.json: exactly the "forgot to publish it" case.
    match config::load().await {
        ConfigLoad::Missing { defaults, detail } => {
            assert_eq!(defaults, RuntimeConfig::default());
            assert!(detail.contains("404"), "{detail}");
        }
        other => panic!("expected Missing, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn provider_requests_round_trip_json() {
    let provider: Eip1193Provider =
        js_object("{ request: async ({ method, params }) => ({ method, echoed: params, nested: { n: 1 } }) }")
            .unchecked_into();
    let answer = provider.request("eth_test", json!([1, "two", {"three": 3}])).await.unwrap();
    assert_eq!(answer, json!({"method": "eth_test", "echoed": [1, "two", {"three": 3}], "nested": {"n": 1}}));
}

#[wasm_bindgen_test]
async fn provider_rejection_keeps_the_code_and_reads_as_words() {
    let provider: Eip1193Provider = js_object(
        "{ request: async () => { throw Object.assign(new Error('User rejected the request.'), { code: 4001 }); } }",
    )
    .unchecked_into();
    let error = provider.request("eth_requestAccounts", json!([])).await.unwrap_err();
    assert_eq!(error.code, codes::USER_REJECTED);
    assert_eq!(error.explain().await, "You cancelled in your wallet.");
}

#[wasm_bindgen_test]
async fn provider_that_throws_synchronously_is_an_error_not_a_panic() {
    let provider: Eip1193Provider =
        js_object("{ request: () => { throw { code: -32002, message: 'pending' }; } }").unchecked_into();
    let error = provider.request("eth_requestAccounts", json!([])).await.unwrap_err();
    assert_eq!(error.code, codes::REQUEST_PENDING);
    assert!(error.explain().await.contains("already has a request open"));
}

#[wasm_bindgen_test]
async fn a_wallets_revert_is_worded_by_the_contracts_errors() {
    use alloy_sol_types::SolError;
    let data = assay_core::contracts::IAssayMarket::SoldOut { modelId: U256::from(2), tierId: U256::ZERO }.abi_encode();
    let provider: Eip1193Provider = js_object(&format!(
        "{{ request: async () => {{ throw {{ code: -32603, message: 'Internal JSON-RPC error.', data: {{ code: 3, data: '0x{}' }} }}; }} }}",
        alloy_primitives::hex::encode(&data)
    ))
    .unchecked_into();
    let error = provider.request("eth_sendTransaction", json!([])).await.unwrap_err();
    assert_eq!(error.explain().await, "This licence tier is sold out (model #2, tier 0).");
}

#[wasm_bindgen_test]
async fn undefined_result_reads_as_null() {
    let provider: Eip1193Provider = js_object("{ request: async () => undefined }").unchecked_into();
    assert_eq!(provider.request("wallet_switchEthereumChain", json!([])).await.unwrap(), serde_json::Value::Null);
}

#[wasm_bindgen_test]
async fn eip6963_announcements_are_discovered_and_foreign_icons_dropped() {
    // A wallet that answers requestProvider, as extensions do.
    js_sys::Function::new_no_args(
        r#"
        const announce = () => {
          for (const [uuid, icon] of [["a-1", "data:image/svg+xml,<svg/>"], ["b-2", "https://tracker.example/pixel.png"]]) {
            window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({
              info: { uuid, name: "Wallet " + uuid, icon, rdns: "test." + uuid },
              provider: { request: async () => null },
            }) }));
          }
        };
        window.addEventListener("eip6963:requestProvider", announce);
        "#,
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap();
    let found = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = found.clone();
    discovery::discover(move |wallet| sink.borrow_mut().push(wallet.info));
    sleep(Duration::from_millis(10)).await;
    let found = found.borrow();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].name, "Wallet a-1");
    assert_eq!(found[0].rdns, "test.a-1");
    assert_eq!(found[0].icon.as_deref(), Some("data:image/svg+xml,<svg/>"));
    assert_eq!(found[1].icon, None, "non-data icons must not be loaded");
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_navigation_and_defaults_banner() {
    let window = web_sys::window().unwrap();
    window.location().set_hash("#/library").unwrap();
    assay_app::start();
    let document = window.document().unwrap();
    let mut waited = 0;
    while document.query_selector("[data-page=library]").unwrap().is_none() && waited < 5000 {
        sleep(Duration::from_millis(50)).await;
        waited += 50;
    }
    assert!(document.query_selector("[data-page=library]").unwrap().is_some(), "library page rendered");
    for id in ["nav-browse", "nav-list", "nav-library", "nav-dashboard"] {
        let link = document.query_selector(&format!("[data-testid={id}]")).unwrap().expect(id);
        assert!(link.get_attribute("href").unwrap().starts_with("#/"), "{id} is a hash link");
    }
    let current = document.query_selector("[aria-current=page]").unwrap().unwrap();
    assert_eq!(current.get_attribute("data-testid").as_deref(), Some("nav-library"));
    assert!(document.query_selector("[data-testid=config-missing]").unwrap().is_some());

    window.location().set_hash("#/dashboard").unwrap();
    let mut waited = 0;
    while document.query_selector("[data-page=dashboard]").unwrap().is_none() && waited < 5000 {
        sleep(Duration::from_millis(50)).await;
        waited += 50;
    }
    assert!(document.query_selector("[data-page=dashboard]").unwrap().is_some(), "hash navigation re-renders");
}

/// The bytes of a Blob.
async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await.unwrap();
    js_sys::Uint8Array::new(&buffer).to_vec()
}

fn encrypted_file(bytes: &[u8]) -> assay_app::ipfs::FileBytes {
    assay_app::ipfs::FileBytes::from_js(js_sys::Uint8Array::from(bytes))
}

/// The page's encryption (WebCrypto AES-GCM over `Header::chunk`) and the RustCrypto reference
/// (`assay_crypto::stream`) read each other's files: 3 chunks of 1 MiB, the last one short.
#[wasm_bindgen_test]
async fn webcrypto_chunks_and_the_rust_reference_read_each_other() {
    use assay_app::encryption;
    use assay_crypto::stream::{DEFAULT_CHUNK_SIZE, decrypt_all, encrypt_all};
    let (key, key_id) = ([7u8; 32], [9u8; 32]);
    let plain: Vec<u8> = (0..(2 << 20) + 12_345).map(|i: usize| (i * 31 + i / 4099) as u8).collect();

    let blob = encryption::encrypt(&plain, &key, key_id, |_| {}).await.unwrap();
    let by_page = blob_bytes(&blob).await;
    assert_eq!(&by_page[..8], b"ASSAYENC");
    assert_eq!(decrypt_all(&key, &by_page).unwrap(), plain, "the reference opens the page's file");

    let by_rust = encrypt_all(&key, key_id, &plain, DEFAULT_CHUNK_SIZE).unwrap();
    let opened = encryption::decrypt(&encrypted_file(&by_rust), &key, |_| {}).await.unwrap();
    assert_eq!(opened.header.plaintext_len, plain.len() as u64);
    assert_eq!(blob_bytes(&opened.blob).await, plain, "the page opens the reference's file");
}

/// Every bad file is refused by the page's decryption with the format's own sentence.
#[wasm_bindgen_test]
async fn the_page_refuses_a_tampered_truncated_or_foreign_file_and_the_wrong_key() {
    use assay_app::encryption;
    use assay_crypto::stream::{DEFAULT_CHUNK_SIZE, encrypt_all};
    let key = [7u8; 32];
    let plain = vec![42u8; (1 << 20) + 10];
    let good = encrypt_all(&key, [9; 32], &plain, DEFAULT_CHUNK_SIZE).unwrap();
    // Each refusal is the format's own error (typed), and reads as its sentence.
    let refused = |bytes: Vec<u8>, key: [u8; 32]| async move {
        match encryption::decrypt(&encrypted_file(&bytes), &key, |_| {}).await.err().expect("refused") {
            assay_app::error::AppError::Stream(error) => error.to_string(),
            other => panic!("not a file-format refusal: {other:?}"),
        }
    };
    let mut tampered = good.clone();
    let last = tampered.len() - 20;
    tampered[last] ^= 1;
    assert!(refused(tampered, key).await.contains("chunk 1 failed authentication"));
    assert!(refused(good.clone(), [8; 32]).await.contains("Wrong key"));
    assert!(refused(good[..good.len() - 1].to_vec(), key).await.contains("truncated"));
    let mut longer = good.clone();
    longer.push(0);
    assert!(refused(longer, key).await.contains("data after its final chunk"));
    assert!(refused(b"PK\x03\x04 not ours".to_vec(), key).await.contains("not an Assay encrypted file"));
}

#[wasm_bindgen_test]
fn cancelled_is_told_apart_from_failed() {
    use assay_app::error::AppError;
    use assay_core::failure::Failure;
    assert!(AppError::from(Failure::Cancelled).is_cancelled());
    assert!(!AppError::from(Failure::NonceTooLow).is_cancelled());
    assert!(!AppError::NoWallet.is_cancelled());
    assert_eq!(AppError::from(Failure::Cancelled).sentence(), "You cancelled in your wallet.");
}

#[wasm_bindgen_test]
fn js_errors_read_the_same_however_thrown() {
    use assay_app::error::{AppError, js_error_text};
    assert_eq!(js_error_text(&js_sys::Error::new("denied").into()).as_deref(), Some("denied"));
    let quota = js_object(
        "(() => { const e = new Error('the quota has been exceeded'); e.name = 'QuotaExceededError'; return e })()",
    );
    assert_eq!(js_error_text(&quota).as_deref(), Some("QuotaExceededError: the quota has been exceeded"));
    assert_eq!(js_error_text(&"plain text".into()).as_deref(), Some("plain text"));
    assert_eq!(
        js_error_text(&js_object("({kind: 'notFound', message: 'no gateway has it'})")).as_deref(),
        Some("no gateway has it")
    );
    assert_eq!(js_error_text(&wasm_bindgen::JsValue::NULL), None);
    let error = AppError::browser("The browser refused to save the file", &js_sys::Error::new("denied").into());
    assert_eq!(error.sentence(), "The browser refused to save the file: denied");
}

/// Puts requests "sent by the start script" (`app/early.js`) on the page: `(url, age in ms, answer
/// as the script writes it)`.
fn early_requests(requests: &[(&str, f64, &str)]) {
    let entries: Vec<String> = requests
        .iter()
        .map(|(url, age, answer)| {
            format!("[{url:?}, {{ at: performance.now() - {age}, answer: Promise.resolve({answer}) }}]")
        })
        .collect();
    let map = js_object(&format!("new Map([{}])", entries.join(", ")));
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"assayEarly".into(), &map).unwrap();
}

fn no_early_requests() {
    js_sys::Reflect::delete_property(&web_sys::window().unwrap(), &"assayEarly".into()).unwrap();
}

#[wasm_bindgen_test]
async fn an_early_answer_is_taken_once_within_its_age_and_read_as_the_apps_own() {
    use assay_app::early::{Age, Answer, take};
    early_requests(&[
        ("/a", 0.0, "{ status: 200, statusText: 'OK', text: 'one' }"),
        ("/b", 0.0, "{ status: 503, statusText: 'Service Unavailable', text: 'busy' }"),
        ("/c", 0.0, "{ failed: 'no answer within 4 s' }"),
        ("/old", 6_000.0, "{ status: 200, statusText: 'OK', text: 'stale' }"),
    ]);
    assert_eq!(take("/a", Age::Fresh).unwrap().await, Answer::Ok("one".to_owned()));
    assert!(take("/a", Age::Fresh).is_none(), "an answer is taken once");
    assert_eq!(take("/b", Age::Fresh).unwrap().await, Answer::Status(503, "Service Unavailable".to_owned()));
    assert_eq!(take("/c", Age::Fresh).unwrap().await, Answer::Failed("no answer within 4 s".to_owned()));
    assert!(take("/old", Age::Fresh).is_none(), "older than FRESH: the app asks again itself");
    early_requests(&[("/file", 60_000.0, "{ status: 200, statusText: 'OK', text: 'same' }")]);
    assert_eq!(take("/file", Age::Any).unwrap().await, Answer::Ok("same".to_owned()), "a file of the app's: any age");
    assert!(take("/never-asked", Age::Fresh).is_none());
    no_early_requests();
    assert!(take("/a", Age::Fresh).is_none(), "no start script: nothing to take");
}

#[wasm_bindgen_test]
async fn the_configuration_asked_early_is_read_as_if_fetched() {
    // The test runner serves no config.json: a configuration read is the early one.
    let early = r#"{ status: 200, statusText: 'OK', text: '{"indexerUrl": "http://127.0.0.1:42069"}' }"#;
    early_requests(&[("config.json", 0.0, early)]);
    let loaded = config::load().await;
    no_early_requests();
    match loaded {
        ConfigLoad::Loaded(config) => assert_eq!(config.indexer_url.as_deref(), Some("http://127.0.0.1:42069")),
        other => panic!("expected Loaded, got {other:?}"),
    }
    early_requests(&[("config.json", 0.0, "{ status: 500, statusText: 'Internal Server Error', text: '' }")]);
    let refused = config::load().await;
    no_early_requests();
    match refused {
        ConfigLoad::Invalid(error) => assert!(error.to_string().contains("500"), "{error}"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_json_document_on_ipfs_is_read_as_text_and_bytes_that_are_not_say_so() {
    use assay_app::ipfs::read_json;
    use assay_core::ipfs::IpfsError;
    let cid = "bafkreidoc";
    let value: serde_json::Value = read_json(&cid, br#"{ "name": "Digits \u00e9" }"#).unwrap();
    assert_eq!(value, json!({ "name": "Digits é" }));
    match read_json::<serde_json::Value>(&cid, b"{ \"name\": \"\xff\" }") {
        Err(IpfsError::BadJson { cid: named, detail }) => {
            assert_eq!(named, cid);
            assert!(detail.starts_with("not UTF-8 text"), "{detail}");
        }
        other => panic!("expected BadJson, got {other:?}"),
    }
    assert!(matches!(read_json::<serde_json::Value>(&cid, b"{ nope"), Err(IpfsError::BadJson { .. })));
}

#[wasm_bindgen_test]
async fn the_latest_answer_is_kept_and_an_overtaken_one_is_dropped() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use futures::channel::oneshot;
    use leptos::prelude::*;

    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    owner.set();
    // Each read answers `n` when the test opens its gate, in the order the test chooses.
    let asked = RwSignal::new(0u32);
    let gates: Rc<RefCell<Vec<oneshot::Sender<()>>>> = Rc::default();
    let reads = Rc::clone(&gates);
    let answers = assay_app::latest::answers(move || {
        let n = asked.get();
        let (open, gate) = oneshot::channel::<()>();
        reads.borrow_mut().push(open);
        async move {
            let _ = gate.await;
            n
        }
    });
    let settle = || sleep(Duration::from_millis(0));
    let open = |read: usize| {
        let gate = std::mem::replace(&mut gates.borrow_mut()[read], oneshot::channel().0);
        gate.send(()).unwrap();
    };
    settle().await;
    assert_eq!(gates.borrow().len(), 1, "read once at the start");
    assert_eq!(answers.get_untracked(), None, "nothing before the first answer");
    open(0);
    settle().await;
    assert_eq!(answers.get_untracked(), Some(0));

    asked.set(1);
    settle().await;
    assert_eq!(gates.borrow().len(), 2, "read again when what it reads changes");
    assert_eq!(answers.get_untracked(), Some(0), "the previous answer stays while the next is on its way");
    asked.set(2);
    settle().await;
    open(2);
    settle().await;
    assert_eq!(answers.get_untracked(), Some(2));
    open(1);
    settle().await;
    assert_eq!(answers.get_untracked(), Some(2), "the overtaken read's answer is dropped");
    drop(owner);
}
